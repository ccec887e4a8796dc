package generator_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/gw-project/gw/internal/algorithm"
	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
)

// The bench models live with the planner's tests.
const testdata = "../algorithm/testdata/"

func load(tb testing.TB, file, gen string) []*model.Model {
	tb.Helper()
	data, err := os.ReadFile(testdata + file)
	if err != nil {
		tb.Fatal(err)
	}
	doc, err := gwjson.Parse(data, file)
	if err != nil {
		tb.Fatal(err)
	}
	for _, m := range doc.Models {
		if gen != "" {
			m.Generator = gen
		}
		if err := m.Index(); err != nil {
			tb.Fatal(err)
		}
	}
	return doc.Models
}

type edgeSpec struct {
	id, src, dst  string // src "" = start edge
	guard, action string
	dep           int
}

// build makes a model from vertex ids and edges; the start is the first
// vertex unless start is set.
func build(tb testing.TB, gen, start string, vs []string, es []edgeSpec) *model.Model {
	tb.Helper()
	m := &model.Model{ID: "m", Name: "m", Generator: gen}
	byID := map[string]*model.Vertex{}
	for _, id := range vs {
		v := &model.Vertex{ID: id, Name: id}
		byID[id] = v
		m.Vertices = append(m.Vertices, v)
	}
	for _, e := range es {
		me := &model.Edge{ID: e.id, Name: e.id, Source: byID[e.src], Target: byID[e.dst], Guard: e.guard, Dependency: e.dep}
		if e.action != "" {
			me.Actions = []string{e.action}
		}
		m.Edges = append(m.Edges, me)
	}
	m.StartElementID = vs[0]
	if start != "" {
		m.StartElementID = start
	}
	if err := m.Index(); err != nil {
		tb.Fatal(err)
	}
	return m
}

// walk runs a machine to its end (at most limit steps) and returns the
// steps as element ids.
func walk(tb testing.TB, opts machine.Options, limit int, models ...*model.Model) ([]string, error) {
	tb.Helper()
	m, err := machine.New(models, opts)
	if err != nil {
		return nil, err
	}
	defer m.Close()
	var path []string
	for len(path) < limit {
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
		path = append(path, s.Model().ElementID(s.Element))
	}
	return path, fmt.Errorf("walk did not end in %d steps", limit)
}

func seeded(s int64) machine.Options { return machine.Options{Seed: s, HasSeed: true} }

func TestShortestAllPathsPaths(t *testing.T) {
	tests := []struct {
		name  string
		gen   string
		start string
		vs    []string
		es    []edgeSpec
		want  string
	}{{
		// Not Eulerian (GraphWalker: "The model is not eulerian"): B→A is
		// walked twice, the fewest possible.
		name: "not eulerian", gen: "shortest_all_paths(edge_coverage(100))",
		vs:   []string{"A", "B"},
		es:   []edgeSpec{{id: "ab1", src: "A", dst: "B"}, {id: "ab2", src: "A", dst: "B"}, {id: "ab3", src: "A", dst: "B"}, {id: "ba", src: "B", dst: "A"}},
		want: "A ab1 B ba A ab2 B ba A ab3 B",
	}, {
		name: "start edge, not eulerian", gen: "shortest_all_paths(edge_coverage(100))", start: "s",
		vs:   []string{"A", "B"},
		es:   []edgeSpec{{id: "s", dst: "A"}, {id: "ab", src: "A", dst: "B"}, {id: "ba", src: "B", dst: "A"}, {id: "bb", src: "B", dst: "B"}, {id: "aa", src: "A", dst: "A"}, {id: "ab2", src: "A", dst: "B"}},
		want: "s A ab B bb B ba A aa A ab2 B",
	}, {
		// A one-way model: rings A⇄B then C⇄D, joined by B→C.
		name: "not strongly connected", gen: "shortest_all_paths(edge_coverage(100))",
		vs:   []string{"A", "B", "C", "D"},
		es:   []edgeSpec{{id: "ab", src: "A", dst: "B"}, {id: "ba", src: "B", dst: "A"}, {id: "bc", src: "B", dst: "C"}, {id: "cd", src: "C", dst: "D"}, {id: "dc", src: "D", dst: "C"}, {id: "dc2", src: "D", dst: "C"}},
		want: "A ab B ba A ab B bc C cd D dc C cd D dc2 C",
	}, {
		// The guard of ab1 opens only after ab2: re-planned around it.
		name: "guard re-plan", gen: "shortest_all_paths(edge_coverage(100))",
		vs: []string{"A", "B"},
		es: []edgeSpec{{id: "ab1", src: "A", dst: "B", guard: "typeof open !== 'undefined'"}, {id: "ab2", src: "A", dst: "B", action: "open = true"},
			{id: "ba", src: "B", dst: "A"}, {id: "ab3", src: "A", dst: "B"}},
		want: "A ab2 B ba A ab3 B ba A ab1 B",
	}, {
		// Half of the edges: stops on the way.
		name: "edge coverage 50", gen: "shortest_all_paths(edge_coverage(50))",
		vs:   []string{"A", "B"},
		es:   []edgeSpec{{id: "ab1", src: "A", dst: "B"}, {id: "ab2", src: "A", dst: "B"}, {id: "ab3", src: "A", dst: "B"}, {id: "ba", src: "B", dst: "A"}},
		want: "A ab1 B ba A",
	}, {
		// Not Eulerian: nearest unvisited vertex first.
		name: "vertex coverage", gen: "shortest_all_paths(vertex_coverage(100))",
		vs:   []string{"A", "B", "C", "D"},
		es:   []edgeSpec{{id: "ab", src: "A", dst: "B"}, {id: "ac", src: "A", dst: "C"}, {id: "ba", src: "B", dst: "A"}, {id: "ca", src: "C", dst: "A"}, {id: "cd", src: "C", dst: "D"}, {id: "da", src: "D", dst: "A"}, {id: "aa", src: "A", dst: "A"}},
		want: "A ab B ba A ac C cd D",
	}, {
		name: "dependency", gen: "shortest_all_paths(dependency_edge_coverage(50))",
		vs: []string{"A", "B"},
		es: []edgeSpec{{id: "ab1", src: "A", dst: "B"}, {id: "ab2", src: "A", dst: "B", dep: 80}, {id: "ba", src: "B", dst: "A"},
			{id: "bb", src: "B", dst: "B"}, {id: "ab3", src: "A", dst: "B"}},
		want: "A ab2 B",
	}, {
		// The plan is walked out before length(…) is met: another round.
		name: "rounds", gen: "shortest_all_paths(length(11))",
		vs:   []string{"A", "B"},
		es:   []edgeSpec{{id: "ab1", src: "A", dst: "B"}, {id: "ab2", src: "A", dst: "B"}, {id: "ba", src: "B", dst: "A"}},
		want: "A ab1 B ba A ab2 B ba A ab1 B",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := walk(t, seeded(1), 1000, build(t, tt.gen, tt.start, tt.vs, tt.es))
			if err != nil {
				t.Fatalf("after %v: %v", got, err)
			}
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("got  %s\nwant %s", g, tt.want)
			}
		})
	}
}

func TestShortestAllPathsErrors(t *testing.T) {
	tests := []struct {
		name string
		vs   []string
		es   []edgeSpec
		want string
	}{{
		name: "unreachable",
		vs:   []string{"A", "B", "C"},
		es:   []edgeSpec{{id: "ab", src: "A", dst: "B"}, {id: "ba", src: "B", dst: "A"}, {id: "ca", src: "C", dst: "A"}},
		want: `cannot be reached from vertex "A" (id A): edge "ca" (id ca)`,
	}, {
		name: "fork",
		vs:   []string{"A", "B", "C"},
		es:   []edgeSpec{{id: "ab", src: "A", dst: "B"}, {id: "ac", src: "A", dst: "C"}},
		want: `no single walk from vertex "A" (id A) covers every element: after the others, it cannot get back to edge "ac" (id ac)`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := build(t, "shortest_all_paths(edge_coverage(100))", "", tt.vs, tt.es)
			got, err := walk(t, machine.Options{Seed: 1, HasSeed: true, SkipReachabilityCheck: true}, 1000, m)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("path %v, error %v; want %q", got, err, tt.want)
			}
		})
	}
}

// TestShortestAllPathsOptimal walks random models through the machine and
// checks the length against the planner's tour (itself checked against
// exhaustive search and two other formulations in package algorithm).
func TestShortestAllPathsOptimal(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	checked := 0
	for iter := range 300 {
		nv := 1 + r.IntN(8)
		var vs []string
		for i := range nv {
			vs = append(vs, fmt.Sprintf("v%d", i))
		}
		var es []edgeSpec
		for j := range r.IntN(20) {
			es = append(es, edgeSpec{id: fmt.Sprintf("e%d", j), src: vs[r.IntN(nv)], dst: vs[r.IntN(nv)]})
		}
		m := build(t, "shortest_all_paths(edge_coverage(100))", "", vs, es)
		tour, terr := algorithm.PostmanTour(m, 0)
		if terr != nil || len(es) == 0 {
			continue
		}
		checked++
		got, err := walk(t, seeded(int64(iter)), 10000, m)
		if err != nil {
			t.Fatalf("iter %d: %v", iter, err)
		}
		if len(got) != 1+len(tour) {
			t.Fatalf("iter %d: walked %d steps, the shortest covering walk has %d", iter, len(got), 1+len(tour))
		}
	}
	t.Logf("%d coverable random models", checked)
}

// TestShortestAllPathsBench: the bench models' full walks through the
// machine are as long as their postman tours.
func TestShortestAllPathsBench(t *testing.T) {
	for _, tt := range []struct {
		file  string
		steps int
	}{{"random-100x500.json", 1333}, {"random-1000x5000.json", 14021}, {"SuperLarge.json", 3640}} {
		t.Run(tt.file, func(t *testing.T) {
			models := load(t, tt.file, "shortest_all_paths(edge_coverage(100))")
			got, err := walk(t, seeded(1), 1_000_000, models...)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.steps {
				t.Errorf("%d steps, want %d", len(got), tt.steps)
			}
		})
	}
}

// TestCoverageFigures prints the figures of the README's comparison:
// steps to full edge coverage for random, quick_random and
// shortest_all_paths through the machine (mean of 5 seeds; with several
// models shortest_all_paths follows one plan across them, jumps
// included), and the length of the planner's plan across all models. Slow (random needs millions of steps on the
// large models): run with GW_FIGURES=1.
func TestCoverageFigures(t *testing.T) {
	if os.Getenv("GW_FIGURES") == "" {
		t.Skip("set GW_FIGURES=1")
	}
	const limit = 20_000_000
	for _, file := range []string{"parabank.json", "testinium.json", "random-1000x5000.json", "SuperLarge.json"} {
		line := file
		for _, gen := range []string{"random(edge_coverage(100))", "quick_random(edge_coverage(100))", "shortest_all_paths(edge_coverage(100))"} {
			total, runs := 0, 0
			for seed := int64(1); seed <= 5; seed++ {
				models := load(t, file, gen)
				for _, m := range models {
					m.Generator = gen
				}
				got, err := walk(t, seeded(seed), limit, models...)
				if err != nil {
					line += fmt.Sprintf(" | %s seed %d: %v after %d", gen, seed, err, len(got))
					continue
				}
				total += len(got)
				runs++
			}
			if runs > 0 {
				line += fmt.Sprintf(" | %s: %d", strings.SplitN(gen, "(", 2)[0], total/runs)
			}
		}
		models := load(t, file, "")
		from := algorithm.Loc{}
		for k, m := range models {
			if el := m.StartElement(); el != model.None {
				from = algorithm.Loc{Model: k, Element: el}
				break
			}
		}
		pl, err := algorithm.NewPlanner(models...).CoverEdges(from, func(l algorithm.Loc) bool { return l != from }, nil)
		if err != nil {
			t.Fatal(err)
		}
		line += fmt.Sprintf(" | plan: %d (bound %d)", 1+len(pl.Steps), 1+pl.Bound)
		t.Log(line)
	}
}

// TestShortestAllPathsGuardFallback: ab needs aa walked twice; once the
// plan has nothing left it can reach with the guards as they are, random
// available edges are taken until ab opens.
func TestShortestAllPathsGuardFallback(t *testing.T) {
	es := []edgeSpec{
		{id: "ab", src: "A", dst: "B", guard: "typeof x !== 'undefined' && x >= 2"},
		{id: "aa", src: "A", dst: "A", action: "x = typeof x === 'undefined' ? 1 : x + 1"},
		{id: "ab2", src: "A", dst: "B"}, {id: "ab3", src: "A", dst: "B"}, {id: "ba", src: "B", dst: "A"},
	}
	for seed := int64(1); seed <= 20; seed++ {
		got, err := walk(t, seeded(seed), 10000, build(t, "shortest_all_paths(edge_coverage(100))", "", []string{"A", "B"}, es))
		if err != nil {
			t.Fatalf("seed %d: after %v: %v", seed, got, err)
		}
		aa := strings.Count(" "+strings.Join(got, " ")+" ", " aa ")
		if aa < 2 || got[len(got)-1] != "B" || !strings.Contains(strings.Join(got, " "), "ab B") {
			t.Fatalf("seed %d: %v", seed, got)
		}
	}
}

// named renames a model built by build, gives some of its vertices shared
// states, and drops its start element unless start is set.
func named(m *model.Model, name string, start bool, states map[string]string) *model.Model {
	m.ID, m.Name = name, name
	if !start {
		m.StartElementID = ""
	}
	for _, v := range m.Vertices {
		v.SharedState = states[v.ID]
	}
	return m
}

// TestShortestAllPathsNetwork: several models joined by shared states walk
// one plan across them, the machine's jumps included, whatever the seed.
func TestShortestAllPathsNetwork(t *testing.T) {
	const sap = "shortest_all_paths(edge_coverage(100))"
	tests := []struct {
		name   string
		models func(tb testing.TB) []*model.Model
		want   string
	}{{
		// M1 leads into M2 at X and M2 back into M1 at Y: a, the loop l
		// at S1 (before jumping, or it is lost), jump, c, the loop m, jump,
		// b. At S1 and T2 the machine could stay or jump; the plan decides.
		name: "two models",
		models: func(tb testing.TB) []*model.Model {
			return []*model.Model{
				named(build(tb, sap, "", []string{"A", "S1", "T1"}, []edgeSpec{{id: "a", src: "A", dst: "S1"}, {id: "l", src: "S1", dst: "S1"}, {id: "b", src: "T1", dst: "A"}}),
					"M1", true, map[string]string{"S1": "X", "T1": "Y"}),
				named(build(tb, sap, "", []string{"S2", "T2"}, []edgeSpec{{id: "c", src: "S2", dst: "T2"}, {id: "m", src: "T2", dst: "T2"}}),
					"M2", false, map[string]string{"S2": "X", "T2": "Y"}),
			}
		},
		want: "A a S1 l S1 S2 c T2 m T2 T1 b A",
	}, {
		// l opens only after b: when the plan reaches it closed, the walk
		// is re-planned round it across the models, and comes back for it.
		name: "guard",
		models: func(tb testing.TB) []*model.Model {
			return []*model.Model{
				named(build(tb, sap, "", []string{"A", "S1", "T1"}, []edgeSpec{{id: "a", src: "A", dst: "S1"},
					{id: "l", src: "S1", dst: "S1", guard: "typeof opened !== 'undefined'"}, {id: "b", src: "T1", dst: "A", action: "opened = true"}}),
					"M1", true, map[string]string{"S1": "X", "T1": "Y"}),
				named(build(tb, sap, "", []string{"S2", "T2"}, []edgeSpec{{id: "c", src: "S2", dst: "T2"}, {id: "m", src: "T2", dst: "T2"}}),
					"M2", false, map[string]string{"S2": "X", "T2": "Y"}),
			}
		},
		want: "A a S1 S2 c T2 m T2 T1 b A a S1 l S1",
	}, {
		// Two circuits joined at X. The planner joins the parts of its
		// flow solution nearest first, here M1's circuit then M2's: one
		// step longer than the shortest, A a S1 S2 c C d S2 S1 b (see
		// algorithm.Planner.CoverEdges). The machine walks the plan.
		name: "two circuits",
		models: func(tb testing.TB) []*model.Model {
			return []*model.Model{
				named(build(tb, sap, "", []string{"A", "S1"}, []edgeSpec{{id: "a", src: "A", dst: "S1"}, {id: "b", src: "S1", dst: "A"}}), "M1", true, map[string]string{"S1": "X"}),
				named(build(tb, sap, "", []string{"S2", "C"}, []edgeSpec{{id: "c", src: "S2", dst: "C"}, {id: "d", src: "C", dst: "S2"}}), "M2", false, map[string]string{"S2": "X"}),
			}
		},
		want: "A a S1 b A a S1 S2 c C d S2",
	}, {
		// A chain M1 –X– M2 –Y– M3 of circuits (the same join).
		name: "three models",
		models: func(tb testing.TB) []*model.Model {
			return []*model.Model{
				named(build(tb, sap, "", []string{"A", "S1"}, []edgeSpec{{id: "a", src: "A", dst: "S1"}, {id: "b", src: "S1", dst: "A"}}), "M1", true, map[string]string{"S1": "X"}),
				named(build(tb, sap, "", []string{"S2", "T2"}, []edgeSpec{{id: "c", src: "S2", dst: "T2"}, {id: "d", src: "T2", dst: "S2"}}), "M2", false, map[string]string{"S2": "X", "T2": "Y"}),
				named(build(tb, sap, "", []string{"T3"}, []edgeSpec{{id: "e", src: "T3", dst: "T3"}}), "M3", false, map[string]string{"T3": "Y"}),
			}
		},
		want: "A a S1 b A a S1 S2 c T2 d S2 c T2 T3 e T3",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for seed := int64(1); seed <= 5; seed++ {
				got, err := walk(t, seeded(seed), 1000, tt.models(t)...)
				if err != nil {
					t.Fatalf("seed %d: after %v: %v", seed, got, err)
				}
				if g := strings.Join(got, " "); g != tt.want {
					t.Errorf("seed %d:\ngot  %s\nwant %s", seed, g, tt.want)
				}
			}
		})
	}
}

// TestShortestAllPathsNetworkMixed: a model walked by another generator
// moves the walk off the common plan, which is made again; every edge is
// still covered.
func TestShortestAllPathsNetworkMixed(t *testing.T) {
	for seed := int64(1); seed <= 20; seed++ {
		models := load(t, "parabank.json", "shortest_all_paths(edge_coverage(100))")
		models[3].Generator = "random(edge_coverage(100))"
		n, err := walkAll(t, seeded(seed), 1_000_000, models)
		if err != nil {
			t.Fatalf("seed %d: %v after %d steps", seed, err, n)
		}
	}
}

// walkAll runs a machine to its end and checks that every edge of every
// model was walked; it returns the number of steps.
func walkAll(tb testing.TB, opts machine.Options, limit int, models []*model.Model) (int, error) {
	tb.Helper()
	m, err := machine.New(models, opts)
	if err != nil {
		return 0, err
	}
	defer m.Close()
	n := 0
	for ; n < limit; n++ {
		more, err := m.HasNext()
		if err != nil {
			return n, err
		}
		if !more {
			break
		}
		if _, err := m.Next(); err != nil {
			return n, err
		}
	}
	if n == limit {
		return n, fmt.Errorf("walk did not end in %d steps", limit)
	}
	for _, c := range m.Contexts() {
		if got, want := c.VisitedEdges(), len(c.Model().Edges); got != want {
			return n, fmt.Errorf("model %q: %d of %d edges walked", c.Model().Name, got, want)
		}
	}
	return n, nil
}

// TestShortestAllPathsNetworkBench: on the shared-state bench models, with
// shortest_all_paths on every model (as `gw offline -g` sets it), the run
// covers every edge of every model in no more steps than the planner's
// plan across the models from the start (the run stops as soon as the
// last edge is walked, so it may be a little shorter).
func TestShortestAllPathsNetworkBench(t *testing.T) {
	const gen = "shortest_all_paths(edge_coverage(100))"
	for _, tt := range []struct {
		file string
		want int // steps, every seed
	}{{"parabank.json", 439}, {"testinium.json", 724}} {
		t.Run(tt.file, func(t *testing.T) {
			models := load(t, tt.file, gen)
			from := algorithm.Loc{}
			for k, m := range models {
				if el := m.StartElement(); el != model.None {
					from = algorithm.Loc{Model: k, Element: el}
					break
				}
			}
			pl, err := algorithm.NewPlanner(models...).CoverEdges(from, func(l algorithm.Loc) bool { return true }, nil)
			if err != nil {
				t.Fatal(err)
			}
			plan := 1 + len(pl.Steps)
			var figures []string
			for seed := int64(1); seed <= 5; seed++ {
				n, err := walkAll(t, seeded(seed), 1_000_000, load(t, tt.file, gen))
				if err != nil {
					t.Fatalf("seed %d: %v after %d steps", seed, err, n)
				}
				if n > plan || n != tt.want {
					t.Errorf("seed %d: %d steps, want %d (plan %d)", seed, n, tt.want, plan)
				}
				figures = append(figures, fmt.Sprint(n))
			}
			t.Logf("steps for seeds 1..5: %s; plan %d, lower bound %d", strings.Join(figures, " "), plan, 1+pl.Bound)
		})
	}
}

// TestShortestAllPathsNetworkRandom: random networks of 2–4 models joined
// by shared states, every edge coverable: through the machine the run
// covers every edge of every model in no more steps than the plan across
// the models from the start.
func TestShortestAllPathsNetworkRandom(t *testing.T) {
	const sap = "shortest_all_paths(edge_coverage(100))"
	r := rand.New(rand.NewPCG(3, 4))
	checked := 0
	for iter := range 6000 {
		var ms []*model.Model
		for k := range 2 + r.IntN(3) {
			nv := 1 + r.IntN(5)
			var vs []string
			states := map[string]string{}
			for i := range nv {
				id := fmt.Sprintf("m%dv%d", k, i)
				vs = append(vs, id)
				if r.IntN(2) == 0 {
					states[id] = fmt.Sprint("S", r.IntN(2))
				}
			}
			var es []edgeSpec
			for j := range 2 + r.IntN(8) {
				es = append(es, edgeSpec{id: fmt.Sprintf("m%de%d", k, j), src: vs[r.IntN(nv)], dst: vs[r.IntN(nv)]})
			}
			ms = append(ms, named(build(t, sap, "", vs, es), fmt.Sprint("M", k), k == 0, states))
		}
		pl, err := algorithm.NewPlanner(ms...).CoverEdges(algorithm.Loc{}, func(algorithm.Loc) bool { return true }, nil)
		if err != nil || len(pl.Missed()) > 0 {
			continue
		}
		checked++
		for seed := int64(1); seed <= 2; seed++ {
			n, err := walkAll(t, seeded(seed), 100_000, ms)
			if err != nil {
				t.Fatalf("iter %d seed %d: %v after %d steps", iter, seed, err, n)
			}
			if n > 1+len(pl.Steps) {
				t.Errorf("iter %d seed %d: %d steps, the plan has %d", iter, seed, n, 1+len(pl.Steps))
			}
		}
	}
	if checked < 200 {
		t.Fatalf("only %d coverable networks", checked)
	}
}
