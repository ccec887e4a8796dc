package ops

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/session"
)

// SessionLog is a session.Observer that logs one structured line when a
// session starts its first machine and one when it ends: client, service,
// dialect, steps, coverage and duration.
type SessionLog struct {
	session.Observe
	Log *slog.Logger

	mu    sync.Mutex
	state map[*session.Session]*sessionState
}

type sessionState struct {
	machines       int
	steps          int
	failed         int
	edges, edgesOf int
	verts, vertsOf int
}

// NewSessionLog logs to log at Info level.
func NewSessionLog(log *slog.Logger) *SessionLog {
	return &SessionLog{Log: log, state: map[*session.Session]*sessionState{}}
}

func (l *SessionLog) get(s *session.Session) *sessionState {
	l.mu.Lock()
	defer l.mu.Unlock()
	st := l.state[s]
	if st == nil {
		st = &sessionState{}
		l.state[s] = st
	}
	return st
}

func (l *SessionLog) Started(s *session.Session, m *machine.Machine, st session.Start) {
	ss := l.get(s)
	ss.machines++
	ss.edgesOf, ss.vertsOf = 0, 0
	for _, mod := range st.Models {
		ss.edgesOf += len(mod.Edges)
		ss.vertsOf += len(mod.Vertices)
	}
	coverage(ss, m)
	if ss.machines == 1 {
		info := s.Info()
		l.Log.Info("session started", "session", s.ID, "client", info.Client, "service", info.Service,
			"dialect", info.Dialect, "models", len(st.Models), "seed", st.Seed)
	}
}

func (l *SessionLog) Stepped(s *session.Session, m *machine.Machine, st session.Step) {
	ss := l.get(s)
	if st.Err != nil {
		ss.failed++
		return
	}
	ss.steps++
	coverage(ss, m)
}

// coverage records the visited edges and vertices of m, whose machine
// is usable here (the owner's goroutine).
func coverage(ss *sessionState, m *machine.Machine) {
	ss.edges, ss.verts = 0, 0
	for _, c := range m.Contexts() {
		ss.edges += c.VisitedEdges()
		ss.verts += c.VisitedVertices()
	}
}

func (l *SessionLog) Closed(s *session.Session, why string) {
	l.mu.Lock()
	ss := l.state[s]
	delete(l.state, s)
	l.mu.Unlock()
	if ss == nil {
		ss = &sessionState{}
	}
	info := s.Info()
	l.Log.LogAttrs(context.Background(), slog.LevelInfo, "session ended",
		slog.String("session", s.ID), slog.String("client", info.Client), slog.String("service", info.Service),
		slog.String("dialect", info.Dialect), slog.Int("machines", ss.machines), slog.Int("steps", ss.steps),
		slog.Int("failed_steps", ss.failed),
		slog.Float64("edge_coverage", percent(ss.edges, ss.edgesOf)),
		slog.Float64("vertex_coverage", percent(ss.verts, ss.vertsOf)),
		slog.Float64("duration_seconds", time.Since(s.Opened).Round(time.Millisecond).Seconds()), slog.String("why", why))
}

// percent is part of whole in percent, one decimal; 0 of 0 is 0.
func percent(part, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return float64(int(float64(part)*1000/float64(whole)+0.5)) / 10
}
