package record

import (
	"errors"
	"fmt"
	"time"

	"github.com/gw-project/gw/internal/limits"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
)

// Info is what a header says about where a run comes from.
type Info struct {
	Service string   // "offline", "replay", "shrink", "websocket", "rest"
	Command []string // the command line, "gw" first
	Client  string
	Dialect string
	Source  string
	Output  *Output
}

// Run records one machine's walk in-process. Use:
//
//	r := record.NewRun(opts, info)
//	mo.Before = r.Hook(mo.Before)    // before machine.New
//	m, err := machine.New(models, mo)
//	if err := r.Start(m); err != nil { … }   // only with Options.Required
//	err = walk(m)                    // r.Settle() after a step, before a setData, when convenient
//	err = r.Finish(err)              // the end line; the walk's error, or the record's
//
// A step is written when the next one begins (or at Settle/Finish), once
// its actions ran, with the data they left. A Run is used by the walker's
// goroutine only.
type Run struct {
	opts Options
	info Info

	m       *machine.Machine
	a       *async
	err     error // why the run is not recorded, or a write error
	aborted bool  // by a record write error (Options.Required)
	// pathAborted: by a write error of the path (Options.Path)
	pathAborted bool
	start       time.Time
	models      []*model.Model
	words       [][]slot      // per model, per element: the step's slot, with wordActions and wordSlow
	dirty       []bool        // per model: its data may have changed since listed
	dirtyN      int           // models dirty
	listed      time.Duration // listing time charged to the budget
	listings    int
	// quietUntil is a clock value (ms) before which the budget allows no
	// listing, so that a step with actions needs no further check.
	quietUntil int64
	pending    machine.Step
	pendWord   slot // words of pending
	hasPend    bool
	emitted    int
	enteredN   int    // an "entered" error line was written for this step
	failed     string // the last fail noted, for the verdict's reason
}

// NewRun prepares a recording; nothing is written before Start.
func NewRun(o Options, info Info) *Run {
	if o.DataShare == 0 {
		o.DataShare = DefaultRunDataShare
	}
	return &Run{opts: o, info: info}
}

// Hook returns a machine Before function that records steps and then
// calls next (when not nil).
//
// It is called once a step, and in a fast walk a step takes 100-300 ns:
// the common case (the step before s was a plain one, without actions)
// is written out here rather than in calls, and everything else is
// emitSlow's.
func (r *Run) Hook(next func(machine.Step)) func(machine.Step) {
	return func(s machine.Step) {
		if a := r.a; a != nil {
			if r.hasPend {
				r.emitted++
				w, i := r.pendWord, a.next
				if w&wordActions != 0 && a.clock.Load() < r.quietUntil {
					w = w&^wordActions | slotDataSkipped
				}
				if w&(wordSlow|wordActions) == 0 && r.dirtyN == 0 && r.emitted&255 != 0 && a.fits(i) {
					a.slots[i&ringMask] = w
					a.next = i + 1
				} else {
					r.emitSlow()
				}
			}
			r.pending, r.hasPend = s, true
			r.pendWord = r.words[s.Context.Index()][s.Element]
			a.publish()
		}
		if next != nil {
			next(s)
		}
	}
}

// Path is where the record is written ("" before Start or when it could
// not be created).
func (r *Run) Path() string {
	if r.a == nil || r.a.f == nil {
		return ""
	}
	return r.a.f.path
}

// Start creates the record of the walk of machine m; the writer
// goroutine writes its header while the walk begins. Start's error (the
// file could not be created) matters only with Options.Required;
// otherwise it is logged and the run goes on unrecorded (its path, with
// Options.Path, still printed). Later errors, the header's included, are
// write errors (see Options.Required).
func (r *Run) Start(m *machine.Machine) error {
	r.m = m
	r.start = time.Now()
	for _, c := range m.Contexts() {
		r.models = append(r.models, c.Model())
	}
	if r.recording() {
		err := r.open()
		if err == nil {
			return nil
		}
		r.err = err
		if r.opts.Required {
			return err // the caller says it; the run does not go on
		}
		r.opts.logger().Error("record: the run goes on without its record (--record-required makes this stop the run)", "err", err)
		if r.opts.Path == nil {
			return nil
		}
	}
	r.prepare(nil, nil) // the path alone
	return nil
}

// recording reports whether the Run writes a record (not only a path).
func (r *Run) recording() bool {
	return r.opts.Dir != "" || r.opts.File != "" || r.opts.Path == nil
}

func (r *Run) open() error {
	h := Header{
		Type: "header", RecordVersion: Version, GW: r.opts.GW, GraphWalker: GraphWalker,
		Seed: r.m.Seed(), Start: r.start.UTC().Format(time.RFC3339Nano), Service: r.info.Service,
		Command: r.info.Command, Client: r.info.Client, Dialect: r.info.Dialect, Source: r.info.Source,
		Output: r.info.Output,
	}
	f, err := createFile(r.opts, r.info.Service, r.start)
	if err != nil {
		return err
	}
	models := r.models
	header := func(f *file) error {
		entries, err := Entries(models)
		if err != nil {
			return fmt.Errorf("record: %w", err)
		}
		h.Models = entries
		return writeHeader(f, &h)
	}
	r.opts.logger().Info("recording the run", "file", f.path)
	r.prepare(f, header)
	return nil
}

// prepare makes the hook's tables and starts the writer of f (nil: the
// path alone).
func (r *Run) prepare(f *file, header func(*file) error) {
	small := len(r.models)-1 <= slotMaxModel
	for _, mod := range r.models {
		small = small && mod.NumElements()-1 <= slotMaxElement
	}
	r.words = make([][]slot, len(r.models))
	for k, mod := range r.models {
		words := make([]slot, mod.NumElements())
		for el := range words {
			w := wordSlow // indexes that do not fit a slot: a full entry
			if small {
				w = slot(k)<<slotModelShift | slot(el)
			}
			if f != nil && len(mod.ElementActions(el)) > 0 {
				w |= wordActions
			}
			words[el] = w
		}
		r.words[k] = words
	}
	r.dirty = make([]bool, len(r.models))
	for k := range r.dirty {
		r.setDirty(k, f != nil) // INIT actions; without a record, no data is listed
	}
	r.a = startAsync(f, newPathPrinter(r.opts.Path, r.models), r.start, r.models, header)
}

// Bits of a word beside its slot, which never reach the ring.
const (
	wordActions = slot(1) << 60 // the element has actions: its data may change
	wordSlow    = slot(1) << 59 // the step takes emitSlow (it does not fit a slot)
)

func (r *Run) setDirty(k int, dirty bool) {
	if r.dirty[k] != dirty {
		r.dirty[k] = dirty
		if dirty {
			r.dirtyN++
		} else {
			r.dirtyN--
		}
	}
}

// Settle writes the step just taken, if it is still pending. Call it
// after a step and before running a setData script, so that the step's
// data is what its actions left.
func (r *Run) Settle() {
	if r.a != nil && r.hasPend && r.m.TotalSteps() > r.emitted {
		r.emitted++
		r.emitSlow()
		r.hasPend = false
		r.a.publish()
	}
}

// emitSlow hands over the pending step, whatever it needs; r.emitted
// already counts it.
func (r *Run) emitSlow() {
	s := r.pending
	c := s.Context
	k := c.Index()
	if r.emitted&255 == 0 {
		r.a.tick() // the writer's clock may lag when the machine is busy
		if r.opts.Required && !r.aborted && r.a.f != nil && r.a.f.failed.Load() {
			r.aborted = true
			r.m.Abort(r.a.f.Err())
		}
		if !r.pathAborted {
			if err := r.a.path.failed(); err != nil {
				r.pathAborted = true
				r.m.Abort(err)
			}
		}
	}
	if r.pendWord&wordActions != 0 {
		r.setDirty(k, true)
	}
	// A model's data is listed (or skipped) once per change: a skipped
	// listing leaves it unknown until the next one.
	var skipped slot
	if r.dirty[k] {
		r.setDirty(k, false)
		if r.mayList() {
			e := &entry{kind: kStep, model: int32(k), el: int32(s.Element)}
			r.fill(e, c)
			r.a.entry(e)
			return
		}
		skipped = slotDataSkipped
	}
	r.a.step(k, s.Element, skipped != 0)
}

// mayList reports whether the listing budget allows listing data now.
func (r *Run) mayList() bool {
	if r.opts.DataShare <= 0 {
		return true
	}
	// The coarse clock: time.Now costs as much as a step.
	budget := time.Duration(r.opts.DataShare*r.a.now()*float64(time.Millisecond)) + runDataAllowance
	return r.listed <= budget
}

// charge counts d of listing time against the budget.
func (r *Run) charge(d time.Duration) {
	r.listed += d
	if over := r.listed - runDataAllowance; over > 0 && r.opts.DataShare > 0 {
		// mayList holds again from over/share; a millisecond early, to be safe.
		r.quietUntil = int64(float64(over)/(r.opts.DataShare*float64(time.Millisecond))) - 1
	}
}

// fill lists c's data into e.
func (r *Run) fill(e *entry, c *machine.Context) {
	t0 := time.Now()
	kvs, err := c.Data()
	t1 := time.Now()
	// The first listing builds goja's table of the global object's
	// properties (~1 ms), which would spend a short run's whole
	// allowance: it is not charged.
	if r.listings > 0 {
		r.charge(t1.Sub(t0))
	}
	r.listings++
	r.a.advance(t1)
	if err != nil {
		e.ext().dataErr = err.Error()
		return
	}
	e.ext().data, e.hasData = kvs, true
}

// Note records a setData or fail the caller just applied (kind "setData"
// or "fail"; err is the script's error).
func (r *Run) Note(kind, text string, err error) {
	if r.a == nil {
		return
	}
	r.Settle()
	e := &entry{n: int64(r.m.TotalSteps()), x: &extra{text: text}}
	c := r.m.Current()
	switch kind {
	case "fail":
		e.kind = kFail
		r.failed = fmt.Sprintf("the test reported a failure after step %d: %s", r.m.TotalSteps(), text)
		if el := c.Current(); el != model.None {
			e.hasElement, e.model, e.el = true, int32(c.Index()), int32(el)
		}
	default:
		e.kind = kSetData
		if err != nil {
			e.x.err = err.Error()
		}
		// A setData is rare and what a failure is read against: its
		// data is listed whatever the budget.
		r.setDirty(c.Index(), false)
		r.fill(e, c)
	}
	r.a.entry(e)
	r.a.publish()
}

// Finish writes what is pending, the failure if walkErr is one, and the
// end line, and closes the record. It returns walkErr (the path's write
// error when that stopped the walk), else the path's write error, else
// with Options.Required the record's.
func (r *Run) Finish(walkErr error) error {
	if r.a == nil {
		if walkErr == nil && r.opts.Required && r.err != nil {
			return r.err
		}
		return walkErr
	}
	if r.pathAborted {
		// The walk ended on the abort, maybe in a script that reported
		// it as its own error: the cause is the path's.
		walkErr = r.a.path.failed()
	}
	m := r.m
	rec := r.a.f != nil
	if r.hasPend {
		if m.TotalSteps() > r.emitted {
			r.emitted++
			r.emitSlow()
		} else if walkErr != nil {
			// The pending step failed in its actions.
			s := r.pending
			e := &entry{kind: kError, entered: true, hasElement: true, model: int32(s.Context.Index()), el: int32(s.Element),
				n: int64(r.emitted + 1), visits: int64(s.Context.VisitCount(s.Element)), x: &extra{text: walkErr.Error()}}
			if rec {
				r.fill(e, s.Context) // the data the failure left, whatever the budget
			}
			r.a.entry(e)
			r.enteredN = r.emitted + 1
		}
		r.hasPend = false
	}
	if rec {
		r.finishRecord(walkErr)
	}
	r.a.close()
	var ferr error
	if rec {
		ferr = r.a.f.close()
	}
	if walkErr != nil {
		return walkErr
	}
	if err := r.a.path.failed(); err != nil {
		return err
	}
	if ferr != nil && r.opts.Required {
		return ferr
	}
	return nil
}

// finishRecord hands over the record's last lines: the walk's error, if
// no step line carries it, and the end.
func (r *Run) finishRecord(walkErr error) {
	m := r.m
	if walkErr != nil && r.enteredN == 0 {
		e := &entry{kind: kError, n: int64(r.emitted + 1), x: &extra{text: walkErr.Error()}}
		if c := m.Current(); c != nil && c.Current() != model.None {
			e.hasElement, e.model, e.el = true, int32(c.Index()), int32(c.Current())
		}
		r.a.entry(e)
	}
	end := EndOf(m, walkErr)
	if end.Verdict == Failed && walkErr == nil && r.failed != "" {
		end.Reason = r.failed
	}
	end.N = r.emitted
	end.T = float64(time.Since(r.start).Microseconds()) / 1000
	r.a.entry(&entry{kind: kEnd, x: &extra{end: end}})
}

// EndOf is the end line for machine m after a walk that ended with err
// (nil: it ran to its end or was left by its client).
func EndOf(m *machine.Machine, err error) *End {
	end := &End{Type: "end", N: m.TotalSteps()}
	end.Verdict, end.Reason = Verdict(m, err)
	for _, c := range m.Contexts() {
		mod := c.Model()
		me := ModelEnd{Name: mod.Name, Status: c.Status().String(), Vertices: len(mod.Vertices), VisitedVertices: c.VisitedVertices(),
			Edges: len(mod.Edges), VisitedEdges: c.VisitedEdges()}
		for _, req := range c.Requirements() {
			me.Requirements = append(me.Requirements, Requirement{Key: req.Key, Status: req.Status.String()})
		}
		end.Models = append(end.Models, me)
	}
	return end
}

// Verdict judges a run: err is how the walk ended (nil: normally, or the
// client stopped asking).
func Verdict(m *machine.Machine, err error) (verdict, reason string) {
	var le *limits.Error
	if errors.As(err, &le) && !errors.Is(err, limits.ErrStopped) {
		return Limit, err.Error()
	}
	if err != nil {
		var we *WriteError
		if errors.As(err, &we) || errors.Is(err, limits.ErrStopped) {
			return Stopped, err.Error()
		}
		return Failed, err.Error()
	}
	completed := true
	for _, c := range m.Contexts() {
		switch c.Status() {
		case machine.Failed:
			return Failed, fmt.Sprintf("model %q failed", c.Model().Name)
		case machine.Completed:
		default:
			completed = false
		}
	}
	if completed {
		return Passed, ""
	}
	return Stopped, "the walk ended before its stop conditions were met"
}
