package session

import (
	"fmt"

	"github.com/gw-project/gw/internal/machine"
)

// Breakpoint pauses a session after a step that matches it.
type Breakpoint struct {
	ID string `json:"id"`
	// Model and Element, when set, name (or give the id of) the model and
	// the element the step must be on.
	Model   string `json:"model,omitempty"`
	Element string `json:"element,omitempty"`
	// Condition, when set, is JavaScript evaluated in the session's own
	// scope after the step; the breakpoint hits when it is true. One that
	// throws does not hit; its error is reported to watchers.
	Condition string `json:"condition,omitempty"`
}

// Control is the session's flow-control state.
type Control struct {
	Paused      bool              `json:"paused"`
	Waiting     bool              `json:"waiting"`
	Reason      string            `json:"reason,omitempty"`
	Breakpoints []Breakpoint      `json:"breakpoints"`
	Errors      map[string]string `json:"breakpointErrors,omitempty"`
}

// Control returns the flow-control state.
func (s *Session) Control() Control {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := Control{Paused: s.paused, Waiting: s.waiting, Reason: s.reason, Breakpoints: append([]Breakpoint{}, s.bps...)}
	if len(s.bpErr) > 0 {
		c.Errors = map[string]string{}
		for k, v := range s.bpErr {
			c.Errors[k] = v
		}
	}
	return c
}

// Pause holds the client's next step until Step or Resume.
func (s *Session) Pause(reason string) {
	s.mu.Lock()
	s.paused, s.allowed, s.reason = true, 0, reason
	s.signal()
	s.mu.Unlock()
	s.publish(Event{Kind: EventPaused, Text: reason})
}

// Resume lets the client step freely again.
func (s *Session) Resume() {
	s.mu.Lock()
	s.paused, s.allowed, s.reason = false, 0, ""
	s.signal()
	s.mu.Unlock()
	s.publish(Event{Kind: EventResumed})
}

// Step releases exactly one step of a paused session; it pauses again
// after it. On a running session it pauses after the next step.
func (s *Session) Step() {
	s.mu.Lock()
	if !s.paused {
		s.paused, s.reason = true, "step"
	}
	s.allowed = 1
	s.signal()
	s.mu.Unlock()
}

// SetBreakpoints replaces the session's breakpoints. Their conditions are
// checked (compiled) when they are first evaluated.
func (s *Session) SetBreakpoints(bps []Breakpoint) {
	s.mu.Lock()
	s.bps = append([]Breakpoint(nil), bps...)
	s.bpErr = nil
	s.mu.Unlock()
	s.publish(Event{Kind: EventBreakpoints})
}

// checkBreakpoints runs in AfterStep, in the owner's goroutine.
func (s *Session) checkBreakpoints(m *machine.Machine, step machine.Step, bps []Breakpoint) {
	mod, el := step.Model(), step.Element
	for _, bp := range bps {
		if bp.Model != "" && bp.Model != mod.Name && bp.Model != mod.ID {
			continue
		}
		if bp.Element != "" && bp.Element != mod.ElementID(el) && bp.Element != mod.ElementName(el) {
			continue
		}
		if bp.Condition != "" {
			ok, err := m.Check(bp.Condition)
			if err != nil {
				s.mu.Lock()
				if s.bpErr == nil {
					s.bpErr = map[string]string{}
				}
				s.bpErr[bp.ID] = err.Error()
				s.mu.Unlock()
				s.publish(Event{Kind: EventBreakpointError, Text: bp.ID + ": " + err.Error()})
				continue
			}
			if !ok {
				continue
			}
		}
		reason := fmt.Sprintf("breakpoint %s at %s", bp.ID, mod.Describe(el))
		s.mu.Lock()
		s.paused, s.allowed, s.reason = true, 0, reason
		s.signal()
		s.mu.Unlock()
		s.publish(Event{Kind: EventPaused, Text: reason})
		return
	}
}

// Paused reports whether the session's next step would be held (it is
// paused and Step released none).
func (s *Session) Paused() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.paused && s.allowed == 0
}
