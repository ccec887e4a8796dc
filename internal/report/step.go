package report

import (
	"strconv"
	"strings"

	"github.com/gw-project/gw/internal/jsonx"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
)

// StepOptions select the fields of a step object.
type StepOptions struct {
	Verbose   bool // modelName, currentElementID, data, properties, actions
	Unvisited bool // numberOfElements, numberOfUnvisitedElements, unvisitedElements
	Result    bool // "result":"ok" first (REST)
}

// AppendPlainStep appends the step object gw offline prints by default,
// {"currentElementName":NAME}, for element el of m. It reads only the
// model, so any goroutine may call it during a walk.
func AppendPlainStep(dst []byte, m *model.Model, el model.Element) []byte {
	return appendName(append(dst, '{'), m, el)
}

// appendName ends a plain step object.
func appendName(dst []byte, m *model.Model, el model.Element) []byte {
	dst = append(dst, `"currentElementName":`...)
	dst = jsonx.AppendString(dst, m.ElementName(el))
	return append(dst, '}')
}

// AppendStep appends the JSON step object for s, with GraphWalker's key
// order (protocol.md Appendix B). Listing the data (verbose) runs getters
// under the machine's deadline and may fail on a limit.
func AppendStep(dst []byte, s machine.Step, o StepOptions) ([]byte, error) {
	c := s.Context
	m := c.Model()
	el := s.Element
	dst = append(dst, '{')
	if o.Result {
		dst = append(dst, `"result":"ok",`...)
	}
	if !o.Verbose && !o.Unvisited { // the hot path of `gw offline`
		return appendName(dst, m, el), nil
	}
	if o.Verbose {
		if m.Name != "" { // GraphWalker drops the key of a model without a name
			dst = append(dst, `"modelName":`...)
			dst = jsonx.AppendString(dst, BaseName(m.Name))
			dst = append(dst, ',')
		}
		dst = append(dst, `"data":[`...)
		kvs, err := c.Data()
		if err != nil {
			return dst, err
		}
		for i, kv := range kvs {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, '{')
			dst = jsonx.AppendString(dst, kv.Key)
			dst = append(dst, ':')
			dst = jsonx.AppendString(dst, kv.Value)
			dst = append(dst, '}')
		}
		dst = append(dst, "],"...)
	}
	if o.Unvisited {
		dst = append(dst, `"numberOfElements":`...)
		dst = strconv.AppendInt(dst, int64(m.NumElements()), 10)
		dst = append(dst, ',')
	}
	if o.Verbose {
		dst = append(dst, `"currentElementID":`...)
		dst = jsonx.AppendString(dst, m.ElementID(el))
		dst = append(dst, ',')
	}
	if o.Unvisited {
		dst = append(dst, `"numberOfUnvisitedElements":`...)
		dst = strconv.AppendInt(dst, int64(m.NumElements()-c.VisitedVertices()-c.VisitedEdges()), 10)
		dst = append(dst, ',')
	}
	dst = append(dst, `"currentElementName":`...)
	dst = jsonx.AppendString(dst, m.ElementName(el))
	if o.Unvisited {
		dst = append(dst, `,"unvisitedElements":[`...)
		first := true
		for e := range m.NumElements() {
			if c.Visited(e) {
				continue
			}
			if !first {
				dst = append(dst, ',')
			}
			first = false
			var obj jsonx.Object
			if o.Verbose {
				obj.Str("elementId", m.ElementID(e))
			}
			if name := m.ElementName(e); name != "" {
				obj.Str("elementName", name)
			}
			dst = obj.AppendTo(dst)
		}
		dst = append(dst, ']')
	}
	if o.Verbose {
		if acts := m.ElementActions(el); len(acts) > 0 {
			dst = append(dst, `,"actions":[`...)
			for i, a := range acts {
				if i > 0 {
					dst = append(dst, ',')
				}
				dst = append(dst, `{"Action":`...)
				dst = jsonx.AppendString(dst, a)
				dst = append(dst, '}')
			}
			dst = append(dst, ']')
		}
		dst = append(dst, `,"properties":`...)
		dst = AppendProperties(dst, m.ElementProperties(el))
	}
	return append(dst, '}'), nil
}

// AppendProperties appends properties as GraphWalker's array of one-key
// objects, values keeping their JSON type, in GraphWalker's order.
func AppendProperties(dst []byte, p model.Properties) []byte {
	dst = append(dst, '[')
	for i, kv := range javaHashMapOrder(p) {
		if i > 0 {
			dst = append(dst, ',')
		}
		var obj jsonx.Object
		if kv.Value == nil {
			obj.Null(kv.Key)
		} else {
			obj.Value(kv.Key, kv.Value)
		}
		dst = obj.AppendTo(dst)
	}
	return append(dst, ']')
}

// BaseName is GraphWalker's FilenameUtils.getBaseName applied to a model
// name, as its step objects show it: no folder and no last extension
// ("com.acme.Login" becomes "com.acme").
func BaseName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[:i]
	}
	return name
}
