package suite

import (
	"errors"
	"fmt"
	"slices"

	"github.com/gw-project/gw/internal/algorithm"
	"github.com/gw-project/gw/internal/generator"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/report"
)

// A case is run as GraphWalker would run the file `--format gw` writes:
// one model copy per segment of the case (a segment ends where the case
// jumps to another model), each with the segment's first element as its
// start element, its edges as predefinedPathEdgeIds and the generator
// predefined_path(predefined_path). The copies have no shared states, so
// the machine runs them one after another, as GraphWalker runs independent
// models that each have a start element; GraphWalker could not be told
// which shared-state jump to take.

// Generators of the copies: a segment with no edge (a case that ends by
// jumping onto a vertex) executes its start vertex and stops.
const (
	predefinedGenerator = "predefined_path(predefined_path)"
	vertexOnlyGenerator = "random(length(0))"
)

type segment struct {
	model int
	start model.Element
	edges []model.Element
}

// segmentsOf cuts a case at its jumps.
func segmentsOf(models []*model.Model, steps []algorithm.Loc) []segment {
	if len(steps) == 0 {
		return nil
	}
	segs := []segment{{model: steps[0].Model, start: steps[0].Element}}
	for i := 1; i < len(steps); i++ {
		l := steps[i]
		m := models[l.Model]
		if m.IsEdge(l.Element) {
			segs[len(segs)-1].edges = append(segs[len(segs)-1].edges, l.Element)
			continue
		}
		if prev := steps[i-1]; models[prev.Model].IsVertex(prev.Element) {
			segs = append(segs, segment{model: l.Model, start: l.Element}) // a jump
		}
	}
	return segs
}

type simulator struct {
	s        *Suite
	stripped []*model.Model // per model: without shared states
	// Models without any script cannot block or fail a case, and their
	// steps render the same from any context: one machine renders them
	// all (a machine per case costs O(elements) to build).
	static bool
	render *machine.Machine
}

func newSimulator(s *Suite) *simulator {
	sim := &simulator{s: s, stripped: make([]*model.Model, len(s.Models)), static: true}
	for _, m := range s.Models {
		sim.static = sim.static && !hasScripts(m)
	}
	for k, m := range s.Models {
		sim.stripped[k] = m
		if !slices.ContainsFunc(m.Vertices, func(v *model.Vertex) bool { return v.SharedState != "" }) {
			continue
		}
		c := m.Clone()
		for _, v := range c.Vertices {
			v.SharedState = ""
		}
		sim.stripped[k] = c
	}
	return sim
}

func hasScripts(m *model.Model) bool {
	if len(m.Actions) > 0 {
		return true
	}
	for el := range m.NumElements() {
		if len(m.ElementActions(el)) > 0 || m.IsEdge(el) && m.Edge(el).Guard != "" {
			return true
		}
	}
	return false
}

func (sim *simulator) close() {
	if sim.render != nil {
		sim.render.Close()
		sim.render = nil
	}
}

// renderStatic renders the steps of a case of script-free models.
func (sim *simulator) renderStatic(steps []algorithm.Loc) (*simRun, error) {
	if sim.render == nil {
		copies := make([]*model.Model, len(sim.stripped))
		for k, base := range sim.stripped {
			c := *base
			c.Generator = "random(never)"
			c.StartElementID = ""
			if k == 0 && base.NumElements() > 0 {
				c.StartElementID = base.ElementID(0) // a machine needs a start
			}
			copies[k] = &c
		}
		m, err := machine.New(copies, machine.Options{HasSeed: true, Seed: 1, NoProgressWindow: -1, SkipReachabilityCheck: true})
		if err != nil {
			return nil, fmt.Errorf("rendering the steps: %w", err)
		}
		sim.render = m
	}
	so := report.StepOptions{Verbose: sim.s.Options.Verbose}
	r := &simRun{steps: steps}
	ctxs := sim.render.Contexts()
	for _, l := range steps {
		b, err := report.AppendStep(nil, machine.Step{Context: ctxs[l.Model], Element: l.Element}, so)
		if err != nil {
			return nil, fmt.Errorf("rendering the steps: %w", err)
		}
		r.json = append(r.json, b)
	}
	return r, nil
}

// copies are the models a case runs as; name says which case they are
// (used in their ids).
func (sim *simulator) copies(steps []algorithm.Loc, name string) ([]*model.Model, []segment) {
	segs := segmentsOf(sim.s.Models, steps)
	out := make([]*model.Model, len(segs))
	for i, seg := range segs {
		base := sim.stripped[seg.model]
		c := *base // shares vertices and edges, which the machine only reads
		c.ID = base.ID + "-" + name
		if len(segs) > 1 {
			c.ID += fmt.Sprintf("-%d", i+1)
		}
		c.StartElementID = base.ElementID(seg.start)
		c.PredefinedPath = nil
		for _, e := range seg.edges {
			c.PredefinedPath = append(c.PredefinedPath, base.Edge(e))
		}
		c.Generator = predefinedGenerator
		if len(seg.edges) == 0 {
			c.Generator = vertexOnlyGenerator
		}
		out[i] = &c
	}
	return out, segs
}

// simRun is one case run by the machine.
type simRun struct {
	steps   []algorithm.Loc // executed
	json    [][]byte
	blocked bool             // a guard stopped it before the end
	m       *machine.Machine // open, where the run stopped
}

// available evaluates, with the data where the run stopped, the guard of
// edge element el of the model the run stopped in.
func (r *simRun) available(el model.Element) (bool, error) {
	if r.m == nil {
		return true, nil // script-free models: no guard
	}
	return r.m.Current().Available(el)
}

func (r *simRun) close() {
	if r.m != nil {
		r.m.Close()
		r.m = nil
	}
}

// run runs a case. A guard that stops it returns a blocked run; any other
// failure (a JavaScript error) is an error. The caller closes the run.
func (sim *simulator) run(steps []algorithm.Loc) (*simRun, error) {
	if sim.static {
		return sim.renderStatic(steps)
	}
	copies, segs := sim.copies(steps, "sim")
	r := &simRun{}
	so := report.StepOptions{Verbose: sim.s.Options.Verbose}
	var shown error // a step whose data could not be shown (a limit)
	mo := machine.Options{HasSeed: true, Seed: 1, Script: sim.s.Options.Script, NoProgressWindow: -1, SkipReachabilityCheck: true,
		Before: func(st machine.Step) {
			r.steps = append(r.steps, algorithm.Loc{Model: segs[st.Context.Index()].model, Element: st.Element})
			b, err := report.AppendStep(nil, st, so)
			if err != nil && shown == nil {
				shown = err
			}
			r.json = append(r.json, b)
		}}
	m, err := machine.New(copies, mo)
	if err != nil {
		return nil, fmt.Errorf("running a case with the models' JavaScript: %w", err)
	}
	r.m = m
	for {
		more, err := m.HasNext()
		if err == nil && more {
			_, err = m.Next()
		}
		if err == nil && shown != nil {
			err = shown
		}
		var np *generator.NoPathError
		switch {
		case err != nil && errors.As(err, &np) && len(r.steps) < len(steps) && len(r.steps) > 0:
			r.blocked = true
			return r, nil
		case err != nil:
			r.close()
			return nil, fmt.Errorf("running a case with the models' JavaScript, at step %d: %w", len(r.steps), err)
		case !more:
			if !slices.Equal(r.steps, steps) {
				r.close()
				return nil, fmt.Errorf("internal error: a case ran %d steps of %d", len(r.steps), len(steps))
			}
			return r, nil // m stays open: planning may go on from here
		}
	}
}
