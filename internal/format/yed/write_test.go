package yed

import (
	"bytes"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gw-project/gw/internal/golden"
	"github.com/gw-project/gw/internal/model"
)

func writeString(t *testing.T, ms ...*model.Model) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, ms); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// features builds a model with everything the writer can express.
func features() *model.Model {
	a := &model.Vertex{ID: "n0", Name: "v_A", SharedState: "S1", Requirements: []string{"R1", "R 2"}}
	a.Properties.Set("description", `Says "hi" & <bye>`)
	a.Properties.Set("x", 100.0)
	a.Properties.Set("y", 50.5)
	a.Properties.Set("color", 3.0) // not a string: not written
	b := &model.Vertex{ID: "n1", Name: "v_Ω"}
	b.Properties.Set("blocked", true)
	c := &model.Vertex{ID: "n2"} // unnamed, no position: laid out on the grid
	m := &model.Model{Name: "features", Actions: []string{"x=0;", "y=1;"}, Vertices: []*model.Vertex{a, b, c}}
	e0 := &model.Edge{ID: "e0", Name: "e_Init", Target: a, Actions: []string{"x=1;"}}
	e1 := &model.Edge{ID: "e1", Name: "e_Go", Source: a, Target: b, Guard: `x<1 && s=="a'b"`, Actions: []string{" x++;", "y--;"},
		Weight: 0.25, Dependency: 80, Requirements: []string{"R3"}}
	e1.Properties.Set("description", "line1\nline2\r\n\ttabbed")
	e1.Properties.Set("blocked", true)
	e2 := &model.Edge{ID: "e2", Source: b, Target: c} // unnamed: GraphWalker's writer crashes here
	e3 := &model.Edge{ID: "e3", Name: "e_Nowhere", Source: c}
	m.Edges = []*model.Edge{e0, e1, e2, e3}
	m.StartElementID = "e0"
	if err := m.Index(); err != nil {
		panic(err)
	}
	return m
}

func TestWriteGolden(t *testing.T) {
	golden.Check(t, "testdata/golden/features.graphml", []byte(writeString(t, features())))
	golden.Check(t, "testdata/golden/UC01.graphml", []byte(writeString(t, mustRead(t, "io/UC01.graphml"))))

	// Vertices without positions go on a grid: no two overlap.
	m := &model.Model{Name: "grid"}
	for i := range 10 {
		m.Vertices = append(m.Vertices, &model.Vertex{ID: fmt.Sprintf("n%d", i), Name: fmt.Sprintf("v_%d%s", i, strings.Repeat("x", i*3))})
	}
	for i := range 9 {
		m.Edges = append(m.Edges, &model.Edge{ID: fmt.Sprintf("e%d", i), Name: "e", Source: m.Vertices[i], Target: m.Vertices[i+1]})
	}
	m.Edges = append(m.Edges, &model.Edge{ID: "e9", Name: "e_Start", Target: m.Vertices[0]})
	out := writeString(t, m)
	golden.Check(t, "testdata/golden/grid.graphml", []byte(out))
	back, err := Read(strings.NewReader(out), "grid")
	if err != nil {
		t.Fatal(err)
	}
	type box struct{ x, y, w, h float64 }
	var boxes []box
	for _, v := range back.Vertices {
		x, _ := v.Properties.Get("x")
		y, _ := v.Properties.Get("y")
		lines := 1.0
		boxes = append(boxes, box{x.(float64), y.(float64), max(95, 7.5*float64(len(v.Name))+20), 30 + 18.7*(lines-1)})
	}
	for i, a := range boxes {
		for j, b := range boxes[:i] {
			if a.x < b.x+b.w && b.x < a.x+a.w && a.y < b.y+b.h && b.y < a.y+a.h {
				t.Errorf("vertices %d and %d overlap: %+v %+v", i, j, a, b)
			}
		}
	}
	if back.StartElementID != "e9" || len(back.Edges) != 10 {
		t.Errorf("start %q, %d edges", back.StartElementID, len(back.Edges))
	}
}

// sameModel compares what a write→read round trip must keep.
func sameModel(t *testing.T, ctx string, a, b *model.Model) {
	t.Helper()
	if len(a.Vertices) != len(b.Vertices) || len(a.Edges) != len(b.Edges) {
		t.Errorf("%s: %dV %dE became %dV %dE", ctx, len(a.Vertices), len(a.Edges), len(b.Vertices), len(b.Edges))
		return
	}
	if strings.Join(a.Actions, "") != strings.Join(b.Actions, "") || a.StartElementID != b.StartElementID {
		t.Errorf("%s: model actions %q start %q became %q start %q", ctx, a.Actions, a.StartElementID, b.Actions, b.StartElementID)
	}
	for i, v := range a.Vertices {
		w := b.Vertices[i]
		if v.ID != w.ID || v.Name != w.Name || v.SharedState != w.SharedState || !slices.Equal(v.Requirements, w.Requirements) ||
			v.Properties.IsBlocked() != w.Properties.IsBlocked() || !sameProps(v.Properties, w.Properties) {
			t.Errorf("%s: vertex\n  %+v\nbecame\n  %+v", ctx, *v, *w)
		}
	}
	for i, e := range a.Edges {
		f := b.Edges[i]
		if e.ID != f.ID || e.Name != f.Name || (e.Source == nil) != (f.Source == nil) || e.Target.ID != f.Target.ID ||
			(e.Source != nil && e.Source.ID != f.Source.ID) || e.Guard != f.Guard ||
			strings.Join(e.Actions, "") != strings.Join(f.Actions, "") || !slices.Equal(e.Requirements, f.Requirements) ||
			e.Weight != f.Weight || e.Dependency != f.Dependency || e.Properties.IsBlocked() != f.Properties.IsBlocked() ||
			!sameProps(e.Properties, f.Properties) {
			t.Errorf("%s: edge\n  %+v\nbecame\n  %+v", ctx, *e, *f)
		}
	}
}

// sameProps compares string properties and numeric x/y (a custom
// property named x, y or blocked clashes with what the reader derives
// from the graphics and the label, and is not kept).
func sameProps(a, b model.Properties) bool {
	for _, p := range a {
		_, isString := p.Value.(string)
		_, isFloat := p.Value.(float64)
		if reservedProp(p.Key) && !(isFloat && p.Key != "blocked") || !reservedProp(p.Key) && !isString {
			continue
		}
		if q, ok := b.Get(p.Key); !ok || q != p.Value {
			return false
		}
	}
	return true
}

func TestRoundTripFixtures(t *testing.T) {
	err := filepath.WalkDir("testdata", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".graphml") || strings.Contains(path, "golden") {
			return err
		}
		m, err := ReadFile(path)
		if err != nil {
			return nil // the IncorrectModels
		}
		out := writeString(t, m)
		back, err := Read(strings.NewReader(out), m.Name)
		if err != nil {
			t.Errorf("%s: reading the written model: %v", path, err)
			return nil
		}
		sameModel(t, path, m, back)
		// Writing again gives the same bytes.
		if again := writeString(t, back); again != out {
			t.Errorf("%s: second write differs", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	m := features()
	back, err := Read(strings.NewReader(writeString(t, m)), "features")
	if err != nil {
		t.Fatal(err)
	}
	m.Edges = m.Edges[:3] // the edge without target cannot be drawn
	if err := m.Index(); err != nil {
		t.Fatal(err)
	}
	sameModel(t, "features", m, back)
	if x, _ := back.Vertices[0].Properties.Get("x"); x != 100.0 {
		t.Errorf("x = %v", x)
	}
}

// GraphWalker's writer tests: writeFile (a vertex named Start becomes the
// Start node) and writeDependency* (dependency survives).
func TestWriteLikeGraphWalker(t *testing.T) {
	vs := map[string]*model.Vertex{}
	m := &model.Model{}
	for i, name := range []string{"Start", "v_BrowserStarted", "v_BaseURL", "v_SearchResult", "v_BrowserStopped", "v_BookInformation", "v_OtherBoughtBooks", "v_ShoppingCart"} {
		vs[name] = &model.Vertex{ID: fmt.Sprintf("n%d", i), Name: name}
		m.Vertices = append(m.Vertices, vs[name])
	}
	for i, e := range [][3]string{{"Start", "v_BrowserStopped", "e_init"}, {"v_BrowserStarted", "v_BaseURL", "e_EnterBaseURL"},
		{"v_BaseURL", "v_SearchResult", "e_SearchBook"}, {"v_BrowserStopped", "v_BrowserStarted", "e_StartBrowser"},
		{"v_SearchResult", "v_BookInformation", "e_ClickBook"}, {"v_BookInformation", "v_OtherBoughtBooks", "e_AddBookToCart"},
		{"v_OtherBoughtBooks", "v_ShoppingCart", "e_ShoppingCart"}, {"v_SearchResult", "v_ShoppingCart", "e_ShoppingCart"},
		{"v_BookInformation", "v_ShoppingCart", "e_ShoppingCart"}, {"v_ShoppingCart", "v_SearchResult", "e_SearchBook"},
		{"v_OtherBoughtBooks", "v_SearchResult", "e_SearchBook"}, {"v_BookInformation", "v_SearchResult", "e_SearchBook"}} {
		m.Edges = append(m.Edges, &model.Edge{ID: fmt.Sprintf("e%d", i), Name: e[2], Source: vs[e[0]], Target: vs[e[1]]})
	}
	if err := m.Index(); err != nil {
		t.Fatal(err)
	}
	back, err := Read(strings.NewReader(writeString(t, m)), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Vertices) != len(m.Vertices)-1 || len(back.Edges) != len(m.Edges) || back.StartElementID != "e0" {
		t.Errorf("%dV %dE start %q", len(back.Vertices), len(back.Edges), back.StartElementID)
	}

	for _, e := range []*model.Edge{
		{Name: "e_init", Dependency: 75},
		{Name: "e_init", Dependency: 75, Actions: []string{"validLogin=false;rememberMe=false;"}},
		{Name: "e_init", Dependency: 75, Guard: "!neverWentThere"},
	} {
		start := &model.Vertex{ID: "n0", Name: "Start"}
		v := &model.Vertex{ID: "n1", Name: "v_BrowserStarted"}
		e.ID, e.Source, e.Target = "e0", start, v
		m := &model.Model{Vertices: []*model.Vertex{start, v}, Edges: []*model.Edge{e}}
		back, err := Read(strings.NewReader(writeString(t, m)), "")
		if err != nil || back.Edges[0].Dependency != 75 || back.Edges[0].Guard != e.Guard || strings.Join(back.Edges[0].Actions, "") != strings.Join(e.Actions, "") {
			t.Errorf("dependency round trip: %+v %v", back.Edges[0], err)
		}
	}
}

func TestWriteSeveralAndUnindexed(t *testing.T) {
	a := &model.Vertex{Name: "v_A"}
	m := &model.Model{Vertices: []*model.Vertex{a, {Name: "v_B"}}}
	m.Edges = []*model.Edge{{Source: a, Target: m.Vertices[1]}, {Target: a}, {Source: a}}
	out := writeString(t, m, features())
	if n := strings.Count(out, "<?xml"); n != 2 {
		t.Errorf("%d documents, want 2 (one per model, as GraphWalker writes them)", n)
	}
	first := out[:strings.Index(out[1:], "<?xml")+1]
	back, err := Read(strings.NewReader(first), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Vertices) != 2 || len(back.Edges) != 2 || back.Edges[0].Name != "" || back.StartElementID != back.Edges[1].ID {
		t.Errorf("%+v", back)
	}
	for _, v := range back.Vertices {
		if v.ID == "" {
			t.Errorf("vertex without id")
		}
	}
}

func TestEscape(t *testing.T) {
	cases := []struct{ in, text, attr string }{
		{"plain", "plain", "plain"},
		{`a&b<c>d'e"f`, "a&amp;b&lt;c&gt;d&apos;e&quot;f", "a&amp;b&lt;c&gt;d&apos;e&quot;f"},
		{"Ωé", "&#937;&#233;", "&#937;&#233;"},
		{"a\nb\tc\rd", "a\nb\tc&#13;d", "a&#10;b&#9;c&#13;d"},
		{"x\x01y\xffz", "x&#65533;y&#65533;z", "x&#65533;y&#65533;z"},
	}
	for _, c := range cases {
		if got := esc(c.in, false); got != c.text {
			t.Errorf("esc(%q) = %q, want %q", c.in, got, c.text)
		}
		if got := esc(c.in, true); got != c.attr {
			t.Errorf("esc(%q, attr) = %q, want %q", c.in, got, c.attr)
		}
	}
}

func TestInitHost(t *testing.T) {
	// v_A's requirement has a ';' that would end INIT actions early, so
	// they go to v_B.
	a := &model.Vertex{ID: "a", Name: "v_A", Requirements: []string{"r; x"}}
	b := &model.Vertex{ID: "b", Name: "v_B"}
	m := &model.Model{Actions: []string{"i=0;"}, Vertices: []*model.Vertex{a, b}}
	out := writeString(t, m)
	back, err := Read(strings.NewReader(out), "")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(back.Actions, m.Actions) || !slices.Equal(back.Vertices[0].Requirements, a.Requirements) {
		t.Errorf("actions %q, requirements %q", back.Actions, back.Vertices[0].Requirements)
	}
}
