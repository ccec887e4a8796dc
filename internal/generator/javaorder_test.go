package generator

import (
	"slices"
	"testing"

	"github.com/gw-project/gw/internal/model"
)

// The expected hashes were computed by Java 17 with the collections
// GraphWalker uses (ArrayList, HashSet, HashMap of Double/String/Boolean).
func TestJavaVertexHash(t *testing.T) {
	for _, tt := range []struct {
		v    model.Vertex
		want int32
	}{
		{model.Vertex{ID: "n97", Name: "v_Node012", Properties: model.Properties{{Key: "x", Value: 4628.051190476191}, {Key: "y", Value: 3370.0253295898438}}}, 702536489},
		{model.Vertex{ID: "n275", Name: "v_Node012", Properties: model.Properties{{Key: "x", Value: 23212.903174603176}, {Key: "y", Value: 3370.0253295898438}}}, 2000835680},
		{model.Vertex{ID: "a", Name: "v", SharedState: "S", Properties: model.Properties{{Key: "description", Value: "text"}, {Key: "blocked", Value: true}}}, -680976686},
		{model.Vertex{ID: "b"}, 1006637890},
	} {
		if got := javaVertexHash(&tt.v); got != tt.want {
			t.Errorf("javaVertexHash(%s) = %d, want %d", tt.v.ID, got, tt.want)
		}
	}
}

// TestHashSetOrder checks the iteration order of a HashSet of vertices
// against the one Java 17 gives for the same hashes (n97 and n275 are two
// of SuperLarge's 91 v_Node012 vertices: GraphWalker's a_star, finding
// them equally near, heads for n275).
func TestHashSetOrder(t *testing.T) {
	m := &model.Model{Name: "m"}
	xs := map[string]float64{"n97": 4628.051190476191, "n275": 23212.903174603176}
	for _, id := range []string{"n97", "n275"} {
		m.Vertices = append(m.Vertices, &model.Vertex{ID: id, Name: "v_Node012",
			Properties: model.Properties{{Key: "x", Value: xs[id]}, {Key: "y", Value: 3370.0253295898438}}})
	}
	if err := m.Index(); err != nil {
		t.Fatal(err)
	}
	got := hashSetOrder(m, []model.Element{0, 1})
	if want := []model.Element{1, 0}; !slices.Equal(got, want) {
		t.Errorf("order %v, want %v (n275 first)", got, want)
	}
}
