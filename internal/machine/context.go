package machine

import (
	"fmt"
	"log/slog"

	"github.com/gw-project/gw/internal/algorithm"
	"github.com/gw-project/gw/internal/condition"
	"github.com/gw-project/gw/internal/generator"
	"github.com/gw-project/gw/internal/jrand"
	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/script"
)

// Context is one model being walked, with its own JavaScript scope,
// generator, position and coverage.
type Context struct {
	m     *Machine
	index int
	model *model.Model
	gen   generator.Generator
	env   *script.Env

	observers []condition.Observer // conditions that see every step (edge_pair_coverage)

	guards  []*program        // per edge; nil when unguarded
	succ    [][]model.Element // per element: next elements, guards ignored
	guarded []bool            // per vertex: some out-edge has a guard
	scratch []model.Element   // Successors' result for guarded vertices
	actions [][]*program      // per element

	status              Status
	current, next, last model.Element
	predefined          int
	visits              []int // per element
	visitedV, visitedE  int
	reqs                []requirement
	reqsByElement       [][]int32 // per element: indices into reqs
	reqCovered          int
	dist                *algorithm.Distances
}

type requirement struct {
	key     string
	element model.Element // model.None for model-level requirements
	status  RequirementStatus
}

// Requirement is a requirement and its status.
type Requirement struct {
	Key     string
	Element model.Element // model.None for a model-level requirement
	Status  RequirementStatus
}

func newContext(m *Machine, index int, mod *model.Model) (*Context, error) {
	c := &Context{
		m: m, index: index, model: mod,
		current: model.None, next: model.None, last: model.None,
		visits:        make([]int, mod.NumElements()),
		actions:       make([][]*program, mod.NumElements()),
		guards:        make([]*program, len(mod.Edges)),
		reqsByElement: make([][]int32, mod.NumElements()),
	}
	c.env = m.sb.NewEnv()
	// Compile every script once, now, so a syntax error is reported at load.
	for el := range mod.NumElements() {
		for _, a := range mod.ElementActions(el) {
			p, err := m.compile(c, a, "action")
			if err != nil {
				return nil, withElement(err, mod.Describe(el))
			}
			c.actions[el] = append(c.actions[el], p)
		}
		for _, r := range mod.ElementRequirements(el) {
			c.reqsByElement[el] = append(c.reqsByElement[el], int32(len(c.reqs)))
			c.reqs = append(c.reqs, requirement{key: r, element: el})
		}
	}
	for j, e := range mod.Edges {
		if e.Guard == "" {
			continue
		}
		p, err := m.compile(c, e.Guard, "guard")
		if err != nil {
			return nil, withElement(err, mod.Describe(mod.EdgeElement(e)))
		}
		c.guards[j] = p
	}
	nv := len(mod.Vertices)
	c.succ = make([][]model.Element, mod.NumElements())
	c.guarded = make([]bool, nv)
	for v := range nv {
		for _, e := range mod.OutEdges(v) {
			c.succ[v] = append(c.succ[v], nv+int(e))
			c.guarded[v] = c.guarded[v] || c.guards[e] != nil
		}
	}
	for j, e := range mod.Edges {
		if e.Target != nil {
			c.succ[nv+j] = []model.Element{e.Target.Index}
		}
	}
	for _, r := range mod.Requirements {
		c.reqs = append(c.reqs, requirement{key: r, element: model.None})
	}
	// A startElementId that names no element is ignored, as GraphWalker's
	// JSON reader ignores it (AltWalker's own test models rely on that);
	// `gw check` reports it.
	if start := mod.StartElement(); start != model.None {
		c.next = start
	}
	return c, nil
}

func withElement(err error, el string) error {
	if e, ok := err.(*Error); ok && e.Element == "" {
		e.Element = el
		return e
	}
	return err
}

func (c *Context) buildGenerator() error {
	if build := c.m.opts.Generators; build != nil {
		g, err := build(c)
		if err != nil {
			return &Error{Model: c.model.Name, Err: err}
		}
		c.gen = g
		return nil
	}
	text := c.model.Generator
	if text == "" {
		return &Error{Model: c.model.Name, Err: fmt.Errorf("No path generator is defined: give the model a generator, e.g. random(edge_coverage(100))")}
	}
	g, err := generator.Parse(text, c)
	if err != nil {
		return &Error{Model: c.model.Name, Err: err}
	}
	c.gen = g
	for _, cond := range conditionsOf(g) {
		condition.Walk(cond, func(x condition.Condition) {
			if o, ok := x.(condition.Observer); ok {
				c.observers = append(c.observers, o)
			}
		})
	}
	return nil
}

func (c *Context) run(p *program) error {
	if p.global {
		return c.m.global.Exec(p.Program)
	}
	return c.env.Exec(p.Program)
}

func (c *Context) hasNext() (bool, error) {
	if c.status == Completed || c.status == Failed {
		return false, nil
	}
	more := c.gen.HasNext()
	if !more {
		c.status = Completed
		for i := range c.reqs {
			if c.reqs[i].element == model.None {
				c.setReq(i, Passed)
			}
		}
	}
	return more, nil
}

func (c *Context) isStart() (bool, error) {
	more, err := c.hasNext()
	return more && (c.current != model.None || c.next != model.None), err
}

func (c *Context) setCurrent(el model.Element) {
	c.last, c.current, c.next = c.current, el, model.None
}

func (c *Context) setNext(el model.Element) {
	c.next, c.current = el, model.None
}

func (c *Context) visit(el model.Element) {
	if c.visits[el] == 0 {
		if c.model.IsVertex(el) {
			c.visitedV++
		} else {
			c.visitedE++
		}
		c.m.lastGain = c.m.totalSteps
	}
	c.visits[el]++
}

func (c *Context) setRequirements(el model.Element, s RequirementStatus) {
	for _, i := range c.reqsByElement[el] {
		c.setReq(int(i), s)
	}
}

func (c *Context) setReq(i int, s RequirementStatus) {
	old := c.reqs[i].status
	if old == NotCovered && s != NotCovered {
		c.reqCovered++
	}
	c.reqs[i].status = s
}

func (c *Context) hasAccessibleOut(el model.Element) (bool, error) {
	if !c.model.IsVertex(el) {
		return false, nil
	}
	nv := len(c.model.Vertices)
	for _, e := range c.model.OutEdges(el) {
		ok, err := c.Available(nv + int(e))
		if err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

// --- generator.Context and condition.Context ---

// Model is the context's model.
func (c *Context) Model() *model.Model { return c.model }

// Index is the context's position in the machine.
func (c *Context) Index() int { return c.index }

// Current is the current element (model.None when another model is
// current).
func (c *Context) Current() model.Element { return c.current }

// Pending is the element the context will execute next without asking its
// generator (its start element, or a shared-state jump target).
func (c *Context) Pending() model.Element { return c.next }

// Visited reports whether el was executed in this context.
func (c *Context) Visited(el model.Element) bool { return c.visits[el] > 0 }

// VisitCount counts the executions of el in this context.
func (c *Context) VisitCount(el model.Element) int { return c.visits[el] }

// VisitedVertices counts distinct visited vertices.
func (c *Context) VisitedVertices() int { return c.visitedV }

// VisitedEdges counts distinct visited edges.
func (c *Context) VisitedEdges() int { return c.visitedE }

// TotalSteps counts the steps of the whole machine.
func (c *Context) TotalSteps() int { return c.m.totalSteps }

// RequirementCounts returns how many requirements there are and how many
// are PASSED or FAILED.
func (c *Context) RequirementCounts() (total, covered int) { return len(c.reqs), c.reqCovered }

// Requirements lists the requirements with their status, element
// requirements in element order, then the model's own.
func (c *Context) Requirements() []Requirement {
	out := make([]Requirement, len(c.reqs))
	for i, r := range c.reqs {
		out[i] = Requirement{r.key, r.element, r.status}
	}
	return out
}

// PredefinedIndex is the position in the model's predefined path.
func (c *Context) PredefinedIndex() int { return c.predefined }

// SetPredefinedIndex moves the position in the predefined path.
func (c *Context) SetPredefinedIndex(i int) { c.predefined = i }

// SetCurrent makes el the current element (generators call this).
func (c *Context) SetCurrent(el model.Element) { c.setCurrent(el) }

// Rand is the machine's random source.
func (c *Context) Rand() *jrand.Rand { return c.m.rand }

// Distances answers distance queries on the model.
func (c *Context) Distances() *algorithm.Distances {
	if c.dist == nil {
		c.dist = algorithm.NewDistances(c.model)
	}
	return c.dist
}

// Successors lists the available next elements (see generator.Context).
func (c *Context) Successors(_ []model.Element) ([]model.Element, error) {
	cur := c.current
	if cur < len(c.guarded) && c.guarded[cur] {
		buf := c.scratch[:0]
		defer func() { c.scratch = buf }()
		for _, el := range c.succ[cur] {
			ok, err := c.Available(el)
			if err != nil {
				return buf, err
			}
			if ok {
				buf = append(buf, el)
			}
		}
		return buf, nil
	}
	return c.succ[cur], nil
}

// Available evaluates the guard of edge element el.
func (c *Context) Available(el model.Element) (bool, error) {
	p := c.guards[el-len(c.model.Vertices)]
	if p == nil {
		return true, nil
	}
	env := c.env
	if p.global {
		env = c.m.global
	}
	ok, err := env.Bool(p.Program)
	if err != nil {
		return false, &Error{Model: c.model.Name, Element: c.model.Describe(el), Err: fmt.Errorf("guard %s: %w", quoteScript(p.src), err)}
	}
	return ok, nil
}

// Status is the context's execution status.
func (c *Context) Status() Status { return c.status }

// Generator is the context's generator.
func (c *Context) Generator() generator.Generator { return c.gen }

// Fulfilment is how far the active stop condition is met (1 = met).
func (c *Context) Fulfilment() float64 { return c.gen.StopCondition().Fulfilment() }

// Data lists the context's variables, under the deadline of the operation
// in progress (or one of its own).
func (c *Context) Data() ([]script.KV, error) { return c.env.Data() }

// --- generator.Outlook ---

// CanEnd reports whether GraphWalker's walk can still end (see
// generator.Outlook and Machine.canEnd).
func (c *Context) CanEnd() (bool, error) { return c.m.canEnd() }

// Deviated reports whether the walk has left GraphWalker's course.
func (c *Context) Deviated() bool { return c.m.deviated }

// Deviate records that the walk leaves GraphWalker's course.
func (c *Context) Deviate() {
	if !c.m.deviated {
		c.m.deviated, c.m.deviatedAt = true, c.m.totalSteps+1
		log := c.m.opts.Log
		if log == nil {
			log = slog.Default()
		}
		log.Debug("quick_random leaves GraphWalker's path: on it the walk would never end", "model", c.model.Name, "step", c.m.deviatedAt)
	}
}

var _ generator.Outlook = (*Context)(nil)

// --- generator.Network ---

// Models lists the machine's models in machine order.
func (c *Context) Models() []*model.Model {
	if c.m.models == nil {
		for _, x := range c.m.contexts {
			c.m.models = append(c.m.models, x.model)
		}
	}
	return c.m.models
}

// VisitedIn reports whether el was executed in the machine's model k.
func (c *Context) VisitedIn(k int, el model.Element) bool { return c.m.contexts[k].visits[el] > 0 }

// SharedPlan is the machine's slot for a plan its generators share.
func (c *Context) SharedPlan() *any { return &c.m.plan }

// GeneratorIn is the generator of the machine's model k.
func (c *Context) GeneratorIn(k int) generator.Generator { return c.m.contexts[k].gen }

var _ generator.Network = (*Context)(nil)
