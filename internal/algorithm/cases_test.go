package algorithm

import (
	"container/heap"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/gw-project/gw/internal/model"
)

// refSuite is the test's own exhaustive search for optimal suites: a
// Dijkstra over states (vertex, edge walked last, targets covered, length
// of the current case), where a case is either extended by one move or a
// new case is started at the start. Targets are predicates on moves.
type refSuite struct {
	g       *refGraph
	start   int // global vertex a case stands on after its start
	c0      int // elements a case executes before its first move
	prev0   Loc // edge a case has walked when it stands on start (Model -1: none)
	mask0   uint32
	hit     func(prev Loc, mv refMove) uint32
	reset   int  // ResetCost
	maxLen  int  // 0: none
	byCases bool // fewest cases first
	pairs   bool // the edge walked last matters
	single  bool // one walk, no new case
}

type refState struct {
	v, len int
	prev   Loc
	mask   uint32
}

type refItem struct {
	cases, cost int // cost: steps + reset·cases
	s           refState
}

type refHeap []refItem

func (h refHeap) Len() int           { return len(h) }
func (h refHeap) Less(i, j int) bool { return lessCost(h[i], h[j]) }
func lessCost(a, b refItem) bool {
	if refByCases && a.cases != b.cases {
		return a.cases < b.cases
	}
	return a.cost < b.cost
}
func (h refHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *refHeap) Push(x any)   { *h = append(*h, x.(refItem)) }
func (h *refHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// refByCases orders the heap of the search running now (tests run the
// searches one at a time).
var refByCases bool

// optimum is the best (cases, steps + reset·cases) of a suite covering
// every target in full; ok is false when none does.
func (r *refSuite) optimum(full uint32) (cases, cost int, ok bool) {
	refByCases = r.byCases
	if r.maxLen > 0 && r.c0 > r.maxLen {
		return 0, 0, full == 0
	}
	startState := refState{v: r.start, prev: r.prev0, mask: r.mask0}
	if r.maxLen > 0 {
		startState.len = r.c0
	}
	if !r.pairs {
		startState.prev = Loc{-1, 0}
	}
	done := map[refState]bool{}
	h := &refHeap{{1, r.c0 + r.reset, startState}}
	for h.Len() > 0 {
		it := heap.Pop(h).(refItem)
		if done[it.s] {
			continue
		}
		done[it.s] = true
		if it.s.mask&full == full {
			return it.cases, it.cost, true
		}
		for _, mv := range r.g.moves[it.s.v] {
			ns := refState{v: mv.to, len: it.s.len + mv.cost, prev: Loc{-1, 0}, mask: it.s.mask | r.hit(it.s.prev, mv)}
			if r.maxLen == 0 {
				ns.len = 0 // only a bounded length is part of the state
			} else if ns.len > r.maxLen {
				continue
			}
			if r.pairs && mv.edge.Model >= 0 {
				ns.prev = mv.edge
			}
			if !done[ns] {
				heap.Push(h, refItem{it.cases, it.cost + mv.cost, ns})
			}
		}
		ns := startState
		ns.mask |= it.s.mask
		if !r.single && !done[ns] {
			heap.Push(h, refItem{it.cases + 1, it.cost + r.c0 + r.reset, ns})
		}
	}
	return 0, 0, false
}

// randomModels builds one to three small random models, sometimes joined
// by shared states, and a start: a vertex, or a start edge without source.
func randomModels(t *testing.T, r *rand.Rand, maxEdges int) ([]*model.Model, Loc) {
	var models []*model.Model
	nm := 1
	if r.IntN(3) == 0 {
		nm = 2 + r.IntN(2)
	}
	budget := maxEdges
	for k := range nm {
		ne := r.IntN(min(budget, 6) + 1)
		budget -= ne
		m := randomModel(r, fmt.Sprintf("m%d", k), 1+r.IntN(4), ne)
		for _, v := range m.Vertices {
			if nm > 1 && r.IntN(3) == 0 {
				v.SharedState = fmt.Sprintf("S%d", r.IntN(2))
			}
		}
		models = append(models, m)
	}
	from := Loc{r.IntN(nm), 0}
	m := models[from.Model]
	if r.IntN(4) == 0 {
		m.Edges = append(m.Edges, &model.Edge{ID: m.Name + ".start", Name: "start", Target: m.Vertices[r.IntN(len(m.Vertices))]})
		mustIndex(t, models...)
		from.Element = m.NumElements() - 1
	} else {
		mustIndex(t, models...)
		from.Element = r.IntN(len(m.Vertices))
	}
	return models, from
}

// startOfCase is where a case stands after its start element, and how many
// elements that took.
func startOfCase(g *refGraph, models []*model.Model, from Loc) (int, int) {
	m := models[from.Model]
	if m.IsEdge(from.Element) {
		return g.base[from.Model] + m.Edge(from.Element).Target.Index, 2
	}
	return g.base[from.Model] + from.Element, 1
}

// checkCases verifies every case is a walk from `from` and returns what
// the cases walk: edges, pairs (consecutive edges of one model, the start
// edge included) and vertices.
func checkCases(t *testing.T, models []*model.Model, from Loc, pl *CasePlan, maxLen int) (edges map[Loc]bool, pairs map[Pair]bool, vertices map[Loc]bool) {
	t.Helper()
	edges, pairs, vertices = map[Loc]bool{}, map[Pair]bool{}, map[Loc]bool{}
	steps := 0
	for i, c := range pl.Cases {
		if len(c) == 0 || c[0] != from {
			t.Fatalf("case %d does not start at %v: %v", i, from, c)
		}
		if maxLen > 0 && len(c) > maxLen {
			t.Fatalf("case %d has %d steps, more than %d", i, len(c), maxLen)
		}
		steps += len(c)
		checkWalk(t, models, from, c[1:])
		prev := Loc{-1, 0}
		for j, l := range c {
			m := models[l.Model]
			if m.IsVertex(l.Element) {
				vertices[l] = true
				if j > 0 && !models[c[j-1].Model].IsEdge(c[j-1].Element) {
					prev = Loc{-1, 0} // a jump
				}
				continue
			}
			edges[l] = true
			if prev.Model >= 0 {
				pairs[Pair{prev, l}] = true
			}
			prev = l
		}
	}
	if steps != pl.Steps {
		t.Fatalf("Steps %d, cases have %d", pl.Steps, steps)
	}
	return
}

func randomOptions(r *rand.Rand) CaseOptions {
	o := CaseOptions{ResetCost: []int{0, 0, 1, 4}[r.IntN(4)], MinimizeCases: r.IntN(2) == 0}
	if r.IntN(3) == 0 {
		o.MaxLength = 3 + r.IntN(10)
	}
	return o
}

// compareOptimum checks a plan against the exhaustive optimum.
func compareOptimum(t *testing.T, iter int, o CaseOptions, pl *CasePlan, optCases, optCost int) {
	t.Helper()
	cost := pl.Cost(o)
	if o.MinimizeCases {
		if pl.CaseBound > optCases {
			t.Fatalf("iter %d: case bound %d above the optimum %d", iter, pl.CaseBound, optCases)
		}
		if len(pl.Cases) < optCases || len(pl.Cases) == optCases && cost < optCost {
			t.Fatalf("iter %d: plan (%d cases, cost %d) beats the optimum (%d, %d)", iter, len(pl.Cases), cost, optCases, optCost)
		}
		if pl.Exact && (len(pl.Cases) != optCases || cost != optCost) {
			t.Fatalf("iter %d: exact plan (%d cases, cost %d), optimum (%d, %d)", iter, len(pl.Cases), cost, optCases, optCost)
		}
		if o.MaxLength == 0 && pl.Exact && pl.CostBound != optCost {
			t.Fatalf("iter %d: cost bound %d, optimum %d", iter, pl.CostBound, optCost)
		}
		return
	}
	if cost < optCost || pl.CostBound > optCost {
		t.Fatalf("iter %d: plan cost %d, bound %d, optimum %d", iter, cost, pl.CostBound, optCost)
	}
	if pl.Exact && cost != optCost {
		t.Fatalf("iter %d: exact plan cost %d, optimum %d", iter, cost, optCost)
	}
}

// TestEdgeCasesExhaustive compares suites covering edges with exhaustive
// search on small random graphs (one model or several joined by shared
// states, some edges closed, some not needed), for both objectives, with
// and without a maximum case length: every case is a walk from the start,
// every needed edge is covered or reported, the plan is never better than
// the optimum nor its bounds above it, and an exact plan is optimal. A first
// plan of one model without a length bound must be exact.
func TestEdgeCasesExhaustive(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 1))
	counts := map[string]int{}
	for iter := range 2500 {
		models, from := randomModels(t, r, 10)
		o := randomOptions(r)
		full := r.IntN(2) == 0
		var need []Loc
		for _, l := range allEdges(models, Loc{-1, 0}) {
			if full || r.IntN(3) > 0 {
				need = append(need, l)
			}
		}
		var open func(Loc) bool
		closed := map[Loc]bool{}
		if !full && r.IntN(3) == 0 {
			for _, l := range allEdges(models, from) {
				if r.IntN(5) == 0 {
					closed[l] = true
				}
			}
			open = func(l Loc) bool { return !closed[l] }
		}
		pl, err := NewPlanner(models...).EdgeCases(from, need, open, o)
		if err != nil {
			t.Fatal(err)
		}
		edges, _, _ := checkCases(t, models, from, pl, o.MaxLength)
		for l := range edges {
			if closed[l] {
				t.Fatalf("iter %d: walks closed edge %v", iter, l)
			}
		}
		missed := map[int]bool{}
		for _, i := range append(append([]int(nil), pl.Unreachable...), pl.TooLong...) {
			missed[i] = true
		}
		g := newRefGraph(models, open)
		start, c0 := startOfCase(g, models, from)
		bits := map[Loc]uint32{}
		var fullMask uint32
		for i, l := range need {
			if !missed[i] {
				bits[l] = 1 << len(bits)
				fullMask |= bits[l]
				if !edges[l] {
					t.Fatalf("iter %d: %v neither covered nor reported", iter, l)
				}
			}
		}
		ref := &refSuite{g: g, start: start, c0: c0, reset: o.ResetCost, maxLen: o.MaxLength, byCases: o.MinimizeCases,
			mask0: bits[from], hit: func(_ Loc, mv refMove) uint32 { return bits[mv.edge] }}
		for _, i := range pl.Unreachable {
			one := &refSuite{g: g, start: start, c0: c0, hit: func(_ Loc, mv refMove) uint32 { return b2u(mv.edge == need[i]) }}
			if _, _, ok := one.optimum(1); ok && need[i] != from {
				t.Fatalf("iter %d: %v reported unreachable", iter, need[i])
			}
		}
		for _, i := range pl.TooLong {
			one := *ref
			one.mask0 = b2u(need[i] == from)
			one.hit = func(_ Loc, mv refMove) uint32 { return b2u(mv.edge == need[i]) }
			if _, _, ok := one.optimum(1); ok {
				t.Fatalf("iter %d: %v reported too long for %d", iter, need[i], o.MaxLength)
			}
		}
		optCases, optCost, ok := ref.optimum(fullMask)
		if !ok {
			t.Fatalf("iter %d: no suite covers what the plan claims to", iter)
		}
		if fullMask == 0 {
			continue
		}
		compareOptimum(t, iter, o, pl, optCases, optCost)
		if full && len(models) == 1 && o.MaxLength == 0 && !pl.Exact {
			t.Fatalf("iter %d: a first plan of one model is not exact", iter)
		}
		counts[fmt.Sprint("exact=", pl.Exact)]++
	}
	t.Log(counts)
}

func b2u(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}

// allPairs lists every pair of consecutive edges of the models.
func allPairs(models []*model.Model) []Pair {
	var out []Pair
	for k, m := range models {
		for _, e := range m.Edges {
			if e.Target == nil {
				continue
			}
			for _, f := range m.OutEdges(e.Target.Index) {
				out = append(out, Pair{Loc{k, m.EdgeElement(e)}, Loc{k, len(m.Vertices) + int(f)}})
			}
		}
	}
	return out
}

// TestEdgePairCasesExhaustive is TestEdgeCasesExhaustive for edge pairs.
func TestEdgePairCasesExhaustive(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 2))
	counts := map[string]int{}
	for iter := range 800 {
		models, from := randomModels(t, r, 7)
		o := randomOptions(r)
		full := r.IntN(2) == 0
		var need []Pair
		for _, pr := range allPairs(models) {
			if full || r.IntN(3) > 0 {
				need = append(need, pr)
			}
		}
		if len(need) > 8 {
			need = need[:8]
			full = false
		}
		pl, err := NewPlanner(models...).EdgePairCases(from, need, nil, o)
		if err != nil {
			t.Fatal(err)
		}
		_, pairs, _ := checkCases(t, models, from, pl, o.MaxLength)
		missed := map[int]bool{}
		for _, i := range append(append([]int(nil), pl.Unreachable...), pl.TooLong...) {
			missed[i] = true
		}
		g := newRefGraph(models, nil)
		start, c0 := startOfCase(g, models, from)
		bits := map[Pair]uint32{}
		var fullMask uint32
		for i, pr := range need {
			if !missed[i] {
				bits[pr] = 1 << len(bits)
				fullMask |= bits[pr]
				if !pairs[pr] {
					t.Fatalf("iter %d: %v neither covered nor reported", iter, pr)
				}
			}
		}
		prev0 := Loc{-1, 0}
		if models[from.Model].IsEdge(from.Element) {
			prev0 = from
		}
		hit := func(b map[Pair]uint32) func(Loc, refMove) uint32 {
			return func(prev Loc, mv refMove) uint32 { return b[Pair{prev, mv.edge}] }
		}
		ref := &refSuite{g: g, start: start, c0: c0, prev0: prev0, pairs: true, reset: o.ResetCost, maxLen: o.MaxLength, byCases: o.MinimizeCases, hit: hit(bits)}
		for _, i := range pl.Unreachable {
			one := &refSuite{g: g, start: start, c0: c0, prev0: prev0, pairs: true, hit: hit(map[Pair]uint32{need[i]: 1})}
			if _, _, ok := one.optimum(1); ok {
				t.Fatalf("iter %d: %v reported unreachable", iter, need[i])
			}
		}
		for _, i := range pl.TooLong {
			one := *ref
			one.hit = hit(map[Pair]uint32{need[i]: 1})
			if _, _, ok := one.optimum(1); ok {
				t.Fatalf("iter %d: %v reported too long for %d", iter, need[i], o.MaxLength)
			}
		}
		optCases, optCost, ok := ref.optimum(fullMask)
		if !ok {
			t.Fatalf("iter %d: no suite covers what the plan claims to", iter)
		}
		if fullMask == 0 {
			continue
		}
		compareOptimum(t, iter, o, pl, optCases, optCost)
		if full && len(models) == 1 && o.MaxLength == 0 && !pl.Exact {
			t.Fatalf("iter %d: a first plan of one model is not exact", iter)
		}
		counts[fmt.Sprint("exact=", pl.Exact)]++
	}
	t.Log(counts)
}

// TestTargetCasesExhaustive checks the vertex and requirement heuristic:
// valid walks, everything covered or reported, bounds never above the
// optimum, exact plans optimal; and, for vertex coverage without a length
// bound, that the case bound is the optimum (Dilworth).
func TestTargetCasesExhaustive(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 3))
	var gotCost, optSum, exact, total int
	for iter := range 1500 {
		models, from := randomModels(t, r, 9)
		o := randomOptions(r)
		var all []Loc
		for k, m := range models {
			for el := range m.NumElements() {
				all = append(all, Loc{k, el})
			}
		}
		vertexGoal := r.IntN(2) == 0
		var groups [][]Loc
		if vertexGoal {
			for k, m := range models {
				for i := range m.Vertices {
					groups = append(groups, []Loc{{k, i}})
				}
			}
		} else {
			for range 1 + r.IntN(5) {
				var g []Loc
				for range 1 + r.IntN(2) {
					g = append(g, all[r.IntN(len(all))])
				}
				groups = append(groups, g)
			}
		}
		if len(groups) > 10 {
			groups = groups[:10]
		}
		pl, err := NewPlanner(models...).TargetCases(from, groups, nil, o)
		if err != nil {
			t.Fatal(err)
		}
		edges, _, vertices := checkCases(t, models, from, pl, o.MaxLength)
		visited := func(l Loc) bool { return l == from || edges[l] || vertices[l] }
		missed := map[int]bool{}
		for _, i := range append(append([]int(nil), pl.Unreachable...), pl.TooLong...) {
			missed[i] = true
		}
		g := newRefGraph(models, nil)
		start, c0 := startOfCase(g, models, from)
		// Bits per element: a move covers its edge and the vertex it lands on.
		elemBits := map[Loc]uint32{}
		var fullMask, mask0 uint32
		for i, grp := range groups {
			if missed[i] {
				continue
			}
			bit := uint32(1) << i
			fullMask |= bit
			ok := false
			for _, l := range grp {
				elemBits[l] |= bit
				ok = ok || visited(l)
			}
			if !ok {
				t.Fatalf("iter %d: group %v neither covered nor reported", iter, grp)
			}
		}
		mask0 = elemBits[from]
		if m := models[from.Model]; m.IsEdge(from.Element) {
			mask0 |= elemBits[Loc{from.Model, m.Edge(from.Element).Target.Index}]
		}
		locOf := func(v int) Loc {
			k := 0
			for k+1 < len(g.base) && g.base[k+1] <= v {
				k++
			}
			return Loc{k, v - g.base[k]}
		}
		hit := func(_ Loc, mv refMove) uint32 { return elemBits[mv.edge] | elemBits[locOf(mv.to)] }
		ref := &refSuite{g: g, start: start, c0: c0, reset: o.ResetCost, maxLen: o.MaxLength, byCases: o.MinimizeCases, mask0: mask0, hit: hit}
		optCases, optCost, ok := ref.optimum(fullMask)
		if !ok {
			t.Fatalf("iter %d: no suite covers what the plan claims to", iter)
		}
		if fullMask == 0 {
			continue
		}
		compareOptimum(t, iter, o, pl, optCases, optCost)
		if vertexGoal && o.MaxLength == 0 {
			fewest := *ref
			fewest.byCases = true
			if k, _, _ := fewest.optimum(fullMask); pl.CaseBound != k {
				t.Fatalf("iter %d: case bound %d, fewest cases %d", iter, pl.CaseBound, k)
			}
		}
		total++
		if pl.Exact {
			exact++
		}
		if !o.MinimizeCases {
			gotCost += pl.Cost(o)
			optSum += optCost
		}
	}
	t.Logf("%d suites, %d provably optimal; minimising steps: cost %d in all, optimum %d", total, exact, gotCost, optSum)
}

// dist is the cheapest cost from global vertex a to b over the graph's
// moves, -1 when none.
func (g *refGraph) dist(a, b int) int {
	d := make([]int, g.n)
	for i := range d {
		d[i] = -1
	}
	d[a] = 0
	for changed := true; changed; {
		changed = false
		for v := range g.n {
			if d[v] < 0 {
				continue
			}
			for _, mv := range g.moves[v] {
				if nd := d[v] + mv.cost; d[mv.to] < 0 || nd < d[mv.to] {
					d[mv.to], changed = nd, true
				}
			}
		}
	}
	return d[b]
}

// TestSuiteVersusPostman is the property that ties suites to the single
// postman tour: with no reset cost and no length bound, the optimal suite
// is never longer than the tour (the tour is a suite of one case), never
// shorter than the tour minus what its resets saved (replacing each reset
// by a path back to the start gives a single walk, so the tour is at most
// that long), and never below its own lower bound.
func TestSuiteVersusPostman(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 4))
	check := func(name string, models []*model.Model, from Loc) {
		t.Helper()
		m := models[from.Model]
		var tourLen int
		if len(models) == 1 {
			tour, err := PostmanTour(m, from.Element)
			if err != nil {
				return // no single walk covers every edge
			}
			tourLen = 1 + len(tour)
		} else {
			pl, err := NewPlanner(models...).CoverEdges(from, func(l Loc) bool { return l != from }, nil)
			if err != nil || len(pl.Missed()) > 0 || !pl.Exact {
				return // the tour must be the shortest single walk
			}
			tourLen = 1 + len(pl.Steps)
		}
		pl, err := NewPlanner(models...).EdgeCases(from, allEdges(models, Loc{-1, 0}), nil, CaseOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(pl.Unreachable) > 0 {
			t.Fatalf("%s: a tour exists, yet %v are unreachable", name, pl.Unreachable)
		}
		if len(pl.Cases) == 0 {
			return
		}
		g := newRefGraph(models, nil)
		s, c0 := startOfCase(g, models, from)
		saved := 0
		for _, c := range pl.Cases[:len(pl.Cases)-1] {
			end := c[len(c)-1]
			back := g.dist(g.base[end.Model]+end.Element, s)
			if back < 0 {
				return // a reset the tour cannot replace
			}
			saved += back - c0
		}
		if pl.Steps > tourLen || pl.Steps < tourLen-saved || pl.Steps < pl.CostBound {
			t.Fatalf("%s: suite %d steps in %d cases, tour %d, saved %d, bound %d", name, pl.Steps, len(pl.Cases), tourLen, saved, pl.CostBound)
		}
	}
	for iter := range 1500 {
		models, from := randomModels(t, r, 10)
		check(fmt.Sprint("iter ", iter), models, from)
	}
	for _, file := range []string{"parabank.json", "testinium.json", "random-100x500.json", "SuperLarge.json"} {
		models := loadModels(t, "testdata/"+file)
		check(file, models, startOf(t, models))
	}
}

// TestEdgePairSingleExhaustive checks one walk through pairs from a vertex
// the walk entered by a given edge (re-planning mid-walk, as
// shortest_all_paths and gw suite do): the pair of that edge and the
// first edge counts.
func TestEdgePairSingleExhaustive(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 5))
	exact := 0
	for iter := range 600 {
		models, _ := randomModels(t, r, 7)
		k := r.IntN(len(models))
		m := models[k]
		from := Loc{k, r.IntN(len(m.Vertices))}
		var prev *Loc
		if in := m.InEdges(from.Element); len(in) > 0 && r.IntN(3) > 0 {
			prev = &Loc{k, len(m.Vertices) + int(in[r.IntN(len(in))])}
		}
		var need []Pair
		for _, pr := range allPairs(models) {
			if r.IntN(3) > 0 && len(need) < 8 {
				need = append(need, pr)
			}
		}
		pl, err := NewPlanner(models...).EdgePairCases(from, need, nil, CaseOptions{Single: true, Prev: prev})
		if err != nil {
			t.Fatal(err)
		}
		if len(pl.Cases) > 1 {
			t.Fatalf("iter %d: %d cases", iter, len(pl.Cases))
		}
		walked := map[Pair]bool{}
		if len(pl.Cases) == 1 {
			c := pl.Cases[0]
			if c[0] != from {
				t.Fatalf("iter %d: starts at %v", iter, c[0])
			}
			checkWalk(t, models, from, c[1:])
			last := Loc{-1, 0}
			if prev != nil {
				last = *prev
			}
			for j, l := range c {
				switch {
				case models[l.Model].IsEdge(l.Element):
					if last.Model >= 0 {
						walked[Pair{last, l}] = true
					}
					last = l
				case j > 0 && models[c[j-1].Model].IsVertex(c[j-1].Element):
					last = Loc{-1, 0} // a jump
				}
			}
		}
		unreachable := map[int]bool{}
		for _, i := range pl.Unreachable {
			unreachable[i] = true
		}
		g := newRefGraph(models, nil)
		bits := map[Pair]uint32{}
		var full uint32
		for i, pr := range need {
			if unreachable[i] {
				continue
			}
			if !walked[pr] {
				t.Fatalf("iter %d: %v neither walked nor reported", iter, pr)
			}
			bits[pr] = 1 << len(bits)
			full |= bits[pr]
		}
		prev0 := Loc{-1, 0}
		if prev != nil {
			prev0 = *prev
		}
		ref := &refSuite{g: g, start: g.base[k] + from.Element, c0: 1, prev0: prev0, pairs: true, single: true,
			hit: func(p Loc, mv refMove) uint32 { return bits[Pair{p, mv.edge}] }}
		_, opt, ok := ref.optimum(full)
		if !ok {
			t.Fatalf("iter %d: no single walk covers what the plan claims to", iter)
		}
		if len(pl.Unreachable) > 0 {
			all := map[Pair]uint32{}
			for i, pr := range need {
				all[pr] = 1 << i
			}
			one := *ref
			one.hit = func(p Loc, mv refMove) uint32 { return all[Pair{p, mv.edge}] }
			if _, _, ok := one.optimum(1<<len(need) - 1); ok {
				t.Fatalf("iter %d: one walk covers every pair, yet %v are reported", iter, pl.Unreachable)
			}
		}
		if full == 0 {
			continue
		}
		if pl.Steps < opt || pl.CostBound > opt || pl.Exact && pl.Steps != opt {
			t.Fatalf("iter %d: %d steps (exact %v, bound %d), optimum %d", iter, pl.Steps, pl.Exact, pl.CostBound, opt)
		}
		if pl.Exact {
			exact++
		}
	}
	t.Logf("%d exact", exact)
}
