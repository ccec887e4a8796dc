package studio

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/session"
)

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// newStudio serves a studio for a fresh hub on loopback.
func newStudio(t testing.TB, o Options) (*Handler, *httptest.Server) {
	t.Helper()
	if o.Hub == nil {
		o.Hub = session.NewHub()
	}
	if o.Host == "" {
		o.Host = "127.0.0.1"
	}
	h, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return h, srv
}

// client owns a hub session walking testdata/Counter.json as a service's
// connection does: one step per ask, each between BeforeStep and
// AfterStep. Steps alternate v_Start, e_Inc (count+1), v_Counted, e_Back.
type client struct {
	s    *session.Session
	m    *machine.Machine
	asks chan struct{}
	done atomic.Int64
	err  atomic.Value
}

func newClient(t testing.TB, hub *session.Hub, service string) *client {
	t.Helper()
	doc, err := gwjson.Parse(readFile(t, "testdata/Counter.json"), "Counter.json")
	if err != nil {
		t.Fatal(err)
	}
	m, err := machine.New(doc.Models, machine.Options{Seed: 1, HasSeed: true})
	if err != nil {
		t.Fatal(err)
	}
	c := &client{s: hub.Open(session.Info{Service: service, Client: "127.0.0.1:40000"}), m: m, asks: make(chan struct{}, 100000)}
	c.s.Lock()
	c.s.SetMachine(m, session.Start{Models: doc.Models, Seed: 1})
	c.s.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		for range c.asks {
			c.s.Lock()
			if err := c.s.BeforeStep(ctx); err != nil {
				c.s.Unlock()
				c.err.Store(err)
				return
			}
			t0 := time.Now()
			st, err := m.Next()
			c.s.AfterStep(m, st, err, time.Since(t0))
			c.s.Unlock()
			c.done.Add(1)
		}
	}()
	t.Cleanup(func() {
		cancel()
		close(c.asks)
		<-stopped
		c.s.Close("test over")
		m.Close()
	})
	return c
}

func (c *client) ask(n int) {
	for range n {
		c.asks <- struct{}{}
	}
}

func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// call makes a request and decodes the JSON answer into out (when not nil).
func call(t testing.TB, method, url string, body io.Reader, hdr map[string]string, out any) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		if k == "Host" {
			req.Host = v
		} else {
			req.Header.Set(k, v)
		}
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if out != nil && res.StatusCode == http.StatusOK {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, url, err, b)
		}
	}
	var e apiError
	json.Unmarshal(b, &e)
	return res.StatusCode, e.Error
}

// sse reads a Server-Sent Events stream.
type sse struct {
	res *http.Response
	r   *bufio.Reader
}

func openSSE(t testing.TB, url string) *sse {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		t.Fatalf("GET %s: %s %s", url, res.Status, b)
	}
	t.Cleanup(func() { res.Body.Close() })
	return &sse{res: res, r: bufio.NewReader(res.Body)}
}

// next returns the next event's name and data.
func (s *sse) next(t testing.TB) (string, []byte) {
	t.Helper()
	var event string
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			t.Fatalf("reading the event stream: %v", err)
		}
		line = strings.TrimRight(line, "\n")
		switch {
		case strings.HasPrefix(line, "event: "):
			event = line[len("event: "):]
		case strings.HasPrefix(line, "data: "):
			return event, []byte(line[len("data: "):])
		}
	}
}

// nextOf skips events until one of kind, decoded into v.
func (s *sse) nextOf(t testing.TB, kind string, v any) {
	t.Helper()
	for {
		ev, data := s.next(t)
		if ev == kind {
			if err := json.Unmarshal(data, v); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
}
