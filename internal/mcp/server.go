package mcp

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/gw-project/gw/internal/limits"
	"github.com/gw-project/gw/internal/session"
)

// instructions tell an agent how the tools fit together.
const instructions = `gw is a model-based testing engine (GraphWalker 4.3 compatible). A model is a directed graph: vertices are states to verify, edges are actions to perform; edges may carry JavaScript guards and actions.
Give models to tools as {"path": ...} (a file the server's --models folder holds; see the resources), {"content": ...} (GraphWalker JSON, yEd GraphML or DOT text) or {"draft_id": ...} (a draft you author with create_draft, add_vertex, add_edge, ...; every edit carries expected_revision).
check_model lists every problem (unreachable elements, stop conditions that cannot be met, cul-de-sacs); describe_model lists elements, guards, actions, requirements and shared states; plan_path walks a generator offline ("random(edge_coverage(100))", "shortest_all_paths(edge_coverage(100))" for the shortest covering walk); explain_guard says which part of a guard is false.
To drive a test: start_session, then repeat next_step (perform the edge's action or verify the vertex's state in the system under test) while has_next is true; set_data tells the model what the system did; fail_step records a failure; get_statistics reports coverage; close_session ends it.`

// Server is gw's MCP server: its tools, resources, drafts and walk
// sessions. One Server serves any number of clients (stdio, in-memory,
// streamable HTTP); drafts and sessions are named by unguessable ids, so
// any client that knows an id may use it, across reconnects.
type Server struct {
	opts Options
	sdk  *sdk.Server
	hub  *session.Hub
	log  *slog.Logger
	root *os.Root // ModelsDir; nil without one

	mu      sync.Mutex
	drafts  map[string]*draft
	walks   map[string]*walk
	pending int // walk slots reserved by starts in progress
	closed  bool

	resMu     sync.Mutex
	resources map[string]bool // URIs of the model files registered as resources

	stopReaper chan struct{}
	reaperDone chan struct{}
}

// New builds a Server with opts (defaults filled in). Close releases it.
func New(opts Options) (*Server, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	s := &Server{
		opts: opts, hub: opts.Hub, log: opts.Log,
		drafts: map[string]*draft{}, walks: map[string]*walk{}, resources: map[string]bool{},
		stopReaper: make(chan struct{}), reaperDone: make(chan struct{}),
	}
	if s.hub == nil {
		s.hub = session.NewHub()
	}
	if opts.ModelsDir != "" {
		root, err := os.OpenRoot(opts.ModelsDir)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %v", FlagModels, opts.ModelsDir, unwrapPath(err))
		}
		s.root = root
	}
	s.sdk = sdk.NewServer(&sdk.Implementation{Name: "gw", Title: "gw model-based testing", Version: opts.Version}, &sdk.ServerOptions{
		Instructions: instructions,
		Logger:       opts.Log,
		Capabilities: &sdk.ServerCapabilities{Tools: &sdk.ToolCapabilities{ListChanged: true}},
	})
	s.addModelTools()
	s.addDraftTools()
	s.addPlanTools()
	s.addSessionTools()
	if s.root != nil {
		s.addResources()
	}
	for _, ext := range opts.Extensions {
		ext(&Registry{s: s})
	}
	go s.reap()
	return s, nil
}

// SDK is the underlying SDK server, for transports this package does not
// wrap.
func (s *Server) SDK() *sdk.Server { return s.sdk }

// Hub is the registry the server's walk sessions are in.
func (s *Server) Hub() *session.Hub { return s.hub }

// Run serves one client over t until it disconnects or ctx ends.
func (s *Server) Run(ctx context.Context, t sdk.Transport) error { return s.sdk.Run(ctx, t) }

// ServeStdio serves one client over r and w (newline-delimited JSON-RPC,
// MCP's stdio transport) until r ends or ctx ends. Lines longer than
// MaxMessageBytes end the connection.
func (s *Server) ServeStdio(ctx context.Context, r io.ReadCloser, w io.WriteCloser) error {
	err := s.Run(ctx, &sdk.IOTransport{Reader: r, Writer: w, MaxLineLength: int(min(s.opts.MaxMessageBytes, 1<<31-1))})
	// The SDK's error for an over-long line is not exported.
	if err != nil && strings.Contains(err.Error(), "maximum line length") {
		return limitError("an MCP message", "was longer than the limit of "+limits.FormatSize(s.opts.MaxMessageBytes)+"; the connection was closed", FlagMaxMessage, limits.ErrSize)
	}
	return err
}

// Close ends every walk session (a running step is interrupted) and drops
// every draft. Tools called afterwards fail.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	walks := make([]*walk, 0, len(s.walks))
	for _, w := range s.walks {
		walks = append(walks, w)
	}
	s.walks = map[string]*walk{}
	s.drafts = map[string]*draft{}
	s.mu.Unlock()
	close(s.stopReaper)
	<-s.reaperDone
	for _, w := range walks {
		w.end("the MCP server is shutting down")
	}
	if s.root != nil {
		s.root.Close()
	}
}

// reap drops drafts and sessions idle for longer than IdleTimeout.
func (s *Server) reap() {
	defer close(s.reaperDone)
	every := min(max(s.opts.IdleTimeout/4, 10*time.Millisecond), time.Minute)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stopReaper:
			return
		case now := <-t.C:
			s.reapOnce(now)
		}
	}
}

func (s *Server) reapOnce(now time.Time) {
	limit := now.Add(-s.opts.IdleTimeout).UnixNano()
	var idleWalks []*walk
	s.mu.Lock()
	for id, d := range s.drafts {
		if d.use.idleSince(limit) {
			delete(s.drafts, id)
			s.log.Info("draft dropped: idle", "draft", id, "idle", s.opts.IdleTimeout)
		}
	}
	for id, w := range s.walks {
		if w.use.idleSince(limit) {
			delete(s.walks, id)
			idleWalks = append(idleWalks, w)
		}
	}
	s.mu.Unlock()
	for _, w := range idleWalks {
		s.log.Info("session closed: idle", "session", w.id, "idle", s.opts.IdleTimeout)
		w.end(fmt.Sprintf("idle for %v (%s)", s.opts.IdleTimeout, FlagIdleTimeout))
	}
}

// newID returns prefix-<16 hex digits>: unguessable, since any client
// that knows an id may use what it names.
func newID(prefix string) string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return prefix + "-" + hex.EncodeToString(b[:])
}

// addTool registers a typed tool with gw's conventions: the SDK validates
// the input against the schema inferred from In; a returned error is a
// tool error (its text is what the agent reads); a panic costs the call,
// never the process.
func addTool[In, Out any](s *Server, t *sdk.Tool, h func(ctx context.Context, in In) (Out, error)) {
	if t.InputSchema == nil {
		t.InputSchema = schemaFor[In]()
	}
	sdk.AddTool(s.sdk, t, func(ctx context.Context, req *sdk.CallToolRequest, in In) (res *sdk.CallToolResult, out Out, err error) {
		start := time.Now()
		defer func() {
			if p := recover(); p != nil {
				s.log.Error("panic in a tool; the server keeps serving", "tool", t.Name, "panic", p, "stack", string(debug.Stack()))
				var zero Out
				res, out, err = nil, zero, fmt.Errorf("internal error in gw while running %s: %v (please report it)", t.Name, p)
			}
			if s.log.Enabled(ctx, slog.LevelDebug) {
				s.log.Debug("tool call", "tool", t.Name, "took", time.Since(start), "error", err)
			}
		}()
		if err := s.alive(); err != nil {
			var zero Out
			return nil, zero, err
		}
		out, err = h(context.WithValue(ctx, requestKey{}, req), in)
		if cr, ok := any(out).(ContentResult); ok && err == nil {
			return &sdk.CallToolResult{Content: cr.ToolContent()}, out, nil
		}
		return nil, out, err
	})
}

func (s *Server) alive() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errShutdown
	}
	return nil
}

// usage tracks when a draft or session was last used, and whether a call
// uses it now (an item in use is never idle).
type usage struct {
	mu   sync.Mutex
	last int64 // unix nanoseconds
	busy int
}

func (u *usage) begin() {
	u.mu.Lock()
	u.busy++
	u.last = time.Now().UnixNano()
	u.mu.Unlock()
}

func (u *usage) end() {
	u.mu.Lock()
	u.busy--
	u.last = time.Now().UnixNano()
	u.mu.Unlock()
}

func (u *usage) idleSince(limit int64) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.busy == 0 && u.last < limit
}
