package runreport

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/record"
)

// ContextSteps is how many steps before a failure a report shows.
const ContextSteps = 10

// maxTimeline bounds the points of a run's timeline.
const maxTimeline = 1000

// Run is what a report says about one record.
type Run struct {
	Path     string
	Header   record.Header
	Verdict  string // a record verdict, or "unfinished" when the record has no end
	Reason   string
	Finished bool // the record has its end line
	Torn     bool // its last line was cut short
	Steps    int
	Millis   float64 // duration, from the end line or the last line
	SetData  int     // setData calls
	Models   []*RunModel
	Failures []*Failure
	Timeline []Point
	Events   []Mark // setData, fail and error, for the timeline (bounded)
}

// Unfinished is the verdict of a record without its end line (the process
// was killed or crashed).
const Unfinished = "unfinished"

// RunModel is one model of a run.
type RunModel struct {
	Index        int
	Model        *model.Model
	Digest       string
	Generator    string
	Status       string // from the end line; "" when unfinished
	Visits       []int  // per element
	Steps        int    // steps taken in this model
	Requirements []record.Requirement
}

// VisitedVertices counts the vertices visited at least once.
func (m *RunModel) VisitedVertices() int { return countVisited(m.Visits[:len(m.Model.Vertices)]) }

// VisitedEdges counts the edges visited at least once.
func (m *RunModel) VisitedEdges() int { return countVisited(m.Visits[len(m.Model.Vertices):]) }

func countVisited(v []int) int {
	n := 0
	for _, x := range v {
		if x > 0 {
			n++
		}
	}
	return n
}

// Failure is a fail or an error, with the steps that led to it.
type Failure struct {
	Kind    string // "fail" or "error"
	N       int    // the step it followed ("fail") or failed at ("error")
	Model   int    // -1 when it names no model
	Element model.Element
	Entered bool // the failing step's element was entered (its actions failed)
	Text    string
	Steps   []ContextStep // up to ContextSteps steps before it, oldest first
}

// ContextStep is a step shown before a failure, with the data after it.
type ContextStep struct {
	N       int
	Model   int
	Element model.Element
	T       float64
	Data    record.Data
	// DataKnown is false when the recorder skipped the listing (the data
	// may have changed; gw replay --verbose shows it).
	DataKnown bool
	Note      string // a setData made after this step
}

// Point is one point of a timeline: the share of all elements visited
// after step N.
type Point struct {
	N        int
	T        float64
	Coverage float64 // 0..1
}

// Mark is a setData, fail or error on the timeline.
type Mark struct {
	Kind string
	N    int
	Text string
}

// Summarize reads one record as a stream.
func Summarize(path string) (*Run, error) { return SummarizeWith(path, record.ReadOptions{}) }

// SummarizeWith is Summarize with the reader's limits.
func SummarizeWith(path string, o record.ReadOptions) (*Run, error) {
	r, err := record.OpenWith(path, o)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return summarize(r)
}

// SummarizeReader is Summarize on an open record.
func SummarizeReader(rd io.Reader, name string) (*Run, error) {
	r, err := record.NewReader(rd, name)
	if err != nil {
		return nil, err
	}
	return summarize(r)
}

type dataState struct {
	data  record.Data
	known bool
}

func summarize(r *record.Reader) (*Run, error) {
	run := &Run{Path: r.Path, Header: r.Header}
	total := 0
	for i, m := range r.Models {
		run.Models = append(run.Models, &RunModel{Index: i, Model: m, Digest: r.Header.Models[i].Digest,
			Generator: r.Header.Models[i].Generator, Visits: make([]int, m.NumElements())})
		total += m.NumElements()
	}
	data := make([]dataState, len(r.Models))
	var last [ContextSteps]ContextStep // ring of the last steps
	nLast := 0
	distinct := 0
	stride := 1
	derived := newDerived(run.Models)
	for {
		l, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch l.Type {
		case "step":
			rm := run.Models[l.Model]
			if rm.Visits[l.Element] == 0 {
				distinct++
			}
			rm.Visits[l.Element]++
			rm.Steps++
			run.Steps++
			run.Millis = l.T
			d := &data[l.Model]
			switch {
			case l.HasData:
				d.data, d.known = l.Data, true
			case l.DataSkipped || l.DataError != "":
				d.known = false
			}
			last[nLast%ContextSteps] = ContextStep{N: l.N, Model: l.Model, Element: l.Element, T: l.T, Data: d.data, DataKnown: d.known}
			nLast++
			derived.step(l.Model, l.Element)
			if run.Steps%stride == 0 {
				run.Timeline = append(run.Timeline, Point{N: l.N, T: l.T, Coverage: float64(distinct) / float64(max(total, 1))})
				if len(run.Timeline) >= maxTimeline {
					run.Timeline = thin(run.Timeline)
					stride *= 2
				}
			}
		case "setData":
			run.SetData++
			run.Millis = l.T
			if l.HasData {
				if cur := lastModel(last[:], nLast); cur >= 0 {
					data[cur] = dataState{l.Data, true}
				}
			}
			if nLast > 0 {
				c := &last[(nLast-1)%ContextSteps]
				if c.N == l.N {
					if c.Note != "" {
						c.Note += "; "
					}
					c.Note += "setData: " + l.Text
					if l.HasData {
						c.Data, c.DataKnown = l.Data, true
					}
				}
			}
			run.mark(l)
		case "fail", "error":
			run.Millis = l.T
			f := &Failure{Kind: l.Type, N: l.N, Model: l.Model, Element: l.Element, Entered: l.Entered, Text: l.Text}
			for i := max(0, nLast-ContextSteps); i < nLast; i++ {
				f.Steps = append(f.Steps, last[i%ContextSteps])
			}
			if l.Entered && l.Model >= 0 {
				d := data[l.Model]
				if l.HasData {
					d = dataState{l.Data, true}
				}
				f.Steps = append(f.Steps, ContextStep{N: l.N, Model: l.Model, Element: l.Element, T: l.T, Data: d.data, DataKnown: d.known, Note: "failed here"})
				run.Models[l.Model].Visits[l.Element]++
			}
			run.Failures = append(run.Failures, f)
			derived.fail(l.Model, l.Element)
			run.mark(l)
		case "end":
			run.Finished = true
			run.Verdict, run.Reason = l.End.Verdict, l.End.Reason
			run.Millis = l.End.T
			for i, me := range l.End.Models {
				if i < len(run.Models) {
					run.Models[i].Status = me.Status
					run.Models[i].Requirements = me.Requirements
				}
			}
		}
	}
	run.Torn = r.Torn
	if !run.Finished {
		run.Verdict = Unfinished
		run.Reason = "the record has no end line: the process was killed or crashed"
		if run.Torn {
			run.Reason += " (its last line was cut short)"
		}
		for i, rm := range run.Models {
			rm.Requirements = derived.requirements(i)
		}
	}
	if n := len(run.Timeline); run.Steps > 0 && (n == 0 || run.Timeline[n-1].N != run.Steps) {
		run.Timeline = append(run.Timeline, Point{N: run.Steps, T: run.Millis, Coverage: float64(distinct) / float64(max(total, 1))})
	}
	return run, nil
}

const maxMarks = 200

func (run *Run) mark(l record.Line) {
	if len(run.Events) < maxMarks || l.Type != "setData" {
		run.Events = append(run.Events, Mark{Kind: l.Type, N: l.N, Text: l.Text})
	}
}

func lastModel(last []ContextStep, n int) int {
	if n == 0 {
		return -1
	}
	return last[(n-1)%len(last)].Model
}

func thin(p []Point) []Point {
	out := p[:0]
	for i := 1; i < len(p); i += 2 {
		out = append(out, p[i])
	}
	return out
}

// derived keeps requirement statuses for a record without an end line,
// by the machine's rules: a vertex's requirements pass when it is
// visited, an edge's when the vertex after it is; a failure fails the
// element's (and the edge's before it).
type derived struct {
	models []*RunModel
	status [][]string // per model, per element requirement index
	last   []model.Element
	prev   []model.Element
}

func newDerived(models []*RunModel) *derived {
	d := &derived{models: models}
	for _, rm := range models {
		d.last = append(d.last, model.None)
		d.prev = append(d.prev, model.None)
		d.status = append(d.status, make([]string, rm.Model.NumElements()))
	}
	return d
}

func (d *derived) step(k int, el model.Element) {
	m := d.models[k].Model
	if m.IsVertex(el) {
		d.status[k][el] = "PASSED"
		if last := d.last[k]; m.IsEdge(last) {
			d.status[k][last] = "PASSED"
		}
	}
	d.prev[k], d.last[k] = d.last[k], el
}

func (d *derived) fail(k int, el model.Element) {
	if k < 0 || el == model.None {
		return
	}
	m := d.models[k].Model
	d.status[k][el] = "FAILED"
	before := d.last[k]
	if before == el {
		before = d.prev[k]
	}
	if m.IsEdge(before) {
		d.status[k][before] = "FAILED"
	}
}

func (d *derived) requirements(k int) []record.Requirement {
	m := d.models[k].Model
	var out []record.Requirement
	for el := range m.NumElements() {
		for _, r := range m.ElementRequirements(el) {
			s := d.status[k][el]
			if s == "" {
				s = "NOT_COVERED"
			}
			out = append(out, record.Requirement{Key: r, Status: s})
		}
	}
	for _, r := range m.Requirements {
		out = append(out, record.Requirement{Key: r, Status: "NOT_COVERED"})
	}
	return out
}

// Coverage is one model's coverage merged over several runs.
type Coverage struct {
	Name   string
	Digest string
	Model  *model.Model
	Runs   int   // runs that walked it
	Visits []int // per element, summed
	// NotCovered lists the requirements no run covered.
	NotCovered []string
	// Failed lists the requirements some run failed.
	Failed []string
	// Label names the model in a report: its name, and its digest when
	// runs walked several versions of a model of that name.
	Label string
}

// NeverVisited lists the elements no run visited, in element order.
func (c *Coverage) NeverVisited() []model.Element {
	var out []model.Element
	for el, v := range c.Visits {
		if v == 0 {
			out = append(out, el)
		}
	}
	return out
}

// Merge merges the runs' coverage per model (same name and digest).
func Merge(runs []*Run) []*Coverage {
	var out []*Coverage
	byKey := map[string]*Coverage{}
	reqs := map[*Coverage]map[string]string{}
	for _, run := range runs {
		for _, rm := range run.Models {
			key := rm.Model.Name + "\x00" + rm.Digest
			c := byKey[key]
			if c == nil {
				c = &Coverage{Name: rm.Model.Name, Digest: rm.Digest, Model: rm.Model, Visits: make([]int, len(rm.Visits))}
				byKey[key] = c
				reqs[c] = map[string]string{}
				out = append(out, c)
			}
			c.Runs++
			for el, v := range rm.Visits {
				c.Visits[el] += v
			}
			for _, r := range rm.Requirements {
				old := reqs[c][r.Key]
				switch {
				case r.Status == "FAILED" || old == "FAILED":
					reqs[c][r.Key] = "FAILED"
				case r.Status == "PASSED" || old == "PASSED":
					reqs[c][r.Key] = "PASSED"
				default:
					reqs[c][r.Key] = "NOT_COVERED"
				}
			}
		}
	}
	names := map[string]int{}
	for _, c := range out {
		names[c.Name]++
	}
	for _, c := range out {
		c.Label = modelName(c.Model)
		if names[c.Name] > 1 {
			c.Label += " (" + strings.TrimPrefix(c.Digest, "sha256:")[:12] + ")"
		}
		for k, s := range reqs[c] {
			switch s {
			case "NOT_COVERED":
				c.NotCovered = append(c.NotCovered, k)
			case "FAILED":
				c.Failed = append(c.Failed, k)
			}
		}
		sort.Strings(c.NotCovered)
		sort.Strings(c.Failed)
	}
	return out
}

// Where names a failure's place: `vertex "v_Browse" (id n3) in model "Shop"`.
func (run *Run) Where(k int, el model.Element) string {
	if k < 0 || k >= len(run.Models) || el == model.None {
		return "no element"
	}
	m := run.Models[k].Model
	return fmt.Sprintf("%s in model %q", m.Describe(el), m.Name)
}

// Online reports whether the record comes from gw online.
func (run *Run) Online() bool {
	s := run.Header.Service
	return s == "websocket" || s == "rest" || s == "mcp"
}

// ReplayCommand is the command that walks the run again.
func (run *Run) ReplayCommand() string {
	q := shellQuote(run.Path)
	if run.Online() {
		flag := ""
		if run.Header.Service == "rest" {
			flag = " --service RESTFUL"
		}
		return "gw online" + flag + " --replay " + q + "   # then run your test; or print the path: gw replay " + q
	}
	return "gw replay " + q
}

// ShrinkCommand is the command that shrinks a failed run.
func (run *Run) ShrinkCommand() string { return "gw shrink " + shellQuote(run.Path) }

// Name is a short name for the run: its file's base name.
func (run *Run) Name() string { return strings.TrimSuffix(filepath.Base(run.Path), ".jsonl") }

func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:+=@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
