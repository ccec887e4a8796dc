package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
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

// TestOfflineProgress: on a terminal, stderr shows the walk's progress and
// a summary; stdout is the same as when piped; --quiet shows nothing.
func TestOfflineProgress(t *testing.T) {
	defer func(d time.Duration) { progressEvery = d }(progressEvery)
	progressEvery = 0 // redraw after every step
	args := []string{"offline", "--seed", "1", "-m", "../../examples/models/login.json", "random(edge_coverage(100))"}
	piped, pipedErr, code := runCLI(t, args...)
	if code != 0 || pipedErr != "" {
		t.Fatalf("piped: exit %d, stderr %q", code, pipedErr)
	}
	var out, errb bytes.Buffer
	if code := Main(args, &Env{Stdout: &out, Stderr: &errb, StderrTerminal: true}); code != 0 {
		t.Fatalf("terminal: exit %d: %s", code, errb.String())
	}
	if out.String() != piped {
		t.Errorf("stdout differs on a terminal")
	}
	steps := strings.Count(piped, "\n")
	summary := fmt.Sprintf("gw offline: %d steps, edges 100%% (9/9), vertices 100%% (3/3), ", steps)
	if !strings.Contains(errb.String(), "\r\x1b[Kgw offline: 1 steps, edges 11% (1/9), vertices 0% (0/3)") ||
		!strings.Contains(errb.String(), "\r\x1b[K"+summary) || !strings.HasSuffix(errb.String(), "s.\n") {
		t.Errorf("stderr %q", errb.String())
	}
	out.Reset()
	errb.Reset()
	if code := Main(append(args, "--quiet"), &Env{Stdout: &out, Stderr: &errb, StderrTerminal: true}); code != 0 || errb.Len() != 0 || out.String() != piped {
		t.Errorf("--quiet: exit %d, stderr %q", code, errb.String())
	}
}

// TestOfflineStatistics: --statistics prints one JSON object, no path.
func TestOfflineStatistics(t *testing.T) {
	args := []string{"offline", "--seed", "1", "-m", "../../examples/models/login.json", "random(edge_coverage(100))"}
	path, _, _ := runCLI(t, args...)
	out, errOut, code := runCLI(t, append(args, "--statistics")...)
	if code != 0 || errOut != "" || strings.Count(out, "\n") != 1 {
		t.Fatalf("exit %d, stderr %q, stdout %q", code, errOut, out)
	}
	var st map[string]any
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatal(err)
	}
	if st["totalNumberOfSteps"] != float64(strings.Count(path, "\n")) || st["edgeCoverage"] != float64(100) ||
		st["totalNumberOfEdges"] != float64(9) || st["result"] != nil || !strings.HasPrefix(out, `{"totalNumberOfSteps":`) {
		t.Errorf("statistics %s", out)
	}
}
