package generator_test

import (
	"strings"
	"testing"

	"github.com/gw-project/gw/internal/algorithm"
	"github.com/gw-project/gw/internal/model"
)

// shortest_all_paths(edge_pair_coverage(100)) walks the shortest walk
// through every pair of consecutive edges: on SuperLarge (787 vertices,
// 1,550 edges, 7,003 pairs) as long as the one-case suite the planner
// proves optimal.
func TestShortestAllPathsEdgePairs(t *testing.T) {
	models := load(t, "SuperLarge.json", "shortest_all_paths(edge_pair_coverage(100))")
	m := models[0]
	path, err := walk(t, seeded(1), 100000, models...)
	if err != nil {
		t.Fatal(err)
	}
	var need []algorithm.Pair
	for _, e := range m.Edges {
		if e.Target == nil {
			continue
		}
		for _, f := range m.OutEdges(e.Target.Index) {
			need = append(need, algorithm.Pair{First: algorithm.Loc{Element: m.EdgeElement(e)}, Second: algorithm.Loc{Element: len(m.Vertices) + int(f)}})
		}
	}
	from := algorithm.Loc{Element: m.StartElement()}
	pl, err := algorithm.NewPlanner(m).EdgePairCases(from, need, nil, algorithm.CaseOptions{MinimizeCases: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(pl.Cases) != 1 || !pl.Exact || len(path) != pl.Steps {
		t.Fatalf("walked %d steps; the optimal suite has %d case(s), %d steps (exact %v)", len(path), len(pl.Cases), pl.Steps, pl.Exact)
	}
}

// A guard that closes a planned pair makes the walk re-plan with the
// guards as they are, and the walk still ends with every pair walked.
func TestShortestAllPathsEdgePairsGuard(t *testing.T) {
	es := []edgeSpec{
		{id: "ab", src: "A", dst: "B", guard: "typeof x !== 'undefined' && x >= 2"},
		{id: "aa", src: "A", dst: "A", action: "x = typeof x === 'undefined' ? 1 : x + 1"},
		{id: "ab2", src: "A", dst: "B"}, {id: "ba", src: "B", dst: "A"},
	}
	m := build(t, "shortest_all_paths(edge_pair_coverage(100))", "", []string{"A", "B"}, es)
	got, err := walk(t, seeded(1), 10000, m)
	if err != nil {
		t.Fatalf("after %v: %v", got, err)
	}
	walked := strings.Join(got, " ")
	for _, p := range pairsOf(m) {
		if !strings.Contains(walked, p) {
			t.Fatalf("pair %q not walked: %s", p, walked)
		}
	}
}

// pairsOf lists "e V f" for each pair of consecutive edges.
func pairsOf(m *model.Model) []string {
	var out []string
	for _, e := range m.Edges {
		for _, f := range m.OutEdges(e.Target.Index) {
			out = append(out, e.ID+" "+e.Target.ID+" "+m.Edges[f].ID)
		}
	}
	return out
}
