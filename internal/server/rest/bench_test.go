package rest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// endlessUC01 is UC01 with a generator that never ends, so a benchmark
// can step as long as it likes.
func endlessUC01(b *testing.B) string {
	return strings.Replace(string(readFile(b, "UC01.json")), "random(edge_coverage(100))", "random(never)", 1)
}

// BenchmarkStepCycle is the cycle AltWalker makes per step — hasNext,
// getNext, getData — over loopback HTTP with keep-alive, against a
// server started as AltWalker starts it (--verbose).
func BenchmarkStepCycle(b *testing.B) {
	ts := newTestServer(b, Options{Verbose: true})
	ts.must("POST", "/graphwalker/load?seed=1", endlessUC01(b), `{"result":"ok","seed":"1"}`)
	urls := []string{ts.base + "/hasNext", ts.base + "/getNext", ts.base + "/getData"}
	for b.Loop() {
		for _, u := range urls {
			resp, err := ts.client.Get(u)
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cycles/s")
}

// BenchmarkStepCycleParallel: the same cycle from several clients at once
// (they share the one machine, so this measures the lock and the HTTP
// stack under contention).
func BenchmarkStepCycleParallel(b *testing.B) {
	ts := newTestServer(b, Options{Verbose: true})
	ts.must("POST", "/graphwalker/load?seed=1", endlessUC01(b), `{"result":"ok","seed":"1"}`)
	urls := []string{ts.base + "/hasNext", ts.base + "/getNext", ts.base + "/getData"}
	b.RunParallel(func(pb *testing.PB) {
		c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
		for pb.Next() {
			for _, u := range urls {
				resp, err := c.Get(u)
				if err != nil {
					b.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cycles/s")
}

// discardWriter is a reusable http.ResponseWriter for handler benchmarks.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(int)             {}

// BenchmarkHandlerCycle is the step cycle without the network: what the
// handler itself costs (routing, machine step, JSON) and allocates.
func BenchmarkHandlerCycle(b *testing.B) {
	for _, c := range []struct {
		name string
		opts Options
	}{
		{"plain", Options{}},
		{"verbose", Options{Verbose: true}},
		{"verbose+unvisited", Options{Verbose: true, Unvisited: true}},
	} {
		b.Run(c.name, func(b *testing.B) {
			s, err := NewHandler(c.opts)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			load := httptest.NewRequest("POST", "/graphwalker/load?seed=1", strings.NewReader(endlessUC01(b)))
			s.ServeHTTP(httptest.NewRecorder(), load)
			reqs := []*http.Request{
				httptest.NewRequest("GET", "/graphwalker/hasNext", nil),
				httptest.NewRequest("GET", "/graphwalker/getNext", nil),
				httptest.NewRequest("GET", "/graphwalker/getData", nil),
			}
			w := &discardWriter{h: http.Header{}}
			for b.Loop() {
				for _, r := range reqs {
					s.ServeHTTP(w, r)
				}
			}
		})
	}
}

// BenchmarkGetStatistics: the statistics object of one and of five models.
func BenchmarkGetStatistics(b *testing.B) {
	for _, c := range []struct{ name, file string }{{"UC01", "UC01.json"}, {"PetClinic", "PetClinic.json"}} {
		b.Run(c.name, func(b *testing.B) {
			s, err := NewHandler(Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			s.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/graphwalker/load?seed=1", strings.NewReader(string(readFile(b, c.file)))))
			r := httptest.NewRequest("GET", "/graphwalker/getStatistics", nil)
			w := &discardWriter{h: http.Header{}}
			for b.Loop() {
				s.ServeHTTP(w, r)
			}
		})
	}
}
