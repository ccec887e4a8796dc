package yed

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gw-project/gw/internal/javastr"
	"github.com/gw-project/gw/internal/label"
	"github.com/gw-project/gw/internal/model"
)

// Error is a problem with a GraphML file: where (file, XML line, element)
// and what. Err, when set, is the underlying cause, e.g. a
// *label.SyntaxError.
type Error struct {
	File    string // file or model name as given to the reader; may be ""
	Line    int    // XML line, 0 when unknown
	Column  int    // character in the line, 0 when unknown
	Element string // e.g. `node "n3"`, `edge "e5"`; may be ""
	Msg     string
	Err     error
}

func (e *Error) Error() string {
	var sb strings.Builder
	if e.File != "" {
		sb.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&sb, ":%d", e.Line)
			if e.Column > 0 {
				fmt.Fprintf(&sb, ":%d", e.Column)
			}
		}
		sb.WriteString(": ")
	} else if e.Line > 0 {
		fmt.Fprintf(&sb, "line %d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&sb, ", column %d", e.Column)
		}
		sb.WriteString(": ")
	}
	if e.Element != "" {
		sb.WriteString(e.Element)
		sb.WriteString(": ")
	}
	sb.WriteString(e.Msg)
	if e.Err != nil {
		if e.Msg != "" {
			sb.WriteString(": ")
		}
		sb.WriteString(e.Err.Error())
	}
	return sb.String()
}

func (e *Error) Unwrap() error { return e.Err }

// GraphWalker's own sentences, kept as the start of the matching errors.
const (
	msgNotYEd = "The file appears not to be valid yEd formatted."
	msgBadYEd = "The file seems not to be of valid yEd format."
)

// maxNesting bounds group nodes inside group nodes (the reader recurses).
const maxNesting = 256

// ReadFile reads the yEd GraphML file at path. The model is named after
// the file's base name without extension; errors name the path.
func ReadFile(path string) (*model.Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{File: path, Msg: "Could not read the file.", Err: err}
	}
	defer f.Close()
	base := filepath.Base(path)
	m, err := read(f, strings.TrimSuffix(base, filepath.Ext(base)), path)
	return m, err
}

// ReadNamed reads one yEd GraphML model from r: name becomes the model name
// and file names the input in errors.
func ReadNamed(r io.Reader, name, file string) (*model.Model, error) {
	return read(r, name, file)
}

// Read reads one yEd GraphML model from r. name becomes the model name (the
// file's base name without extension; "" for GraphML given as a string) and
// names the input in errors.
//
// The result is indexed. Its vertices are the nodes that have yEd graphics,
// in breadth-first order through group nodes; its edges are the GraphML
// edges with yEd graphics, in document order; the out-edge of the "Start"
// node is a start edge (nil Source) and Model.StartElementID is its id.
func Read(r io.Reader, name string) (*model.Model, error) {
	return read(r, name, name)
}

// raw records, collected while streaming and turned into a model once the
// whole document (and so every <key>) has been seen.
type keyRec struct {
	id, forWhat, attrName string
	yfiles                bool // has yfiles.type: not a custom property
	hasDefault            bool
	def                   string
}

type dataRec struct {
	key     string
	text    string // trimmed string value, if it may be a custom property
	graphic *graphicRec
}

type graphicRec struct {
	label    strings.Builder
	hasGeom  bool
	x, y     string
	geomLine int
	geomCol  int
}

type nodeRec struct {
	id       string
	hasID    bool
	line     int
	col      int
	group    bool // has a nested <graph>: a group/folder node, not a vertex
	data     []dataRec
	children []*nodeRec
}

type edgeRec struct {
	id, source, target string
	hasID              bool
	hasSource          bool
	hasTarget          bool
	line               int
	col                int
	data               []dataRec
}

type reader struct {
	s     *scanner
	file  string
	keys  []keyRec
	yKeys map[string]bool // key ids known to be yfiles keys so far
	top   []*nodeRec
	edges []*edgeRec
}

func read(r io.Reader, name, file string) (*model.Model, error) {
	s, err := newScanner(r)
	if err != nil {
		var xe *xmlError
		if errors.As(err, &xe) {
			return nil, &Error{File: file, Line: xe.line, Column: xe.col, Msg: msgNotYEd + " XML syntax error: " + xe.msg}
		}
		return nil, &Error{File: file, Msg: "Could not read the file.", Err: err}
	}
	rd := &reader{s: s, file: file, yKeys: map[string]bool{}}
	if err := rd.document(); err != nil {
		return nil, err
	}
	return rd.build(name)
}

func (r *reader) line() int { return r.s.tokLine() }

// col is the column (in characters) where the current token starts.
func (r *reader) col() int { return r.s.col(r.s.tokPos) }

// next moves to the next token; well-formedness errors become *Error.
func (r *reader) next() error {
	if err := r.s.next(); err != nil {
		var xe *xmlError
		if errors.As(err, &xe) {
			return &Error{File: r.file, Line: xe.line, Column: xe.col, Msg: msgNotYEd + " XML syntax error: " + xe.msg}
		}
		return err
	}
	return nil
}

// is reports whether the current token is a start tag with this local name.
func (r *reader) is(local string) bool { return r.s.kind == tStart && string(r.s.local) == local }

// skip consumes the rest of the element whose start tag was just read.
func (r *reader) skip() error {
	for depth := 1; depth > 0; {
		if err := r.next(); err != nil {
			return err
		}
		switch r.s.kind {
		case tStart:
			depth++
		case tEnd:
			depth--
		}
	}
	return nil
}

// text consumes the rest of the element and returns its string value (all
// descendant text).
func (r *reader) text() (string, error) {
	var sb strings.Builder
	for depth := 1; depth > 0; {
		if err := r.next(); err != nil {
			return "", err
		}
		switch r.s.kind {
		case tStart:
			depth++
		case tEnd:
			depth--
		case tText:
			sb.Write(r.s.text)
		}
	}
	return sb.String(), nil
}

func (r *reader) document() error {
	if err := r.next(); err != nil {
		return err
	}
	if !r.is("graphml") {
		return &Error{File: r.file, Line: r.line(), Column: r.col(), Msg: fmt.Sprintf("%s The root element is <%s>, not <graphml>.", msgNotYEd, r.s.name)}
	}
	if err := r.graphml(); err != nil {
		return err
	}
	return r.next() // the scanner checks that only comments and space follow
}

func (r *reader) graphml() error {
	for {
		if err := r.next(); err != nil {
			return err
		}
		var err error
		switch {
		case r.s.kind == tEnd:
			return nil
		case r.is("key"):
			err = r.key()
		case r.is("graph"):
			err = r.graph(nil, 0)
		case r.s.kind == tStart:
			err = r.skip()
		}
		if err != nil {
			return err
		}
	}
}

func (r *reader) key() error {
	k := keyRec{}
	k.id, _ = r.s.attr("id")
	k.forWhat, _ = r.s.attr("for")
	k.attrName, _ = r.s.attr("attr.name")
	_, k.yfiles = r.s.attr("yfiles.type")
	if k.yfiles {
		r.yKeys[k.id] = true
	}
	for {
		if err := r.next(); err != nil {
			return err
		}
		switch {
		case r.s.kind == tEnd:
			r.keys = append(r.keys, k)
			return nil
		case r.is("default") && !k.hasDefault:
			s, err := r.text()
			if err != nil {
				return err
			}
			k.hasDefault, k.def = true, javastr.Trim(s)
		case r.s.kind == tStart:
			if err := r.skip(); err != nil {
				return err
			}
		}
	}
}

// graph reads a <graph>; parent is the group node holding it (nil at the
// top level).
func (r *reader) graph(parent *nodeRec, depth int) error {
	if depth > maxNesting {
		return &Error{File: r.file, Line: r.line(), Column: r.col(), Msg: fmt.Sprintf("%s Group nodes are nested more than %d levels deep.", msgBadYEd, maxNesting)}
	}
	for {
		if err := r.next(); err != nil {
			return err
		}
		switch {
		case r.s.kind == tEnd:
			return nil
		case r.is("node"):
			n, err := r.node(depth)
			if err != nil {
				return err
			}
			if parent == nil {
				r.top = append(r.top, n)
			} else {
				parent.children = append(parent.children, n)
			}
		case r.is("edge"):
			if err := r.edge(); err != nil {
				return err
			}
		case r.s.kind == tStart:
			if err := r.skip(); err != nil {
				return err
			}
		}
	}
}

func (r *reader) node(depth int) (*nodeRec, error) {
	n := &nodeRec{line: r.line(), col: r.col()}
	n.id, n.hasID = r.s.attr("id")
	for {
		if err := r.next(); err != nil {
			return nil, err
		}
		switch {
		case r.s.kind == tEnd:
			return n, nil
		case r.is("data"):
			d, err := r.data(nodeGraphics, "NodeLabel")
			if err != nil {
				return nil, err
			}
			n.data = append(n.data, d)
		case r.is("graph"):
			n.group = true
			if err := r.graph(n, depth+1); err != nil {
				return nil, err
			}
		case r.s.kind == tStart:
			if err := r.skip(); err != nil {
				return nil, err
			}
		}
	}
}

func (r *reader) edge() error {
	e := &edgeRec{line: r.line(), col: r.col()}
	e.id, e.hasID = r.s.attr("id")
	e.source, e.hasSource = r.s.attr("source")
	e.target, e.hasTarget = r.s.attr("target")
	for {
		if err := r.next(); err != nil {
			return err
		}
		switch {
		case r.s.kind == tEnd:
			r.edges = append(r.edges, e)
			return nil
		case r.is("data"):
			d, err := r.data(edgeGraphics, "EdgeLabel")
			if err != nil {
				return err
			}
			e.data = append(e.data, d)
		case r.s.kind == tStart:
			if err := r.skip(); err != nil {
				return err
			}
		}
	}
}

// The yEd graphics elements GraphWalker reads labels from (SVGNode added).
var (
	nodeGraphics = map[string]bool{"GenericNode": true, "ShapeNode": true, "GenericGroupNode": true,
		"GroupNode": true, "ImageNode": true, "TableNode": true, "SVGNode": true}
	edgeGraphics = map[string]bool{"PolyLineEdge": true, "GenericEdge": true, "ArcEdge": true,
		"QuadCurveEdge": true, "SplineEdge": true, "BezierEdge": true}
)

// data reads a <data> element: its string value (when it may be a custom
// property) and, if it holds a yEd graphics element, that element's label
// text (all text of its direct <y:NodeLabel>/<y:EdgeLabel> children) and
// geometry.
func (r *reader) data(kinds map[string]bool, labelName string) (dataRec, error) {
	d := dataRec{}
	d.key, _ = r.s.attr("key")
	collect := !r.yKeys[d.key]
	var text strings.Builder
	var g *graphicRec
	depth, gDepth, lDepth := 0, -1, -1
	for {
		if err := r.next(); err != nil {
			return d, err
		}
		switch r.s.kind {
		case tStart:
			depth++
			local := r.s.local
			switch {
			case g == nil && kinds[string(local)]:
				g = &graphicRec{}
				gDepth = depth
			case gDepth > 0 && depth == gDepth+1 && string(local) == labelName:
				lDepth = depth
			case gDepth > 0 && depth == gDepth+1 && string(local) == "Geometry" && !g.hasGeom:
				g.hasGeom, g.geomLine, g.geomCol = true, r.line(), r.col()
				g.x, _ = r.s.attr("x")
				g.y, _ = r.s.attr("y")
			}
		case tEnd:
			if depth == 0 {
				if collect {
					d.text = javastr.Trim(text.String())
				}
				d.graphic = g
				return d, nil
			}
			if depth == lDepth {
				lDepth = -1
			}
			if depth == gDepth {
				gDepth = -1
			}
			depth--
		case tText:
			if collect {
				text.Write(r.s.text)
			}
			if lDepth > 0 {
				g.label.Write(r.s.text)
			}
		}
	}
}

// propKey is a custom property: a <key> for nodes or edges without
// yfiles.type.
type propKey struct {
	name       string
	hasDefault bool
	def        string
}

// customKeys returns the custom property keys for "node" or "edge" by id,
// and the ids in document order (a repeated id keeps its first position
// and its last definition, like GraphWalker's map).
func (r *reader) customKeys(forWhat string) (map[string]*propKey, []string) {
	byID := map[string]*propKey{}
	var order []string
	for _, k := range r.keys {
		if k.forWhat != forWhat || k.yfiles || k.attrName == "" {
			continue
		}
		if _, ok := byID[k.id]; !ok {
			order = append(order, k.id)
		}
		byID[k.id] = &propKey{name: k.attrName, hasDefault: k.hasDefault, def: k.def}
	}
	return byID, order
}

func applyData(props *model.Properties, keys map[string]*propKey, order []string, data []dataRec) {
	for _, id := range order {
		if k := keys[id]; k.hasDefault {
			props.Set(k.name, k.def)
		}
	}
	for _, d := range data {
		if k, ok := keys[d.key]; ok {
			props.Set(k.name, d.text)
		}
	}
}

func firstGraphic(data []dataRec) *graphicRec {
	for _, d := range data {
		if d.graphic != nil {
			return d.graphic
		}
	}
	return nil
}

func trimAll(tags []string) []string {
	for i, t := range tags {
		tags[i] = strings.TrimSpace(t)
	}
	return tags
}

func elemName(kind, id string, hasID bool) string {
	if !hasID {
		return kind + " without id"
	}
	return fmt.Sprintf("%s %q", kind, id)
}

// build turns the collected records into the model (core.md §8.3).
func (r *reader) build(name string) (*model.Model, error) {
	m := &model.Model{Name: name}
	nodeKeys, nodeOrder := r.customKeys("node")
	edgeKeys, edgeOrder := r.customKeys("edge")

	vertexByID := map[string]*model.Vertex{}
	nodeLine := map[string]int{}
	groups := map[string]bool{} // group node ids
	plain := map[string]bool{}  // nodes without yEd graphics
	var start *nodeRec          // the Start node
	queue := append([]*nodeRec(nil), r.top...)
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if n.hasID {
			if l, dup := nodeLine[n.id]; dup {
				return nil, &Error{File: r.file, Line: n.line, Column: n.col, Element: elemName("node", n.id, true),
					Msg: fmt.Sprintf("%s The node id is also used by the node on line %d; node ids must be unique.", msgBadYEd, l)}
			}
			nodeLine[n.id] = n.line
		}
		if n.group {
			groups[n.id] = true
			queue = append(queue, n.children...)
			continue
		}
		g := firstGraphic(n.data)
		if g == nil {
			plain[n.id] = true
			continue
		}
		text := g.label.String()
		lab, err := label.ParseVertex(text)
		if err != nil {
			return nil, &Error{File: r.file, Line: n.line, Column: n.col, Element: elemName("node", n.id, n.hasID), Err: err}
		}
		if lab.Start {
			if start != nil {
				return nil, &Error{File: r.file, Line: n.line, Column: n.col, Element: elemName("node", n.id, n.hasID),
					Msg: fmt.Sprintf("this is a second Start node (the first is node %q on line %d); a model has one Start node, rename or delete one of them", start.id, start.line)}
			}
			start = n
			continue
		}
		v := &model.Vertex{ID: n.id, Name: lab.Name, SharedState: lab.SharedState, Requirements: trimAll(lab.Requirements)}
		applyData(&v.Properties, nodeKeys, nodeOrder, n.data)
		if g.hasGeom {
			x, errx := parseDouble(g.x)
			y, erry := parseDouble(g.y)
			if errx != nil || erry != nil {
				return nil, &Error{File: r.file, Line: g.geomLine, Column: g.geomCol, Element: elemName("node", n.id, n.hasID),
					Msg: fmt.Sprintf("%s <y:Geometry> has x=%q y=%q; both must be numbers.", msgBadYEd, g.x, g.y)}
			}
			v.Properties.Set("x", x)
			v.Properties.Set("y", y)
		}
		if lab.Blocked {
			v.Properties.Set("blocked", true)
		}
		m.Actions = append(m.Actions, lab.InitActions...)
		if n.hasID {
			vertexByID[n.id] = v
		}
		m.Vertices = append(m.Vertices, v)
	}

	edgeLine := map[string]int{}
	var startEdge *model.Edge
	for _, er := range r.edges {
		g := firstGraphic(er.data)
		if g == nil {
			continue // not a yEd edge, as in GraphWalker
		}
		if er.hasID {
			if l, dup := edgeLine[er.id]; dup {
				return nil, &Error{File: r.file, Line: er.line, Column: er.col, Element: elemName("edge", er.id, er.hasID),
					Msg: fmt.Sprintf("%s The edge id is also used by the edge on line %d; edge ids must be unique.", msgBadYEd, l)}
			}
			if l, dup := nodeLine[er.id]; dup {
				return nil, &Error{File: r.file, Line: er.line, Column: er.col, Element: elemName("edge", er.id, er.hasID),
					Msg: fmt.Sprintf("%s The edge id is also used by the node on line %d; ids must be unique.", msgBadYEd, l)}
			}
			edgeLine[er.id] = er.line
		}
		lab, err := label.ParseEdge(g.label.String())
		if err != nil {
			return nil, &Error{File: r.file, Line: er.line, Column: er.col, Element: elemName("edge", er.id, er.hasID), Err: err}
		}
		isStart := start != nil && er.hasSource && er.source == start.id
		if start != nil && er.hasTarget && er.target == start.id {
			return nil, &Error{File: r.file, Line: er.line, Column: er.col, Element: elemName("edge", er.id, er.hasID),
				Msg: fmt.Sprintf("the edge goes into the Start node %q; the Start node can only have outgoing edges", start.id)}
		}
		target, err := r.endpoint(er, "target", er.target, er.hasTarget, vertexByID, groups, plain, nodeLine)
		if err != nil {
			return nil, err
		}
		var source *model.Vertex
		if !isStart {
			if source, err = r.endpoint(er, "source", er.source, er.hasSource, vertexByID, groups, plain, nodeLine); err != nil {
				return nil, err
			}
		}
		e := &model.Edge{ID: er.id, Name: lab.Name, Source: source, Target: target, Guard: lab.Guard,
			Actions: lab.Actions, Requirements: trimAll(lab.Requirements), Weight: lab.Weight, Dependency: lab.Dependency}
		applyData(&e.Properties, edgeKeys, edgeOrder, er.data)
		if lab.Blocked {
			e.Properties.Set("blocked", true)
		}
		if isStart {
			startEdge = e // the last one wins, as in GraphWalker
		}
		m.Edges = append(m.Edges, e)
	}
	if err := m.Index(); err != nil {
		return nil, &Error{File: r.file, Msg: msgBadYEd, Err: err}
	}
	if startEdge != nil {
		m.StartElementID = startEdge.ID
	}
	return m, nil
}

// endpoint resolves an edge's source or target node id to a vertex, or
// explains why it cannot (GraphWalker drops such edges silently).
func (r *reader) endpoint(er *edgeRec, end, id string, has bool, vertices map[string]*model.Vertex,
	groups, plain map[string]bool, nodeLine map[string]int) (*model.Vertex, error) {
	if v, ok := vertices[id]; ok && has {
		return v, nil
	}
	var why string
	switch {
	case !has:
		why = fmt.Sprintf("the edge has no %s attribute", end)
	case groups[id]:
		why = fmt.Sprintf("its %s %q is a group node, which is not a vertex; connect the edge to a node inside the group", end, id)
	case plain[id]:
		why = fmt.Sprintf("its %s %q (line %d) has no yEd graphics (no <y:ShapeNode> or similar), so it is not a vertex", end, id, nodeLine[id])
	default:
		why = fmt.Sprintf("its %s %q is not a node of the graph", end, id)
	}
	return nil, &Error{File: r.file, Line: er.line, Column: er.col, Element: elemName("edge", er.id, er.hasID), Msg: why + " (GraphWalker would silently drop this edge)"}
}

// parseDouble reads an xs:double as XMLBeans does, surrounding whitespace
// allowed.
func parseDouble(s string) (float64, error) {
	s = strings.TrimSpace(s)
	switch s {
	case "":
		return 0, nil // absent attribute: XMLBeans reports 0.0
	case "INF":
		s = "+Inf"
	case "-INF":
		s = "-Inf"
	}
	return strconv.ParseFloat(s, 64)
}
