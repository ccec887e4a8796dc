package dot

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/gw-project/gw/internal/model"
)

// Write writes models as DOT, one digraph per model, in GraphWalker's
// layout: `src -> dst [label="name\n[guard]\n/actions"];` per edge, with
// Start as the source of start edges. Unlike GraphWalker it quotes names
// that need it, keeps vertices without edges and keeps vertex order (node
// statements are written when edges alone would not give it), and when
// vertex names cannot serve as node ids (empty, repeated or "Start") it
// uses vertex ids with label=name.
func Write(w io.Writer, models []*model.Model) error {
	var b strings.Builder
	for i, m := range models {
		if m == nil {
			return fmt.Errorf("dot: model %d is nil", i)
		}
		if err := writeModel(&b, m); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeModel(b *strings.Builder, m *model.Model) error {
	ids, labeled := nodeIDs(m)
	b.WriteString("digraph ")
	b.WriteString(quoteID(m.Name))
	b.WriteString(" {\n") // no indentation below: GraphWalker writes none
	if labeled || !edgesKeepVertexOrder(m) {
		for _, v := range m.Vertices {
			b.WriteString(ids[v])
			if labeled {
				b.WriteString(" [label=")
				b.WriteString(quote(v.Name))
				b.WriteString("]")
			}
			b.WriteString(";\n")
		}
	}
	end := func(e *model.Edge, v *model.Vertex, what string) (string, error) {
		if v == nil {
			return "Start", nil
		}
		id, ok := ids[v]
		if !ok {
			return "", fmt.Errorf("dot: model %q: edge %s: %s vertex %s is not in the model", m.Name, e.Label(), what, v.Label())
		}
		return id, nil
	}
	for _, e := range m.Edges {
		src, err := end(e, e.Source, "source")
		if err != nil {
			return err
		}
		dst, err := end(e, e.Target, "target")
		if err != nil {
			return err
		}
		b.WriteString(src)
		b.WriteString(" -> ")
		b.WriteString(dst)
		if l := edgeLabel(e); l != "" {
			b.WriteString(" [label=\"")
			b.WriteString(l)
			b.WriteString("\"]")
		}
		b.WriteString(";\n")
	}
	b.WriteString("}\n")
	return nil
}

// edgeLabel is the escaped label text of e: name, then a literal \n and
// [guard], then \n/ and the actions, as GraphWalker writes it.
func edgeLabel(e *model.Edge) string {
	var b strings.Builder
	b.WriteString(escape(e.Name))
	if e.Guard != "" {
		b.WriteString(`\n[`)
		b.WriteString(escape(e.Guard))
		b.WriteString("]")
	}
	if len(e.Actions) > 0 {
		b.WriteString(`\n/`)
		if strings.HasPrefix(e.Actions[0], "/") {
			b.WriteString(" ") // "\n//" would start a label comment
		}
		for i, a := range e.Actions {
			if i > 0 {
				b.WriteString(" ")
			}
			b.WriteString(escape(a))
			// GraphWalker concatenates scripts as they are; end each with
			// ';' so that they stay separate statements.
			if !strings.HasSuffix(strings.TrimSpace(a), ";") {
				b.WriteString(";")
			}
		}
	}
	return b.String()
}

// nodeIDs picks the node id of each vertex. Vertex names are used, as
// GraphWalker does, when they are all usable as distinct ids; otherwise
// vertex ids (or n0, n1, ... if those are not usable either) and labeled
// is true: each node then needs a label giving its name.
func nodeIDs(m *model.Model) (ids map[*model.Vertex]string, labeled bool) {
	usable := func(key func(*model.Vertex) string) bool {
		seen := make(map[string]bool, len(m.Vertices))
		for _, v := range m.Vertices {
			k := key(v)
			if k == "" || isStart(k) || seen[k] {
				return false
			}
			seen[k] = true
		}
		return true
	}
	ids = make(map[*model.Vertex]string, len(m.Vertices))
	switch {
	case usable(func(v *model.Vertex) string { return v.Name }):
		for _, v := range m.Vertices {
			ids[v] = quoteID(v.Name)
		}
		return ids, false
	case usable(func(v *model.Vertex) string { return v.ID }):
		for _, v := range m.Vertices {
			ids[v] = quoteID(v.ID)
		}
	default:
		for i, v := range m.Vertices {
			ids[v] = "n" + strconv.Itoa(i)
		}
	}
	return ids, true
}

// edgesKeepVertexOrder reports whether reading only the edge statements
// back gives every vertex, in model order (first mention, source first).
func edgesKeepVertexOrder(m *model.Model) bool {
	seen := make(map[*model.Vertex]bool, len(m.Vertices))
	i := 0
	for _, e := range m.Edges {
		for _, v := range [2]*model.Vertex{e.Source, e.Target} {
			if v == nil || seen[v] {
				continue
			}
			if i >= len(m.Vertices) || m.Vertices[i] != v {
				return false
			}
			seen[v] = true
			i++
		}
	}
	return i == len(m.Vertices)
}

// quoteID writes s as a DOT id: bare when it is a plain identifier or a
// number (what GraphWalker writes), quoted otherwise.
func quoteID(s string) string {
	if isPlainID(s) || isNumeral(s) {
		return s
	}
	return quote(s)
}

func isPlainID(s string) bool {
	if s == "" || isDigit(s[0]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || isDigit(c)) {
			return false
		}
	}
	return keyword(token{kind: tIdent, text: s}) == ""
}

func isNumeral(s string) bool {
	s = strings.TrimPrefix(s, "-")
	intPart, frac, dot := strings.Cut(s, ".")
	digits := func(t string) bool {
		for i := 0; i < len(t); i++ {
			if !isDigit(t[i]) {
				return false
			}
		}
		return true
	}
	if !digits(intPart) || !digits(frac) {
		return false
	}
	if dot {
		return intPart != "" || frac != ""
	}
	return intPart != ""
}

func quote(s string) string { return `"` + escape(s) + `"` }

// escape escapes s for a quoted DOT string: the reader turns \\ and \"
// back into \ and ", everything else is taken as written.
func escape(s string) string {
	if !strings.ContainsAny(s, `"\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
