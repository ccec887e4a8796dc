package httpguard

// Events is told what a service refuses and carries, for metrics
// (internal/ops implements it). A nil *Events is valid and tells no one;
// any nil field is skipped. Its functions are called from the serving
// goroutines and must be quick.
type Events struct {
	// Refused is told of a request the Policy refused: "origin" or "host".
	Refused func(kind string)
	// Message is told the size of a message read (in) or written (out):
	// a WebSocket message, a REST request body or answer.
	Message func(in bool, bytes int)
	// BadJSON is told of a message or load body that is not JSON.
	BadJSON func()
	// Limit is told of a message or load body refused for a limit: its
	// size, or the memory budget.
	Limit func()
}

// OnRefused tells e.Refused, if any.
func (e *Events) OnRefused(kind string) {
	if e != nil && e.Refused != nil {
		e.Refused(kind)
	}
}

// OnMessage tells e.Message, if any.
func (e *Events) OnMessage(in bool, bytes int) {
	if e != nil && e.Message != nil {
		e.Message(in, bytes)
	}
}

// OnBadJSON tells e.BadJSON, if any.
func (e *Events) OnBadJSON() {
	if e != nil && e.BadJSON != nil {
		e.BadJSON()
	}
}

// OnLimit tells e.Limit, if any.
func (e *Events) OnLimit() {
	if e != nil && e.Limit != nil {
		e.Limit()
	}
}
