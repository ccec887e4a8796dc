package algorithm

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/gw-project/gw/internal/model"
)

// loadModels reads a GraphWalker JSON file with encoding/json (the bench
// files are strict JSON); enough of the format for planning.
func loadModels(tb testing.TB, path string) []*model.Model {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var doc struct {
		Models []struct {
			ID, Name, Generator string
			StartElementID      string `json:"startElementId"`
			Vertices            []struct{ ID, Name, SharedState string }
			Edges               []struct {
				ID, Name, Guard string
				Source          string `json:"sourceVertexId"`
				Target          string `json:"targetVertexId"`
			}
		}
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	var out []*model.Model
	for _, jm := range doc.Models {
		m := &model.Model{ID: jm.ID, Name: jm.Name, Generator: jm.Generator, StartElementID: jm.StartElementID}
		byID := map[string]*model.Vertex{}
		for _, jv := range jm.Vertices {
			v := &model.Vertex{ID: jv.ID, Name: jv.Name, SharedState: jv.SharedState}
			byID[v.ID] = v
			m.Vertices = append(m.Vertices, v)
		}
		for _, je := range jm.Edges {
			m.Edges = append(m.Edges, &model.Edge{ID: je.ID, Name: je.Name, Guard: je.Guard, Source: byID[je.Source], Target: byID[je.Target]})
		}
		if err := m.Index(); err != nil {
			tb.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

// startOf is the machine's start: the first model with a start element.
func startOf(tb testing.TB, models []*model.Model) Loc {
	for k, m := range models {
		if el := m.StartElement(); el != model.None {
			return Loc{k, el}
		}
	}
	tb.Fatal("no start element")
	return Loc{}
}

// randomModel builds a model with nv vertices and ne random edges
// (self-loops and parallel edges included), named v0.., e0...
func randomModel(r *rand.Rand, name string, nv, ne int) *model.Model {
	m := &model.Model{ID: name, Name: name}
	for i := range nv {
		m.Vertices = append(m.Vertices, &model.Vertex{ID: fmt.Sprintf("%s.v%d", name, i), Name: fmt.Sprintf("v%d", i)})
	}
	for j := range ne {
		m.Edges = append(m.Edges, &model.Edge{ID: fmt.Sprintf("%s.e%d", name, j), Name: fmt.Sprintf("e%d", j),
			Source: m.Vertices[r.IntN(nv)], Target: m.Vertices[r.IntN(nv)]})
	}
	return m
}

func mustIndex(tb testing.TB, models ...*model.Model) {
	tb.Helper()
	for _, m := range models {
		if err := m.Index(); err != nil {
			tb.Fatal(err)
		}
	}
}

// refGraph is the test's own view of the walkable graph, built without the
// planner's code: states are global vertex numbers.
type refGraph struct {
	models []*model.Model
	base   []int
	n      int
	moves  [][]refMove // per vertex
}

type refMove struct {
	to   int
	cost int
	edge Loc // the edge walked; Model -1 for a jump
}

func newRefGraph(models []*model.Model, open func(Loc) bool) *refGraph {
	g := &refGraph{models: models}
	for _, m := range models {
		g.base = append(g.base, g.n)
		g.n += len(m.Vertices)
	}
	g.moves = make([][]refMove, g.n)
	for k, m := range models {
		for _, e := range m.Edges {
			l := Loc{k, m.EdgeElement(e)}
			if e.Source == nil || e.Target == nil || (open != nil && !open(l)) {
				continue
			}
			u := g.base[k] + e.Source.Index
			g.moves[u] = append(g.moves[u], refMove{g.base[k] + e.Target.Index, 2, l})
		}
		for i, v := range m.Vertices {
			if v.SharedState == "" {
				continue
			}
			for k2, m2 := range models {
				for i2, v2 := range m2.Vertices {
					if k2 != k && v2.SharedState == v.SharedState {
						g.moves[g.base[k]+i] = append(g.moves[g.base[k]+i], refMove{g.base[k2] + i2, 1, Loc{-1, 0}})
					}
				}
			}
		}
	}
	return g
}

// bruteForce is the exact minimum number of steps (elements) of a walk
// from vertex `from` that walks every edge in need (at most 16), by
// Dijkstra over (vertex, covered set) states; -1 when no walk does.
func (g *refGraph) bruteForce(from Loc, need []Loc) int {
	bit := map[Loc]int{}
	for i, l := range need {
		bit[l] = i
	}
	full := 1<<len(need) - 1
	start := g.base[from.Model] + from.Element
	nstates := g.n << len(need)
	dist := make([]int, nstates)
	for i := range dist {
		dist[i] = -1
	}
	// Bucket queue: step costs are 1 or 2.
	buckets := [][]int{{start << len(need)}}
	dist[start<<len(need)] = 0
	for d := 0; d < len(buckets); d++ {
		for i := 0; i < len(buckets[d]); i++ {
			s := buckets[d][i]
			if dist[s] != d {
				continue
			}
			v, mask := s>>len(need), s&full
			if mask == full {
				return d
			}
			for _, mv := range g.moves[v] {
				nm := mask
				if b, ok := bit[mv.edge]; ok {
					nm |= 1 << b
				}
				ns := mv.to<<len(need) | nm
				nd := d + mv.cost
				if dist[ns] < 0 || nd < dist[ns] {
					dist[ns] = nd
					for len(buckets) <= nd {
						buckets = append(buckets, nil)
					}
					buckets[nd] = append(buckets[nd], ns)
				}
			}
		}
	}
	return -1
}

// checkWalk verifies that steps is a walk from `from` the machine could
// take (edges from the current vertex, their targets, shared-state jumps
// to another model) and returns the edges it walks.
func checkWalk(t *testing.T, models []*model.Model, from Loc, steps []Loc) map[Loc]bool {
	t.Helper()
	walked := map[Loc]bool{}
	cur := from
	for i, s := range steps {
		m := models[cur.Model]
		ok := false
		switch {
		case m.IsEdge(cur.Element):
			ok = s.Model == cur.Model && m.Edge(cur.Element).Target != nil && s.Element == m.Edge(cur.Element).Target.Index
		case s.Model == cur.Model:
			ok = m.IsEdge(s.Element) && m.Edge(s.Element).Source == m.Vertex(cur.Element)
		default:
			sv := m.Vertex(cur.Element).SharedState
			m2 := models[s.Model]
			ok = sv != "" && m2.IsVertex(s.Element) && m2.Vertex(s.Element).SharedState == sv
		}
		if !ok {
			t.Fatalf("step %d: %v does not follow %v", i, s, cur)
		}
		if models[s.Model].IsEdge(s.Element) {
			walked[s] = true
		}
		cur = s
	}
	if len(steps) > 0 && !models[cur.Model].IsVertex(cur.Element) {
		t.Fatalf("walk ends on an edge")
	}
	return walked
}

// hungarian solves a square assignment problem (minimum total cost),
// O(n³); a formulation independent of the planner's flow.
func hungarian(cost [][]int64) int64 {
	n := len(cost)
	const inf = int64(1) << 60
	u, v := make([]int64, n+1), make([]int64, n+1)
	p, way := make([]int, n+1), make([]int, n+1)
	for i := 1; i <= n; i++ {
		p[0] = i
		j0 := 0
		minv := make([]int64, n+1)
		used := make([]bool, n+1)
		for j := range minv {
			minv[j] = inf
		}
		for {
			used[j0] = true
			i0, delta, j1 := p[j0], inf, 0
			for j := 1; j <= n; j++ {
				if used[j] {
					continue
				}
				cur := cost[i0-1][j-1] - u[i0] - v[j]
				if cur < minv[j] {
					minv[j], way[j] = cur, j0
				}
				if minv[j] < delta {
					delta, j1 = minv[j], j
				}
			}
			for j := 0; j <= n; j++ {
				if used[j] {
					u[p[j]] += delta
					v[j] -= delta
				} else {
					minv[j] -= delta
				}
			}
			j0 = j1
			if p[j0] == 0 {
				break
			}
		}
		for {
			j1 := way[j0]
			p[j0] = p[j1]
			j0 = j1
			if j0 == 0 {
				break
			}
		}
	}
	var total int64
	for j := 1; j <= n; j++ {
		total += cost[p[j]-1][j-1]
	}
	return total
}

// imbalance lists, for a single model walked from vertex s covering every
// edge, the supply units (vertices with more edges in than out, plus s)
// and demand units, one entry per unit.
func imbalance(m *model.Model, s int, skip int) (supply, demand []int) {
	bal := make([]int, len(m.Vertices))
	bal[s]++
	for j, e := range m.Edges {
		if j == skip {
			continue
		}
		bal[e.Target.Index]++
		bal[e.Source.Index]--
	}
	for v, b := range bal {
		for ; b > 0; b-- {
			supply = append(supply, v)
		}
		for ; b < 0; b++ {
			demand = append(demand, v)
		}
	}
	return supply, demand
}

// bfsFrom is the number of edges on a shortest path from s to each vertex
// (-1: unreachable).
func bfsFrom(m *model.Model, s int) []int {
	d := make([]int, len(m.Vertices))
	for i := range d {
		d[i] = -1
	}
	d[s] = 0
	q := []int{s}
	for len(q) > 0 {
		v := q[0]
		q = q[1:]
		for _, e := range m.OutEdges(v) {
			if t := m.Edges[e].Target.Index; d[t] < 0 {
				d[t] = d[v] + 1
				q = append(q, t)
			}
		}
	}
	return d
}

// assignmentExtra is the fewest extra edge traversals of a walk from s
// covering every edge, as an assignment of supply units to demand units
// (plus one free end) on shortest-path distances; -1 when infeasible.
func assignmentExtra(m *model.Model, s, skip int) int64 {
	supply, demand := imbalance(m, s, skip)
	n := len(supply) // == len(demand)+1
	const big = int64(1) << 40
	cost := make([][]int64, n)
	dist := map[int][]int{}
	for i, u := range supply {
		if dist[u] == nil {
			dist[u] = bfsFrom(m, u)
		}
		cost[i] = make([]int64, n)
		for j, w := range demand {
			if d := dist[u][w]; d >= 0 {
				cost[i][j] = int64(d)
			} else {
				cost[i][j] = big
			}
		}
		cost[i][n-1] = 0 // the free end
	}
	total := hungarian(cost)
	if total >= big {
		return -1
	}
	return total
}

// spfaExtra is the same minimum as assignmentExtra, by another algorithm:
// successive shortest paths found by Bellman–Ford (queue-based), one unit
// at a time, on the model graph with a super source and sink.
func spfaExtra(m *model.Model, s, skip int) int64 {
	nv := len(m.Vertices)
	S, T := nv, nv+1
	type arc struct{ to, cap, cost int }
	var arcs []arc
	adj := make([][]int, nv+2)
	add := func(u, v, c, w int) {
		adj[u] = append(adj[u], len(arcs))
		arcs = append(arcs, arc{v, c, w})
		adj[v] = append(adj[v], len(arcs))
		arcs = append(arcs, arc{u, 0, -w})
	}
	for _, e := range m.Edges {
		if e.Source != nil && e.Target != nil && e.Source != e.Target {
			add(e.Source.Index, e.Target.Index, 1<<30, 1)
		}
	}
	supply, demand := imbalance(m, s, skip)
	for _, u := range supply {
		add(S, u, 1, 0)
	}
	for _, w := range demand {
		add(w, T, 1, 0)
	}
	var total int64
	dist := make([]int, nv+2)
	inq := make([]bool, nv+2)
	prev := make([]int, nv+2)
	for range demand {
		for i := range dist {
			dist[i], prev[i] = 1<<60, -1
		}
		dist[S] = 0
		q := []int{S}
		inq[S] = true
		for len(q) > 0 {
			u := q[0]
			q = q[1:]
			inq[u] = false
			for _, a := range adj[u] {
				if arcs[a].cap > 0 && dist[u]+arcs[a].cost < dist[arcs[a].to] {
					dist[arcs[a].to] = dist[u] + arcs[a].cost
					prev[arcs[a].to] = a
					if !inq[arcs[a].to] {
						inq[arcs[a].to] = true
						q = append(q, arcs[a].to)
					}
				}
			}
		}
		if prev[T] < 0 {
			return -1
		}
		for v := T; v != S; {
			a := prev[v]
			arcs[a].cap--
			arcs[a^1].cap++
			v = arcs[a^1].to
		}
		total += int64(dist[T])
	}
	return total
}
