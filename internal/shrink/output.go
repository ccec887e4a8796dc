package shrink

import (
	"fmt"

	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/record"
	"github.com/gw-project/gw/internal/replay"
)

// WriteRecord writes the shrunk walk as a run record that gw replay runs:
// the walk is played on a recorded machine with its setData calls, the
// test's fail after the last step (for a fail), and the error it ends
// with (for an error that happens again).
func WriteRecord(rec *record.Record, res *Result, file string, mo machine.Options, gw string) error {
	p := &replay.Path{Source: rec.Path, Models: rec.Models, Seed: rec.Header.Seed, Steps: append([]replay.Loc(nil), res.Path...)}
	for _, me := range rec.Header.Models {
		p.Digests = append(p.Digests, me.Digest)
	}
	f, err := p.Force(rec.Models)
	if err != nil {
		return err
	}
	r := record.NewRun(record.Options{File: file, GW: gw, DataShare: -1, Required: true},
		record.Info{Service: "shrink", Source: fmt.Sprintf("gw shrink %s: %d of its %d steps", rec.Path, len(res.Path), res.Failure.Steps)})
	mo.Before, mo.Check = r.Hook(nil), nil
	mo.SkipReachabilityCheck = true
	f.Apply(&mo)
	m, err := machine.New(rec.Models, mo)
	if err != nil {
		return err
	}
	defer m.Close()
	if err := r.Start(m); err != nil {
		return err
	}
	apply := func(after int) {
		for _, sd := range res.SetData {
			if sd.After == after {
				r.Settle()
				err := m.Execute(sd.Text)
				r.Note("setData", sd.Text, err)
			}
		}
	}
	apply(0)
	var walkErr error
	for i := range res.Path {
		if _, walkErr = m.HasNext(); walkErr != nil {
			break
		}
		if _, walkErr = m.Next(); walkErr != nil {
			break
		}
		apply(i + 1)
	}
	if walkErr == nil && res.Failure.Kind == "fail" {
		r.Settle()
		m.Fail(res.Failure.Text)
		r.Note("fail", res.Failure.Text, nil)
	}
	r.Finish(walkErr)
	if _, err := record.ReadFile(file); err != nil {
		return fmt.Errorf("the shrunk record could not be written: %w", err)
	}
	return nil
}

// Models returns copies of the record's models that walk the shrunk walk
// in any GraphWalker client: each model's edges on the walk as its
// predefined path, the generator predefined_path(predefined_path), and
// the walk's first step as the start element. Models the walk has no
// edge in get random(length(0)), so that they end at once. A walk that
// crosses models at shared states is followed only as far as GraphWalker's
// (random) jumps agree; gw replay of the shrunk record is exact.
func Models(rec *record.Record, res *Result) ([]*model.Model, error) {
	b, err := gwjson.Marshal(rec.Models, gwjson.WriteOptions{EmptyModelName: true})
	if err != nil {
		return nil, err
	}
	doc, err := gwjson.ParseMessage(b, "shrunk")
	if err != nil {
		return nil, err
	}
	models := doc.Models
	for _, m := range models {
		m.PredefinedPath = nil
		m.StartElementID = ""
	}
	first := res.Path[0]
	models[first.Model].StartElementID = models[first.Model].ElementID(first.Element)
	for i, l := range res.Path {
		m := models[l.Model]
		if !m.IsEdge(l.Element) || i == 0 {
			continue // the first step, an edge or a vertex, is the start element
		}
		m.PredefinedPath = append(m.PredefinedPath, m.Edge(l.Element))
	}
	for _, m := range models {
		if len(m.PredefinedPath) > 0 {
			m.Generator = "predefined_path(predefined_path)"
		} else {
			m.Generator = "random(length(0))"
		}
	}
	return models, nil
}
