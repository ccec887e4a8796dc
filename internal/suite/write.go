package suite

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gw-project/gw/internal/algorithm"
	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/jsonx"
	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/report"
)

// CaseName names case i (from 0) in file names and model ids: case-001,
// padded to the width of the number of cases (at least 3 digits).
func (s *Suite) CaseName(i int) string {
	width := max(3, len(fmt.Sprint(len(s.Cases))))
	return fmt.Sprintf("case-%0*d", width, i+1)
}

// coverJSON renders target t for the "covers" list.
func (s *Suite) coverJSON(t int) *jsonx.Object {
	tg := s.Targets[t]
	var o jsonx.Object
	if s.Options.Cover == Requirements {
		return o.Str("requirement", tg.Key)
	}
	m := s.Models[tg.Elements[0].Model]
	o.Str("modelName", report.BaseName(m.Name))
	if len(tg.Elements) == 1 {
		el := tg.Elements[0].Element
		return o.Str("id", m.ElementID(el)).Str("name", m.ElementName(el))
	}
	var ids, names jsonx.Array
	for _, l := range tg.Elements {
		ids.Str(m.ElementID(l.Element))
		names.Str(m.ElementName(l.Element))
	}
	return o.Arr("ids", &ids).Arr("names", &names)
}

// WriteJSONL writes one JSON object per line and case: its number, its
// length in steps, the targets it is the first to cover, and its steps as
// `gw offline` prints them.
func (s *Suite) WriteJSONL(w io.Writer) error {
	var b []byte
	for i, c := range s.Cases {
		var covers, steps jsonx.Array
		for _, t := range c.Covers {
			covers.Obj(s.coverJSON(t))
		}
		for _, st := range c.JSON {
			steps.Raw(st)
		}
		var o jsonx.Object
		o.Int("case", int64(i+1)).Int("length", int64(len(c.Steps))).Arr("covers", &covers).Arr("steps", &steps)
		b = append(o.AppendTo(b[:0]), '\n')
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// GraphWalkerModels are the models of a GraphWalker file that runs the
// given cases (all when cases is nil), one after another: per case, a copy
// of each model it walks, per segment between shared-state jumps, with
// the segment's first element as start element, its edges as
// predefinedPathEdgeIds and the generator predefined_path(predefined_path).
// The copies keep their model's name (AltWalker finds the test class by
// it) and have no shared states.
func (s *Suite) GraphWalkerModels(cases []int) []*model.Model {
	if cases == nil {
		for i := range s.Cases {
			cases = append(cases, i)
		}
	}
	sim := newSimulator(s)
	var out []*model.Model
	for _, i := range cases {
		ms, _ := sim.copies(s.Cases[i].Steps, s.CaseName(i))
		out = append(out, ms...)
	}
	return out
}

// WriteGraphWalker writes the GraphWalker JSON file of the cases (all when
// nil); `gw offline --gw FILE`, `gw online` and GraphWalker run it.
func (s *Suite) WriteGraphWalker(w io.Writer, cases []int) error {
	return gwjson.Write(w, s.GraphWalkerModels(cases), gwjson.WriteOptions{})
}

// altStep is a step of an AltWalker step file, as `altwalker offline`
// writes it (keys sorted).
type altStep struct {
	Actions   []string `json:"actions,omitempty"`
	ID        string   `json:"id"`
	ModelName string   `json:"modelName"`
	Name      string   `json:"name"`
}

// WriteAltWalker writes the cases (all when nil), one after another, as
// the JSON step list `altwalker walk TESTS STEPS_FILE` runs.
func (s *Suite) WriteAltWalker(w io.Writer, cases []int) error {
	if cases == nil {
		for i := range s.Cases {
			cases = append(cases, i)
		}
	}
	steps := []altStep{}
	for _, i := range cases {
		for _, l := range s.Cases[i].Steps {
			m := s.Models[l.Model]
			steps = append(steps, altStep{Actions: m.ElementActions(l.Element), ID: m.ElementID(l.Element),
				ModelName: report.BaseName(m.Name), Name: m.ElementName(l.Element)})
		}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "    ")
	if err := enc.Encode(steps); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// WriteMarkdown writes a table of the cases for people.
func (s *Suite) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "| case | steps | covers | path |\n|---:|---:|---|---|\n")
	for i, c := range s.Cases {
		var covers []string
		for _, t := range c.Covers {
			covers = append(covers, s.shortName(t))
		}
		var path []string
		for _, l := range c.Steps {
			path = append(path, s.elementName(l))
		}
		fmt.Fprintf(&b, "| %d | %d | %s | %s |\n", i+1, len(c.Steps), mdEscape(strings.Join(covers, ", ")), mdEscape(strings.Join(path, " → ")))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ").Replace(s)
}

// elementName is an element's name, or its id in brackets when it has
// none; with several models, prefixed by the model's name.
func (s *Suite) elementName(l algorithm.Loc) string {
	m := s.Models[l.Model]
	n := m.ElementName(l.Element)
	if n == "" {
		n = "[" + m.ElementID(l.Element) + "]"
	}
	if len(s.Models) > 1 {
		n = report.BaseName(m.Name) + "." + n
	}
	return n
}

func (s *Suite) shortName(t int) string {
	tg := s.Targets[t]
	if s.Options.Cover == Requirements {
		return tg.Key
	}
	var parts []string
	for _, l := range tg.Elements {
		parts = append(parts, s.elementName(l))
	}
	return strings.Join(parts, " ")
}

// Objective words what the suite minimises, within which bounds.
func (o Options) Objective() string {
	w := "fewest steps"
	if o.MinimizeCases {
		w = "fewest cases, then fewest steps"
	}
	if o.ResetCost > 0 {
		w += fmt.Sprintf(", reset cost %d", o.ResetCost)
	}
	if o.MaxLength > 0 {
		w += fmt.Sprintf(", at most %d steps per case", o.MaxLength)
	}
	return w
}

// WriteSummary writes what people want to know about a suite: cases,
// steps, coverage, the lower bounds and the gap to them, and what no case
// covers, with why.
func (s *Suite) WriteSummary(w io.Writer) error {
	var b strings.Builder
	o := s.Options
	fmt.Fprintf(&b, "suite: %s, %s (%s); planned in %s\n", plural(len(s.Cases), "case"), plural(s.Steps, "step"), o.Objective(), roundDuration(s.Elapsed))
	fmt.Fprintf(&b, "covers %d of %d %s\n", s.Covered(), len(s.Targets), o.Cover)
	cost, what := s.Steps, "steps"
	if o.ResetCost > 0 {
		cost, what = s.Cost(), fmt.Sprintf("(steps + %d per case)", o.ResetCost)
	}
	verdict := "heuristic"
	if s.Exact {
		verdict = "optimal"
	}
	switch {
	case len(s.Missed) > 0:
		fmt.Fprintf(&b, "lower bound, were everything covered: %s, %d %s\n", plural(s.CaseBound, "case"), s.CostBound, what)
	case o.MinimizeCases:
		fmt.Fprintf(&b, "lower bound: %s (gap %d), %d %s (gap %d, %s): %s\n",
			plural(s.CaseBound, "case"), len(s.Cases)-s.CaseBound, s.CostBound, what, cost-s.CostBound, gapPercent(cost, s.CostBound), verdict)
	default:
		fmt.Fprintf(&b, "lower bound: %d %s (gap %d, %s): %s; no suite has fewer than %s\n",
			s.CostBound, what, cost-s.CostBound, gapPercent(cost, s.CostBound), verdict, plural(s.CaseBound, "case"))
	}
	if s.Replans > 0 {
		fmt.Fprintf(&b, "guards: %d re-plans (the bounds ignore guards)\n", s.Replans)
	}
	if len(s.Missed) > 0 {
		fmt.Fprintf(&b, "not covered: %d of %d %s:\n", len(s.Missed), len(s.Targets), o.Cover)
		for i, m := range s.Missed {
			if i == 50 {
				fmt.Fprintf(&b, "  and %d more\n", len(s.Missed)-50)
				break
			}
			fmt.Fprintf(&b, "  %s: %s\n", s.Describe(m.Target), m.Reason)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func gapPercent(got, bound int) string {
	if bound <= 0 {
		return "0 %"
	}
	return fmt.Sprintf("%.1f %%", 100*float64(got-bound)/float64(bound))
}

func roundDuration(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
