package ws

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gw-project/gw/internal/checker"
	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/jsonx"
)

// legacyCommand answers a message of the original dialect of GraphWalker
// 3.2/3.3, {"type": ...}, as documented for `gw online` then: loadModel
// (historic single-model JSON), start, hasNext, getNext, getData, restart.
// Replies echo "type" and carry "success"; failures carry "message".
// Where GraphWalker 3 sent nothing (an exception in getNext or a broken
// generator), gw sends a failure with the reason.
func (s *session) legacyCommand(root jsonx.Value, typ string) error {
	s.curLegacy = true
	switch {
	case strings.EqualFold(typ, "getNext"):
		return s.legacyGetNext()
	case strings.EqualFold(typ, "hasNext"):
		s.cur = "hasNext"
		if s.m == nil {
			return s.legacyFail("hasNext", notInitiated)
		}
		more, err := s.m.HasNext()
		if err != nil {
			return s.legacyFail("hasNext", err.Error())
		}
		s.obj.Reset()
		s.obj.Bool("success", true).Bool("hasNext", more).Str("type", "hasNext")
		return s.send()
	case strings.EqualFold(typ, "loadModel"):
		s.cur = "loadModel"
		if err := s.admit(); err != nil {
			return s.legacyFail("loadModel", err.Error())
		}
		mv, err := root.GetObject("model")
		if err != nil {
			return s.legacyFail("loadModel", "Could not parse the model: "+err.Error()+" "+legacyModelShape)
		}
		m, err := gwjson.ParseLegacy(jsonx.Marshal(mv))
		if err != nil {
			return s.legacyFail("loadModel", "Could not parse the model: "+modelError(err))
		}
		// A generator that does not parse is refused now, not at every
		// start; a refused model is not added.
		if _, err := checker.Generator(m); err != nil {
			return s.legacyFail("loadModel", fmt.Sprintf("Could not parse the generator of model %q: %v", m.Name, err))
		}
		s.legacy = append(s.legacy, m)
		return s.legacyOK("loadModel")
	case strings.EqualFold(typ, "start"):
		s.cur = "start"
		if len(s.legacy) == 0 {
			return s.legacyFail("start", `No start context found: no model is loaded; send {"type":"loadModel","model":{...}} first`)
		}
		seed, hasSeed, err := seedOf(root)
		if err != nil {
			return s.legacyFail("start", err.Error())
		}
		if err := s.admit(); err != nil {
			return s.legacyFail("start", err.Error())
		}
		seed, err = s.newMachine(s.legacy, seed, hasSeed)
		if err != nil {
			return s.legacyFail("start", err.Error())
		}
		s.obj.Reset()
		s.obj.Int("seed", seed).Bool("success", true).Str("type", "start")
		return s.send()
	case strings.EqualFold(typ, "getData"):
		s.cur = "getData"
		if s.m == nil {
			return s.legacyFail("getData", notInitiated)
		}
		// GraphWalker 3: an array of one-member objects.
		kvs, err := s.m.Data()
		if err != nil {
			return s.legacyFail("getData", err.Error())
		}
		javaOrder(kvs)
		s.arr.Reset()
		for _, kv := range kvs {
			s.sub.Reset()
			s.sub.Str(kv.Key, kv.Value)
			s.arr.Obj(&s.sub)
		}
		s.obj.Reset()
		s.obj.Arr("data", &s.arr).Bool("success", true).Str("type", "getData")
		return s.send()
	case strings.EqualFold(typ, "restart"):
		s.cur = "restart"
		s.dropMachine()
		s.legacy = nil
		return s.legacyOK("restart")
	}
	s.log.Debug("unknown type", "type", clip(typ))
	return s.sendError(fmt.Sprintf("Unknown command: type %s; GraphWalker 3 messages have the types %s (or use the GraphWalker 4 dialect, {\"command\": ...}: %s)",
		strconv.Quote(clip(typ)), legacyTypes, commands))
}

// legacyTypes are the types of the GraphWalker 3 dialect.
const legacyTypes = "loadModel, start, hasNext, getNext, getData, restart"

// legacyModelShape says what loadModel takes.
const legacyModelShape = `Send {"type":"loadModel","model":{"name":"M","generator":"random(edge_coverage(100))","vertices":[{"id":"n0","name":"v_A"}],"edges":[{"id":"e0","name":"e_Go","dstVertexId":"n0","startElement":true}]}}.`

func (s *session) legacyGetNext() error {
	s.cur = "getNext"
	if s.m == nil {
		return s.legacyFail("getNext", notInitiated)
	}
	m := s.m
	if err := s.beforeStep(); err != nil {
		return s.legacyFail("getNext", err.Error())
	}
	m.Begin()
	defer m.End()
	t0 := time.Now()
	step, err := m.Next()
	s.afterStep(m, step, err, time.Since(t0))
	if step.Context != nil {
		mod, el := step.Model(), step.Element
		s.obj.Reset()
		s.obj.Int("visitedCount", int64(step.Context.VisitCount(el))).Str("id", mod.ElementID(el)).Str("type", "visitedElement")
		if err := s.send(); err != nil {
			return err
		}
	}
	if err != nil {
		return s.legacyFail("getNext", err.Error())
	}
	mod, el := step.Model(), step.Element
	s.obj.Reset()
	s.obj.Bool("success", true)
	if name := mod.ElementName(el); name != "" {
		s.obj.Str("name", name)
	}
	s.obj.Str("id", mod.ElementID(el)).Str("type", "getNext")
	return s.send()
}

func (s *session) legacyOK(typ string) error {
	s.obj.Reset()
	s.obj.Bool("success", true).Str("type", typ)
	return s.send()
}

func (s *session) legacyFail(typ, msg string) error {
	s.obj.Reset()
	s.obj.Bool("success", false).Str("type", typ).Str("message", msg)
	return s.send()
}
