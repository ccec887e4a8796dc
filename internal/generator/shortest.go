package generator

import (
	"github.com/gw-project/gw/internal/algorithm"
	"github.com/gw-project/gw/internal/condition"
	"github.com/gw-project/gw/internal/model"
)

// ShortestAllPaths is shortest_all_paths(...): a planned walk, computed on
// the first step and re-planned when the walk leaves it.
//
// In a machine of several models joined by shared states (the context is
// a Network) and with an edge goal, the generators of all the models that
// walk shortest_all_paths on edges follow one plan across the models
// (algorithm.Planner over all of them), choosing the machine's jumps too
// (Jumper): the whole run is the shortest walk through every edge of those
// models, not each model's alone. When the next planned edge's guard is
// false, the walk is re-planned across the models with this model's
// guards as they evaluate now (other models' guards are not evaluated).
// When that leaves nothing to do here, or the machine did not make a
// planned jump (another generator moved it), one step is taken as below
// for one model, and the common plan is made again from wherever the walk
// then is.
//
// Otherwise, and for one model:
//
// Where GraphWalker's Euler trail exists (the model is Eulerian or
// semi-Eulerian and its Fleury trail completes from the start) that trail
// is walked, guards ignored, exactly as GraphWalker does. Otherwise the plan
// depends on the stop condition:
//   - vertex_coverage only: a heuristic walk, nearest unvisited vertex
//     first (algorithm.Planner.CoverVertices);
//   - dependency_edge_coverage only: the edges at or above the threshold;
//   - edge_pair_coverage (gw's own), alone or with others: the shortest walk
//     through every pair of consecutive edges not walked yet (the open
//     postman on the line graph), then through the edges still unvisited;
//   - anything else: the shortest walk through every edge not yet visited,
//     the open Chinese postman tour (algorithm.Planner.CoverEdges), exactly
//     shortest on the first plan. edge_coverage(N) with N < 100 stops on the
//     way as soon as N % is reached.
//
// These plans respect guards: when a guard blocks the next planned edge,
// the walk is re-planned from where it stands with the guards as they
// evaluate now; if nothing still needed can be reached that way, one
// random available edge is taken and planning resumes after it. A walk
// moved elsewhere (a shared-state jump) is also re-planned. Each model is
// planned alone: edges that only other models lead to (through shared
// states) are left to the machine's jumps — when nothing else is left the
// walk visits this model's shared states, where the machine may jump, and
// their unreachability is then the machine's check to report. When the plan
// is walked out and the stop condition still wants steps (length,
// time_duration, never...), another round through every edge is planned;
// in a model with shared states, random steps are taken instead.
type ShortestAllPaths struct {
	Ctx  Context
	Stop condition.Condition

	built   bool
	goal    goal
	dep     int // dependency_edge_coverage threshold
	planner *algorithm.Planner
	plan    []model.Element
	pos     int                         // next index into plan
	at      model.Element               // the element plan[pos] follows
	fleury  bool                        // plan is GraphWalker's trail: guards ignored
	guards  bool                        // the model has guards
	pairs   *condition.EdgePairCoverage // the condition planned for, with goalPairs
	shared  bool                        // the model has shared states: other models may lead on
	buf     []model.Element

	lastFrom     algorithm.Loc // where the plan that stranded lastStranded began
	lastStranded []algorithm.Loc

	// Across models (see Network): the machine's shared plan and this
	// model's index in it.
	net Network
	np  *netPlan
	idx int
}

type goal int

const (
	goalEdges goal = iota
	goalVertices
	goalDependency
	goalPairs // edge_pair_coverage (gw's own)
)

func (g *ShortestAllPaths) HasNext() bool                      { return !g.Stop.Fulfilled() }
func (g *ShortestAllPaths) StopCondition() condition.Condition { return g.Stop }
func (g *ShortestAllPaths) String() string                     { return "ShortestAllPaths(" + g.Stop.String() + ")" }

// Target is the next planned element not yet visited in this model
// (model.None when the plan has none).
func (g *ShortestAllPaths) Target() model.Element {
	if g.np != nil && g.np.valid {
		for _, s := range g.np.steps[min(g.np.pos, len(g.np.steps)):] {
			if s.Model == g.idx && !g.Ctx.Visited(s.Element) {
				return s.Element
			}
		}
	}
	for _, el := range g.plan[min(g.pos, len(g.plan)):] {
		if !g.Ctx.Visited(el) {
			return el
		}
	}
	return model.None
}

func (g *ShortestAllPaths) Next() (model.Element, error) {
	ctx := g.Ctx
	m := ctx.Model()
	cur := ctx.Current()
	if cur == model.None {
		return model.None, &NoPathError{Model: m, Element: model.None}
	}
	if !g.built {
		g.build(cur)
	}
	if g.np != nil {
		el, ok, err := g.netNext(cur)
		if err != nil {
			return model.None, err
		}
		if ok {
			g.plan, g.pos, g.at = g.plan[:0], 0, el
			ctx.SetCurrent(el)
			return el, nil
		}
	}
	if g.pos >= len(g.plan) || g.at != cur {
		if err := g.replan(cur, false); err != nil {
			return model.None, err
		}
	}
	el := g.plan[g.pos]
	if !g.fleury && g.guards && m.IsEdge(el) && m.Edge(el).Guard != "" {
		ok, err := ctx.Available(el)
		if err != nil {
			return model.None, err
		}
		if !ok {
			if el, err = g.blocked(cur); err != nil {
				return model.None, err
			}
		}
	}
	g.pos++
	g.at = el
	ctx.SetCurrent(el)
	return el, nil
}

// build chooses the goal and, where GraphWalker's trail exists, takes it.
func (g *ShortestAllPaths) build(cur model.Element) {
	g.built = true
	m := g.Ctx.Model()
	g.goal, g.dep = goalOf(g.Stop)
	for _, e := range m.Edges {
		g.guards = g.guards || e.Guard != ""
	}
	for _, v := range m.Vertices {
		g.shared = g.shared || v.SharedState != ""
	}
	if g.goal == goalEdges {
		if g.net, g.np = networked(g.Ctx); g.np != nil {
			g.idx = g.net.Index()
			return
		}
	}
	if g.goal == goalPairs {
		condition.Walk(g.Stop, func(x condition.Condition) {
			if p, ok := x.(*condition.EdgePairCoverage); ok && g.pairs == nil {
				g.pairs = p
			}
		})
		return // GraphWalker's trail covers edges, not pairs
	}
	// HasEulerTrail first: Fleury costs O(E²) and fails whenever it is false.
	if algorithm.EulerType(m) != algorithm.NotEulerian && algorithm.HasEulerTrail(m, cur) {
		if trail, err := algorithm.FleuryTrail(m, cur); err == nil {
			g.plan, g.pos, g.at, g.fleury = trail, 0, cur, true
		}
	}
}

// goalOf is what the plan must cover for the stop condition c.
func goalOf(c condition.Condition) (goal, int) {
	vertices, deps, pairs, other := 0, 0, 0, 0
	dep := -1
	condition.Walk(c, func(x condition.Condition) {
		switch x := x.(type) {
		case *condition.And, *condition.Or:
		case *condition.EdgePairCoverage:
			pairs++
		case *condition.VertexCoverage:
			vertices++
		case *condition.DependencyEdgeCoverage:
			deps++
			if dep < 0 || x.Dependency < dep {
				dep = x.Dependency
			}
		default:
			other++
		}
	})
	switch {
	case pairs > 0:
		// Planning pairs walks every edge that has a pair; edges without
		// one are planned once the pairs are walked.
		return goalPairs, 0
	case other == 0 && deps == 0 && vertices > 0:
		return goalVertices, 0
	case other == 0 && vertices == 0 && deps > 0:
		return goalDependency, dep
	}
	return goalEdges, 0
}

// replan plans from cur for what the goal still needs. With live set the
// plan uses only edges whose guard is true now, and may be empty; without,
// an empty plan is an error or starts a new round.
func (g *ShortestAllPaths) replan(cur model.Element, live bool) error {
	ctx := g.Ctx
	m := ctx.Model()
	if g.planner == nil {
		g.planner = algorithm.NewPlanner(m)
	}
	var open func(algorithm.Loc) bool
	var guardErr error
	if live {
		open = func(l algorithm.Loc) bool {
			if guardErr != nil {
				return false
			}
			if m.Edge(l.Element).Guard == "" {
				return true
			}
			ok, err := ctx.Available(l.Element)
			guardErr = err
			return ok && err == nil
		}
	}
	from := algorithm.Loc{Element: cur}
	pl, err := g.plan1(from, open, false)
	if err != nil {
		return err
	}
	if guardErr != nil {
		return guardErr
	}
	g.fleury, g.pos, g.at = false, 0, cur
	g.plan = g.plan[:0]
	for _, s := range pl.Steps {
		g.plan = append(g.plan, s.Element)
	}
	if live {
		return nil
	}
	missed := pl.Missed()
	if len(missed) > 0 && !g.shared && (len(g.plan) == 0 || !g.reachable(len(missed))) {
		return g.uncovered(from, pl)
	}
	if len(pl.Stranded) > 0 {
		g.lastFrom, g.lastStranded = from, pl.Stranded
	}
	if len(g.plan) > 0 {
		return nil
	}
	if len(missed) > 0 {
		// Only another model can lead there: visit this model's shared
		// states, where the machine may jump, or else move at random.
		pl, err = g.planner.CoverVertices(from, func(l algorithm.Loc) bool {
			return l.Element != cur && m.Vertex(l.Element).SharedState != ""
		}, nil)
		if err != nil {
			return err
		}
		for _, s := range pl.Steps {
			g.plan = append(g.plan, s.Element)
		}
		if len(g.plan) == 0 {
			return g.randomStep()
		}
		return nil
	}
	// Everything is covered but the stop condition wants more. With other
	// models about, move at random: a fixed round would be cut short at
	// the same shared states each time and never lead the machine to the
	// jumps that other models still need. Alone, go round again through
	// every edge reachable from here.
	if g.shared {
		return g.randomStep()
	}
	pl, err = g.plan1(from, nil, true)
	if err != nil {
		return err
	}
	for _, s := range pl.Steps {
		g.plan = append(g.plan, s.Element)
	}
	if len(g.plan) == 0 {
		return &NoPathError{Model: m, Element: cur, Reason: "everything reachable from here is covered, no edge leads on, and the stop condition is not met"}
	}
	return nil
}

// reachable reports whether the stop condition can still be met with
// missed edges left uncovered; only a lone edge_coverage is judged, any
// other condition is given the benefit of the doubt.
func (g *ShortestAllPaths) reachable(missed int) bool {
	c, ok := g.Stop.(*condition.EdgeCoverage)
	if !ok || g.goal != goalEdges {
		return true
	}
	total := len(g.Ctx.Model().Edges)
	return float64(total-missed)/float64(total)/(float64(c.Percent)/100) >= condition.Level
}

// uncovered is the error for needed elements no walk from here covers,
// worded from an earlier plan that already found them stranded.
func (g *ShortestAllPaths) uncovered(from algorithm.Loc, pl *algorithm.Plan) error {
	m := g.Ctx.Model()
	e := &algorithm.UncoveredError{Models: []*model.Model{m}, From: from, Unreachable: pl.Unreachable, Stranded: pl.Stranded}
	if len(g.lastStranded) > 0 && len(pl.Stranded) == 0 {
		was := map[algorithm.Loc]bool{}
		for _, l := range g.lastStranded {
			was[l] = true
		}
		e.From, e.Unreachable, e.Stranded = g.lastFrom, nil, nil
		for _, l := range pl.Unreachable {
			if was[l] {
				e.Stranded = append(e.Stranded, l)
			} else {
				e.Unreachable = append(e.Unreachable, l)
			}
		}
	}
	return &NoPathError{Model: m, Element: from.Element, Reason: "shortest_all_paths: " + e.Error()}
}

func (g *ShortestAllPaths) plan1(from algorithm.Loc, open func(algorithm.Loc) bool, again bool) (*algorithm.Plan, error) {
	ctx := g.Ctx
	m := ctx.Model()
	switch {
	case again:
		return g.planner.CoverEdges(from, func(l algorithm.Loc) bool { return l.Element != from.Element }, open)
	case g.goal == goalVertices:
		return g.planner.CoverVertices(from, func(l algorithm.Loc) bool { return !ctx.Visited(l.Element) }, open)
	case g.goal == goalPairs:
		return g.planPairs(from, open)
	case g.goal == goalDependency:
		return g.planner.CoverEdges(from, func(l algorithm.Loc) bool {
			return !ctx.Visited(l.Element) && m.Edge(l.Element).Dependency >= g.dep
		}, open)
	}
	return g.planner.CoverEdges(from, func(l algorithm.Loc) bool { return !ctx.Visited(l.Element) }, open)
}

// planPairs plans the shortest walk from `from` through every pair of
// consecutive edges not walked yet (the open postman on the line graph,
// algorithm.Planner.EdgePairCases); once every pair is walked, through the
// edges not visited yet.
func (g *ShortestAllPaths) planPairs(from algorithm.Loc, open func(algorithm.Loc) bool) (*algorithm.Plan, error) {
	ctx := g.Ctx
	var need []algorithm.Pair
	g.pairs.Uncovered(func(e, f model.Element) {
		need = append(need, algorithm.Pair{First: algorithm.Loc{Element: e}, Second: algorithm.Loc{Element: f}})
	})
	if len(need) == 0 {
		return g.planner.CoverEdges(from, func(l algorithm.Loc) bool { return !ctx.Visited(l.Element) }, open)
	}
	var prev *algorithm.Loc
	if e := g.pairs.PrevEdge(); e != model.None {
		prev = &algorithm.Loc{Element: e}
	}
	cp, err := g.planner.EdgePairCases(from, need, open, algorithm.CaseOptions{Single: true, Prev: prev})
	if err != nil {
		return nil, err
	}
	pl := &algorithm.Plan{Exact: cp.Exact}
	if len(cp.Cases) > 0 {
		pl.Steps = cp.Cases[0][1:]
	}
	seen := map[algorithm.Loc]bool{}
	for _, i := range cp.Unreachable {
		if l := need[i].Second; !seen[l] {
			seen[l] = true
			pl.Unreachable = append(pl.Unreachable, l)
		}
	}
	return pl, nil
}

// blocked handles a planned edge whose guard is false: plan again with
// the guards as they are, or, when nothing needed is reachable that way,
// take a random available edge so that the guards may change.
func (g *ShortestAllPaths) blocked(cur model.Element) (model.Element, error) {
	if err := g.replan(cur, true); err != nil {
		return model.None, err
	}
	if len(g.plan) == 0 {
		if err := g.randomStep(); err != nil {
			return model.None, err
		}
	}
	return g.plan[0], nil
}

// randomStep plans one random available step; planning resumes after it.
func (g *ShortestAllPaths) randomStep() error {
	var err error
	g.buf, err = next(g.Ctx, g.buf)
	if err != nil {
		return err
	}
	if len(g.buf) == 0 {
		return deadEnd(g.Ctx)
	}
	g.plan = append(g.plan[:0], g.buf[g.Ctx.Rand().Intn(len(g.buf))])
	return nil
}

// netStep is the shared plan's next step from cur, re-planned when the
// walk left the plan, and re-planned with this model's guards as they are
// now when its next edge here is closed (the other models' guards cannot
// be evaluated from here). ok is false when nothing is left to plan.
func (g *ShortestAllPaths) netStep(cur model.Element) (algorithm.Loc, bool, error) {
	here := algorithm.Loc{Model: g.idx, Element: cur}
	s, ok, err := g.np.follow(g.net, here)
	if err != nil || !ok || s.Model != g.idx {
		return s, ok, err
	}
	m := g.Ctx.Model()
	if !m.IsEdge(s.Element) || m.Edge(s.Element).Guard == "" {
		return s, true, nil
	}
	if open, err := g.Ctx.Available(s.Element); err != nil || open {
		return s, err == nil, err
	}
	var guardErr error
	err = g.np.replan(g.net, here, func(l algorithm.Loc) bool {
		if l.Model != g.idx || guardErr != nil {
			return guardErr != nil
		}
		if m.Edge(l.Element).Guard == "" {
			return false
		}
		ok, err := g.Ctx.Available(l.Element)
		guardErr = err
		return !ok || err != nil
	})
	if err == nil {
		err = guardErr
	}
	if err != nil || len(g.np.steps) == 0 {
		g.np.valid = false
		return s, false, err
	}
	return g.np.steps[0], true, nil
}

// netNext takes the shared plan's next step when it is an element of
// this model; ok is false when the plan has nothing to walk here: it is
// exhausted, or it jumps where the machine did not.
func (g *ShortestAllPaths) netNext(cur model.Element) (model.Element, bool, error) {
	s, ok, err := g.netStep(cur)
	if err != nil || !ok {
		return model.None, false, err
	}
	if s.Model != g.idx {
		g.np.valid = false
		return model.None, false, nil
	}
	g.np.pos++
	g.np.at = s
	return s.Element, true, nil
}

// Jump implements Jumper: at a shared-state vertex, stay when the common
// plan goes on in this model, or take the jump it makes.
func (g *ShortestAllPaths) Jump(cands []algorithm.Loc) int {
	cur := g.Ctx.Current()
	if cur == model.None {
		return -1
	}
	if !g.built {
		g.build(cur)
	}
	if g.np == nil {
		return -1
	}
	here := algorithm.Loc{Model: g.idx, Element: cur}
	s, ok, err := g.netStep(cur)
	if err != nil || !ok {
		return -1
	}
	want := s
	if s.Model == g.idx {
		want = here
	}
	for i, c := range cands {
		if c == want {
			if want != here {
				g.np.pos++
				g.np.at = s
			}
			return i
		}
	}
	return -1
}
