package mcp

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gw-project/gw/internal/format/gwjson"
)

func TestDraftAuthoring(t *testing.T) {
	_, c := newServer(t, Options{})
	d := c.ok("create_draft", obj{"name": "Login", "generator": "random(edge_coverage(100))"})
	id := d["draft_id"].(string)
	if !strings.HasPrefix(id, "d-") || num(d["revision"]) != 0 || d["name"] != "Login" {
		t.Fatalf("create: %s", jsonText(d))
	}
	rev := 0
	edit := func(tool string, args obj) obj {
		t.Helper()
		args["draft_id"], args["expected_revision"] = id, rev
		out := c.ok(tool, args)
		if num(out["revision"]) != rev+1 {
			t.Fatalf("%s: revision %v, want %d", tool, out["revision"], rev+1)
		}
		rev++
		return out
	}
	v := edit("add_vertex", obj{"name": "v_LoggedOut"})
	if get(v, "vertex", "id") != "n1" {
		t.Errorf("generated vertex id: %s", jsonText(v))
	}
	edit("add_vertex", obj{"id": "in", "name": "v_LoggedIn", "requirements": []string{"R1"}, "properties": obj{"url": "/home", "n": 2}})
	e := edit("add_edge", obj{"name": "e_Start", "target_vertex_id": "n1"})
	if get(e, "edge", "id") != "e3" || !strings.Contains(e["note"].(string), "start element") {
		t.Errorf("start edge: %s", jsonText(e))
	}
	edit("add_edge", obj{"id": "login", "name": "e_Login", "source_vertex_id": "n1", "target_vertex_id": "in", "guard": "!loggedIn", "actions": []string{"loggedIn = true;"}})
	edit("add_edge", obj{"id": "logout", "name": "e_Logout", "source_vertex_id": "in", "target_vertex_id": "n1", "actions": []string{"loggedIn = false;"}, "weight": 0.5})
	edit("update_draft", obj{"init_actions": []string{"loggedIn = false;"}})

	// The draft is a model source for every tool.
	src := models(obj{"draft_id": id})
	if out := c.ok("check_model", obj{"models": src}); out["ok"] != true {
		t.Errorf("check: %s", jsonText(out))
	}
	plan := c.ok("plan_path", obj{"models": models(obj{"draft_id": id, "generator": "shortest_all_paths(edge_coverage(100))"})})
	if num(plan["length"]) != 6 || plan["completed"] != true {
		t.Errorf("plan: %s", jsonText(plan))
	}

	// A stale revision is a conflict and changes nothing.
	msg := c.fails("add_vertex", obj{"draft_id": id, "expected_revision": rev - 1, "name": "v_X"}, "conflict", "expected_revision "+itoa(rev))
	if !strings.Contains(msg, "export_draft") {
		t.Errorf("conflict message does not say how to recover: %s", msg)
	}
	if out := c.ok("list_drafts", obj{}); num(get(out, "drafts", 0, "vertices")) != 2 || num(get(out, "drafts", 0, "revision")) != rev {
		t.Errorf("after a conflict: %s", jsonText(out))
	}

	edit("update_edge", obj{"edge_id": "login", "guard": "!loggedIn && true"})
	edit("update_vertex", obj{"vertex_id": "in", "shared_state": "HOME"})
	edit("set_generator", obj{"generator": "quick_random(edge_coverage(100))"})
	edit("set_start_element", obj{"element_id": "e3"})

	exp := c.ok("export_draft", obj{"draft_id": id})
	doc, err := gwjson.Parse([]byte(exp["content"].(string)), "export")
	if err != nil {
		t.Fatal(err)
	}
	m := doc.Models[0]
	if num(exp["revision"]) != rev || m.Name != "Login" || m.Generator != "quick_random(edge_coverage(100))" || m.StartElementID != "e3" ||
		len(m.Vertices) != 2 || m.Vertices[1].SharedState != "HOME" || m.Edges[1].Guard != "!loggedIn && true" || m.Edges[2].Weight != 0.5 ||
		len(m.Actions) != 1 {
		t.Errorf("export: %s", exp["content"])
	}
	for _, f := range []string{"graphml", "dot"} {
		if out := c.ok("export_draft", obj{"draft_id": id, "format": f}); !strings.Contains(out["content"].(string), "e_Login") {
			t.Errorf("export %s: %s", f, out["content"])
		}
	}

	// A session walks a copy: later edits do not change it.
	s := c.ok("start_session", obj{"models": src, "seed": 1})
	rm := edit("remove_vertex", obj{"element_id": "in"})
	if got := jsonText(rm["removed"]); got != `["in","login","logout"]` {
		t.Errorf("removed: %s", got)
	}
	if st := c.ok("get_statistics", obj{"session_id": s["session_id"]}); num(get(st, "coverage", "vertices", "total")) != 2 {
		t.Errorf("the session's model changed: %s", jsonText(st))
	}
	rm = edit("remove_edge", obj{"element_id": "e3"})
	if !strings.Contains(jsonText(rm), "start element was removed") {
		t.Errorf("remove the start edge: %s", jsonText(rm))
	}

	c.ok("discard_draft", obj{"draft_id": id})
	c.fails("export_draft", obj{"draft_id": id}, "no draft")
	c.fails("discard_draft", obj{"draft_id": id}, "no draft")
}

func itoa(n int) string { return jsonText(n) }

func TestDraftEditErrors(t *testing.T) {
	_, c := newServer(t, Options{MaxElements: 4})
	id := c.ok("create_draft", obj{})["draft_id"].(string)
	c.ok("add_vertex", obj{"draft_id": id, "expected_revision": 0, "id": "a", "name": "v_A"})
	e := func(extra obj) obj {
		args := obj{"draft_id": id, "expected_revision": 1}
		for k, v := range extra {
			args[k] = v
		}
		return args
	}
	for _, f := range []struct {
		tool string
		args obj
		want []string
	}{
		{"add_vertex", e(obj{"id": "a"}), []string{`id "a" is taken by vertex "v_A"`}},
		{"add_vertex", e(obj{"id": "  "}), []string{"blank"}},
		{"add_vertex", e(obj{"name": strings.Repeat("x", 2000)}), []string{"at most 1024"}},
		{"add_vertex", e(obj{"actions": []string{"x = ("}}), []string{`actions[0] "x = ("`, "SyntaxError"}},
		{"add_vertex", e(obj{"actions": []string{" "}}), []string{"empty"}},
		{"add_vertex", e(obj{"requirements": []string{""}}), []string{"requirements[0] is empty"}},
		{"add_vertex", e(obj{"properties": obj{"": 1}}), []string{"key is empty"}},
		{"add_vertex", obj{"draft_id": id}, []string{"expected_revision"}},
		{"add_vertex", obj{"draft_id": "d-0", "expected_revision": 0}, []string{`no draft "d-0"`}},
		{"add_edge", e(obj{"target_vertex_id": "b"}), []string{`no target vertex with id "b"`, "describe_model"}},
		{"add_edge", e(obj{"source_vertex_id": "b", "target_vertex_id": "a"}), []string{`no source vertex with id "b"`}},
		{"add_edge", e(obj{"target_vertex_id": "a", "guard": "x >"}), []string{"guard", "SyntaxError"}},
		{"add_edge", e(obj{"target_vertex_id": "a", "guard": strings.Repeat("(", 2000) + "1" + strings.Repeat(")", 2000)}), []string{"--max-script-depth"}},
		{"add_edge", e(obj{"target_vertex_id": "a", "weight": 1.5}), []string{"between 0 and 1"}},
		{"add_edge", e(obj{"target_vertex_id": "a", "dependency": 101}), []string{"between 0 and 100"}},
		{"add_edge", e(obj{"target_vertex_id": ""}), []string{"target_vertex_id is empty"}},
		{"update_vertex", e(obj{"vertex_id": "zz"}), []string{`no vertex with id "zz"`}},
		{"update_edge", e(obj{"edge_id": "a"}), []string{`no edge with id "a"`}},
		{"remove_edge", e(obj{"element_id": "a"}), []string{"is a vertex", "remove_vertex"}},
		{"remove_vertex", e(obj{"element_id": "q"}), []string{`no vertex with id "q"`}},
		{"set_generator", e(obj{"generator": "random(edge_coverage(100)"}), []string{"generator", "random(edge_coverage(100))"}},
		{"set_generator", e(obj{"generator": "walk(forever)"}), []string{"walk"}},
		{"set_start_element", e(obj{"element_id": "zz"}), []string{`no element with id "zz"`}},
		{"create_draft", obj{"generator": "nope("}, []string{"generator"}},
		{"export_draft", obj{"draft_id": id, "format": "svg"}, []string{"enum"}},
		{"update_draft", e(obj{"init_actions": []string{"x = ;"}}), []string{"init_actions[0]", "SyntaxError"}},
		{"update_draft", e(obj{"requirements": []string{""}}), []string{"requirements[0] is empty"}},
		{"update_draft", e(obj{"name": 7}), []string{"name"}},
		{"list_drafts", obj{"all": true}, []string{"all"}},
		{"discard_draft", obj{}, []string{"draft_id"}},
	} {
		c.fails(f.tool, f.args, f.want...)
	}
	// None of that changed the draft.
	if out := c.ok("list_drafts", obj{}); num(get(out, "drafts", 0, "revision")) != 1 || num(get(out, "drafts", 0, "vertices")) != 1 {
		t.Errorf("failed edits changed the draft: %s", jsonText(out))
	}
	// The element limit.
	for i := 1; i < 4; i++ {
		c.ok("add_vertex", obj{"draft_id": id, "expected_revision": i})
	}
	c.fails("add_vertex", obj{"draft_id": id, "expected_revision": 4}, "more than 4 vertices and edges", FlagMaxElements)
}

func TestDraftFromModel(t *testing.T) {
	_, c := newServer(t, Options{MaxDrafts: 2})
	d := c.ok("create_draft", obj{"from": obj{"path": "login.json"}})
	if d["name"] != "Login" || num(d["vertices"]) != 3 || num(d["edges"]) != 6 || d["start_element_id"] != "e0" {
		t.Errorf("from login.json: %s", jsonText(d))
	}
	// A copy of the copy, renamed.
	d2 := c.ok("create_draft", obj{"from": obj{"draft_id": d["draft_id"]}, "name": "Copy"})
	if d2["name"] != "Copy" || num(d2["edges"]) != 6 || d2["draft_id"] == d["draft_id"] {
		t.Errorf("from a draft: %s", jsonText(d2))
	}
	c.fails("create_draft", obj{}, "2 drafts are open, the limit", FlagMaxDrafts, "discard_draft")
	c.ok("discard_draft", obj{"draft_id": d2["draft_id"]})
	c.fails("create_draft", obj{"from": obj{"content": `{"models":[{"name":"a","vertices":[],"edges":[]},{"name":"b","vertices":[],"edges":[]}]}`}}, "holds 2 models; a draft holds one")
}

// Edits from many clients at once: each revision is given once, and the
// losers of a race are told so.
func TestDraftConcurrentEdits(t *testing.T) {
	srv, c := newServer(t, Options{})
	id := c.ok("create_draft", obj{})["draft_id"].(string)
	const clients = 8
	var wg sync.WaitGroup
	var mu sync.Mutex
	won, lost := 0, 0
	for range clients {
		cc := connect(t, srv)
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, text, isErr := cc.result("add_vertex", obj{"draft_id": id, "expected_revision": 0})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case !isErr:
				won++
			case strings.Contains(text, "conflict"):
				lost++
			default:
				t.Errorf("unexpected error: %s", text)
			}
		}()
	}
	wg.Wait()
	if won != 1 || lost != clients-1 {
		t.Errorf("%d edits won revision 0, %d lost; want 1 and %d", won, lost, clients-1)
	}
}

func TestIdleDraftsAndSessionsAreDropped(t *testing.T) {
	srv, c := newServer(t, Options{IdleTimeout: 300 * time.Millisecond})
	id := c.ok("create_draft", obj{})["draft_id"].(string)
	sid := c.ok("start_session", obj{"models": file("login.json")})["session_id"].(string)
	if srv.Hub().Len() != 1 {
		t.Fatalf("hub has %d sessions", srv.Hub().Len())
	}
	deadline := time.Now().Add(5 * time.Second)
	for srv.Hub().Len() != 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	c.fails("export_draft", obj{"draft_id": id}, "no draft", "--idle-timeout")
	c.fails("next_step", obj{"session_id": sid}, "no session", "--idle-timeout")
	if srv.Hub().Len() != 0 {
		t.Errorf("the idle session is still in the hub")
	}
}
