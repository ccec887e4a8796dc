package algorithm

import (
	"math"

	"github.com/gw-project/gw/internal/model"
)

// Inf is the distance to an element that cannot be reached; it equals
// GraphWalker's Integer.MAX_VALUE so that arithmetic on it agrees.
const Inf = math.MaxInt32

// Distances answers shortest-path distances between elements, ignoring
// guards. Each target gets a breadth-first search over reversed links that
// runs only as far as the questions asked need (lazily, layer by layer), so
// heading for a near target costs little even on a large model. Not safe for
// concurrent use.
type Distances struct {
	m     *model.Model
	cache map[model.Element]*column
	free  [][]int32 // dist arrays of evicted columns, for reuse
}

type column struct {
	to       model.Element
	dist     []int32 // dist[from]: steps from `from` to the target; -1 while unknown
	queue    []int32 // BFS order; queue[head:] is not expanded yet
	head     int
	layerEnd int // queue[:layerEnd] holds every element of the layers so far
	max      int // GraphWalker's FloydWarshall.getMaximumDistance(target)
	maxDone  bool
}

const cacheLimit = 64

// NewDistances prepares distance queries on an indexed model.
func NewDistances(m *model.Model) *Distances {
	return &Distances{m: m, cache: make(map[model.Element]*column)}
}

// Distance is the number of steps from `from` to `to` (0 when equal, Inf
// when unreachable or `to` is not an element). At most O(V+E) per target
// over all calls.
func (d *Distances) Distance(from, to model.Element) int {
	n := d.m.NumElements()
	if to < 0 || to >= n || from < 0 || from >= n {
		return Inf
	}
	if from == to {
		return 0
	}
	c := d.col(to)
	for c.dist[from] < 0 && d.expandLayer(c) {
	}
	if c.dist[from] < 0 {
		return Inf
	}
	return int(c.dist[from])
}

// Nearest returns the first of cands (in order) with the smallest distance
// to `to`, or model.None when none reaches it. It expands the search only
// until the nearest candidates are known.
func (d *Distances) Nearest(cands []model.Element, to model.Element) model.Element {
	if to < 0 || to >= d.m.NumElements() {
		return model.None
	}
	for _, el := range cands {
		if el == to {
			return el
		}
	}
	c := d.col(to)
	for {
		// After a full layer L, every element at distance <= L+1 is known,
		// so the nearest known candidate is the nearest of all.
		best, bestD := model.None, int32(-1)
		for _, el := range cands {
			if v := c.dist[el]; v >= 0 && (bestD < 0 || v < bestD) {
				best, bestD = el, v
			}
		}
		if best != model.None || !d.expandLayer(c) {
			return best
		}
	}
}

// MaxDistance is the largest finite distance from any element to `to`,
// counting the shortest cycle through `to` itself (GraphWalker's table does
// not zero its diagonal); math.MinInt32 when nothing reaches `to`.
func (d *Distances) MaxDistance(to model.Element) int {
	if to < 0 || to >= d.m.NumElements() {
		return math.MinInt32
	}
	c := d.col(to)
	if !c.maxDone {
		d.finish(c)
	}
	return c.max
}

// ReachesTo returns, per element, whether it can reach `to` (to itself
// included).
func (d *Distances) ReachesTo(to model.Element) func(model.Element) bool {
	c := d.col(to)
	d.finish(c)
	return func(el model.Element) bool { return el == to || c.dist[el] >= 0 }
}

func (d *Distances) col(to model.Element) *column {
	if c, ok := d.cache[to]; ok {
		return c
	}
	if len(d.cache) >= cacheLimit {
		for _, c := range d.cache {
			d.free = append(d.free, c.dist)
		}
		clear(d.cache)
	}
	n := d.m.NumElements()
	var dist []int32
	if k := len(d.free); k > 0 {
		dist, d.free = d.free[k-1], d.free[:k-1]
	} else {
		dist = make([]int32, n)
	}
	for i := range dist {
		dist[i] = -1
	}
	dist[to] = 0
	c := &column{to: to, dist: dist, queue: []int32{int32(to)}, layerEnd: 1}
	d.cache[to] = c
	return c
}

// expandLayer expands every element of the current BFS layer; false when
// the search is complete.
func (d *Distances) expandLayer(c *column) bool {
	if c.head >= len(c.queue) {
		return false
	}
	m := d.m
	nv := len(m.Vertices)
	for ; c.head < c.layerEnd; c.head++ {
		el := int(c.queue[c.head])
		nd := c.dist[el] + 1
		if el < nv { // a vertex is reached from its in-edges
			for _, e := range m.InEdges(el) {
				if p := nv + int(e); c.dist[p] < 0 {
					c.dist[p] = nd
					c.queue = append(c.queue, int32(p))
				}
			}
		} else if src := m.Edges[el-nv].Source; src != nil && c.dist[src.Index] < 0 {
			c.dist[src.Index] = nd
			c.queue = append(c.queue, int32(src.Index))
		}
	}
	c.layerEnd = len(c.queue)
	return true
}

func (d *Distances) finish(c *column) {
	for d.expandLayer(c) {
	}
	if c.maxDone {
		return
	}
	m := d.m
	nv := len(m.Vertices)
	to := c.to
	max := math.MinInt32
	for el, v := range c.dist {
		if el != to && v >= 0 && int(v) > max {
			max = int(v)
		}
	}
	// The shortest cycle through `to`: one step to a successor, then back.
	cycle := -1
	if to < nv {
		for _, e := range m.OutEdges(to) {
			if s := c.dist[nv+int(e)]; s >= 0 && (cycle < 0 || int(s)+1 < cycle) {
				cycle = int(s) + 1
			}
		}
	} else if t := m.Edges[to-nv].Target; t != nil && c.dist[t.Index] >= 0 {
		cycle = int(c.dist[t.Index]) + 1
	}
	if cycle >= 0 && cycle > max {
		max = cycle
	}
	c.max, c.maxDone = max, true
}

// Reachable marks every element reachable from the start elements (guards
// ignored). O(V+E).
func Reachable(m *model.Model, starts ...model.Element) []bool {
	n := m.NumElements()
	nv := len(m.Vertices)
	seen := make([]bool, n)
	var stack []int
	for _, s := range starts {
		if s >= 0 && s < n && !seen[s] {
			seen[s] = true
			stack = append(stack, s)
		}
	}
	for len(stack) > 0 {
		el := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if el < nv {
			for _, e := range m.OutEdges(el) {
				if p := nv + int(e); !seen[p] {
					seen[p] = true
					stack = append(stack, p)
				}
			}
		} else if t := m.Edges[el-nv].Target; t != nil && !seen[t.Index] {
			seen[t.Index] = true
			stack = append(stack, t.Index)
		}
	}
	return seen
}
