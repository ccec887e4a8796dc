package draw

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gw-project/gw/internal/format/dot"
	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/format/yed"
	"github.com/gw-project/gw/internal/golden"
	"github.com/gw-project/gw/internal/layout"
	"github.com/gw-project/gw/internal/limits"
	"github.com/gw-project/gw/internal/model"
)

func readModels(t testing.TB, path string) []*model.Model {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	switch filepath.Ext(path) {
	case ".json":
		doc, err := gwjson.Parse(data, path)
		if err != nil {
			t.Fatal(err)
		}
		return doc.Models
	case ".graphml":
		m, err := yed.Read(bytes.NewReader(data), strings.TrimSuffix(filepath.Base(path), ".graphml"))
		if err != nil {
			t.Fatal(err)
		}
		return []*model.Model{m}
	case ".dot":
		ms, err := dot.ReadAll(bytes.NewReader(data), path)
		if err != nil {
			t.Fatal(err)
		}
		return ms
	}
	t.Fatalf("%s: unknown format", path)
	return nil
}

func readPath(t testing.TB, path string, models []*model.Model) *Visits {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v, err := ReadPath(f, path, models, PathOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// checkSVG parses the whole document and returns how many vertex and edge
// groups it has, and the classes of each element id.
func checkSVG(t *testing.T, svg []byte) (classes map[string]string) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(svg))
	classes = map[string]string{}
	root := ""
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if root == "" {
				root = se.Name.Local
				if se.Name.Space != "http://www.w3.org/2000/svg" {
					t.Errorf("root namespace %q", se.Name.Space)
				}
			}
			var id, class string
			for _, a := range se.Attr {
				switch a.Name.Local {
				case "id":
					id = a.Value
				case "class":
					class = a.Value
				case "href":
					t.Errorf("external reference %q", a.Value)
				}
			}
			if id != "" {
				if _, dup := classes[id]; dup {
					t.Errorf("id %q twice", id)
				}
				classes[id] = class
			}
		}
	}
	if root != "svg" {
		t.Fatalf("root element %q", root)
	}
	return classes
}

type drawCase struct {
	name   string
	models []string
	path   string
	o      layout.Options
}

var drawCases = []drawCase{
	{name: "Login-coordinates", models: []string{"Login.json"}},
	{name: "Login-layered", models: []string{"Login.json"}, o: layout.Options{Engine: layout.Layered}},
	{name: "Login-graphml", models: []string{"Login.graphml"}},
	{name: "Login-dot", models: []string{"Login.dot"}},
	{name: "blocked", models: []string{"graphWithBlockedElements.json"}},
	{name: "petClinic", models: []string{"petClinic.json"}},
	{name: "two-files-grid", models: []string{"SmallModel.json", "Login.dot"}, o: layout.Options{Engine: layout.Grid}},
	{name: "Login-visits", models: []string{"Login.json"}, path: "Login.path.jsonl"},
	{name: "petClinic-visits", models: []string{"petClinic.json"}, path: "petClinic.verbose.jsonl"},
}

func (c drawCase) scene(t *testing.T) (*Scene, []*model.Model) {
	var models []*model.Model
	for _, f := range c.models {
		models = append(models, readModels(t, "testdata/"+f)...)
	}
	for i, m := range models {
		m.ID = fmt.Sprintf("model-%d", i) // not the random id of a model without one
	}
	var v *Visits
	if c.path != "" {
		v = readPath(t, "testdata/"+c.path, models)
	}
	s, err := NewScene(models, c.o, v)
	if err != nil {
		t.Fatal(err)
	}
	return s, models
}

func TestGolden(t *testing.T) {
	for _, c := range drawCases {
		t.Run(c.name, func(t *testing.T) {
			s, models := c.scene(t)
			var svg, js bytes.Buffer
			if err := s.WriteSVG(&svg); err != nil {
				t.Fatal(err)
			}
			if err := s.WriteJSON(&js); err != nil {
				t.Fatal(err)
			}
			classes := checkSVG(t, svg.Bytes())
			for mi, m := range models {
				for i := range m.Vertices {
					if _, ok := classes[vid(mi, i)]; !ok {
						t.Errorf("no group for vertex %s", vid(mi, i))
					}
				}
			}
			var back Scene
			if err := json.Unmarshal(js.Bytes(), &back); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(&back, s) {
				t.Error("the JSON does not read back as the scene")
			}
			golden.Check(t, "testdata/golden/"+c.name+".svg", svg.Bytes())
			golden.Check(t, "testdata/golden/"+c.name+".json", js.Bytes())
		})
	}
}

func vid(mi, i int) string { return "m" + itoa(mi) + "-v" + itoa(i) }
func eid(mi, j int) string { return "m" + itoa(mi) + "-e" + itoa(j) }

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

// TestMarks checks what the picture says of each element: start, shared,
// blocked, unvisited, visited, current.
func TestMarks(t *testing.T) {
	c := drawCase{models: []string{"Login.json"}, path: "Login.path.jsonl"}
	s, models := c.scene(t)
	m := models[0]
	var svg bytes.Buffer
	if err := s.WriteSVG(&svg); err != nil {
		t.Fatal(err)
	}
	classes := checkSVG(t, svg.Bytes())
	v := readPath(t, "testdata/Login.path.jsonl", models)
	for el := range m.NumElements() {
		id := vid(0, el)
		if m.IsEdge(el) {
			id = eid(0, el-len(m.Vertices))
		}
		cl := " " + classes[id] + " "
		count := v.Counts[0][el]
		switch {
		case count == 0 && !strings.Contains(cl, " unvisited "):
			t.Errorf("%s visited 0 times, classes %q", id, cl)
		case count > 0 && !strings.Contains(cl, " visited "):
			t.Errorf("%s visited %d times, classes %q", id, count, cl)
		}
		if cur := v.Current.Element == el; cur != strings.Contains(cl, " current ") {
			t.Errorf("%s current=%v, classes %q", id, cur, cl)
		}
		if start := m.StartElement() == el; start != strings.Contains(cl, " start ") {
			t.Errorf("%s start=%v, classes %q", id, start, cl)
		}
		if m.IsVertex(el) && (m.Vertices[el].SharedState != "") != strings.Contains(cl, " shared ") {
			t.Errorf("%s shared %q, classes %q", id, m.Vertices[el].SharedState, cl)
		}
	}
	if v.Steps != 32 || v.Guessed != 0 {
		t.Errorf("%d steps, %d guessed", v.Steps, v.Guessed)
	}

	b := drawCase{models: []string{"graphWithBlockedElements.json"}}
	s, models = b.scene(t)
	svg.Reset()
	if err := s.WriteSVG(&svg); err != nil {
		t.Fatal(err)
	}
	classes = checkSVG(t, svg.Bytes())
	blocked := 0
	for i, vx := range models[0].Vertices {
		if vx.Properties.IsBlocked() {
			blocked++
			if !strings.Contains(classes[vid(0, i)], "blocked") {
				t.Errorf("blocked vertex %s: classes %q", vx.Name, classes[vid(0, i)])
			}
		}
	}
	if blocked == 0 {
		t.Fatal("no blocked vertex in the test model")
	}
}

// TestNamesAgreeWithIDs: a path of names counts as the verbose path of
// ids wherever names tell; where they cannot (a walk passing through
// several models' vertices of one shared state, all named alike) the steps
// are counted as guessed.
func TestNamesAgreeWithIDs(t *testing.T) {
	models := readModels(t, "testdata/petClinic.json")
	byID := readPath(t, "testdata/petClinic.verbose.jsonl", models)
	byName := readPath(t, "testdata/petClinic.path.jsonl", models)
	if byID.Steps != 300 || byName.Steps != 300 {
		t.Fatalf("%d and %d steps", byID.Steps, byName.Steps)
	}
	if byID.Guessed != 0 || byName.Guessed == 0 || byName.Guessed > 100 {
		t.Errorf("guessed %d by id, %d by name", byID.Guessed, byName.Guessed)
	}
	names := map[string]int{}
	for _, m := range models {
		for el := range m.NumElements() {
			names[m.ElementName(el)]++
		}
	}
	same := 0
	for mi, m := range models {
		for el := range m.NumElements() {
			if names[m.ElementName(el)] > 1 {
				continue
			}
			same++
			if a, b := byID.Counts[mi][el], byName.Counts[mi][el]; a != b {
				t.Errorf("%s: %d visits by id, %d by name", m.Describe(el), a, b)
			}
		}
	}
	if same < 10 {
		t.Errorf("only %d elements with unique names compared", same)
	}
	// Login has two edges e_StartClient out of one vertex: the next step
	// (their targets differ) tells which one was taken.
	login := readModels(t, "testdata/Login.json")
	v := readPath(t, "testdata/Login.path.jsonl", login)
	if v.Guessed != 0 {
		t.Errorf("Login: %d steps guessed", v.Guessed)
	}
}

func TestReadPathErrors(t *testing.T) {
	models := readModels(t, "testdata/Login.json")
	tests := []struct {
		name, in, err string
		max           int
	}{
		{"not JSON", "{\"currentElementName\":\"e_Init\"}\nhello\n", `p.jsonl:2: not a step of gw offline (a JSON object with currentElementName): "hello"`, 0},
		{"unknown name", `{"currentElementName":"e_Nope"}`, `p.jsonl:1: no element is named "e_Nope" in the models drawn`, 0},
		{"unknown id", `{"currentElementName":"e_Init","currentElementID":"zz"}`, `p.jsonl:1: no element has id "zz" in the models drawn`, 0},
		{"other model", `{"modelName":"Other","currentElementName":"e_Init"}`, `p.jsonl:1: no element is named "e_Init" (model "Other") in the models drawn`, 0},
		{"no element", `{"data":[]}`, `p.jsonl:1: the step has neither currentElementID nor currentElementName`, 0},
		{"long line", `{"currentElementName":"` + strings.Repeat("x", 3000) + `"}`, `p.jsonl:1: line too long: path lines are at most 1 KiB (raise it with --max-path-line)`, 1024},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadPath(strings.NewReader(tt.in), "p.jsonl", models, PathOptions{MaxLine: tt.max, LineFlag: "--max-path-line"})
			if err == nil || !strings.HasPrefix(err.Error(), tt.err) {
				t.Fatalf("error %v\nwant %s", err, tt.err)
			}
			var pe *PathError
			if !errors.As(err, &pe) {
				t.Errorf("%T is not a *PathError", err)
			}
			if long := tt.name == "long line"; long != limits.Is(err, limits.ErrSize) {
				t.Errorf("%v: a size limit: %v", err, !long)
			}
		})
	}
	// Blank lines, CRLF and a last line without a newline are fine.
	v, err := ReadPath(strings.NewReader("\n{\"currentElementName\":\"e_Init\"}\r\n\n  \n{\"currentElementName\":\"v_ClientNotRunning\"}"), "p", models, PathOptions{})
	if err != nil || v.Steps != 2 {
		t.Fatalf("%v, %+v", err, v)
	}
	m := models[0]
	if cur := v.Current; cur.Model != 0 || m.ElementName(cur.Element) != "v_ClientNotRunning" {
		t.Errorf("current %+v", cur)
	}
	if _, err := ReadPath(strings.NewReader(""), "p", models, PathOptions{}); err != nil {
		t.Errorf("empty path: %v", err)
	}
}

func TestSceneLimits(t *testing.T) {
	models := readModels(t, "testdata/Login.json")
	_, err := NewScene(models, layout.Options{MaxElements: 5, ElementsFlag: "--max-draw-elements"}, nil)
	if !limits.Is(err, limits.ErrSize) || !strings.Contains(err.Error(), "--max-draw-elements") {
		t.Fatalf("error %v", err)
	}
	if _, err := NewScene(models, layout.Options{}, NewVisits(append(models, models...))); err == nil {
		t.Error("visits of other models accepted")
	}
}

// TestHostileText: names with markup, control characters and invalid UTF-8
// still make well-formed SVG.
func TestHostileText(t *testing.T) {
	m := &model.Model{Name: `<script>alert(1)</script>`, ID: `"&'`}
	a := &model.Vertex{ID: "a\x00", Name: "v_<b>&amp;\x01\xff", SharedState: `"]]>`}
	b := &model.Vertex{ID: "b", Name: strings.Repeat("W", 500)}
	m.Vertices = []*model.Vertex{a, b}
	m.Edges = []*model.Edge{{ID: "e", Name: "e_\"x\"", Source: a, Target: b, Guard: "x < 1 && y > 2", Actions: []string{"s = '</title>';"}}}
	if err := m.Index(); err != nil {
		t.Fatal(err)
	}
	s, err := NewScene([]*model.Model{m}, layout.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var svg bytes.Buffer
	if err := s.WriteSVG(&svg); err != nil {
		t.Fatal(err)
	}
	checkSVG(t, svg.Bytes())
	if bytes.Contains(svg.Bytes(), []byte("<script")) || bytes.Contains(svg.Bytes(), []byte("<b>")) {
		t.Error("markup from names reached the SVG")
	}
	if got := s.Models[0].Vertices[1].Label; len([]rune(got)) != layout.MaxLabelRunes+1 {
		t.Errorf("label of a 500-character name: %d runes", len([]rune(got)))
	}
}

type failWriter struct{ n int }

func (f *failWriter) Write(p []byte) (int, error) {
	if f.n -= len(p); f.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestWriteErrors(t *testing.T) {
	s, _ := drawCase{models: []string{"petClinic.json"}}.scene(t)
	if err := s.WriteSVG(&failWriter{n: 100}); err == nil || err.Error() != "disk full" {
		t.Errorf("WriteSVG: %v", err)
	}
	if err := s.WriteJSON(&failWriter{n: 100}); err == nil {
		t.Error("WriteJSON: no error")
	}
}

func TestVisitColour(t *testing.T) {
	for _, tt := range []struct {
		count, max int
		edge       bool
		want       string
		dark       bool
	}{
		{1, 1, false, "#c7e9c0", false},
		{1, 100, false, "#c7e9c0", false},
		{100, 100, false, "#006d2c", true},
		{10, 100, false, "#64ab76", false},
		{1, 1, true, "#81be8c", false},
		{100, 100, true, "#006d2c", true},
	} {
		c, dark := VisitColour(tt.count, tt.max, tt.edge)
		if c != tt.want || dark != tt.dark {
			t.Errorf("VisitColour(%d, %d, %v) = %s %v, want %s %v", tt.count, tt.max, tt.edge, c, dark, tt.want, tt.dark)
		}
	}
}
