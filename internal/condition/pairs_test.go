package condition

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gw-project/gw/internal/model"
)

func TestEdgePairCoverage(t *testing.T) {
	f := loop(t)
	c := &EdgePairCoverage{Ctx: f, Percent: 100}
	half := &EdgePairCoverage{Ctx: f, Percent: 50}
	walk := func(el model.Element) {
		f.step(el)
		c.Observe(el)
		half.Observe(el)
	}
	v1, e1, v2, e2 := 0, 2, 1, 3
	if c.Total() != 2 {
		t.Fatalf("pairs %d, want 2 (e1 e2, e2 e1)", c.Total())
	}
	steps := []struct {
		el        model.Element
		fulfil    float64
		met, half bool
		prev      model.Element
	}{
		{v1, 0, false, false, model.None},
		{e1, 0, false, false, model.None},
		{v2, 0, false, false, e1},
		{e2, 0.5, false, false, model.None}, // e1 e2
		{v1, 0.5, false, true, e2},
		{e1, 1, false, false, model.None}, // e2 e1: met, but on an edge
		{v2, 1, true, true, e1},
	}
	for i, s := range steps {
		walk(s.el)
		if got := c.Fulfilment(); got != s.fulfil {
			t.Errorf("step %d: fulfilment %v, want %v", i, got, s.fulfil)
		}
		if c.Fulfilled() != s.met || half.Fulfilled() != s.half {
			t.Errorf("step %d: met %v/%v, want %v/%v", i, c.Fulfilled(), half.Fulfilled(), s.met, s.half)
		}
		if got := c.PrevEdge(); got != s.prev {
			t.Errorf("step %d: PrevEdge %d, want %d", i, got, s.prev)
		}
	}
	if !c.Covered(e1, e2) || !c.Covered(e2, e1) || c.Covered(e1, e1) {
		t.Error("Covered is wrong")
	}
	if c.String() != "EdgePairCoverage(100)" {
		t.Error(c.String())
	}
}

// A jump away and back between two edges is not a pair, nor are two
// vertices in a row.
func TestEdgePairCoverageNeedsConsecutiveSteps(t *testing.T) {
	f := loop(t)
	c := &EdgePairCoverage{Ctx: f, Percent: 100}
	for _, el := range []model.Element{0, 2, 1, 1, 3} { // v1 e1 v2 v2 e2
		f.step(el)
		c.Observe(el)
	}
	if c.Count() != 0 {
		t.Fatalf("counted %d pairs", c.Count())
	}
	var left [][2]model.Element
	c.Uncovered(func(e, g model.Element) { left = append(left, [2]model.Element{e, g}) })
	if len(left) != 2 || left[0] != [2]model.Element{2, 3} || left[1] != [2]model.Element{3, 2} {
		t.Fatalf("uncovered %v", left)
	}
}

// A model without pairs is never met.
func TestEdgePairCoverageWithoutPairs(t *testing.T) {
	v := &model.Vertex{ID: "v"}
	m := &model.Model{Vertices: []*model.Vertex{v}}
	if err := m.Index(); err != nil {
		t.Fatal(err)
	}
	f := &fake{m: m, cur: 0, visited: map[model.Element]bool{0: true}}
	c := &EdgePairCoverage{Ctx: f, Percent: 100}
	if c.Fulfilled() || Finite(c.Fulfilment()) {
		t.Fatalf("met without pairs: %v", c.Fulfilment())
	}
}

// A hub with many edges in and out has in·out pairs: beyond the limit the
// condition is refused instead of taking the memory.
func TestEdgePairCoverageLimit(t *testing.T) {
	hub := &model.Vertex{ID: "hub"}
	m := &model.Model{Name: "hub", Vertices: []*model.Vertex{hub}}
	for i := range 2001 {
		m.Edges = append(m.Edges, &model.Edge{ID: fmt.Sprint("e", i), Source: hub, Target: hub})
	}
	if err := m.Index(); err != nil {
		t.Fatal(err)
	}
	if n := EdgePairs(m); n != 2001*2001 {
		t.Fatalf("pairs %d", n)
	}
	_, err := NewEdgePairCoverage(&fake{m: m, cur: model.None}, 100)
	if err == nil || !strings.Contains(err.Error(), `model "hub" has 4004001 pairs of consecutive edges; edge_pair_coverage handles at most 1000000`) {
		t.Fatalf("got %v", err)
	}
}
