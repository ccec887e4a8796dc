package condition

import (
	"math"
	"testing"

	"github.com/gw-project/gw/internal/algorithm"
	"github.com/gw-project/gw/internal/model"
)

// fake is a hand-driven context.
type fake struct {
	m       *model.Model
	cur     model.Element
	visited map[model.Element]bool
	steps   int
	reqs    [2]int
	pre     int
}

func (f *fake) Model() *model.Model             { return f.m }
func (f *fake) Current() model.Element          { return f.cur }
func (f *fake) Visited(el model.Element) bool   { return f.visited[el] }
func (f *fake) TotalSteps() int                 { return f.steps }
func (f *fake) RequirementCounts() (int, int)   { return f.reqs[0], f.reqs[1] }
func (f *fake) PredefinedIndex() int            { return f.pre }
func (f *fake) Distances() *algorithm.Distances { return algorithm.NewDistances(f.m) }
func (f *fake) VisitedVertices() int            { return f.count(true) }
func (f *fake) VisitedEdges() int               { return f.count(false) }
func (f *fake) count(vertices bool) int {
	n := 0
	for el := range f.visited {
		if f.m.IsVertex(el) == vertices {
			n++
		}
	}
	return n
}

// v1 -e1-> v2 -e2-> v1 (ids = names); dependencies 90 and 80.
func loop(t *testing.T) *fake {
	v1, v2 := &model.Vertex{ID: "v1", Name: "v1"}, &model.Vertex{ID: "v2", Name: "v2"}
	m := &model.Model{Vertices: []*model.Vertex{v1, v2}, Edges: []*model.Edge{
		{ID: "e1", Name: "e1", Source: v1, Target: v2, Dependency: 90},
		{ID: "e2", Name: "e2", Source: v2, Target: v1, Dependency: 80},
	}}
	if err := m.Index(); err != nil {
		t.Fatal(err)
	}
	return &fake{m: m, cur: model.None, visited: map[model.Element]bool{}}
}

func (f *fake) step(el model.Element) { f.cur = el; f.visited[el] = true; f.steps++ }

func TestCoverage(t *testing.T) {
	f := loop(t)
	ec := &EdgeCoverage{Ctx: f, Percent: 100}
	vc := &VertexCoverage{Ctx: f, Percent: 100}
	want := []struct {
		el     model.Element
		ef, vf float64
		done   bool
	}{{0, 0, 0.5, false}, {2, 0.5, 0.5, false}, {1, 0.5, 1, false}, {3, 1, 1, false}, {0, 1, 1, true}}
	for i, w := range want {
		f.step(w.el)
		if ec.Fulfilment() != w.ef || vc.Fulfilment() != w.vf || ec.Fulfilled() != w.done {
			t.Errorf("step %d: edge %v vertex %v fulfilled %v", i, ec.Fulfilment(), vc.Fulfilment(), ec.Fulfilled())
		}
	}
	if ec.String() != "EdgeCoverage(100)" {
		t.Error(ec.String())
	}
}

func TestDependencyEdgeCoverage(t *testing.T) {
	f := loop(t)
	c85 := &DependencyEdgeCoverage{Ctx: f, Dependency: 85}
	c75 := &DependencyEdgeCoverage{Ctx: f, Dependency: 75}
	f.step(0)
	f.step(2) // e1, dependency 90
	if c85.Fulfilment() != 1 || c75.Fulfilment() != 0.5 {
		t.Errorf("after e1: %v %v", c85.Fulfilment(), c75.Fulfilment())
	}
	if c85.Fulfilled() {
		t.Error("fulfilled on an edge")
	}
	f.step(1)
	if !c85.Fulfilled() || c75.Fulfilled() {
		t.Error("at v2")
	}
}

func TestReachedAndLatching(t *testing.T) {
	f := loop(t)
	r, err := NewReached(f, ReachedEdge, "e2")
	if err != nil {
		t.Fatal(err)
	}
	// ReachedEdgeTest: 0.25, 0.5, 0.75, 1.0 along v1 e1 v2 e2.
	for i, w := range []float64{0.25, 0.5, 0.75, 1} {
		f.step([]model.Element{0, 2, 1, 3}[i])
		if got := r.Fulfilment(); math.Abs(got-w) > 1e-12 {
			t.Errorf("step %d: %v, want %v", i, got, w)
		}
	}
	if !r.Fulfilled() {
		t.Fatal("not fulfilled on the target")
	}
	f.step(1)
	if !r.Fulfilled() {
		t.Error("did not latch")
	}
	if _, err := NewReached(f, ReachedVertex, "e2"); err == nil {
		t.Error("an edge name satisfied reached_vertex")
	}
}

func TestAndOr(t *testing.T) {
	and := &And{Children: []Condition{Never{}, Never{}}}
	or := &Or{Children: []Condition{Never{}}}
	if and.String() != "(Never() AND Never())" || or.String() != "Never()" || and.Fulfilled() || or.Fulfilled() {
		t.Errorf("%s %s", and, or)
	}
	if (&Or{}).Fulfilled() || !(&And{}).Fulfilled() {
		t.Error("empty and/or")
	}
}

func TestPredefinedPath(t *testing.T) {
	f := loop(t)
	f.m.PredefinedPath = f.m.Edges[:1]
	c := &PredefinedPath{Ctx: f}
	f.step(0)
	if c.Fulfilment() != 1.0/3 || c.Fulfilled() {
		t.Errorf("at start: %v", c.Fulfilment())
	}
	f.pre = 1
	f.step(1)
	if !c.Fulfilled() {
		t.Error("not fulfilled at the end of the path")
	}
}
