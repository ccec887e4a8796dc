package gwjson

import (
	"os"
	"testing"

	"github.com/gw-project/gw/internal/model"
)

func addSeeds(f *testing.F) {
	for _, p := range modelFiles(f) {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		if len(data) < 64<<10 {
			f.Add(data)
		}
	}
	for _, s := range []string{
		"// c\n{models: [{name: A, vertices: [{id: n0}], edges: [{id: e0, targetVertexId: n0, weight: '0.5', dependency: \"85\"}]}]} # x",
		`{'models' => [{"properties": [["k", 1], [true, {"a": [1,,2,]}]]; "predefinedPathEdgeIds": ["e0"], "edges": [{"id": "e0"}]}]}`,
		"{\"models\": [{\"name\": \"a\\u003d\\ud83d\\ude00\r\nb\", \"actions\": [\"x\",,null]}]}",
		`{"seed": "12", "models": []}`,
		`{"models":[{"edges":[{"weight":1e400}]}]}`,
	} {
		f.Add([]byte(s))
	}
}

// FuzzParse: never panic; whatever parses is written, and what is written
// reads back with the same shape.
func FuzzParse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Parse(data, "fuzz.json")
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %T is not *Error: %v", err, err)
			}
			return
		}
		if len(doc.Models) == 0 {
			return // written as {}, which is not a model file (as in GraphWalker)
		}
		out, err := Marshal(doc.Models, WriteOptions{})
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		doc2, err := Parse(out, "written.json")
		if err != nil {
			t.Fatalf("reading written model: %v\n%s", err, out)
		}
		if len(doc2.Models) != len(doc.Models) {
			t.Fatalf("models %d != %d", len(doc2.Models), len(doc.Models))
		}
		for i, m := range doc.Models {
			m2 := doc2.Models[i]
			if len(m.Vertices) != len(m2.Vertices) || len(m.Edges) != len(m2.Edges) || len(m.PredefinedPath) != len(m2.PredefinedPath) {
				t.Fatalf("model %d: %dV/%dE/%dP became %dV/%dE/%dP", i, len(m.Vertices), len(m.Edges), len(m.PredefinedPath),
					len(m2.Vertices), len(m2.Edges), len(m2.PredefinedPath))
			}
		}
	})
}

func FuzzParseLegacy(f *testing.F) {
	data, err := os.ReadFile("testdata/legacy/SmallModel.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(`{name: M, generator: g, vertices: [{id: n0, name: v, startElement: "true"}], edges: [{id: e, name: e, srcVertexId: x, dstVertexId: n0, actions: [{action: 'x=1;'},]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseLegacy(data)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %T is not *Error: %v", err, err)
			}
			return
		}
		if m.StartElementID != "" && m.StartElement() < 0 {
			t.Fatalf("start element %q not in model", m.StartElementID)
		}
		if _, err := Marshal([]*model.Model{m}, WriteOptions{}); err != nil {
			t.Fatalf("Marshal: %v", err)
		}
	})
}
