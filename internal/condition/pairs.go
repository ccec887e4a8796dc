package condition

import (
	"fmt"
	"strconv"

	"github.com/gw-project/gw/internal/model"
)

// Observer is a condition that needs every step of its context, in order:
// the machine calls Observe with each element its context executes.
// Coverage counters do not say which edge followed which;
// edge_pair_coverage needs that.
type Observer interface {
	Observe(el model.Element)
}

// EdgePairCoverage is edge_pair_coverage(Percent), a gw extension: the
// share of the pairs of consecutive edges (e, f) — f leaves the vertex e
// enters; e may be a start edge — that the walk has taken one right after
// the other, through that vertex. It is 2-switch coverage, the level of
// transition coverage after edge coverage; a model has Σ in(v)·out(v)
// pairs. Met, like the other coverage conditions, at a vertex. A model
// without pairs is never met (as edge_coverage without edges).
type EdgePairCoverage struct {
	Ctx     Context
	Percent int

	init    bool
	base    []int32 // per edge e: id of its first pair (e, ·); base[len] = number of pairs
	pos     []int32 // per edge: position among its source's out-edges
	covered []bool  // per pair
	count   int
	last    [2]model.Element // the last two elements observed, latest first
}

// MaxEdgePairs bounds the pairs of consecutive edges a model may have for
// edge_pair_coverage: the condition keeps one flag per pair, and a model
// with a hub of many edges in and out has in·out pairs.
const MaxEdgePairs = 1_000_000

// EdgePairs counts the pairs of consecutive edges of m, Σ in(v)·out(v)
// (a start edge's pairs included). O(E).
func EdgePairs(m *model.Model) int64 {
	var n int64
	for _, e := range m.Edges {
		if e.Target != nil {
			n += int64(len(m.OutEdges(e.Target.Index)))
		}
	}
	return n
}

// NewEdgePairCoverage is edge_pair_coverage(percent) on ctx's model; a
// model with more than MaxEdgePairs pairs is an error.
func NewEdgePairCoverage(ctx Context, percent int) (*EdgePairCoverage, error) {
	if n := EdgePairs(ctx.Model()); n > MaxEdgePairs {
		return nil, fmt.Errorf("model %q has %d pairs of consecutive edges; edge_pair_coverage handles at most %d", ctx.Model().Name, n, MaxEdgePairs)
	}
	return &EdgePairCoverage{Ctx: ctx, Percent: percent}, nil
}

func (c *EdgePairCoverage) setup() {
	if c.init {
		return
	}
	c.init = true
	m := c.Ctx.Model()
	c.base = make([]int32, len(m.Edges)+1)
	c.pos = make([]int32, len(m.Edges))
	for i := range m.Vertices {
		for k, f := range m.OutEdges(i) {
			c.pos[f] = int32(k)
		}
	}
	for j, e := range m.Edges {
		n := 0
		if e.Target != nil {
			n = len(m.OutEdges(e.Target.Index))
		}
		c.base[j+1] = c.base[j] + int32(n)
	}
	c.covered = make([]bool, c.base[len(m.Edges)])
	c.last = [2]model.Element{model.None, model.None}
}

// pairID is the id of pair (e, f), two edge elements; ok is false when f
// does not leave the vertex e enters.
func (c *EdgePairCoverage) pairID(e, f model.Element) (int32, bool) {
	m := c.Ctx.Model()
	ee, fe := m.Edge(e), m.Edge(f)
	if ee.Target == nil || fe.Source != ee.Target {
		return 0, false
	}
	return c.base[ee.Index] + c.pos[fe.Index], true
}

// Observe implements Observer.
func (c *EdgePairCoverage) Observe(el model.Element) {
	c.setup()
	m := c.Ctx.Model()
	v, e := c.last[0], c.last[1]
	c.last = [2]model.Element{el, v}
	if !m.IsEdge(el) || !m.IsVertex(v) || !m.IsEdge(e) || m.Edge(e).Target == nil || m.Edge(e).Target.Index != v {
		return
	}
	if id, ok := c.pairID(e, el); ok && !c.covered[id] {
		c.covered[id] = true
		c.count++
	}
}

// Total is the number of pairs of the model.
func (c *EdgePairCoverage) Total() int { c.setup(); return len(c.covered) }

// Count is the number of pairs walked.
func (c *EdgePairCoverage) Count() int { c.setup(); return c.count }

// Covered reports whether the pair of edge elements (e, f) was walked.
func (c *EdgePairCoverage) Covered(e, f model.Element) bool {
	c.setup()
	id, ok := c.pairID(e, f)
	return ok && c.covered[id]
}

// PrevEdge is the edge the walk came in by when it stands on that edge's
// target (model.None otherwise): its pair with the next edge counts.
func (c *EdgePairCoverage) PrevEdge() model.Element {
	c.setup()
	m := c.Ctx.Model()
	v, e := c.last[0], c.last[1]
	if v != c.Ctx.Current() || !m.IsVertex(v) || !m.IsEdge(e) {
		return model.None
	}
	return e
}

// Uncovered calls fn for every pair not walked yet, in edge order.
func (c *EdgePairCoverage) Uncovered(fn func(e, f model.Element)) {
	c.setup()
	m := c.Ctx.Model()
	for j, e := range m.Edges {
		if e.Target == nil {
			continue
		}
		for k, f := range m.OutEdges(e.Target.Index) {
			if !c.covered[c.base[j]+int32(k)] {
				fn(m.EdgeElement(e), len(m.Vertices)+int(f))
			}
		}
	}
}

func (c *EdgePairCoverage) Fulfilment() float64 {
	c.setup()
	return float64(c.count) / float64(len(c.covered)) / (float64(c.Percent) / 100)
}
func (c *EdgePairCoverage) Fulfilled() bool { return c.Fulfilment() >= Level && atVertex(c.Ctx) }
func (c *EdgePairCoverage) String() string {
	return "EdgePairCoverage(" + strconv.Itoa(c.Percent) + ")"
}
