package machine

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gw-project/gw/internal/condition"
	"github.com/gw-project/gw/internal/generator"
	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/script"
)

// mb builds models for tests.
type mb struct{ m *model.Model }

func newModel(name, gen string) *mb { return &mb{&model.Model{Name: name, ID: name, Generator: gen}} }

func (b *mb) v(id string, opts ...func(*model.Vertex)) *mb {
	v := &model.Vertex{ID: id, Name: id}
	for _, o := range opts {
		o(v)
	}
	b.m.Vertices = append(b.m.Vertices, v)
	return b
}

func shared(s string) func(*model.Vertex) { return func(v *model.Vertex) { v.SharedState = s } }
func vname(s string) func(*model.Vertex)  { return func(v *model.Vertex) { v.Name = s } }
func vaction(s string) func(*model.Vertex) {
	return func(v *model.Vertex) { v.Actions = append(v.Actions, s) }
}
func guard(s string) func(*model.Edge) { return func(e *model.Edge) { e.Guard = s } }
func action(s string) func(*model.Edge) {
	return func(e *model.Edge) { e.Actions = append(e.Actions, s) }
}
func weight(w float64) func(*model.Edge) { return func(e *model.Edge) { e.Weight = w } }
func ename(s string) func(*model.Edge)   { return func(e *model.Edge) { e.Name = s } }
func vreq(s string) func(*model.Vertex) {
	return func(v *model.Vertex) { v.Requirements = append(v.Requirements, s) }
}
func ereq(s string) func(*model.Edge) {
	return func(e *model.Edge) { e.Requirements = append(e.Requirements, s) }
}

func (b *mb) vertex(id string) *model.Vertex {
	for _, v := range b.m.Vertices {
		if v.ID == id {
			return v
		}
	}
	return nil
}

// e adds edge id from src ("" = start edge) to dst.
func (b *mb) e(id, src, dst string, opts ...func(*model.Edge)) *mb {
	e := &model.Edge{ID: id, Name: id, Source: b.vertex(src), Target: b.vertex(dst)}
	for _, o := range opts {
		o(e)
	}
	b.m.Edges = append(b.m.Edges, e)
	return b
}

func (b *mb) start(id string) *mb { b.m.StartElementID = id; return b }
func (b *mb) init(a string) *mb   { b.m.Actions = append(b.m.Actions, a); return b }
func (b *mb) build(t testing.TB) *model.Model {
	t.Helper()
	if err := b.m.Index(); err != nil {
		t.Fatal(err)
	}
	return b.m
}

// run walks to the end and returns the ids (or names) of the steps.
func run(t testing.TB, opts Options, byName bool, models ...*model.Model) ([]string, error) {
	t.Helper()
	m, err := New(models, opts)
	if err != nil {
		return nil, err
	}
	defer m.Close()
	var path []string
	for i := 0; i < 100000; i++ {
		more, err := m.HasNext()
		if err != nil {
			return path, err
		}
		if !more {
			return path, nil
		}
		s, err := m.Next()
		if err != nil {
			return path, err
		}
		if byName {
			path = append(path, s.Model().ElementName(s.Element))
		} else {
			path = append(path, s.Model().ElementID(s.Element))
		}
	}
	t.Fatal("walk did not end")
	return nil, nil
}

func seeded(s int64) Options { return Options{Seed: s, HasSeed: true} }

func fourEdges(gen string) *mb {
	return newModel("four", gen).v("A").v("B").
		e("ab", "A", "B").e("ab_2", "A", "B").e("ab_3", "A", "B").e("ba", "B", "A").start("A")
}

func check(t *testing.T, got []string, err error, want string) {
	t.Helper()
	if err != nil {
		t.Fatalf("walk failed after %v: %v", got, err)
	}
	if g := strings.Join(got, " "); g != want {
		t.Errorf("path\n got %s\nwant %s", g, want)
	}
}

func TestSeededRandom(t *testing.T) {
	got, err := run(t, seeded(1349327921), false, fourEdges("random(length(30))").build(t))
	check(t, got, err, "A ab B ba A ab_2 B ba A ab_2 B ba A ab_2 B ba A ab B ba A ab_3 B ba A ab_2 B ba A ab B")
}

func TestSeededQuickRandom(t *testing.T) {
	got, err := run(t, seeded(1349327921), false, fourEdges("quick_random(length(30))").build(t))
	check(t, got, err, "A ab B ba A ab_3 B ba A ab_2 B ba A ab B ba A ab_3 B ba A ab_2 B ba A ab B ba A ab_2 B")
}

func TestSeededWeightedRandom(t *testing.T) {
	mod := newModel("w", "weighted_random(length(30))").v("source").v("target").
		e("edge1", "source", "target", weight(0.5)).e("edge2", "source", "target", weight(0.25)).
		e("edge3", "source", "target", weight(0.15)).e("edge4", "source", "target").e("edge5", "source", "target").
		e("back2SourceEdge", "target", "source").start("source").build(t)
	m, err := New([]*model.Model{mod}, Options{Seed: 1349327921, HasSeed: true})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	m.contexts[0].setCurrent(0) // GraphWalker's setCurrentElement: source is not executed
	m.current = m.contexts[0]
	var got []string
	for {
		more, err := m.HasNext()
		if err != nil {
			t.Fatal(err)
		}
		if !more {
			break
		}
		s, err := m.Next()
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, mod.ElementID(s.Element))
	}
	want := strings.Repeat("edge1 target back2SourceEdge source ", 5) + strings.Repeat("edge2 target back2SourceEdge source ", 2) + "edge1 target"
	check(t, got, nil, want)
}

func TestWeightsOverOne(t *testing.T) {
	mod := newModel("w", "weighted_random(length(30))").v("s").v("t").
		e("e1", "s", "t", weight(0.5)).e("e2", "s", "t", weight(0.25)).e("e3", "s", "t", weight(0.15)).e("e4", "s", "t", weight(0.15)).
		e("back", "t", "s").start("s").build(t)
	_, err := run(t, seeded(1), false, mod)
	if err == nil || !strings.Contains(err.Error(), "adds up to more than 1.00") {
		t.Fatalf("got %v", err)
	}
}

func multi(t *testing.T, n string) *model.Model {
	return newModel("m"+n, "random(edge_coverage(100))").v("A"+n, shared("A")).v("B"+n, shared("B")).
		e("A"+n+"B"+n+"_1", "A"+n, "B"+n).e("A"+n+"B"+n+"_2", "A"+n, "B"+n).e("A"+n+"B"+n+"_3", "A"+n, "B"+n).
		e("B"+n+"A"+n+"_1", "B"+n, "A"+n).e("B"+n+"A"+n+"_2", "B"+n, "A"+n).start("A" + n).build(t)
}

func TestSeededMultipleContexts(t *testing.T) {
	got, err := run(t, seeded(123456789), false, multi(t, "1"), multi(t, "2"))
	check(t, got, err, "A1 A2 A2B2_3 B2 B1 B1A1_2 A1 A2 A2B2_3 B2 B1 B1A1_1 A1 A1B1_2 B1 B2 B2A2_2 A2 A1 A1B1_2 B1 B2 B2A2_1 A2 A1 A1B1_3 B1 "+
		"B1A1_2 A1 A2 A2B2_2 B2 B2A2_2 A2 A2B2_3 B2 B2A2_2 A2 A1 A1B1_3 B1 B1A1_1 A1 A1B1_3 B1 B2 B2A2_2 A2 A1 A1B1_1 B1 B1A1_1 "+
		"A1 A1B1_2 B1 B1A1_1 A1 A2 A2B2_2 B2 B1 B1A1_2 A1 A1B1_2 B1 B2 B2A2_2 A2 A1 A1B1_1 B1 B2 B2A2_2 A2 A1 A1B1_1 B1 B2 B2A2_1 "+
		"A2 A2B2_3 B2 B2A2_2 A2 A1 A1B1_3 B1 B1A1_1 A1 A1B1_1 B1 B2 B2A2_2 A2 A1 A1B1_2 B1 B1A1_1 A1 A2 A2B2_1 B2")
}

func TestSharedStateWithUnaccessibleEdge(t *testing.T) {
	m1 := newModel("m1", "random(edge_coverage(100))").v("A").v("B", shared("MyState")).
		e("b", "A", "B").e("a", "B", "A", action("global.available = true")).start("A").init("global.available = false").build(t)
	m2 := newModel("m2", "random(edge_coverage(100))").v("C", shared("MyState")).v("D").
		e("d", "C", "D", guard("global.available == true")).build(t)
	got, err := run(t, Options{Seed: 147945811993279, HasSeed: true, SkipReachabilityCheck: true}, true, m1, m2)
	check(t, got, err, "A b B C B a A b B C d D")
}

func TestSimpleSharedState(t *testing.T) {
	m1 := newModel("m1", "random(vertex_coverage(100))").v("start").v("shared1", shared("MyState")).
		e("edge1", "start", "shared1").start("start").build(t)
	m2 := newModel("m2", "random(vertex_coverage(100))").v("shared2", shared("MyState")).v("stop").
		e("edge2", "shared2", "stop").build(t)
	got, err := run(t, seeded(1), false, m1, m2)
	check(t, got, err, "start edge1 shared1 shared2 edge2 stop")
}

func TestMultipleSharedStates(t *testing.T) {
	m1 := newModel("m1", "random(edge_coverage(100))").v("H", shared("SHARED3")).v("I").v("A", shared("SHARED1")).
		e("hi", "H", "I").e("ia", "I", "A").start("A").build(t)
	m2 := newModel("m2", "random(edge_coverage(100))").v("B", shared("SHARED1")).v("C").v("D", shared("SHARED2")).
		e("bc", "B", "C").e("cd", "C", "D").build(t)
	m3 := newModel("m3", "random(edge_coverage(100))").v("E", shared("SHARED2")).v("F").v("G", shared("SHARED3")).
		e("ef", "E", "F").e("fg", "F", "G").build(t)
	for _, seed := range []int64{1, 2, 3} {
		got, err := run(t, seeded(seed), false, m1, m2, m3)
		if err != nil {
			t.Fatal(err)
		}
		var vs []string
		for _, id := range got {
			if len(id) == 1 {
				vs = append(vs, id)
			}
		}
		if g := strings.Join(vs, " "); !strings.HasPrefix(g, "A B C D E F G H I A") {
			t.Errorf("seed %d: %s", seed, g)
		}
	}
}

func shortestModel(b *mb) *mb {
	return b.v("Start").v("v2").v("v1").v("v3a", vname("v3")).v("v3b", vname("v3")).
		e("e1", "Start", "v2", action("x=-1")).e("e2", "v2", "v1", action("x=x+1")).e("e3", "v1", "v2").
		e("e4", "v2", "v3a", guard("x>1")).e("e5", "v3a", "v2").e("e6", "v2", "v3b").start("Start")
}

func TestSimpleShortestAllPaths(t *testing.T) {
	got, err := run(t, seeded(1), false, shortestModel(newModel("m", "shortest_all_paths(vertex_coverage(100))")).build(t))
	check(t, got, err, "Start e1 v2 e2 v1 e3 v2 e4 v3a e5 v2 e6 v3b")
}

func TestSimpleAStar(t *testing.T) {
	b := shortestModel(newModel("m", "a_star(reached_vertex(v3))"))
	b.m.Vertices[4].Name = "v4"
	got, err := run(t, seeded(1), false, b.build(t))
	check(t, got, err, "Start e1 v2 e2 v1 e3 v2 e2 v1 e3 v2 e2 v1 e3 v2 e4 v3a")
}

func TestShortestAllPaths3(t *testing.T) {
	mod := newModel("m", "shortest_all_paths(vertex_coverage(100))").v("Start").v("v1").v("v2").v("v3").v("v4").
		e("e1", "Start", "v1").e("e2", "v1", "v2").e("e3", "v1", "v3").e("e4", "v2", "v4").e("e5", "v3", "v4").e("e6", "v4", "v1").
		start("Start").build(t)
	got, err := run(t, seeded(1), false, mod)
	check(t, got, err, "Start e1 v1 e2 v2 e4 v4 e6 v1 e3 v3")
}

func TestStartEdgeShortestAllPaths(t *testing.T) {
	mod := newModel("m", "shortest_all_paths(edge_coverage(100))").v("v1").
		e("e1", "", "v1").e("e2", "v1", "v1").start("e1").build(t)
	got, err := run(t, seeded(1), false, mod)
	check(t, got, err, "e1 v1 e2 v1")
}

func login(gen string) *mb {
	return newModel("Login", gen).
		v("v_ClientNotRunning").v("v_LoginPrompted").v("v_Browse").
		e("e_Init", "", "v_ClientNotRunning", action("rememberMe=false;"), action("validLogin=true;")).
		e("e_StartClient1", "v_ClientNotRunning", "v_LoginPrompted", guard("!rememberMe||!validLogin"), ename("e_StartClient")).
		e("e_ValidPremiumCredentials", "v_LoginPrompted", "v_Browse", action("validLogin=true;")).
		e("e_Logout", "v_Browse", "v_LoginPrompted").
		e("e_Exit", "v_Browse", "v_ClientNotRunning").
		e("e_ToggleRememberMe", "v_LoginPrompted", "v_LoginPrompted", action("rememberMe=!rememberMe;")).
		e("e_Close", "v_LoginPrompted", "v_ClientNotRunning").
		e("e_StartClient2", "v_ClientNotRunning", "v_Browse", guard("rememberMe&&validLogin"), ename("e_StartClient")).
		e("e_InvalidCredentials", "v_LoginPrompted", "v_LoginPrompted").
		start("e_Init")
}

func TestComplexConditions(t *testing.T) {
	tests := []struct {
		cond   string
		last   string
		length int
	}{
		{"reached_vertex(v_Browse) and reached_vertex(v_LoginPrompted)", "v_LoginPrompted", 12},
		{"reached_edge(e_ToggleRememberMe) and reached_edge(e_InvalidCredentials)", "e_InvalidCredentials", 35},
		{"reached_vertex(v_Browse) and reached_edge(e_InvalidCredentials)", "e_InvalidCredentials", 29},
		{"reached_vertex(v_Browse) or reached_vertex(v_LoginPrompted)", "v_LoginPrompted", 4},
		{"reached_edge(e_ToggleRememberMe) or reached_edge(e_InvalidCredentials)", "e_InvalidCredentials", 5},
		{"reached_vertex(v_Browse) or reached_edge(e_InvalidCredentials)", "e_InvalidCredentials", 5},
		{"time_duration(1000) or (reached_vertex(v_Browse) and edge_coverage(100))", "v_Browse", 40},
		{"reached_vertex(v_LoginPrompted) or (reached_vertex(v_Browse) and edge_coverage(100))", "v_LoginPrompted", 4},
		{"(reached_vertex(v_Browse) and edge_coverage(100)) or (reached_vertex(v_ClientNotRunning) and edge_coverage(100))", "v_Browse", 40},
	}
	for _, tt := range tests {
		t.Run(tt.cond, func(t *testing.T) {
			got, err := run(t, seeded(1111), true, login("random("+tt.cond+")").build(t))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.length || got[len(got)-1] != tt.last {
				t.Errorf("got %d steps ending %s, want %d ending %s: %v", len(got), got[len(got)-1], tt.length, tt.last, got)
			}
		})
	}
}

func TestExecuteAction(t *testing.T) {
	mod := newModel("m", "random(edge_coverage(100))").v("v1", vaction("var a = 1;")).v("v2").
		e("e1", "v1", "v2", action("var i = 1;")).e("e2", "v2", "v1", guard("i != 0 && a == 1")).start("v1").build(t)
	got, err := run(t, seeded(1), false, mod)
	check(t, got, err, "v1 e1 v2 e2 v1")
}

func TestHonorGuard(t *testing.T) {
	mod := newModel("m", "random(edge_coverage(100))").v("v1").v("v2").
		e("e1", "v1", "v2", action("var i = 1;")).e("e2", "v2", "v1", guard("i == 0")).start("v1").build(t)
	_, err := run(t, Options{SkipReachabilityCheck: true}, false, mod)
	if err == nil || !strings.Contains(err.Error(), "Could not find a valid path from element: v2") {
		t.Fatalf("got %v", err)
	}
}

func TestNoStart(t *testing.T) {
	mod := newModel("m", "random(edge_coverage(100))").v("v1").build(t)
	_, err := New([]*model.Model{mod}, Options{})
	if err == nil || !strings.Contains(err.Error(), "No start context found") {
		t.Fatalf("got %v", err)
	}
}

func TestEdgeRequirementPassesAtVertex(t *testing.T) {
	mod := newModel("m", "random(edge_coverage(100))").v("v1", vreq("1")).
		e("e1", "v1", "v1", ereq("2")).start("v1").build(t)
	m, err := New([]*model.Model{mod}, seeded(1))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	var passed []int
	for range 3 {
		if _, err := m.Next(); err != nil {
			t.Fatal(err)
		}
		_, cov := m.contexts[0].RequirementCounts()
		passed = append(passed, cov)
	}
	if passed[0] != 1 || passed[1] != 1 || passed[2] != 2 {
		t.Errorf("covered after each step = %v, want [1 1 2]", passed)
	}
}

func TestRunawayScript(t *testing.T) {
	mod := newModel("m", "random(edge_coverage(100))").v("v1").v("v2").
		e("e1", "v1", "v2", action("while(true){}")).e("e2", "v2", "v1").start("v1").build(t)
	_, err := run(t, Options{Script: script.Limits{Timeout: 50e6}}, false, mod)
	if err == nil || !strings.Contains(err.Error(), "deadline") || !strings.Contains(err.Error(), `"e1"`) {
		t.Fatalf("got %v", err)
	}
}

func TestUnreachableCoverage(t *testing.T) {
	mod := newModel("m", "random(edge_coverage(100))").v("v1").v("v2").v("v3").
		e("e1", "v1", "v2").e("e2", "v2", "v1").e("e3", "v3", "v1").start("v1").build(t)
	_, err := New([]*model.Model{mod}, Options{})
	if err == nil || !strings.Contains(err.Error(), `edge "e3"`) {
		t.Fatalf("got %v", err)
	}
	// 66% is reachable, so edge_coverage(60) can end.
	mod.Generator = "random(edge_coverage(60))"
	if _, err := run(t, seeded(1), false, mod); err != nil {
		t.Fatal(err)
	}
}

func TestNoProgress(t *testing.T) {
	// e3 is behind a guard that never opens: GraphWalker walks forever.
	mod := newModel("m", "random(edge_coverage(100))").v("v1").v("v2").
		e("e1", "v1", "v2").e("e2", "v2", "v1").e("e3", "v2", "v2", guard("false")).start("v1").build(t)
	_, err := run(t, seeded(1), false, mod)
	if err == nil || !strings.Contains(err.Error(), "no progress") || !strings.Contains(err.Error(), `"e3"`) {
		t.Fatalf("got %v", err)
	}
}

func TestCoverageAboveHundredIsRefused(t *testing.T) {
	mod := newModel("m", "random(edge_coverage(101))").v("v1").v("v2").
		e("e1", "v1", "v2").e("e2", "v2", "v1").start("v1").build(t)
	_, err := New([]*model.Model{mod}, Options{})
	if err == nil || !strings.Contains(err.Error(), "more than 100 %") {
		t.Fatalf("got %v", err)
	}
}

// One deadline covers a step: 20 slow guards cannot make one step take 20
// times the script timeout (issue 9).
func TestDeadlinePerStep(t *testing.T) {
	b := newModel("m", "random(edge_coverage(100))").v("v1").v("v2")
	slow := "(function(){ var t = Date.now(); while (Date.now() - t < 200) {} return true })()"
	for i := range 20 {
		b = b.e(fmt.Sprintf("e%d", i), "v1", "v2", guard(slow))
	}
	mod := b.e("back", "v2", "v1").start("v1").build(t)
	m, err := New([]*model.Model{mod}, Options{Seed: 1, HasSeed: true, Script: script.Limits{Timeout: 300 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if _, err := m.Next(); err != nil { // v1
		t.Fatal(err)
	}
	start := time.Now()
	_, err = m.Next()
	if !errors.Is(err, script.ErrTimeout) || !strings.Contains(err.Error(), "--script-timeout") {
		t.Fatalf("got %v", err)
	}
	if d := time.Since(start); d > 3*time.Second { // the 20 guards would take 4 s
		t.Errorf("the step took %v under a 300 ms deadline", d)
	}
}

// fixed is a generator that walks a fixed list of elements.
type fixed struct {
	c    *Context
	path []model.Element
	pos  int
}

func (g *fixed) HasNext() bool { return g.pos < len(g.path) }
func (g *fixed) Next() (model.Element, error) {
	el := g.path[g.pos]
	g.pos++
	g.c.SetCurrent(el)
	return el, nil
}
func (g *fixed) StopCondition() condition.Condition { return condition.Never{} }
func (g *fixed) String() string                     { return "fixed" }

// Options.Generators replaces the model's generator (whose text may be
// empty); Options.Check can stop a step before it is visited.
func TestGeneratorsAndCheck(t *testing.T) {
	mod := newModel("m", "").v("A").v("B").e("ab", "A", "B").e("ba", "B", "A").start("A").build(t)
	var gen *fixed
	stopAt := "B"
	opts := Options{
		Generators: func(c *Context) (generator.Generator, error) {
			gen = &fixed{c: c, path: []model.Element{2, 1, 3, 0, 2}} // ab B ba A ab
			return gen, nil
		},
		Check: func(s Step) error {
			if s.Model().ElementName(s.Element) == stopAt && s.Context.VisitCount(s.Element) == 0 {
				return errors.New("stop here")
			}
			return nil
		},
	}
	stopAt = "none"
	got, err := run(t, opts, true, mod)
	check(t, got, err, "A ab B ba A ab")
	stopAt = "B"
	m, err := New([]*model.Model{mod}, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	for range 2 {
		if _, err := m.Next(); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := m.Next(); err == nil || err.Error() != "stop here" {
		t.Fatalf("Check's error: %v", err)
	}
	c := m.Contexts()[0]
	if c.Status() != Failed || c.VisitCount(1) != 0 {
		t.Errorf("status %v, visits of B %d: a checked step is not visited and fails its context", c.Status(), c.VisitCount(1))
	}
	if _, err := New([]*model.Model{mod}, Options{Generators: func(*Context) (generator.Generator, error) { return nil, errors.New("no") }}); err == nil || !strings.Contains(err.Error(), `model "m": no`) {
		t.Errorf("a Generators error: %v", err)
	}
}
