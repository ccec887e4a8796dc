package algorithm

import (
	"testing"
)

// BenchmarkPlanEdges times a first shortest_all_paths(edge_coverage(100))
// plan, planner construction included, on the shared bench models; it
// reports the plan's length and its lower bound in executed elements.
func BenchmarkPlanEdges(b *testing.B) {
	for _, file := range []string{"parabank.json", "testinium.json", "random-100x500.json", "random-1000x5000.json", "SuperLarge.json"} {
		b.Run(file, func(b *testing.B) {
			models := loadModels(b, "testdata/"+file)
			from := startOf(b, models)
			need := func(l Loc) bool { return l != from }
			var pl *Plan
			b.ReportAllocs()
			for b.Loop() {
				var err error
				pl, err = NewPlanner(models...).CoverEdges(from, need, nil)
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(pl.Steps)), "steps")
			b.ReportMetric(float64(pl.Bound), "bound")
		})
	}
}

// BenchmarkPlanVertices times the vertex_coverage(100) heuristic.
func BenchmarkPlanVertices(b *testing.B) {
	for _, file := range []string{"parabank.json", "random-1000x5000.json", "SuperLarge.json"} {
		b.Run(file, func(b *testing.B) {
			models := loadModels(b, "testdata/"+file)
			from := startOf(b, models)
			p := NewPlanner(models...)
			var pl *Plan
			for b.Loop() {
				var err error
				pl, err = p.CoverVertices(from, func(l Loc) bool { return l != from }, nil)
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(pl.Steps)), "steps")
		})
	}
}
