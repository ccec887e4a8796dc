package session

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
)

// loop is v0 -e0-> v1 -e1-> v0, counting steps in "n".
func loop(t *testing.T) *machine.Machine {
	t.Helper()
	mod := &model.Model{Name: "Loop", ID: "loop", Generator: "random(never)", Actions: []string{"n = 0;"}}
	v0 := &model.Vertex{ID: "v0", Name: "v_A"}
	v1 := &model.Vertex{ID: "v1", Name: "v_B"}
	mod.Vertices = []*model.Vertex{v0, v1}
	mod.Edges = []*model.Edge{
		{ID: "e0", Name: "e_Go", Source: v0, Target: v1, Actions: []string{"n = n + 1;"}},
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

// owner steps the session's machine as a server does, n times.
func owner(ctx context.Context, s *Session, n int) (int, error) {
	done := 0
	for range n {
		s.Lock()
		if err := s.BeforeStep(ctx); err != nil {
			s.Unlock()
			return done, err
		}
		m := s.Machine()
		t0 := time.Now()
		st, err := m.Next()
		s.AfterStep(m, st, err, time.Since(t0))
		s.Unlock()
		if err != nil {
			return done, err
		}
		done++
	}
	return done, nil
}

func started(t *testing.T) (*Hub, *Session) {
	h := NewHub()
	s := h.Open(Info{Service: "websocket", Client: "127.0.0.1:1"})
	m := loop(t)
	s.Lock()
	s.SetMachine(m, Start{Models: []*model.Model{m.Contexts()[0].Model()}, Seed: 1})
	s.Unlock()
	return h, s
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 5 s")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestPauseStepResume(t *testing.T) {
	_, s := started(t)
	if n, err := owner(context.Background(), s, 3); n != 3 || err != nil {
		t.Fatalf("free run: %d %v", n, err)
	}
	s.Pause("test")
	var mu sync.Mutex
	taken := 0
	done := make(chan error, 1)
	go func() {
		for range 5 {
			_, err := owner(context.Background(), s, 1)
			if err != nil {
				done <- err
				return
			}
			mu.Lock()
			taken++
			mu.Unlock()
		}
		done <- nil
	}()
	count := func() int { mu.Lock(); defer mu.Unlock(); return taken }
	waitFor(t, func() bool { return s.Control().Waiting })
	if count() != 0 {
		t.Fatalf("a paused session stepped %d times", count())
	}
	// Do works while the owner waits.
	var steps int
	if err := s.Do(context.Background(), func(m *machine.Machine) error { steps = m.TotalSteps(); return nil }); err != nil || steps != 3 {
		t.Fatalf("Do while paused: %d %v", steps, err)
	}
	s.Step()
	waitFor(t, func() bool { return count() == 1 && s.Control().Waiting })
	time.Sleep(20 * time.Millisecond)
	if count() != 1 {
		t.Fatalf("Step released %d steps", count())
	}
	s.Step()
	waitFor(t, func() bool { return count() == 2 && s.Control().Waiting })
	s.Resume()
	if err := <-done; err != nil || count() != 5 {
		t.Fatalf("after resume: %d %v", count(), err)
	}
}

func TestBreakpoints(t *testing.T) {
	_, s := started(t)
	w := s.Watch(64)
	defer w.Close()
	s.SetBreakpoints([]Breakpoint{
		{ID: "bad", Condition: "nosuchvar > 1"},
		{ID: "cond", Condition: "n >= 2"},
	})
	// Steps: v_A, e_Go (n=1), v_B, e_Back, v_A, e_Go (n=2): the condition
	// hits after step 6, so the 7th waits.
	ctx, cancel := context.WithCancel(context.Background())
	res := make(chan int, 1)
	go func() { n, _ := owner(ctx, s, 10); res <- n }()
	waitFor(t, func() bool { return s.Control().Waiting })
	c := s.Control()
	if !strings.Contains(c.Reason, "breakpoint cond") || !strings.Contains(c.Reason, "e_Go") {
		t.Errorf("reason %q", c.Reason)
	}
	if !strings.Contains(c.Errors["bad"], "nosuchvar") {
		t.Errorf("the throwing condition's error is not reported: %v", c.Errors)
	}
	if s.Summary().Steps != 6 {
		t.Errorf("paused after %d steps, want 6", s.Summary().Steps)
	}
	cancel() // the client leaves while held
	if n := <-res; n != 6 {
		t.Errorf("owner took %d steps", n)
	}
	kinds := map[string]int{}
	for len(w.C()) > 0 {
		kinds[(<-w.C()).Kind]++
	}
	if kinds[EventStep] != 6 || kinds[EventPaused] != 1 || kinds[EventBreakpointError] == 0 {
		t.Errorf("events %v", kinds)
	}
}

func TestElementBreakpoint(t *testing.T) {
	_, s := started(t)
	s.SetBreakpoints([]Breakpoint{{ID: "b", Model: "Loop", Element: "e_Back"}})
	go owner(context.Background(), s, 10)
	waitFor(t, func() bool { return s.Control().Waiting })
	if s.Summary().Steps != 4 {
		t.Errorf("paused after %d steps, want 4 (v_A e_Go v_B e_Back)", s.Summary().Steps)
	}
	s.Resume()
}

func TestCloseAndShutdownRelease(t *testing.T) {
	h, s := started(t)
	s.Pause("")
	res := make(chan error, 1)
	go func() { _, err := owner(context.Background(), s, 1); res <- err }()
	waitFor(t, func() bool { return s.Control().Waiting })
	h.Shutdown()
	if err := <-res; !errors.Is(err, ErrClosing) {
		t.Fatalf("shutdown: %v", err)
	}
	h2, s2 := started(t)
	s2.Pause("")
	go func() { _, err := owner(context.Background(), s2, 1); res <- err }()
	waitFor(t, func() bool { return s2.Control().Waiting })
	s2.Close("client left")
	if err := <-res; !errors.Is(err, ErrClosed) {
		t.Fatalf("close: %v", err)
	}
	if h2.Len() != 0 || h2.Get(s2.ID) != nil {
		t.Error("a closed session is still listed")
	}
}

// A watcher that never reads costs the session nothing but lost events.
func TestSlowWatcherNeverBlocks(t *testing.T) {
	_, s := started(t)
	w := s.Watch(4)
	start := time.Now()
	if n, err := owner(context.Background(), s, 1000); n != 1000 || err != nil {
		t.Fatal(n, err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("1000 steps took %v", d)
	}
	if !w.Lost() || len(w.C()) != 4 {
		t.Errorf("lost=%v queued=%d", w.Lost(), len(w.C()))
	}
	s.Close("done")
	for range w.C() {
	}
}

type counter struct {
	Observe
	mu                                   sync.Mutex
	opened, starts, steps, notes, closed int
}

func (c *counter) Opened(*Session) { c.mu.Lock(); c.opened++; c.mu.Unlock() }
func (c *counter) Started(*Session, *machine.Machine, Start) {
	c.mu.Lock()
	c.starts++
	c.mu.Unlock()
}
func (c *counter) Stepped(_ *Session, m *machine.Machine, st Step) {
	c.mu.Lock()
	c.steps++
	c.mu.Unlock()
	if _, err := m.Data(); err != nil { // the machine is usable here
		panic(err)
	}
}
func (c *counter) Noted(*Session, *machine.Machine, Note) { c.mu.Lock(); c.notes++; c.mu.Unlock() }
func (c *counter) Closed(*Session, string)                { c.mu.Lock(); c.closed++; c.mu.Unlock() }

func TestObservers(t *testing.T) {
	h := NewHub()
	c := &counter{}
	h.Observe(c)
	s := h.Open(Info{Service: "rest"})
	m := loop(t)
	s.Lock()
	s.SetMachine(m, Start{})
	s.Unlock()
	owner(context.Background(), s, 5)
	s.Lock()
	s.Note(m, "setData", "n = 5;", nil)
	s.Unlock()
	s.Close("end")
	if c.opened != 1 || c.starts != 1 || c.steps != 5 || c.notes != 1 || c.closed != 1 {
		t.Errorf("%+v", c)
	}
	if got := h.List(); len(got) != 0 {
		t.Errorf("list after close: %v", got)
	}
}
