package layout

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/gw-project/gw/internal/limits"
)

// The layered engine (Sugiyama, Tagawa and Toda; the method of Graphviz's
// dot, simplified where dot's refinements cost more than they show):
//
//  1. components are laid out one by one, then packed in rows;
//  2. cycles are broken by reversing the edges that go against a
//     breadth-first numbering from the start element;
//  3. ranks are longest paths from the top, then each node moves to the
//     median rank of its neighbours where its edges allow (shorter edges,
//     fewer bend points); ranks are doubled so that every edge gets a
//     middle rank holding its label (labels and parallel edges then have
//     slots of their own and never sit on each other);
//  4. an edge spanning ranks becomes a chain of bend points ("dummies");
//  5. orders within ranks come from barycenter sweeps, keeping the order
//     with the fewest crossings, for a number of sweeps bounded by size;
//  6. x positions minimise the weighted squared length of edges under the
//     ranks' spacing (isotonic regression, solved exactly per rank by
//     pool-adjacent-violators), weighting long edges so they run straight;
//  7. edges run straight down through their slots and bend only in the
//     gaps between ranks, so no edge crosses a box.

type nodeKind uint8

const (
	kindVertex nodeKind = iota
	kindDot             // the start dot of a source-less edge
	kindDummy           // a bend point
	kindLabel           // a bend point carrying the edge's label
)

type lnode struct {
	kind        nodeKind
	rank        int32
	edge        int32   // model edge of a dummy, a label or a dot
	w, h        float64 // the box (a vertex's or a label's)
	right       float64 // extra room right of the box: self-loops
	up, down    []int32 // neighbours in the ranks above and below
	x, y        float64 // centre of the box
	top, bottom float64 // the band of its rank, which its edges run straight through
	pos         int32   // index in its rank
	seen        bool
}

// chain is the run of nodes a model edge is drawn through, top to bottom.
type chain struct {
	edge     int
	nodes    []int32
	reversed bool
}

// ledge is a layout edge between two nodes: a model edge between
// distinct vertices, or from a start dot.
type ledge struct{ a, b, edge int32 }

type layered struct {
	g      *graph
	nodes  []lnode
	chains []chain
	dotOf  map[int]int32 // model edge -> its start dot node
}

func (g *graph) layered(o Options, name string) error {
	if n := g.m.NumElements(); n > o.MaxLayered {
		return &limits.Error{
			What:  fmt.Sprintf("model %q has %d elements", name, n),
			Limit: fmt.Sprintf("the layered layout takes models of up to %d elements", o.MaxLayered),
			Flag:  o.LayeredFlag, Kind: limits.ErrSize,
		}
	}
	L := &layered{g: g, dotOf: map[int]int32{}}
	nv := len(g.vsize)
	L.nodes = make([]lnode, nv, nv+len(g.edges))
	for v, s := range g.vsize {
		lw, lh := g.loopReach(v)
		L.nodes[v] = lnode{kind: kindVertex, w: s.X, h: math.Max(s.Y, lh), right: lw, edge: -1}
	}
	// Layout edges: model edges between distinct nodes, top to bottom.
	var edges []ledge
	for j, e := range g.edges {
		if e.dst < 0 || e.src == e.dst {
			continue
		}
		a := int32(e.src)
		if e.src < 0 {
			a = int32(len(L.nodes))
			L.nodes = append(L.nodes, lnode{kind: kindDot, w: dotSize * g.scale, h: dotSize * g.scale, edge: int32(j)})
			L.dotOf[j] = a
		}
		edges = append(edges, ledge{a, int32(e.dst), int32(j)})
	}
	n := len(L.nodes)
	out := make([][]int32, n) // indices into edges
	in := make([][]int32, n)
	for i, e := range edges {
		out[e.a] = append(out[e.a], int32(i))
		in[e.b] = append(in[e.b], int32(i))
	}
	// The node the drawing starts from: the start vertex, or the source
	// (or start dot) of the start edge.
	start := int32(-1)
	if el := g.m.StartElement(); el >= 0 {
		if g.m.IsVertex(el) {
			start = int32(el)
		} else {
			j := el - nv
			if d, ok := L.dotOf[j]; ok {
				start = d
			} else if g.edges[j].src >= 0 {
				start = int32(g.edges[j].src)
			}
		}
	}
	comps := components(n, func(yield func(a, b int32)) {
		for _, e := range edges {
			yield(e.a, e.b)
		}
	})
	slices.SortStableFunc(comps, func(a, b []int32) int {
		return cmp.Compare(b2i(slices.Contains(b, start)), b2i(slices.Contains(a, start)))
	})

	reversed, roots := breakCycles(n, start, edges, out, in)
	rank := assignRanks(n, edges, reversed)
	for v := range n {
		L.nodes[v].rank = 2 * rank[v]
	}

	// 4. Chains of bend points, counted first so that the limit holds
	// before anything is allocated, and so that every list is allocated
	// once: a node's lists are cut from two slabs, one entry per link.
	dummies := 0
	ups, downs := make([]int, n), make([]int, n)
	for i, e := range edges {
		a, b := e.a, e.b
		if reversed[i] {
			a, b = b, a
		}
		downs[a]++
		ups[b]++
		dummies += int(L.nodes[b].rank - L.nodes[a].rank - 1)
		if dummies > o.MaxDummies {
			return &limits.Error{
				What:  fmt.Sprintf("model %q", name),
				Limit: fmt.Sprintf("its layered drawing needs more than %d bend points (long edges across many ranks); use --layout grid", o.MaxDummies),
				Kind:  limits.ErrSize,
			}
		}
	}
	links := len(edges) + dummies
	upSlab, downSlab := make([]int32, links), make([]int32, links)
	cut := func(slab *[]int32, k int) []int32 {
		s := (*slab)[:0:k]
		*slab = (*slab)[k:]
		return s
	}
	for v := range n {
		L.nodes[v].up, L.nodes[v].down = cut(&upSlab, ups[v]), cut(&downSlab, downs[v])
	}
	L.nodes = slices.Grow(L.nodes, dummies)
	L.chains = make([]chain, 0, len(edges))
	chainSlab := make([]int32, 0, 2*len(edges)+dummies)
	for i, e := range edges {
		a, b := e.a, e.b
		if reversed[i] {
			a, b = b, a
		}
		ra, rb := L.nodes[a].rank, L.nodes[b].rank
		j := int(e.edge)
		c := chain{edge: j, reversed: reversed[i]}
		start := len(chainSlab)
		chainSlab = append(chainSlab, a)
		span := (rb - ra) / 2
		labelRank := ra + 1 + 2*((span-1)/2)
		for r := ra + 1; r < rb; r++ {
			d := lnode{kind: kindDummy, rank: r, w: dummyW * g.scale, edge: int32(j),
				up: cut(&upSlab, 1), down: cut(&downSlab, 1)}
			if r == labelRank && g.esize[j].X > 0 {
				d.kind = kindLabel
				d.w += g.esize[j].X
				d.h = g.esize[j].Y
			}
			chainSlab = append(chainSlab, int32(len(L.nodes)))
			L.nodes = append(L.nodes, d)
		}
		chainSlab = append(chainSlab, b)
		c.nodes = chainSlab[start:len(chainSlab):len(chainSlab)]
		for k := 1; k < len(c.nodes); k++ {
			p, q := c.nodes[k-1], c.nodes[k]
			L.nodes[p].down = append(L.nodes[p].down, q)
			L.nodes[q].up = append(L.nodes[q].up, p)
		}
		L.chains = append(L.chains, c)
	}
	// Bend points belong to the component of their edge.
	compOf := make([]int, n)
	for ci, c := range comps {
		for _, v := range c {
			compOf[v] = ci
		}
	}
	members := make([][]int32, len(comps))
	for ci, c := range comps {
		members[ci] = append(members[ci], c...)
	}
	for _, c := range L.chains {
		ci := compOf[c.nodes[0]]
		members[ci] = append(members[ci], c.nodes[1:len(c.nodes)-1]...)
	}

	// 5–7 per component, then pack the components in rows.
	boxes := make([]Rect, len(comps))
	var area, widest float64
	for ci := range comps {
		boxes[ci] = L.component(comps[ci], members[ci], roots)
		area += (boxes[ci].W + componentGa) * (boxes[ci].H + componentGa)
		widest = math.Max(widest, boxes[ci].W)
	}
	rowW := math.Max(widest, 1.5*math.Sqrt(area))
	var x, y, rowH float64
	for ci, b := range boxes {
		if x > 0 && x+b.W > rowW {
			x, y, rowH = 0, y+rowH+componentGa*g.scale, 0
		}
		L.shift(members[ci], x-b.X, y-b.Y)
		x += b.W + componentGa*g.scale
		rowH = math.Max(rowH, b.H)
	}
	L.emit()
	return nil
}

// breakCycles numbers the nodes breadth-first from the start, then from
// sources, then from anything left, following edges in model order, and
// reverses the edges that go against that order. (Depth-first, as dot
// does, turns a walk of the whole model into one long path, and the drawing
// of a dense model hundreds of ranks deep; breadth-first ranks read as
// "steps from the start".) It returns the reversed edges and the roots in
// the order they were tried.
func breakCycles(n int, start int32, edges []ledge, out, in [][]int32) (reversed []bool, roots []int32) {
	if start >= 0 {
		roots = append(roots, start)
	}
	for v := range int32(n) {
		if len(in[v]) == 0 {
			roots = append(roots, v)
		}
	}
	for v := range int32(n) {
		roots = append(roots, v)
	}
	order := make([]int32, n)
	for i := range order {
		order[i] = -1
	}
	next := int32(0)
	var queue []int32
	for _, r := range roots {
		if order[r] >= 0 {
			continue
		}
		order[r] = next
		next++
		queue = append(queue[:0], r)
		for i := 0; i < len(queue); i++ {
			for _, ei := range out[queue[i]] {
				if w := edges[ei].b; order[w] < 0 {
					order[w] = next
					next++
					queue = append(queue, w)
				}
			}
		}
	}
	// An edge out of a source lies on no cycle: it keeps its direction,
	// so that a start dot, for one, stays above its vertex.
	reversed = make([]bool, len(edges))
	for i, e := range edges {
		reversed[i] = order[e.b] < order[e.a] && len(in[e.a]) > 0
	}
	return reversed, roots
}

// assignRanks gives each node a rank: the longest path to it from the
// sources of the acyclic graph, then balanced (balanceRanks).
func assignRanks(n int, edges []ledge, reversed []bool) []int32 {
	dout := make([][]int32, n)
	din := make([][]int32, n)
	for i, e := range edges {
		a, b := e.a, e.b
		if reversed[i] {
			a, b = b, a
		}
		dout[a] = append(dout[a], b)
		din[b] = append(din[b], a)
	}
	indeg := make([]int, n)
	topo := make([]int32, 0, n)
	for v := range n {
		if indeg[v] = len(din[v]); indeg[v] == 0 {
			topo = append(topo, int32(v))
		}
	}
	for i := 0; i < len(topo); i++ {
		for _, w := range dout[topo[i]] {
			if indeg[w]--; indeg[w] == 0 {
				topo = append(topo, w)
			}
		}
	}
	rank := make([]int32, n)
	for _, v := range topo {
		for _, w := range dout[v] {
			rank[w] = max(rank[w], rank[v]+1)
		}
	}
	balanceRanks(rank, din, dout, topo)
	return rank
}

// balanceRanks moves each node, within the ranks its edges allow, to the
// median rank of its neighbours, which shortens the edges (fewer bend
// points) without breaking any; passes repeat while something moves, at
// most a few times.
func balanceRanks(rank []int32, din, dout [][]int32, order []int32) {
	var nb []int32
	for range 8 {
		moved := false
		for _, v := range order {
			if len(din[v])+len(dout[v]) == 0 {
				continue
			}
			lo, hi := int32(math.MinInt32), int32(math.MaxInt32)
			nb = nb[:0]
			for _, p := range din[v] {
				lo = max(lo, rank[p]+1)
				nb = append(nb, rank[p])
			}
			for _, s := range dout[v] {
				hi = min(hi, rank[s]-1)
				nb = append(nb, rank[s])
			}
			slices.Sort(nb)
			// Any rank between the two middle values is optimal; take
			// the one nearest to where v is.
			m1, m2 := nb[(len(nb)-1)/2], nb[len(nb)/2]
			t := min(max(rank[v], m1), m2)
			t = min(max(t, lo), hi)
			if t != rank[v] {
				rank[v] = t
				moved = true
			}
		}
		if !moved {
			return
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// components lists the weakly connected components of nodes 0..n-1, each
// sorted, in the order of their smallest node.
func components(n int, edges func(yield func(a, b int32))) [][]int32 {
	parent := make([]int32, n)
	for i := range parent {
		parent[i] = int32(i)
	}
	var find func(int32) int32
	find = func(v int32) int32 {
		for parent[v] != v {
			parent[v] = parent[parent[v]]
			v = parent[v]
		}
		return v
	}
	edges(func(a, b int32) {
		ra, rb := find(a), find(b)
		if ra != rb {
			if ra < rb {
				parent[rb] = ra
			} else {
				parent[ra] = rb
			}
		}
	})
	index := map[int32]int{}
	var comps [][]int32
	for v := range int32(n) {
		r := find(v)
		ci, ok := index[r]
		if !ok {
			ci = len(comps)
			index[r] = ci
			comps = append(comps, nil)
		}
		comps[ci] = append(comps[ci], v)
	}
	return comps
}

// component orders and places the nodes of one component (real nodes
// comp, all nodes all) and returns its bounding box.
func (L *layered) component(comp, all []int32, roots []int32) Rect {
	// Ranks, normalised to start at 0.
	minRank := int32(math.MaxInt32)
	for _, v := range all {
		minRank = min(minRank, L.nodes[v].rank)
	}
	maxRank := int32(0)
	for _, v := range all {
		L.nodes[v].rank -= minRank
		maxRank = max(maxRank, L.nodes[v].rank)
	}
	layers := make([][]int32, maxRank+1)
	// Initial order: depth-first discovery from the roots, down the chains.
	inComp := map[int32]bool{}
	for _, v := range comp {
		inComp[v] = true
	}
	var stack []int32
	for _, r := range roots {
		if !inComp[r] || L.nodes[r].seen {
			continue
		}
		stack = append(stack[:0], r)
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			nd := &L.nodes[v]
			if nd.seen {
				continue
			}
			nd.seen = true
			layers[nd.rank] = append(layers[nd.rank], v)
			for k := len(nd.down) - 1; k >= 0; k-- {
				if w := nd.down[k]; !L.nodes[w].seen {
					stack = append(stack, w)
				}
			}
			for k := len(nd.up) - 1; k >= 0; k-- {
				if w := nd.up[k]; !L.nodes[w].seen {
					stack = append(stack, w)
				}
			}
		}
	}
	L.setPositions(layers)
	L.order(layers)
	L.placeX(layers)
	return L.placeY(layers, all)
}

func (L *layered) setPositions(layers [][]int32) {
	for _, layer := range layers {
		for i, v := range layer {
			L.nodes[v].pos = int32(i)
		}
	}
}

// sweepBudget bounds the node visits of the ordering sweeps, maxSweeps
// their number: on SuperLarge and on random models of 1,000 vertices and
// 5,000–9,000 edges, more sweeps than that changed the crossings by less
// than 1 %.
const sweepBudget, maxSweeps = 3_000_000, 12

// order reduces crossings with barycenter sweeps, down then up, keeping the
// best order seen.
func (L *layered) order(layers [][]int32) {
	links := 0
	for _, layer := range layers {
		for _, v := range layer {
			links += len(L.nodes[v].down) + 1
		}
	}
	sweeps := min(maxSweeps, max(2, sweepBudget/(2*links+1)))
	best := L.crossings(layers)
	saved := cloneLayers(layers)
	var buf []keyed
	stale := 0
	for it := 0; it < sweeps && best > 0 && stale < 4; it++ {
		for r := 1; r < len(layers); r++ {
			L.sortByBarycenter(layers[r], true, len(layers[r-1]), &buf)
		}
		for r := len(layers) - 2; r >= 0; r-- {
			L.sortByBarycenter(layers[r], false, len(layers[r+1]), &buf)
		}
		if c := L.crossings(layers); c < best {
			best, stale = c, 0
			saved = cloneLayers(layers)
		} else {
			stale++
		}
	}
	for r := range layers {
		copy(layers[r], saved[r])
	}
	L.setPositions(layers)
}

func cloneLayers(layers [][]int32) [][]int32 {
	out := make([][]int32, len(layers))
	for i, l := range layers {
		out[i] = slices.Clone(l)
	}
	return out
}

// keyed is a node of a rank with its sort key; pos breaks ties, keeping
// the order stable and the result deterministic.
type keyed struct {
	bary float64
	pos  int32
	v    int32
}

// sortByBarycenter orders a rank by the mean position of each node's
// neighbours in the fixed rank (of size fixed) above or below. Positions
// are taken as fractions of their rank's width, so that a node without
// such neighbours, which keeps its own place, compares fairly with the
// others when the two ranks differ in size.
func (L *layered) sortByBarycenter(layer []int32, fromAbove bool, fixed int, buf *[]keyed) {
	ks := (*buf)[:0]
	own, other := float64(len(layer)), float64(fixed)
	for _, v := range layer {
		nd := &L.nodes[v]
		nb := nd.down
		if fromAbove {
			nb = nd.up
		}
		k := keyed{(float64(nd.pos) + 0.5) / own, nd.pos, v}
		if len(nb) > 0 {
			var s float64
			for _, w := range nb {
				s += float64(L.nodes[w].pos) + 0.5
			}
			k.bary = s / float64(len(nb)) / other
		}
		ks = append(ks, k)
	}
	*buf = ks
	byKey := func(a, b keyed) int { return cmp.Or(cmp.Compare(a.bary, b.bary), cmp.Compare(a.pos, b.pos)) }
	if slices.IsSortedFunc(ks, byKey) {
		return // nodes are in position order already
	}
	slices.SortFunc(ks, byKey)
	for i, k := range ks {
		layer[i] = k.v
		L.nodes[k.v].pos = int32(i)
	}
}

// crossings counts edge crossings between consecutive ranks (Barth, Jünger
// and Mutzel's accumulator tree).
func (L *layered) crossings(layers [][]int32) int {
	total := 0
	var pairs [][2]int32
	for r := 0; r+1 < len(layers); r++ {
		pairs = pairs[:0]
		for _, v := range layers[r] {
			for _, w := range L.nodes[v].down {
				pairs = append(pairs, [2]int32{L.nodes[v].pos, L.nodes[w].pos})
			}
		}
		slices.SortFunc(pairs, func(a, b [2]int32) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
		size := len(layers[r+1])
		tree := make([]int, size+1) // Fenwick tree over target positions
		for i, p := range pairs {
			// Crossings: earlier edges ending right of p's end.
			less := 0
			for k := int(p[1]) + 1; k > 0; k -= k & -k {
				less += tree[k]
			}
			total += i - less
			for k := int(p[1]) + 1; k <= size; k += k & -k {
				tree[k]++
			}
		}
	}
	return total
}

// gapBetween is the least room between the boxes of neighbours a and b.
func (L *layered) gapBetween(a, b int32) float64 {
	if L.nodes[a].kind == kindVertex && L.nodes[b].kind == kindVertex {
		return nodeGap * L.g.scale
	}
	return 8 * L.g.scale
}

// sep is the least distance between the centres of neighbours a (left)
// and b.
func (L *layered) sep(a, b int32) float64 {
	na, nb := &L.nodes[a], &L.nodes[b]
	return na.w/2 + na.right + nb.w/2 + L.gapBetween(a, b)
}

func linkWeight(a, b *lnode) float64 {
	da, db := a.kind >= kindDummy, b.kind >= kindDummy
	switch {
	case da && db:
		return 8
	case da || db:
		return 2
	}
	return 1
}

// placeX alternates passes that pull each rank towards the rank above,
// then below, then both; each pass solves its rank exactly.
func (L *layered) placeX(layers [][]int32) {
	for _, layer := range layers {
		x := 0.0
		for i, v := range layer {
			if i > 0 {
				x += L.sep(layer[i-1], v)
			}
			L.nodes[v].x = x
		}
	}
	var s solver
	for range 3 {
		for r := 1; r < len(layers); r++ {
			L.pull(layers[r], true, false, &s)
		}
		for r := len(layers) - 2; r >= 0; r-- {
			L.pull(layers[r], false, true, &s)
		}
	}
	for range 2 {
		for r := range layers {
			L.pull(layers[r], true, true, &s)
		}
	}
}

func (L *layered) pull(layer []int32, up, down bool, s *solver) {
	s.reset()
	for i, v := range layer {
		nd := &L.nodes[v]
		var sw, sx float64
		add := func(nb []int32) {
			for _, w := range nb {
				k := linkWeight(nd, &L.nodes[w])
				sw += k
				sx += k * L.nodes[w].x
			}
		}
		if up {
			add(nd.up)
		}
		if down {
			add(nd.down)
		}
		target, weight := nd.x, 1e-3 // nothing pulls: stay, give way
		if sw > 0 {
			target, weight = sx/sw, sw
		}
		gap := 0.0
		if i > 0 {
			gap = L.sep(layer[i-1], v)
		}
		s.add(target, weight, gap)
	}
	for i, x := range s.solve() {
		L.nodes[layer[i]].x = x
	}
}

// solver finds x minimising Σ w_i (x_i - t_i)² subject to
// x_i - x_{i-1} ≥ gap_i: with offsets o_i = Σ gap it is isotonic regression
// of t_i - o_i, which pool-adjacent-violators solves in linear time.
type solver struct {
	t, w, off []float64
	blocks    []block
	out       []float64
}

type block struct {
	sw, swt float64
	n       int
}

func (s *solver) reset() { s.t, s.w, s.off = s.t[:0], s.w[:0], s.off[:0] }

func (s *solver) add(target, weight, gap float64) {
	o := 0.0
	if len(s.off) > 0 {
		o = s.off[len(s.off)-1] + gap
	}
	s.t = append(s.t, target)
	s.w = append(s.w, weight)
	s.off = append(s.off, o)
}

func (s *solver) solve() []float64 {
	s.blocks = s.blocks[:0]
	for i := range s.t {
		b := block{s.w[i], s.w[i] * (s.t[i] - s.off[i]), 1}
		for len(s.blocks) > 0 {
			p := s.blocks[len(s.blocks)-1]
			if p.swt/p.sw <= b.swt/b.sw {
				break
			}
			b = block{p.sw + b.sw, p.swt + b.swt, p.n + b.n}
			s.blocks = s.blocks[:len(s.blocks)-1]
		}
		s.blocks = append(s.blocks, b)
	}
	s.out = s.out[:0]
	for _, b := range s.blocks {
		m := b.swt / b.sw
		for range b.n {
			s.out = append(s.out, m+s.off[len(s.out)])
		}
	}
	return s.out
}

// placeY stacks the ranks and returns the component's bounding box. The
// gap below a rank grows with how far its edges travel sideways, so that
// their bends are not cramped.
func (L *layered) placeY(layers [][]int32, all []int32) Rect {
	base := rankGap * L.g.scale
	y, gap := 0.0, base
	for _, layer := range layers {
		h, dx := 0.0, 0.0
		for _, v := range layer {
			nd := &L.nodes[v]
			h = math.Max(h, nd.h)
			for _, w := range nd.down {
				dx = math.Max(dx, math.Abs(L.nodes[w].x-nd.x))
			}
		}
		for _, v := range layer {
			nd := &L.nodes[v]
			nd.y, nd.top, nd.bottom = y+h/2, y, y+h
		}
		gap = base + math.Min(dx/16, 2*base)
		y += h + gap
	}
	minX, maxX := math.Inf(1), math.Inf(-1)
	for _, v := range all {
		nd := &L.nodes[v]
		minX = math.Min(minX, nd.x-nd.w/2)
		maxX = math.Max(maxX, nd.x+nd.w/2+nd.right)
	}
	return Rect{minX, 0, maxX - minX, y - gap}
}

func (L *layered) shift(nodes []int32, dx, dy float64) {
	for _, v := range nodes {
		nd := &L.nodes[v]
		nd.x += dx
		nd.y += dy
		nd.top += dy
		nd.bottom += dy
	}
}

// emit writes the boxes and routes into the graph.
func (L *layered) emit() {
	g := L.g
	for v := range g.box {
		nd := &L.nodes[v]
		g.box[v] = Rect{nd.x - nd.w/2, nd.y - g.vsize[v].Y/2, nd.w, g.vsize[v].Y}
	}
	// Ports: a node's chains leave its bottom (and enter its top) spread
	// over its width in the order of where they go.
	type port struct {
		chain int
		x     float64 // where the chain's next node is
	}
	bottom := map[int32][]port{}
	top := map[int32][]port{}
	for ci, c := range L.chains {
		a, b := c.nodes[0], c.nodes[len(c.nodes)-1]
		bottom[a] = append(bottom[a], port{ci, L.nodes[c.nodes[1]].x})
		top[b] = append(top[b], port{ci, L.nodes[c.nodes[len(c.nodes)-2]].x})
	}
	startX := make([]float64, len(L.chains))
	endX := make([]float64, len(L.chains))
	spread := func(m map[int32][]port, dst []float64) {
		for v, ps := range m {
			slices.SortStableFunc(ps, func(a, b port) int { return cmp.Compare(a.x, b.x) })
			b := g.nodeBox(L, v)
			for i, p := range ps {
				dst[p.chain] = b.X + b.W*float64(i+1)/float64(len(ps)+1)
			}
		}
	}
	spread(bottom, startX)
	spread(top, endX)
	for ci, c := range L.chains {
		j := c.edge
		a, b := &L.nodes[c.nodes[0]], &L.nodes[c.nodes[len(c.nodes)-1]]
		ab, bb := g.nodeBox(L, c.nodes[0]), g.nodeBox(L, c.nodes[len(c.nodes)-1])
		var pts []Point
		straight := func(p Point) {
			last := pts[len(pts)-1]
			if last == p {
				return
			}
			pts = append(pts, Point{last.X + (p.X-last.X)/3, last.Y + (p.Y-last.Y)/3}, Point{last.X + 2*(p.X-last.X)/3, last.Y + 2*(p.Y-last.Y)/3}, p)
		}
		curve := func(p Point) {
			last := pts[len(pts)-1]
			dy := (p.Y - last.Y) / 2
			pts = append(pts, Point{last.X, last.Y + dy}, Point{p.X, p.Y - dy}, p)
		}
		pts = append(pts, Point{startX[ci], ab.Y + ab.H})
		straight(Point{startX[ci], a.bottom})
		for _, d := range c.nodes[1 : len(c.nodes)-1] {
			nd := &L.nodes[d]
			x := nd.x
			if nd.kind == kindLabel {
				x = nd.x - nd.w/2 + dummyW*g.scale/2
				s := g.esize[j]
				g.routes[j].Label = Rect{x + dummyW*g.scale/2, nd.y - s.Y/2, s.X, s.Y}
			}
			curve(Point{x, nd.top})
			straight(Point{x, nd.bottom})
		}
		curve(Point{endX[ci], b.top})
		straight(Point{endX[ci], bb.Y})
		if c.reversed {
			slices.Reverse(pts)
		}
		g.routes[j].Path = pts
		if a.kind == kindDot || b.kind == kindDot {
			d := ab
			if b.kind == kindDot {
				d = bb
			}
			g.routes[j].StartDot = &d
		}
	}
}

// nodeBox is the drawn box of node v: a vertex's box or a dot.
func (g *graph) nodeBox(L *layered, v int32) Rect {
	if int(v) < len(g.box) {
		return g.box[v]
	}
	nd := &L.nodes[v]
	return Rect{nd.x - nd.w/2, nd.y - nd.h/2, nd.w, nd.h}
}
