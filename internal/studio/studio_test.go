package studio

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gw-project/gw/internal/session"
)

func TestPage(t *testing.T) {
	_, srv := newStudio(t, Options{})
	for _, c := range []struct{ path, ctype, contains string }{
		{"/", "text/html", `src="/studio/assets/app.js"`},
		{"/studio/", "text/html", "gw studio"},
		{"/studio/assets/app.js", "text/javascript", "class View"},
		{"/studio/assets/app.css", "text/css", "svg .vertex"},
	} {
		res, err := http.Get(srv.URL + c.path)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		b.ReadFrom(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), c.ctype) || !strings.Contains(b.String(), c.contains) {
			t.Errorf("GET %s: %d %q, body has %q: %v", c.path, res.StatusCode, res.Header.Get("Content-Type"), c.contains, strings.Contains(b.String(), c.contains))
		}
		if res.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("GET %s: no Content-Security-Policy", c.path)
		}
	}
	if code, msg := call(t, "GET", srv.URL+"/studio/assets/nosuch.js", nil, nil, nil); code != 404 || !strings.Contains(msg, "nosuch.js") {
		t.Errorf("missing asset: %d %q", code, msg)
	}
	if code, msg := call(t, "GET", srv.URL+"/studio/api/nosuch", nil, nil, nil); code != 404 || !strings.Contains(msg, "not part of the gw studio API") {
		t.Errorf("unknown API path: %d %q", code, msg)
	}
}

func TestLayout(t *testing.T) {
	_, srv := newStudio(t, Options{MaxFileSize: 64 << 10, MaxFileFlag: "--max-file-size"})
	big := bytes.Repeat([]byte(" "), 64<<10+1)
	for _, c := range []struct {
		name     string
		file     string
		body     []byte
		status   int
		models   int
		vertices int
		layout   string
		err      string
	}{
		{name: "json", file: "Login.json", status: 200, models: 1, vertices: 4, layout: "coordinates"},
		{name: "graphml", file: "Login.graphml", status: 200, models: 1, vertices: 3, layout: "coordinates"},
		{name: "dot", file: "Login.dot", status: 200, models: 1, vertices: 3, layout: "layered"},
		{name: "sniffed json", file: "Counter", body: readFile(t, "testdata/Counter.json"), status: 200, models: 1, vertices: 2, layout: "coordinates"},
		{name: "no coordinates", file: "SmallModel.json", status: 200, models: 1, vertices: 2, layout: "layered"},
		{name: "broken json", file: "Broken.json", status: 400, err: "Broken.json"},
		{name: "broken graphml", file: "x.graphml", body: []byte("<graphml><node"), status: 400, err: "x.graphml"},
		{name: "broken dot", file: "x.dot", body: []byte("digraph { a -> "), status: 400, err: "x.dot"},
		{name: "empty", file: "empty", body: []byte(" \n"), status: 400, err: "empty"},
		{name: "oversize", file: "big.json", body: big, status: 413, err: "--max-file-size"},
	} {
		t.Run(c.name, func(t *testing.T) {
			body := c.body
			if body == nil {
				body = readFile(t, "testdata/"+c.file)
			}
			var a struct {
				Scene struct {
					Models []struct {
						Layout   string `json:"layout"`
						Start    int    `json:"start"`
						Vertices []struct {
							Name string  `json:"name"`
							W    float64 `json:"w"`
						} `json:"vertices"`
					} `json:"models"`
				} `json:"scene"`
				GW json.RawMessage `json:"gw"`
			}
			code, msg := call(t, "POST", srv.URL+"/studio/api/layout?name="+c.file, bytes.NewReader(body), nil, &a)
			if code != c.status {
				t.Fatalf("status %d (%s), want %d", code, msg, c.status)
			}
			if c.err != "" {
				if !strings.Contains(msg, c.err) {
					t.Errorf("error %q does not name %q", msg, c.err)
				}
				return
			}
			if len(a.Scene.Models) != c.models || len(a.Scene.Models[0].Vertices) != c.vertices || a.Scene.Models[0].Layout != c.layout {
				t.Errorf("got %d models, %d vertices, layout %q", len(a.Scene.Models), len(a.Scene.Models[0].Vertices), a.Scene.Models[0].Layout)
			}
			for _, v := range a.Scene.Models[0].Vertices {
				if v.W <= 0 {
					t.Errorf("vertex %s has no box", v.Name)
				}
			}
			if !bytes.Contains(a.GW, []byte(`"generator"`)) {
				t.Errorf("the models to start carry no generator: %s", a.GW)
			}
		})
	}
}

func TestGuards(t *testing.T) {
	hub := session.NewHub()
	_, loop := newStudio(t, Options{Hub: hub})
	_, open := newStudio(t, Options{Hub: hub, Host: "0.0.0.0", Token: "s3cret"})
	_, off := newStudio(t, Options{Hub: hub, Host: "0.0.0.0"})
	host := func(u string) string { return strings.TrimPrefix(u, "http://") }
	for _, c := range []struct {
		name   string
		url    string
		hdr    map[string]string
		status int
		err    string
	}{
		{"loopback, no origin", loop.URL + "/studio/api/sessions", nil, 200, ""},
		{"same origin", loop.URL + "/studio/api/sessions", map[string]string{"Origin": loop.URL}, 200, ""},
		{"foreign origin", loop.URL + "/studio/api/sessions", map[string]string{"Origin": "https://evil.example.com"}, 403, "Origin"},
		{"another loopback port", loop.URL + "/studio/api/sessions", map[string]string{"Origin": "http://127.0.0.1:1"}, 403, "own page only"},
		{"cross-site fetch", loop.URL + "/studio/api/info", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403, "another site"},
		{"foreign page on the page", loop.URL + "/", map[string]string{"Origin": "https://evil.example.com"}, 403, "Origin"},
		{"rebound host", loop.URL + "/studio/api/info", map[string]string{"Host": "evil.example.com"}, 403, "DNS rebinding"},
		{"exposed, no token", open.URL + "/studio/api/sessions", nil, 403, "?token="},
		{"exposed, bad token", open.URL + "/studio/api/sessions", map[string]string{TokenHeader: "guess"}, 403, "token is wrong"},
		{"exposed, token header", open.URL + "/studio/api/sessions", map[string]string{TokenHeader: "s3cret"}, 200, ""},
		{"exposed, token query", open.URL + "/studio/api/sessions?token=s3cret", nil, 200, ""},
		{"exposed, bad token, pause", open.URL + "/studio/api/sessions/1/pause?token=x", nil, 403, "token is wrong"},
		{"exposed, page needs no token", open.URL + "/", map[string]string{"Origin": open.URL, "Host": host(open.URL)}, 200, ""},
		{"exposed, layout needs no token", open.URL + "/studio/api/info", nil, 200, ""},
		{"control off", off.URL + "/studio/api/sessions?token=", nil, 403, "--studio-token off"},
	} {
		t.Run(c.name, func(t *testing.T) {
			method := "GET"
			if strings.Contains(c.url, "/pause") {
				method = "POST"
			}
			code, msg := call(t, method, c.url, nil, c.hdr, nil)
			if code != c.status || !strings.Contains(msg, c.err) {
				t.Errorf("%d %q, want %d with %q", code, msg, c.status, c.err)
			}
		})
	}
}

func TestInfo(t *testing.T) {
	hub := session.NewHub()
	_, srv := newStudio(t, Options{Hub: hub, Service: "rest"})
	c := newClient(t, hub, "rest")
	var in info
	if code, msg := call(t, "GET", srv.URL+"/studio/api/info", nil, nil, &in); code != 200 {
		t.Fatal(code, msg)
	}
	if in.Service != "rest" || !in.Control || in.Own != c.s.ID {
		t.Errorf("info %+v", in)
	}
	// The REST console's own session may be watched without control.
	_, exposed := newStudio(t, Options{Hub: hub, Service: "rest", Host: "0.0.0.0"})
	st := openSSE(t, exposed.URL+"/studio/api/sessions/"+c.s.ID+"/events")
	var snap snapshot
	st.nextOf(t, "snapshot", &snap)
	if snap.Session.ID != c.s.ID || len(snap.Scene) == 0 {
		t.Errorf("snapshot %+v", snap.Session)
	}
}

func TestBreakpointsAPI(t *testing.T) {
	hub := session.NewHub()
	_, srv := newStudio(t, Options{Hub: hub})
	c := newClient(t, hub, "websocket")
	url := srv.URL + "/studio/api/sessions/" + c.s.ID + "/breakpoints"
	put := func(body string) (int, string, session.Control) {
		var ctl session.Control
		code, msg := call(t, "PUT", url, strings.NewReader(body), nil, &ctl)
		return code, msg, ctl
	}
	if code, msg, ctl := put(`[{"element":"e_Inc"},{"condition":"count > 3"}]`); code != 200 || len(ctl.Breakpoints) != 2 || ctl.Breakpoints[1].ID != "b2" {
		t.Fatalf("valid breakpoints: %d %q %+v", code, msg, ctl)
	}
	for _, bad := range []struct{ body, err string }{
		{`[{"condition":"count >"}]`, "not a JavaScript expression"},
		{`[{"id":"x","condition":"count; while (true) {}"}]`, "breakpoint x"},
		{`[{}]`, "no element and has no condition"},
		{`{"element":"e_Inc"}`, "JSON list"},
		{`[` + strings.Repeat(`{"element":"a"},`, 100) + `{"element":"a"}]`, "at most 100"},
		{`[{"condition":"` + strings.Repeat("1+", 3000) + `1"}]`, "longer than"},
		{strings.Repeat(" ", maxBreakpointBody+1), "larger than"},
	} {
		code, msg, _ := put(bad.body)
		if code/100 != 4 || !strings.Contains(msg, bad.err) {
			t.Errorf("%.40s: %d %q, want an error with %q", bad.body, code, msg, bad.err)
		}
	}
	if got := c.s.Control().Breakpoints; len(got) != 2 {
		t.Errorf("bad input changed the breakpoints: %+v", got)
	}
	if code, msg := call(t, "PUT", srv.URL+"/studio/api/sessions/999/breakpoints", strings.NewReader("[]"), nil, nil); code != 404 || !strings.Contains(msg, "999") {
		t.Errorf("unknown session: %d %q", code, msg)
	}
	if code, msg := call(t, "POST", srv.URL+"/studio/api/sessions/"+c.s.ID+"/explode", nil, nil, nil); code != 404 || !strings.Contains(msg, "pause, resume or step") {
		t.Errorf("unknown action: %d %q", code, msg)
	}
}

func TestSessionsList(t *testing.T) {
	hub := session.NewHub()
	_, srv := newStudio(t, Options{Hub: hub})
	c := newClient(t, hub, "websocket")
	c.ask(3) // v_Start, e_Inc, v_Counted: 3 of 4 elements
	waitFor(t, "3 steps", func() bool { return c.done.Load() == 3 })
	var rows []sessionRow
	if code, msg := call(t, "GET", srv.URL+"/studio/api/sessions", nil, nil, &rows); code != 200 {
		t.Fatal(code, msg)
	}
	if len(rows) != 1 || rows[0].ID != c.s.ID || rows[0].Steps != 3 || rows[0].Coverage != 75 || rows[0].Models[0] != "Counter" || rows[0].Client != "127.0.0.1:40000" {
		t.Errorf("rows %+v", rows)
	}
}

func TestWatch(t *testing.T) {
	hub := session.NewHub()
	_, srv := newStudio(t, Options{Hub: hub})
	c := newClient(t, hub, "websocket")
	c.ask(2)
	waitFor(t, "2 steps", func() bool { return c.done.Load() == 2 })
	st := openSSE(t, srv.URL+"/studio/api/sessions/"+c.s.ID+"/events")
	var snap snapshot
	st.nextOf(t, "snapshot", &snap)
	if snap.Steps != 2 || snap.Visits[0][0] != 1 || snap.Visits[0][2] != 1 || snap.Current != [2]int{0, 2} {
		t.Errorf("snapshot: steps %d visits %v current %v", snap.Steps, snap.Visits, snap.Current)
	}
	if snap.Panels == nil || len(snap.Panels.Data) != 1 || snap.Panels.Data[0] != [2]string{"count", "1"} {
		t.Errorf("snapshot panels %+v", snap.Panels)
	}
	// 400 quick steps arrive in a few coalesced updates, in order.
	t0 := time.Now()
	c.ask(400)
	var steps [][3]int
	updates := 0
	for len(steps) < 400 {
		var u update
		st.nextOf(t, "update", &u)
		steps = append(steps, u.Steps...)
		updates++
	}
	want := [4]int{0, 2, 1, 3} // v_Start, e_Inc, v_Counted, e_Back
	for i, s := range steps {
		if s != [3]int{0, want[(i+2)%4], i + 3} {
			t.Fatalf("step %d is %v, want element %d", i+3, s, want[(i+2)%4])
		}
	}
	if limit := int(time.Since(t0)/DefaultUpdateInterval) + 2; updates > limit {
		t.Errorf("%d updates in %v: more than 30 a second", updates, time.Since(t0))
	}
	// Panels follow (at most 4 a second).
	deadline := time.Now().Add(5 * time.Second)
	for {
		var u update
		st.nextOf(t, "update", &u)
		if u.Panels != nil && u.Panels.Data[0][1] == "101" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the data panel never showed count 101")
		}
	}
	// The session ends: the stream says so.
	c.s.Close("client left")
	var closed map[string]string
	st.nextOf(t, "closed", &closed)
	if closed["reason"] != "client left" {
		t.Errorf("closed: %v", closed)
	}
}

func TestWatchResync(t *testing.T) {
	hub := session.NewHub()
	_, srv := newStudio(t, Options{Hub: hub, UpdateInterval: 500 * time.Millisecond})
	c := newClient(t, hub, "websocket")
	st := openSSE(t, srv.URL+"/studio/api/sessions/"+c.s.ID+"/events")
	var snap snapshot
	st.nextOf(t, "snapshot", &snap)
	// More steps than the queue holds, between two updates: the watcher
	// gets a new snapshot instead, then updates; replaying both gives the
	// machine's counts.
	c.ask(5000)
	waitFor(t, "5000 steps", func() bool { return c.done.Load() == 5000 })
	counts, seq, snapshots := snap.Visits[0], snap.Steps, 0
	for seq < 5000 {
		ev, data := st.next(t)
		switch ev {
		case "snapshot":
			json.Unmarshal(data, &snap)
			counts, seq = snap.Visits[0], snap.Steps
			snapshots++
		case "update":
			var u update
			json.Unmarshal(data, &u)
			for _, s := range u.Steps {
				if s[2] != seq+1 {
					t.Fatalf("step %d after step %d", s[2], seq)
				}
				counts[s[1]]++
				seq = s[2]
			}
		}
	}
	if snapshots == 0 {
		t.Error("5000 steps in one update interval, and no new snapshot")
	}
	if counts[0] != 1250 || counts[3] != 1250 {
		t.Errorf("resynchronised counts %v", counts)
	}
}

func TestWatcherLimit(t *testing.T) {
	hub := session.NewHub()
	_, srv := newStudio(t, Options{Hub: hub, MaxWatchers: 2})
	c := newClient(t, hub, "websocket")
	url := srv.URL + "/studio/api/sessions/" + c.s.ID + "/events"
	for range 2 {
		var snap snapshot
		openSSE(t, url).nextOf(t, "snapshot", &snap)
	}
	if code, msg := call(t, "GET", url, nil, nil, nil); code != 503 || !strings.Contains(msg, "2 sessions are being watched") {
		t.Errorf("third watcher: %d %q", code, msg)
	}
	if code, _ := call(t, "GET", srv.URL+"/studio/api/sessions/999/events", nil, nil, nil); code != 404 {
		t.Errorf("unknown session: %d", code)
	}
}

// Several pages watch one session through one session watcher: the
// session pays for one, and each page gets every step exactly once.
func TestSeveralWatchers(t *testing.T) {
	hub := session.NewHub()
	_, srv := newStudio(t, Options{Hub: hub})
	c := newClient(t, hub, "websocket")
	var streams []*sse
	for range 3 {
		st := openSSE(t, srv.URL+"/studio/api/sessions/"+c.s.ID+"/events")
		var snap snapshot
		st.nextOf(t, "snapshot", &snap)
		streams = append(streams, st)
	}
	if n := c.s.Summary().Watched; n != 1 {
		t.Errorf("3 pages hold %d session watchers, want 1", n)
	}
	c.ask(100)
	for i, st := range streams {
		seqs := map[int]int{}
		for len(seqs) < 100 {
			var u update
			st.nextOf(t, "update", &u)
			for _, s := range u.Steps {
				seqs[s[2]]++
			}
		}
		for seq, n := range seqs {
			if n != 1 || seq < 1 || seq > 100 {
				t.Errorf("watcher %d got step %d %d times", i, seq, n)
			}
		}
	}
	for _, st := range streams {
		st.res.Body.Close()
	}
	waitFor(t, "the feed to end", func() bool { return c.s.Summary().Watched == 0 })
}
