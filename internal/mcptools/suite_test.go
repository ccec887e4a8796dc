package mcptools

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gw-project/gw/internal/mcp"
	"github.com/gw-project/gw/internal/suite"
)

// plan_suite returns the suite internal/suite plans, case by case and
// step by step, with its totals and bounds.
func TestPlanSuite(t *testing.T) {
	c := newServer(t, mcp.Options{})
	for _, tc := range []struct {
		file      string
		args      obj
		o         suite.Options
		wantSteps int // 0: whatever suite.Plan gives
		targets   int
	}{
		{file: "login.json", args: obj{}, o: suite.Options{}, targets: 6},
		{file: "login.json", args: obj{"cover": "vertices"}, o: suite.Options{Cover: suite.Vertices}, targets: 3},
		{file: "login.json", args: obj{"cover": "requirements"}, o: suite.Options{Cover: suite.Requirements}, wantSteps: 6, targets: 2},
		{file: "login.json", args: obj{"cover": "edge-pairs"}, o: suite.Options{Cover: suite.EdgePairs}},
		{file: "login.json", args: obj{"minimize": "cases", "max_length": 6}, o: suite.Options{MinimizeCases: true, MaxLength: 6}, targets: 6},
		{file: "login.json", args: obj{"reset_cost": 5, "max_length": 8}, o: suite.Options{ResetCost: 5, MaxLength: 8}, targets: 6},
		{file: "petClinic.json", args: obj{}, o: suite.Options{}, wantSteps: 58, targets: 25},
		{file: "petClinic.json", args: obj{"cover": "vertices", "max_length": 12}, o: suite.Options{Cover: suite.Vertices, MaxLength: 12}, targets: 16},
	} {
		t.Run(fmt.Sprintf("%s %v", tc.file, tc.args), func(t *testing.T) {
			c := c.on(t)
			want, err := suite.Plan(loadFile(t, tc.file), tc.o)
			if err != nil {
				t.Fatal(err)
			}
			args := obj{"models": file(tc.file)}
			for k, v := range tc.args {
				args[k] = v
			}
			got, _ := c.ok("plan_suite", args)
			if tc.wantSteps != 0 && want.Steps != tc.wantSteps {
				t.Errorf("suite.Plan: %d steps, want %d", want.Steps, tc.wantSteps)
			}
			if tc.targets != 0 && len(want.Targets) != tc.targets {
				t.Errorf("suite.Plan: %d targets, want %d", len(want.Targets), tc.targets)
			}
			for _, f := range []struct {
				key  string
				want int
			}{{"total_steps", want.Steps}, {"total_cases", len(want.Cases)}, {"cost", want.Cost()}, {"targets", len(want.Targets)},
				{"covered", want.Covered()}} {
				if g := num(got[f.key]); g != f.want {
					t.Errorf("%s = %d, want %d", f.key, g, f.want)
				}
			}
			if num(get(got, "lower_bound", "cases")) != want.CaseBound || num(get(got, "lower_bound", "cost")) != want.CostBound {
				t.Errorf("lower_bound %v, want %d cases, cost %d", got["lower_bound"], want.CaseBound, want.CostBound)
			}
			if got["optimal"] != want.Exact || got["complete"] != (len(want.Missed) == 0) || got["cover"] != tc.o.Cover.String() {
				t.Errorf("optimal %v complete %v cover %v; want %v %v %v", got["optimal"], got["complete"], got["cover"], want.Exact, len(want.Missed) == 0, tc.o.Cover)
			}
			if !strings.HasPrefix(got["summary"].(string), fmt.Sprintf("suite: %d case", len(want.Cases))) {
				t.Errorf("summary %q", got["summary"])
			}
			cases := list(got["cases"])
			if len(cases) != len(want.Cases) {
				t.Fatalf("%d cases, want %d", len(cases), len(want.Cases))
			}
			covered := 0
			for i, wc := range want.Cases {
				gc := cases[i]
				if num(get(gc, "case")) != i+1 || get(gc, "name") != want.CaseName(i) || num(get(gc, "length")) != len(wc.Steps) {
					t.Errorf("case %d: %s", i+1, short(gc))
				}
				var ids, wantIDs []string
				for _, st := range list(get(gc, "steps")) {
					ids = append(ids, get(st, "id").(string))
				}
				for _, l := range wc.Steps {
					wantIDs = append(wantIDs, want.Models[l.Model].ElementID(l.Element))
				}
				if !slices.Equal(ids, wantIDs) {
					t.Errorf("case %d steps %v, want %v", i+1, ids, wantIDs)
				}
				covered += len(list(get(gc, "covers")))
			}
			if covered != want.Covered() {
				t.Errorf("the cases' covers list %d targets, want %d", covered, want.Covered())
			}
			if tc.o.MaxLength > 0 {
				for _, gc := range cases {
					if n := num(get(gc, "length")); n > tc.o.MaxLength {
						t.Errorf("a case of %d steps, over max_length %d", n, tc.o.MaxLength)
					}
				}
			}
		})
	}
}

// Every edge of login.json is covered, starting at its start element, and
// what each case covers is named.
func TestPlanSuiteCoversEveryEdge(t *testing.T) {
	c := newServer(t, mcp.Options{})
	got, _ := c.ok("plan_suite", obj{"models": file("login.json")})
	edges := map[string]bool{}
	for _, cs := range list(got["cases"]) {
		if get(cs, "steps", 0, "id") != "e0" || get(cs, "steps", 0, "name") != "e_Init" || get(cs, "steps", 0, "model") != "Login" || get(cs, "steps", 0, "kind") != "edge" {
			t.Errorf("a case starts at %s, not at e_Init", short(get(cs, "steps", 0)))
		}
		for _, cv := range list(get(cs, "covers")) {
			edges[get(cv, "elements", 0, "id").(string)] = true
		}
	}
	if len(edges) != 6 || got["complete"] != true || len(list(got["not_covered"])) != 0 {
		t.Errorf("covered edges %v: %s", edges, short(got))
	}
	// Requirements are named as such.
	got, _ = c.ok("plan_suite", obj{"models": file("login.json"), "cover": "requirements"})
	var reqs []string
	for _, cs := range list(got["cases"]) {
		for _, cv := range list(get(cs, "covers")) {
			reqs = append(reqs, get(cv, "requirement").(string))
		}
	}
	slices.Sort(reqs)
	if !slices.Equal(reqs, []string{"UC01 1.1", "UC01 2.1"}) {
		t.Errorf("requirements covered: %v", reqs)
	}
}

// islandModel has a vertex no walk reaches and a far vertex.
const islandModel = `{"models":[{"name":"Island","startElementId":"e0",
 "vertices":[{"id":"a","name":"v_A"},{"id":"b","name":"v_B"},{"id":"c","name":"v_Far"},{"id":"d","name":"v_Island"}],
 "edges":[{"id":"e0","name":"e_Start","targetVertexId":"a"},{"id":"e1","name":"e_AB","sourceVertexId":"a","targetVertexId":"b"},
  {"id":"e2","name":"e_BC","sourceVertexId":"b","targetVertexId":"c"},{"id":"e3","name":"e_CA","sourceVertexId":"c","targetVertexId":"a"}]}]}`

// What no case covers is listed with why, in the tool's words.
func TestPlanSuiteNotCovered(t *testing.T) {
	c := newServer(t, mcp.Options{})
	got, _ := c.ok("plan_suite", obj{"models": content(islandModel), "cover": "vertices", "max_length": 4})
	if got["complete"] != false || num(got["covered"]) != 2 || num(got["targets"]) != 4 {
		t.Fatalf("%s", short(got))
	}
	missed := list(got["not_covered"])
	if len(missed) != 2 {
		t.Fatalf("not_covered: %s", short(missed))
	}
	for i, w := range []struct{ id, reason string }{{"c", "at most 4 steps (max_length)"}, {"d", "cannot be reached from the start element"}} {
		if get(missed[i], "elements", 0, "id") != w.id || !strings.Contains(get(missed[i], "reason").(string), w.reason) ||
			!strings.Contains(get(missed[i], "description").(string), "vertex") {
			t.Errorf("not_covered[%d] = %s, want %s: %s", i, short(missed[i]), w.id, w.reason)
		}
	}
	if s := got["summary"].(string); !strings.Contains(s, "not covered: 2 of 4 vertices") || strings.Contains(s, "--max-length") {
		t.Errorf("summary %q", s)
	}
}

// Bad input and limits are tool errors that say what to do.
func TestPlanSuiteErrors(t *testing.T) {
	c := newServer(t, mcp.Options{MaxElements: 20})
	noStart := strings.Replace(islandModel, `"startElementId":"e0",`, "", 1)
	for _, tc := range []struct {
		name string
		args obj
		want []string
	}{
		{"unknown cover", obj{"models": file("login.json"), "cover": "paths"}, []string{"cover", "edges", "edge-pairs"}},
		{"unknown minimize", obj{"models": file("login.json"), "minimize": "time"}, []string{"minimize", "steps", "cases"}},
		{"negative reset cost", obj{"models": file("login.json"), "reset_cost": -1}, []string{"reset_cost"}},
		{"negative max length", obj{"models": file("login.json"), "max_length": -3}, []string{"max_length"}},
		{"no models", obj{}, []string{"models"}},
		{"broken model", obj{"models": file("broken.json")}, []string{"broken.json"}},
		{"missing file", obj{"models": file("nope.json")}, []string{"no such file"}},
		{"too many elements", obj{"models": file("petClinic.json")}, []string{"--max-elements", "20"}},
		{"no start element", obj{"models": content(noStart)}, []string{"no model has a start element", "start_element"}},
		{"unknown start element", obj{"models": content(islandModel), "start_element": "v_Nowhere"}, []string{"v_Nowhere", "no vertex or edge"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.on(t).fails("plan_suite", tc.args, tc.want...)
		})
	}
	// Too many pairs: 1,002 edges into a vertex (1,001 loops and the start
	// edge) and 1,001 out of it make 1,003,002.
	var loops strings.Builder
	for i := range 1001 {
		fmt.Fprintf(&loops, `,{"id":"l%d","sourceVertexId":"a","targetVertexId":"a"}`, i)
	}
	loopy := `{"models":[{"name":"Loops","startElementId":"e0","vertices":[{"id":"a","name":"v_A"}],"edges":[{"id":"e0","targetVertexId":"a"}` + loops.String() + `]}]}`
	newServer(t, mcp.Options{}).fails("plan_suite", obj{"models": content(loopy), "cover": "edge-pairs"},
		"the models have 1003002 pairs of consecutive edges", "plan_suite plans at most 1000000", "cover edges instead", "--max-pairs")
	// A suite longer than a reply may list.
	newServer(t, mcp.Options{MaxPlanSteps: 5}).fails("plan_suite", obj{"models": content(islandModel)},
		"the suite has 8 steps in 1 case", "over the limit of 5 steps", "--max-plan-steps")
	// The start element given replaces the model's.
	got, _ := c.ok("plan_suite", obj{"models": content(noStart), "start_element": "v_B", "cover": "vertices"})
	if get(got, "cases", 0, "steps", 0, "name") != "v_B" {
		t.Errorf("start_element v_B: %s", short(got))
	}
}

// A suite that takes longer than --plan-timeout is refused, naming it,
// and the server serves on.
func TestPlanSuiteTimeout(t *testing.T) {
	c := newServer(t, mcp.Options{PlanTimeout: time.Nanosecond})
	c.fails("plan_suite", obj{"models": file("petClinic.json")}, "--plan-timeout", "planning the suite")
	c.ok("draw_model", obj{"models": file("login.json")})
}

// slowModel's guard takes a while each time it is evaluated.
const slowModel = `{"models":[{"name":"Slow","startElementId":"e0",
 "vertices":[{"id":"a","name":"v_A"},{"id":"b","name":"v_B"}],
 "edges":[{"id":"e0","name":"e_Start","targetVertexId":"a"},
  {"id":"e1","name":"e_Slow","sourceVertexId":"a","targetVertexId":"b","guard":"(function(){var s=0;for(var i=0;i<3000000;i++){s+=i}return s>0})()"},
  {"id":"e2","name":"e_Back","sourceVertexId":"b","targetVertexId":"a"}]}]}`

// A plan that outlives --plan-timeout is answered with the error at once;
// the server serves other tools meanwhile.
func TestPlanSuiteSlow(t *testing.T) {
	c := newServer(t, mcp.Options{PlanTimeout: 50 * time.Millisecond})
	start := time.Now()
	c.fails("plan_suite", obj{"models": content(slowModel)}, "planning the suite", "--plan-timeout")
	t.Logf("answered in %v", time.Since(start))
	c.ok("draw_model", obj{"models": content(slowModel)})
	// The abandoned plan still holds its slot (or, with more CPUs, this one
	// takes another and is as slow): either way the limit is named.
	c.fails("plan_suite", obj{"models": content(slowModel)}, "planning the suite", "--plan-timeout")
}
