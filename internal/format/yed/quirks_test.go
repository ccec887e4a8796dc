package yed

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gw-project/gw/internal/label"
)

// Builders for small yEd documents.

const head = `<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:y="http://www.yworks.com/xml/graphml">
  <key attr.name="description" attr.type="string" for="node" id="d5"/>
  <key for="node" id="d6" yfiles.type="nodegraphics"/>
  <key attr.name="description" attr.type="string" for="edge" id="d8"/>
  <key for="edge" id="d9" yfiles.type="edgegraphics"/>
  <graph edgedefault="directed" id="G">
`

const tail = "  </graph>\n</graphml>\n"

func doc(parts ...string) string { return head + strings.Join(parts, "") + tail }

func shape(kind, lab string) string {
	return fmt.Sprintf(`<data key="d6"><y:%s><y:Geometry height="30.0" width="95.0" x="10.0" y="20.5"/><y:NodeLabel>%s</y:NodeLabel></y:%s></data>`, kind, lab, kind)
}

func nd(id, lab string) string {
	return fmt.Sprintf(`<node id="%s">%s</node>`+"\n", id, shape("ShapeNode", lab))
}

func ed(id, src, tgt, lab string) string {
	return fmt.Sprintf(`<edge id="%s" source="%s" target="%s"><data key="d9"><y:PolyLineEdge><y:EdgeLabel>%s</y:EdgeLabel></y:PolyLineEdge></data></edge>`+"\n", id, src, tgt, lab)
}

func group(id string, inner ...string) string {
	return fmt.Sprintf(`<node id="%s" yfiles.foldertype="group"><data key="d6"><y:ProxyAutoBoundsNode><y:Realizers active="0"><y:GroupNode><y:NodeLabel>Group</y:NodeLabel></y:GroupNode></y:Realizers></y:ProxyAutoBoundsNode></data><graph id="%s:">%s</graph></node>`+"\n", id, id, strings.Join(inner, ""))
}

func TestReadDecisions(t *testing.T) {
	cases := []struct {
		name string
		doc  string
		err  string // substring; "" = must read
		line int    // expected Error.Line when err != ""
	}{
		{"edge to missing node", doc(nd("n0", "v_A"), ed("e0", "n0", "n9", "e_X")),
			`edge "e0": its target "n9" is not a node of the graph (GraphWalker would silently drop this edge)`, 9},
		{"edge from missing node", doc(nd("n0", "v_A"), ed("e0", "n9", "n0", "e_X")),
			`edge "e0": its source "n9" is not a node of the graph`, 9},
		{"edge without target attribute", doc(nd("n0", "v_A"), `<edge id="e0" source="n0"><data key="d9"><y:PolyLineEdge/></data></edge>`),
			`edge "e0": the edge has no target attribute`, 9},
		{"edge to group node", doc(nd("n0", "v_A"), group("n1", nd("n1::n0", "v_B")), ed("e0", "n0", "n1", "e_X")),
			`its target "n1" is a group node, which is not a vertex; connect the edge to a node inside the group`, 11},
		{"edge to plain node", doc(nd("n0", "v_A"), `<node id="n1"/>`, ed("e0", "n0", "n1", "e_X")),
			`its target "n1" (line 9) has no yEd graphics`, 9},
		{"edge into Start", doc(nd("n0", "Start"), nd("n1", "v_A"), ed("e0", "n0", "n1", "e_A"), ed("e1", "n1", "n0", "e_B")),
			`edge "e1": the edge goes into the Start node "n0"; the Start node can only have outgoing edges`, 11},
		{"two Start nodes", doc(nd("n0", "Start"), nd("n1", "START"), nd("n2", "v_A")),
			`node "n1": this is a second Start node (the first is node "n0" on line 8)`, 9},
		{"duplicate node id", doc(nd("n0", "v_A"), nd("n0", "v_B")),
			`node "n0": The file seems not to be of valid yEd format. The node id is also used by the node on line 8`, 9},
		{"duplicate edge id", doc(nd("n0", "v_A"), ed("e0", "n0", "n0", "e_A"), ed("e0", "n0", "n0", "e_B")),
			`edge "e0": The file seems not to be of valid yEd format. The edge id is also used by the edge on line 9`, 10},
		{"edge label error", doc(nd("n0", "v_A"), ed("e7", "n0", "n0", "e_A e_B")),
			`edge "e7": The string 'e_A e_B' did not conform to GraphWalker syntax rules. unexpected "e_B" at 1:5`, 9},
		{"dependency not an integer", doc(nd("n0", "v_A"), ed("e0", "n0", "n0", "e_A\ndependency=0.3")),
			`invalid dependency "0.3" at 2:12`, 9},
		{"bad geometry", doc(`<node id="n0"><data key="d6"><y:ShapeNode><y:Geometry x="abc" y="1"/><y:NodeLabel>v_A</y:NodeLabel></y:ShapeNode></data></node>`),
			`node "n0": The file seems not to be of valid yEd format. <y:Geometry> has x="abc" y="1"; both must be numbers.`, 8},
		{"not XML", "hello", "The file appears not to be valid yEd formatted. XML syntax error: text outside the root element", 1},
		{"empty", "", "The file appears not to be valid yEd formatted. XML syntax error: no root element", 1},
		{"wrong root", `<?xml version="1.0"?><gml/>`, "The root element is <gml>, not <graphml>.", 1},
		{"mismatched tags", doc(`<node id="n0"><data key="d6"></node>`), "The file appears not to be valid yEd formatted. XML syntax error: element <data> closed by </node>", 8},
		{"unclosed", head, "XML syntax error: unexpected EOF: <graph> is not closed", 8},
		{"content after root", doc() + "<x/>", "XML syntax error: content after the root element", 10},
		{"undefined entity", doc(nd("n0", "v_&nbsp;")), "XML syntax error: invalid character entity &nbsp;", 8},
		{"UTF-16", "\xff\xfe<\x00", "the file is UTF-16 encoded; save it as UTF-8", 0},
		{"unknown encoding", `<?xml version="1.0" encoding="EBCDIC"?><graphml/>`, `unsupported encoding "EBCDIC"`, 1},
		{"deep groups", doc(strings.Repeat(`<node id="g"><graph>`, 300) + strings.Repeat(`</graph></node>`, 300)),
			"Group nodes are nested more than 256 levels deep.", 8},
	}
	for _, c := range cases {
		_, err := Read(strings.NewReader(c.doc), "m")
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		var ye *Error
		if !errors.As(err, &ye) {
			t.Errorf("%s: error %T is not *Error: %v", c.name, err, err)
			continue
		}
		if !strings.Contains(err.Error(), c.err) || ye.Line != c.line || ye.File != "m" {
			t.Errorf("%s:\n  got  %v (line %d, file %q)\n  want %s (line %d)", c.name, err, ye.Line, ye.File, c.err, c.line)
		}
	}
}

func TestReadStructure(t *testing.T) {
	// Breadth-first through groups: A, C, then B (in G1), then D (in G2).
	m, err := readString(t, doc(nd("a", "v_A"), group("g1", nd("g1::b", "v_B"), group("g1::g2", nd("g1::g2::d", "v_D"))), nd("c", "v_C"),
		ed("e0", "a", "c", "e_1"),
		`<graph id="extra"></graph>`,
		nd("s", "Start"), ed("e1", "s", "a", "e_S1"), ed("e2", "s", "c", "e_S2"),
		`<edge id="plain" source="a" target="c"/>`, // no yEd graphics: not an edge, as in GraphWalker
	))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, v := range m.Vertices {
		ids = append(ids, v.ID)
	}
	if !slices.Equal(ids, []string{"a", "c", "g1::b", "g1::g2::d"}) {
		t.Errorf("vertex order %q", ids)
	}
	if len(m.Edges) != 3 || m.Edges[1].Source != nil || m.Edges[2].Source != nil || m.StartElementID != "e2" {
		t.Errorf("start edges: %d edges, start %q", len(m.Edges), m.StartElementID)
	}
	if m.Name != "" {
		t.Errorf("name %q", m.Name)
	}

	// Edges inside a group's graph are read (GraphWalker ignores them).
	m, err = readString(t, doc(group("g", nd("g::a", "v_A"), nd("g::b", "v_B"), ed("g::e0", "g::a", "g::b", "e_In"))))
	if err != nil || len(m.Edges) != 1 || m.Edges[0].Name != "e_In" {
		t.Errorf("nested edge: %v %v", m, err)
	}

	// Plain GraphML (no yEd graphics) is an empty model, as in GraphWalker.
	m, err = readString(t, `<graphml><graph><node id="a"/><node id="b"/></graph></graphml>`)
	if err != nil || len(m.Vertices) != 0 || len(m.Edges) != 0 {
		t.Errorf("plain GraphML: %v %v", m, err)
	}

	// A Start node without edges: no start element.
	m, err = readString(t, doc(nd("s", "Start"), nd("a", "v_A")))
	if err != nil || len(m.Vertices) != 1 || m.StartElementID != "" {
		t.Errorf("lonely Start: %v %v", m, err)
	}
}

func TestNodeAndEdgeKinds(t *testing.T) {
	var parts []string
	for i, k := range []string{"GenericNode", "ShapeNode", "GenericGroupNode", "GroupNode", "ImageNode", "TableNode", "SVGNode"} {
		parts = append(parts, fmt.Sprintf(`<node id="n%d">%s</node>`, i, shape(k, "v_"+k)))
	}
	// A collapsed group without nested graph: the first realizer counts.
	parts = append(parts, `<node id="p"><data key="d6"><y:ProxyAutoBoundsNode><y:Realizers active="0"><y:GroupNode><y:Geometry x="1" y="2"/><y:NodeLabel>v_Open</y:NodeLabel></y:GroupNode><y:GroupNode><y:NodeLabel>v_Closed</y:NodeLabel></y:GroupNode></y:Realizers></y:ProxyAutoBoundsNode></data></node>`)
	for i, k := range []string{"PolyLineEdge", "GenericEdge", "ArcEdge", "QuadCurveEdge", "SplineEdge", "BezierEdge"} {
		parts = append(parts, fmt.Sprintf(`<edge id="e%d" source="n0" target="n1"><data key="d9"><y:%s><y:EdgeLabel>e_%s</y:EdgeLabel></y:%s></data></edge>`, i, k, k, k))
	}
	m, err := readString(t, doc(parts...))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, v := range m.Vertices {
		names = append(names, v.Name)
	}
	for _, e := range m.Edges {
		names = append(names, e.Name)
	}
	want := []string{"v_GenericNode", "v_ShapeNode", "v_GenericGroupNode", "v_GroupNode", "v_ImageNode", "v_TableNode", "v_SVGNode", "v_Open",
		"e_PolyLineEdge", "e_GenericEdge", "e_ArcEdge", "e_QuadCurveEdge", "e_SplineEdge", "e_BezierEdge"}
	if !slices.Equal(names, want) {
		t.Errorf("names %q\nwant  %q", names, want)
	}
	if x, _ := m.Vertices[0].Properties.Get("x"); x != 10.0 {
		t.Errorf("x = %v", x)
	}
	if y, _ := m.Vertices[7].Properties.Get("y"); y != 2.0 {
		t.Errorf("y = %v", y)
	}
}

func TestLabelText(t *testing.T) {
	// Entities and CDATA are decoded; several labels are concatenated; the
	// text of elements nested in a label counts, as in GraphWalker.
	m, err := readString(t, doc(
		`<node id="n0"><data key="d6"><y:ShapeNode><y:NodeLabel>v_A
</y:NodeLabel><y:NodeLabel><![CDATA[SHARED:S]]><y:LabelModel>
  </y:LabelModel></y:NodeLabel></y:ShapeNode></data></node>`,
		ed("e0", "n0", "n0", "e_A [x &lt; 1 &amp;&amp; y &gt; 2] /s=&quot;&#937;&quot;;"),
	))
	if err != nil {
		t.Fatal(err)
	}
	if v := m.Vertices[0]; v.Name != "v_A" || v.SharedState != "S" {
		t.Errorf("vertex %+v", v)
	}
	if _, ok := m.Vertices[0].Properties.Get("x"); ok {
		t.Errorf("x without <y:Geometry>")
	}
	if e := m.Edges[0]; e.Guard != "x < 1 && y > 2" || e.Actions[0] != `s="Ω";` {
		t.Errorf("edge %+v", e)
	}
}

func TestEncodings(t *testing.T) {
	latin := func(enc string, b byte) string {
		return `<?xml version="1.0" encoding="` + enc + `"?>` + strings.TrimPrefix(doc(
			`<node id="n0"><data key="d5">caf`+string([]byte{b})+`</data>`+shape("ShapeNode", "v_A")+`</node>`), `<?xml version="1.0" encoding="UTF-8" standalone="no"?>`)
	}
	cases := []struct {
		doc, want string
	}{
		{latin("ISO-8859-1", 0xE9), "café"},
		{latin("latin1", 0xE9), "café"},
		{latin("windows-1252", 0x80), "caf€"},
		{latin("windows-1252", 0x81), "caf\uFFFD"},
		// GraphWalker writes UTF-8 under an ISO-8859-1 declaration.
		{strings.Replace(latin("ISO-8859-1", 'x'), "cafx", "caf\xc3\xa9", 1), "café"},
		{"\xEF\xBB\xBF" + doc(`<node id="n0"><data key="d5">café</data>`+shape("ShapeNode", "v_A")+`</node>`), "café"},
	}
	for _, c := range cases {
		m, err := readString(t, c.doc)
		if err != nil {
			t.Errorf("%q: %v", c.doc[:60], err)
			continue
		}
		if d, _ := m.Vertices[0].Properties.Get("description"); d != c.want {
			t.Errorf("%q: description %q, want %q", c.doc[:60], d, c.want)
		}
	}
}

func TestKeyAfterGraph(t *testing.T) {
	// Keys are applied after the whole file is read, wherever they are.
	d := strings.Replace(doc(`<node id="n0"><data key="k1">  v  </data>`+shape("ShapeNode", "v_A")+`</node>`), "</graph>",
		`</graph><key id="k1" for="node" attr.name="late"/><key id="k2" for="node" attr.name="dflt"><default> d </default></key>`, 1)
	m, err := readString(t, d)
	if err != nil {
		t.Fatal(err)
	}
	p := m.Vertices[0].Properties
	if v, _ := p.Get("late"); v != "v" {
		t.Errorf("late = %q", v)
	}
	if v, _ := p.Get("dflt"); v != "d" {
		t.Errorf("dflt = %q", v)
	}
}

func TestErrorFormat(t *testing.T) {
	e := &Error{Line: 3, Element: `node "n1"`, Msg: "bad"}
	if e.Error() != `line 3: node "n1": bad` {
		t.Errorf("%q", e.Error())
	}
	e = &Error{Line: 3, Column: 7, Msg: "bad"}
	if e.Error() != `line 3, column 7: bad` {
		t.Errorf("%q", e.Error())
	}
	e = &Error{File: "a.graphml", Line: 3, Column: 7, Msg: "bad"}
	if e.Error() != `a.graphml:3:7: bad` {
		t.Errorf("%q", e.Error())
	}
	if _, err := ReadNamed(strings.NewReader("<graphml>\n  <graph>\n  </grap>"), "a", "dir/a.graphml"); err == nil ||
		!strings.HasPrefix(err.Error(), "dir/a.graphml:3:3: ") {
		t.Errorf("ReadNamed: %v", err)
	}
	e = &Error{File: "a.graphml", Line: 3, Err: &label.SyntaxError{Label: "x y", What: `unexpected "y"`, Line: 1, Column: 3, Reason: "r"}}
	if e.Error() != `a.graphml:3: The string 'x y' did not conform to GraphWalker syntax rules. unexpected "y" at 1:3: r` {
		t.Errorf("%q", e.Error())
	}
}

// Big or deep inputs stay fast and give errors, not crashes.
func TestLargeInputs(t *testing.T) {
	start := time.Now()
	var nested strings.Builder
	for i := range 200 {
		fmt.Fprintf(&nested, `<node id="g%d"><graph>%s`, i, nd(fmt.Sprintf("n%d", i), fmt.Sprintf("v_%d", i)))
	}
	nested.WriteString(strings.Repeat(`</graph></node>`, 200))
	m, err := readString(t, doc(nested.String()))
	if err != nil || len(m.Vertices) != 200 || m.Vertices[199].ID != "n199" {
		t.Errorf("200 nested groups: %v", err)
	}
	big := "v_" + strings.Repeat("a", 1<<20)
	if m, err := readString(t, doc(nd("n0", big))); err != nil || m.Vertices[0].Name != big {
		t.Errorf("1 MB name: %v", err)
	}
	if _, err := readString(t, doc(nd("n0", "v "+strings.Repeat("[", 1<<20)))); err == nil || !strings.Contains(err.Error(), "'[' has no matching ']'") {
		t.Errorf("1 MB of '[': %v", err)
	}
	if _, err := readString(t, doc(nd("n0", "v INIT: "+strings.Repeat("a;", 1<<18)+" !"))); err == nil {
		t.Errorf("INIT without valid end: no error")
	}
	// Element nesting is bounded (its stack cost 30 bytes of memory per
	// byte of input).
	deep := `<?xml version="1.0"?><graphml>` + strings.Repeat("<a>", 20000) + "</graphml>"
	if _, err := readString(t, deep); err == nil || !strings.Contains(err.Error(), "nested more than 10000 levels deep") {
		t.Errorf("20,000 nested elements: %v", err)
	}
	if d := time.Since(start); d > 20*time.Second { // generous: CI machines are shared
		t.Errorf("took %v", d)
	}
}
