package mcptools

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/gw-project/gw/internal/condition"
	"github.com/gw-project/gw/internal/limits"
	"github.com/gw-project/gw/internal/mcp"
	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/suite"
)

type suiteIn struct {
	Models       []mcp.ModelInput `json:"models" jsonschema:"the models to plan for, as one run would load them (shared states join them); every case starts at the start element"`
	Cover        string           `json:"cover,omitempty" jsonschema:"what the cases together cover: edges (default), vertices, requirements, or edge-pairs (every pair of consecutive edges: 2-switch coverage)"`
	Minimize     string           `json:"minimize,omitempty" jsonschema:"steps (default): the fewest steps in all, plus reset_cost per case; cases: the fewest cases, then the fewest steps"`
	MaxLength    int              `json:"max_length,omitempty" jsonschema:"the most steps a case may have, its start element included (default 0: no limit); what no case that short can cover is listed in not_covered"`
	ResetCost    int              `json:"reset_cost,omitempty" jsonschema:"what starting a case costs beyond its steps, in steps: the cost of resetting the system under test (default 0)"`
	Blocked      *bool            `json:"blocked,omitempty" jsonschema:"drop elements whose property blocked is true (default true)"`
	StartElement string           `json:"start_element,omitempty" jsonschema:"name of the first model's start element, replacing the model's own"`
}

// SuiteCase is one test case of a suite.
type SuiteCase struct {
	Case      int            `json:"case" jsonschema:"the case's number, from 1"`
	Name      string         `json:"name" jsonschema:"case-001, case-002, ...: the names gw suite gives the cases' files"`
	Length    int            `json:"length" jsonschema:"the number of steps, the start element included"`
	Steps     []mcp.StepInfo `json:"steps" jsonschema:"the elements to execute in order: perform each edge's action, verify each vertex's state"`
	Covers    []SuiteTarget  `json:"covers" jsonschema:"what this case is the first to cover"`
	Replanned bool           `json:"replanned,omitempty" jsonschema:"true when guards made the case differ from its first plan"`
}

// SuiteTarget is one thing a suite covers: an element, a pair of
// consecutive edges, or a requirement.
type SuiteTarget struct {
	Requirement string           `json:"requirement,omitempty" jsonschema:"the requirement, for cover requirements"`
	Elements    []mcp.ElementRef `json:"elements,omitempty" jsonschema:"the element, or the two edges of a pair"`
}

// SuiteMiss is a target no case covers, and why.
type SuiteMiss struct {
	SuiteTarget
	Description string `json:"description" jsonschema:"the target in words"`
	Reason      string `json:"reason" jsonschema:"why no case covers it: unreachable from the start element, too long for max_length, or the guards that keep it out of reach"`
}

// SuiteBound is a lower bound any suite meets (guards ignored).
type SuiteBound struct {
	Cases int `json:"cases" jsonschema:"no suite has fewer cases"`
	Cost  int `json:"cost" jsonschema:"no suite costs less (steps + reset_cost per case; among suites with the fewest cases when minimize is cases)"`
}

type suiteOut struct {
	Cover          string      `json:"cover"`
	Objective      string      `json:"objective" jsonschema:"what was minimised, in words"`
	Cases          []SuiteCase `json:"cases"`
	TotalCases     int         `json:"total_cases"`
	TotalSteps     int         `json:"total_steps"`
	Cost           int         `json:"cost" jsonschema:"total_steps + reset_cost per case"`
	Targets        int         `json:"targets" jsonschema:"how many things there are to cover"`
	Covered        int         `json:"covered"`
	Complete       bool        `json:"complete" jsonschema:"true when the cases cover every target"`
	LowerBound     SuiteBound  `json:"lower_bound" jsonschema:"bounds for any suite that covers every target the plan could reach, guards ignored"`
	Optimal        bool        `json:"optimal" jsonschema:"true when no suite is better for the objective (exact for edges and edge-pairs without max_length, when no guard changed the plan); false: a heuristic, compare cost with lower_bound"`
	Replans        int         `json:"replans,omitempty" jsonschema:"times a case was re-planned around a guard"`
	NotCovered     []SuiteMiss `json:"not_covered" jsonschema:"what no case covers, and why (the first ones, see not_covered_more)"`
	NotCoveredMore int         `json:"not_covered_more,omitempty" jsonschema:"targets not covered left out of the list"`
	Summary        string      `json:"summary" jsonschema:"what gw suite prints about the suite: cases, steps, coverage, the lower bounds and the gap to them, what is not covered"`
}

// maxMissed bounds the targets not_covered lists.
const maxMissed = 200

// maxResetCost and maxCaseLength bound reset_cost and max_length as gw
// suite bounds --reset-cost and --max-length.
const (
	maxResetCost  = 1 << 20
	maxCaseLength = 1 << 30
)

// Suite is the plan_suite tool: gw suite's test suites for models.
//
// The suite package cannot be interrupted once planning starts, so a plan
// that outlives --plan-timeout (or its caller) is abandoned, not stopped:
// its answer is dropped and it keeps one of a few planning slots until it
// ends. The slots (one per two CPUs, at least one) bound the CPU that
// suites take from the server's other work; a call waits for a free slot
// within its time limit.
func Suite() mcp.Extension {
	return func(r *mcp.Registry) {
		slots := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)/2))
		s := mcp.InputSchema[suiteIn]()
		s.Properties["cover"].Enum = []any{"edges", "vertices", "requirements", "edge-pairs"}
		s.Properties["minimize"].Enum = []any{"steps", "cases"}
		zero, maxReset, maxLen := 0.0, float64(maxResetCost), float64(maxCaseLength)
		s.Properties["reset_cost"].Minimum, s.Properties["reset_cost"].Maximum = &zero, &maxReset
		s.Properties["max_length"].Minimum, s.Properties["max_length"].Maximum = &zero, &maxLen
		mcp.AddTool(r, &sdk.Tool{
			Name: "plan_suite",
			Description: "Plan a test suite, as gw suite does: short test cases, each from the start element (reset the system under test between cases), that together cover every edge, vertex, requirement or pair of consecutive edges. " +
				"Use it instead of plan_path when you want many short, independent tests rather than one long walk. Each case is run through gw's machine with the models' guards and actions, and re-planned where a guard blocks it. " +
				"Returns the cases (steps, length, what each covers), totals, the lower bound and whether the suite is optimal, and what no case can cover and why. Bounded by --max-elements, --max-plan-steps (steps of all cases) and --plan-timeout." + mcp.ModelsNote(),
			InputSchema: s,
			Annotations: mcp.ReadOnly("Plan a test suite"),
		}, func(ctx context.Context, in suiteIn) (suiteOut, error) {
			return planSuite(ctx, r, slots, in)
		})
	}
}

func planSuite(ctx context.Context, r *mcp.Registry, slots chan struct{}, in suiteIn) (suiteOut, error) {
	so := r.Options()
	var o suite.Options
	if in.Cover != "" {
		c, err := suite.ParseCover(in.Cover)
		if err != nil {
			return suiteOut{}, fmt.Errorf("cover: %v", err)
		}
		o.Cover = c
	}
	switch strings.ToLower(in.Minimize) {
	case "", "steps":
	case "cases":
		o.MinimizeCases = true
	default:
		return suiteOut{}, fmt.Errorf("minimize %q: write steps (the fewest steps in all) or cases (the fewest cases)", in.Minimize)
	}
	if in.ResetCost < 0 || in.ResetCost > maxResetCost {
		return suiteOut{}, fmt.Errorf("reset_cost %d is out of range: give 0 to %d steps", in.ResetCost, maxResetCost)
	}
	if in.MaxLength < 0 || in.MaxLength > maxCaseLength {
		return suiteOut{}, fmt.Errorf("max_length %d is out of range: give 1 to %d steps, or 0 for no limit", in.MaxLength, maxCaseLength)
	}
	o.ResetCost, o.MaxLength, o.Script = in.ResetCost, in.MaxLength, so.Script

	blocked := true
	if in.Blocked != nil {
		blocked = *in.Blocked
	}
	models, err := r.LoadModels(ctx, in.Models, blocked)
	if err != nil {
		return suiteOut{}, err
	}
	if err := setStart(models, in.StartElement); err != nil {
		return suiteOut{}, err
	}
	if o.Cover == suite.EdgePairs {
		// suite.Plan refuses too many pairs too, but names gw suite's flag.
		var n int64
		for _, m := range models {
			n += condition.EdgePairs(m)
		}
		if n > suite.DefaultMaxPairs {
			return suiteOut{}, &limits.Error{What: fmt.Sprintf("the models have %d pairs of consecutive edges", n),
				Limit: fmt.Sprintf("plan_suite plans at most %d; cover edges instead, or run gw suite --cover edge-pairs --max-pairs N on the command line", suite.DefaultMaxPairs),
				Kind:  limits.ErrSize}
		}
	}

	ctx, cancel := context.WithTimeout(ctx, so.PlanTimeout)
	defer cancel()
	timedOut := func() error {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return &limits.Error{What: "planning the suite", Limit: fmt.Sprintf("took longer than the limit of %v; plan for fewer models, cover edges rather than edge-pairs, or drop max_length", so.PlanTimeout),
				Flag: mcp.FlagPlanTimeout, Kind: limits.ErrTime}
		}
		return fmt.Errorf("planning the suite: %w", ctx.Err())
	}
	if ctx.Err() != nil {
		return suiteOut{}, timedOut()
	}
	select {
	case slots <- struct{}{}:
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return suiteOut{}, &limits.Error{What: "planning the suite", Limit: fmt.Sprintf("waited %v, the limit, while other suites were being planned; try again", so.PlanTimeout),
				Flag: mcp.FlagPlanTimeout, Kind: limits.ErrTime}
		}
		return suiteOut{}, timedOut()
	}
	type result struct {
		s   *suite.Suite
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer func() { <-slots }()
		defer func() {
			if p := recover(); p != nil {
				done <- result{err: fmt.Errorf("internal error in gw while planning the suite: %v (please report it)", p)}
			}
		}()
		s, err := suite.Plan(models, o)
		done <- result{s, err}
	}()
	var res result
	select {
	case res = <-done:
	case <-ctx.Done():
		return suiteOut{}, timedOut()
	}
	if res.err != nil {
		if errors.Is(res.err, suite.ErrNoStart) {
			return suiteOut{}, errors.New("no model has a start element, so no case can start: give start_element (the name of a vertex or edge of the first model), or set the model's startElementId")
		}
		return suiteOut{}, res.err
	}
	return suiteResult(res.s, so.MaxPlanSteps)
}

// setStart makes the element named name the first model's start element.
func setStart(models []*model.Model, name string) error {
	if name == "" {
		return nil
	}
	m := models[0]
	els := m.ElementsNamed(name)
	switch {
	case len(els) == 0:
		return fmt.Errorf("start_element %q: no vertex or edge of model %q has that name", name, m.Name)
	case len(els) > 1:
		return fmt.Errorf("start_element %q: %d elements of model %q have that name; rename them or set the start element by id in the model", name, len(els), m.Name)
	}
	m.StartElementID = m.ElementID(els[0])
	return nil
}

// suiteResult renders s for the agent; a suite of more than maxSteps
// steps is refused (it would not fit in a reply).
func suiteResult(s *suite.Suite, maxSteps int) (suiteOut, error) {
	if s.Steps > maxSteps {
		return suiteOut{}, &limits.Error{What: fmt.Sprintf("the suite has %s in %s", plural(s.Steps, "step"), plural(len(s.Cases), "case")),
			Limit: fmt.Sprintf("over the limit of %d steps a reply may list; plan for fewer models, or run gw suite on the command line", maxSteps),
			Flag:  mcp.FlagMaxPlanSteps, Kind: limits.ErrSize}
	}
	o := s.Options
	out := suiteOut{
		Cover: o.Cover.String(), Objective: o.Objective(),
		Cases: make([]SuiteCase, 0, len(s.Cases)), TotalCases: len(s.Cases), TotalSteps: s.Steps, Cost: s.Cost(),
		Targets: len(s.Targets), Covered: s.Covered(), Complete: len(s.Missed) == 0,
		LowerBound: SuiteBound{Cases: s.CaseBound, Cost: s.CostBound}, Optimal: s.Exact, Replans: s.Replans,
		NotCovered: []SuiteMiss{},
	}
	for i, c := range s.Cases {
		sc := SuiteCase{Case: i + 1, Name: s.CaseName(i), Length: len(c.Steps), Steps: make([]mcp.StepInfo, len(c.Steps)),
			Covers: make([]SuiteTarget, len(c.Covers)), Replanned: c.Replanned}
		for j, l := range c.Steps {
			r := mcp.Ref(s.Models[l.Model], l.Element)
			sc.Steps[j] = mcp.StepInfo{Model: r.Model, ID: r.ID, Name: r.Name, Kind: r.Kind}
		}
		for j, t := range c.Covers {
			sc.Covers[j] = target(s, t)
		}
		out.Cases = append(out.Cases, sc)
	}
	for _, m := range s.Missed {
		if len(out.NotCovered) == maxMissed {
			out.NotCoveredMore++
			continue
		}
		// The reasons name gw suite's flag; the tool's input is max_length.
		reason := strings.ReplaceAll(m.Reason, "(--max-length)", "(max_length)")
		out.NotCovered = append(out.NotCovered, SuiteMiss{SuiteTarget: target(s, m.Target), Description: s.Describe(m.Target), Reason: reason})
	}
	var b strings.Builder
	if err := s.WriteSummary(&b); err != nil {
		return suiteOut{}, err
	}
	out.Summary = strings.ReplaceAll(b.String(), "(--max-length)", "(max_length)")
	return out, nil
}

func target(s *suite.Suite, i int) SuiteTarget {
	t := s.Targets[i]
	if s.Options.Cover == suite.Requirements {
		return SuiteTarget{Requirement: t.Key}
	}
	st := SuiteTarget{Elements: make([]mcp.ElementRef, len(t.Elements))}
	for j, l := range t.Elements {
		st.Elements[j] = mcp.Ref(s.Models[l.Model], l.Element)
	}
	return st
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
