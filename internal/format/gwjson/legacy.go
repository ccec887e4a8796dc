package gwjson

import (
	"strings"

	"github.com/gw-project/gw/internal/model"
)

// MsgLooksV4 says how to send a GraphWalker 4 model over WebSocket.
const MsgLooksV4 = `this looks like a GraphWalker 4 model (sourceVertexId/targetVertexId, a "models" array): send it with {"command":"start","gw":{"models":[...]}} instead of loadModel`

// ParseLegacy reads the historic single-model JSON of GraphWalker 3.2/3.3
// (the "model" of a WebSocket {"type":"loadModel"} message):
//
//	{"name", "generator",
//	 "vertices": [{"id", "name", "startElement"?}],
//	 "edges": [{"id", "name", "srcVertexId"?, "dstVertexId", "startElement"?,
//	            "actions": [{"action": "x=0;"}]?}]}
//
// GraphWalker 3's format has no guards or weights; a "guard" or "weight"
// on an edge is read as the 4.x reader reads it (a user who writes one
// expects it to work). A model in the 4.x format (a "models" array, or
// edges with sourceVertexId/targetVertexId) is an error that says how to
// send it.
//
// name, generator, vertices, edges, and each element's id and name are
// required, as is an edge's dstVertexId. startElement (true or "true")
// makes that element the start element; the last one marked wins. The
// result is indexed. Errors are *Error values.
func ParseLegacy(data []byte) (*model.Model, error) {
	d := &decoder{data: data}
	c, err := d.skip()
	if err != nil {
		return nil, err
	}
	if c != '{' {
		return nil, d.errAt(d.pos, "expected '{' at the start of the model, got %s", d.describe(d.pos))
	}
	m := &model.Model{}
	var hasName, hasGen, hasV, hasE bool
	type ledge struct {
		e        *model.Edge
		src, dst string
		dstOff   int
	}
	var edges []ledge
	startV, startE := -1, -1
	var v4 bool // a 4.x member was seen
	err = d.members(func(name string) error {
		var err error
		switch name {
		case "models":
			v4 = true
			err = d.skipAny()
		case "name":
			m.Name, hasName, err = d.str()
		case "generator":
			m.Generator, hasGen, err = d.str()
		case "vertices":
			m.Vertices, startV = nil, -1
			var c int
			if c, err = d.skip(); err != nil {
				return err
			}
			hasV, err = d.elements(c, "an array of vertices", func(i, c int) error {
				off, err := d.legacyObject(c, "vertex")
				if err != nil {
					return err
				}
				v := &model.Vertex{}
				var hasID, hasName, start bool
				err = d.members(func(name string) error {
					var err error
					switch name {
					case "id":
						v.ID, hasID, err = d.str()
					case "name":
						v.Name, hasName, err = d.str()
					case "startElement":
						start, err = d.legacyBool()
					default:
						err = d.skipAny()
					}
					return err
				})
				if err != nil {
					return err
				}
				if !hasID {
					return d.errPath(off, `vertex has no "id"`)
				}
				if !hasName {
					return d.errPath(off, `vertex %q has no "name"`, v.ID)
				}
				if start {
					startV = len(m.Vertices)
				}
				m.Vertices = append(m.Vertices, v)
				return nil
			})
		case "edges":
			edges, startE = nil, -1
			var c int
			if c, err = d.skip(); err != nil {
				return err
			}
			hasE, err = d.elements(c, "an array of edges", func(i, c int) error {
				off, err := d.legacyObject(c, "edge")
				if err != nil {
					return err
				}
				le := ledge{e: &model.Edge{}}
				var hasID, hasName, hasDst, start, hasTarget bool
				err = d.members(func(name string) error {
					var err error
					switch name {
					case "id":
						le.e.ID, hasID, err = d.str()
					case "name":
						le.e.Name, hasName, err = d.str()
					case "srcVertexId":
						le.src, _, err = d.strAt()
					case "dstVertexId":
						var c int
						if c, err = d.skip(); err != nil {
							return err
						}
						le.dstOff = d.pos
						le.dst, hasDst, err = d.strFrom(c)
					case "startElement":
						start, err = d.legacyBool()
					case "actions":
						le.e.Actions, err = d.legacyActions()
					case "guard":
						le.e.Guard, _, err = d.str()
					case "weight":
						le.e.Weight, _, err = d.number()
					case "targetVertexId", "sourceVertexId":
						hasTarget = hasTarget || name == "targetVertexId"
						v4 = true
						err = d.skipAny()
					default:
						err = d.skipAny()
					}
					return err
				})
				if err != nil {
					return err
				}
				switch {
				case !hasID:
					return d.errPath(off, `edge has no "id"`)
				case !hasName:
					return d.errPath(off, `edge %q has no "name"`, le.e.ID)
				case !hasDst && hasTarget:
					return d.errPath(off, `edge %q has "targetVertexId", not "dstVertexId": %s`, le.e.ID, MsgLooksV4)
				case !hasDst:
					return d.errPath(off, `edge %q has no "dstVertexId" (the id of its target vertex)`, le.e.ID)
				}
				if start {
					startE = len(edges)
				}
				edges = append(edges, le)
				return nil
			})
		default:
			err = d.skipAny()
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := d.end(); err != nil {
		return nil, err
	}
	if v4 && !hasV && !hasE {
		return nil, &Error{Msg: MsgLooksV4}
	}
	var missing []string
	for _, f := range []struct {
		ok   bool
		name string
	}{{hasName, `"name"`}, {hasGen, `"generator"`}, {hasV, `"vertices"`}, {hasE, `"edges"`}} {
		if !f.ok {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return nil, &Error{Msg: "the model has no " + strings.Join(missing, ", ") + " (a GraphWalker 3 model needs name, generator, vertices and edges)"}
	}
	byID := make(map[string]*model.Vertex, len(m.Vertices))
	for _, v := range m.Vertices {
		byID[v.ID] = v
	}
	m.Edges = make([]*model.Edge, len(edges))
	for i, le := range edges {
		le.e.Source = byID[le.src] // absent or unknown: a start edge, as in GraphWalker 3
		if le.e.Target = byID[le.dst]; le.e.Target == nil {
			return nil, d.errAt(le.dstOff, "edge %q: dstVertexId %q is not the id of any vertex in the model", le.e.ID, le.dst)
		}
		m.Edges[i] = le.e
	}
	// GraphWalker 3 reads vertices first, so a marked edge wins.
	switch {
	case startE >= 0:
		m.StartElementID = m.Edges[startE].ID
	case startV >= 0:
		m.StartElementID = m.Vertices[startV].ID
	}
	if err := m.Index(); err != nil {
		return nil, &Error{Msg: err.Error()}
	}
	return m, nil
}

// legacyObject checks that an array element is an object and returns its
// offset.
func (d *decoder) legacyObject(c int, what string) (int, error) {
	if c == '{' {
		return d.pos, nil
	}
	if off := d.pos; d.elemNull(c) {
		return 0, d.errPath(off, "a %s must be an object, got null", what)
	}
	return 0, d.errPath(d.pos, "expected a %s object, got %s", what, d.describe(d.pos))
}

// legacyBool is org.json getBoolean: true/false or the strings "true" and
// "false" in any case. Anything else was ignored by GraphWalker 3 (false).
func (d *decoder) legacyBool() (bool, error) {
	c, err := d.skip()
	if err != nil {
		return false, err
	}
	switch c {
	case '{', '[':
		return false, d.skipValue(c)
	case '"', '\'':
		s, err := d.quoted()
		return strings.EqualFold(string(s), "true"), err
	}
	if c == eof || !isLiteral(byte(c)) {
		return false, d.errPath(d.pos, "expected a value, got %s", d.describe(d.pos))
	}
	return classify(d.literal()) == litTrue, nil
}

// legacyActions reads [{"action": "script"}, ...]. GraphWalker 3 kept at
// most as many actions as the model had vertices (a loop bound bug); all
// are kept here.
func (d *decoder) legacyActions() ([]string, error) {
	c, err := d.skip()
	if err != nil {
		return nil, err
	}
	var out []string
	_, err = d.elements(c, `an array of {"action": "..."} objects`, func(i, c int) error {
		off, err := d.legacyObject(c, `{"action": "..."}`)
		if err != nil {
			return err
		}
		var s string
		var ok bool
		err = d.members(func(name string) error {
			var err error
			if name == "action" {
				s, ok, err = d.str()
			} else {
				err = d.skipAny()
			}
			return err
		})
		if err != nil {
			return err
		}
		if !ok {
			return d.errPath(off, `action object has no "action" string`)
		}
		out = append(out, s)
		return nil
	})
	return out, err
}
