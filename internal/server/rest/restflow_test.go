package rest

import (
	"fmt"
	"github.com/gw-project/gw/internal/script"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/jsonx"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/report"
)

// TestRestAPIModel walks testdata/RestAPI.json, a model of the REST API
// (GraphWalker's RestFlow extended with errors, fail, restart and
// exhaustion), with gw's own engine and random(edge_coverage(100)). Each
// step calls a real server on a loopback port and compares every reply
// byte for byte with what a mirror machine, built in the test from the
// same model and seed, says the reply must be.
func TestRestAPIModel(t *testing.T) {
	seeds := []int64{1, 2, 3, 20260101}
	if testing.Short() {
		seeds = seeds[:1]
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			f := newFlow(t, seed)
			doc, err := gwjson.Parse(readFile(t, "RestAPI.json"), "RestAPI.json")
			if err != nil {
				t.Fatal(err)
			}
			walker, err := machine.New(doc.Models, machine.Options{Seed: seed, HasSeed: true})
			if err != nil {
				t.Fatal(err)
			}
			defer walker.Close()
			steps := 0
			for {
				more, err := walker.HasNext()
				if err != nil {
					t.Fatal(err)
				}
				if !more {
					break
				}
				step, err := walker.Next()
				if err != nil {
					t.Fatal(err)
				}
				steps++
				name := step.Model().ElementName(step.Element)
				f.path = append(f.path, name)
				f.run(name)
				if t.Failed() {
					tail := f.path[max(0, len(f.path)-40):]
					t.Fatalf("failed at step %d; the last steps: %s", steps, strings.Join(tail, " "))
				}
			}
			st := Count(walker)
			if st.UnvisitedEdges != 0 {
				t.Errorf("the walk left %d edges of RestAPI.json unvisited", st.UnvisitedEdges)
			}
			t.Logf("%d steps, %d requests", steps, f.requests)
		})
	}
}

// flow is the test harness behind RestAPI.json: the server, what the test
// knows about it, and the mirror machine.
type flow struct {
	t        *testing.T
	ts       *testServer
	opts     Options
	rnd      *rand.Rand
	uc01     []byte
	mirror   *machine.Machine
	seed     int64
	steps    report.StepOptions
	timeout  time.Duration
	n        map[string]int // per element, how often it ran (rotates variants)
	path     []string
	requests int
}

func newFlow(t *testing.T, seed int64) *flow {
	timeout := 200 * time.Millisecond
	if raceEnabled {
		timeout = 500 * time.Millisecond // a trivial step took over 200 ms under -race on a loaded machine
	}
	opts := Options{Verbose: true, Unvisited: true, Blocked: true, Script: script.Limits{Timeout: timeout}}
	f := &flow{
		t:       t,
		opts:    opts,
		ts:      newTestServer(t, opts),
		rnd:     rand.New(rand.NewPCG(uint64(seed), 7)),
		uc01:    readFile(t, "UC01.json"),
		steps:   report.StepOptions{Verbose: true, Unvisited: true, Result: true},
		timeout: timeout,
		n:       map[string]int{},
	}
	t.Cleanup(func() {
		if f.mirror != nil {
			f.mirror.Close()
		}
	})
	return f
}

func (f *flow) do(method, path, body string) (int, string) {
	f.requests++
	return f.ts.do(method, path, body)
}

func (f *flow) must(method, path, body, want string) {
	f.t.Helper()
	f.requests++
	f.ts.must(method, path, body, want)
}

func nok(msg string) string { return string(appendNok(nil, msg)) }

// run performs the element's requests and checks.
func (f *flow) run(name string) {
	f.t.Helper()
	k := f.n[name]
	f.n[name]++
	switch name {
	case "v_EmptyMachine":
		f.must("GET", "/graphwalker/hasNext", "", nok(msgNoModelsHint))
	case "e_CallBeforeLoad":
		for _, c := range []struct{ method, path string }{
			{"GET", "/graphwalker/hasNext"}, {"GET", "/graphwalker/getNext"},
			{"GET", "/graphwalker/getData"}, {"PUT", "/graphwalker/setData/x=1"},
			{"PUT", "/graphwalker/fail/" + quote("Error message.")}, {"GET", "/graphwalker/getStatistics"},
		} {
			f.must(c.method, c.path, "", nok(msgNoModelsHint))
		}
		// GraphWalker's ResetTest compares this one exactly.
		f.must("PUT", "/graphwalker/restart", "", `{"result":"nok","error":"No model(s) are loaded."}`)
	case "e_StartNewService":
		// As AltWalker does between runs: kill the service, start another.
		f.ts.http.Close()
		f.ts.srv.Close()
		f.ts = newTestServer(f.t, f.opts)
		f.mirror.Close()
		f.mirror = nil
	case "e_Load":
		f.load(k)
	case "e_LoadInvalid":
		f.loadInvalid(k)
	case "e_BadRequest":
		f.badRequest(k)

	case "v_Loaded":
		// RestTest's assertions at v_RestRunning, plus the whole object.
		s := f.statistics()
		for key, want := range map[string]float64{
			"edgeCoverage": 0, "totalNumberOfVisitedEdges": 0, "totalNumberOfVisitedVertices": 0,
			"totalNumberOfVertices": 7, "totalNumberOfEdges": 12, "totalNumberOfUnvisitedVertices": 7,
			"vertexCoverage": 0, "totalNumberOfUnvisitedEdges": 12,
		} {
			if s[key] != want {
				f.t.Errorf("v_Loaded: getStatistics %s = %v, want %v", key, s[key], want)
			}
		}
	case "v_Walking":
		f.statistics()
	case "v_Failed":
		s := f.statistics()
		if s["totalFailedNumberOfModels"] != 1.0 {
			f.t.Errorf("v_Failed: totalFailedNumberOfModels = %v, want 1", s["totalFailedNumberOfModels"])
		}
		f.hasNext()
	case "v_Exhausted":
		// UC01 can end FAILED: once num_of_books passes MAX_BOOKS the guard
		// of e_AddBookToCart closes for good, and if e10 was not covered
		// by then, gw's machine reports that coverage cannot progress.
		s := f.statistics()
		completed, failed := s["totalCompletedNumberOfModels"] == 1.0, s["totalFailedNumberOfModels"] == 1.0
		if completed == failed || completed && s["edgeCoverage"] != 100.0 {
			f.t.Errorf("v_Exhausted: completed %v, failed %v, edgeCoverage %v; want completed with 100%% or failed", completed, failed, s["edgeCoverage"])
		}
		if f.hasNext() {
			f.t.Errorf("v_Exhausted: hasNext is true")
		}

	case "e_HasNext":
		f.hasNext()
	case "e_GetNext":
		first := pristine(f.mirror)
		body := f.getNext()
		if first {
			// RestTest's assertions on the first getNext of UC01.
			s := decode(f.t, body)
			for key, want := range map[string]any{
				"numberOfElements": 19.0, "result": "ok", "modelName": "UC01", "currentElementID": "e0",
				"currentElementName": "e_init", "numberOfUnvisitedElements": 18.0,
			} {
				if s[key] != want {
					f.t.Errorf("first getNext: %s = %v, want %v", key, s[key], want)
				}
			}
		}
	case "e_GetData":
		f.getData()
	case "e_GetStatistics":
		f.statistics()
	case "e_SetData":
		f.setData(k)
	case "e_SetDataThrows":
		script := []string{"undefinedFunction()", "x = ;", "throw new Error('boom')", "null.x"}[k%4]
		want := f.mirror.Execute(script)
		if want == nil {
			f.t.Fatalf("mirror: %q did not fail", script)
		}
		f.must("PUT", "/graphwalker/setData/"+quote(script), "", nok(want.Error()))
		f.getData()
	case "e_SetDataNeverEnds":
		f.neverEnds()
	case "e_Restart":
		f.must("PUT", "/graphwalker/restart", "", `{"result":"ok"}`)
		if !pristine(f.mirror) {
			f.mirror.Close()
			f.mirror = newMirror(f.t, f.parse(f.uc01), f.seed, f.timeout)
		}
		if !f.hasNext() {
			f.t.Errorf("hasNext is false right after restart")
		}
	case "e_FailBeforeStep":
		f.must("PUT", "/graphwalker/fail/"+quote("too early"), "", nok(msgFailBeforeStep))
	case "e_Fail":
		msg := []string{"", "Error message.", "Error message with URL: http://example.com/of/url",
			"Special charaters that should be encoded: $&+,/:;=?@<>#%{}|[]^~`"}[k%4]
		if msg == "" {
			msg = "Unknown error." // AltWalker's replacement for an empty message
		}
		f.mirror.Fail(msg)
		f.must("PUT", "/graphwalker/fail/"+quote(msg), "", string(appendNok(nil, "java.lang.Throwable: "+msg)))
	case "e_WalkToEnd":
		for i := 0; ; i++ {
			if i == 100000 {
				f.t.Fatal("e_WalkToEnd: hasNext still true after 100000 steps")
			}
			if !f.hasNext() {
				break
			}
			f.getNext()
		}
	default:
		f.t.Fatalf("RestAPI.json has an element %q the test does not know", name)
	}
}

func (f *flow) parse(body []byte) []*model.Model {
	f.t.Helper()
	doc, err := gwjson.ParseMessage(body, "load body")
	if err != nil {
		f.t.Fatal(err)
	}
	return doc.Models
}

// load loads UC01 with the seed in the query, in the body, or chosen by
// the server, and rebuilds the mirror with the seed the reply names.
func (f *flow) load(k int) {
	seed := f.rnd.Int64() - f.rnd.Int64()
	body, path := f.uc01, "/graphwalker/load"
	switch k % 3 {
	case 0:
		path += "?seed=" + strconv.FormatInt(seed, 10)
	case 1:
		body = []byte(strings.Replace(string(f.uc01), "{", fmt.Sprintf(`{"seed": %d,`, seed), 1))
	}
	status, reply := f.do("POST", path, string(body))
	r := decode(f.t, reply)
	if status != http.StatusOK || r["result"] != "ok" {
		f.t.Fatalf("load: %d %s", status, reply)
	}
	got, err := strconv.ParseInt(fmt.Sprint(r["seed"]), 10, 64)
	if err != nil {
		f.t.Fatalf("load: reply %s has no seed", reply)
	}
	if k%3 != 2 && got != seed {
		f.t.Fatalf("load: reply seed %d, want %d", got, seed)
	}
	if want := fmt.Sprintf(`{"result":"ok","seed":"%d"}`, got); reply != want {
		f.t.Fatalf("load: reply %s, want %s", reply, want)
	}
	if f.mirror != nil {
		f.mirror.Close()
	}
	f.seed = got
	f.mirror = newMirror(f.t, f.parse(body), got, f.timeout)
}

// loadInvalid sends a body that is not a usable model: nok, nothing changes
// (the vertex after it compares the whole state).
func (f *flow) loadInvalid(k int) {
	bodies := []struct{ body, want string }{
		{"", gwjson.NotValidMsg},
		{"not a model", "load body:1:1"},
		{"{}", gwjson.NotValidMsg},
		{`{"models":[]}`, "No start context found"},
		{string(readFile(f.t, "invalid.json")), "Invalid Model"},
		{strings.Replace(string(f.uc01), "random(edge_coverage(100))", "random(edge_coverage(100)", 1), "did not conform"},
		{strings.Replace(string(f.uc01), `"models"`, `"models": [], "x"`, 1), "load body"},
		{`{"models":[{"name":"M","generator":"random(never)","startElementId":"v","vertices":[{"id":"v"}],"actions":["x = ;"]}]}`, "SyntaxError"},
	}
	c := bodies[k%len(bodies)]
	status, reply := f.do("POST", "/graphwalker/load", c.body)
	r := decode(f.t, reply)
	errText, _ := r["error"].(string)
	if status != http.StatusOK || r["result"] != "nok" || !strings.Contains(errText, c.want) {
		f.t.Errorf("load %.60q: got %d %s, want 200 nok with an error containing %q", c.body, status, reply, c.want)
	}
}

func (f *flow) badRequest(k int) {
	cases := []struct {
		method, path string
		status       int
		want         string
	}{
		{"GET", "/graphwalker/inexistent", 404, "No such path: /graphwalker/inexistent"},
		{"GET", "/graphwalker/restart", 405, "Method GET is not allowed for /graphwalker/restart: use PUT"},
		{"POST", "/graphwalker/hasNext", 405, "use GET"},
		{"GET", "/graphwalker/load", 405, "use POST"},
		{"GET", "/graphwalker/hasnext", 404, "did you mean /graphwalker/hasNext?"},
		{"GET", "/", 404, "The REST API lives under /graphwalker/"},
		{"PUT", "/graphwalker/setData/", 404, "PUT /graphwalker/setData/<script>"},
		{"PUT", "/graphwalker/setData/a=1/2", 404, "percent-encode '/' as %2F"},
		{"GET", "/graphwalker/getNext/extra", 404, "takes no path argument"},
		{"DELETE", "/graphwalker/fail/x", 405, "use PUT"},
	}
	c := cases[k%len(cases)]
	status, reply := f.do(c.method, c.path, "")
	r := decode(f.t, reply)
	errText, _ := r["error"].(string)
	if status != c.status || r["result"] != "nok" || !strings.Contains(errText, c.want) {
		f.t.Errorf("%s %s: got %d %s, want %d nok containing %q", c.method, c.path, status, reply, c.status, c.want)
	}
}

func (f *flow) hasNext() bool {
	f.t.Helper()
	more, err := f.mirror.HasNext()
	if err != nil {
		f.must("GET", "/graphwalker/hasNext", "", nok(err.Error()))
		return false
	}
	f.must("GET", "/graphwalker/hasNext", "", fmt.Sprintf(`{"result":"ok","hasNext":"%t"}`, more))
	return more
}

func (f *flow) getNext() string {
	f.t.Helper()
	var want string
	if step, err := f.mirror.Next(); err != nil {
		want = nok(err.Error())
	} else {
		b, err := report.AppendStep(nil, step, f.steps)
		if err != nil {
			f.t.Fatal(err)
		}
		want = string(b)
	}
	f.must("GET", "/graphwalker/getNext", "", want)
	return want
}

func (f *flow) getData() {
	f.t.Helper()
	var o jsonx.Object
	kvs, err := f.mirror.Data()
	if err != nil {
		f.t.Fatal(err)
	}
	for _, kv := range kvs {
		o.Str(kv.Key, kv.Value)
	}
	f.must("GET", "/graphwalker/getData", "", `{"result":"ok","data":`+o.String()+`}`)
}

// statistics compares getStatistics with the mirror's and returns it.
func (f *flow) statistics() map[string]any {
	f.t.Helper()
	want := string(AppendStatistics(nil, f.mirror))
	f.must("GET", "/graphwalker/getStatistics", "", want)
	return decode(f.t, want)
}

// altwalkerValue is AltWalker's _normalize_data of a Python value.
func altwalkerValue(v any) string {
	switch v := v.(type) {
	case bool:
		return strconv.FormatBool(v)
	case string:
		return `"` + v + `"`
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return fmt.Sprint(v)
}

func (f *flow) setData(k int) {
	f.t.Helper()
	type kv struct {
		key     string
		value   any
		display string
	}
	cases := []kv{
		{"isUserLoggedIn", true, "true"}, {"isUserLoggedIn", false, "false"},
		{"message", "Test message.", "Test message."}, {"url", "url/example/", "url/example/"},
		{"count", 0, "0"}, {"count", 1, "1"}, {"count", 1.33, "1.33"}, {"count", -1, "-1"},
		{"global.count", 1.33, ""}, {"global.message", "Test message.", ""},
		{"num_of_books", 2, "2"}, {"MAX_BOOKS", 6, "6"},
	}
	if k%(len(cases)+1) == len(cases) {
		// RestTest's request, sent raw.
		if err := f.mirror.Execute("MAX_BOOKS=6;"); err != nil {
			f.t.Fatal(err)
		}
		f.must("PUT", "/graphwalker/setData/MAX_BOOKS=6;", "", `{"result":"ok"}`)
		return
	}
	c := cases[k%(len(cases)+1)]
	v := altwalkerValue(c.value)
	if err := f.mirror.Execute(c.key + "=" + v); err != nil {
		f.t.Fatal(err)
	}
	f.must("PUT", "/graphwalker/setData/"+quote(c.key)+"="+quote(v), "", `{"result":"ok"}`)
	if c.display != "" {
		_, body := f.do("GET", "/graphwalker/getData", "")
		data, _ := decode(f.t, body)["data"].(map[string]any)
		if data[c.key] != c.display {
			f.t.Errorf("setData %s=%s: getData gives %q, want %q", c.key, v, data[c.key], c.display)
		}
	}
}

// neverEnds sends a script that loops forever: it is cut at the script
// deadline, and a request sent meanwhile waits at most that long.
func (f *flow) neverEnds() {
	f.t.Helper()
	var wg sync.WaitGroup
	var other time.Duration
	var otherStatus int
	start := time.Now()
	wg.Add(1)
	go func() {
		defer wg.Done()
		time.Sleep(f.timeout / 4)
		t0 := time.Now()
		otherStatus, _ = f.ts.do("GET", "/graphwalker/getStatistics", "")
		other = time.Since(t0)
	}()
	status, reply := f.do("PUT", "/graphwalker/setData/"+quote("while(true){}"), "")
	took := time.Since(start)
	wg.Wait()
	r := decode(f.t, reply)
	if status != 200 || r["result"] != "nok" || !strings.Contains(fmt.Sprint(r["error"]), "deadline") {
		f.t.Errorf("setData while(true): got %d %s, want 200 nok naming the deadline", status, reply)
	}
	// Generous bounds: the script watchdog ticks every 10 ms and a loaded
	// test machine delays it; what matters is that the other request waits
	// for the endless script only.
	if took < f.timeout || took > f.timeout+5*time.Second {
		f.t.Errorf("setData while(true) took %v, want about the script deadline %v", took, f.timeout)
	}
	if otherStatus != 200 || other > took+time.Second {
		f.t.Errorf("a request during the endless script: status %d after %v, want 200 once the script (%v) is cut", otherStatus, other, took)
	}
}
