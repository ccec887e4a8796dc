package checker

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/model"
)

// builder makes small hand-built models for the tables below.
type builder struct {
	m  *model.Model
	vs map[string]*model.Vertex
}

func newModel(name string) *builder {
	return &builder{m: &model.Model{ID: name + "-id", Name: name}, vs: map[string]*model.Vertex{}}
}

// v adds vertex id (named like its id).
func (b *builder) v(id string) *builder { return b.vertex(&model.Vertex{ID: id, Name: id}) }

func (b *builder) vertex(v *model.Vertex) *builder {
	b.m.Vertices = append(b.m.Vertices, v)
	b.vs[v.ID] = v
	return b
}

// e adds edge id from src to dst ("" for none), named like its id.
func (b *builder) e(id, src, dst string) *builder {
	return b.edge(&model.Edge{ID: id, Name: id}, src, dst)
}

func (b *builder) edge(e *model.Edge, src, dst string) *builder {
	if src != "" {
		e.Source = b.vs[src]
	}
	if dst != "" {
		e.Target = b.vs[dst]
	}
	b.m.Edges = append(b.m.Edges, e)
	return b
}

func (b *builder) start(id string) *builder { b.m.StartElementID = id; return b }
func (b *builder) gen(g string) *builder    { b.m.Generator = g; return b }

func (b *builder) build() *model.Model {
	if err := b.m.Index(); err != nil {
		panic(err)
	}
	return b.m
}

// ok is a model GraphWalker finds no issue with: Start -e0-> v1 -e1-> v2 -e2-> v1.
func ok(name string) *builder {
	return newModel(name).v("v1").v("v2").e("e0", "", "v1").e("e1", "v1", "v2").e("e2", "v2", "v1").start("e0").gen("random(edge_coverage(100))")
}

func messages(issues []Issue) []string {
	out := []string{}
	for _, i := range issues {
		out = append(out, i.String())
	}
	return out
}

func TestGraphWalkerMessages(t *testing.T) {
	self := newModel("M").v("v1").v("v2").e("e0", "", "v1").e("e1", "v1", "v2").e("e2", "v2", "v1").start("e0")
	self.edge(&model.Edge{ID: "loop"}, "v1", "v1")
	dupV := newModel("M").v("v1").v("v2").e("e0", "", "v1").e("e1", "v1", "v2").start("e0").gen("random(edge_coverage(100))")
	dupV.m.Vertices[1].ID = "v1"
	dupE := ok("M")
	dupE.m.Edges[2].ID = "e1"
	dupEV := ok("M")
	dupEV.m.Edges[2].ID = "v2"
	twin := ok("Twin").build()

	tests := []struct {
		name   string
		models []*model.Model
		want   []string
	}{
		{"fine", []*model.Model{ok("M").build()}, nil},
		{"nil model", []*model.Model{nil}, []string{MsgNoModel}},
		{"model id null", func() []*model.Model {
			m := ok("M").build()
			m.ID = ""
			return []*model.Model{m}
		}(), []string{MsgIDNull}},
		{"model requirement and INIT action empty", func() []*model.Model {
			m := ok("M").build()
			m.Requirements = []string{"R1", ""}
			m.Actions = []string{"", "x=1;", ""}
			return []*model.Model{m}
		}(), []string{MsgRequirementEmpty, MsgScriptEmpty, MsgScriptEmpty}},
		{"vertex element issues then name", []*model.Model{
			ok("M").vertex(&model.Vertex{ID: "v3", Requirements: []string{""}, Actions: []string{""}}).build(),
		}, []string{MsgRequirementEmpty, MsgScriptEmpty, MsgVertexNameNull, MsgCulDeSac + ` Cul-de-sac(s) in model "M" (no edge leaves them): unnamed vertex (id v3).`}},
		{"vertex names with white space", []*model.Model{
			newModel("M").vertex(&model.Vertex{ID: "a", Name: "v 1"}).vertex(&model.Vertex{ID: "b", Name: "v\t2"}).
				vertex(&model.Vertex{ID: "c", Name: "v\u00a03"}).vertex(&model.Vertex{ID: "d", Name: "v\u30004"}).
				vertex(&model.Vertex{ID: "e", Name: "v_5"}).vertex(&model.Vertex{ID: "f", Name: "v\u200b6"}).
				start("a").build(),
		}, []string{MsgVertexNameSpace, MsgVertexNameSpace, MsgVertexNameSpace, MsgVertexNameSpace}},
		{"edge issues in order", []*model.Model{
			ok("M").edge(&model.Edge{ID: "x", Name: "e x", Weight: 1.5, Actions: []string{""}}, "v1", "").build(),
		}, []string{MsgScriptEmpty, MsgEdgeNoTarget, MsgEdgeNameSpace, MsgWeight}},
		{"weights", []*model.Model{
			ok("M").edge(&model.Edge{ID: "w1", Name: "w1", Weight: -0.001}, "v1", "v2").
				edge(&model.Edge{ID: "w2", Name: "w2", Weight: 1}, "v1", "v2").
				edge(&model.Edge{ID: "w3", Name: "w3", Weight: 0}, "v1", "v2").
				edge(&model.Edge{ID: "w4", Name: "w4", Weight: 1.0000001}, "v1", "v2").build(),
		}, []string{MsgWeight, MsgWeight}},
		{"unnamed edge is fine", []*model.Model{ok("M").edge(&model.Edge{ID: "u"}, "v1", "v2").build()}, nil},
		{"duplicate vertex id", []*model.Model{dupV.build()}, []string{MsgVertexIDNotUnique + "v1", MsgCulDeSac + ` Cul-de-sac(s) in model "M" (no edge leaves them): vertex "v2" (id v1).`}},
		{"duplicate edge id", []*model.Model{dupE.build()}, []string{MsgEdgeIDNotUnique + "e1"}},
		{"edge id equal to a vertex id", []*model.Model{dupEV.build()}, []string{MsgEdgeIDNotUnique + "v2"}},
		{"unnamed self loop", []*model.Model{self.build()}, []string{`Vertex: vertex "v1" (id v1), have a unnamed self loop edge.`}},
		{"no start, no shared state", []*model.Model{newModel("M").v("v1").build()}, []string{MsgNoStart}},
		{"no start ends the context's checks", []*model.Model{
			newModel("M").v("v1").v("v2").v("v3").e("e1", "v1", "v2").e("e2", "v1", "v3").gen("random(edge_coverage(100))").build(),
		}, []string{MsgNoStart}},
		{"no start but a shared state", []*model.Model{
			newModel("M").vertex(&model.Vertex{ID: "v1", Name: "v1", SharedState: "S"}).build(),
		}, nil},
		{"start id that is no element", []*model.Model{newModel("M").v("v1").start("nope").build()}, []string{MsgNoStart}},
		{"ids across models", []*model.Model{ok("A").build(), func() *model.Model {
			m := newModel("B").v("w1").e("f0", "", "w1").e("f1", "w1", "w1").start("f0").build()
			m.ID = "A-id"
			return m
		}()}, []string{MsgModelIDNotUnique + "A-id"}},
		{"same model twice", []*model.Model{twin, twin.Clone()}, []string{
			MsgModelIDNotUnique + "Twin-id",
			MsgModelNotUnique + `model "Twin" (id Twin-id)`,
			MsgElementNotUnique + `vertex "v1" (id v1) in model "Twin"`,
			MsgElementNotUnique + `vertex "v2" (id v2) in model "Twin"`,
			MsgElementNotUnique + `edge "e0" (id e0) in model "Twin"`,
			MsgElementNotUnique + `edge "e1" (id e1) in model "Twin"`,
			MsgElementNotUnique + `edge "e2" (id e2) in model "Twin"`,
		}},
		{"look-alike vertex in another model", []*model.Model{ok("A").build(), ok("B").build()}, []string{
			MsgElementNotUnique + `vertex "v1" (id v1) in model "B"`,
			MsgElementNotUnique + `vertex "v2" (id v2) in model "B"`,
			MsgElementNotUnique + `edge "e0" (id e0) in model "B"`,
			MsgElementNotUnique + `edge "e1" (id e1) in model "B"`,
			MsgElementNotUnique + `edge "e2" (id e2) in model "B"`,
		}},
		{"actions, guards, requirements and properties make elements differ", []*model.Model{ok("A").build(), func() *model.Model {
			m := ok("B").build()
			m.Vertices[0].Actions = []string{"x=1;"}
			m.Vertices[1].Properties = model.Properties{{Key: "x", Value: 1.0}}
			m.Edges[0].Requirements = []string{"R"}
			m.Edges[1].Guard = "true"
			m.Edges[2].Weight = 0.5
			return m
		}()}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			issues, err := GraphWalker(tt.models)
			if err != nil {
				t.Fatal(err)
			}
			got := messages(issues)
			if len(got) == 0 && len(tt.want) == 0 {
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

// Upstream ContextCheckerTest.testRandomGeneratorFullEdgeCoverageNonStronglyConnectedGraph
// and the rule's limits: exactly a RandomPath with an EdgeCoverage of 100.
func TestCulDeSacs(t *testing.T) {
	base := func(gen string, extra bool) *model.Model {
		b := newModel("M").v("v1").v("v2").v("v3").v("v4").
			e("e1", "v1", "v2").e("e2", "v2", "v3").e("e3", "v2", "v4").e("e0", "", "v1").start("e0").gen(gen)
		if extra {
			b.e("e4", "v4", "v2")
		}
		return b.build()
	}
	// GraphWalker's sentence, then the vertices it means (gw).
	two := MsgCulDeSacs + ` Cul-de-sac(s) in model "M" (no edge leaves them): vertex "v3" (id v3), vertex "v4" (id v4).`
	one := MsgCulDeSac + ` Cul-de-sac(s) in model "M" (no edge leaves them): vertex "v3" (id v3).`
	tests := []struct {
		gen   string
		extra bool
		want  []string
	}{
		{"random(edge_coverage(100))", false, []string{two}},
		{"random(edge_coverage(100))", true, []string{one}},
		{"RandomPath(EdgeCoverage(100))", false, []string{two}},
		{"RANDOM(EDGE_COVERAGE(100))", true, []string{one}},
		{"random(edge_coverage(99))", false, nil},
		{"quick_random(edge_coverage(100))", false, nil},
		{"weighted_random(edge_coverage(100))", false, nil},
		{"random(vertex_coverage(100))", false, nil},
		{"random(edge_coverage(100) and vertex_coverage(100))", false, nil},
		{"random(edge_coverage(100) or length(10))", false, nil},
		{"random(edge_coverage(100)) random(length(1))", false, nil},
		{"", false, nil},
	}
	for _, tt := range tests {
		issues, err := GraphWalker([]*model.Model{base(tt.gen, tt.extra)})
		if err != nil {
			t.Fatalf("%s: %v", tt.gen, err)
		}
		if got := messages(issues); len(got)+len(tt.want) > 0 && !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s (extra %v): got %q, want %q", tt.gen, tt.extra, got, tt.want)
		}
	}
	// A dead end with a shared state is not a cul-de-sac.
	m := newModel("M").v("v1").vertex(&model.Vertex{ID: "v2", Name: "v2", SharedState: "S"}).
		e("e0", "", "v1").e("e1", "v1", "v2").start("e0").gen("random(edge_coverage(100))").build()
	if issues, _ := GraphWalker([]*model.Model{m}); len(issues) != 0 {
		t.Errorf("shared dead end: %q", messages(issues))
	}
}

func TestGeneratorErrors(t *testing.T) {
	for _, gen := range []string{"random(edge_coverage(100)", "foo(edge_coverage(100))", "random(reached_vertex(nope))", "a_star(edge_coverage(100))"} {
		m := ok("M").gen(gen).build()
		_, err := Check([]*model.Model{m})
		if err == nil || !strings.Contains(err.Error(), `model "M"`) {
			t.Errorf("%s: err = %v, want an error naming the model", gen, err)
		}
	}
}

func TestReachability(t *testing.T) {
	shared := func(id, s string) *model.Vertex { return &model.Vertex{ID: id, Name: id, SharedState: s} }
	tests := []struct {
		name   string
		models []*model.Model
		want   []string
	}{
		{"all reachable", []*model.Model{ok("M").build()}, nil},
		{"island", []*model.Model{ok("M").v("v3").v("v4").e("e3", "v3", "v4").e("e4", "v4", "v3").gen("random(never)").build()}, []string{
			`Vertex "v3" (id v3) in model "M" cannot be reached from any start element (following edges and shared states, guards ignored).`,
			`Vertex "v4" (id v4) in model "M" cannot be reached from any start element (following edges and shared states, guards ignored).`,
			`Edge "e3" (id e3) in model "M" cannot be reached from any start element (following edges and shared states, guards ignored).`,
			`Edge "e4" (id e4) in model "M" cannot be reached from any start element (following edges and shared states, guards ignored).`,
		}},
		{"unreachable edge makes edge coverage impossible", []*model.Model{
			ok("M").edge(&model.Edge{ID: "e9"}, "", "v2").build(),
		}, []string{
			`Unnamed edge (id e9) in model "M" cannot be reached from any start element (following edges and shared states, guards ignored).`,
			`The model(s) cannot be walked: the stop condition can never be met, so the walk would not end: EdgeCoverage(100) in model "M": 1 element(s) cannot be reached: unnamed edge (id e9)`,
		}},
		{"reached_vertex of an unreachable vertex", []*model.Model{
			ok("M").v("v3").e("e3", "v3", "v1").gen("random(reached_vertex(v3))").build(),
		}, []string{
			`Vertex "v3" (id v3) in model "M" cannot be reached from any start element (following edges and shared states, guards ignored).`,
			`Edge "e3" (id e3) in model "M" cannot be reached from any start element (following edges and shared states, guards ignored).`,
			`The model(s) cannot be walked: the stop condition can never be met, so the walk would not end: ReachedVertex(v3) in model "M": no path leads to vertex "v3" (id v3)`,
		}},
		{"shared states lead into a model without start", []*model.Model{
			newModel("A").v("a1").vertex(shared("a2", "S")).e("a0", "", "a1").e("a1a2", "a1", "a2").e("a2a1", "a2", "a1").start("a0").gen("random(edge_coverage(100))").build(),
			newModel("B").vertex(shared("b1", "S")).v("b2").e("b1b2", "b1", "b2").e("b2b1", "b2", "b1").gen("random(edge_coverage(100))").build(),
		}, nil},
		{"model without start and no way in", []*model.Model{
			ok("A").build(),
			newModel("B").vertex(shared("b1", "S")).v("b2").e("b1b2", "b1", "b2").gen("random(never)").build(),
		}, []string{
			`Vertex "b1" (id b1) in model "B" cannot be reached from any start element (following edges and shared states, guards ignored).`,
			`Vertex "b2" (id b2) in model "B" cannot be reached from any start element (following edges and shared states, guards ignored).`,
			`Edge "b1b2" (id b1b2) in model "B" cannot be reached from any start element (following edges and shared states, guards ignored).`,
		}},
		{"unnamed dead-end shared vertex is never jumped to", []*model.Model{
			newModel("A").vertex(shared("a1", "S")).e("a0", "", "a1").e("a1a1", "a1", "a1").start("a0").gen("random(never)").build(),
			newModel("B").vertex(&model.Vertex{ID: "b1", SharedState: "S"}).gen("random(never)").build(),
		}, []string{
			`Unnamed vertex (id b1) in model "B" cannot be reached from any start element (following edges and shared states, guards ignored).`,
		}},
		{"no start anywhere", []*model.Model{
			newModel("B").vertex(shared("b1", "S")).v("b2").e("b1b2", "b1", "b2").gen("random(never)").build(),
		}, []string{MsgNoStartAtAll}},
		{"no start and no shared state: GraphWalker says it", []*model.Model{newModel("M").v("v1").gen("random(never)").build()}, nil},
		{"start id that names no element is ignored", []*model.Model{
			ok("A").build(),
			newModel("B").vertex(shared("b1", "S")).e("b1b1", "b1", "b1").start("v0").gen("random(never)").build(),
			newModel("C").vertex(shared("c1", "S")).e("c1c1", "c1", "c1").gen("random(never)").build(),
		}, []string{
			`Vertex "b1" (id b1) in model "B" cannot be reached from any start element (following edges and shared states, guards ignored).`,
			`Edge "b1b1" (id b1b1) in model "B" cannot be reached from any start element (following edges and shared states, guards ignored).`,
			`Vertex "c1" (id c1) in model "C" cannot be reached from any start element (following edges and shared states, guards ignored).`,
			`Edge "c1c1" (id c1c1) in model "C" cannot be reached from any start element (following edges and shared states, guards ignored).`,
		}},
		{"model without generator", []*model.Model{ok("M").gen("").build()}, []string{
			`The model(s) cannot be walked: model "M": No path generator is defined: give the model a generator, e.g. random(edge_coverage(100))`,
		}},
		{"script that does not compile", []*model.Model{func() *model.Model {
			m := ok("M").build()
			m.Edges[1].Actions = []string{"x = ;"}
			return m
		}()}, []string{"The model(s) cannot be walked: "}},
		{"stray vertex", []*model.Model{func() *model.Model {
			m := ok("M").build()
			m.Edges[1].Target = &model.Vertex{ID: "zz"}
			return m
		}()}, []string{`Edge "e1" (id e1) in model "M" connects a vertex that is not in the model.`}},
		{"nil model", []*model.Model{nil}, nil},
		{"no models", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			issues := Reachability(tt.models)
			got := messages(issues)
			for _, i := range issues {
				if !i.Own {
					t.Errorf("issue %q not marked Own", i)
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got\n%q\nwant\n%q", got, tt.want)
			}
			for i := range got {
				// The last want may be a prefix (script errors come from goja).
				if got[i] != tt.want[i] && !(strings.HasSuffix(tt.want[i], ": ") && strings.HasPrefix(got[i], tt.want[i])) {
					t.Errorf("issue %d:\n got %q\nwant %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestCheckOrderAndWhere(t *testing.T) {
	m := ok("M").v("v 3").gen("random(edge_coverage(100))").build()
	issues, err := Check([]*model.Model{m})
	if err != nil {
		t.Fatal(err)
	}
	if len(issues) < 3 {
		t.Fatalf("issues: %q", messages(issues))
	}
	if issues[0].Message != MsgVertexNameSpace || issues[0].Own || issues[0].Where() != `model "M", vertex "v 3" (id v 3)` {
		t.Errorf("first issue %+v, where %q", issues[0], issues[0].Where())
	}
	if !strings.HasPrefix(issues[1].Message, MsgCulDeSac+" Cul-de-sac(s)") || issues[1].Where() != `model "M"` {
		t.Errorf("second issue %+v", issues[1])
	}
	for _, i := range issues[2:] {
		if !i.Own {
			t.Errorf("GraphWalker issue %q after gw's", i)
		}
	}
}

// Upstream ContextsCheckerTest: petClinic.json has ids repeated across
// models but no issue.
func TestPetClinic(t *testing.T) {
	data, err := os.ReadFile("testdata/petClinic.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := gwjson.Parse(data, "petClinic.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Models) != 5 {
		t.Fatalf("%d models", len(doc.Models))
	}
	issues, err := Check(doc.Models)
	if err != nil {
		t.Fatal(err)
	}
	if len(issues) != 0 {
		t.Errorf("issues: %q", messages(issues))
	}
}

func TestCheckDoesNotModify(t *testing.T) {
	m := ok("M").v("v3").build()
	before := *m.Vertices[2]
	if _, err := Check([]*model.Model{m}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, *m.Vertices[2]) || len(m.Vertices) != 3 {
		t.Error("Check modified its model")
	}
}
