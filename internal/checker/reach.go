package checker

import (
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/gw-project/gw/internal/generator"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
)

// MsgNoStartAtAll is gw's issue when models have shared states but none
// has a start element: GraphWalker's checker lets it pass, its walk fails
// with "No start context found".
const MsgNoStartAtAll = "None of the models has a start element, so a walk cannot start (No start context found): give one model a start element (startElementId in JSON, a Start vertex in GraphML or DOT)."

// Reachability runs gw's own checks, which GraphWalker does not have:
// every vertex and edge must be reachable from a start element (along
// edges and shared-state jumps between models, guards ignored; a model
// without a start element is entered only through its shared states), and
// the models must make a machine that can start and whose stop conditions
// can be met (gw's machine refuses to start otherwise). Models GraphWalker
// already reports as having neither a start element nor a shared state are
// left out.
func Reachability(models []*model.Model) []Issue {
	if len(models) == 0 {
		return nil
	}
	clones := make([]*model.Model, 0, len(models))
	for _, m := range models {
		if m == nil {
			return nil // GraphWalker's "No model found in context" says it all
		}
		if bad := strayVertex(m); bad != "" {
			return []Issue{{Model: m.Name, Own: true, Message: bad}}
		}
		c := m.Clone()
		if c.StartElement() == model.None {
			// GraphWalker's JSON reader ignores a startElementId that names
			// no element of the model.
			c.StartElementID = ""
		}
		if err := c.Index(); err != nil {
			return []Issue{{Model: m.Name, Own: true, Message: "The model cannot be used: " + err.Error()}}
		}
		clones = append(clones, c)
	}
	var out []Issue
	anyStart, anyShared := false, false
	for _, c := range clones {
		anyStart = anyStart || c.StartElement() != model.None
		anyShared = anyShared || hasSharedStates(c)
	}
	if !anyStart {
		if anyShared {
			out = append(out, Issue{Own: true, Message: MsgNoStartAtAll})
		}
		return out // else GraphWalker reported each model already
	}
	seen := reach(clones)
	for i, c := range clones {
		if c.StartElement() == model.None && !hasSharedStates(c) {
			continue // GraphWalker's MsgNoStart
		}
		nv := len(c.Vertices)
		for el, ok := range seen[i] {
			if ok {
				continue
			}
			var d string
			if el < nv {
				d = describeVertex(c.Vertices[el])
			} else {
				d = describeEdge(c.Edges[el-nv])
			}
			out = append(out, Issue{Model: c.Name, Element: d, Own: true,
				Message: fmt.Sprintf("%s in model %q cannot be reached from any start element (following edges and shared states, guards ignored).", capitalize(d), c.Name)})
		}
	}
	mach, err := machine.New(clones, machine.Options{HasSeed: true, Seed: 1})
	if err != nil {
		return append(out, Issue{Own: true, Message: "The model(s) cannot be walked: " + err.Error()})
	}
	defer mach.Close()
	return append(out, firstSteps(mach)...)
}

// firstSteps takes the walk's first steps, as gw offline would, with the
// models' initial data (INIT actions run), until it has left the first
// vertex it reaches. A dead end there is what the static checks cannot
// see: typically every way out of the start has a guard that is false
// with the initial data, and offline fails at once.
func firstSteps(m *machine.Machine) []Issue {
	const maxSteps = 100 // a start edge, a vertex, an edge out: far fewer
	vertices := 0
	for range maxSteps {
		more, err := m.HasNext()
		if err == nil && !more {
			return nil
		}
		var s machine.Step
		if err == nil {
			s, err = m.Next()
		}
		var dead *generator.NoPathError
		if errors.As(err, &dead) {
			return []Issue{{Own: true, Message: "The walk fails at its first steps, with the models' initial data (their INIT actions): " + err.Error() +
				". Check the guards on the way out of the start element; gw offline would stop here."}}
		}
		if err != nil {
			// Other failures (a guard reading a variable the test code sets
			// through setData, say) may not happen in a real run.
			return nil
		}
		if s.Model().IsVertex(s.Element) {
			if vertices++; vertices == 2 {
				return nil
			}
		}
	}
	return nil
}

// strayVertex reports an edge whose source or target is not a vertex of
// its model (hand-built models only; readers never make one).
func strayVertex(m *model.Model) string {
	in := make(map[*model.Vertex]bool, len(m.Vertices))
	for _, v := range m.Vertices {
		in[v] = true
	}
	for _, e := range m.Edges {
		if e.Source != nil && !in[e.Source] || e.Target != nil && !in[e.Target] {
			return fmt.Sprintf("%s in model %q connects a vertex that is not in the model.", capitalize(describeEdge(e)), m.Name)
		}
	}
	return ""
}

// reach marks, per model, the elements a walk can step on: from every
// start element along edges, and from a shared-state vertex to every
// vertex with the same shared state in any model — except unnamed ones
// without out-edges, which GraphWalker never jumps to. Models are indexed.
func reach(models []*model.Model) [][]bool {
	type at struct{ m, el int }
	seen := make([][]bool, len(models))
	shared := map[string][]at{}
	for i, m := range models {
		seen[i] = make([]bool, m.NumElements())
		for _, v := range m.Vertices {
			if v.SharedState != "" && (v.Name != "" || len(m.OutEdges(v.Index)) > 0) {
				shared[v.SharedState] = append(shared[v.SharedState], at{i, v.Index})
			}
		}
	}
	var stack []at
	push := func(x at) {
		if x.el >= 0 && !seen[x.m][x.el] {
			seen[x.m][x.el] = true
			stack = append(stack, x)
		}
	}
	for i, m := range models {
		push(at{i, m.StartElement()})
	}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		m := models[x.m]
		if m.IsEdge(x.el) {
			if t := m.Edge(x.el).Target; t != nil {
				push(at{x.m, t.Index})
			}
			continue
		}
		nv := len(m.Vertices)
		for _, e := range m.OutEdges(x.el) {
			push(at{x.m, nv + int(e)})
		}
		if s := m.Vertex(x.el).SharedState; s != "" {
			for _, y := range shared[s] {
				push(y)
			}
		}
	}
	return seen
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
