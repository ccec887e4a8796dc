package ops

import (
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/session"
)

// loop is v0 -e0-> v1 -e1-> v0.
func loop(t testing.TB) *machine.Machine {
	t.Helper()
	mod := &model.Model{Name: "Loop", ID: "loop", Generator: "random(never)"}
	v0 := &model.Vertex{ID: "v0", Name: "v_A"}
	v1 := &model.Vertex{ID: "v1", Name: "v_B"}
	mod.Vertices = []*model.Vertex{v0, v1}
	mod.Edges = []*model.Edge{
		{ID: "e0", Name: "e_Go", Source: v0, Target: v1},
		{ID: "e1", Name: "e_Back", Source: v1, Target: v0},
	}
	mod.StartElementID = "v0"
	if err := mod.Index(); err != nil {
		t.Fatal(err)
	}
	m, err := machine.New([]*model.Model{mod}, machine.Options{Seed: 1, HasSeed: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	return m
}

// walk opens a session on hub, starts a loop machine and takes n steps as
// a server's owner goroutine does.
func walk(t testing.TB, hub *session.Hub, info session.Info, n int) (*session.Session, *machine.Machine) {
	t.Helper()
	s := hub.Open(info)
	m := loop(t)
	s.Lock()
	defer s.Unlock()
	s.SetMachine(m, session.Start{Models: []*model.Model{m.Contexts()[0].Model()}, Seed: 1})
	for range n {
		t0 := time.Now()
		st, err := m.Next()
		if err != nil {
			t.Fatal(err)
		}
		s.AfterStep(m, st, nil, time.Since(t0))
	}
	return s, m
}

// value finds the metric name with labels (name=value pairs) in m's
// registry: a counter's or gauge's value, a histogram's count.
func value(t *testing.T, m *Metrics, name string, labels ...string) float64 {
	t.Helper()
	fams, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if f.GetName() != name {
			continue
		}
	next:
		for _, mt := range f.GetMetric() {
			for i := 0; i+1 < len(labels); i += 2 {
				if !hasLabel(mt, labels[i], labels[i+1]) {
					continue next
				}
			}
			switch {
			case mt.Counter != nil:
				return mt.Counter.GetValue()
			case mt.Gauge != nil:
				return mt.Gauge.GetValue()
			case mt.Histogram != nil:
				return float64(mt.Histogram.GetSampleCount())
			}
		}
	}
	return -1 // absent
}

func hasLabel(m *dto.Metric, name, val string) bool {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue() == val
		}
	}
	return false
}
