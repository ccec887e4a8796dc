package generator

import (
	"github.com/gw-project/gw/internal/algorithm"
	"github.com/gw-project/gw/internal/model"
)

// Network is what a context of a multi-model machine tells its generator
// about the other models. Optional: machine.Context implements it.
type Network interface {
	// Models lists all the machine's models, in machine order.
	Models() []*model.Model
	// Index is this context's model, an index into Models.
	Index() int
	// VisitedIn reports whether el was executed in model k.
	VisitedIn(k int, el model.Element) bool
	// SharedPlan is one slot per machine where generators keep a plan
	// they follow together.
	SharedPlan() *any
	// GeneratorIn is model k's generator.
	GeneratorIn(k int) Generator
}

// Jumper is implemented by generators that choose the machine's
// shared-state jumps.
type Jumper interface {
	// Jump is called at a shared-state vertex with where the machine may
	// go (as the machine lists them; the current vertex itself when it may
	// stay). It returns an index into cands, or -1 to let the machine pick
	// at random as GraphWalker does.
	Jump(cands []algorithm.Loc) int
}

// Jump delegates to the active generator.
func (g *Sequence) Jump(cands []algorithm.Loc) int {
	if g.active < len(g.Gens) {
		if j, ok := g.Gens[g.active].(Jumper); ok {
			return j.Jump(cands)
		}
	}
	return -1
}

// netPlan is the plan shared by a machine's shortest_all_paths generators:
// one walk across the models, jumps included.
type netPlan struct {
	models  []*model.Model
	planner *algorithm.Planner
	steps   []algorithm.Loc
	pos     int           // next index into steps
	at      algorithm.Loc // the element steps[pos] follows
	valid   bool
	walker  []bool // per model: its generator follows the plan
	needed  []bool // per model: and still wants steps
}

// networked returns the machine's shared plan when ctx is one of several
// models joined to another by a shared state, else nil.
func networked(ctx Context) (Network, *netPlan) {
	nw, ok := ctx.(Network)
	if !ok {
		return nil, nil
	}
	models := nw.Models()
	k := nw.Index()
	if len(models) < 2 || k < 0 || k >= len(models) {
		return nil, nil
	}
	names := map[string]bool{}
	for _, v := range models[k].Vertices {
		if v.SharedState != "" {
			names[v.SharedState] = true
		}
	}
	joined := false
	for j, m := range models {
		for _, v := range m.Vertices {
			if j != k && names[v.SharedState] {
				joined = true
			}
		}
	}
	if !joined {
		return nil, nil
	}
	slot := nw.SharedPlan()
	if np, ok := (*slot).(*netPlan); ok {
		return nw, np
	}
	np := &netPlan{models: models, planner: algorithm.NewPlanner(models...)}
	*slot = np
	return nw, np
}

// planWalker is model k's shortest_all_paths generator when it plans edges
// (the active one of a sequence), else nil.
func planWalker(g Generator) *ShortestAllPaths {
	if s, ok := g.(*Sequence); ok {
		if s.active >= len(s.Gens) {
			return nil
		}
		g = s.Gens[s.active]
	}
	if sp, ok := g.(*ShortestAllPaths); ok {
		if gl, _ := goalOf(sp.Stop); gl == goalEdges {
			return sp
		}
	}
	return nil
}

// replan plans from here through every edge not yet visited of the
// models whose generator follows the plan and still wants steps; the
// other models' edges are closed (their generators walk them their way),
// and so are the edges for which closed (when not nil) reports true.
func (np *netPlan) replan(nw Network, here algorithm.Loc, closed func(algorithm.Loc) bool) error {
	n := len(np.models)
	np.walker = resize(np.walker, n)
	np.needed = resize(np.needed, n)
	for k := range n {
		sp := planWalker(nw.GeneratorIn(k))
		np.walker[k] = sp != nil
		np.needed[k] = sp != nil && !sp.Stop.Fulfilled()
	}
	pl, err := np.planner.CoverEdges(here,
		func(l algorithm.Loc) bool { return np.needed[l.Model] && !nw.VisitedIn(l.Model, l.Element) },
		func(l algorithm.Loc) bool { return np.walker[l.Model] && (closed == nil || !closed(l)) })
	if err != nil {
		np.valid = false
		return err
	}
	np.steps = append(np.steps[:0], pl.Steps...)
	np.pos, np.at, np.valid = 0, here, true
	return nil
}

// follow makes sure the plan continues from here, re-planning when the
// walk left it; ok is false when nothing is left to plan.
func (np *netPlan) follow(nw Network, here algorithm.Loc) (algorithm.Loc, bool, error) {
	if !np.valid || np.at != here || np.pos >= len(np.steps) {
		if err := np.replan(nw, here, nil); err != nil {
			return algorithm.Loc{}, false, err
		}
	}
	if np.pos >= len(np.steps) {
		return algorithm.Loc{}, false, nil
	}
	return np.steps[np.pos], true, nil
}

func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
