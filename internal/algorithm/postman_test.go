package algorithm

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gw-project/gw/internal/model"
)

func allEdges(models []*model.Model, except Loc) []Loc {
	var out []Loc
	for k, m := range models {
		for _, e := range m.Edges {
			if l := (Loc{k, m.EdgeElement(e)}); l != except {
				out = append(out, l)
			}
		}
	}
	return out
}

func setOf(ls []Loc) func(Loc) bool {
	s := map[Loc]bool{}
	for _, l := range ls {
		s[l] = true
	}
	return func(l Loc) bool { return s[l] }
}

// TestPostmanTourExhaustive compares the first plan (every edge needed)
// with an exhaustive search on small random graphs, Eulerian or not,
// strongly connected or not: same length whenever a covering walk exists,
// an error naming the edges whenever none does.
func TestPostmanTourExhaustive(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	found, none := 0, 0
	for iter := range 3000 {
		m := randomModel(r, "m", 1+r.IntN(5), r.IntN(11))
		startEdge := r.IntN(4) == 0
		if startEdge {
			m.Edges = append(m.Edges, &model.Edge{ID: "start", Target: m.Vertices[r.IntN(len(m.Vertices))]})
		}
		mustIndex(t, m)
		models := []*model.Model{m}
		from := Loc{0, r.IntN(len(m.Vertices))}
		if startEdge {
			from = Loc{0, m.NumElements() - 1}
		}
		s := from
		lead := 0
		if startEdge {
			s, lead = Loc{0, m.Edge(from.Element).Target.Index}, 1
		}
		need := allEdges(models, from)
		want := newRefGraph(models, nil).bruteForce(s, need)
		tour, err := PostmanTour(m, from.Element)
		if want < 0 {
			none++
			var ue *UncoveredError
			if !errors.As(err, &ue) {
				t.Fatalf("iter %d: no walk covers every edge, yet PostmanTour gave %v, %v", iter, tour, err)
			}
			continue
		}
		found++
		if err != nil {
			t.Fatalf("iter %d: %v", iter, err)
		}
		if len(tour) != want+lead {
			t.Fatalf("iter %d: tour has %d steps, the shortest walk %d", iter, len(tour), want+lead)
		}
		steps := make([]Loc, len(tour))
		for i, el := range tour {
			steps[i] = Loc{0, el}
		}
		walked := checkWalk(t, models, from, steps)
		for _, l := range need {
			if !walked[l] {
				t.Fatalf("iter %d: %v not walked", iter, l)
			}
		}
		pl, _ := NewPlanner(m).CoverEdges(from, setOf(need), nil)
		if !pl.Exact || pl.Bound != len(tour) {
			t.Fatalf("iter %d: exact=%v bound=%d, len %d", iter, pl.Exact, pl.Bound, len(tour))
		}
	}
	t.Logf("%d graphs with a covering walk, %d without", found, none)
}

// TestCoverEdgesSubsetsExhaustive checks re-plans (a subset needed, some
// edges closed by guards) and multi-model plans against exhaustive search:
// the plan is a valid walk, covers everything whenever a walk can, is
// never shorter than the optimum nor than its own bound, and equals the
// optimum when it says it is exact.
func TestCoverEdgesSubsetsExhaustive(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var exact, inexact, total, gotSum, optSum int
	for iter := range 4000 {
		var models []*model.Model
		nm := 1 + r.IntN(3)
		budget := 12
		for k := range nm {
			ne := r.IntN(min(budget, 6) + 1)
			budget -= ne
			m := randomModel(r, fmt.Sprintf("m%d", k), 1+r.IntN(4), ne)
			for _, v := range m.Vertices {
				if nm > 1 && r.IntN(3) == 0 {
					v.SharedState = fmt.Sprintf("S%d", r.IntN(3))
				}
			}
			models = append(models, m)
		}
		mustIndex(t, models...)
		from := Loc{r.IntN(nm), 0}
		from.Element = r.IntN(len(models[from.Model].Vertices))
		var need []Loc
		for _, l := range allEdges(models, Loc{-1, 0}) {
			if r.IntN(3) > 0 {
				need = append(need, l)
			}
		}
		closed := map[Loc]bool{}
		var open func(Loc) bool
		if r.IntN(3) == 0 {
			for _, l := range allEdges(models, Loc{-1, 0}) {
				if r.IntN(5) == 0 {
					closed[l] = true
				}
			}
			open = func(l Loc) bool { return !closed[l] }
		}
		want := newRefGraph(models, open).bruteForce(from, need)
		pl, err := NewPlanner(models...).CoverEdges(from, setOf(need), open)
		if err != nil {
			t.Fatal(err)
		}
		walked := checkWalk(t, models, from, pl.Steps)
		for l := range walked {
			if closed[l] {
				t.Fatalf("iter %d: walks closed edge %v", iter, l)
			}
		}
		missed := pl.Missed()
		for _, l := range need {
			if !walked[l] && !setOf(missed)(l) {
				t.Fatalf("iter %d: %v neither walked nor reported", iter, l)
			}
		}
		if want < 0 {
			if len(missed) == 0 {
				t.Fatalf("iter %d: no walk covers them all, yet none is reported missed", iter)
			}
			continue
		}
		total++
		if len(missed) > 0 {
			t.Fatalf("iter %d: a walk of %d steps covers everything, but the plan misses %v", iter, want, missed)
		}
		if len(pl.Steps) < want || pl.Bound > want {
			t.Fatalf("iter %d: plan %d steps, bound %d, optimum %d", iter, len(pl.Steps), pl.Bound, want)
		}
		if pl.Exact {
			exact++
			if len(pl.Steps) != want {
				t.Fatalf("iter %d: exact plan of %d steps, optimum %d", iter, len(pl.Steps), want)
			}
		} else {
			inexact++
			gotSum += len(pl.Steps)
			optSum += want
		}
	}
	t.Logf("%d coverable cases: %d planned provably shortest, %d heuristically (%d steps in all, optimum %d)", total, exact, inexact, gotSum, optSum)
}

// TestPostmanTourAssignment checks larger graphs against a second
// formulation: the extra traversals as an assignment problem (Hungarian
// method) on all-pairs shortest distances.
func TestPostmanTourAssignment(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for iter := range 60 {
		nv := 10 + r.IntN(60)
		m := randomModel(r, "m", nv, nv+r.IntN(4*nv))
		if iter%3 == 0 {
			// A one-way chain of rings: not strongly connected, but
			// coverable from the first ring.
			m = chainOfRings(r, 3+r.IntN(4), 3+r.IntN(5))
		}
		mustIndex(t, m)
		s := 0
		want := assignmentExtra(m, s, -1)
		tour, err := PostmanTour(m, s)
		if want < 0 {
			if err == nil {
				t.Fatalf("iter %d: expected an error", iter)
			}
			continue
		}
		if err != nil {
			t.Fatalf("iter %d: %v", iter, err)
		}
		if got := int64(len(tour)); got != 2*(int64(len(m.Edges))+want) {
			t.Fatalf("iter %d: %d steps, want 2×(%d edges + %d extra)", iter, got, len(m.Edges), want)
		}
	}
}

// chainOfRings links rings one way: ring i → ring i+1, plus random chords.
func chainOfRings(r *rand.Rand, rings, size int) *model.Model {
	m := randomModel(r, "m", rings*size, 0)
	add := func(a, b int) {
		m.Edges = append(m.Edges, &model.Edge{ID: fmt.Sprintf("e%d", len(m.Edges)), Source: m.Vertices[a], Target: m.Vertices[b]})
	}
	for i := range rings {
		for j := range size {
			add(i*size+j, i*size+(j+1)%size)
			if r.IntN(2) == 0 {
				add(i*size+j, i*size+r.IntN(size))
			}
		}
		if i+1 < rings {
			add(i*size+r.IntN(size), (i+1)*size+r.IntN(size))
		}
	}
	return m
}

// TestPostmanTourBenchModels checks the shared bench models against two
// other formulations: the assignment problem (where small enough) and a
// Bellman–Ford successive-shortest-path flow.
func TestPostmanTourBenchModels(t *testing.T) {
	tests := []struct {
		file  string
		steps int // golden length, elements after the start
	}{
		{"random-100x500.json", 1332},
		{"random-1000x5000.json", 14020},
		{"SuperLarge.json", 3639},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			m := loadModels(t, "testdata/"+tt.file)[0]
			start := m.StartElement()
			tour, err := PostmanTour(m, start)
			if err != nil {
				t.Fatal(err)
			}
			s, skip, lead := start, -1, 0
			if m.IsEdge(start) {
				s, skip, lead = m.Edge(start).Target.Index, m.Edge(start).Index, 1
			}
			edges := len(m.Edges)
			if skip >= 0 {
				edges--
			}
			extra := spfaExtra(m, s, skip)
			if got, want := len(tour), lead+2*(edges+int(extra)); got != want {
				t.Errorf("tour %d steps; Bellman–Ford flow says %d", got, want)
			}
			if sup, _ := imbalance(m, s, skip); len(sup) < 400 {
				if a := assignmentExtra(m, s, skip); a != extra {
					t.Errorf("assignment %d, Bellman–Ford %d", a, extra)
				}
			}
			if len(tour) != tt.steps {
				t.Errorf("tour %d steps, golden %d", len(tour), tt.steps)
			}
			steps := make([]Loc, len(tour))
			for i, el := range tour {
				steps[i] = Loc{0, el}
			}
			walked := checkWalk(t, []*model.Model{m}, Loc{0, start}, steps)
			if len(walked)+lead != len(m.Edges) {
				t.Errorf("walked %d of %d edges", len(walked)+lead, len(m.Edges))
			}
		})
	}
}

// TestFleuryAgreement: where GraphWalker's Fleury trail succeeds it walks
// each edge once, so it is as long as the postman tour. It needs an Euler
// trail (HasEulerTrail), but its bridge test (reachability compared with
// the whole graph, not the edges left) can still get it stuck on one: the
// generator then falls back to the postman tour.
func TestFleuryAgreement(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	trails, stuck := 0, 0
	for iter := range 3000 {
		var m *model.Model
		if iter%2 == 0 {
			m = randomEulerian(r, 1+r.IntN(6), 1+r.IntN(5))
		} else {
			m = randomModel(r, "m", 1+r.IntN(4), r.IntN(8))
		}
		mustIndex(t, m)
		s := r.IntN(len(m.Vertices))
		trail, ferr := FleuryTrail(m, s)
		has := HasEulerTrail(m, s)
		if !has && ferr == nil {
			t.Fatalf("iter %d: Fleury found a trail where HasEulerTrail says none exists", iter)
		}
		tour, err := PostmanTour(m, s)
		if has && (err != nil || len(tour) != 2*len(m.Edges)) {
			t.Fatalf("iter %d: an Euler trail exists but the tour has %d steps (%v)", iter, len(tour), err)
		}
		if ferr != nil {
			if has {
				stuck++
			}
			continue
		}
		trails++
		if len(tour) != len(trail) {
			t.Fatalf("iter %d: tour %d steps, Fleury %d", iter, len(tour), len(trail))
		}
	}
	t.Logf("%d Fleury trails; Fleury stuck on %d graphs that have one", trails, stuck)
}

// randomEulerian strings random closed walks (and sometimes one open
// walk) through nv vertices.
func randomEulerian(r *rand.Rand, nv, walks int) *model.Model {
	m := randomModel(r, "m", nv, 0)
	v := 0
	for w := range walks {
		closeIt := w > 0 || r.IntN(2) == 0
		start := v
		for range 1 + r.IntN(5) {
			u := r.IntN(nv)
			m.Edges = append(m.Edges, &model.Edge{ID: fmt.Sprintf("e%d", len(m.Edges)), Source: m.Vertices[v], Target: m.Vertices[u]})
			v = u
		}
		if closeIt {
			m.Edges = append(m.Edges, &model.Edge{ID: fmt.Sprintf("e%d", len(m.Edges)), Source: m.Vertices[v], Target: m.Vertices[start]})
			v = start
		}
	}
	return m
}

// TestCoverVertices checks the vertex heuristic on small random graphs: a
// valid walk that visits every vertex whenever some walk can (exhaustive
// search), else reports the ones left; and how far from shortest it is.
func TestCoverVertices(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	var sum, opt, cases int
	for iter := range 2000 {
		m := randomModel(r, "m", 1+r.IntN(7), r.IntN(16))
		mustIndex(t, m)
		models := []*model.Model{m}
		from := Loc{0, r.IntN(len(m.Vertices))}
		pl, err := NewPlanner(m).CoverVertices(from, func(l Loc) bool { return true }, nil)
		if err != nil {
			t.Fatal(err)
		}
		checkWalk(t, models, from, pl.Steps)
		seen := map[int]bool{from.Element: true}
		for _, s := range pl.Steps {
			if m.IsVertex(s.Element) {
				seen[s.Element] = true
			}
		}
		reach := Reachable(m, from.Element)
		missed := setOf(pl.Missed())
		for v := range m.Vertices {
			if !seen[v] && !missed(Loc{0, v}) {
				t.Fatalf("iter %d: vertex %d neither visited nor reported", iter, v)
			}
			if !reach[v] && !setOf(pl.Unreachable)(Loc{0, v}) {
				t.Fatalf("iter %d: unreachable vertex %d not reported", iter, v)
			}
		}
		best := bruteForceVertices(m, from.Element, reach)
		if best < 0 {
			if len(pl.Stranded) == 0 {
				t.Fatalf("iter %d: no walk visits every reachable vertex, none reported", iter)
			}
			continue
		}
		if len(pl.Stranded) > 0 {
			t.Fatalf("iter %d: a walk visits every reachable vertex, the plan strands %v", iter, pl.Stranded)
		}
		cases++
		sum += len(pl.Steps)
		opt += best
		if len(pl.Steps) < best {
			t.Fatalf("iter %d: shorter than the optimum", iter)
		}
	}
	t.Logf("%d cases: heuristic %d steps in all, optimum %d (+%.1f%%)", cases, sum, opt, 100*float64(sum-opt)/float64(opt))
}

// bruteForceVertices is the fewest steps of a walk from s visiting every
// vertex marked in reach (-1: none does), by BFS over (vertex, visited).
func bruteForceVertices(m *model.Model, s int, reach []bool) int {
	nv := len(m.Vertices)
	full := 0
	for v := range nv {
		if reach[v] {
			full |= 1 << v
		}
	}
	dist := make([]int, nv<<nv)
	for i := range dist {
		dist[i] = -1
	}
	st := s<<nv | 1<<s
	dist[st] = 0
	q := []int{st}
	for len(q) > 0 {
		x := q[0]
		q = q[1:]
		v, mask := x>>nv, x&(1<<nv-1)
		if mask == full {
			return dist[x] * 2
		}
		for _, e := range m.OutEdges(v) {
			t := m.Edges[e].Target.Index
			y := t<<nv | mask | 1<<t
			if dist[y] < 0 {
				dist[y] = dist[x] + 1
				q = append(q, y)
			}
		}
	}
	return -1
}

func TestCoverVerticesExample(t *testing.T) {
	// TestShortestAllPaths3's model: Start→v1, v1→v2, v1→v3, v2→v4, v3→v4, v4→v1.
	m := &model.Model{Name: "m"}
	for _, id := range []string{"Start", "v1", "v2", "v3", "v4"} {
		m.Vertices = append(m.Vertices, &model.Vertex{ID: id, Name: id})
	}
	for i, st := range [][2]int{{0, 1}, {1, 2}, {1, 3}, {2, 4}, {3, 4}, {4, 1}} {
		m.Edges = append(m.Edges, &model.Edge{ID: fmt.Sprintf("e%d", i+1), Name: fmt.Sprintf("e%d", i+1), Source: m.Vertices[st[0]], Target: m.Vertices[st[1]]})
	}
	mustIndex(t, m)
	pl, err := NewPlanner(m).CoverVertices(Loc{0, 0}, func(Loc) bool { return true }, nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range pl.Steps {
		names = append(names, m.ElementName(s.Element))
	}
	if got, want := strings.Join(names, " "), "e1 v1 e2 v2 e4 v4 e6 v1 e3 v3"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestUncoveredErrors(t *testing.T) {
	mk := func(edges [][2]int, nv int) *model.Model {
		m := &model.Model{Name: "m"}
		for i := range nv {
			m.Vertices = append(m.Vertices, &model.Vertex{ID: fmt.Sprintf("v%d", i), Name: fmt.Sprintf("v%d", i)})
		}
		for i, st := range edges {
			e := &model.Edge{ID: fmt.Sprintf("e%d", i), Name: fmt.Sprintf("e%d", i), Target: m.Vertices[st[1]]}
			if st[0] >= 0 {
				e.Source = m.Vertices[st[0]]
			}
			m.Edges = append(m.Edges, e)
		}
		mustIndex(t, m)
		return m
	}
	tests := []struct {
		name  string
		m     *model.Model
		start int
		want  string // "" = no error
	}{
		{"unreachable", mk([][2]int{{0, 1}, {1, 0}, {2, 0}}, 3), 0,
			`1 element(s) cannot be reached from vertex "v0" (id v0): edge "e2" (id e2)`},
		{"second start edge", mk([][2]int{{-1, 0}, {0, 1}, {-1, 1}}, 2), 2,
			`cannot be reached from edge "e0" (id e0): edge "e2" (id e2)`},
		{"fork", mk([][2]int{{0, 1}, {0, 2}}, 3), 0,
			`no single walk from vertex "v0" (id v0) covers every element: after the others, it cannot get back to edge`},
		{"one-way rings", mk([][2]int{{0, 1}, {1, 0}, {1, 2}, {2, 3}, {3, 2}}, 4), 0, ""},
		{"tree", mk([][2]int{{0, 1}, {1, 2}, {1, 3}}, 4), 0, "no single walk"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := tt.start
			if tt.name == "second start edge" {
				start = tt.m.EdgeElement(tt.m.Edges[0])
			}
			_, err := PostmanTour(tt.m, start)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
}

// TestMultiModelBench plans across the shared-state bench models: a valid
// walk that covers every edge of every model.
func TestMultiModelBench(t *testing.T) {
	for _, file := range []string{"parabank.json", "testinium.json"} {
		t.Run(file, func(t *testing.T) {
			models := loadModels(t, "testdata/"+file)
			from := startOf(t, models)
			p := NewPlanner(models...)
			pl, err := p.CoverEdges(from, func(l Loc) bool { return true }, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := pl.Err(models, from); err != nil {
				t.Fatal(err)
			}
			walked := checkWalk(t, models, from, pl.Steps)
			if n := len(allEdges(models, Loc{-1, 0})); len(walked) != n {
				t.Errorf("walked %d of %d edges", len(walked), n)
			}
			t.Logf("%d steps, lower bound %d, exact %v", len(pl.Steps), pl.Bound, pl.Exact)
		})
	}
}
