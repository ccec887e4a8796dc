package mcp

import (
	"strings"
	"testing"
	"time"

	"github.com/gw-project/gw/internal/script"
)

// FuzzExplainGuard splits and evaluates arbitrary guards: no panic, no
// hang, and a well-formed tree of parts.
func FuzzExplainGuard(f *testing.F) {
	for _, g := range []string{"a && b", "!(x || y) && z > 1", "global.n > 1 && n < 2", "x = 1", "a ? b : c",
		"(((a)))", "!!!a", "a && (b || !c) && d", "x++ > 1 || y", "function(){}()", "'&&' && \"||\"", "a // c", "/* && */ a", "1;2", "`${a && b}`"} {
		f.Add(g)
	}
	srv, err := New(Options{Script: script.Limits{Timeout: 50 * time.Millisecond}})
	if err != nil {
		f.Fatal(err)
	}
	defer srv.Close()
	f.Fuzz(func(t *testing.T, guard string) {
		sb := script.NewSandbox(srv.opts.Script)
		defer sb.Close()
		ev := &sandboxEval{sb: sb, env: sb.NewEnv(), global: sb.NewEnv()}
		out, err := srv.explain(guard, nil, nil, ev, false)
		if err != nil {
			return
		}
		if strings.TrimSpace(guard) == "" {
			if !out.Value || len(out.Parts) != 0 {
				t.Fatalf("no guard: %+v", out)
			}
			return
		}
		if len(out.Parts) == 0 || out.Parts[0].Parent != -1 {
			t.Fatalf("%q: parts %+v", guard, out.Parts)
		}
		leaves := map[string]bool{}
		for i, p := range out.Parts {
			if p.ID != i || (i > 0 && (p.Parent < 0 || p.Parent >= i)) {
				t.Fatalf("%q: part %d: %+v", guard, i, p)
			}
			if p.Op == "" {
				leaves[p.Expr] = true
			}
		}
		for _, b := range out.Because {
			if !leaves[b] {
				t.Fatalf("%q: because %q is not a leaf part", guard, b)
			}
		}
	})
}
