package gwjson

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/gw-project/gw/internal/jsonx"
	"github.com/gw-project/gw/internal/model"
)

// WriteOptions tunes Write. The zero value writes what GraphWalker's
// `convert` writes for models read from files.
type WriteOptions struct {
	// EmptyModelName writes "name":"" for a model without a name instead
	// of omitting the key. GraphWalker omits a null name but writes an
	// empty one, which is what a model converted from a GraphML string
	// (WebSocket convertGraphml) has.
	EmptyModelName bool
}

// Write writes models as GraphWalker's Gson does: compact
// {"models":[...]}, keys in GraphWalker's order, HTML-safe escaping, doubles
// in Java's Double.toString form. Models are expected to be indexed (every
// element has an id). Generator and StartElementID are written as given.
func Write(w io.Writer, models []*model.Model, opts WriteOptions) error {
	b, err := Marshal(models, opts)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Marshal is Write into a new byte slice.
func Marshal(models []*model.Model, opts WriteOptions) ([]byte, error) {
	return AppendModels(make([]byte, 0, 4096), models, opts)
}

// AppendModels is Write appending to dst.
func AppendModels(dst []byte, models []*model.Model, opts WriteOptions) ([]byte, error) {
	if len(models) == 0 {
		return append(dst, "{}"...), nil // Gson omits the null models list
	}
	b := append(dst, `{"models":[`...)
	for i, m := range models {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendModel(b, m, opts); err != nil {
			return dst, err
		}
	}
	return append(b, "]}"...), nil
}

// fieldWriter writes the members of one object, handling the commas.
type fieldWriter struct {
	b     []byte
	first bool
}

func (f *fieldWriter) key(k string) {
	if !f.first {
		f.b = append(f.b, ',')
	}
	f.first = false
	f.b = appendString(f.b, k)
	f.b = append(f.b, ':')
}

func (f *fieldWriter) str(k, v string) {
	f.key(k)
	f.b = appendString(f.b, v)
}

func (f *fieldWriter) strs(k string, vs []string) {
	f.key(k)
	f.b = append(f.b, '[')
	for i, v := range vs {
		if i > 0 {
			f.b = append(f.b, ',')
		}
		f.b = appendString(f.b, v)
	}
	f.b = append(f.b, ']')
}

func (f *fieldWriter) props(k string, p model.Properties) error {
	f.key(k)
	var err error
	f.b, err = appendProps(f.b, p)
	return err
}

func appendModel(b []byte, m *model.Model, opts WriteOptions) ([]byte, error) {
	b, _, err := appendModelSpan(b, m, opts)
	return b, err
}

// MarshalModel is one model's object as Write writes it within
// {"models":[...]}, and where its "generator" member is in it (an empty
// span when it has none; removing the span leaves the object Write
// writes for the model without a generator). A run record needs both
// and marshals a large model once.
func MarshalModel(m *model.Model, opts WriteOptions) (b []byte, generator [2]int, err error) {
	// Growing by doubling would touch about twice the final size in
	// fresh pages; a large model's elements take ~100 bytes each.
	return appendModelSpan(make([]byte, 0, 4096+128*m.NumElements()), m, opts)
}

func appendModelSpan(b []byte, m *model.Model, opts WriteOptions) ([]byte, [2]int, error) {
	f := fieldWriter{b: append(b, '{'), first: true}
	if m.Name != "" || opts.EmptyModelName {
		f.str("name", m.Name)
	}
	f.str("id", m.ID) // so that the generator's member begins with a comma
	gen := [2]int{len(f.b), len(f.b)}
	if m.Generator != "" {
		f.str("generator", m.Generator)
		gen[1] = len(f.b)
	}
	if m.StartElementID != "" {
		f.str("startElementId", m.StartElementID)
	}
	if len(m.Actions) > 0 {
		f.strs("actions", m.Actions)
	}
	if len(m.Requirements) > 0 {
		f.strs("requirements", m.Requirements)
	}
	if len(m.Properties) > 0 {
		if err := f.props("properties", m.Properties); err != nil {
			return b, gen, fmt.Errorf("model %q: properties: %w", m.Name, err)
		}
	}
	f.key("vertices")
	f.b = append(f.b, '[')
	for i, v := range m.Vertices {
		if i > 0 {
			f.b = append(f.b, ',')
		}
		var err error
		if f.b, err = appendVertex(f.b, v); err != nil {
			return b, gen, fmt.Errorf("model %q: vertex %s: %w", m.Name, v.Label(), err)
		}
	}
	f.b = append(f.b, ']')
	f.key("edges")
	f.b = append(f.b, '[')
	for i, e := range m.Edges {
		if i > 0 {
			f.b = append(f.b, ',')
		}
		var err error
		if f.b, err = appendEdge(f.b, e); err != nil {
			return b, gen, fmt.Errorf("model %q: edge %s: %w", m.Name, e.Label(), err)
		}
	}
	f.b = append(f.b, ']')
	if len(m.PredefinedPath) > 0 {
		f.key("predefinedPathEdgeIds")
		f.b = append(f.b, '[')
		for i, e := range m.PredefinedPath {
			if i > 0 {
				f.b = append(f.b, ',')
			}
			f.b = appendString(f.b, e.ID)
		}
		f.b = append(f.b, ']')
	}
	return append(f.b, '}'), gen, nil
}

// scripted writes the actions, requirements and properties an element
// has, in Gson's field order, leaving out empty ones.
func (f *fieldWriter) scripted(actions, requirements []string, props model.Properties) error {
	if len(actions) > 0 {
		f.strs("actions", actions)
	}
	if len(requirements) > 0 {
		f.strs("requirements", requirements)
	}
	if len(props) > 0 {
		return f.props("properties", props)
	}
	return nil
}

func appendVertex(b []byte, v *model.Vertex) ([]byte, error) {
	f := fieldWriter{b: append(b, '{'), first: true}
	f.str("id", v.ID)
	if v.Name != "" {
		f.str("name", v.Name)
	}
	if v.SharedState != "" {
		f.str("sharedState", v.SharedState)
	}
	if err := f.scripted(v.Actions, v.Requirements, v.Properties); err != nil {
		return b, err
	}
	return append(f.b, '}'), nil
}

func appendEdge(b []byte, e *model.Edge) ([]byte, error) {
	if math.IsNaN(e.Weight) || math.IsInf(e.Weight, 0) {
		return b, fmt.Errorf("weight %v cannot be written as JSON", e.Weight)
	}
	f := fieldWriter{b: append(b, '{'), first: true}
	f.str("id", e.ID)
	if e.Name != "" {
		f.str("name", e.Name)
	}
	if e.Guard != "" {
		f.str("guard", e.Guard)
	}
	if err := f.scripted(e.Actions, e.Requirements, e.Properties); err != nil {
		return b, err
	}
	f.key("weight")
	f.b = AppendJavaDouble(f.b, e.Weight)
	f.key("dependency")
	f.b = strconv.AppendInt(f.b, int64(e.Dependency), 10)
	if e.Source != nil {
		f.str("sourceVertexId", e.Source.ID)
	}
	if e.Target != nil {
		f.str("targetVertexId", e.Target.ID)
	}
	return append(f.b, '}'), nil
}

// appendProps writes an object; null values are left out (Gson does not
// serialize nulls in maps).
func appendProps(b []byte, p model.Properties) ([]byte, error) {
	b = append(b, '{')
	first := true
	for _, kv := range p {
		if kv.Value == nil {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendString(b, kv.Key)
		b = append(b, ':')
		var err error
		if b, err = appendValue(b, kv.Value); err != nil {
			return b, fmt.Errorf("%q: %w", kv.Key, err)
		}
	}
	return append(b, '}'), nil
}

func appendValue(b []byte, v any) ([]byte, error) {
	var f float64
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		return appendString(b, v), nil
	case bool:
		return strconv.AppendBool(b, v), nil
	case model.Properties:
		return appendProps(b, v)
	case []any:
		b = append(b, '[')
		for i, e := range v {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendValue(b, e); err != nil {
				return b, err
			}
		}
		return append(b, ']'), nil
	case []string:
		b = append(b, '[')
		for i, e := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, e)
		}
		return append(b, ']'), nil
	// Numbers are Java doubles in GraphWalker's properties.
	case float64:
		f = v
	case float32:
		f = float64(v)
	case int:
		f = float64(v)
	case int32:
		f = float64(v)
	case int64:
		f = float64(v)
	case uint:
		f = float64(v)
	case uint32:
		f = float64(v)
	case uint64:
		f = float64(v)
	default:
		return b, fmt.Errorf("cannot write a property value of type %T", v)
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return b, fmt.Errorf("%v cannot be written as JSON", f)
	}
	return AppendJavaDouble(b, f), nil
}

// appendString writes s as a Gson HTML-safe JSON string.
func appendString(b []byte, s string) []byte {
	const hexd = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			var esc string
			switch c {
			case '"':
				esc = `\"`
			case '\\':
				esc = `\\`
			case '\t':
				esc = `\t`
			case '\b':
				esc = `\b`
			case '\n':
				esc = `\n`
			case '\r':
				esc = `\r`
			case '\f':
				esc = `\f`
			case '<', '>', '&', '=', '\'':
			default:
				if c >= ' ' {
					i++
					continue
				}
			}
			b = append(b, s[start:i]...)
			if esc != "" {
				b = append(b, esc...)
			} else {
				b = append(b, '\\', 'u', '0', '0', hexd[c>>4], hexd[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b = append(b, s[start:i]...)
			b = append(b, "\ufffd"...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexd[r&0xf])
		default:
			i += n
			continue
		}
		i += n
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// AppendJavaDouble appends f as Java's Double.toString writes it.
func AppendJavaDouble(b []byte, f float64) []byte { return jsonx.AppendJavaDouble(b, f) }
