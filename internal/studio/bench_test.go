package studio

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/server/ws"
	"github.com/gw-project/gw/internal/session"
)

// BenchmarkStepWatchers measures a session's step — BeforeStep, the
// machine's step, AfterStep, as a service's owner takes it — while 0 or 10
// pages watch it through the studio's event stream (each reading what it
// is sent). Target: 10 watchers cost at most 10 %.
func BenchmarkStepWatchers(b *testing.B) {
	for _, file := range []string{"Login.json", "Choice.json"} {
		for _, watchers := range []int{0, 1, 10} {
			b.Run(fmt.Sprintf("%s/watchers=%d", file, watchers), func(b *testing.B) {
				benchStep(b, "testdata/"+file, watchers)
			})
		}
	}
}

// BenchmarkGetNextWatchers measures what a WebSocket client sees: one
// getNext round trip (request, visitedElement push, reply) on loopback,
// with 0 or 10 pages watching its session.
func BenchmarkGetNextWatchers(b *testing.B) {
	for _, watchers := range []int{0, 10} {
		b.Run(fmt.Sprintf("watchers=%d", watchers), func(b *testing.B) {
			hub := session.NewHub()
			h, err := New(Options{Hub: hub, Host: "127.0.0.1"})
			if err != nil {
				b.Fatal(err)
			}
			svc := ws.NewHandler(ws.Options{Host: "127.0.0.1", Hub: hub})
			defer svc.Shutdown(context.Background())
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("Upgrade") != "" {
					svc.ServeHTTP(w, r)
					return
				}
				h.ServeHTTP(w, r)
			}))
			defer srv.Close()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/", nil)
			if err != nil {
				b.Fatal(err)
			}
			defer c.CloseNow()
			c.SetReadLimit(1 << 20)
			model := strings.ReplaceAll(string(readFile(b, "testdata/Login.json")), "edge_coverage(100)", "never")
			roundTrip := func(msg, want string) {
				if err := c.Write(ctx, websocket.MessageText, []byte(msg)); err != nil {
					b.Fatal(err)
				}
				for {
					_, data, err := c.Read(ctx)
					if err != nil {
						b.Fatal(err)
					}
					if strings.Contains(string(data), want) {
						return
					}
				}
			}
			roundTrip(`{"command":"start","seed":1,"gw":`+model+`}`, `"command":"start"`)
			list := hub.List()
			if len(list) != 1 {
				b.Fatalf("sessions %+v", list)
			}
			for range watchers {
				req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/studio/api/sessions/"+list[0].ID+"/events", nil)
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				defer res.Body.Close()
				go io.Copy(io.Discard, res.Body)
			}
			waitFor(b, "watchers", func() bool { h.mu.Lock(); defer h.mu.Unlock(); return h.watchers == watchers })
			for b.Loop() {
				roundTrip(`{"command":"getNext"}`, `"command":"getNext"`)
			}
		})
	}
}

func benchStep(b *testing.B, file string, watchers int) {
	hub := session.NewHub()
	h, srv := newStudio(b, Options{Hub: hub})
	doc, err := gwjson.Parse(readFile(b, file), file)
	if err != nil {
		b.Fatal(err)
	}
	for _, m := range doc.Models {
		m.Generator = "random(never)"
	}
	m, err := machine.New(doc.Models, machine.Options{Seed: 1, HasSeed: true})
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	s := hub.Open(session.Info{Service: "websocket", Client: "127.0.0.1:1"})
	defer s.Close("done")
	s.Lock()
	s.SetMachine(m, session.Start{Models: doc.Models, Seed: 1})
	s.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for range watchers {
		req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/studio/api/sessions/"+s.ID+"/events", nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		defer res.Body.Close()
		go func() {
			r := bufio.NewReader(res.Body)
			for {
				if _, err := r.ReadSlice('\n'); err != nil && err != bufio.ErrBufferFull {
					return
				}
			}
		}()
	}
	waitFor(b, "watchers", func() bool { h.mu.Lock(); defer h.mu.Unlock(); return h.watchers == watchers })
	bg := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		s.Lock()
		if err := s.BeforeStep(bg); err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		st, err := m.Next()
		s.AfterStep(m, st, err, time.Since(t0))
		s.Unlock()
		if err != nil {
			b.Fatal(err)
		}
	}
}
