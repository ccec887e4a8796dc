package httpguard

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The flags that set Clients' limits.
const (
	ConnsFlag = "--max-conns-per-client"
	ProxyFlag = "--trusted-proxy"
)

// DefaultMaxConnsPerClient is the default of --max-conns-per-client.
const DefaultMaxConnsPerClient = 128

// Clients caps the connections each client address holds open. A client
// is an IPv4 address or an IPv6 /64 (one host's share of a network).
// Connections from trusted proxies are not counted; the requests they
// carry count against the client address the proxy forwards
// (X-Forwarded-For or Forwarded), so the cap never throttles a load
// balancer but still applies to each client behind it.
type Clients struct {
	max     int
	trusted []netip.Prefix
	log     *slog.Logger

	mu     sync.Mutex
	counts map[netip.Addr]int

	refusing atomic.Int32 // refusals being written now
	refused  atomic.Int64
}

// NewClients returns a cap of max connections per client (<= 0: none);
// trusted lists the proxies whose forwarded addresses count.
func NewClients(max int, trusted []netip.Prefix, log *slog.Logger) *Clients {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Clients{max: max, trusted: trusted, log: log, counts: map[netip.Addr]int{}}
}

// ParseProxies reads --trusted-proxy values: CIDR prefixes or single
// addresses.
func ParseProxies(values []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, v := range values {
		for _, f := range strings.Split(v, ",") {
			f = strings.TrimSpace(f)
			if f == "" {
				continue
			}
			if p, err := netip.ParsePrefix(f); err == nil {
				out = append(out, p.Masked())
				continue
			}
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, fmt.Errorf("%s %q is neither an address nor a CIDR prefix (write e.g. 10.0.0.5, 10.0.0.0/8 or fd00::/8)", ProxyFlag, f)
			}
			a = a.Unmap()
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
		}
	}
	return out, nil
}

// Refused counts the connections and requests refused so far.
func (c *Clients) Refused() int64 { return c.refused.Load() }

// Open is the number of connections (or proxied requests) client addr
// holds now.
func (c *Clients) Open(addr netip.Addr) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.counts[clientKey(addr)]
}

func (c *Clients) isTrusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range c.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// clientKey groups an address with the others of its client: IPv4
// addresses stand alone, IPv6 ones by /64.
func clientKey(a netip.Addr) netip.Addr {
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.Addr()
	}
	return a
}

func (c *Clients) acquire(k netip.Addr) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.counts[k] >= c.max {
		return false
	}
	c.counts[k]++
	return true
}

func (c *Clients) release(k netip.Addr) {
	c.mu.Lock()
	if c.counts[k] <= 1 {
		delete(c.counts, k)
	} else {
		c.counts[k]--
	}
	c.mu.Unlock()
}

func (c *Clients) tooMany(client string) string {
	return fmt.Sprintf("gw online: too many connections from %s: each client address may hold %d open at once; close some, or raise the limit with %s (behind a reverse proxy, name it with %s)", client, c.max, ConnsFlag, ProxyFlag)
}

// Listen wraps l so that each client address holds at most max
// connections; more are answered 503 and closed.
func (c *Clients) Listen(l net.Listener) net.Listener {
	if c.max <= 0 {
		return l
	}
	return &listener{Listener: l, c: c}
}

type listener struct {
	net.Listener
	c *Clients
}

func (l *listener) Accept() (net.Conn, error) {
	for {
		conn, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		ap, err := netip.ParseAddrPort(conn.RemoteAddr().String())
		if err != nil || l.c.isTrusted(ap.Addr()) {
			return conn, nil
		}
		k := clientKey(ap.Addr())
		if !l.c.acquire(k) {
			l.c.refuse(conn, k)
			continue
		}
		return &countedConn{Conn: conn, c: l.c, key: k}, nil
	}
}

// refuse answers a connection over the cap with a 503 and closes it, in
// the background and within two seconds; when many refusals are already
// being written it just closes.
func (c *Clients) refuse(conn net.Conn, k netip.Addr) {
	n := c.refused.Add(1)
	if n == 1 || n%1000 == 0 {
		c.log.Warn("refused connections: too many from one client", "client", k.String(), "limit", c.max, "refused so far", n, "flag", ConnsFlag)
	}
	if c.refusing.Add(1) > 64 {
		c.refusing.Add(-1)
		conn.Close()
		return
	}
	go func() {
		defer c.refusing.Add(-1)
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(2 * time.Second))
		msg := c.tooMany(k.String()) + "\n"
		fmt.Fprintf(conn, "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nRetry-After: 5\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s", len(msg), msg)
		// Read what the client sent, so that closing does not reset the
		// connection before it has read the answer.
		if cw, ok := conn.(interface{ CloseWrite() error }); ok {
			cw.CloseWrite()
		}
		io.Copy(io.Discard, io.LimitReader(conn, 64<<10))
	}()
}

// countedConn releases its client's count once, when closed (also after
// a WebSocket upgrade hijacked it).
type countedConn struct {
	net.Conn
	c    *Clients
	key  netip.Addr
	once sync.Once
}

func (cc *countedConn) Close() error {
	err := cc.Conn.Close()
	cc.once.Do(func() { cc.c.release(cc.key) })
	return err
}

// SetNoDelay and CloseWrite pass through to a TCP connection.
func (cc *countedConn) SetNoDelay(on bool) error {
	if tc, ok := cc.Conn.(*net.TCPConn); ok {
		return tc.SetNoDelay(on)
	}
	return nil
}

func (cc *countedConn) CloseWrite() error {
	if cw, ok := cc.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// Handler counts the requests that trusted proxies forward against the
// client they name and refuses those over the cap with refuse (status
// 503); such requests get the client's address as RemoteAddr, so that
// logs name the client rather than the proxy.
func (c *Clients) Handler(next http.Handler, refuse func(w http.ResponseWriter, r *http.Request, status int, msg string)) http.Handler {
	if len(c.trusted) == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ap, err := netip.ParseAddrPort(r.RemoteAddr)
		if err != nil || !c.isTrusted(ap.Addr()) {
			next.ServeHTTP(w, r)
			return
		}
		client, ok := c.forwardedClient(r)
		if !ok {
			next.ServeHTTP(w, r) // the proxy's own request
			return
		}
		r.RemoteAddr = netip.AddrPortFrom(client, 0).String()
		if c.max > 0 {
			k := clientKey(client)
			if !c.acquire(k) {
				n := c.refused.Add(1)
				if n == 1 || n%1000 == 0 {
					c.log.Warn("refused requests: too many from one client behind a proxy", "client", k.String(), "proxy", ap.Addr().String(), "limit", c.max, "refused so far", n, "flag", ConnsFlag)
				}
				w.Header().Set("Retry-After", "5")
				refuse(w, r, http.StatusServiceUnavailable, c.tooMany(k.String()))
				return
			}
			defer c.release(k)
		}
		next.ServeHTTP(w, r)
	})
}

// forwardedClient is the client a trusted proxy names: the last address
// in X-Forwarded-For (or Forwarded's for=) that is not itself a trusted
// proxy. Addresses before it were written by the client and prove nothing.
func (c *Clients) forwardedClient(r *http.Request) (netip.Addr, bool) {
	var hops []string
	for _, v := range r.Header.Values("Forwarded") {
		for _, elem := range strings.Split(v, ",") {
			for _, pair := range strings.Split(elem, ";") {
				k, val, ok := strings.Cut(strings.TrimSpace(pair), "=")
				if ok && strings.EqualFold(k, "for") {
					hops = append(hops, val)
				}
			}
		}
	}
	if len(hops) == 0 {
		for _, v := range r.Header.Values("X-Forwarded-For") {
			hops = append(hops, strings.Split(v, ",")...)
		}
	}
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := parseHop(hops[i])
		if !ok {
			return netip.Addr{}, false // unknown or obfuscated: trust nothing before it
		}
		if !c.isTrusted(a) {
			return a, true
		}
	}
	return netip.Addr{}, false
}

// parseHop reads one forwarded address: 1.2.3.4, 1.2.3.4:5, "[::1]:5",
// ::1.
func parseHop(s string) (netip.Addr, bool) {
	s = strings.Trim(strings.TrimSpace(s), `"`)
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	if a, err := netip.ParseAddr(strings.Trim(s, "[]")); err == nil {
		return a.Unmap(), true
	}
	return netip.Addr{}, false
}

// NetConn is the connection under the count (as tls.Conn's NetConn).
func (c *countedConn) NetConn() net.Conn { return c.Conn }
