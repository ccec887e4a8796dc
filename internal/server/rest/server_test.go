package rest

import (
	"fmt"
	"github.com/gw-project/gw/internal/script"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestExactBodies checks replies byte for byte, as GraphWalker's RestTest
// and ResetTest do, for every combination of --verbose and --unvisited.
func TestExactBodies(t *testing.T) {
	uc01 := string(readFile(t, "UC01.json"))
	els := [][2]string{{"n1", "v_BrowserStarted"}, {"n2", "v_BaseURL"}, {"n3", "v_SearchResult"}, {"n4", "v_BrowserStopped"},
		{"n5", "v_BookInformation"}, {"n6", "v_OtherBoughtBooks"}, {"n7", "v_ShoppingCart"}, {"e1", "e_EnterBaseURL"},
		{"e2", "e_SearchBook"}, {"e3", "e_StartBrowser"}, {"e4", "e_ClickBook"}, {"e5", "e_AddBookToCart"},
		{"e6", "e_ShoppingCart"}, {"e7", "e_ShoppingCart"}, {"e8", "e_ShoppingCart"}, {"e9", "e_SearchBook"},
		{"e10", "e_SearchBook"}, {"e11", "e_SearchBook"}}
	var withIDs, names []string
	for _, e := range els {
		withIDs = append(withIDs, fmt.Sprintf(`{"elementId":%q,"elementName":%q}`, e[0], e[1]))
		names = append(names, fmt.Sprintf(`{"elementName":%q}`, e[1]))
	}
	unvisited18 := "[" + strings.Join(withIDs, ",") + "]"
	unvisitedNames := "[" + strings.Join(names, ",") + "]"
	actions := `[{"Action":" num_of_books = 0;"},{"Action":" MAX_BOOKS = 5;"}]`
	for _, c := range []struct {
		verbose, unvisited bool
		first              string
	}{
		{false, false, `{"result":"ok","currentElementName":"e_init"}`},
		{true, false, `{"result":"ok","modelName":"UC01","data":[{"num_of_books":"0"},{"MAX_BOOKS":"5"}],"currentElementID":"e0","currentElementName":"e_init","actions":` + actions + `,"properties":[]}`},
		{false, true, `{"result":"ok","numberOfElements":19,"numberOfUnvisitedElements":18,"currentElementName":"e_init","unvisitedElements":` + unvisitedNames + `}`},
		{true, true, `{"result":"ok","modelName":"UC01","data":[{"num_of_books":"0"},{"MAX_BOOKS":"5"}],"numberOfElements":19,"currentElementID":"e0","numberOfUnvisitedElements":18,"currentElementName":"e_init","unvisitedElements":` + unvisited18 + `,"actions":` + actions + `,"properties":[]}`},
	} {
		t.Run(fmt.Sprintf("verbose=%v,unvisited=%v", c.verbose, c.unvisited), func(t *testing.T) {
			ts := newTestServer(t, Options{Verbose: c.verbose, Unvisited: c.unvisited, Blocked: true})
			ts.must("PUT", "/graphwalker/restart", "", `{"result":"nok","error":"No model(s) are loaded."}`)
			ts.must("POST", "/graphwalker/load?seed=5", uc01, `{"result":"ok","seed":"5"}`)
			ts.must("PUT", "/graphwalker/restart", "", `{"result":"ok"}`)
			ts.must("GET", "/graphwalker/getStatistics", "", `{"totalFailedNumberOfModels":0,"totalNotExecutedNumberOfModels":1,"totalNumberOfUnvisitedVertices":7,"verticesNotVisited":[{"modelName":"UC01","vertexName":"v_BrowserStarted","vertexId":"n1"},{"modelName":"UC01","vertexName":"v_BaseURL","vertexId":"n2"},{"modelName":"UC01","vertexName":"v_SearchResult","vertexId":"n3"},{"modelName":"UC01","vertexName":"v_BrowserStopped","vertexId":"n4"},{"modelName":"UC01","vertexName":"v_BookInformation","vertexId":"n5"},{"modelName":"UC01","vertexName":"v_OtherBoughtBooks","vertexId":"n6"},{"modelName":"UC01","vertexName":"v_ShoppingCart","vertexId":"n7"}],"totalNumberOfModels":1,"totalCompletedNumberOfModels":0,"totalNumberOfVisitedEdges":0,"totalIncompleteNumberOfModels":0,"edgesNotVisited":[{"modelName":"UC01","edgeId":"e0","edgeName":"e_init"},{"modelName":"UC01","edgeId":"e1","edgeName":"e_EnterBaseURL"},{"modelName":"UC01","edgeId":"e2","edgeName":"e_SearchBook"},{"modelName":"UC01","edgeId":"e3","edgeName":"e_StartBrowser"},{"modelName":"UC01","edgeId":"e4","edgeName":"e_ClickBook"},{"modelName":"UC01","edgeId":"e5","edgeName":"e_AddBookToCart"},{"modelName":"UC01","edgeId":"e6","edgeName":"e_ShoppingCart"},{"modelName":"UC01","edgeId":"e7","edgeName":"e_ShoppingCart"},{"modelName":"UC01","edgeId":"e8","edgeName":"e_ShoppingCart"},{"modelName":"UC01","edgeId":"e9","edgeName":"e_SearchBook"},{"modelName":"UC01","edgeId":"e10","edgeName":"e_SearchBook"},{"modelName":"UC01","edgeId":"e11","edgeName":"e_SearchBook"}],"result":"ok","vertexCoverage":0,"totalNumberOfEdges":12,"totalNumberOfVisitedVertices":0,"edgeCoverage":0,"totalNumberOfVertices":7,"totalNumberOfUnvisitedEdges":12}`)
			ts.must("GET", "/graphwalker/hasNext", "", `{"result":"ok","hasNext":"true"}`)
			ts.must("GET", "/graphwalker/getData", "", `{"result":"ok","data":{}}`)
			ts.must("GET", "/graphwalker/getNext", "", c.first)
			ts.must("GET", "/graphwalker/getData", "", `{"result":"ok","data":{"num_of_books":"0","MAX_BOOKS":"5"}}`)
			ts.must("PUT", "/graphwalker/setData/MAX_BOOKS=6;", "", `{"result":"ok"}`)
			ts.must("GET", "/graphwalker/getData", "", `{"result":"ok","data":{"num_of_books":"0","MAX_BOOKS":"6"}}`)
			_, stats := ts.do("GET", "/graphwalker/getStatistics", "")
			s := decode(t, stats)
			for k, want := range map[string]float64{"edgeCoverage": 8, "totalNumberOfVisitedEdges": 1, "totalNumberOfVisitedVertices": 0,
				"totalNumberOfVertices": 7, "totalNumberOfEdges": 12, "totalNumberOfUnvisitedVertices": 7, "vertexCoverage": 0,
				"totalNumberOfUnvisitedEdges": 11, "totalIncompleteNumberOfModels": 1} {
				if s[k] != want {
					t.Errorf("getStatistics %s = %v, want %v", k, s[k], want)
				}
			}
			ts.must("PUT", "/graphwalker/fail/"+quote("Error message."), "", `{"result":"nok","error":"java.lang.Throwable: Error message."}`)
			ts.must("GET", "/graphwalker/hasNext", "", `{"result":"ok","hasNext":"false"}`)
			ts.must("PUT", "/graphwalker/restart", "", `{"result":"ok"}`)
			ts.must("GET", "/graphwalker/hasNext", "", `{"result":"ok","hasNext":"true"}`)
			ts.must("GET", "/graphwalker/getNext", "", c.first)
		})
	}
}

// TestEncodings: path arguments are one percent-decoded segment; %2F stays
// inside it, '+' stays '+', raw characters Go's client leaves alone work.
func TestEncodings(t *testing.T) {
	ts := newTestServer(t, Options{})
	ts.must("POST", "/graphwalker/load?seed=3", string(readFile(t, "UC01.json")), `{"result":"ok","seed":"3"}`)
	for _, c := range []struct{ path, key, want string }{
		{"/graphwalker/setData/url=%22url%2Fexample%2F%22", "url", "url/example/"},
		{"/graphwalker/setData/message=%22Test%20message.%22", "message", "Test message."},
		{"/graphwalker/setData/sum=1+2", "sum", "3"},
		{"/graphwalker/setData/plus=%221+2%22", "plus", "1+2"},
		{"/graphwalker/setData/eq=%22a%3Db%22", "eq", "a=b"},
		{"/graphwalker/setData/q='it%20is'", "q", "it is"},
		{"/graphwalker/setData/x=%27%3C%2Fscript%3E%27", "x", "</script>"},
		{"/graphwalker/setData/u=%22%C3%A9%E2%98%83%22", "u", "é☃"},
		{"/graphwalker/setData/n=1;m=2", "m", "2"},
		{"/graphwalker/setData/global.g=%22x%22", "", ""},
	} {
		ts.must("PUT", c.path, "", `{"result":"ok"}`)
		if c.key == "" {
			continue
		}
		_, body := ts.do("GET", "/graphwalker/getData", "")
		if got := decode(t, body)["data"].(map[string]any)[c.key]; got != c.want {
			t.Errorf("%s: data[%q] = %q, want %q", c.path, c.key, got, c.want)
		}
	}
	// The escaping of '/' after '<' is org.json's.
	_, body := ts.do("GET", "/graphwalker/getData", "")
	if !strings.Contains(body, `"x":"<\/script>"`) {
		t.Errorf("getData %s: want <\\/script> escaped as org.json does", body)
	}
	ts.must("GET", "/graphwalker/getNext", "", `{"result":"ok","currentElementName":"e_init"}`)
	for _, c := range []struct{ path, reason string }{
		{"/graphwalker/fail/a%2Fb", "a/b"},
		{"/graphwalker/fail/1+1", "1+1"},
		{"/graphwalker/fail/" + quote(`"quoted" \ back`), `"quoted" \ back`},
		{"/graphwalker/fail/" + quote("line\nbreak\ttab"), "line\nbreak\ttab"},
		{"/graphwalker/fail/http:%2F%2Fexample.com%2Fof%2Furl", "http://example.com/of/url"},
	} {
		ts.must("PUT", c.path, "", nok("java.lang.Throwable: "+c.reason))
	}
}

// TestSeeds: the seed given to load (query before body before the server
// option) decides the walk; restart repeats it; the reply names it.
func TestSeeds(t *testing.T) {
	uc01 := string(readFile(t, "UC01.json"))
	withSeed := func(seed string) string { return strings.Replace(uc01, "{", `{"seed": `+seed+",", 1) }
	walk := func(ts *testServer, n int) string {
		var b strings.Builder
		for range n {
			_, body := ts.do("GET", "/graphwalker/getNext", "")
			b.WriteString(body)
		}
		return b.String()
	}
	ts := newTestServer(t, Options{Seed: 99, HasSeed: true})
	ts.must("POST", "/graphwalker/load?seed=-7", uc01, `{"result":"ok","seed":"-7"}`)
	a := walk(ts, 40)
	ts.must("PUT", "/graphwalker/restart", "", `{"result":"ok"}`)
	if b := walk(ts, 40); b != a {
		t.Errorf("restart did not repeat the walk")
	}
	ts.must("POST", "/graphwalker/load?seed=-7", withSeed("5"), `{"result":"ok","seed":"-7"}`)
	if b := walk(ts, 40); b != a {
		t.Errorf("the same query seed gave another walk")
	}
	ts.must("POST", "/graphwalker/load", withSeed("-7"), `{"result":"ok","seed":"-7"}`)
	if b := walk(ts, 40); b != a {
		t.Errorf("the same body seed gave another walk")
	}
	ts.must("POST", "/graphwalker/load", withSeed(`"9223372036854775807"`), `{"result":"ok","seed":"9223372036854775807"}`)
	ts.must("POST", "/graphwalker/load", uc01, `{"result":"ok","seed":"99"}`)
	if seed, ok := ts.srv.Seed(); !ok || seed != 99 {
		t.Errorf("Seed() = %d, %v; want 99, true", seed, ok)
	}
	ts.must("POST", "/graphwalker/load?seed=-9223372036854775808", uc01, `{"result":"ok","seed":"-9223372036854775808"}`)
	for _, bad := range []string{"abc", "1.5", "9223372036854775808", ""} {
		status, body := ts.do("POST", "/graphwalker/load?seed="+bad, uc01)
		if status != 200 || !strings.Contains(body, `"result":"nok"`) || !strings.Contains(body, "is not a whole number") {
			t.Errorf("load?seed=%s: %d %s", bad, status, body)
		}
	}
	// Without any seed each load picks one and says which.
	ts2 := newTestServer(t, Options{})
	_, r1 := ts2.do("POST", "/graphwalker/load", uc01)
	seed := decode(t, r1)["seed"].(string)
	a = walk(ts2, 40)
	ts2.must("POST", "/graphwalker/load?seed="+seed, uc01, `{"result":"ok","seed":"`+seed+`"}`)
	if b := walk(ts2, 40); b != a {
		t.Errorf("loading again with the reported seed %s gave another walk", seed)
	}
}

// TestErrors: every bad request gets a clear nok body with the status
// clients expect, and the service keeps serving.
func TestErrors(t *testing.T) {
	ts := newTestServer(t, Options{Script: script.Limits{Timeout: 300 * time.Millisecond}, MaxBodyBytes: 1 << 16})
	hint := nok(msgNoModelsHint)
	for _, c := range []struct {
		method, path, body string
		status             int
		want               string // exact body, or a fragment of the error when it starts with "~"
	}{
		// Nothing loaded.
		{"GET", "/graphwalker/hasNext", "", 200, hint},
		{"GET", "/graphwalker/getNext", "", 200, hint},
		{"GET", "/graphwalker/getData", "", 200, hint},
		{"PUT", "/graphwalker/setData/x=1", "", 200, hint},
		{"PUT", "/graphwalker/fail/x", "", 200, hint},
		{"GET", "/graphwalker/getStatistics", "", 200, hint},
		{"PUT", "/graphwalker/restart", "", 200, `{"result":"nok","error":"No model(s) are loaded."}`},
		// Routing.
		{"GET", "/graphwalker/inexistent", "", 404, "~No such path: /graphwalker/inexistent. Endpoints: POST /graphwalker/load"},
		{"GET", "/graphwalker", "", 404, "~The REST API lives under /graphwalker/"},
		{"GET", "/graphwalker/", "", 404, "~No such path: /graphwalker/. Endpoints"},
		{"GET", "/graphwalker/GETNEXT", "", 404, "~did you mean /graphwalker/getNext?"},
		{"GET", "/graphwalker/hasNext/", "", 200, hint}, // one trailing slash is accepted, as in JAX-RS
		{"GET", "/graphwalker/hasNext//", "", 404, "~takes no path argument"},
		{"PUT", "/graphwalker/fail", "", 404, "~Use PUT /graphwalker/fail/<reason>"},
		{"PUT", "/graphwalker/setData/a/b", "", 404, "~percent-encode '/' as %2F"},
		{"PUT", "/graphwalker/restart/now", "", 404, "~takes no path argument"},
		{"GET", "/graphwalker/restart", "", 405, "~Method GET is not allowed for /graphwalker/restart: use PUT"},
		{"POST", "/graphwalker/getNext", "", 405, "~use GET"},
		{"PUT", "/graphwalker/load", "{}", 405, "~use POST"},
		{"GET", "/graphwalker/setData/x=1", "", 405, "~use PUT"},
		{"OPTIONS", "/graphwalker/hasNext", "", 405, "~use GET"},
		{"HEAD", "/graphwalker/getNext", "", 405, ""},
		// Loads that fail.
		{"POST", "/graphwalker/load", "", 200, "~" + "The json file is not a valid GraphWalker model(s) file"},
		{"POST", "/graphwalker/load", "[1,2]", 200, "~load body:1:1: expected '{'"},
		{"POST", "/graphwalker/load", `{"models":{}}`, 200, "~load body:1:"},
		{"POST", "/graphwalker/load", `{"models":[]}`, 200, "~No start context found"},
		{"POST", "/graphwalker/load", string(readFile(t, "invalid.json")), 200, "~Invalid Model"},
		{"POST", "/graphwalker/load", `{"models":[{"name":"M","generator":"bogus(never)","startElementId":"v","vertices":[{"id":"v"}]}]}`, 200, "~No suitable generator found with name: bogus"},
		{"POST", "/graphwalker/load", `{"models":[{"name":"M","generator":"random(never)","startElementId":"v","vertices":[{"id":"v"}],"actions":["while(true){}"]}]}`, 200, "~deadline"},
		{"POST", "/graphwalker/load", strings.Repeat(" ", 1<<16+1), 413, "~this gw server accepts load bodies of up to 65536 bytes"},
	} {
		status, body := ts.do(c.method, c.path, c.body)
		ok := status == c.status
		if strings.HasPrefix(c.want, "~") {
			r := decode(t, body)
			ok = ok && r["result"] == "nok" && strings.Contains(fmt.Sprint(r["error"]), c.want[1:])
		} else if c.method != "HEAD" {
			ok = ok && body == c.want
		}
		if !ok {
			t.Errorf("%s %s %.40q:\n got %d %s\nwant %d %s", c.method, c.path, c.body, status, body, c.status, c.want)
		}
	}
	// Still serving, and the failed loads changed nothing.
	ts.must("GET", "/graphwalker/hasNext", "", hint)
	ts.must("POST", "/graphwalker/load?seed=1", string(readFile(t, "UC01.json")), `{"result":"ok","seed":"1"}`)
	for _, c := range []struct{ method, path, want string }{
		{"PUT", "/graphwalker/fail/early", nok(msgFailBeforeStep)},
		{"PUT", "/graphwalker/setData/x=", "~SyntaxError"},
		{"PUT", "/graphwalker/setData/undefinedFunction()", "~ReferenceError: undefinedFunction is not defined"},
		{"PUT", "/graphwalker/setData/while(true)%7B%7D", "~deadline"},
		{"PUT", "/graphwalker/setData/throw%20'custom'", "~custom"},
		{"POST", "/graphwalker/load", "~not a valid GraphWalker model"},
	} {
		status, body := ts.do(c.method, c.path, "")
		ok := status == 200
		if strings.HasPrefix(c.want, "~") {
			r := decode(t, body)
			ok = ok && r["result"] == "nok" && strings.Contains(fmt.Sprint(r["error"]), c.want[1:])
		} else {
			ok = ok && body == c.want
		}
		if !ok {
			t.Errorf("%s %s: got %d %s, want %s", c.method, c.path, status, body, c.want)
		}
	}
	ts.must("GET", "/graphwalker/getNext", "", `{"result":"ok","currentElementName":"e_init"}`)
}

// TestLargeBodies: a body over the limit is refused whether its length is
// announced or streamed, and the connection does not hang.
func TestLargeBodies(t *testing.T) {
	ts := newTestServer(t, Options{MaxBodyBytes: 1000})
	// Announced length.
	status, body := ts.do("POST", "/graphwalker/load", strings.Repeat("x", 1001))
	if status != 413 || !strings.Contains(body, "is 1001 bytes") {
		t.Errorf("announced: %d %s", status, body)
	}
	// Streamed (chunked, unknown length).
	req, _ := http.NewRequest("POST", ts.base+"/load", io.MultiReader(strings.NewReader(strings.Repeat("y", 5000))))
	req.ContentLength = -1
	resp, err := ts.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 413 || !strings.Contains(string(b), "larger than that") {
		t.Errorf("streamed: %d %s", resp.StatusCode, b)
	}
	ts.must("GET", "/graphwalker/hasNext", "", nok(msgNoModelsHint))
	// The default limit applies when none is given.
	if s, _ := NewHandler(Options{}); s.opts.MaxBodyBytes != DefaultMaxBodyBytes {
		t.Errorf("default MaxBodyBytes = %d", s.opts.MaxBodyBytes)
	}
}

// TestPreloaded: models given at start are walked at once; models that
// cannot be walked fail NewHandler with the machine's message.
func TestPreloaded(t *testing.T) {
	ts := newTestServer(t, Options{Models: readModels(t, "UC01.json"), Seed: 42, HasSeed: true})
	ts.must("GET", "/graphwalker/hasNext", "", `{"result":"ok","hasNext":"true"}`)
	ts.must("GET", "/graphwalker/getNext", "", `{"result":"ok","currentElementName":"e_init"}`)
	if seed, ok := ts.srv.Seed(); seed != 42 || !ok {
		t.Errorf("Seed() = %d, %v", seed, ok)
	}
	ts.must("PUT", "/graphwalker/restart", "", `{"result":"ok"}`)
	ts.must("GET", "/graphwalker/getNext", "", `{"result":"ok","currentElementName":"e_init"}`)

	_, err := NewHandler(Options{Models: readModels(t, "invalid.json")})
	if err == nil || !strings.Contains(err.Error(), "Invalid Model") {
		t.Errorf("NewHandler(invalid.json) = %v", err)
	}
	empty, err := NewHandler(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := empty.Seed(); ok {
		t.Error("Seed() of an empty server reports a machine")
	}
}

// TestBlocked: --blocked filters loaded and preloaded models.
func TestBlocked(t *testing.T) {
	body := string(readFile(t, "blocked.json"))
	for _, c := range []struct {
		blocked     bool
		edges, vert float64
	}{{true, 7, 4}, {false, 10, 5}} {
		ts := newTestServer(t, Options{Blocked: c.blocked})
		ts.must("POST", "/graphwalker/load?seed=1", body, `{"result":"ok","seed":"1"}`)
		_, stats := ts.do("GET", "/graphwalker/getStatistics", "")
		s := decode(t, stats)
		if s["totalNumberOfEdges"] != c.edges || s["totalNumberOfVertices"] != c.vert {
			t.Errorf("blocked=%v: %v edges, %v vertices; want %v, %v", c.blocked, s["totalNumberOfEdges"], s["totalNumberOfVertices"], c.edges, c.vert)
		}
		pre := newTestServer(t, Options{Blocked: c.blocked, Models: readModels(t, "blocked.json")})
		_, stats = pre.do("GET", "/graphwalker/getStatistics", "")
		if s := decode(t, stats); s["totalNumberOfEdges"] != c.edges {
			t.Errorf("preloaded, blocked=%v: %v edges", c.blocked, s["totalNumberOfEdges"])
		}
	}
}

// TestHead: HEAD works for the read-only endpoints, without a body.
func TestHead(t *testing.T) {
	ts := newTestServer(t, Options{})
	for _, p := range []string{"hasNext", "getData", "getStatistics"} {
		req, _ := http.NewRequest("HEAD", ts.base+"/"+p, nil)
		resp, err := ts.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || len(b) != 0 {
			t.Errorf("HEAD %s: %d %q", p, resp.StatusCode, b)
		}
	}
}

// TestMultiModel: statistics over several models with shared states, and
// getNext moving between them (PetClinic, 5 models).
func TestMultiModel(t *testing.T) {
	ts := newTestServer(t, Options{Verbose: true})
	ts.must("POST", "/graphwalker/load?seed=11", string(readFile(t, "PetClinic.json")), `{"result":"ok","seed":"11"}`)
	models := map[string]bool{}
	for i := 0; i < 2000; i++ {
		_, body := ts.do("GET", "/graphwalker/hasNext", "")
		if decode(t, body)["hasNext"] != "true" {
			break
		}
		_, body = ts.do("GET", "/graphwalker/getNext", "")
		r := decode(t, body)
		if r["result"] != "ok" {
			t.Fatalf("getNext: %s", body)
		}
		models[r["modelName"].(string)] = true
	}
	_, stats := ts.do("GET", "/graphwalker/getStatistics", "")
	s := decode(t, stats)
	if s["totalNumberOfModels"] != 5.0 || len(models) < 2 {
		t.Errorf("models %v, statistics %v", models, s)
	}
	sum := s["totalCompletedNumberOfModels"].(float64) + s["totalIncompleteNumberOfModels"].(float64) +
		s["totalFailedNumberOfModels"].(float64) + s["totalNotExecutedNumberOfModels"].(float64)
	if sum != 5 {
		t.Errorf("model statuses add up to %v, want 5", sum)
	}
}

type panicReader struct{}

func (panicReader) Read([]byte) (int, error) { panic("reader exploded") }

// TestPanicRecovered: a panic inside a handler answers 500 with a nok body
// and leaves the server serving (the mutex is released).
func TestPanicRecovered(t *testing.T) {
	s, err := NewHandler(Options{Models: readModels(t, "UC01.json")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	req := httptest.NewRequest("POST", "http://localhost/graphwalker/load", panicReader{})
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), `"error":"internal error in gw while serving POST /graphwalker/load: reader exploded`) {
		t.Fatalf("got %d %s", rec.Code, rec.Body)
	}
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "http://localhost/graphwalker/hasNext", nil))
	if rec.Code != 200 || rec.Body.String() != `{"result":"ok","hasNext":"true"}` {
		t.Fatalf("after the panic: %d %s", rec.Code, rec.Body)
	}
}
