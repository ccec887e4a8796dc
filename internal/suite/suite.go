package suite

import (
	"cmp"
	"errors"
	"fmt"
	"github.com/gw-project/gw/internal/script"
	"slices"
	"strings"
	"time"

	"github.com/gw-project/gw/internal/algorithm"
	"github.com/gw-project/gw/internal/condition"
	"github.com/gw-project/gw/internal/model"
)

// Cover is what a suite covers.
type Cover int

const (
	Edges Cover = iota
	Vertices
	Requirements
	EdgePairs
)

var coverNames = [...]string{"edges", "vertices", "requirements", "edge-pairs"}

func (c Cover) String() string { return coverNames[c] }

// ParseCover reads a Cover by name.
func ParseCover(s string) (Cover, error) {
	for i, n := range coverNames {
		if strings.EqualFold(s, n) {
			return Cover(i), nil
		}
	}
	return 0, fmt.Errorf("cannot cover %q: write edges, vertices, requirements or edge-pairs", s)
}

// Options tune a suite.
type Options struct {
	Cover Cover
	// MinimizeCases plans the fewest cases (then the fewest steps);
	// otherwise the fewest steps plus ResetCost per case.
	MinimizeCases bool
	// ResetCost is what each case costs beyond its steps, in steps.
	ResetCost int
	// MaxLength bounds the steps of every case (0: no bound).
	MaxLength int
	// Script bounds the cases' JavaScript (the machine's defaults if zero).
	Script script.Limits
	// Verbose renders the steps as `gw offline --verbose` does.
	Verbose bool
	// MaxPairs bounds the pairs of consecutive edges an edge-pair suite
	// plans (DefaultMaxPairs if 0): a vertex with many edges in and out
	// has in·out of them.
	MaxPairs int
}

// DefaultMaxPairs is the default Options.MaxPairs.
const DefaultMaxPairs = 1_000_000

// Target is one thing a suite must cover.
type Target struct {
	// Elements: an edge or a vertex; for a pair its two edges; for a
	// requirement every element that carries it (or every vertex of the
	// model, for a model's own requirement).
	Elements []algorithm.Loc
	// Key is the requirement, for requirement coverage.
	Key string
}

// Case is one test case.
type Case struct {
	// Steps are the elements it executes, the start element first.
	Steps []algorithm.Loc
	// JSON renders each step as `gw offline` prints it.
	JSON [][]byte
	// Covers lists the targets this case is the first to cover.
	Covers []int
	// Replanned is set when guards made the case differ from its plan.
	Replanned bool
}

// Miss is a target no case covers, and why.
type Miss struct {
	Target int
	Reason string
}

// Suite is a planned, simulated suite.
type Suite struct {
	Models  []*model.Model
	Start   algorithm.Loc
	Options Options
	Targets []Target
	Cases   []*Case
	Steps   int
	// CaseBound and CostBound are lower bounds, guards ignored, for any
	// suite that covers every target the first plan could reach:
	// CaseBound on its cases, CostBound on its steps + ResetCost per case
	// (among suites with the fewest cases, when minimising cases).
	CaseBound, CostBound int
	// Exact is set when the suite is optimal for its objective: the plan
	// was, and no guard changed it.
	Exact bool
	// Missed lists the targets no case covers.
	Missed []Miss
	// Replans counts the times a case was re-planned around a guard.
	Replans int
	// Elapsed is the planning and simulation time.
	Elapsed time.Duration
}

// Cost is Steps + ResetCost per case.
func (s *Suite) Cost() int { return s.Steps + s.Options.ResetCost*len(s.Cases) }

// Covered counts the targets covered.
func (s *Suite) Covered() int {
	n := 0
	for _, c := range s.Cases {
		n += len(c.Covers)
	}
	return n
}

// ErrNoStart is returned when no model has a start element.
var ErrNoStart = errors.New("no model has a start element, so no case can start (set startElementId, draw a Start vertex, or use --start-element)")

const (
	maxReplans = 64 // per case: each re-plan gets further than the last
	maxRounds  = 8  // of new cases for what guards kept from earlier ones
)

// Plan plans a suite over indexed models, in machine order, and runs every
// case through gw's machine (see the package comment).
func Plan(models []*model.Model, o Options) (*Suite, error) {
	t0 := time.Now()
	s := &Suite{Models: models, Options: o}
	found := false
	for k, m := range models {
		if el := m.StartElement(); el != model.None {
			s.Start, found = algorithm.Loc{Model: k, Element: el}, true
			break
		}
	}
	if !found {
		return nil, ErrNoStart
	}
	if o.Cover == EdgePairs {
		limit := o.MaxPairs
		if limit <= 0 {
			limit = DefaultMaxPairs
		}
		var n int64
		for _, m := range models {
			n += condition.EdgePairs(m)
		}
		if n > int64(limit) {
			return nil, fmt.Errorf("the models have %d pairs of consecutive edges; gw suite plans at most %d (--max-pairs raises the limit)", n, limit)
		}
	}
	s.Targets = targetsOf(models, o.Cover)
	p := newPlanner(s)
	defer p.close()
	if err := p.run(); err != nil {
		return nil, err
	}
	s.Elapsed = time.Since(t0)
	return s, nil
}

// targetsOf lists what a suite must cover, in model and element order.
func targetsOf(models []*model.Model, c Cover) []Target {
	var out []Target
	switch c {
	case Edges:
		for k, m := range models {
			for _, e := range m.Edges {
				out = append(out, Target{Elements: []algorithm.Loc{{Model: k, Element: m.EdgeElement(e)}}})
			}
		}
	case Vertices:
		for k, m := range models {
			for i := range m.Vertices {
				out = append(out, Target{Elements: []algorithm.Loc{{Model: k, Element: i}}})
			}
		}
	case EdgePairs:
		for k, m := range models {
			for _, e := range m.Edges {
				if e.Target == nil {
					continue
				}
				for _, f := range m.OutEdges(e.Target.Index) {
					out = append(out, Target{Elements: []algorithm.Loc{{Model: k, Element: m.EdgeElement(e)}, {Model: k, Element: len(m.Vertices) + int(f)}}})
				}
			}
		}
	case Requirements:
		index := map[string]int{}
		add := func(key string, l ...algorithm.Loc) {
			i, ok := index[key]
			if !ok {
				i = len(out)
				index[key] = i
				out = append(out, Target{Key: key})
			}
			out[i].Elements = append(out[i].Elements, l...)
		}
		for k, m := range models {
			for el := range m.NumElements() {
				for _, r := range m.ElementRequirements(el) {
					add(r, algorithm.Loc{Model: k, Element: el})
				}
			}
			// A model's own requirements pass when its context ends: any
			// case that enters the model covers them.
			for _, r := range m.Requirements {
				for i := range m.Vertices {
					add(r, algorithm.Loc{Model: k, Element: i})
				}
			}
		}
	}
	return out
}

// Describe names target i for messages.
func (s *Suite) Describe(i int) string {
	t := s.Targets[i]
	if s.Options.Cover == Requirements {
		return fmt.Sprintf("requirement %q", t.Key)
	}
	var parts []string
	for _, l := range t.Elements {
		parts = append(parts, s.Models[l.Model].Describe(l.Element))
	}
	d := strings.Join(parts, " then ")
	if len(s.Models) > 1 {
		d += fmt.Sprintf(" in model %q", s.Models[t.Elements[0].Model].Name)
	}
	return d
}

// covers lists the targets a walk covers, in order of first coverage,
// skipping those done already.
func (p *planner) covers(steps []algorithm.Loc, done func(int) bool) []int {
	var out []int
	seen := map[int]bool{}
	add := func(ts []int) {
		for _, t := range ts {
			if !seen[t] && !done(t) {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	for i, l := range steps {
		if p.s.Options.Cover != EdgePairs {
			add(p.byElement[l])
			continue
		}
		m := p.s.Models[l.Model]
		if i < 2 || !m.IsEdge(l.Element) {
			continue
		}
		v, e := steps[i-1], steps[i-2]
		if v.Model != l.Model || e.Model != l.Model || !m.IsVertex(v.Element) || !m.IsEdge(e.Element) {
			continue
		}
		if t := m.Edge(e.Element).Target; t != nil && t.Index == v.Element {
			if ti, ok := p.byPair[algorithm.Pair{First: e, Second: l}]; ok {
				add([]int{ti})
			}
		}
	}
	return out
}

// planner holds the state of one Plan.
type planner struct {
	s         *Suite
	alg       *algorithm.Planner
	byElement map[algorithm.Loc][]int
	byPair    map[algorithm.Pair]int
	covered   []bool
	wanted    []bool // not unreachable or too long at the first plan
	diag      map[int]string
	sim       *simulator
}

func newPlanner(s *Suite) *planner {
	p := &planner{s: s, alg: algorithm.NewPlanner(s.Models...), byElement: map[algorithm.Loc][]int{}, byPair: map[algorithm.Pair]int{},
		covered: make([]bool, len(s.Targets)), wanted: make([]bool, len(s.Targets)), diag: map[int]string{}}
	for i, t := range s.Targets {
		if s.Options.Cover == EdgePairs {
			p.byPair[algorithm.Pair{First: t.Elements[0], Second: t.Elements[1]}] = i
			continue
		}
		for _, l := range t.Elements {
			p.byElement[l] = append(p.byElement[l], i)
		}
	}
	p.sim = newSimulator(s)
	return p
}

func (p *planner) close() { p.sim.close() }

// plan plans cases from `from` covering targets (indices); it returns the
// plan and, for each of its Unreachable and TooLong, the target index.
func (p *planner) plan(from algorithm.Loc, targets []int, open func(algorithm.Loc) bool, o algorithm.CaseOptions) (*algorithm.CasePlan, error) {
	s := p.s
	switch s.Options.Cover {
	case Edges:
		need := make([]algorithm.Loc, len(targets))
		for i, t := range targets {
			need[i] = s.Targets[t].Elements[0]
		}
		return p.alg.EdgeCases(from, need, open, o)
	case EdgePairs:
		need := make([]algorithm.Pair, len(targets))
		for i, t := range targets {
			need[i] = algorithm.Pair{First: s.Targets[t].Elements[0], Second: s.Targets[t].Elements[1]}
		}
		return p.alg.EdgePairCases(from, need, open, o)
	}
	groups := make([][]algorithm.Loc, len(targets))
	for i, t := range targets {
		groups[i] = s.Targets[t].Elements
	}
	return p.alg.TargetCases(from, groups, open, o)
}

func (p *planner) caseOptions() algorithm.CaseOptions {
	o := p.s.Options
	return algorithm.CaseOptions{ResetCost: o.ResetCost, MinimizeCases: o.MinimizeCases, MaxLength: o.MaxLength}
}

func (p *planner) run() error {
	s := p.s
	all := make([]int, len(s.Targets))
	for i := range all {
		all[i] = i
		p.wanted[i] = true
	}
	cp, err := p.plan(s.Start, all, nil, p.caseOptions())
	if err != nil {
		return err
	}
	s.CaseBound, s.CostBound, s.Exact = cp.CaseBound, cp.CostBound, cp.Exact
	for _, i := range cp.Unreachable {
		p.wanted[i] = false
		s.Missed = append(s.Missed, Miss{i, "cannot be reached from the start element (following edges and shared states, guards ignored)"})
	}
	for _, i := range cp.TooLong {
		p.wanted[i] = false
		s.Missed = append(s.Missed, Miss{i, fmt.Sprintf("cannot be covered by a case of at most %d steps (--max-length)", s.Options.MaxLength)})
	}
	queue := cp.Cases
	for round := 0; len(queue) > 0; round++ {
		progress := false
		for _, steps := range queue {
			c, err := p.runCase(steps)
			if err != nil {
				return err
			}
			if c == nil {
				s.Exact = false
				continue
			}
			for _, t := range c.Covers {
				p.covered[t] = true
			}
			progress = true
			s.Cases = append(s.Cases, c)
			s.Steps += len(c.Steps)
			if c.Replanned {
				s.Exact = false
			}
		}
		var pending []int
		for i := range s.Targets {
			if p.wanted[i] && !p.covered[i] {
				pending = append(pending, i)
			}
		}
		if len(pending) == 0 || !progress || round == maxRounds {
			break
		}
		// What guards kept from its cases: plan again, guards ignored; the
		// new cases meet the guards with fresh data.
		cp, err := p.plan(s.Start, pending, nil, p.caseOptions())
		if err != nil {
			return err
		}
		queue = cp.Cases
	}
	for i := range s.Targets {
		if p.wanted[i] && !p.covered[i] {
			s.Exact = false
			reason := p.diag[i]
			if reason == "" {
				reason = "no case reaches it with the guards as they evaluate"
			}
			s.Missed = append(s.Missed, Miss{i, reason})
		}
	}
	slices.SortFunc(s.Missed, func(a, b Miss) int { return a.Target - b.Target })
	return nil
}

// runCase simulates a planned case and re-plans it around guards. It
// returns nil when the case covers nothing new.
//
// When a guard blocks the case, the rest is planned again from where it
// stopped, with the guards as they evaluate there. What that cannot reach
// may lie behind a guard that actions open (a counter, a flag): the case
// then first walks to the nearest element whose actions write a variable
// that guard reads, and plans again from there. Each round must get the
// case further; rounds are bounded.
func (p *planner) runCase(steps []algorithm.Loc) (*Case, error) {
	done := func(t int) bool { return p.covered[t] }
	mission := p.covers(steps, done)
	c := &Case{}
	enabled := map[algorithm.Loc]int{}
	lastLen := -1
	for attempt := 0; ; attempt++ {
		res, err := p.sim.run(steps)
		if err != nil {
			return nil, err
		}
		prefix := res.steps
		got := map[int]bool{}
		for _, t := range p.covers(prefix, done) {
			got[t] = true
		}
		var need []int
		for _, t := range mission {
			if !got[t] {
				need = append(need, t)
			}
		}
		if len(need) == 0 || attempt == maxReplans || len(prefix) <= lastLen {
			res.close()
			c.Steps, c.JSON = prefix, res.json
			break
		}
		lastLen = len(prefix)
		c.Replanned = true
		p.s.Replans++
		suffix, lost, err := p.replan(prefix, need, res)
		if err == nil && len(lost) > 0 {
			var walk []algorithm.Loc
			if walk, err = p.enable(prefix, lost, res, enabled); err == nil && len(walk) > 1 {
				res.close()
				steps = append(slices.Clip(prefix), walk[1:]...)
				continue
			}
		}
		res.close()
		if err != nil {
			return nil, err
		}
		if len(suffix) <= 1 {
			c.Steps, c.JSON = prefix, res.json
			break
		}
		steps = append(slices.Clip(prefix), suffix[1:]...)
	}
	c.Covers = p.covers(c.Steps, done)
	if len(c.Covers) == 0 {
		return nil, nil
	}
	return c, nil
}

// live is the open-edge predicate for planning from where a run stopped:
// the guards of the model it stopped in as they evaluate there; other
// models' guards are taken as open (their data is not at hand).
func live(from algorithm.Loc, res *simRun, guardErr *error) func(algorithm.Loc) bool {
	return func(l algorithm.Loc) bool {
		if l.Model != from.Model || *guardErr != nil {
			return *guardErr == nil
		}
		ok, err := res.available(l.Element)
		if err != nil {
			*guardErr = err
		}
		return ok && err == nil
	}
}

// replan plans the rest of a case from where its run stopped, through the
// edges open with the data there, covering need; lost are the targets it
// cannot reach, diagnosed.
func (p *planner) replan(prefix []algorithm.Loc, need []int, res *simRun) (suffix []algorithm.Loc, lost []int, err error) {
	s := p.s
	from := prefix[len(prefix)-1]
	var guardErr error
	o := algorithm.CaseOptions{Single: true, ResetCost: s.Options.ResetCost}
	if s.Options.MaxLength > 0 {
		o.MaxLength = s.Options.MaxLength - len(prefix) + 1
	}
	if n := len(prefix); n >= 3 && s.Options.Cover == EdgePairs {
		if e := prefix[n-2]; e.Model == from.Model && s.Models[e.Model].IsEdge(e.Element) {
			o.Prev = &e
		}
	}
	cp, err := p.plan(from, need, live(from, res, &guardErr), o)
	if err != nil {
		return nil, nil, err
	}
	if guardErr != nil {
		return nil, nil, guardErr
	}
	for _, i := range cp.Unreachable {
		lost = append(lost, need[i])
	}
	for _, i := range cp.TooLong {
		lost = append(lost, need[i])
	}
	if len(lost) > 0 {
		p.diagnose(from, lost, res)
	}
	if len(cp.Cases) > 0 {
		suffix = cp.Cases[0]
	}
	return suffix, lost, nil
}

// maxEnable bounds how often one case walks to one enabling element.
const maxEnable = 8

// enable plans a walk from where a run stopped to the nearest element
// whose actions write a variable read by a guard that keeps lost targets
// out of reach (see diagnose); nil when there is none.
func (p *planner) enable(prefix []algorithm.Loc, lost []int, res *simRun, tried map[algorithm.Loc]int) ([]algorithm.Loc, error) {
	s := p.s
	from := prefix[len(prefix)-1]
	m := s.Models[from.Model]
	vars := map[string]bool{}
	for _, g := range p.blockers(from, lost, res) {
		for _, id := range identifiers(m.Edge(g).Guard) {
			vars[id] = true
		}
	}
	if len(vars) == 0 {
		return nil, nil
	}
	var group []algorithm.Loc
	for el := range m.NumElements() {
		l := algorithm.Loc{Model: from.Model, Element: el}
		if tried[l] >= maxEnable {
			continue
		}
		for _, a := range m.ElementActions(el) {
			if writesAny(a, vars) {
				group = append(group, l)
				break
			}
		}
	}
	if len(group) == 0 {
		return nil, nil
	}
	var guardErr error
	o := algorithm.CaseOptions{Single: true}
	if s.Options.MaxLength > 0 {
		o.MaxLength = s.Options.MaxLength - len(prefix) + 1
	}
	cp, err := p.alg.TargetCases(from, [][]algorithm.Loc{group}, live(from, res, &guardErr), o)
	if err != nil || guardErr != nil || len(cp.Cases) == 0 {
		return nil, cmp.Or(err, guardErr)
	}
	walk := cp.Cases[0]
	for _, l := range walk[1:] {
		if slices.Contains(group, l) {
			tried[l]++
		}
	}
	return walk, nil
}
