package yed

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gw-project/gw/internal/label"
	"github.com/gw-project/gw/internal/model"
)

// Write writes each model as a yEd GraphML document, as GraphWalker's
// "convert --format graphml" does: several models give several documents,
// one after the other.
//
// Unlike GraphWalker it keeps what its reader can read back: shared
// states, requirements, weights and BLOCKED go into the labels, model
// (INIT) actions into the first vertex label that still reads back
// unchanged with them, string properties into
// GraphML keys, vertex positions from the x/y properties (a grid for
// vertices without them), and start edges leave a "Start" node. Vertex
// actions, non-string properties, model requirements and properties, and a
// start element that is a vertex have no yEd form and are not written.
// Text is written as ASCII (everything else as character references), so
// the ISO-8859-1 declaration GraphWalker writes is true.
func Write(w io.Writer, models []*model.Model) error {
	bw := bufio.NewWriter(w)
	for _, m := range models {
		if m != nil {
			writeModel(bw, m)
		}
	}
	return bw.Flush()
}

// node is a vertex as laid out for writing.
type node struct {
	id    string
	text  string // label text
	w, h  float64
	x, y  float64
	start bool
	v     *model.Vertex // nil for an added Start node
}

const (
	startNodeID = "Start" // id of an added Start node (made unique)
	minW, minH  = 95.0, 30.0
	gapX, gapY  = 80.0, 70.0
)

func writeModel(w *bufio.Writer, m *model.Model) {
	used := map[string]bool{}
	for _, v := range m.Vertices {
		used[v.ID] = true
	}
	for _, e := range m.Edges {
		used[e.ID] = true
	}
	unique := func(id string) string {
		base := id
		for i := 1; used[id]; i++ {
			id = base + "_" + strconv.Itoa(i)
		}
		used[id] = true
		return id
	}

	// Start edges need a Start node; a vertex already labelled Start is it.
	hasStart := false
	for _, e := range m.Edges {
		hasStart = hasStart || (e.Source == nil && e.Target != nil)
	}
	// A start edge that leaves an unnamed vertex nothing else touches (as
	// GraphWalker JSON models draw their start) is written from a Start
	// node, so the start element survives the round trip.
	pseudo := pseudoStart(m)
	hasStart = hasStart || pseudo != nil
	var nodes []*node
	byVertex := map[*model.Vertex]*node{}
	var startNode *node
	var labels []label.VertexLabel // per node; Start nodes have none
	for i, v := range m.Vertices {
		id := v.ID
		if id == "" {
			id = unique("n" + strconv.Itoa(i))
		}
		n := &node{id: id, v: v}
		vl := label.VertexLabel{Name: v.Name, SharedState: v.SharedState, Blocked: v.Properties.IsBlocked(),
			Requirements: v.Requirements}
		if v == pseudo {
			n.start, vl, n.text = true, label.VertexLabel{Start: true}, "Start"
			startNode = n
		} else if lab, err := label.ParseVertex(v.Name); err == nil && lab.Start && v.Name != "" {
			n.start, vl = true, label.VertexLabel{Start: true}
			if startNode == nil && hasStart {
				startNode = n
			}
			n.text = v.Name
		} else {
			n.text = vl.String()
		}
		nodes = append(nodes, n)
		labels = append(labels, vl)
		byVertex[v] = n
	}
	if len(m.Actions) > 0 {
		initHost(nodes, labels, m.Actions)
	}
	if hasStart && startNode == nil {
		startNode = &node{id: unique(startNodeID), text: "Start", start: true}
		nodes = append([]*node{startNode}, nodes...)
	}
	layout(nodes, m, startNode, byVertex)

	nodeKeys, edgeKeys := propertyKeys(m)

	w.WriteString(`<?xml version="1.0" encoding="ISO-8859-1"?>` + "\n")
	w.WriteString(`<graphml xmlns="http://graphml.graphdrawing.org/xmlns"  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://www.yworks.com/xml/schema/graphml/1.0/ygraphml.xsd" xmlns:y="http://www.yworks.com/xml/graphml">` + "\n")
	w.WriteString(`  <key id="d0" for="node" yfiles.type="nodegraphics"/>` + "\n")
	w.WriteString(`  <key id="d1" for="edge" yfiles.type="edgegraphics"/>` + "\n")
	for _, k := range append(nodeKeys, edgeKeys...) {
		fmt.Fprintf(w, `  <key id="%s" for="%s" attr.name="%s" attr.type="string"/>`+"\n", k.id, k.forWhat, esc(k.name, true))
	}
	w.WriteString(`  <graph id="G" edgedefault="directed">` + "\n")
	for _, n := range nodes {
		fmt.Fprintf(w, `    <node id="%s">`+"\n", esc(n.id, true))
		if n.v != nil {
			writeProps(w, n.v.Properties, nodeKeys)
		}
		fill := "#CCCCFF"
		if n.start {
			fill = "#00FF00"
		}
		w.WriteString(`      <data key="d0" >` + "\n")
		w.WriteString(`        <y:ShapeNode >` + "\n")
		fmt.Fprintf(w, `          <y:Geometry  x="%s" y="%s" width="%s" height="%s"/>`+"\n", num(n.x), num(n.y), num(n.w), num(n.h))
		fmt.Fprintf(w, `          <y:Fill color="%s"  transparent="false"/>`+"\n", fill)
		w.WriteString(`          <y:BorderStyle type="line" width="1.0" color="#000000" />` + "\n")
		fmt.Fprintf(w, `          <y:NodeLabel x="1.5" y="5.6494140625" width="%s" height="18.701171875" visible="true" alignment="center" fontFamily="Dialog" fontSize="12" fontStyle="plain" textColor="#000000" modelName="internal" modelPosition="c" autoSizePolicy="content">%s</y:NodeLabel>`+"\n",
			num(n.w-3), esc(n.text, false))
		w.WriteString(`          <y:Shape type="rectangle"/>` + "\n")
		w.WriteString(`        </y:ShapeNode>` + "\n")
		w.WriteString(`      </data>` + "\n")
		w.WriteString(`    </node>` + "\n")
	}
	for i, e := range m.Edges {
		if e.Target == nil {
			continue // leads nowhere: yEd cannot draw it
		}
		src := startNode
		if e.Source != nil {
			src = byVertex[e.Source]
		}
		tgt := byVertex[e.Target]
		srcID, tgtID := endID(src, e.Source), endID(tgt, e.Target)
		id := e.ID
		if id == "" {
			id = unique("e" + strconv.Itoa(i))
		}
		fmt.Fprintf(w, `    <edge id="%s" source="%s" target="%s">`+"\n", esc(id, true), esc(srcID, true), esc(tgtID, true))
		writeProps(w, e.Properties, edgeKeys)
		w.WriteString(`      <data key="d1" >` + "\n")
		w.WriteString(`        <y:PolyLineEdge >` + "\n")
		w.WriteString(`          <y:Path sx="0.0" sy="0.0" tx="0.0" ty="0.0"/>` + "\n")
		w.WriteString(`          <y:LineStyle type="line" width="1.0" color="#000000" />` + "\n")
		w.WriteString(`          <y:Arrows source="none" target="standard"/>` + "\n")
		el := label.EdgeLabel{Name: e.Name, Guard: e.Guard, Actions: e.Actions, Requirements: e.Requirements,
			Blocked: e.Properties.IsBlocked()}
		if e.Weight != 0 && !math.IsInf(e.Weight, 0) && !math.IsNaN(e.Weight) {
			el.Weight, el.HasWeight = e.Weight, true
		}
		if e.Dependency != 0 {
			el.Dependency, el.HasDependency = e.Dependency, true
		}
		if text := el.String(); text != "" {
			w.WriteString(`          <y:EdgeLabel x="-148.25" y="30.000000000000014" width="169.0" height="18.701171875" visible="true" alignment="center" fontFamily="Dialog" fontSize="12" fontStyle="plain" textColor="#000000" modelName="free" modelPosition="anywhere" preferredPlacement="on_edge" distance="2.0" ratio="0.5">`)
			w.WriteString(esc(text, false))
			w.WriteString("</y:EdgeLabel>\n")
		}
		w.WriteString(`          <y:BendStyle smoothed="false"/>` + "\n")
		w.WriteString(`        </y:PolyLineEdge>` + "\n")
		w.WriteString(`      </data>` + "\n")
		w.WriteString(`    </edge>` + "\n")
	}
	w.WriteString("  </graph>\n")
	w.WriteString("</graphml>\n")
}

// initHost writes the model's INIT actions into the first vertex label
// that still reads back the same with them (a ';' in a requirement could
// otherwise end the actions early), else into the first vertex.
func initHost(nodes []*node, labels []label.VertexLabel, actions []string) {
	first := -1
	for i, n := range nodes {
		if n.start {
			continue
		}
		vl := labels[i]
		vl.InitActions = actions
		text := vl.String()
		if first < 0 {
			first = i
		}
		if got, err := label.ParseVertex(text); err == nil && got.Name == vl.Name && got.SharedState == vl.SharedState &&
			slices.Equal(got.Requirements, vl.Requirements) && strings.Join(got.InitActions, "") == strings.Join(actions, "") {
			n.text = text
			return
		}
	}
	if first >= 0 {
		vl := labels[first]
		vl.InitActions = actions
		nodes[first].text = vl.String()
	}
}

// endID is the node id an edge end refers to; a vertex outside the model
// keeps its own id.
func endID(n *node, v *model.Vertex) string {
	if n != nil {
		return n.id
	}
	if v != nil {
		return v.ID
	}
	return ""
}

// layout sizes every node to its label and places it: at the x/y
// properties when the vertex has both, else on a grid below the placed
// ones. An added Start node goes above its edge's target when that is
// placed.
func layout(nodes []*node, m *model.Model, startNode *node, byVertex map[*model.Vertex]*node) {
	var grid []*node
	placed := false
	var minX, maxY float64
	for _, n := range nodes {
		lines := strings.Split(n.text, "\n")
		longest := 0
		for _, l := range lines {
			longest = max(longest, utf8.RuneCountInString(l))
		}
		n.w = max(minW, math.Ceil(7.5*float64(longest))+20)
		n.h = minH + math.Ceil(18.7*float64(len(lines)-1))
		x, okx := coord(n.v, "x")
		y, oky := coord(n.v, "y")
		if okx && oky {
			n.x, n.y = x, y
			if !placed || x < minX {
				minX = x
			}
			if !placed || y+n.h > maxY {
				maxY = y + n.h
			}
			placed = true
			continue
		}
		if n == startNode && n.v == nil {
			if t := firstStartTarget(m, byVertex); t != nil && hasCoords(t.v) {
				tx, _ := coord(t.v, "x")
				ty, _ := coord(t.v, "y")
				n.x, n.y = tx, ty-n.h-gapY
				continue
			}
		}
		grid = append(grid, n)
	}
	if len(grid) == 0 {
		return
	}
	cols := int(math.Ceil(math.Sqrt(float64(len(grid)))))
	cellW, cellH := 0.0, 0.0
	for _, n := range grid {
		cellW, cellH = max(cellW, n.w), max(cellH, n.h)
	}
	x0, y0 := 0.0, 0.0
	if placed {
		x0, y0 = minX, maxY+gapY
	}
	for i, n := range grid {
		n.x = x0 + float64(i%cols)*(cellW+gapX)
		n.y = y0 + float64(i/cols)*(cellH+gapY)
	}
}

func firstStartTarget(m *model.Model, byVertex map[*model.Vertex]*node) *node {
	for _, e := range m.Edges {
		if e.Source == nil && e.Target != nil {
			return byVertex[e.Target]
		}
	}
	return nil
}

func hasCoords(v *model.Vertex) bool {
	_, okx := coord(v, "x")
	_, oky := coord(v, "y")
	return okx && oky
}

// coord reads a numeric x or y property (a number, or a string holding one).
func coord(v *model.Vertex, key string) (float64, bool) {
	if v == nil {
		return 0, false
	}
	p, ok := v.Properties.Get(key)
	if !ok {
		return 0, false
	}
	var f float64
	switch p := p.(type) {
	case float64:
		f = p
	case string:
		var err error
		if f, err = strconv.ParseFloat(strings.TrimSpace(p), 64); err != nil {
			return 0, false
		}
	default:
		return 0, false
	}
	return f, !math.IsInf(f, 0) && !math.IsNaN(f)
}

// outKey is a GraphML key written for a string property.
type outKey struct {
	id, forWhat, name string
}

// propertyKeys lists the string properties of vertices and of edges, in
// first-use order, as keys d2, d3, …
func propertyKeys(m *model.Model) (nodeKeys, edgeKeys []outKey) {
	next := 2
	collect := func(forWhat string, props model.Properties, keys *[]outKey, seen map[string]bool) {
		for _, p := range props {
			if _, isString := p.Value.(string); !isString || seen[p.Key] || reservedProp(p.Key) {
				continue
			}
			seen[p.Key] = true
			*keys = append(*keys, outKey{id: "d" + strconv.Itoa(next), forWhat: forWhat, name: p.Key})
			next++
		}
	}
	seenN, seenE := map[string]bool{}, map[string]bool{}
	for _, v := range m.Vertices {
		collect("node", v.Properties, &nodeKeys, seenN)
	}
	for _, e := range m.Edges {
		collect("edge", e.Properties, &edgeKeys, seenE)
	}
	return nodeKeys, edgeKeys
}

// reservedProp: properties the reader derives from the graphics and label.
func reservedProp(key string) bool {
	return key == "x" || key == "y" || key == "blocked"
}

func writeProps(w *bufio.Writer, props model.Properties, keys []outKey) {
	for _, k := range keys {
		v, ok := props.Get(k.name)
		if s, isString := v.(string); ok && isString {
			fmt.Fprintf(w, `      <data key="%s">%s</data>`+"\n", k.id, esc(s, false))
		}
	}
}

// num formats a coordinate as Java's Double.toString does for ordinary
// values ("95.0", "241.875").
func num(f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.ContainsAny(s, ".") {
		s += ".0"
	}
	return s
}

// esc escapes s for XML text or attribute values, writing every non-ASCII
// character as a character reference. Characters XML 1.0 cannot hold
// (controls, invalid UTF-8) become U+FFFD, as encoding/xml does.
func esc(s string, attr bool) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || c < 0x20 || strings.IndexByte(`&<>'"`, c) >= 0 {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var sb strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			sb.WriteString("&amp;")
		case r == '<':
			sb.WriteString("&lt;")
		case r == '>':
			sb.WriteString("&gt;")
		case r == '\'':
			sb.WriteString("&apos;")
		case r == '"':
			sb.WriteString("&quot;")
		case r == '\n' && !attr:
			sb.WriteByte('\n')
		case r == '\t' && !attr:
			sb.WriteByte('\t')
		case r == '\n' || r == '\t' || r == '\r':
			// a raw CR, or LF/TAB in an attribute, would be normalised away
			fmt.Fprintf(&sb, "&#%d;", r)
		case r < 0x20 || r == 0xFFFE || r == 0xFFFF || r == utf8.RuneError:
			sb.WriteString("&#65533;")
		case r >= 0x80:
			fmt.Fprintf(&sb, "&#%d;", r)
		default:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// pseudoStart returns the source of the model's start edge when that
// vertex is unnamed and touched by no other edge, else nil.
func pseudoStart(m *model.Model) *model.Vertex {
	var start *model.Edge
	for _, e := range m.Edges {
		if e.ID == m.StartElementID && m.StartElementID != "" {
			start = e
			break
		}
	}
	if start == nil || start.Source == nil {
		return nil
	}
	v := start.Source
	if v.Name != "" || v.SharedState != "" || len(v.Actions) > 0 || len(v.Requirements) > 0 {
		return nil
	}
	for _, e := range m.Edges {
		if e != start && (e.Source == v || e.Target == v) {
			return nil
		}
	}
	return v
}
