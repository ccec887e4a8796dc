package session

import "sync"

// Event kinds.
const (
	EventStart           = "start"   // a machine started
	EventStep            = "step"    // a step was taken (Step set)
	EventNote            = "note"    // setData, fail, error (Note set)
	EventPaused          = "paused"  // Text says why
	EventResumed         = "resumed" //
	EventWaiting         = "waiting" // the client's step is held
	EventBreakpoints     = "breakpoints"
	EventBreakpointError = "breakpoint-error" // Text: id and error
	EventClosed          = "closed"           // the session ended; the channel closes
)

// Event is what watchers receive.
type Event struct {
	Kind string
	Step Step // a value: a step's event costs no allocation
	Note *Note
	Text string
}

// Watcher receives a session's events through a bounded queue.
type Watcher struct {
	s  *Session
	ch chan Event

	mu     sync.Mutex
	lost   bool
	closed bool
}

// Watch returns a watcher with a queue of n events (at least 1).
func (s *Session) Watch(n int) *Watcher {
	w := &Watcher{s: s, ch: make(chan Event, max(n, 1))}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		w.end()
		return w
	}
	s.watchers[w] = struct{}{}
	s.listWatchers()
	s.mu.Unlock()
	return w
}

// C delivers the events; it is closed when the session or the watcher
// ends.
func (w *Watcher) C() <-chan Event { return w.ch }

// Lost reports, and clears, whether events were dropped because the queue
// was full: the watcher should resynchronise from a snapshot.
func (w *Watcher) Lost() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	l := w.lost
	w.lost = false
	return l
}

// Close stops watching.
func (w *Watcher) Close() {
	w.s.mu.Lock()
	delete(w.s.watchers, w)
	w.s.listWatchers()
	w.s.mu.Unlock()
	w.end()
}

func (w *Watcher) end() {
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		close(w.ch)
	}
	w.mu.Unlock()
}

func (w *Watcher) send(e Event) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return
	}
	select {
	case w.ch <- e:
	default:
		w.lost = true
	}
}

// listWatchers renews the list publish reads; s.mu is held.
func (s *Session) listWatchers() {
	ws := make([]*Watcher, 0, len(s.watchers))
	for w := range s.watchers {
		ws = append(ws, w)
	}
	s.watching.Store(&ws)
}

// publish offers e to every watcher without ever waiting.
func (s *Session) publish(e Event) {
	ws := s.watching.Load()
	if ws == nil {
		return
	}
	for _, w := range *ws {
		w.send(e)
	}
}
