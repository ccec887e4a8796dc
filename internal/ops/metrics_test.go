package ops

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gw-project/gw/internal/limits"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/session"
)

func TestMetricsCountSessionsAndSteps(t *testing.T) {
	hub := session.NewHub()
	m := NewMetrics()
	m.Watch(hub)
	info := session.Info{Service: "websocket", Dialect: "graphwalker4", Client: "127.0.0.1:5"}
	s, mach := walk(t, hub, info, 5)
	walk(t, hub, session.Info{Service: "rest", Dialect: "rest"}, 2)

	// A step that timed out, and a setData that threw.
	s.Lock()
	s.AfterStep(mach, machine.Step{}, &limits.Error{Limit: "the script timeout of 2s", Kind: limits.ErrTime}, 0)
	s.Note(mach, "error", "setData", errors.New("ReferenceError: x is not defined"))
	s.Note(mach, "setData", "x = 1", nil)
	s.Unlock()

	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"gw_sessions_opened_total", []string{"service", "websocket"}, 1},
		{"gw_sessions_opened_total", []string{"service", "rest"}, 1},
		{"gw_sessions_started_total", []string{"service", "websocket", "dialect", "graphwalker4"}, 1},
		{"gw_steps_total", []string{"service", "websocket", "result", "ok"}, 5},
		{"gw_steps_total", []string{"service", "websocket", "result", "error"}, 1},
		{"gw_steps_total", []string{"service", "rest", "result", "ok"}, 2},
		{"gw_step_duration_seconds", []string{"service", "websocket"}, 5},
		{"gw_errors_total", []string{"kind", ErrScriptTimeout}, 1},
		{"gw_errors_total", []string{"kind", ErrScript}, 1},
		{"gw_errors_total", []string{"kind", ErrLimit}, 0},
		{"gw_errors_total", []string{"kind", ErrBadJSON}, 0},
		{"gw_sessions_open", []string{"service", "websocket", "dialect", "graphwalker4"}, 1},
		{"gw_sessions_open", []string{"service", "rest"}, 1},
		{"gw_watchers", nil, 0},
		{"gw_ready", nil, 1},
	} {
		if got := value(t, m, c.name, c.labels...); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}

	s.Close("client left")
	if got := value(t, m, "gw_sessions_open", "service", "websocket"); got != -1 {
		t.Errorf("closed session still open: %v", got)
	}
	if got := value(t, m, "gw_sessions_ended_total", "service", "websocket", "dialect", "graphwalker4"); got != 1 {
		t.Errorf("ended = %v, want 1", got)
	}
	m.SetReady(false)
	if got := value(t, m, "gw_ready"); got != 0 {
		t.Errorf("gw_ready after SetReady(false) = %v", got)
	}
}

func TestErrorKind(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{&limits.Error{Kind: limits.ErrTime}, ErrScriptTimeout},
		{&machine.Error{Model: "M", Err: &limits.Error{Kind: limits.ErrTime}}, ErrScriptTimeout},
		{&limits.Error{Kind: limits.ErrMemory}, ErrLimit},
		{&limits.Error{Kind: limits.ErrSize}, ErrLimit},
		{errors.New("TypeError"), ErrScript},
	} {
		if got := ErrorKind(c.err); got != c.want {
			t.Errorf("ErrorKind(%v) = %s, want %s", c.err, got, c.want)
		}
	}
}

func TestEventsCount(t *testing.T) {
	m := NewMetrics()
	ev := m.Events("websocket")
	ev.OnMessage(true, 100)
	ev.OnMessage(true, 5000)
	ev.OnMessage(false, 40)
	ev.OnBadJSON()
	ev.OnRefused("origin")
	ev.OnRefused("origin")
	ev.OnRefused("host")
	ev.OnLimit()
	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"gw_message_size_bytes", []string{"service", "websocket", "direction", "in"}, 2},
		{"gw_message_size_bytes", []string{"service", "websocket", "direction", "out"}, 1},
		{"gw_errors_total", []string{"kind", ErrBadJSON}, 1},
		{"gw_errors_total", []string{"kind", ErrOrigin}, 2},
		{"gw_errors_total", []string{"kind", ErrHost}, 1},
		{"gw_errors_total", []string{"kind", ErrLimit}, 1},
	} {
		if got := value(t, m, c.name, c.labels...); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
}

// scrape returns what GET /metrics answers.
func scrape(t *testing.T, h http.Handler) string {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 {
		t.Fatalf("GET /metrics: %d %s", rec.Code, rec.Body)
	}
	b, _ := io.ReadAll(rec.Body)
	return string(b)
}

func TestMetricsEndpoint(t *testing.T) {
	hub := session.NewHub()
	m := NewMetrics()
	m.Watch(hub)
	walk(t, hub, session.Info{Service: "websocket", Dialect: "graphwalker3"}, 3)
	text := scrape(t, Routes(NewDrainer(), m, http.NotFoundHandler()))
	for _, want := range []string{
		"# TYPE gw_steps_total counter",
		`gw_steps_total{dialect="graphwalker3",result="ok",service="websocket"} 3`,
		"# TYPE gw_step_duration_seconds histogram",
		`gw_sessions_open{dialect="graphwalker3",service="websocket"} 1`,
		`gw_errors_total{kind="bad_json"} 0`,
		"go_goroutines ",
		"process_cpu_seconds_total ",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}
