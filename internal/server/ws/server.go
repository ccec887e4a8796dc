package ws

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/gw-project/gw/internal/limits"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/script"
	"github.com/gw-project/gw/internal/server/httpguard"
	hubpkg "github.com/gw-project/gw/internal/session"
)

// Defaults for the zero Options.
const (
	DefaultMaxMessageBytes = 32 << 20
	DefaultMaxSessions     = 10000
	DefaultIdleTimeout     = 30 * time.Minute
)

// Options configure a Server. The zero value is usable.
type Options struct {
	// MaxMessageBytes is the largest message accepted; a larger one is
	// drained and answered with an error (0: DefaultMaxMessageBytes,
	// <0: no limit).
	MaxMessageBytes int64
	// MaxSessions bounds concurrent connections; more are refused with
	// HTTP 503 (0: DefaultMaxSessions, <0: no limit).
	MaxSessions int
	// IdleTimeout closes a connection that sent nothing for that long
	// (0: DefaultIdleTimeout, <0: never).
	IdleTimeout time.Duration
	// Script bounds each session's JavaScript: one deadline per command (a
	// step with its visitedElement push, a data listing, a setData
	// script), memory, script size and nesting, data display. The zero
	// value is the defaults.
	Script script.Limits
	// AllowOrigins are extra Origin patterns browsers may connect from,
	// [scheme://]host[:port], matched case-insensitively with path.Match;
	// a pattern without a port matches any port. "*" allows every origin,
	// "null" the opaque origin of file:// pages and sandboxed frames.
	// Loopback origins and clients that send no Origin (everything but
	// browsers) are always allowed. The patterns' hosts are also names the
	// Host check admits (see httpguard.Policy).
	AllowOrigins []string
	// Host is the address the service listens on (gw online --host); a
	// name given there is admitted by the Host check.
	Host string
	// Log receives connection events (Info) and every message (Debug);
	// nil discards.
	Log *slog.Logger
	// Version is reported by the mode command; "" leaves it out.
	Version string
	// Events is told of refusals, message sizes and messages that are not
	// JSON (metrics); nil tells no one.
	Events *httpguard.Events
	// Hub registers every connection as a session (Service "websocket"),
	// so that others can list, watch and pause it; nil: a hub of the
	// server's own.
	Hub *hubpkg.Hub
	// Prepare, when set, may change the options of every machine a
	// session builds (gw online --replay forces a recorded path); its
	// error fails the start.
	Prepare func(models []*model.Model, o *machine.Options) error
}

// Validate reports an AllowOrigins pattern that cannot be used.
func (o Options) Validate() error { return httpguard.ValidatePatterns(o.AllowOrigins) }

// Server is the WebSocket service. It is an http.Handler: any request
// path upgrades to a WebSocket session with its own machine.
type Server struct {
	opts     Options
	log      *slog.Logger
	limit    int64 // largest message; <0 none
	idle     time.Duration
	policy   *httpguard.Policy
	accept   websocket.AcceptOptions
	ctx      context.Context // ends when Shutdown starts
	cancel   context.CancelFunc
	nextID   atomic.Uint64
	active   atomic.Int64
	sessWG   sync.WaitGroup
	closeWG  sync.WaitGroup // Close calls started by Shutdown
	mu       sync.Mutex
	sessions map[*session]struct{}
	closing  bool
	hub      *hubpkg.Hub
}

// Hub is the registry the server's sessions are in.
func (s *Server) Hub() *hubpkg.Hub { return s.hub }

// NewHandler returns a Server with opts, defaults filled in. Invalid
// AllowOrigins patterns are logged and ignored (see Options.Validate).
func NewHandler(opts Options) *Server {
	s := &Server{opts: opts, sessions: map[*session]struct{}{}, hub: opts.Hub}
	if s.hub == nil {
		s.hub = hubpkg.NewHub()
	}
	s.log = opts.Log
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.limit = opts.MaxMessageBytes
	if s.limit == 0 {
		s.limit = DefaultMaxMessageBytes
	}
	if opts.MaxSessions == 0 {
		s.opts.MaxSessions = DefaultMaxSessions
	}
	switch {
	case opts.IdleTimeout == 0:
		s.idle = DefaultIdleTimeout
	case opts.IdleTimeout > 0:
		s.idle = opts.IdleTimeout
	}
	var origins []string
	for _, p := range opts.AllowOrigins {
		if err := httpguard.ValidatePatterns([]string{p}); err != nil {
			s.log.Warn("ignoring allowed origin", "error", err)
			continue
		}
		origins = append(origins, p)
	}
	s.policy, _ = httpguard.NewPolicy(origins, opts.Host, s.log)
	s.policy.Notify(opts.Events)
	s.ctx, s.cancel = context.WithCancel(context.Background())
	// The origin check is ours (httpguard.Policy): coder/websocket would
	// also accept Origin == Host, which a DNS-rebinding page satisfies.
	s.accept = websocket.AcceptOptions{InsecureSkipVerify: true}
	return s
}

// Sessions is the number of open sessions.
func (s *Server) Sessions() int { return int(s.active.Load()) }

// ServeHTTP upgrades r to a WebSocket session and serves it until the
// client leaves, the session idles out or the server shuts down.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	httpguard.SkipBody(w, r) // no request here has a body worth waiting for
	if ref := s.policy.Check(r); ref != nil {
		http.Error(w, ref.Msg, ref.Status)
		return
	}
	if !headerHasToken(r.Header, "Upgrade", "websocket") {
		// GraphWalker answers plain HTTP with 404 "WebSocket Upgrade Failure".
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, "WebSocket Upgrade Failure: this is gw's WebSocket service (GraphWalker WebSocket API); connect with a WebSocket client, e.g. ws://"+r.Host+"/\n")
		return
	}
	if err := limits.Over(); err != nil {
		s.log.Warn("refused connection: over the memory budget", "remote", r.RemoteAddr, "error", err)
		w.Header().Set("Retry-After", "10")
		http.Error(w, "gw online refuses new sessions for now: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	if n := s.active.Add(1); s.opts.MaxSessions > 0 && n > int64(s.opts.MaxSessions) {
		s.active.Add(-1)
		s.log.Warn("refused connection: too many sessions", "remote", r.RemoteAddr, "limit", s.opts.MaxSessions)
		w.Header().Set("Retry-After", "5")
		http.Error(w, fmt.Sprintf("gw online already serves %d sessions, its limit; try again later or raise it (gw online --max-sessions)", s.opts.MaxSessions), http.StatusServiceUnavailable)
		return
	}
	s.mu.Lock()
	closing := s.closing
	if !closing {
		s.sessWG.Add(1)
	}
	s.mu.Unlock()
	if closing {
		s.active.Add(-1)
		http.Error(w, "gw online is shutting down", http.StatusServiceUnavailable)
		return
	}
	// The count drops before Shutdown's wait can end, so Sessions is 0
	// once Shutdown returns.
	defer func() {
		if s.active.Add(-1) == 0 {
			// Idle: give back what the sessions left (a server that
			// attackers or large models took to its peak should not
			// stay there).
			httpguard.Reclaim()
		}
		s.sessWG.Done()
	}()

	nw := &noDelayWriter{ResponseWriter: w}
	sess := newSession(s, r.RemoteAddr)
	accept := s.accept
	// A client that pings is alive: its pings count as activity.
	accept.OnPingReceived = func(context.Context, []byte) bool {
		sess.touch()
		sess.writeDeadline(0) // for the pong
		return true
	}
	conn, err := websocket.Accept(nw, r, &accept)
	if err != nil {
		s.log.Info("WebSocket handshake failed", "remote", r.RemoteAddr, "error", err)
		return
	}
	conn.SetReadLimit(-1) // enforced per message by the session, which drains and answers
	sess.attach(conn, nw.conn, httpguard.TimeoutsOf(r.Context()))
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		conn.Close(websocket.StatusGoingAway, "gw online is shutting down")
		return
	}
	s.sessions[sess] = struct{}{}
	s.mu.Unlock()
	s.log.Info(remoteHost(r.RemoteAddr)+" is now connected", "session", sess.id)

	sess.run()

	s.mu.Lock()
	delete(s.sessions, sess)
	s.mu.Unlock()
	s.log.Info(remoteHost(r.RemoteAddr)+" has disconnected", "session", sess.id)
}

// Shutdown closes every session with status 1001 (going away), refuses new
// ones and waits until all sessions have ended or ctx is done; then it
// drops the remaining connections and returns ctx's error.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	list := make([]*session, 0, len(s.sessions))
	for sess := range s.sessions {
		list = append(list, sess)
	}
	s.mu.Unlock()
	s.cancel()       // sessions waiting for memory give up
	s.hub.Shutdown() // and paused ones
	for _, sess := range list {
		// A session busy in a script would hold Shutdown up until the
		// script's deadline: stop its JavaScript now.
		sess.abort(errShutdown)
	}
	for _, sess := range list {
		s.closeWG.Add(1)
		go func() {
			defer s.closeWG.Done()
			sess.close(websocket.StatusGoingAway, "gw online is shutting down")
		}()
	}
	done := make(chan struct{})
	go func() {
		s.sessWG.Wait()
		s.closeWG.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
	}
	// Close handshakes still waiting for their peer: cut the TCP
	// connections (coder/websocket's CloseNow would wait for Close).
	s.mu.Lock()
	for sess := range s.sessions {
		sess.kill()
	}
	s.mu.Unlock()
	// Sessions end at once now, but one building a machine (an INIT
	// action) cannot be interrupted before its script deadline: do not
	// wait for it beyond a moment.
	select {
	case <-done:
	case <-time.After(time.Second):
		s.log.Warn("shutdown: sessions still busy in scripts were left behind", "sessions", s.Sessions())
	}
	return ctx.Err()
}

// errShutdown is what a script interrupted by Shutdown reports.
var errShutdown = &limits.Error{Limit: "gw online is shutting down; the session's JavaScript was stopped", Kind: limits.ErrStopped}

func headerHasToken(h http.Header, key, token string) bool {
	for _, v := range h.Values(key) {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

func remoteHost(addr string) string {
	if h, _, err := net.SplitHostPort(addr); err == nil {
		return h
	}
	return addr
}

// noDelayWriter sets TCP_NODELAY on the hijacked connection (Go's default
// too, made explicit: a step is two small frames that must not wait for
// Nagle).
// It also keeps the connection, so that Shutdown can cut it.
type noDelayWriter struct {
	http.ResponseWriter
	conn net.Conn
}

func (w *noDelayWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, brw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		return c, brw, err
	}
	if tc, ok := c.(interface{ SetNoDelay(bool) error }); ok {
		_ = tc.SetNoDelay(true) // *net.TCPConn, or httpguard's counted one
	}
	w.conn = c
	return c, brw, err
}

func (w *noDelayWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// errTooBig reports a message over the limit.
func errTooBig(n, limit int64) string {
	return "Message too big: " + strconv.FormatInt(n, 10) + " bytes, the limit is " + strconv.FormatInt(limit, 10) +
		" bytes; send a smaller message or raise the limit (gw online --max-message)"
}
