package algorithm

import (
	"fmt"
	"testing"

	"github.com/gw-project/gw/internal/model"
)

// FuzzCoverEdges decodes bytes into up to three small models (start
// edges, dangling edges, shared states, needed and closed edges) and
// checks that planning never panics, always yields a valid walk, covers
// or reports every needed edge, and matches exhaustive search.
func FuzzCoverEdges(f *testing.F) {
	f.Add([]byte{1, 2, 0, 1, 1, 0})
	f.Add([]byte{2, 3, 3, 0, 1, 1, 2, 2, 0, 0x40, 0, 1, 0x81, 0, 0})
	f.Add([]byte{3, 2, 2, 0, 1, 0x11, 0, 2, 1, 1, 0, 0x21, 3, 1, 0, 0x33, 0, 1, 7, 9})
	f.Fuzz(func(t *testing.T, data []byte) {
		at := 0
		next := func() int {
			if at >= len(data) {
				return 0
			}
			at++
			return int(data[at-1])
		}
		nm := 1 + next()%3
		var models []*model.Model
		var need []Loc
		closed := map[Loc]bool{}
		edges := 0
		for k := range nm {
			m := &model.Model{Name: fmt.Sprintf("m%d", k)}
			nv := 1 + next()%4
			ne := next() % 6
			for i := range nv {
				m.Vertices = append(m.Vertices, &model.Vertex{ID: fmt.Sprintf("v%d", i)})
			}
			for range ne {
				b := next()
				e := &model.Edge{Source: m.Vertices[b%nv], Target: m.Vertices[(b/4)%nv]}
				switch (b >> 4) % 8 {
				case 6:
					e.Source = nil
				case 7:
					e.Target = nil
				}
				m.Edges = append(m.Edges, e)
			}
			for _, v := range m.Vertices {
				if b := next(); b%3 == 1 && nm > 1 {
					v.SharedState = fmt.Sprintf("S%d", b%2)
				}
			}
			if err := m.Index(); err != nil {
				t.Fatal(err)
			}
			for j := range m.Edges {
				l := Loc{k, len(m.Vertices) + j}
				b := next()
				if b%4 != 0 && edges < 12 {
					need = append(need, l)
					edges++
				}
				if b%8 == 5 {
					closed[l] = true
				}
			}
			models = append(models, m)
		}
		from := Loc{next() % nm, 0}
		from.Element = next() % models[from.Model].NumElements()
		open := func(l Loc) bool { return !closed[l] }
		var rest []Loc // the start edge, if needed, is walked by starting on it
		for _, l := range need {
			if l != from {
				rest = append(rest, l)
			}
		}
		p := NewPlanner(models...)
		pl, err := p.CoverEdges(from, setOf(rest), open)
		fm := models[from.Model]
		if fm.IsEdge(from.Element) && fm.Edge(from.Element).Target == nil {
			if err == nil {
				t.Fatal("no error for a start edge without target")
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		walked := checkWalk(t, models, from, pl.Steps)
		missed := setOf(pl.Missed())
		for _, l := range rest {
			if !walked[l] && !missed(l) {
				t.Fatalf("%v neither walked nor reported", l)
			}
		}
		s := from
		lead := 0
		if fm.IsEdge(from.Element) {
			s, lead = Loc{from.Model, fm.Edge(from.Element).Target.Index}, 1
		}
		want := newRefGraph(models, open).bruteForce(s, rest)
		if want >= 0 && len(pl.Missed()) > 0 {
			t.Fatalf("a walk covers everything, the plan misses %v\n%s\nfrom %v need %v closed %v\nplan %v", pl.Missed(), dump(models), from, rest, closed, pl.Steps)
		}
		if want >= 0 && (len(pl.Steps) < want+lead || pl.Exact && len(pl.Steps) != want+lead) {
			t.Fatalf("plan %d steps (exact %v), optimum %d", len(pl.Steps), pl.Exact, want+lead)
		}
		vp, err := p.CoverVertices(from, func(l Loc) bool { return true }, open)
		if err != nil {
			t.Fatal(err)
		}
		checkWalk(t, models, from, vp.Steps)
	})
}

func dump(models []*model.Model) string {
	out := ""
	for k, m := range models {
		out += fmt.Sprintf("model %d:", k)
		for _, v := range m.Vertices {
			out += fmt.Sprintf(" v%d[%s]", v.Index, v.SharedState)
		}
		for _, e := range m.Edges {
			s, t := -1, -1
			if e.Source != nil {
				s = e.Source.Index
			}
			if e.Target != nil {
				t = e.Target.Index
			}
			out += fmt.Sprintf(" el%d:%d→%d", m.EdgeElement(e), s, t)
		}
		out += "\n"
	}
	return out
}
