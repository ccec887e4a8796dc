package mcp

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/gw-project/gw/internal/limits"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/session"
)

// A walk is one walk session: a machine an agent drives step by step,
// with the machine semantics of the REST and WebSocket services. It is
// registered in the hub as a session of service "mcp", whose lock every
// tool call holds while it uses the machine (so calls on one session are
// serialised, and the studio can pause it).
type walk struct {
	id     string
	hs     *session.Session
	use    usage
	opened time.Time

	models []*model.Model // as loaded; restart rebuilds from them
	seed   int64

	// Under hs's lock:
	m      *machine.Machine // nil once stopped or closed
	closed bool

	mu      sync.Mutex
	stopped error // why m was dropped (a memory limit)
}

func (w *walk) stopReason() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.stopped
}

func (w *walk) setStopped(err error) {
	w.mu.Lock()
	w.stopped = err
	w.mu.Unlock()
}

var errSessionClosed = errors.New("the session was closed")

// end closes the session: a running step is interrupted, the machine
// released, the hub told why.
func (w *walk) end(why string) {
	if m := w.hs.Machine(); m != nil {
		m.Abort(errSessionClosed)
	}
	w.hs.Lock()
	w.closed = true
	if w.m != nil {
		w.m.Close()
		w.m = nil
	}
	w.hs.Unlock()
	w.hs.Close(why)
}

type sessionIn struct {
	SessionID string `json:"session_id" jsonschema:"the session's id, from start_session"`
}

type startIn struct {
	Models       []ModelInput `json:"models" jsonschema:"the models to walk, each with its generator and stop condition"`
	Seed         *int64       `json:"seed,omitempty" jsonschema:"random seed: the same seed gives the same walk (default: a random one, returned)"`
	Blocked      *bool        `json:"blocked,omitempty" jsonschema:"drop elements whose property blocked is true (default true)"`
	StartElement string       `json:"start_element,omitempty" jsonschema:"name of the first model's start element, replacing the model's own"`
}

type startOut struct {
	SessionID string   `json:"session_id"`
	Seed      int64    `json:"seed" jsonschema:"the seed the walk uses: start again with it to repeat the walk"`
	Models    []string `json:"models"`
	HasNext   bool     `json:"has_next"`
}

type nextIn struct {
	SessionID   string `json:"session_id"`
	IncludeData bool   `json:"include_data,omitempty" jsonschema:"also return the model's data (its JavaScript variables) after the step"`
}

type nextOut struct {
	Step       StepInfo          `json:"step" jsonschema:"the element to act on now: perform an edge's action, verify a vertex's state"`
	Guard      string            `json:"guard,omitempty"`
	Actions    []string          `json:"actions,omitempty" jsonschema:"the element's actions, which gw has run on the model's data"`
	Properties map[string]any    `json:"properties,omitempty"`
	Steps      int               `json:"steps" jsonschema:"steps taken so far, this one included"`
	HasNext    bool              `json:"has_next" jsonschema:"false when the stop conditions are met: the walk is complete"`
	Data       map[string]string `json:"data,omitempty"`
}

type hasNextOut struct {
	HasNext bool `json:"has_next"`
	Steps   int  `json:"steps"`
}

type dataOut struct {
	Data map[string]string `json:"data" jsonschema:"the current model's JavaScript variables, as GraphWalker shows them (strings; arrays and objects as JSON)"`
}

type setDataIn struct {
	SessionID string `json:"session_id"`
	Script    string `json:"script" jsonschema:"JavaScript run in the current model's scope (or the global one when it mentions global.), e.g. loggedIn = true;"`
}

type failIn struct {
	SessionID string `json:"session_id"`
	Reason    string `json:"reason" jsonschema:"why the step failed in the system under test"`
}

type failOut struct {
	Failed  StepInfo `json:"failed" jsonschema:"the element that failed"`
	Message string   `json:"message"`
}

type restartOut struct {
	Seed    int64 `json:"seed"`
	HasNext bool  `json:"has_next"`
}

// ModelStats are one model's figures.
type ModelStats struct {
	Name         string           `json:"name"`
	Status       string           `json:"status" jsonschema:"NOT_EXECUTED, EXECUTING, COMPLETED or FAILED"`
	Edges        Count            `json:"edges"`
	Vertices     Count            `json:"vertices"`
	Requirements RequirementCount `json:"requirements"`
}

type statisticsOut struct {
	Steps    int          `json:"steps"`
	Seed     int64        `json:"seed"`
	Models   []ModelStats `json:"models"`
	Coverage Coverage     `json:"coverage"`
	Failed   []string     `json:"failed_requirements,omitempty"`
}

type closeOut struct {
	Closed bool `json:"closed"`
	Steps  int  `json:"steps"`
}

// SessionInfo summarises a session.
type SessionInfo struct {
	SessionID string    `json:"session_id"`
	Models    []string  `json:"models"`
	Seed      int64     `json:"seed"`
	Steps     int       `json:"steps"`
	Opened    time.Time `json:"opened"`
	Stopped   string    `json:"stopped,omitempty" jsonschema:"why the session's machine was stopped, if it was"`
}

type listSessionsIn struct{}

type listSessionsOut struct {
	Sessions []SessionInfo `json:"sessions"`
}

func (s *Server) addSessionTools() {
	sid := " Needs the session_id from start_session."
	addTool(s, &sdk.Tool{Name: "start_session", Description: "Start a walk session over models: gw chooses each step, your test performs it. Then call next_step while has_next is true. The seed in the reply repeats the walk." + modelsSchemaNote,
		Annotations: &sdk.ToolAnnotations{Title: "Start a walk", OpenWorldHint: ptr(false)}}, s.startSession)
	addTool(s, &sdk.Tool{Name: "next_step", Description: "Take the next step of a walk and return its element: perform an edge's action, or verify a vertex's state, in the system under test before asking for the next. Refused when the walk is complete (has_next false)." + sid}, s.nextStep)
	addTool(s, &sdk.Tool{Name: "has_next", Description: "Tell whether the walk has more steps (false: its stop conditions are met)." + sid}, s.hasNext)
	addTool(s, &sdk.Tool{Name: "get_data", Description: "Read the current model's data: its JavaScript variables." + sid, Annotations: readOnly("Read data")}, s.getData)
	addTool(s, &sdk.Tool{Name: "set_data", Description: "Run JavaScript in the current model's scope to tell the model what the system under test did (e.g. loggedIn = true;); guards then see it. Returns the data." + sid}, s.setData)
	addTool(s, &sdk.Tool{Name: "fail_step", Description: "Record that the last step failed in the system under test: its requirements fail and its model is FAILED (GraphWalker's fail)." + sid}, s.failStep)
	addTool(s, &sdk.Tool{Name: "restart_session", Description: "Start the walk again from the beginning, with the same models and seed (data reset too)." + sid}, s.restartSession)
	addTool(s, &sdk.Tool{Name: "get_statistics", Description: "Coverage of the walk so far: edges, vertices and requirements per model and in all, unvisited elements." + sid, Annotations: readOnly("Walk statistics")}, s.statistics)
	addTool(s, &sdk.Tool{Name: "close_session", Description: "End a walk session and release it." + sid, Annotations: &sdk.ToolAnnotations{DestructiveHint: ptr(true), OpenWorldHint: ptr(false)}}, s.closeSession)
	addTool(s, &sdk.Tool{Name: "list_sessions", Description: "List the open walk sessions.", Annotations: readOnly("List sessions")}, s.listSessions)
}

func (s *Server) startSession(ctx context.Context, in startIn) (startOut, error) {
	if err := limits.Over(); err != nil {
		return startOut{}, err
	}
	models, err := s.loadModels(ctx, in.Models, loadOptions{blocked: boolOr(in.Blocked, true), startElement: in.StartElement})
	if err != nil {
		return startOut{}, err
	}
	// Reserve a slot before building, so that concurrent starts cannot
	// pass the limit together.
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return startOut{}, errShutdown
	}
	if len(s.walks)+s.pending >= s.opts.MaxSessions {
		s.mu.Unlock()
		return startOut{}, limitError("start_session", fmt.Sprintf("%d sessions are open, the limit; close one with close_session (idle ones close after %v)", s.opts.MaxSessions, s.opts.IdleTimeout), FlagMaxSessions, limits.ErrBusy)
	}
	s.pending++
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.pending--
		s.mu.Unlock()
	}()

	seed := newSeed()
	if in.Seed != nil {
		seed = *in.Seed
	}
	m, err := machine.New(models, s.machineOptions(seed))
	if err != nil {
		return startOut{}, err
	}
	w := &walk{id: newID("s"), opened: time.Now(), models: models, seed: seed, m: m}
	w.hs = s.hub.Open(session.Info{Service: "mcp", Dialect: "mcp", Client: clientName(ctx)})
	w.use.begin()
	defer w.use.end()
	w.hs.Lock()
	w.hs.SetMachine(m, session.Start{Models: models, Seed: seed, Source: "start_session"})
	more, err := m.HasNext()
	w.hs.Unlock()
	if err != nil {
		w.end("start failed: " + err.Error())
		return startOut{}, err
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		w.end("the MCP server is shutting down")
		return startOut{}, errShutdown
	}
	s.walks[w.id] = w
	s.mu.Unlock()
	s.log.Info("session started", "session", w.id, "models", len(models), "seed", seed)
	return startOut{SessionID: w.id, Seed: seed, Models: modelNames(models), HasNext: more}, nil
}

func (s *Server) walk(id string) (*walk, error) {
	s.mu.Lock()
	w := s.walks[id]
	s.mu.Unlock()
	if w == nil {
		return nil, inputError("no session %q: sessions close with close_session, after %v without a call (%s), and when the server restarts; list_sessions lists the open ones, start_session starts one", id, s.opts.IdleTimeout, FlagIdleTimeout)
	}
	return w, nil
}

// withWalk runs fn on a session's machine under the session's lock. fn's
// machine calls are operations of their own (one script deadline each)
// unless fn groups them with Begin and End. A machine stopped for good by
// a limit is dropped afterwards, and the session says why from then on.
func (s *Server) withWalk(id string, fn func(w *walk, m *machine.Machine) error) error {
	w, err := s.walk(id)
	if err != nil {
		return err
	}
	w.use.begin()
	defer w.use.end()
	w.hs.Lock()
	defer w.hs.Unlock()
	if w.closed {
		return inputError("session %s was closed; start_session starts another", id)
	}
	if w.m == nil {
		return fmt.Errorf("session %s was stopped: %v; restart_session starts its walk again, close_session ends it", id, w.stopReason())
	}
	m := w.m
	err = fn(w, m)
	if stop := m.Err(); stop != nil && !w.closed {
		s.log.Warn("session stopped", "session", id, "reason", stop)
		w.setStopped(stop)
		w.m = nil
		w.hs.SetMachine(nil, session.Start{})
		m.Close()
	}
	return err
}

func (s *Server) nextStep(ctx context.Context, in nextIn) (nextOut, error) {
	var out nextOut
	err := s.withWalk(in.SessionID, func(w *walk, m *machine.Machine) error {
		more, err := m.HasNext()
		if err != nil {
			return err
		}
		if !more {
			return inputError("the walk of session %s is complete (has_next is false after %d steps): get_statistics reports its coverage, restart_session walks it again, close_session ends it", w.id, m.TotalSteps())
		}
		// A paused session (studio) waits here, before the step's
		// deadline starts.
		if err := w.hs.BeforeStep(ctx); err != nil {
			return fmt.Errorf("the step was not taken: %w", err)
		}
		m.Begin() // the step and the data that reports it share a deadline
		defer m.End()
		t0 := time.Now()
		st, err := m.Next()
		w.hs.AfterStep(m, st, err, time.Since(t0))
		if err != nil {
			return fmt.Errorf("the step failed: %w", err)
		}
		mod := st.Model()
		out.Step = stepInfo(st)
		out.Actions = mod.ElementActions(st.Element)
		out.Properties = propertyMap(mod.ElementProperties(st.Element))
		if mod.IsEdge(st.Element) {
			out.Guard = mod.Edge(st.Element).Guard
		}
		out.Steps = m.TotalSteps()
		if in.IncludeData {
			if out.Data, err = data(m); err != nil {
				return err
			}
		}
		out.HasNext, err = m.HasNext()
		return err
	})
	return out, err
}

func data(m *machine.Machine) (map[string]string, error) {
	kvs, err := m.Data()
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(kvs))
	for _, kv := range kvs {
		out[kv.Key] = kv.Value
	}
	return out, nil
}

func (s *Server) hasNext(ctx context.Context, in sessionIn) (hasNextOut, error) {
	var out hasNextOut
	err := s.withWalk(in.SessionID, func(w *walk, m *machine.Machine) error {
		var err error
		out.HasNext, err = m.HasNext()
		out.Steps = m.TotalSteps()
		return err
	})
	return out, err
}

func (s *Server) getData(ctx context.Context, in sessionIn) (dataOut, error) {
	var out dataOut
	err := s.withWalk(in.SessionID, func(w *walk, m *machine.Machine) error {
		var err error
		out.Data, err = data(m)
		return err
	})
	return out, err
}

func (s *Server) setData(ctx context.Context, in setDataIn) (dataOut, error) {
	var out dataOut
	if in.Script == "" {
		return out, inputError(`"script" is empty: give JavaScript such as loggedIn = true;`)
	}
	err := s.withWalk(in.SessionID, func(w *walk, m *machine.Machine) error {
		err := m.Execute(in.Script)
		w.hs.Note(m, "setData", in.Script, err)
		if err != nil {
			return err
		}
		out.Data, err = data(m)
		return err
	})
	return out, err
}

func (s *Server) failStep(ctx context.Context, in failIn) (failOut, error) {
	var out failOut
	err := s.withWalk(in.SessionID, func(w *walk, m *machine.Machine) error {
		c := m.Current()
		if c == nil || c.Current() == model.None {
			return inputError("no step has been taken yet, so there is nothing to fail: call next_step first")
		}
		out.Failed = elementStep(c.Model(), c.Current())
		m.Fail(in.Reason)
		w.hs.Note(m, "fail", in.Reason, nil)
		out.Message = fmt.Sprintf("%s %q failed: its requirements are FAILED and model %q is FAILED", out.Failed.Kind, out.Failed.Name, c.Model().Name)
		return nil
	})
	return out, err
}

func elementStep(m *model.Model, el model.Element) StepInfo {
	r := elementRef(m, el)
	return StepInfo{Model: r.Model, ID: r.ID, Name: r.Name, Kind: r.Kind}
}

func (s *Server) restartSession(ctx context.Context, in sessionIn) (restartOut, error) {
	w, err := s.walk(in.SessionID)
	if err != nil {
		return restartOut{}, err
	}
	w.use.begin()
	defer w.use.end()
	w.hs.Lock()
	defer w.hs.Unlock()
	if w.closed {
		return restartOut{}, inputError("session %s was closed; start_session starts another", w.id)
	}
	m, err := machine.New(w.models, s.machineOptions(w.seed))
	if err != nil {
		return restartOut{}, err
	}
	if w.m != nil {
		w.m.Close()
	}
	w.m = m
	w.setStopped(nil)
	w.hs.SetMachine(m, session.Start{Models: w.models, Seed: w.seed, Source: "restart_session"})
	more, err := m.HasNext()
	return restartOut{Seed: w.seed, HasNext: more}, err
}

func (s *Server) statistics(ctx context.Context, in sessionIn) (statisticsOut, error) {
	var out statisticsOut
	err := s.withWalk(in.SessionID, func(w *walk, m *machine.Machine) error {
		out.Steps, out.Seed = m.TotalSteps(), w.seed
		out.Coverage = coverage(m)
		for _, c := range m.Contexts() {
			mod := c.Model()
			ms := ModelStats{Name: mod.Name, Status: c.Status().String(),
				Edges: count(c.VisitedEdges(), len(mod.Edges)), Vertices: count(c.VisitedVertices(), len(mod.Vertices))}
			for _, r := range c.Requirements() {
				ms.Requirements.Total++
				switch r.Status {
				case machine.Passed:
					ms.Requirements.Passed++
				case machine.RequirementFailed:
					ms.Requirements.Failed++
					out.Failed = append(out.Failed, r.Key)
				default:
					ms.Requirements.NotCovered++
				}
			}
			out.Models = append(out.Models, ms)
		}
		return nil
	})
	return out, err
}

func (s *Server) closeSession(ctx context.Context, in sessionIn) (closeOut, error) {
	w, err := s.walk(in.SessionID)
	if err != nil {
		return closeOut{}, err
	}
	s.mu.Lock()
	delete(s.walks, in.SessionID)
	s.mu.Unlock()
	steps := w.hs.Summary().Steps
	w.end("closed by the client")
	s.log.Info("session closed", "session", w.id)
	return closeOut{Closed: true, Steps: steps}, nil
}

func (s *Server) listSessions(ctx context.Context, in listSessionsIn) (listSessionsOut, error) {
	s.mu.Lock()
	ws := make([]*walk, 0, len(s.walks))
	for _, w := range s.walks {
		ws = append(ws, w)
	}
	s.mu.Unlock()
	out := listSessionsOut{Sessions: make([]SessionInfo, 0, len(ws))}
	for _, w := range ws {
		sum := w.hs.Summary()
		info := SessionInfo{SessionID: w.id, Models: modelNames(w.models), Steps: sum.Steps, Seed: w.seed, Opened: w.opened}
		if err := w.stopReason(); err != nil {
			info.Stopped = err.Error()
		}
		out.Sessions = append(out.Sessions, info)
	}
	sort.Slice(out.Sessions, func(i, j int) bool { return out.Sessions[i].Opened.Before(out.Sessions[j].Opened) })
	return out, nil
}

type requestKey struct{}

// clientName names the MCP client of a call for the hub: the name it gave
// when it connected.
func clientName(ctx context.Context) string {
	req, _ := ctx.Value(requestKey{}).(*sdk.CallToolRequest)
	if req == nil || req.Session == nil {
		return "mcp"
	}
	if p := req.Session.InitializeParams(); p != nil && p.ClientInfo != nil && p.ClientInfo.Name != "" {
		return p.ClientInfo.Name
	}
	return "mcp"
}
