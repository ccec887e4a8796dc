package ws

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/format/yed"
	"github.com/gw-project/gw/internal/jsonx"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
	hubpkg "github.com/gw-project/gw/internal/session"
)

// notInitiated is GraphWalker's reply text for machine commands before a
// successful start.
const notInitiated = "The GraphWalker state machine is not initiated. Is a model loaded, and started?"

// testHook, when set by a test, runs before each 4.x command.
var testHook func(s *session, command string)

// command answers a 4.x-dialect message. Names match case-insensitively
// (GraphWalker upper-cases them); reply keys follow protocol.md Appendix B.
func (s *session) command(root jsonx.Value, name string) error {
	if testHook != nil {
		testHook(s, name)
	}
	switch {
	case strings.EqualFold(name, "getNext"):
		return s.getNext()
	case strings.EqualFold(name, "hasNext"):
		return s.hasNext()
	case strings.EqualFold(name, "getData"):
		return s.getData()
	case strings.EqualFold(name, "setData"):
		return s.setData(root)
	case strings.EqualFold(name, "start"):
		return s.start(root)
	case strings.EqualFold(name, "mode"):
		s.obj.Reset()
		s.obj.Str("mode", "EDITOR").Bool("success", true)
		if v := s.srv.opts.Version; v != "" {
			s.obj.Str("version", v)
		}
		s.obj.Str("command", "mode")
		return s.send()
	case strings.EqualFold(name, "getModel"):
		return s.getModel()
	case strings.EqualFold(name, "updateAllElements"):
		return s.updateAllElements()
	case strings.EqualFold(name, "convertGraphml"):
		return s.convertGraphml(root)
	case strings.EqualFold(name, "restart"):
		// Not in GraphWalker 4.x: drops the machine (and 3.x models).
		s.dropMachine()
		s.legacy = nil
		return s.ok("restart")
	}
	s.log.Debug("unknown command", "command", clip(name))
	return s.sendError(fmt.Sprintf("Unknown command: %s; the commands are %s", strconv.Quote(clip(name)), commands))
}

// commands are the commands of the 4.x dialect.
const commands = "start, hasNext, getNext, getData, setData, getModel, updateAllElements, convertGraphml, mode, restart"

// notJSON answers a message that is not JSON (GraphWalker: "Unknown
// command: " and org.json's error).
func (s *session) notJSON(err error) error {
	s.srv.opts.Events.OnBadJSON()
	return s.sendError("Unknown command: " + err.Error() + `; every message is one JSON object, e.g. {"command":"hasNext"}`)
}

// noCommand answers a JSON object with neither "command" nor "type"
// (GraphWalker sends nothing, and the client waits).
func (s *session) noCommand() error {
	s.log.Debug("message without \"command\" or \"type\" (GraphWalker sends no reply)")
	return s.sendError(`The message has no "command" (GraphWalker 4: ` + commands + `) nor "type" (GraphWalker 3: ` + legacyTypes + `); e.g. {"command":"hasNext"}`)
}

// startShape says what start takes.
const startShape = `start needs the models: {"command":"start","gw":{"models":[...]}} with GraphWalker JSON models (gw convert writes them; the gw online start-up message shows a complete one)`

// ok sends {"success":true,"command":cmd}.
func (s *session) ok(cmd string) error {
	s.obj.Reset()
	s.obj.Bool("success", true).Str("command", cmd)
	return s.send()
}

func (s *session) notStarted(cmd string) error {
	s.obj.Reset()
	s.obj.Bool("success", false).Str("message", notInitiated).Str("command", cmd)
	return s.send()
}

func (s *session) start(root jsonx.Value) error {
	s.cur = "start"
	if err := s.admit(); err != nil {
		return s.sendIssue(err.Error(), "start")
	}
	key := "gw"
	if !root.Has("gw") && root.Has("gw3") {
		key = "gw3" // the 3.4-era key, accepted by GraphWalker 4.0–4.3.2
	}
	gw, err := root.GetObject(key)
	if err != nil {
		// GraphWalker's text (JSONObject["gw"] not found.), then what to send.
		return s.sendIssue(err.Error()+" "+startShape, "start")
	}
	seed, hasSeed, err := seedOf(root)
	if err != nil {
		return s.sendIssue(err.Error(), "start")
	}
	// GraphWalker hands the object's org.json text to Gson; so do we.
	doc, err := gwjson.ParseMessage(jsonx.Marshal(gw), key)
	if err != nil {
		return s.sendIssue(modelError(err), "start")
	}
	if !hasSeed && doc.HasSeed {
		seed, hasSeed = doc.Seed, true
	}
	// GraphWalker Studio's "+" adds a model with no elements; GraphWalker
	// walks the others, and so does gw, with a warning.
	models, empty := withoutEmptyModels(doc.Models)
	if len(models) == 0 && len(empty) > 0 {
		return s.sendIssue("No model has any vertex or edge: there is nothing to walk", "start")
	}
	seed, err = s.newMachine(models, seed, hasSeed)
	if err != nil {
		return s.sendIssue(err.Error(), "start")
	}
	s.obj.Reset()
	s.obj.Int("seed", seed).Bool("success", true).Str("command", "start")
	if err := s.send(); err != nil || len(empty) == 0 {
		return err
	}
	// After the reply: GraphWalker Studio fails a request on any issues
	// message, and by now it has its answer to start.
	s.arr.Reset()
	for _, name := range empty {
		s.arr.Str(fmt.Sprintf("Warning: model %s has no vertices and no edges; it is left out of the walk", strconv.Quote(name)))
	}
	s.obj.Reset()
	s.obj.Arr("issues", &s.arr).Str("command", "issues")
	return s.send()
}

// withoutEmptyModels drops the models that have no element and returns
// the names of those dropped.
func withoutEmptyModels(models []*model.Model) (kept []*model.Model, empty []string) {
	for _, m := range models {
		if m.NumElements() == 0 {
			empty = append(empty, m.Name)
			continue
		}
		kept = append(kept, m)
	}
	return kept, empty
}

// newMachine replaces the session's machine by one over models and returns
// the seed used. Without a seed one is drawn below 2^53, so that it
// survives a JavaScript client's float64 numbers when replayed.
func (s *session) newMachine(models []*model.Model, seed int64, hasSeed bool) (int64, error) {
	if !hasSeed {
		seed = rand.Int64N(1 << 53)
	}
	o := machine.Options{Seed: seed, HasSeed: true, Script: s.srv.opts.Script}
	if p := s.srv.opts.Prepare; p != nil {
		if err := p(models, &o); err != nil {
			return 0, err
		}
	}
	m, err := machine.New(models, o)
	if err != nil {
		return 0, err
	}
	s.setMachine(m, hubpkg.Start{Models: models, Seed: seed, Source: s.dialect + " start"})
	return seed, nil
}

// seedOf reads the optional "seed" member: an integer, or a string holding
// one (JavaScript clients cannot send every long as a number).
func seedOf(root jsonx.Value) (int64, bool, error) {
	v, ok := root.Get("seed")
	if !ok || v.IsNull() {
		return 0, false, nil
	}
	if n, ok := v.Int64(); ok {
		return n, true, nil
	}
	if v.Kind() == jsonx.KindString {
		if n, err := strconv.ParseInt(strings.TrimSpace(v.Str()), 10, 64); err == nil {
			return n, true, nil
		}
	}
	return 0, false, errors.New(`"seed" must be an integer between -9223372036854775808 and 9223372036854775807 (a Java long), e.g. "seed": 12345; got ` + clip(v.JavaString()))
}

// modelError words a model parse error. Positions are dropped: they would
// point into the re-serialised object, not into what the client sent; the
// message names the JSON path instead.
func modelError(err error) string {
	var ge *gwjson.Error
	if errors.As(err, &ge) {
		return ge.Msg
	}
	return err.Error()
}

func (s *session) getNext() error {
	s.cur = "getNext"
	if s.m == nil {
		return s.notStarted("getNext")
	}
	m := s.m
	if err := s.beforeStep(); err != nil {
		return s.sendIssue(err.Error(), "getNext")
	}
	m.Begin() // the step and its push share one deadline
	defer m.End()
	t0 := time.Now()
	step, err := m.Next()
	s.afterStep(m, step, err, time.Since(t0))
	if step.Context != nil {
		// AFTER_ELEMENT: the visit is pushed before the reply.
		shown, err := s.visitedElement(step)
		if err != nil {
			return err
		}
		if shown != nil {
			return s.sendIssue(shown.Error(), "getNext")
		}
	}
	if err != nil {
		return s.sendIssue(err.Error(), "getNext")
	}
	mod, el := step.Model(), step.Element
	s.obj.Reset()
	s.obj.Str("elementId", mod.ElementID(el))
	if mod.Name != "" {
		s.obj.Str("modelName", mod.Name)
	}
	s.obj.Str("modelId", mod.ID).Bool("success", true)
	if name := mod.ElementName(el); name != "" {
		s.obj.Str("name", name)
	}
	s.obj.Str("command", "getNext")
	return s.send()
}

// visitedElement pushes the step. When its data cannot be shown (a limit)
// it goes out without data and shown says why; err is a failed send.
func (s *session) visitedElement(step machine.Step) (shown, err error) {
	mod, el := step.Model(), step.Element
	if shown = s.dataObject(); shown != nil {
		s.sub.Reset()
	}
	s.obj.Reset()
	s.obj.Str("elementId", mod.ElementID(el)).
		Int("visitedCount", int64(step.Context.VisitCount(el))).
		Float("stopConditionFulfillment", s.m.Current().Fulfilment()).
		Obj("data", &s.sub).
		Str("modelId", mod.ID).
		Int("totalCount", int64(s.m.TotalSteps())).
		Str("command", "visitedElement")
	return shown, s.send()
}

// dataObject fills s.sub with the current model's variables, all values
// as strings, in org.json's order.
func (s *session) dataObject() error {
	kvs, err := s.m.Data()
	if err != nil {
		return err
	}
	javaOrder(kvs)
	s.sub.Reset()
	for _, kv := range kvs {
		s.sub.Str(kv.Key, kv.Value)
	}
	return nil
}

func (s *session) hasNext() error {
	s.cur = "hasNext"
	if s.m == nil {
		return s.notStarted("hasNext")
	}
	more, err := s.m.HasNext()
	if err != nil {
		return s.sendIssue(err.Error(), "hasNext")
	}
	s.obj.Reset()
	s.obj.Bool("success", true).Bool("hasNext", more).Str("command", "hasNext")
	return s.send()
}

func (s *session) getData() error {
	s.cur = "getData"
	if s.m == nil {
		return s.notStarted("getData")
	}
	if err := s.dataObject(); err != nil {
		return s.sendIssue(err.Error(), "getData")
	}
	s.obj.Reset()
	s.obj.Obj("data", &s.sub).Bool("success", true).Str("command", "getData")
	return s.send()
}

func (s *session) setData(root jsonx.Value) error {
	s.cur = "setData"
	if s.m == nil {
		return s.notStarted("setData")
	}
	action, err := root.GetString("action")
	if err != nil {
		return s.sendIssue(err.Error(), "setData")
	}
	if err := s.m.Execute(action); err != nil {
		s.note("setData", action, err)
		return s.sendIssue(err.Error(), "setData")
	}
	s.note("setData", action, nil)
	return s.ok("setData")
}

// getModel sends the models as the machine holds them: generator in its
// canonical form, startElementId only while the start element is pending.
func (s *session) getModel() error {
	s.cur = "getmodel"
	if s.m == nil {
		return s.notStarted("getmodel")
	}
	ctxs := s.m.Contexts()
	models := make([]*model.Model, len(ctxs))
	for i, c := range ctxs {
		cp := *c.Model()
		cp.Generator = c.Generator().String()
		cp.StartElementID = ""
		if p := c.Pending(); p != model.None {
			cp.StartElementID = cp.ElementID(p)
		}
		models[i] = &cp
	}
	text, err := gwjson.Marshal(models, gwjson.WriteOptions{})
	if err != nil {
		return s.sendIssue(err.Error(), "getmodel")
	}
	s.obj.Reset()
	s.obj.Str("models", string(text)).Bool("success", true).Str("command", "getmodel")
	return s.send()
}

func (s *session) updateAllElements() error {
	s.cur = "updateallelements"
	if s.m == nil {
		return s.notStarted("updateallelements")
	}
	s.arr.Reset()
	for _, c := range s.m.Contexts() {
		mod := c.Model()
		for el := range mod.NumElements() {
			s.sub.Reset()
			s.sub.Str("elementId", mod.ElementID(el)).Int("visitedCount", int64(c.VisitCount(el))).Str("modelId", mod.ID)
			s.arr.Obj(&s.sub)
		}
	}
	s.obj.Reset()
	s.obj.Bool("success", true).Arr("elements", &s.arr).Str("command", "updateallelements")
	return s.send()
}

// convertGraphml converts yEd GraphML text to GraphWalker JSON; it needs
// no machine. As in GraphWalker the model is named "" and has no generator.
func (s *session) convertGraphml(root jsonx.Value) error {
	s.cur = "convertGraphml"
	text, err := root.GetString("graphml")
	if err != nil {
		return s.sendIssue(err.Error(), "convertGraphml")
	}
	m, err := yed.Read(strings.NewReader(text), "")
	if err != nil {
		return s.sendIssue(err.Error(), "convertGraphml")
	}
	m.Name, m.Generator = "", ""
	out, err := gwjson.Marshal([]*model.Model{m}, gwjson.WriteOptions{EmptyModelName: true})
	if err != nil {
		return s.sendIssue(err.Error(), "convertGraphml")
	}
	s.obj.Reset()
	s.obj.Str("models", string(out)).Bool("success", true).Str("command", "convertGraphml")
	return s.send()
}
