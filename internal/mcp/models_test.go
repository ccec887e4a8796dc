package mcp

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/gw-project/gw/internal/format/gwjson"
)

// island has an unreachable vertex v_Island and a cul-de-sac v_End.
const island = `{"models":[{"name":"Island","generator":"random(edge_coverage(100))","startElementId":"e0",
 "vertices":[{"id":"a","name":"v_A"},{"id":"b","name":"v_End"},{"id":"c","name":"v_Island"}],
 "edges":[{"id":"e0","name":"e_Start","targetVertexId":"a"},{"id":"e1","name":"e_Go","sourceVertexId":"a","targetVertexId":"b"}]}]}`

func TestToolList(t *testing.T) {
	_, c := newServer(t, Options{})
	res, err := c.cs.ListTools(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tool := range res.Tools {
		names = append(names, tool.Name)
		if tool.Description == "" || tool.InputSchema == nil {
			t.Errorf("%s has no description or input schema", tool.Name)
		}
	}
	want := []string{"check_model", "convert_model", "describe_model",
		"create_draft", "list_drafts", "add_vertex", "update_vertex", "remove_vertex", "add_edge", "update_edge", "remove_edge",
		"set_generator", "set_start_element", "update_draft", "export_draft", "discard_draft",
		"plan_path", "explain_guard",
		"start_session", "next_step", "has_next", "get_data", "set_data", "fail_step", "restart_session", "get_statistics", "close_session", "list_sessions"}
	slices.Sort(want)
	slices.Sort(names)
	if !slices.Equal(names, want) {
		t.Errorf("tools:\n got %v\nwant %v", names, want)
	}
	// The schemas tell an agent the formats and that models are needed.
	for _, tool := range res.Tools {
		if tool.Name != "check_model" {
			continue
		}
		s := fullJSON(tool.InputSchema)
		for _, w := range []string{`"minItems":1`, `"enum":["json","graphml","dot"]`, `"required":["models"]`} {
			if !strings.Contains(s, w) {
				t.Errorf("check_model schema lacks %s: %s", w, s)
			}
		}
	}
}

func TestCheckModel(t *testing.T) {
	_, c := newServer(t, Options{})
	out := c.ok("check_model", obj{"models": file("login.json")})
	if out["ok"] != true || len(list(out["issues"])) != 0 || len(list(out["cul_de_sacs"])) != 0 {
		t.Errorf("login.json: %s", jsonText(out))
	}

	out = c.ok("check_model", obj{"models": content(island)})
	if out["ok"] != false {
		t.Fatalf("island: %s", jsonText(out))
	}
	text := fullJSON(out["issues"])
	for _, w := range []string{`v_Island`, `cannot be reached`, `"source":"gw"`} {
		if !strings.Contains(text, w) {
			t.Errorf("island issues lack %s: %s", w, text)
		}
	}
	dead := list(out["cul_de_sacs"])
	if len(dead) != 2 || get(dead, 0, "name") != "v_End" || get(dead, 1, "name") != "v_Island" {
		t.Errorf("cul-de-sacs: %s", jsonText(dead))
	}

	// A stop condition that cannot be met.
	out = c.ok("check_model", obj{"models": models(obj{"path": "login.json", "generator": "a_star(reached_vertex(v_Nowhere))"})})
	if out["ok"] != false || !strings.Contains(jsonText(out["issues"]), "v_Nowhere") {
		t.Errorf("unknown target: %s", jsonText(out))
	}

	// A file that does not parse is a diagnostic with its position.
	out = c.ok("check_model", obj{"models": file("broken.json")})
	if out["ok"] != false || get(out, "issues", 0, "source") != "syntax" || !strings.Contains(fullJSON(out), "broken.json:1:59") {
		t.Errorf("broken.json: %s", jsonText(out))
	}

	// The other formats, and several sources together.
	out = c.ok("check_model", obj{"models": []obj{{"path": "Login.graphml", "generator": "random(edge_coverage(100))"}, {"path": "sub/small.dot", "generator": "random(vertex_coverage(100))"}}})
	if out["ok"] != true {
		t.Errorf("graphml and dot: %s", jsonText(out))
	}
}

func TestModelInputErrors(t *testing.T) {
	_, c := newServer(t, Options{MaxModelBytes: 2048, MaxElements: 5})
	for _, f := range []struct {
		name string
		args obj
		want []string
	}{
		{"no models", obj{"models": []obj{}}, []string{"minItems"}},
		{"no models key", obj{}, []string{"models"}},
		{"unknown key", obj{"models": file("login.json"), "color": "red"}, []string{"color"}},
		{"two sources in one", obj{"models": models(obj{"path": "login.json", "content": "{}"})}, []string{`exactly one of "path", "content" and "draft_id"`}},
		{"empty source", obj{"models": models(obj{})}, []string{"exactly one"}},
		{"bad format", obj{"models": models(obj{"content": "{}", "format": "yaml"})}, []string{"format"}},
		{"outside the folder", obj{"models": file("../models_test.go")}, []string{"relative to the models folder"}},
		{"absolute", obj{"models": file("/etc/passwd")}, []string{"relative to the models folder"}},
		{"missing file", obj{"models": file("nope.json")}, []string{"no such file"}},
		{"a folder", obj{"models": file("sub")}, []string{"is a folder"}},
		{"not a model file", obj{"models": file("notes.txt")}, []string{".json, .graphml and .dot"}},
		{"unknown format", obj{"models": content("hello")}, []string{`give "format"`}},
		{"too big", obj{"models": content("{" + strings.Repeat(" ", 4096) + "}")}, []string{"model size limit of 2 KiB", FlagMaxModelSize}},
		{"too many elements", obj{"models": file("login.json")}, []string{"more than 5 vertices and edges", FlagMaxElements}},
		{"unknown draft", obj{"models": models(obj{"draft_id": "d-nope"})}, []string{`no draft "d-nope"`, "list_drafts"}},
		{"bad start element", obj{"models": file("sub/small.dot"), "start_element": "v_Nope"}, []string{"v_Nope"}},
	} {
		t.Run(f.name, func(t *testing.T) {
			tool := "describe_model"
			if f.args["start_element"] != nil {
				tool = "plan_path"
			}
			c.fails(tool, f.args, f.want...)
		})
	}

	// Without --models no file is read.
	srv, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	connect(t, srv).fails("check_model", obj{"models": file("login.json")}, "without --models", `"content"`)
}

func TestModelFilesAreContained(t *testing.T) {
	dir := t.TempDir()
	login := readTestdata(t, "models/login.json")
	os.WriteFile(filepath.Join(dir, "ok.json"), []byte(login), 0o644)
	outside := filepath.Join(t.TempDir(), "secret.json")
	os.WriteFile(outside, []byte(login), 0o644)
	if err := os.Symlink(outside, filepath.Join(dir, "escape.json")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	fifo := filepath.Join(dir, "fifo.json")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	_, c := newServer(t, Options{ModelsDir: dir})
	c.ok("check_model", obj{"models": file("ok.json")})
	c.fails("check_model", obj{"models": file("escape.json")}, "escape.json")
	c.fails("check_model", obj{"models": file("fifo.json")}, "not a regular file")

	res, err := c.cs.ListResources(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var uris []string
	for _, r := range res.Resources {
		uris = append(uris, r.URI)
	}
	if !slices.Equal(uris, []string{"gw://models/ok.json"}) {
		t.Errorf("resources: %v (links out of the folder and FIFOs must not be listed)", uris)
	}
}

func TestResources(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "sub dir"), 0o755)
	os.MkdirAll(filepath.Join(dir, ".git"), 0o755)
	os.WriteFile(filepath.Join(dir, "a.json"), []byte(readTestdata(t, "models/login.json")), 0o644)
	os.WriteFile(filepath.Join(dir, "sub dir", "b.dot"), []byte(readTestdata(t, "models/sub/small.dot")), 0o644)
	os.WriteFile(filepath.Join(dir, ".git", "c.json"), []byte("{}"), 0o644)
	os.WriteFile(filepath.Join(dir, "readme.md"), []byte("#"), 0o644)
	_, c := newServer(t, Options{ModelsDir: dir})

	uris := func() []string {
		res, err := c.cs.ListResources(t.Context(), nil)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range res.Resources {
			out = append(out, r.URI+" "+r.MIMEType)
		}
		return out
	}
	if got, want := uris(), []string{"gw://models/a.json application/json", "gw://models/sub%20dir/b.dot text/vnd.graphviz"}; !slices.Equal(got, want) {
		t.Errorf("resources: %q, want %q", got, want)
	}
	// The list follows the folder.
	os.WriteFile(filepath.Join(dir, "new.graphml"), []byte(readTestdata(t, "models/Login.graphml")), 0o644)
	os.Remove(filepath.Join(dir, "a.json"))
	if got := uris(); len(got) != 2 || !strings.HasPrefix(got[0], "gw://models/new.graphml") {
		t.Errorf("after changes: %q", got)
	}

	res, err := c.cs.ReadResource(t.Context(), &sdk.ReadResourceParams{URI: "gw://models/sub%20dir/b.dot"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Contents) != 1 || !strings.Contains(res.Contents[0].Text, "digraph Small") {
		t.Errorf("read: %s", jsonText(res))
	}
	for _, uri := range []string{"gw://models/missing.json", "gw://models/../x.json", "gw://models/readme.md"} {
		if _, err := c.cs.ReadResource(t.Context(), &sdk.ReadResourceParams{URI: uri}); err == nil {
			t.Errorf("%s: read, want an error", uri)
		}
	}
	// Tools take the resource URI as a path too.
	c.ok("check_model", obj{"models": models(obj{"path": "gw://models/sub%20dir/b.dot", "generator": "random(vertex_coverage(100))"})})
}

func TestConvertModel(t *testing.T) {
	_, c := newServer(t, Options{})
	out := c.ok("convert_model", obj{"models": file("login.json"), "to": "graphml"})
	graphml := out["content"].(string)
	if out["format"] != "graphml" || !strings.Contains(graphml, "<graphml") || !strings.Contains(graphml, "e_ValidLogin") {
		t.Fatalf("to graphml: %.300s", graphml)
	}
	out = c.ok("convert_model", obj{"models": models(obj{"content": graphml, "name": "Login"}), "to": "json"})
	doc, err := gwjson.Parse([]byte(out["content"].(string)), "round trip")
	if err != nil {
		t.Fatal(err)
	}
	m := doc.Models[0]
	if m.Name != "Login" || len(m.Vertices) != 3 || len(m.Edges) != 6 || m.Edges[2].Guard != "!loggedIn && attempts < 3" {
		t.Errorf("round trip: %s", out["content"])
	}
	out = c.ok("convert_model", obj{"models": file("login.json"), "to": "dot"})
	if !strings.HasPrefix(out["content"].(string), "digraph Login") {
		t.Errorf("to dot: %s", out["content"])
	}
	c.fails("convert_model", obj{"models": file("login.json"), "to": "java"}, "enum")
	c.fails("convert_model", obj{"models": file("login.json"), "to": "DOT"}, "json graphml dot")
	c.fails("convert_model", obj{"models": file("login.json")}, "to")
}

func TestDescribeModel(t *testing.T) {
	_, c := newServer(t, Options{})
	shared := `{"models":[{"name":"Other","vertices":[{"id":"x","name":"v_Prompt","sharedState":"PROMPT"}],"edges":[]}]}`
	out := c.ok("describe_model", obj{"models": []obj{{"path": "login.json"}, {"content": shared}}})
	m := get(out, "models", 0)
	if get(m, "name") != "Login" || get(m, "start_element") != `edge "e_Init" (id e0)` || len(list(get(m, "vertices"))) != 3 {
		t.Errorf("model: %s", jsonText(m))
	}
	if get(m, "init_actions", 0) != "loggedIn = false; attempts = 0;" {
		t.Errorf("INIT actions: %s", jsonText(m))
	}
	valid := get(m, "edges", 2)
	if get(valid, "guard") != "!loggedIn && attempts < 3" || get(valid, "source") != "n1" || get(valid, "target") != "n2" || len(list(get(valid, "actions"))) != 2 {
		t.Errorf("edge: %s", jsonText(valid))
	}
	if get(m, "vertices", 2, "properties", "url") != "/browse" {
		t.Errorf("properties: %s", jsonText(get(m, "vertices", 2)))
	}
	if num(out["guards"]) != 2 || len(list(out["requirements"])) != 2 || get(out, "requirements", 0, "elements", 0, "name") != "v_LoginPrompted" {
		t.Errorf("guards and requirements: %s", jsonText(out))
	}
	if get(out, "shared_states", 0, "name") != "PROMPT" || get(out, "shared_states", 0, "vertices", 0, "model") != "Other" {
		t.Errorf("shared states: %s", jsonText(out["shared_states"]))
	}
}
