package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// maxRSS is the peak resident memory of a finished command, in bytes.
func maxRSS(cmd *exec.Cmd) int64 {
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss << 10 // kilobytes on Linux
	}
	return 0
}

// runLimited runs gw and returns its output, exit code and peak memory.
func runLimited(t *testing.T, args ...string) (stdout, stderr string, code int, rss int64) {
	t.Helper()
	cmd := exec.Command(gwBin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatalf("gw %s: still running after 60 s", strings.Join(args, " "))
	}
	return out.String(), errb.String(), cmd.ProcessState.ExitCode(), maxRSS(cmd)
}

// hostileModel writes a one-model JSON file whose edge e0 carries action
// and whose model carries init as its INIT action.
func hostileModel(t *testing.T, action, init string) string {
	t.Helper()
	m := map[string]any{"models": []any{map[string]any{
		"name": "M", "generator": "random(length(3))", "startElementId": "e0",
		"actions":  []string{init},
		"vertices": []any{map[string]any{"id": "v0", "name": "v0"}},
		"edges": []any{
			map[string]any{"id": "e0", "name": "e0", "targetVertexId": "v0", "actions": []string{action}},
			map[string]any{"id": "e1", "name": "e1", "sourceVertexId": "v0", "targetVertexId": "v0"},
		},
	}}}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "hostile.json")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestHostileScripts: issue 9 §1's reproductions through the real binary.
// Each ends with an error that names the limit and its flag, a non-zero
// exit, no crash, bounded memory.
func TestHostileScripts(t *testing.T) {
	deep := hostileModel(t, "x="+strings.Repeat("(", 300000)+"1"+strings.Repeat(")", 300000)+";", "x=1;")
	bigArray := hostileModel(t, "x=1;", "var a=new Array(4294967295);")
	const maxMem = 400 << 20
	for _, tt := range []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"offline, action nested 300,000 deep", []string{"offline", "-m", deep, "random(length(3))"}, 2,
			[]string{"300001 levels deep", "over the limit of 1000 (raise it with --max-script-depth)"}},
		{"check, action nested 300,000 deep", []string{"check", "-m", deep, "random(length(3))"}, 1,
			[]string{"over the limit of 1000 (raise it with --max-script-depth)"}},
		{"offline -o, INIT new Array(4294967295)", []string{"offline", "-o", "-m", bigArray, "random(length(3))"}, 2,
			[]string{`data variable "a"`, "(raise it with --max-data-size)"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code, rss := runLimited(t, tt.args...)
			msg := out + errOut
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr %.300q", code, tt.code, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("output does not say %q: %.500q", w, msg)
				}
			}
			if strings.Contains(msg, "goroutine ") || strings.Contains(msg, "panic") {
				t.Errorf("crashed: %.2000s", msg)
			}
			if len(msg) > 64<<10 {
				t.Errorf("the error is %d bytes: a script should be quoted shortened", len(msg))
			}
			if rss > maxMem {
				t.Errorf("peak memory %d MiB", rss>>20)
			}
		})
	}
	// convert compiles no script: it copies the action, in bounded memory.
	out, errOut, code, rss := runLimited(t, "convert", "-i", deep)
	if code != 0 || !strings.Contains(out, strings.Repeat("(", 1000)) || rss > maxMem {
		t.Errorf("convert: exit %d, %d MiB, %.300q", code, rss>>20, errOut)
	}
}

// TestOfflineInterrupted: SIGTERM or SIGINT during a long walk leaves
// stdout ending with a whole line, says so on stderr with the number of
// lines printed, and exits 128+signal. The default output is printed by
// another goroutine than the walk's (see record.PathOutput); --unvisited
// (-o) is printed by the walk itself.
func TestOfflineInterrupted(t *testing.T) {
	busy := hostileModel(t, "x=1;", "x=0;")
	stuck := hostileModel(t, "while(true){}", "x=0;")
	for _, tt := range []struct {
		name  string
		sig   syscall.Signal
		code  int
		model string
		args  []string
	}{
		{"SIGTERM", syscall.SIGTERM, 143, busy, []string{"-o"}},
		{"SIGINT", syscall.SIGINT, 130, busy, []string{"-o"}},
		{"SIGTERM in a script", syscall.SIGTERM, 143, stuck, []string{"-o", "--script-timeout", "1m"}},
		{"SIGINT, default output", syscall.SIGINT, 130, busy, nil},
		{"SIGTERM in a script, default output", syscall.SIGTERM, 143, stuck, []string{"--script-timeout", "1m"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// At DEBUG, gw logs "walking" when the walk starts.
			args := append([]string{"-d", "DEBUG", "offline", "-m", tt.model, "random(never)"}, tt.args...)
			cmd := exec.Command(gwBin, args...)
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			var errb bytes.Buffer
			walking, stderrDone := make(chan struct{}), make(chan struct{})
			go func() {
				defer close(stderrDone)
				sc := bufio.NewScanner(stderr)
				seen := false
				for sc.Scan() {
					errb.WriteString(sc.Text() + "\n")
					if !seen && strings.Contains(sc.Text(), "walking") {
						seen = true
						close(walking)
					}
				}
			}()
			select {
			case <-walking:
			case <-time.After(20 * time.Second):
				cmd.Process.Kill()
				t.Fatal("the walk did not start")
			}
			r := bufio.NewReader(stdout)
			var got bytes.Buffer
			if tt.model == busy {
				// Wait until output flows (more than one buffer of it).
				if _, err := io.CopyN(&got, r, 200<<10); err != nil {
					t.Fatal(err)
				}
			} else {
				time.Sleep(100 * time.Millisecond) // into the endless script
			}
			start := time.Now()
			cmd.Process.Signal(tt.sig)
			if _, err := io.Copy(&got, r); err != nil {
				t.Fatal(err)
			}
			<-stderrDone
			cmd.Wait()
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v to stop", d)
			}
			if code := cmd.ProcessState.ExitCode(); code != tt.code {
				t.Errorf("exit %d, want %d; stderr %q", code, tt.code, errb.String())
			}
			if !strings.Contains(errb.String(), "interrupted ("+map[syscall.Signal]string{syscall.SIGTERM: "SIGTERM", syscall.SIGINT: "SIGINT"}[tt.sig]+")") {
				t.Errorf("stderr %q", errb.String())
			}
			text := got.String()
			if text != "" && !strings.HasSuffix(text, "\n") {
				t.Fatalf("stdout ends with a torn line: %q", text[max(0, len(text)-200):])
			}
			if said := regexp.MustCompile(`after (\d+) steps`).FindStringSubmatch(errb.String()); said == nil || said[1] != strconv.Itoa(strings.Count(text, "\n")) {
				t.Errorf("stderr %q; %d lines printed", errb.String(), strings.Count(text, "\n"))
			}
			for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
				if line == "" && text == "" {
					break
				}
				if !json.Valid([]byte(line)) {
					t.Fatalf("line %d is not JSON: %q", i+1, line)
				}
			}
		})
	}
}

// TestOfflineStdoutFull: a path that cannot be written fails gw offline
// with the write error (exit 2), whether the walk or another goroutine
// writes it, and however short the walk: never a success with the output
// lost.
func TestOfflineStdoutFull(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skipf("no /dev/full here: %v", err)
	}
	defer full.Close()
	for _, args := range [][]string{
		{"random(never)"},
		{"random(never)", "--unvisited"},
		{"random(length(10))"},
		{"random(length(10))", "--record", t.TempDir()},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, gwBin, append([]string{"offline", "-m", "../../examples/models/login.json"}, args...)...)
			var errb bytes.Buffer
			cmd.Stdout, cmd.Stderr = full, &errb
			cmd.Run()
			if code := cmd.ProcessState.ExitCode(); code != 2 || !strings.Contains(errb.String(), "write /dev/stdout: no space left on device") {
				t.Errorf("exit %d, stderr %q", code, errb.String())
			}
		})
	}
}
