package algorithm

import (
	"math"
	"strings"
	"testing"

	"github.com/gw-project/gw/internal/model"
)

// graph builds a model from "src>edge>dst" triples; vertices in first-seen order.
func graph(t *testing.T, spec string) *model.Model {
	t.Helper()
	m := &model.Model{Name: "g"}
	vs := map[string]*model.Vertex{}
	v := func(name string) *model.Vertex {
		if name == "" {
			return nil
		}
		if x, ok := vs[name]; ok {
			return x
		}
		x := &model.Vertex{ID: name, Name: name}
		vs[name] = x
		m.Vertices = append(m.Vertices, x)
		return x
	}
	for _, tr := range strings.Fields(spec) {
		p := strings.Split(tr, ">")
		src := v(p[0])
		m.Edges = append(m.Edges, &model.Edge{ID: p[1], Name: p[1], Source: src, Target: v(p[2])})
	}
	if err := m.Index(); err != nil {
		t.Fatal(err)
	}
	return m
}

func el(m *model.Model, name string) model.Element { return m.ElementsNamed(name)[0] }

func TestFloydWarshallFacts(t *testing.T) {
	// FloydWarshallTest: v00→e1→v01→e5→v31, v00→e2→v10→e3→v20→e4→v31.
	m := graph(t, "v00>e1>v01 v01>e5>v31 v00>e2>v10 v10>e3>v20 v20>e4>v31")
	d := NewDistances(m)
	if got := d.Distance(el(m, "v00"), el(m, "v31")); got != 4 {
		t.Errorf("distance(v00, v31) = %d, want 4", got)
	}
	if got := d.MaxDistance(el(m, "v31")); got != 5 {
		// From e2: e2→v10→e3→v20→e4→v31 (v00 itself is 4 away, via e1).
		t.Errorf("maxDistance(v31) = %d, want 5", got)
	}
	if got := d.Distance(el(m, "v10"), el(m, "v10")); got != 0 {
		t.Errorf("distance(x, x) = %d", got)
	}
	if got := d.Distance(el(m, "v31"), el(m, "v00")); got != Inf {
		t.Errorf("unreachable = %d", got)
	}
	if got := d.MaxDistance(el(m, "v00")); got != math.MinInt32 {
		t.Errorf("nothing reaches v00: %d", got)
	}
}

func TestMaxDistanceCountsCycle(t *testing.T) {
	// ReachedEdgeTest: v1→e1→v2→e2→v1, maxDistance(e2) = 4 (the cycle).
	m := graph(t, "v1>e1>v2 v2>e2>v1")
	d := NewDistances(m)
	if got := d.MaxDistance(el(m, "e2")); got != 4 {
		t.Errorf("maxDistance(e2) = %d, want 4", got)
	}
	want := map[string]int{"v1": 3, "e1": 2, "v2": 1, "e2": 0}
	for name, w := range want {
		if got := d.Distance(el(m, name), el(m, "e2")); got != w {
			t.Errorf("distance(%s, e2) = %d, want %d", name, got, w)
		}
	}
}

func TestNearestKeepsFirstOfTies(t *testing.T) {
	m := graph(t, "a>x1>b a>x2>b b>y>c a>z>c")
	d := NewDistances(m)
	cands := []model.Element{el(m, "x1"), el(m, "x2"), el(m, "z")}
	if got := d.Nearest(cands, el(m, "c")); got != el(m, "z") {
		t.Errorf("nearest = %s", m.ElementName(got))
	}
	cands = []model.Element{el(m, "x1"), el(m, "x2")}
	if got := d.Nearest(cands, el(m, "c")); got != el(m, "x1") {
		t.Errorf("tie: nearest = %s", m.ElementName(got))
	}
}

func TestEulerType(t *testing.T) {
	tests := []struct {
		spec string
		want EulerKind
	}{
		{"A>ab>B B>bc>C C>ca>A B>ba>A", SemiEulerian},
		{"A>ab>B B>bc>C C>ca>A B>ba>A C>ca2>A", NotEulerian},
		{"A>ab>B B>bc>C C>ca>A B>ba>A A>ab2>B", Eulerian},
	}
	for _, tt := range tests {
		if got := EulerType(graph(t, tt.spec)); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.spec, got, tt.want)
		}
	}
}

func TestFleuryTrail(t *testing.T) {
	m := graph(t, "v1>e1>v2 v2>e2>v3 v3>e3>v1 v1>e4>v4 v4>e5>v5 v5>e6>v6 v6>e7>v4")
	trail, err := FleuryTrail(m, el(m, "v1"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range trail {
		names = append(names, m.ElementName(e))
	}
	if got := strings.Join(names, " "); got != "e1 v2 e2 v3 e3 v1 e4 v4 e5 v5 e6 v6 e7 v4" {
		t.Errorf("trail %s", got)
	}
}
