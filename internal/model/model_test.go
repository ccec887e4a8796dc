package model

import "testing"

// small builds v1..vn and edges "src>dst" (0 = start edge), marking the
// listed vertices/edges blocked.
func small(t *testing.T, nv int, edges [][2]int, blockedV, blockedE []int) *Model {
	t.Helper()
	m := &Model{Name: "m"}
	for i := 1; i <= nv; i++ {
		m.Vertices = append(m.Vertices, &Vertex{ID: "v" + string(rune('0'+i)), Name: "v"})
	}
	for j, e := range edges {
		ed := &Edge{ID: "e" + string(rune('0'+j)), Target: m.Vertices[e[1]-1]}
		if e[0] > 0 {
			ed.Source = m.Vertices[e[0]-1]
		}
		ed.Dependency = 50
		m.Edges = append(m.Edges, ed)
	}
	for _, i := range blockedV {
		m.Vertices[i-1].Properties.Set("blocked", true)
	}
	for _, j := range blockedE {
		m.Edges[j].Properties.Set("blocked", true)
	}
	if err := m.Index(); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestFilterBlocked(t *testing.T) {
	tests := []struct {
		name         string
		m            *Model
		wantV, wantE int
	}{
		// Shapes of GraphWalker's UtilTest (vertices/edges before → after).
		{"blocked vertex with in and out edges", small(t, 3, [][2]int{{0, 1}, {1, 2}, {2, 3}, {3, 1}}, []int{2}, nil), 2, 2},
		{"blocked edge", small(t, 3, [][2]int{{0, 1}, {1, 2}, {2, 3}, {3, 1}}, nil, []int{2}), 3, 3},
		{"single vertex", small(t, 2, [][2]int{{0, 1}, {1, 2}}, []int{2}, nil), 1, 1},
		{"nothing blocked", small(t, 2, [][2]int{{0, 1}, {1, 2}}, nil, nil), 2, 2},
	}
	for _, tt := range tests {
		got := FilterBlocked(tt.m)
		if len(got.Vertices) != tt.wantV || len(got.Edges) != tt.wantE {
			t.Errorf("%s: %dV/%dE, want %dV/%dE", tt.name, len(got.Vertices), len(got.Edges), tt.wantV, tt.wantE)
		}
		for _, e := range got.Edges {
			if e.Dependency != 50 {
				t.Errorf("%s: dependency lost", tt.name)
			}
			if e.Target != nil && got.Vertices[e.Target.Index] != e.Target {
				t.Errorf("%s: edge points outside the copy", tt.name)
			}
		}
	}
}

func TestIndexAndLookups(t *testing.T) {
	m := small(t, 2, [][2]int{{0, 1}, {1, 2}, {2, 1}}, nil, nil)
	if m.NumElements() != 5 || !m.IsVertex(1) || !m.IsEdge(2) || m.IsEdge(5) {
		t.Fatal("element numbering")
	}
	if got := m.OutEdges(0); len(got) != 1 || got[0] != 1 {
		t.Errorf("out-edges of v1: %v", got)
	}
	if got := m.InEdges(0); len(got) != 2 {
		t.Errorf("in-edges of v1: %v", got)
	}
	if el, ok := m.ElementByID("e1"); !ok || el != 3 {
		t.Errorf("ElementByID(e1) = %d", el)
	}
	m.StartElementID = "e0"
	if m.StartElement() != 2 {
		t.Errorf("start element %d", m.StartElement())
	}
	bad := &Model{Vertices: []*Vertex{{ID: "a"}}, Edges: []*Edge{{ID: "x", Target: &Vertex{ID: "elsewhere"}}}}
	if err := bad.Index(); err == nil {
		t.Error("edge to a vertex outside the model was accepted")
	}
}

func TestNewID(t *testing.T) {
	a, b := NewID(), NewID()
	if len(a) != 36 || a == b || a[14] != '4' {
		t.Errorf("ids %s %s", a, b)
	}
}
