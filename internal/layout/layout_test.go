package layout

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/gw-project/gw/internal/format/dot"
	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/format/yed"
	"github.com/gw-project/gw/internal/limits"
	"github.com/gw-project/gw/internal/model"
)

// readModels reads every model of a testdata file.
func readModels(t testing.TB, path string) []*model.Model {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	switch filepath.Ext(path) {
	case ".json":
		doc, err := gwjson.Parse(data, path)
		if err != nil {
			t.Fatal(err)
		}
		return doc.Models
	case ".graphml":
		m, err := yed.Read(bytes.NewReader(data), strings.TrimSuffix(filepath.Base(path), ".graphml"))
		if err != nil {
			t.Fatal(err)
		}
		return []*model.Model{m}
	case ".dot":
		ms, err := dot.ReadAll(bytes.NewReader(data), path)
		if err != nil {
			t.Fatal(err)
		}
		return ms
	}
	t.Fatalf("%s: unknown format", path)
	return nil
}

// checkInvariants asserts what every layout promises: every vertex placed
// with a positive size inside the drawing, no two boxes overlapping, every
// edge's path starting on its source's box (or start dot) and ending on
// its target's box, with 1+3k points.
func checkInvariants(t *testing.T, m *model.Model, l *Layout) {
	t.Helper()
	if len(l.Vertices) != len(m.Vertices) || len(l.Edges) != len(m.Edges) {
		t.Fatalf("%d boxes for %d vertices, %d routes for %d edges", len(l.Vertices), len(m.Vertices), len(l.Edges), len(m.Edges))
	}
	in := func(r Rect) bool {
		return r.X >= 0 && r.Y >= 0 && r.X+r.W <= l.Width+0.2 && r.Y+r.H <= l.Height+0.2
	}
	for i, b := range l.Vertices {
		if !(b.W > 0 && b.H > 0) || !in(b) || math.IsNaN(b.X+b.Y) {
			t.Fatalf("vertex %d %q: box %+v in a %gx%g drawing", i, m.Vertices[i].Name, b, l.Width, l.Height)
		}
	}
	// Overlaps: sort by x and sweep.
	idx := make([]int, len(l.Vertices))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return int(math.Copysign(1, l.Vertices[a].X-l.Vertices[b].X)) })
	for k, a := range idx {
		ra := l.Vertices[a]
		for _, b := range idx[k+1:] {
			rb := l.Vertices[b]
			if rb.X >= ra.X+ra.W {
				break
			}
			if ra.Overlaps(rb) {
				t.Fatalf("vertices %q %+v and %q %+v overlap", m.Vertices[a].Name, ra, m.Vertices[b].Name, rb)
			}
		}
	}
	for j, e := range m.Edges {
		r := l.Edges[j]
		if e.Target == nil {
			continue
		}
		if len(r.Path) < 4 || (len(r.Path)-1)%3 != 0 {
			t.Fatalf("edge %d %q: path of %d points", j, e.Name, len(r.Path))
		}
		for _, p := range r.Path {
			if math.IsNaN(p.X+p.Y) || p.X < -0.2 || p.Y < -0.2 || p.X > l.Width+0.2 || p.Y > l.Height+0.2 {
				t.Fatalf("edge %d %q: point %+v outside the %gx%g drawing", j, e.Name, p, l.Width, l.Height)
			}
		}
		from := r.StartDot
		if e.Source != nil {
			from = &l.Vertices[e.Source.Index]
			if r.StartDot != nil {
				t.Fatalf("edge %d %q has a source and a start dot", j, e.Name)
			}
		} else if from == nil {
			t.Fatalf("edge %d %q has no source and no start dot", j, e.Name)
		}
		if !onBorder(*from, r.Path[0]) {
			t.Fatalf("edge %d %q starts at %+v, not on its source's box %+v", j, e.Name, r.Path[0], *from)
		}
		to := l.Vertices[e.Target.Index]
		if end := r.Path[len(r.Path)-1]; !onBorder(to, end) {
			t.Fatalf("edge %d %q ends at %+v, not on its target's box %+v", j, e.Name, end, to)
		}
		if (e.Name == "") != (r.Label.W == 0) || (r.Label.W > 0 && !in(r.Label)) {
			t.Fatalf("edge %d %q: label box %+v", j, e.Name, r.Label)
		}
	}
}

func onBorder(r Rect, p Point) bool {
	const eps = 0.25
	inX := p.X >= r.X-eps && p.X <= r.X+r.W+eps
	inY := p.Y >= r.Y-eps && p.Y <= r.Y+r.H+eps
	nearX := math.Abs(p.X-r.X) <= eps || math.Abs(p.X-r.X-r.W) <= eps
	nearY := math.Abs(p.Y-r.Y) <= eps || math.Abs(p.Y-r.Y-r.H) <= eps
	return inX && inY && (nearX || nearY)
}

func testdataModels(t *testing.T) map[string][]*model.Model {
	files, err := filepath.Glob("testdata/*.*")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]*model.Model{}
	for _, f := range files {
		switch filepath.Ext(f) {
		case ".json", ".graphml", ".dot":
			out[filepath.Base(f)] = readModels(t, f)
		}
	}
	if len(out) < 10 {
		t.Fatalf("only %d model files in testdata", len(out))
	}
	return out
}

func TestInvariantsOnTestdata(t *testing.T) {
	models := testdataModels(t)
	names := make([]string, 0, len(models))
	for n := range models {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, engine := range []Engine{Auto, Layered, Grid, Coordinates} {
			t.Run(fmt.Sprintf("%s/%s", name, engine), func(t *testing.T) {
				for _, m := range models[name] {
					l, err := Compute(m, Options{Engine: engine})
					if engine == Coordinates && err != nil && strings.Contains(err.Error(), "not every vertex") {
						t.Skip("no coordinates")
					}
					if err != nil {
						t.Fatal(err)
					}
					want := engine
					if engine == Auto {
						want = Layered
						if hasXY(m) {
							want = Coordinates
						}
					}
					if l.Engine != want {
						t.Errorf("engine %s, want %s (note %q)", l.Engine, want, l.Note)
					}
					checkInvariants(t, m, l)
				}
			})
		}
	}
}

func hasXY(m *model.Model) bool {
	for _, v := range m.Vertices {
		if _, ok := v.Properties.Get("x"); !ok {
			return false
		}
		if _, ok := v.Properties.Get("y"); !ok {
			return false
		}
	}
	return len(m.Vertices) > 0
}

// randomModel builds a model of nv vertices and ne edges with self-loops,
// parallel edges, cycles, unnamed elements, long names and start edges.
func randomModel(r *rand.Rand, nv, ne int) *model.Model {
	m := &model.Model{Name: "random"}
	for i := range nv {
		name := fmt.Sprintf("v_%d", i)
		switch r.IntN(8) {
		case 0:
			name = ""
		case 1:
			name = strings.Repeat("Wide", 1+r.IntN(30))
		}
		m.Vertices = append(m.Vertices, &model.Vertex{ID: fmt.Sprintf("n%d", i), Name: name})
	}
	for j := range ne {
		e := &model.Edge{ID: fmt.Sprintf("e%d", j), Name: fmt.Sprintf("e_%d", j)}
		if r.IntN(5) == 0 {
			e.Name = ""
		}
		if nv > 0 {
			e.Target = m.Vertices[r.IntN(nv)]
			switch k := r.IntN(20); {
			case k == 0:
				e.Source = e.Target // self-loop
			case k == 1 && j > 0 && m.Edges[j-1].Source != nil:
				e.Source, e.Target = m.Edges[j-1].Source, m.Edges[j-1].Target // parallel
			case k == 2:
				// no source: a start edge
			default:
				e.Source = m.Vertices[r.IntN(nv)]
			}
		}
		if e.Target == nil {
			continue
		}
		m.Edges = append(m.Edges, e)
	}
	if nv > 0 {
		m.StartElementID = m.Vertices[r.IntN(nv)].ID
	}
	if err := m.Index(); err != nil {
		panic(err)
	}
	return m
}

func TestInvariantsOnRandomGraphs(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 150 {
		nv := r.IntN(40)
		ne := r.IntN(3*nv + 2)
		m := randomModel(r, nv, ne)
		for _, engine := range []Engine{Layered, Grid} {
			l, err := Compute(m, Options{Engine: engine})
			if err != nil {
				t.Fatalf("graph %d (%d vertices, %d edges) %s: %v", i, nv, ne, engine, err)
			}
			t.Run(fmt.Sprintf("%d-%s", i, engine), func(t *testing.T) { checkInvariants(t, m, l) })
		}
		// The same graph with coordinates, some crowded together.
		for _, v := range m.Vertices {
			v.Properties = model.Properties{{Key: "x", Value: float64(r.IntN(400))}, {Key: "y", Value: float64(r.IntN(300))}}
		}
		l, err := Compute(m, Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Run(fmt.Sprintf("%d-auto-xy", i), func(t *testing.T) { checkInvariants(t, m, l) })
	}
}

func TestDeterministic(t *testing.T) {
	m := readModels(t, "testdata/SuperLarge.json")[0]
	a, err := Compute(m, Options{Engine: Layered})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Compute(m, Options{Engine: Layered})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two layouts of one model differ")
	}
}

func TestLimits(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	m := randomModel(r, 50, 100)
	tests := []struct {
		name   string
		o      Options
		engine Engine
		err    string
		note   string
	}{
		{"elements", Options{MaxElements: 100, ElementsFlag: "--max-draw-elements"}, "", "gw draws models of up to 100 elements (raise it with --max-draw-elements)", ""},
		{"layered explicit", Options{Engine: Layered, MaxLayered: 120, LayeredFlag: "--max-layered"}, "", "the layered layout takes models of up to 120 elements (raise it with --max-layered)", ""},
		{"layered falls back", Options{MaxLayered: 120, LayeredFlag: "--max-layered"}, Grid, "", "the layered layout takes models of up to 120 elements (raise it with --max-layered); drawn on a grid instead"},
		{"dummies explicit", Options{Engine: Layered, MaxDummies: 10}, "", "needs more than 10 bend points", ""},
		{"dummies fall back", Options{MaxDummies: 10}, Grid, "", "needs more than 10 bend points"},
		{"no coordinates", Options{Engine: Coordinates}, "", "not every vertex has x and y properties", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := Compute(m, tt.o)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				if strings.Contains(tt.name, "coordinates") {
					return
				}
				if !errors.Is(err, limits.ErrSize) {
					t.Errorf("%v is not a size limit", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if l.Engine != tt.engine || !strings.Contains(l.Note, tt.note) {
				t.Errorf("engine %s note %q, want %s and %q", l.Engine, l.Note, tt.engine, tt.note)
			}
			checkInvariants(t, m, l)
		})
	}
}

func TestCrowdedCoordinatesFallBack(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	m := randomModel(r, 60, 80)
	for _, v := range m.Vertices {
		v.Properties = model.Properties{{Key: "x", Value: 0.0}, {Key: "y", Value: 0.0}}
	}
	l, err := Compute(m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if l.Engine != Layered || !strings.Contains(l.Note, "put vertices on top of each other; laid out in layers instead") {
		t.Errorf("engine %s note %q", l.Engine, l.Note)
	}
	checkInvariants(t, m, l)
	if _, err := Compute(m, Options{Engine: Coordinates}); err == nil {
		t.Error("explicit coordinates on a crowded model: no error")
	}
}

func TestLabel(t *testing.T) {
	long := strings.Repeat("é", 100)
	if got := Label(long); got != strings.Repeat("é", MaxLabelRunes)+"…" {
		t.Errorf("Label = %q", got)
	}
	if got := Label("v_A"); got != "v_A" {
		t.Errorf("Label = %q", got)
	}
	if w := TextWidth("v_A", 12); math.Abs(w-12*(500+556+667)/1000.0) > 1e-9 {
		t.Errorf("TextWidth = %g", w)
	}
	if TextWidth("漢字", 10) != 20 {
		t.Errorf("wide characters: %g", TextWidth("漢字", 10))
	}
}

func TestEmptyModel(t *testing.T) {
	m := &model.Model{Name: "empty"}
	if err := m.Index(); err != nil {
		t.Fatal(err)
	}
	for _, e := range []Engine{Auto, Layered, Grid} {
		l, err := Compute(m, Options{Engine: e})
		if err != nil || len(l.Vertices) != 0 {
			t.Fatalf("%s: %v %+v", e, err, l)
		}
	}
}

// TestCoordinatesKept: with x/y on every vertex, the drawing keeps their
// order left to right and top to bottom (it may stretch, never reorder).
func TestCoordinatesKept(t *testing.T) {
	for _, f := range []string{"testdata/Login.graphml", "testdata/UC01.graphml", "testdata/SuperLarge.json", "testdata/Login.json"} {
		m := readModels(t, f)[0]
		l, err := Compute(m, Options{})
		if err != nil || l.Engine != Coordinates {
			t.Fatalf("%s: %v, engine %s (%s)", f, err, l.Engine, l.Note)
		}
		xy := func(i int) (float64, float64) {
			x, _ := coordinate(m.Vertices[i].Properties, "x")
			y, _ := coordinate(m.Vertices[i].Properties, "y")
			return x, y
		}
		moved := 0
		for a := range m.Vertices {
			for b := range m.Vertices {
				xa, ya := xy(a)
				xb, yb := xy(b)
				va, vb := l.Vertices[a], l.Vertices[b]
				if (xa < xb && va.X > vb.X) || (ya < yb && va.Y > vb.Y) {
					moved++
				}
			}
		}
		// Only boxes nudged apart may change order, and few are.
		if moved > len(m.Vertices) {
			t.Errorf("%s: %d vertex pairs out of their model order", f, moved)
		}
	}
}

// TestLayeredReadsFromTheStart: the start element is on the top rank and
// most edges point down.
func TestLayeredReadsFromTheStart(t *testing.T) {
	for _, f := range []string{"testdata/UC01.json", "testdata/petClinic.json", "testdata/graphWithBlockedElements.json", "testdata/SuperLarge.json"} {
		for _, m := range readModels(t, f) {
			l, err := Compute(m, Options{Engine: Layered})
			if err != nil {
				t.Fatal(err)
			}
			start := m.StartElement()
			if start < 0 {
				continue
			}
			var top float64
			if m.IsVertex(start) {
				top = l.Vertices[start].Y
			} else {
				e := m.Edge(start)
				top = l.Vertices[e.Target.Index].Y
				if r := l.Edges[e.Index]; r.StartDot != nil {
					top = r.StartDot.Y
				} else if e.Source != nil {
					top = l.Vertices[e.Source.Index].Y
				}
			}
			for i, b := range l.Vertices {
				if b.Y < top-0.5 && (m.IsVertex(start) || m.Edge(start).Source == nil || i != m.Edge(start).Target.Index) {
					// Only another component may start higher.
					if sameComponent(m, start, i) {
						t.Errorf("%s %s: vertex %q above the start", f, m.Name, m.Vertices[i].Name)
					}
				}
			}
			down := 0
			for j, e := range m.Edges {
				p := l.Edges[j].Path
				if e.Source != nil && e.Source != e.Target && p[len(p)-1].Y > p[0].Y {
					down++
				}
			}
			if down*2 < len(m.Edges)-len(m.Vertices) {
				t.Errorf("%s %s: only %d of %d edges point down", f, m.Name, down, len(m.Edges))
			}
		}
	}
}

// sameComponent reports whether element el and vertex v are joined by
// edges, ignoring direction.
func sameComponent(m *model.Model, el, v int) bool {
	from := el
	if m.IsEdge(el) {
		from = m.Edge(el).Target.Index
	}
	seen := map[int]bool{from: true}
	queue := []int{from}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		if u == v {
			return true
		}
		for _, list := range [][]int32{m.OutEdges(u), m.InEdges(u)} {
			for _, j := range list {
				e := m.Edges[j]
				for _, w := range []*model.Vertex{e.Source, e.Target} {
					if w != nil && !seen[w.Index] {
						seen[w.Index] = true
						queue = append(queue, w.Index)
					}
				}
			}
		}
	}
	return false
}

// TestStartDotAbove: the dot of a source-less edge is drawn above its
// vertex even when the walk reaches that vertex first from elsewhere.
func TestStartDotAbove(t *testing.T) {
	a, b := &model.Vertex{ID: "a", Name: "v_A"}, &model.Vertex{ID: "b", Name: "v_B"}
	m := &model.Model{Name: "dots", StartElementID: "a", Vertices: []*model.Vertex{a, b}, Edges: []*model.Edge{
		{ID: "e0", Name: "e_AB", Source: a, Target: b},
		{ID: "e1", Name: "e_BA", Source: b, Target: a},
		{ID: "e2", Name: "e_Enter", Target: b},
	}}
	if err := m.Index(); err != nil {
		t.Fatal(err)
	}
	l, err := Compute(m, Options{Engine: Layered})
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, m, l)
	if dot := l.Edges[2].StartDot; dot == nil || dot.Y+dot.H > l.Vertices[1].Y {
		t.Errorf("start dot %+v, its vertex %+v", dot, l.Vertices[1])
	}
}
