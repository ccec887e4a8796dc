package replay

import (
	"errors"
	"strings"
	"testing"

	"github.com/gw-project/gw/internal/gwtest"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/record"
)

func load(t testing.TB, file string) []*model.Model {
	t.Helper()
	return gwtest.Models(t, "testdata/"+file)
}

// walk runs a machine to its end and returns its path and error.
func walk(t testing.TB, models []*model.Model, opts machine.Options, f *Forcer) ([]Loc, error) {
	t.Helper()
	m, err := machine.New(models, opts)
	if err != nil {
		return nil, err
	}
	defer m.Close()
	var path []Loc
	for range 1000000 {
		more, err := m.HasNext()
		if err != nil {
			return path, err
		}
		if !more {
			if f != nil {
				return path, f.End()
			}
			return path, nil
		}
		s, err := m.Next()
		if err != nil {
			return path, err
		}
		path = append(path, Loc{s.Context.Index(), s.Element})
	}
	t.Fatal("endless walk")
	return nil, nil
}

func pathOf(t testing.TB, models []*model.Model, steps []Loc) *Path {
	p := &Path{Models: models, Steps: steps, Seed: 99}
	for _, m := range models {
		d, err := record.Digest(m)
		if err != nil {
			t.Fatal(err)
		}
		p.Digests = append(p.Digests, d)
	}
	return p
}

// Whatever seed and generator produced a walk, the replay takes it step
// for step: shared-state jumps between five models included.
func TestReplayFollowsRandomWalks(t *testing.T) {
	for _, file := range []string{"petClinic.json", "Login.json"} {
		for seed := int64(1); seed <= 8; seed++ {
			models := load(t, file)
			want, err := walk(t, models, machine.Options{Seed: seed, HasSeed: true}, nil)
			if err != nil {
				t.Fatal(err)
			}
			p := pathOf(t, models, want)
			f, err := p.Force(models)
			if err != nil {
				t.Fatal(err)
			}
			var opts machine.Options
			f.Apply(&opts)
			got, err := walk(t, models, opts, f)
			if err != nil {
				t.Fatalf("%s seed %d: %v", file, seed, err)
			}
			if len(got) != len(want) {
				t.Fatalf("%s seed %d: %d steps, want %d", file, seed, len(got), len(want))
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("%s seed %d: step %d %v, want %v", file, seed, i+1, got[i], want[i])
				}
			}
		}
	}
}

// Two independent models, each with its own start element, are walked
// one after the other (GraphWalker's sequential execution).
func TestReplaySequentialModels(t *testing.T) {
	mk := func(name string) *model.Model {
		a := &model.Vertex{ID: name + "a", Name: "v_A"}
		b := &model.Vertex{ID: name + "b", Name: "v_B"}
		m := &model.Model{Name: name, ID: name, Generator: "random(edge_coverage(100))", StartElementID: name + "a", Vertices: []*model.Vertex{a, b},
			Edges: []*model.Edge{{ID: name + "e0", Name: "e_Go", Source: a, Target: b}, {ID: name + "e1", Name: "e_Back", Source: b, Target: a}}}
		if err := m.Index(); err != nil {
			t.Fatal(err)
		}
		return m
	}
	models := []*model.Model{mk("one"), mk("two")}
	want, err := walk(t, models, machine.Options{Seed: 5, HasSeed: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want[len(want)-1].Model != 1 {
		t.Fatalf("the walk did not reach the second model: %v", want)
	}
	f, err := pathOf(t, models, want).Force(models)
	if err != nil {
		t.Fatal(err)
	}
	var opts machine.Options
	f.Apply(&opts)
	got, err := walk(t, models, opts, f)
	if err != nil || len(got) != len(want) {
		t.Fatalf("%v %v, want %v", got, err, want)
	}
}

func TestDivergence(t *testing.T) {
	models := load(t, "Login.json")
	m := models[0]
	el := func(name string) model.Element {
		els := m.ElementsNamed(name)
		if len(els) == 0 {
			t.Fatalf("no %s", name)
		}
		return els[0]
	}
	at := func(names ...string) []Loc {
		var out []Loc
		for _, n := range names {
			out = append(out, Loc{0, el(n)})
		}
		return out
	}
	cases := []struct {
		name  string
		steps []Loc
		want  string
		step  int
	}{
		// e_StartClient from v_ClientNotRunning has guard !rememberMe||!validLogin
		// (true at first) and its twin rememberMe&&validLogin (false).
		{"guard false", append(at("e_Init", "v_ClientNotRunning"), Loc{0, m.ElementsNamed("e_StartClient")[1]}),
			"its guard [rememberMe&&validLogin] is false now, at vertex \"v_ClientNotRunning\"", 3},
		{"not adjacent", at("e_Init", "v_ClientNotRunning", "e_Logout"), "it does not leave vertex \"v_ClientNotRunning\"", 3},
		{"wrong start", at("v_ClientNotRunning"), "the machine took edge \"e_Init\"", 1},
		{"not the edge's target", at("e_Init", "v_LoginPrompted"), "it does not follow edge \"e_Init\"", 2},
	}
	for _, c := range cases {
		f, err := pathOf(t, models, c.steps).Force(models)
		if err != nil {
			t.Fatal(err)
		}
		var opts machine.Options
		f.Apply(&opts)
		_, err = walk(t, models, opts, f)
		var de *DivergenceError
		if !errors.As(err, &de) || de.Step != c.step || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want step %d: %q", c.name, err, c.step, c.want)
		}
	}

	// A walk that ends before its record does.
	f, _ := pathOf(t, models, at("e_Init", "v_ClientNotRunning")).Force(models)
	m2, _ := machine.New(models, func() machine.Options { var o machine.Options; f.Apply(&o); return o }())
	defer m2.Close()
	m2.Next()
	if err := f.End(); err == nil || !strings.Contains(err.Error(), "step 2") {
		t.Errorf("End after 1 of 2 steps: %v", err)
	}
}

func TestModelChanged(t *testing.T) {
	models := load(t, "Login.json")
	p := pathOf(t, models, nil)
	changed := load(t, "Login.json")
	changed[0].Edges[1].Guard = "true"
	var me *ModelError
	if _, err := p.Force(changed); !errors.As(err, &me) || !strings.Contains(err.Error(), `model 1 ("Login") is not the recorded one`) {
		t.Errorf("changed guard: %v", err)
	}
	regen := load(t, "Login.json")
	regen[0].Generator = "a_star(reached_vertex(v_Browse))"
	if _, err := p.Force(regen); err != nil {
		t.Errorf("another generator is not another model: %v", err)
	}
	if _, err := p.Force(append(load(t, "Login.json"), load(t, "petClinic.json")...)); err == nil || !strings.Contains(err.Error(), "walked 1 model(s), this run has 6") {
		t.Errorf("more models: %v", err)
	}
}
