package runreport

import (
	"bytes"
	_ "embed"
	"fmt"
	"html"
	"html/template"
	"io"
	"strings"

	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/record"
)

// HTMLOptions tune the HTML report.
type HTMLOptions struct {
	// Drawer draws each model; nil means SceneDrawer.
	Drawer Drawer
	// Title heads the page; "" means "gw run report".
	Title string
}

//go:embed report.html.tmpl
var pageTemplate string

var page = template.Must(template.New("page").Funcs(template.FuncMap{
	"num":     num,
	"pct":     pct,
	"ms":      millis,
	"verdict": verdictClass,
}).Parse(pageTemplate))

type htmlPage struct {
	Title  string
	Runs   []*htmlRun
	Merged []*htmlCoverage
}

type htmlRun struct {
	*Run
	ID       string
	Models   []*htmlModel
	Timeline template.HTML
	Failures []*htmlFailure
	Command  string
}

type htmlModel struct {
	*RunModel
	SVG          template.HTML
	Name         string
	VV, EV       int
	Reqs         []record.Requirement
	ReqPassed    int
	ReqFailed    int
	ReqUncovered int
}

type htmlFailure struct {
	*Failure
	Where string
	Steps []htmlStep
}

type htmlStep struct {
	N       int
	T       float64
	Model   string
	Element string
	ID      string
	Data    string
	Known   bool
	Note    string
	Failing bool
}

type htmlCoverage struct {
	*Coverage
	SVG        template.HTML
	Never      []string
	NeverCount int
	Total      int
}

// HTML writes one self-contained page (inline CSS and SVG, no script, no
// external reference) for the runs.
func HTML(w io.Writer, runs []*Run, o HTMLOptions) error {
	d := o.Drawer
	if d == nil {
		d = SceneDrawer{}
	}
	p := &htmlPage{Title: o.Title}
	if p.Title == "" {
		p.Title = "gw run report"
	}
	for i, run := range runs {
		hr := &htmlRun{Run: run, ID: fmt.Sprintf("r%d", i+1), Command: strings.Join(run.Header.Command, " ")}
		if hr.Command == "" && run.Header.Source != "" {
			hr.Command = run.Header.Service + ": " + run.Header.Source
		}
		for j, rm := range run.Models {
			svg, err := d.DrawSVG(rm.Model, rm.Visits, fmt.Sprintf("%s-m%d", hr.ID, j))
			if err != nil {
				return fmt.Errorf("drawing model %q: %w", rm.Model.Name, err)
			}
			hm := &htmlModel{RunModel: rm, SVG: template.HTML(svg), Name: modelName(rm.Model), VV: rm.VisitedVertices(), EV: rm.VisitedEdges(), Reqs: rm.Requirements}
			for _, r := range rm.Requirements {
				switch r.Status {
				case "PASSED":
					hm.ReqPassed++
				case "FAILED":
					hm.ReqFailed++
				default:
					hm.ReqUncovered++
				}
			}
			hr.Models = append(hr.Models, hm)
		}
		hr.Timeline = template.HTML(timelineSVG(run))
		for _, f := range run.Failures {
			hf := &htmlFailure{Failure: f, Where: run.Where(f.Model, f.Element)}
			for _, s := range f.Steps {
				m := run.Models[s.Model].Model
				hf.Steps = append(hf.Steps, htmlStep{N: s.N, T: s.T, Model: modelName(m), Element: elementName(m, s.Element), ID: m.ElementID(s.Element),
					Data: dataText(s.Data), Known: s.DataKnown, Note: s.Note, Failing: s.Note == "failed here"})
			}
			hr.Failures = append(hr.Failures, hf)
		}
		p.Runs = append(p.Runs, hr)
	}
	if len(runs) > 1 {
		for i, c := range Merge(runs) {
			svg, err := d.DrawSVG(c.Model, c.Visits, fmt.Sprintf("all-m%d", i))
			if err != nil {
				return fmt.Errorf("drawing model %q: %w", c.Model.Name, err)
			}
			hc := &htmlCoverage{Coverage: c, SVG: template.HTML(svg), Total: c.Model.NumElements()}
			never := c.NeverVisited()
			hc.NeverCount = len(never)
			for _, el := range never {
				hc.Never = append(hc.Never, c.Model.Describe(el))
			}
			p.Merged = append(p.Merged, hc)
		}
	}
	var b bytes.Buffer
	if err := page.Execute(&b, p); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

func modelName(m *model.Model) string {
	if m.Name == "" {
		return "(unnamed model " + m.ID + ")"
	}
	return m.Name
}

func elementName(m *model.Model, el model.Element) string {
	if n := m.ElementName(el); n != "" {
		return n
	}
	return "(unnamed)"
}

func dataText(d record.Data) string {
	var parts []string
	for _, kv := range d {
		parts = append(parts, kv.Key+" = "+kv.Value)
	}
	return strings.Join(parts, ", ")
}

// num writes an integer with thousands separators: 4,812.
func num(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + num(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func pct(part, whole int) string {
	if whole == 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f %%", 100*float64(part)/float64(whole))
}

func millis(ms float64) string {
	switch {
	case ms < 1000:
		return fmt.Sprintf("%.0f ms", ms)
	case ms < 60000:
		return fmt.Sprintf("%.2f s", ms/1000)
	default:
		return fmt.Sprintf("%dm%02ds", int(ms/60000), int(ms/1000)%60)
	}
}

func verdictClass(v string) string {
	switch v {
	case record.Passed:
		return "ok"
	case record.Failed, record.Limit:
		return "bad"
	}
	return "warn"
}

// timelineSVG draws the run's coverage over its steps, with its setData
// (blue) and failures (red).
func timelineSVG(run *Run) string {
	const w, h, pad = 760.0, 150.0, 34.0
	if run.Steps == 0 {
		return ""
	}
	n := float64(run.Steps)
	x := func(step int) float64 { return pad + (w-2*pad)*float64(step)/n }
	y := func(c float64) float64 { return h - pad + (2*pad-h)*c }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" role="img" aria-label="coverage over the run">`, w, h, w, h)
	fmt.Fprintf(&b, `<path d="M%.0f,%.0fH%.0fM%.0f,%.0fV%.0f" stroke="#9aa0a6" fill="none"/>`, pad, h-pad, w-pad, pad, h-pad, pad)
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" class="axis">100 %%</text><text x="%.0f" y="%.0f" class="axis">0</text>`, 2.0, pad+4, 2.0, h-pad+4)
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" class="axis" text-anchor="end">step %s</text>`, w-pad, h-8, num(run.Steps))
	for _, e := range run.Events {
		c, top := "#1a73e8", pad
		if e.Kind != "setData" {
			c, top = "#d93025", pad-8
		}
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.0f" y2="%.0f" stroke="%s" stroke-width="1.5"><title>%s after step %s: %s</title></line>`,
			x(e.N), x(e.N), top, h-pad, c, e.Kind, num(e.N), html.EscapeString(clipText(e.Text, 200)))
	}
	b.WriteString(`<polyline fill="none" stroke="#137333" stroke-width="2" points="`)
	fmt.Fprintf(&b, "%.1f,%.1f", x(0), y(0))
	for _, p := range run.Timeline {
		fmt.Fprintf(&b, " %.1f,%.1f", x(p.N), y(p.Coverage))
	}
	b.WriteString(`"/>`)
	if last := run.Timeline[len(run.Timeline)-1]; true {
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" class="axis" text-anchor="end">%.0f %% of the elements after %s</text>`, w-pad, y(last.Coverage)-6, 100*last.Coverage, millis(last.T))
	}
	b.WriteString(`</svg>`)
	return b.String()
}
