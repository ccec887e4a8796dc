package runreport

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/golden"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/record"
	"github.com/gw-project/gw/internal/session"
)

// loginModels is Login.json with requirements on some elements.
func loginModels(t testing.TB, gen string) []*model.Model {
	t.Helper()
	data, err := os.ReadFile("testdata/models/Login.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := gwjson.Parse(data, "Login.json")
	if err != nil {
		t.Fatal(err)
	}
	m := doc.Models[0]
	m.Generator = gen
	m.ID = "login" // the file has none: it would get a random one
	set := func(name, req string) {
		for _, el := range m.ElementsNamed(name) {
			if m.IsVertex(el) {
				m.Vertex(el).Requirements = append(m.Vertex(el).Requirements, req)
			} else {
				m.Edge(el).Requirements = append(m.Edge(el).Requirements, req)
			}
		}
	}
	set("v_Browse", "UC01 browse")
	set("e_Logout", "UC02 logout")
	set("e_InvalidCredentials", "UC03 bad password")
	m.Requirements = []string{"UC00 login model"}
	return doc.Models
}

// offlineRecord walks models as gw offline does, recording into dir.
func offlineRecord(t testing.TB, dir string, seed int64, models []*model.Model) string {
	t.Helper()
	r := record.NewRun(record.Options{Dir: dir, GW: "test", DataShare: -1},
		record.Info{Service: "offline", Command: []string{"gw", "offline", "--seed", fmt.Sprint(seed), "-m", "Login.json", models[0].Generator}})
	mo := machine.Options{Seed: seed, HasSeed: true}
	mo.Before = r.Hook(nil)
	m, err := machine.New(models, mo)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := r.Start(m); err != nil {
		t.Fatal(err)
	}
	var werr error
	for {
		more, err := m.HasNext()
		if err != nil || !more {
			werr = err
			break
		}
		if _, werr = m.Next(); werr != nil {
			break
		}
	}
	r.Finish(werr)
	return r.Path()
}

// onlineRecord drives a REST-like session: a few steps, a setData, more
// steps, a fail.
func onlineRecord(t testing.TB, dir string) string {
	t.Helper()
	hub := session.NewHub()
	hub.Observe(record.NewObserver(record.Options{Dir: dir, GW: "test", DataShare: -1}))
	s := hub.Open(session.Info{Service: "rest", Client: "127.0.0.1:4242", Dialect: "rest"})
	models := loginModels(t, "random(edge_coverage(100))")
	m, err := machine.New(models, machine.Options{Seed: 7, HasSeed: true})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	s.Lock()
	s.SetMachine(m, session.Start{Models: models, Seed: 7, Source: "POST /graphwalker/load"})
	s.Unlock()
	step := func(n int) {
		for range n {
			s.Lock()
			s.BeforeStep(context.Background())
			st, err := m.Next()
			s.AfterStep(m, st, err, 0)
			s.Unlock()
		}
	}
	step(6)
	s.Lock()
	err = m.Execute("rememberMe = true;")
	s.Note(m, "setData", "rememberMe = true;", err)
	s.Unlock()
	step(5)
	s.Lock()
	m.Fail("the browse page shows no cart icon")
	s.Note(m, "fail", "the browse page shows no cart icon", nil)
	s.Unlock()
	s.Close("the client closed the connection")
	files, _ := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if len(files) != 1 {
		t.Fatalf("records %v", files)
	}
	return files[0]
}

var (
	timeRe  = regexp.MustCompile(`"t":[0-9.]+`)
	startRe = regexp.MustCompile(`"start":"[^"]*"`)
)

// normalize makes a record reproducible: a fixed start, and each line's
// time its line number (in ms).
func normalize(b []byte) []byte {
	lines := strings.SplitAfter(string(b), "\n")
	for i := range lines {
		lines[i] = startRe.ReplaceAllString(lines[i], `"start":"2026-01-02T03:04:05Z"`)
		lines[i] = timeRe.ReplaceAllString(lines[i], fmt.Sprintf(`"t":%d`, i*3))
	}
	return []byte(strings.Join(lines, ""))
}

// TestGoldenRecords writes the records the report tests read (go test
// -update rewrites them): a passed offline run, an offline run that ends
// in a script error, an online run with setData and a fail, and a run
// whose process was killed (no end line, a torn last line).
func TestGoldenRecords(t *testing.T) {
	dir := t.TempDir()
	broken := loginModels(t, "random(length(300))")
	for _, el := range broken[0].ElementsNamed("e_Logout") {
		broken[0].Edge(el).Actions = []string{"if (rememberMe) throw new Error('logout with remember-me crashed');"}
	}
	passed := normalize(read(t, offlineRecord(t, filepath.Join(dir, "a"), 102, loginModels(t, "random(edge_coverage(100))"))))
	records := map[string][]byte{
		"login-passed": passed,
		"login-error":  normalize(read(t, offlineRecord(t, filepath.Join(dir, "b"), 3, broken))),
		"login-online": normalize(read(t, onlineRecord(t, filepath.Join(dir, "c")))),
	}
	lines := strings.SplitAfter(string(passed), "\n")
	n := len(lines) - 1 // the last element is ""
	records["login-killed"] = []byte(strings.Join(lines[:n-2], "") + lines[n-2][:25])
	for name, b := range records {
		golden.Check(t, "testdata/records/"+name+".jsonl", b)
	}
	for name, want := range map[string]string{"login-passed": "passed", "login-error": "failed", "login-online": "failed"} {
		rec, err := record.Read(strings.NewReader(string(records[name])), name)
		if err != nil {
			t.Fatal(err)
		}
		if rec.End == nil || rec.End.Verdict != want {
			t.Errorf("%s: end %+v", name, rec.End)
		}
	}
	if !strings.Contains(string(records["login-error"]), `"entered":true`) {
		t.Error("the error record's failure is not in an action")
	}
}

func read(t testing.TB, file string) []byte {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
