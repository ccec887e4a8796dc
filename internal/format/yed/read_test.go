package yed

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gw-project/gw/internal/label"
	"github.com/gw-project/gw/internal/model"
)

func mustRead(t *testing.T, path string) *model.Model {
	t.Helper()
	m, err := ReadFile(filepath.Join("testdata", path))
	if err != nil {
		t.Fatalf("ReadFile(%s): %v", path, err)
	}
	return m
}

func readString(t *testing.T, doc string) (*model.Model, error) {
	t.Helper()
	return Read(strings.NewReader(doc), "")
}

// Counts after reading (core.md §11; † = asserted upstream).
func TestFixtureCounts(t *testing.T) {
	cases := []struct {
		file    string
		v, e    int
		start   string
		actions int
	}{
		{"io/UC01.graphml", 7, 12, "e0", 0}, // †
		{"io/UC01_GW2.graphml", 7, 12, "e0", 0},
		{"io/Login.graphml", 3, 9, "e0", 0},
		{"io/shared_state/Login.graphml", 3, 9, "e0", 0},
		{"io/shared_state/Crash.graphml", 3, 2, "", 0},
		{"io/SharedA.graphml", 2, 6, "e5", 0}, // †
		{"io/SharedB.graphml", 2, 1, "", 0},   // †
		{"io/PetClinicSharedState.graphml", 3, 7, "e6", 0},
		{"io/Guards.graphml", 2, 2, "e0", 0}, // †
		{"io/FunctionAsAction.graphml", 2, 2, "e0", 0},
		{"io/init/init.graphml", 3, 9, "e0", 1},                  // †
		{"io/reqtags/ShoppingCart.graphml", 6, 11, "e0", 0},      // †
		{"io/reqtags/EFSM_with_REQTAGS.graphml", 7, 19, "e0", 0}, // †
		{"io/weight/model.graphml", 1, 1, "e0", 0},
		{"io/dependency/model.graphml", 1, 1, "e0", 0},
		{"io/dependency/modelWithoutDependency.graphml", 1, 1, "e0", 0},
		{"io/dependency/modelwithguard.graphml", 1, 1, "eb0d77ff-669b-4a11-a5d7-ab308591a7f0", 0},
		{"io/dependency/modelwithaction.graphml", 1, 1, "bbc28252-fe9a-44c0-9262-9365335523d0", 0},
		{"io/blocked/blockedVertex1.graphml", 3, 4, "e0", 0},
		{"io/blocked/blockedVertex2.graphml", 3, 4, "e0", 0},
		{"io/blocked/blockedVertex3.graphml", 3, 3, "e0", 0},
		{"io/blocked/blockedBranch1.graphml", 3, 4, "e0", 0},
		{"io/blocked/blockedBranch2.graphml", 3, 5, "e0", 0},
		{"io/blocked/singleEdge.graphml", 2, 3, "e0", 0},
		{"io/blocked/singleVertex.graphml", 2, 2, "e0", 0},
		{"io/blocked/singleVertex2.graphml", 2, 3, "e0", 0},
		{"io/customProp/Issue128_Graph01.graphml", 2, 1, "", 0},
		{"io/customProp/Issue128_Graph02.graphml", 2, 1, "", 0},
		{"io/customProp/Issue128_Graph03.graphml", 2, 1, "", 0},
		{"io/customProp/Issue128_Graph04.graphml", 2, 1, "", 0},
		{"io/customProp/Issue128_Graph05.graphml", 2, 1, "", 0},
		{"io/customProp/Issue128_Graph06.graphml", 2, 1, "", 0},
		{"io/customProp/Issue128_Graph07.graphml", 3, 2, "", 0}, // †
		{"io/SuperLarge.graphml", 787, 1550, "e931", 0},
		{"cli/CorrectModels/modelWithNoStartVertex.graphml", 4, 5, "", 0},
		{"cli/CorrectModels/shortestAllPathsVertexCoverage.graphml", 4, 6, "e0", 0},
		{"cli/CorrectModels/simplestModel.graphml", 1, 1, "e0", 0},
		{"cli/CorrectModels/blockedVertex.graphml", 2, 2, "e0", 0},
		{"cli/IncorrectModels/singleStartVertex.graphml", 0, 0, "", 0},
		{"cli/IncorrectModels/singleVertex.graphml", 1, 0, "", 0},
		{"cli/Login.graphml", 3, 9, "e0", 0},
		{"cli/UC01_GW2.graphml", 7, 12, "e0", 0},
		{"cli/online/ShoppingCart.graphml", 6, 11, "e0", 0},
		{"cli/online/online.graphml", 3, 9, "e0", 0},
		{"cli/shared_state/Model_A.graphml", 2, 5, "e0", 0},
		{"cli/shared_state/Model_B.graphml", 3, 6, "", 1},
		{"cli/shared_state/Model_C.graphml", 2, 3, "", 1},
		{"cli/shared_state/Model_D.graphml", 2, 3, "", 0},
		{"WebSocketFlow.graphml", 2, 7, "e0", 0},
		{"RestFlow.graphml", 7, 7, "", 0},
	}
	for _, c := range cases {
		m := mustRead(t, c.file)
		if len(m.Vertices) != c.v || len(m.Edges) != c.e || m.StartElementID != c.start || len(m.Actions) != c.actions {
			t.Errorf("%s: %dV %dE start %q %d actions, want %dV %dE start %q %d actions",
				c.file, len(m.Vertices), len(m.Edges), m.StartElementID, len(m.Actions), c.v, c.e, c.start, c.actions)
		}
		base := filepath.Base(c.file)
		if want := strings.TrimSuffix(base, ".graphml"); m.Name != want {
			t.Errorf("%s: model name %q, want %q", c.file, m.Name, want)
		}
		if c.start != "" {
			if el := m.StartElement(); !m.IsEdge(el) || m.Edge(el).Source != nil {
				t.Errorf("%s: start element %q is not a start edge", c.file, c.start)
			}
		}
	}
}

func named(m *model.Model, name string) []*model.Edge {
	var out []*model.Edge
	for _, e := range m.Edges {
		if e.Name == name {
			out = append(out, e)
		}
	}
	return out
}

func vertexNamed(t *testing.T, m *model.Model, name string) *model.Vertex {
	t.Helper()
	for _, v := range m.Vertices {
		if v.Name == name {
			return v
		}
	}
	t.Fatalf("no vertex %q", name)
	return nil
}

// YEdContextFactoryTest.uc01
func TestUC01(t *testing.T) {
	m := mustRead(t, "io/UC01.graphml")
	for name, n := range map[string]int{"e_init": 1, "e_AddBookToCart": 1, "e_ClickBook": 1, "e_EnterBaseURL": 1,
		"e_SearchBook": 4, "e_ShoppingCart": 3, "e_StartBrowser": 1} {
		if got := len(named(m, name)); got != n {
			t.Errorf("edges named %s: %d, want %d", name, got, n)
		}
	}
	if els := m.ElementsNamed(""); els != nil {
		t.Errorf("ElementsNamed(\"\") = %v, want nil", els)
	}
	for _, name := range []string{"v_BaseURL", "v_BookInformation", "v_BrowserStarted", "v_BrowserStopped",
		"v_OtherBoughtBooks", "v_SearchResult", "v_ShoppingCart"} {
		if got := len(m.ElementsNamed(name)); got != 1 {
			t.Errorf("elements named %s: %d, want 1", name, got)
		}
	}
	init := named(m, "e_init")[0]
	if init.Target.Name != "v_BrowserStopped" || init.Source != nil || init.ID != "e0" {
		t.Errorf("e_init: %+v", init)
	}
	if want := []string{" num_of_books = 0; MAX_BOOKS = 5;"}; !slices.Equal(init.Actions, want) {
		t.Errorf("e_init actions %q, want %q", init.Actions, want)
	}
	sb := named(m, "e_StartBrowser")[0]
	if sb.Source.Name != "v_BrowserStopped" || sb.Target.Name != "v_BrowserStarted" {
		t.Errorf("e_StartBrowser: %s -> %s", sb.Source.Name, sb.Target.Name)
	}
	if g := named(m, "e_AddBookToCart")[0].Guard; g != "num_of_books<=MAX_BOOKS" {
		t.Errorf("e_AddBookToCart guard %q", g)
	}
	if x, ok := vertexNamed(t, m, "v_BrowserStarted").Properties.Get("x"); !ok || x != 159.98095238095237 {
		t.Errorf("v_BrowserStarted x = %v", x)
	}
	if v := vertexNamed(t, m, "v_BaseURL"); !slices.Equal(v.Requirements, nil) || v.ID != "n2" {
		t.Errorf("v_BaseURL: %+v", v)
	}
}

// YEdContextFactoryTest.login
func TestLoginDescriptions(t *testing.T) {
	m := mustRead(t, "io/Login.graphml")
	v := vertexNamed(t, m, "v_ClientNotRunning")
	if d, _ := v.Properties.Get("description"); d != "Start the client process" {
		t.Errorf("vertex description %q", d)
	}
	if v.SharedState != "CLIENT_NOT_RUNNNG" {
		t.Errorf("shared state %q", v.SharedState)
	}
	if d, _ := named(m, "e_ValidPremiumCredentials")[0].Properties.Get("description"); d != "Log in a s Premium user, using valid credentials" {
		t.Errorf("edge description %q", d)
	}
	if g := named(m, "e_StartClient")[0].Guard; g != "!rememberMe||!validLogin" {
		t.Errorf("guard %q", g)
	}
}

func TestSharedAndCrash(t *testing.T) {
	a := mustRead(t, "io/SharedA.graphml")
	if a.Vertices[1].SharedState != "MY_STATE" || a.Vertices[1].Name != "" {
		t.Errorf("SharedA vertex 2: %+v", a.Vertices[1])
	}
	// readLoginAndCrashModels: every Crash edge has a source and a target.
	for _, e := range mustRead(t, "io/shared_state/Crash.graphml").Edges {
		if e.Source == nil || e.Target == nil {
			t.Errorf("Crash edge %s lacks an end", e.ID)
		}
	}
}

func TestActions(t *testing.T) {
	m := mustRead(t, "io/init/init.graphml")
	if want := []string{"validLogin=false;rememberMe=false;"}; !slices.Equal(m.Actions, want) {
		t.Errorf("init actions %q, want %q", m.Actions, want)
	}
	// YEdContextFactoryTest.handleFunction (note the XML-escaped '<').
	f := mustRead(t, "io/FunctionAsAction.graphml")
	acts := named(f, "init")[0].Actions
	want := " elements = [1,2,3]; value = 0; toString = function(){for(var i = 0;i<elements.length;i++){value+=elements[i]}return value};"
	if len(acts) != 1 || acts[0] != want {
		t.Errorf("function action %q", acts)
	}
}

func TestReqtags(t *testing.T) {
	m := mustRead(t, "io/reqtags/EFSM_with_REQTAGS.graphml")
	// Requirement keys are trimmed: yEd's XML indentation after the label
	// would otherwise end up in the last tag (GraphWalker keeps it).
	if r := vertexNamed(t, m, "v_MainWindow_DB_Loaded").Requirements; !slices.Equal(r, []string{"req 55", "req 78"}) {
		t.Errorf("v_MainWindow_DB_Loaded requirements %q", r)
	}
	if r := named(m, "e_EnterCorrectKey")[0].Requirements; !slices.Equal(r, []string{"req2", "req 23"}) {
		t.Errorf("e_EnterCorrectKey requirements %q", r)
	}
	s := mustRead(t, "io/reqtags/ShoppingCart.graphml")
	if r := vertexNamed(t, s, "v_ShoppingCart").Requirements; !slices.Equal(r, []string{"UC01 2.3", "UC01 2.4"}) {
		t.Errorf("v_ShoppingCart requirements %q", r)
	}
}

func TestWeightAndDependency(t *testing.T) {
	if w := mustRead(t, "io/weight/model.graphml").Edges[0].Weight; w != 100.0 {
		t.Errorf("weight %v, want 100", w)
	}
	for file, want := range map[string]int{"model": 100, "modelWithoutDependency": 0, "modelwithguard": 75, "modelwithaction": 65} {
		m := mustRead(t, "io/dependency/"+file+".graphml")
		if d := m.Edges[0].Dependency; d != want {
			t.Errorf("%s: dependency %d, want %d", file, d, want)
		}
	}
	if g := mustRead(t, "io/dependency/modelwithguard.graphml").Edges[0].Guard; g != "!neverWentThere" {
		t.Errorf("guard %q", g)
	}
}

// YEdContextFactoryTest.customProperties_01..07
func TestCustomProperties(t *testing.T) {
	type want map[string]string // property -> value; "-" means absent
	cases := []struct {
		n        string
		vertices want
		edges    want
	}{
		{"01", want{"description": "The description", "CustomNodeProperty": "OverRideNodeValue"},
			want{"description": "The edge description", "CustomNodeProperty": "-"}},
		{"02", want{"CustomEdgeProperty": "-", "description": "-"},
			want{"CustomEdgeProperty": "", "description": "-"}},
		{"03", want{"CustomNodeProperty": "DefaultNodeValue", "description": "-", "CustomEdgeProperty": "-"},
			want{"CustomEdgeProperty": "DefaultEdgeValue", "description": "-", "CustomNodeProperty": "-"}},
		{"04", want{"CustomNodeProperty": "OverRideNodeValue", "description": "-", "CustomEdgeProperty": "-"},
			want{"CustomEdgeProperty": "OverRideEdgeValue", "description": "-", "CustomNodeProperty": "-"}},
		{"05", want{"description": "Node Description", "CustomNodeProperty": "-", "CustomEdgeProperty": "-"},
			want{"description": "Edge Description", "CustomNodeProperty": "-", "CustomEdgeProperty": "-"}},
		{"06", want{"description": "-", "CustomEdgeProperty": "-"},
			want{"CustomEdgeProperty": "OverRideEdgeValue", "description": "-"}},
		{"07", want{"CNP 1": "Default Value 1", "CNP 2": "OverRide 2", "CNP 3": "OverRide 3", "description": "Node Description",
			"CEP 1": "-", "CEP 2": "-", "CEP 3": "-"},
			want{"CEP 1": "Default Value 1", "CEP 2": "OverRide 2", "CEP 3": "OverRide 3", "description": "Edge Description",
				"CNP 1": "-", "CNP 2": "-", "CNP 3": "-"}},
	}
	check := func(file, what string, props model.Properties, w want) {
		for k, v := range w {
			got, ok := props.Get(k)
			switch {
			case v == "-" && ok:
				t.Errorf("%s %s: property %q = %v, want none", file, what, k, got)
			case v != "-" && got != v:
				t.Errorf("%s %s: property %q = %v, want %q", file, what, k, got, v)
			}
		}
	}
	for _, c := range cases {
		file := "io/customProp/Issue128_Graph" + c.n + ".graphml"
		m := mustRead(t, file)
		for _, v := range m.Vertices {
			check(file, v.ID, v.Properties, c.vertices)
			x, _ := v.Properties.Get("x")
			y, _ := v.Properties.Get("y")
			if x, ok := x.(float64); !ok || x <= 0 {
				t.Errorf("%s %s: x = %v", file, v.ID, x)
			}
			if y, ok := y.(float64); !ok || y <= 0 {
				t.Errorf("%s %s: y = %v", file, v.ID, y)
			}
		}
		for _, e := range m.Edges {
			check(file, e.ID, e.Properties, c.edges)
		}
	}
	// 07: breadth-first through the group node, nested ids kept.
	m := mustRead(t, "io/customProp/Issue128_Graph07.graphml")
	var ids []string
	for _, v := range m.Vertices {
		ids = append(ids, v.ID)
	}
	if !slices.Equal(ids, []string{"n0", "n1::n0", "n1::n1"}) {
		t.Errorf("vertex ids %q", ids)
	}
	if m.Edges[0].ID != "n1::e0" || m.Edges[0].Source.ID != "n1::n0" || m.Edges[1].Target.ID != "n1::n0" {
		t.Errorf("edges %+v %+v", m.Edges[0], m.Edges[1])
	}
}

// UtilTest: counts after BLOCKED filtering (core.md §8.6).
func TestBlocked(t *testing.T) {
	cases := []struct {
		file string
		v, e int
	}{
		{"blockedVertex1", 2, 2}, {"blockedVertex2", 2, 1}, {"blockedVertex3", 2, 1}, {"blockedBranch1", 3, 3},
		{"blockedBranch2", 3, 4}, {"singleEdge", 2, 2}, {"singleVertex", 1, 1}, {"singleVertex2", 1, 1},
	}
	for _, c := range cases {
		m := model.FilterBlocked(mustRead(t, "io/blocked/"+c.file+".graphml"))
		if len(m.Vertices) != c.v || len(m.Edges) != c.e {
			t.Errorf("%s filtered: %dV %dE, want %dV %dE", c.file, len(m.Vertices), len(m.Edges), c.v, c.e)
		}
	}
	m := mustRead(t, "io/blocked/singleEdge.graphml")
	n := 0
	for _, e := range m.Edges {
		if b, ok := e.Properties.Get("blocked"); ok {
			if b != true {
				t.Errorf("blocked property %v (%T), want bool true", b, b)
			}
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d blocked edges, want 1", n)
	}
}

func TestSuperLarge(t *testing.T) {
	m := mustRead(t, "io/SuperLarge.graphml")
	if len(m.Vertices) != 787 || len(m.Edges) != 1550 || m.StartElementID != "e931" {
		t.Errorf("%dV %dE start %s", len(m.Vertices), len(m.Edges), m.StartElementID)
	}
}

// The CLI's IncorrectModels.
func TestIncorrectModels(t *testing.T) {
	cases := []struct {
		file, element, labelMsg string
		line                    int
	}{
		{"wrongVertexSyntax", `node "n0"`, "The string '1' did not conform to GraphWalker syntax rules.", 17},
		{"badVertexName", `node "n2"`, "The string '1_badName' did not conform to GraphWalker syntax rules.", 49},
		{"badEdgeName", `edge "e1"`, "The string '1_badName' did not conform to GraphWalker syntax rules.", 83},
	}
	for _, c := range cases {
		path := filepath.Join("testdata", "cli", "IncorrectModels", c.file+".graphml")
		_, err := ReadFile(path)
		if err == nil {
			t.Errorf("%s: no error", c.file)
			continue
		}
		var ye *Error
		var se *label.SyntaxError
		if !errors.As(err, &ye) || !errors.As(err, &se) {
			t.Errorf("%s: error %T does not wrap *Error and *label.SyntaxError", c.file, err)
			continue
		}
		if ye.File != path || ye.Element != c.element || ye.Line != c.line || !strings.Contains(err.Error(), c.labelMsg) {
			t.Errorf("%s: %+v\n%v", c.file, ye, err)
		}
		if !strings.Contains(err.Error(), `unexpected "1" at 1:1: names must start with a letter`) {
			t.Errorf("%s: message lacks the detail: %v", c.file, err)
		}
	}
}
