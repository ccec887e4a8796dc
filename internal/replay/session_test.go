package replay

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/record"
	"github.com/gw-project/gw/internal/session"
)

// client drives a session as a WebSocket or REST client does: hasNext,
// getNext, and a setData after the steps in setData. It returns the
// element names it got and the error that ended the walk.
func client(s *session.Session, setData map[int]string, max int) ([]string, error) {
	var path []string
	for range max {
		s.Lock()
		if err := s.BeforeStep(context.Background()); err != nil {
			s.Unlock()
			return path, err
		}
		m := s.Machine()
		more, err := m.HasNext()
		if err != nil || !more {
			s.Unlock()
			return path, err
		}
		st, err := m.Next()
		s.AfterStep(m, st, err, 0)
		if err != nil {
			s.Unlock()
			return path, err
		}
		path = append(path, st.Model().ElementName(st.Element))
		if sd, ok := setData[m.TotalSteps()]; ok {
			err := m.Execute(sd)
			s.Note(m, "setData", sd, err)
		}
		s.Unlock()
	}
	return path, nil
}

func start(t *testing.T, hub *session.Hub, models []*model.Model, opts machine.Options) *session.Session {
	t.Helper()
	s := hub.Open(session.Info{Service: "websocket", Client: "127.0.0.1:1"})
	m, err := machine.New(models, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	s.Lock()
	s.SetMachine(m, session.Start{Models: models, Seed: m.Seed(), Source: "start"})
	s.Unlock()
	return s
}

// A session recorded online is walked again exactly by the next session,
// whatever generator and seed its client loads, as gw online --replay
// does; the client makes its own setData calls.
func TestReplayASession(t *testing.T) {
	dir := t.TempDir()
	hub := session.NewHub()
	hub.Observe(record.NewObserver(record.Options{Dir: dir}))
	// Login's e_StartClient guards read validLogin and rememberMe, which
	// the client sets.
	setData := map[int]string{3: "rememberMe = true;", 9: "validLogin = true;"}
	s := start(t, hub, load(t, "Login.json"), machine.Options{Seed: 42, HasSeed: true})
	want, err := client(s, setData, 60)
	if err != nil {
		t.Fatal(err)
	}
	s.Close("done")
	files, _ := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if len(files) != 1 {
		t.Fatalf("records %v", files)
	}
	p, err := Load(files[0])
	if err != nil {
		t.Fatal(err)
	}
	once := NewOnce(p)

	// The next session: another generator, another seed.
	models := load(t, "Login.json")
	models[0].Generator = "quick_random(edge_coverage(100))"
	f, err := once.Take().Force(models)
	if err != nil {
		t.Fatal(err)
	}
	if once.Pending() || once.Take() != nil {
		t.Error("the path was handed out twice")
	}
	opts := machine.Options{Seed: 7, HasSeed: true}
	f.Apply(&opts)
	got, err := client(start(t, hub, models, opts), setData, 100)
	if err != nil || strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("replayed %v (%v)\nwant %v", got, err, want)
	}
	if err := f.End(); err != nil {
		t.Error(err)
	}

	// A client that no longer makes the setData its walk depends on
	// diverges where a guard turns false.
	f, _ = p.Force(load(t, "Login.json"))
	opts = machine.Options{}
	f.Apply(&opts)
	got, err = client(start(t, hub, load(t, "Login.json"), opts), nil, 100)
	var de *DivergenceError
	if !errors.As(err, &de) || !strings.Contains(err.Error(), "is false now") {
		t.Fatalf("without setData: %v after %d steps", err, len(got))
	}
	if de.Step != len(got)+1 {
		t.Errorf("the divergence names step %d after %d steps", de.Step, len(got))
	}
}
