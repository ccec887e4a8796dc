package dot

import "strings"

// Limits that keep hostile input from exhausting the stack or memory.
const (
	maxDepth = 1000    // nested subgraphs
	maxEdges = 1 << 18 // edges per graph (50x the largest real model); {a b ...} -> {x y ...} multiplies
)

// graphRec is a parsed graph: nodes in order of first mention and edges in
// statement order, before they become a model.
type graphRec struct {
	pos     // of the graph keyword
	name    string
	hasName bool
	nodes   []nodeRec
	byID    map[string]int32
	edges   []edgeRec
	gw      gwAttrs // gw_* graph attributes
}

// gwAttrs are gw's own attributes (gw_id, gw_shared, …), which carry what
// GraphWalker's DOT layout loses; GraphWalker's reader ignores them.
type gwAttrs map[string]attr

func (a *gwAttrs) merge(b gwAttrs) {
	for k, v := range b {
		if *a == nil {
			*a = gwAttrs{}
		}
		(*a)[k] = v
	}
}

type nodeRec struct {
	id    string
	pos   // first mention
	label attr
	gw    gwAttrs
}

type edgeRec struct {
	src, dst int32
	pos      // of the edge operator
	label    attr
	gw       gwAttrs
}

// attr is an attribute value; set is false when the attribute is absent.
type attr struct {
	val string
	set bool
	pos
}

// scope holds what a { } block sees: attribute defaults and, for
// subgraphs, the nodes it contains (edges to a subgraph go to each of them).
type scope struct {
	nodeLabel, edgeLabel attr
	sub                  bool
	members              []int32
	isMember             map[int32]bool
}

func (s *scope) add(n int32) {
	if !s.sub || s.isMember[n] {
		return
	}
	s.isMember[n] = true
	s.members = append(s.members, n)
}

type parser struct {
	lx     *lexer
	tok    token
	g      *graphRec
	scopes []*scope
	named  map[string][]int32 // members of named subgraphs
}

func (p *parser) advance() error {
	t, err := p.lx.next()
	if err != nil {
		return err
	}
	p.tok = t
	return nil
}

func (p *parser) errAt(at pos, format string, args ...any) error {
	return p.lx.errAt(at, format, args...)
}

func (p *parser) expected(what string) error {
	return p.errAt(p.tok.pos, "expected %s, found %s", what, p.tok)
}

func keyword(t token) string {
	if t.kind != tIdent || len(t.text) > 8 {
		return ""
	}
	switch k := strings.ToLower(t.text); k {
	case "strict", "graph", "digraph", "node", "edge", "subgraph":
		return k
	}
	return ""
}

// parseGraph parses one graph: [strict] (graph|digraph) [id] { stmts }.
// p.tok is the graph's first token.
func (p *parser) parseGraph() (*graphRec, error) {
	g := &graphRec{pos: p.tok.pos, byID: map[string]int32{}}
	p.g = g
	p.named = map[string][]int32{}
	p.scopes = []*scope{{}}
	if keyword(p.tok) == "strict" { // multi-edges are kept anyway, as GraphWalker does
		if err := p.advance(); err != nil {
			return nil, err
		}
	}
	// Edges are directed either way, as in GraphWalker.
	if kw := keyword(p.tok); kw != "digraph" && kw != "graph" {
		return nil, p.expected("'digraph' or 'graph' to start the graph")
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	if p.tok.kind != tLBrace {
		name, _, err := p.id("the graph name or '{'")
		if err != nil {
			return nil, err
		}
		g.name, g.hasName = name, true
	}
	if p.tok.kind != tLBrace {
		return nil, p.expected("'{' to open the graph body")
	}
	open := p.tok.pos
	if err := p.advance(); err != nil {
		return nil, err
	}
	if err := p.stmtList(open, "graph"); err != nil {
		return nil, err
	}
	return g, nil
}

// stmtList parses statements up to and including the closing '}'.
func (p *parser) stmtList(open pos, what string) error {
	for p.tok.kind != tRBrace {
		switch p.tok.kind {
		case tEOF:
			return p.errAt(p.tok.pos, "expected '}' to close the %s opened at %d:%d, found end of file", what, open.line, open.col)
		case tSemi: // stray separators are harmless
			if err := p.advance(); err != nil {
				return err
			}
			continue
		}
		if err := p.stmt(); err != nil {
			return err
		}
	}
	return p.advance()
}

func (p *parser) stmt() error {
	cur := p.scopes[len(p.scopes)-1]
	switch kw := keyword(p.tok); kw {
	case "graph", "node", "edge":
		if err := p.advance(); err != nil {
			return err
		}
		if p.tok.kind != tLBrack {
			return p.errAt(p.tok.pos, "expected '[' after '%s' (an attribute statement such as %s [color=red]), found %s", kw, kw, p.tok)
		}
		label, gw, err := p.attrList()
		if err != nil {
			return err
		}
		if kw == "graph" && len(p.scopes) == 1 {
			p.g.gw.merge(gw)
		}
		if label.set {
			switch kw {
			case "node":
				cur.nodeLabel = label
			case "edge":
				cur.edgeLabel = label
			}
		}
		return nil
	case "subgraph":
		return p.edgeOrSubgraph()
	case "strict", "digraph":
		return p.errAt(p.tok.pos, "unexpected '%s' inside a graph; a graph cannot contain another graph (use subgraph)", p.tok.text)
	}
	switch p.tok.kind {
	case tLBrace:
		return p.edgeOrSubgraph()
	case tIdent, tNumeral, tString, tHTML:
	default:
		return p.expected("a statement (node, edge, attribute or subgraph) or '}'")
	}
	id, at, err := p.id("a node name")
	if err != nil {
		return err
	}
	if p.tok.kind == tEq { // graph attribute a=b
		if err := p.advance(); err != nil {
			return err
		}
		v, vat, err := p.id("an attribute value after '='")
		if err == nil && strings.HasPrefix(id, "gw_") && len(p.scopes) == 1 {
			p.g.gw.merge(gwAttrs{id: {val: v, set: true, pos: vat}})
		}
		return err
	}
	if err := p.port(); err != nil {
		return err
	}
	n := p.node(id, at)
	if p.tok.kind == tArrow || p.tok.kind == tDash {
		return p.edgeStmt([]int32{n})
	}
	if p.tok.kind == tLBrack {
		label, gw, err := p.attrList()
		if err != nil {
			return err
		}
		if label.set {
			p.g.nodes[n].label = label
		}
		p.g.nodes[n].gw.merge(gw)
	}
	return nil
}

// edgeOrSubgraph parses a subgraph statement, which may start an edge chain.
func (p *parser) edgeOrSubgraph() error {
	members, err := p.subgraph()
	if err != nil {
		return err
	}
	if p.tok.kind == tArrow || p.tok.kind == tDash {
		return p.edgeStmt(members)
	}
	return nil
}

// edgeStmt parses the rest of an edge chain whose first operand is first;
// p.tok is the first edge operator.
func (p *parser) edgeStmt(first []int32) error {
	operands := [][]int32{first}
	var ops []pos
	for p.tok.kind == tArrow || p.tok.kind == tDash {
		ops = append(ops, p.tok.pos)
		if err := p.advance(); err != nil {
			return err
		}
		if p.tok.kind == tLBrace || keyword(p.tok) == "subgraph" {
			members, err := p.subgraph()
			if err != nil {
				return err
			}
			operands = append(operands, members)
			continue
		}
		id, at, err := p.id("a node name or subgraph after the edge operator")
		if err != nil {
			return err
		}
		if err := p.port(); err != nil {
			return err
		}
		operands = append(operands, []int32{p.node(id, at)})
	}
	label := p.scopes[len(p.scopes)-1].edgeLabel
	var gw gwAttrs
	if p.tok.kind == tLBrack {
		l, attrs, err := p.attrList()
		if err != nil {
			return err
		}
		if l.set {
			label = l
		}
		gw = attrs
	}
	for i, op := range ops {
		for _, s := range operands[i] {
			for _, d := range operands[i+1] {
				if len(p.g.edges) >= maxEdges {
					return p.errAt(op, "too many edges (more than %d) in one graph", maxEdges)
				}
				p.g.edges = append(p.g.edges, edgeRec{src: s, dst: d, pos: op, label: label, gw: gw})
			}
		}
	}
	return nil
}

// subgraph parses [subgraph [id]] { stmts } and returns its nodes.
func (p *parser) subgraph() ([]int32, error) {
	name, named := "", false
	if keyword(p.tok) == "subgraph" {
		if err := p.advance(); err != nil {
			return nil, err
		}
		if p.tok.kind != tLBrace {
			n, _, err := p.id("the subgraph name or '{'")
			if err != nil {
				return nil, err
			}
			name, named = n, true
		}
	}
	if p.tok.kind != tLBrace {
		return nil, p.expected("'{' to open the subgraph body")
	}
	open := p.tok.pos
	if len(p.scopes) > maxDepth {
		return nil, p.errAt(open, "subgraphs nested more than %d deep", maxDepth)
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	parent := p.scopes[len(p.scopes)-1]
	s := &scope{nodeLabel: parent.nodeLabel, edgeLabel: parent.edgeLabel, sub: true, isMember: map[int32]bool{}}
	if named {
		for _, n := range p.named[name] {
			s.add(n)
		}
	}
	p.scopes = append(p.scopes, s)
	err := p.stmtList(open, "subgraph")
	p.scopes = p.scopes[:len(p.scopes)-1]
	if err != nil {
		return nil, err
	}
	for _, n := range s.members {
		parent.add(n)
	}
	if named {
		p.named[name] = s.members
	}
	return s.members, nil
}

// node returns the index of node id, creating it (with the current node
// defaults) on first mention, and records it in the current subgraph.
func (p *parser) node(id string, at pos) int32 {
	cur := p.scopes[len(p.scopes)-1]
	n, ok := p.g.byID[id]
	if !ok {
		n = int32(len(p.g.nodes))
		p.g.byID[id] = n
		p.g.nodes = append(p.g.nodes, nodeRec{id: id, pos: at, label: cur.nodeLabel})
	}
	cur.add(n)
	return n
}

// port skips an optional :port[:compass] after a node id; ports do not
// matter to a model.
func (p *parser) port() error {
	for i := 0; i < 2 && p.tok.kind == tColon; i++ {
		if err := p.advance(); err != nil {
			return err
		}
		if _, _, err := p.id("a port name after ':'"); err != nil {
			return err
		}
	}
	return nil
}

// attrList parses one or more [a=b, c=d; e] blocks and returns the last
// label given and gw's own gw_* attributes; other attributes do not matter
// to a model.
func (p *parser) attrList() (label attr, gw gwAttrs, err error) {
	for p.tok.kind == tLBrack {
		open := p.tok.pos
		if err := p.advance(); err != nil {
			return label, gw, err
		}
		for p.tok.kind != tRBrack {
			if p.tok.kind == tEOF {
				return label, gw, p.errAt(p.tok.pos, "expected ']' to close the attribute list opened at %d:%d, found end of file", open.line, open.col)
			}
			key, _, err := p.id("an attribute name or ']'")
			if err != nil {
				return label, gw, err
			}
			val := attr{val: "true", set: true, pos: p.tok.pos}
			if p.tok.kind == tEq {
				if err := p.advance(); err != nil {
					return label, gw, err
				}
				v, at, err := p.id("an attribute value after '='")
				if err != nil {
					return label, gw, err
				}
				val = attr{val: v, set: true, pos: at}
			}
			if key == "label" {
				label = val
			}
			if strings.HasPrefix(key, "gw_") {
				gw.merge(gwAttrs{key: val})
			}
			if p.tok.kind == tComma || p.tok.kind == tSemi {
				if err := p.advance(); err != nil {
					return label, gw, err
				}
			}
		}
		if err := p.advance(); err != nil {
			return label, gw, err
		}
	}
	return label, gw, nil
}

// id parses an ID: identifier, numeral, HTML string, or quoted strings
// joined with '+'.
func (p *parser) id(what string) (string, pos, error) {
	t := p.tok
	switch t.kind {
	case tIdent:
		if kw := keyword(t); kw != "" {
			return "", t.pos, p.errAt(t.pos, "expected %s, found keyword '%s'; to use it as a name, quote it: \"%s\"", what, t.text, t.text)
		}
	case tNumeral, tHTML:
	case tString:
		if err := p.advance(); err != nil {
			return "", t.pos, err
		}
		if p.tok.kind != tPlus {
			return t.text, t.pos, nil
		}
		var text strings.Builder
		text.WriteString(t.text)
		for p.tok.kind == tPlus {
			if err := p.advance(); err != nil {
				return "", t.pos, err
			}
			if p.tok.kind != tString {
				return "", t.pos, p.expected("a quoted string after '+' (only quoted strings can be joined)")
			}
			text.WriteString(p.tok.text)
			if err := p.advance(); err != nil {
				return "", t.pos, err
			}
		}
		return text.String(), t.pos, nil
	default:
		return "", t.pos, p.expected(what)
	}
	return t.text, t.pos, p.advance()
}
