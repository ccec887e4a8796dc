package httpguard

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"strings"
	"sync"
	"time"
)

// OriginFlag is the flag that admits more browser origins and host names.
const OriginFlag = "--allow-origin"

// pattern is one --allow-origin pattern, lower-cased and split:
// [scheme://]host[:port]. A pattern without a port matches any port.
type pattern struct {
	scheme string // "" matches any scheme
	host   string // path.Match pattern of the host (IPv6 in brackets)
	port   string // path.Match pattern of the port; "" matches any port
}

func parsePattern(raw string) (pattern, error) {
	p := strings.ToLower(strings.TrimSpace(raw))
	var pt pattern
	if scheme, rest, ok := strings.Cut(p, "://"); ok {
		pt.scheme, p = scheme, rest
	}
	if i := strings.LastIndexByte(p, ':'); i >= 0 && i > strings.LastIndexByte(p, ']') {
		pt.host, pt.port = p[:i], p[i+1:]
	} else {
		pt.host = p
	}
	for _, part := range []string{pt.scheme, pt.host, pt.port} {
		if _, err := path.Match(part, ""); err != nil {
			return pt, fmt.Errorf("allowed origin %q is not a valid pattern (use host names with * and ? wildcards, e.g. \"studio.example.com\", \"*.example.com\" or \"https://studio.example.com:8443\"; escape [ and ] with \\): %w", raw, err)
		}
	}
	if pt.host == "" {
		return pt, fmt.Errorf("allowed origin %q has no host (write e.g. \"studio.example.com\" or \"*.example.com\")", raw)
	}
	return pt, nil
}

// ValidatePatterns reports the first --allow-origin pattern that cannot be
// used.
func ValidatePatterns(patterns []string) error {
	for _, p := range patterns {
		if p == "*" || strings.EqualFold(p, "null") {
			continue
		}
		if _, err := parsePattern(p); err != nil {
			return err
		}
	}
	return nil
}

// Policy decides which requests a service answers, by their Origin and
// Host headers. The zero Policy admits loopback pages and loopback or
// IP-address hosts only.
type Policy struct {
	anyOrigin bool // "*"
	null      bool // "null": file:// pages and sandboxed frames
	origins   []pattern
	names     []string // host names admitted besides loopback and IPs
	log       *slog.Logger
	events    *Events

	mu     sync.Mutex
	logged map[string]time.Time // refusals logged, to log each once a minute
}

// NewPolicy builds the policy of a service listening on listenHost (the
// --host value) with the --allow-origin patterns; invalid patterns are
// an error. Refusals are logged to log at Warn level (nil: not logged).
func NewPolicy(allowOrigins []string, listenHost string, log *slog.Logger) (*Policy, error) {
	p := &Policy{log: log, logged: map[string]time.Time{}}
	for _, raw := range allowOrigins {
		switch {
		case raw == "*":
			p.anyOrigin = true
			continue
		case strings.EqualFold(raw, "null"):
			p.null = true
			continue
		}
		pt, err := parsePattern(raw)
		if err != nil {
			return nil, err
		}
		p.origins = append(p.origins, pt)
	}
	h := strings.ToLower(strings.Trim(listenHost, "[]"))
	if h != "" && net.ParseIP(h) == nil {
		p.names = append(p.names, h) // --host gw.example.com
	}
	if ip := net.ParseIP(h); ip != nil && !ip.IsLoopback() {
		// Listening beyond loopback (e.g. 0.0.0.0): other machines reach
		// the service by this machine's name.
		if name, err := os.Hostname(); err == nil && name != "" {
			name = strings.ToLower(name)
			p.names = append(p.names, name)
			if short, _, ok := strings.Cut(name, "."); ok {
				p.names = append(p.names, short)
			}
		}
	}
	return p, nil
}

// Refusal is a request the policy refuses: a 403 with Msg.
type Refusal struct {
	Status int
	Msg    string
}

func (r *Refusal) Error() string { return r.Msg }

// Check refuses a request whose Host is not a name of this service or
// whose Origin is a page the service does not admit. Requests without an
// Origin come from programs, not browser pages, and pass the Origin
// check.
func (p *Policy) Check(r *http.Request) *Refusal {
	if ref := p.checkHost(r.Host); ref != nil {
		p.logRefusal("host "+r.Host, "refused a request addressed to a name that is not this service's (DNS rebinding?)", r, ref)
		p.events.OnRefused("host")
		return ref
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return nil
	}
	if ref := p.checkOrigin(origin); ref != nil {
		p.logRefusal("origin "+origin, "refused a browser page from another site", r, ref)
		p.events.OnRefused("origin")
		return ref
	}
	return nil
}

// Notify makes p tell e of its refusals (nil: no one); call it before
// the service serves.
func (p *Policy) Notify(e *Events) { p.events = e }

// OriginAllowed reports whether a page from origin may use the service.
func (p *Policy) OriginAllowed(origin string) bool { return p.checkOrigin(origin) == nil }

func (p *Policy) checkOrigin(origin string) *Refusal {
	if p.anyOrigin || (p.null && origin == "null") {
		return nil
	}
	u, err := url.Parse(origin)
	ok := err == nil && u.Host != "" && u.Opaque == ""
	if ok && isLoopbackName(u.Hostname()) {
		return nil
	}
	if ok {
		scheme := strings.ToLower(u.Scheme)
		host, port := splitHost(strings.ToLower(u.Host))
		if port == "" {
			port = defaultPort(scheme)
		}
		for _, pt := range p.origins {
			if match(pt.scheme, scheme) && match(pt.host, host) && match(pt.port, port) {
				return nil
			}
		}
	}
	hint := "null"
	if ok {
		hint, _ = splitHost(strings.ToLower(u.Host))
	}
	return &Refusal{Status: http.StatusForbidden, Msg: fmt.Sprintf("Origin %q is not allowed: gw online accepts browser pages served from localhost only; to allow this site, start it with %s %s (a host name admits any port; host:port pins one)", origin, OriginFlag, hint)}
}

func (p *Policy) checkHost(hostport string) *Refusal {
	if hostport == "" || p.anyOrigin {
		return nil // HTTP/1.0 without Host: no name to rebind
	}
	host, _ := splitHost(strings.ToLower(hostport))
	bare := strings.Trim(host, "[]")
	if net.ParseIP(bare) != nil || isLoopbackName(bare) {
		return nil
	}
	for _, n := range p.names {
		if host == n {
			return nil
		}
	}
	for _, pt := range p.origins {
		if match(pt.host, host) {
			return nil
		}
	}
	return &Refusal{Status: http.StatusForbidden, Msg: fmt.Sprintf("Host %q is not a name of this gw service: it answers requests addressed to localhost, an IP address or its --host name, so that a web page whose name points at this machine (DNS rebinding) cannot use it; to reach it by this name, start it with %s %s", hostport, OriginFlag, bare)}
}

// logRefusal logs a refusal at Warn level, each origin or host at most
// once a minute: pages may retry in a loop.
func (p *Policy) logRefusal(key, what string, r *http.Request, ref *Refusal) {
	if p.log == nil {
		return
	}
	now := time.Now()
	p.mu.Lock()
	last, seen := p.logged[key]
	if seen && now.Sub(last) < time.Minute {
		p.mu.Unlock()
		return
	}
	if len(p.logged) >= 1024 {
		clear(p.logged)
	}
	p.logged[key] = now
	p.mu.Unlock()
	p.log.Warn(what, "remote", r.RemoteAddr, "error", ref.Msg)
}

// splitHost splits host[:port]; an IPv6 host keeps its brackets.
func splitHost(hostport string) (host, port string) {
	if i := strings.LastIndexByte(hostport, ':'); i >= 0 && i > strings.LastIndexByte(hostport, ']') {
		return hostport[:i], hostport[i+1:]
	}
	return hostport, ""
}

func defaultPort(scheme string) string {
	switch scheme {
	case "http", "ws":
		return "80"
	case "https", "wss":
		return "443"
	}
	return ""
}

// match reports whether s matches the path.Match pattern p; "" matches
// everything.
func match(p, s string) bool {
	if p == "" {
		return true
	}
	ok, _ := path.Match(p, s)
	return ok
}

// isLoopbackName reports localhost, *.localhost (RFC 6761: browsers
// resolve them to loopback themselves) and loopback IP addresses.
func isLoopbackName(h string) bool {
	h = strings.TrimSuffix(strings.ToLower(strings.Trim(h, "[]")), ".")
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
