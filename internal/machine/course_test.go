package machine

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gw-project/gw/internal/condition"
	"github.com/gw-project/gw/internal/generator"
	"github.com/gw-project/gw/internal/model"
)

// walkAll walks models until the machine ends or limit steps, with every
// model's generator set to gen; keep walks as GraphWalker does (its course
// for good, no no-progress check). It returns the steps ("model/element
// id"), whether the walk ended, and the machine (closed).
func walkAll(t *testing.T, path, gen string, seed int64, keep bool, limit int) ([]string, bool, *Machine) {
	t.Helper()
	models := loadJSON(t, path, "")
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
	var steps []string
	for len(steps) < limit {
		more, err := m.HasNext()
		if err != nil {
			t.Fatalf("seed %d, after %d steps: %v", seed, len(steps), err)
		}
		if !more {
			return steps, true, m
		}
		s, err := m.Next()
		if err != nil {
			t.Fatalf("seed %d, after %d steps: %v", seed, len(steps), err)
		}
		steps = append(steps, s.Model().Name+"/"+s.Model().ElementID(s.Element))
	}
	return steps, false, m
}

// TestQuickRandomEnds walks quick_random on every multi-model file in
// testdata: where GraphWalker's course ends (within 20,000 steps), gw must
// take exactly that path; where it does not, gw must have left it only at
// a step where it provably never ends, and end.
func TestQuickRandomEnds(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.json")
	var multi []string
	for _, f := range files {
		if len(loadJSON(t, f, "")) > 1 {
			multi = append(multi, f)
		}
	}
	if len(multi) < 5 {
		t.Fatalf("found only %v", multi)
	}
	const gen = "quick_random(edge_coverage(100))"
	seeds := []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 23, 42}
	for _, f := range multi {
		t.Run(filepath.Base(f), func(t *testing.T) {
			t.Parallel()
			for _, seed := range seeds {
				gw, gwEnds, _ := walkAll(t, f, gen, seed, true, 20000)
				got, ends, m := walkAll(t, f, gen, seed, false, 200000)
				if !ends {
					t.Fatalf("seed %d: no end after %d steps", seed, len(got))
				}
				if gwEnds {
					if m.deviated || !slices.Equal(got, gw) {
						t.Fatalf("seed %d: GraphWalker ends after %d steps; gw left its path at step %d (deviated %v)", seed, len(gw), firstDiff(got, gw), m.deviated)
					}
					continue
				}
				if !m.deviated {
					t.Fatalf("seed %d: GraphWalker's course does not end, yet gw kept it and ended after %d steps", seed, len(got))
				}
				if d := firstDiff(got, gw); d < m.deviatedAt {
					t.Fatalf("seed %d: gw left GraphWalker's path at step %d, before it found the course endless (step %d)", seed, d, m.deviatedAt)
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
		steps, ends, m := walkAll(t, "testdata/PetClinicWithSeed.json", "quick_random(edge_coverage(100))", tt.seed, false, 100000)
		if !ends || m.deviated != tt.deviates {
			t.Errorf("seed %d: ended %v after %d steps, deviated %v (at step %d), want deviated %v", tt.seed, ends, len(steps), m.deviated, m.deviatedAt, tt.deviates)
		}
		_, gwEnds, _ := walkAll(t, "testdata/PetClinicWithSeed.json", "quick_random(edge_coverage(100))", tt.seed, true, 20000)
		if gwEnds == tt.deviates {
			t.Errorf("seed %d: GraphWalker's course ends: %v", tt.seed, gwEnds)
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
