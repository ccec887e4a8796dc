package mcp

import "testing"

// A tool call's round trip through the SDK's client and server over an
// in-memory transport: what an agent's step costs gw.
func BenchmarkNextStep(b *testing.B) {
	_, c := newServer(b, Options{})
	sid := c.ok("start_session", obj{"models": models(obj{"path": "login.json", "generator": "random(never)"})})["session_id"]
	args := obj{"session_id": sid}
	for b.Loop() {
		c.ok("next_step", args)
	}
}

func BenchmarkCheckModel(b *testing.B) {
	_, c := newServer(b, Options{})
	args := obj{"models": file("login.json")}
	for b.Loop() {
		c.ok("check_model", args)
	}
}

// plan_path of the shortest covering walk of Login.graphml (22 steps).
func BenchmarkPlanPath(b *testing.B) {
	_, c := newServer(b, Options{})
	args := obj{"models": models(obj{"path": "Login.graphml", "generator": "shortest_all_paths(edge_coverage(100))"}), "seed": 1}
	for b.Loop() {
		c.ok("plan_path", args)
	}
}

// explain_guard with models: a fresh sandbox, INIT actions, data, and
// the guard's parts.
func BenchmarkExplainGuard(b *testing.B) {
	_, c := newServer(b, Options{})
	args := obj{"models": file("login.json"), "edge": "e_ValidLogin", "data": obj{"attempts": 3}}
	for b.Loop() {
		c.ok("explain_guard", args)
	}
}
