package model

import "slices"

// Clone returns a deep copy of m that shares no vertex or edge with it
// (property values are shared; they are never mutated). The copy is indexed
// if m was.
func (m *Model) Clone() *Model {
	c := &Model{
		ID: m.ID, Name: m.Name, Generator: m.Generator, StartElementID: m.StartElementID,
		Actions: slices.Clone(m.Actions), Requirements: slices.Clone(m.Requirements),
		Properties: slices.Clone(m.Properties),
	}
	vmap := make(map[*Vertex]*Vertex, len(m.Vertices))
	for _, v := range m.Vertices {
		nv := *v
		nv.Actions, nv.Requirements, nv.Properties = slices.Clone(v.Actions), slices.Clone(v.Requirements), slices.Clone(v.Properties)
		vmap[v] = &nv
		c.Vertices = append(c.Vertices, &nv)
	}
	emap := make(map[*Edge]*Edge, len(m.Edges))
	for _, e := range m.Edges {
		ne := *e
		ne.Actions, ne.Requirements, ne.Properties = slices.Clone(e.Actions), slices.Clone(e.Requirements), slices.Clone(e.Properties)
		if e.Source != nil {
			ne.Source = vmap[e.Source]
		}
		if e.Target != nil {
			ne.Target = vmap[e.Target]
		}
		emap[e] = &ne
		c.Edges = append(c.Edges, &ne)
	}
	for _, e := range m.PredefinedPath {
		c.PredefinedPath = append(c.PredefinedPath, emap[e])
	}
	if m.indexed {
		_ = c.Index() // cannot fail: m indexed cleanly
	}
	return c
}

// FilterBlocked returns a copy of m without the elements whose property
// "blocked" is true: blocked edges, and blocked vertices with every edge
// that touches them (GraphWalker's --blocked true, the CLI default).
// Unlike GraphWalker, edge dependencies survive the filter.
// If nothing is blocked, m itself is returned.
func FilterBlocked(m *Model) *Model {
	any := false
	for _, v := range m.Vertices {
		any = any || v.Properties.IsBlocked()
	}
	for _, e := range m.Edges {
		any = any || e.Properties.IsBlocked()
	}
	if !any {
		return m
	}
	c := m.Clone()
	blockedV := map[*Vertex]bool{}
	c.Vertices = slices.DeleteFunc(c.Vertices, func(v *Vertex) bool {
		if v.Properties.IsBlocked() {
			blockedV[v] = true
			return true
		}
		return false
	})
	removed := map[*Edge]bool{}
	c.Edges = slices.DeleteFunc(c.Edges, func(e *Edge) bool {
		if e.Properties.IsBlocked() || blockedV[e.Source] || blockedV[e.Target] {
			removed[e] = true
			return true
		}
		return false
	})
	c.PredefinedPath = slices.DeleteFunc(c.PredefinedPath, func(e *Edge) bool { return removed[e] })
	if m.indexed {
		_ = c.Index()
	}
	return c
}
