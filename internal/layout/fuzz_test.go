package layout

import (
	"fmt"
	"testing"

	"github.com/gw-project/gw/internal/model"
)

// modelFrom builds a model from fuzz bytes: a vertex count, then per edge
// a source, a target (0 means none: a start edge), and a name length;
// every vertex gets coordinates from the bytes when the first byte is odd.
func modelFrom(data []byte) *model.Model {
	m := &model.Model{Name: "fuzz"}
	if len(data) == 0 {
		return m
	}
	nv := int(data[0]%24) + 1
	coords := data[0]%2 == 1
	data = data[1:]
	next := func() int {
		if len(data) == 0 {
			return 0
		}
		b := int(data[0])
		data = data[1:]
		return b
	}
	for i := range nv {
		v := &model.Vertex{ID: fmt.Sprintf("n%d", i), Name: string(make([]byte, next()%40))}
		if coords {
			v.Properties = model.Properties{{Key: "x", Value: float64(next() * 7)}, {Key: "y", Value: float64(next() * 3)}}
		}
		m.Vertices = append(m.Vertices, v)
	}
	for j := 0; len(data) >= 3 && j < 200; j++ {
		s, t, n := next(), next(), next()
		e := &model.Edge{ID: fmt.Sprintf("e%d", j), Name: string(make([]byte, n%30)), Target: m.Vertices[t%nv]}
		if s%(nv+1) != 0 {
			e.Source = m.Vertices[s%(nv+1)-1]
		}
		m.Edges = append(m.Edges, e)
	}
	if len(m.Edges) > 0 {
		m.StartElementID = m.Edges[0].ID
	}
	if err := m.Index(); err != nil {
		panic(err)
	}
	return m
}

// FuzzCompute: every engine keeps the layout invariants on any graph.
func FuzzCompute(f *testing.F) {
	f.Add([]byte{5, 1, 2, 3, 2, 2, 0, 0, 1, 9, 3, 1, 4})
	f.Add([]byte{8, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2})
	f.Add([]byte{3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		m := modelFrom(data)
		for _, e := range []Engine{Auto, Layered, Grid} {
			l, err := Compute(m, Options{Engine: e})
			if err != nil {
				t.Fatalf("%s: %v", e, err)
			}
			checkInvariants(t, m, l)
		}
	})
}
