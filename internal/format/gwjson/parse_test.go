package gwjson

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gw-project/gw/internal/model"
)

const ioDir = "testdata/models/upstream/io/json/"

func readDoc(t testing.TB, path string) *model.Document {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Parse(data, filepath.Base(path))
	if err != nil {
		t.Fatalf("Parse(%s): %v", path, err)
	}
	return doc
}

func parseString(t testing.TB, s string) *model.Document {
	t.Helper()
	doc, err := Parse([]byte(s), "t.json")
	if err != nil {
		t.Fatalf("Parse(%q): %v", s, err)
	}
	return doc
}

func vertexByName(t testing.TB, m *model.Model, name string) *model.Vertex {
	t.Helper()
	for _, v := range m.Vertices {
		if v.Name == name {
			return v
		}
	}
	t.Fatalf("no vertex %q", name)
	return nil
}

func edgeByID(t testing.TB, m *model.Model, id string) *model.Edge {
	t.Helper()
	for _, e := range m.Edges {
		if e.ID == id {
			return e
		}
	}
	t.Fatalf("no edge %q", id)
	return nil
}

func propOf(t testing.TB, p model.Properties, key string) any {
	t.Helper()
	v, ok := p.Get(key)
	if !ok {
		t.Fatalf("no property %q in %v", key, p)
	}
	return v
}

// JsonContextFactoryTest (core.md §10.2).
func TestSmallModel(t *testing.T) {
	doc := readDoc(t, ioDir+"SmallModel.json")
	if len(doc.Models) != 1 {
		t.Fatalf("models = %d", len(doc.Models))
	}
	m := doc.Models[0]
	if len(m.Vertices) != 2 || len(m.Edges) != 4 {
		t.Fatalf("got %dV/%dE, want 2V/4E", len(m.Vertices), len(m.Edges))
	}
	if v := vertexByName(t, m, "v_VerifySomeAction"); v.ID != "n0" {
		t.Errorf("v_VerifySomeAction id = %q", v.ID)
	}
	if v := vertexByName(t, m, "v_VerifySomeOtherAction"); v.ID != "n1" {
		t.Errorf("v_VerifySomeOtherAction id = %q", v.ID)
	}
	if m.Name != "Small model" || m.Generator != "random(edge_coverage(100))" || m.StartElementID != "e0" {
		t.Errorf("model = %q %q %q", m.Name, m.Generator, m.StartElementID)
	}
	if m.StartElement() != m.EdgeElement(m.Edges[0]) {
		t.Errorf("start element = %d", m.StartElement())
	}
	e0 := edgeByID(t, m, "e0")
	if e0.Source != nil || e0.Target != m.Vertices[0] {
		t.Errorf("e0 source/target = %v/%v", e0.Source, e0.Target)
	}
	e2 := edgeByID(t, m, "e2")
	if e2.Source != m.Vertices[1] || e2.Target != m.Vertices[1] {
		t.Errorf("e2 is not a self loop on n1")
	}
	if got := m.OutEdges(1); !slices.Equal(got, []int32{2, 3}) {
		t.Errorf("out edges of n1 = %v", got)
	}
	if doc.HasSeed {
		t.Errorf("unexpected seed")
	}
}

func TestUC01(t *testing.T) {
	m := readDoc(t, ioDir+"UC01.json").Models[0]
	if m.Name != "" {
		t.Errorf("name = %q, want none", m.Name)
	}
	if m.ID == "" {
		t.Errorf("model without id got no UUID")
	}
	if len(m.Vertices) != 7 || len(m.Edges) != 12 {
		t.Fatalf("got %dV/%dE, want 7V/12E", len(m.Vertices), len(m.Edges))
	}
	if r := vertexByName(t, m, "v_BaseURL").Requirements; !slices.Equal(r, []string{"UC01 2.2.1"}) {
		t.Errorf("v_BaseURL requirements = %q", r)
	}
	p := vertexByName(t, m, "v_BrowserStarted").Properties
	if len(p) != 1 || propOf(t, p, "color") != "yellow" {
		t.Errorf("v_BrowserStarted properties = %v", p)
	}
	e0 := edgeByID(t, m, "e0")
	if !slices.Equal(e0.Actions, []string{" num_of_books = 0;", " MAX_BOOKS = 5;"}) {
		t.Errorf("e0 actions = %q", e0.Actions)
	}
	if g := edgeByID(t, m, "e5").Guard; g != "num_of_books<=MAX_BOOKS" {
		t.Errorf("e5 guard = %q", g)
	}
	if n := len(m.ElementsNamed("e_SearchBook")); n != 4 {
		t.Errorf("e_SearchBook edges = %d", n)
	}
}

func TestDependencyModel(t *testing.T) {
	m := readDoc(t, ioDir+"DependencyModel.json").Models[0]
	want := []int{100, 100, 85, 15}
	for i, e := range m.Edges {
		if e.ID != "e"+string(rune('0'+i)) || e.Dependency != want[i] || e.Weight != 0 {
			t.Errorf("edge %d: id %s dependency %d weight %v", i, e.ID, e.Dependency, e.Weight)
		}
	}
}

func TestModelWithProperties(t *testing.T) {
	m := readDoc(t, ioDir+"ModelWithProperties.json").Models[0]
	if c := propOf(t, m.Properties, "color"); c != "grey" {
		t.Errorf("model color = %v", c)
	}
	if c := propOf(t, edgeByID(t, m, "e0").Properties, "color"); c != "green" {
		t.Errorf("e0 color = %v", c)
	}
	if c := propOf(t, m.Vertices[0].Properties, "color"); c != "yellow" || m.Vertices[0].ID != "n0" {
		t.Errorf("n0 color = %v", c)
	}
}

func TestPetClinic(t *testing.T) {
	doc := readDoc(t, ioDir+"petClinic.json")
	if len(doc.Models) != 5 {
		t.Fatalf("models = %d, want 5", len(doc.Models))
	}
	starts := 0
	for _, m := range doc.Models {
		if m.StartElementID != "" {
			starts++
		}
	}
	if starts != 1 {
		t.Errorf("models with a start element = %d, want 1", starts)
	}
	seeded := readDoc(t, ioDir+"petClinicWithSeed.json")
	if !seeded.HasSeed || seeded.Seed != 12345 || len(seeded.Models) != 5 {
		t.Errorf("seed = %v %d, models %d", seeded.HasSeed, seeded.Seed, len(seeded.Models))
	}
}

func TestPredefinedPath(t *testing.T) {
	m := readDoc(t, ioDir+"ModelWithPredefinedPath.json").Models[0]
	var ids []string
	for _, e := range m.PredefinedPath {
		ids = append(ids, e.ID)
		if e != edgeByID(t, m, e.ID) {
			t.Errorf("path edge %s is not the model's edge", e.ID)
		}
	}
	if want := []string{"e0", "e3", "e1", "e3", "e2"}; !slices.Equal(ids, want) {
		t.Errorf("path = %v, want %v", ids, want)
	}
}

func TestSuperLarge(t *testing.T) {
	m := readDoc(t, ioDir+"SuperLarge.json").Models[0]
	if len(m.Vertices) != 787 || len(m.Edges) != 1550 || m.StartElementID != "e931" {
		t.Errorf("got %dV/%dE start %s, want 787V/1550E start e931", len(m.Vertices), len(m.Edges), m.StartElementID)
	}
	if x := propOf(t, m.Vertices[0].Properties, "x"); x != 13540.144047619047 {
		t.Errorf("n0 x = %v", x)
	}
}

// Upstream graphwalker-java's Login.json names a vertex "Start" that does
// not exist: GraphWalker makes that edge a start edge, and so do we.
func TestUnknownSourceIsStartEdge(t *testing.T) {
	m := readDoc(t, "testdata/models/upstream/java/test/Login.json").Models[0]
	e0 := edgeByID(t, m, "e0")
	if e0.Source != nil || e0.Target == nil || e0.Target.ID != "n1" {
		t.Errorf("e0 source %v target %v", e0.Source, e0.Target)
	}
}

func TestEveryModelParses(t *testing.T) {
	bad := map[string]bool{"NonModel.json": true, "ModelWithPredefinedPath_unknown_edge.json": true}
	files, _ := filepath.Glob("testdata/models/*/*/*.json")
	more, _ := filepath.Glob("testdata/models/*/*/*/*.json")
	files = append(files, more...)
	if len(files) < 30 {
		t.Fatalf("only %d test models", len(files))
	}
	for _, f := range files {
		data, _ := os.ReadFile(f)
		doc, err := Parse(data, filepath.Base(f))
		if bad[filepath.Base(f)] {
			if err == nil {
				t.Errorf("%s: no error", f)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		for _, m := range doc.Models {
			for _, e := range m.Edges {
				if e.Target == nil {
					t.Errorf("%s: edge %s has no target", f, e.ID)
				}
			}
			m.OutEdges(0) // panics if not indexed
		}
	}
}

func TestStructureErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"NonModel.json", `{"name": "Non Model", "type": "value"}`,
			`NonModel.json: The json file is not a valid GraphWalker model(s) file (it has no "models" array)`},
		{"m.json", "", `m.json: The json file is not a valid GraphWalker model(s) file (the document is empty)`},
		{"m.json", "  null ", `m.json:1:3: The json file is not a valid GraphWalker model(s) file (the document is null)`},
		{"m.json", `{"models": null}`, `m.json:1:12: The json file is not a valid GraphWalker model(s) file ("models" is null)`},
		{"m.json", `{"models": [{"name": "M", "edges": [{"id": "e0"}], "predefinedPathEdgeIds": ["e0", "e9"]}]}`,
			`m.json:1:84: model "M": Edge with id "e9" could not be found in JsonModel`},
		{"m.json", "{\"models\": [{\"vertices\": [{\"id\": \"n0\"}],\n \"edges\": [{\"name\": \"e_A\", \"id\": \"e0\", \"targetVertexId\": \"n7\"}]}]}",
			`m.json:2:58: models[0] (unnamed model): edge "e_A" (id e0): targetVertexId "n7" is not the id of any vertex in the model`},
		{"m.json", `{"models": [{"name": "M", "edges": [{"targetVertexId": "x"}]}]}`,
			`m.json:1:56: model "M": edges[0]: targetVertexId "x" is not the id of any vertex in the model`},
		{"m.json", `{"models": [null]}`, `m.json:1:13: $.models[0]: a model must be an object, got null`},
		{"m.json", `{"models": [{"vertices": [{}, ,]}]}`, `m.json:1:31: $.models[0].vertices[1]: a vertex must be an object, got null`},
		{"m.json", `{"models": [{"edges": [1]}]}`, `m.json:1:24: $.models[0].edges[0]: expected an edge object, got a number`},
		{"m.json", `{"models": [{"predefinedPathEdgeIds": [null]}]}`, `m.json:1:40: $.models[0].predefinedPathEdgeIds[0]: null is not an edge id`},
		{"m.json", `{"models": [{"properties": {"a": 1, "a": 2}}]}`, `m.json:1:37: $.models[0].properties: duplicate property key "a"`},
		{"m.json", `{"models": [{"properties": [["a", 1], ["a", 2]]}]}`, `m.json:1:40: $.models[0].properties[1]: duplicate property key "a"`},
		{"m.json", `{"models": [{"properties": [["a", 1, 2]]}]}`, `m.json:1:38: $.models[0].properties[0]: expected ']' after a [key, value] pair, got a number`},
		{"m.json", `{"models": [{"name": {}}]}`, `m.json:1:22: $.models[0].name: expected a string, got an object`},
		{"m.json", `{"models": [{"actions": "x=1;"}]}`, `m.json:1:25: $.models[0].actions: expected an array of strings, got a string`},
		{"m.json", `{"models": [{"edges": [{"weight": true}]}]}`, `m.json:1:35: $.models[0].edges[0].weight: expected a number, got boolean true`},
		{"m.json", `{"models": [{"edges": [{"weight": "heavy"}]}]}`, `m.json:1:35: $.models[0].edges[0].weight: expected a finite number, got "heavy"`},
		{"m.json", `{"models": [{"edges": [{"weight": NaN}]}]}`, `m.json:1:35: $.models[0].edges[0].weight: expected a finite number, got "NaN"`},
		{"m.json", `{"models": [{"edges": [{"dependency": 1.5}]}]}`, `m.json:1:39: $.models[0].edges[0].dependency: expected an integer (32-bit), got "1.5"`},
		{"m.json", `{"models": [{"edges": [{"dependency": "2147483648"}]}]}`, `m.json:1:39: $.models[0].edges[0].dependency: expected an integer (32-bit), got "2147483648"`},
		{"m.json", `{"seed": 1.5, "models": []}`, `m.json:1:10: $.seed: expected an integer (64-bit), got "1.5"`},
		{"m.json", `{"models": [{"properties": {"x": 1e999}}]}`, `m.json:1:34: $.models[0].properties.x: number 1e999 is out of range`},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.in), tt.name)
		if err == nil {
			t.Errorf("Parse(%q): no error, want %s", tt.in, tt.want)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("Parse(%q):\n got %s\nwant %s", tt.in, err, tt.want)
		}
		var pe *Error
		if !errors.As(err, &pe) || pe.File != tt.name {
			t.Errorf("error %v is not an *Error for %s", err, tt.name)
		}
	}
}

func TestUnknownPredefinedEdgeFile(t *testing.T) {
	data, _ := os.ReadFile(ioDir + "ModelWithPredefinedPath_unknown_edge.json")
	_, err := Parse(data, "ModelWithPredefinedPath_unknown_edge.json")
	want := `ModelWithPredefinedPath_unknown_edge.json:43:63: model "Small model": Edge with id "e4" could not be found in JsonModel`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

func TestSyntaxErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"{\"models\": [\n  {\"name\": \"a\"]\n]}", `model.json:2:15: expected ',' or '}' after object member, got ']'`},
		{`{"models": [] x`, `model.json:1:15: expected ',' or '}' after object member, got a word (unquoted text)`},
		{`{"models": []} x`, `model.json:1:16: expected end of input after the JSON document, got a word (unquoted text)`},
		{`{"models": []} {}`, `model.json:1:16: expected end of input after the JSON document, got '{'`},
		{`{"models": [],}`, `model.json:1:15: expected a member name after ',', got '}' (trailing commas are not allowed in objects)`},
		{`{,"models": []}`, `model.json:1:2: expected a member name, got ','`},
		{`{"models" []}`, `model.json:1:11: expected ':' after the member name, got '['`},
		{`{"a": [1 2]}`, `model.json:1:10: expected ',' or ']' after array element, got a number`},
		{`{"models": [`, `model.json:1:13: unterminated array (expected a value or ']', got end of input)`},
		{`{"models": []`, `model.json:1:14: expected ',' or '}' after object member, got end of input`},
		{`{`, `model.json:1:2: unterminated object (expected a member name or '}', got end of input)`},
		{`{"models`, `model.json:1:2: unterminated string (no closing ")`},
		{`{"a": "b\x"}`, `model.json:1:9: invalid escape sequence '\x' (use \" \\ \/ \b \f \n \r \t or \uXXXX)`},
		{`{"a": "\u12"}`, `model.json:1:8: malformed \u escape (expected 4 hex digits)`},
		{`{"a": "\`, `model.json:1:8: unterminated escape sequence`},
		{`/* open`, `model.json:1:1: unterminated /* comment (no closing */)`},
		{`[]`, `model.json:1:1: expected '{' at the start of the document (a GraphWalker model file is an object with a "models" array), got '['`},
		{`{"a": }`, `model.json:1:7: expected a value, got '}'`},
		{`{"a": /x}`, `model.json:1:7: expected a value, got '/'`},
		{`{"a": b/c}`, `model.json:1:8: expected ',' or '}' after object member, got '/'`},
		{"{\"a\":\n\t\"é\" x}", `model.json:2:6: expected ',' or '}' after object member, got a word (unquoted text)`},
		{"{\"a\": 1}\f", "model.json:1:9: expected end of input after the JSON document, got a form feed"},
		{"{\"a\": 1}\r\n\r\n  x", `model.json:3:3: expected end of input after the JSON document, got a word (unquoted text)`},
		{strings.Repeat("[", 5) + "", "model.json:1:1: expected '{' at the start of the document (a GraphWalker model file is an object with a \"models\" array), got '['"},
		{`{"a":` + strings.Repeat("[", 1001), `model.json:1:1005: nesting deeper than 1000 levels`},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.in), "model.json")
		if err == nil {
			t.Errorf("Parse(%q): no error", tt.in)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("Parse(%q):\n got %s\nwant %s", tt.in, err, tt.want)
		}
	}
}

// Gson LENIENT syntax (core.md §8.2, protocol.md §0.3).
func TestLenient(t *testing.T) {
	const body = `"vertices": [{"id": "n0"}], "edges": [{"id": "e0", "targetVertexId": "n0"}]`
	tests := []struct {
		name, in string
		check    func(t *testing.T, d *model.Document)
	}{
		{"comments", "// line\n/* block\n */ # hash\n{\"models\": [ /* c */ {\"name\": \"A\", # x\n" + body + "}]} // end\n",
			func(t *testing.T, d *model.Document) { eq(t, d.Models[0].Name, "A") }},
		{"unquoted", `{models: [{name: Small_1, id: m-1, generator: random(edge_coverage(100)),` + body + `}]}`,
			func(t *testing.T, d *model.Document) {
				m := d.Models[0]
				eq(t, m.Name, "Small_1")
				eq(t, m.ID, "m-1")
				eq(t, m.Generator, "random(edge_coverage(100))") // parentheses are literal characters
			}},
		{"single quotes escaped", `{'models': [{'name': 'it\'s', 'vertices': [{'id': 'n0', 'name': 'say "hi"'}]}]}`,
			func(t *testing.T, d *model.Document) {
				eq(t, d.Models[0].Name, "it's")
				eq(t, d.Models[0].Vertices[0].Name, `say "hi"`)
			}},
		{"separators", `{"models" = [{"name" => "A"; ` + body + `}]}`,
			func(t *testing.T, d *model.Document) { eq(t, d.Models[0].Name, "A") }},
		{"numeric strings", `{"seed": "42", "models": [{"vertices": [{"id": "n0"}], "edges": [
			{"id": "a", "targetVertexId": "n0", "weight": "0.5", "dependency": "85"},
			{"id": "b", "targetVertexId": "n0", "weight": " 1e2 ", "dependency": 1e2},
			{"id": "c", "targetVertexId": "n0", "weight": 01, "dependency": "100.0"},
			{"id": "d", "targetVertexId": "n0", "weight": null, "dependency": null},
			{"id": "e", "targetVertexId": "n0", "weight": "2.5d", "dependency": -3}]}]}`,
			func(t *testing.T, d *model.Document) {
				if !d.HasSeed || d.Seed != 42 {
					t.Errorf("seed %v %d", d.HasSeed, d.Seed)
				}
				var w []float64
				var dep []int
				for _, e := range d.Models[0].Edges {
					w, dep = append(w, e.Weight), append(dep, e.Dependency)
				}
				if !slices.Equal(w, []float64{0.5, 100, 1, 0, 2.5}) || !slices.Equal(dep, []int{85, 100, 100, 0, -3}) {
					t.Errorf("weights %v dependencies %v", w, dep)
				}
			}},
		{"strings from scalars", `{"models": [{"name": 1.50, "id": TRUE, "generator": false, "startElementId": -0}]}`,
			func(t *testing.T, d *model.Document) {
				m := d.Models[0]
				eq(t, m.Name, "1.50")
				eq(t, m.ID, "true")
				eq(t, m.Generator, "false")
				eq(t, m.StartElementID, "-0")
			}},
		{"null fields", `{"models": [{"name": null, "actions": null, "vertices": null, "edges": null, "properties": null}]}`,
			func(t *testing.T, d *model.Document) {
				m := d.Models[0]
				if m.Name != "" || m.Actions != nil || m.Vertices != nil || m.Properties != nil {
					t.Errorf("model %+v", m)
				}
			}},
		{"null list entries dropped", `{"models": [{"actions": ["a",, null, "b",]}]}`,
			func(t *testing.T, d *model.Document) { sliceEq(t, d.Models[0].Actions, []string{"a", "b"}) }},
		{"unknown fields", `{"name": "doc", "type": {"deep": [1, {"x": 'y'}]}, "models": [{"extra": [[]], "vertices": [{"id": "n0", "x": 1}]}]}`,
			func(t *testing.T, d *model.Document) { eq(t, d.Models[0].Vertices[0].ID, "n0") }},
		{"escapes", `{"models": [{"name": "a\u003db\/c\ud83d\ude00\ud800\t\"\\'"}]}`,
			func(t *testing.T, d *model.Document) { eq(t, d.Models[0].Name, "a=b/c😀\uFFFD\t\"\\'") }},
		{"file line breaks in strings vanish", "{\"models\": [{\"name\": \"multi\r\nline\nname\"}]}",
			func(t *testing.T, d *model.Document) { eq(t, d.Models[0].Name, "multilinename") }},
		{"BOM", "\xef\xbb\xbf{\"models\": []}",
			func(t *testing.T, d *model.Document) { eq(t, len(d.Models), 0) }},
		{"invalid UTF-8", "{\"models\": [{\"name\": \"a\xffb\", \"id\": x\xfe}]}",
			func(t *testing.T, d *model.Document) {
				eq(t, d.Models[0].Name, "a\uFFFDb")
				eq(t, d.Models[0].ID, "x\uFFFD")
			}},
		{"duplicate fields: last wins", `{"models": [{"name": "A", "name": "B", "actions": ["1"], "actions": ["2"]}], "models": [{"name": "C"}]}`,
			func(t *testing.T, d *model.Document) {
				eq(t, len(d.Models), 1)
				eq(t, d.Models[0].Name, "C")
			}},
		{"properties", `{"models": [{"properties": {"n": 1, "b": true, "s": "x", "u": bare, "z": 01, "nil": null,
			"o": {"k": [1, "a", false, null, {"q": 2}], "k": "last"}, "arr": [1,, 2,]}}]}`,
			func(t *testing.T, d *model.Document) {
				p := d.Models[0].Properties
				keys := []string{}
				for _, kv := range p {
					keys = append(keys, kv.Key)
				}
				sliceEq(t, keys, []string{"n", "b", "s", "u", "z", "nil", "o", "arr"})
				eq(t, propOf(t, p, "n"), any(1.0))
				eq(t, propOf(t, p, "b"), any(true))
				eq(t, propOf(t, p, "u"), any("bare"))
				eq(t, propOf(t, p, "z"), any("01")) // not a JSON number: a string, as in Gson
				eq(t, propOf(t, p, "nil"), nil)
				o := propOf(t, p, "o").(model.Properties)
				eq(t, len(o), 1)
				eq(t, propOf(t, o, "k"), any("last"))
				arr := propOf(t, p, "arr").([]any)
				if !slices.Equal(arr, []any{1.0, nil, 2.0, nil}) {
					t.Errorf("arr = %v", arr)
				}
			}},
		{"properties as pairs", `{"models": [{"properties": [["k", "v"], ["n", 1], [flag, true]], "vertices": [{"id": "n0", "properties": []}]}]}`,
			func(t *testing.T, d *model.Document) {
				p := d.Models[0].Properties
				eq(t, len(p), 3)
				eq(t, propOf(t, p, "k"), any("v"))
				eq(t, propOf(t, p, "n"), any(1.0))
				eq(t, propOf(t, p, "flag"), any(true))
				if vp := d.Models[0].Vertices[0].Properties; vp == nil || len(vp) != 0 {
					t.Errorf("vertex properties %v", vp)
				}
			}},
		{"many property keys", `{"models": [{"properties": {"o": {` + manyKeys(40) + `}}}]}`,
			func(t *testing.T, d *model.Document) {
				p := propOf(t, d.Models[0].Properties, "o").(model.Properties)
				eq(t, len(p), 40)
				eq(t, propOf(t, p, "k7"), any(2.0)) // repeated key: first position, last value
				eq(t, p[7].Key, "k7")
			}},
		{"model requirements are read", `{"models": [{"requirements": ["R1", "R2"]}]}`,
			func(t *testing.T, d *model.Document) { sliceEq(t, d.Models[0].Requirements, []string{"R1", "R2"}) }},
		{"vertex without id", `{"models": [{"vertices": [{"name": "a"}, {"name": "b", "id": ""}], "edges": [{"id": "e", "sourceVertexId": "", "targetVertexId": null}]}]}`,
			func(t *testing.T, d *model.Document) {
				m := d.Models[0]
				if m.Vertices[0].ID == "" || m.Vertices[1].ID == "" || m.Vertices[0].ID == m.Vertices[1].ID {
					t.Errorf("ids %q %q", m.Vertices[0].ID, m.Vertices[1].ID)
				}
				if m.Edges[0].Source != nil || m.Edges[0].Target != nil {
					t.Errorf("edge linked")
				}
			}},
		{"duplicate vertex ids: last wins", `{"models": [{"vertices": [{"id": "n", "name": "first"}, {"id": "n", "name": "last"}], "edges": [{"id": "e", "sourceVertexId": "n", "targetVertexId": "n"}]}]}`,
			func(t *testing.T, d *model.Document) {
				e := d.Models[0].Edges[0]
				eq(t, e.Source.Name, "last")
				eq(t, e.Target.Name, "last")
			}},
		{"predefined path takes the first edge with the id", `{"models": [{"vertices": [{"id": "n"}], "edges": [{"id": "e", "name": "first", "targetVertexId": "n"}, {"id": "e", "name": "second", "targetVertexId": "n"}], "predefinedPathEdgeIds": ["e", "e"]}]}`,
			func(t *testing.T, d *model.Document) {
				p := d.Models[0].PredefinedPath
				eq(t, len(p), 2)
				eq(t, p[0].Name, "first")
				eq(t, p[1].Name, "first")
			}},
		{"edges before vertices", `{"models": [{"edges": [{"id": "e", "sourceVertexId": "a", "targetVertexId": "b"}], "vertices": [{"id": "a"}, {"id": "b"}]}]}`,
			func(t *testing.T, d *model.Document) {
				e := d.Models[0].Edges[0]
				eq(t, e.Source.ID, "a")
				eq(t, e.Target.ID, "b")
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := parseString(t, tt.in)
			if tt.check != nil {
				tt.check(t, d)
			}
		})
	}
}

func manyKeys(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`"k` + itoa(i) + `": 1`)
	}
	b.WriteString(`, "k7": 2`)
	return b.String()
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

func eq[T comparable](t *testing.T, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("got %#v, want %#v", got, want)
	}
}

func sliceEq(t *testing.T, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// A message payload keeps raw line breaks in strings; a file drops them.
func TestParseMessageKeepsLineBreaks(t *testing.T) {
	in := []byte("{\"models\": [{\"actions\": [\"a=1;\nb=2;\"]}]}")
	doc, err := ParseMessage(in, "gw")
	if err != nil {
		t.Fatal(err)
	}
	sliceEq(t, doc.Models[0].Actions, []string{"a=1;\nb=2;"})
	doc = parseString(t, string(in))
	sliceEq(t, doc.Models[0].Actions, []string{"a=1;b=2;"})
}
