package ws

import (
	"context"
	"errors"
	"github.com/gw-project/gw/internal/script"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/gw-project/gw/internal/jsonx"
)

func dialOpts(url string, h http.Header) (*websocket.Conn, *http.Response, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return websocket.Dial(ctx, url, &websocket.DialOptions{HTTPHeader: h})
}

func TestOrigin(t *testing.T) {
	_, url := startServer(t, Options{AllowOrigins: []string{"studio.example.com", "https://*.corp.test:*", "null", "[bad", "pinned.test:8080", "studio.test"}})
	cases := []struct {
		origin string
		ok     bool
	}{
		{"", true}, // not a browser
		{"http://localhost:9090", true},
		{"http://LOCALHOST", true},
		{"http://127.0.0.1:9999", true},
		{"http://127.0.0.2", true},
		{"http://[::1]:8080", true},
		{"https://studio.example.com", true},
		{"http://studio.example.com", true},
		{"http://studio.example.com:81", true}, // a bare host admits any port (issue 11)
		{"http://studio.test:9090", true},
		{"http://pinned.test:8080", true},
		{"http://pinned.test:8081", false},
		{"http://pinned.test", false}, // port 80
		{"http://evil.studio.test", false},
		{"https://a.corp.test:8443", true},
		{"http://a.corp.test:8443", false},
		{"null", true},
		{"http://evil.example", false},
		{"http://localhost.evil.example", false},
		{"http://127.0.0.1.nip.io", false},
		{"not a url", false},
	}
	for _, c := range cases {
		h := http.Header{}
		if c.origin != "" {
			h.Set("Origin", c.origin)
		}
		conn, resp, err := dialOpts(url+"/any/path", h)
		if c.ok {
			if err != nil {
				t.Errorf("Origin %q refused: %v", c.origin, err)
				continue
			}
			conn.CloseNow()
			continue
		}
		if err == nil {
			conn.CloseNow()
			t.Errorf("Origin %q accepted", c.origin)
			continue
		}
		if resp == nil || resp.StatusCode != http.StatusForbidden {
			t.Errorf("Origin %q: want 403, got %v", c.origin, err)
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		if !strings.Contains(string(body), "--allow-origin") {
			t.Errorf("Origin %q: 403 body does not say how to allow it: %s", c.origin, body)
		}
	}
	// The same host as the request is not enough (DNS rebinding).
	h := http.Header{"Origin": {"http://" + strings.TrimPrefix(url, "ws://")}}
	if conn, _, err := dialOpts(url, h); err != nil {
		t.Errorf("same-host loopback origin refused: %v", err)
	} else {
		conn.CloseNow()
	}
}

func TestValidate(t *testing.T) {
	if err := (Options{AllowOrigins: []string{"*.example.com", `\[::2\]:*`}}).Validate(); err != nil {
		t.Error(err)
	}
	err := (Options{AllowOrigins: []string{"[bad"}}).Validate()
	if err == nil || !strings.Contains(err.Error(), `"[bad"`) {
		t.Errorf("want an error naming the pattern, got %v", err)
	}
}

func TestPlainHTTP(t *testing.T) {
	_, url := startServer(t, Options{})
	resp, err := http.Get("http" + strings.TrimPrefix(url, "ws") + "/x")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), "WebSocket Upgrade Failure") {
		t.Errorf("plain GET: %d %s", resp.StatusCode, body)
	}
}

func TestMaxSessions(t *testing.T) {
	srv, url := startServer(t, Options{MaxSessions: 2})
	a, b := dial(t, url), dial(t, url)
	_, resp, err := dialOpts(url, nil)
	if err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("third session: want 503, got %v", err)
	}
	a.call1(`{command:"mode"}`)
	a.close()
	for srv.Sessions() != 1 {
		time.Sleep(time.Millisecond)
	}
	c := dial(t, url)
	c.call1(`{command:"mode"}`)
	b.call1(`{command:"mode"}`)
}

func TestIdleTimeout(t *testing.T) {
	srv, url := startServer(t, Options{IdleTimeout: 300 * time.Millisecond})
	c := dial(t, url)
	for range 4 { // activity keeps the session open
		time.Sleep(150 * time.Millisecond)
		c.call1(`{command:"mode"}`)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, _, err := c.c.Read(ctx)
	var ce websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != websocket.StatusNormalClosure || !strings.Contains(ce.Reason, "idle") {
		t.Fatalf("want an idle close, got %v", err)
	}
	for srv.Sessions() != 0 {
		time.Sleep(time.Millisecond)
	}
}

// TestDefaultMessageLimit sends a 33 MiB frame to a default server: it is
// refused with a message and the session goes on; a 31 MiB model loads.
func TestDefaultMessageLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 64 MiB")
	}
	_, url := startServer(t, Options{})
	c := dial(t, url)
	big := `{command:"setData", action:"` + strings.Repeat("a", 33<<20) + `"}`
	v := c.call1(big)
	if msg := str(v, "message"); !strings.Contains(msg, "Message too big: 34603038 bytes, the limit is 33554432 bytes") {
		t.Errorf("got %.300s", msg)
	}
	// Just under the limit: a model with a long (ignored) name.
	small := smallModel(t)
	pad := strings.Repeat("p", 31<<20)
	v = c.call1(`{command:"start", gw:` + strings.Replace(small, `"A small test model"`, `"`+pad+`"`, 1) + `}`)
	if ok, _ := boolean(v, "success"); !ok {
		t.Errorf("31 MiB start: %.300s", str(v, "message"))
	}
	c.call(`{command:"getNext"}`, 2)
}

func TestShutdown(t *testing.T) {
	srv, url := startServer(t, Options{})
	var clients []*client
	for range 5 {
		c := dial(t, url)
		c.call(`{command:"start", gw:`+smallModel(t)+`}`, 1)
		clients = append(clients, c)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	done := make(chan error)
	go func() { done <- srv.Shutdown(ctx) }()
	for _, c := range clients {
		_, _, err := c.c.Read(ctx)
		if st := websocket.CloseStatus(err); st != websocket.StatusGoingAway {
			t.Errorf("want close 1001, got %v", err)
		}
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if srv.Sessions() != 0 {
		t.Errorf("%d sessions after Shutdown", srv.Sessions())
	}
	if _, resp, err := dialOpts(url, nil); err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("dial after Shutdown: want 503, got %v", err)
	}
}

// TestShutdownDeadline: a client that never answers the close handshake
// is dropped when the context ends.
func TestShutdownDeadline(t *testing.T) {
	srv, url := startServer(t, Options{})
	c := dial(t, url)
	c.call1(`{command:"mode"}`) // the client never reads again
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := srv.Shutdown(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("want DeadlineExceeded, got %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Shutdown took %v", d)
	}
	if srv.Sessions() != 0 {
		t.Errorf("%d sessions left", srv.Sessions())
	}
}

// TestConcurrentSessions: a session busy in a script that never ends does
// not hold up the others.
func TestConcurrentSessions(t *testing.T) {
	// The busy script runs 5 s; the other session must finish well before
	// (3 s leaves room for a loaded CI machine running -race).
	_, url := startServer(t, Options{Script: script.Limits{Timeout: 5 * time.Second}})
	busy := dial(t, url)
	busy.call(`{command:"start", gw:`+smallModel(t)+`}`, 1)
	busy.send(`{command:"setData", action:"while(true){}"}`)
	other := dial(t, url)
	start := time.Now()
	other.call(`{command:"start", gw:`+smallModel(t)+`}`, 1)
	for range 10 {
		other.call(`{command:"getNext"}`, 2)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("other session waited %v", d)
	}
	msgs := []string{busy.recv(), busy.recv()}
	if !strings.Contains(msgs[0], "deadline") || !strings.HasPrefix(msgs[1], `{"success":false,"message":"`) || !strings.HasSuffix(msgs[1], `deadline","command":"setData"}`) && !strings.Contains(msgs[1], `--script-timeout)","command":"setData"}`) {
		t.Errorf("busy session: %q", msgs)
	}
	busy.call(`{command:"getNext"}`, 2)
}

// TestPingKeepsAlive: a client that pings is not idle.
func TestPingKeepsAlive(t *testing.T) {
	_, url := startServer(t, Options{IdleTimeout: 300 * time.Millisecond})
	c := dial(t, url)
	msgs := make(chan string, 10)
	go func() {
		for {
			_, b, err := c.c.Read(context.Background())
			if err != nil {
				close(msgs)
				return
			}
			msgs <- string(b)
		}
	}()
	for range 6 {
		time.Sleep(100 * time.Millisecond)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if err := c.c.Ping(ctx); err != nil {
			t.Fatal(err)
		}
		cancel()
	}
	c.send(`{command:"mode"}`)
	if m, ok := <-msgs; !ok || !strings.Contains(m, "EDITOR") {
		t.Fatalf("after 600 ms of pings: %q, %v", m, ok)
	}
}

// TestPanicIsContained: a bug in a command costs the session its machine,
// with an error reply, not the process or the connection.
func TestPanicIsContained(t *testing.T) {
	testHook = func(s *session, cmd string) {
		if cmd == "boom" {
			panic("test panic")
		}
	}
	t.Cleanup(func() { testHook = nil }) // runs after the server's shutdown
	_, url := startServer(t, Options{})
	c := dial(t, url)
	c.call(`{command:"start", gw:`+smallModel(t)+`}`, 1)
	if got := c.call1(`{command:"boom"}`); !strings.Contains(str(got, "message"), "internal error in gw") {
		t.Errorf("got %s", jsonx.Marshal(got))
	}
	if got := c.call1(`{command:"getNext"}`); str(got, "message") != notInitiated {
		t.Errorf("machine not dropped: %s", jsonx.Marshal(got))
	}
	c.call1(`{command:"mode"}`)
}
