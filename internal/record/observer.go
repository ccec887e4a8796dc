package record

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/session"
)

// Observer records every session of a service: one record per machine a
// session starts (a WebSocket start or loadModel, a REST load or
// restart). Install it with hub.Observe(record.NewObserver(opts)), and
// call Close when the service stops. Lines are buffered per session and
// written at least every flushEvery by a goroutine of the observer's (a
// write per line would cost a step a system call), and at the session's
// end. A record that cannot be created or written is logged once; with
// Options.Required the session's machine is aborted with the error, so
// its client sees it on its next step.
type Observer struct {
	session.Observe
	opts Options

	mu       sync.Mutex
	runs     map[*session.Session]*live
	flushing bool // the flusher goroutine runs
}

// NewObserver returns an observer that records into o.Dir.
func NewObserver(o Options) *Observer {
	if o.DataShare == 0 {
		o.DataShare = DefaultDataShare
	}
	return &Observer{opts: o, runs: map[*session.Session]*live{}}
}

// live is one session's record in progress.
type live struct {
	mu      sync.Mutex
	f       *file
	enc     *encoder
	m       *machine.Machine
	start   time.Time
	steps   int
	lastCtx int
	lastEl  model.Element
	actions [][]bool
	dirty   []bool
	listed  time.Duration
	share   float64
	err     error  // the step error that ended the walk, for the verdict
	failed  string // the test's last fail, for the verdict's reason
	buf     []byte
	ended   bool
}

func (o *Observer) get(s *session.Session) *live {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.runs[s]
}

// Started opens a new record (ending the session's previous one).
func (o *Observer) Started(s *session.Session, m *machine.Machine, st session.Start) {
	if old := o.get(s); old != nil {
		old.finish("the client started a new walk")
	}
	l := &live{m: m, start: time.Now(), lastCtx: -1, lastEl: model.None, share: o.opts.DataShare}
	var models []*model.Model
	for _, c := range m.Contexts() {
		models = append(models, c.Model())
	}
	info := s.Info()
	entries, err := Entries(models)
	var f *file
	if err == nil {
		f, err = createFile(o.opts, info.Service, l.start)
	}
	if err == nil {
		h := Header{Type: "header", RecordVersion: Version, GW: o.opts.GW, GraphWalker: GraphWalker, Seed: m.Seed(),
			Start: l.start.UTC().Format(time.RFC3339Nano), Service: info.Service, Client: info.Client, Dialect: info.Dialect,
			Source: st.Source, Models: entries}
		if err = writeHeader(f, &h); err != nil {
			f.close()
		}
	}
	if err != nil {
		o.opts.logger().Error("record: the session's walk goes on without its record (--record-required makes this stop the session)", "session", s.ID, "err", err)
		if o.opts.Required {
			m.Abort(err)
		}
		o.mu.Lock()
		delete(o.runs, s)
		o.mu.Unlock()
		return
	}
	o.opts.logger().Info("recording the session's walk", "session", s.ID, "file", f.path)
	l.f, l.enc = f, newEncoder(models)
	l.actions = make([][]bool, len(models))
	l.dirty = make([]bool, len(models))
	for i, mod := range models {
		acts := make([]bool, mod.NumElements())
		for el := range acts {
			acts[el] = len(mod.ElementActions(el)) > 0
		}
		l.actions[i], l.dirty[i] = acts, true
	}
	o.mu.Lock()
	o.runs[s] = l
	if !o.flushing {
		o.flushing = true
		go o.flusher()
	}
	o.mu.Unlock()
}

// flusher writes the sessions' buffered lines every flushEvery, until no
// record is open.
func (o *Observer) flusher() {
	t := time.NewTicker(flushEvery)
	defer t.Stop()
	for range t.C {
		o.mu.Lock()
		if len(o.runs) == 0 {
			o.flushing = false
			o.mu.Unlock()
			return
		}
		lives := make([]*live, 0, len(o.runs))
		for _, l := range o.runs {
			lives = append(lives, l)
		}
		o.mu.Unlock()
		for _, l := range lives {
			l.mu.Lock()
			l.flush()
			l.mu.Unlock()
		}
	}
}

func (l *live) ms(t time.Time) float64 { return float64(t.Sub(l.start).Microseconds()) / 1000 }

// put buffers a line; l.mu is held (or l is not shared yet).
func (l *live) put(e *entry) {
	l.buf = l.enc.append(l.buf, e)
	if len(l.buf) >= 64<<10 {
		l.flush()
	}
}

// flush writes the buffered lines; l.mu is held.
func (l *live) flush() {
	if len(l.buf) > 0 && l.f != nil {
		l.f.write(l.buf)
		l.buf = l.buf[:0]
	}
}

func (l *live) list(e *entry, c *machine.Context) {
	l.dirty[c.Index()] = false
	if l.share > 0 {
		budget := time.Duration(l.share*float64(time.Since(l.start))) + dataAllowance
		if l.listed > budget {
			e.dataSkipped = true
			return
		}
	}
	t0 := time.Now()
	kvs, err := c.Data()
	l.listed += time.Since(t0)
	if err != nil {
		e.ext().dataErr = err.Error()
		return
	}
	e.ext().data, e.hasData = kvs, true
}

func (o *Observer) abortOnError(l *live) {
	if o.opts.Required && l.f.failed.Load() {
		l.m.Abort(l.f.Err())
	}
}

// Stepped writes a step, or the error that ended the walk.
func (o *Observer) Stepped(s *session.Session, m *machine.Machine, st session.Step) {
	l := o.get(s)
	if l == nil || l.m != m {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ended {
		return
	}
	if st.Err == nil && st.Step.Context != nil {
		c := st.Step.Context
		k, el := c.Index(), st.Step.Element
		l.steps = st.Seq
		e := &entry{kind: kStep, model: int32(k), el: int32(el), n: int64(st.Seq), visits: int64(c.VisitCount(el)), t: l.ms(st.Time)}
		if l.actions[k][el] {
			l.dirty[k] = true
		}
		if l.dirty[k] {
			l.list(e, c)
		}
		l.lastCtx, l.lastEl = k, el
		l.put(e)
		o.abortOnError(l)
		return
	}
	if st.Err == nil {
		return
	}
	l.err = st.Err
	e := &entry{kind: kError, n: int64(l.steps + 1), t: l.ms(st.Time), x: &extra{text: st.Err.Error()}}
	if c := m.Current(); c != nil && c.Current() != model.None {
		k, el := c.Index(), c.Current()
		e.hasElement, e.model, e.el = true, int32(k), int32(el)
		// Consecutive steps are never on the same element, so a failure
		// on another element than the last step's was in that element's
		// actions: the machine had entered it.
		if k != l.lastCtx || el != l.lastEl {
			e.entered, e.visits = true, int64(c.VisitCount(el))
			l.dirty[k] = true
			l.list(e, c)
		}
	}
	l.put(e)
}

// Noted writes a setData, fail or error.
func (o *Observer) Noted(s *session.Session, m *machine.Machine, n session.Note) {
	l := o.get(s)
	if l == nil || l.m != m || m == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ended {
		return
	}
	e := &entry{n: int64(n.Seq), t: l.ms(n.Time), x: &extra{text: n.Text}}
	c := m.Current()
	switch n.Kind {
	case "setData":
		e.kind = kSetData
		if n.Err != nil {
			e.x.err = n.Err.Error()
		}
		if c != nil {
			l.dirty[c.Index()] = true
			l.list(e, c)
		}
	case "fail":
		e.kind = kFail
		l.failed = fmt.Sprintf("the test reported a failure after step %d: %s", n.Seq, n.Text)
	default:
		e.kind = kError
		if n.Err != nil {
			if e.x.text != "" {
				e.x.text += ": "
			}
			e.x.text += n.Err.Error()
		}
		e.n = int64(n.Seq + 1)
	}
	if e.kind != kSetData && c != nil && c.Current() != model.None {
		e.hasElement, e.model, e.el = true, int32(c.Index()), int32(c.Current())
	}
	l.put(e)
	o.abortOnError(l)
}

// Closed ends the session's record.
func (o *Observer) Closed(s *session.Session, why string) {
	o.mu.Lock()
	l := o.runs[s]
	delete(o.runs, s)
	o.mu.Unlock()
	if l != nil {
		l.finish("the session closed: " + why)
	}
}

// Close ends every record in progress (a service shutting down).
func (o *Observer) Close() {
	o.mu.Lock()
	runs := o.runs
	o.runs = map[*session.Session]*live{}
	o.mu.Unlock()
	for _, l := range runs {
		l.finish("the service shut down")
	}
}

func (l *live) finish(why string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ended {
		return
	}
	l.ended = true
	end := EndOf(l.m, l.err)
	if end.Verdict == Stopped && l.err == nil {
		end.Reason = why
	}
	if end.Verdict == Failed && l.err == nil && l.failed != "" {
		end.Reason = l.failed
	}
	var we *WriteError
	if errors.As(l.err, &we) {
		end.Reason = we.Error()
	}
	end.N = l.steps
	end.T = l.ms(time.Now())
	l.put(&entry{kind: kEnd, x: &extra{end: end}})
	l.flush()
	l.f.close()
}
