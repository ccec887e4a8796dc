package dot

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gw-project/gw/internal/model"
)

// FuzzRead: any input gives a model or an *Error, never a panic or a hang;
// a model read is written and read back unchanged (by names and structure),
// and writing is idempotent.
func FuzzRead(f *testing.F) {
	for _, dir := range []string{"upstream", "golden"} {
		files, _ := filepath.Glob(filepath.Join("testdata", dir, "*.dot"))
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	for _, s := range []string{
		`strict graph { a -- {b c} -- d [label="x" + "y"] }`,
		`digraph g { node [label=N] subgraph s { a:p:n -> <b<i>x</i>> } s2 -> subgraph s {} }`,
		"# c\ndigraph \"a\\\"b\\\\\" { /* c */ 1 -> -.5 // c\n start [label=v] }",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		m, err := Read(bytes.NewReader(src), "fuzz.dot")
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error is %T, not *Error: %v", err, err)
			}
			if e.Line < 1 || e.Column < 1 {
				t.Fatalf("bad position: %v", err)
			}
			return
		}
		for _, e := range m.Edges {
			for _, a := range e.Actions {
				if strings.Contains(a, "//") || strings.Contains(a, "/*") {
					return // GraphWalker's label language reads these as comments: no round trip
				}
			}
		}
		var out1 bytes.Buffer
		if err := Write(&out1, []*model.Model{m}); err != nil {
			t.Fatalf("write: %v", err)
		}
		m2, err := Read(bytes.NewReader(out1.Bytes()), "fuzz.dot")
		if err != nil {
			t.Fatalf("re-read: %v\n%s", err, out1.Bytes())
		}
		if a, b := byName(m), byName(m2); a != b {
			t.Fatalf("round trip changed the model:\n%s\n---\n%s\nwritten:\n%s", a, b, out1.Bytes())
		}
		var out2 bytes.Buffer
		if err := Write(&out2, []*model.Model{m2}); err != nil {
			t.Fatalf("second write: %v", err)
		}
		if !bytes.Equal(out1.Bytes(), out2.Bytes()) {
			t.Fatalf("second write differs:\n%s\n---\n%s", out1.Bytes(), out2.Bytes())
		}
	})
}
