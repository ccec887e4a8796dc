package record

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
)

// A walk several times longer than the ring: the writer derives step
// numbers and visit counts from the slots, and must agree with the
// machine across wrap-arounds, clock marks and steps with data. Listing
// every change puts many more entries in flight than full holds.
func TestRunLongWalk(t *testing.T) {
	for _, tc := range []struct {
		name  string
		share float64
	}{{"budget", 0}, {"every change", -1}} {
		t.Run(tc.name, func(t *testing.T) {
			steps := 3*ringSize + 17
			var path []string
			visits := map[string]int{}
			var want []int
			file, err := walkWith(t.TempDir(), Options{DataShare: tc.share}, 7, func(s machine.Step) {
				name := s.Model().ElementName(s.Element)
				path = append(path, name)
				visits[name]++
				want = append(want, visits[name])
			}, "random(length("+strconv.Itoa(steps)+"))", login(t, ""))
			if err != nil {
				t.Fatal(err)
			}
			rec, err := ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if len(rec.Steps) != steps || rec.End == nil || rec.End.N != steps {
				t.Fatalf("%d steps recorded (end %+v), want %d", len(rec.Steps), rec.End, steps)
			}
			withData, last := 0, 0.0
			for i, s := range rec.Steps {
				name := rec.Models[0].ElementName(int(s.Element))
				if s.N != i+1 || name != path[i] || int(s.Visits) != want[i] {
					t.Fatalf("step %d: n=%d %s visits %d, want n=%d %s visits %d", i, s.N, name, s.Visits, i+1, path[i], want[i])
				}
				if s.T < last {
					t.Fatalf("step %d: time %v before the previous step's %v", i, s.T, last)
				}
				last = s.T
				if s.HasData {
					withData++
				}
			}
			if withData == 0 {
				t.Error("no step of the walk has data")
			}
			if tc.share < 0 && withData <= 2*fullSize {
				t.Errorf("%d steps with data, want more than %d to fill full twice", withData, 2*fullSize)
			}
		})
	}
}

// While a script runs long, the steps before it are in the file: the
// walker publishes its slots before a step whose scripts run, and the
// writer drains within flushEvery.
func TestRunFlushedWhileAScriptRuns(t *testing.T) {
	const slowAt = 200
	m := login(t, "random(length(1000))")
	m.Actions = append(m.Actions, "steps = 0;")
	m.Vertices[1].Actions = []string{"steps++; if (steps == " + strconv.Itoa(slowAt) + ") { var t0 = Date.now(); while (Date.now() - t0 < 600) {} }"}
	var slowStep int
	started := make(chan struct{})
	done := make(chan error, 1)
	dir := t.TempDir()
	n, homes := 0, 0
	go func() {
		_, err := walkWith(dir, Options{}, 7, func(s machine.Step) {
			n++
			if s.Model().ElementName(s.Element) == "v_Home" {
				if homes++; homes == slowAt {
					slowStep = n
					close(started)
				}
			}
		}, "", m)
		done <- err
	}()
	select {
	case <-started:
	case err := <-done:
		t.Fatalf("the walk ended before its slow step: %v", err)
	}
	// The action runs 600 ms; the steps before it must be in the file
	// well before it ends. The slow step itself is written once its
	// action ran.
	deadline := time.Now().Add(400 * time.Millisecond)
	got := -1
	for time.Now().Before(deadline) && got != slowStep-1 {
		time.Sleep(10 * time.Millisecond)
		files, _ := filepath.Glob(filepath.Join(dir, "*.jsonl"))
		if len(files) != 1 {
			continue
		}
		rec, err := ReadFile(files[0])
		if err != nil {
			t.Fatal(err)
		}
		got = len(rec.Steps)
	}
	if got != slowStep-1 {
		t.Errorf("while step %d runs its action, the file has %d steps, want %d", slowStep, got, slowStep-1)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// walkWith runs the models to their end with seed, recording into dir,
// with hook after the recorder's and the first model's generator set to
// gen ("": kept). It returns the record's path and the walk's error.
func walkWith(dir string, o Options, seed int64, hook func(machine.Step), gen string, models ...*model.Model) (string, error) {
	if gen != "" {
		models[0].Generator = gen
	}
	o.Dir = dir
	r := NewRun(o, Info{Service: "offline", Command: []string{"gw", "offline"}})
	mo := machine.Options{Seed: seed, HasSeed: true}
	mo.Before = r.Hook(hook)
	m, err := machine.New(models, mo)
	if err != nil {
		return "", err
	}
	defer m.Close()
	if err := r.Start(m); err != nil {
		return "", err
	}
	var werr error
	for {
		more, err := m.HasNext()
		if err != nil {
			werr = err
			break
		}
		if !more {
			break
		}
		if _, err := m.Next(); err != nil {
			werr = err
			break
		}
	}
	return r.Path(), r.Finish(werr)
}

// Across models joined by shared states, the writer's own counts are the
// machine's: step numbers and visit counts per model and element.
func TestRunVisitsAcrossModels(t *testing.T) {
	data, err := os.ReadFile("testdata/petClinic.json")
	if err != nil {
		t.Fatal(err)
	}
	for seed := int64(1); seed <= 3; seed++ {
		doc, err := gwjson.Parse(data, "petClinic.json")
		if err != nil {
			t.Fatal(err)
		}
		type visit struct{ model, el, visits int }
		var want []visit
		file, err := walkWith(t.TempDir(), Options{}, seed, func(s machine.Step) {
			want = append(want, visit{s.Context.Index(), s.Element, s.Context.VisitCount(s.Element) + 1})
		}, "", doc.Models...)
		if err != nil {
			t.Fatal(err)
		}
		rec, err := ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		models := map[int]bool{}
		if len(rec.Steps) != len(want) {
			t.Fatalf("seed %d: %d steps recorded, %d taken", seed, len(rec.Steps), len(want))
		}
		for i, s := range rec.Steps {
			w := want[i]
			models[w.model] = true
			if s.N != i+1 || int(s.Model) != w.model || int(s.Element) != w.el || int(s.Visits) != w.visits {
				t.Fatalf("seed %d, step %d: n=%d model %d element %d visits %d, want n=%d %+v", seed, i, s.N, s.Model, s.Element, s.Visits, i+1, w)
			}
		}
		if len(models) < 2 {
			t.Errorf("seed %d: the walk stayed in %d model(s)", seed, len(models))
		}
	}
}

// With the listing budget spent, plain steps go without data, but a
// setData and the error that ends a walk still carry theirs.
func TestSpentBudgetStillListsEvents(t *testing.T) {
	m := login(t, "random(length(40))")
	m.Edges[1].Actions = []string{"if (n == 2) throw new Error('logout broken');"}
	r := NewRun(Options{Dir: t.TempDir()}, Info{Service: "test"})
	mo := machine.Options{Seed: 7, HasSeed: true}
	mo.Before = r.Hook(nil)
	mm, err := machine.New([]*model.Model{m}, mo)
	if err != nil {
		t.Fatal(err)
	}
	defer mm.Close()
	if err := r.Start(mm); err != nil {
		t.Fatal(err)
	}
	r.listed = time.Hour // the budget is spent
	if _, err := mm.Next(); err != nil {
		t.Fatal(err)
	}
	r.Settle()
	err = mm.Execute("user = 'bob';")
	r.Note("setData", "user = 'bob';", err)
	var werr error
	for werr == nil {
		_, werr = mm.Next()
	}
	r.Finish(werr)
	rec, err := ReadFile(r.Path())
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Events) != 2 {
		t.Fatalf("events %+v", rec.Events)
	}
	set, failure := rec.Events[0], rec.Events[1]
	if set.Type != "setData" || !set.HasData || !strings.Contains(dataString(set.Data), "user=bob") {
		t.Errorf("setData line %+v", set)
	}
	if failure.Type != "error" || !failure.Entered || !failure.HasData || !strings.Contains(dataString(failure.Data), "n=2") {
		t.Errorf("error line %+v", failure)
	}
	skipped := 0
	for _, s := range rec.Steps {
		if s.HasData {
			t.Errorf("step %d has data with the budget spent", s.N)
		}
		if s.DataSkipped {
			skipped++
		}
	}
	if skipped == 0 {
		t.Error("no step says its listing was skipped")
	}
}

// The first listing of a run builds goja's table of the global object's
// properties (about a millisecond, most of a short run's allowance): it
// is not charged to the listing budget, so that short runs keep their data.
func TestFirstListingIsFree(t *testing.T) {
	r := NewRun(Options{Dir: t.TempDir()}, Info{Service: "offline"})
	m, err := machine.New([]*model.Model{login(t, "random(length(10))")}, machine.Options{Seed: 7, HasSeed: true, Before: r.Hook(nil)})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := r.Start(m); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second step's hook writes the first, listed (INIT ran)
		if _, err := m.Next(); err != nil {
			t.Fatal(err)
		}
	}
	if r.listings != 1 || r.listed != 0 {
		t.Errorf("after the first listing: %d listings, %v charged; want 1 and none", r.listings, r.listed)
	}
	if _, err := m.Next(); err != nil {
		t.Fatal(err)
	}
	if r.listings != 2 || r.listed <= 0 {
		t.Errorf("after the second listing: %d listings, %v charged; want 2 and some", r.listings, r.listed)
	}
	r.Finish(nil)
}

// The hook skips a listing without asking mayList while the clock is
// before quietUntil: mayList must refuse there, and allow soon after.
func TestQuietUntilIsSafe(t *testing.T) {
	for _, share := range []float64{0.001, 0.02, 0.5} {
		r := &Run{opts: Options{DataShare: share}, a: &async{}}
		for range 200 {
			r.charge(137 * time.Microsecond)
			if r.quietUntil <= 0 {
				continue
			}
			for _, c := range []int64{0, r.quietUntil / 2, r.quietUntil - 1} {
				r.a.clock.Store(c)
				if r.mayList() {
					t.Fatalf("share %v, listed %v: mayList at %d ms, before quietUntil %d", share, r.listed, c, r.quietUntil)
				}
			}
			r.a.clock.Store(r.quietUntil + 3)
			if !r.mayList() {
				t.Fatalf("share %v, listed %v: mayList refuses at %d ms, quietUntil %d", share, r.listed, r.quietUntil+3, r.quietUntil)
			}
		}
	}
}
