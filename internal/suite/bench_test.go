package suite

import (
	"fmt"
	"testing"
)

// BenchmarkSuite plans (and simulates) suites on the bench models: edges
// and edge pairs, fewest steps, fewest cases, and cases of at most 50
// steps. It reports the suite (cases, steps) and its lower bounds; the time
// per op is the planning time, simulation included.
//
//	go test -run '^$' -bench Suite -benchtime 3x ./internal/suite
func BenchmarkSuite(b *testing.B) {
	for _, file := range []string{"SuperLarge.json", "random-1000x5000.json", "parabank.json", "testinium.json"} {
		models := load(b, benchData+file)
		for _, cover := range []Cover{Edges, EdgePairs} {
			for _, o := range []Options{{}, {MinimizeCases: true}, {MaxLength: 50}} {
				o.Cover = cover
				name := fmt.Sprintf("%s/%s/min-cases=%v/max-length=%d", file, cover, o.MinimizeCases, o.MaxLength)
				b.Run(name, func(b *testing.B) {
					var s *Suite
					for b.Loop() {
						var err error
						if s, err = Plan(models, o); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(len(s.Cases)), "cases")
					b.ReportMetric(float64(s.Steps), "steps")
					b.ReportMetric(float64(s.CaseBound), "case-bound")
					b.ReportMetric(float64(s.CostBound), "step-bound")
				})
			}
		}
	}
}
