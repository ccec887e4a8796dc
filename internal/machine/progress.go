package machine

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gw-project/gw/internal/algorithm"
	"github.com/gw-project/gw/internal/condition"
	"github.com/gw-project/gw/internal/generator"
	"github.com/gw-project/gw/internal/model"
)

// GraphWalker walks forever when a stop condition cannot be met. gw checks
// twice: at start, whether each condition can be met at all from the start
// elements (guards ignored: certain, so reported at once); and during the
// walk, when a long window passes without new coverage, whether a generator
// that heads for targets by shortest paths failed to reach what it needs
// (checkHeading), then whether anything the conditions still need can be
// reached from where the walk stands with the guards as they evaluate now.
// Only when nothing can does the walk end. Separately, quick_random asks
// whether GraphWalker's own course can still end (canEnd, below).

// reachOpts says what reach follows.
type reachOpts struct {
	live  bool // evaluate guards (in their own context's scope); false ones are not followed
	alone bool // stay in the starts' models: no shared-state jumps
	// course, per context, is the target of a quick_random that keeps
	// GraphWalker's course (model.None for none): from a vertex, only the
	// out-edges its A* step may take are followed (courseEdges).
	course []model.Element
}

// reach marks, per context, the elements reachable from the given starts,
// following edges and shared-state jumps, as opts says.
func (m *Machine) reach(opts reachOpts, starts []candidate) ([][]bool, error) {
	seen, _, err := m.reachEnd(opts, starts)
	return seen, err
}

// reachEnd is reach, also reporting whether a reached vertex may end the
// walk with an error: no out-edge, or only guarded ones, and no other model
// to jump to (GraphWalker then fails with "no path").
func (m *Machine) reachEnd(opts reachOpts, starts []candidate) (seen [][]bool, deadEnd bool, err error) {
	seen = make([][]bool, len(m.contexts))
	for i, c := range m.contexts {
		seen[i] = make([]bool, c.model.NumElements())
	}
	shared := m.sharedIndex()
	var mask []bool
	stack := []candidate{}
	push := func(x candidate) {
		if x.v >= 0 && !seen[x.ctx.index][x.v] {
			seen[x.ctx.index][x.v] = true
			stack = append(stack, x)
		}
	}
	for _, s := range starts {
		push(s)
	}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		c, mod := x.ctx, x.ctx.model
		if mod.IsEdge(x.v) {
			if t := mod.Edge(x.v).Target; t != nil {
				push(candidate{c, t.Index})
			}
			continue
		}
		out := mod.OutEdges(x.v)
		name := mod.Vertex(x.v).SharedState
		jumps := name != "" && slices.ContainsFunc(shared[name], func(y candidate) bool { return y.ctx != c })
		if !jumps && !slices.ContainsFunc(out, func(e int32) bool { return c.guards[e] == nil }) {
			deadEnd = true
		}
		var course []bool
		if opts.course != nil {
			if t := opts.course[c.index]; t != model.None {
				course = courseEdges(c, out, t, mask[:0])
				mask = course
			}
		}
		nv := len(mod.Vertices)
		for i, e := range out {
			el := nv + int(e)
			if course != nil && !course[i] {
				continue
			}
			if opts.live {
				ok, err := c.Available(el)
				if err != nil {
					return nil, false, err
				}
				if !ok {
					continue
				}
			}
			push(candidate{c, el})
		}
		if name != "" && !opts.alone {
			for _, y := range shared[name] {
				push(y)
			}
		}
	}
	return seen, deadEnd, nil
}

// courseEdges marks which of a vertex's out-edges (out, in model order)
// GraphWalker's A* step towards t may take: the first available one with
// the least distance to t. Unguarded edges are surely available, so an edge
// is possible unless an unguarded one is nearer, or as near and earlier.
// Where no path leads to t, all are equally far: up to the first unguarded.
func courseEdges(c *Context, out []int32, t model.Element, buf []bool) []bool {
	d := c.Distances()
	nv := len(c.model.Vertices)
	best, bestAt := algorithm.Inf+1, len(out) // the nearest unguarded edge
	for i, e := range out {
		if de := d.Distance(nv+int(e), t); c.guards[e] == nil && de < best {
			best, bestAt = de, i
		}
	}
	for i, e := range out {
		de := d.Distance(nv+int(e), t)
		buf = append(buf, de < best || de == best && i <= bestAt)
	}
	return buf
}

// keepsWalk reports whether a quick_random at its target t may be asked
// for the next step there, and so pick a new target: t is an edge, or a
// vertex with an out-edge (at a vertex without one the machine always
// jumps away, if it can, before the generator is asked).
func keepsWalk(c *Context, t model.Element) bool {
	return c.model.IsEdge(t) || len(c.model.OutEdges(t)) > 0
}

// sharedIndex lists, per shared state, its vertices in every model.
func (m *Machine) sharedIndex() map[string][]candidate {
	if m.shared == nil {
		m.shared = map[string][]candidate{}
		for _, c := range m.contexts {
			for _, v := range c.model.Vertices {
				if v.SharedState != "" {
					m.shared[v.SharedState] = append(m.shared[v.SharedState], candidate{c, v.Index})
				}
			}
		}
	}
	return m.shared
}

// needs lists, for the leaves of a stop condition, the elements the
// condition still waits for; ok is false for leaves that need no element
// (length, time_duration, never, predefined_path).
func needs(c *Context, leaf condition.Condition) (els []model.Element, ok bool) {
	mod := c.model
	switch x := leaf.(type) {
	case *condition.EdgeCoverage:
		for j := range mod.Edges {
			if el := len(mod.Vertices) + j; !c.Visited(el) {
				els = append(els, el)
			}
		}
		return els, true
	case *condition.VertexCoverage:
		for i := range mod.Vertices {
			if !c.Visited(i) {
				els = append(els, i)
			}
		}
		return els, true
	case *condition.DependencyEdgeCoverage:
		for _, e := range mod.Edges {
			if el := mod.EdgeElement(e); e.Dependency >= x.Dependency && !c.Visited(el) {
				els = append(els, el)
			}
		}
		return els, true
	case *condition.RequirementCoverage:
		for _, r := range c.reqs {
			if r.status == NotCovered && r.element != model.None {
				els = append(els, r.element)
			}
		}
		return els, true
	case *condition.Reached:
		return x.Targets, true
	}
	return nil, false
}

// feasible reports whether cond can still be met given the reachable set,
// and describes the leaves that cannot.
func feasible(c *Context, cond condition.Condition, seen []bool, why *[]string) bool {
	switch x := cond.(type) {
	case *condition.And:
		ok := true
		for _, ch := range x.Children {
			ok = feasible(c, ch, seen, why) && ok
		}
		return ok
	case *condition.Or:
		var local []string
		for _, ch := range x.Children {
			if feasible(c, ch, seen, &local) {
				return true
			}
		}
		*why = append(*why, local...)
		return false
	case *condition.EdgePairCoverage:
		return feasiblePairs(c, x, seen, why)
	}
	els, ok := needs(c, cond)
	if !ok {
		return true
	}
	mod := c.model
	var missing []model.Element
	for _, el := range els {
		if !seen[el] {
			missing = append(missing, el)
		}
	}
	total, target := 0, 1.0
	switch x := cond.(type) {
	case *condition.EdgeCoverage:
		total, target = len(mod.Edges), float64(x.Percent)/100
	case *condition.VertexCoverage:
		total, target = len(mod.Vertices), float64(x.Percent)/100
	case *condition.RequirementCoverage:
		total, target = len(c.reqs), float64(x.Percent)/100
		if total == 0 {
			return true
		}
	case *condition.Reached:
		if len(missing) < len(els) {
			return true
		}
		*why = append(*why, fmt.Sprintf("%s in model %q: no path leads to %s", cond, mod.Name, describe(mod, missing)))
		return false
	case *condition.DependencyEdgeCoverage:
		counted := 0
		for _, e := range mod.Edges {
			if e.Dependency >= x.Dependency {
				counted++
			}
		}
		if counted == 0 {
			*why = append(*why, fmt.Sprintf("%s in model %q: no edge has a dependency of %d or more", cond, mod.Name, x.Dependency))
			return false
		}
	}
	if total == 0 && target > 0 {
		switch cond.(type) {
		case *condition.EdgeCoverage, *condition.VertexCoverage:
			*why = append(*why, fmt.Sprintf("%s in model %q: the model has none to cover", cond, mod.Name))
			return false
		}
	}
	if total > 0 {
		// The most this condition can reach is what is reachable (the
		// elements in els not yet visited may be reached; the rest are).
		covered := float64(total-len(missing)) / float64(total)
		if covered/target >= condition.Level {
			return true
		}
		if len(missing) == 0 {
			*why = append(*why, fmt.Sprintf("%s in model %q: more than 100 %% can never be covered", cond, mod.Name))
			return false
		}
	} else if len(missing) == 0 {
		return true
	}
	*why = append(*why, fmt.Sprintf("%s in model %q: %d element(s) cannot be reached: %s", cond, mod.Name, len(missing), describe(mod, missing)))
	return false
}

func describe(mod *model.Model, els []model.Element) string {
	var parts []string
	for i, el := range els {
		if i == 10 {
			parts = append(parts, fmt.Sprintf("and %d more", len(els)-10))
			break
		}
		parts = append(parts, mod.Describe(el))
	}
	return strings.Join(parts, ", ")
}

func conditionsOf(g generator.Generator) []condition.Condition {
	if s, ok := g.(*generator.Sequence); ok {
		var out []condition.Condition
		for _, x := range s.Gens {
			out = append(out, x.StopCondition())
		}
		return out
	}
	return []condition.Condition{g.StopCondition()}
}

func (m *Machine) starts() []candidate {
	var s []candidate
	for _, c := range m.contexts {
		if c.next != model.None {
			s = append(s, candidate{c, c.next})
		}
		if c.current != model.None {
			s = append(s, candidate{c, c.current})
		}
	}
	return s
}

// checkReachable fails when a stop condition can never be met because what
// it needs cannot be reached from any start element.
func (m *Machine) checkReachable() error {
	seen, err := m.reach(reachOpts{}, m.starts())
	if err != nil {
		return err
	}
	var why []string
	for _, c := range m.contexts {
		for _, cond := range conditionsOf(c.gen) {
			feasible(c, cond, seen[c.index], &why)
		}
	}
	if len(why) > 0 {
		return fmt.Errorf("the stop condition can never be met, so the walk would not end: %s", strings.Join(why, "; "))
	}
	return nil
}

// checkProgress runs after each step; see the comment at the top.
func (m *Machine) checkProgress() error {
	if m.window <= 0 || m.totalSteps-m.lastGain < m.window {
		return nil
	}
	m.lastGain = m.totalSteps
	endless := false
	for _, c := range m.contexts {
		condition.Walk(c.gen.StopCondition(), func(x condition.Condition) {
			if _, ok := x.(condition.Never); ok {
				endless = true
			}
		})
	}
	if endless {
		m.window = -1 // never: the walk is endless by request
		return nil
	}
	if err := m.checkHeading(); err != nil {
		return err
	}
	var from []candidate
	if c := m.current; c.current != model.None {
		from = append(from, candidate{c, c.current})
	} else if c.next != model.None {
		from = append(from, candidate{c, c.next})
	}
	seen, err := m.reach(reachOpts{live: true}, from)
	if err != nil {
		return err
	}
	var why []string
	stuck := false
	for _, c := range m.contexts {
		if c.status == Completed || c.status == Failed {
			continue
		}
		if !feasible(c, c.gen.StopCondition(), seen[c.index], &why) {
			stuck = true
		}
	}
	if !stuck {
		return nil
	}
	return fmt.Errorf("no progress in the last %d steps and, with the guards as they are now, nothing the stop condition still needs can be reached: %s", m.window, strings.Join(why, "; "))
}

// checkHeading is the invariant of the generators that head for targets by
// shortest paths (quick_random, a_star, shortest_all_paths): after a
// no-progress window, none of them may be walking while something a stop
// condition still needs can be reached from where it stands, with the
// guards as they are now — first looked for in its own model, then anywhere
// (a finished quick_random that circles where no jump leads on holds up the
// models that are not). One that is has failed to get there (GraphWalker's
// quick_random and a_star wander for ever when a guard keeps them from their
// target): an error naming it and its target.
func (m *Machine) checkHeading() error {
	c := m.current
	if c == nil || c.current == model.None || c.status == Failed {
		return nil
	}
	g := c.gen
	if s, ok := g.(*generator.Sequence); ok {
		g = s.Active()
	}
	tg, ok := g.(generator.Targeter)
	if !ok {
		return nil
	}
	from := []candidate{{c, c.current}}
	var where *Context
	el := model.None
	for _, alone := range []bool{true, false} {
		seen, err := m.reach(reachOpts{live: true, alone: alone}, from)
		if err != nil {
			return err
		}
		for _, x := range m.contexts {
			if (alone && x != c) || x.status == Completed || x.status == Failed || x.gen.StopCondition().Fulfilled() {
				continue
			}
			condition.Walk(x.gen.StopCondition(), func(leaf condition.Condition) {
				if els, ok := needs(x, leaf); ok && el == model.None {
					if i := slices.IndexFunc(els, func(e model.Element) bool { return seen[x.index][e] }); i >= 0 {
						where, el = x, els[i]
					}
				}
			})
			if el != model.None {
				break
			}
		}
		if el != model.None {
			break
		}
	}
	if el == model.None {
		return nil
	}
	mod := c.model
	heads := "has no target"
	if t := tg.Target(); t != model.None {
		heads = "heads for " + mod.Describe(t)
		if c.Distances().Distance(c.current, t) == algorithm.Inf {
			heads += ", which no path from there reaches,"
		}
	}
	need := mod.Describe(el) + ", which its stop condition still needs,"
	if where != c {
		need = fmt.Sprintf("%s of model %q, which that model's stop condition still needs,", where.model.Describe(el), where.model.Name)
	}
	return fmt.Errorf("no progress in the last %d steps: %s in model %q %s and covered nothing, although %s can be reached from %s with the guards as they are now",
		m.window, g, mod.Name, heads, need, mod.Describe(c.current))
}

// GraphWalker's quick_random keeps its target until it is asked for a step
// at it, and heads for it even where no path leads there, taking the first
// available next element (see generator.QuickRandom): such a walk may never
// end. The generators ask the machine whether it still can (CanEnd), and the
// machine answers by over-approximating every future of the walk from where
// it stands: each quick_random that has a target takes, at each vertex, only
// the out-edges its A* step might take (courseEdges: guards may be false,
// so a guarded edge is possible wherever an unguarded one does not beat
// it); every other generator any out-edge; every shared-state jump is open.
// A quick_random whose target that closure reaches, at a place where it
// would be asked for the next step (keepsWalk), may pick another target, so
// it is then let free and the closure is taken again. If some stop
// condition still needs elements outside the final closure, no future of
// GraphWalker's walk meets it: it provably never ends. A vertex where the
// walk might fail instead (no unguarded out-edge, no model to jump to)
// counts as a possible end.

// endCache remembers where canEnd answered yes. The answer can only turn to
// no when the walk moves or a quick_random changes target (coverage only
// grows), so it is kept per position for one set of targets.
type endCache struct {
	course []model.Element
	yes    map[endKey]bool
}

type endKey struct {
	ctx, el, next int
}

// canEnd implements generator.Outlook.CanEnd for the machine.
func (m *Machine) canEnd() (bool, error) {
	if m.keepCourse {
		return true, nil
	}
	course := make([]model.Element, len(m.contexts))
	for i, c := range m.contexts {
		course[i] = courseTarget(c)
	}
	starts := m.starts()
	key := endKey{ctx: -1, el: model.None, next: len(starts)}
	if c := m.current; c != nil {
		key.ctx, key.el = c.index, c.current
		if key.el == model.None {
			key.el = c.next
		}
	}
	if !slices.Equal(m.ending.course, course) {
		m.ending.course = append(m.ending.course[:0], course...)
		clear(m.ending.yes)
	}
	if m.ending.yes[key] {
		return true, nil
	}
	var open []*Context // contexts whose stop condition is not met yet
	needy := false
	for _, c := range m.contexts {
		if c.status == Completed || c.status == Failed || c.gen.StopCondition().Fulfilled() {
			continue
		}
		open = append(open, c)
		endless := false
		condition.Walk(c.gen.StopCondition(), func(x condition.Condition) {
			switch x.(type) {
			case condition.Never:
				endless = true
			case *condition.EdgeCoverage, *condition.VertexCoverage, *condition.DependencyEdgeCoverage,
				*condition.RequirementCoverage, *condition.Reached, *condition.EdgePairCoverage:
				needy = true
			}
		})
		if endless {
			return true, nil // never: endless by request, not by accident
		}
	}
	if !needy {
		return true, nil // length, time_duration...: they end anyway
	}
	for {
		seen, deadEnd, err := m.reachEnd(reachOpts{course: course}, starts)
		if err != nil || deadEnd {
			return deadEnd, err
		}
		freed := false
		for i, t := range course {
			if t != model.None && seen[i][t] && keepsWalk(m.contexts[i], t) {
				course[i], freed = model.None, true
			}
		}
		if freed {
			continue
		}
		var why []string
		for _, c := range open {
			if !feasible(c, c.gen.StopCondition(), seen[c.index], &why) {
				return false, nil
			}
		}
		if m.ending.yes == nil {
			m.ending.yes = map[endKey]bool{}
		}
		m.ending.yes[key] = true
		return true, nil
	}
}

// courseTarget is the target of c's quick_random when it keeps
// GraphWalker's course for good: the active generator (the last of a
// sequence, which cannot hand over to another), not at its target.
func courseTarget(c *Context) model.Element {
	g := c.gen
	if s, ok := g.(*generator.Sequence); ok {
		if g = s.Active(); g != s.Gens[len(s.Gens)-1] {
			return model.None
		}
	}
	q, ok := g.(*generator.QuickRandom)
	if !ok {
		return model.None
	}
	t := q.Target()
	if t == c.current && t != model.None && keepsWalk(c, t) {
		return model.None // it will pick another
	}
	return t
}

// feasiblePairs is feasible for edge_pair_coverage: a pair can still be
// walked when both its edges can be reached (the second leaves the vertex
// the first enters).
func feasiblePairs(c *Context, x *condition.EdgePairCoverage, seen []bool, why *[]string) bool {
	mod := c.model
	total := x.Total()
	if total == 0 {
		*why = append(*why, fmt.Sprintf("%s in model %q: the model has no pair of consecutive edges to cover", x, mod.Name))
		return false
	}
	var missing [][2]model.Element
	x.Uncovered(func(e, f model.Element) {
		if !seen[e] || !seen[f] {
			missing = append(missing, [2]model.Element{e, f})
		}
	})
	if float64(total-len(missing))/float64(total)/(float64(x.Percent)/100) >= condition.Level {
		return true
	}
	if len(missing) == 0 {
		*why = append(*why, fmt.Sprintf("%s in model %q: more than 100 %% can never be covered", x, mod.Name))
		return false
	}
	var parts []string
	for i, p := range missing {
		if i == 10 {
			parts = append(parts, fmt.Sprintf("and %d more", len(missing)-10))
			break
		}
		parts = append(parts, mod.Describe(p[0])+" then "+mod.Describe(p[1]))
	}
	*why = append(*why, fmt.Sprintf("%s in model %q: %d pair(s) of edges cannot be walked: %s", x, mod.Name, len(missing), strings.Join(parts, ", ")))
	return false
}
