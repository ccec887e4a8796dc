package studio

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gw-project/gw/internal/draw"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/session"
)

const (
	watchQueue      = 1024            // events a watcher's queue holds
	maxPending      = 2048            // steps one update carries; more: a snapshot instead
	panelEvery      = time.Second / 4 // data, fulfilment, statistics at most this often
	snapshotWait    = 2 * time.Second // how long a snapshot waits for the session's lock
	panelWait       = 100 * time.Millisecond
	streamWriteTime = 10 * time.Second
	maxNotes        = 20
)

// tracker keeps each session's coverage, updated in the owner's
// goroutine after each step, so that listing sessions never waits for a
// session's lock.
type tracker struct {
	session.Observe
	m sync.Map // session id → *coverage
}

type coverage struct{ visited, total atomic.Int64 }

func newTracker() *tracker { return &tracker{} }

func (t *tracker) Started(s *session.Session, m *machine.Machine, st session.Start) {
	c := &coverage{}
	var total int
	for _, ctx := range m.Contexts() {
		total += ctx.Model().NumElements()
	}
	c.total.Store(int64(total))
	t.m.Store(s.ID, c)
}

func (t *tracker) Stepped(s *session.Session, m *machine.Machine, st session.Step) {
	v, ok := t.m.Load(s.ID)
	if !ok {
		return
	}
	var n int
	for _, ctx := range m.Contexts() {
		n += ctx.VisitedVertices() + ctx.VisitedEdges()
	}
	v.(*coverage).visited.Store(int64(n))
}

func (t *tracker) Closed(s *session.Session, _ string) { t.m.Delete(s.ID) }

func (t *tracker) coverage(id string) float64 {
	v, ok := t.m.Load(id)
	if !ok {
		return 0
	}
	c := v.(*coverage)
	total := c.total.Load()
	if total == 0 {
		return 0
	}
	return float64(int64(1000*c.visited.Load()/total)) / 10
}

// sceneCache keeps the drawings of the models sessions walk: a layout of
// a big model takes a while, and every watcher of a session needs it.
type sceneCache struct {
	mu sync.Mutex
	m  map[*model.Model]*cachedScene // by the first model
}

type cachedScene struct {
	models []*model.Model
	json   json.RawMessage
	err    error
}

func (c *sceneCache) get(models []*model.Model, h *Handler) (json.RawMessage, error) {
	c.mu.Lock()
	e := c.m[models[0]]
	c.mu.Unlock()
	if e != nil && sameModels(e.models, models) {
		return e.json, e.err
	}
	e = &cachedScene{models: models}
	sc, err := draw.NewScene(models, h.o.Layout, nil)
	if err == nil {
		e.json, err = json.Marshal(sc)
	}
	e.err = err
	c.mu.Lock()
	if len(c.m) >= 32 {
		clear(c.m)
	}
	c.m[models[0]] = e
	c.mu.Unlock()
	return e.json, e.err
}

func sameModels(a, b []*model.Model) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// snapshot is the whole state of a watched session.
type snapshot struct {
	Session session.Summary `json:"session"`
	Control session.Control `json:"control"`
	Scene   json.RawMessage `json:"scene,omitempty"` // draw.Scene; absent before the machine starts
	Error   string          `json:"error,omitempty"` // why there is no scene
	Visits  [][]int         `json:"visits,omitempty"`
	Current [2]int          `json:"current"` // model, element; -1, -1 for none
	Steps   int             `json:"steps"`
	Panels  *panels         `json:"panels,omitempty"`
}

// update is what changed since the last update.
type update struct {
	Steps    [][3]int         `json:"steps"` // model, element, seq of each step, in order
	Seq      int              `json:"seq"`   // steps of the machine after them
	Failed   []string         `json:"failed,omitempty"`
	Notes    []string         `json:"notes,omitempty"`
	BPErrors []string         `json:"breakpointErrors,omitempty"`
	Control  *session.Control `json:"control,omitempty"`
	Panels   *panels          `json:"panels,omitempty"`
}

// panels are the run's data, fulfilment, statistics and requirements.
type panels struct {
	Data   [][2]string  `json:"data"`
	Error  string       `json:"dataError,omitempty"`
	Models []modelPanel `json:"models"`
}

type modelPanel struct {
	Name            string      `json:"name"`
	Status          string      `json:"status"`
	Fulfilment      float64     `json:"fulfilment"`
	Vertices        int         `json:"vertices"`
	Edges           int         `json:"edges"`
	VisitedVertices int         `json:"visitedVertices"`
	VisitedEdges    int         `json:"visitedEdges"`
	Requirements    [][2]string `json:"requirements,omitempty"` // key, status
}

// readPanels runs in Do.
func readPanels(m *machine.Machine) *panels {
	p := &panels{Data: [][2]string{}}
	if kv, err := m.Data(); err != nil {
		p.Error = err.Error()
	} else {
		for _, e := range kv {
			p.Data = append(p.Data, [2]string{e.Key, e.Value})
		}
	}
	for _, c := range m.Contexts() {
		mod := c.Model()
		mp := modelPanel{
			Name: mod.Name, Status: c.Status().String(), Fulfilment: c.Fulfilment(),
			Vertices: len(mod.Vertices), Edges: len(mod.Edges), VisitedVertices: c.VisitedVertices(), VisitedEdges: c.VisitedEdges(),
		}
		for _, r := range c.Requirements() {
			mp.Requirements = append(mp.Requirements, [2]string{r.Key, r.Status.String()})
		}
		p.Models = append(p.Models, mp)
	}
	return p
}

func (h *Handler) snapshot(ctx context.Context, s *session.Session) *snapshot {
	snap := &snapshot{Current: [2]int{-1, -1}}
	var models []*model.Model
	ctx, cancel := context.WithTimeout(ctx, snapshotWait)
	defer cancel()
	err := s.Do(ctx, func(m *machine.Machine) error {
		for _, c := range m.Contexts() {
			mod := c.Model()
			models = append(models, mod)
			counts := make([]int, mod.NumElements())
			for el := range counts {
				counts[el] = c.VisitCount(el)
			}
			snap.Visits = append(snap.Visits, counts)
		}
		if c := m.Current(); c != nil && c.Current() != model.None {
			snap.Current = [2]int{c.Index(), c.Current()}
		}
		snap.Steps = m.TotalSteps()
		snap.Panels = readPanels(m)
		return nil
	})
	snap.Session, snap.Control = s.Summary(), s.Control()
	switch {
	case errors.Is(err, session.ErrNoMachine):
		snap.Error = "the session's client has not started a model yet"
	case err != nil:
		snap.Error = "the session is busy: " + err.Error()
	case len(models) > 0:
		sc, err := h.scenes.get(models, h)
		if err != nil {
			snap.Error = "the models cannot be drawn: " + err.Error()
		}
		snap.Scene = sc
	}
	return snap
}

func (h *Handler) canWatch(r *http.Request, s *session.Session) (bool, string) {
	if h.o.Service == "rest" && s.Info().Service == "rest" {
		return true, "" // the REST console's own session
	}
	return h.allowed(r)
}

// events streams a session to a watcher as Server-Sent Events: a
// "snapshot", then "update"s at most every UpdateInterval, a new
// "snapshot" when the watcher fell behind or the machine restarted, and
// "closed" when the session ends. All watchers of a session share one
// feed, so that the session pays for one watcher however many pages
// watch it.
func (h *Handler) events(w http.ResponseWriter, r *http.Request) {
	s := h.session(w, r)
	if s == nil {
		return
	}
	if ok, msg := h.canWatch(r, s); !ok {
		jsonError(w, http.StatusForbidden, msg)
		return
	}
	h.mu.Lock()
	if h.watchers >= h.o.MaxWatchers {
		h.mu.Unlock()
		jsonError(w, http.StatusServiceUnavailable, fmt.Sprintf("%d sessions are being watched, the most this gw allows", h.o.MaxWatchers))
		return
	}
	h.watchers++
	h.mu.Unlock()
	defer func() { h.mu.Lock(); h.watchers--; h.mu.Unlock() }()

	rc := http.NewResponseController(w)
	rc.SetReadDeadline(time.Time{}) // a stream outlives the service's request timeouts
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no") // nginx passes each event on at once
	w.WriteHeader(http.StatusOK)
	write := func(event string, data []byte) bool {
		rc.SetWriteDeadline(time.Now().Add(streamWriteTime))
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, data); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	send := func(event string, v any) bool {
		b, err := json.Marshal(v)
		return err == nil && write(event, b)
	}

	ctx := r.Context()
	f, sub := h.subscribe(s)
	defer h.unsubscribe(f, sub)
	// Subscribed first: what the snapshot misses comes as updates; steps
	// it already counts (seq ≤ seen) are dropped from them.
	snap := h.snapshot(ctx, s)
	seen := snap.Steps
	if !send("snapshot", snap) {
		return
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-h.closing:
			send("closed", map[string]string{"reason": "the service is shutting down"})
			return
		case fr, ok := <-sub.ch:
			if !ok {
				send("closed", map[string]string{"reason": f.why()})
				return
			}
			if fr.resync || sub.lost.Swap(false) {
				snap := h.snapshot(ctx, s)
				seen = snap.Steps
				if !send("snapshot", snap) {
					return
				}
				continue
			}
			data := fr.data
			if len(fr.up.Steps) > 0 && fr.up.Steps[0][2] <= seen {
				up := *fr.up
				up.Steps = slices.DeleteFunc(slices.Clone(up.Steps), func(st [3]int) bool { return st[2] <= seen })
				data, _ = json.Marshal(&up)
			}
			if n := len(fr.up.Steps); n > 0 {
				seen = max(seen, fr.up.Steps[n-1][2])
			}
			if !write("update", data) {
				return
			}
		}
	}
}

// feed watches one session for all its watchers: every UpdateInterval it
// drains the session's queue (so that the session never wakes it up),
// coalesces what happened into one update and offers it to each
// subscriber; a subscriber whose queue is full is marked lost and
// resynchronises from a snapshot.
type feed struct {
	h    *Handler
	s    *session.Session
	w    *session.Watcher
	stop chan struct{}

	mu     sync.Mutex
	subs   map[*subscriber]struct{}
	closed bool
	reason string
}

type subscriber struct {
	ch   chan frame
	lost atomic.Bool
}

type frame struct {
	resync bool
	up     *update
	data   []byte // up as JSON
}

func (h *Handler) subscribe(s *session.Session) (*feed, *subscriber) {
	sub := &subscriber{ch: make(chan frame, 16)}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.feeds == nil {
		h.feeds = map[*session.Session]*feed{}
	}
	f := h.feeds[s]
	if f == nil {
		f = &feed{h: h, s: s, w: s.Watch(watchQueue), stop: make(chan struct{}), subs: map[*subscriber]struct{}{}}
		h.feeds[s] = f
		go f.run()
	}
	f.mu.Lock()
	if f.closed {
		close(sub.ch)
	} else {
		f.subs[sub] = struct{}{}
	}
	f.mu.Unlock()
	return f, sub
}

func (h *Handler) unsubscribe(f *feed, sub *subscriber) {
	h.mu.Lock()
	defer h.mu.Unlock()
	f.mu.Lock()
	delete(f.subs, sub)
	last := len(f.subs) == 0
	f.mu.Unlock()
	if last && h.feeds[f.s] == f {
		delete(h.feeds, f.s)
		close(f.stop)
	}
}

func (f *feed) why() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.reason
}

func (f *feed) run() {
	defer f.w.Close()
	tick := time.NewTicker(f.h.o.UpdateInterval)
	defer tick.Stop()
	var (
		up          update
		dirty       bool
		resync      bool
		panelsStale bool
		lastPanels  = time.Now()
		why         string
	)
	for {
		select {
		case <-f.stop:
			return
		case <-tick.C:
		}
		ended := false
	drain:
		for {
			select {
			case e, ok := <-f.w.C():
				if !ok {
					ended = true
					break drain
				}
				dirty = true
				switch e.Kind {
				case session.EventStep:
					st := e.Step
					panelsStale = true
					switch {
					case st.Err != nil:
						if len(up.Failed) < maxNotes {
							up.Failed = append(up.Failed, st.Err.Error())
						}
					case st.Step.Context != nil:
						if len(up.Steps) >= maxPending {
							resync = true
						} else {
							up.Steps = append(up.Steps, [3]int{st.Step.Context.Index(), st.Step.Element, st.Seq})
						}
					}
				case session.EventStart:
					resync = true
				case session.EventNote:
					panelsStale = true
					if len(up.Notes) < maxNotes {
						up.Notes = append(up.Notes, e.Note.Kind+": "+e.Note.Text)
					}
				case session.EventBreakpointError:
					if len(up.BPErrors) < maxNotes {
						up.BPErrors = append(up.BPErrors, e.Text)
					}
				case session.EventClosed:
					why = e.Text
				}
			default:
				break drain
			}
		}
		if ended {
			if why == "" {
				why = "the session ended"
			}
			f.mu.Lock()
			f.closed, f.reason = true, why
			for sub := range f.subs {
				close(sub.ch)
			}
			f.subs = nil
			f.mu.Unlock()
			<-f.stop
			return
		}
		if f.w.Lost() || resync {
			f.broadcast(frame{resync: true})
			up, dirty, resync, panelsStale, lastPanels = update{}, false, false, false, time.Now()
			continue
		}
		if panelsStale && time.Since(lastPanels) >= panelEvery {
			ctx, cancel := context.WithTimeout(context.Background(), panelWait)
			f.s.Do(ctx, func(m *machine.Machine) error { up.Panels = readPanels(m); return nil })
			cancel()
			if up.Panels != nil {
				panelsStale, lastPanels, dirty = false, time.Now(), true
			}
		}
		if !dirty {
			continue
		}
		c := f.s.Control()
		up.Control = &c
		if up.Steps == nil {
			up.Steps = [][3]int{}
		}
		if n := len(up.Steps); n > 0 {
			up.Seq = up.Steps[n-1][2]
		}
		data, err := json.Marshal(&up)
		if err == nil {
			u := up
			f.broadcast(frame{up: &u, data: data})
		}
		up, dirty = update{}, false
	}
}

func (f *feed) broadcast(fr frame) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for sub := range f.subs {
		select {
		case sub.ch <- fr:
		default:
			sub.lost.Store(true)
		}
	}
}
