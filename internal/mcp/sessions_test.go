package mcp

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/session"
)

// walkToEnd calls next_step until has_next is false and returns the
// element names.
func walkToEnd(t *testing.T, c *client, sid string, taken int) []string {
	t.Helper()
	var names []string
	for i := 0; ; i++ {
		if i > 10000 {
			t.Fatal("the walk does not end")
		}
		out := c.ok("next_step", obj{"session_id": sid})
		names = append(names, get(out, "step", "name").(string))
		if num(out["steps"]) != taken+len(names) {
			t.Fatalf("steps %v after %d steps", out["steps"], len(names))
		}
		if out["has_next"] == false {
			return names
		}
	}
}

func TestSession(t *testing.T) {
	hub := session.NewHub()
	srv, c := newServer(t, Options{Hub: hub})
	st := c.ok("start_session", obj{"models": file("login.json"), "seed": 5})
	sid := st["session_id"].(string)
	if !strings.HasPrefix(sid, "s-") || st["has_next"] != true || num(st["seed"]) != 5 || jsonText(st["models"]) != `["Login"]` {
		t.Fatalf("start: %s", jsonText(st))
	}
	if hub.Len() != 1 || hub.List()[0].Service != "mcp" || hub.List()[0].Client != "gw-test" || !hub.List()[0].Started {
		t.Errorf("hub: %+v", hub.List())
	}
	c.fails("fail_step", obj{"session_id": sid, "reason": "x"}, "no step has been taken yet")

	first := c.ok("next_step", obj{"session_id": sid, "include_data": true})
	if get(first, "step", "name") != "e_Init" || get(first, "data", "loggedIn") != "false" || get(first, "data", "attempts") != "0" {
		t.Errorf("first step: %s", jsonText(first))
	}
	names := append([]string{"e_Init"}, walkToEnd(t, c, sid, 1)...)
	if hub.List()[0].Steps != len(names) {
		t.Errorf("hub counted %d steps, the walk took %d", hub.List()[0].Steps, len(names))
	}
	if out := c.ok("has_next", obj{"session_id": sid}); out["has_next"] != false || num(out["steps"]) != len(names) {
		t.Errorf("has_next at the end: %s", jsonText(out))
	}
	c.fails("next_step", obj{"session_id": sid}, "complete", "restart_session")
	stats := c.ok("get_statistics", obj{"session_id": sid})
	if num(get(stats, "coverage", "edges", "percent")) != 100 || get(stats, "models", 0, "status") != "COMPLETED" ||
		num(get(stats, "coverage", "requirements", "passed")) != 2 || num(stats["steps"]) != len(names) {
		t.Errorf("statistics: %s", jsonText(stats))
	}

	// The same seed walks the same path: restart, and a new session.
	if out := c.ok("restart_session", obj{"session_id": sid}); num(out["seed"]) != 5 || out["has_next"] != true {
		t.Errorf("restart: %s", jsonText(out))
	}
	again := append([]string{get(c.ok("next_step", obj{"session_id": sid}), "step", "name").(string)}, walkToEnd(t, c, sid, 1)...)
	if strings.Join(again, " ") != strings.Join(names, " ") {
		t.Errorf("restart walked\n%v\nnot\n%v", again, names)
	}
	sid2 := c.ok("start_session", obj{"models": file("login.json"), "seed": 5})["session_id"].(string)
	if other := walkToEnd(t, c, sid2, 0); strings.Join(other, " ") != strings.Join(names, " ") {
		t.Errorf("same seed, other walk:\n%v\n%v", other, names)
	}

	// Data: read, set, and the guards see it.
	c.ok("restart_session", obj{"session_id": sid})
	for range 2 { // e_Init, v_ClientNotRunning
		c.ok("next_step", obj{"session_id": sid})
	}
	if out := c.ok("set_data", obj{"session_id": sid, "script": "attempts = 3; loggedIn = true;"}); get(out, "data", "attempts") != "3" {
		t.Errorf("set_data: %s", jsonText(out))
	}
	if out := c.ok("get_data", obj{"session_id": sid}); get(out, "data", "loggedIn") != "true" {
		t.Errorf("get_data: %s", jsonText(out))
	}
	c.ok("next_step", obj{"session_id": sid}) // e_StartClient
	c.ok("next_step", obj{"session_id": sid}) // v_LoginPrompted
	// Both logins are guarded out now: only e_Close is left.
	if out := c.ok("next_step", obj{"session_id": sid}); get(out, "step", "name") != "e_Close" || jsonText(get(out, "actions")) != `["attempts = 0;"]` {
		t.Errorf("with attempts = 3: %s", jsonText(out))
	}
	c.fails("set_data", obj{"session_id": sid, "script": "x = ("}, "SyntaxError")
	c.fails("set_data", obj{"session_id": sid, "script": "throw new Error('boom')"}, "Error: boom")
	c.fails("set_data", obj{"session_id": sid, "script": ""}, "empty")

	// fail_step fails the element's requirements and the model.
	c.ok("next_step", obj{"session_id": sid}) // v_ClientNotRunning
	c.ok("next_step", obj{"session_id": sid}) // e_StartClient
	c.ok("next_step", obj{"session_id": sid}) // v_LoginPrompted (UC01 1.1)
	out := c.ok("fail_step", obj{"session_id": sid, "reason": "the prompt did not show"})
	if get(out, "failed", "name") != "v_LoginPrompted" || !strings.Contains(out["message"].(string), "FAILED") {
		t.Errorf("fail_step: %s", jsonText(out))
	}
	stats = c.ok("get_statistics", obj{"session_id": sid})
	if get(stats, "models", 0, "status") != "FAILED" || jsonText(stats["failed_requirements"]) != `["UC01 1.1"]` {
		t.Errorf("statistics after fail: %s", jsonText(stats))
	}

	if out := c.ok("list_sessions", obj{}); len(list(out["sessions"])) != 2 || get(out, "sessions", 0, "session_id") != sid {
		t.Errorf("list_sessions: %s", jsonText(out))
	}
	if out := c.ok("close_session", obj{"session_id": sid}); out["closed"] != true {
		t.Errorf("close: %s", jsonText(out))
	}
	for _, tool := range []string{"next_step", "has_next", "get_data", "get_statistics", "restart_session", "close_session"} {
		c.fails(tool, obj{"session_id": sid}, "no session", "list_sessions")
	}
	c.fails("next_step", obj{}, "session_id")
	c.fails("list_sessions", obj{"all": true}, "all")
	c.fails("fail_step", obj{"session_id": sid}, "reason")
	if hub.Len() != 1 {
		t.Errorf("hub has %d sessions after one of two closed", hub.Len())
	}
	srv.Close()
	if hub.Len() != 0 {
		t.Errorf("hub has %d sessions after the server closed", hub.Len())
	}
	c.fails("list_sessions", obj{}, "shutting down")
}

func TestSessionLimits(t *testing.T) {
	srv, c := newServer(t, Options{MaxSessions: 2, Script: scriptLimits(500 * time.Millisecond)})
	a := c.ok("start_session", obj{"models": file("login.json")})["session_id"].(string)
	c.ok("start_session", obj{"models": models(obj{"path": "sub/small.dot", "generator": "random(never)"})})
	c.fails("start_session", obj{"models": file("login.json")}, "2 sessions are open, the limit", FlagMaxSessions, "close_session")
	// Concurrent starts cannot pass the limit together.
	c.ok("close_session", obj{"session_id": a})
	var wg sync.WaitGroup
	var mu sync.Mutex
	started := 0
	for range 6 {
		cc := connect(t, srv)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, _, isErr := cc.result("start_session", obj{"models": file("login.json")}); !isErr {
				mu.Lock()
				started++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if started != 1 || srv.Hub().Len() != 2 {
		t.Errorf("%d concurrent starts passed a limit with room for 1; hub has %d", started, srv.Hub().Len())
	}

	// A runaway script costs its call, not the session.
	sid := c.ok("list_sessions", obj{})["sessions"].([]any)[0].(obj)["session_id"]
	c.fails("set_data", obj{"session_id": sid, "script": "while(true){}"}, "--script-timeout")
	c.ok("next_step", obj{"session_id": sid})

	// Broken models do not start.
	c.ok("close_session", obj{"session_id": sid})
	for _, f := range []struct {
		src  obj
		want string
	}{
		{obj{"content": `{"models":[{"name":"m","generator":"random(edge_coverage(100))","actions":["while(true){}"],"vertices":[{"id":"a"}],"edges":[{"id":"e","targetVertexId":"a"}],"startElementId":"e"}]}`}, "--script-timeout"},
		{obj{"content": `{"models":[{"name":"m","vertices":[{"id":"a"}],"edges":[]}]}`}, "No path generator"},
		{obj{"path": "login.json", "generator": "a_star(reached_vertex(v_Nope))"}, "v_Nope"},
		{obj{"path": "broken.json"}, "broken.json:1:59"},
	} {
		c.fails("start_session", obj{"models": models(f.src)}, f.want)
	}
	if srv.Hub().Len() != 1 {
		t.Errorf("failed starts left sessions in the hub: %d", srv.Hub().Len())
	}
}

// A session paused from outside (the studio) holds next_step until it is
// resumed; a client that gives up gets an error, and the session stays.
func TestSessionPausedByHub(t *testing.T) {
	hub := session.NewHub()
	_, c := newServer(t, Options{Hub: hub})
	sid := c.ok("start_session", obj{"models": file("login.json")})["session_id"].(string)
	hs := hub.List()
	if len(hs) != 1 {
		t.Fatal(hs)
	}
	s := hub.Get(hs[0].ID)
	s.Pause("test")
	done := make(chan obj)
	go func() { done <- c.ok("next_step", obj{"session_id": sid}) }()
	select {
	case out := <-done:
		t.Fatalf("a paused session stepped: %s", jsonText(out))
	case <-time.After(100 * time.Millisecond):
	}
	s.Resume()
	select {
	case out := <-done:
		if get(out, "step", "name") != "e_Init" {
			t.Errorf("after resume: %s", jsonText(out))
		}
	case <-time.After(5 * time.Second):
		t.Fatal("next_step did not return after resume")
	}
	// Do works on the MCP session's machine, as on the other services'.
	var steps int
	if err := s.Do(context.Background(), func(m *machine.Machine) error { steps = m.TotalSteps(); return nil }); err != nil || steps != 1 {
		t.Errorf("Do: %v, %d steps", err, steps)
	}
}
