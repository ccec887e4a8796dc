package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestKilledRunReports: the real gw, killed with SIGKILL in the middle of
// a recorded walk, leaves a record that gw report, gw replay and gw draw
// read; the report calls the run unfinished.
func TestKilledRunReports(t *testing.T) {
	dir := t.TempDir()
	recs := filepath.Join(dir, "recs")
	// An endless walk whose actions change data, so steps carry it.
	cmd := exec.Command(gwBin, "offline", "-m", filepath.Join(repoRoot, "examples/models/login.json"), "random(never)", "--record", recs)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	var file string
	deadline := time.Now().Add(20 * time.Second)
	for {
		files, _ := filepath.Glob(filepath.Join(recs, "*.jsonl"))
		if len(files) == 1 {
			if st, err := os.Stat(files[0]); err == nil && st.Size() > 256<<10 {
				file = files[0]
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("gw wrote no record of 256 KiB in 20 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), `"type":"end"`) {
		t.Fatal("a killed run's record has an end line")
	}
	steps := strings.Count(string(data), `{"type":"step"`)

	junit := filepath.Join(dir, "junit.xml")
	md, errOut, code := gw(t, "report", file, "--junit", junit, "--markdown", "-")
	if code != 0 || !strings.Contains(md, "unfinished") {
		t.Fatalf("report: exit %d %s\n%s", code, errOut, md)
	}
	x, err := os.ReadFile(junit)
	if err != nil || !strings.Contains(string(x), "<testsuites") {
		t.Errorf("junit: %v %.300s", err, x)
	}
	// The walk replays up to its last complete step (a torn last step
	// line is left out).
	out, errOut, code := gw(t, "replay", file)
	if n := strings.Count(out, "\n"); code != 0 || n < steps-1 || n > steps || n < 1000 {
		t.Errorf("replay: exit %d, %d lines for %d step lines: %s", code, n, steps, errOut)
	}
	svg, errOut, code := gw(t, "draw", "--record", file)
	if code != 0 || !strings.HasPrefix(svg, "<?xml") {
		t.Errorf("draw: exit %d %s", code, errOut)
	}
}

// TestInterruptedRunRecord: gw offline stopped by SIGINT ends its record
// with the verdict "stopped" (not "failed"), as the walk it printed.
func TestInterruptedRunRecord(t *testing.T) {
	recs := filepath.Join(t.TempDir(), "recs")
	cmd := exec.Command(gwBin, "offline", "-m", filepath.Join(repoRoot, "examples/models/login.json"), "random(never)", "--record", recs)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	deadline := time.Now().Add(20 * time.Second)
	for {
		files, _ := filepath.Glob(filepath.Join(recs, "*.jsonl"))
		if len(files) == 1 {
			if st, err := os.Stat(files[0]); err == nil && st.Size() > 64<<10 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("gw wrote no record in 20 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 130 {
		t.Fatalf("exit %v, want 130", err)
	}
	files, _ := filepath.Glob(filepath.Join(recs, "*.jsonl"))
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	last := lines[len(lines)-1]
	if !strings.Contains(last, `"type":"end"`) || !strings.Contains(last, `"verdict":"stopped"`) || !strings.Contains(last, "interrupted (SIGINT)") {
		t.Errorf("the record ends with %.300s", last)
	}
}
