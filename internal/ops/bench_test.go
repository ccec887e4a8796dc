package ops

import (
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/gw-project/gw/internal/session"
)

// BenchmarkStepObserved is what metrics and the session log add to each
// step of a session (the hub's AfterStep with both observers), against
// the bare hub.
func BenchmarkStepObserved(b *testing.B) {
	for _, c := range []struct {
		name    string
		observe func(*session.Hub)
	}{
		{"bare", func(*session.Hub) {}},
		{"metrics+log", func(h *session.Hub) {
			NewMetrics().Watch(h)
			h.Observe(NewSessionLog(slog.New(slog.NewJSONHandler(io.Discard, nil))))
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			hub := session.NewHub()
			c.observe(hub)
			s, m := walk(b, hub, session.Info{Service: "websocket", Dialect: "graphwalker4"}, 0)
			st, err := m.Next()
			if err != nil {
				b.Fatal(err)
			}
			s.Lock()
			defer s.Unlock()
			b.ReportAllocs()
			for b.Loop() {
				s.AfterStep(m, st, nil, time.Microsecond)
			}
		})
	}
}
