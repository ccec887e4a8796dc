package algorithm

import (
	"math"

	"github.com/gw-project/gw/internal/model"
)

// Inf is the distance to an element that cannot be reached; it equals
// GraphWalker's Integer.MAX_VALUE so that arithmetic on it agrees.
const Inf = math.MaxInt32

// Distances answers shortest-path distances between elements, ignoring
// guards. Not safe for concurrent use.
type Distances struct {
	m     *model.Model
	cache map[model.Element]*column
	queue []int32
}

type column struct {
	dist []int32 // dist[from]: steps from `from` to the target; -1 when unreachable
	max  int     // GraphWalker's FloydWarshall.getMaximumDistance(target)
}

const cacheLimit = 256

// NewDistances prepares distance queries on an indexed model.
func NewDistances(m *model.Model) *Distances {
	return &Distances{m: m, cache: make(map[model.Element]*column)}
}

// Distance is the number of steps from `from` to `to` (0 when equal, Inf
// when unreachable or `to` is not an element). O(V+E) on the first query
// for a target, O(1) afterwards.
func (d *Distances) Distance(from, to model.Element) int {
	if to < 0 || to >= d.m.NumElements() || from < 0 || from >= d.m.NumElements() {
		return Inf
	}
	if from == to {
		return 0
	}
	c := d.col(to)
	if c.dist[from] < 0 {
		return Inf
	}
	return int(c.dist[from])
}

// MaxDistance is the largest finite distance from any element to `to`,
// counting the shortest cycle through `to` itself (GraphWalker's table does
// not zero its diagonal); math.MinInt32 when nothing reaches `to`.
func (d *Distances) MaxDistance(to model.Element) int {
	if to < 0 || to >= d.m.NumElements() {
		return math.MinInt32
	}
	return d.col(to).max
}

// ReachesTo returns, per element, whether it can reach `to` (to itself
// included).
func (d *Distances) ReachesTo(to model.Element) func(model.Element) bool {
	c := d.col(to)
	return func(el model.Element) bool { return el == to || c.dist[el] >= 0 }
}

func (d *Distances) col(to model.Element) *column {
	if c, ok := d.cache[to]; ok {
		return c
	}
	if len(d.cache) >= cacheLimit {
		clear(d.cache)
	}
	m := d.m
	n := m.NumElements()
	nv := len(m.Vertices)
	dist := make([]int32, n)
	for i := range dist {
		dist[i] = -1
	}
	dist[to] = 0
	q := append(d.queue[:0], int32(to))
	for len(q) > 0 {
		el := int(q[0])
		q = q[1:]
		nd := dist[el] + 1
		if el < nv { // a vertex is reached from its in-edges
			for _, e := range m.InEdges(el) {
				p := nv + int(e)
				if dist[p] < 0 {
					dist[p] = nd
					q = append(q, int32(p))
				}
			}
		} else if src := m.Edges[el-nv].Source; src != nil {
			if dist[src.Index] < 0 {
				dist[src.Index] = nd
				q = append(q, int32(src.Index))
			}
		}
	}
	d.queue = q[:0]
	max := math.MinInt32
	for el, v := range dist {
		if el != to && v >= 0 && int(v) > max {
			max = int(v)
		}
	}
	// The shortest cycle through `to`: one step to a successor, then back.
	cycle := -1
	if to < nv {
		for _, e := range m.OutEdges(to) {
			if s := dist[nv+int(e)]; s >= 0 && (cycle < 0 || int(s)+1 < cycle) {
				cycle = int(s) + 1
			}
		}
	} else if t := m.Edges[to-nv].Target; t != nil && dist[t.Index] >= 0 {
		cycle = int(dist[t.Index]) + 1
	}
	if cycle > max {
		max = cycle
	}
	c := &column{dist: dist, max: max}
	d.cache[to] = c
	return c
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
