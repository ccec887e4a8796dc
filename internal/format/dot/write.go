package dot

import (
	"fmt"
	"io"
	"regexp"
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
	writeModelAttrs(b, m)
	vattrs := make(map[*model.Vertex]string, len(m.Vertices))
	anyAttrs := false
	keepIDs := uniqueIDs(m)
	for _, v := range m.Vertices {
		readID := ids[v]
		if !keepIDs {
			readID = v.ID // ids that are not unique cannot be kept
		}
		if a := vertexAttrs(v, readID); a != "" {
			vattrs[v] = a
			anyAttrs = true
		}
	}
	if labeled || anyAttrs || !edgesKeepVertexOrder(m) {
		for _, v := range m.Vertices {
			b.WriteString(quoteID(ids[v]))
			if labeled {
				b.WriteString(" [label=")
				b.WriteString(quote(v.Name))
				b.WriteString("]")
			}
			b.WriteString(vattrs[v])
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
		return quoteID(id), nil
	}
	explicit := explicitEdgeIDs(m, ids, keepIDs)
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
		b.WriteString(edgeAttrs(e, explicit[e]))
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

// nodeIDs picks the node id of each vertex (unquoted: the id the reader
// gives the vertex). Vertex names are used, as
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
			ids[v] = v.Name
		}
		return ids, false
	case usable(func(v *model.Vertex) string { return v.ID }):
		for _, v := range m.Vertices {
			ids[v] = v.ID
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

// gw's own attributes (see read.go) go in an attribute list of their own
// after the label: GraphWalker's reader splits each list's text at '=' and
// uses only "label", so it ignores them.

var randomUUID = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func writeModelAttrs(b *strings.Builder, m *model.Model) {
	attr := func(k, v string) {
		if v != "" {
			fmt.Fprintf(b, "%s=%s;\n", k, quote(v))
		}
	}
	if !randomUUID.MatchString(m.ID) { // what readers give a model without id
		attr("gw_id", m.ID)
	}
	attr("gw_generator", m.Generator)
	attr("gw_actions", joinActions(m.Actions))
	attr("gw_requirements", strings.Join(m.Requirements, ","))
	if m.StartElementID != "" && !startIsStartEdge(m) {
		attr("gw_start", m.StartElementID)
	}
}

// startIsStartEdge reports whether the model's start element is a start
// edge, which the Start node carries.
func startIsStartEdge(m *model.Model) bool {
	for _, e := range m.Edges {
		if e.Source == nil && e.ID == m.StartElementID {
			return true
		}
	}
	return false
}

// vertexAttrs is v's gw attribute list; readID is the id the reader gives
// it from its node statement.
func vertexAttrs(v *model.Vertex, readID string) string {
	var kv []string
	if v.ID != readID {
		kv = append(kv, "gw_id="+quote(v.ID))
	}
	if v.SharedState != "" {
		kv = append(kv, "gw_shared="+quote(v.SharedState))
	}
	if len(v.Requirements) > 0 {
		kv = append(kv, "gw_requirements="+quote(strings.Join(v.Requirements, ",")))
	}
	if v.Properties.IsBlocked() {
		kv = append(kv, "gw_blocked=true")
	}
	return attrList(kv)
}

func edgeAttrs(e *model.Edge, explicitID bool) string {
	var kv []string
	if explicitID {
		kv = append(kv, "gw_id="+quote(e.ID))
	}
	if len(e.Requirements) > 0 {
		kv = append(kv, "gw_requirements="+quote(strings.Join(e.Requirements, ",")))
	}
	if e.Weight != 0 {
		kv = append(kv, "gw_weight="+strconv.FormatFloat(e.Weight, 'g', -1, 64))
	}
	if e.Dependency != 0 {
		kv = append(kv, "gw_dependency="+strconv.Itoa(e.Dependency))
	}
	if e.Properties.IsBlocked() {
		kv = append(kv, "gw_blocked=true")
	}
	return attrList(kv)
}

// uniqueIDs reports whether m's vertex and edge ids are all set and
// distinct, so that gw_id can carry them.
func uniqueIDs(m *model.Model) bool {
	seen := make(map[string]bool, len(m.Vertices)+len(m.Edges))
	for _, v := range m.Vertices {
		if v.ID == "" || seen[v.ID] {
			return false
		}
		seen[v.ID] = true
	}
	for _, e := range m.Edges {
		if e.ID == "" || seen[e.ID] {
			return false
		}
		seen[e.ID] = true
	}
	return true
}

// explicitEdgeIDs picks the edges that need gw_id: those whose id the
// reader would not give them from their names (assignEdgeIDs, which keeps
// the explicit ids of other edges reserved).
func explicitEdgeIDs(m *model.Model, nodeIDs map[*model.Vertex]string, keepIDs bool) map[*model.Edge]bool {
	explicit := map[*model.Edge]bool{}
	if !keepIDs {
		return explicit
	}
	sim := &model.Model{Vertices: make([]*model.Vertex, len(m.Vertices)), Edges: make([]*model.Edge, len(m.Edges))}
	for i, v := range m.Vertices {
		sim.Vertices[i] = &model.Vertex{ID: v.ID}
	}
	for {
		for i, e := range m.Edges {
			sim.Edges[i] = &model.Edge{Name: e.Name}
			if explicit[e] {
				sim.Edges[i].ID = e.ID
			}
		}
		assignEdgeIDs(sim)
		changed := false
		for i, e := range m.Edges {
			if sim.Edges[i].ID != e.ID && !explicit[e] {
				explicit[e] = true
				changed = true
			}
		}
		if !changed {
			return explicit
		}
	}
}

func attrList(kv []string) string {
	if len(kv) == 0 {
		return ""
	}
	return " [" + strings.Join(kv, ", ") + "]"
}

func joinActions(actions []string) string {
	var b strings.Builder
	for i, a := range actions {
		if i > 0 {
			b.WriteString(" ")
		}
		b.WriteString(a)
		if !strings.HasSuffix(strings.TrimSpace(a), ";") {
			b.WriteString(";")
		}
	}
	return b.String()
}
