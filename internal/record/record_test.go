package record

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/session"
)

// login is a small model with a guard, actions and requirements:
// v_Start -e_Login-> v_Home -e_Logout-> v_Start, e_Home loops on v_Home
// while n < 3.
func login(t testing.TB, gen string) *model.Model {
	t.Helper()
	m := &model.Model{Name: "Login", ID: "login", Generator: gen, Actions: []string{"n = 0; user = 'ann';"}}
	start := &model.Vertex{ID: "v0", Name: "v_Start", Requirements: []string{"R1"}}
	home := &model.Vertex{ID: "v1", Name: "v_Home", Requirements: []string{"R2"}}
	m.Vertices = []*model.Vertex{start, home}
	m.Edges = []*model.Edge{
		{ID: "e0", Name: "e_Login", Source: start, Target: home, Actions: []string{"n = n + 1;"}},
		{ID: "e1", Name: "e_Logout", Source: home, Target: start},
		{ID: "e2", Name: "e_Home", Source: home, Target: home, Guard: "n < 3", Requirements: []string{"R3"}},
	}
	m.StartElementID = "v0"
	if err := m.Index(); err != nil {
		t.Fatal(err)
	}
	return m
}

// walk runs the models to their end, recording into dir; it returns the
// path taken.
func walk(t testing.TB, dir string, o Options, models ...*model.Model) ([]string, string, error) {
	t.Helper()
	var path []string
	file, err := walkWith(dir, o, 7, func(s machine.Step) { path = append(path, s.Model().ElementName(s.Element)) }, "", models...)
	if file == "" && err != nil {
		t.Fatal(err)
	}
	return path, file, err
}

func TestRunRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path, file, err := walk(t, dir, Options{GW: "test", DataShare: -1}, login(t, "random(edge_coverage(100))"))
	if err != nil {
		t.Fatal(err)
	}
	rec, err := ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	h := rec.Header
	if h.RecordVersion != Version || h.GW != "test" || h.GraphWalker != GraphWalker || h.Seed != 7 || h.Service != "offline" ||
		len(h.Models) != 1 || h.Models[0].Generator != "random(edge_coverage(100))" || !strings.HasPrefix(h.Models[0].Digest, "sha256:") {
		t.Errorf("header %+v", h)
	}
	if d, _ := Digest(rec.Models[0]); d != h.Models[0].Digest {
		t.Errorf("the model read back has digest %s, the header says %s", d, h.Models[0].Digest)
	}
	if len(rec.Steps) != len(path) {
		t.Fatalf("%d steps recorded, %d taken", len(rec.Steps), len(path))
	}
	visits := map[int32]int32{}
	n := -1
	for i, s := range rec.Steps {
		name := rec.Models[0].ElementName(int(s.Element))
		visits[s.Element]++
		if s.N != i+1 || name != path[i] || s.Visits != visits[s.Element] {
			t.Fatalf("step %d: %+v (%s), want n=%d %s visits %d", i, s, name, i+1, path[i], visits[s.Element])
		}
		if name == "e_Login" {
			if !s.HasData {
				t.Fatalf("step %d: e_Login ran an action but has no data", i)
			}
			got := dataString(s.Data)
			n++
			_ = n
			if !strings.HasPrefix(got, "n=") || !strings.Contains(got, "user=ann") {
				t.Errorf("data %s", got)
			}
		}
	}
	if !rec.Steps[0].HasData {
		t.Error("the first step has no data (INIT actions ran)")
	}
	if rec.End == nil || rec.End.Verdict != Passed || rec.End.N != len(path) || len(rec.End.Models) != 1 ||
		rec.End.Models[0].Status != "COMPLETED" || rec.End.Models[0].VisitedEdges != 3 {
		t.Errorf("end %+v", rec.End)
	}
	if rec.Torn {
		t.Error("torn")
	}
}

func dataString(d Data) string {
	var parts []string
	for _, kv := range d {
		parts = append(parts, kv.Key+"="+kv.Value)
	}
	return strings.Join(parts, ",")
}

func TestRunFailure(t *testing.T) {
	m := login(t, "random(length(40))")
	m.Edges[1].Actions = []string{"if (n == 2) throw new Error('logout broken');"}
	_, file, err := walk(t, t.TempDir(), Options{}, m)
	if err == nil || !strings.Contains(err.Error(), "logout broken") {
		t.Fatalf("walk error %v", err)
	}
	rec, err := ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Events) != 1 {
		t.Fatalf("events %+v", rec.Events)
	}
	ev := rec.Events[0]
	last := rec.Steps[len(rec.Steps)-1]
	if ev.Type != "error" || !ev.Entered || ev.Element != 3 || ev.N != last.N+1 || !strings.Contains(ev.Text, "logout broken") {
		t.Errorf("error line %+v after %+v", ev, last)
	}
	if rec.End.Verdict != Failed || rec.End.Models[0].Status != "FAILED" {
		t.Errorf("end %+v", rec.End)
	}
	for _, r := range rec.End.Models[0].Requirements {
		if r.Key == "R2" && r.Status != "FAILED" && r.Status != "PASSED" {
			t.Errorf("requirement %+v", r)
		}
	}
}

func TestRunTimeoutIsALimit(t *testing.T) {
	m := login(t, "random(length(40))")
	m.Edges[1].Actions = []string{"while (true) {}"}
	dir := t.TempDir()
	r := NewRun(Options{Dir: dir}, Info{Service: "offline"})
	mo := machine.Options{Seed: 7, HasSeed: true}
	mo.Script.Timeout = 50 * time.Millisecond
	mo.Before = r.Hook(nil)
	mm, err := machine.New([]*model.Model{m}, mo)
	if err != nil {
		t.Fatal(err)
	}
	defer mm.Close()
	r.Start(mm)
	var werr error
	for werr == nil {
		_, werr = mm.Next()
	}
	r.Finish(werr)
	rec, err := ReadFile(r.Path())
	if err != nil {
		t.Fatal(err)
	}
	if rec.End.Verdict != Limit || !strings.Contains(rec.End.Reason, "--script-timeout") {
		t.Errorf("end %+v", rec.End)
	}
}

// A write error is logged once and the run goes on; with Required the
// machine stops with it.
func TestWriteErrors(t *testing.T) {
	for _, required := range []bool{false, true} {
		var logs bytes.Buffer
		o := Options{Dir: t.TempDir(), Required: required, Log: newTextLogger(&logs)}
		r := NewRun(o, Info{Service: "offline"})
		mo := machine.Options{Seed: 1, HasSeed: true}
		mo.Before = r.Hook(nil)
		m, err := machine.New([]*model.Model{login(t, "random(never)")}, mo)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Start(m); err != nil {
			t.Fatal(err)
		}
		r.a.f.f.Close() // the disk goes away
		var werr error
		steps := 0
		deadline := time.Now().Add(5 * time.Second)
		for werr == nil && steps < 30000 && time.Now().Before(deadline) {
			_, werr = m.Next()
			steps++
			if steps%1000 == 0 {
				time.Sleep(time.Millisecond) // let the writer drain
			}
		}
		ferr := r.Finish(werr)
		m.Close()
		if n := strings.Count(logs.String(), "write failed"); n != 1 {
			t.Errorf("required=%v: %d log lines about the failure:\n%s", required, n, logs.String())
		}
		var we *WriteError
		if required {
			if werr == nil || !errors.As(werr, &we) || !errors.As(ferr, &we) {
				t.Errorf("required: the walk went on (%d steps, %v, %v)", steps, werr, ferr)
			}
		} else if werr != nil || ferr != nil {
			t.Errorf("not required: the walk stopped: %v %v", werr, ferr)
		}
	}
}

func TestReaderErrors(t *testing.T) {
	dir := t.TempDir()
	_, file, err := walk(t, dir, Options{}, login(t, "random(edge_coverage(100))"))
	if err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(file)
	lines := strings.SplitAfter(string(good), "\n")
	header := lines[0]
	cases := []struct {
		name, text, want string
	}{
		{"empty", "", "empty"},
		{"not a record", `{"currentElementName":"v_Start"}` + "\n", "not a gw run record"},
		{"newer", strings.Replace(header, `"recordVersion":1`, `"recordVersion":2`, 1), "newer gw"},
		{"cut header", header[:len(header)/2], "header line is cut short"},
		{"bad middle line", header + "{\"type\":\"step\",\n" + lines[1], "line 2"},
		{"unknown element", header + `{"type":"step","n":1,"model":0,"id":"nope","name":"x","visits":1,"t":0}` + "\n", `element id "nope"`},
		{"unknown model", header + `{"type":"step","n":1,"model":3,"id":"v0","name":"x","visits":1,"t":0}` + "\n", "model 3 does not exist"},
	}
	for _, c := range cases {
		_, err := Read(strings.NewReader(c.text), "r.jsonl")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	// A torn last line is skipped and reported.
	cut := strings.Join(lines[:len(lines)-2], "") + lines[len(lines)-2][:10]
	rec, err := Read(strings.NewReader(cut), "r.jsonl")
	if err != nil || !rec.Torn || rec.End != nil || len(rec.Steps) == 0 {
		t.Errorf("torn record: %v torn=%v end=%v", err, rec != nil && rec.Torn, rec != nil && rec.End != nil)
	}
	// A missing final newline on a whole line is fine.
	rec, err = Read(strings.NewReader(strings.TrimSuffix(string(good), "\n")), "r.jsonl")
	if err != nil || rec.Torn || rec.End == nil {
		t.Errorf("unterminated last line: %v", err)
	}
}

// owner steps a session's machine as a server does.
func owner(s *session.Session, n int) error {
	for range n {
		s.Lock()
		if err := s.BeforeStep(context.Background()); err != nil {
			s.Unlock()
			return err
		}
		m := s.Machine()
		more, err := m.HasNext()
		if err != nil || !more {
			s.Unlock()
			return err
		}
		st, err := m.Next()
		s.AfterStep(m, st, err, 0)
		s.Unlock()
		if err != nil {
			return err
		}
	}
	return nil
}

func TestObserver(t *testing.T) {
	dir := t.TempDir()
	hub := session.NewHub()
	obs := NewObserver(Options{Dir: dir, GW: "test", DataShare: -1})
	hub.Observe(obs)
	s := hub.Open(session.Info{Service: "rest", Client: "127.0.0.1:9"})
	start := func(gen string) *machine.Machine {
		m, err := machine.New([]*model.Model{login(t, gen)}, machine.Options{Seed: 3, HasSeed: true})
		if err != nil {
			t.Fatal(err)
		}
		s.Lock()
		s.SetMachine(m, session.Start{Models: []*model.Model{m.Contexts()[0].Model()}, Seed: 3, Source: "load"})
		s.Unlock()
		return m
	}
	m1 := start("random(never)")
	defer m1.Close()
	if err := owner(s, 5); err != nil {
		t.Fatal(err)
	}
	s.Lock()
	err := m1.Execute("n = 10;")
	s.Note(m1, "setData", "n = 10;", err)
	m1.Fail("the page did not load")
	s.Note(m1, "fail", "the page did not load", nil)
	s.Unlock()
	m2 := start("random(edge_coverage(100))") // a restart: a second record
	defer m2.Close()
	if err := owner(s, 100); err != nil {
		t.Fatal(err)
	}
	s.Close("client left")

	files, _ := filepath.Glob(filepath.Join(dir, "*-rest-*.jsonl"))
	if len(files) != 2 {
		t.Fatalf("records %v", files)
	}
	var recs []*Record
	for _, f := range files {
		rec, err := ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, rec)
	}
	if recs[0].Header.Start > recs[1].Header.Start {
		recs[0], recs[1] = recs[1], recs[0]
	}
	r1, r2 := recs[0], recs[1]
	if r1.Header.Service != "rest" || r1.Header.Client != "127.0.0.1:9" || r1.Header.Source != "load" || r1.Header.Seed != 3 {
		t.Errorf("header %+v", r1.Header)
	}
	if len(r1.Steps) != 5 || len(r1.Events) != 2 || r1.Events[0].Type != "setData" || r1.Events[0].N != 5 ||
		dataString(r1.Events[0].Data) != "n=10,user=ann" || r1.Events[1].Type != "fail" || r1.Events[1].Text != "the page did not load" ||
		r1.Events[1].Element != int(r1.Steps[4].Element) {
		t.Errorf("first record: steps %d events %+v", len(r1.Steps), r1.Events)
	}
	if r1.End == nil || r1.End.Verdict != Failed {
		t.Errorf("first record's end %+v", r1.End)
	}
	if r2.End == nil || r2.End.Verdict != Passed || r2.End.N != len(r2.Steps) {
		t.Errorf("second record's end %+v (%d steps)", r2.End, len(r2.Steps))
	}
}

// observed opens a WebSocket session on a hub that obs records and walks
// three steps of the login model in it; it returns the session and the
// record's path.
func observed(t *testing.T, obs *Observer) (*session.Session, string) {
	t.Helper()
	hub := session.NewHub()
	hub.Observe(obs)
	s := hub.Open(session.Info{Service: "websocket"})
	m, err := machine.New([]*model.Model{login(t, "random(never)")}, machine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	s.Lock()
	s.SetMachine(m, session.Start{})
	s.Unlock()
	owner(s, 3)
	files, _ := filepath.Glob(filepath.Join(obs.opts.Dir, "*.jsonl"))
	if len(files) != 1 {
		t.Fatalf("records %v", files)
	}
	return s, files[0]
}

func TestObserverStopped(t *testing.T) {
	s, file := observed(t, NewObserver(Options{Dir: t.TempDir()}))
	s.Close("client went away")
	rec, err := ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if rec.End == nil || rec.End.Verdict != Stopped || !strings.Contains(rec.End.Reason, "client went away") {
		t.Errorf("end %+v", rec.End)
	}
}

// Online lines reach the file within the flush interval, while the
// session is still open (a killed service loses at most that much).
func TestObserverFlushes(t *testing.T) {
	obs := NewObserver(Options{Dir: t.TempDir()})
	_, file := observed(t, obs)
	deadline := time.Now().Add(2 * time.Second)
	for {
		rec, err := ReadFile(file)
		if err == nil && len(rec.Steps) == 3 && rec.End == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the steps did not reach the file: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	obs.Close()
	rec, err := ReadFile(file)
	if err != nil || rec.End == nil || rec.End.Verdict != Stopped || !strings.Contains(rec.End.Reason, "shut down") {
		t.Errorf("after Close: %v %+v", err, rec.End)
	}
}

// A setData that fails is recorded with its error.
func TestSetDataError(t *testing.T) {
	dir := t.TempDir()
	r := NewRun(Options{Dir: dir, DataShare: -1}, Info{Service: "test"})
	mo := machine.Options{Seed: 1, HasSeed: true}
	mo.Before = r.Hook(nil)
	m, err := machine.New([]*model.Model{login(t, "random(never)")}, mo)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	r.Start(m)
	m.Next()
	r.Settle()
	err = m.Execute("n = ;")
	r.Note("setData", "n = ;", err)
	r.Finish(nil)
	rec, err := ReadFile(r.Path())
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Events) != 1 || rec.Events[0].Error == "" || !rec.Events[0].HasData || rec.Events[0].N != 1 {
		t.Errorf("%+v", rec.Events)
	}
}

// The writer goroutine writes the header: an error there (a model whose
// JSON cannot be written) is a write error, logged once, and stops the
// run only with Required.
func TestHeaderErrorIsAWriteError(t *testing.T) {
	for _, required := range []bool{false, true} {
		var logs bytes.Buffer
		r := NewRun(Options{Dir: t.TempDir(), Required: required, Log: newTextLogger(&logs)}, Info{Service: "offline"})
		mod := login(t, "random(length(3000))")
		mod.Properties = model.Properties{{Key: "bad", Value: struct{}{}}}
		mo := machine.Options{Seed: 1, HasSeed: true}
		mo.Before = r.Hook(nil)
		m, err := machine.New([]*model.Model{mod}, mo)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Start(m); err != nil {
			t.Fatal(err)
		}
		var werr error
		for i := 0; werr == nil && i < 3000; i++ {
			if i%500 == 0 {
				time.Sleep(5 * time.Millisecond) // the writer's turn
			}
			_, werr = m.Next()
		}
		ferr := r.Finish(werr)
		m.Close()
		if n := strings.Count(logs.String(), `bad`); n != 1 {
			t.Errorf("required=%v: %d log lines about the header:\n%s", required, n, logs.String())
		}
		var we *WriteError
		if required != (werr != nil && errors.As(werr, &we) && errors.As(ferr, &we)) {
			t.Errorf("required=%v: walk error %v, Finish %v", required, werr, ferr)
		}
	}
}
