package algorithm

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gw-project/gw/internal/model"
)

// Loc is an element of one of a Planner's models.
type Loc struct {
	Model   int // index into the planner's models
	Element model.Element
}

// Step costs, in executed elements: an edge step executes the edge and
// then its target vertex; a shared-state jump executes only the vertex it
// lands on.
const (
	edgeCost = 2
	jumpCost = 1
)

// Planner plans walks that cover the edges (exactly shortest) or the
// vertices (heuristic) of one model, or of several models joined by shared
// states, where a walk may jump from a vertex to a vertex of another model
// with the same shared state name. Guards are not evaluated here: callers
// pass which edges are open. Not safe for concurrent use.
type Planner struct {
	models  []*model.Model
	vbase   []int32   // per model: node of its vertex 0
	edgeArc [][]int32 // per model, per edge: its arc, -1 when it has no source or target
	arcs    []planArc
	arcLoc  []Loc // per arc: the edge walked, or the vertex a jump lands on
	nodeLoc []Loc
	pm      *postman
	need    []bool
	open    []bool
}

// NewPlanner prepares planning over indexed models, in the order the
// machine runs them. O(V+E+J), J the number of possible shared-state jumps
// (pairs of vertices of different models with the same shared state).
func NewPlanner(models ...*model.Model) *Planner {
	p := &Planner{models: models}
	n := int32(0)
	for k, m := range models {
		p.vbase = append(p.vbase, n)
		for i := range m.Vertices {
			p.nodeLoc = append(p.nodeLoc, Loc{k, i})
		}
		n += int32(len(m.Vertices))
	}
	p.edgeArc = make([][]int32, len(models))
	for k, m := range models {
		p.edgeArc[k] = make([]int32, len(m.Edges))
		for j, e := range m.Edges {
			p.edgeArc[k][j] = -1
			if e.Source == nil || e.Target == nil {
				continue
			}
			p.edgeArc[k][j] = int32(len(p.arcs))
			p.arcs = append(p.arcs, planArc{From: p.vbase[k] + int32(e.Source.Index), To: p.vbase[k] + int32(e.Target.Index), Cost: edgeCost})
			p.arcLoc = append(p.arcLoc, Loc{k, m.EdgeElement(e)})
		}
	}
	if len(models) > 1 {
		groups := map[string][]Loc{}
		var names []string
		for k, m := range models {
			for i, v := range m.Vertices {
				if v.SharedState == "" {
					continue
				}
				if _, ok := groups[v.SharedState]; !ok {
					names = append(names, v.SharedState)
				}
				groups[v.SharedState] = append(groups[v.SharedState], Loc{k, i})
			}
		}
		for _, name := range names {
			g := groups[name]
			for _, a := range g {
				for _, b := range g {
					if a.Model != b.Model {
						p.arcs = append(p.arcs, planArc{From: p.node(a), To: p.node(b), Cost: jumpCost})
						p.arcLoc = append(p.arcLoc, b)
					}
				}
			}
		}
	}
	p.pm = newPostman(int(n), p.arcs)
	return p
}

func (p *Planner) node(l Loc) int32 { return p.vbase[l.Model] + int32(l.Element) }

func (p *Planner) isJump(a int32) bool {
	return p.models[p.arcLoc[a].Model].IsVertex(p.arcLoc[a].Element)
}

// Plan is a planned walk.
type Plan struct {
	// Steps are the elements to execute after the one planned from.
	Steps []Loc
	// Bound is a lower bound on the number of steps of any walk that
	// covers what this plan covers (edge plans only; 0 otherwise).
	Bound int
	// Exact is set when no walk covering the same elements is shorter.
	Exact bool
	// Unreachable lists needed elements no path from the start reaches
	// (through open edges).
	Unreachable []Loc
	// Stranded lists needed elements that are reachable but that one walk
	// cannot cover together with the others (one-way parts of the graph).
	Stranded []Loc
}

// Missed is every needed element the plan does not cover.
func (pl *Plan) Missed() []Loc {
	return append(append([]Loc(nil), pl.Unreachable...), pl.Stranded...)
}

// start resolves the element a plan starts from: the node to plan from,
// and the step into it when from is an edge.
func (p *Planner) start(from Loc) (int32, []Loc, error) {
	if from.Model < 0 || from.Model >= len(p.models) {
		return 0, nil, fmt.Errorf("plan: no model %d", from.Model)
	}
	m := p.models[from.Model]
	switch {
	case m.IsVertex(from.Element):
		return p.node(from), nil, nil
	case m.IsEdge(from.Element):
		e := m.Edge(from.Element)
		if e.Target == nil {
			return 0, nil, fmt.Errorf("model %q: %s has no target vertex, so no walk can go on from it", m.Name, m.Describe(from.Element))
		}
		to := Loc{from.Model, e.Target.Index}
		return p.node(to), []Loc{to}, nil
	}
	return 0, nil, fmt.Errorf("model %q: element %d does not exist", m.Name, from.Element)
}

// CoverEdges plans the shortest walk from `from` that traverses every edge
// for which need reports true, using only edges for which open reports
// true (open nil: all). Shared-state jumps are always open.
//
// When every edge reachable from the start is needed — a first plan — the
// walk is exactly shortest: the open directed Chinese postman tour (fixed
// start, free end), by min-cost flow on the degree imbalances then an
// Euler walk. With a subset needed (re-planning, jumps between models) it is
// exactly shortest when the flow's solution is connected, and a nearest-
// first join of its parts otherwise; Plan.Exact tells which.
//
// Time: O(F·(V+E) log V) at worst for a flow of F extra traversals,
// typically O(D·(V+E) log V) with D the number of distinct path lengths
// used: a random 1,000-vertex, 5,000-edge model plans in about 8 ms.
func (p *Planner) CoverEdges(from Loc, need, open func(Loc) bool) (*Plan, error) {
	s, lead, err := p.start(from)
	if err != nil {
		return nil, err
	}
	pl := &Plan{Steps: lead}
	p.need = resize(p.need, len(p.arcs))
	clear(p.need)
	openArcs := p.openArcs(open)
	for k, m := range p.models {
		nv := len(m.Vertices)
		for j := range m.Edges {
			l := Loc{k, nv + j}
			if !need(l) {
				continue
			}
			if a := p.edgeArc[k][j]; a >= 0 {
				p.need[a] = true
			} else {
				pl.Unreachable = append(pl.Unreachable, l)
			}
		}
	}
	c := p.pm.cover(s, p.need, openArcs)
	for _, a := range c.unreachable {
		pl.Unreachable = append(pl.Unreachable, p.arcLoc[a])
	}
	for _, a := range c.stranded {
		pl.Stranded = append(pl.Stranded, p.arcLoc[a])
	}
	pl.Steps = p.steps(pl.Steps, c.walk)
	pl.Bound = len(lead) + int(c.bound)
	pl.Exact = c.exact
	return pl, nil
}

// openArcs marks the arcs a walk may take: jumps, and the edges open
// accepts; nil (all arcs) when open is nil.
func (p *Planner) openArcs(open func(Loc) bool) []bool {
	if open == nil {
		return nil
	}
	p.open = resize(p.open, len(p.arcs))
	for a := range p.arcs {
		p.open[a] = p.isJump(int32(a)) || open(p.arcLoc[a])
	}
	return p.open
}

func (p *Planner) steps(out []Loc, walk []int32) []Loc {
	for _, a := range walk {
		l := p.arcLoc[a]
		out = append(out, l)
		if !p.isJump(a) {
			m := p.models[l.Model]
			out = append(out, Loc{l.Model, m.Edge(l.Element).Target.Index})
		}
	}
	return out
}

// CoverVertices plans a walk from `from` that visits every vertex for
// which need reports true, through open edges (open nil: all). It is a
// heuristic, not a shortest walk (that problem is NP-hard): repeatedly take
// a shortest path to the nearest vertex still needed, staying in the
// current strongly connected component while it has needed vertices, so
// that one-way parts are entered last and a covering walk is found
// whenever one exists. Vertices passed on the way count as visited.
//
// Time: O(K·(V+E) log V) for K needed vertices.
func (p *Planner) CoverVertices(from Loc, need, open func(Loc) bool) (*Plan, error) {
	s, lead, err := p.start(from)
	if err != nil {
		return nil, err
	}
	pl := &Plan{Steps: lead}
	openArcs := p.openArcs(open)
	pm := p.pm
	reach := pm.reachFrom(s, openArcs)
	wanted := resize(p.need, pm.n)
	p.need = wanted
	left := 0
	for v := range pm.n {
		wanted[v] = int32(v) != s && need(p.nodeLoc[v])
		if wanted[v] && len(lead) > 0 && p.nodeLoc[v] == lead[0] {
			wanted[v] = false
		}
		if wanted[v] {
			if reach[v] {
				left++
			} else {
				wanted[v] = false
				pl.Unreachable = append(pl.Unreachable, p.nodeLoc[v])
			}
		}
	}
	// Nearest first, but in the graph's one-way order (as postman.ordered)
	// so that a dead end is entered last.
	comp := pm.components(openArcs)
	var walk []int32
	pos := s
	for left > 0 {
		base := len(walk)
		here := comp[pos]
		var ok bool
		walk, ok = pm.nearest(pos, openArcs, walk, func(v int32) bool { return wanted[v] && comp[v] == here })
		if !ok {
			seen := pm.reachFrom(pos, openArcs)
			next := int32(-1)
			for v := range pm.n {
				if wanted[v] && seen[v] && comp[v] > next {
					next = comp[v]
				}
			}
			if next < 0 {
				break
			}
			walk, _ = pm.nearest(pos, openArcs, walk, func(v int32) bool { return wanted[v] && comp[v] == next })
		}
		for _, a := range walk[base:] {
			if t := pm.arcs[a].To; wanted[t] {
				wanted[t] = false
				left--
			}
		}
		pos = pm.arcs[walk[len(walk)-1]].To
	}
	for v := range pm.n {
		if wanted[v] {
			pl.Stranded = append(pl.Stranded, p.nodeLoc[v])
		}
	}
	pl.Steps = p.steps(pl.Steps, walk)
	pl.Exact = len(walk) == 0
	return pl, nil
}

// reachFrom marks the nodes reachable from start over usable arcs. The
// result is reused by the next call.
func (p *postman) reachFrom(start int32, open []bool) []bool {
	p.reach = resize(p.reach, p.n)
	clear(p.reach)
	p.reach[start] = true
	stack := append(p.stack[:0], start)
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, a := range p.out(v) {
			if t := p.arcs[a].To; (open == nil || open[a]) && !p.reach[t] {
				p.reach[t] = true
				stack = append(stack, t)
			}
		}
	}
	p.stack = stack[:0]
	return p.reach
}

// UncoveredError reports elements no walk from the start can cover.
type UncoveredError struct {
	Models      []*model.Model
	From        Loc
	Unreachable []Loc
	Stranded    []Loc
}

func (e *UncoveredError) Error() string {
	var b strings.Builder
	from := describeLoc(e.Models, e.From, len(e.Models) > 1)
	if len(e.Unreachable) > 0 {
		fmt.Fprintf(&b, "%d element(s) cannot be reached from %s: %s", len(e.Unreachable), from, describeLocs(e.Models, e.Unreachable))
		b.WriteString(" (add a path to them, or remove them or their blocked property)")
	}
	if len(e.Stranded) > 0 {
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "no single walk from %s covers every element: after the others, it cannot get back to %s (a one-way part of the model; add an edge back)",
			from, describeLocs(e.Models, e.Stranded))
	}
	return b.String()
}

func describeLoc(models []*model.Model, l Loc, withModel bool) string {
	m := models[l.Model]
	s := m.Describe(l.Element)
	if withModel {
		s += fmt.Sprintf(" in model %q", m.Name)
	}
	return s
}

func describeLocs(models []*model.Model, ls []Loc) string {
	var parts []string
	for i, l := range ls {
		if i == 10 {
			parts = append(parts, fmt.Sprintf("and %d more", len(ls)-10))
			break
		}
		parts = append(parts, describeLoc(models, l, len(models) > 1))
	}
	return strings.Join(parts, ", ")
}

// Err is an *UncoveredError when the plan misses needed elements, else nil.
func (pl *Plan) Err(models []*model.Model, from Loc) error {
	if len(pl.Unreachable) == 0 && len(pl.Stranded) == 0 {
		return nil
	}
	return &UncoveredError{Models: models, From: from, Unreachable: pl.Unreachable, Stranded: pl.Stranded}
}

// PostmanTour is the shortest walk from start that traverses every edge of
// m: the elements after start, like FleuryTrail, and the same length as
// GraphWalker's trail wherever that exists. A start edge counts as walked.
// Edges that no walk from start can cover are an *UncoveredError.
// Time: see Planner.CoverEdges.
func PostmanTour(m *model.Model, start model.Element) ([]model.Element, error) {
	if start < 0 || start >= m.NumElements() {
		return nil, errors.New("postman tour: the start element is not in the model")
	}
	p := NewPlanner(m)
	from := Loc{0, start}
	pl, err := p.CoverEdges(from, func(l Loc) bool { return l.Element != start }, nil)
	if err != nil {
		return nil, err
	}
	if err := pl.Err(p.models, from); err != nil {
		return nil, err
	}
	out := make([]model.Element, len(pl.Steps))
	for i, l := range pl.Steps {
		out[i] = l.Element
	}
	return out, nil
}

// HasEulerTrail reports whether a walk from start traverses every edge of
// m exactly once (a start edge counting as the first step): the only case
// where GraphWalker's Fleury trail can succeed. O(V+E).
func HasEulerTrail(m *model.Model, start model.Element) bool {
	var s int
	skip := -1
	switch {
	case m.IsVertex(start):
		s = start
	case m.IsEdge(start):
		e := m.Edge(start)
		if e.Target == nil {
			return false
		}
		s, skip = e.Target.Index, e.Index
	default:
		return false
	}
	bal := make([]int, len(m.Vertices))
	for j, e := range m.Edges {
		if j == skip {
			continue
		}
		if e.Source == nil || e.Target == nil {
			return false
		}
		bal[e.Source.Index]++ // out − in
		bal[e.Target.Index]--
	}
	ends := 0
	for v, b := range bal {
		switch {
		case b == 0:
		case b == 1 && v == s:
		case b == -1:
			ends++
		default:
			return false
		}
	}
	if ends > 1 || (ends == 1) != (bal[s] == 1) {
		return false
	}
	seen := Reachable(m, s)
	for j := range m.Edges {
		if j != skip && !seen[m.EdgeElement(m.Edges[j])] {
			return false
		}
	}
	return true
}
