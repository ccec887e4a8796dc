package mcptools

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/gw-project/gw/internal/draw"
	"github.com/gw-project/gw/internal/mcp"
)

// draw_model returns the picture as text content, every element named in
// it, and says what it drew.
func TestDrawModel(t *testing.T) {
	c := newServer(t, mcp.Options{})
	for _, tc := range []struct {
		name     string
		args     obj
		format   string
		models   int
		vertices int // of the first model
		layout   string
		names    []string
	}{
		{"svg", obj{"models": file("login.json")}, "svg", 1, 3, "layered",
			[]string{"v_ClientNotRunning", "v_LoginPrompted", "v_Browse", "e_Init", "e_StartClient", "e_ValidLogin", "e_InvalidLogin", "e_Logout", "e_Close"}},
		{"grid", obj{"models": file("login.json"), "layout": "grid", "format": "svg"}, "svg", 1, 3, "grid", []string{"v_Browse", "e_Logout"}},
		{"several models", obj{"models": file("petClinic.json")}, "svg", 5, 3, "layered",
			[]string{"FindOwnersSharedState", "VeterinariensSharedState", "v_HomePage", "v_SearchResult", "v_Veterinarians", "v_FindOwners", "v_NewOwner", "v_OwnerInformation"}},
		{"json", obj{"models": file("login.json"), "format": "json"}, "json", 1, 3, "layered", []string{`"v_Browse"`, `"e_ValidLogin"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, text := c.on(t).ok("draw_model", tc.args)
			if got["format"] != tc.format || num(got["bytes"]) != len(text) || len(list(got["models"])) != tc.models ||
				num(get(got, "models", 0, "vertices")) != tc.vertices || get(got, "models", 0, "layout") != tc.layout {
				t.Errorf("result %s", short(got))
			}
			for _, n := range tc.names {
				if !strings.Contains(text, n) {
					t.Errorf("the drawing lacks %s", n)
				}
			}
			switch tc.format {
			case "svg":
				if !strings.Contains(text, "<svg ") || !strings.HasSuffix(text, "</svg>\n") {
					t.Errorf("not an SVG document: %.200s", text)
				}
			case "json":
				var sc draw.Scene
				if err := json.Unmarshal([]byte(text), &sc); err != nil || sc.Version != draw.SceneVersion || len(sc.Models) != 1 ||
					len(sc.Models[0].Vertices) != 3 || len(sc.Models[0].Edges) != 6 || sc.Models[0].Visits != nil {
					t.Errorf("scene %+v: %v", sc, err)
				}
			}
		})
	}
}

// Every vertex of every model is in the SVG, by name and id.
func TestDrawModelEveryVertex(t *testing.T) {
	c := newServer(t, mcp.Options{})
	_, text := c.ok("draw_model", obj{"models": file("petClinic.json")})
	n := 0
	for _, m := range loadFile(t, "petClinic.json") {
		for _, v := range m.Vertices {
			n++
			if !strings.Contains(text, ">"+v.Name+"<") || !strings.Contains(text, `data-id="`+v.ID+`"`) {
				t.Errorf("vertex %s (%s) of %s is not drawn", v.Name, v.ID, m.Name)
			}
		}
	}
	if n != 16 {
		t.Errorf("%d vertices", n)
	}
}

// A path colours the drawing: plan_path's steps go in as they are.
func TestDrawModelPath(t *testing.T) {
	c := newServer(t, mcp.Options{})
	plan, _ := c.ok("plan_path", obj{"models": []obj{{"path": "login.json", "generator": "random(length(7))"}}, "seed": 3})
	steps := list(plan["steps"])
	n := len(steps)
	if n < 7 {
		t.Fatalf("plan_path: %s", short(plan))
	}
	visited := map[string]bool{}
	for _, st := range steps {
		visited[get(st, "id").(string)] = true
	}
	got, text := c.ok("draw_model", obj{"models": file("login.json"), "format": "json", "path": steps})
	if num(got["steps"]) != n || num(get(got, "models", 0, "visited")) != len(visited) {
		t.Errorf("result %s, want %d steps, %d visited", short(got), n, len(visited))
	}
	var sc draw.Scene
	if err := json.Unmarshal([]byte(text), &sc); err != nil {
		t.Fatal(err)
	}
	m := sc.Models[0]
	total := 0
	for _, n := range m.Visits {
		total += n
	}
	last := get(steps, n-1, "id").(string)
	if total != n || m.Current < 0 || m.Current >= len(m.Vertices)+len(m.Edges) {
		t.Fatalf("visits %v, current %d", m.Visits, m.Current)
	}
	if id := elementID(m, m.Current); id != last {
		t.Errorf("current element %s, want the last step %s", id, last)
	}
	// Steps by name alone, and the SVG marks visits.
	_, svg := c.ok("draw_model", obj{"models": file("login.json"), "path": []obj{{"name": "e_Init"}, {"name": "v_ClientNotRunning"}}})
	if !strings.Contains(svg, "unvisited") || !strings.Contains(svg, "current") {
		t.Errorf("the SVG does not mark visits: %.300s", svg)
	}
}

func elementID(m draw.SceneModel, el int) string {
	if el < len(m.Vertices) {
		return m.Vertices[el].ID
	}
	return m.Edges[el-len(m.Vertices)].ID
}

// A draft is drawn as it is now.
func TestDrawModelDraft(t *testing.T) {
	c := newServer(t, mcp.Options{})
	d, _ := c.ok("create_draft", obj{"name": "Shop"})
	id := d["draft_id"]
	c.ok("add_vertex", obj{"draft_id": id, "expected_revision": 0, "name": "v_Cart"})
	_, text := c.ok("draw_model", obj{"models": []obj{{"draft_id": id}}})
	if !strings.Contains(text, "v_Cart") || !strings.Contains(text, "Shop") {
		t.Errorf("draft drawing: %.300s", text)
	}
}

// Bad input and limits are tool errors that say what to do.
func TestDrawModelErrors(t *testing.T) {
	c := newServer(t, mcp.Options{MaxElements: 20})
	for _, tc := range []struct {
		name string
		args obj
		want []string
	}{
		{"unknown format", obj{"models": file("login.json"), "format": "png"}, []string{"format", "svg", "json"}},
		{"unknown layout", obj{"models": file("login.json"), "layout": "circle"}, []string{"layout", "grid"}},
		{"broken model", obj{"models": file("broken.json")}, []string{"broken.json", "expected"}},
		{"too many elements", obj{"models": file("petClinic.json")}, []string{"--max-elements", "20"}},
		{"coordinates missing", obj{"models": file("login.json"), "layout": "coordinates"}, []string{"x and y", "another layout"}},
		{"unknown step id", obj{"models": file("login.json"), "path": []obj{{"id": "e0"}, {"id": "zz"}}}, []string{"path step 2", `"zz"`, "plan_path"}},
		{"unknown step name", obj{"models": file("login.json"), "path": []obj{{"name": "v_Nowhere"}}}, []string{"path step 1", "v_Nowhere"}},
		{"step of another model", obj{"models": file("login.json"), "path": []obj{{"model": "Other", "id": "e0"}}}, []string{"path step 1", `model "Other"`}},
		{"empty step", obj{"models": file("login.json"), "path": []obj{{"model": "Login"}}}, []string{"path step 1", "neither id nor name"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.on(t).fails("draw_model", tc.args, tc.want...)
		})
	}
	// A drawing too big for a reply names --max-message.
	newServer(t, mcp.Options{MaxMessageBytes: 8 << 10}).fails("draw_model", obj{"models": file("petClinic.json")},
		"drawing the models as SVG", "the drawing is over 2 KiB", "--max-message")
}
