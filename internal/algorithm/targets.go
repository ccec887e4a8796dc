package algorithm

import (
	"cmp"
	"fmt"
	"slices"
)

// TargetCases plans a suite of cases from `from` (the start element) that
// together cover every group: a group is covered when a case executes any
// one of its elements (a vertex, or an edge). Vertex coverage is one group
// per vertex; requirement coverage one group per requirement, of the
// elements that carry it.
//
// This is a covering problem that contains the shortest Hamiltonian path,
// so it is NP-hard: the plan is a heuristic. Each case walks from the start
// to the nearest group not yet covered, again and again. When minimising
// cases it stays in the current strongly connected component while that
// has targets and then enters the earliest component (in the graph's
// one-way order) that has some, as Planner.CoverVertices does, and a case
// ends only when nothing more can be reached (within MaxLength). When
// minimising steps a case ends as soon as resetting and starting again
// (ResetCost plus the start) reaches the next group more cheaply.
//
// The bounds are exact relaxations: CaseBound is the fewest cases in the
// acyclic graph of strongly connected components (a min-flow with lower
// bounds; for vertex coverage without MaxLength it is the optimum, by
// Dilworth's theorem), CostBound the min-cost flow that passes through
// every target but need not be connected; groups of several elements are
// left out of both (any one of them may do).
//
// Time: O(K·(V+E) log V) for K groups, plus two min-cost flows.
// Unreachable and TooLong index groups.
func (p *Planner) TargetCases(from Loc, groups [][]Loc, open func(Loc) bool, o CaseOptions) (*CasePlan, error) {
	if err := checkCaseOptions(o); err != nil {
		return nil, err
	}
	s, lead, err := p.start(from)
	if err != nil {
		return nil, err
	}
	pm := p.pm
	n := pm.n
	nA := len(p.arcs)
	t := &targetPlan{p: p, s: s, c0: int64(1 + len(lead)), o: o}
	t.nodeGroups = make([][]int32, n)
	t.arcGroups = make([][]int32, nA)
	t.covered = make([]bool, len(groups))
	atStart := map[Loc]bool{from: true}
	for _, l := range lead {
		atStart[l] = true
	}
	t.startGroups = nil
	for gi, g := range groups {
		for _, l := range g {
			if l.Model < 0 || l.Model >= len(p.models) || l.Element < 0 || l.Element >= p.models[l.Model].NumElements() {
				return nil, fmt.Errorf("plan: %v is not an element", l)
			}
			m := p.models[l.Model]
			switch {
			case atStart[l]:
				t.startGroups = append(t.startGroups, int32(gi))
			case m.IsVertex(l.Element):
				v := p.node(l)
				t.nodeGroups[v] = append(t.nodeGroups[v], int32(gi))
			default:
				if a := p.edgeArc[l.Model][l.Element-len(m.Vertices)]; a >= 0 {
					t.arcGroups[a] = append(t.arcGroups[a], int32(gi))
				}
			}
		}
	}
	openArcs := p.openArcs(open)
	t.usable = make([]bool, nA)
	reach := append([]bool(nil), pm.reachFrom(s, openArcs)...)
	for a, arc := range p.arcs {
		t.usable[a] = (openArcs == nil || openArcs[a]) && reach[arc.From]
	}
	g := &caseNet{n: n, arcs: p.arcs, start: s, c0: t.c0, pm: pm}
	t.net = g
	t.distS, _ = g.dijkstra(s, t.usable)
	// What each group costs at best from the start: unreachable, too long,
	// or wanted.
	best := make([]int64, len(groups))
	for i := range best {
		best[i] = unreachableDist
	}
	for _, gi := range t.startGroups {
		best[gi] = t.c0
	}
	for v, gs := range t.nodeGroups {
		for _, gi := range gs {
			best[gi] = min(best[gi], t.c0+t.distS[v])
		}
	}
	for a, gs := range t.arcGroups {
		if !t.usable[a] {
			continue
		}
		for _, gi := range gs {
			best[gi] = min(best[gi], t.c0+t.distS[p.arcs[a].From]+int64(p.arcs[a].Cost))
		}
	}
	pl := &CasePlan{}
	left := 0
	for gi, b := range best {
		switch {
		case b >= unreachableDist:
			pl.Unreachable = append(pl.Unreachable, gi)
			t.covered[gi] = true // not wanted
		case o.MaxLength > 0 && b > int64(o.MaxLength):
			pl.TooLong = append(pl.TooLong, gi)
			t.covered[gi] = true
		default:
			left++
		}
	}
	t.comp = pm.components(t.usable)
	t.buildFromStart()
	cases := t.greedy(left)
	// With Single, groups the walk could not reach are unreachable from
	// here; otherwise every reachable group is covered.
	for gi := range groups {
		if !t.covered[gi] {
			pl.Unreachable = append(pl.Unreachable, gi)
		}
	}
	var kmin, costMin int64 // nothing wanted: nothing to do
	if left > 0 {
		kmin, costMin = t.bounds(groups, best, reach)
	}
	sol := caseSolution{cases: cases, caseBound: kmin, costBound: costMin}
	var cost int64
	for _, c := range cases {
		cost += t.c0 + int64(o.ResetCost)
		for _, a := range c {
			cost += int64(p.arcs[a].Cost)
		}
	}
	if o.MinimizeCases {
		sol.exact = int64(len(cases)) == kmin && cost == costMin
	} else {
		sol.exact = cost == costMin
	}
	p.finish(pl, sol, from, lead, o, false, func(int32) int { return 0 }, func(a int32) int32 { return a })
	return pl, nil
}

type targetPlan struct {
	p           *Planner
	net         *caseNet
	s           int32
	c0          int64
	o           CaseOptions
	nodeGroups  [][]int32
	arcGroups   [][]int32
	startGroups []int32
	covered     []bool
	usable      []bool
	distS       []int64
	comp        []int32
	// fromStart lists target ids (see groupsOf) by cost from the start;
	// next is the first that may still be wanted.
	fromStart []int32
	fsCost    []int64
	next      int
}

func (t *targetPlan) wanted(gs []int32) bool {
	for _, g := range gs {
		if !t.covered[g] {
			return true
		}
	}
	return false
}

func (t *targetPlan) buildFromStart() {
	p := t.p
	type item struct {
		x    int32
		cost int64
	}
	var items []item
	for v, gs := range t.nodeGroups {
		if len(gs) > 0 && t.distS[v] < unreachableDist {
			items = append(items, item{int32(v), t.distS[v]})
		}
	}
	for a, gs := range t.arcGroups {
		if len(gs) > 0 && t.usable[a] {
			items = append(items, item{int32(len(t.nodeGroups)) + int32(a), t.distS[p.arcs[a].From] + int64(p.arcs[a].Cost)})
		}
	}
	slices.SortFunc(items, func(a, b item) int { return cmp.Or(cmp.Compare(a.cost, b.cost), cmp.Compare(a.x, b.x)) })
	for _, it := range items {
		t.fromStart = append(t.fromStart, it.x)
		t.fsCost = append(t.fsCost, it.cost)
	}
}

// groupsOf lists the groups of a target id: a node, or an arc a encoded
// as len(nodeGroups)+a.
func (t *targetPlan) groupsOf(x int32) []int32 {
	if int(x) < len(t.nodeGroups) {
		return t.nodeGroups[x]
	}
	return t.arcGroups[int(x)-len(t.nodeGroups)]
}

// nearestFromStart is the cheapest target still wanted, from the start.
func (t *targetPlan) nearestFromStart() (int32, int64, bool) {
	for t.next < len(t.fromStart) && !t.wanted(t.groupsOf(t.fromStart[t.next])) {
		t.next++
	}
	if t.next == len(t.fromStart) {
		return -1, 0, false
	}
	return t.fromStart[t.next], t.fsCost[t.next], true
}

type candidate struct {
	x    int32 // target id
	cost int64
	node int32 // node the search reached it from (its tail for an arc)
}

// search runs Dijkstra from pos within budget (negative: none) and
// returns the target to go to next, and the arcs leading to it.
func (t *targetPlan) search(pos int32, budget int64, ordered bool) (candidate, []int32, bool) {
	g := t.net
	p := t.p
	n := len(t.nodeGroups)
	dist := make([]int64, n)
	parent := make([]int32, n)
	for i := range dist {
		dist[i] = unreachableDist
		parent[i] = -1
	}
	dist[pos] = 0
	var h distHeap
	h.push(0, pos)
	here := t.comp[pos]
	// Candidates by preference class when ordered: 0 inside the current
	// component, 1 leaving it, 2 elsewhere (best component only).
	var best [3]candidate
	found := [3]bool{}
	bestComp := int32(-1)
	consider := func(c candidate, class int, comp int32) {
		if class == 2 {
			if comp < bestComp {
				return
			}
			if comp > bestComp {
				bestComp, found[2] = comp, false
			}
		}
		if !found[class] || c.cost < best[class].cost {
			best[class], found[class] = c, true
		}
	}
	for h.len() > 0 {
		d, u := h.pop()
		if d != dist[u] {
			continue
		}
		if !ordered && found[0] && best[0].cost <= d {
			break
		}
		if u != pos && t.wanted(t.nodeGroups[u]) {
			class := 0
			if ordered && t.comp[u] != here {
				class = 2
			}
			consider(candidate{int32(u), d, u}, class, t.comp[u])
		}
		for _, a := range g.pm.out(u) {
			if !t.usable[a] {
				continue
			}
			arc := p.arcs[a]
			nd := d + int64(arc.Cost)
			if budget >= 0 && nd > budget {
				continue
			}
			if t.wanted(t.arcGroups[a]) {
				class := 0
				if ordered {
					switch {
					case t.comp[arc.From] != here:
						class = 2
					case t.comp[arc.To] != here:
						class = 1
					}
				}
				consider(candidate{int32(n) + a, nd, u}, class, t.comp[arc.From])
			}
			if nd < dist[arc.To] {
				dist[arc.To] = nd
				parent[arc.To] = a
				h.push(nd, arc.To)
			}
		}
	}
	for class := range 3 {
		if !found[class] {
			continue
		}
		c := best[class]
		path := pathTo(p.arcs, parent, c.node, nil)
		if int(c.x) >= n {
			path = append(path, c.x-int32(n))
		}
		return c, path, true
	}
	return candidate{}, nil, false
}

// greedy builds the cases; left counts the groups still wanted.
func (t *targetPlan) greedy(left int) [][]int32 {
	p := t.p
	o := t.o
	cover := func(gs []int32) {
		for _, g := range gs {
			if !t.covered[g] {
				t.covered[g] = true
				left--
			}
		}
	}
	var cases [][]int32
	reset := t.c0 + int64(o.ResetCost)
	for left > 0 {
		cover(t.startGroups)
		var c []int32
		pos, length := t.s, t.c0
		for left > 0 {
			budget := int64(-1)
			if o.MaxLength > 0 {
				budget = int64(o.MaxLength) - length
			}
			cand, path, ok := t.search(pos, budget, o.MinimizeCases || o.Single)
			if ok && !o.MinimizeCases && !o.Single && len(c) > 0 {
				if _, cs, ok2 := t.nearestFromStart(); ok2 && reset+cs < cand.cost {
					break // starting again is cheaper
				}
			}
			if !ok {
				break
			}
			for _, a := range path {
				cover(t.arcGroups[a])
				cover(t.nodeGroups[p.arcs[a].To])
				length += int64(p.arcs[a].Cost)
			}
			c = append(c, path...)
			if len(path) > 0 {
				pos = p.arcs[path[len(path)-1]].To
			}
		}
		if len(c) == 0 && len(cases) > 0 {
			break // nothing more can be covered
		}
		if len(c) > 0 || len(t.startGroups) > 0 {
			cases = append(cases, c)
		}
		if o.Single || len(c) == 0 {
			break
		}
	}
	return cases
}

// bounds are the lower bounds described at TargetCases, from the groups of
// one element.
func (t *targetPlan) bounds(groups [][]Loc, best []int64, reach []bool) (kmin, costMin int64) {
	p := t.p
	pm := p.pm
	n := int32(pm.n)
	nA := len(p.arcs)
	single := make([]bool, len(groups))
	any := false
	for gi, g := range groups {
		if len(g) == 1 && best[gi] < unreachableDist && (t.o.MaxLength == 0 || best[gi] <= int64(t.o.MaxLength)) {
			single[gi] = true
			any = true
		}
	}
	for _, gi := range t.startGroups {
		single[gi] = false
	}
	if !any {
		if t.o.Single {
			return 1, t.c0
		}
		return 1, t.c0 + int64(t.o.ResetCost)
	}
	needNode := make([]bool, n)
	needArc := make([]bool, nA)
	for v, gs := range t.nodeGroups {
		for _, g := range gs {
			needNode[v] = needNode[v] || single[g]
		}
	}
	for a, gs := range t.arcGroups {
		for _, g := range gs {
			needArc[a] = needArc[a] || single[g]
		}
	}
	// Split every node v into v (in) → n+v (out); arcs leave from out.
	split := func(nodes int32, arcs []planArc, start int32, needN, needA []bool, usableA []bool) (*caseNet, []bool, []bool) {
		var sa []planArc
		var req, use []bool
		for v := range nodes {
			sa = append(sa, planArc{From: v, To: nodes + v})
			req = append(req, needN[v])
			use = append(use, true)
		}
		for a, arc := range arcs {
			sa = append(sa, planArc{From: nodes + arc.From, To: arc.To, Cost: arc.Cost})
			req = append(req, needA[a])
			use = append(use, usableA[a])
		}
		net := &caseNet{n: int(2 * nodes), arcs: sa, start: start, c0: t.c0}
		net.pm = newPostman(net.n, sa)
		return net, req, use
	}
	o := t.o
	reset := t.c0 + int64(o.ResetCost)
	// Cost: the relaxation on the planning graph itself.
	net, req, use := split(n, p.arcs, t.s, needNode, needArc, t.usable)
	netReach := append([]bool(nil), net.pm.reachFrom(net.start, use)...)
	resetCap := int32(flowInf)
	if o.Single {
		resetCap = 0
	}
	fr := net.flow(req, use, netReach, false, reset, resetCap)
	costMin = fr.cost + reset
	if o.Single {
		costMin = fr.cost + t.c0 + int64(o.ResetCost)
		return 1, costMin
	}
	// Cases: the same on the acyclic graph of components.
	comp := t.comp
	nc := int32(0)
	for v := range n {
		if reach[v] {
			nc = max(nc, comp[v]+1)
		}
	}
	var carcs []planArc
	var cneed, cuse []bool
	seen := map[[2]int32]bool{}
	for a, arc := range p.arcs {
		if !t.usable[a] {
			continue
		}
		x, y := comp[arc.From], comp[arc.To]
		if x == y {
			continue
		}
		if !needArc[a] {
			if seen[[2]int32{x, y}] {
				continue
			}
			seen[[2]int32{x, y}] = true
		}
		carcs = append(carcs, planArc{From: x, To: y, Cost: 1})
		cneed = append(cneed, needArc[a])
		cuse = append(cuse, true)
	}
	compNeed := make([]bool, nc)
	for v := range n {
		if needNode[v] && reach[v] {
			compNeed[comp[v]] = true
		}
	}
	for a, arc := range p.arcs {
		if needArc[a] && t.usable[a] && comp[arc.From] == comp[arc.To] {
			compNeed[comp[arc.From]] = true
		}
	}
	cnet, creq, cuse2 := split(nc, carcs, comp[t.s], compNeed, cneed, cuse)
	creach := append([]bool(nil), cnet.pm.reachFrom(cnet.start, cuse2)...)
	kmin = cnet.flow(creq, cuse2, creach, true, 0, flowInf).resets + 1
	if o.MaxLength > 0 {
		targets := int64(0)
		for _, s := range single {
			if s {
				targets++
			}
		}
		// A case executes at most MaxLength − c0 elements after its start.
		if per := int64(o.MaxLength) - t.c0; per > 0 {
			kmin = max(kmin, (targets+per-1)/per)
		}
	}
	costMin = max(costMin, kmin*reset)
	return kmin, costMin
}
