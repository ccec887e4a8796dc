package machine

import (
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gw-project/gw/internal/algorithm"
	"github.com/gw-project/gw/internal/condition"
	"github.com/gw-project/gw/internal/generator"
	"github.com/gw-project/gw/internal/jrand"
	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/script"
)

// Status is a context's execution status.
type Status int

const (
	NotExecuted Status = iota
	Executing
	Completed
	Failed
)

func (s Status) String() string {
	return [...]string{"NOT_EXECUTED", "EXECUTING", "COMPLETED", "FAILED"}[s]
}

// RequirementStatus is the state of one requirement.
type RequirementStatus int

const (
	NotCovered RequirementStatus = iota
	Passed
	RequirementFailed
)

func (s RequirementStatus) String() string {
	return [...]string{"NOT_COVERED", "PASSED", "FAILED"}[s]
}

// Options tune a machine. The zero value is GraphWalker's behaviour with a
// random seed.
type Options struct {
	// Seed seeds the java.util.Random-compatible source when HasSeed is set.
	Seed    int64
	HasSeed bool
	// Script bounds the machine's JavaScript: one deadline per step, memory,
	// script size and nesting, data display (the zero value: defaults).
	Script script.Limits
	// NoProgressWindow is how many steps without new coverage or progress of
	// the stop condition end a walk with an error; 0 means the default
	// (max(10000, 100 × elements)); negative turns the check off.
	NoProgressWindow int
	// Before is called at each step before the element's actions run
	// (GraphWalker's BEFORE_ELEMENT event).
	Before func(Step)
	// SkipReachabilityCheck turns off the check, at start, that every stop
	// condition can be met from the start element.
	SkipReachabilityCheck bool
	// Generators, when set, builds each context's generator in place of
	// the model's generator text (the text may then be empty). Replays
	// force a recorded path this way.
	Generators func(c *Context) (generator.Generator, error)
	// Check, when set, is called at each step before Before and before the
	// element is visited; an error fails the step with that error (the
	// context becomes FAILED). Replays stop a walk that leaves the recorded
	// path this way.
	Check func(Step) error
	// Log receives the machine's debug messages (where a walk leaves
	// GraphWalker's path); nil means slog.Default().
	Log *slog.Logger
}

// Step is one executed element.
type Step struct {
	Context *Context
	Element model.Element
}

// Model is the model the step belongs to.
func (s Step) Model() *model.Model { return s.Context.model }

// Machine walks a set of models.
type Machine struct {
	contexts []*Context
	current  *Context
	sb       *script.Sandbox
	global   *script.Env
	rand     *jrand.Rand
	seed     int64
	opts     Options

	// lastVertex is the vertex the machine last jumped away from, so a
	// shared-state jump does not bounce straight back.
	lastCtx *Context
	lastEl  model.Element

	// plan is the slot generators share a plan in (Context.SharedPlan);
	// locs is nextStep's buffer of jump candidates for a Jumper;
	// models caches Context.Models.
	plan   any
	locs   []algorithm.Loc
	models []*model.Model

	totalSteps int
	window     int
	lastGain   int // step of the last progress
	best       map[condition.Condition]float64

	// shared indexes shared-state vertices (sharedIndex).
	shared map[string][]candidate
	// deviated is set once the walk has left GraphWalker's course (see
	// generator.Outlook); ending holds where canEnd last answered yes.
	deviated   bool
	deviatedAt int // the step that left GraphWalker's course
	ending     endCache
	// keepCourse makes CanEnd always true: GraphWalker's course for good
	// (tests compare with it).
	keepCourse bool
}

// Error is a failure with the model and element it happened at.
type Error struct {
	Model   string
	Element string // description, e.g. `edge "e_X" (id e3)`; "" if none
	Err     error
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Model != "" {
		fmt.Fprintf(&b, "model %q", e.Model)
	}
	if e.Element != "" {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(e.Element)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// ErrNoStart is returned by New when no model has a start element.
var ErrNoStart = errors.New("No start context found")

// New builds a machine over models (indexed, not modified). Each model's
// Generator text is parsed and its StartElementID resolved; INIT actions
// run in model order. The caller must Close the machine.
func New(models []*model.Model, opts Options) (*Machine, error) {
	m := &Machine{opts: opts, lastEl: model.None}
	if opts.HasSeed {
		m.seed = opts.Seed
	} else {
		m.seed = rand.Int64()
	}
	m.rand = jrand.New(m.seed)
	if len(models) == 0 {
		return nil, errors.New("no model to walk")
	}
	m.sb = script.NewSandbox(opts.Script)
	m.global = m.sb.NewEnv()
	ok := false
	defer func() {
		if !ok {
			m.Close()
		}
	}()
	// Building the machine (INIT actions) is one operation.
	m.sb.Begin()
	defer m.sb.End()
	total := 0
	for i, mod := range models {
		c, err := newContext(m, i, mod)
		if err != nil {
			return nil, err
		}
		m.contexts = append(m.contexts, c)
		total += mod.NumElements()
	}
	// Generators are built after every context exists (conditions look at
	// their own context only, but errors read better in model order).
	for _, c := range m.contexts {
		if err := c.buildGenerator(); err != nil {
			return nil, err
		}
	}
	for _, c := range m.contexts {
		m.current = c
		for _, a := range c.model.Actions {
			p, err := m.compile(c, a, "INIT action")
			if err != nil {
				return nil, err
			}
			if err := c.run(p); err != nil {
				return nil, &Error{Model: c.model.Name, Err: fmt.Errorf("INIT action %s: %w", quoteScript(a), err)}
			}
		}
	}
	m.current = nil
	for _, c := range m.contexts {
		if c.current != model.None || c.next != model.None {
			m.current = c
			break
		}
	}
	if m.current == nil {
		return nil, fmt.Errorf("%w: no model has a start element (set startElementId, draw a Start vertex, or use --start-element)", ErrNoStart)
	}
	switch {
	case opts.NoProgressWindow > 0:
		m.window = opts.NoProgressWindow
	case opts.NoProgressWindow == 0:
		m.window = max(10000, 100*total)
	}
	m.best = map[condition.Condition]float64{}
	if !opts.SkipReachabilityCheck {
		if err := m.checkReachable(); err != nil {
			return nil, err
		}
	}
	ok = true
	return m, nil
}

// Close releases the machine's JavaScript scopes.
func (m *Machine) Close() { m.sb.Close() }

// Abort stops the machine for good from any goroutine: a running script is
// interrupted and every later step fails with err. Servers use it on
// shutdown and when a client goes away.
func (m *Machine) Abort(err error) { m.sb.Abort(err) }

// Err is why the machine was stopped for good (a memory limit, Abort), or
// nil. A stopped machine holds JavaScript memory until it is closed, so
// callers should drop it.
func (m *Machine) Err() error { return m.sb.Err() }

// Begin starts an operation that shares one deadline, e.g. a step and the
// data display that reports it; End ends it. Pairs nest. Steps, data
// listings and scripts outside Begin/End get a deadline each.
func (m *Machine) Begin() { m.sb.Begin() }

// End ends what Begin started.
func (m *Machine) End() { m.sb.End() }

// Limits are the machine's script limits, defaults filled in.
func (m *Machine) Limits() script.Limits { return m.sb.Limits() }

// Seed is the seed the machine's random source started from.
func (m *Machine) Seed() int64 { return m.seed }

// Contexts lists the machine's contexts in model order.
func (m *Machine) Contexts() []*Context { return m.contexts }

// Current is the current context.
func (m *Machine) Current() *Context { return m.current }

// TotalSteps counts the steps executed so far, all models together.
func (m *Machine) TotalSteps() int { return m.totalSteps }

// HasNext reports whether any model still wants steps. It may switch the
// current context to a model that has its own start element (GraphWalker's
// sequential execution of independent models).
func (m *Machine) HasNext() (bool, error) {
	m.sb.Begin()
	defer m.sb.End()
	for _, c := range m.contexts {
		more, err := c.hasNext()
		if err != nil {
			return false, err
		}
		if more {
			if c != m.current {
				start, err := c.isStart()
				if err != nil {
					return false, err
				}
				if start {
					if _, err := m.switchTo(c); err != nil {
						return false, err
					}
				}
			}
			return true, nil
		}
	}
	return false, nil
}

// Next executes one step and returns it. It does not check HasNext.
func (m *Machine) Next() (Step, error) {
	m.sb.Begin()
	defer m.sb.End()
	origin := m.current
	ctx, err := m.walk(origin)
	if err != nil {
		return Step{}, m.fail(origin, err)
	}
	el := ctx.current
	step := Step{Context: ctx, Element: el}
	if m.opts.Check != nil {
		if err := m.opts.Check(step); err != nil {
			return Step{}, m.fail(ctx, err)
		}
	}
	if m.opts.Before != nil {
		m.opts.Before(step)
	}
	ctx.visit(el)
	for _, o := range ctx.observers {
		o.Observe(el)
	}
	for _, p := range ctx.actions[el] {
		if err := ctx.run(p); err != nil {
			return Step{}, m.fail(ctx, &Error{Model: ctx.model.Name, Element: ctx.model.Describe(el), Err: fmt.Errorf("action %s: %w", quoteScript(p.Source()), err)})
		}
	}
	m.totalSteps++
	mod := ctx.model
	if mod.IsEdge(ctx.last) {
		ctx.setRequirements(ctx.last, Passed)
	}
	if mod.IsVertex(el) {
		ctx.setRequirements(el, Passed)
	}
	if err := m.checkProgress(); err != nil {
		return step, m.fail(ctx, err)
	}
	return step, nil
}

func (m *Machine) walk(c *Context) (*Context, error) {
	var err error
	if c.current == model.None {
		c, err = m.firstStep(c)
	} else {
		c, err = m.nextStep(c)
	}
	if err != nil {
		return c, err
	}
	if c.status == NotExecuted {
		c.status = Executing
	}
	return c, nil
}

func (m *Machine) firstStep(c *Context) (*Context, error) {
	if c.next == model.None {
		var start *Context
		for _, x := range m.contexts {
			ok, err := x.isStart()
			if err != nil {
				return c, err
			}
			if ok {
				start = x
				break
			}
		}
		if start == nil {
			return c, errors.New("No start element defined")
		}
		var err error
		if c, err = m.switchTo(start); err != nil {
			return c, err
		}
	}
	return c, m.stepIn(c)
}

func (m *Machine) nextStep(c *Context) (*Context, error) {
	mod := c.model
	if cur := c.current; mod.IsVertex(cur) && mod.Vertex(cur).SharedState != "" {
		cands, err := m.sharedCandidates(mod.Vertex(cur).SharedState)
		if err != nil {
			return c, err
		}
		if len(cands) > 0 {
			if i := m.jump(c, cands); i >= 0 {
				c, err = m.take(c, cands[i])
			} else {
				c, err = m.chooseShared(c)
			}
			if err != nil {
				return c, err
			}
		}
	}
	return c, m.stepIn(c)
}

func (m *Machine) stepIn(c *Context) error {
	if c.next != model.None {
		c.setCurrent(c.next)
		return nil
	}
	_, err := c.gen.Next()
	if err != nil {
		var me *Error
		if !errors.As(err, &me) {
			var np *generator.NoPathError
			if errors.As(err, &np) {
				return err // already names model and element
			}
			return &Error{Model: c.model.Name, Element: c.model.Describe(c.current), Err: err}
		}
	}
	return err
}

func (m *Machine) switchTo(c *Context) (*Context, error) {
	if _, err := m.current.hasNext(); err != nil {
		return c, err
	}
	m.lastCtx, m.lastEl = m.current, m.current.current
	m.current.setCurrent(model.None)
	m.current = c
	return c, nil
}

type candidate struct {
	ctx *Context
	v   model.Element
}

// sharedCandidates is GraphWalker's possibleSharedStates: where a jump from
// the current shared vertex may land, in context order.
func (m *Machine) sharedCandidates(name string) ([]candidate, error) {
	var out []candidate
	cur := m.current
	for _, c := range m.contexts {
		if c == cur {
			ok, err := c.hasAccessibleOut(c.current)
			if err != nil {
				return nil, err
			}
			if ok {
				out = append(out, candidate{c, c.current})
			}
			continue
		}
		for _, v := range c.model.Vertices {
			if v.SharedState != name {
				continue
			}
			include := !m.isLastVertex(c, v)
			if !include {
				acc, err := cur.hasAccessibleOut(cur.current)
				if err != nil {
					return nil, err
				}
				include = !acc
			}
			if include && v.Name == "" {
				acc, err := c.hasAccessibleOut(v.Index)
				if err != nil {
					return nil, err
				}
				include = acc
			}
			if include {
				out = append(out, candidate{c, v.Index})
			}
		}
	}
	return out, nil
}

func (m *Machine) isLastVertex(c *Context, v *model.Vertex) bool {
	if m.lastCtx == nil || !m.lastCtx.model.IsVertex(m.lastEl) {
		return false
	}
	return model.SameVertex(m.lastCtx.model.Vertex(m.lastEl), v)
}

func (m *Machine) chooseShared(c *Context) (*Context, error) {
	cands, err := m.sharedCandidates(c.model.Vertex(c.current).SharedState)
	if err != nil {
		return c, err
	}
	return m.take(c, cands[m.rand.Intn(len(cands))])
}

// jump asks c's generator, when it is a generator.Jumper, which candidate
// to take: an index into cands, or -1 for GraphWalker's random pick.
func (m *Machine) jump(c *Context, cands []candidate) int {
	j, ok := c.gen.(generator.Jumper)
	if !ok {
		return -1
	}
	m.locs = m.locs[:0]
	for _, x := range cands {
		m.locs = append(m.locs, algorithm.Loc{Model: x.ctx.index, Element: x.v})
	}
	if i := j.Jump(m.locs); i < len(cands) {
		return i
	}
	return -1
}

// take moves to pick, or stays when pick is the current vertex.
func (m *Machine) take(c *Context, pick candidate) (*Context, error) {
	if pick.ctx == c && pick.v == c.current || model.SameVertex(pick.ctx.model.Vertex(pick.v), c.model.Vertex(c.current)) {
		m.lastCtx, m.lastEl = nil, model.None
		return c, nil
	}
	pick.ctx.setNext(pick.v)
	return m.switchTo(pick.ctx)
}

// fail is GraphWalker's fail-fast strategy: the current element's
// requirements (and the edge before it) fail and the context is FAILED.
func (m *Machine) fail(c *Context, err error) error {
	if c != nil {
		if c.current != model.None {
			c.setRequirements(c.current, RequirementFailed)
		}
		if c.model.IsEdge(c.last) {
			c.setRequirements(c.last, RequirementFailed)
		}
		c.status = Failed
	}
	return err
}

// Fail marks the current context as failed with reason, as REST `fail`
// does.
func (m *Machine) Fail(reason string) {
	m.fail(m.current, errors.New(reason))
}

// Data lists the current model's variables (its JavaScript scope).
func (m *Machine) Data() ([]script.KV, error) { return m.current.env.Data() }

// Execute runs script in the current model's scope (or the global one when
// it mentions "global."), as REST setData and WebSocket setData do.
func (m *Machine) Execute(src string) error {
	m.sb.Begin()
	defer m.sb.End()
	c := m.current
	p, err := m.compile(c, src, "script")
	if err != nil {
		return err
	}
	if err := c.run(p); err != nil {
		return &Error{Model: c.model.Name, Err: fmt.Errorf("script %s: %w", quoteScript(src), err)}
	}
	return nil
}

// compile compiles an action-like script, routed to the global scope when
// it mentions "global.".
func (m *Machine) compile(c *Context, src, what string) (*program, error) {
	global := script.IsGlobal(src)
	text := src
	if global {
		text = script.StripGlobal(src)
	}
	p, err := m.sb.Compile(text)
	if err != nil {
		return nil, &Error{Model: c.model.Name, Err: fmt.Errorf("%s %s: %w", what, quoteScript(src), err)}
	}
	return &program{Program: p, global: global, src: src}, nil
}

type program struct {
	*script.Program
	global bool
	src    string
}

// Source is the script as written in the model.
func (p *program) Source() string { return p.src }

// quoteScript quotes a script for an error message, shortened: a script
// may be megabytes long, and the error's position says where.
func quoteScript(src string) string {
	const keep = 200
	if len(src) <= keep {
		return strconv.Quote(src)
	}
	cut := keep
	for cut > 0 && !utf8.RuneStart(src[cut]) {
		cut--
	}
	return strconv.Quote(src[:cut]) + fmt.Sprintf("… (%d bytes)", len(src))
}
