package gwtest

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/machine"
)

// Walker builds the machine that walks a model of an API, as GraphWalker
// tests its own WebSocket server: data is the model file's GraphWalker
// JSON, named name; seed 0 draws one. It returns the machine (closed when
// the test ends) and the seed, for the failure message.
func Walker(t testing.TB, data []byte, name string, seed int64) (*machine.Machine, int64) {
	t.Helper()
	doc, err := gwjson.Parse(data, name)
	if err != nil {
		t.Fatal(err)
	}
	if seed == 0 {
		seed = rand.Int64()
	}
	m, err := machine.New(doc.Models, machine.Options{Seed: seed, HasSeed: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	return m, seed
}

// Walk walks m to its end, calling the handler named by each step's
// element (a step without one fails the test), and stops at the first
// step after which the test has failed, saying where and with which seed.
// It returns the path.
func Walk(t testing.TB, m *machine.Machine, seed int64, handlers map[string]func()) []string {
	t.Helper()
	var path []string
	for {
		more, err := m.HasNext()
		if err != nil {
			t.Fatal(err)
		}
		if !more {
			break
		}
		step, err := m.Next()
		if err != nil {
			t.Fatal(err)
		}
		name := step.Model().ElementName(step.Element)
		path = append(path, name)
		h := handlers[name]
		if h == nil {
			t.Fatalf("no handler for %s", name)
		}
		h()
		if t.Failed() {
			t.Fatalf("failed at step %d, %s (seed %d); path: %s", len(path), name, seed, strings.Join(path[max(0, len(path)-12):], " → "))
		}
	}
	t.Logf("walked %d steps with seed %d", len(path), seed)
	return path
}
