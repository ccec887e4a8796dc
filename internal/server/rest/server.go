package rest

import (
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gw-project/gw/internal/limits"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/report"
	"github.com/gw-project/gw/internal/script"
	"github.com/gw-project/gw/internal/server/httpguard"
	hubpkg "github.com/gw-project/gw/internal/session"
)

// Prefix is the path every endpoint lives under.
const Prefix = "/graphwalker/"

// DefaultMaxBodyBytes bounds a load body when Options.MaxBodyBytes is 0.
const DefaultMaxBodyBytes = 32 << 20

// Options configure a Server; they are fixed for its lifetime, as
// GraphWalker fixes --verbose, --unvisited and --blocked at start.
type Options struct {
	// Models are walked from the start (gw online --model); may be empty.
	// They must be indexed; they are not modified.
	Models []*model.Model
	// Seed seeds the preloaded models and every load that names no seed
	// itself; without HasSeed each machine gets a fresh random seed.
	Seed    int64
	HasSeed bool
	// Verbose and Unvisited shape every getNext reply (§2.4).
	Verbose, Unvisited bool
	// Blocked removes BLOCKED elements from preloaded and loaded models.
	Blocked bool
	// Script bounds the machine's JavaScript: one deadline per request
	// (a step, a data listing, a setData script), memory, script size and
	// nesting, data display. The zero value is the defaults.
	Script script.Limits
	// NoProgressWindow is passed to the machine (machine.Options).
	NoProgressWindow int
	// MaxBodyBytes bounds a load body (DefaultMaxBodyBytes when 0).
	MaxBodyBytes int64
	// AllowOrigins and Host set the Origin and Host checks, as for the
	// WebSocket service (httpguard.Policy): browser pages are admitted
	// from loopback origins and these patterns only, and requests must
	// be addressed to a name of this service. Invalid patterns are an
	// error of NewHandler.
	AllowOrigins []string
	Host         string
	// Log receives one debug record per request and info records for
	// loads and restarts; nil discards.
	Log *slog.Logger
	// Events is told of refusals, body and answer sizes and load bodies
	// that are not JSON (metrics); nil tells no one.
	Events *httpguard.Events
	// Hub registers the service's machine as one session (Service and
	// Dialect "rest"), so that others can watch and pause it; nil: a hub
	// of the server's own.
	Hub *hubpkg.Hub
	// Prepare, when set, may change the options of every machine the
	// service builds (gw online --replay); its error fails the load.
	Prepare func(models []*model.Model, o *machine.Options) error
}

// Server is the REST service; it is an http.Handler for the paths under
// Prefix. Mount it directly as the http.Server's Handler: a ServeMux would
// clean or redirect paths that clients send on purpose.
type Server struct {
	opts   Options
	step   report.StepOptions
	log    *slog.Logger
	policy *httpguard.Policy

	// live is m for Shutdown, which must not wait for the mutex;
	// closing refuses loads once Shutdown has begun.
	live    atomic.Pointer[machine.Machine]
	closing atomic.Bool

	// hs is the service's session in the hub. Lock order: mu, then hs's
	// lock (held while the machine is used, released while a paused
	// getNext waits).
	hub *hubpkg.Hub
	hs  *hubpkg.Session

	mu sync.Mutex
	m  *machine.Machine // nil until models are loaded
	// stopped is why the last machine was stopped for good (a memory
	// limit) and dropped; the next load clears it.
	stopped error
	models  []*model.Model // what m walks; restart rebuilds from them
	seed    int64          // m's seed; restart reuses it
	gen     uint64         // bumped whenever m is replaced
}

// NewHandler returns a Server. With preloaded models it builds their
// machine now and fails with the machine's error text if it cannot.
func NewHandler(opts Options) (*Server, error) {
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	s := &Server{
		opts: opts,
		step: report.StepOptions{Verbose: opts.Verbose, Unvisited: opts.Unvisited, Result: true},
		log:  opts.Log,
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	policy, err := httpguard.NewPolicy(opts.AllowOrigins, opts.Host, s.log)
	if err != nil {
		return nil, err
	}
	s.policy = policy
	s.policy.Notify(opts.Events)
	s.hub = opts.Hub
	if s.hub == nil {
		s.hub = hubpkg.NewHub()
	}
	s.hs = s.hub.Open(hubpkg.Info{Service: "rest", Dialect: "rest"})
	if len(opts.Models) > 0 {
		models := s.filter(opts.Models)
		seed := s.defaultSeed()
		m, err := s.build(models, seed)
		if err != nil {
			s.hs.Close("the service could not start")
			return nil, err
		}
		s.m, s.models, s.seed = m, models, seed
		s.live.Store(m)
		s.hs.Lock()
		s.hs.SetMachine(m, hubpkg.Start{Models: models, Seed: seed, Source: "gw online --model"})
		s.hs.Unlock()
	}
	return s, nil
}

// Shutdown stops the machine's JavaScript at once (a request stuck in a
// script would otherwise hold http.Server.Shutdown until its deadline)
// and refuses loads from now on.
func (s *Server) Shutdown() {
	s.closing.Store(true)
	s.hub.Shutdown() // a getNext held by a pause gives up
	if m := s.live.Load(); m != nil {
		m.Abort(errShutdown)
	}
}

var errShutdown = &limits.Error{Limit: "gw online is shutting down; the machine's JavaScript was stopped", Kind: limits.ErrStopped}

// Seed returns the seed of the current machine; ok is false when no model
// is loaded.
func (s *Server) Seed() (seed int64, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seed, s.m != nil
}

// Close releases the machine. Requests after Close answer as if no model
// was loaded.
func (s *Server) Close() {
	s.mu.Lock()
	m := s.m
	s.m, s.models = nil, nil
	s.live.Store(nil)
	s.gen++
	s.hs.Lock()
	s.hs.SetMachine(nil, hubpkg.Start{})
	s.hs.Unlock()
	s.mu.Unlock()
	s.hs.Close("the service closed")
	if m != nil {
		closeMachine(m)
	}
}

// closeMachine closes m; a large one's memory is given back to the
// system soon (httpguard.Reclaim).
func closeMachine(m *machine.Machine) {
	m.Close()
	n := 0
	for _, c := range m.Contexts() {
		n += c.Model().NumElements()
	}
	if n >= httpguard.LargeModel {
		httpguard.Reclaim()
	}
}

func (s *Server) filter(models []*model.Model) []*model.Model {
	if !s.opts.Blocked {
		return models
	}
	out := make([]*model.Model, len(models))
	for i, m := range models {
		out[i] = model.FilterBlocked(m)
	}
	return out
}

func (s *Server) defaultSeed() int64 {
	if s.opts.HasSeed {
		return s.opts.Seed
	}
	return rand.Int64()
}

func (s *Server) build(models []*model.Model, seed int64) (*machine.Machine, error) {
	o := machine.Options{
		Seed: seed, HasSeed: true,
		Script:           s.opts.Script,
		NoProgressWindow: s.opts.NoProgressWindow,
	}
	if p := s.opts.Prepare; p != nil {
		if err := p(models, &o); err != nil {
			return nil, err
		}
	}
	return machine.New(models, o)
}

// Hub is the registry the service's session is in.
func (s *Server) Hub() *hubpkg.Hub { return s.hub }

// swap installs m as the current machine and returns the one it replaces,
// which the caller closes after unlocking. Callers hold s.mu.
func (s *Server) swap(m *machine.Machine, models []*model.Model, seed int64, source string) *machine.Machine {
	old := s.m
	s.m, s.models, s.seed = m, models, seed
	s.live.Store(m)
	s.hs.Lock()
	s.hs.SetMachine(m, hubpkg.Start{Models: models, Seed: seed, Source: source})
	s.hs.Unlock()
	if s.closing.Load() {
		m.Abort(errShutdown)
	}
	s.stopped = nil
	s.gen++
	return old
}

// endpoint identifies a route.
type endpoint int

const (
	epNone endpoint = iota
	epLoad
	epHasNext
	epGetNext
	epGetData
	epSetData
	epRestart
	epFail
	epGetStatistics
)

// routes lists the endpoints with their method; arg marks the ones that
// take one path segment.
var routes = [...]struct {
	name   string
	method string
	arg    bool
}{
	epLoad:          {"load", http.MethodPost, false},
	epHasNext:       {"hasNext", http.MethodGet, false},
	epGetNext:       {"getNext", http.MethodGet, false},
	epGetData:       {"getData", http.MethodGet, false},
	epSetData:       {"setData", http.MethodPut, true},
	epRestart:       {"restart", http.MethodPut, false},
	epFail:          {"fail", http.MethodPut, true},
	epGetStatistics: {"getStatistics", http.MethodGet, false},
}

const endpointList = "POST /graphwalker/load, GET /graphwalker/hasNext, GET /graphwalker/getNext, GET /graphwalker/getData, PUT /graphwalker/setData/<script>, PUT /graphwalker/restart, PUT /graphwalker/fail/<reason>, GET /graphwalker/getStatistics"

// routeError is a request that reached no endpoint.
type routeError struct {
	status int
	msg    string
	allow  string // for 405
}

// route finds the endpoint of a request and its decoded path argument.
// It works on the escaped path so that an encoded slash (%2F) stays
// inside the segment, as GraphWalker's JAX-RS routing keeps it.
func route(method, escaped string) (endpoint, string, *routeError) {
	rest, ok := strings.CutPrefix(escaped, Prefix)
	if !ok {
		return epNone, "", &routeError{status: http.StatusNotFound,
			msg: fmt.Sprintf("No such path: %s. The REST API lives under /graphwalker/: %s", escaped, endpointList)}
	}
	name, arg, hasArg := strings.Cut(rest, "/")
	ep := epNone
	for i := range routes {
		if routes[i].name == name && routes[i].name != "" {
			ep = endpoint(i)
			break
		}
	}
	if ep == epNone {
		hint := ""
		for i := range routes {
			if routes[i].name != "" && strings.EqualFold(routes[i].name, name) {
				hint = fmt.Sprintf(" (paths are case-sensitive: did you mean /graphwalker/%s?)", routes[i].name)
			}
		}
		return epNone, "", &routeError{status: http.StatusNotFound,
			msg: fmt.Sprintf("No such path: %s%s. Endpoints: %s", escaped, hint, endpointList)}
	}
	r := routes[ep]
	if r.arg {
		arg = strings.TrimSuffix(arg, "/") // JAX-RS accepts one trailing slash
	}
	switch {
	case !r.arg && arg != "":
		return epNone, "", &routeError{status: http.StatusNotFound,
			msg: fmt.Sprintf("No such path: %s. %s %s%s takes no path argument", escaped, r.method, Prefix, r.name)}
	case r.arg && (!hasArg || arg == ""):
		return epNone, "", &routeError{status: http.StatusNotFound,
			msg: fmt.Sprintf("No such path: %s. Use %s %s%s/<%s>, the argument percent-encoded", escaped, r.method, Prefix, r.name, argName(ep))}
	case r.arg && strings.Contains(arg, "/"):
		return epNone, "", &routeError{status: http.StatusNotFound,
			msg: fmt.Sprintf("No such path: %s. The %s must be one path segment: percent-encode '/' as %%2F", escaped, argName(ep))}
	}
	if method != r.method && !(method == http.MethodHead && readOnly(ep)) {
		allow := r.method
		if readOnly(ep) {
			allow = "GET, HEAD"
		}
		return epNone, "", &routeError{status: http.StatusMethodNotAllowed, allow: allow,
			msg: fmt.Sprintf("Method %s is not allowed for %s%s: use %s", method, Prefix, r.name, r.method)}
	}
	if r.arg {
		dec, err := unescape(arg)
		if err != nil {
			return epNone, "", &routeError{status: http.StatusBadRequest,
				msg: fmt.Sprintf("Bad percent-encoding in the %s %q: %v", argName(ep), arg, err)}
		}
		return ep, dec, nil
	}
	return ep, "", nil
}

func argName(ep endpoint) string {
	if ep == epFail {
		return "reason"
	}
	return "script"
}

// readOnly endpoints may be asked with HEAD; the others change the walk.
func readOnly(ep endpoint) bool {
	return ep == epHasNext || ep == epGetData || ep == epGetStatistics
}

// unescape percent-decodes a path segment; '+' stays '+' (path rules).
func unescape(s string) (string, error) {
	if strings.IndexByte(s, '%') < 0 {
		return s, nil
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '%' {
			b = append(b, c)
			continue
		}
		if i+2 >= len(s) || unhex(s[i+1]) < 0 || unhex(s[i+2]) < 0 {
			return "", fmt.Errorf("'%%' at byte %d is not followed by two hex digits", i)
		}
		b = append(b, byte(unhex(s[i+1])<<4|unhex(s[i+2])))
		i += 2
	}
	return string(b), nil
}

func unhex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c - 'a' + 10)
	case 'A' <= c && c <= 'F':
		return int(c - 'A' + 10)
	}
	return -1
}

var (
	contentType = []string{"text/plain;charset=UTF-8"}
	bufPool     = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}
)

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var start time.Time
	logOn := s.log.Enabled(r.Context(), slog.LevelDebug)
	if logOn {
		start = time.Now()
	}
	bp := bufPool.Get().(*[]byte)
	b := (*bp)[:0]
	status := http.StatusOK
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("panic while serving a request; the service keeps serving", "method", r.Method, "path", r.URL.EscapedPath(), "panic", p, "stack", string(debug.Stack()))
			status = http.StatusInternalServerError
			b = appendNok(b[:0], fmt.Sprintf("internal error in gw while serving %s %s: %v (please report this)", r.Method, r.URL.EscapedPath(), p))
		}
		h := w.Header()
		h["Content-Type"] = contentType
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			w.Write(b)
			s.opts.Events.OnMessage(false, len(b))
		}
		if r.Method != http.MethodHead {
			httpguard.WriteDeadline(w, r, len(b))
		}
		if logOn {
			s.log.LogAttrs(r.Context(), slog.LevelDebug, "request",
				slog.String("method", r.Method), slog.String("path", r.URL.EscapedPath()),
				slog.Int("status", status), slog.Duration("took", time.Since(start)))
		}
		if cap(b) <= 1<<20 { // do not keep huge statistics buffers
			*bp = b
			bufPool.Put(bp)
		}
	}()

	// A keep-alive connection keeps the write deadline of its previous
	// answer; this request may wait for the machine longer than that.
	httpguard.ClearWriteDeadline(w)
	if ref := s.policy.Check(r); ref != nil {
		httpguard.SkipBody(w, r)
		status = ref.Status
		b = appendNok(b, ref.Msg)
		return
	}
	if origin := r.Header.Get("Origin"); origin != "" {
		// A page the policy admits may read the answers (CORS) and send
		// JSON loads after a preflight.
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", origin)
		h.Add("Vary", "Origin")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT")
			h.Set("Access-Control-Allow-Headers", "Content-Type")
			h.Set("Access-Control-Max-Age", "600")
			status = http.StatusNoContent
			return
		}
	}
	ep, arg, rerr := route(r.Method, r.URL.EscapedPath())
	if ep != epLoad {
		httpguard.SkipBody(w, r) // only load reads its body
	}
	if rerr != nil {
		status = rerr.status
		if rerr.allow != "" {
			w.Header().Set("Allow", rerr.allow)
		}
		b = appendNok(b, rerr.msg)
		return
	}
	switch ep {
	case epLoad:
		status, b = s.load(w, r, b)
		if status == http.StatusRequestEntityTooLarge || status == http.StatusServiceUnavailable && !s.closing.Load() {
			s.opts.Events.OnLimit() // its size, or the memory budget
		}
	case epHasNext:
		b = s.hasNext(b)
	case epGetNext:
		b = s.getNext(r.Context(), b)
	case epGetData:
		b = s.getData(b)
	case epSetData:
		b = s.setData(b, arg)
	case epRestart:
		b = s.restart(b)
	case epFail:
		b = s.fail(b, arg)
	case epGetStatistics:
		b = s.getStatistics(b)
	}
}

// appendNok appends {"result":"nok","error":msg}.
func appendNok(b []byte, msg string) []byte {
	b = append(b, `{"result":"nok","error":`...)
	b = appendString(b, msg)
	return append(b, '}')
}

func appendOK(b []byte) []byte { return append(b, `{"result":"ok"}`...) }
