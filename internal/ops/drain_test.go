package ops

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gw-project/gw/internal/session"
)

func TestHealthAndReadiness(t *testing.T) {
	d := NewDrainer()
	var told atomic.Int32
	d.OnChange = func(ready bool) {
		if !ready {
			told.Add(1)
		}
	}
	h := Routes(d, nil, http.NotFoundHandler())
	get := func(path string) (int, string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec.Code, rec.Body.String()
	}
	for _, c := range []struct {
		path, body string
		code       int
	}{{"/healthz", "ok\n", 200}, {"/readyz", "ready\n", 200}, {"/metrics", "404 page not found\n", 404}} {
		if code, body := get(c.path); code != c.code || body != c.body {
			t.Errorf("before drain: GET %s = %d %q, want %d %q", c.path, code, body, c.code, c.body)
		}
	}
	if !d.Drain() || d.Drain() {
		t.Fatal("Drain must report true once, then false")
	}
	if told.Load() != 1 {
		t.Errorf("OnChange told %d times, want 1", told.Load())
	}
	select {
	case <-d.Started():
	default:
		t.Error("Started not closed after Drain")
	}
	if code, body := get("/readyz"); code != 503 || body != "draining\n" {
		t.Errorf("draining: GET /readyz = %d %q", code, body)
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Errorf("draining: GET /healthz = %d, want 200 (alive)", code)
	}
}

func TestGateRefusesNewSessionsWhileDraining(t *testing.T) {
	d := NewDrainer()
	passed := 0
	h := d.Gate(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { passed++ }), nil)
	upgrade := func() *http.Request {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Connection", "Upgrade")
		r.Header.Set("Upgrade", "WebSocket")
		return r
	}
	reqs := []struct {
		name   string
		r      *http.Request
		refuse bool // while draining
	}{
		{"upgrade", upgrade(), true},
		{"load", httptest.NewRequest("POST", "/graphwalker/load", strings.NewReader("{}")), true},
		{"getNext", httptest.NewRequest("GET", "/graphwalker/getNext", nil), false},
		{"hasNext", httptest.NewRequest("GET", "/graphwalker/hasNext", nil), false},
		{"plain", httptest.NewRequest("GET", "/", nil), false},
		{"MCP initialize", httptest.NewRequest("POST", "/mcp", strings.NewReader("{}")), true},
		{"MCP call in a session", mcpCall(), false},
	}
	for _, c := range reqs {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, c.r)
		if rec.Code != 200 {
			t.Errorf("accepting: %s answered %d", c.name, rec.Code)
		}
	}
	if passed != len(reqs) {
		t.Fatalf("accepting: %d of %d requests passed", passed, len(reqs))
	}
	d.Drain()
	passed = 0
	for _, c := range reqs {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, c.r)
		switch {
		case c.refuse && (rec.Code != 503 || rec.Header().Get("Retry-After") != "5" || !strings.Contains(rec.Body.String(), "draining")):
			t.Errorf("draining: %s answered %d Retry-After %q %q, want 503, 5 and a message", c.name, rec.Code, rec.Header().Get("Retry-After"), rec.Body)
		case !c.refuse && rec.Code != 200:
			t.Errorf("draining: %s (an open session's) answered %d", c.name, rec.Code)
		}
	}
	if passed != 4 {
		t.Errorf("draining: %d requests passed, want 4", passed)
	}
}

// mcpCall is a request of an MCP client that has a session.
func mcpCall() *http.Request {
	r := httptest.NewRequest("POST", "/mcp", strings.NewReader("{}"))
	r.Header.Set("Mcp-Session-Id", "s1")
	return r
}

func TestWait(t *testing.T) {
	d := NewDrainer()
	var open atomic.Int32
	open.Store(2)
	go func() {
		time.Sleep(30 * time.Millisecond)
		open.Store(1)
		time.Sleep(30 * time.Millisecond)
		open.Store(0)
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	t0 := time.Now()
	if err := d.Wait(ctx, func() int { return int(open.Load()) }); err != nil {
		t.Fatalf("Wait: %v", err)
	}
	if time.Since(t0) < 50*time.Millisecond {
		t.Errorf("Wait returned before the sessions ended")
	}
	short, cancel2 := context.WithTimeout(context.Background(), 60*time.Millisecond)
	defer cancel2()
	if err := d.Wait(short, func() int { return 1 }); err != context.DeadlineExceeded {
		t.Errorf("Wait past its deadline = %v, want DeadlineExceeded", err)
	}
}

func TestSessionLogLine(t *testing.T) {
	var buf bytes.Buffer
	hub := session.NewHub()
	hub.Observe(NewSessionLog(slog.New(slog.NewJSONHandler(&buf, nil))))
	s, _ := walk(t, hub, session.Info{Service: "websocket", Dialect: "graphwalker4", Client: "10.1.2.3:4567"}, 3)
	s.Close("client left")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want a start and an end line, got %q", buf.String())
	}
	var start, end map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &start); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(lines[1]), &end); err != nil {
		t.Fatal(err)
	}
	if start["msg"] != "session started" || start["client"] != "10.1.2.3:4567" {
		t.Errorf("start line: %v", start)
	}
	// Three steps of the loop: v_A, e_Go, v_B: one edge of two, both
	// vertices.
	want := map[string]any{
		"msg": "session ended", "client": "10.1.2.3:4567", "service": "websocket", "dialect": "graphwalker4",
		"steps": 3.0, "machines": 1.0, "failed_steps": 0.0, "why": "client left",
		"edge_coverage": 50.0, "vertex_coverage": 100.0,
	}
	for k, v := range want {
		if end[k] != v {
			t.Errorf("end line %s = %v, want %v", k, end[k], v)
		}
	}
	if d, ok := end["duration_seconds"].(float64); !ok || d < 0 || d > 60 {
		t.Errorf("end line duration_seconds = %v", end["duration_seconds"])
	}
}

func TestActivity(t *testing.T) {
	var a Activity
	busy := a.Busy(40 * time.Millisecond)
	if busy() != 0 {
		t.Fatal("busy before any request")
	}
	release := make(chan struct{})
	entered := make(chan struct{})
	h := a.Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { close(entered); <-release }))
	done := make(chan struct{})
	go func() {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/graphwalker/getNext", nil))
		close(done)
	}()
	<-entered
	if busy() != 1 {
		t.Error("not busy with a request in flight")
	}
	close(release)
	<-done
	if busy() != 1 {
		t.Error("not busy right after a request (the client's next one may come)")
	}
	time.Sleep(60 * time.Millisecond)
	if busy() != 0 {
		t.Error("still busy after the quiet period")
	}
}
