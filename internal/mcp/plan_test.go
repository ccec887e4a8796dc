package mcp

import (
	"strings"
	"testing"
	"time"
)

func TestPlanPath(t *testing.T) {
	_, c := newServer(t, Options{MaxPlanSteps: 500})
	// The shortest walk over every edge of Login.graphml (9 edges).
	out := c.ok("plan_path", obj{"models": models(obj{"path": "Login.graphml", "generator": "shortest_all_paths(edge_coverage(100))"}), "seed": 7})
	if out["completed"] != true || num(out["length"]) != 22 || num(get(out, "coverage", "edges", "percent")) != 100 || num(out["seed"]) != 7 {
		t.Errorf("shortest_all_paths: %s", jsonText(out))
	}
	if get(out, "steps", 0, "name") != "e_Init" || get(out, "steps", 0, "kind") != "edge" || get(out, "steps", 1, "kind") != "vertex" {
		t.Errorf("steps: %s", jsonText(out["steps"]))
	}

	// A seed repeats the path; guards and actions run (login.json's
	// guards keep attempts below 3).
	args := obj{"models": file("login.json"), "seed": 42}
	a, b := c.ok("plan_path", args), c.ok("plan_path", args)
	if jsonText(a["steps"]) != jsonText(b["steps"]) || num(a["length"]) == 0 {
		t.Errorf("same seed, different paths:\n%s\n%s", jsonText(a), jsonText(b))
	}
	// Without a seed one is drawn, small enough for JSON numbers.
	if s := get(c.ok("plan_path", obj{"models": file("login.json")}), "seed").(float64); s < 0 || s >= 1<<53 {
		t.Errorf("drawn seed %v", s)
	}

	// a_star: the shortest path to a target.
	out = c.ok("plan_path", obj{"models": models(obj{"path": "login.json", "generator": "a_star(reached_vertex(v_Browse))"})})
	if num(out["length"]) != 6 || get(out, "steps", 5, "name") != "v_Browse" {
		t.Errorf("a_star: %s", jsonText(out))
	}

	// max_steps ends a plan early, on purpose.
	out = c.ok("plan_path", obj{"models": models(obj{"path": "login.json", "generator": "random(never)"}), "max_steps": 10})
	if out["completed"] != false || num(out["length"]) != 10 || len(list(get(out, "coverage", "unvisited"))) == 0 && num(get(out, "coverage", "edges", "percent")) != 100 {
		t.Errorf("max_steps: %s", jsonText(out))
	}

	// The server's limits are errors naming their flags.
	c.fails("plan_path", obj{"models": models(obj{"path": "login.json", "generator": "random(never)"})}, "500 steps, the plan length limit", FlagMaxPlanSteps)
	c.fails("plan_path", obj{"models": models(obj{"path": "login.json", "generator": "random(reached_vertex(v_Nowhere))"})}, "v_Nowhere")
	c.fails("plan_path", obj{"models": models(obj{"path": "login.json", "generator": "random(edge_coverage(100)"})}, "column 26")
	c.fails("plan_path", obj{"models": file("login.json"), "max_steps": -1}, "minimum")
	// A guard that throws fails the walk, saying where.
	bad := strings.Replace(readTestdata(t, "models/login.json"), `"guard": "attempts < 3"`, `"guard": "nosuch.x < 3"`, 1)
	c.fails("plan_path", obj{"models": content(bad), "seed": 1}, "the walk failed after", "nosuch")
}

func TestPlanTimeout(t *testing.T) {
	// So many steps allowed that the time limit comes first, however fast the machine.
	_, c := newServer(t, Options{PlanTimeout: 200 * time.Millisecond, MaxPlanSteps: 1 << 40})
	start := time.Now()
	c.fails("plan_path", obj{"models": models(obj{"path": "login.json", "generator": "random(never)"})}, "plan time limit", FlagPlanTimeout)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the plan ran %v", d)
	}
	// A script that never ends is cut by the script timeout.
	spin := strings.Replace(readTestdata(t, "models/login.json"), `"attempts = 0;"]`, `"while(true){}"]`, 1)
	_, c = newServer(t, Options{PlanTimeout: time.Minute, Script: scriptLimits(500 * time.Millisecond)})
	c.fails("plan_path", obj{"models": content(spin), "seed": 3}, "--script-timeout")
}
