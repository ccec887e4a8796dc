package runreport

import (
	"bytes"
	"fmt"
	"html"
	"math"
	"sort"

	"github.com/gw-project/gw/internal/model"
)

// Drawer draws a model for a report.
type Drawer interface {
	// DrawSVG returns one <svg> element, with no external reference,
	// showing m with each element coloured by visits (indexed by
	// element). id is unique in the page; the drawing prefixes every id
	// it defines with it.
	DrawSVG(m *model.Model, visits []int, id string) ([]byte, error)
}

// SimpleDrawer is a layered drawing: vertices in columns by their
// distance from the start, ordered to cross few edges, edges as curves.
// It is good enough to see what a run covered on models of up to a few
// hundred vertices; the studio's drawing is meant to replace it.
type SimpleDrawer struct{}

const (
	rowH    = 56
	boxH    = 30
	margin  = 30
	maxBoxW = 220
)

type vpos struct {
	layer, row int
	x, y, w    float64
}

// DrawSVG implements Drawer.
func (SimpleDrawer) DrawSVG(m *model.Model, visits []int, id string) ([]byte, error) {
	nv := len(m.Vertices)
	pos := layout(m)
	maxV := 1
	for _, v := range visits {
		maxV = max(maxV, v)
	}
	width, height := float64(2*margin), float64(2*margin)
	for _, p := range pos {
		width = max(width, p.x+p.w+margin)
		height = max(height, p.y+boxH+margin)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="model" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" role="img" aria-label="model %s">`,
		width, height, width, height, html.EscapeString(m.Name))
	fmt.Fprintf(&b, `<defs><marker id="%s-a" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#5f6368"/></marker></defs>`, id)
	labels := len(m.Edges) <= 300
	// Parallel edges between the same two vertices bow apart.
	pairs := map[[2]int]int{}
	for j, e := range m.Edges {
		el := nv + j
		v := visits[el]
		stroke, sw, dash := "#d93025", 1.2, ` stroke-dasharray="4 3"`
		if v > 0 {
			stroke, sw, dash = shade(v, maxV, true), 1.2+2*frac(v, maxV), ""
		}
		title := fmt.Sprintf("<title>%s — visited %d time(s)</title>", html.EscapeString(m.Describe(el)), v)
		if e.Target == nil {
			continue
		}
		t := pos[e.Target.Index]
		if e.Source == nil { // a start edge: from a dot left of its target
			x0, y0 := t.x-40, t.y+boxH/2
			fmt.Fprintf(&b, `<g class="edge">%s<circle cx="%.1f" cy="%.1f" r="5" fill="#202124"/><path d="M%.1f,%.1fL%.1f,%.1f" fill="none" stroke="%s" stroke-width="%.1f"%s marker-end="url(#%s-a)"/></g>`,
				title, x0, y0, x0+5, y0, t.x, y0, stroke, sw, dash, id)
			continue
		}
		s := pos[e.Source.Index]
		key := [2]int{min(e.Source.Index, e.Target.Index), max(e.Source.Index, e.Target.Index)}
		k := pairs[key]
		pairs[key]++
		var d string
		var lx, ly float64
		if e.Source == e.Target { // a loop above the box
			cx, cy := s.x+s.w/2, s.y
			r := 14 + 6*float64(k)
			d = fmt.Sprintf("M%.1f,%.1fC%.1f,%.1f %.1f,%.1f %.1f,%.1f", cx-8, cy, cx-8-r, cy-2*r, cx+8+r, cy-2*r, cx+8, cy)
			lx, ly = cx, cy-1.6*r
		} else {
			x0, y0, x1, y1 := anchor(s, t)
			mx, my := (x0+x1)/2, (y0+y1)/2
			// Bow relative to the pair's own direction (lower index to
			// higher), so that edges each way go round different sides.
			dx, dy := x1-x0, y1-y0
			if e.Source.Index > e.Target.Index {
				dx, dy = -dx, -dy
			}
			l := max(math.Hypot(dx, dy), 1)
			bow := 10 + 18*float64(k/2)
			if s.layer == t.layer {
				bow += 25
			}
			if (k%2 == 1) != (e.Source.Index > e.Target.Index) {
				bow = -bow
			}
			cx, cy := mx-dy/l*bow, my+dx/l*bow
			d = fmt.Sprintf("M%.1f,%.1fQ%.1f,%.1f %.1f,%.1f", x0, y0, cx, cy, x1, y1)
			lx, ly = 0.25*x0+0.5*cx+0.25*x1, 0.25*y0+0.5*cy+0.25*y1
		}
		fmt.Fprintf(&b, `<g class="edge">%s<path d="%s" fill="none" stroke="%s" stroke-width="%.1f"%s marker-end="url(#%s-a)"/>`, title, d, stroke, sw, dash, id)
		if labels && e.Name != "" {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" class="elabel" paint-order="stroke" stroke="#fff" stroke-width="3">%s</text>`, lx, ly-3, html.EscapeString(clipText(e.Name, 28)))
		}
		b.WriteString(`</g>`)
	}
	for i, v := range m.Vertices {
		p := pos[i]
		n := visits[i]
		fill, stroke, text := "#fdecea", "#d93025", "#202124"
		if n > 0 {
			fill, stroke = shade(n, maxV, false), "#137333"
			if frac(n, maxV) > 0.55 {
				text = "#ffffff"
			}
		}
		label := v.Name
		if label == "" {
			label = "(" + v.ID + ")"
		}
		fmt.Fprintf(&b, `<g class="vertex"><title>%s — visited %d time(s)</title><rect x="%.1f" y="%.1f" width="%.1f" height="%d" rx="7" fill="%s" stroke="%s"/><text x="%.1f" y="%.1f" fill="%s" class="vlabel">%s</text></g>`,
			html.EscapeString(m.Describe(i)), n, p.x, p.y, p.w, boxH, fill, stroke, p.x+p.w/2, p.y+boxH/2+4, text, html.EscapeString(clipText(label, 30)))
	}
	b.WriteString(`</svg>`)
	return b.Bytes(), nil
}

func clipText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func frac(v, maxV int) float64 {
	if maxV <= 1 {
		return 1
	}
	return math.Log(float64(v)) / math.Log(float64(maxV))
}

// shade is a green from light (visited once) to dark (most visited).
func shade(v, maxV int, edge bool) string {
	f := frac(v, maxV)
	lo, hi := [3]float64{0xce, 0xea, 0xd6}, [3]float64{0x13, 0x73, 0x33}
	if edge {
		lo = [3]float64{0x81, 0xc9, 0x95}
	}
	c := func(i int) int { return int(lo[i] + (hi[i]-lo[i])*f) }
	return fmt.Sprintf("#%02x%02x%02x", c(0), c(1), c(2))
}

// anchor picks the points where an edge leaves s and enters t: the sides
// facing each other.
func anchor(s, t vpos) (x0, y0, x1, y1 float64) {
	y0, y1 = s.y+boxH/2, t.y+boxH/2
	switch {
	case s.layer < t.layer:
		return s.x + s.w, y0 - 5, t.x, y1 - 5
	case s.layer > t.layer:
		return s.x, y0 + 5, t.x + t.w, y1 + 5
	case s.row < t.row:
		return s.x + s.w/2, s.y + boxH, t.x + t.w/2, t.y
	default:
		return s.x + s.w/2, s.y, t.x + t.w/2, t.y + boxH
	}
}

// layout places vertices in layers by breadth-first distance from the
// start (then from each vertex not reached yet) and orders each layer by
// the mean row of its neighbours, a few sweeps.
func layout(m *model.Model) []vpos {
	nv := len(m.Vertices)
	pos := make([]vpos, nv)
	layer := make([]int, nv)
	for i := range layer {
		layer[i] = -1
	}
	var order []int
	bfs := func(s int) {
		layer[s] = 0
		queue := []int{s}
		for len(queue) > 0 {
			v := queue[0]
			queue = queue[1:]
			order = append(order, v)
			for _, e := range m.OutEdges(v) {
				if t := m.Edges[e].Target; t != nil && layer[t.Index] < 0 {
					layer[t.Index] = layer[v] + 1
					queue = append(queue, t.Index)
				}
			}
		}
	}
	start := 0
	if el := m.StartElement(); el != model.None {
		if m.IsVertex(el) {
			start = el
		} else if t := m.Edge(el).Target; t != nil {
			start = t.Index
		}
	}
	if nv > 0 {
		bfs(start)
	}
	for v := range nv {
		if layer[v] < 0 {
			bfs(v)
		}
	}
	nl := 0
	for _, l := range layer {
		nl = max(nl, l+1)
	}
	layers := make([][]int, nl)
	for _, v := range order {
		layers[layer[v]] = append(layers[layer[v]], v)
	}
	row := make([]float64, nv)
	setRows := func() {
		for _, l := range layers {
			for i, v := range l {
				row[v] = float64(i)
			}
		}
	}
	setRows()
	neigh := make([][]int, nv)
	for _, e := range m.Edges {
		if e.Source != nil && e.Target != nil && e.Source != e.Target {
			neigh[e.Source.Index] = append(neigh[e.Source.Index], e.Target.Index)
			neigh[e.Target.Index] = append(neigh[e.Target.Index], e.Source.Index)
		}
	}
	for sweep := range 6 {
		for li := range layers {
			if sweep%2 == 1 {
				li = len(layers) - 1 - li
			}
			l := layers[li]
			bary := make(map[int]float64, len(l))
			for _, v := range l {
				sum, n := 0.0, 0
				for _, u := range neigh[v] {
					if layer[u] != layer[v] {
						sum += row[u]
						n++
					}
				}
				if n > 0 {
					bary[v] = sum / float64(n)
				} else {
					bary[v] = row[v]
				}
			}
			sort.SliceStable(l, func(i, j int) bool { return bary[l[i]] < bary[l[j]] })
			for i, v := range l {
				row[v] = float64(i)
			}
		}
	}
	colW := make([]float64, nl)
	for v, mv := range m.Vertices {
		name := mv.Name
		if name == "" {
			name = mv.ID
		}
		w := min(float64(7*len([]rune(clipText(name, 30)))+24), maxBoxW)
		pos[v].w = max(w, 60)
		colW[layer[v]] = max(colW[layer[v]], pos[v].w)
	}
	tallest := 0
	for _, l := range layers {
		tallest = max(tallest, len(l))
	}
	x := float64(margin) + 40 // room for start edges
	for li, l := range layers {
		top := float64(tallest-len(l)) / 2 // layers are centred
		for i, v := range l {
			pos[v].layer, pos[v].row = li, i
			pos[v].x = x + (colW[li]-pos[v].w)/2
			pos[v].y = float64(margin) + 20 + (top+float64(i))*rowH
		}
		x += colW[li] + 140
	}
	return pos
}
