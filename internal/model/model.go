package model

import (
	"crypto/rand"
	"fmt"
)

// Vertex is a state of the system under test.
type Vertex struct {
	ID           string
	Name         string
	SharedState  string // vertices of several models with the same name are linked
	Actions      []string
	Requirements []string
	Properties   Properties
	Index        int // position in Model.Vertices; set by Model.Index
}

// Edge is an action that moves the system from Source to Target.
// A nil Source marks a start edge (the out-edge of a yEd/DOT "Start" node).
type Edge struct {
	ID           string
	Name         string
	Source       *Vertex
	Target       *Vertex
	Guard        string // JavaScript boolean expression; "" means always available
	Actions      []string
	Requirements []string
	Properties   Properties
	Weight       float64 // used by weighted_random only
	Dependency   int     // 0..100, used by dependency_edge_coverage only
	Index        int     // position in Model.Edges; set by Model.Index
}

// Model is one graph with its generator and start element.
type Model struct {
	ID             string
	Name           string
	Generator      string   // generator DSL text, e.g. "random(edge_coverage(100))"
	StartElementID string   // id of the start vertex or edge; "" for none
	Actions        []string // INIT actions, run once when a machine is built
	Requirements   []string
	Properties     Properties
	Vertices       []*Vertex
	Edges          []*Edge
	PredefinedPath []*Edge

	out, in [][]int32 // derived by Index: edge indices per vertex, in edge order
	indexed bool
}

// Document is what a model file holds: one or more models and, for
// GraphWalker JSON, an optional seed.
type Document struct {
	Models  []*Model
	Seed    int64
	HasSeed bool
}

// Element is a dense element index: [0, len(Vertices)) are vertices,
// [len(Vertices), len(Vertices)+len(Edges)) are edges.
type Element = int

// None is the element index that refers to no element.
const None Element = -1

// NewID returns a random (version 4) UUID, as GraphWalker gives elements
// that have no id.
func NewID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// Index fills missing ids, sets element indices and derives the adjacency
// lists. It must be called after the model's vertices and edges are final
// and before the model is walked; calling it again re-derives everything.
// Edges whose Source or Target is not a vertex of this model are an error.
func (m *Model) Index() error {
	if m.ID == "" {
		m.ID = NewID()
	}
	pos := make(map[*Vertex]int, len(m.Vertices))
	for i, v := range m.Vertices {
		if v.ID == "" {
			v.ID = NewID()
		}
		v.Index = i
		pos[v] = i
	}
	m.out = make([][]int32, len(m.Vertices))
	m.in = make([][]int32, len(m.Vertices))
	for j, e := range m.Edges {
		if e.ID == "" {
			e.ID = NewID()
		}
		e.Index = j
		if e.Target == nil {
			continue // reported by the checker; such an edge leads nowhere
		}
		if _, ok := pos[e.Target]; !ok {
			return fmt.Errorf("model %q: edge %s: target vertex %q is not in the model", m.Name, e.Label(), e.Target.ID)
		}
		m.in[e.Target.Index] = append(m.in[e.Target.Index], int32(j))
		if e.Source != nil {
			if _, ok := pos[e.Source]; !ok {
				return fmt.Errorf("model %q: edge %s: source vertex %q is not in the model", m.Name, e.Label(), e.Source.ID)
			}
			m.out[e.Source.Index] = append(m.out[e.Source.Index], int32(j))
		}
	}
	m.indexed = true
	return nil
}

func (m *Model) mustIndexed() {
	if !m.indexed {
		panic("model: Model.Index was not called")
	}
}

// NumElements is the number of vertices plus edges.
func (m *Model) NumElements() int { return len(m.Vertices) + len(m.Edges) }

// IsVertex reports whether element el is a vertex.
func (m *Model) IsVertex(el Element) bool { return el >= 0 && el < len(m.Vertices) }

// IsEdge reports whether element el is an edge.
func (m *Model) IsEdge(el Element) bool {
	return el >= len(m.Vertices) && el < len(m.Vertices)+len(m.Edges)
}

// VertexElement is the element index of vertex v.
func (m *Model) VertexElement(v *Vertex) Element { return v.Index }

// EdgeElement is the element index of edge e.
func (m *Model) EdgeElement(e *Edge) Element { return len(m.Vertices) + e.Index }

// Vertex returns the vertex of element el; el must be a vertex.
func (m *Model) Vertex(el Element) *Vertex { return m.Vertices[el] }

// Edge returns the edge of element el; el must be an edge.
func (m *Model) Edge(el Element) *Edge { return m.Edges[el-len(m.Vertices)] }

// OutEdges lists the edge indices (into Edges) leaving vertex index v, in
// model edge order. Do not modify the result.
func (m *Model) OutEdges(v int) []int32 { m.mustIndexed(); return m.out[v] }

// InEdges lists the edge indices (into Edges) entering vertex index v.
func (m *Model) InEdges(v int) []int32 { m.mustIndexed(); return m.in[v] }

// ElementID is the id of element el.
func (m *Model) ElementID(el Element) string {
	if m.IsVertex(el) {
		return m.Vertices[el].ID
	}
	return m.Edge(el).ID
}

// ElementName is the name of element el ("" when unnamed).
func (m *Model) ElementName(el Element) string {
	if m.IsVertex(el) {
		return m.Vertices[el].Name
	}
	return m.Edge(el).Name
}

// ElementActions are the actions of element el.
func (m *Model) ElementActions(el Element) []string {
	if m.IsVertex(el) {
		return m.Vertices[el].Actions
	}
	return m.Edge(el).Actions
}

// ElementRequirements are the requirement keys of element el.
func (m *Model) ElementRequirements(el Element) []string {
	if m.IsVertex(el) {
		return m.Vertices[el].Requirements
	}
	return m.Edge(el).Requirements
}

// ElementProperties are the properties of element el.
func (m *Model) ElementProperties(el Element) Properties {
	if m.IsVertex(el) {
		return m.Vertices[el].Properties
	}
	return m.Edge(el).Properties
}

// ElementByID is the first element, in element order, with the given id.
func (m *Model) ElementByID(id string) (Element, bool) {
	for i, v := range m.Vertices {
		if v.ID == id {
			return i, true
		}
	}
	for j, e := range m.Edges {
		if e.ID == id {
			return len(m.Vertices) + j, true
		}
	}
	return None, false
}

// ElementsNamed lists the elements with exactly this name, in element order.
func (m *Model) ElementsNamed(name string) []Element {
	var out []Element
	if name == "" {
		return nil
	}
	for i, v := range m.Vertices {
		if v.Name == name {
			out = append(out, i)
		}
	}
	for j, e := range m.Edges {
		if e.Name == name {
			out = append(out, len(m.Vertices)+j)
		}
	}
	return out
}

// StartElement resolves StartElementID; None when unset or not found.
func (m *Model) StartElement() Element {
	if m.StartElementID == "" {
		return None
	}
	el, _ := m.ElementByID(m.StartElementID)
	return el
}

// Describe names element el for messages: `vertex "v_Name" (id n1)`.
func (m *Model) Describe(el Element) string {
	if el < 0 || el >= m.NumElements() {
		return "no element"
	}
	kind := "edge"
	if m.IsVertex(el) {
		kind = "vertex"
	}
	name := m.ElementName(el)
	if name == "" {
		return fmt.Sprintf("unnamed %s (id %s)", kind, m.ElementID(el))
	}
	return fmt.Sprintf("%s %q (id %s)", kind, name, m.ElementID(el))
}

// Label names an edge for messages.
func (e *Edge) Label() string {
	if e.Name == "" {
		return fmt.Sprintf("(id %s)", e.ID)
	}
	return fmt.Sprintf("%q (id %s)", e.Name, e.ID)
}

// Label names a vertex for messages.
func (v *Vertex) Label() string {
	if v.Name == "" {
		return fmt.Sprintf("(id %s)", v.ID)
	}
	return fmt.Sprintf("%q (id %s)", v.Name, v.ID)
}

// IsBlocked reports whether the properties carry blocked=true.
func (p Properties) IsBlocked() bool {
	b, ok := p.Get("blocked")
	if !ok {
		return false
	}
	switch b := b.(type) {
	case bool:
		return b
	case string: // GraphWalker crashes on the string form; accept it instead
		return b == "true" || b == "True" || b == "TRUE"
	}
	return false
}
