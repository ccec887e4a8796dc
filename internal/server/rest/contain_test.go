package rest

import (
	"bufio"
	"io"
	"math"
	"net"
	"net/http"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gw-project/gw/internal/limits"
	"github.com/gw-project/gw/internal/script"
	"github.com/gw-project/gw/internal/server/httpguard"
	"github.com/gw-project/gw/internal/testmodel"
)

// Issue 9's reproductions through the REST service: each request fails
// naming the limit's flag, the service keeps answering, others are not
// held for longer than one script deadline, and the heap stays bounded.

// slack scales a time bound for the race detector.
func slack(d time.Duration) time.Duration {
	if raceEnabled {
		return 6 * d
	}
	return d
}

func withBudget(t *testing.T, n int64) {
	limits.SetBudget(n)
	t.Cleanup(func() {
		limits.SetBudget(0)
		debug.SetMemoryLimit(math.MaxInt64)
		runtime.GC()
	})
}

// peakHeap samples the heap every 5 ms until stop is closed.
func peakHeap(stop <-chan struct{}) <-chan int64 {
	out := make(chan int64, 1)
	go func() {
		var peak int64
		tk := time.NewTicker(5 * time.Millisecond)
		defer tk.Stop()
		for {
			select {
			case <-stop:
				out <- peak
				return
			case <-tk.C:
				peak = max(peak, limits.Heap())
			}
		}
	}()
	return out
}

// doH is do with request headers; it returns the response headers too.
func (ts *testServer) doH(method, path, body string, h http.Header) (int, string, http.Header) {
	ts.t.Helper()
	req, err := http.NewRequest(method, ts.http.URL+path, strings.NewReader(body))
	if err != nil {
		ts.t.Fatal(err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	if host := h.Get("Host"); host != "" {
		req.Host = host
	}
	resp, err := ts.client.Do(req)
	if err != nil {
		ts.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func TestAttacks(t *testing.T) {
	ts := newTestServer(t, Options{Models: readModels(t, "UC01.json"), Script: script.Limits{Timeout: 500 * time.Millisecond, Memory: 32 << 20}})
	timeout, memory, depth, data := script.TimeoutFlag, script.MemoryFlag, script.DepthFlag, script.DataFlag
	getter := "Object.defineProperty(this,'g',{get:function(){while(true){}},enumerable:true})"
	cases := []struct {
		name  string
		setup string // a setData script that must succeed first
		path  string
		want  []string
	}{
		{"450k parentheses", "", "/graphwalker/setData/x%3D" + testmodel.Nested("(", ")", 450000), []string{depth}},
		{"sparse array", "var a=new Array(4294967295);", "/graphwalker/getData", []string{data, timeout}},
		{"sparse array, verbose getNext", "var a=new Array(4294967295);", "/graphwalker/getNext", nil}, // not verbose: no data shown
		{"endless getter", getter, "/graphwalker/getData", []string{timeout}},
		{"endless toJSON", "var x={toJSON:function(){while(true){}}};", "/graphwalker/getData", []string{timeout}},
		{"shared structure", "var o=[];for(var i=0;i<40;i++)o=[o,o];", "/graphwalker/getData", []string{timeout, data}},
		{"fill", "", "/graphwalker/setData/" + quote("new Array(1e8).fill(0)"), []string{memory}},
		{"Array.from", "", "/graphwalker/setData/" + quote("Array.from({length:1e8})"), []string{memory}},
		{"indexOf", "", "/graphwalker/setData/" + quote("new Array(2e9).indexOf(1)"), []string{memory}},
		{"ReDoS", "", "/graphwalker/setData/" + quote("/^(a+)+(?=b)/.test('"+strings.Repeat("a", 40)+"')"), []string{timeout}},
		{"repeat split", "", "/graphwalker/setData/" + quote("'x'.repeat(1e8).split('')"), []string{memory}},
		{"loop", "", "/graphwalker/setData/" + quote("while(true){}"), []string{timeout}},
	}
	stop := make(chan struct{})
	peak := peakHeap(stop)
	for _, c := range cases {
		ts.must("POST", "/graphwalker/load?seed=1", string(readFile(t, "UC01.json")), `{"result":"ok","seed":"1"}`)
		if c.setup != "" {
			ts.must("PUT", "/graphwalker/setData/"+quote(c.setup), "", `{"result":"ok"}`)
		}
		method := "GET"
		if strings.Contains(c.path, "setData") {
			method = "PUT"
		}
		// Another client asks meanwhile: it waits for the attack's one
		// deadline at most.
		var wg sync.WaitGroup
		var other time.Duration
		start := time.Now()
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(20 * time.Millisecond)
			t0 := time.Now()
			req, _ := http.NewRequest("GET", ts.base+"/getStatistics", nil)
			if resp, err := ts.client.Do(req); err == nil {
				resp.Body.Close()
			}
			other = time.Since(t0)
		}()
		status, body, _ := ts.doH(method, c.path, "", nil)
		took := time.Since(start)
		wg.Wait()
		if c.want == nil {
			if status != 200 || !strings.Contains(body, `"result":"ok"`) {
				t.Errorf("%s: %d %.300s", c.name, status, body)
			}
		} else {
			named := false
			for _, w := range c.want {
				named = named || strings.Contains(body, w)
			}
			if status != 200 || !strings.Contains(body, `"result":"nok"`) || !named {
				t.Errorf("%s: %d %.300s; want nok naming %s", c.name, status, body, strings.Join(c.want, " or "))
			}
		}
		if took > slack(5*time.Second) || other > slack(5*time.Second) {
			t.Errorf("%s took %v; another request waited %v", c.name, took, other)
		}
		t.Logf("%s: %v, another request waited %v", c.name, took.Round(time.Millisecond), other.Round(time.Millisecond))
		// The service goes on.
		if status, body := ts.do("GET", "/graphwalker/hasNext", ""); status != 200 || !strings.Contains(body, `"result":"ok"`) {
			t.Errorf("%s: hasNext afterwards: %d %s", c.name, status, body)
		}
	}
	close(stop)
	if p := <-peak; p > 1<<30 {
		t.Errorf("peak heap %s", limits.FormatSize(p))
	}
}

// TestOriginAndHost: a page of another site cannot drive the service with
// a simple request (text/plain POST needs no CORS preflight), nor through
// DNS rebinding; loopback pages and allowed origins can.
func TestOriginAndHost(t *testing.T) {
	ts := newTestServer(t, Options{Models: readModels(t, "UC01.json"), Seed: 7, HasSeed: true, AllowOrigins: []string{"studio.test"}})
	evil := string(readFile(t, "Login.json"))
	cases := []struct {
		origin, host string
		status       int
		want         string
	}{
		{"http://evil.example", "", 403, "--allow-origin evil.example"},
		{"null", "", 403, "--allow-origin null"},
		{"", "evil.example:8887", 403, "--allow-origin evil.example"},
		{"http://evil.example:8887", "evil.example:8887", 403, "--allow-origin evil.example"},
	}
	for _, c := range cases {
		h := http.Header{"Content-Type": {"text/plain"}}
		if c.origin != "" {
			h.Set("Origin", c.origin)
		}
		if c.host != "" {
			h.Set("Host", c.host)
		}
		status, body, _ := ts.doH("POST", "/graphwalker/load", evil, h)
		if status != c.status || !strings.Contains(body, c.want) || !strings.Contains(body, `"result":"nok"`) {
			t.Errorf("Origin %q Host %q: %d %s", c.origin, c.host, status, body)
		}
	}
	// The model was not replaced.
	if _, body := ts.do("GET", "/graphwalker/getStatistics", ""); !strings.Contains(body, "UC01") {
		t.Errorf("the refused loads replaced the model: %.200s", body)
	}
	for _, origin := range []string{"http://localhost:3000", "http://studio.test:9090"} {
		status, body, h := ts.doH("GET", "/graphwalker/hasNext", "", http.Header{"Origin": {origin}})
		if status != 200 || !strings.Contains(body, `"result":"ok"`) || h.Get("Access-Control-Allow-Origin") != origin {
			t.Errorf("Origin %s: %d %s %v", origin, status, body, h)
		}
		// The preflight of a JSON load.
		status, _, h = ts.doH("OPTIONS", "/graphwalker/load", "", http.Header{"Origin": {origin}, "Access-Control-Request-Method": {"POST"}, "Access-Control-Request-Headers": {"content-type"}})
		if status != 204 || h.Get("Access-Control-Allow-Origin") != origin || !strings.Contains(h.Get("Access-Control-Allow-Methods"), "POST") {
			t.Errorf("preflight from %s: %d %v", origin, status, h)
		}
	}
	// A refused page gets no CORS headers, and its preflight fails.
	status, _, h := ts.doH("OPTIONS", "/graphwalker/load", "", http.Header{"Origin": {"http://evil.example"}, "Access-Control-Request-Method": {"POST"}})
	if status != 403 || h.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("preflight from evil.example: %d %v", status, h)
	}
}

// TestParallelLoads: five large loads at once take turns within the
// memory budget and all succeed; a body the budget cannot hold is refused
// at once (413, naming --memory-budget); while the process is over its
// budget loads are refused with 503 and Retry-After.
func TestParallelLoads(t *testing.T) {
	budget, size, loads := int64(256<<20), 3<<20, 5
	if raceEnabled {
		budget, size, loads = 96<<20, 1<<20, 3
	}
	withBudget(t, budget)
	ts := newTestServer(t, Options{})
	ts.client.Timeout = slack(60 * time.Second)
	model := testmodel.Plain(size)
	runtime.GC()
	stop := make(chan struct{})
	peak := peakHeap(stop)
	var wg sync.WaitGroup
	for range loads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("POST", ts.base+"/load", strings.NewReader(model))
			resp, err := ts.client.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !strings.Contains(string(b), `"result":"ok"`) {
				t.Errorf("load: %d %.300s", resp.StatusCode, b)
			}
		}()
	}
	wg.Wait()
	close(stop)
	p := <-peak
	t.Logf("%d loads of %s at once: peak heap %s", loads, limits.FormatSize(int64(size)), limits.FormatSize(p))
	if p > budget+budget/2 {
		t.Errorf("peak heap %s with a budget of %s", limits.FormatSize(p), limits.FormatSize(budget))
	}

	big := testmodel.Plain(int(httpguard.MaxMessage()) + 1<<20)
	status, body, _ := ts.doH("POST", "/graphwalker/load", big, nil)
	if status != http.StatusRequestEntityTooLarge || !strings.Contains(body, "--memory-budget") {
		t.Errorf("a load over what the budget holds: %d %.300s", status, body)
	}

	ballast := make([]byte, budget+budget/4)
	waitFor(t, func() bool { return limits.Over() != nil })
	status, body, h := ts.doH("POST", "/graphwalker/load", string(readFile(t, "UC01.json")), nil)
	if status != http.StatusServiceUnavailable || h.Get("Retry-After") == "" || !strings.Contains(body, "--memory-budget") {
		t.Errorf("a load over the budget: %d %s", status, body)
	}
	runtime.KeepAlive(ballast) // its last use: the collection below frees it
	runtime.GC()
	waitFor(t, func() bool { return limits.Over() == nil })
	ts.must("POST", "/graphwalker/load?seed=1", string(readFile(t, "UC01.json")), `{"result":"ok","seed":"1"}`)
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(time.Millisecond)
	}
}

// TestShutdownStuckScript: a request stuck in a script (an endless getter
// shown by getData) is interrupted by Shutdown at once.
func TestShutdownStuckScript(t *testing.T) {
	ts := newTestServer(t, Options{Models: readModels(t, "UC01.json"), Script: script.Limits{Timeout: time.Hour}})
	ts.must("PUT", "/graphwalker/setData/"+quote("Object.defineProperty(this,'g',{get:function(){while(true){}},enumerable:true})"), "", `{"result":"ok"}`)
	done := make(chan string)
	go func() {
		_, body, _ := ts.doH("GET", "/graphwalker/getData", "", nil)
		done <- body
	}()
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	ts.srv.Shutdown()
	body := <-done
	if d := time.Since(start); d > slack(time.Second) || !strings.Contains(body, "shutting down") {
		t.Errorf("after %v: %s", d, body)
	}
	if status, body, _ := ts.doH("POST", "/graphwalker/load", string(readFile(t, "UC01.json")), nil); status != 503 || !strings.Contains(body, "shutting down") {
		t.Errorf("load after Shutdown: %d %s", status, body)
	}
}

// TestSlowLoadBody: a load body that trickles is cut off; the body of an
// endpoint that reads none is not waited for.
func TestSlowLoadBody(t *testing.T) {
	srv, err := NewHandler(Options{Models: readModels(t, "UC01.json")})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := httpguard.NewServer(srv, false, httpguard.Timeouts{BodyGrace: 300 * time.Millisecond, MinBodyRate: 1000})
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	for _, c := range []struct{ name, head string }{
		{"load", "POST /graphwalker/load HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000\r\n\r\n{"},
		{"setData with a body", "PUT /graphwalker/setData/x%3D1 HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n{"},
	} {
		conn, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		start := time.Now()
		conn.SetDeadline(time.Now().Add(10 * time.Second))
		io.WriteString(conn, c.head)
		go func() { // one byte every 100 ms
			for range 100 {
				time.Sleep(100 * time.Millisecond)
				if _, err := io.WriteString(conn, " "); err != nil {
					return
				}
			}
		}()
		br := bufio.NewReader(conn)
		resp, err := http.ReadResponse(br, nil)
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			t.Logf("%s: %d %s", c.name, resp.StatusCode, b)
			if c.name == "load" && !strings.Contains(string(b), "too slowly") {
				t.Errorf("load: %s", b)
			}
		}
		io.Copy(io.Discard, br) // until the server closes (or resets: it did not read all we sent)
		if d := time.Since(start); d > slack(2*time.Second) {
			t.Errorf("%s: connection held %v", c.name, d)
		}
	}
}
