package ops

import (
	"net/http"
	"os/exec"
	"strings"
	"testing"

	"github.com/gw-project/gw/internal/gwtest"
	"github.com/gw-project/gw/internal/server/httpguard"
	"github.com/gw-project/gw/internal/session"
)

// TestPromtoolCheckMetrics runs Prometheus' own linter on a scrape that
// has every gw metric with samples.
func TestPromtoolCheckMetrics(t *testing.T) {
	promtool := gwtest.Program(t, "prometheus", "promtool")
	hub := session.NewHub()
	m := NewMetrics()
	m.CountClients(httpguard.NewClients(1, nil, nil))
	m.Watch(hub)
	s, _ := walk(t, hub, session.Info{Service: "websocket", Dialect: "graphwalker4"}, 4)
	ev := m.Events("websocket")
	ev.OnMessage(true, 300)
	ev.OnMessage(false, 120)
	ev.OnBadJSON()
	ev.OnRefused("origin")
	s.Close("done")
	text := scrape(t, Routes(NewDrainer(), m, http.NotFoundHandler()))

	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = strings.NewReader(text)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("promtool check metrics: %v\n%s", err, out)
	}
	if len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("promtool check metrics has findings:\n%s", out)
	}
	for _, name := range []string{"gw_sessions_opened_total", "gw_sessions_started_total", "gw_sessions_ended_total",
		"gw_steps_total", "gw_step_duration_seconds", "gw_message_size_bytes", "gw_errors_total", "gw_ready",
		"gw_watchers", "gw_client_cap_refused_total", "go_goroutines", "process_resident_memory_bytes"} {
		if !strings.Contains(text, "# TYPE "+name+" ") {
			t.Errorf("the scrape lacks %s", name)
		}
	}
}
