package generator

import (
	"fmt"

	"github.com/gw-project/gw/internal/algorithm"
	"github.com/gw-project/gw/internal/condition"
	"github.com/gw-project/gw/internal/model"
)

// ShortestAllPaths is shortest_all_paths(...): an Euler trail through every
// edge, computed on the first step. Guards are ignored, as in GraphWalker.
type ShortestAllPaths struct {
	Ctx   Context
	Stop  condition.Condition
	trail []model.Element
	built bool
}

func (g *ShortestAllPaths) HasNext() bool                      { return !g.Stop.Fulfilled() }
func (g *ShortestAllPaths) StopCondition() condition.Condition { return g.Stop }
func (g *ShortestAllPaths) String() string                     { return "ShortestAllPaths(" + g.Stop.String() + ")" }
func (g *ShortestAllPaths) Next() (model.Element, error) {
	ctx := g.Ctx
	m := ctx.Model()
	cur := ctx.Current()
	if cur == model.None {
		return model.None, &NoPathError{Model: m, Element: model.None}
	}
	if !g.built {
		if algorithm.EulerType(m) == algorithm.NotEulerian {
			return model.None, fmt.Errorf("%w (model %q)", algorithm.ErrNotEulerian, m.Name)
		}
		trail, err := algorithm.FleuryTrail(m, cur)
		if err != nil {
			return model.None, fmt.Errorf("shortest_all_paths in model %q: %w", m.Name, err)
		}
		g.trail, g.built = trail, true
	}
	if len(g.trail) == 0 {
		return model.None, &NoPathError{Model: m, Element: cur, Reason: "the planned path is walked to its end but the stop condition is not met"}
	}
	el := g.trail[0]
	g.trail = g.trail[1:]
	ctx.SetCurrent(el)
	return el, nil
}
