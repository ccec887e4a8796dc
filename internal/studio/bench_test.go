package studio

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/session"
)

// BenchmarkStepWatchers measures a session's step — BeforeStep, the
// machine's step, AfterStep, as a service's owner takes it — while 0 or 10
// pages watch it through the studio's event stream (each reading what it
// is sent). Target: 10 watchers cost at most 10 %.
func BenchmarkStepWatchers(b *testing.B) {
	for _, file := range []string{"Login.json", "Choice.json"} {
		for _, watchers := range []int{0, 10} {
			b.Run(fmt.Sprintf("%s/watchers=%d", file, watchers), func(b *testing.B) {
				benchStep(b, "testdata/"+file, watchers)
			})
		}
	}
}

func benchStep(b *testing.B, file string, watchers int) {
	hub := session.NewHub()
	_, srv := newStudio(b, Options{Hub: hub})
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
	waitFor(b, "watchers", func() bool { return s.Summary().Watched == watchers })
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
