package dot

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gw-project/gw/internal/golden"
	"github.com/gw-project/gw/internal/model"
)

func write(t *testing.T, ms ...*model.Model) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, ms); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func upstreamFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "upstream", "*.dot"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	return files
}

// byName prints a model by names only: what survives a write/read cycle
// when node ids are names.
func byName(m *model.Model) string {
	var b strings.Builder
	fmt.Fprintf(&b, "model %q\n", m.Name)
	for _, v := range m.Vertices {
		fmt.Fprintf(&b, "v %q\n", v.Name)
	}
	end := func(v *model.Vertex) string {
		if v == nil {
			return "Start"
		}
		return fmt.Sprintf("%q", v.Name)
	}
	for _, e := range m.Edges {
		fmt.Fprintf(&b, "e %q %s -> %s\n", e.Name, end(e.Source), end(e.Target))
	}
	start := m.StartElement()
	if start != model.None {
		fmt.Fprintf(&b, "start %s\n", m.Describe(start))
	}
	return b.String()
}

func TestWriteUpstreamGolden(t *testing.T) {
	for _, f := range upstreamFiles(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			golden.Check(t, filepath.Join("testdata/golden", filepath.Base(f)), write(t, readFile(t, f)))
		})
	}
}

// Read → Write → Read keeps names, structure, vertex order and the start
// edge; writing again gives the same text.
func TestRoundTripUpstream(t *testing.T) {
	for _, f := range upstreamFiles(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			m1 := readFile(t, f)
			out1 := write(t, m1)
			m2, err := Read(bytes.NewReader(out1), "out.dot")
			if err != nil {
				t.Fatalf("re-read: %v\n%s", err, out1)
			}
			if a, b := byName(m1), byName(m2); a != b {
				t.Errorf("round trip changed the model:\nbefore\n%s\nafter\n%s", a, b)
			}
			if out2 := write(t, m2); !bytes.Equal(out1, out2) {
				t.Errorf("second write differs:\n%s\n---\n%s", out1, out2)
			}
		})
	}
}

// handModels builds models covering the writer's decisions.
func handModels() map[string]*model.Model {
	ms := map[string]*model.Model{}

	// Guards, actions, a start edge, an unnamed edge, an edge into Start, an
	// isolated vertex and names that need quoting.
	{
		a := &model.Vertex{ID: "n0", Name: "v_A"}
		b := &model.Vertex{ID: "n1", Name: "v B \"quoted\" \\ back"}
		c := &model.Vertex{ID: "n2", Name: "node"} // keyword
		d := &model.Vertex{ID: "n3", Name: "42"}
		iso := &model.Vertex{ID: "n4", Name: "v_Isolated"}
		m := &model.Model{Name: "Features Model", Vertices: []*model.Vertex{a, b, c, d, iso}}
		m.Edges = []*model.Edge{
			{ID: "e0", Name: "e_Init", Target: a, Actions: []string{"x = 0;", "y = 1"}},
			{ID: "e1", Name: "e_Guarded", Source: a, Target: b, Guard: "x < 2 && s == \"a\\b\""},
			{ID: "e2", Name: "e_Both", Source: b, Target: c, Guard: "x > 0", Actions: []string{"x++;"}},
			{ID: "e3", Source: c, Target: d},
			{ID: "e4", Source: d, Target: nil, Actions: []string{"done = true;"}},
		}
		m.StartElementID = "e0"
		ms["features"] = m
	}
	// Repeated vertex names: node ids are vertex ids, names go in labels.
	{
		a := &model.Vertex{ID: "n0", Name: "v_Same"}
		b := &model.Vertex{ID: "n1", Name: "v_Same"}
		c := &model.Vertex{ID: "n 2", Name: ""}
		m := &model.Model{Name: "Dup", Vertices: []*model.Vertex{a, b, c}}
		m.Edges = []*model.Edge{{ID: "e0", Name: "e_Go", Source: a, Target: b}, {ID: "e1", Name: "e_Back", Source: b, Target: c}}
		ms["dupnames"] = m
	}
	// Neither names nor ids usable: n0, n1, ...
	{
		a := &model.Vertex{ID: "start", Name: "Start"}
		b := &model.Vertex{ID: "x", Name: "v"}
		c := &model.Vertex{ID: "x", Name: "v"}
		m := &model.Model{Name: "", Vertices: []*model.Vertex{a, b, c}}
		m.Edges = []*model.Edge{{Name: "e", Source: b, Target: c}}
		ms["badids"] = m
	}
	// Vertex order differs from the order edges mention them.
	{
		a := &model.Vertex{ID: "a", Name: "a"}
		b := &model.Vertex{ID: "b", Name: "b"}
		m := &model.Model{Name: "Order", Vertices: []*model.Vertex{a, b}}
		m.Edges = []*model.Edge{{Name: "e", Source: b, Target: a}}
		ms["order"] = m
	}
	return ms
}

func TestWriteGolden(t *testing.T) {
	for name, m := range handModels() {
		t.Run(name, func(t *testing.T) {
			golden.Check(t, "testdata/golden/hand_"+name+".dot", write(t, m))
		})
	}
}

func TestWriteSeveralModels(t *testing.T) {
	ms := handModels()
	out := write(t, ms["order"], ms["dupnames"])
	golden.Check(t, "testdata/golden/several.dot", out)
	back, err := ReadAll(bytes.NewReader(out), "several.dot")
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != 2 || back[0].Name != "Order" || back[1].Name != "Dup" {
		t.Fatalf("got %d models", len(back))
	}
	if _, err := Read(bytes.NewReader(out), "several.dot"); err == nil {
		t.Error("Read accepted two graphs")
	}
}

// Models whose edges carry no guard or actions come back with the same
// names, vertex order, structure and (for labeled nodes) vertex ids.
func TestRoundTripHand(t *testing.T) {
	ms := handModels()
	for _, name := range []string{"dupnames", "order"} {
		t.Run(name, func(t *testing.T) {
			m1 := ms[name]
			if err := m1.Index(); err != nil {
				t.Fatal(err)
			}
			m2, err := Read(bytes.NewReader(write(t, m1)), "x.dot")
			if err != nil {
				t.Fatal(err)
			}
			if a, b := byName(m1), byName(m2); a != b {
				t.Errorf("before\n%s\nafter\n%s", a, b)
			}
			for i, v := range m1.Vertices {
				if name == "dupnames" && m2.Vertices[i].ID != v.ID {
					t.Errorf("vertex %d: id %q, want %q", i, m2.Vertices[i].ID, v.ID)
				}
			}
		})
	}
	// A vertex named Start cannot survive (DOT has no way to say it is not
	// the start node); everything else does.
	m2, err := Read(bytes.NewReader(write(t, ms["badids"])), "x.dot")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := summary(m2), "model \"\" start=\nv n1 \"v\"\nv n2 \"v\"\ne e \"e\" n1 -> n2\n"; got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// The label written for guards and actions is GraphWalker's; until label
// parsing lands, reading it back gives the whole label as the name.
func TestWriteLabelText(t *testing.T) {
	m := handModels()["features"]
	out := string(write(t, m))
	for _, want := range []string{
		`Start -> v_A [label="e_Init\n/x = 0; y = 1;"] [gw_id="e0"];`,
		`v_A -> "v B \"quoted\" \\ back" [label="e_Guarded\n[x < 2 && s == \"a\\b\"]"]`,
		`[label="e_Both\n[x > 0]\n/x++;"]`,
		`"node" -> 42 [gw_id="e3"];`,
		`42 -> Start [label="\n/done = true;"]`,
		"v_Isolated [gw_id=\"n4\"];\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
	back, err := Read(strings.NewReader(out), "f.dot")
	if err != nil {
		t.Fatal(err)
	}
	// Labels in GraphWalker's label language read back as name, guard, actions.
	if e := back.Edges[1]; e.Name != "e_Guarded" || e.Guard != `x < 2 && s == "a\b"` {
		t.Errorf("re-read label: got name %q guard %q", e.Name, e.Guard)
	}
	if e := back.Edges[0]; len(e.Actions) != 1 {
		t.Errorf("re-read actions: %q", e.Actions)
	}
	if len(back.Vertices) != 5 || back.Vertices[1].Name != `v B "quoted" \ back` || back.StartElementID != "e0" {
		t.Errorf("re-read:\n%s", summary(back))
	}
}

type errWriter struct{}

func (errWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteErrors(t *testing.T) {
	if err := Write(&bytes.Buffer{}, []*model.Model{nil}); err == nil || err.Error() != "dot: model 0 is nil" {
		t.Errorf("nil model: %v", err)
	}
	stray := &model.Vertex{ID: "s", Name: "s"}
	a := &model.Vertex{ID: "a", Name: "a"}
	m := &model.Model{Name: "M", Vertices: []*model.Vertex{a}, Edges: []*model.Edge{{ID: "e", Name: "e", Source: a, Target: stray}}}
	want := `dot: model "M": edge "e" (id e): target vertex "s" (id s) is not in the model`
	if err := Write(&bytes.Buffer{}, []*model.Model{m}); err == nil || err.Error() != want {
		t.Errorf("stray vertex: %v", err)
	}
	if err := Write(errWriter{}, []*model.Model{handModels()["order"]}); err == nil || err.Error() != "disk full" {
		t.Errorf("writer error: %v", err)
	}
	var b bytes.Buffer
	if err := Write(&b, nil); err != nil || b.Len() != 0 {
		t.Errorf("no models: %v %q", err, b.String())
	}
}

func TestQuoteID(t *testing.T) {
	tests := []struct{ in, want string }{
		{"v_A", "v_A"}, {"A1", "A1"}, {"1", "1"}, {"-1.5", "-1.5"}, {".5", ".5"}, {"1.", "1."},
		{"", `""`}, {"-", `"-"`}, {".", `"."`}, {"1a", `"1a"`}, {"a b", `"a b"`}, {"Graph", `"Graph"`},
		{"ä", `"ä"`}, {`a"b`, `"a\"b"`}, {`a\`, `"a\\"`}, {"1.2.3", `"1.2.3"`}, {"--1", `"--1"`},
	}
	for _, tt := range tests {
		if got := quoteID(tt.in); got != tt.want {
			t.Errorf("quoteID(%q) = %s, want %s", tt.in, got, tt.want)
		}
		// Every written id reads back as itself.
		m, err := Read(strings.NewReader("digraph g { "+quoteID(tt.in)+" }"), "q.dot")
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		if m.Vertices[0].Name != tt.in {
			t.Errorf("%q read back as %q", tt.in, m.Vertices[0].Name)
		}
	}
}

// TestWriteKeepsWhatWalksNeed: ids, shared states, requirements, weights,
// dependencies, BLOCKED and the model's id, generator, INIT actions,
// requirements and start vertex survive Write → Read as gw_* attributes.
func TestWriteKeepsWhatWalksNeed(t *testing.T) {
	a := &model.Vertex{ID: "n1", Name: "v_A", SharedState: "HUB", Requirements: []string{"R1", "R 2"}}
	b := &model.Vertex{ID: "n2", Name: "v_B"}
	b.Properties.Set("blocked", true)
	m := &model.Model{ID: "model-1", Name: "M", Generator: "weighted_random(length(5))", StartElementID: "n1",
		Actions: []string{"x = 1;", "y = 2"}, Requirements: []string{"MR"}, Vertices: []*model.Vertex{a, b}}
	e := &model.Edge{ID: "edge-1", Name: "e_Go", Source: a, Target: b, Weight: 0.25, Dependency: 80, Requirements: []string{"R3"}}
	e.Properties.Set("blocked", true)
	m.Edges = []*model.Edge{e, {ID: "e_Back", Name: "e_Back", Source: b, Target: a}}
	out := write(t, m)
	back, err := Read(bytes.NewReader(out), "m.dot")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	ra, rb, re := back.Vertices[0], back.Vertices[1], back.Edges[0]
	for _, c := range []struct {
		what      string
		got, want any
	}{
		{"model id", back.ID, "model-1"},
		{"generator", back.Generator, "weighted_random(length(5))"},
		{"INIT actions", strings.Join(back.Actions, "|"), "x = 1; y = 2;"},
		{"model requirements", strings.Join(back.Requirements, "|"), "MR"},
		{"start element", back.StartElementID, "n1"},
		{"vertex id", ra.ID, "n1"},
		{"shared state", ra.SharedState, "HUB"},
		{"vertex requirements", strings.Join(ra.Requirements, "|"), "R1|R 2"},
		{"blocked vertex", rb.Properties.IsBlocked(), true},
		{"edge id", re.ID, "edge-1"},
		{"weight", re.Weight, 0.25},
		{"dependency", re.Dependency, 80},
		{"edge requirements", strings.Join(re.Requirements, "|"), "R3"},
		{"blocked edge", re.Properties.IsBlocked(), true},
		{"second edge id", back.Edges[1].ID, "e_Back"},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v\n%s", c.what, c.got, c.want, out)
		}
	}
	// GraphWalker's reader uses only "label"; gw's attributes are in lists
	// of their own, so each list it splits at '=' is either the label or
	// one it ignores.
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "label=") && strings.Contains(line, "gw_") && !strings.Contains(line, `"] [gw_`) {
			t.Errorf("gw attributes share the label's list: %s", line)
		}
	}
}

func TestReadBadAttributes(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{`digraph g { a -> b [gw_weight=heavy] }`, "x.dot:1:31: gw_weight must be a number from 0 to 1"},
		{`digraph g { a -> b [gw_dependency=101] }`, "gw_dependency must be a whole number from 0 to 100"},
		{`digraph g { a [gw_blocked=maybe] }`, "gw_blocked must be true or false"},
	} {
		if _, err := Read(strings.NewReader(tt.src), "x.dot"); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.src, err, tt.want)
		}
	}
}
