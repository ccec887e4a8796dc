package algorithm

import (
	"errors"

	"github.com/gw-project/gw/internal/model"
)

// EulerKind classifies a model by its vertices' in/out degree balance.
type EulerKind int

const (
	NotEulerian EulerKind = iota
	SemiEulerian
	Eulerian
)

// ErrNotEulerian is GraphWalker's message for a model no single trail covers.
var ErrNotEulerian = errors.New("The model is not eulerian or semi eulerian, no single path can cover the entire graph")

// EulerType counts vertices whose in-degree differs from their out-degree,
// counting the missing source of start edges as one more vertex, as
// GraphWalker does. Connectivity is not checked. O(V+E).
func EulerType(m *model.Model) EulerKind {
	pol := make([]int, len(m.Vertices)+1) // last slot: the "null" source
	nullSlot := len(m.Vertices)
	for _, e := range m.Edges {
		if e.Target != nil {
			pol[e.Target.Index]++
		} else {
			pol[nullSlot]++ // GraphWalker counts a missing target under null too
		}
		if e.Source != nil {
			pol[e.Source.Index]--
		} else {
			pol[nullSlot]--
		}
	}
	n := 0
	for _, p := range pol {
		if p != 0 {
			n++
		}
	}
	switch n {
	case 0:
		return Eulerian
	case 2:
		return SemiEulerian
	}
	return NotEulerian
}

// FleuryTrail is GraphWalker's Fleury.getTrail: from start, take at each
// vertex the first unvisited out-edge that is not a bridge (else the first
// bridge) until every edge is used. It returns the elements after start.
// O(E·(V+E)·d) for out-degree d; meant for the Eulerian models GraphWalker's
// shortest_all_paths accepts.
func FleuryTrail(m *model.Model, start model.Element) ([]model.Element, error) {
	nv := len(m.Vertices)
	used := make([]bool, len(m.Edges))
	remaining := len(m.Edges)
	var trail []model.Element
	var v int
	if m.IsEdge(start) {
		e := m.Edge(start)
		used[e.Index] = true
		remaining--
		if e.Target == nil {
			return nil, errors.New("the start edge has no target vertex")
		}
		v = e.Target.Index
		trail = append(trail, v)
	} else {
		v = start
	}
	f := &fleury{m: m, used: used, seen: make([]bool, nv)}
	for remaining > 0 {
		pick := -1
		firstBridge := -1
		for _, e := range m.OutEdges(v) {
			if used[e] {
				continue
			}
			if !f.isBridge(int(e)) {
				pick = int(e)
				break
			}
			if firstBridge < 0 {
				firstBridge = int(e)
			}
		}
		if pick < 0 {
			pick = firstBridge
		}
		if pick < 0 {
			return nil, errors.New("no Euler trail: stuck at vertex " + m.Vertices[v].Label() + " with edges left to walk")
		}
		used[pick] = true
		remaining--
		v = m.Edges[pick].Target.Index
		trail = append(trail, nv+pick, v)
	}
	return trail, nil
}

type fleury struct {
	m     *model.Model
	used  []bool
	seen  []bool
	stack []int
}

// isBridge compares how many vertices the edge's source reaches in the
// whole graph with how many it reaches without the used edges and this
// one, as GraphWalker does.
func (f *fleury) isBridge(edge int) bool {
	src := f.m.Edges[edge].Source.Index
	all := f.count(src, -1, false)
	without := f.count(src, edge, true)
	return without < all
}

func (f *fleury) count(from, skip int, skipUsed bool) int {
	clear(f.seen)
	f.seen[from] = true
	n := 1
	f.stack = append(f.stack[:0], from)
	for len(f.stack) > 0 {
		v := f.stack[len(f.stack)-1]
		f.stack = f.stack[:len(f.stack)-1]
		for _, e := range f.m.OutEdges(v) {
			if int(e) == skip || (skipUsed && f.used[e]) {
				continue
			}
			t := f.m.Edges[e].Target.Index
			if !f.seen[t] {
				f.seen[t] = true
				n++
				f.stack = append(f.stack, t)
			}
		}
	}
	return n
}
