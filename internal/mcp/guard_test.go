package mcp

import (
	"strings"
	"testing"
)

// part finds the part with expression expr.
func part(t *testing.T, out obj, expr string) obj {
	t.Helper()
	for _, p := range list(out["parts"]) {
		if get(p, "expr") == expr {
			return p.(obj)
		}
	}
	t.Fatalf("no part %q in %s", expr, fullJSON(out["parts"]))
	return nil
}

func TestExplainGuard(t *testing.T) {
	_, c := newServer(t, Options{})
	// login.json's e_ValidLogin: !loggedIn && attempts < 3, with INIT
	// data loggedIn = false, attempts = 0: true.
	out := c.ok("explain_guard", obj{"models": file("login.json"), "edge": "e_ValidLogin"})
	if out["value"] != true || out["guard"] != "!loggedIn && attempts < 3" || get(out, "edge", "id") != "e2" || out["model"] != "Login" {
		t.Errorf("with INIT data: %s", fullJSON(out))
	}
	if jsonText(out["because"]) != `["loggedIn","attempts < 3"]` {
		t.Errorf("because: %s", jsonText(out["because"]))
	}

	// With given data: which part is false, and the data it read.
	out = c.ok("explain_guard", obj{"models": file("login.json"), "edge": "e2", "data": obj{"attempts": 3}})
	if out["value"] != false || jsonText(out["because"]) != `["attempts < 3"]` {
		t.Fatalf("attempts = 3: %s", fullJSON(out))
	}
	p := part(t, out, "attempts < 3")
	if p["value"] != false || get(p, "vars", "attempts") != "3" {
		t.Errorf("part: %s", jsonText(p))
	}
	if n := part(t, out, "!loggedIn"); n["op"] != "!" || n["value"] != true {
		t.Errorf("negation: %s", jsonText(n))
	}
	if !strings.Contains(out["explanation"].(string), "attempts < 3 is false (attempts = 3)") {
		t.Errorf("explanation: %s", out["explanation"])
	}

	// JavaScript's short circuit: after a false operand of &&, the rest is
	// skipped, not evaluated (here it would throw).
	out = c.ok("explain_guard", obj{"models": file("login.json"), "guard": "loggedIn && user.name == 'x' || attempts > 1", "script": "attempts = 2;"})
	if out["value"] != true || jsonText(out["because"]) != `["attempts > 1"]` {
		t.Errorf("short circuit: %s", fullJSON(out))
	}
	if s := part(t, out, "user.name == 'x'"); s["skipped"] != true || s["value"] != nil {
		t.Errorf("skipped part: %s", jsonText(s))
	}
	if and := part(t, out, "loggedIn && user.name == 'x'"); and["op"] != "&&" || and["value"] != false {
		t.Errorf("&& part: %s", jsonText(and))
	}

	// A guard under !: the true parts make it false.
	out = c.ok("explain_guard", obj{"models": file("login.json"), "guard": "!(loggedIn || attempts == 0)"})
	if out["value"] != false || jsonText(out["because"]) != `["attempts == 0"]` {
		t.Errorf("negated ||: %s", fullJSON(out))
	}

	// A part that throws: the guard has no value, and the part says why.
	out = c.ok("explain_guard", obj{"models": file("login.json"), "guard": "attempts < 3 && user.name == 'x'"})
	if out["value"] != false || !strings.Contains(out["error"].(string), "ReferenceError") || !strings.Contains(get(part(t, out, "user.name == 'x'"), "error").(string), "user is not defined") {
		t.Errorf("throwing part: %s", fullJSON(out))
	}
	// Not a boolean: GraphWalker's guards must be.
	out = c.ok("explain_guard", obj{"models": file("login.json"), "guard": "attempts"})
	if !strings.Contains(out["error"].(string), "not a boolean") {
		t.Errorf("number guard: %s", fullJSON(out))
	}
	// An edge without a guard.
	if out = c.ok("explain_guard", obj{"models": file("login.json"), "edge": "e_Close"}); out["value"] != true || !strings.Contains(out["explanation"].(string), "no guard") {
		t.Errorf("unguarded: %s", fullJSON(out))
	}
	// Data values are values, whatever they say.
	out = c.ok("explain_guard", obj{"models": file("login.json"), "guard": "s.length == 8", "data": obj{"s": "global.x"}})
	if out["value"] != true {
		t.Errorf("data with global. in a value: %s", fullJSON(out))
	}
	// Globals: a guard that mentions global. runs in the global scope,
	// its parts too.
	out = c.ok("explain_guard", obj{"models": file("login.json"), "guard": "global.n > 1 && global.n < 5", "script": "global.n = 7;"})
	if out["value"] != false || jsonText(out["because"]) != `["global.n < 5"]` {
		t.Errorf("global guard: %s", fullJSON(out))
	}

	for _, f := range []struct {
		args obj
		want string
	}{
		{obj{"edge": "e2"}, `either "models"`},
		{obj{"models": file("login.json")}, `either "edge"`},
		{obj{"models": file("login.json"), "edge": "e2", "guard": "true"}, `either "edge"`},
		{obj{"models": file("login.json"), "edge": "e_Nope"}, `no edge of the models has the name or id "e_Nope"`},
		{obj{"models": []obj{{"path": "login.json"}, {"path": "login.json"}}, "edge": "e_Close"}, "2 edges match"},
		{obj{"models": file("login.json"), "guard": "x = ("}, "does not compile"},
		{obj{"models": file("login.json"), "guard": "true", "data": obj{"1x": 1}}, "not a JavaScript variable name"},
		{obj{"models": file("login.json"), "guard": "true", "model": "Nope"}, `no model is named "Nope"`},
		{obj{"models": file("login.json"), "guard": "true", "script": "while(true){}"}, "--script-timeout"},
	} {
		c.fails("explain_guard", f.args, f.want)
	}
}

func TestExplainGuardInSession(t *testing.T) {
	_, c := newServer(t, Options{})
	sid := c.ok("start_session", obj{"models": file("login.json"), "seed": 1})["session_id"].(string)
	c.ok("set_data", obj{"session_id": sid, "script": "attempts = 5;"})
	out := c.ok("explain_guard", obj{"session_id": sid, "edge": "e_ValidLogin"})
	if out["value"] != false || jsonText(out["because"]) != `["attempts < 3"]` || get(part(t, out, "attempts < 3"), "vars", "attempts") != "5" {
		t.Errorf("in a session: %s", fullJSON(out))
	}
	// Explaining changes nothing.
	if d := c.ok("get_data", obj{"session_id": sid}); get(d, "data", "attempts") != "5" {
		t.Errorf("data after explain: %s", jsonText(d))
	}
	c.fails("explain_guard", obj{"session_id": sid, "guard": "(attempts = 0) == 0"}, "changes data", "with models and data")
	c.fails("explain_guard", obj{"session_id": sid, "guard": "attempts++ > 0"}, "changes data")
	c.fails("explain_guard", obj{"session_id": sid, "guard": "true", "data": obj{"a": 1}}, "set_data")
	c.fails("explain_guard", obj{"session_id": "s-0", "guard": "true"}, "no session")
	// Without a session, a guard that changes data is evaluated whole.
	out = c.ok("explain_guard", obj{"models": file("login.json"), "guard": "(attempts = 4) > 3 && true"})
	if out["value"] != true || len(list(out["parts"])) != 1 {
		t.Errorf("side effects: %s", fullJSON(out))
	}
}
