package machine

import (
	"strings"
	"testing"

	"github.com/gw-project/gw/internal/model"
)

// walkedPairs lists the pairs "e f" a path of element ids takes (an edge,
// its target, an edge out of it).
func walkedPairs(m *model.Model, path []string) map[string]bool {
	out := map[string]bool{}
	for i := 2; i < len(path); i++ {
		e, _ := m.ElementByID(path[i-2])
		v, _ := m.ElementByID(path[i-1])
		f, _ := m.ElementByID(path[i])
		if m.IsEdge(e) && m.IsVertex(v) && m.IsEdge(f) {
			out[path[i-2]+" "+path[i]] = true
		}
	}
	return out
}

func allPairs(m *model.Model) []string {
	var out []string
	for _, e := range m.Edges {
		if e.Target == nil {
			continue
		}
		for _, f := range m.OutEdges(e.Target.Index) {
			out = append(out, e.ID+" "+m.Edges[f].ID)
		}
	}
	return out
}

// Every generator that can run edge_pair_coverage ends once every pair of
// consecutive edges is walked; shortest_all_paths plans the shortest walk.
// (quick_random refuses it: once every element is visited its shortest
// paths never take some pairs; a_star and predefined_path take only their
// own conditions.)
func TestEdgePairCoverageWalks(t *testing.T) {
	build := func(gen string) *model.Model {
		return newModel("pairs", gen).v("A").v("B").v("C").
			e("start", "", "A").e("ab", "A", "B").e("ba", "B", "A").e("bc", "B", "C").
			e("ca", "C", "A").e("cc", "C", "C").start("start").build(t)
	}
	for _, gen := range []string{"random", "weighted_random", "shortest_all_paths"} {
		for seed := int64(1); seed <= 3; seed++ {
			m := build(gen + "(edge_pair_coverage(100))")
			path, err := run(t, seeded(seed), false, m)
			if err != nil {
				t.Fatalf("%s seed %d: %v", gen, seed, err)
			}
			got := walkedPairs(m, path)
			for _, p := range allPairs(m) {
				if !got[p] {
					t.Fatalf("%s seed %d: pair %s not walked in %v", gen, seed, p, path)
				}
			}
			if v, _ := m.ElementByID(path[len(path)-1]); !m.IsVertex(v) {
				t.Fatalf("%s: ends on an edge", gen)
			}
			// start, A, then 10 edges: ab is entered three times (after start,
			// ba and ca), so it must be left three times, to ba, bc and one
			// of them again.
			if gen == "shortest_all_paths" && len(path) != 2+2*10 {
				t.Errorf("shortest_all_paths walked %d steps: %v", len(path), path)
			}
		}
	}
}

func TestEdgePairCoverageThatCannotBeMet(t *testing.T) {
	// C has no way out: pairs out of C's in-edge are none, but bc then
	// nothing, and the pair ab ba needs ab, which exists; dd is unreachable.
	m := newModel("pairs", "random(edge_pair_coverage(100))").v("A").v("B").v("D").
		e("ab", "A", "B").e("ba", "B", "A").e("dd", "D", "D").start("A").build(t)
	_, err := New([]*model.Model{m}, seeded(1))
	if err == nil || !strings.Contains(err.Error(), `EdgePairCoverage(100) in model "pairs": 1 pair(s) of edges cannot be walked: edge "dd" (id dd) then edge "dd" (id dd)`) {
		t.Fatalf("got %v", err)
	}
	qr := newModel("qr", "quick_random(edge_pair_coverage(100))").v("A").e("aa", "A", "A").start("A").build(t)
	if _, err := New([]*model.Model{qr}, seeded(1)); err == nil || !strings.Contains(err.Error(), "quick_random cannot plan edge_pair_coverage") {
		t.Fatalf("got %v", err)
	}
	none := newModel("none", "random(edge_pair_coverage(50))").v("A").v("B").e("ab", "A", "B").start("A").build(t)
	if _, err := New([]*model.Model{none}, seeded(1)); err == nil || !strings.Contains(err.Error(), "no pair of consecutive edges") {
		t.Fatalf("got %v", err)
	}
}
