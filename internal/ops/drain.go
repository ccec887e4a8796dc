package ops

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultDrainTimeout is how long open sessions may run on after SIGTERM
// (gw online --drain-timeout).
const DefaultDrainTimeout = 30 * time.Second

// Drainer is a service's drain state. While it accepts, /readyz answers
// 200; after Drain it answers 503, and Gate refuses new sessions (new
// WebSocket upgrades, REST loads) with 503 and Retry-After so that a load
// balancer sends them elsewhere, while the requests of open sessions still
// pass.
type Drainer struct {
	// RetryAfter is what refused clients are told to wait (0: 5 s).
	RetryAfter time.Duration
	// OnChange, if set, is told when draining starts (false: not ready).
	OnChange func(ready bool)

	mu       sync.Mutex
	draining bool
	started  chan struct{} // closed by Drain
}

// NewDrainer returns a Drainer that accepts sessions.
func NewDrainer() *Drainer { return &Drainer{started: make(chan struct{})} }

// Drain stops accepting new sessions; it reports whether this call
// started the drain.
func (d *Drainer) Drain() bool {
	d.mu.Lock()
	if d.draining {
		d.mu.Unlock()
		return false
	}
	d.draining = true
	close(d.started)
	d.mu.Unlock()
	if d.OnChange != nil {
		d.OnChange(false)
	}
	return true
}

// Draining reports whether Drain was called.
func (d *Drainer) Draining() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.draining
}

// Started is closed when the drain starts.
func (d *Drainer) Started() <-chan struct{} { return d.started }

// Wait waits until open reports no session, polling it, or ctx ends
// (then it returns ctx's error).
func (d *Drainer) Wait(ctx context.Context, open func() int) error {
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for open() > 0 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	return nil
}

// NewSession reports whether r would start a session: a WebSocket
// upgrade, a REST load, or an MCP client's first request.
func NewSession(r *http.Request) bool {
	if r.Method == http.MethodPost && strings.HasSuffix(strings.TrimSuffix(r.URL.Path, "/"), "/graphwalker/load") {
		return true
	}
	// An MCP client's first request (its initialize) has no session id yet.
	if r.Method == http.MethodPost && r.URL.Path == "/mcp" && r.Header.Get("Mcp-Session-Id") == "" {
		return true
	}
	for _, v := range r.Header.Values("Upgrade") {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), "websocket") {
				return true
			}
		}
	}
	return false
}

// Gate refuses requests that would start a session while d drains, with
// 503, Retry-After and a message refuse writes (nil: plain text); other
// requests reach next.
func (d *Drainer) Gate(next http.Handler, refuse func(w http.ResponseWriter, r *http.Request, status int, msg string)) http.Handler {
	if refuse == nil {
		refuse = func(w http.ResponseWriter, _ *http.Request, status int, msg string) { http.Error(w, msg, status) }
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if NewSession(r) && d.Draining() {
			retry := d.RetryAfter
			if retry <= 0 {
				retry = 5 * time.Second
			}
			w.Header().Set("Retry-After", strconv.Itoa(int((retry+time.Second-1)/time.Second)))
			w.Header().Set("Connection", "close")
			refuse(w, r, http.StatusServiceUnavailable, "gw online is draining (shutting down): it takes no new sessions; open sessions run on. Connect again: another instance will take the session")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Healthz answers 200 while the process serves (liveness).
func Healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	io.WriteString(w, "ok\n")
}

// Readyz answers 200 while d accepts sessions and 503 while it drains
// (readiness: a load balancer stops sending new sessions).
func (d *Drainer) Readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if d.Draining() {
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "draining\n")
		return
	}
	io.WriteString(w, "ready\n")
}

// Routes serves /healthz, /readyz and (when m is set) /metrics, and
// passes every other request to next. A router that mounts these itself
// does not need it.
func Routes(d *Drainer, m *Metrics, next http.Handler) http.Handler {
	var metrics http.Handler
	if m != nil {
		metrics = m.Handler()
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			if r.Header.Get("Upgrade") == "" {
				switch r.URL.Path {
				case "/healthz":
					Healthz(w, r)
					return
				case "/readyz":
					d.Readyz(w, r)
					return
				case "/metrics":
					if metrics != nil {
						metrics.ServeHTTP(w, r)
						return
					}
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// Activity counts the requests a handler serves, so that a drain can
// wait for a REST client that is still walking: its machine is the
// instance's, and its next request must still find it.
type Activity struct {
	mu       sync.Mutex
	inFlight int
	last     time.Time
}

// Wrap counts next's requests.
func (a *Activity) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		a.inFlight++
		a.mu.Unlock()
		defer func() {
			a.mu.Lock()
			a.inFlight--
			a.last = time.Now()
			a.mu.Unlock()
		}()
		next.ServeHTTP(w, r)
	})
}

// Busy reports 1 while a request is in flight or one ended less than
// quiet ago, else 0 (a Drainer.Wait count).
func (a *Activity) Busy(quiet time.Duration) func() int {
	return func() int {
		a.mu.Lock()
		defer a.mu.Unlock()
		if a.inFlight > 0 || (!a.last.IsZero() && time.Since(a.last) < quiet) {
			return 1
		}
		return 0
	}
}
