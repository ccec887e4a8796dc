package machine

import (
	"os"
	"testing"

	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/model"
)

func loadJSON(tb testing.TB, path, gen string) []*model.Model {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	doc, err := gwjson.Parse(data, path)
	if err != nil {
		tb.Fatal(err)
	}
	if gen != "" {
		doc.Models[0].Generator = gen
	}
	return doc.Models
}

// benchWalk measures steps per second of an endless walk.
func benchWalk(b *testing.B, path, gen string) {
	benchWalkModels(b, loadJSON(b, path, gen))
}

func benchWalkModels(b *testing.B, models []*model.Model) {
	m, err := New(models, Options{Seed: 1, HasSeed: true})
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.Next(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
}

func BenchmarkRandomWalk1000x5000(b *testing.B) {
	benchWalk(b, "testdata/random-1000x5000.json", "random(never)")
}

func BenchmarkRandomWalk1000x5000Guards(b *testing.B) {
	benchWalk(b, "testdata/random-1000x5000-guards.json", "random(never)")
}

func BenchmarkQuickRandom1000x5000(b *testing.B) {
	benchWalk(b, "testdata/random-1000x5000.json", "quick_random(never)")
}

// BenchmarkAStarSuperLarge walks a_star to a far vertex of the 787-vertex
// model: GraphWalker first builds an all-pairs table (~16 s).
func BenchmarkAStarSuperLarge(b *testing.B) {
	models := loadJSON(b, "testdata/SuperLarge.json", "a_star(reached_vertex(v_Graph152))")
	for b.Loop() {
		m, err := New(models, Options{Seed: 1, HasSeed: true})
		if err != nil {
			b.Fatal(err)
		}
		for {
			more, err := m.HasNext()
			if err != nil {
				b.Fatal(err)
			}
			if !more {
				break
			}
			if _, err := m.Next(); err != nil {
				b.Fatal(err)
			}
		}
		m.Close()
	}
}

// BenchmarkRandomWalkEveryEdgeGuarded puts a guard and an action on every
// one of the 5,000 edges (the shared "-guards" model has them on 10%).
func BenchmarkRandomWalkEveryEdgeGuarded(b *testing.B) {
	models := loadJSON(b, "testdata/random-1000x5000.json", "random(never)")
	m0 := models[0]
	m0.Actions = []string{"counter = 0;"}
	for _, e := range m0.Edges {
		e.Guard = "counter >= 0"
		e.Actions = []string{"counter = counter + 1;"}
	}
	benchWalkModels(b, models)
}

// BenchmarkQuickRandomCoverage walks quick_random(edge_coverage(100)) to its
// end, machine build included: one model, and parabank's ten models (every
// model quick_random), where the walk asks at each trap whether
// GraphWalker's course can still end.
func BenchmarkQuickRandomCoverage(b *testing.B) {
	for _, f := range []string{"random-1000x5000.json", "SuperLarge.json", "parabank.json"} {
		b.Run(f, func(b *testing.B) {
			models := loadJSON(b, "testdata/"+f, "")
			for _, m := range models {
				m.Generator = "quick_random(edge_coverage(100))"
			}
			steps := 0
			for b.Loop() {
				m, err := New(models, Options{Seed: 1, HasSeed: true})
				if err != nil {
					b.Fatal(err)
				}
				for {
					more, err := m.HasNext()
					if err != nil {
						b.Fatal(err)
					}
					if !more {
						break
					}
					if _, err := m.Next(); err != nil {
						b.Fatal(err)
					}
				}
				steps = m.TotalSteps()
				m.Close()
			}
			b.ReportMetric(float64(steps), "steps")
		})
	}
}
