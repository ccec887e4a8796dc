package rest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/jsonx"
	"github.com/gw-project/gw/internal/limits"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/report"
	"github.com/gw-project/gw/internal/server/httpguard"
	hubpkg "github.com/gw-project/gw/internal/session"
)

// Error texts. GraphWalker answers calls before any load with a
// NullPointerException text; gw says what is wrong instead, except for
// restart, whose text GraphWalker's ResetTest compares exactly.
const (
	msgNoModels       = "No model(s) are loaded."
	msgNoModelsHint   = "No model(s) are loaded. Load them with POST /graphwalker/load (body: GraphWalker JSON), or start gw online with --model."
	msgFailBeforeStep = "No element has been executed yet, so there is nothing to fail: call getNext first."
	failPrefix        = "java.lang.Throwable: " // GraphWalker's fail always answers nok with this text
)

func appendString(b []byte, s string) []byte { return jsonx.AppendString(b, s) }

// load replaces the models and the machine (POST /graphwalker/load).
func (s *Server) load(w http.ResponseWriter, r *http.Request, b []byte) (int, []byte) {
	max := s.opts.MaxBodyBytes
	if r.ContentLength > max {
		return http.StatusRequestEntityTooLarge, appendNok(b, tooLarge(r.ContentLength, max))
	}
	if s.closing.Load() {
		return http.StatusServiceUnavailable, appendNok(b, "gw online is shutting down")
	}
	if err := limits.Over(); err != nil {
		w.Header().Set("Retry-After", "10")
		return http.StatusServiceUnavailable, appendNok(b, "The load was refused: "+err.Error())
	}
	// What the body will cost to read and build is reserved before it is
	// read (as it arrives when its length is unknown), so that parallel
	// large loads wait for one another instead of exhausting memory.
	var res httpguard.Reservation
	defer res.Release()
	if r.ContentLength > 0 {
		if err := res.Grow(r.Context(), r.ContentLength, "the load body"); err != nil {
			return budgetStatus(w, err), appendNok(b, "The load was refused: "+err.Error())
		}
	}
	var buf []byte
	if r.ContentLength > 0 {
		buf = make([]byte, 0, r.ContentLength+1)
	}
	start := time.Now()
	data, n, refused, err := httpguard.ReadMessage(r.Context(), httpguard.BodyReader(w, r), buf, max, &res, reserveWait, "the load body")
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		t := httpguard.TimeoutsOf(r.Context())
		return http.StatusRequestTimeout, appendNok(b, fmt.Sprintf("The load body came too slowly (%d bytes in %v): after %v it must arrive at %s/s or more", n, time.Since(start).Round(time.Millisecond), t.BodyGrace, limits.FormatSize(t.MinBodyRate)))
	case err != nil:
		return http.StatusOK, appendNok(b, "Could not read the request body: "+err.Error())
	case refused != nil:
		return budgetStatus(w, refused), appendNok(b, "The load was refused: "+refused.Error())
	case n > max:
		return http.StatusRequestEntityTooLarge, appendNok(b, tooLarge(-1, max))
	}
	querySeed, hasQuerySeed, err := seedParam(r)
	if err != nil {
		return http.StatusOK, appendNok(b, err.Error())
	}
	s.opts.Events.OnMessage(true, int(n))
	doc, err := gwjson.ParseMessage(data, "load body")
	if err != nil && !json.Valid(data) {
		s.opts.Events.OnBadJSON()
	}
	data = nil
	if err != nil {
		return http.StatusOK, appendNok(b, err.Error())
	}
	if len(doc.Models) == 0 {
		return http.StatusOK, appendNok(b, "No start context found: the load body has an empty \"models\" array; give at least one model with a generator and a startElementId")
	}
	seed := s.defaultSeed()
	switch {
	case hasQuerySeed:
		seed = querySeed
	case doc.HasSeed:
		seed = doc.Seed
	}
	models := s.filter(doc.Models)
	// Build outside the lock: INIT actions may run up to the script
	// deadline, and other clients keep using the old machine meanwhile.
	m, err := s.build(models, seed)
	if err != nil {
		return http.StatusOK, appendNok(b, err.Error())
	}
	s.mu.Lock()
	old := s.swap(m, models, seed, "load from "+r.RemoteAddr)
	s.mu.Unlock()
	if old != nil {
		closeMachine(old)
	}
	s.log.Info("models loaded", "models", len(models), "seed", seed)
	b = append(b, `{"result":"ok","seed":"`...)
	b = strconv.AppendInt(b, seed, 10)
	return http.StatusOK, append(b, `"}`...)
}

// reserveWait is how long a large load waits for memory budget that other
// loads hold before it is refused.
const reserveWait = 30 * time.Second

// budgetStatus is the status of a load refused for memory: 503 (try
// again) while others hold the budget, 413 when the body alone is too
// big for it.
func budgetStatus(w http.ResponseWriter, err error) int {
	if limits.Is(err, limits.ErrSize) {
		return http.StatusRequestEntityTooLarge
	}
	w.Header().Set("Retry-After", "10")
	return http.StatusServiceUnavailable
}

func tooLarge(n, max int64) string {
	size := "larger than that"
	if n >= 0 {
		size = strconv.FormatInt(n, 10) + " bytes"
	}
	return fmt.Sprintf("The load body is %s; this gw server accepts load bodies of up to %d bytes", size, max)
}

// seedParam reads the optional ?seed=N of load.
func seedParam(r *http.Request) (int64, bool, error) {
	if r.URL.RawQuery == "" {
		return 0, false, nil
	}
	q := r.URL.Query()
	if !q.Has("seed") {
		return 0, false, nil
	}
	v := q.Get("seed")
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, false, fmt.Errorf("The seed %q in the load query is not a whole number between %d and %d; write e.g. load?seed=42", v, int64(-1<<63), int64(1<<63-1))
	}
	return n, true, nil
}

// locked runs fn on the machine under the mutex, or answers that no model
// is loaded.
// A request is one operation of the machine: one deadline covers its
// scripts and data display. A machine stopped for good (a memory limit)
// is dropped at once, so its memory is freed.
func (s *Server) locked(b []byte, fn func(m *machine.Machine, b []byte) []byte) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		if s.stopped != nil {
			return appendNok(b, s.stopped.Error()+"; POST load to start again")
		}
		return appendNok(b, msgNoModelsHint)
	}
	m := s.m
	s.hs.Lock()
	defer s.hs.Unlock()
	m.Begin()
	b = fn(m, b)
	m.End()
	if err := m.Err(); err != nil {
		s.log.Warn("machine stopped", "reason", err)
		s.stopped = err
		s.m = nil
		s.gen++
		s.hs.SetMachine(nil, hubpkg.Start{})
		closeMachine(m)
		httpguard.Reclaim() // what its JavaScript grew to
	}
	return b
}

func (s *Server) hasNext(b []byte) []byte {
	return s.locked(b, func(m *machine.Machine, b []byte) []byte {
		more, err := m.HasNext()
		switch {
		case err != nil:
			return appendNok(b, err.Error())
		case more:
			return append(b, `{"result":"ok","hasNext":"true"}`...)
		}
		return append(b, `{"result":"ok","hasNext":"false"}`...)
	})
}

func (s *Server) getNext(ctx context.Context, b []byte) []byte {
	return s.locked(b, func(m *machine.Machine, b []byte) []byte {
		// A paused session holds the step here (the studio's Pause); the
		// deadline starts again when it is released.
		m.End()
		err := s.hs.BeforeStep(ctx)
		m.Begin()
		if err != nil {
			return appendNok(b, "getNext: "+err.Error())
		}
		t0 := time.Now()
		step, err := m.Next()
		s.hs.AfterStep(m, step, err, time.Since(t0))
		if err != nil {
			return appendNok(b, err.Error())
		}
		out, err := report.AppendStep(b, step, s.step)
		if err != nil {
			return appendNok(b, err.Error())
		}
		return out
	})
}

func (s *Server) getData(b []byte) []byte {
	return s.locked(b, func(m *machine.Machine, b []byte) []byte {
		kvs, err := m.Data()
		if err != nil {
			return appendNok(b, err.Error())
		}
		b = append(b, `{"result":"ok","data":{`...)
		for i, kv := range kvs {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, kv.Key)
			b = append(b, ':')
			b = appendString(b, kv.Value)
		}
		return append(b, "}}"...)
	})
}

func (s *Server) setData(b []byte, script string) []byte {
	return s.locked(b, func(m *machine.Machine, b []byte) []byte {
		if err := m.Execute(script); err != nil {
			s.hs.Note(m, "setData", script, err)
			return appendNok(b, err.Error())
		}
		s.hs.Note(m, "setData", script, nil)
		return appendOK(b)
	})
}

// fail applies the fail-fast strategy to the current model. GraphWalker
// then re-throws, so even a successful fail answers nok.
func (s *Server) fail(b []byte, reason string) []byte {
	return s.locked(b, func(m *machine.Machine, b []byte) []byte {
		if c := m.Current(); c == nil || c.Current() == model.None {
			return appendNok(b, msgFailBeforeStep)
		}
		m.Fail(reason)
		s.hs.Note(m, "fail", reason, nil)
		return appendNok(b, failPrefix+reason)
	})
}

func (s *Server) getStatistics(b []byte) []byte {
	return s.locked(b, func(m *machine.Machine, b []byte) []byte {
		return AppendStatistics(b, m)
	})
}

// restart rebuilds the machine over the same models with the same seed.
// Right after a load (no step taken, nothing failed) it changes nothing,
// as in GraphWalker.
func (s *Server) restart(b []byte) []byte {
	s.mu.Lock()
	if s.m == nil {
		s.mu.Unlock()
		return appendNok(b, msgNoModels)
	}
	if pristine(s.m) {
		s.mu.Unlock()
		return appendOK(b)
	}
	models, seed, gen := s.models, s.seed, s.gen
	s.mu.Unlock()

	m, err := s.build(models, seed)
	if err != nil {
		return appendNok(b, err.Error())
	}
	s.mu.Lock()
	if s.gen != gen {
		// A load or another restart replaced the machine meanwhile: that
		// one is fresh too, keep it.
		s.mu.Unlock()
		closeMachine(m)
		return appendOK(b)
	}
	old := s.swap(m, models, seed, "restart")
	s.mu.Unlock()
	closeMachine(old)
	s.log.Info("machine restarted", "seed", seed)
	return appendOK(b)
}

// pristine reports whether m is as built: no step taken, no model failed.
func pristine(m *machine.Machine) bool {
	if m.TotalSteps() > 0 {
		return false
	}
	for _, c := range m.Contexts() {
		if c.Status() != machine.NotExecuted {
			return false
		}
	}
	return true
}
