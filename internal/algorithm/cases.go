package algorithm

import (
	"fmt"
	"math"
)

// Test suites: many short walks ("cases"), each starting at the start
// element — the system under test is reset between them — that together
// cover what is needed.
//
// Covering arcs (edges, or edge pairs through the line graph) is solved
// exactly by min-cost flow with lower bounds. Let G be the planning graph,
// s the start node, c(a) the cost of arc a in executed elements, c0 the
// elements a case executes before its first arc (the start element and,
// for a start edge, its target) and R the reset cost. Add a hub node Z, an
// arc v→Z (cost 0, "a case ends at v") from every node, and an arc Z→s
// (cost c0+R, "a new case starts"). A suite of k cases is then exactly a
// walk from s to Z in that network that uses Z→s k−1 times, and its cost is
// the suite's steps + R·k − (c0+R). Writing x(a) for the traversals of arc a:
//
//	minimise  Σ c(a)·x(a) + (c0+R)·x(Z→s)
//	s.t.      x(a) ≥ 1 for every required arc a, x ≥ 0 integer,
//	          in(v) − out(v) = 0 at every node, except out(s) − in(s) = 1
//	          and in(Z) − out(Z) = 1.
//
// The lower bounds are sent up front, which leaves node imbalances, and the
// rest is one min-cost flow from the surplus nodes to the deficit nodes
// (flowNet.minCostFlow). When every arc reachable from s is required (a
// first plan of one model) the required arcs plus the flow are connected,
// so an Euler walk of them (Hierholzer) is the optimal suite; otherwise
// (some arcs not required: re-plans, jumps between models) the parts are
// joined greedily and the plan is marked inexact, the flow value staying a
// lower bound.
//
// The fewest cases is the same network with cost 0 on every arc but Z→s
// (cost 1): a min-flow with lower bounds. Its value k* bounds every suite;
// the fewest steps among suites of k* cases is then the first formulation
// with the capacity of Z→s set to k*−1.
//
// Time: each solve is one min-cost flow on V+1 nodes and E+V+1 arcs (see
// flowNet.minCostFlow) plus O(V+E) for the Euler walk; at most three solves
// per plan.
//
// With a bound on the length of a case the problem is a capacitated arc
// routing problem (NP-hard). The optimal unbounded suite is then used as a
// giant tour and split optimally into bounded cases (Ulusoy's split: a
// shortest path over the tour's required arcs, O(m·L) for m required arcs
// and L of them per case), and the plan reports the lower bound.

// CaseOptions tune a suite plan.
type CaseOptions struct {
	// ResetCost is what each case costs beyond its own steps, in steps
	// (the price of resetting the system under test).
	ResetCost int
	// MinimizeCases plans the fewest cases first, then the fewest steps;
	// otherwise the fewest steps + ResetCost × cases.
	MinimizeCases bool
	// MaxLength bounds the number of elements a case executes, its start
	// element included (0: no bound).
	MaxLength int
	// Single plans one walk from the start, no reset (re-planning the rest
	// of a case); MaxLength then bounds that walk, its first element
	// included.
	Single bool
	// Prev is, for EdgePairCases with Single from a vertex, the edge the
	// walk came in by (its pairs with the next edge count); nil when there
	// is none.
	Prev *Loc
}

// CasePlan is a planned suite.
type CasePlan struct {
	// Cases are the cases' steps, each starting with the element planned
	// from.
	Cases [][]Loc
	// Steps is the total number of steps.
	Steps int
	// CaseBound is a lower bound on the number of cases of any suite that
	// covers what this one covers.
	CaseBound int
	// CostBound is a lower bound on Steps + ResetCost × cases, among all
	// suites covering the same (when minimising steps) or among those with
	// the fewest cases (when minimising cases and no MaxLength is set).
	CostBound int
	// Exact is set when the plan is optimal for its objective.
	Exact bool
	// Unreachable lists the needed targets (indices into the list given)
	// that no walk from the start reaches through open edges.
	Unreachable []int
	// TooLong lists needed targets that can be reached, but not within
	// MaxLength.
	TooLong []int
}

// Cost is the plan's objective value in steps: Steps + ResetCost × cases.
func (pl *CasePlan) Cost(o CaseOptions) int { return pl.Steps + o.ResetCost*len(pl.Cases) }

// maxResetCost keeps costs well inside the flow's int32 capacities and
// int64 sums.
const maxResetCost = 1 << 20

func checkCaseOptions(o CaseOptions) error {
	if o.ResetCost < 0 || o.ResetCost > maxResetCost {
		return fmt.Errorf("reset cost %d is out of range (0 to %d)", o.ResetCost, maxResetCost)
	}
	if o.MaxLength < 0 {
		return fmt.Errorf("maximum case length %d is negative", o.MaxLength)
	}
	return nil
}

// caseNet is a planning graph for suites: arcs with costs, the node every
// case starts from, and c0, the elements a case executes before its first
// arc.
type caseNet struct {
	n     int
	arcs  []planArc
	start int32
	c0    int64
	pm    *postman // over arcs
}

// caseSolution is a suite as arcs of a caseNet.
type caseSolution struct {
	cases       [][]int32
	caseBound   int64
	costBound   int64 // on steps + R·cases
	exact       bool
	unreachable []int32 // needed arcs
	tooLong     []int32
}

type flowResult struct {
	mult   []int32 // per arc: traversals, required ones included
	ends   []int32 // per node: cases ending there
	passes int32   // walks through the start node
	resets int64   // cases − 1
	cost   int64   // Σ c·x + resets·resetCost
	ok     bool    // every required arc is covered
}

// The start node is split in two: cases begin at its out-half, which only
// the start's out-arcs leave, and arcs into the start reach its in-half,
// where a case may end or pass on to the out-half. So no case is empty,
// which keeps every first plan connected (a suite whose first case ends at
// once could leave the required arcs in a separate circuit).

// flow solves the formulation above. With unit set, arcs cost nothing and
// each reset costs 1 (the fewest cases).
func (g *caseNet) flow(req, usable, reach []bool, unit bool, resetCost int64, resetCap int32) flowResult {
	n := g.n
	nA := len(g.arcs)
	hub, sOut, src, snk := int32(n), int32(n+1), int32(n+2), int32(n+3)
	var f flowNet
	f.reset(n + 4)
	tail := func(arc planArc) int32 {
		if arc.From == g.start {
			return sOut
		}
		return arc.From
	}
	ids := make([]int32, nA)
	for a, arc := range g.arcs {
		ids[a] = -1
		if from := tail(arc); usable[a] && from != arc.To {
			c := int64(arc.Cost)
			if unit {
				c = 0
			}
			ids[a] = f.addArc(from, arc.To, flowInf, c)
		}
	}
	passID := f.addArc(g.start, sOut, flowInf, 0)
	endIDs := make([]int32, n)
	for v := range n {
		endIDs[v] = -1
		if reach[v] {
			endIDs[v] = f.addArc(int32(v), hub, flowInf, 0)
		}
	}
	rc := resetCost
	if unit {
		rc = 1
	}
	resetID := f.addArc(hub, sOut, resetCap, rc)
	bal := make([]int64, n+2)
	bal[sOut]++
	bal[hub]--
	for a, arc := range g.arcs {
		if req[a] {
			bal[arc.To]++
			bal[tail(arc)]--
		}
	}
	var want int64
	for v, b := range bal {
		switch {
		case b > 0:
			f.addArc(src, int32(v), int32(b), 0)
		case b < 0:
			f.addArc(int32(v), snk, int32(-b), 0)
			want -= b
		}
	}
	sent := f.minCostFlow(src, snk, want)
	r := flowResult{mult: make([]int32, nA), ends: make([]int32, n), ok: sent == want}
	for a, arc := range g.arcs {
		m := int32(0)
		if req[a] {
			m = 1
		}
		if ids[a] >= 0 {
			m += f.flow(ids[a])
		}
		r.mult[a] = m
		r.cost += int64(m) * int64(arc.Cost)
	}
	for v, id := range endIDs {
		if id >= 0 {
			r.ends[v] = f.flow(id)
		}
	}
	r.passes = f.flow(passID)
	r.resets = int64(f.flow(resetID))
	r.cost += r.resets * resetCost
	return r
}

// decompose turns a flow into cases: an Euler walk from the start through
// the arcs, the ends (v→Z), the passes through the start and the resets
// (Z→start), cut at the ends. When the flow's arcs are not all connected to
// the start, the remaining parts are joined by shortest paths (resets
// included, at resetCost) and connected is false.
func (g *caseNet) decompose(fr flowResult, usable, reach []bool, resetCost int64) (cases [][]int32, connected bool) {
	nA, n := len(g.arcs), g.n
	hub, sOut := int32(n), int32(n+1)
	aug := make([]planArc, 0, nA+n+2)
	aug = append(aug, g.arcs...)
	for a := range aug {
		if aug[a].From == g.start {
			aug[a].From = sOut
		}
	}
	for v := range n {
		if reach[v] {
			aug = append(aug, planArc{From: int32(v), To: hub})
		}
	}
	passArc := int32(len(aug))
	aug = append(aug, planArc{From: g.start, To: sOut})
	resetArc := int32(len(aug))
	aug = append(aug, planArc{From: hub, To: sOut, Cost: int32(min(resetCost, math.MaxInt32/4))})
	ap := newPostman(n+2, aug)
	ap.mult = make([]int32, len(aug))
	open := make([]bool, len(aug))
	total := 0
	copy(ap.mult, fr.mult)
	copy(open, usable)
	for i, a := nA, 0; i < int(passArc); i++ {
		for !reach[a] {
			a++
		}
		ap.mult[i] = fr.ends[a]
		open[i] = true
		a++
	}
	ap.mult[passArc] = fr.passes
	ap.mult[resetArc] = int32(fr.resets)
	open[passArc], open[resetArc] = true, true
	for _, m := range ap.mult {
		total += int(m)
	}
	walk := ap.euler(sOut, nil)
	total -= len(walk)
	connected = total == 0
	for total > 0 {
		// Join from where the last case ended, not from the hub: going
		// on may be cheaper than a reset.
		if k := len(walk) - 1; k >= 0 && aug[walk[k]].To == hub && walk[k] != resetArc {
			ap.mult[walk[k]]++
			total++
			walk = walk[:k]
		}
		pos := sOut
		if len(walk) > 0 {
			pos = aug[walk[len(walk)-1]].To
		}
		var ok bool
		walk, ok = ap.nearest(pos, open, walk, func(v int32) bool {
			for _, a := range ap.out(v) {
				if a < int32(nA) && ap.mult[a] > 0 {
					return true
				}
			}
			return false
		})
		if !ok {
			break // cannot happen: a reset leads back to every reachable part
		}
		if len(walk) > 0 {
			pos = aug[walk[len(walk)-1]].To
		}
		before := len(walk)
		walk = ap.euler(pos, walk)
		total -= len(walk) - before
	}
	var cur []int32
	for _, a := range walk {
		switch {
		case a == resetArc || a == passArc:
		case a >= int32(nA):
			if len(cur) > 0 {
				cases = append(cases, cur)
			}
			cur = nil
		default:
			cur = append(cur, a)
		}
	}
	if len(cur) > 0 {
		cases = append(cases, cur)
	}
	return cases, connected
}

// dijkstra is the cost of the cheapest path from `from` to every node over
// usable arcs, and the last arc of one such path (-1 when none).
func (g *caseNet) dijkstra(from int32, usable []bool) ([]int64, []int32) {
	pm := g.pm
	dist := make([]int64, g.n)
	parent := make([]int32, g.n)
	for i := range dist {
		dist[i] = math.MaxInt64 / 4
		parent[i] = -1
	}
	dist[from] = 0
	var h distHeap
	h.push(0, from)
	for h.len() > 0 {
		d, u := h.pop()
		if d != dist[u] {
			continue
		}
		for _, a := range pm.out(u) {
			if !usable[a] {
				continue
			}
			v := g.arcs[a].To
			if nd := d + int64(g.arcs[a].Cost); nd < dist[v] {
				dist[v] = nd
				parent[v] = a
				h.push(nd, v)
			}
		}
	}
	return dist, parent
}

func pathTo(arcs []planArc, parent []int32, to int32, out []int32) []int32 {
	base := len(out)
	for v := to; parent[v] >= 0; v = arcs[parent[v]].From {
		out = append(out, parent[v])
	}
	for i, j := base, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

const unreachableDist = math.MaxInt64 / 4

// solve plans a suite covering the arcs with need set, through open arcs
// (nil: all).
func (g *caseNet) solve(need, open []bool, o CaseOptions) caseSolution {
	var sol caseSolution
	nA := len(g.arcs)
	reach := append([]bool(nil), g.pm.reachFrom(g.start, open)...)
	usable := make([]bool, nA)
	req := make([]bool, nA)
	for a, arc := range g.arcs {
		usable[a] = (open == nil || open[a]) && reach[arc.From]
		if !need[a] {
			continue
		}
		if usable[a] {
			req[a] = true
		} else {
			sol.unreachable = append(sol.unreachable, int32(a))
		}
	}
	var distS []int64
	var parentS []int32
	if o.MaxLength > 0 {
		distS, parentS = g.dijkstra(g.start, usable)
		for a, arc := range g.arcs {
			if req[a] && g.c0+distS[arc.From]+int64(arc.Cost) > int64(o.MaxLength) {
				req[a] = false
				sol.tooLong = append(sol.tooLong, int32(a))
			}
		}
	}
	nreq, reqCost, minCost := int64(0), int64(0), int64(math.MaxInt32)
	for a, r := range req {
		if r {
			nreq++
			reqCost += int64(g.arcs[a].Cost)
			minCost = min(minCost, int64(max(g.arcs[a].Cost, 1)))
		}
	}
	if nreq == 0 {
		sol.exact = true
		return sol
	}
	if o.Single {
		return g.single(sol, req, usable, o)
	}
	R := int64(o.ResetCost)
	reset := g.c0 + R
	kmin := g.flow(req, usable, reach, true, 0, flowInf).resets + 1
	best := g.flow(req, usable, reach, false, reset, flowInf)
	fr := best
	if o.MinimizeCases && best.resets+1 > kmin {
		fr = g.flow(req, usable, reach, false, reset, int32(kmin-1))
	}
	// fr.cost counts c0+R for every case but the first.
	costOf := func(f flowResult) int64 { return f.cost + reset }
	joinCost := reset
	if o.MinimizeCases {
		joinCost = math.MaxInt32 / 4 // join parts without a reset when a path exists
	}
	cases, connected := g.decompose(fr, usable, reach, joinCost)
	if !connected {
		cases = g.improve(cases, fr, req, usable, reach, joinCost, kmin, o)
	}
	sol.cases = cases
	sol.caseBound = kmin
	sol.costBound = costOf(best)
	if o.MinimizeCases && connected {
		// k* cases are then achievable, and fr is the cheapest of them.
		sol.costBound = costOf(fr)
	}
	sol.exact = connected
	if o.MaxLength == 0 {
		return sol
	}
	sol.cases = g.split(cases, req, usable, distS, parentS, o)
	perCase := (int64(o.MaxLength) - g.c0) / minCost
	sol.caseBound = max(kmin, (nreq+perCase-1)/perCase)
	sol.costBound = max(costOf(best), reqCost+sol.caseBound*reset)
	var cost int64
	for _, c := range sol.cases {
		cost += reset
		for _, a := range c {
			cost += int64(g.arcs[a].Cost)
		}
	}
	if o.MinimizeCases {
		sol.exact = int64(len(sol.cases)) == sol.caseBound && cost == sol.costBound
	} else {
		sol.exact = cost == sol.costBound
	}
	return sol
}

// better reports whether suite a beats suite b for the objective.
func (g *caseNet) better(a, b [][]int32, o CaseOptions) bool {
	cost := func(cs [][]int32) int64 {
		var c int64
		for _, x := range cs {
			c += g.c0 + int64(o.ResetCost)
			for _, arc := range x {
				c += int64(g.arcs[arc].Cost)
			}
		}
		return c
	}
	if o.MinimizeCases && len(a) != len(b) {
		return len(a) < len(b)
	}
	return cost(a) < cost(b)
}

// improve tries two other suites when the flow's arcs were not connected
// (a rural postman problem: arcs that are not needed, such as jumps
// between models, are needed to connect the rest), and keeps the best of
// three: the parts connected to the start's part nearest first by shortest
// paths, as required arcs, and the flow solved again (Frederickson's
// heuristic); and the single walk of the open postman.
func (g *caseNet) improve(cases [][]int32, fr flowResult, req, usable, reach []bool, joinCost, kmin int64, o CaseOptions) [][]int32 {
	n := g.n
	pm := g.pm
	inMain := make([]bool, n)
	var stack []int32
	mark := func(v int32) {
		// Everything the flow's arcs reach from v joins the main part.
		if inMain[v] {
			return
		}
		inMain[v] = true
		stack = append(stack[:0], v)
		for len(stack) > 0 {
			u := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, a := range pm.out(u) {
				if t := g.arcs[a].To; fr.mult[a] > 0 && !inMain[t] {
					inMain[t] = true
					stack = append(stack, t)
				}
			}
		}
	}
	mark(g.start)
	req2 := append([]bool(nil), req...)
	dist := make([]int64, n)
	parent := make([]int32, n)
	for {
		var h distHeap
		for v := range n {
			dist[v], parent[v] = unreachableDist, -1
			if inMain[v] {
				dist[v] = 0
				h.push(0, int32(v))
			}
		}
		for h.len() > 0 {
			d, u := h.pop()
			if d != dist[u] {
				continue
			}
			for _, a := range pm.out(u) {
				if !usable[a] {
					continue
				}
				if t, nd := g.arcs[a].To, d+int64(g.arcs[a].Cost); nd < dist[t] {
					dist[t], parent[t] = nd, a
					h.push(nd, t)
				}
			}
		}
		next := int32(-1)
		for a, arc := range g.arcs {
			if req[a] && !inMain[arc.From] && dist[arc.From] < unreachableDist && (next < 0 || dist[arc.From] < dist[next]) {
				next = arc.From
			}
		}
		if next < 0 {
			break
		}
		for _, a := range pathTo(g.arcs, parent, next, nil) {
			req2[a] = true
			inMain[g.arcs[a].To] = true
		}
		inMain[next] = false
		mark(next)
	}
	resetCap := int32(flowInf)
	if o.MinimizeCases {
		resetCap = int32(kmin - 1)
	}
	reset := g.c0 + int64(o.ResetCost)
	fr2 := g.flow(req2, usable, reach, false, reset, resetCap)
	if !fr2.ok {
		fr2 = g.flow(req2, usable, reach, false, reset, flowInf)
	}
	if alt, _ := g.decompose(fr2, usable, reach, joinCost); g.better(alt, cases, o) {
		cases = alt
	}
	if c := pm.cover(g.start, req, usable); len(c.stranded) == 0 && len(c.walk) > 0 {
		if alt := [][]int32{c.walk}; g.better(alt, cases, o) {
			cases = alt
		}
	}
	return cases
}

// single is one walk from the start: the open postman (postman.cover), cut
// at MaxLength; what the walk cannot cover is unreachable from here.
func (g *caseNet) single(sol caseSolution, req, usable []bool, o CaseOptions) caseSolution {
	c := g.pm.cover(g.start, req, usable)
	sol.unreachable = append(sol.unreachable, c.unreachable...)
	sol.unreachable = append(sol.unreachable, c.stranded...)
	sol.exact = c.exact
	sol.caseBound = 1
	sol.costBound = g.c0 + c.bound + int64(o.ResetCost)
	walk := c.walk
	if o.MaxLength > 0 {
		// Keep the longest prefix within the bound that ends just after a
		// required arc is first walked; the rest is too long.
		seen := make(map[int32]bool)
		length, keep := g.c0, 0
		for i, a := range walk {
			length += int64(g.arcs[a].Cost)
			if length > int64(o.MaxLength) {
				break
			}
			if req[a] && !seen[a] {
				seen[a] = true
				keep = i + 1
			}
		}
		for a, r := range req {
			if r && !seen[int32(a)] && !contains(c.stranded, int32(a)) {
				sol.tooLong = append(sol.tooLong, int32(a))
			}
		}
		if keep < len(walk) {
			sol.exact = false
		}
		walk = walk[:keep]
	}
	if len(walk) > 0 {
		sol.cases = [][]int32{walk}
	}
	return sol
}

func contains(s []int32, x int32) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

// split cuts a suite into cases of at most o.MaxLength elements: the
// required arcs, in the order the suite first walks them, are split into
// consecutive runs by a shortest path over run boundaries (Ulusoy's
// split); each run is a case from the start, by a shortest path to its
// first arc, then along the suite (or a shortest path where the suite
// resets) to its last.
func (g *caseNet) split(cases [][]int32, req, usable []bool, distS []int64, parentS []int32, o CaseOptions) [][]int32 {
	var tour []int32
	var caseOf []int32
	for k, c := range cases {
		for _, a := range c {
			tour = append(tour, a)
			caseOf = append(caseOf, int32(k))
		}
	}
	prefix := make([]int64, len(tour)+1)
	for i, a := range tour {
		prefix[i+1] = prefix[i] + int64(g.arcs[a].Cost)
	}
	seen := make([]bool, len(g.arcs))
	var firsts []int // tour positions
	for i, a := range tour {
		if req[a] && !seen[a] {
			seen[a] = true
			firsts = append(firsts, i)
		}
	}
	m := len(firsts)
	if m == 0 {
		return nil
	}
	// conn[k]: cost from the end of firsts[k] to the start of firsts[k+1].
	conn := make([]int64, m)
	for k := 0; k+1 < m; k++ {
		i, j := firsts[k], firsts[k+1]
		if caseOf[i] == caseOf[j] {
			conn[k] = prefix[j] - prefix[i+1]
			continue
		}
		dist, _ := g.dijkstra(g.arcs[tour[i]].To, usable)
		conn[k] = dist[g.arcs[tour[j]].From]
	}
	R := int64(o.ResetCost)
	limit := int64(o.MaxLength)
	const caseWeight = int64(1) << 40
	objective := func(length int64) int64 {
		if o.MinimizeCases {
			return caseWeight + length
		}
		return length + R
	}
	best := make([]int64, m+1)
	from := make([]int, m+1)
	for i := 1; i <= m; i++ {
		best[i] = math.MaxInt64
	}
	for i := 1; i <= m; i++ {
		if best[i-1] == math.MaxInt64 {
			continue
		}
		first := tour[firsts[i-1]]
		length := g.c0 + distS[g.arcs[first].From] + int64(g.arcs[first].Cost)
		for j := i; j <= m; j++ {
			if j > i {
				if conn[j-2] >= unreachableDist {
					break
				}
				length += conn[j-2] + int64(g.arcs[tour[firsts[j-1]]].Cost)
			}
			if length > limit {
				break
			}
			if v := best[i-1] + objective(length); v < best[j] {
				best[j], from[j] = v, i
			}
		}
	}
	var runs [][2]int
	for j := m; j > 0; j = from[j] - 1 {
		runs = append(runs, [2]int{from[j], j})
	}
	out := make([][]int32, 0, len(runs))
	for r := len(runs) - 1; r >= 0; r-- {
		i, j := runs[r][0], runs[r][1]
		first := tour[firsts[i-1]]
		c := pathTo(g.arcs, parentS, g.arcs[first].From, nil)
		c = append(c, first)
		for k := i; k < j; k++ {
			a, b := firsts[k-1], firsts[k]
			if caseOf[a] == caseOf[b] {
				c = append(c, tour[a+1:b+1]...)
				continue
			}
			to := g.arcs[tour[b]].From
			c, _ = g.pm.nearest(g.arcs[tour[a]].To, usable, c, func(v int32) bool { return v == to })
			c = append(c, tour[b])
		}
		out = append(out, c)
	}
	return out
}

// EdgeCases plans a suite of cases from `from` (the start element) that
// together walk every edge in need, through edges open accepts (nil: all;
// shared-state jumps are always open). See the comment at the top of this
// file for the formulation: exact (fewest steps + ResetCost per case, or
// fewest cases then fewest steps) without MaxLength whenever the flow's
// arcs are connected — always when every edge reachable from the start is
// needed — and a split of the exact plan with a lower bound otherwise.
// Unreachable and TooLong index need.
func (p *Planner) EdgeCases(from Loc, need []Loc, open func(Loc) bool, o CaseOptions) (*CasePlan, error) {
	if err := checkCaseOptions(o); err != nil {
		return nil, err
	}
	s, lead, err := p.start(from)
	if err != nil {
		return nil, err
	}
	pl := &CasePlan{}
	req := make([]bool, len(p.arcs))
	who := make([]int, len(p.arcs))
	atStart := false
	for i, l := range need {
		if l.Model < 0 || l.Model >= len(p.models) || !p.models[l.Model].IsEdge(l.Element) {
			return nil, fmt.Errorf("plan: %v is not an edge", l)
		}
		if l == from {
			atStart = true // every case walks it
			continue
		}
		a := p.edgeArc[l.Model][l.Element-len(p.models[l.Model].Vertices)]
		if a < 0 {
			pl.Unreachable = append(pl.Unreachable, i)
			continue
		}
		req[a] = true
		who[a] = i
	}
	g := &caseNet{n: p.pm.n, arcs: p.arcs, start: s, c0: int64(1 + len(lead)), pm: p.pm}
	sol := g.solve(req, p.openArcs(open), o)
	p.finish(pl, sol, from, lead, o, atStart, func(a int32) int { return who[a] }, func(a int32) int32 { return a })
	return pl, nil
}

// finish fills a CasePlan from a solution over a caseNet whose arc a walks
// the planning arc arcOf(a).
func (p *Planner) finish(pl *CasePlan, sol caseSolution, from Loc, lead []Loc, o CaseOptions, atStart bool, target func(int32) int, arcOf func(int32) int32) {
	for _, a := range sol.unreachable {
		pl.Unreachable = append(pl.Unreachable, target(a))
	}
	for _, a := range sol.tooLong {
		pl.TooLong = append(pl.TooLong, target(a))
	}
	c0 := 1 + len(lead)
	if len(sol.cases) == 0 && atStart && (o.MaxLength == 0 || c0 <= o.MaxLength) {
		sol.cases = [][]int32{nil} // only the start itself is needed
		sol.caseBound, sol.costBound = 1, int64(c0+o.ResetCost)
	}
	var walk []int32
	for _, c := range sol.cases {
		steps := append([]Loc{from}, lead...)
		walk = walk[:0]
		for _, a := range c {
			walk = append(walk, arcOf(a))
		}
		steps = p.steps(steps, walk)
		pl.Cases = append(pl.Cases, steps)
		pl.Steps += len(steps)
	}
	pl.CaseBound = int(sol.caseBound)
	pl.CostBound = int(sol.costBound)
	pl.Exact = sol.exact
}
