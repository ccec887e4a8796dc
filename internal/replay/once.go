package replay

import "sync"

// Once hands a path to the next session that starts a machine, and to no
// other: gw online --replay RECORD replays the record once, then serves
// as usual. Safe for concurrent use.
type Once struct {
	mu   sync.Mutex
	path *Path
}

// NewOnce holds p for the next session.
func NewOnce(p *Path) *Once { return &Once{path: p} }

// Take returns the path for the session starting now, or nil when an
// earlier session took it.
func (o *Once) Take() *Path {
	o.mu.Lock()
	defer o.mu.Unlock()
	p := o.path
	o.path = nil
	return p
}

// Pending reports whether the path is still waiting for a session.
func (o *Once) Pending() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.path != nil
}
