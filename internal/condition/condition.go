package condition

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/gw-project/gw/internal/algorithm"
	"github.com/gw-project/gw/internal/model"
)

// Level is GraphWalker's FULFILLMENT_LEVEL: a fulfilment at or above it
// counts as met.
const Level = 0.999999

// Context is what a stop condition reads of the model being walked.
type Context interface {
	Model() *model.Model
	Current() model.Element // model.None when the context is not current
	Visited(el model.Element) bool
	VisitedVertices() int // distinct vertices visited in this context
	VisitedEdges() int    // distinct edges visited in this context
	TotalSteps() int      // steps taken by the whole machine
	RequirementCounts() (total, covered int)
	PredefinedIndex() int
	Distances() *algorithm.Distances
}

// Condition is a stop condition bound to a context.
type Condition interface {
	Fulfilled() bool
	Fulfilment() float64
	String() string // GraphWalker's toString form, e.g. EdgeCoverage(100)
}

func atVertex(c Context) bool { return c.Model().IsVertex(c.Current()) }

// EdgeCoverage is edge_coverage(Percent).
type EdgeCoverage struct {
	Ctx     Context
	Percent int
}

func (c *EdgeCoverage) Fulfilment() float64 {
	return float64(c.Ctx.VisitedEdges()) / float64(len(c.Ctx.Model().Edges)) / (float64(c.Percent) / 100)
}
func (c *EdgeCoverage) Fulfilled() bool { return c.Fulfilment() >= Level && atVertex(c.Ctx) }
func (c *EdgeCoverage) String() string  { return "EdgeCoverage(" + strconv.Itoa(c.Percent) + ")" }

// VertexCoverage is vertex_coverage(Percent).
type VertexCoverage struct {
	Ctx     Context
	Percent int
}

func (c *VertexCoverage) Fulfilment() float64 {
	return float64(c.Ctx.VisitedVertices()) / float64(len(c.Ctx.Model().Vertices)) / (float64(c.Percent) / 100)
}
func (c *VertexCoverage) Fulfilled() bool { return c.Fulfilment() >= Level && atVertex(c.Ctx) }
func (c *VertexCoverage) String() string  { return "VertexCoverage(" + strconv.Itoa(c.Percent) + ")" }

// RequirementCoverage is requirement_coverage(Percent).
type RequirementCoverage struct {
	Ctx     Context
	Percent int
}

func (c *RequirementCoverage) Fulfilment() float64 {
	total, covered := c.Ctx.RequirementCounts()
	if total == 0 {
		return 1
	}
	return float64(covered) / float64(total) / (float64(c.Percent) / 100)
}
func (c *RequirementCoverage) Fulfilled() bool { return c.Fulfilment() >= Level && atVertex(c.Ctx) }
func (c *RequirementCoverage) String() string {
	return "RequirementCoverage(" + strconv.Itoa(c.Percent) + ")"
}

// DependencyEdgeCoverage is dependency_edge_coverage(Dependency): coverage of
// the edges whose dependency is at least the threshold.
type DependencyEdgeCoverage struct {
	Ctx        Context
	Dependency int

	edges    []model.Element // computed on first use
	init     bool
	lastSeen int // VisitedEdges() when visited was last counted
	visited  int
	computed bool
}

func (c *DependencyEdgeCoverage) Fulfilment() float64 {
	m := c.Ctx.Model()
	if !c.init {
		c.init = true
		for _, e := range m.Edges {
			if float64(e.Dependency)/100 >= float64(c.Dependency)/100 {
				c.edges = append(c.edges, m.EdgeElement(e))
			}
		}
	}
	if len(c.edges) == 0 {
		return 0
	}
	// Recount only when the context covered a new edge: at most |E| times.
	if n := c.Ctx.VisitedEdges(); !c.computed || n != c.lastSeen {
		c.lastSeen, c.computed, c.visited = n, true, 0
		for _, el := range c.edges {
			if c.Ctx.Visited(el) {
				c.visited++
			}
		}
	}
	return float64(c.visited) / float64(len(c.edges))
}
func (c *DependencyEdgeCoverage) Fulfilled() bool { return c.Fulfilment() >= Level && atVertex(c.Ctx) }
func (c *DependencyEdgeCoverage) String() string {
	return "DependencyEdgeCoverage(" + strconv.Itoa(c.Dependency) + ")"
}

// Length is length(N): N steps taken by the whole machine.
type Length struct {
	Ctx Context
	N   int
}

func (c *Length) Fulfilment() float64 { return float64(c.Ctx.TotalSteps()) / float64(c.N) }
func (c *Length) Fulfilled() bool     { return c.Fulfilment() >= Level && atVertex(c.Ctx) }
func (c *Length) String() string      { return "Length(" + strconv.Itoa(c.N) + ")" }

// TimeDuration is time_duration(seconds), counted from when it was built.
type TimeDuration struct {
	Ctx     Context
	Seconds int64
	Start   time.Time
	Now     func() time.Time // for tests; time.Now when nil
}

func (c *TimeDuration) Fulfilment() float64 {
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	return float64(now().Sub(c.Start)) / (float64(c.Seconds) * float64(time.Second))
}
func (c *TimeDuration) Fulfilled() bool { return c.Fulfilment() >= Level && atVertex(c.Ctx) }
func (c *TimeDuration) String() string {
	return "TimeDuration(" + strconv.FormatInt(c.Seconds, 10) + ")"
}

// Never is never: the walk goes on until the client stops asking.
type Never struct{}

func (Never) Fulfilment() float64 { return 0 }
func (Never) Fulfilled() bool     { return false }
func (Never) String() string      { return "Never()" }

// ReachedKind says what a Reached condition looks for.
type ReachedKind int

const (
	ReachedVertex ReachedKind = iota
	ReachedEdge
	ReachedSharedState
)

var reachedNames = [...]string{"ReachedVertex", "ReachedEdge", "ReachedSharedState"}

// Reached is reached_vertex / reached_edge / reached_shared_state. Once met
// it stays met.
type Reached struct {
	Ctx     Context
	Kind    ReachedKind
	Name    string
	Targets []model.Element
	latched bool
}

// NewReached resolves the targets by name; an unknown name is an error,
// as in GraphWalker.
func NewReached(ctx Context, kind ReachedKind, name string) (*Reached, error) {
	m := ctx.Model()
	r := &Reached{Ctx: ctx, Kind: kind, Name: name}
	switch kind {
	case ReachedVertex:
		for _, v := range m.Vertices {
			if v.Name == name {
				r.Targets = append(r.Targets, v.Index)
			}
		}
		if len(r.Targets) == 0 {
			return nil, fmt.Errorf("Vertex [%s] not found in model %q%s", name, m.Name, suggest(vertexNames(m), name))
		}
	case ReachedEdge:
		for _, e := range m.Edges {
			if e.Name == name {
				r.Targets = append(r.Targets, m.EdgeElement(e))
			}
		}
		if len(r.Targets) == 0 {
			return nil, fmt.Errorf("Edge [%s] not found in model %q%s", name, m.Name, suggest(edgeNames(m), name))
		}
	case ReachedSharedState:
		for _, v := range m.Vertices {
			if v.SharedState == name {
				r.Targets = append(r.Targets, v.Index)
			}
		}
		if len(r.Targets) == 0 {
			return nil, fmt.Errorf("Shared state not found: %q in model %q", name, m.Name)
		}
	}
	return r, nil
}

func (c *Reached) Fulfilment() float64 {
	cur := c.Ctx.Current()
	if cur == model.None {
		return 0
	}
	d := c.Ctx.Distances()
	best := 0.0
	for _, t := range c.Targets {
		f := 1 - float64(d.Distance(cur, t))/float64(d.MaxDistance(t))
		if f > best {
			best = f
		}
	}
	return best
}

func (c *Reached) Fulfilled() bool {
	if !c.latched {
		c.latched = c.Fulfilment() >= Level
	}
	return c.latched
}

func (c *Reached) String() string { return reachedNames[c.Kind] + "(" + c.Name + ")" }

// PredefinedPath is the predefined_path stop condition: met at the vertex
// after the last edge of the model's predefined path.
type PredefinedPath struct{ Ctx Context }

func (c *PredefinedPath) counts() (cur, total int) {
	cur = 2 * c.Ctx.PredefinedIndex()
	if atVertex(c.Ctx) {
		cur++
	}
	return cur, 2*len(c.Ctx.Model().PredefinedPath) + 1
}
func (c *PredefinedPath) Fulfilment() float64 {
	cur, total := c.counts()
	return float64(cur) / float64(total)
}
func (c *PredefinedPath) Fulfilled() bool { cur, total := c.counts(); return cur == total }
func (c *PredefinedPath) String() string  { return "PredefinedPathStopCondition(PredefinedPath)" }

// And is met when every child is (checked in order, stopping at the first
// that is not); its fulfilment is the children's average.
type And struct{ Children []Condition }

func (c *And) Fulfilled() bool {
	for _, ch := range c.Children {
		if !ch.Fulfilled() {
			return false
		}
	}
	return true
}
func (c *And) Fulfilment() float64 {
	sum := 0.0
	for _, ch := range c.Children {
		sum += ch.Fulfilment()
	}
	return sum / float64(len(c.Children))
}
func (c *And) String() string { return join(c.Children, " AND ") }

// Or is met when any child is (checked in order, stopping at the first that
// is); its fulfilment is the children's maximum.
type Or struct{ Children []Condition }

func (c *Or) Fulfilled() bool {
	for _, ch := range c.Children {
		if ch.Fulfilled() {
			return true
		}
	}
	return false
}
func (c *Or) Fulfilment() float64 {
	best := 0.0
	for _, ch := range c.Children {
		if f := ch.Fulfilment(); f > best { // NaN never wins
			best = f
		}
	}
	return best
}
func (c *Or) String() string { return join(c.Children, " OR ") }

func join(cs []Condition, sep string) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.String()
	}
	s := strings.Join(parts, sep)
	if len(cs) > 1 {
		s = "(" + s + ")"
	}
	return s
}

// Walk calls fn for c and every condition inside it.
func Walk(c Condition, fn func(Condition)) {
	fn(c)
	switch c := c.(type) {
	case *And:
		for _, ch := range c.Children {
			Walk(ch, fn)
		}
	case *Or:
		for _, ch := range c.Children {
			Walk(ch, fn)
		}
	}
}

// Finite reports whether a value is a real number (coverage of an empty
// element set is NaN in GraphWalker and never met).
func Finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

func vertexNames(m *model.Model) []string {
	var s []string
	for _, v := range m.Vertices {
		if v.Name != "" {
			s = append(s, v.Name)
		}
	}
	return s
}

func edgeNames(m *model.Model) []string {
	var s []string
	for _, e := range m.Edges {
		if e.Name != "" {
			s = append(s, e.Name)
		}
	}
	return s
}

// suggest names the closest known name, to help with typos.
func suggest(names []string, name string) string {
	best, bestD := "", 1<<30
	for _, n := range names {
		if d := editDistance(strings.ToLower(n), strings.ToLower(name)); d < bestD {
			best, bestD = n, d
		}
	}
	if best == "" || bestD > len(name)/2+1 {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 1 << 30
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
