package cli

import (
	"fmt"
	"log/slog"
	"net/url"

	"github.com/gw-project/gw/internal/session"
	"github.com/gw-project/gw/internal/studio"
)

func addStudioOptions(s *optionSet) {
	s.add(&option{names: []string{"--studio-token"}, kind: optValue, def: "auto",
		help: "gw studio, the page this service serves at /, may watch, pause and step other clients' sessions. On loopback that needs no token; with --host beyond loopback it needs this token, given as ?token=... (auto: a random one, printed at start-up; off: session control is off, the page's own console still works) (gw only)."})
}

// onlineStudio builds gw studio for the service ("websocket" or "rest")
// and returns its routes and the page's address for bound.
type onlineStudio struct {
	routes []route
	token  string
	close  func() // ends the page's watch streams, before the server shuts down
}

func newOnlineStudio(opts *optionSet, hub *session.Hub, service, host string, origins []string, maxBody int64, log *slog.Logger) (*onlineStudio, error) {
	token := "auto"
	if o := opts.lookup("--studio-token"); o.set {
		token = o.value()
	}
	switch {
	case studio.IsLoopback(host) || token == "off":
		token = ""
	case token == "auto":
		token = studio.NewToken()
	case len(token) < 16:
		return nil, usagef("--studio-token: a token must be at least 16 characters long (or auto, or off)")
	}
	h, err := studio.New(studio.Options{Hub: hub, Service: service, Host: host, AllowOrigins: origins, Token: token,
		Log: log, MaxFileSize: maxBody, MaxFileFlag: "--max-message"})
	if err != nil {
		return nil, usagef("%v", err)
	}
	return &onlineStudio{token: token, close: h.Close, routes: []route{
		{pattern: "GET /{$}", handler: h},
		{pattern: "/studio/", handler: h},
		{pattern: "GET /studio/api/sessions/{id}/events", handler: h, stream: true},
	}}, nil
}

// announce says where the page is, next to the service's address.
func (s *onlineStudio) announce(env *Env, bound, host string) {
	u := "http://" + bound + "/"
	switch {
	case s.token != "":
		u += "?token=" + url.QueryEscape(s.token)
		fmt.Fprintf(env.Stderr, "INFO: gw studio (console, model view, debugger) at %s — the token lets the page watch and pause every session: share it only with your team\n", u)
	case studio.IsLoopback(host):
		fmt.Fprintf(env.Stderr, "INFO: gw studio (console, model view, debugger) at %s\n", u)
	default:
		fmt.Fprintf(env.Stderr, "INFO: gw studio (console, model view) at %s — session control is off (--studio-token off)\n", u)
	}
}
