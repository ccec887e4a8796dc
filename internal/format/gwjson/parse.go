package gwjson

import (
	"bytes"
	"fmt"
	"math"
	"strconv"

	"github.com/gw-project/gw/internal/model"
)

// NotValidMsg is GraphWalker's message for a JSON document without a
// "models" array (ContextFactoryException text).
const NotValidMsg = "The json file is not a valid GraphWalker model(s) file"

// Parse reads a GraphWalker JSON model file: {"seed"?, "models": [...]}.
// name is the file name used in error messages. Every returned model is
// indexed. Errors are *Error values.
//
// As GraphWalker joins the lines of a file without separators, a raw line
// break inside a quoted string is dropped; use ParseMessage for JSON that
// GraphWalker receives over the network, where it is kept.
func Parse(data []byte, name string) (*model.Document, error) {
	d := &decoder{data: data, file: name, dropBreaks: true}
	return d.document()
}

// ParseMessage is Parse for a model document that arrives in a WebSocket
// or REST message (the "gw" payload, the REST load body): raw line breaks
// inside strings are kept, as Gson reads the text unchanged.
func ParseMessage(data []byte, name string) (*model.Document, error) {
	d := &decoder{data: data, file: name}
	return d.document()
}

// rawEdge keeps what linking needs until all vertices of the model are
// known (edges may come before vertices in the file).
type rawEdge struct {
	e        *model.Edge
	src, dst string
	dstOff   int
}

type rawModel struct {
	m        *model.Model
	index    int
	off      int
	edges    []rawEdge
	pathIDs  []string
	pathOffs []int
}

func (d *decoder) document() (*model.Document, error) {
	if bytes.HasPrefix(d.data, []byte(bom)) {
		d.pos = len(bom) // Gson skips a leading byte order mark
	}
	c, err := d.skip()
	if err != nil {
		return nil, err
	}
	if c == eof {
		return nil, &Error{File: d.file, Msg: NotValidMsg + " (the document is empty)"}
	}
	if c != '{' {
		start := d.pos
		if isLiteral(byte(c)) && classify(d.literal()) == litNull {
			if err := d.end(); err != nil {
				return nil, err
			}
			return nil, d.errAt(start, "%s (the document is null)", NotValidMsg)
		}
		return nil, d.errAt(start, "expected '{' at the start of the document (a GraphWalker model file is an object with a \"models\" array), got %s", d.describe(start))
	}
	doc := &model.Document{}
	var raws []*rawModel
	hasModels, modelsOff := false, -1
	err = d.members(func(name string) error {
		switch name {
		case "models":
			c, err := d.skip()
			if err != nil {
				return err
			}
			modelsOff = d.pos
			raws, hasModels, err = d.models(c)
			return err
		case "seed":
			v, ok, err := d.integer(64)
			doc.Seed, doc.HasSeed = v, ok
			return err
		case "name": // ignored, but typed as in Gson
			_, _, err := d.str()
			return err
		}
		return d.skipAny()
	})
	if err != nil {
		return nil, err
	}
	if err := d.end(); err != nil {
		return nil, err
	}
	if !hasModels {
		if modelsOff >= 0 {
			return nil, d.errAt(modelsOff, "%s (\"models\" is null)", NotValidMsg)
		}
		return nil, &Error{File: d.file, Msg: NotValidMsg + " (it has no \"models\" array)"}
	}
	doc.Models = make([]*model.Model, len(raws))
	for i, rm := range raws {
		if err := d.link(rm); err != nil {
			return nil, err
		}
		doc.Models[i] = rm.m
	}
	return doc, nil
}

// end requires that only whitespace and comments remain.
func (d *decoder) end() error {
	c, err := d.skip()
	if err != nil {
		return err
	}
	if c != eof {
		return d.errAt(d.pos, "expected end of input after the JSON document, got %s", d.describe(d.pos))
	}
	return nil
}

// members walks the object starting at the next token, calling fn for each
// member with its name on the path; fn must consume the value.
func (d *decoder) members(fn func(name string) error) error {
	if err := d.enter(); err != nil {
		return err
	}
	d.pos++ // '{'
	for first := true; ; first = false {
		more, err := d.objectNext(first)
		if err != nil {
			return err
		}
		if !more {
			break
		}
		kb, err := d.key()
		if err != nil {
			return err
		}
		name := fieldName(kb)
		d.pushKey(name)
		if err := fn(name); err != nil {
			return err
		}
		d.pop()
	}
	d.depth--
	return nil
}

// fieldName avoids allocating the names this package knows.
func fieldName(b []byte) string {
	switch string(b) {
	case "models":
		return "models"
	case "seed":
		return "seed"
	case "name":
		return "name"
	case "id":
		return "id"
	case "generator":
		return "generator"
	case "startElementId":
		return "startElementId"
	case "actions":
		return "actions"
	case "requirements":
		return "requirements"
	case "properties":
		return "properties"
	case "vertices":
		return "vertices"
	case "edges":
		return "edges"
	case "predefinedPathEdgeIds":
		return "predefinedPathEdgeIds"
	case "sharedState":
		return "sharedState"
	case "guard":
		return "guard"
	case "weight":
		return "weight"
	case "dependency":
		return "dependency"
	case "sourceVertexId":
		return "sourceVertexId"
	case "targetVertexId":
		return "targetVertexId"
	case "srcVertexId":
		return "srcVertexId"
	case "dstVertexId":
		return "dstVertexId"
	case "startElement":
		return "startElement"
	case "action":
		return "action"
	}
	return text(b)
}

func (d *decoder) skipAny() error {
	c, err := d.skip()
	if err != nil {
		return err
	}
	return d.skipValue(c)
}

// elements walks the array starting at c (already skipped to), calling fn
// with the element index on the path. Omitted elements (",,") are null.
// Returns false when the value is null instead of an array.
func (d *decoder) elements(c int, what string, fn func(i int, c int) error) (bool, error) {
	if c != '[' {
		if d.isNull(c) {
			return false, nil
		}
		return false, d.errPath(d.pos, "expected %s, got %s", what, d.describe(d.pos))
	}
	if err := d.enter(); err != nil {
		return false, err
	}
	d.pos++
	d.pushIdx(0)
	for i, first := 0, true; ; i, first = i+1, false {
		more, elided, err := d.arrayNext(first)
		if err != nil {
			return false, err
		}
		if !more {
			break
		}
		d.setIdx(i)
		c := elidedNull
		if !elided {
			if c, err = d.skip(); err != nil {
				return false, err
			}
		}
		if err := fn(i, c); err != nil {
			return false, err
		}
	}
	d.pop()
	d.depth--
	return true, nil
}

// isNull consumes a null literal at d.pos (c from skip) if there is one.
func (d *decoder) isNull(c int) bool {
	if c == eof || !isLiteral(byte(c)) {
		return false
	}
	start := d.pos
	if classify(d.literal()) == litNull {
		return true
	}
	d.pos = start
	return false
}

// elidedNull is passed to element callbacks for an omitted element.
const elidedNull = -2

// elemNull reports (and consumes) a null array element.
func (d *decoder) elemNull(c int) bool {
	return c == elidedNull || d.isNull(c)
}

func (d *decoder) models(c int) ([]*rawModel, bool, error) {
	var raws []*rawModel
	ok, err := d.elements(c, "an array of models", func(i, c int) error {
		if c != '{' {
			if off := d.pos; d.elemNull(c) {
				return d.errPath(off, "a model must be an object, got null")
			}
			return d.errPath(d.pos, "expected a model object, got %s", d.describe(d.pos))
		}
		rm, err := d.model(i)
		raws = append(raws, rm)
		return err
	})
	return raws, ok, err
}

func (d *decoder) model(index int) (*rawModel, error) {
	rm := &rawModel{m: &model.Model{}, index: index, off: d.pos}
	m := rm.m
	err := d.members(func(name string) error {
		var err error
		switch name {
		case "name":
			m.Name, _, err = d.str()
		case "id":
			m.ID, _, err = d.str()
		case "generator":
			m.Generator, _, err = d.str()
		case "startElementId":
			m.StartElementID, _, err = d.str()
		case "actions":
			m.Actions, err = d.strList()
		case "requirements": // GraphWalker ignores these on read; we keep them
			m.Requirements, err = d.strList()
		case "properties":
			m.Properties, err = d.props()
		case "vertices":
			m.Vertices, err = d.vertices()
		case "edges":
			rm.edges, err = d.edges()
			m.Edges = make([]*model.Edge, len(rm.edges))
			for i, re := range rm.edges {
				m.Edges[i] = re.e
			}
		case "predefinedPathEdgeIds":
			rm.pathIDs, rm.pathOffs, err = d.pathIDs()
		default:
			err = d.skipAny()
		}
		return err
	})
	return rm, err
}

func (d *decoder) vertices() ([]*model.Vertex, error) {
	var out []*model.Vertex
	c, err := d.skip()
	if err != nil {
		return nil, err
	}
	_, err = d.elements(c, "an array of vertices", func(i, c int) error {
		if c != '{' {
			if off := d.pos; d.elemNull(c) {
				return d.errPath(off, "a vertex must be an object, got null")
			}
			return d.errPath(d.pos, "expected a vertex object, got %s", d.describe(d.pos))
		}
		v := &model.Vertex{}
		out = append(out, v)
		return d.members(func(name string) error {
			var err error
			switch name {
			case "id":
				v.ID, _, err = d.str()
			case "name":
				v.Name, _, err = d.str()
			case "sharedState":
				v.SharedState, _, err = d.str()
			case "actions":
				v.Actions, err = d.strList()
			case "requirements":
				v.Requirements, err = d.strList()
			case "properties":
				v.Properties, err = d.props()
			default:
				err = d.skipAny()
			}
			return err
		})
	})
	return out, err
}

func (d *decoder) edges() ([]rawEdge, error) {
	var out []rawEdge
	c, err := d.skip()
	if err != nil {
		return nil, err
	}
	_, err = d.elements(c, "an array of edges", func(i, c int) error {
		if c != '{' {
			if off := d.pos; d.elemNull(c) {
				return d.errPath(off, "an edge must be an object, got null")
			}
			return d.errPath(d.pos, "expected an edge object, got %s", d.describe(d.pos))
		}
		e := &model.Edge{}
		re := rawEdge{e: e}
		err := d.members(func(name string) error {
			var err error
			switch name {
			case "id":
				e.ID, _, err = d.str()
			case "name":
				e.Name, _, err = d.str()
			case "guard":
				e.Guard, _, err = d.str()
			case "actions":
				e.Actions, err = d.strList()
			case "requirements":
				e.Requirements, err = d.strList()
			case "properties":
				e.Properties, err = d.props()
			case "weight":
				e.Weight, _, err = d.number()
			case "dependency":
				var v int64
				v, _, err = d.integer(32)
				e.Dependency = int(v)
			case "sourceVertexId":
				re.src, _, err = d.strAt()
			case "targetVertexId":
				re.dst, re.dstOff, err = d.strAt()
			default:
				err = d.skipAny()
			}
			return err
		})
		out = append(out, re)
		return err
	})
	return out, err
}

func (d *decoder) pathIDs() ([]string, []int, error) {
	var ids []string
	var offs []int
	c, err := d.skip()
	if err != nil {
		return nil, nil, err
	}
	_, err = d.elements(c, "an array of edge ids", func(i, c int) error {
		off := d.pos
		s, ok, err := d.strFrom(c)
		if err != nil {
			return err
		}
		if !ok {
			return d.errPath(off, "null is not an edge id")
		}
		ids, offs = append(ids, s), append(offs, off)
		return nil
	})
	return ids, offs, err
}

// ---- typed scalars (Gson's String/Double/Integer/Long adapters) -------

// str reads a string field: strings, numbers (their text) and booleans
// are accepted, null gives ok=false.
func (d *decoder) str() (string, bool, error) {
	c, err := d.skip()
	if err != nil {
		return "", false, err
	}
	return d.strFrom(c)
}

// strAt is str that also returns the value's offset.
func (d *decoder) strAt() (string, int, error) {
	c, err := d.skip()
	if err != nil {
		return "", 0, err
	}
	off := d.pos
	s, _, err := d.strFrom(c)
	return s, off, err
}

func (d *decoder) strFrom(c int) (string, bool, error) {
	switch c {
	case elidedNull:
		return "", false, nil
	case '"', '\'':
		s, err := d.quoted()
		return string(s), err == nil, err
	case '{', '[', eof:
		return "", false, d.errPath(d.pos, "expected a string, got %s", d.kind(c))
	}
	if !isLiteral(byte(c)) {
		return "", false, d.errPath(d.pos, "expected a string, got %s", d.describe(d.pos))
	}
	lit := d.literal()
	switch classify(lit) {
	case litNull:
		return "", false, nil
	case litTrue:
		return "true", true, nil
	case litFalse:
		return "false", true, nil
	}
	return text(lit), true, nil
}

func (d *decoder) kind(c int) string {
	switch c {
	case '{':
		return "an object"
	case '[':
		return "an array"
	}
	return d.describe(d.pos)
}

// scalarText reads a number or string value as text for numeric fields.
// ok=false for null; quoted tells whether it was a quoted string.
func (d *decoder) scalarText(what string) (s string, off int, ok bool, err error) {
	c, err := d.skip()
	if err != nil {
		return "", 0, false, err
	}
	off = d.pos
	switch c {
	case '"', '\'':
		b, err := d.quoted()
		return string(b), off, err == nil, err
	case '{', '[', eof:
		return "", off, false, d.errPath(off, "expected %s, got %s", what, d.kind(c))
	}
	if !isLiteral(byte(c)) {
		return "", off, false, d.errPath(off, "expected %s, got %s", what, d.describe(off))
	}
	lit := d.literal()
	switch classify(lit) {
	case litNull:
		return "", off, false, nil
	case litTrue, litFalse:
		return "", off, false, d.errPath(off, "expected %s, got boolean %s", what, lit)
	}
	return text(lit), off, true, nil
}

// number reads a double field (edge weight). null gives 0, ok=false.
func (d *decoder) number() (float64, bool, error) {
	s, off, ok, err := d.scalarText("a number")
	if err != nil || !ok {
		return 0, false, err
	}
	f, ok := javaParseDouble(s)
	if !ok {
		return 0, false, d.errPath(off, "expected a finite number, got %s", strconv.Quote(s))
	}
	return f, true, nil
}

// integer reads an Integer (bits 32) or Long (bits 64) field. Like Gson it
// accepts numeric strings and integral decimals ("100", 1e2, 100.0).
func (d *decoder) integer(bits int) (int64, bool, error) {
	s, off, ok, err := d.scalarText("an integer")
	if err != nil || !ok {
		return 0, false, err
	}
	if v, ok := javaParseLong(s, bits); ok {
		return v, true, nil
	}
	f, ok := javaParseDouble(s)
	limit := math.Ldexp(1, bits-1)
	if !ok || f != math.Trunc(f) || f < -limit || f >= limit {
		return 0, false, d.errPath(off, "expected an integer (%d-bit), got %s", bits, strconv.Quote(s))
	}
	return int64(f), true, nil
}

// strList reads a list of strings; null entries are dropped.
func (d *decoder) strList() ([]string, error) {
	c, err := d.skip()
	if err != nil {
		return nil, err
	}
	out := []string{}
	ok, err := d.elements(c, "an array of strings", func(i, c int) error {
		s, ok, err := d.strFrom(c)
		if ok {
			out = append(out, s)
		}
		return err
	})
	if !ok {
		return nil, err
	}
	return out, err
}

// props reads a properties object; null gives nil.
func (d *decoder) props() (model.Properties, error) {
	c, err := d.skip()
	if err != nil {
		return nil, err
	}
	switch {
	case c == '{':
		return d.object(true)
	case c == '[':
		return d.propPairs()
	case d.isNull(c):
		return nil, nil
	}
	return nil, d.errPath(d.pos, "expected a properties object, got %s", d.describe(d.pos))
}

// propPairs reads properties written as an array of [key, value] pairs,
// which Gson accepts for a Map field ("properties": [] is common).
func (d *decoder) propPairs() (model.Properties, error) {
	props := model.Properties{}
	seen := map[string]bool{}
	_, err := d.elements('[', "an array of [key, value] pairs", func(i, c int) error {
		if c != '[' {
			return d.errPath(d.pos, "expected a [key, value] pair, got %s", d.describe(d.pos))
		}
		if err := d.enter(); err != nil {
			return err
		}
		open := d.pos
		d.pos++
		more, elided, err := d.arrayNext(true)
		if err != nil {
			return err
		}
		if !more {
			return d.errPath(open, "expected a [key, value] pair, got an empty array")
		}
		c = elidedNull
		if !elided {
			c, _ = d.skip()
		}
		keyOff := d.pos
		k, ok, err := d.strFrom(c)
		if err != nil {
			return err
		}
		if !ok {
			return d.errPath(keyOff, "a property key cannot be null")
		}
		if more, elided, err = d.arrayNext(false); err != nil {
			return err
		}
		var v any
		if more && !elided {
			c, _ = d.skip()
			if v, err = d.value(c); err != nil {
				return err
			}
		}
		if more {
			if more, _, err = d.arrayNext(false); err != nil {
				return err
			}
			if more {
				return d.errPath(d.pos, "expected ']' after a [key, value] pair, got %s", d.describe(d.pos))
			}
		}
		d.depth--
		if seen[k] {
			return d.errPath(keyOff, "duplicate property key %q", k)
		}
		seen[k] = true
		props = append(props, model.Property{Key: k, Value: v})
		return nil
	})
	return props, err
}

// ---- linking ---------------------------------------------------------

func describeModel(rm *rawModel) string {
	if rm.m.Name != "" {
		return fmt.Sprintf("model %q", rm.m.Name)
	}
	return fmt.Sprintf("models[%d] (unnamed model)", rm.index)
}

func describeEdge(i int, e *model.Edge) string {
	switch {
	case e.Name != "" && e.ID != "":
		return fmt.Sprintf("edge %q (id %s)", e.Name, e.ID)
	case e.ID != "":
		return fmt.Sprintf("edge with id %s", e.ID)
	case e.Name != "":
		return fmt.Sprintf("edge %q (edges[%d])", e.Name, i)
	}
	return fmt.Sprintf("edges[%d]", i)
}

// link resolves vertex ids and the predefined path, then indexes the
// model. As in GraphWalker the last vertex with an id wins and an edge
// whose source is absent or unknown is a start edge; an unknown target is
// an error (GraphWalker would leave the edge dangling).
func (d *decoder) link(rm *rawModel) error {
	m := rm.m
	byID := make(map[string]*model.Vertex, len(m.Vertices))
	for _, v := range m.Vertices {
		if v.ID == "" {
			v.ID = model.NewID()
		}
		byID[v.ID] = v
	}
	for i, re := range rm.edges {
		// An unknown source makes a start edge, as in GraphWalker: upstream
		// models use "sourceVertexId": "Start" for the start edge.
		re.e.Source = byID[re.src]
		if re.dst != "" {
			v := byID[re.dst]
			if v == nil {
				return d.errAt(re.dstOff, "%s: %s: targetVertexId %q is not the id of any vertex in the model", describeModel(rm), describeEdge(i, re.e), re.dst)
			}
			re.e.Target = v
		}
	}
	if rm.pathIDs != nil {
		first := make(map[string]*model.Edge, len(m.Edges))
		for _, e := range m.Edges {
			if _, ok := first[e.ID]; !ok && e.ID != "" {
				first[e.ID] = e
			}
		}
		m.PredefinedPath = make([]*model.Edge, len(rm.pathIDs))
		for i, id := range rm.pathIDs {
			e := first[id]
			if e == nil {
				return d.errAt(rm.pathOffs[i], "%s: Edge with id %q could not be found in JsonModel", describeModel(rm), id)
			}
			m.PredefinedPath[i] = e
		}
	}
	if err := m.Index(); err != nil {
		return d.errAt(rm.off, "%v", err)
	}
	return nil
}
