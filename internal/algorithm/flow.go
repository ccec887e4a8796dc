package algorithm

import "math"

// flowInf is the capacity of an uncapacitated arc. Flows here never exceed
// the number of edges of a model, so it cannot be exhausted.
const flowInf = math.MaxInt32 / 2

// flowNet is a min-cost flow network solved by the primal-dual method:
// Dijkstra on reduced costs moves the node potentials, then Dinic blocking
// flows push along every arc whose reduced cost is zero (all shortest
// augmenting paths of that length at once). Arc i and arc i^1 are a pair
// (forward, residual). Buffers are kept between solves.
type flowNet struct {
	n     int
	head  []int32 // per arc: tail node
	to    []int32
	cap   []int32
	cost  []int64
	start []int32 // CSR: the arcs leaving u are adj[start[u]:start[u+1]]
	adj   []int32

	pot, dist   []int64
	level, iter []int32
	queue       []int32
	heap        distHeap
}

func (f *flowNet) reset(n int) {
	f.n = n
	f.head, f.to, f.cap, f.cost = f.head[:0], f.to[:0], f.cap[:0], f.cost[:0]
}

// addArc adds an arc u→v and its residual twin; it returns the arc's id.
func (f *flowNet) addArc(u, v int32, capacity int32, cost int64) int32 {
	id := int32(len(f.to))
	f.head = append(f.head, u, v)
	f.to = append(f.to, v, u)
	f.cap = append(f.cap, capacity, 0)
	f.cost = append(f.cost, cost, -cost)
	return id
}

// flow is the flow carried by forward arc id.
func (f *flowNet) flow(id int32) int32 { return f.cap[id^1] }

func (f *flowNet) build() {
	n := f.n
	f.start = resize(f.start, n+1)
	clear(f.start)
	for _, u := range f.head {
		f.start[u+1]++
	}
	for u := range n {
		f.start[u+1] += f.start[u]
	}
	f.adj = resize(f.adj, len(f.head))
	f.iter = resize(f.iter, n)
	copy(f.iter, f.start[:n])
	for a, u := range f.head {
		f.adj[f.iter[u]] = int32(a)
		f.iter[u]++
	}
}

// minCostFlow sends up to want units from s to t at minimum cost and
// returns how many it sent. Arc costs must be non-negative.
//
// Each phase costs one Dijkstra, O((V+E) log V), plus Dinic on the
// zero-reduced-cost arcs, O(V·E) at worst; the number of phases is at most
// the number of distinct shortest-path lengths met, itself at most the
// flow sent.
func (f *flowNet) minCostFlow(s, t int32, want int64) int64 {
	f.build()
	n := f.n
	f.pot = resize(f.pot, n)
	clear(f.pot)
	f.dist = resize(f.dist, n)
	f.level = resize(f.level, n)
	var sent int64
	for sent < want {
		if !f.dijkstra(s, t) {
			break
		}
		dt := f.dist[t]
		for v := range n {
			f.pot[v] += min(f.dist[v], dt)
		}
		for sent < want && f.levels(s, t) {
			copy(f.iter, f.start[:n])
			for sent < want {
				d := f.augment(s, t, want-sent)
				if d == 0 {
					break
				}
				sent += d
			}
		}
	}
	return sent
}

func (f *flowNet) reduced(a int32) int64 {
	return f.cost[a] + f.pot[f.head[a]] - f.pot[f.to[a]]
}

// dijkstra computes reduced-cost distances from s, stopping once t is
// settled (nodes beyond keep a distance ≥ dist[t], which the clipped
// potential update needs).
func (f *flowNet) dijkstra(s, t int32) bool {
	const inf = math.MaxInt64 / 4
	for i := range f.dist {
		f.dist[i] = inf
	}
	f.dist[s] = 0
	h := &f.heap
	h.reset()
	h.push(0, s)
	for h.len() > 0 {
		d, u := h.pop()
		if d != f.dist[u] {
			continue
		}
		if u == t {
			return true
		}
		for _, a := range f.adj[f.start[u]:f.start[u+1]] {
			if f.cap[a] <= 0 {
				continue
			}
			v := f.to[a]
			if nd := d + f.reduced(a); nd < f.dist[v] {
				f.dist[v] = nd
				h.push(nd, v)
			}
		}
	}
	return false
}

// levels is Dinic's BFS over admissible arcs (residual, reduced cost 0).
func (f *flowNet) levels(s, t int32) bool {
	for i := range f.level {
		f.level[i] = -1
	}
	f.level[s] = 0
	q := append(f.queue[:0], s)
	for i := 0; i < len(q); i++ {
		u := q[i]
		for _, a := range f.adj[f.start[u]:f.start[u+1]] {
			v := f.to[a]
			if f.cap[a] > 0 && f.level[v] < 0 && f.reduced(a) == 0 {
				f.level[v] = f.level[u] + 1
				q = append(q, v)
			}
		}
	}
	f.queue = q[:0]
	return f.level[t] >= 0
}

// augment finds one path in the level graph by depth-first search with
// Dinic's current-arc pointers and pushes up to limit units along it.
func (f *flowNet) augment(s, t int32, limit int64) int64 {
	// Iterative DFS: path holds the arcs taken from s.
	path := f.queue[:0]
	u := s
	for {
		if u == t {
			d := limit
			for _, a := range path {
				d = min(d, int64(f.cap[a]))
			}
			for _, a := range path {
				f.cap[a] -= int32(d)
				f.cap[a^1] += int32(d)
			}
			f.queue = path[:0]
			return d
		}
		advanced := false
		for f.iter[u] < f.start[u+1] {
			a := f.adj[f.iter[u]]
			v := f.to[a]
			if f.cap[a] > 0 && f.level[v] == f.level[u]+1 && f.reduced(a) == 0 {
				path = append(path, a)
				u = v
				advanced = true
				break
			}
			f.iter[u]++
		}
		if advanced {
			continue
		}
		// Dead end: retreat and skip the arc that led here.
		f.level[u] = -1
		if len(path) == 0 {
			f.queue = path[:0]
			return 0
		}
		a := path[len(path)-1]
		path = path[:len(path)-1]
		u = f.head[a]
		f.iter[u]++
	}
}

// distHeap is a binary min-heap of (distance, node) pairs.
type distHeap struct {
	d []int64
	v []int32
}

func (h *distHeap) reset()   { h.d, h.v = h.d[:0], h.v[:0] }
func (h *distHeap) len() int { return len(h.d) }

func (h *distHeap) push(d int64, v int32) {
	h.d, h.v = append(h.d, d), append(h.v, v)
	i := len(h.d) - 1
	for i > 0 {
		p := (i - 1) / 2
		if h.d[p] <= h.d[i] {
			break
		}
		h.d[p], h.d[i] = h.d[i], h.d[p]
		h.v[p], h.v[i] = h.v[i], h.v[p]
		i = p
	}
}

func (h *distHeap) pop() (int64, int32) {
	d, v := h.d[0], h.v[0]
	last := len(h.d) - 1
	h.d[0], h.v[0] = h.d[last], h.v[last]
	h.d, h.v = h.d[:last], h.v[:last]
	i := 0
	for {
		l := 2*i + 1
		if l >= last {
			break
		}
		c := l
		if r := l + 1; r < last && h.d[r] < h.d[l] {
			c = r
		}
		if h.d[i] <= h.d[c] {
			break
		}
		h.d[i], h.d[c] = h.d[c], h.d[i]
		h.v[i], h.v[c] = h.v[c], h.v[i]
		i = c
	}
	return d, v
}

func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
