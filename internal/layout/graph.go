package layout

import (
	"math"

	"github.com/gw-project/gw/internal/model"
)

// Sizes in pixels at the default font size; they scale with the font.
const (
	padX        = 10.0 // text to vertex box side
	minVertexW  = 40.0
	dotSize     = 10.0 // the disc a source-less edge starts from
	loopFirst   = 14.0 // how far the first self-loop reaches out, before scaling
	loopStep    = 10.0 // and each further one
	bowSpacing  = 18.0 // between parallel edges of free layouts
	nodeGap     = 28.0 // between vertices of a rank
	dummyW      = 10.0 // the width of a bend point
	rankGap     = 22.0 // between ranks
	componentGa = 40.0 // between the components of a layered drawing
)

// gedge is an edge as the engines see it: vertex indices, -1 for none.
type gedge struct{ src, dst int }

// graph is the working state of one layout.
type graph struct {
	m     *model.Model
	font  float64
	scale float64 // font / DefaultFontSize

	vsize  []Point // vertex box sizes
	box    []Rect  // placed vertex boxes
	edges  []gedge
	vlabel []string
	elabel []string
	esize  []Point // edge label sizes; zero when unnamed
	loops  [][]int // per vertex: its self-loops, in edge order
	routes []Route
}

func newGraph(m *model.Model, font float64) *graph {
	g := &graph{m: m, font: font, scale: font / DefaultFontSize}
	nv, ne := len(m.Vertices), len(m.Edges)
	g.vsize = make([]Point, nv)
	g.vlabel = make([]string, nv)
	g.loops = make([][]int, nv)
	for i, v := range m.Vertices {
		g.vlabel[i] = Label(v.Name)
		w := TextWidth(g.vlabel[i], font) + 2*padX*g.scale
		g.vsize[i] = Point{math.Max(w, minVertexW*g.scale), math.Round(font * 2.2)}
	}
	g.edges = make([]gedge, ne)
	g.elabel = make([]string, ne)
	g.esize = make([]Point, ne)
	for j, e := range m.Edges {
		ge := gedge{-1, -1}
		if e.Source != nil {
			ge.src = e.Source.Index
		}
		if e.Target != nil {
			ge.dst = e.Target.Index
		}
		g.edges[j] = ge
		if ge.src >= 0 && ge.src == ge.dst {
			g.loops[ge.src] = append(g.loops[ge.src], j)
		}
		g.elabel[j] = Label(e.Name)
		if g.elabel[j] != "" {
			g.esize[j] = Point{TextWidth(g.elabel[j], font) + 4*g.scale, font + 4*g.scale}
		}
	}
	g.reset()
	return g
}

func (g *graph) reset() {
	g.box = make([]Rect, len(g.vsize))
	g.routes = make([]Route, len(g.edges))
}

// coordinate reads a numeric x or y property.
func coordinate(p model.Properties, key string) (float64, bool) {
	v, ok := p.Get(key)
	if !ok {
		return 0, false
	}
	f, ok := v.(float64)
	if !ok || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e7 {
		return 0, false
	}
	return f, true
}

func (g *graph) hasCoordinates() bool {
	for _, v := range g.m.Vertices {
		_, okx := coordinate(v.Properties, "x")
		_, oky := coordinate(v.Properties, "y")
		if !okx || !oky {
			return false
		}
	}
	return true
}

// loopReach is how far the self-loops of v and their labels reach right of
// its box, and how tall the column of their labels is.
func (g *graph) loopReach(v int) (w, h float64) {
	k := len(g.loops[v])
	if k == 0 {
		return 0, 0
	}
	var lw float64
	for _, j := range g.loops[v] {
		lw = math.Max(lw, g.esize[j].X)
		h += g.esize[j].Y
	}
	return 0.75*g.loopOut(k-1) + 4*g.scale + lw, h
}

func (g *graph) loopOut(i int) float64 { return (loopFirst + loopStep*float64(i)) * g.scale }

// routeLoops draws the self-loops of every vertex on the right of its box,
// nested, their labels in a column right of the outermost.
func (g *graph) routeLoops() {
	for v, loops := range g.loops {
		if len(loops) == 0 {
			continue
		}
		b := g.box[v]
		r, cy := b.X+b.W, b.Y+b.H/2
		a := b.H / 4
		_, h := g.loopReach(v)
		x := r + 0.75*g.loopOut(len(loops)-1) + 4*g.scale
		y := cy - h/2
		for i, j := range loops {
			d := g.loopOut(i)
			g.routes[j].Path = []Point{{r, cy - a}, {r + d, cy - a - d/2}, {r + d, cy + a + d/2}, {r, cy + a}}
			s := g.esize[j]
			g.routes[j].Label = Rect{x, y, s.X, s.Y}
			y += s.Y
		}
	}
}

// clip is where the ray from the centre of r towards p leaves r.
func clip(r Rect, p Point) Point {
	c := r.Center()
	dx, dy := p.X-c.X, p.Y-c.Y
	if dx == 0 && dy == 0 {
		return Point{c.X, r.Y}
	}
	t := math.Inf(1)
	if dx != 0 {
		t = r.W / 2 / math.Abs(dx)
	}
	if dy != 0 {
		t = math.Min(t, r.H/2/math.Abs(dy))
	}
	return Point{c.X + t*dx, c.Y + t*dy}
}

func inside(r Rect, p Point) bool {
	return p.X > r.X && p.X < r.X+r.W && p.Y > r.Y && p.Y < r.Y+r.H
}

// routeFree routes edges of placed vertices as straight lines between
// their boxes, or as bows when several edges join the same two vertices;
// edges without a source start from a dot above their target.
func (g *graph) routeFree() {
	type pair struct{ a, b int }
	groups := map[pair][]int{}
	var order []pair
	for j, e := range g.edges {
		if e.dst < 0 || e.src == e.dst {
			continue
		}
		p := pair{e.src, e.dst}
		if p.a > p.b {
			p.a, p.b = p.b, p.a
		}
		if _, ok := groups[p]; !ok {
			order = append(order, p)
		}
		groups[p] = append(groups[p], j)
	}
	for _, p := range order {
		js := groups[p]
		for i, j := range js {
			off := (float64(i) - float64(len(js)-1)/2) * bowSpacing * g.scale
			g.routeBow(j, off)
		}
	}
	g.routeLoops()
}

// routeBow routes edge j bowed by off pixels to the right of the direction
// from its lower-index end to its higher-index end.
func (g *graph) routeBow(j int, off float64) {
	e := g.edges[j]
	to := g.box[e.dst]
	var from Rect
	if e.src < 0 {
		c := to.Center()
		d := Rect{c.X - dotSize/2*g.scale + off, to.Y - 3*dotSize*g.scale, dotSize * g.scale, dotSize * g.scale}
		g.routes[j].StartDot = &d
		from = d
	} else {
		from = g.box[e.src]
	}
	a, b := from.Center(), to.Center()
	if e.src > e.dst {
		a, b = b, a
	}
	dx, dy := b.X-a.X, b.Y-a.Y
	n := math.Hypot(dx, dy)
	mid := Point{(a.X + b.X) / 2, (a.Y + b.Y) / 2}
	if n > 0 && off != 0 {
		mid.X -= dy / n * off
		mid.Y += dx / n * off
	}
	aim := func(r, other Rect) Point {
		if inside(r, mid) {
			return clip(r, other.Center())
		}
		return clip(r, mid)
	}
	p0, p3 := aim(from, to), aim(to, from)
	// A quadratic through mid at t=1/2, written as a cubic.
	q := Point{(4*mid.X - p0.X - p3.X) / 2, (4*mid.Y - p0.Y - p3.Y) / 2}
	c1 := Point{p0.X + 2*(q.X-p0.X)/3, p0.Y + 2*(q.Y-p0.Y)/3}
	c2 := Point{p3.X + 2*(q.X-p3.X)/3, p3.Y + 2*(q.Y-p3.Y)/3}
	g.routes[j].Path = []Point{p0, c1, c2, p3}
	// A bowed edge's label goes on the outer side of its bow, so that the
	// labels of edges between the same two vertices stay apart.
	s := g.esize[j]
	lab := Rect{mid.X - s.X/2, mid.Y - s.Y/2, s.X, s.Y}
	if e.src < 0 && off == 0 {
		lab.X = mid.X + 4*g.scale // beside the short line from the start dot
	}
	if n > 0 && off != 0 {
		px, py := -dy/n*off, dx/n*off // towards the bow's outer side
		if math.Abs(px) >= math.Abs(py) {
			lab.X = mid.X + 2*g.scale
			if px < 0 {
				lab.X = mid.X - s.X - 2*g.scale
			}
		} else {
			lab.Y = mid.Y
			if py < 0 {
				lab.Y = mid.Y - s.Y
			}
		}
	}
	g.routes[j].Label = lab
}

// placeGrid puts the vertices on a grid in model order, each cell as big
// as the biggest box with its self-loops.
func (g *graph) placeGrid() {
	n := len(g.vsize)
	if n == 0 {
		return
	}
	var cw, ch float64
	for v, s := range g.vsize {
		lw, lh := g.loopReach(v)
		cw = math.Max(cw, s.X+lw)
		ch = math.Max(ch, math.Max(s.Y, lh))
	}
	cols := int(math.Ceil(math.Sqrt(float64(n))))
	gapX, gapY := 60*g.scale, 60*g.scale+3*dotSize*g.scale
	for v, s := range g.vsize {
		r, c := v/cols, v%cols
		x := 20*g.scale + float64(c)*(cw+gapX)
		y := 20*g.scale + 3*dotSize*g.scale + float64(r)*(ch+gapY)
		g.box[v] = Rect{x, y + (ch-s.Y)/2, s.X, s.Y}
	}
}

// result rounds the geometry and shifts it so that everything drawn,
// labels and dots too, starts at a margin from the origin.
func (g *graph) result() *Layout {
	l := &Layout{Vertices: g.box, Edges: g.routes, VertexLabels: g.vlabel, EdgeLabels: g.elabel}
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	grow := func(r Rect) {
		minX, minY = math.Min(minX, r.X), math.Min(minY, r.Y)
		maxX, maxY = math.Max(maxX, r.X+r.W), math.Max(maxY, r.Y+r.H)
	}
	for _, b := range l.Vertices {
		grow(b)
	}
	for _, r := range l.Edges {
		for _, p := range r.Path {
			grow(Rect{p.X, p.Y, 0, 0})
		}
		if r.Label.W > 0 {
			grow(r.Label)
		}
		if r.StartDot != nil {
			grow(*r.StartDot)
		}
	}
	if math.IsInf(minX, 1) {
		return l
	}
	margin := 10 * g.scale
	dx, dy := margin-minX, margin-minY
	mv := func(r *Rect) {
		r.X, r.Y, r.W, r.H = round(r.X+dx), round(r.Y+dy), round(r.W), round(r.H)
	}
	for i := range l.Vertices {
		mv(&l.Vertices[i])
	}
	for i := range l.Edges {
		r := &l.Edges[i]
		for k := range r.Path {
			r.Path[k] = Point{round(r.Path[k].X + dx), round(r.Path[k].Y + dy)}
		}
		mv(&r.Label)
		if r.StartDot != nil {
			mv(r.StartDot)
		}
	}
	l.Width, l.Height = round(maxX-minX+2*margin), round(maxY-minY+2*margin)
	return l
}
