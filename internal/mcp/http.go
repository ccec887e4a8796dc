package mcp

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/gw-project/gw/internal/limits"
)

// HTTPHandler serves MCP over the streamable HTTP transport: POST for
// requests, GET for the server's event stream, DELETE to end a client's
// session (Mcp-Session-Id). Like gw online's other services it refuses
// browser pages from other sites (Origin; AllowOrigins adds some),
// requests whose Host is not loopback when they reach a loopback address
// (DNS rebinding), bodies over MaxMessageBytes (413), clients beyond
// MaxClients and new clients while the process is over its memory budget
// (503), and it closes clients idle for IdleTimeout.
//
// It serves whatever path it is mounted at. `gw online --mcp` mounts it
// at /mcp, next to the WebSocket or REST service:
//
//	h, err := mcp.NewHTTPHandler(mcp.Options{
//		ModelsDir: …, Hub: hub, Log: env.Log, Version: Version, Script: mo.Script,
//		NoProgressWindow: mo.NoProgressWindow, AllowOrigins: origins,
//		MaxMessageBytes: maxMsg, IdleTimeout: idle, MaxSessions: …, MaxClients: …,
//	})
//	if err != nil { return usagef(…) }
//	defer h.Close()
//	handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
//		if r.URL.Path == "/mcp" { h.ServeHTTP(w, r); return }
//		service.ServeHTTP(w, r)
//	})
//
// and calls h.Close() on shutdown, before http.Server.Shutdown (MCP's
// event streams are long requests Shutdown would otherwise wait for).
type HTTPHandler struct {
	srv     *Server
	own     bool // Close closes srv
	h       *sdk.StreamableHTTPHandler
	origins []string

	mu      sync.Mutex
	joining int // new clients being served their first request
}

// NewHTTPHandler builds a Server with opts and returns the streamable HTTP
// handler that serves it. Close releases both.
func NewHTTPHandler(opts Options) (*HTTPHandler, error) {
	srv, err := New(opts)
	if err != nil {
		return nil, err
	}
	h := srv.HTTPHandler()
	h.own = true
	return h, nil
}

// HTTPHandler returns a streamable HTTP handler for s (s stays open when
// the handler is closed).
func (s *Server) HTTPHandler() *HTTPHandler {
	h := &HTTPHandler{srv: s}
	for _, p := range s.opts.AllowOrigins {
		h.origins = append(h.origins, strings.ToLower(p))
	}
	h.h = sdk.NewStreamableHTTPHandler(func(*http.Request) *sdk.Server { return s.sdk }, &sdk.StreamableHTTPOptions{
		Logger:              s.log,
		SessionTimeout:      s.opts.IdleTimeout,
		MaxRequestBodyBytes: s.opts.MaxMessageBytes,
	})
	return h
}

// Server is the MCP server the handler serves.
func (h *HTTPHandler) Server() *Server { return h.srv }

// Clients is the number of MCP clients connected to the handler's server.
func (h *HTTPHandler) Clients() int {
	n := 0
	for range h.srv.sdk.Sessions() {
		n++
	}
	return n
}

// Close ends every client's MCP session (their event streams end) and,
// for NewHTTPHandler's handler, the server with its walk sessions.
func (h *HTTPHandler) Close() {
	for ss := range h.srv.sdk.Sessions() {
		ss.Close()
	}
	if h.own {
		h.srv.Close()
	}
}

const sessionHeader = "Mcp-Session-Id"

func (h *HTTPHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := h.checkOrigin(r); err != nil {
		h.srv.log.Info("refused MCP request", "remote", r.RemoteAddr, "error", err)
		http.Error(w, err.Error(), http.StatusForbidden)
		return
	}
	if r.Method != http.MethodPost || r.Header.Get(sessionHeader) != "" {
		h.h.ServeHTTP(w, r)
		return
	}
	// A POST without a session id starts a new client.
	if err := limits.Over(); err != nil {
		w.Header().Set("Retry-After", "5")
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	h.mu.Lock()
	if n := h.Clients() + h.joining; n >= h.srv.opts.MaxClients {
		h.mu.Unlock()
		h.srv.log.Warn("refused MCP client: too many clients", "remote", r.RemoteAddr, "limit", h.srv.opts.MaxClients)
		w.Header().Set("Retry-After", "5")
		http.Error(w, fmt.Sprintf("gw already serves %d MCP clients, its limit; try again later, end idle clients (DELETE with their %s), or raise it (%s)", h.srv.opts.MaxClients, sessionHeader, FlagMaxClients), http.StatusServiceUnavailable)
		return
	}
	h.joining++
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		h.joining--
		h.mu.Unlock()
	}()
	h.h.ServeHTTP(w, r)
}

// checkOrigin lets browsers in only from loopback pages and the allowed
// patterns, so a web page elsewhere cannot drive a local gw; clients that
// send no Origin are not browsers and are allowed. (The same rules as the
// WebSocket service's.)
func (h *HTTPHandler) checkOrigin(r *http.Request) error {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return nil
	}
	u, err := url.Parse(origin)
	if err == nil && u.Host != "" && isLoopbackHost(u.Hostname()) {
		return nil
	}
	for _, p := range h.origins {
		if p == "*" || (p == "null" && origin == "null") {
			return nil
		}
		if err != nil || u.Host == "" {
			continue
		}
		target := strings.ToLower(u.Host)
		if strings.Contains(p, "://") {
			target = strings.ToLower(u.Scheme) + "://" + target
		}
		if ok, _ := path.Match(p, target); ok {
			return nil
		}
	}
	hint := "null"
	if err == nil && u.Host != "" {
		hint = u.Host
	}
	return fmt.Errorf("Origin %q is not allowed: gw serves MCP to browser pages from localhost only; to allow this site, start it with %s %q", origin, FlagAllowOrigin, hint)
}

func isLoopbackHost(h string) bool {
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
