package draw

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/gw-project/gw/internal/layout"
)

// Colours of the drawing; visited elements go from visitLow (once) to
// visitHigh (the most visited) on a logarithmic scale.
const (
	colourUnvisited = "#d62728"
	colourCurrent   = "#ff7f0e"
)

var (
	visitLow  = [3]float64{0xc7, 0xe9, 0xc0}
	visitHigh = [3]float64{0x00, 0x6d, 0x2c}
)

// style is the SVG's embedded stylesheet. Classes: v (vertex), e (edge),
// start, shared, blocked, unvisited, current.
const style = `
.title{font-size:1.3em;font-weight:bold;fill:#222}
.note,.legend{fill:#555}
.v rect.box{fill:#eef3fb;stroke:#4a6fa5;stroke-width:1.2}
.v text{fill:#111;text-anchor:middle}
.v.shared rect.box{stroke:#7b3fa0;stroke-width:2}
.v.blocked rect.box,.e.blocked path.line{stroke:#888;stroke-dasharray:4 3}
.v.blocked rect.box{fill:url(#hatch)}
.v rect.ring{fill:none;stroke:#2ca02c;stroke-width:2}
.e path.line{fill:none;stroke:#555;stroke-width:1.3}
.e path.head{fill:#555;stroke:none}
.e.start path.line{stroke-width:2.5}
.e circle.dot{fill:#222}
.e text{fill:#333;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
.visits .v rect.box{fill:#fff}
.visits .v.unvisited rect.box{stroke:` + colourUnvisited + `;stroke-width:2;stroke-dasharray:5 3}
.visits .v.unvisited text,.visits .e.unvisited text{fill:` + colourUnvisited + `}
.visits .e.unvisited path.line{stroke:` + colourUnvisited + `;stroke-dasharray:5 3}
.visits .e.unvisited path.head{fill:` + colourUnvisited + `}
.v.current rect.box{stroke:` + colourCurrent + `;stroke-width:4;stroke-dasharray:none}
.e.current path.line{stroke:` + colourCurrent + `;stroke-width:4;stroke-dasharray:none}
.e.current path.head{fill:` + colourCurrent + `}
`

// svgWriter writes numbers and escaped text; the first error sticks.
type svgWriter struct {
	w   *bufio.Writer
	err error
	num []byte
}

func (s *svgWriter) str(parts ...string) {
	for _, p := range parts {
		if s.err == nil {
			_, s.err = s.w.WriteString(p)
		}
	}
}

func (s *svgWriter) f(v float64) {
	s.num = strconv.AppendFloat(s.num[:0], math.Round(v*10)/10, 'f', -1, 64)
	if s.err == nil {
		_, s.err = s.w.Write(s.num)
	}
}

// text writes t escaped for XML; characters XML cannot hold become U+FFFD.
func (s *svgWriter) text(t string) {
	if s.err == nil {
		s.err = xml.EscapeText(s.w, []byte(t))
	}
}

// attr writes ` name="value"` with value escaped.
func (s *svgWriter) attr(name, value string) {
	s.str(" ", name, `="`)
	s.text(value)
	s.str(`"`)
}

func (s *svgWriter) num2(name string, v float64) {
	s.str(" ", name, `="`)
	s.f(v)
	s.str(`"`)
}

const (
	sectionHeader = 34.0 // model title and note above each drawing
	legendHeight  = 28.0
)

// WriteSVG writes the scene as one standalone SVG document: a legend, then
// a section per model, top to bottom. Every element is a <g> with an id
// ("m0-v3": model 0, vertex 3; "m0-e2": edge 2), a data-id with the
// model's element id, and a <title> tooltip with its name, guard, actions,
// requirements and visit count.
func (sc *Scene) WriteSVG(w io.Writer) error {
	s := &svgWriter{w: bufio.NewWriterSize(w, 64<<10)}
	visits := false
	for _, m := range sc.Models {
		visits = visits || m.Visits != nil
	}
	var legend bytes.Buffer
	lw := &svgWriter{w: bufio.NewWriter(&legend)}
	width, height := sc.legend(lw, visits), legendHeight
	lw.w.Flush()
	for _, m := range sc.Models {
		width = math.Max(width, m.Width)
		height += sectionHeader + m.Height
	}
	s.str(`<?xml version="1.0" encoding="UTF-8"?>`, "\n", `<svg xmlns="http://www.w3.org/2000/svg"`)
	s.num2("width", width)
	s.num2("height", height)
	s.str(` viewBox="0 0 `)
	s.f(width)
	s.str(" ")
	s.f(height)
	s.str(`" font-family="Helvetica, Arial, sans-serif"`)
	s.num2("font-size", sc.FontSize)
	s.str(">\n<title>")
	names := make([]string, len(sc.Models))
	for i, m := range sc.Models {
		names[i] = m.Name
	}
	s.text("gw draw: " + strings.Join(names, ", "))
	s.str("</title>\n<style>", style, "</style>\n")
	s.str(`<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#f2f2f2"/><line x1="0" y1="0" x2="0" y2="6" stroke="#bbb" stroke-width="2"/></pattern></defs>`, "\n")
	s.str(legend.String())
	y := legendHeight
	for mi := range sc.Models {
		sc.section(s, mi, y)
		y += sectionHeader + sc.Models[mi].Height
	}
	s.str("</svg>\n")
	if s.err != nil {
		return s.err
	}
	return s.w.Flush()
}

// legend writes the key of the marks and returns how wide it is.
func (sc *Scene) legend(s *svgWriter, visits bool) float64 {
	fs := sc.FontSize
	s.str(`<g class="legend">`)
	x := 10.0
	item := func(class, label string) {
		s.str(`<g class="v `, class, `"><rect class="box"`)
		s.num2("x", x)
		s.num2("y", 6)
		s.num2("width", 26)
		s.num2("height", fs+4)
		if class == "shared" {
			s.num2("rx", (fs+4)/2)
		} else {
			s.num2("rx", 3)
		}
		s.str(`/></g><text class="legend"`)
		s.num2("x", x+31)
		s.num2("y", 8+fs)
		s.str(">")
		s.text(label)
		s.str("</text>")
		x += 31 + layout.TextWidth(label, fs) + 18
	}
	if visits {
		s.str(`<g class="visits">`)
		item("unvisited", "unvisited")
		s.str(`</g>`)
		for _, k := range []float64{0, 1} {
			s.str(`<rect`)
			s.num2("x", x)
			s.num2("y", 6)
			s.num2("width", 26)
			s.num2("height", fs+4)
			s.attr("fill", scale(k))
			s.str(` stroke="#4a6fa5"/><text class="legend"`)
			s.num2("x", x+31)
			s.num2("y", 8+fs)
			label := "visited once"
			if k == 1 {
				label = "most visited"
			}
			s.str(">")
			s.text(label)
			s.str("</text>")
			x += 31 + layout.TextWidth(label, fs) + 18
		}
		item("current", "current")
	}
	item("shared", "shared state")
	item("blocked", "BLOCKED")
	s.str(`<rect class="ring" fill="none" stroke="#2ca02c" stroke-width="2"`)
	s.num2("x", x)
	s.num2("y", 6)
	s.num2("width", 26)
	s.num2("height", fs+4)
	s.str(`/><text class="legend"`)
	s.num2("x", x+31)
	s.num2("y", 8+fs)
	s.str(">start element</text></g>\n")
	return x + 31 + layout.TextWidth("start element", fs) + 10
}

// scale is the colour of a visited element at k in [0,1] of the scale.
func scale(k float64) string {
	var c [3]int
	for i := range c {
		c[i] = int(math.Round(visitLow[i] + (visitHigh[i]-visitLow[i])*k))
	}
	return fmt.Sprintf("#%02x%02x%02x", c[0], c[1], c[2])
}

// visitLevel places count on a logarithmic scale from 0 (once) to 1 (max).
func visitLevel(count, max int) float64 {
	if max <= 1 {
		return 0
	}
	return math.Log(float64(count)) / math.Log(float64(max))
}

func (sc *Scene) section(s *svgWriter, mi int, y float64) {
	m := &sc.Models[mi]
	fs := sc.FontSize
	class := "model"
	if m.Visits != nil {
		class += " visits"
	}
	s.str(`<g`)
	s.attr("class", class)
	s.attr("id", fmt.Sprintf("m%d", mi))
	s.attr("data-id", m.ID)
	s.str(` transform="translate(0,`)
	s.f(y)
	s.str(`)">`, "\n", `<text class="title" x="10"`)
	s.num2("y", fs*1.5)
	s.str(">")
	s.text(m.Name)
	s.str(`</text><text class="note"`)
	s.num2("x", 10)
	s.num2("y", fs*2.6)
	s.str(">")
	info := fmt.Sprintf("%d vertices, %d edges; layout: %s", len(m.Vertices), len(m.Edges), m.Layout)
	if m.Visits != nil {
		unvisited := 0
		for _, c := range m.Visits {
			if c == 0 {
				unvisited++
			}
		}
		info += fmt.Sprintf("; %d of %d elements unvisited", unvisited, len(m.Visits))
	}
	if m.Note != "" {
		info += " (" + m.Note + ")"
	}
	s.text(info)
	s.str("</text>\n<g")
	s.str(` transform="translate(0,`)
	s.f(sectionHeader)
	s.str(`)">`, "\n")
	nv := len(m.Vertices)
	for j := range m.Edges {
		sc.edge(s, mi, j, nv)
	}
	for i := range m.Vertices {
		sc.vertex(s, mi, i)
	}
	s.str("</g></g>\n")
}

// visitClass is the class of element el, and the inline colour of a
// visited element that is not current (the current one keeps the class's
// colour) with whether that colour is dark.
func (m *SceneModel) visitClass(el int, edge bool) (class, colour string, dark bool) {
	if el == m.Current {
		class = " current"
	}
	if m.Visits == nil {
		return class, "", false
	}
	c := m.Visits[el]
	if c == 0 {
		return class + " unvisited", "", false
	}
	if el == m.Current {
		return class + " visited", "", false
	}
	colour, dark = VisitColour(c, m.MaxVisits, edge)
	return class + " visited", colour, dark
}

// VisitColour is the colour of an element visited count (≥ 1) times when
// its model's most visited element was visited max times, and whether it
// is dark (text on it is white). The scale is logarithmic, k =
// ln(count)/ln(max) (0 when max is 1), from #c7e9c0 at k = 0 to #006d2c at
// k = 1, interpolated per RGB channel; edges, thin lines, use k' = 0.35 +
// 0.65 k. Unvisited elements are #d62728 and dashed, the current one
// #ff7f0e. A page drawing the layout JSON can compute the same colours.
func VisitColour(count, max int, edge bool) (colour string, dark bool) {
	k := visitLevel(count, max)
	if edge {
		k = 0.35 + 0.65*k
	}
	return scale(k), k > 0.55
}

func (sc *Scene) vertex(s *svgWriter, mi, i int) {
	m := &sc.Models[mi]
	v := &m.Vertices[i]
	class := "v"
	if i == m.Start {
		class += " start"
	}
	if v.Shared != "" {
		class += " shared"
	}
	if v.Blocked {
		class += " blocked"
	}
	vc, colour, dark := m.visitClass(i, false)
	class += vc
	s.str("<g")
	s.attr("class", class)
	s.attr("id", fmt.Sprintf("m%d-v%d", mi, i))
	s.attr("data-id", v.ID)
	s.str("><title>")
	var tip strings.Builder
	tip.WriteString(nameOr(v.Name, "unnamed vertex"))
	fmt.Fprintf(&tip, "\nid: %s", v.ID)
	if i == m.Start {
		tip.WriteString("\nstart element")
	}
	if v.Shared != "" {
		fmt.Fprintf(&tip, "\nshared state: %s", v.Shared)
	}
	if v.Blocked {
		tip.WriteString("\nBLOCKED")
	}
	if len(v.Actions) > 0 {
		fmt.Fprintf(&tip, "\nINIT: %s", strings.Join(v.Actions, " "))
	}
	if len(v.Requirements) > 0 {
		fmt.Fprintf(&tip, "\nrequirements: %s", strings.Join(v.Requirements, ", "))
	}
	if m.Visits != nil {
		fmt.Fprintf(&tip, "\nvisits: %d", m.Visits[i])
	}
	s.text(tip.String())
	s.str("</title>")
	if i == m.Start {
		s.str(`<rect class="ring"`)
		s.num2("x", v.X-3)
		s.num2("y", v.Y-3)
		s.num2("width", v.W+6)
		s.num2("height", v.H+6)
		s.num2("rx", 6)
		s.str("/>")
	}
	s.str(`<rect class="box"`)
	s.num2("x", v.X)
	s.num2("y", v.Y)
	s.num2("width", v.W)
	s.num2("height", v.H)
	if v.Shared != "" {
		s.num2("rx", v.H/2)
	} else {
		s.num2("rx", 4)
	}
	if colour != "" {
		s.attr("style", "fill:"+colour)
	}
	s.str(`/><text`)
	if dark {
		s.str(` style="fill:#fff"`)
	}
	s.num2("x", v.X+v.W/2)
	s.num2("y", v.Y+v.H/2+0.35*sc.FontSize)
	s.str(">")
	s.text(v.Label)
	s.str("</text></g>\n")
}

func nameOr(name, alt string) string {
	if name == "" {
		return alt
	}
	return name
}

func (sc *Scene) edge(s *svgWriter, mi, j, nv int) {
	m := &sc.Models[mi]
	e := &m.Edges[j]
	if len(e.Path) < 8 {
		return // no target: nothing to draw
	}
	el := nv + j
	class := "e"
	if el == m.Start {
		class += " start"
	}
	if e.Blocked {
		class += " blocked"
	}
	vc, colour, _ := m.visitClass(el, true)
	class += vc
	s.str("<g")
	s.attr("class", class)
	s.attr("id", fmt.Sprintf("m%d-e%d", mi, j))
	s.attr("data-id", e.ID)
	s.str("><title>")
	var tip strings.Builder
	tip.WriteString(nameOr(e.Name, "unnamed edge"))
	fmt.Fprintf(&tip, "\nid: %s", e.ID)
	if el == m.Start {
		tip.WriteString("\nstart element")
	}
	if e.Blocked {
		tip.WriteString("\nBLOCKED")
	}
	if e.Guard != "" {
		fmt.Fprintf(&tip, "\n[%s]", e.Guard)
	}
	if len(e.Actions) > 0 {
		fmt.Fprintf(&tip, "\n/ %s", strings.Join(e.Actions, " "))
	}
	if len(e.Requirements) > 0 {
		fmt.Fprintf(&tip, "\nrequirements: %s", strings.Join(e.Requirements, ", "))
	}
	if m.Visits != nil {
		fmt.Fprintf(&tip, "\nvisits: %d", m.Visits[el])
	}
	s.text(tip.String())
	s.str(`</title><path class="line" d="M`)
	p := e.Path
	s.f(p[0])
	s.str(" ")
	s.f(p[1])
	for k := 2; k+5 < len(p); k += 6 {
		s.str("C")
		for q := range 6 {
			if q > 0 {
				s.str(" ")
			}
			s.f(p[k+q])
		}
	}
	s.str(`"`)
	if colour != "" {
		s.attr("style", "stroke:"+colour)
	}
	s.str(`/><path class="head" d="`)
	arrow(s, p, sc.FontSize)
	s.str(`"`)
	if colour != "" {
		s.attr("style", "fill:"+colour)
	}
	s.str("/>")
	if d := e.Dot; d != nil {
		s.str(`<circle class="dot"`)
		s.num2("cx", d.X+d.W/2)
		s.num2("cy", d.Y+d.H/2)
		s.num2("r", d.W/2)
		s.str("/>")
	}
	if b := e.LabelBox; b != nil {
		s.str("<text")
		s.num2("x", b.X+2)
		s.num2("y", b.Y+b.H/2+0.35*sc.FontSize)
		s.str(">")
		s.text(e.Label)
		s.str("</text>")
	}
	s.str("</g>\n")
}

// arrow writes a filled arrowhead at the end of path p (flat x,y pairs),
// along the direction from the last control point that differs from the
// end.
func arrow(s *svgWriter, p []float64, fs float64) {
	n := len(p)
	tx, ty := p[n-2], p[n-1]
	dx, dy := 0.0, 0.0
	for k := n - 4; k >= 0 && dx == 0 && dy == 0; k -= 2 {
		dx, dy = tx-p[k], ty-p[k+1]
	}
	l := math.Hypot(dx, dy)
	if l == 0 {
		dx, dy, l = 0, 1, 1
	}
	dx, dy = dx/l, dy/l
	size := 0.75 * fs
	bx, by := tx-size*dx, ty-size*dy
	half := size * 0.4
	s.str("M")
	s.f(tx)
	s.str(" ")
	s.f(ty)
	s.str("L")
	s.f(bx - half*dy)
	s.str(" ")
	s.f(by + half*dx)
	s.str("L")
	s.f(bx + half*dy)
	s.str(" ")
	s.f(by - half*dx)
	s.str("Z")
}
