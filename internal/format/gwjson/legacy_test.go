package gwjson

import (
	"os"
	"slices"
	"testing"
)

// testdata/legacy/SmallModel.json is graphwalker-io's test model at tag 3.3.0.
func TestParseLegacySmallModel(t *testing.T) {
	data, err := os.ReadFile("testdata/legacy/SmallModel.json")
	if err != nil {
		t.Fatal(err)
	}
	m, err := ParseLegacy(data)
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != "Small model" || m.Generator != "random(edge_coverage(100))" || m.ID == "" {
		t.Errorf("model %q %q %q", m.Name, m.Generator, m.ID)
	}
	if len(m.Vertices) != 2 || len(m.Edges) != 4 {
		t.Fatalf("got %dV/%dE, want 2V/4E", len(m.Vertices), len(m.Edges))
	}
	if m.Vertices[0].ID != "n0" || m.Vertices[0].Name != "v_VerifySomeAction" || m.Vertices[1].ID != "n1" {
		t.Errorf("vertices %+v %+v", m.Vertices[0], m.Vertices[1])
	}
	if m.StartElementID != "e0" || m.StartElement() != m.EdgeElement(m.Edges[0]) {
		t.Errorf("start element %q", m.StartElementID)
	}
	e0, e3 := m.Edges[0], m.Edges[3]
	if e0.Source != nil || e0.Target != m.Vertices[0] {
		t.Errorf("e0 is not a start edge into n0")
	}
	if e3.Source != m.Vertices[1] || e3.Target != m.Vertices[0] || e3.Name != "e_SomeOtherAction" {
		t.Errorf("e3 = %+v", e3)
	}
}

func TestParseLegacy(t *testing.T) {
	const base = `"name": "M", "generator": "random(edge_coverage(100))", `
	t.Run("actions all kept", func(t *testing.T) {
		// GraphWalker 3 kept at most len(vertices) actions; we keep all.
		m, err := ParseLegacy([]byte(`{` + base + `"vertices": [{"id": "n0", "name": "v"}],
			"edges": [{"id": "e0", "name": "e", "dstVertexId": "n0", "actions": [{"action": "x=0;"}, {action: 'y=1;', other: 1}, {"action": "z=2;"}]}]}`))
		if err != nil {
			t.Fatal(err)
		}
		if got := m.Edges[0].Actions; !slices.Equal(got, []string{"x=0;", "y=1;", "z=2;"}) {
			t.Errorf("actions %q", got)
		}
	})
	t.Run("guard and weight, as the 4.x reader reads them", func(t *testing.T) {
		m, err := ParseLegacy([]byte(`{` + base + `"vertices": [{"id": "n0", "name": "v"}],
			"edges": [{"id": "e0", "name": "e", "dstVertexId": "n0", "guard": "x > 1", "weight": "0.25"}]}`))
		if err != nil {
			t.Fatal(err)
		}
		if e := m.Edges[0]; e.Guard != "x > 1" || e.Weight != 0.25 {
			t.Errorf("guard %q, weight %v", e.Guard, e.Weight)
		}
	})
	t.Run("start vertex", func(t *testing.T) {
		m, err := ParseLegacy([]byte(`{` + base + `"vertices": [{"id": "n0", "name": "a", "startElement": "TRUE"}, {"id": "n1", "name": "b", "startElement": false}],
			"edges": [{"id": "e0", "name": "e", "srcVertexId": "n0", "dstVertexId": "n1", "startElement": "yes"}]}`))
		if err != nil {
			t.Fatal(err)
		}
		if m.StartElementID != "n0" {
			t.Errorf("start %q", m.StartElementID)
		}
	})
	t.Run("edge start wins", func(t *testing.T) {
		m, err := ParseLegacy([]byte(`{` + base + `"vertices": [{"id": "n0", "name": "a", "startElement": true}],
			"edges": [{"id": "e0", "name": "e", "dstVertexId": "n0", "startElement": true}, {"id": "e1", "name": "f", "srcVertexId": "gone", "dstVertexId": "n0"}]}`))
		if err != nil {
			t.Fatal(err)
		}
		if m.StartElementID != "e0" {
			t.Errorf("start %q", m.StartElementID)
		}
		if m.Edges[1].Source != nil {
			t.Errorf("unknown srcVertexId should give a start edge")
		}
	})
	t.Run("no start", func(t *testing.T) {
		m, err := ParseLegacy([]byte(`{` + base + `"vertices": [], "edges": []}`))
		if err != nil {
			t.Fatal(err)
		}
		if m.StartElementID != "" || len(m.Vertices) != 0 {
			t.Errorf("model %+v", m)
		}
	})

	errs := []struct{ in, want string }{
		{`{"generator": "g", "vertices": [], "edges": []}`, `the model has no "name" (a GraphWalker 3 model needs name, generator, vertices and edges)`},
		{`{"name": "n"}`, `the model has no "generator", "vertices", "edges" (a GraphWalker 3 model needs name, generator, vertices and edges)`},
		{`{` + base + `"vertices": [{"name": "v"}], "edges": []}`, `1:71: $.vertices[0]: vertex has no "id"`},
		{`{` + base + `"vertices": [{"id": "n0"}], "edges": []}`, `1:71: $.vertices[0]: vertex "n0" has no "name"`},
		{`{` + base + `"vertices": [null], "edges": []}`, `1:71: $.vertices[0]: a vertex must be an object, got null`},
		{`{` + base + `"vertices": [], "edges": [{"name": "e", "dstVertexId": "x"}]}`, `1:84: $.edges[0]: edge has no "id"`},
		{`{` + base + `"vertices": [], "edges": [{"id": "e0", "dstVertexId": "x"}]}`, `1:84: $.edges[0]: edge "e0" has no "name"`},
		{`{` + base + `"vertices": [], "edges": [{"id": "e0", "name": "e"}]}`, `1:84: $.edges[0]: edge "e0" has no "dstVertexId" (the id of its target vertex)`},
		{`{` + base + `"vertices": [], "edges": [{"id": "e0", "name": "e", "dstVertexId": "n9"}]}`, `1:125: edge "e0": dstVertexId "n9" is not the id of any vertex in the model`},
		{`{` + base + `"vertices": [], "edges": [{"id": "e0", "name": "e", "dstVertexId": "n9", "actions": [{"script": "x"}]}]}`, `1:143: $.edges[0].actions[0]: action object has no "action" string`},
		{`{` + base + `"vertices": [], "edges": [{"id": "e0", "name": "e", "dstVertexId": "n9", "actions": ["x=1;"]}]}`, `1:143: $.edges[0].actions[0]: expected a {"action": "..."} object, got a string`},
		{`{` + base + `"vertices": {}, "edges": []}`, `1:70: $.vertices: expected an array of vertices, got '{'`},
		{`["name"]`, `1:1: expected '{' at the start of the model, got '['`},
		{`{"name": "n"} x`, `1:15: expected end of input after the JSON document, got a word (unquoted text)`},
		{`{"name": "n"`, `1:13: expected ',' or '}' after object member, got end of input`},
		{`{` + base + `"vertices": [{"id": "n0", "name": "v"}], "edges": [{"id": "e0", "name": "e", "sourceVertexId": "n0", "targetVertexId": "n0"}]}`,
			`1:109: $.edges[0]: edge "e0" has "targetVertexId", not "dstVertexId": ` + MsgLooksV4},
		{`{"name": "T", "models": [{"name": "M"}]}`, MsgLooksV4},
		{`{` + base + `"vertices": [], "edges": [{"id": "e0", "name": "e", "dstVertexId": "n9", "weight": "heavy"}]}`, `1:141: $.edges[0].weight: expected a finite number, got "heavy"`},
	}
	for _, tt := range errs {
		_, err := ParseLegacy([]byte(tt.in))
		if err == nil || err.Error() != tt.want {
			t.Errorf("ParseLegacy(%s):\n got %v\nwant %s", tt.in, err, tt.want)
		}
	}
}
