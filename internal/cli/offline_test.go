package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// splitShell splits a command line written with backslash escapes.
func splitShell(s string) []string {
	var args []string
	var cur strings.Builder
	in := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
			in = true
		case c == ' ' || c == '\n' || c == '\t':
			if in {
				args = append(args, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteByte(c)
			in = true
		}
	}
	if in {
		args = append(args, cur.String())
	}
	return args
}

func runCLI(t testing.TB, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(args, &Env{Stdout: &out, Stderr: &errb})
	return out.String(), errb.String(), code
}

// TestConformance replays walks recorded from GraphWalker 4.3 (seeded
// offline runs) and requires the same steps, compared as JSON.
func TestConformance(t *testing.T) {
	cmds, _ := filepath.Glob("testdata/conformance/*.cmd")
	if len(cmds) == 0 {
		t.Fatal("no conformance fixtures")
	}
	for _, cmdFile := range cmds {
		name := strings.TrimSuffix(filepath.Base(cmdFile), ".cmd")
		t.Run(name, func(t *testing.T) {
			line, err := os.ReadFile(cmdFile)
			if err != nil {
				t.Fatal(err)
			}
			args := splitShell(string(line))[1:] // drop "gw"
			for i, a := range args {
				if strings.HasPrefix(a, "models/") {
					args[i] = filepath.Join("testdata/conformance", a)
				}
			}
			want, err := os.ReadFile(strings.TrimSuffix(cmdFile, ".cmd") + ".jsonl")
			if err != nil {
				t.Fatal(err)
			}
			out, errOut, code := runCLI(t, args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			gotLines := strings.Split(strings.TrimSpace(out), "\n")
			wantLines := strings.Split(strings.TrimSpace(string(want)), "\n")
			for i := 0; i < len(wantLines) && i < len(gotLines); i++ {
				var g, w any
				if err := json.Unmarshal([]byte(gotLines[i]), &g); err != nil {
					t.Fatalf("line %d: %v: %s", i+1, err, gotLines[i])
				}
				if err := json.Unmarshal([]byte(wantLines[i]), &w); err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(g, w) {
					t.Fatalf("line %d differs\n got %s\nwant %s", i+1, gotLines[i], wantLines[i])
				}
			}
			if len(gotLines) != len(wantLines) {
				t.Fatalf("got %d steps, want %d", len(gotLines), len(wantLines))
			}
		})
	}
}
