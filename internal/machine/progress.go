package machine

import (
	"fmt"
	"strings"

	"github.com/gw-project/gw/internal/condition"
	"github.com/gw-project/gw/internal/generator"
	"github.com/gw-project/gw/internal/model"
)

// GraphWalker walks forever when a stop condition cannot be met. gw checks
// twice: at start, whether each condition can be met at all from the start
// elements (guards ignored: certain, so reported at once); and during the
// walk, when a long window passes without new coverage, whether anything the
// conditions still need can be reached from where the walk stands with the
// guards as they evaluate now. Only when nothing can does the walk end.

// reach marks, per context, the elements reachable from the given starts,
// following edges and shared-state jumps. With live set, guards are
// evaluated (in their own context's scope) and false ones are not followed.
func (m *Machine) reach(live bool, starts []candidate) ([][]bool, error) {
	seen := make([][]bool, len(m.contexts))
	for i, c := range m.contexts {
		seen[i] = make([]bool, c.model.NumElements())
	}
	shared := map[string][]candidate{}
	for _, c := range m.contexts {
		for _, v := range c.model.Vertices {
			if v.SharedState != "" {
				shared[v.SharedState] = append(shared[v.SharedState], candidate{c, v.Index})
			}
		}
	}
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
		mod := x.ctx.model
		if mod.IsEdge(x.v) {
			if t := mod.Edge(x.v).Target; t != nil {
				push(candidate{x.ctx, t.Index})
			}
			continue
		}
		nv := len(mod.Vertices)
		for _, e := range mod.OutEdges(x.v) {
			el := nv + int(e)
			if live {
				ok, err := x.ctx.Available(el)
				if err != nil {
					return nil, err
				}
				if !ok {
					continue
				}
			}
			push(candidate{x.ctx, el})
		}
		if s := mod.Vertex(x.v).SharedState; s != "" {
			for _, y := range shared[s] {
				push(y)
			}
		}
	}
	return seen, nil
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
	seen, err := m.reach(false, m.starts())
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
	var from []candidate
	if c := m.current; c.current != model.None {
		from = append(from, candidate{c, c.current})
	} else if c.next != model.None {
		from = append(from, candidate{c, c.next})
	}
	seen, err := m.reach(true, from)
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
