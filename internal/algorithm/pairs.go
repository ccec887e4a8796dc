package algorithm

import "fmt"

// Pair is two consecutive edges of one model: Second leaves the vertex
// First enters. Covering every pair is edge-pair (2-switch) coverage.
type Pair struct {
	First, Second Loc
}

// lineGraph is the line graph of a Planner's planning graph: a node per
// planning arc (edges and jumps) plus one node, sigma, for "at the start,
// no arc walked yet" (or "on the start edge", when that edge has no
// source and so no arc); an arc a→b for every planning arc b that can
// follow a, costing b's cost. A walk in it is a walk in the planning graph
// that knows the arc it came by, so covering its arcs covers pairs.
type lineGraph struct {
	arcs  []planArc
	sigma int32
}

// buildLineGraph builds the line graph with sigma at planning node s.
// O(A + Σ in(v)·out(v)).
func (p *Planner) buildLineGraph(s int32) *lineGraph {
	pm := p.pm
	nA := int32(len(p.arcs))
	lg := &lineGraph{sigma: nA}
	for _, b := range pm.out(s) {
		lg.arcs = append(lg.arcs, planArc{From: nA, To: b, Cost: p.arcs[b].Cost})
	}
	for a := range nA {
		for _, b := range pm.out(p.arcs[a].To) {
			lg.arcs = append(lg.arcs, planArc{From: a, To: b, Cost: p.arcs[b].Cost})
		}
	}
	return lg
}

// EdgePairCases plans a suite of cases from `from` (the start element)
// that together walk every pair in need, through edges open accepts (nil:
// all; jumps are always open): EdgeCases on the line graph, with the same
// formulation, exactness and bounds. Pairs with a jump between their
// edges are not pairs. With o.Single the plan is one walk from `from`,
// o.Prev being the edge the walk came in by.
// Unreachable and TooLong index need.
//
// Time: as EdgeCases on a graph of E+J+1 nodes and Σ in(v)·out(v) arcs.
func (p *Planner) EdgePairCases(from Loc, need []Pair, open func(Loc) bool, o CaseOptions) (*CasePlan, error) {
	if err := checkCaseOptions(o); err != nil {
		return nil, err
	}
	s, lead, err := p.start(from)
	if err != nil {
		return nil, err
	}
	arcOfEdge := func(l Loc) (int32, error) {
		if l.Model < 0 || l.Model >= len(p.models) || !p.models[l.Model].IsEdge(l.Element) {
			return -1, fmt.Errorf("plan: %v is not an edge", l)
		}
		return p.edgeArc[l.Model][l.Element-len(p.models[l.Model].Vertices)], nil
	}
	lg := p.buildLineGraph(s)
	// The line node a case starts at: the start edge's arc, the edge the
	// walk came in by, or sigma.
	start := lg.sigma
	var startEdge Loc // the edge sigma stands for, if any
	startEdge.Model = -1
	switch {
	case len(lead) > 0:
		a, _ := arcOfEdge(from)
		if a >= 0 {
			start = a
		} else {
			startEdge = from
		}
	case o.Single && o.Prev != nil:
		a, err := arcOfEdge(*o.Prev)
		if err != nil {
			return nil, err
		}
		if a >= 0 && p.arcs[a].To == s {
			start = a
		} else if a < 0 && p.start1(*o.Prev) == s {
			startEdge = *o.Prev
		}
	}
	lp := newPostman(len(p.arcs)+1, lg.arcs)
	pl := &CasePlan{}
	req := make([]bool, len(lg.arcs))
	who := make([]int, len(lg.arcs))
	for i, pr := range need {
		ea, err := arcOfEdge(pr.First)
		if err != nil {
			return nil, err
		}
		fa, err := arcOfEdge(pr.Second)
		if err != nil {
			return nil, err
		}
		m := p.models[pr.First.Model]
		e, f := m.Edge(pr.First.Element), p.models[pr.Second.Model].Edge(pr.Second.Element)
		if pr.First.Model != pr.Second.Model || e.Target == nil || f.Source != e.Target {
			return nil, fmt.Errorf("plan: %s and %s are not consecutive edges", m.Describe(pr.First.Element), p.models[pr.Second.Model].Describe(pr.Second.Element))
		}
		node := ea
		if ea < 0 {
			if pr.First != startEdge {
				pl.Unreachable = append(pl.Unreachable, i)
				continue
			}
			node = lg.sigma
		}
		if fa < 0 {
			pl.Unreachable = append(pl.Unreachable, i)
			continue
		}
		la := int32(-1)
		for _, x := range lp.out(node) {
			if lg.arcs[x].To == fa {
				la = x
				break
			}
		}
		if la < 0 {
			pl.Unreachable = append(pl.Unreachable, i) // sigma not at this pair's vertex
			continue
		}
		req[la] = true
		who[la] = i
	}
	var lineOpen []bool
	if openArcs := p.openArcs(open); openArcs != nil {
		lineOpen = make([]bool, len(lg.arcs))
		for x, arc := range lg.arcs {
			lineOpen[x] = openArcs[arc.To]
		}
	}
	g := &caseNet{n: len(p.arcs) + 1, arcs: lg.arcs, start: start, c0: int64(1 + len(lead)), pm: lp}
	sol := g.solve(req, lineOpen, o)
	p.finish(pl, sol, from, lead, o, false, func(x int32) int { return who[x] }, func(x int32) int32 { return lg.arcs[x].To })
	return pl, nil
}

// start1 is the planning node a walk stands on after element l.
func (p *Planner) start1(l Loc) int32 {
	s, _, err := p.start(l)
	if err != nil {
		return -1
	}
	return s
}
