package gwjson

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gw-project/gw/internal/golden"
	"github.com/gw-project/gw/internal/model"
)

// Values checked against Double.toString of OpenJDK; where JDK 17 prints a
// longer form (1e23 as 9.999999999999999E22) we follow JDK 19+, whose
// shortest form is what the spec names.
func TestAppendJavaDouble(t *testing.T) {
	tenth := 0.1
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0.0"}, {math.Copysign(0, -1), "-0.0"}, {0.5, "0.5"}, {100, "100.0"}, {1, "1.0"},
		{1e10, "1.0E10"}, {1e7, "1.0E7"}, {9999999, "9999999.0"}, {0.001, "0.001"},
		{0.0001, "1.0E-4"}, {1e-5, "1.0E-5"}, {123456789012, "1.23456789012E11"},
		{241.875, "241.875"}, {4.9e-324, "4.9E-324"}, {1e-323, "9.9E-324"}, // JDK 17: 1.0E-323
		{1.5e-323, "1.5E-323"},
		{math.MaxFloat64, "1.7976931348623157E308"}, {2.2250738585072014e-308, "2.2250738585072014E-308"},
		{tenth + 2*tenth, "0.30000000000000004"}, {-1.5, "-1.5"}, {12345678.9, "1.23456789E7"},
		{1e22, "1.0E22"}, {1e21, "1.0E21"}, {0.3, "0.3"}, {2.0 / 3, "0.6666666666666666"},
		{100.25, "100.25"}, {1e290, "1.0E290"}, {13540.144047619047, "13540.144047619047"},
		{-7.177954024419188, "-7.177954024419188"}, {1e23, "1.0E23"}, {1234567.125, "1234567.125"},
	}
	for _, tt := range tests {
		if got := string(AppendJavaDouble(nil, tt.in)); got != tt.want {
			t.Errorf("AppendJavaDouble(%v) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestAppendString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"x=0;", `"x\u003d0;"`},
		{`<a href='b'>&</a>`, `"\u003ca href\u003d\u0027b\u0027\u003e\u0026\u003c/a\u003e"`},
		{"q\"b\\s/", `"q\"b\\s/"`},
		{"\t\b\n\r\f\x00\x1f\x7f", `"\t\b\n\r\f\u0000\u001f` + "\x7f\""},
		{"é😀\u2028\u2029\u0080", "\"é😀\\u2028\\u2029\u0080\""},
		{"bad\xffutf8", "\"bad\uFFFDutf8\""},
	}
	for _, tt := range tests {
		if got := string(appendString(nil, tt.in)); got != tt.want {
			t.Errorf("appendString(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestWriteShape(t *testing.T) {
	n0 := &model.Vertex{ID: "n0", Name: "v_A", SharedState: "S", Actions: []string{"a=1;"}, Requirements: []string{"R1"},
		Properties: model.Properties{{Key: "x", Value: 1.0}, {Key: "nil", Value: nil}, {Key: "o", Value: model.Properties{{Key: "k", Value: []any{1, "s", true, nil}}}}}}
	n1 := &model.Vertex{ID: "n1"}
	e0 := &model.Edge{ID: "e0", Name: "e_S", Target: n0, Weight: 0.5, Dependency: 85}
	e1 := &model.Edge{ID: "e1", Source: n0, Target: n1, Guard: "x<1", Actions: []string{"x++;"}, Requirements: []string{"R2"},
		Properties: model.Properties{{Key: "blocked", Value: false}}}
	m := &model.Model{ID: "m", Name: "M", Generator: "RandomPath(EdgeCoverage(100))", StartElementID: "e0",
		Actions: []string{"x=0;"}, Requirements: []string{"MR"}, Properties: model.Properties{{Key: "color", Value: "grey"}},
		Vertices: []*model.Vertex{n0, n1}, Edges: []*model.Edge{e0, e1}, PredefinedPath: []*model.Edge{e0, e1, e1}}
	if err := m.Index(); err != nil {
		t.Fatal(err)
	}
	got, err := Marshal([]*model.Model{m}, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"models":[{"name":"M","id":"m","generator":"RandomPath(EdgeCoverage(100))","startElementId":"e0",` +
		`"actions":["x\u003d0;"],"requirements":["MR"],"properties":{"color":"grey"},` +
		`"vertices":[{"id":"n0","name":"v_A","sharedState":"S","actions":["a\u003d1;"],"requirements":["R1"],` +
		`"properties":{"x":1.0,"o":{"k":[1.0,"s",true,null]}}},{"id":"n1"}],` +
		`"edges":[{"id":"e0","name":"e_S","weight":0.5,"dependency":85,"targetVertexId":"n0"},` +
		`{"id":"e1","guard":"x\u003c1","actions":["x++;"],"requirements":["R2"],"properties":{"blocked":false},` +
		`"weight":0.0,"dependency":0,"sourceVertexId":"n0","targetVertexId":"n1"}],` +
		`"predefinedPathEdgeIds":["e0","e1","e1"]}]}`
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	doc, err := Parse(got, "out.json")
	if err != nil {
		t.Fatal(err)
	}
	n0.Properties.Delete("nil") // Gson leaves null map values out
	if a, b := dumpModel(m), dumpModel(doc.Models[0]); a != b {
		t.Errorf("round trip differs:\n%s\n%s", a, b)
	}

	var buf bytes.Buffer
	m2 := &model.Model{ID: "x"}
	if err := Write(&buf, []*model.Model{m2}, WriteOptions{EmptyModelName: true}); err != nil {
		t.Fatal(err)
	}
	if s := buf.String(); s != `{"models":[{"name":"","id":"x","vertices":[],"edges":[]}]}` {
		t.Errorf("EmptyModelName: %s", s)
	}
	if s, _ := Marshal(nil, WriteOptions{}); string(s) != "{}" {
		t.Errorf("no models: %s", s)
	}
}

func TestWriteErrors(t *testing.T) {
	v := &model.Vertex{ID: "n"}
	tests := []struct {
		m    *model.Model
		want string
	}{
		{&model.Model{Name: "M", Vertices: []*model.Vertex{v}, Edges: []*model.Edge{{ID: "e", Target: v, Weight: math.NaN()}}},
			`model "M": edge (id e): weight NaN cannot be written as JSON`},
		{&model.Model{Name: "M", Properties: model.Properties{{Key: "k", Value: math.Inf(1)}}},
			`model "M": properties: "k": +Inf cannot be written as JSON`},
		{&model.Model{Name: "M", Vertices: []*model.Vertex{{ID: "n", Name: "v", Properties: model.Properties{{Key: "k", Value: struct{}{}}}}}},
			`model "M": vertex "v" (id n): "k": cannot write a property value of type struct {}`},
	}
	for _, tt := range tests {
		_, err := Marshal([]*model.Model{tt.m}, WriteOptions{})
		if err == nil || err.Error() != tt.want {
			t.Errorf("got %v, want %s", err, tt.want)
		}
	}
}

// dumpModel renders everything Parse reads, for round-trip comparison.
func dumpModel(m *model.Model) string {
	var b strings.Builder
	fmt.Fprintf(&b, "model %q %q %q %q %q %q %v\n", m.ID, m.Name, m.Generator, m.StartElementID, m.Actions, m.Requirements, m.Properties)
	for _, v := range m.Vertices {
		fmt.Fprintf(&b, "v %q %q %q %q %q %v\n", v.ID, v.Name, v.SharedState, v.Actions, v.Requirements, v.Properties)
	}
	id := func(v *model.Vertex) string {
		if v == nil {
			return "<nil>"
		}
		return v.ID
	}
	for _, e := range m.Edges {
		fmt.Fprintf(&b, "e %q %q %s %s %q %q %q %v %v %d\n", e.ID, e.Name, id(e.Source), id(e.Target), e.Guard, e.Actions, e.Requirements, e.Properties, e.Weight, e.Dependency)
	}
	for _, e := range m.PredefinedPath {
		fmt.Fprintf(&b, "p %q\n", e.ID)
	}
	return b.String()
}

func modelFiles(t testing.TB) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir("testdata/models", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".json") {
			files = append(files, p)
		}
		return err
	})
	if err != nil || len(files) == 0 {
		t.Fatalf("no test models: %v", err)
	}
	return files
}

// stableIDs replaces the random ids Parse generated (those not in the
// source) so that output is reproducible.
func stableIDs(data []byte, doc *model.Document) {
	n := 0
	fix := func(id *string) {
		if !bytes.Contains(data, []byte(`"`+*id+`"`)) {
			n++
			*id = fmt.Sprintf("generated-%d", n)
		}
	}
	for _, m := range doc.Models {
		fix(&m.ID)
		for _, v := range m.Vertices {
			fix(&v.ID)
		}
		for _, e := range m.Edges {
			fix(&e.ID)
		}
	}
}

// Every test model is written (golden file), read back to an equal model,
// and written again to the same bytes.
func TestGoldenAndRoundTrip(t *testing.T) {
	for _, f := range modelFiles(t) {
		data, _ := os.ReadFile(f)
		doc, err := Parse(data, filepath.Base(f))
		if err != nil {
			continue // the negative fixtures
		}
		stableIDs(data, doc)
		out, err := Marshal(doc.Models, WriteOptions{})
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		golden.Check(t, filepath.Join("testdata/golden", strings.TrimPrefix(f, "testdata/models/")), out)

		doc2, err := Parse(out, "written.json")
		if err != nil {
			t.Errorf("%s: reading the written model: %v", f, err)
			continue
		}
		if doc2.HasSeed || len(doc2.Models) != len(doc.Models) {
			t.Errorf("%s: %d models after round trip, want %d", f, len(doc2.Models), len(doc.Models))
			continue
		}
		for i := range doc.Models {
			if a, b := dumpModel(doc.Models[i]), dumpModel(doc2.Models[i]); a != b {
				t.Errorf("%s: model %d differs after round trip:\n%s\n%s", f, i, a, b)
			}
		}
		out2, _ := Marshal(doc2.Models, WriteOptions{})
		if !bytes.Equal(out, out2) {
			t.Errorf("%s: second write differs", f)
		}
	}
}
