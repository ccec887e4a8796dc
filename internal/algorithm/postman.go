package algorithm

import "math"

// planArc is a directed arc of a planning graph.
type planArc struct {
	From, To int32
	Cost     int32 // > 0
}

// cover is the result of covering required arcs of a graph.
type cover struct {
	walk        []int32 // arcs, in walk order
	cost        int64
	bound       int64 // lower bound on the cost of any covering walk
	exact       bool  // cost == bound: no walk is shorter
	unreachable []int32
	stranded    []int32
}

// postman covers arcs of a fixed graph with short walks; it keeps its
// buffers between calls. Not safe for concurrent use.
type postman struct {
	n        int
	arcs     []planArc
	outStart []int32 // CSR over arc tails, arcs kept in index order
	outArcs  []int32

	net    flowNet
	reach  []bool
	req    []bool
	mult   []int32
	bal    []int64
	flowID []int32
	ptr    []int32
	stack  []int32
	astack []int32
	dist   []int64
	parent []int32
	heap   distHeap
}

func newPostman(n int, arcs []planArc) *postman {
	p := &postman{n: n, arcs: arcs}
	p.outStart = make([]int32, n+1)
	for _, a := range arcs {
		p.outStart[a.From+1]++
	}
	for v := range n {
		p.outStart[v+1] += p.outStart[v]
	}
	p.outArcs = make([]int32, len(arcs))
	fill := make([]int32, n)
	copy(fill, p.outStart[:n])
	for i, a := range arcs {
		p.outArcs[fill[a.From]] = int32(i)
		fill[a.From]++
	}
	return p
}

func (p *postman) out(v int32) []int32 { return p.outArcs[p.outStart[v]:p.outStart[v+1]] }

// cover plans a walk from node start that traverses every arc a with
// need[a], using only arcs with open[a] (all arcs when open is nil).
//
// It solves the open directed Chinese postman problem on the required arcs:
// the walk's extra traversals form a flow from the nodes with more required
// arcs in than out (plus the start) to those with more out than in, the end
// node being free, and the cheapest such flow is a lower bound on any
// covering walk. The required arcs plus that flow are then balanced, and
// when they are connected (always, when every arc reachable from start is
// required) an Euler walk of them is a shortest covering walk, found in
// linear time. When they are not (a required subset: the rural postman
// problem, NP-hard), the remaining closed parts are joined greedily by
// shortest paths, nearest first, and the result is marked inexact. When
// that fails, or no single walk covers every required arc (one-way parts
// of the graph), ordered covers them in the graph's one-way order and
// reports the arcs left as stranded.
//
// Time: one min-cost flow (see flowNet.minCostFlow) plus O(V+E); joining
// adds one Dijkstra, O((V+E) log V), per part joined, and the ordered
// fallback O(R·(V+E) log V) for R required arcs.
func (p *postman) cover(start int32, need, open []bool) cover {
	var res cover
	nA := len(p.arcs)
	usable := func(a int32) bool { return open == nil || open[a] }

	reach := p.reachFrom(start, open)

	p.req = resize(p.req, nA)
	nreq := 0
	for a := range nA {
		p.req[a] = false
		if !need[a] {
			continue
		}
		if usable(int32(a)) && reach[p.arcs[a].From] {
			p.req[a] = true
			nreq++
		} else {
			res.unreachable = append(res.unreachable, int32(a))
		}
	}
	if nreq == 0 {
		res.exact = true
		return res
	}

	// Balance: bal[v] = required in − required out, +1 at start; nodes
	// with bal > 0 supply extra traversals, nodes with bal < 0 need them.
	p.bal = resize(p.bal, p.n)
	clear(p.bal)
	p.bal[start] = 1
	for a := range nA {
		if p.req[a] {
			p.bal[p.arcs[a].To]++
			p.bal[p.arcs[a].From]--
		}
	}
	src, snk := int32(p.n), int32(p.n+1)
	f := &p.net
	f.reset(p.n + 2)
	p.flowID = resize(p.flowID, nA)
	for a := range nA {
		p.flowID[a] = -1
		arc := p.arcs[a]
		if arc.From != arc.To && usable(int32(a)) && reach[arc.From] {
			p.flowID[a] = f.addArc(arc.From, arc.To, flowInf, int64(arc.Cost))
		}
	}
	var want int64
	for v, b := range p.bal {
		switch {
		case b > 0:
			f.addArc(src, int32(v), int32(b), 0)
		case b < 0:
			f.addArc(int32(v), snk, int32(-b), 0)
			want += -b
		}
	}
	// The one supply unit left over marks the free end of the walk.
	sent := f.minCostFlow(src, snk, want)

	p.mult = resize(p.mult, nA)
	total := 0
	for a := range nA {
		m := int32(0)
		if p.req[a] {
			m = 1
		}
		if id := p.flowID[a]; id >= 0 {
			m += f.flow(id)
			res.bound += int64(f.flow(id)) * int64(p.arcs[a].Cost)
		}
		if p.req[a] {
			res.bound += int64(p.arcs[a].Cost)
		}
		p.mult[a] = m
		total += int(m)
	}
	if sent < want {
		// No single walk covers every required arc.
		res.bound = 0
		return p.ordered(start, open, res)
	}

	pos := start
	res.walk = p.euler(pos, res.walk)
	total -= len(res.walk)
	res.exact = total == 0
	for total > 0 {
		if len(res.walk) > 0 {
			pos = p.arcs[res.walk[len(res.walk)-1]].To
		}
		// Join the nearest part not yet walked.
		var ok bool
		res.walk, ok = p.nearest(pos, open, res.walk, func(v int32) bool {
			for _, a := range p.out(v) {
				if p.mult[a] > 0 {
					return true
				}
			}
			return false
		})
		if !ok {
			break
		}
		if len(res.walk) > 0 {
			pos = p.arcs[res.walk[len(res.walk)-1]].To
		}
		before := len(res.walk)
		res.walk = p.euler(pos, res.walk)
		total -= len(res.walk) - before
	}
	if total > 0 {
		// Some part cannot be reached from where the walk got to (a
		// one-way graph). Covering in the graph's one-way order finds a
		// walk whenever one exists.
		for _, a := range res.walk {
			p.mult[a] = 0
		}
		for a := range nA {
			if p.req[a] && p.mult[a] > 0 {
				res.stranded = append(res.stranded, int32(a))
			}
		}
		alt := p.ordered(start, open, cover{unreachable: res.unreachable})
		if len(alt.stranded) < len(res.stranded) {
			return alt
		}
	}
	for _, a := range res.walk {
		res.cost += int64(p.arcs[a].Cost)
	}
	res.exact = res.exact && len(res.stranded) == 0
	return res
}

// euler appends to walk an Euler walk from start over the arcs with
// mult > 0 reachable from start, using them up (Hierholzer, O(V+E)).
// Arcs leaving a node are tried in index order, which keeps plans
// deterministic.
func (p *postman) euler(start int32, walk []int32) []int32 {
	p.ptr = resize(p.ptr, p.n)
	copy(p.ptr, p.outStart[:p.n])
	vs := append(p.stack[:0], start)
	as := p.astack[:0]
	base := len(walk)
	for len(vs) > 0 {
		v := vs[len(vs)-1]
		end := p.outStart[v+1]
		for p.ptr[v] < end && p.mult[p.outArcs[p.ptr[v]]] == 0 {
			p.ptr[v]++
		}
		if p.ptr[v] < end {
			a := p.outArcs[p.ptr[v]]
			p.mult[a]--
			vs = append(vs, p.arcs[a].To)
			as = append(as, a)
			continue
		}
		vs = vs[:len(vs)-1]
		if len(as) > 0 {
			walk = append(walk, as[len(as)-1])
			as = as[:len(as)-1]
		}
	}
	p.stack, p.astack = vs[:0], as[:0]
	// Hierholzer emits the walk backwards.
	for i, j := base, len(walk)-1; i < j; i, j = i+1, j-1 {
		walk[i], walk[j] = walk[j], walk[i]
	}
	return walk
}

// nearest appends to walk a cheapest path from `from` to the closest node
// satisfying target (Dijkstra over usable arcs, ties to the lower arc
// index). It reports false when no such node is reachable.
func (p *postman) nearest(from int32, open []bool, walk []int32, target func(int32) bool) ([]int32, bool) {
	if target(from) {
		return walk, true
	}
	const inf = math.MaxInt64 / 4
	p.dist = resize(p.dist, p.n)
	p.parent = resize(p.parent, p.n)
	for i := range p.dist {
		p.dist[i] = inf
		p.parent[i] = -1
	}
	p.dist[from] = 0
	h := &p.heap
	h.reset()
	h.push(0, from)
	for h.len() > 0 {
		d, u := h.pop()
		if d != p.dist[u] {
			continue
		}
		if target(u) {
			base := len(walk)
			for v := u; v != from; {
				a := p.parent[v]
				walk = append(walk, a)
				v = p.arcs[a].From
			}
			for i, j := base, len(walk)-1; i < j; i, j = i+1, j-1 {
				walk[i], walk[j] = walk[j], walk[i]
			}
			return walk, true
		}
		for _, a := range p.out(u) {
			if open != nil && !open[a] {
				continue
			}
			v := p.arcs[a].To
			if nd := d + int64(p.arcs[a].Cost); nd < p.dist[v] {
				p.dist[v] = nd
				p.parent[v] = a
				h.push(nd, v)
			}
		}
	}
	return walk, false
}

// ordered covers the required arcs (p.req) in the order the graph's one-
// way structure imposes: strongly connected components in topological
// order; inside one, the nearest required arc first (all paths between
// two nodes of a component stay inside it); then the arc or path to the
// next component that has required arcs. It finds a covering walk whenever
// one exists, not a shortest one; arcs it cannot cover are stranded.
// O(R·(V+E) log V) for R required arcs.
func (p *postman) ordered(start int32, open []bool, res cover) cover {
	comp := p.components(open)
	left := 0
	for a := range p.req {
		if p.req[a] {
			left++
		}
	}
	// has reports whether node v has a required arc staying in its
	// component (inner) or leaving it.
	has := func(v int32, inner bool) bool {
		for _, a := range p.out(v) {
			if p.req[a] && (comp[p.arcs[a].To] == comp[v]) == inner {
				return true
			}
		}
		return false
	}
	pos := start
	for left > 0 {
		here := comp[pos]
		base := len(res.walk)
		inner := true
		var ok bool
		// Paths between nodes of one component stay inside it.
		res.walk, ok = p.nearest(pos, open, res.walk, func(v int32) bool { return comp[v] == here && has(v, true) })
		if !ok {
			inner = false
			res.walk, ok = p.nearest(pos, open, res.walk, func(v int32) bool { return comp[v] == here && has(v, false) })
		}
		if !ok {
			// Nothing left here: go to the earliest component, in
			// topological order, that has required arcs and can be
			// reached, then start over there.
			seen := p.reachFrom(pos, open)
			next := int32(-1)
			for a := range p.req {
				if f := p.arcs[a].From; p.req[a] && seen[f] && comp[f] > next {
					next = comp[f] // Tarjan numbers sinks first
				}
			}
			if next < 0 {
				break
			}
			res.walk, _ = p.nearest(pos, open, res.walk, func(v int32) bool { return comp[v] == next })
		} else {
			if len(res.walk) > base {
				pos = p.arcs[res.walk[len(res.walk)-1]].To
			}
			for _, a := range p.out(pos) {
				if p.req[a] && (comp[p.arcs[a].To] == comp[pos]) == inner {
					res.walk = append(res.walk, a)
					break
				}
			}
		}
		pos = p.arcs[res.walk[len(res.walk)-1]].To
		for _, a := range res.walk[base:] {
			if p.req[a] {
				p.req[a] = false
				left--
			}
		}
	}
	for a := range p.req {
		if p.req[a] {
			res.stranded = append(res.stranded, int32(a))
		}
	}
	for _, a := range res.walk {
		res.cost += int64(p.arcs[a].Cost)
	}
	return res
}

// components numbers the strongly connected components over usable arcs
// (Tarjan, iterative, O(V+E)); sink components get the lowest numbers.
func (p *postman) components(open []bool) []int32 {
	n := p.n
	comp := make([]int32, n)
	index := make([]int32, n)
	low := make([]int32, n)
	onStack := make([]bool, n)
	for i := range index {
		index[i] = -1
	}
	var stack, call []int32
	ptr := make([]int32, n)
	next, ncomp := int32(0), int32(0)
	for root := range int32(n) {
		if index[root] >= 0 {
			continue
		}
		call = append(call[:0], root)
		index[root], low[root] = next, next
		next++
		stack = append(stack, root)
		onStack[root] = true
		ptr[root] = p.outStart[root]
		for len(call) > 0 {
			v := call[len(call)-1]
			if ptr[v] < p.outStart[v+1] {
				a := p.outArcs[ptr[v]]
				ptr[v]++
				if open != nil && !open[a] {
					continue
				}
				w := p.arcs[a].To
				if index[w] < 0 {
					index[w], low[w] = next, next
					next++
					stack = append(stack, w)
					onStack[w] = true
					ptr[w] = p.outStart[w]
					call = append(call, w)
				} else if onStack[w] {
					low[v] = min(low[v], index[w])
				}
				continue
			}
			call = call[:len(call)-1]
			if len(call) > 0 {
				u := call[len(call)-1]
				low[u] = min(low[u], low[v])
			}
			if low[v] == index[v] {
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					comp[w] = ncomp
					if w == v {
						break
					}
				}
				ncomp++
			}
		}
	}
	return comp
}
