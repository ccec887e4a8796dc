package cli

import (
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/gw-project/gw/internal/server/rest"
)

// route is a handler served on the service's own port next to the
// service (the MCP endpoint, the studio page, health and metrics).
type route struct {
	pattern string // an http.ServeMux pattern, e.g. "/mcp" or "GET /{$}"
	handler http.Handler
	// upgrades: WebSocket upgrades on this route's paths are its own;
	// otherwise every upgrade goes to the service, as GraphWalker
	// clients connect on any path.
	upgrades bool
	// stream: answers may last (server-sent events, MCP streams), so the
	// server's whole-request deadline of plain requests is lifted.
	stream bool
}

// withRoutes serves routes' paths with their handlers and everything else
// with the service. The REST API's paths always go to the service, which
// wants them as sent (a ServeMux would clean or redirect them).
func withRoutes(service http.Handler, routes []route) http.Handler {
	if len(routes) == 0 {
		return service
	}
	mux := http.NewServeMux()
	byPattern := map[string]route{}
	for _, rt := range routes {
		mux.Handle(rt.pattern, rt.handler)
		byPattern[rt.pattern] = rt
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if strings.HasPrefix(p, rest.Prefix) || path.Clean(p) != p && p != "/" {
			service.ServeHTTP(w, r)
			return
		}
		h, pattern := mux.Handler(r)
		rt, ok := byPattern[pattern]
		if !ok || (isUpgrade(r) && !rt.upgrades) {
			service.ServeHTTP(w, r)
			return
		}
		if rt.stream {
			rc := http.NewResponseController(w)
			rc.SetReadDeadline(time.Time{})
			rc.SetWriteDeadline(time.Time{})
		}
		h.ServeHTTP(w, r)
	})
}

// isUpgrade reports a WebSocket handshake.
func isUpgrade(r *http.Request) bool {
	for _, v := range r.Header.Values("Upgrade") {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), "websocket") {
				return true
			}
		}
	}
	return false
}
