package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gw-project/gw/internal/record"
	"github.com/gw-project/gw/internal/runreport"
)

// conformanceArgs are the gw offline arguments of a conformance fixture.
func conformanceArgs(t *testing.T, cmdFile string) []string {
	t.Helper()
	line, err := os.ReadFile(cmdFile)
	if err != nil {
		t.Fatal(err)
	}
	args := splitShell(string(line))[1:]
	for i, a := range args {
		if strings.HasPrefix(a, "models/") {
			args[i] = filepath.Join("testdata/conformance", a)
		}
	}
	return args
}

func onlyRecord(t *testing.T, dir string) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if len(files) != 1 {
		t.Fatalf("records in %s: %v", dir, files)
	}
	return files[0]
}

// Replaying the record of every seeded conformance walk prints the same
// output, byte for byte.
func TestReplayConformance(t *testing.T) {
	cmds, _ := filepath.Glob("testdata/conformance/*.cmd")
	for _, cmdFile := range cmds {
		name := strings.TrimSuffix(filepath.Base(cmdFile), ".cmd")
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			args := append([]string{"-d", "INFO"}, append(conformanceArgs(t, cmdFile), "--record", dir)...)
			want, errOut, code := runCLI(t, args...)
			if code != 0 {
				t.Fatalf("offline: exit %d: %s", code, errOut)
			}
			file := onlyRecord(t, dir)
			if !strings.Contains(errOut, "msg=\"recording the run\" file="+file) {
				t.Errorf("stderr %q does not say where the record is", errOut)
			}
			got, errOut, code := runCLI(t, "replay", file)
			if code != 0 {
				t.Fatalf("replay: exit %d: %s", code, errOut)
			}
			if got != want {
				t.Fatalf("replay printed\n%.500s\nwant\n%.500s", got, want)
			}
			rec, err := record.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if rec.End == nil || rec.End.Verdict != record.Passed || len(rec.Steps) != strings.Count(want, "\n") {
				t.Errorf("record: %d steps, end %+v", len(rec.Steps), rec.End)
			}
		})
	}
}

func TestRecordOptions(t *testing.T) {
	login := "testdata/conformance/models/upstream/io/json/Login.json"
	_, errOut, code := runCLI(t, "offline", "-m", login, "random(edge_coverage(100))", "--record-required")
	if code != 1 || !strings.Contains(errOut, "--record-required needs --record DIR") {
		t.Errorf("exit %d: %s", code, errOut)
	}
	// A folder that cannot be made: the run goes on without its record,
	// saying so on stderr even with logging off (the default), or stops
	// with --record-required.
	blocker := filepath.Join(t.TempDir(), "file")
	os.WriteFile(blocker, nil, 0o644)
	out, errOut, code := runCLI(t, "offline", "--seed", "1", "-m", login, "random(edge_coverage(100))", "--record", filepath.Join(blocker, "dir"))
	if code != 0 || !strings.Contains(errOut, "not a directory") || !strings.Contains(errOut, "--record-required") || !strings.Contains(out, "currentElementName") {
		t.Errorf("not required: exit %d, stderr %s", code, errOut)
	}
	_, errOut, _ = runCLI(t, "offline", "--seed", "1", "-m", login, "random(edge_coverage(100))", "--record", t.TempDir())
	if errOut != "" {
		t.Errorf("a record written says nothing with logging off: %s", errOut)
	}
	_, errOut, code = runCLI(t, "offline", "--seed", "1", "-m", login, "random(edge_coverage(100))", "--record", filepath.Join(blocker, "dir"), "--record-required")
	if code != 2 || !strings.Contains(errOut, "not a directory") {
		t.Errorf("required: exit %d, stderr %s", code, errOut)
	}
	_, errOut, code = runCLI(t, "replay")
	if code != 1 || !strings.Contains(errOut, "gw replay takes one run record") {
		t.Errorf("replay without a record: exit %d: %s", code, errOut)
	}
	_, errOut, code = runCLI(t, "replay", filepath.Join(t.TempDir(), "nope.jsonl"))
	if code != 2 || !strings.Contains(errOut, "no such file") {
		t.Errorf("replay of a missing record: exit %d: %s", code, errOut)
	}
}

// A failing walk's record replays to the same failure.
func TestReplayFailure(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "m.json")
	os.WriteFile(model, []byte(`{"models":[{"name":"M","id":"m","startElementId":"v0","vertices":[{"id":"v0","name":"v_A"},{"id":"v1","name":"v_B"}],
"edges":[{"id":"e0","name":"e_Go","sourceVertexId":"v0","targetVertexId":"v1","actions":["n = (typeof n == 'undefined') ? 1 : n + 1; if (n == 5) throw new Error('broken at 5');"]},
{"id":"e1","name":"e_Back","sourceVertexId":"v1","targetVertexId":"v0"}]}]}`), 0o644)
	recs := filepath.Join(dir, "recs")
	out1, err1, code := runCLI(t, "offline", "-m", model, "random(never)", "--record", recs)
	if code != 2 || !strings.Contains(err1, "broken at 5") {
		t.Fatalf("offline: exit %d: %s", code, err1)
	}
	out2, err2, code := runCLI(t, "replay", onlyRecord(t, recs))
	if code != 2 || out2 != out1 || !strings.Contains(err2, "broken at 5") {
		t.Errorf("replay: exit %d, stdout same: %v, stderr %s", code, out1 == out2, err2)
	}
}

// A gw killed mid-run leaves a record that reads (its last line may be
// torn) and replays.
func TestKilledRecord(t *testing.T) {
	if os.Getenv("GW_KILL_HELPER") != "" {
		// The child: an endless walk, recorded.
		Main([]string{"offline", "-m", "testdata/conformance/models/upstream/io/json/Login.json", "random(never)", "--record", os.Getenv("GW_KILL_HELPER")},
			&Env{Stdout: devNull(t), Stderr: os.Stderr})
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledRecord$")
	cmd.Env = append(os.Environ(), "GW_KILL_HELPER="+dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		files, _ := filepath.Glob(filepath.Join(dir, "*.jsonl"))
		if len(files) == 1 {
			if st, err := os.Stat(files[0]); err == nil && st.Size() > 200<<10 {
				break
			}
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the child wrote no record in 20 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	file := onlyRecord(t, dir)
	rec, err := record.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if rec.End != nil || len(rec.Steps) < 100 {
		t.Fatalf("killed record: %d steps, end %v", len(rec.Steps), rec.End)
	}
	for i, s := range rec.Steps {
		if s.N != i+1 {
			t.Fatalf("step %d numbered %d", i+1, s.N)
		}
	}
	out, errOut, code := runCLI(t, "replay", file)
	if code != 0 || strings.Count(out, "\n") != len(rec.Steps) {
		t.Errorf("replay of the killed record: exit %d, %d lines for %d steps: %s", code, strings.Count(out, "\n"), len(rec.Steps), errOut)
	}
	html := filepath.Join(dir, "report.html")
	out, errOut, code = runCLI(t, "report", file, "--html", html, "--markdown", "-")
	page, _ := os.ReadFile(html)
	if code != 0 || !strings.Contains(out, "unfinished") || !strings.Contains(string(page), "the process was killed or crashed") {
		t.Errorf("report of the killed record: exit %d: %s\n%s", code, errOut, out)
	}
}

func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	recs := filepath.Join(dir, "recs")
	login := "testdata/conformance/models/upstream/io/json/Login.json"
	for _, seed := range []string{"1", "2"} {
		if _, errOut, code := runCLI(t, "offline", "--seed", seed, "-m", login, "random(length(30))", "--record", recs); code != 0 {
			t.Fatal(errOut)
		}
	}
	files, _ := filepath.Glob(filepath.Join(recs, "*.jsonl"))
	out, errOut, code := runCLI(t, append([]string{"report"}, files...)...)
	if code != 0 || !strings.Contains(out, "### gw run report: 2 run(s), all passed") || !strings.Contains(out, "Coverage merged over 2 runs") {
		t.Errorf("default Markdown: exit %d %s\n%s", code, errOut, out)
	}
	html, junit, md := filepath.Join(dir, "r.html"), filepath.Join(dir, "r.xml"), filepath.Join(dir, "r.md")
	out, errOut, code = runCLI(t, append([]string{"report", "--html", html, "--junit", junit, "--markdown", md}, files...)...)
	if code != 0 || out != "" {
		t.Errorf("files: exit %d, stdout %q, stderr %s", code, out, errOut)
	}
	for _, f := range []string{html, junit, md} {
		if st, err := os.Stat(f); err != nil || st.Size() < 100 {
			t.Errorf("%s: %v", f, err)
		}
	}
	_, errOut, code = runCLI(t, "report")
	if code != 1 || !strings.Contains(errOut, "gw report needs at least one run record") {
		t.Errorf("no record: exit %d %s", code, errOut)
	}
	_, errOut, code = runCLI(t, "report", login)
	if code != 2 || !strings.Contains(errOut, "not a gw run record") {
		t.Errorf("a model given as a record: exit %d %s", code, errOut)
	}
	_, errOut, code = runCLI(t, "report", files[0], "--html", filepath.Join(dir, "no", "such", "dir.html"))
	if code != 2 || !strings.Contains(errOut, "Could not write the file") {
		t.Errorf("unwritable report: exit %d %s", code, errOut)
	}
}

func devNull(t *testing.T) *os.File {
	f, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// gw shrink on a model with guards: the shrunk walk replays, and as a
// model gw offline walks it with predefined_path to the same failure.
func TestShrinkCommand(t *testing.T) {
	dir := t.TempDir()
	// Login.json whose e_Exit fails once the user logged in with
	// remember-me on: only a walk through e_ToggleRememberMe and
	// e_ValidPremiumCredentials gets there (guards on e_StartClient read
	// both). The README shows this example.
	model := "testdata/record/login-remember-me.json"
	recs := filepath.Join(dir, "recs")
	if _, errOut, code := runCLI(t, "offline", "--seed", "4", "-m", model, "random(length(5000))", "--record", recs); code != 2 || !strings.Contains(errOut, "exit with remember-me crashed") {
		t.Fatalf("the walk did not fail: %d %s", code, errOut)
	}
	out := filepath.Join(dir, "short.jsonl")
	stdout, errOut, code := runCLI(t, "shrink", onlyRecord(t, recs), "-o", out)
	want := "e_Init v_ClientNotRunning e_StartClient v_LoginPrompted e_ToggleRememberMe v_LoginPrompted e_ValidPremiumCredentials v_Browse e_Exit"
	if code != 0 || !strings.Contains(stdout, " steps → 9 steps (proven shortest") || !strings.Contains(stdout, "walk: "+want+"\n") ||
		!strings.Contains(stdout, "happens again") {
		t.Fatalf("shrink: exit %d\n%s%s", code, stdout, errOut)
	}
	names := func(lines string) string {
		var out []string
		for _, l := range strings.Split(strings.TrimSpace(lines), "\n") {
			out = append(out, strings.TrimSuffix(strings.TrimPrefix(l, `{"currentElementName":"`), `"}`))
		}
		return strings.Join(out, " ")
	}
	got, errOut, code := runCLI(t, "offline", "-m", filepath.Join(dir, "short.model.json"), "predefined_path(predefined_path)")
	if code != 2 || names(got) != want || !strings.Contains(errOut, "exit with remember-me crashed") {
		t.Errorf("predefined path: exit %d, walked %q: %s", code, names(got), errOut)
	}
	got, errOut, code = runCLI(t, "replay", out)
	if code != 2 || names(got) != want || !strings.Contains(errOut, "exit with remember-me crashed") {
		t.Errorf("replay of the shrunk record: exit %d, walked %q: %s", code, names(got), errOut)
	}
	_, errOut, code = runCLI(t, "shrink", onlyRecord(t, recs), "--max-states", "0")
	if code != 1 || !strings.Contains(errOut, "--max-states must be at least 1") {
		t.Errorf("bad --max-states: %d %s", code, errOut)
	}
}

// The helpers gw online uses for --record and --replay.
func TestOnlineHelpers(t *testing.T) {
	opts := &optionSet{}
	addRecordOptions(opts)
	addReplayOption(opts)
	dir := t.TempDir()
	if _, err := opts.parse([]string{"--record", dir, "--replay", "testdata/none.jsonl"}, false); err != nil {
		t.Fatal(err)
	}
	env := &Env{Log: newLogger(os.Stderr, 0, true)}
	if obs, err := onlineRecorder(env, opts, env.Log); err != nil || obs == nil {
		t.Errorf("--record: %v %v", obs, err)
	}
	if _, err := onlineReplay(opts); err == nil || !strings.Contains(err.Error(), "--replay") {
		t.Errorf("--replay of a missing file: %v", err)
	}
	none := &optionSet{}
	addRecordOptions(none)
	addReplayOption(none)
	if obs, err := onlineRecorder(env, none, env.Log); obs != nil || err != nil {
		t.Errorf("without --record: %v %v", obs, err)
	}
	if once, err := onlineReplay(none); once != nil || err != nil {
		t.Errorf("without --replay: %v %v", once, err)
	}
}

// gw offline --gw prints steps after their actions ran; the record says
// so and gw replay prints them the same way.
func TestReplayGWMode(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join(dir, "petclinic.json")
	data, err := os.ReadFile("testdata/conformance/models/upstream/io/json/petClinic.json")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(doc, data, 0o644)
	want, errOut, code := runCLI(t, "offline", "--seed", "5", "--verbose", "--gw", doc, "--record", dir)
	if code != 0 {
		t.Fatal(errOut)
	}
	file := onlyRecord(t, dir)
	rec, err := record.ReadFile(file)
	if err != nil || rec.Header.Output == nil || !rec.Header.Output.After || !rec.Header.Output.Verbose {
		t.Fatalf("header output %+v %v", rec.Header.Output, err)
	}
	got, errOut, code := runCLI(t, "replay", file)
	if code != 0 || got != want {
		t.Errorf("replay: exit %d %s\n%.300s\nwant\n%.300s", code, errOut, got, want)
	}
}

// gw draw --record colours each element by the record's visit counts, on
// the record's own models or on the same models given with --model.
func TestDrawRecord(t *testing.T) {
	dir := t.TempDir()
	login := "testdata/conformance/models/upstream/io/json/Login.json"
	if _, errOut, code := runCLI(t, "offline", "--seed", "3", "-m", login, "random(edge_coverage(100))", "--record", dir); code != 0 {
		t.Fatal(errOut)
	}
	file := onlyRecord(t, dir)
	run, err := runreport.Summarize(file)
	if err != nil {
		t.Fatal(err)
	}
	want := run.Models[0].Visits
	for _, args := range [][]string{
		{"draw", "--record", file, "-f", "json"},
		{"draw", "-m", login, "--record", file, "-f", "json"},
	} {
		out, errOut, code := runCLI(t, args...)
		var scene struct{ Models []struct{ Visits []int } }
		if code != 0 || json.Unmarshal([]byte(out), &scene) != nil || len(scene.Models) != 1 {
			t.Fatalf("%v: exit %d %s", args, code, errOut)
		}
		if got := scene.Models[0].Visits; !slices.Equal(got, want) {
			t.Errorf("%v: visits %v, want %v", args, got, want)
		}
	}
	_, errOut, code := runCLI(t, "draw", "-m", "testdata/record/login-remember-me.json", "-m", td("json/PetClinic.json"), "--record", file)
	if code != 0 {
		t.Errorf("the record's model among others: exit %d %s", code, errOut)
	}
	_, errOut, code = runCLI(t, "draw", "-m", td("json/PetClinic.json"), "--record", file)
	if code != 2 || !strings.Contains(errOut, `the record's model "Login" is not among the models drawn`) {
		t.Errorf("another model: exit %d %s", code, errOut)
	}
	_, errOut, code = runCLI(t, "draw")
	if code != 1 || !strings.Contains(errOut, "[--model | -m]") {
		t.Errorf("neither --model nor --record: exit %d %s", code, errOut)
	}
}

// Records are read from regular files only: a FIFO or a device given as a
// record is refused at once, by every command that reads records.
func TestRecordNotRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.jsonl")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	for _, args := range [][]string{
		{"report", fifo}, {"replay", fifo}, {"shrink", fifo}, {"draw", "--record", fifo},
		{"report", "/dev/zero"}, {"replay", "/dev/zero"},
	} {
		done := make(chan struct{})
		var errOut string
		var code int
		go func() {
			defer close(done)
			_, errOut, code = runCLI(t, args...)
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("%v hangs", args)
		}
		if code != 2 || !strings.Contains(errOut, "is not a regular file") {
			t.Errorf("%v: exit %d %s", args, code, errOut)
		}
	}
}

// A record line over --max-file-size is an error that names the flag, in
// every command that reads records.
func TestRecordLineLimit(t *testing.T) {
	rec := "../../examples/records/login-passed.jsonl"
	for _, args := range [][]string{
		{"report", rec}, {"replay", rec}, {"shrink", rec, "-o", filepath.Join(t.TempDir(), "s.jsonl")}, {"draw", "--record", rec},
	} {
		_, errOut, code := runCLI(t, append(args, "--max-file-size", "1KiB")...)
		if code != 2 || !strings.Contains(errOut, "line 1: the line is longer than the limit of 1 KiB (raise it with --max-file-size)") {
			t.Errorf("%v: exit %d %s", args, code, errOut)
		}
		if _, errOut, code := runCLI(t, args...); code != 0 && args[0] != "shrink" {
			t.Errorf("%v within the limit: exit %d %s", args, code, errOut)
		}
	}
}
