package record

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/script"
)

// Version is the record format this gw writes and the newest it reads.
const Version = 1

// GraphWalker is the GraphWalker version gw's walks are compatible with.
const GraphWalker = "4.3"

// The format, one JSON object per line, each with a "type":
//
//	{"type":"header","recordVersion":1,"gw":"0.1.0","graphwalker":"4.3","seed":42,
//	 "start":"2026-09-17T13:15:00.123456Z","service":"offline",
//	 "command":["gw","offline","--seed","42","-m","login.json","random(edge_coverage(100))"],
//	 "models":[{"name":"Login","digest":"sha256:…","generator":"random(edge_coverage(100))",
//	            "model":{…the model's GraphWalker JSON…}}]}
//	{"type":"step","n":1,"model":0,"id":"e0","name":"e_Init","visits":1,"t":0.4,"data":{"loggedIn":"false"}}
//	{"type":"setData","n":7,"text":"loggedIn = true;","t":12.5,"data":{"loggedIn":"true"}}
//	{"type":"setData","n":8,"text":"x = ;","error":"SyntaxError: …","t":13}
//	{"type":"fail","n":9,"model":0,"id":"n3","name":"v_Browse","text":"no cart icon","t":14.1}
//	{"type":"error","n":10,"model":0,"id":"e4","name":"e_Buy","visits":1,"entered":true,"text":"…","t":15}
//	{"type":"end","n":9,"verdict":"failed","reason":"…","t":16.2,"models":[…statistics…]}
//
// Step lines: n counts the steps of the whole run (from 1), model indexes
// the header's models, visits is the element's visit count after the step,
// t is milliseconds since start. data, when present, is the model's data
// after the step as GraphWalker shows it (getData); when absent it did not
// change (no action ran in that model since the last listing). A step whose
// data changed but was not listed — listings are kept under a share of the
// run's time, see Options.DataShare — has "dataSkipped":true, and the
// model's data is unknown from there to its next listing; "dataError"
// says why a listing failed (a limit).
//
// setData and fail lines have n = the steps taken when they happened;
// error lines have n = the number of the step that failed, and
// "entered":true when the machine had entered the element (visited it,
// its actions failed), so that a replay takes that step too.
//
// Verdicts: passed (every model completed), failed (a fail, an error, a
// FAILED model), stopped (the run ended before its models completed: the
// client left, a restart), limit (a limit cut the run; reason names it).

// Verdicts.
const (
	Passed  = "passed"
	Failed  = "failed"
	Stopped = "stopped"
	Limit   = "limit"
)

// KV is one data variable as GraphWalker shows it.
type KV = script.KV

// Data is a model's variables in definition order; it is written as a
// JSON object whose members keep that order.
type Data []KV

// MarshalJSON writes d as an object.
func (d Data) MarshalJSON() ([]byte, error) { return appendData(nil, d), nil }

// UnmarshalJSON reads an object of strings, keeping member order.
func (d *Data) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok == nil {
		*d = nil
		return nil
	}
	if delim, ok := tok.(json.Delim); !ok || delim != '{' {
		return errors.New("data is not an object")
	}
	out := Data{}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return err
		}
		var v string
		if err := dec.Decode(&v); err != nil {
			return fmt.Errorf("data %q: %w", k, err)
		}
		out = append(out, KV{Key: k.(string), Value: v})
	}
	*d = out
	return nil
}

// Header is a record's first line.
type Header struct {
	Type          string   `json:"type"`
	RecordVersion int      `json:"recordVersion"`
	GW            string   `json:"gw"`
	GraphWalker   string   `json:"graphwalker"`
	Seed          int64    `json:"seed"`
	Start         string   `json:"start"` // RFC 3339, UTC, microseconds
	Service       string   `json:"service"`
	Command       []string `json:"command,omitempty"`
	Client        string   `json:"client,omitempty"`
	Dialect       string   `json:"dialect,omitempty"`
	Source        string   `json:"source,omitempty"`
	// Output says how gw offline printed the steps, so that gw replay
	// prints them the same way.
	Output *Output      `json:"output,omitempty"`
	Models []ModelEntry `json:"models"`
}

// Output is how gw offline printed steps.
type Output struct {
	Verbose   bool `json:"verbose,omitempty"`
	Unvisited bool `json:"unvisited,omitempty"`
	// After: steps were printed after their actions ran (--gw), not
	// before.
	After bool `json:"after,omitempty"`
}

// ModelEntry is one model of the run, as walked (BLOCKED elements
// filtered, --start-element applied).
type ModelEntry struct {
	Name      string          `json:"name"`
	Digest    string          `json:"digest"`
	Generator string          `json:"generator"`
	Model     json.RawMessage `json:"model"`
}

// Requirement is a requirement's status at the end of a run.
type Requirement struct {
	Key    string `json:"key"`
	Status string `json:"status"` // NOT_COVERED, PASSED, FAILED
}

// ModelEnd is one model's statistics at the end of a run.
type ModelEnd struct {
	Name            string        `json:"name"`
	Status          string        `json:"status"` // NOT_EXECUTED, EXECUTING, COMPLETED, FAILED
	Vertices        int           `json:"vertices"`
	VisitedVertices int           `json:"visitedVertices"`
	Edges           int           `json:"edges"`
	VisitedEdges    int           `json:"visitedEdges"`
	Requirements    []Requirement `json:"requirements,omitempty"`
}

// End is a record's last line.
type End struct {
	Type    string     `json:"type"`
	N       int        `json:"n"`
	Verdict string     `json:"verdict"`
	Reason  string     `json:"reason,omitempty"`
	T       float64    `json:"t"`
	Models  []ModelEnd `json:"models"`
}

// Digest identifies a model's walkable content: its GraphWalker JSON
// without the generator, which a replay may change.
func Digest(m *model.Model) (string, error) {
	_, d, err := modelEntry(m)
	return d, err
}

// modelEntry is m's GraphWalker JSON object and its digest, from one
// marshalling (a large model takes milliseconds each time).
func modelEntry(m *model.Model) (json []byte, digest string, err error) {
	j, gen, err := gwjson.MarshalModel(m, gwjson.WriteOptions{EmptyModelName: true})
	if err != nil {
		return nil, "", err
	}
	h := sha256.New()
	h.Write([]byte(`{"models":[`))
	h.Write(j[:gen[0]])
	h.Write(j[gen[1]:])
	h.Write([]byte(`]}`))
	return j, "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}

// Entries describes models for a header.
func Entries(models []*model.Model) ([]ModelEntry, error) {
	out := make([]ModelEntry, len(models))
	for i, m := range models {
		j, d, err := modelEntry(m)
		if err != nil {
			return nil, fmt.Errorf("model %q: %w", m.Name, err)
		}
		out[i] = ModelEntry{Name: m.Name, Digest: d, Generator: m.Generator, Model: j}
	}
	return out, nil
}

// headerParts is h's line as encoding/json writes it, in pieces: each
// model's JSON (compact, from gwjson) is a piece of its own rather than
// scanned again by encoding/json (10 ms on a model of half a megabyte)
// or copied, so that the line can be written without another copy of
// the models.
func headerParts(h *Header) ([][]byte, error) {
	rest := *h
	rest.Models = nil
	b, err := json.Marshal(&rest)
	if err != nil {
		return nil, fmt.Errorf("record header: %w", err)
	}
	const null = `null}`
	if !bytes.HasSuffix(b, []byte(null)) { // Models is the last field
		return nil, fmt.Errorf("record header: unexpected encoding %.40q", b)
	}
	if h.Models == nil {
		return [][]byte{append(b, '\n')}, nil
	}
	b = append(b[:len(b)-len(null)], '[')
	var parts [][]byte
	for i, e := range h.Models {
		if i > 0 {
			b = append(b, ',')
		}
		model := e.Model
		e.Model = json.RawMessage(`0`)
		eb, err := json.Marshal(&e)
		if err != nil {
			return nil, fmt.Errorf("record header: %w", err)
		}
		const placeholder = `0}`
		b = append(b, eb[:len(eb)-len(placeholder)]...)
		if len(model) == 0 {
			model = json.RawMessage(`null`)
		}
		parts = append(parts, b, model)
		b = []byte{'}'}
	}
	return append(parts, append(b, "]}\n"...)), nil
}

// writeHeader writes h's line to f.
func writeHeader(f *file, h *Header) error {
	parts, err := headerParts(h)
	if err != nil {
		return err
	}
	for _, p := range parts {
		f.write(p)
	}
	return f.Err()
}
