package suite

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/gw-project/gw/internal/algorithm"
	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/gwtest"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
)

// The large bench models live with the planner's tests.
const benchData = "../algorithm/testdata/"

func load(tb testing.TB, path string) []*model.Model {
	tb.Helper()
	models := gwtest.Models(tb, path)
	for _, m := range models {
		if err := m.Index(); err != nil {
			tb.Fatal(err)
		}
	}
	return models
}

// replay runs a GraphWalker file through a fresh JSON round trip and gw's
// machine, as `gw offline --gw FILE` does, and returns the element ids it
// walks.
func replay(t *testing.T, file []byte) []string {
	t.Helper()
	doc, err := gwjson.Parse(file, "suite.json")
	if err != nil {
		t.Fatalf("the GraphWalker file does not parse: %v", err)
	}
	for _, m := range doc.Models {
		if err := m.Index(); err != nil {
			t.Fatal(err)
		}
	}
	m, err := machine.New(doc.Models, machine.Options{HasSeed: true, Seed: 7})
	if err != nil {
		t.Fatalf("the GraphWalker file does not load: %v", err)
	}
	defer m.Close()
	var ids []string
	for {
		more, err := m.HasNext()
		if err != nil {
			t.Fatal(err)
		}
		if !more {
			return ids
		}
		s, err := m.Next()
		if err != nil {
			t.Fatalf("replay fails after %v: %v", ids, err)
		}
		ids = append(ids, s.Model().ElementID(s.Element))
	}
}

// covered is the test's own account of what cases walk.
func covered(s *Suite) map[int]bool {
	byElement := map[algorithm.Loc][]int{}
	byPair := map[[2]algorithm.Loc]int{}
	for ti, tg := range s.Targets {
		if s.Options.Cover == EdgePairs {
			byPair[[2]algorithm.Loc{tg.Elements[0], tg.Elements[1]}] = ti
			continue
		}
		for _, l := range tg.Elements {
			byElement[l] = append(byElement[l], ti)
		}
	}
	out := map[int]bool{}
	for _, c := range s.Cases {
		for i, l := range c.Steps {
			if s.Options.Cover != EdgePairs {
				for _, ti := range byElement[l] {
					out[ti] = true
				}
				continue
			}
			// A pair: its first edge two steps back, the vertex between in
			// the same model (not a jump).
			if ti, ok := byPair[[2]algorithm.Loc{c.Steps[max(i-2, 0)], l}]; ok && i >= 2 && c.Steps[i-1].Model == l.Model {
				out[ti] = true
			}
		}
	}
	return out
}

// checkSuite checks what every suite must be: cases from the start element
// within the length bound, each replayed unchanged by the GraphWalker file
// of that case, the JSON steps naming the case's elements, and everything
// covered but what is reported missed, with a reason.
func checkSuite(t *testing.T, s *Suite) {
	t.Helper()
	missed := map[int]bool{}
	for _, m := range s.Missed {
		if m.Reason == "" {
			t.Errorf("%s missed without a reason", s.Describe(m.Target))
		}
		missed[m.Target] = true
	}
	got := covered(s)
	for ti := range s.Targets {
		if got[ti] == missed[ti] {
			t.Errorf("%s: covered %v, reported missed %v", s.Describe(ti), got[ti], missed[ti])
		}
	}
	steps, firsts := 0, 0
	for i, c := range s.Cases {
		steps += len(c.Steps)
		firsts += len(c.Covers)
		if c.Steps[0] != s.Start {
			t.Fatalf("case %d starts at %v", i+1, c.Steps[0])
		}
		if n := s.Options.MaxLength; n > 0 && len(c.Steps) > n {
			t.Fatalf("case %d has %d steps, more than %d", i+1, len(c.Steps), n)
		}
		if len(c.JSON) != len(c.Steps) {
			t.Fatalf("case %d: %d JSON steps for %d steps", i+1, len(c.JSON), len(c.Steps))
		}
		var want []string
		for j, l := range c.Steps {
			m := s.Models[l.Model]
			want = append(want, m.ElementID(l.Element))
			if name := m.ElementName(l.Element); !bytes.Contains(c.JSON[j], []byte(fmt.Sprintf("%q", name))) {
				t.Fatalf("case %d step %d: %s does not name %q", i+1, j, c.JSON[j], name)
			}
		}
		var file bytes.Buffer
		if err := s.WriteGraphWalker(&file, []int{i}); err != nil {
			t.Fatal(err)
		}
		if ids := replay(t, file.Bytes()); !slices.Equal(ids, want) {
			t.Fatalf("case %d replays as\n%v\nplanned\n%v", i+1, ids, want)
		}
	}
	if steps != s.Steps || firsts != s.Covered() || firsts != len(got) {
		t.Fatalf("steps %d (suite says %d), first covers %d, covered %d", steps, s.Steps, firsts, len(got))
	}
	if !s.Exact || len(s.Missed) > 0 {
		return
	}
	cost := s.Cost()
	if s.Options.MinimizeCases && len(s.Cases) != s.CaseBound || !s.Options.MinimizeCases && cost != s.CostBound {
		t.Fatalf("exact suite: %d cases, cost %d; bounds %d, %d", len(s.Cases), cost, s.CaseBound, s.CostBound)
	}
}

// TestSuites plans suites of every kind on models with guards, actions,
// requirements and shared states, and checks each with checkSuite.
func TestSuites(t *testing.T) {
	files := []string{"testdata/ShoppingCart.json", "testdata/PetClinic.json", "testdata/UsingDataFromTest.json",
		"testdata/PrestaShop.json", benchData + "parabank.json", benchData + "testinium.json"}
	options := []Options{{}, {MinimizeCases: true}, {MaxLength: 12}, {MaxLength: 30, MinimizeCases: true, ResetCost: 3}}
	for _, file := range files {
		for _, cover := range []Cover{Edges, Vertices, Requirements, EdgePairs} {
			for _, o := range options {
				o.Cover = cover
				name := fmt.Sprintf("%s/%s/cases=%v,max=%d,reset=%d", strings.TrimPrefix(strings.TrimPrefix(file, benchData), "testdata/"), cover, o.MinimizeCases, o.MaxLength, o.ResetCost)
				t.Run(name, func(t *testing.T) {
					s, err := Plan(load(t, file), o)
					if err != nil {
						t.Fatal(err)
					}
					checkSuite(t, s)
				})
			}
		}
	}
}

// TestSuiteLargeModels checks first plans of the large models: exact for
// edges and edge pairs of one model, and replayable.
func TestSuiteLargeModels(t *testing.T) {
	if testing.Short() {
		t.Skip("large models")
	}
	for _, tc := range []struct {
		file  string
		cover Cover
		exact bool
	}{
		{"SuperLarge.json", Edges, true},
		{"SuperLarge.json", EdgePairs, true},
		{"random-100x500.json", Edges, true},
		{"random-100x500.json", Vertices, false},
	} {
		s, err := Plan(load(t, benchData+tc.file), Options{Cover: tc.cover})
		if err != nil {
			t.Fatal(err)
		}
		if tc.exact && !s.Exact {
			t.Errorf("%s %s: not exact (%d steps, bound %d)", tc.file, tc.cover, s.Steps, s.CostBound)
		}
		checkSuite(t, s)
	}
}

// A guard no action opens: the target is reported with the guard.
func TestGuardDiagnosis(t *testing.T) {
	s, err := Plan(load(t, "testdata/UsingDataFromTest.json"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkSuite(t, s)
	if len(s.Missed) != 1 || !strings.Contains(s.Describe(s.Missed[0].Target), "e_Done") ||
		!strings.Contains(s.Missed[0].Reason, `guard [isDone == true]`) {
		t.Fatalf("missed %+v", s.Missed)
	}
}

// A guard an action opens (itemsInCart > 0 after e_AddProductToCart): the
// blocked case walks to that action first and covers everything.
func TestGuardOpenedByAction(t *testing.T) {
	s, err := Plan(load(t, "testdata/PrestaShop.json"), Options{Cover: Vertices})
	if err != nil {
		t.Fatal(err)
	}
	checkSuite(t, s)
	if len(s.Missed) > 0 || s.Replans == 0 || s.Exact {
		t.Fatalf("missed %v, re-plans %d, exact %v", s.Missed, s.Replans, s.Exact)
	}
}

// Elements no walk reaches, guards ignored, are named as gw check names
// them; so are those beyond --max-length.
func TestUnreachableAndTooLong(t *testing.T) {
	a, b, c := &model.Vertex{ID: "a", Name: "v_A"}, &model.Vertex{ID: "b", Name: "v_B"}, &model.Vertex{ID: "c", Name: "v_C"}
	m := &model.Model{Name: "M", ID: "M", StartElementID: "a", Vertices: []*model.Vertex{a, b, c}, Edges: []*model.Edge{
		{ID: "ab", Name: "e_AB", Source: a, Target: b}, {ID: "ba", Name: "e_BA", Source: b, Target: a},
		{ID: "ca", Name: "e_CA", Source: c, Target: a},
	}}
	if err := m.Index(); err != nil {
		t.Fatal(err)
	}
	s, err := Plan([]*model.Model{m}, Options{MaxLength: 3})
	if err != nil {
		t.Fatal(err)
	}
	checkSuite(t, s)
	var got []string
	for _, x := range s.Missed {
		got = append(got, s.Describe(x.Target)+": "+x.Reason)
	}
	want := []string{
		`edge "e_BA" (id ba): cannot be covered by a case of at most 3 steps (--max-length)`,
		`edge "e_CA" (id ca): cannot be reached from the start element (following edges and shared states, guards ignored)`,
	}
	if !slices.Equal(got, want) {
		t.Fatalf("missed\n%q\nwant\n%q", got, want)
	}
}

func TestNoStart(t *testing.T) {
	m := &model.Model{Name: "M", Vertices: []*model.Vertex{{ID: "a"}}}
	if err := m.Index(); err != nil {
		t.Fatal(err)
	}
	if _, err := Plan([]*model.Model{m}, Options{}); err != ErrNoStart {
		t.Fatalf("got %v", err)
	}
}

// A JavaScript error in an action is an error naming the element, not a
// blocked case.
func TestActionError(t *testing.T) {
	a, b := &model.Vertex{ID: "a", Name: "v_A"}, &model.Vertex{ID: "b", Name: "v_B"}
	m := &model.Model{Name: "M", ID: "M", StartElementID: "a", Vertices: []*model.Vertex{a, b}, Edges: []*model.Edge{
		{ID: "ab", Name: "e_AB", Source: a, Target: b, Actions: []string{"nope();"}},
	}}
	if err := m.Index(); err != nil {
		t.Fatal(err)
	}
	_, err := Plan([]*model.Model{m}, Options{})
	if err == nil || !strings.Contains(err.Error(), `e_AB`) || !strings.Contains(err.Error(), "nope") {
		t.Fatalf("got %v", err)
	}
}

func TestParseCover(t *testing.T) {
	for _, c := range []Cover{Edges, Vertices, Requirements, EdgePairs} {
		if got, err := ParseCover(strings.ToUpper(c.String())); err != nil || got != c {
			t.Errorf("%s: %v %v", c, got, err)
		}
	}
	if _, err := ParseCover("paths"); err == nil {
		t.Error("paths accepted")
	}
}

func TestIdentifiersAndWrites(t *testing.T) {
	if got := identifiers(`global.count > 2 && typeof x !== "undefined" && a.b == 'c' && isDone`); !slices.Equal(got, []string{"count", "x", "a", "isDone"}) {
		t.Errorf("identifiers %q", got)
	}
	vars := map[string]bool{"n": true}
	for src, want := range map[string]bool{
		"n++;": true, "++n;": true, "n = 1": true, "n+=2": true, "global.n = 3": true, "m = n + 1": false,
		"if (n == 1) m = 2": false, `s = "n = 1"`: false, "n--": true,
	} {
		if got := writesAny(src, vars); got != want {
			t.Errorf("writesAny(%q) = %v", src, got)
		}
	}
}
