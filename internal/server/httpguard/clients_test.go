package httpguard

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"
)

// serve runs h behind NewServer with t and the client cap c on a
// loopback port, for the test's duration.
func serve(tb testing.TB, h http.Handler, c *Clients, t Timeouts) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	if c == nil {
		c = NewClients(0, nil, nil)
	}
	refuse := func(w http.ResponseWriter, _ *http.Request, status int, msg string) { http.Error(w, msg, status) }
	hs := NewServer(c.Handler(h, refuse), false, t)
	go hs.Serve(c.Listen(ln))
	tb.Cleanup(func() { hs.Close() })
	return ln.Addr().String()
}

func dialFrom(t *testing.T, local, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{Timeout: 5 * time.Second}
	if local != "" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(local)}
	}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// get sends a GET on c and reads the response.
func get(t *testing.T, c net.Conn, header string) (*http.Response, string) {
	t.Helper()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: localhost\r\n"+header+"\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

var ok = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })

// TestConnCap: a client address holds at most max connections; the next
// one is answered 503 naming the flag, other addresses are not affected,
// and a closed connection frees its slot.
func TestConnCap(t *testing.T) {
	c := NewClients(3, nil, nil)
	addr := serve(t, ok, c, Timeouts{})
	var held []net.Conn
	for range 3 {
		conn := dialFrom(t, "127.0.0.1", addr)
		if resp, _ := get(t, conn, ""); resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		held = append(held, conn)
	}
	over := dialFrom(t, "127.0.0.1", addr)
	resp, body := get(t, over, "")
	if resp.StatusCode != 503 || !strings.Contains(body, "--max-conns-per-client") || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("4th connection: %d %q", resp.StatusCode, body)
	}
	// Another loopback address is another client.
	if resp, _ := get(t, dialFrom(t, "127.0.0.2", addr), ""); resp.StatusCode != 200 {
		t.Errorf("127.0.0.2: status %d", resp.StatusCode)
	}
	held[0].Close()
	waitUntil(t, func() bool { return c.Open(netip.MustParseAddr("127.0.0.1")) == 2 })
	if resp, _ := get(t, dialFrom(t, "127.0.0.1", addr), ""); resp.StatusCode != 200 {
		t.Errorf("after a close: status %d", resp.StatusCode)
	}
	if c.Refused() != 1 {
		t.Errorf("Refused() = %d", c.Refused())
	}
}

func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 5 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestClientKey(t *testing.T) {
	for _, c := range []struct{ a, b string }{
		{"2001:db8:1:2::1", "2001:db8:1:2:ffff::9"},
		{"::ffff:10.0.0.1", "10.0.0.1"},
	} {
		if clientKey(netip.MustParseAddr(c.a)) != clientKey(netip.MustParseAddr(c.b)) {
			t.Errorf("%s and %s are different clients", c.a, c.b)
		}
	}
	if clientKey(netip.MustParseAddr("2001:db8:1:2::1")) == clientKey(netip.MustParseAddr("2001:db8:1:3::1")) {
		t.Error("two /64s are one client")
	}
}

func TestForwardedClient(t *testing.T) {
	trusted, err := ParseProxies([]string{"10.0.0.0/8", "127.0.0.1, fd00::1"})
	if err != nil {
		t.Fatal(err)
	}
	c := NewClients(1, trusted, nil)
	cases := []struct {
		header, value string
		want          string // "" none
	}{
		{"X-Forwarded-For", "203.0.113.7", "203.0.113.7"},
		{"X-Forwarded-For", "198.51.100.1, 203.0.113.7, 10.0.0.2", "203.0.113.7"}, // the client wrote the first
		{"X-Forwarded-For", "unknown", ""},
		{"X-Forwarded-For", "10.1.1.1", ""}, // only proxies
		{"Forwarded", `for="[2001:db8::1]:4711";proto=https`, "2001:db8::1"},
		{"Forwarded", "for=192.0.2.60;by=10.0.0.1, for=10.0.0.3", "192.0.2.60"},
		{"Forwarded", "for=_hidden", ""},
		{"", "", ""},
	}
	for _, tc := range cases {
		r := httptest.NewRequest("GET", "/", nil)
		if tc.header != "" {
			r.Header.Set(tc.header, tc.value)
		}
		a, ok := c.forwardedClient(r)
		got := ""
		if ok {
			got = a.String()
		}
		if got != tc.want {
			t.Errorf("%s: %s: got %q, want %q", tc.header, tc.value, got, tc.want)
		}
	}
	for _, bad := range []string{"10.0.0.0/33", "proxy.example"} {
		if _, err := ParseProxies([]string{bad}); err == nil || !strings.Contains(err.Error(), "--trusted-proxy") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// TestTrustedProxy: a trusted proxy's connections are not capped; the
// requests it forwards count against each forwarded client.
func TestTrustedProxy(t *testing.T) {
	release := make(chan struct{})
	var mu sync.Mutex
	var remotes []string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		remotes = append(remotes, r.RemoteAddr)
		mu.Unlock()
		if r.URL.Path == "/hold" {
			<-release
		}
		io.WriteString(w, "ok")
	})
	c := NewClients(2, []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}, nil)
	addr := serve(t, h, c, Timeouts{})
	var wg sync.WaitGroup
	for range 2 { // two requests of 203.0.113.7 in flight
		wg.Add(1)
		conn := dialFrom(t, "127.0.0.1", addr)
		go func() {
			defer wg.Done()
			conn.SetDeadline(time.Now().Add(10 * time.Second))
			io.WriteString(conn, "GET /hold HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: 203.0.113.7\r\n\r\n")
			http.ReadResponse(bufio.NewReader(conn), nil)
		}()
	}
	waitUntil(t, func() bool { return c.Open(netip.MustParseAddr("203.0.113.7")) == 2 })
	// More connections from the proxy than the cap: not refused.
	if resp, body := get(t, dialFrom(t, "127.0.0.1", addr), "X-Forwarded-For: 203.0.113.7\r\n"); resp.StatusCode != 503 || !strings.Contains(body, "203.0.113.7") {
		t.Errorf("third request of 203.0.113.7: %d %q", resp.StatusCode, body)
	}
	if resp, _ := get(t, dialFrom(t, "127.0.0.1", addr), "X-Forwarded-For: 198.51.100.9\r\n"); resp.StatusCode != 200 {
		t.Errorf("another client behind the proxy: %d", resp.StatusCode)
	}
	if resp, _ := get(t, dialFrom(t, "127.0.0.1", addr), ""); resp.StatusCode != 200 {
		t.Errorf("the proxy's own request: %d", resp.StatusCode)
	}
	close(release)
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if !strings.HasPrefix(remotes[0], "203.0.113.7:") {
		t.Errorf("RemoteAddr %q, want the forwarded client", remotes[0])
	}
}
