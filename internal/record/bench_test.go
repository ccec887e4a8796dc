package record

import (
	"os"
	"sync/atomic"
	"testing"

	"github.com/gw-project/gw/internal/gwtest"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/session"
)

func benchModels(b *testing.B, file, gen string) []*model.Model {
	models := gwtest.Models(b, file)
	models[0].Generator = gen
	return models
}

// benchWalk walks b.N steps, recording when rec is set; the figure to
// compare is ns/op with and without.
func benchWalk(b *testing.B, file string, rec bool) {
	models := benchModels(b, file, "random(never)")
	var mo machine.Options
	mo.Seed, mo.HasSeed = 1, true
	var r *Run
	if rec {
		r = NewRun(Options{Dir: b.TempDir()}, Info{Service: "bench"})
		mo.Before = r.Hook(nil)
	}
	m, err := machine.New(models, mo)
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	if r != nil {
		if err := r.Start(m); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.Next(); err != nil {
			b.Fatal(err)
		}
	}
	if r != nil {
		r.Finish(nil) // the writer's backlog counts
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
}

const big = "../machine/testdata/random-1000x5000.json"
const guards = "../machine/testdata/random-1000x5000-guards.json"

func BenchmarkWalk(b *testing.B)               { benchWalk(b, big, false) }
func BenchmarkWalkRecorded(b *testing.B)       { benchWalk(b, big, true) }
func BenchmarkGuardsWalk(b *testing.B)         { benchWalk(b, guards, false) }
func BenchmarkGuardsWalkRecorded(b *testing.B) { benchWalk(b, guards, true) }

// BenchmarkEncodeStep is the writer's work for one plain step line.
func BenchmarkEncodeStep(b *testing.B) {
	models := benchModels(b, big, "random(never)")
	enc := newEncoder(models)
	buf := make([]byte, 0, 1<<20)
	n := int64(0)
	for b.Loop() {
		n++
		if len(buf) > 1<<20-200 {
			buf = buf[:0]
		}
		buf = enc.plainStep(buf, n, 0, 1234, []byte("17"), 1234, false)
	}
}

// BenchmarkObserverStep is what the online recorder adds to a session's
// step (one write per line), on the Login-like model of the tests.
func BenchmarkObserverStep(b *testing.B) {
	for _, rec := range []bool{false, true} {
		b.Run(map[bool]string{false: "plain", true: "recorded"}[rec], func(b *testing.B) {
			hub := session.NewHub()
			if rec {
				hub.Observe(NewObserver(Options{Dir: b.TempDir()}))
			}
			s := hub.Open(session.Info{Service: "websocket"})
			m, err := machine.New([]*model.Model{login(b, "random(never)")}, machine.Options{Seed: 1, HasSeed: true})
			if err != nil {
				b.Fatal(err)
			}
			defer m.Close()
			s.Lock()
			s.SetMachine(m, session.Start{})
			s.Unlock()
			for b.Loop() {
				s.Lock()
				st, err := m.Next()
				s.AfterStep(m, st, err, 0)
				s.Unlock()
			}
			s.Close("done")
		})
	}
}

// BenchmarkDrain is the writer's work per step of a long walk of the
// examples' login model (visit counts in the hundreds of thousands),
// written to /dev/null: encoding and the write calls. On a machine whose
// cores share execution units, this is also what recording costs the
// walker beyond its hand-over.
func BenchmarkDrain(b *testing.B) {
	models := benchModels(b, "../../examples/models/login.json", "random(never)")
	m, err := machine.New(models, machine.Options{Seed: 1, HasSeed: true})
	if err != nil {
		b.Fatal(err)
	}
	var path []slot
	for range ringSize / 2 {
		s, err := m.Next()
		if err != nil {
			b.Fatal(err)
		}
		path = append(path, slot(s.Element))
	}
	m.Close()
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Skip(err)
	}
	defer null.Close()
	a := &async{f: &file{f: null, path: os.DevNull}, enc: newEncoder(models), slots: make([]slot, ringSize),
		full: make([]*entry, fullSize), space: make(chan struct{}, 1), visits: [][]visitCount{make([]visitCount, models[0].NumElements())}}
	for el := range a.visits[0] {
		a.visits[0][el].n = 250_000 - 1 // a long walk's counts
		a.visits[0][el].inc()
	}
	a.steps = 1_000_000
	n := uint64(0)
	for b.Loop() {
		// A batch per len(path) iterations, as the ring is drained.
		i := n % uint64(len(path))
		a.slots[n&ringMask] = path[i]
		if i%3500 == 0 {
			n++
			a.slots[n&ringMask] = slotClock | slot(n/3500)
		}
		n++
		if n-a.tail.Load() >= uint64(len(path)) {
			atomic.StoreUint64(&a.head, n)
			a.drain()
		}
	}
}
