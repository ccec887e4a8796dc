package replay

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gw-project/gw/internal/algorithm"
	"github.com/gw-project/gw/internal/condition"
	"github.com/gw-project/gw/internal/generator"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/record"
)

// Loc is a step: a model (index in the run's models) and an element.
type Loc struct {
	Model   int
	Element model.Element
}

// Path is a walk to replay.
type Path struct {
	Source  string // the record's file, for messages
	Models  []*model.Model
	Digests []string
	Seed    int64
	Steps   []Loc
	// Events are the record's setData and fail lines, with N the steps
	// taken when they happened.
	Events []record.Line
}

// FromRecord is the path of a record: its steps, and the element whose
// actions failed when the run ended that way (so that a replay fails
// there again).
func FromRecord(rec *record.Record) *Path {
	p := &Path{Source: rec.Path, Models: rec.Models, Seed: rec.Header.Seed}
	for _, me := range rec.Header.Models {
		p.Digests = append(p.Digests, me.Digest)
	}
	p.Steps = make([]Loc, 0, len(rec.Steps)+1)
	for i := range rec.Steps {
		k, el := rec.Steps[i].Loc()
		p.Steps = append(p.Steps, Loc{k, el})
	}
	for _, ev := range rec.Events {
		switch ev.Type {
		case "setData", "fail":
			p.Events = append(p.Events, ev)
		case "error":
			if ev.Entered && ev.N == len(p.Steps)+1 {
				p.Steps = append(p.Steps, Loc{ev.Model, ev.Element})
			}
		}
	}
	return p
}

// Load reads a record's path.
func Load(file string) (*Path, error) { return LoadWith(file, record.ReadOptions{}) }

// LoadWith is Load with the reader's limits.
func LoadWith(file string, o record.ReadOptions) (*Path, error) {
	rec, err := record.ReadFileWith(file, o)
	if err != nil {
		return nil, err
	}
	return FromRecord(rec), nil
}

// DivergenceError is a replay that cannot follow its record.
type DivergenceError struct {
	Step   int    // the record's step number (from 1) that could not be taken
	Want   string // the recorded element, described
	Reason string
}

func (e *DivergenceError) Error() string {
	if e.Want == "" {
		return fmt.Sprintf("replay diverged at step %d: %s", e.Step, e.Reason)
	}
	return fmt.Sprintf("replay diverged at step %d: the record has %s, but %s", e.Step, e.Want, e.Reason)
}

// ModelError is a model that is not the recorded one.
type ModelError struct {
	Index        int
	Name         string
	Digest, Want string
	Reason       string
}

func (e *ModelError) Error() string {
	if e.Reason != "" {
		return "replay: " + e.Reason
	}
	return fmt.Sprintf("replay: model %d (%q) is not the recorded one: its digest is %s, the record's is %s (the model changed since the run was recorded; replay the record on its own models with gw replay)", e.Index+1, e.Name, e.Digest, e.Want)
}

// Forcer makes one machine walk a Path. It is used by the machine's
// goroutine only.
type Forcer struct {
	p      *Path
	models []*model.Model
	ctxs   []*machine.Context
	last   []int // per model: the last position of the path in it
	pos    int
	cur    int  // the context the machine is in; -1 before the first step
	inJump bool // a jump to another context is under way
	hint   string
	cond   *recorded
}

// Force checks models — the machine's, in order — against the record's
// digests and returns a Forcer for a machine over them.
func (p *Path) Force(models []*model.Model) (*Forcer, error) {
	if len(models) != len(p.Digests) {
		return nil, &ModelError{Reason: fmt.Sprintf("the record walked %d model(s), this run has %d", len(p.Digests), len(models))}
	}
	for i, m := range models {
		d, err := record.Digest(m)
		if err != nil {
			return nil, fmt.Errorf("replay: model %q: %w", m.Name, err)
		}
		if d != p.Digests[i] {
			return nil, &ModelError{Index: i, Name: m.Name, Digest: d, Want: p.Digests[i]}
		}
	}
	f := &Forcer{p: p, models: models, ctxs: make([]*machine.Context, len(models)), last: make([]int, len(models)), cur: -1}
	for i := range f.last {
		f.last[i] = -1
	}
	for i, s := range p.Steps {
		f.last[s.Model] = i
	}
	f.cond = &recorded{f}
	return f, nil
}

// Apply makes opts force the path: each context's generator, a Check
// (before any Check already set) and the recorded seed.
func (f *Forcer) Apply(opts *machine.Options) {
	opts.Generators = func(c *machine.Context) (generator.Generator, error) {
		if c.Index() >= len(f.ctxs) {
			return nil, errors.New("replay: the machine has more models than the record")
		}
		f.ctxs[c.Index()] = c
		return &gen{f: f, c: c}, nil
	}
	prev := opts.Check
	opts.Check = func(s machine.Step) error {
		if err := f.check(s); err != nil {
			return err
		}
		if prev != nil {
			return prev(s)
		}
		return nil
	}
	opts.Seed, opts.HasSeed = f.p.Seed, true
}

// Push appends a step to the path being forced (a search extends a walk
// one step at a time). The Path is shared: use it with one Forcer only.
func (f *Forcer) Push(l Loc) {
	f.p.Steps = append(f.p.Steps, l)
	f.last[l.Model] = len(f.p.Steps) - 1
}

// Pos is the number of recorded steps taken so far.
func (f *Forcer) Pos() int { return f.pos }

// Len is the number of steps the path has.
func (f *Forcer) Len() int { return len(f.p.Steps) }

// End is called when the walk ended (HasNext false): it reports the
// steps the record still has.
func (f *Forcer) End() error {
	if f.pos < len(f.p.Steps) {
		return &DivergenceError{Step: f.pos + 1, Want: f.describe(f.p.Steps[f.pos]), Reason: "the walk ended there (no model has a next step)"}
	}
	return nil
}

func (f *Forcer) describe(l Loc) string {
	m := f.models[l.Model]
	return fmt.Sprintf("%s in model %q", m.Describe(l.Element), m.Name)
}

func (f *Forcer) diverged(reason string) error {
	if f.hint != "" {
		reason += " (" + f.hint + ")"
	}
	if f.pos >= len(f.p.Steps) {
		return &DivergenceError{Step: f.pos + 1, Reason: "the record ends before this step; " + reason}
	}
	return &DivergenceError{Step: f.pos + 1, Want: f.describe(f.p.Steps[f.pos]), Reason: reason}
}

// current is the machine's current context: the step's, or before the
// first step the first context with a start element (machine.New's rule).
func (f *Forcer) current() int {
	if f.cur < 0 {
		for i, c := range f.ctxs {
			if c != nil && (c.Pending() != model.None || c.Current() != model.None) {
				f.cur = i
				break
			}
		}
	}
	return f.cur
}

// hasNext decides what each context's HasNext says so that the machine's
// own rules (machine.HasNext: the first context with steps left; a
// context with a pending start element is switched to) lead to the
// recorded step.
func (f *Forcer) hasNext(c *machine.Context) bool {
	k := c.Index()
	if f.pos >= len(f.p.Steps) {
		return false
	}
	if f.inJump { // the context being left by a jump: steps ahead in it?
		return f.last[k] >= f.pos
	}
	want := f.p.Steps[f.pos]
	cur := f.current()
	if w := f.ctxs[want.Model]; want.Model != cur && w.Current() == model.None && w.Pending() == want.Element {
		// GraphWalker's sequential execution: every context before the
		// wanted one has no steps left; the machine switches to it.
		if k == want.Model {
			f.cur = k
			return true
		}
		return false
	}
	if k == cur {
		return true
	}
	// Another context: it must not make the machine switch to it.
	return c.Current() == model.None && c.Pending() == model.None
}

// next is a generator's Next: the recorded element, when it follows.
func (f *Forcer) next(c *machine.Context) (model.Element, error) {
	if f.pos >= len(f.p.Steps) {
		return model.None, f.diverged("the machine asked for another step")
	}
	want := f.p.Steps[f.pos]
	if want.Model != c.Index() {
		return model.None, f.diverged(fmt.Sprintf("the machine stays in model %q", c.Model().Name))
	}
	cands, err := c.Successors(nil)
	if err != nil {
		return model.None, err
	}
	for _, el := range cands {
		if el == want.Element {
			c.SetCurrent(el)
			return el, nil
		}
	}
	return model.None, f.diverged(f.why(c, want.Element))
}

// why explains that el cannot follow c's current element.
func (f *Forcer) why(c *machine.Context, el model.Element) string {
	m := c.Model()
	cur := c.Current()
	if m.IsVertex(cur) && m.IsEdge(el) {
		e := m.Edge(el)
		if e.Source == m.Vertex(cur) && e.Guard != "" {
			return fmt.Sprintf("its guard [%s] is false now, at %s", e.Guard, m.Describe(cur))
		}
		return fmt.Sprintf("it does not leave %s", m.Describe(cur))
	}
	return fmt.Sprintf("it does not follow %s in the model", m.Describe(cur))
}

// jump chooses the recorded shared-state jump among the machine's
// candidates, or stays when the record stays.
func (f *Forcer) jump(c *machine.Context, cands []algorithm.Loc) int {
	if f.pos >= len(f.p.Steps) {
		return -1
	}
	want := f.p.Steps[f.pos]
	for i, x := range cands {
		if x.Model == want.Model && x.Element == want.Element {
			f.inJump = want.Model != c.Index()
			return i
		}
	}
	if want.Model == c.Index() {
		for i, x := range cands {
			if x.Model == c.Index() && x.Element == c.Current() {
				return i
			}
		}
		f.hint = fmt.Sprintf("no out-edge of %s is available", c.Model().Describe(c.Current()))
		return -1
	}
	var alts []string
	for _, x := range cands {
		alts = append(alts, f.describe(Loc{x.Model, x.Element}))
	}
	f.hint = "the jump from the shared state is not possible now; the machine could go to " + strings.Join(alts, ", ")
	return -1
}

func (f *Forcer) check(s machine.Step) error {
	if f.pos >= len(f.p.Steps) {
		return f.diverged("the machine took " + f.describe(Loc{s.Context.Index(), s.Element}))
	}
	want := f.p.Steps[f.pos]
	if s.Context.Index() != want.Model || s.Element != want.Element {
		return f.diverged("the machine took " + f.describe(Loc{s.Context.Index(), s.Element}))
	}
	f.pos++
	f.cur = want.Model
	f.inJump = false
	f.hint = ""
	return nil
}

// gen is one context's generator.
type gen struct {
	f *Forcer
	c *machine.Context
}

func (g *gen) HasNext() bool                      { return g.f.hasNext(g.c) }
func (g *gen) Next() (model.Element, error)       { return g.f.next(g.c) }
func (g *gen) StopCondition() condition.Condition { return g.f.cond }
func (g *gen) String() string                     { return "RecordedPath(" + g.f.cond.String() + ")" }
func (g *gen) Jump(cands []algorithm.Loc) int     { return g.f.jump(g.c, cands) }

var _ generator.Jumper = (*gen)(nil)

// recorded is the replay's stop condition: the end of the record.
type recorded struct{ f *Forcer }

func (r *recorded) Fulfilled() bool { return r.f.pos >= len(r.f.p.Steps) }
func (r *recorded) Fulfilment() float64 {
	if len(r.f.p.Steps) == 0 {
		return 1
	}
	return float64(r.f.pos) / float64(len(r.f.p.Steps))
}
func (r *recorded) String() string { return fmt.Sprintf("RecordedSteps(%d)", len(r.f.p.Steps)) }
