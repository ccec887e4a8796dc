package shrink

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/record"
	"github.com/gw-project/gw/internal/replay"
)

// recordWalk walks models for at most steps steps with seed, recording;
// then, if failAt is not empty, the test "fails" at the last step (or at
// the step whose element is named failAt). setData maps a step number to
// a script made after it. It returns the record.
func recordWalk(t testing.TB, models []*model.Model, seed int64, steps int, fail bool, setData map[int]string) *record.Record {
	t.Helper()
	dir := t.TempDir()
	r := record.NewRun(record.Options{Dir: dir, DataShare: -1}, record.Info{Service: "test"})
	mo := machine.Options{Seed: seed, HasSeed: true, SkipReachabilityCheck: true, NoProgressWindow: -1}
	mo.Before = r.Hook(nil)
	m, err := machine.New(models, mo)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	r.Start(m)
	var werr error
	for i := 0; i < steps; i++ {
		more, err := m.HasNext()
		if err != nil || !more {
			werr = err
			break
		}
		if _, werr = m.Next(); werr != nil {
			break
		}
		if sd, ok := setData[m.TotalSteps()]; ok {
			r.Settle()
			err := m.Execute(sd)
			r.Note("setData", sd, err)
		}
	}
	if fail && werr == nil {
		r.Settle()
		m.Fail("the test failed here")
		r.Note("fail", "the test failed here", nil)
	}
	r.Finish(werr)
	rec, err := record.ReadFile(r.Path())
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// randomGraph has n vertices, m edges (a ring, so every vertex is
// reachable, plus random ones), no guards, and a start vertex.
func randomGraph(rng *rand.Rand, n, m int) *model.Model {
	mod := &model.Model{Name: "R", ID: "r", Generator: "random(never)"}
	for i := range n {
		mod.Vertices = append(mod.Vertices, &model.Vertex{ID: fmt.Sprintf("v%d", i), Name: fmt.Sprintf("v_%d", i)})
	}
	add := func(a, b int) {
		j := len(mod.Edges)
		mod.Edges = append(mod.Edges, &model.Edge{ID: fmt.Sprintf("e%d", j), Name: fmt.Sprintf("e_%d", j), Source: mod.Vertices[a], Target: mod.Vertices[b]})
	}
	for i := range n {
		add(i, (i+1)%n)
	}
	for len(mod.Edges) < m {
		add(rng.IntN(n), rng.IntN(n))
	}
	mod.StartElementID = "v0"
	if err := mod.Index(); err != nil {
		panic(err)
	}
	return mod
}

// bfs is the number of steps of the shortest walk from the start vertex
// to el, both counted.
func bfs(m *model.Model, el model.Element) int {
	dist := make([]int, m.NumElements())
	for i := range dist {
		dist[i] = -1
	}
	dist[0] = 1
	queue := []model.Element{0}
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		var next []model.Element
		if m.IsVertex(x) {
			for _, e := range m.OutEdges(x) {
				next = append(next, len(m.Vertices)+int(e))
			}
		} else {
			next = append(next, m.Edge(x).Target.Index)
		}
		for _, y := range next {
			if dist[y] < 0 {
				dist[y] = dist[x] + 1
				queue = append(queue, y)
			}
		}
	}
	return dist[el]
}

// On models without guards, the shrunk walk is as long as the graph's
// shortest path to the failing element, and proven so.
func TestShrinkIsBFSOnGuardFreeGraphs(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 25 {
		n := 3 + rng.IntN(30)
		mod := randomGraph(rng, n, n+rng.IntN(3*n))
		rec := recordWalk(t, []*model.Model{mod}, int64(trial+1), 1+rng.IntN(400), true, nil)
		res, err := Shrink(rec, Options{})
		if err != nil {
			t.Fatal(err)
		}
		target := res.Failure.Target
		want := bfs(mod, target.Element)
		if len(res.Path) != want || !res.Proven || res.Path[len(res.Path)-1] != target {
			t.Fatalf("trial %d: %d steps → %d (proven %v, %s), BFS says %d", trial, res.Failure.Steps, len(res.Path), res.Proven, res.Why, want)
		}
		if res.Failure.Steps < len(res.Path) {
			t.Fatalf("trial %d: the shrunk walk is longer than the failing one", trial)
		}
	}
}

// counterModel: v_Start -e_Inc-> v_Start counts n; e_Go (guard n >= 3)
// leads to v_Door; e_Open (action throws when n == 4... n >= 3) to v_Room.
func counterModel(t testing.TB) *model.Model {
	mod := &model.Model{Name: "C", ID: "c", Generator: "random(never)", Actions: []string{"n = 0;"}}
	s := &model.Vertex{ID: "v0", Name: "v_Start"}
	d := &model.Vertex{ID: "v1", Name: "v_Door"}
	r := &model.Vertex{ID: "v2", Name: "v_Room"}
	mod.Vertices = []*model.Vertex{s, d, r}
	mod.Edges = []*model.Edge{
		{ID: "e0", Name: "e_Inc", Source: s, Target: s, Actions: []string{"n = n + 1;"}},
		{ID: "e1", Name: "e_Go", Source: s, Target: d, Guard: "n >= 3"},
		{ID: "e2", Name: "e_Back", Source: d, Target: s},
		{ID: "e3", Name: "e_Open", Source: d, Target: r, Actions: []string{"if (n == 5) throw new Error('the door jams at five');"}},
		{ID: "e4", Name: "e_Leave", Source: r, Target: s},
	}
	mod.StartElementID = "v0"
	if err := mod.Index(); err != nil {
		t.Fatal(err)
	}
	return mod
}

func names(m *model.Model, path []replay.Loc) string {
	var out []string
	for _, l := range path {
		out = append(out, m.ElementName(l.Element))
	}
	return strings.Join(out, " ")
}

// The search runs the real guards and actions: the door opens after three
// e_Inc, and jams when n is five.
func TestShrinkWithGuardsAndData(t *testing.T) {
	mod := counterModel(t)
	rec := recordWalk(t, []*model.Model{mod}, 5, 5000, false, nil)
	if rec.End == nil || rec.End.Verdict != record.Failed {
		t.Fatalf("the walk did not fail: %+v", rec.End)
	}
	res, err := Shrink(rec, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := "v_Start e_Inc v_Start e_Inc v_Start e_Inc v_Start e_Inc v_Start e_Inc v_Start e_Go v_Door e_Open"
	if got := names(mod, res.Path); got != want || !res.Proven || !res.Reproduced {
		t.Errorf("%d steps → %q (proven %v, reproduced %v, %s)\nwant %q", res.Failure.Steps, got, res.Proven, res.Reproduced, res.Why, want)
	}
}

// setData calls the failing run made are kept at the matching steps;
// those the shrunk walk never gets to are reported.
func TestShrinkKeepsSetData(t *testing.T) {
	mod := counterModel(t)
	mod.Edges[1].Guard = "n >= 3 || unlocked"
	mod.Actions = []string{"n = 0; unlocked = false;"}
	mod.Edges[3].Actions = []string{"if (unlocked) throw new Error('unlocked doors jam');"}
	// Walk until v_Start is visited a few times, unlock there, later fail.
	rec := recordWalk(t, []*model.Model{mod}, 11, 3000, false, map[int]string{1: "unlocked = true;", 2: "x = 1;"})
	if len(rec.Events) < 2 || rec.End.Verdict != record.Failed {
		t.Fatalf("events %+v end %+v", rec.Events, rec.End)
	}
	res, err := Shrink(rec, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := names(mod, res.Path); got != "v_Start e_Go v_Door e_Open" || !res.Reproduced {
		t.Fatalf("shrunk to %q (reproduced %v)", got, res.Reproduced)
	}
	if len(res.SetData) != 2 || res.SetData[0].Text != "unlocked = true;" || res.SetData[0].After != 1 || res.SetData[1].After != 2 {
		t.Errorf("setData kept: %+v", res.SetData)
	}

	// A setData after an element the shrunk walk never passes is missing.
	rec = recordWalk(t, []*model.Model{counterModel(t)}, 5, 5000, false, map[int]string{2: "y = 2;"})
	res, err = Shrink(rec, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.SetData) != 1 || res.SetData[0].After != 2 {
		t.Errorf("setData after e_Inc: %+v", res.SetData)
	}
}

// A bound that is hit: the answer is the failing walk with loops cut,
// not proven.
func TestShrinkBound(t *testing.T) {
	mod := counterModel(t)
	rec := recordWalk(t, []*model.Model{mod}, 5, 5000, false, nil)
	res, err := Shrink(rec, Options{MaxStates: 3})
	if err != nil {
		t.Fatal(err)
	}
	if res.Proven || !strings.Contains(res.Why, "bound of 3 states") || len(res.Path) > res.Failure.Steps || !res.Reproduced {
		t.Errorf("bounded: proven %v, %q, %d → %d steps, reproduced %v", res.Proven, res.Why, res.Failure.Steps, len(res.Path), res.Reproduced)
	}
}

func TestShrinkErrors(t *testing.T) {
	mod := counterModel(t)
	mod.Edges[3].Actions = nil
	rec := recordWalk(t, []*model.Model{mod}, 5, 100, false, nil)
	if _, err := Shrink(rec, Options{}); err == nil || !strings.Contains(err.Error(), "did not fail") {
		t.Errorf("a passed run: %v", err)
	}
}

// The shrunk walk as a record replays, and as a model it walks with
// predefined_path.
func TestOutputs(t *testing.T) {
	mod := counterModel(t)
	rec := recordWalk(t, []*model.Model{mod}, 5, 5000, false, nil)
	res, err := Shrink(rec, Options{})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "shrunk.jsonl")
	if err := WriteRecord(rec, res, file, machine.Options{}, "test"); err != nil {
		t.Fatal(err)
	}
	out, err := record.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Steps) != len(res.Path)-1 || len(out.Events) != 1 || !out.Events[0].Entered || out.End.Verdict != record.Failed {
		t.Errorf("shrunk record: %d steps, events %+v, end %+v", len(out.Steps), out.Events, out.End)
	}
	models, err := Models(rec, res)
	if err != nil {
		t.Fatal(err)
	}
	m, err := machine.New(models, machine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	var got []replay.Loc
	var werr error
	for {
		more, err := m.HasNext()
		if err != nil || !more {
			werr = err
			break
		}
		s, err := m.Next()
		if err != nil {
			got = append(got, replay.Loc{Model: m.Current().Index(), Element: m.Current().Current()})
			werr = err
			break
		}
		got = append(got, replay.Loc{Model: s.Context.Index(), Element: s.Element})
	}
	if names(mod, got) != names(mod, res.Path) || werr == nil || !strings.Contains(werr.Error(), "jams at five") {
		t.Errorf("predefined path walked %q (%v), want %q", names(mod, got), werr, names(mod, res.Path))
	}
}

// Across five models joined by shared states (and two guards): the shrunk
// walk is written as a record that replays without diverging and ends on
// the failing element.
func TestShrinkAcrossModels(t *testing.T) {
	data, err := os.ReadFile("testdata/petClinic.json")
	if err != nil {
		t.Fatal(err)
	}
	for seed := int64(1); seed <= 5; seed++ {
		doc, err := gwjson.Parse(data, "petClinic.json")
		if err != nil {
			t.Fatal(err)
		}
		rec := recordWalk(t, doc.Models, seed, 300, true, nil)
		res, err := Shrink(rec, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Proven || len(res.Path) > res.Failure.Steps || res.Path[len(res.Path)-1] != res.Failure.Target {
			t.Fatalf("seed %d: %d → %d steps, proven %v (%s)", seed, res.Failure.Steps, len(res.Path), res.Proven, res.Why)
		}
		file := filepath.Join(t.TempDir(), "shrunk.jsonl")
		if err := WriteRecord(rec, res, file, machine.Options{}, "test"); err != nil {
			t.Fatal(err)
		}
		out, err := record.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		p := replay.FromRecord(out)
		f, err := p.Force(out.Models)
		if err != nil {
			t.Fatal(err)
		}
		var mo machine.Options
		f.Apply(&mo)
		m, err := machine.New(out.Models, mo)
		if err != nil {
			t.Fatal(err)
		}
		for {
			more, err := m.HasNext()
			if err != nil {
				t.Fatal(err)
			}
			if !more {
				break
			}
			if _, err := m.Next(); err != nil {
				t.Fatalf("seed %d: replaying the shrunk record: %v", seed, err)
			}
		}
		m.Close()
		if err := f.End(); err != nil || f.Pos() != len(res.Path) {
			t.Errorf("seed %d: replayed %d of %d steps: %v", seed, f.Pos(), len(res.Path), err)
		}
	}
}
