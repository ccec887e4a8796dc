package machine

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gw-project/gw/internal/condition"
	"github.com/gw-project/gw/internal/format/yed"
	"github.com/gw-project/gw/internal/generator"
	"github.com/gw-project/gw/internal/model"
)

// loadSet reads a multi-model file (JSON) or a directory of GraphML
// models, one per file.
func loadSet(t *testing.T, path string) []*model.Model {
	t.Helper()
	if strings.HasSuffix(path, ".json") {
		return loadJSON(t, path, "")
	}
	files, _ := filepath.Glob(filepath.Join(path, "*.graphml"))
	var models []*model.Model
	for _, f := range files {
		m, err := yed.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		models = append(models, m)
	}
	return models
}

// walk is one walk of walkAll: its steps ("model/element id"), whether it
// ended (its stop conditions met, or an error), the error and the machine
// (closed).
type walk struct {
	steps []string
	ended bool
	err   error
	m     *Machine
}

// walkAll walks the models of path with every generator set to gen, until
// the walk ends or takes limit steps; keep walks as GraphWalker does (its
// course for good, no no-progress check).
func walkAll(t *testing.T, path, gen string, seed int64, keep bool, limit int) walk {
	t.Helper()
	models := loadSet(t, path)
	for _, m := range models {
		m.Generator = gen
	}
	opts := Options{Seed: seed, HasSeed: true}
	if keep {
		opts.NoProgressWindow = -1
	}
	m, err := New(models, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	m.keepCourse = keep
	w := walk{m: m}
	for len(w.steps) < limit {
		more, err := m.HasNext()
		if err != nil || !more {
			w.ended, w.err = true, err
			return w
		}
		s, err := m.Next()
		if err != nil {
			w.ended, w.err = true, err
			return w
		}
		w.steps = append(w.steps, s.Model().Name+"/"+s.Model().ElementID(s.Element))
	}
	return w
}

// TestQuickRandomEnds walks quick_random on every multi-model file in
// testdata (and the directories of GraphML models joined by shared states)
// with seeds 1-20, 23 and 42. Where GraphWalker's course ends within 20,000
// steps (its stop conditions met, or a dead end), gw must take exactly that
// path to the same end. Where it does not, gw must end too: it leaves the
// course no earlier than the step where it proves it endless, or, where a
// guard keeps a quick_random from its target (no proof: guards may change),
// it stops at the no-progress check, on GraphWalker's path until then.
func TestQuickRandomEnds(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.json")
	var sets []string
	for _, f := range files {
		if len(loadJSON(t, f, "")) > 1 {
			sets = append(sets, f)
		}
	}
	dirs, _ := filepath.Glob("testdata/shared_state/*")
	sets = append(sets, dirs...)
	if len(sets) < 8 {
		t.Fatalf("found only %v", sets)
	}
	const gen = "quick_random(edge_coverage(100))"
	seeds := []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 23, 42}
	for _, f := range sets {
		t.Run(filepath.Base(f), func(t *testing.T) {
			t.Parallel()
			for _, seed := range seeds {
				gw := walkAll(t, f, gen, seed, true, 20000)
				got := walkAll(t, f, gen, seed, false, 200000)
				switch {
				case !got.ended:
					t.Fatalf("seed %d: no end after %d steps", seed, len(got.steps))
				case gw.ended:
					if got.m.deviated || !slices.Equal(got.steps, gw.steps) || fmt.Sprint(got.err) != fmt.Sprint(gw.err) {
						t.Fatalf("seed %d: GraphWalker ends after %d steps (%v); gw left its path at step %d (deviated %v) and ended with %v", seed, len(gw.steps), gw.err, firstDiff(got.steps, gw.steps), got.m.deviated, got.err)
					}
				case got.m.deviated:
					if d := firstDiff(got.steps, gw.steps); d < got.m.deviatedAt {
						t.Fatalf("seed %d: gw left GraphWalker's path at step %d, before it found the course endless (step %d)", seed, d, got.m.deviatedAt)
					}
					if got.err != nil {
						t.Fatalf("seed %d: %v", seed, got.err)
					}
				default:
					if got.err == nil || !strings.Contains(got.err.Error(), "no progress") || firstDiff(got.steps, gw.steps) <= len(got.steps) {
						t.Fatalf("seed %d: GraphWalker's course does not end; gw kept it for %d steps and ended with %v", seed, len(got.steps), got.err)
					}
				}
			}
		})
	}
}

// firstDiff is the first step (1-based) where a and b differ.
func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i + 1
		}
	}
	return min(len(a), len(b)) + 1
}

// TestQuickRandomPetClinic checks the two ways GraphWalker's quick_random
// never ends on its own PetClinic model: with seed 42, PetClinic heads for
// its start edge (no path leads there) and shuttles between home page and
// find-owners, so Veterinarians is never entered; with seed 4,
// OwnerInformation heads for its v_FindOwners, from which the machine always
// jumps away before it can pick another target, so e_AddPetFailed stays
// unvisited. Seed 23 ends on GraphWalker's path (the recorded walk is
// replayed in internal/cli's conformance test).
func TestQuickRandomPetClinic(t *testing.T) {
	for _, tt := range []struct {
		seed     int64
		deviates bool
	}{{23, false}, {42, true}, {4, true}} {
		got := walkAll(t, "testdata/PetClinicWithSeed.json", "quick_random(edge_coverage(100))", tt.seed, false, 100000)
		if !got.ended || got.err != nil || got.m.deviated != tt.deviates {
			t.Errorf("seed %d: ended %v (%v) after %d steps, deviated %v (at step %d), want deviated %v", tt.seed, got.ended, got.err, len(got.steps), got.m.deviated, got.m.deviatedAt, tt.deviates)
		}
		gw := walkAll(t, "testdata/PetClinicWithSeed.json", "quick_random(edge_coverage(100))", tt.seed, true, 20000)
		if gw.ended == tt.deviates {
			t.Errorf("seed %d: GraphWalker's course ends: %v", tt.seed, gw.ended)
		}
	}
}

// bouncer is a broken shortest-path generator: it claims a target and
// bounces between the first two vertices.
type bouncer struct {
	ctx    *Context
	stop   condition.Condition
	target model.Element
}

func (g *bouncer) HasNext() bool                      { return !g.stop.Fulfilled() }
func (g *bouncer) StopCondition() condition.Condition { return g.stop }
func (g *bouncer) String() string                     { return "Bouncer(" + g.stop.String() + ")" }
func (g *bouncer) Target() model.Element              { return g.target }
func (g *bouncer) Next() (model.Element, error) {
	succ, err := g.ctx.Successors(nil)
	if err != nil {
		return model.None, err
	}
	el := succ[0]
	g.ctx.SetCurrent(el)
	return el, nil
}

var _ generator.Targeter = (*bouncer)(nil)

// TestHeadingInvariant: a generator that heads for targets by shortest
// paths and covers nothing for a whole window while what it needs can be
// reached is stopped with an error naming it and its target.
func TestHeadingInvariant(t *testing.T) {
	mod := newModel("m", "random(edge_coverage(100))").v("A").v("B").v("C").
		e("ab", "A", "B").e("ac", "A", "C").e("ba", "B", "A").e("ca", "C", "A").start("A").build(t)
	m, err := New([]*model.Model{mod}, Options{Seed: 1, HasSeed: true, NoProgressWindow: 50})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	c := m.contexts[0]
	target, _ := mod.ElementByID("C")
	c.gen = &bouncer{ctx: c, stop: c.gen.StopCondition(), target: target}
	var walkErr error
	for i := 0; i < 1000 && walkErr == nil; i++ {
		_, walkErr = m.Next()
	}
	if walkErr == nil {
		t.Fatal("a walk that covers nothing went on")
	}
	for _, want := range []string{"no progress in the last 50 steps", "Bouncer(EdgeCoverage(100))", `model "m"`, `heads for vertex "C"`, `edge "ac"`} {
		if !strings.Contains(walkErr.Error(), want) {
			t.Errorf("error %q does not say %q", walkErr, want)
		}
	}
}
