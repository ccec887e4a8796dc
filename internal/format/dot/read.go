package dot

import (
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	glabel "github.com/gw-project/gw/internal/label"
	"github.com/gw-project/gw/internal/model"
)

// Read parses a DOT file holding one graph and returns it as an indexed
// model. name is the file name, used in error messages and as the model
// name when the graph has no id. Anything after the graph is an error.
func Read(r io.Reader, name string) (*model.Model, error) {
	p, err := start(r, name)
	if err != nil {
		return nil, err
	}
	m, err := p.graphModel(name)
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tEOF {
		return nil, p.errAt(p.tok.pos, "expected end of file after the graph, found %s; a DOT model file holds one graph", p.tok)
	}
	return m, nil
}

// ReadAll parses every graph of a DOT file, as written by Write for
// several models, and returns one indexed model per graph.
func ReadAll(r io.Reader, name string) ([]*model.Model, error) {
	p, err := start(r, name)
	if err != nil {
		return nil, err
	}
	var ms []*model.Model
	for {
		m, err := p.graphModel(name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, m)
		if p.tok.kind == tEOF {
			return ms, nil
		}
	}
}

func start(r io.Reader, name string) (*parser, error) {
	src, err := io.ReadAll(r)
	if err != nil {
		if name == "" {
			return nil, fmt.Errorf("could not read DOT input: %w", err)
		}
		return nil, fmt.Errorf("%s: could not read the file: %w", name, err)
	}
	p := &parser{lx: newLexer(name, src)}
	if err := p.advance(); err != nil {
		return nil, err
	}
	return p, nil
}

func (p *parser) graphModel(file string) (*model.Model, error) {
	g, err := p.parseGraph()
	if err != nil {
		return nil, err
	}
	return p.build(g, file)
}

// isStart reports whether a node id or label names GraphWalker's start
// pseudo-node.
func isStart(s string) bool { return strings.EqualFold(strings.TrimSpace(s), "start") }

// build turns a parsed graph into a model the way GraphWalker's
// DotModelListener does, minus its quirks (see doc.go).
func (p *parser) build(g *graphRec, file string) (*model.Model, error) {
	m := &model.Model{Name: g.name}
	if !g.hasName && file != "" {
		base := filepath.Base(file)
		m.Name = strings.TrimSuffix(base, filepath.Ext(base))
	}
	verts := make([]*model.Vertex, len(g.nodes)) // nil for start nodes
	for i, n := range g.nodes {
		if isStart(n.id) || n.label.set && isStart(n.label.val) {
			continue
		}
		v := &model.Vertex{ID: n.id, Name: n.id}
		if n.label.set {
			if err := applyVertexLabel(m, v, n.label.val); err != nil {
				return nil, p.errAt(n.label.pos, "label of node %s: %v", strconv.Quote(n.id), err)
			}
		}
		if err := p.applyVertexAttrs(v, n.gw); err != nil {
			return nil, err
		}
		verts[i] = v
		m.Vertices = append(m.Vertices, v)
	}
	edges := make([]model.Edge, len(g.edges)) // one allocation for all edges
	m.Edges = make([]*model.Edge, len(g.edges))
	for i, r := range g.edges {
		e := &edges[i]
		e.Source, e.Target = verts[r.src], verts[r.dst]
		if r.label.set {
			if err := applyEdgeLabel(m, e, r.label.val); err != nil {
				return nil, p.errAt(r.label.pos, "label of edge %s -> %s: %v",
					strconv.Quote(g.nodes[r.src].id), strconv.Quote(g.nodes[r.dst].id), err)
			}
		}
		if err := p.applyEdgeAttrs(e, r.gw); err != nil {
			return nil, err
		}
		m.Edges[i] = e
	}
	assignEdgeIDs(m)
	for _, e := range m.Edges {
		if e.Source == nil {
			m.StartElementID = e.ID // GraphWalker: the last start edge wins
		}
	}
	p.applyModelAttrs(m, g.gw)
	if err := m.Index(); err != nil {
		return nil, p.errAt(g.pos, "%v", err)
	}
	return m, nil
}

// assignEdgeIDs gives every edge a unique, deterministic id. GraphWalker
// uses the label as id (duplicates included) and a random UUID for
// unlabeled edges. Here an edge's id is its name the first time that name
// is free; repeats become name_2, name_3, ...; unnamed edges get e0, e1, ...
// Edges that have an id already (gw_id) keep it.
func assignEdgeIDs(m *model.Model) {
	taken := make(map[string]bool, len(m.Vertices)+len(m.Edges))
	for _, v := range m.Vertices {
		taken[v.ID] = true
	}
	for _, e := range m.Edges {
		if e.ID != "" {
			taken[e.ID] = true
		}
	}
	// Reserve first occurrences before handing out generated ids, so a
	// later edge labeled e1 keeps e1 even if an earlier edge is unnamed.
	first := make([]bool, len(m.Edges))
	for i, e := range m.Edges {
		if e.ID == "" && e.Name != "" && !taken[e.Name] {
			taken[e.Name] = true
			first[i] = true
		}
	}
	k := 0
	next := map[string]int{} // per repeated name, the suffix to try next
	for i, e := range m.Edges {
		switch {
		case e.ID != "" && !first[i]:
			continue
		case first[i]:
			e.ID = e.Name
		case e.Name != "":
			n := max(next[e.Name], 2)
			for taken[e.Name+"_"+strconv.Itoa(n)] {
				n++
			}
			e.ID = e.Name + "_" + strconv.Itoa(n)
			next[e.Name] = n + 1
		default:
			for taken["e"+strconv.Itoa(k)] {
				k++
			}
			e.ID = "e" + strconv.Itoa(k)
			k++
		}
		taken[e.ID] = true
	}
}

// GraphWalker takes a DOT label as the element's name. gw also reads
// GraphWalker's label language there (as in yEd: `e_Name [guard] / x++;`,
// `v_Name SHARED:S`), so a DOT model can carry guards and actions. A label
// that does not parse as that language stays a plain name, whatever
// characters it has.

// labelSyntax reports whether a label uses GraphWalker label syntax.
func labelSyntax(label string) bool {
	slash := strings.IndexByte(label, '/')
	return strings.Contains(label, "[") && strings.Contains(label, "]") ||
		slash >= 0 && strings.IndexByte(label[slash:], ';') > 0 ||
		strings.Contains(label, "SHARED") || strings.Contains(label, "INIT") ||
		strings.Contains(label, "REQTAG") || strings.Contains(label, "BLOCKED") ||
		strings.Contains(strings.ToLower(label), "weight") || strings.Contains(strings.ToLower(label), "dependency")
}

// unescapeDOT turns the DOT line escapes \n, \l and \r into line breaks.
func unescapeDOT(s string) string {
	return strings.NewReplacer(`\n`, "\n", `\l`, "\n", `\r`, "\n").Replace(s)
}

// applyVertexLabel sets what a node's label says about its vertex.
func applyVertexLabel(m *model.Model, v *model.Vertex, label string) error {
	if !labelSyntax(label) {
		v.Name = label
		return nil
	}
	l, err := glabel.ParseVertex(unescapeDOT(label))
	if err != nil {
		v.Name = label // not label language after all: a name, as in GraphWalker
		return nil
	}
	v.Name, v.SharedState, v.Requirements = l.Name, l.SharedState, l.Requirements
	m.Actions = append(m.Actions, l.InitActions...)
	if l.Blocked {
		v.Properties.Set("blocked", true)
	}
	return nil
}

// applyEdgeLabel sets what an edge's label says about the edge.
func applyEdgeLabel(m *model.Model, e *model.Edge, label string) error {
	if !labelSyntax(label) {
		e.Name = label
		return nil
	}
	l, err := glabel.ParseEdge(unescapeDOT(label))
	if err != nil {
		e.Name = label // not label language after all: a name, as in GraphWalker
		return nil
	}
	e.Name, e.Actions, e.Requirements = l.Name, l.Actions, l.Requirements
	if l.HasGuard {
		e.Guard = l.Guard
	}
	if l.HasWeight {
		e.Weight = l.Weight
	}
	if l.HasDependency {
		e.Dependency = l.Dependency
	}
	if l.Blocked {
		e.Properties.Set("blocked", true)
	}
	return nil
}

// gw's own attributes carry what GraphWalker's DOT layout cannot: ids,
// shared states, requirements, weights, dependencies, the BLOCKED mark, and
// the model's id, generator, INIT actions, requirements and start element.
// Lists are comma-separated; GraphWalker's reader ignores them all.

func (p *parser) applyVertexAttrs(v *model.Vertex, gw gwAttrs) error {
	for k, a := range gw {
		switch k {
		case "gw_id":
			v.ID = a.val
		case "gw_shared":
			v.SharedState = a.val
		case "gw_requirements":
			v.Requirements = splitList(a.val)
		case "gw_blocked":
			b, err := p.boolAttr(k, a)
			if err != nil {
				return err
			}
			if b {
				v.Properties.Set("blocked", true)
			}
		}
	}
	return nil
}

func (p *parser) applyEdgeAttrs(e *model.Edge, gw gwAttrs) error {
	for k, a := range gw {
		switch k {
		case "gw_id":
			e.ID = a.val
		case "gw_requirements":
			e.Requirements = splitList(a.val)
		case "gw_weight":
			w, err := strconv.ParseFloat(a.val, 64)
			if err != nil || w < 0 || w > 1 {
				return p.errAt(a.pos, "gw_weight must be a number from 0 to 1")
			}
			e.Weight = w
		case "gw_dependency":
			d, err := strconv.Atoi(a.val)
			if err != nil || d < 0 || d > 100 {
				return p.errAt(a.pos, "gw_dependency must be a whole number from 0 to 100")
			}
			e.Dependency = d
		case "gw_blocked":
			b, err := p.boolAttr(k, a)
			if err != nil {
				return err
			}
			if b {
				e.Properties.Set("blocked", true)
			}
		}
	}
	return nil
}

func (p *parser) applyModelAttrs(m *model.Model, gw gwAttrs) {
	if a, ok := gw["gw_id"]; ok {
		m.ID = a.val
	}
	if a, ok := gw["gw_generator"]; ok {
		m.Generator = a.val
	}
	if a, ok := gw["gw_actions"]; ok && a.val != "" {
		m.Actions = append([]string{a.val}, m.Actions...)
	}
	if a, ok := gw["gw_requirements"]; ok {
		m.Requirements = splitList(a.val)
	}
	if a, ok := gw["gw_start"]; ok && m.StartElementID == "" {
		m.StartElementID = a.val
	}
}

func (p *parser) boolAttr(k string, a attr) (bool, error) {
	switch strings.ToLower(a.val) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, p.errAt(a.pos, "%s must be true or false", k)
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}
