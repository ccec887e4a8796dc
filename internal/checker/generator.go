package checker

import (
	"github.com/gw-project/gw/internal/algorithm"
	"github.com/gw-project/gw/internal/generator"
	"github.com/gw-project/gw/internal/jrand"
	"github.com/gw-project/gw/internal/model"
)

// staticContext is a generator context that never walks: it lets a
// generator be built (and its stop conditions validated against the model)
// the way GraphWalker builds one when it loads a model.
type staticContext struct {
	// The embedded interface is nil: it only keeps staticContext a
	// generator.Context if the interface grows; building a generator calls
	// none of the methods it would supply.
	generator.Context
	m    *model.Model
	dist *algorithm.Distances
}

func (c *staticContext) Model() *model.Model                   { return c.m }
func (c *staticContext) Current() model.Element                { return model.None }
func (c *staticContext) Visited(model.Element) bool            { return false }
func (c *staticContext) VisitedVertices() int                  { return 0 }
func (c *staticContext) VisitedEdges() int                     { return 0 }
func (c *staticContext) TotalSteps() int                       { return 0 }
func (c *staticContext) RequirementCounts() (int, int)         { return 0, 0 }
func (c *staticContext) PredefinedIndex() int                  { return 0 }
func (c *staticContext) Available(model.Element) (bool, error) { return true, nil }
func (c *staticContext) SetCurrent(model.Element)              {}
func (c *staticContext) Successors(b []model.Element) ([]model.Element, error) {
	return b[:0], nil
}
func (c *staticContext) SetPredefinedIndex(int) {}
func (c *staticContext) Rand() *jrand.Rand      { return jrand.New(0) }
func (c *staticContext) Distances() *algorithm.Distances {
	if c.dist == nil {
		c.dist = algorithm.NewDistances(c.m)
	}
	return c.dist
}

// Generator builds m's generator as GraphWalker does when it loads a model:
// the text is parsed and reached_* stop conditions are checked against the
// model's names. It returns nil, nil when m has no generator. The result
// is only for inspection (its String form, its type); it cannot walk.
func Generator(m *model.Model) (generator.Generator, error) {
	if m == nil || m.Generator == "" {
		return nil, nil
	}
	return generator.Parse(m.Generator, &staticContext{m: m})
}
