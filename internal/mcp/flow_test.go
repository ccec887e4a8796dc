package mcp

import (
	"flag"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/gw-project/gw/internal/gwtest"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/session"
)

var apiSeed = flag.Int64("apiseed", 8112026, "seed of the walk of testdata/MCPSessionAPI.json (0: random)")

// TestAPIModel tests the MCP session API the way gw's WebSocket and REST
// services are tested: testdata/MCPSessionAPI.json models the API (bad
// input included), gw's engine walks it with random(edge_coverage(100)),
// and every element drives a real server through the SDK's client and
// checks the answers.
func TestAPIModel(t *testing.T) {
	walker, seed := gwtest.Walker(t, []byte(readTestdata(t, "MCPSessionAPI.json")), "MCPSessionAPI.json", *apiSeed)
	hub := session.NewHub()
	srv, err := New(Options{ModelsDir: "testdata/models", Hub: hub, MaxSessions: 1, Script: scriptLimits(500 * time.Millisecond)})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	a := &apiTester{t: t, srv: srv, hub: hub, walker: walker, rnd: rand.New(rand.NewPCG(uint64(seed), 2))}
	handlers := map[string]func(){
		"e_Connect": a.connect, "v_Connected": a.connected, "e_BadInput": a.badInput, "e_StartBroken": a.startBroken,
		"e_CheckModel": a.checkModel, "e_PlanPath": a.planPath, "e_ExplainGuard": a.explainGuard,
		"e_StartSession": a.startSession, "v_SessionOpen": a.sessionOpen, "e_NextStep": a.nextStep,
		"e_NextStepAfterEnd": a.nextStepAfterEnd, "e_WalkToEnd": a.walkToEnd, "e_HasNext": a.hasNext,
		"e_GetData": a.getData, "e_SetData": a.setData, "e_FailStep": a.failStep, "e_Statistics": a.statistics,
		"e_Restart": a.restart, "e_ExplainInSession": a.explainInSession, "e_Reconnect": a.reconnect,
		"e_StartOverLimit": a.startOverLimit, "e_RunawayScript": a.runawayScript, "e_CloseSession": a.closeSession,
	}
	gwtest.Walk(t, walker, seed, handlers)
}

type apiTester struct {
	t      *testing.T
	srv    *Server
	hub    *session.Hub
	walker *machine.Machine
	rnd    *rand.Rand
	c      *client

	sid   string // the open session, "" if none
	seed  int64
	steps int    // steps the open session took
	done  bool   // its walk is complete (or failed)
	note  string // the value set_data last gave "note"
	first string // the first step's element
}

func (a *apiTester) setDone(done bool) {
	a.done = done
	if err := a.walker.Execute("done = " + strconv.FormatBool(done) + ";"); err != nil {
		a.t.Fatal(err)
	}
}

func (a *apiTester) connect() { a.c = connect(a.t, a.srv) }

func (a *apiTester) connected() {
	if out := a.c.ok("list_sessions", obj{}); len(list(out["sessions"])) != 0 {
		a.t.Errorf("sessions open while none should be: %s", jsonText(out))
	}
	if a.hub.Len() != 0 {
		a.t.Errorf("hub has %d sessions", a.hub.Len())
	}
}

func (a *apiTester) badInput() {
	unknown := "s-" + strconv.FormatUint(a.rnd.Uint64(), 16)
	for _, tool := range []string{"next_step", "has_next", "get_data", "get_statistics", "restart_session", "close_session"} {
		a.c.fails(tool, obj{"session_id": unknown}, "no session", "start_session")
	}
	a.c.fails("set_data", obj{"session_id": unknown, "script": "x = 1"}, "no session")
	a.c.fails("fail_step", obj{"session_id": unknown, "reason": "r"}, "no session")
	a.c.fails("next_step", obj{}, "session_id")
	a.c.fails("next_step", obj{"session_id": 42}, "session_id")
	a.c.fails("start_session", obj{"models": "login.json"}, "models")
	a.c.fails("start_session", obj{"models": file("login.json"), "seed": "x"}, "seed")
	if _, err := a.c.cs.CallTool(a.t.Context(), &sdk.CallToolParams{Name: "no_such_tool"}); err == nil || !strings.Contains(err.Error(), "no_such_tool") {
		a.t.Errorf("an unknown tool: %v", err)
	}
}

func (a *apiTester) startBroken() {
	cases := []struct {
		src  obj
		want string
	}{
		{obj{"path": "broken.json"}, "broken.json:1:59"},
		{obj{"path": "login.json", "generator": "random(reached_vertex(v_Nope))"}, "v_Nope"},
		{obj{"content": "digraph { a -> }"}, "content"},
		{obj{"path": "nope.json"}, "no such file"},
	}
	f := cases[a.rnd.IntN(len(cases))]
	a.c.fails("start_session", obj{"models": models(f.src)}, f.want)
}

func (a *apiTester) checkModel() {
	if out := a.c.ok("check_model", obj{"models": file("login.json")}); out["ok"] != true {
		a.t.Errorf("check_model: %s", jsonText(out))
	}
}

func (a *apiTester) planPath() {
	seed := a.rnd.Int64N(1 << 40)
	out := a.c.ok("plan_path", obj{"models": file("login.json"), "seed": seed})
	if out["completed"] != true || int64(num(out["seed"])) != seed || num(get(out, "coverage", "edges", "percent")) != 100 {
		a.t.Errorf("plan_path: %s", jsonText(out))
	}
}

func (a *apiTester) explainGuard() {
	attempts := a.rnd.IntN(6)
	out := a.c.ok("explain_guard", obj{"models": file("login.json"), "edge": "e_InvalidLogin", "data": obj{"attempts": attempts}})
	if out["value"] != (attempts < 3) {
		a.t.Errorf("attempts %d: %s", attempts, jsonText(out))
	}
}

func (a *apiTester) startSession() {
	a.seed = a.rnd.Int64N(1 << 40)
	out := a.c.ok("start_session", obj{"models": file("login.json"), "seed": a.seed})
	a.sid, a.steps, a.note, a.first = out["session_id"].(string), 0, "", ""
	if out["has_next"] != true || int64(num(out["seed"])) != a.seed {
		a.t.Errorf("start_session: %s", jsonText(out))
	}
	a.setDone(false)
}

func (a *apiTester) sessionOpen() {
	out := a.c.ok("has_next", obj{"session_id": a.sid})
	if out["has_next"] != !a.done || num(out["steps"]) != a.steps {
		a.t.Errorf("has_next %v after %d steps (done %v): %s", out["has_next"], a.steps, a.done, jsonText(out))
	}
	if l := a.hub.List(); len(l) != 1 || l[0].Steps != a.steps || l[0].Service != "mcp" {
		a.t.Errorf("hub: %+v, want one mcp session with %d steps", l, a.steps)
	}
}

func (a *apiTester) step() obj {
	out := a.c.ok("next_step", obj{"session_id": a.sid})
	a.steps++
	if num(out["steps"]) != a.steps {
		a.t.Errorf("next_step says %v steps, want %d", out["steps"], a.steps)
	}
	if a.steps == 1 {
		a.first = get(out, "step", "name").(string)
	}
	if out["has_next"] == false {
		a.setDone(true)
	}
	return out
}

func (a *apiTester) nextStep() {
	out := a.step()
	if k := get(out, "step", "kind"); k != "vertex" && k != "edge" {
		a.t.Errorf("step: %s", jsonText(out))
	}
}

func (a *apiTester) nextStepAfterEnd() {
	a.c.fails("next_step", obj{"session_id": a.sid}, "complete")
}

func (a *apiTester) walkToEnd() {
	for i := 0; !a.done; i++ {
		if i > 5000 {
			a.t.Fatal("the walk does not end")
		}
		a.step()
	}
}

func (a *apiTester) hasNext() { a.sessionOpen() }

func (a *apiTester) getData() {
	out := a.c.ok("get_data", obj{"session_id": a.sid})
	if _, ok := get(out, "data").(obj)["attempts"]; !ok {
		a.t.Errorf("get_data: %s", jsonText(out))
	}
	if a.note != "" && get(out, "data", "note") != a.note {
		a.t.Errorf("note = %v, want %s", get(out, "data", "note"), a.note)
	}
}

func (a *apiTester) setData() {
	a.note = strconv.Itoa(a.rnd.IntN(1 << 20))
	if out := a.c.ok("set_data", obj{"session_id": a.sid, "script": "note = " + a.note + ";"}); get(out, "data", "note") != a.note {
		a.t.Errorf("set_data: %s", jsonText(out))
	}
}

func (a *apiTester) failStep() {
	if a.steps == 0 {
		a.c.fails("fail_step", obj{"session_id": a.sid, "reason": "r"}, "no step has been taken yet")
		return
	}
	out := a.c.ok("fail_step", obj{"session_id": a.sid, "reason": "the system did not do it"})
	if !strings.Contains(out["message"].(string), "FAILED") {
		a.t.Errorf("fail_step: %s", jsonText(out))
	}
	a.setDone(true) // a failed model has no next step
}

func (a *apiTester) statistics() {
	out := a.c.ok("get_statistics", obj{"session_id": a.sid})
	if num(out["steps"]) != a.steps || int64(num(out["seed"])) != a.seed || len(list(out["models"])) != 1 {
		a.t.Errorf("get_statistics: %s", jsonText(out))
	}
}

func (a *apiTester) restart() {
	out := a.c.ok("restart_session", obj{"session_id": a.sid})
	if int64(num(out["seed"])) != a.seed || out["has_next"] != true {
		a.t.Errorf("restart_session: %s", jsonText(out))
	}
	first := a.first
	a.steps, a.note = 0, ""
	a.setDone(false)
	// The same seed: the same first step.
	if out := a.step(); first != "" && get(out, "step", "name") != first {
		a.t.Errorf("after restart the first step is %v, was %s", get(out, "step", "name"), first)
	}
}

func (a *apiTester) explainInSession() {
	out := a.c.ok("explain_guard", obj{"session_id": a.sid, "edge": "e_ValidLogin"})
	if _, isBool := out["value"].(bool); !isBool || len(list(out["parts"])) != 4 {
		a.t.Errorf("explain_guard in session: %s", jsonText(out))
	}
}

func (a *apiTester) reconnect() {
	a.c.cs.Close()
	a.c = connect(a.t, a.srv)
	// The session outlives the connection.
	a.sessionOpen()
}

func (a *apiTester) startOverLimit() {
	a.c.fails("start_session", obj{"models": file("login.json")}, "1 sessions are open, the limit", FlagMaxSessions)
}

func (a *apiTester) runawayScript() {
	a.c.fails("set_data", obj{"session_id": a.sid, "script": "while(true){}"}, "--script-timeout")
}

func (a *apiTester) closeSession() {
	if out := a.c.ok("close_session", obj{"session_id": a.sid}); out["closed"] != true || num(out["steps"]) != a.steps {
		a.t.Errorf("close_session: %s", jsonText(out))
	}
	a.c.fails("has_next", obj{"session_id": a.sid}, "no session")
	a.sid = ""
}
