package session

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
)

// Info says where a session comes from.
type Info struct {
	Service string // "websocket", "rest" or "mcp"
	Dialect string // "graphwalker3", "graphwalker4", "rest", "mcp"; "" until known
	Client  string // the client's address
}

// Start describes a machine a session starts: the models it walks and
// how.
type Start struct {
	Models []*model.Model
	Seed   int64
	// Source is what the client sent, e.g. a command line or a message
	// name; for records.
	Source string
}

// Step is one step a session's machine took, as observers see it.
type Step struct {
	Seq     int          // steps of the machine so far, this one included
	Step    machine.Step // the step; its Context is nil when the step failed before choosing one
	Err     error        // the step failed
	Time    time.Time    // when it ended
	Elapsed time.Duration
}

// Note is something else a session did: setData, fail, an error.
type Note struct {
	Kind string // "setData", "fail", "error"
	Text string
	Err  error
	Seq  int // steps taken when it happened
	Time time.Time
}

// Observer is told what every session does. Its methods run in the
// session's owner goroutine, with the machine usable; they must be quick.
type Observer interface {
	Opened(s *Session)
	Started(s *Session, m *machine.Machine, st Start)
	Stepped(s *Session, m *machine.Machine, st Step)
	Noted(s *Session, m *machine.Machine, n Note)
	Closed(s *Session, why string)
}

// Observe is a no-op Observer to embed.
type Observe struct{}

func (Observe) Opened(*Session)                           {}
func (Observe) Started(*Session, *machine.Machine, Start) {}
func (Observe) Stepped(*Session, *machine.Machine, Step)  {}
func (Observe) Noted(*Session, *machine.Machine, Note)    {}
func (Observe) Closed(*Session, string)                   {}

// Hub is the registry of a service's live sessions.
type Hub struct {
	seq atomic.Uint64

	mu       sync.Mutex
	sessions map[string]*Session
	obs      []Observer
	closing  error
}

// NewHub returns an empty hub.
func NewHub() *Hub { return &Hub{sessions: map[string]*Session{}} }

// Observe adds an observer of every session opened from now on.
func (h *Hub) Observe(o Observer) {
	h.mu.Lock()
	h.obs = append(h.obs, o)
	h.mu.Unlock()
}

// ErrClosing is what waiting sessions get when the hub shuts down.
var ErrClosing = errors.New("the service is shutting down")

// ErrClosed is what a closed session's BeforeStep returns.
var ErrClosed = errors.New("the session was closed")

// Open registers a new session.
func (h *Hub) Open(info Info) *Session {
	s := &Session{
		hub: h, ID: strconv.FormatUint(h.seq.Add(1), 10), info: info, Opened: time.Now(),
		wake: make(chan struct{}), watchers: map[*Watcher]struct{}{},
	}
	h.mu.Lock()
	h.sessions[s.ID] = s
	s.obs = append([]Observer(nil), h.obs...)
	h.mu.Unlock()
	for _, o := range s.obs {
		o.Opened(s)
	}
	return s
}

// Get returns the live session with that id, or nil.
func (h *Hub) Get(id string) *Session {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.sessions[id]
}

// Len is the number of live sessions.
func (h *Hub) Len() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.sessions)
}

// List summarises the live sessions, oldest first.
func (h *Hub) List() []Summary {
	h.mu.Lock()
	ss := make([]*Session, 0, len(h.sessions))
	for _, s := range h.sessions {
		ss = append(ss, s)
	}
	h.mu.Unlock()
	sort.Slice(ss, func(i, j int) bool { return ss[i].Opened.Before(ss[j].Opened) })
	out := make([]Summary, len(ss))
	for i, s := range ss {
		out[i] = s.Summary()
	}
	return out
}

// Shutdown releases every session waiting in BeforeStep with ErrClosing.
func (h *Hub) Shutdown() {
	h.mu.Lock()
	h.closing = ErrClosing
	ss := make([]*Session, 0, len(h.sessions))
	for _, s := range h.sessions {
		ss = append(ss, s)
	}
	h.mu.Unlock()
	for _, s := range ss {
		s.mu.Lock()
		s.signal()
		s.mu.Unlock()
	}
}

func (h *Hub) closingErr() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.closing
}

// Session is one live session.
type Session struct {
	hub    *Hub
	ID     string
	Opened time.Time
	obs    []Observer

	op sync.Mutex // the owner's, while it uses the machine; Do takes it

	mu       sync.Mutex
	info     Info
	m        *machine.Machine
	models   []string
	steps    int
	starts   int
	last     Step
	watchers map[*Watcher]struct{}
	// watching is the watchers as a list, replaced (never changed) under
	// mu whenever they change, so that a step publishes without a lock or
	// an allocation when nobody watches.
	watching atomic.Pointer[[]*Watcher]
	paused   bool
	allowed  int    // steps Step released while paused
	reason   string // why the session is paused
	bps      []Breakpoint
	bpErr    map[string]string // breakpoint id → its condition's last error
	wake     chan struct{}     // closed (and replaced) when flow control changes
	closed   bool
	waiting  bool // the owner waits in BeforeStep
}

// Lock is taken by the owner while it uses the machine.
func (s *Session) Lock() { s.op.Lock() }

// Unlock releases what Lock took.
func (s *Session) Unlock() { s.op.Unlock() }

// SetDialect records the dialect once the first message tells it.
func (s *Session) SetDialect(d string) {
	s.mu.Lock()
	s.info.Dialect = d
	s.mu.Unlock()
}

// Info says where the session comes from.
func (s *Session) Info() Info {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.info
}

// SetMachine records the machine the owner just built (start, load,
// restart), or nil when it dropped it. The owner holds the lock.
func (s *Session) SetMachine(m *machine.Machine, st Start) {
	s.mu.Lock()
	s.m = m
	if m != nil {
		s.starts++
		s.steps = 0
		s.last = Step{}
		s.models = s.models[:0]
		for _, mod := range st.Models {
			s.models = append(s.models, mod.Name)
		}
	}
	s.mu.Unlock()
	if m == nil {
		return
	}
	for _, o := range s.obs {
		o.Started(s, m, st)
	}
	s.publish(Event{Kind: EventStart})
}

// Machine is the session's machine; only the owner, or Do's function, may
// use it.
func (s *Session) Machine() *machine.Machine {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m
}

// BeforeStep is called by the owner, holding the lock, before it takes a
// step: while the session is paused it waits — lock released, so that Do
// works — until Resume, Step, ctx's end (the client left) or the hub's
// shutdown, whose errors it returns.
func (s *Session) BeforeStep(ctx context.Context) error {
	s.mu.Lock()
	for s.paused && s.allowed == 0 {
		if err := s.hub.closingErr(); err != nil {
			s.mu.Unlock()
			return err
		}
		if s.closed {
			s.mu.Unlock()
			return ErrClosed
		}
		wake := s.wake
		s.waiting = true
		s.mu.Unlock()
		s.publish(Event{Kind: EventWaiting})
		s.op.Unlock()
		select {
		case <-wake:
		case <-ctx.Done():
		}
		s.op.Lock()
		s.mu.Lock()
		s.waiting = false
		if ctx.Err() != nil {
			s.mu.Unlock()
			return ctx.Err()
		}
	}
	if s.allowed > 0 {
		s.allowed--
	}
	s.mu.Unlock()
	return nil
}

// AfterStep is called by the owner, holding the lock, after each step
// (err set when it failed): observers see it, breakpoints are evaluated
// (a hit pauses the session before its next step) and watchers are told.
func (s *Session) AfterStep(m *machine.Machine, step machine.Step, err error, elapsed time.Duration) {
	st := Step{Seq: m.TotalSteps(), Step: step, Err: err, Time: time.Now(), Elapsed: elapsed}
	s.mu.Lock()
	s.steps = st.Seq
	s.last = st
	bps := s.bps
	s.mu.Unlock()
	for _, o := range s.obs {
		o.Stepped(s, m, st)
	}
	if err == nil && step.Context != nil && len(bps) > 0 {
		s.checkBreakpoints(m, step, bps)
	}
	s.publish(Event{Kind: EventStep, Step: st})
}

// Note records setData, fail or an error; the owner holds the lock.
func (s *Session) Note(m *machine.Machine, kind, text string, err error) {
	n := Note{Kind: kind, Text: text, Err: err, Time: time.Now()}
	if m != nil {
		n.Seq = m.TotalSteps()
	}
	for _, o := range s.obs {
		o.Noted(s, m, n)
	}
	s.publish(Event{Kind: EventNote, Note: &n})
}

// Close ends the session: it leaves the hub, observers and watchers are
// told, a waiting BeforeStep returns.
func (s *Session) Close(why string) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	s.signal()
	s.mu.Unlock()
	s.hub.mu.Lock()
	delete(s.hub.sessions, s.ID)
	s.hub.mu.Unlock()
	for _, o := range s.obs {
		o.Closed(s, why)
	}
	s.publish(Event{Kind: EventClosed, Text: why})
	s.mu.Lock()
	for w := range s.watchers {
		w.end()
	}
	s.watchers = map[*Watcher]struct{}{}
	s.watching.Store(nil)
	s.mu.Unlock()
}

// ErrNoMachine is Do's error while the session has no machine.
var ErrNoMachine = errors.New("the session has no machine yet (its client has not started or loaded a model)")

// Do runs f on the session's machine under the session's lock, waiting
// while the owner takes a step (at most its deadline). ctx bounds the
// wait.
func (s *Session) Do(ctx context.Context, f func(m *machine.Machine) error) error {
	locked := make(chan struct{})
	go func() { s.op.Lock(); close(locked) }()
	select {
	case <-locked:
	case <-ctx.Done():
		go func() { <-locked; s.op.Unlock() }()
		return ctx.Err()
	}
	defer s.op.Unlock()
	m := s.Machine()
	if m == nil {
		return ErrNoMachine
	}
	return f(m)
}

// Summary is what a list of sessions shows.
type Summary struct {
	ID      string    `json:"id"`
	Service string    `json:"service"`
	Dialect string    `json:"dialect,omitempty"`
	Client  string    `json:"client"`
	Opened  time.Time `json:"opened"`
	Models  []string  `json:"models"`
	Steps   int       `json:"steps"`
	Started bool      `json:"started"`
	Paused  bool      `json:"paused"`
	Waiting bool      `json:"waiting"` // the client's step is held
	Reason  string    `json:"reason,omitempty"`
	Watched int       `json:"watchers"`
}

// Summary summarises the session without touching its machine.
func (s *Session) Summary() Summary {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Summary{
		ID: s.ID, Service: s.info.Service, Dialect: s.info.Dialect, Client: s.info.Client, Opened: s.Opened,
		Models: append([]string(nil), s.models...), Steps: s.steps, Started: s.m != nil,
		Paused: s.paused, Waiting: s.waiting, Reason: s.reason, Watched: len(s.watchers),
	}
}

// signal wakes a waiting BeforeStep; s.mu is held.
func (s *Session) signal() {
	close(s.wake)
	s.wake = make(chan struct{})
}

func (s *Session) String() string { return fmt.Sprintf("session %s (%s)", s.ID, s.info.Service) }
