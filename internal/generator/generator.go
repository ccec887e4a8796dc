package generator

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/gw-project/gw/internal/algorithm"
	"github.com/gw-project/gw/internal/condition"
	"github.com/gw-project/gw/internal/jrand"
	"github.com/gw-project/gw/internal/model"
)

// Context is what a generator needs of the model being walked.
type Context interface {
	condition.Context
	// Available evaluates the guard of edge element el (true when unguarded).
	Available(el model.Element) (bool, error)
	// Successors lists the elements one step from the current one, guards
	// evaluated: for an edge its target, for a vertex its available
	// out-edges in model order. The result is the context's own slice,
	// valid until the next call; callers must not modify it.
	Successors(buf []model.Element) ([]model.Element, error)
	SetCurrent(el model.Element)
	SetPredefinedIndex(i int)
	Rand() *jrand.Rand
}

// Generator chooses the next element of a context.
type Generator interface {
	// HasNext reports whether the stop condition still wants steps.
	HasNext() bool
	// Next moves the context's current element and returns it.
	Next() (model.Element, error)
	// StopCondition is the condition in force (for a sequence: the active one).
	StopCondition() condition.Condition
	String() string
}

// NoPathError is GraphWalker's NoPathFoundException: the generator cannot
// leave the current element.
type NoPathError struct {
	Model   *model.Model
	Element model.Element
	Reason  string
}

func (e *NoPathError) Error() string {
	m := e.Model
	if e.Element == model.None {
		return "Execution context has no current element set"
	}
	msg := fmt.Sprintf("Could not find a valid path from element: %s (%s) in model %q", m.ElementName(e.Element), m.ElementID(e.Element), m.Name)
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}

// next lists the guard-filtered elements one step from the current one.
func next(ctx Context, buf []model.Element) ([]model.Element, error) {
	if ctx.Current() == model.None {
		return buf[:0], &NoPathError{Model: ctx.Model(), Element: model.None}
	}
	return ctx.Successors(buf)
}

// available is next, with GraphWalker's NoPathFoundException when nothing
// is available.
func available(ctx Context) ([]model.Element, error) {
	cands, err := next(ctx, nil)
	if err == nil && len(cands) == 0 {
		err = deadEnd(ctx)
	}
	return cands, err
}

func deadEnd(ctx Context) error {
	m := ctx.Model()
	cur := ctx.Current()
	reason := ""
	if m.IsVertex(cur) {
		if len(m.OutEdges(cur)) == 0 {
			reason = "the vertex has no out-edges"
		} else {
			reason = "every out-edge's guard is false"
		}
	} else if m.IsEdge(cur) {
		reason = "the edge has no target vertex"
	}
	return &NoPathError{Model: m, Element: cur, Reason: reason}
}

// Random is random(...): a uniformly random available next element.
type Random struct {
	Ctx  Context
	Stop condition.Condition
}

func (g *Random) HasNext() bool                      { return !g.Stop.Fulfilled() }
func (g *Random) StopCondition() condition.Condition { return g.Stop }
func (g *Random) String() string                     { return "RandomPath(" + g.Stop.String() + ")" }
func (g *Random) Next() (model.Element, error) {
	cands, err := available(g.Ctx)
	if err != nil {
		return model.None, err
	}
	el := cands[g.Ctx.Rand().Intn(len(cands))]
	g.Ctx.SetCurrent(el)
	return el, nil
}

// WeightedRandom is weighted_random(...): out-edges are chosen with the
// probability of their weight; unweighted edges share what is left.
type WeightedRandom struct {
	Ctx  Context
	Stop condition.Condition
	p    []float64
}

func (g *WeightedRandom) HasNext() bool                      { return !g.Stop.Fulfilled() }
func (g *WeightedRandom) StopCondition() condition.Condition { return g.Stop }
func (g *WeightedRandom) String() string                     { return "WeightedRandomPath(" + g.Stop.String() + ")" }
func (g *WeightedRandom) Next() (model.Element, error) {
	ctx := g.Ctx
	m := ctx.Model()
	cands, err := available(ctx)
	if err != nil {
		return model.None, err
	}
	cur := ctx.Current()
	if m.IsEdge(cur) {
		el := cands[ctx.Rand().Intn(len(cands))]
		ctx.SetCurrent(el)
		return el, nil
	}
	g.p = g.p[:0]
	sum, zeros := 0.0, 0
	for _, el := range cands {
		w := m.Edge(el).Weight
		if w > 0 {
			sum += w
			if sum > 1 {
				return model.None, fmt.Errorf("The sum of all weights in edges from vertex: '%s', adds up to more than 1.00 (model %q)", m.ElementName(cur), m.Name)
			}
			g.p = append(g.p, w)
		} else {
			zeros++
			g.p = append(g.p, 0)
		}
	}
	rest := 1 - sum
	if zeros > 0 {
		rest = (1 - sum) / float64(zeros)
	}
	r := float64(ctx.Rand().Intn(100))
	acc := 0.0
	for i, el := range cands {
		p := g.p[i]
		if p == 0 {
			p = rest
		}
		acc += p * 100
		if r < acc {
			ctx.SetCurrent(el)
			return el, nil
		}
	}
	if len(cands) == 1 {
		ctx.SetCurrent(cands[0])
		return cands[0], nil
	}
	return model.None, fmt.Errorf("Could not calculate which weighted edge to choose from vertex: %s' (model %q)", m.ElementName(cur), m.Name)
}

// aStarStep is GraphWalker's AStar.getNextElement: the first available
// neighbour, in model order, with the smallest distance to dest. far
// reports that no neighbour leads there (all are equally far: the first is
// taken).
func aStarStep(ctx Context, dest model.Element) (el model.Element, far bool, err error) {
	cur := ctx.Current()
	if cur == dest {
		return cur, false, nil
	}
	buf, err := next(ctx, nil)
	if err != nil {
		return model.None, false, err
	}
	if len(buf) == 0 {
		return model.None, false, deadEnd(ctx)
	}
	if dest != model.None {
		if best := ctx.Distances().Nearest(buf, dest); best != model.None {
			return best, false, nil
		}
	}
	return buf[0], true, nil
}

// QuickRandom is quick_random(...): head for a random unvisited element
// along a shortest path, then pick another.
//
// The pending list keeps GraphWalker's order exactly (one shuffle per
// refill, a stable "unvisited first" partition per new target), but removal
// is a tombstone, so a step costs O(1) plus O(n) per new target.
//
// Like GraphWalker, it heads for pending[0] even when no path leads there
// from where it stands (the start edge, or a part of the model only a
// shared-state jump leads to): every next element is then equally far and
// it takes the first available one, until a jump puts it where the target
// can be reached. And like GraphWalker it picks a new target only when
// asked for a step at the old one, which may never happen at a shared-state
// vertex: the machine may jump away first (from one without out-edges it
// always does), and the walk comes back to the same target. A seeded walk
// therefore takes GraphWalker's path, including where that path ends only
// by luck. Where the walk may be caught so — at each step where no
// available next element leads to the target, and at a step onto a target
// that is a shared-state vertex — it asks the context's Outlook (the machine) whether the walk can
// still end on GraphWalker's course. Only if it provably cannot does gw
// deviate, from that step on, for every quick_random of the machine: with
// no path to its target the walk heads for the first pending element that
// can be reached (a new round when none can), and stepping onto a target
// counts as reaching it.
type QuickRandom struct {
	Ctx     Context
	Stop    condition.Condition
	pending []model.Element
	live    []bool // per element: still in pending
	count   int    // live entries in pending
	target  model.Element
	hasTgt  bool
	tmp     []model.Element
}

// Outlook is implemented by contexts that can judge where GraphWalker's
// course leads the whole machine (machine.Context does).
type Outlook interface {
	// CanEnd reports whether every stop condition of the machine can
	// still be met while each quick_random keeps GraphWalker's course
	// (taking the first available next element wherever no path leads to
	// its target). False means GraphWalker's walk never ends from here.
	CanEnd() (bool, error)
	// Deviated reports whether the walk has left GraphWalker's course.
	Deviated() bool
	// Deviate records that it has.
	Deviate()
}

// Targeter is implemented by the generators that head for a target along
// shortest paths: quick_random, a_star and shortest_all_paths.
type Targeter interface {
	// Target is the element the generator heads for (model.None if none).
	Target() model.Element
}

func (g *QuickRandom) HasNext() bool                      { return !g.Stop.Fulfilled() }
func (g *QuickRandom) StopCondition() condition.Condition { return g.Stop }
func (g *QuickRandom) String() string                     { return "QuickRandomPath(" + g.Stop.String() + ")" }

// Target is the element the generator heads for.
func (g *QuickRandom) Target() model.Element {
	if !g.hasTgt {
		return model.None
	}
	return g.target
}

func (g *QuickRandom) Next() (model.Element, error) {
	ctx := g.Ctx
	m := ctx.Model()
	cur := ctx.Current()
	if cur == model.None {
		return model.None, &NoPathError{Model: m, Element: model.None}
	}
	if g.live == nil {
		g.live = make([]bool, m.NumElements())
	}
	if g.count == 0 {
		g.refill(cur)
	}
	if !g.hasTgt || g.target == cur {
		if g.count == 0 {
			return model.None, &NoPathError{Model: m, Element: cur, Reason: "nothing left to visit"}
		}
		g.partition()
		g.target, g.hasTgt = g.pending[0], true
	}
	el, far, err := aStarStep(ctx, g.target)
	if err != nil {
		return model.None, err
	}
	if far {
		target := g.target
		if err := g.offCourse(cur); err != nil {
			return model.None, err
		}
		if g.target != target {
			if el, _, err = aStarStep(ctx, g.target); err != nil {
				return model.None, err
			}
		}
	}
	if el == g.target && el != cur {
		if err := g.arriving(el); err != nil {
			return model.None, err
		}
	}
	if g.live[el] {
		g.live[el] = false
		g.count--
		if g.count == 0 {
			g.pending = g.pending[:0]
		}
	}
	ctx.SetCurrent(el)
	return el, nil
}

// refill starts a round: every element but cur, shuffled.
func (g *QuickRandom) refill(cur model.Element) {
	g.pending = g.pending[:0]
	for el := range g.Ctx.Model().NumElements() {
		if el != cur {
			g.pending = append(g.pending, el)
			g.live[el] = true
		}
	}
	g.count = len(g.pending)
	p := g.pending
	g.Ctx.Rand().Shuffle(len(p), func(i, j int) { p[i], p[j] = p[j], p[i] })
}

// partition is GraphWalker's stable sort of pending, unvisited first;
// tombstones are dropped.
func (g *QuickRandom) partition() {
	g.tmp = g.tmp[:0]
	n := 0
	for _, el := range g.pending {
		if !g.live[el] {
			continue
		}
		if g.Ctx.Visited(el) {
			g.tmp = append(g.tmp, el)
		} else {
			g.pending[n] = el
			n++
		}
	}
	g.pending = append(g.pending[:n], g.tmp...)
}

// arriving runs when the step reaches the target. GraphWalker picks a new
// target only when asked for a step at it; at a shared-state vertex the
// machine may jump away first, and at one without out-edges it always does,
// so the walk may come back to the same target for ever. Off GraphWalker's
// course, reaching the target counts: the next step picks a new one.
func (g *QuickRandom) arriving(t model.Element) error {
	out, ok := g.Ctx.(Outlook)
	if !ok {
		return nil
	}
	m := g.Ctx.Model()
	if !out.Deviated() && m.IsVertex(t) && m.Vertex(t).SharedState != "" {
		can, err := out.CanEnd()
		if err != nil {
			return err
		}
		if !can {
			out.Deviate()
		}
	}
	if out.Deviated() {
		g.hasTgt = false
	}
	return nil
}

// offCourse runs when no available next element leads to the target.
// GraphWalker's course goes on (the first available next element) unless
// it provably never ends or the walk has already left it; then a reachable
// target is taken.
func (g *QuickRandom) offCourse(cur model.Element) error {
	out, ok := g.Ctx.(Outlook)
	if !ok {
		return nil
	}
	if !out.Deviated() {
		can, err := out.CanEnd()
		if err != nil || can {
			return err
		}
		out.Deviate()
	}
	reach := algorithm.Reachable(g.Ctx.Model(), cur)
	for round := 0; round < 2; round++ {
		if round == 1 {
			g.refill(cur) // nothing pending can be reached: a new round
		}
		g.partition()
		for _, el := range g.pending {
			if el != cur && reach[el] {
				g.target = el
				return nil
			}
		}
	}
	return nil // nothing but cur can be reached: GraphWalker's course
}

// AStar is a_star(reached_...): the shortest way to the nearest target.
type AStar struct {
	Ctx  Context
	Stop condition.Condition
	// Targets are the reached conditions' elements in the order GraphWalker
	// tries them, so that equally near targets are chosen as it chooses:
	// vertices in its HashSet order (hashSetOrder), edges in model order.
	Targets []model.Element
	target  model.Element // the target of the last step
}

// NewAStar requires stop conditions made only of reached_* conditions
// (GraphWalker accepts exactly one; and/or of several are accepted here).
func NewAStar(ctx Context, stop condition.Condition) (*AStar, error) {
	g := &AStar{Ctx: ctx, Stop: stop, target: model.None}
	var bad []string
	seen := map[model.Element]bool{}
	condition.Walk(stop, func(c condition.Condition) {
		switch c := c.(type) {
		case *condition.Reached:
			ts := c.Targets
			if c.Kind != condition.ReachedEdge {
				ts = hashSetOrder(ctx.Model(), ts)
			}
			for _, t := range ts {
				if !seen[t] {
					seen[t] = true
					g.Targets = append(g.Targets, t)
				}
			}
		case *condition.And, *condition.Or:
		default:
			bad = append(bad, c.String())
		}
	})
	if len(bad) > 0 || len(g.Targets) == 0 {
		return nil, fmt.Errorf("a_star needs a reached_vertex, reached_edge or reached_shared_state stop condition, not %s", strings.Join(bad, ", "))
	}
	return g, nil
}

func (g *AStar) HasNext() bool                      { return !g.Stop.Fulfilled() }
func (g *AStar) StopCondition() condition.Condition { return g.Stop }
func (g *AStar) String() string                     { return "AStarPath(" + g.Stop.String() + ")" }

// Target is the target of the last step (model.None when none was near).
func (g *AStar) Target() model.Element { return g.target }

func (g *AStar) Next() (model.Element, error) {
	ctx := g.Ctx
	m := ctx.Model()
	if _, err := available(ctx); err != nil {
		return model.None, err
	}
	cur := ctx.Current()
	d := ctx.Distances()
	target, best := model.None, algorithm.Inf
	for _, t := range g.Targets {
		if m.IsEdge(t) {
			ok, err := ctx.Available(t)
			if err != nil {
				return model.None, err
			}
			if !ok {
				continue
			}
		}
		if dd := d.Distance(cur, t); dd < best {
			best, target = dd, t
		}
	}
	g.target = target
	el, _, err := aStarStep(ctx, target)
	if err != nil {
		return model.None, err
	}
	ctx.SetCurrent(el)
	return el, nil
}

// Predefined is predefined_path(predefined_path): walk the model's
// predefined edge list.
type Predefined struct {
	Ctx  Context
	Stop condition.Condition
}

func (g *Predefined) HasNext() bool                      { return !g.Stop.Fulfilled() }
func (g *Predefined) StopCondition() condition.Condition { return g.Stop }
func (g *Predefined) String() string                     { return "PredefinedPath(" + g.Stop.String() + ")" }
func (g *Predefined) Next() (model.Element, error) {
	ctx := g.Ctx
	m := ctx.Model()
	cands, err := available(ctx)
	if err != nil {
		return model.None, err
	}
	cur := ctx.Current()
	var el model.Element
	if m.IsEdge(cur) {
		el = cands[0]
	} else {
		i := ctx.PredefinedIndex()
		if i >= len(m.PredefinedPath) {
			return model.None, &NoPathError{Model: m, Element: cur, Reason: fmt.Sprintf("the predefined path has only %d edges", len(m.PredefinedPath))}
		}
		el = m.EdgeElement(m.PredefinedPath[i])
		if !slices.Contains(cands, el) {
			return model.None, &NoPathError{Model: m, Element: cur, Reason: fmt.Sprintf("predefined edge %d, %s, does not leave here or its guard is false", i+1, m.Describe(el))}
		}
		ctx.SetPredefinedIndex(i + 1)
	}
	ctx.SetCurrent(el)
	return el, nil
}

// Sequence runs generators one after another (several generators written
// in one generator string).
type Sequence struct {
	Gens   []Generator
	active int
}

func (g *Sequence) HasNext() bool {
	for g.active < len(g.Gens) {
		if g.Gens[g.active].HasNext() {
			return true
		}
		g.active++
	}
	return false
}

// Active is the generator that takes the steps now (the last one when all
// are done).
func (g *Sequence) Active() Generator { return g.Gens[min(g.active, len(g.Gens)-1)] }

func (g *Sequence) Next() (model.Element, error) {
	if g.active >= len(g.Gens) {
		return model.None, errors.New("Could not find a valid path: every generator of the sequence is done")
	}
	return g.Gens[g.active].Next()
}

func (g *Sequence) StopCondition() condition.Condition {
	return g.Gens[min(g.active, len(g.Gens)-1)].StopCondition()
}

func (g *Sequence) String() string {
	parts := make([]string, len(g.Gens))
	for i, x := range g.Gens {
		parts[i] = x.String()
	}
	return strings.Join(parts, " ")
}
