package ws

import (
	"context"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/gw-project/gw/internal/jsonx"
)

// startServer runs a Server behind an httptest listener on 127.0.0.1 and
// shuts both down at the end of the test.
func startServer(t testing.TB, opts Options) (*Server, string) {
	t.Helper()
	srv := NewHandler(opts)
	hs := httptest.NewServer(srv)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		hs.Close()
	})
	return srv, "ws" + strings.TrimPrefix(hs.URL, "http")
}

// client is a test WebSocket client with a deadline on every read.
type client struct {
	t    testing.TB
	c    *websocket.Conn
	wait time.Duration // for a message; 0: 10 s
}

func dial(t testing.TB, url string) *client {
	t.Helper()
	c := dialRaw(t, url)
	t.Cleanup(func() { c.c.CloseNow() })
	return c
}

// dialRaw is dial without cleanup: the caller closes.
func dialRaw(t testing.TB, url string) *client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	c.SetReadLimit(-1)
	return &client{t: t, c: c}
}

func (c *client) close() { c.c.Close(websocket.StatusNormalClosure, "bye") }

func (c *client) send(msg string) {
	c.t.Helper()
	if err := c.c.Write(context.Background(), websocket.MessageText, []byte(msg)); err != nil {
		c.t.Fatalf("send %.80q: %v", msg, err)
	}
}

func (c *client) sendBinary(b []byte) {
	c.t.Helper()
	if err := c.c.Write(context.Background(), websocket.MessageBinary, b); err != nil {
		c.t.Fatalf("send binary: %v", err)
	}
}

func (c *client) recv() string {
	c.t.Helper()
	wait := c.wait
	if wait == 0 {
		wait = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	typ, b, err := c.c.Read(ctx)
	if err != nil {
		c.t.Fatalf("recv: %v", err)
	}
	if typ != websocket.MessageText {
		c.t.Fatalf("recv: got a %v message, want text", typ)
	}
	return string(b)
}

// call sends msg and returns the next n messages.
func (c *client) call(msg string, n int) []string {
	c.t.Helper()
	c.send(msg)
	out := make([]string, n)
	for i := range out {
		out[i] = c.recv()
	}
	return out
}

// call1 sends msg and returns the one reply, parsed.
func (c *client) call1(msg string) jsonx.Value {
	c.t.Helper()
	return mustParse(c.t, c.call(msg, 1)[0])
}

// silent checks that msg gets no reply: the reply to a following mode
// command must be the next message.
func (c *client) silent(msg string) {
	c.t.Helper()
	c.send(msg)
	if got := c.call1(`{command:"mode"}`); str(got, "command") != "mode" {
		c.t.Fatalf("%.80q: expected no reply, got %s", msg, jsonx.Marshal(got))
	}
}

func mustParse(t testing.TB, s string) jsonx.Value {
	t.Helper()
	v, err := jsonx.Parse(s)
	if err != nil {
		t.Fatalf("reply is not JSON: %v: %.200s", err, s)
	}
	return v
}

func str(v jsonx.Value, key string) string {
	m, _ := v.Get(key)
	return m.Str()
}

func boolean(v jsonx.Value, key string) (bool, bool) {
	m, ok := v.Get(key)
	return m.Bool(), ok && m.Kind() == jsonx.KindBool
}

func readFile(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// fake is a session without a socket, for table tests and fuzzing.
func fake(opts Options) (*session, *[]string) {
	srv := NewHandler(opts)
	var got []string
	s := &session{srv: srv, log: srv.log}
	s.write = func(b []byte) error { got = append(got, string(b)); return nil }
	return s, &got
}
