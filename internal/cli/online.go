package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"github.com/gw-project/gw/internal/jsonx"
	"github.com/gw-project/gw/internal/mcp"
	"github.com/gw-project/gw/internal/server/httpguard"
	"github.com/gw-project/gw/internal/server/rest"
	"github.com/gw-project/gw/internal/server/ws"
	"github.com/gw-project/gw/internal/session"
)

func init() {
	register(&command{
		name:    "online",
		summary: "Starts gw as a WebSocket (default) or an HTTP REST server. Unlike GraphWalker it listens on 127.0.0.1 only, unless --host says otherwise.",
		epilog: generatorHelp + `
  Examples:
    gw online
    gw online -s RESTFUL -m examples/models/login.json "random(edge_coverage(100))"
`,
		options: func() *optionSet {
			s := &optionSet{}
			addModelOptions(s)
			s.add(&option{names: []string{"--service", "-s"}, kind: optValue, def: "WEBSOCKET", help: "Selects which kind of service to start. Either WEBSOCKET [default], or RESTFUL."})
			s.add(&option{names: []string{"--port", "-p"}, kind: optValue, def: "8887", help: "Sets the port of the service."})
			s.add(&option{names: []string{"--host"}, kind: optValue, def: "127.0.0.1", help: "The address to listen on; 0.0.0.0 opens the service to other machines, as GraphWalker does (gw only)."})
			s.add(&option{names: []string{"--start-element", "-e"}, kind: optValue, def: "<empty string>", help: "RESTFUL only: sets the starting element (by name) in the [first] model."})
			s.add(&option{names: []string{"--verbose", "-o"}, kind: optSwitch, def: "false", help: "RESTFUL only: getNext also returns model name, element id, data, properties and actions."})
			s.add(&option{names: []string{"--unvisited", "-u"}, kind: optSwitch, def: "false", help: "RESTFUL only: getNext also returns the remaining unvisited elements in the model."})
			s.add(&option{names: []string{"--seed"}, kind: optValue, def: "random", help: "RESTFUL only: seed for the models given with --model, so a run can be repeated exactly (gw only)."})
			s.add(&option{names: []string{"--allow-origin"}, kind: optValue, repeat: true, def: "[]", help: "Also accept browser pages from this origin, and requests addressed to its host name: a host pattern (studio.example.com or *.example.com matches any port; studio.example.com:9090 pins one; https://... pins the scheme; * accepts all). Loopback pages and non-browser clients are always accepted; refused origins are logged with this hint (gw only)."})
			s.add(&option{names: []string{"--max-message"}, kind: optValue, def: "33554432", help: "Largest WebSocket message or REST body, in bytes (gw only)."})
			s.add(&option{names: []string{"--max-sessions"}, kind: optValue, def: "10000", help: "WEBSOCKET only: most concurrent connections (gw only)."})
			s.add(&option{names: []string{"--idle-timeout"}, kind: optValue, def: "30m", help: "WEBSOCKET only: close a connection that sent nothing for this long (gw only)."})
			s.add(&option{names: []string{"--max-conns-per-client"}, kind: optValue, def: strconv.Itoa(httpguard.DefaultMaxConnsPerClient), help: "Most connections one client address (an IPv4 address, an IPv6 /64) may hold open; more are answered 503. 0 turns the cap off (gw only)."})
			s.add(&option{names: []string{"--trusted-proxy"}, kind: optValue, repeat: true, def: "[]", help: "A reverse proxy or load balancer (address or CIDR, e.g. 10.0.0.0/8): its connections are not capped, and the client address it forwards (X-Forwarded-For, Forwarded) counts instead (gw only)."})
			s.add(&option{names: []string{"--mcp"}, kind: optSwitch, def: "false", help: "Also serve the MCP tools (gw mcp) over MCP's streamable HTTP transport at /mcp on the service's port (gw only)."})
			addMCPOptions(s, true)
			addRunOptions(s)
			addRecordOptions(s)
			addReplayOption(s)
			addOpsOptions(s)
			addStudioOptions(s)
			return s
		},
		run: runOnline,
	})
}

func runOnline(env *Env, opts *optionSet) error {
	service := "WEBSOCKET"
	if o := opts.lookup("--service"); o.set {
		service = strings.ToUpper(o.value())
		if service != "WEBSOCKET" && service != "RESTFUL" {
			return usagef("--service expected either WEBSOCKET or RESTFUL.")
		}
	}
	port := 8887
	if o := opts.lookup("--port"); o.set {
		p, err := parseInt("-p", o.value())
		if err != nil {
			return err
		}
		if p < 0 || p > 65535 {
			return usagef("\"-p\": %d is not a port number (0-65535)", p)
		}
		port = p
	}
	host := "127.0.0.1"
	if o := opts.lookup("--host"); o.set {
		host = o.value()
	}
	maxMsg := int64(32 << 20)
	if o := opts.lookup("--max-message"); o.set {
		n, err := parseLong("--max-message", o.value())
		if err != nil {
			return err
		}
		if n < 1024 {
			return usagef("--max-message must be at least 1024 bytes")
		}
		maxMsg = n
	}
	mo, err := runOptions(opts)
	if err != nil {
		return err
	}
	maxConns := httpguard.DefaultMaxConnsPerClient
	if o := opts.lookup("--max-conns-per-client"); o.set {
		n, err := parseInt("--max-conns-per-client", o.value())
		if err != nil {
			return err
		}
		if n < 0 {
			return usagef("--max-conns-per-client must be 0 (no cap) or more")
		}
		maxConns = n
	}
	proxies, err := httpguard.ParseProxies(flatten(opts.lookup("--trusted-proxy").values))
	if err != nil {
		return usagef("%v", err)
	}
	origins := flatten(opts.lookup("--allow-origin").values)
	if err := httpguard.ValidatePatterns(origins); err != nil {
		return usagef("--allow-origin: %v", err)
	}
	// What the service refuses (origins, hosts, clients over their cap, the
	// memory budget) is logged even when --debug is OFF: a browser page
	// shows its user nothing but a failed connection.
	log := env.Log
	if env.LogOff {
		// An operator who chose a log format wants the session lines too.
		level := slog.LevelWarn
		if env.LogFormatSet {
			level = slog.LevelInfo
		}
		log = newFormatLogger(env.Stderr, level, false, env.LogJSON)
	}

	moreProcs(log)
	// Every session of this gw, whatever serves it, is in one hub: the
	// studio lists, watches and pauses them, records and metrics observe
	// them.
	hub := session.NewHub()
	oo, err := newOnlineOps(opts, log, hub)
	if err != nil {
		return err
	}
	routes := oo.routes()
	prepare, endRecords, err := onlineRecords(env, opts, hub, log)
	if err != nil {
		return err
	}
	defer endRecords()
	var closers []func()
	defer func() {
		for _, c := range closers {
			c()
		}
	}()
	if opts.lookup("--mcp").set {
		o, err := mcpOptions(opts)
		if err != nil {
			return err
		}
		o.Script, o.NoProgressWindow = mo.Script, mo.NoProgressWindow
		o.Log, o.Version, o.Hub = log, Version, hub
		h, err := mcp.NewHTTPHandler(o)
		if err != nil {
			return usagef("%v", err)
		}
		closers = append(closers, h.Close)
		routes = append(routes, route{pattern: "/mcp", handler: oo.drainer.Gate(h, nil), stream: true})
	}

	var handler http.Handler
	var shutdown func(context.Context) error
	var open func() int // the sessions a drain waits for
	refuse := func(w http.ResponseWriter, _ *http.Request, status int, msg string) { http.Error(w, msg, status) }
	plain := false // the WebSocket port answers plain requests only with errors
	switch service {
	case "RESTFUL":
		ma, err := modelArgsFrom(opts)
		if err != nil {
			return err
		}
		ro := rest.Options{
			Verbose: opts.lookup("--verbose").set, Unvisited: opts.lookup("--unvisited").set, Blocked: ma.blocked,
			Script: mo.Script, MaxBodyBytes: maxMsg, Log: log,
			AllowOrigins: origins, Host: host, Hub: hub, Prepare: prepare, Events: oo.metrics.Events("rest"),
		}
		if o := opts.lookup("--seed"); o.set {
			seed, err := parseLong("--seed", o.value())
			if err != nil {
				return err
			}
			ro.Seed, ro.HasSeed = seed, true
		}
		if len(ma.pairs) > 0 {
			models, doc, err := loadModels(ma)
			if err != nil {
				return err
			}
			ro.Models = models
			if !ro.HasSeed && doc.HasSeed {
				ro.Seed, ro.HasSeed = doc.Seed, true
			}
		}
		srv, err := rest.NewHandler(ro)
		if err != nil {
			fmt.Fprintln(env.Stderr, "Was the argument --model correctly?")
			return err
		}
		handler, refuse = srv, restRefusal
		shutdown = func(context.Context) error { srv.Shutdown(); return nil }
		open = nil // REST: the request in flight
	default:
		wo := ws.Options{MaxMessageBytes: maxMsg, Script: mo.Script, Log: log, Version: Version,
			AllowOrigins: origins, Host: host, Hub: hub, Prepare: prepare, Events: oo.metrics.Events("websocket")}
		if o := opts.lookup("--max-sessions"); o.set {
			n, err := parseInt("--max-sessions", o.value())
			if err != nil {
				return err
			}
			wo.MaxSessions = n
		}
		if o := opts.lookup("--idle-timeout"); o.set {
			d, err := parseDuration("--idle-timeout", o.value())
			if err != nil {
				return err
			}
			wo.IdleTimeout = d
		}
		srv := ws.NewHandler(wo)
		handler, shutdown, plain = srv, srv.Shutdown, true
		open = srv.Sessions
	}
	studioService := map[bool]string{true: "rest", false: "websocket"}[service == "RESTFUL"]
	st, err := newOnlineStudio(opts, hub, studioService, host, origins, maxMsg, log)
	if err != nil {
		return err
	}
	routes = append(routes, st.routes...)
	closers = append(closers, st.close)
	clients := httpguard.NewClients(maxConns, proxies, log)
	oo.countClients(clients)

	// Catch signals before saying we listen, so a client that stops us at
	// once still gets a clean shutdown.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)

	addr := net.JoinHostPort(host, strconv.Itoa(port))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("Address already in use: %s (another gw or GraphWalker is running there; stop it or choose another --port)", addr)
		}
		return fmt.Errorf("Could not listen on %s: %v", addr, err)
	}
	hs := httpguard.NewServer(clients.Handler(withRoutes(oo.gate(handler, refuse), routes), refuse), plain, httpguard.Timeouts{})
	hs.ErrorLog = slog.NewLogLogger(log.Handler(), slog.LevelDebug)
	served := make(chan error, 1)
	go func() { served <- hs.Serve(clients.Listen(ln)) }()

	bound := ln.Addr().String()
	if service == "RESTFUL" {
		// AltWalker waits for "[HttpServer] Started" on either stream.
		fmt.Fprintf(env.Stderr, "INFO: [HttpServer] Started. gw REST service listening on http://%s/graphwalker\n", bound)
		fmt.Fprintf(env.Stdout, "Try http://%s/graphwalker/hasNext or http://%s/graphwalker/getNext\nPress Control+C to end...\n", bound, bound)
	} else {
		fmt.Fprintf(env.Stderr, "INFO: gw WebSocket service listening on ws://%s\n", bound)
		// What to do next, as the REST service says it.
		fmt.Fprintf(env.Stdout, "Send JSON text messages to ws://%s, e.g. start a walk of a one-vertex model:\n%s\nthen {\"command\":\"hasNext\"} and {\"command\":\"getNext\"} (README: Driving a walk online).\nPress Control+C to end...\n", bound, exampleStart)
	}
	st.announce(env, bound, host)
	if opts.lookup("--mcp").set {
		fmt.Fprintf(env.Stderr, "INFO: gw MCP service (streamable HTTP) at http://%s/mcp\n", bound)
	}
	if f, ok := env.Stdout.(interface{ Flush() error }); ok {
		f.Flush()
	}
	if env.Ready != nil {
		env.Ready(bound)
	}

	err = oo.stop(env, sig, served, open, func(ctx context.Context, drained bool) {
		for _, c := range closers {
			c() // MCP streams end, so that Shutdown need not wait for them
		}
		closers = nil
		if service == "RESTFUL" && drained {
			_ = hs.Shutdown(ctx) // a request that came meanwhile finishes
			_ = shutdown(ctx)
			return
		}
		_ = shutdown(ctx) // open sessions: 1001 going away
		_ = hs.Shutdown(ctx)
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stderr, "INFO: gw service stopped")
	return nil
}

// restRefusal answers a refused REST request as every REST error is
// answered: a nok body.
func restRefusal(w http.ResponseWriter, _ *http.Request, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
	w.WriteHeader(status)
	w.Write(jsonx.AppendString([]byte(`{"result":"nok","error":`), msg))
	w.Write([]byte("}"))
}

// exampleStart is a complete start message, printed when the WebSocket
// service starts (tests check that it starts a walk).
const exampleStart = `{"command":"start","gw":{"models":[{"name":"Hello","generator":"random(length(4))","startElementId":"e0",` +
	`"vertices":[{"id":"v0","name":"v_Hello"}],"edges":[{"id":"e0","name":"e_Start","targetVertexId":"v0"},` +
	`{"id":"e1","name":"e_Again","sourceVertexId":"v0","targetVertexId":"v0"}]}]}}`

func flatten(values [][]string) []string {
	var out []string
	for _, v := range values {
		out = append(out, v...)
	}
	return out
}
