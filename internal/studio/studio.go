package studio

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/dop251/goja"

	"github.com/gw-project/gw/internal/draw"
	"github.com/gw-project/gw/internal/format/dot"
	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/format/yed"
	"github.com/gw-project/gw/internal/layout"
	"github.com/gw-project/gw/internal/limits"
	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/server/httpguard"
	"github.com/gw-project/gw/internal/session"
)

//go:embed web
var webFS embed.FS

// Defaults of Options.
const (
	DefaultMaxFileSize    = 32 << 20
	DefaultMaxWatchers    = 64
	DefaultUpdateInterval = time.Second / 30
	DefaultGenerator      = "random(edge_coverage(100))"
	maxBreakpoints        = 100
	maxCondition          = 4 << 10
	maxBreakpointBody     = 256 << 10
	// maxLayouts bounds the model files read and laid out at once, and
	// so the memory uploads take.
	maxLayouts = 2
)

// TokenHeader carries the session-control token (so does ?token=).
const TokenHeader = "X-Gw-Studio-Token"

// Options configure the studio.
type Options struct {
	Hub *session.Hub
	// Service is "websocket" or "rest": what the page's console speaks.
	Service string
	// Host is the service's --host; AllowOrigins its --allow-origin
	// patterns (for the Host check: DNS rebinding).
	Host         string
	AllowOrigins []string
	// Token, when set, lets a request that carries it (TokenHeader or
	// ?token=) control sessions although Host is not loopback. On loopback
	// control needs no token.
	Token string
	Log   *slog.Logger
	// MaxFileSize bounds a model file sent to the layout endpoint;
	// MaxFileFlag names the flag that raises it.
	MaxFileSize int64
	MaxFileFlag string
	// Layout tunes the model drawings.
	Layout layout.Options
	// MaxWatchers bounds the watch streams open at once.
	MaxWatchers int
	// UpdateInterval is the shortest time between two updates of one
	// watcher (1/30 s).
	UpdateInterval time.Duration
}

// Handler serves the page and its API.
type Handler struct {
	o        Options
	policy   *httpguard.Policy
	loopback bool
	mux      *http.ServeMux
	track    *tracker
	scenes   sceneCache

	layouts chan struct{} // slots of layouts computed at once
	closing chan struct{} // closed by Close: watch streams end

	closeOnce sync.Once

	mu       sync.Mutex
	watchers int
	feeds    map[*session.Session]*feed
}

// New returns the studio for o.Hub.
func New(o Options) (*Handler, error) {
	if o.Hub == nil {
		return nil, errors.New("studio: no session hub")
	}
	if o.Service != "rest" {
		o.Service = "websocket"
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.MaxFileSize <= 0 {
		o.MaxFileSize = DefaultMaxFileSize
	}
	if o.MaxFileFlag == "" {
		o.MaxFileFlag = "--max-file-size"
	}
	if o.MaxWatchers <= 0 {
		o.MaxWatchers = DefaultMaxWatchers
	}
	if o.UpdateInterval <= 0 {
		o.UpdateInterval = DefaultUpdateInterval
	}
	p, err := httpguard.NewPolicy(o.AllowOrigins, o.Host, o.Log)
	if err != nil {
		return nil, err
	}
	h := &Handler{o: o, policy: p, loopback: IsLoopback(o.Host), track: newTracker(), scenes: sceneCache{m: map[*model.Model]*cachedScene{}},
		layouts: make(chan struct{}, maxLayouts), closing: make(chan struct{})}
	o.Hub.Observe(h.track)
	web, _ := fs.Sub(webFS, "web")
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { serveFile(w, web, "index.html") })
	mux.HandleFunc("GET /studio/{$}", func(w http.ResponseWriter, r *http.Request) { serveFile(w, web, "index.html") })
	mux.HandleFunc("GET /studio/assets/{file}", func(w http.ResponseWriter, r *http.Request) { serveFile(w, web, r.PathValue("file")) })
	mux.HandleFunc("GET /studio/api/info", h.info)
	mux.HandleFunc("POST /studio/api/layout", h.layout)
	mux.HandleFunc("GET /studio/api/sessions", h.control(h.sessions))
	mux.HandleFunc("GET /studio/api/sessions/{id}/events", h.events)
	mux.HandleFunc("POST /studio/api/sessions/{id}/{action}", h.control(h.act))
	mux.HandleFunc("PUT /studio/api/sessions/{id}/breakpoints", h.control(h.breakpoints))
	mux.HandleFunc("/studio/", func(w http.ResponseWriter, r *http.Request) {
		jsonError(w, http.StatusNotFound, fmt.Sprintf("%s %s is not part of the gw studio API (see the page at /)", r.Method, r.URL.Path))
	})
	h.mux = mux
	return h, nil
}

// Close ends every watch stream, so that the server's shutdown need not
// wait for pages that keep them open.
func (h *Handler) Close() { h.closeOnce.Do(func() { close(h.closing) }) }

// Control reports whether a request with the right token (or any, on
// loopback) may watch and control sessions.
func (h *Handler) Control() bool { return h.loopback || h.o.Token != "" }

// NewToken returns a random token for Options.Token.
func NewToken() string {
	b := make([]byte, 24)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// IsLoopback reports whether a --host value listens on loopback only.
func IsLoopback(host string) bool {
	h := strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if ref := h.policy.Check(r); ref != nil {
		jsonError(w, ref.Status, ref.Msg)
		return
	}
	if msg := crossOrigin(r); msg != "" {
		jsonError(w, http.StatusForbidden, msg)
		return
	}
	h.mux.ServeHTTP(w, r)
}

// crossOrigin refuses a request from a page of another origin: the studio
// answers its own page (and programs, which send no Origin) only.
func crossOrigin(r *http.Request) string {
	if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
		return "gw studio answers its own page only: this request comes from another site"
	}
	o := r.Header.Get("Origin")
	if o == "" {
		return ""
	}
	u, err := url.Parse(o)
	if err == nil && u.Host != "" && strings.EqualFold(u.Host, r.Host) {
		return ""
	}
	return fmt.Sprintf("gw studio answers its own page only: Origin %q is not this service (%s)", o, r.Host)
}

func serveFile(w http.ResponseWriter, web fs.FS, name string) {
	b, err := fs.ReadFile(web, name)
	if err != nil {
		jsonError(w, http.StatusNotFound, "no such studio file: "+name)
		return
	}
	ct := map[string]string{".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}[path.Ext(name)]
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'")
	writeDeadline(w, len(b))
	w.Write(b)
}

// writeDeadline bounds the time a client may take to read an answer of n
// bytes, as the services bound theirs: a page that stops reading does not
// hold a goroutine and its buffer for ever.
func writeDeadline(w http.ResponseWriter, n int) {
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(httpguard.DefaultTimeouts.WriteTime(n)))
}

type apiError struct {
	Error string `json:"error"`
}

func jsonError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, apiError{msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		status, b = http.StatusInternalServerError, *bytes.NewBufferString(`{"error":"could not encode the answer"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	writeDeadline(w, b.Len())
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

// allowed reports whether r may watch and control other sessions.
func (h *Handler) allowed(r *http.Request) (bool, string) {
	if h.loopback {
		return true, ""
	}
	if h.o.Token == "" {
		return false, "session control is off: this gw listens beyond loopback (--host " + h.o.Host + ") and was started with --studio-token off"
	}
	t := r.Header.Get(TokenHeader)
	if t == "" {
		t = r.URL.Query().Get("token")
	}
	if subtle.ConstantTimeCompare([]byte(t), []byte(h.o.Token)) == 1 {
		return true, ""
	}
	if t == "" {
		return false, "session control needs the token gw online printed at start-up: open the page with ?token=..."
	}
	return false, "the studio token is wrong: use the one gw online printed at start-up"
}

func (h *Handler) control(f http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if ok, msg := h.allowed(r); !ok {
			jsonError(w, http.StatusForbidden, msg)
			return
		}
		f(w, r)
	}
}

type info struct {
	Service string `json:"service"`
	Control bool   `json:"control"` // this request may control sessions
	Reason  string `json:"reason,omitempty"`
	// Own is the REST service's session (the console's own), if any.
	Own       string `json:"own,omitempty"`
	Generator string `json:"generator"`
}

func (h *Handler) info(w http.ResponseWriter, r *http.Request) {
	ok, why := h.allowed(r)
	in := info{Service: h.o.Service, Control: ok, Reason: why, Generator: DefaultGenerator}
	if s := h.own(); s != nil {
		in.Own = s.ID
	}
	writeJSON(w, http.StatusOK, in)
}

// own is the REST service's session: the REST console drives it.
func (h *Handler) own() *session.Session {
	if h.o.Service != "rest" {
		return nil
	}
	var own *session.Session
	for _, sum := range h.o.Hub.List() {
		if sum.Service == "rest" {
			own = h.o.Hub.Get(sum.ID)
		}
	}
	return own
}

// layoutAnswer is what the layout endpoint returns.
type layoutAnswer struct {
	Name  string          `json:"name"`
	Scene *draw.Scene     `json:"scene"`
	GW    json.RawMessage `json:"gw"` // the models as GraphWalker JSON, for start/load
	Seed  *int64          `json:"seed,omitempty"`
}

func (h *Handler) layout(w http.ResponseWriter, r *http.Request) {
	name := path.Base(r.URL.Query().Get("name"))
	if name == "." || name == "/" {
		name = "model"
	}
	select {
	case h.layouts <- struct{}{}:
		defer func() { <-h.layouts }()
	case <-r.Context().Done():
		return
	}
	max := h.o.MaxFileSize
	data, err := io.ReadAll(io.LimitReader(httpguard.BodyReader(w, r), max+1))
	if err != nil {
		jsonError(w, http.StatusBadRequest, "could not read the model file: "+err.Error())
		return
	}
	if int64(len(data)) > max {
		httpguard.SkipBody(w, r)
		jsonError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("%s is larger than %s, the limit for model files; raise it with %s", name, limits.FormatSize(max), h.o.MaxFileFlag))
		return
	}
	doc, err := parseModelFile(data, name)
	if err != nil {
		jsonError(w, http.StatusBadRequest, fmt.Sprintf("%s: %v", name, err))
		return
	}
	if len(doc.Models) == 0 {
		jsonError(w, http.StatusBadRequest, name+": the file holds no model")
		return
	}
	gen := r.URL.Query().Get("generator")
	if gen == "" {
		gen = DefaultGenerator
	}
	for _, m := range doc.Models {
		if m.Generator == "" {
			m.Generator = gen
		}
	}
	scene, err := draw.NewScene(doc.Models, h.o.Layout, nil)
	if err != nil {
		jsonError(w, http.StatusBadRequest, fmt.Sprintf("%s: %v", name, err))
		return
	}
	gw, err := gwjson.Marshal(doc.Models, gwjson.WriteOptions{})
	if err != nil {
		jsonError(w, http.StatusBadRequest, fmt.Sprintf("%s: %v", name, err))
		return
	}
	a := layoutAnswer{Name: name, Scene: scene, GW: gw}
	if doc.HasSeed {
		a.Seed = &doc.Seed
	}
	writeJSON(w, http.StatusOK, a)
}

// parseModelFile reads a model file by its name's extension, or by its
// first character when the name has none of .json, .graphml, .dot.
func parseModelFile(data []byte, name string) (*model.Document, error) {
	ext := strings.ToLower(path.Ext(name))
	if ext != ".json" && ext != ".graphml" && ext != ".dot" && ext != ".gv" {
		switch t := bytes.TrimLeft(data, " \t\r\n\ufeff"); {
		case len(t) == 0:
			return nil, errors.New("the file is empty")
		case t[0] == '{':
			ext = ".json"
		case t[0] == '<':
			ext = ".graphml"
		default:
			ext = ".dot"
		}
	}
	base := strings.TrimSuffix(name, path.Ext(name))
	switch ext {
	case ".json":
		return gwjson.Parse(data, name)
	case ".graphml":
		m, err := yed.ReadNamed(bytes.NewReader(data), base, name)
		if err != nil {
			return nil, err
		}
		return &model.Document{Models: []*model.Model{m}}, nil
	default:
		ms, err := dot.ReadAll(bytes.NewReader(data), name)
		if err != nil {
			return nil, err
		}
		return &model.Document{Models: ms}, nil
	}
}

// sessionRow is a line of the sessions list.
type sessionRow struct {
	session.Summary
	Coverage float64 `json:"coverage"` // percent of elements visited
}

func (h *Handler) sessions(w http.ResponseWriter, r *http.Request) {
	list := h.o.Hub.List()
	rows := make([]sessionRow, len(list))
	for i, s := range list {
		rows[i] = sessionRow{Summary: s, Coverage: h.track.coverage(s.ID)}
	}
	writeJSON(w, http.StatusOK, rows)
}

func (h *Handler) session(w http.ResponseWriter, r *http.Request) *session.Session {
	s := h.o.Hub.Get(r.PathValue("id"))
	if s == nil {
		jsonError(w, http.StatusNotFound, fmt.Sprintf("no live session %q (it may have ended)", r.PathValue("id")))
	}
	return s
}

func (h *Handler) act(w http.ResponseWriter, r *http.Request) {
	s := h.session(w, r)
	if s == nil {
		return
	}
	switch r.PathValue("action") {
	case "pause":
		s.Pause("paused from gw studio")
	case "resume":
		s.Resume()
	case "step":
		s.Step()
	default:
		jsonError(w, http.StatusNotFound, fmt.Sprintf("unknown session action %q (use pause, resume or step)", r.PathValue("action")))
		return
	}
	writeJSON(w, http.StatusOK, s.Control())
}

func (h *Handler) breakpoints(w http.ResponseWriter, r *http.Request) {
	s := h.session(w, r)
	if s == nil {
		return
	}
	data, err := io.ReadAll(io.LimitReader(httpguard.BodyReader(w, r), maxBreakpointBody+1))
	if err != nil {
		jsonError(w, http.StatusBadRequest, "could not read the breakpoints: "+err.Error())
		return
	}
	if len(data) > maxBreakpointBody {
		httpguard.SkipBody(w, r)
		jsonError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the breakpoints are larger than %s", limits.FormatSize(maxBreakpointBody)))
		return
	}
	var bps []session.Breakpoint
	if err := json.Unmarshal(data, &bps); err != nil {
		jsonError(w, http.StatusBadRequest, `the breakpoints must be a JSON list like [{"element":"e_Login"},{"condition":"count > 3"}]: `+err.Error())
		return
	}
	if len(bps) > maxBreakpoints {
		jsonError(w, http.StatusBadRequest, fmt.Sprintf("%d breakpoints; at most %d", len(bps), maxBreakpoints))
		return
	}
	for i := range bps {
		bp := &bps[i]
		if bp.ID == "" {
			bp.ID = fmt.Sprintf("b%d", i+1)
		}
		bp.Condition = strings.TrimSpace(bp.Condition)
		if bp.Element == "" && bp.Condition == "" {
			jsonError(w, http.StatusBadRequest, fmt.Sprintf("breakpoint %s names no element and has no condition", bp.ID))
			return
		}
		if len(bp.Condition) > maxCondition {
			jsonError(w, http.StatusBadRequest, fmt.Sprintf("breakpoint %s: the condition is longer than %d bytes", bp.ID, maxCondition))
			return
		}
		if bp.Condition != "" {
			if _, err := goja.Compile("condition", "("+bp.Condition+"\n)", false); err != nil {
				jsonError(w, http.StatusBadRequest, fmt.Sprintf("breakpoint %s: the condition %q is not a JavaScript expression: %v", bp.ID, bp.Condition, err))
				return
			}
		}
	}
	s.SetBreakpoints(bps)
	writeJSON(w, http.StatusOK, s.Control())
}
