package generator

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gw-project/gw/internal/condition"
	"github.com/gw-project/gw/internal/dsl"
)

// Names lists the generator names (first of each alias group), for messages.
const Names = "random, weighted_random, quick_random, a_star, shortest_all_paths, predefined_path"

// conditionNames lists the stop condition names, for messages.
const conditionNames = "edge_coverage, vertex_coverage, requirement_coverage, dependency_edge_coverage, " +
	"reached_vertex, reached_edge, reached_shared_state, length, time_duration, never, predefined_path, " +
	"edge_pair_coverage (gw only)"

// Parse builds the generator described by text for ctx, e.g.
// "random(edge_coverage(100))". Several generators in one text run in
// sequence. Names are case-insensitive; GraphWalker's aliases
// (RandomPath(EdgeCoverage(100)), ...) are accepted.
func Parse(text string, ctx Context) (Generator, error) {
	gens, err := dsl.Parse(text)
	if err != nil {
		return nil, err
	}
	if len(gens) == 0 {
		return nil, errors.New("No valid generator found.")
	}
	var out []Generator
	for _, g := range gens {
		gen, err := build(g, ctx)
		if err != nil {
			return nil, fmt.Errorf("generator %q, column %d: %w", strings.TrimSpace(text), g.Pos.Col, err)
		}
		out = append(out, gen)
	}
	if len(out) == 1 {
		return out[0], nil
	}
	return &Sequence{Gens: out}, nil
}

func build(g dsl.Generator, ctx Context) (Generator, error) {
	name := strings.ToLower(g.Name)
	if g.Cond == nil {
		return nil, errors.New("No valid stop condition found.")
	}
	stop, err := buildCondition(g.Cond, ctx)
	if err != nil {
		return nil, err
	}
	switch name {
	case "random", "randompath":
		return &Random{Ctx: ctx, Stop: stop}, nil
	case "weighted_random", "weightedrandompath":
		return &WeightedRandom{Ctx: ctx, Stop: stop}, nil
	case "quick_random", "quickrandom", "quickrandompath":
		if hasPairs(stop) {
			// It heads for unvisited elements; once all are visited its
			// shortest paths never take some pairs (a walk would not end).
			return nil, errors.New("quick_random cannot plan edge_pair_coverage: use random, weighted_random or shortest_all_paths")
		}
		return &QuickRandom{Ctx: ctx, Stop: stop}, nil
	case "a_star", "astarpath":
		return NewAStar(ctx, stop)
	case "shortest_all_paths", "shortestallpaths":
		return &ShortestAllPaths{Ctx: ctx, Stop: stop}, nil
	case "predefined_path", "predefinedpath":
		if _, ok := stop.(*condition.PredefinedPath); !ok {
			return nil, errors.New("PredefinedPath generator can only work with a PredefinedPathStopCondition instance: write predefined_path(predefined_path)")
		}
		if len(ctx.Model().PredefinedPath) == 0 {
			return nil, fmt.Errorf("predefined_path: model %q has no predefined path (predefinedPathEdgeIds)", ctx.Model().Name)
		}
		return &Predefined{Ctx: ctx, Stop: stop}, nil
	}
	return nil, fmt.Errorf("No suitable generator found with name: %s (known generators: %s)", name, Names)
}

func buildCondition(c dsl.Cond, ctx Context) (condition.Condition, error) {
	switch c := c.(type) {
	case *dsl.And:
		children, err := buildConditions(c.Children, ctx)
		return &condition.And{Children: children}, err
	case *dsl.Or:
		children, err := buildConditions(c.Children, ctx)
		return &condition.Or{Children: children}, err
	case *dsl.Leaf:
		cond, err := buildLeaf(c, ctx)
		if err != nil {
			return nil, fmt.Errorf("%s (column %d): %w", c.Name, c.Pos.Col, err)
		}
		return cond, nil
	}
	return nil, fmt.Errorf("unexpected stop condition %T", c)
}

func buildConditions(cs []dsl.Cond, ctx Context) ([]condition.Condition, error) {
	out := make([]condition.Condition, 0, len(cs))
	for _, c := range cs {
		cc, err := buildCondition(c, ctx)
		if err != nil {
			return nil, err
		}
		out = append(out, cc)
	}
	return out, nil
}

func buildLeaf(l *dsl.Leaf, ctx Context) (condition.Condition, error) {
	name := strings.ToLower(l.Name)
	intArg := func(what string) (int, error) {
		if !l.HasArg {
			return 0, fmt.Errorf("needs a number, e.g. %s(100)", name)
		}
		n, err := strconv.ParseInt(l.Arg, 10, 32)
		if err != nil {
			return 0, fmt.Errorf("%q is not a whole number", l.Arg)
		}
		if n < 0 {
			return 0, fmt.Errorf("%s cannot be negative", what)
		}
		return int(n), nil
	}
	nameArg := func() (string, error) {
		if !l.HasArg {
			return "", fmt.Errorf("needs an element name, e.g. %s(v_Name)", name)
		}
		return l.Arg, nil
	}
	switch name {
	case "never":
		return condition.Never{}, nil
	case "edge_coverage", "edgecoverage":
		n, err := intArg("A coverage")
		return &condition.EdgeCoverage{Ctx: ctx, Percent: n}, err
	case "vertex_coverage", "vertexcoverage":
		n, err := intArg("A coverage")
		return &condition.VertexCoverage{Ctx: ctx, Percent: n}, err
	case "requirement_coverage", "requirementcoverage":
		n, err := intArg("A coverage")
		return &condition.RequirementCoverage{Ctx: ctx, Percent: n}, err
	case "edge_pair_coverage", "edgepaircoverage": // gw's own
		n, err := intArg("A coverage")
		if err != nil {
			return nil, err
		}
		return condition.NewEdgePairCoverage(ctx, n)
	case "dependency_edge_coverage", "dependencyedgecoverage":
		n, err := intArg("A dependency")
		return &condition.DependencyEdgeCoverage{Ctx: ctx, Dependency: n}, err
	case "length":
		n, err := intArg("The length of the test")
		return &condition.Length{Ctx: ctx, N: n}, err
	case "time_duration", "timeduration":
		if !l.HasArg {
			return nil, errors.New("needs a number of seconds, e.g. time_duration(60)")
		}
		n, err := strconv.ParseInt(l.Arg, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a whole number of seconds", l.Arg)
		}
		if n < 0 {
			return nil, errors.New("A duration cannot be negative")
		}
		return &condition.TimeDuration{Ctx: ctx, Seconds: n, Start: time.Now()}, nil
	case "reached_vertex", "reachedvertex":
		s, err := nameArg()
		if err != nil {
			return nil, err
		}
		return condition.NewReached(ctx, condition.ReachedVertex, s)
	case "reached_edge", "reachededge":
		s, err := nameArg()
		if err != nil {
			return nil, err
		}
		return condition.NewReached(ctx, condition.ReachedEdge, s)
	case "reached_shared_state", "reachedsharedstate":
		s, err := nameArg()
		if err != nil {
			return nil, err
		}
		return condition.NewReached(ctx, condition.ReachedSharedState, s)
	case "predefined_path", "predefinedpath", "predefinedpathstopcondition":
		return &condition.PredefinedPath{Ctx: ctx}, nil
	}
	// AltWalker looks for GraphWalker's sentence, so it comes first.
	return nil, fmt.Errorf("No valid stop condition found. Unknown stop condition %q (known: %s)", l.Name, conditionNames)
}

func hasPairs(c condition.Condition) bool {
	found := false
	condition.Walk(c, func(x condition.Condition) {
		_, ok := x.(*condition.EdgePairCoverage)
		found = found || ok
	})
	return found
}
