package shrink

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/record"
	"github.com/gw-project/gw/internal/replay"
)

// Defaults of Options.
const (
	DefaultMaxStates = 200000
	DefaultMaxTime   = 60 * time.Second
)

// Options bound the search.
type Options struct {
	MaxStates int           // distinct states explored; 0: DefaultMaxStates
	MaxTime   time.Duration // 0: DefaultMaxTime
	// Machine carries the script limits of the machines the search
	// builds; its seed, generators and hooks are the search's.
	Machine machine.Options
}

// Failure is what a record failed with.
type Failure struct {
	Kind   string // "fail" (the test's) or "error" (gw's: a script, a guard, a limit)
	N      int    // the record's step number: the step a fail followed, the step an error happened at
	Target replay.Loc
	// Entered: the error happened in the target's actions, so the walk
	// takes the target as its last step and fails there.
	Entered bool
	Text    string
	Steps   int // the failing walk's length, target included
}

// SetData is a setData call of the shrunk walk.
type SetData struct {
	Text  string
	After int // made after this step of the shrunk walk (0: before the first)
	Was   int // and after this step in the failing run
}

// Result is a shrunk walk.
type Result struct {
	Failure Failure
	Path    []replay.Loc
	SetData []SetData
	// Missing are setData calls the failing run made before its failure
	// that the shrunk walk does not make (it never gets to their element
	// in time); the failure may depend on them.
	Missing []record.Line
	// Proven: no shorter walk reaches the target (states compared by
	// their data as getData shows it). Otherwise Why says what stopped
	// the proof.
	Proven bool
	Why    string
	// Reproduced is set for errors: the shrunk walk fails there again with
	// the same error (a fail is the test's to tell).
	Reproduced bool
	States     int
	Elapsed    time.Duration
}

// FindFailure returns the first failure of a record.
func FindFailure(rec *record.Record) (Failure, error) {
	for _, ev := range rec.Events {
		switch ev.Type {
		case "fail":
			f := Failure{Kind: "fail", N: ev.N, Text: ev.Text, Steps: ev.N}
			switch {
			case ev.Element != model.None:
				f.Target = replay.Loc{Model: ev.Model, Element: ev.Element}
			case ev.N > 0 && ev.N <= len(rec.Steps):
				k, el := rec.Steps[ev.N-1].Loc()
				f.Target = replay.Loc{Model: k, Element: el}
			default:
				return f, fmt.Errorf("the record's fail (%q) is at no element: nothing to shrink", ev.Text)
			}
			return f, nil
		case "error":
			if ev.Element == model.None {
				return Failure{}, fmt.Errorf("the record's error is at no element (%s): nothing to shrink", firstLine(ev.Text))
			}
			f := Failure{Kind: "error", N: ev.N, Target: replay.Loc{Model: ev.Model, Element: ev.Element}, Entered: ev.Entered, Text: ev.Text, Steps: ev.N}
			if !ev.Entered {
				f.Steps = ev.N - 1
			}
			return f, nil
		}
	}
	verdict := "unfinished"
	if rec.End != nil {
		verdict = rec.End.Verdict
	}
	return Failure{}, fmt.Errorf("%s: the run did not fail (verdict %s, no fail or error line): nothing to shrink", rec.Path, verdict)
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// group is the setData calls made after one step of the failing run.
type group struct {
	n     int // after step n (0: before the first step)
	loc   replay.Loc
	texts []string
	lines []record.Line
}

// search is one shrink.
type search struct {
	rec      *record.Record
	opts     Options
	models   []*model.Model
	failure  Failure
	groups   []group
	start    replay.Loc
	deadline time.Time
	actions  [][]bool
}

// node is a walk the search reached: its last step, how it got there.
type node struct {
	parent   *node
	loc      replay.Loc
	depth    int // steps, this one included
	setIdx   int // setData groups made so far
	applied  int // the group made after this step, or -1
	data     string
	lastJump replay.Loc // where the last jump between models left from
}

func (n *node) path() []replay.Loc {
	out := make([]replay.Loc, n.depth)
	for x := n; x != nil; x = x.parent {
		out[x.depth-1] = x.loc
	}
	return out
}

func (n *node) applies() []int {
	out := make([]int, n.depth)
	for x := n; x != nil; x = x.parent {
		out[x.depth-1] = x.applied
	}
	return out
}

// Shrink finds the shortest walk to the record's failure.
func Shrink(rec *record.Record, o Options) (*Result, error) {
	t0 := time.Now()
	if o.MaxStates <= 0 {
		o.MaxStates = DefaultMaxStates
	}
	if o.MaxTime <= 0 {
		o.MaxTime = DefaultMaxTime
	}
	f, err := FindFailure(rec)
	if err != nil {
		return nil, err
	}
	if len(rec.Steps) == 0 {
		return nil, errors.New("the record has no step: nothing to shrink")
	}
	s := &search{rec: rec, opts: o, models: rec.Models, failure: f, deadline: t0.Add(o.MaxTime)}
	k, el := rec.Steps[0].Loc()
	s.start = replay.Loc{Model: k, Element: el}
	for _, ev := range rec.Events {
		if ev.Type != "setData" || ev.N > f.Steps || (f.Kind == "error" && ev.N >= f.Steps && f.Entered) {
			continue
		}
		if len(s.groups) > 0 && s.groups[len(s.groups)-1].n == ev.N {
			g := &s.groups[len(s.groups)-1]
			g.texts, g.lines = append(g.texts, ev.Text), append(g.lines, ev)
			continue
		}
		g := group{n: ev.N, texts: []string{ev.Text}, lines: []record.Line{ev}}
		if ev.N > 0 {
			k, el := rec.Steps[ev.N-1].Loc()
			g.loc = replay.Loc{Model: k, Element: el}
		}
		s.groups = append(s.groups, g)
	}
	for _, m := range s.models {
		acts := make([]bool, m.NumElements())
		for el := range acts {
			acts[el] = len(m.ElementActions(el)) > 0
		}
		s.actions = append(s.actions, acts)
	}
	res, err := s.run()
	if err != nil {
		return nil, err
	}
	res.Failure = f
	res.Elapsed = time.Since(t0)
	if res.Proven && usesGlobal(s.models) {
		res.Proven = false
		res.Why = "the models' scripts use the global scope, which the search cannot compare between states, so a shorter walk may exist"
	}
	return res, nil
}

func usesGlobal(models []*model.Model) bool {
	for _, m := range models {
		for _, a := range m.Actions {
			if strings.Contains(a, "global.") {
				return true
			}
		}
		for el := range m.NumElements() {
			for _, a := range m.ElementActions(el) {
				if strings.Contains(a, "global.") {
					return true
				}
			}
			if m.IsEdge(el) && strings.Contains(m.Edge(el).Guard, "global.") {
				return true
			}
		}
	}
	return false
}

// errBound ends a search that hit a bound.
var errBound = errors.New("bound")

func (s *search) run() (*Result, error) {
	root := &node{loc: s.start, depth: 1, applied: -1, lastJump: replay.Loc{Model: -1, Element: model.None}}
	if len(s.groups) > 0 && s.groups[0].n == 0 {
		root.setIdx = 1 // made before the first step, always
	}
	if len(s.groups) > root.setIdx && s.groups[root.setIdx].loc == root.loc {
		root.applied = root.setIdx
		root.setIdx++
	}
	m, err := s.play(root)
	if err != nil && root.loc != s.failure.Target {
		return nil, fmt.Errorf("the record's first step cannot be replayed: %w", err)
	}
	if root.loc == s.failure.Target {
		if m != nil {
			m.Close()
		}
		return s.found(root, 0, s.reproduces(root), true, "")
	}
	root.data = dataKey(m)
	m.Close()
	seen := map[string]bool{s.key(root): true}
	queue := []*node{root}
	var reached *node // the first walk that reached the target without failing again
	states := 1
	bound := ""
	for head := 0; head < len(queue); head++ {
		if time.Now().After(s.deadline) {
			bound = fmt.Sprintf("the search hit its time bound of %v (--max-time) after %d states", s.opts.MaxTime, states)
			break
		}
		if states >= s.opts.MaxStates {
			bound = fmt.Sprintf("the search hit its bound of %d states (--max-states)", s.opts.MaxStates)
			break
		}
		n := queue[head]
		succ, jumps, err := s.successors(n)
		if err != nil {
			continue // this state cannot go on (a guard failed, a limit)
		}
		for i, l := range succ {
			child := &node{parent: n, loc: l, depth: n.depth + 1, setIdx: n.setIdx, applied: -1, lastJump: n.lastJump}
			if l.Model != n.loc.Model {
				child.lastJump = n.loc
			}
			if child.setIdx < len(s.groups) && s.groups[child.setIdx].loc == l {
				child.applied = child.setIdx
				child.setIdx++
			}
			if l == s.failure.Target {
				if s.reproduces(child) {
					return s.found(child, states, true, true, "")
				}
				if reached == nil && s.failure.Kind == "error" && s.failure.Entered {
					reached = child
				}
			}
			if s.actions[l.Model][l.Element] || child.applied >= 0 || i >= len(succ)-jumps {
				m, err := s.play(child)
				if err != nil {
					continue // it cannot be taken: a divergence, an action that throws
				}
				child.data = dataKey(m)
				m.Close()
			} else {
				child.data = n.data
			}
			k := s.key(child)
			if seen[k] {
				continue
			}
			seen[k] = true
			states++
			queue = append(queue, child)
		}
	}
	if reached != nil {
		why := "the walk reaches the failing element but the error did not happen again there"
		if bound != "" {
			why += "; " + bound + " before finding a walk where it does"
		} else {
			why += " on any walk the search found"
		}
		return s.found(reached, states, false, false, why)
	}
	if bound == "" {
		bound = "the search ran out of states without reaching the failing element (its states are compared by their data as getData shows it, which may hide what a guard reads)"
	}
	return s.fallback(states, bound)
}

// key identifies a state: where the walk stands, its data, the setData
// calls made, and where the last jump left from (the machine will not
// jump straight back there).
func (s *search) key(n *node) string {
	return fmt.Sprintf("%d/%d/%d/%d/%d\x00%s", n.loc.Model, n.loc.Element, n.setIdx, n.lastJump.Model, n.lastJump.Element, n.data)
}

// dataKey lists every model's data.
func dataKey(m *machine.Machine) string {
	var b strings.Builder
	for _, c := range m.Contexts() {
		kvs, err := c.Data()
		if err != nil {
			b.WriteString("\x01error:" + err.Error())
			continue
		}
		for _, kv := range kvs {
			b.WriteString(kv.Key)
			b.WriteByte('=')
			b.WriteString(kv.Value)
			b.WriteByte('\x02')
		}
		b.WriteByte('\x01')
	}
	return b.String()
}

// successors lists where the walk may go from n: for an edge its target;
// for a vertex its out-edges whose guards are true in n's state, then the
// vertices of other models sharing its shared state (jumps, checked when
// taken). jumps counts those at the end.
func (s *search) successors(n *node) (succ []replay.Loc, jumps int, err error) {
	m := s.models[n.loc.Model]
	el := n.loc.Element
	if m.IsEdge(el) {
		if t := m.Edge(el).Target; t != nil {
			return []replay.Loc{{Model: n.loc.Model, Element: t.Index}}, 0, nil
		}
		return nil, 0, nil
	}
	v := m.Vertex(el)
	guarded := false
	for _, e := range m.OutEdges(el) {
		guarded = guarded || m.Edges[e].Guard != ""
	}
	if guarded {
		mm, err := s.play(n)
		if err != nil {
			return nil, 0, err
		}
		c := mm.Current()
		avail, err := c.Successors(nil)
		if err != nil {
			mm.Close()
			return nil, 0, err
		}
		for _, x := range avail {
			succ = append(succ, replay.Loc{Model: n.loc.Model, Element: x})
		}
		mm.Close()
	} else {
		for _, e := range m.OutEdges(el) {
			succ = append(succ, replay.Loc{Model: n.loc.Model, Element: len(m.Vertices) + int(e)})
		}
	}
	if v.SharedState != "" {
		for k, other := range s.models {
			if k == n.loc.Model {
				continue
			}
			for _, w := range other.Vertices {
				if w.SharedState == v.SharedState {
					succ = append(succ, replay.Loc{Model: k, Element: w.Index})
					jumps++
				}
			}
		}
	}
	return succ, jumps, nil
}

// play builds a machine and walks n's path on it, making the setData
// calls; it returns the machine (the caller closes it), or the error of
// the step that failed.
func (s *search) play(n *node) (*machine.Machine, error) {
	path, applies := n.path(), n.applies()
	m, f, err := s.machine(path)
	if err != nil {
		return nil, err
	}
	if len(s.groups) > 0 && s.groups[0].n == 0 {
		s.apply(m, 0)
	}
	for i := range path {
		if _, err := m.HasNext(); err != nil {
			m.Close()
			return nil, err
		}
		if _, err := m.Next(); err != nil {
			m.Close()
			return nil, err
		}
		if applies[i] >= 0 {
			s.apply(m, applies[i])
		}
	}
	_ = f
	return m, nil
}

func (s *search) machine(path []replay.Loc) (*machine.Machine, *replay.Forcer, error) {
	p := &replay.Path{Source: s.rec.Path, Models: s.models, Seed: s.rec.Header.Seed, Steps: path}
	for _, me := range s.rec.Header.Models {
		p.Digests = append(p.Digests, me.Digest)
	}
	f, err := p.Force(s.models)
	if err != nil {
		return nil, nil, err
	}
	o := s.opts.Machine
	o.Before, o.Check = nil, nil
	o.SkipReachabilityCheck = true
	f.Apply(&o)
	m, err := machine.New(s.models, o)
	if err != nil {
		return nil, nil, err
	}
	return m, f, nil
}

func (s *search) apply(m *machine.Machine, g int) {
	for _, text := range s.groups[g].texts {
		m.Execute(text) // a failing setData failed in the run too, or the data differs: the state shows it
	}
}

// reproduces reports whether n's walk can be taken and fails again as
// the record did: for an error in the target's actions, the same error at
// the last step. A fail is the test's, and an error choosing the step
// after the target depends on the generator: there, taking the walk is
// all the search can check.
func (s *search) reproduces(n *node) bool {
	m, err := s.play(n)
	if m != nil {
		m.Close()
	}
	if s.failure.Kind == "error" && s.failure.Entered {
		return err != nil && err.Error() == s.failure.Text
	}
	return err == nil
}

func (s *search) found(n *node, states int, reproduced, proven bool, why string) (*Result, error) {
	res := &Result{Path: n.path(), States: states, Proven: proven, Why: why}
	res.Reproduced = s.failure.Kind == "error" && reproduced
	s.fillSetData(res, n.applies(), n.setIdx)
	return res, nil
}

func (s *search) fillSetData(res *Result, applies []int, made int) {
	if len(s.groups) > 0 && s.groups[0].n == 0 {
		for _, t := range s.groups[0].texts {
			res.SetData = append(res.SetData, SetData{Text: t, After: 0, Was: 0})
		}
	}
	for i, g := range applies {
		if g >= 0 {
			for _, t := range s.groups[g].texts {
				res.SetData = append(res.SetData, SetData{Text: t, After: i + 1, Was: s.groups[g].n})
			}
		}
	}
	for _, g := range s.groups[min(made, len(s.groups)):] {
		res.Missing = append(res.Missing, g.lines...)
	}
}
