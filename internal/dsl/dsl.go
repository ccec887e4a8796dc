package dsl

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gw-project/gw/internal/javastr"
)

// Pos is a place in the parsed text. Offset is in bytes from the start;
// Line and Col are 1-based, Col counting characters (runes).
type Pos struct {
	Offset, Line, Col int
}

// Generator is one path generator, e.g. random(edge_coverage(100)).
// Name is as written; callers compare it lower-cased.
type Generator struct {
	Name string
	Cond Cond
	Pos  Pos
}

// String re-prints g in DSL syntax.
func (g Generator) String() string {
	var b strings.Builder
	g.write(&b)
	return b.String()
}

func (g Generator) write(b *strings.Builder) {
	b.WriteString(g.Name)
	b.WriteByte('(')
	if g.Cond != nil {
		writeCond(b, g.Cond, false)
	}
	b.WriteByte(')')
}

// Format re-prints several generators, separated by one space, so that
// Parse(Format(gs)) yields the same trees.
func Format(gs []Generator) string {
	var b strings.Builder
	for i, g := range gs {
		if i > 0 {
			b.WriteByte(' ')
		}
		g.write(&b)
	}
	return b.String()
}

// Cond is a stop-condition tree node: *Leaf, *And or *Or.
type Cond interface {
	// Position is where the node starts in the parsed text.
	Position() Pos
	// String re-prints the node in DSL syntax.
	String() string
}

// Leaf is a single stop condition, e.g. edge_coverage(100) or never.
// Name and Arg are as written; HasArg tells `never` from `never(x)`.
type Leaf struct {
	Name   string
	Arg    string
	HasArg bool
	Pos    Pos
}

// And is a chain `a and b and ...` (GraphWalker's CombinedCondition).
// Chains are flat; a parenthesised And inside an And stays a child.
type And struct {
	Children []Cond
	Pos      Pos
}

// Or is a chain `a or b or ...` (GraphWalker's AlternativeCondition).
type Or struct {
	Children []Cond
	Pos      Pos
}

func (l *Leaf) Position() Pos { return l.Pos }
func (a *And) Position() Pos  { return a.Pos }
func (o *Or) Position() Pos   { return o.Pos }

func (l *Leaf) String() string { return condString(l) }
func (a *And) String() string  { return condString(a) }
func (o *Or) String() string   { return condString(o) }

func condString(c Cond) string {
	var b strings.Builder
	writeCond(&b, c, false)
	return b.String()
}

// writeCond prints c; nested chains get parentheses so that the re-parsed
// tree has the same shape.
func writeCond(b *strings.Builder, c Cond, nested bool) {
	var kids []Cond
	var op string
	switch c := c.(type) {
	case *Leaf:
		b.WriteString(c.Name)
		if c.HasArg {
			b.WriteByte('(')
			b.WriteString(c.Arg)
			b.WriteByte(')')
		}
		return
	case *And:
		kids, op = c.Children, " and "
	case *Or:
		kids, op = c.Children, " or "
	default:
		return
	}
	if nested {
		b.WriteByte('(')
	}
	for i, k := range kids {
		if i > 0 {
			b.WriteString(op)
		}
		writeCond(b, k, true)
	}
	if nested {
		b.WriteByte(')')
	}
}

// ErrNoGenerator is returned for input without any generator (empty or
// blank), with GraphWalker's text.
var ErrNoGenerator = errors.New("No valid generator found.")

// SyntaxError is a parse error at Pos. Input is the whole text given to
// Parse; Msg says what was expected and what was found.
type SyntaxError struct {
	Input string
	Pos   Pos
	Msg   string
}

// Error starts with GraphWalker's sentence, then says where and what.
func (e *SyntaxError) Error() string {
	where := "at column " + strconv.Itoa(e.Pos.Col)
	if e.Pos.Line > 1 || strings.ContainsAny(e.Input, "\r\n") {
		where = "at line " + strconv.Itoa(e.Pos.Line) + ", column " + strconv.Itoa(e.Pos.Col)
	}
	return "The string '" + javastr.Trim(e.Input) + "' did not conform to GraphWalker syntax rules: " + where + ": " + e.Msg
}

// maxDepth bounds parenthesis nesting so hostile input cannot exhaust the
// stack; real generators nest two or three levels.
const maxDepth = 100

type tokKind uint8

const (
	tEOF tokKind = iota
	tName
	tNumber
	tLParen
	tRParen
	tAnd
	tOr
	tComma
)

type token struct {
	kind tokKind
	text string
	pos  Pos
}

// describe names a token for "got ..." in error messages.
func (t token) describe() string {
	switch t.kind {
	case tEOF:
		return "end of input"
	case tName:
		return "name '" + t.text + "'"
	case tNumber:
		return "number '" + t.text + "'"
	case tAnd, tOr:
		return "operator '" + t.text + "'"
	default:
		return "'" + t.text + "'"
	}
}

// Parse parses a generator string into its generators, in order.
func Parse(s string) ([]Generator, error) {
	p := parser{src: s, line: 1, col: 1}
	if err := p.advance(); err != nil {
		return nil, err
	}
	var gens []Generator
	for p.tok.kind != tEOF {
		if len(gens) > 0 && p.tok.kind == tComma {
			if err := p.advance(); err != nil {
				return nil, err
			}
			if p.tok.kind == tEOF {
				return nil, p.errAt(p.tok.pos, "expected a generator after ',', got end of input")
			}
		}
		g, err := p.generator()
		if err != nil {
			return nil, err
		}
		gens = append(gens, g)
	}
	if len(gens) == 0 {
		return nil, ErrNoGenerator
	}
	return gens, nil
}

type parser struct {
	src       string
	off       int // next byte to lex
	line, col int // of src[off]
	tok       token
}

func (p *parser) errAt(pos Pos, msg string) error {
	return &SyntaxError{Input: p.src, Pos: pos, Msg: msg}
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// advance lexes the next token into p.tok (§6.1: longest match, keywords
// only when the whole word is exactly OR/or/AND/and).
func (p *parser) advance() error {
	for p.off < len(p.src) {
		c := p.src[p.off]
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' {
			p.off++
			// \r\n counts as one line break.
			if c == '\n' || c == '\r' && (p.off >= len(p.src) || p.src[p.off] != '\n') {
				p.line++
				p.col = 1
			} else if c != '\r' {
				p.col++
			}
			continue
		}
		break
	}
	pos := Pos{Offset: p.off, Line: p.line, Col: p.col}
	if p.off >= len(p.src) {
		p.tok = token{kind: tEOF, pos: pos}
		return nil
	}
	c := p.src[p.off]
	n := 1
	var kind tokKind
	switch {
	case c == '(':
		kind = tLParen
	case c == ')':
		kind = tRParen
	case c == ',':
		kind = tComma
	case c == '|' || c == '&':
		if p.off+1 < len(p.src) && p.src[p.off+1] == c {
			n = 2
			kind = tOr
			if c == '&' {
				kind = tAnd
			}
			break
		}
		if c == '|' {
			return p.errAt(pos, "unexpected single '|'; write '||', 'or' or 'OR'")
		}
		return p.errAt(pos, "unexpected single '&'; write '&&', 'and' or 'AND'")
	case isNameByte(c):
		digits := true
		for p.off+n < len(p.src) && isNameByte(p.src[p.off+n]) {
			n++
		}
		for i := p.off; i < p.off+n; i++ {
			if d := p.src[i]; d < '0' || d > '9' {
				digits = false
				break
			}
		}
		switch w := p.src[p.off : p.off+n]; {
		case digits:
			kind = tNumber
		case w == "or" || w == "OR":
			kind = tOr
		case w == "and" || w == "AND":
			kind = tAnd
		default:
			kind = tName
		}
	default:
		r, _ := utf8.DecodeRuneInString(p.src[p.off:])
		what := strconv.QuoteRune(r)
		if r == utf8.RuneError {
			what = "byte " + strconv.Quote(p.src[p.off:p.off+1])
		}
		return p.errAt(pos, "unexpected character "+what+
			"; names may contain only letters A-Z a-z, digits, '_' and '-'")
	}
	p.tok = token{kind: kind, text: p.src[p.off : p.off+n], pos: pos}
	p.off += n
	p.col += n // tokens are ASCII
	return nil
}

// expectClose consumes the ')' that closes what, which starts at open.
func (p *parser) expectClose(what string, open Pos) error {
	if p.tok.kind != tRParen {
		return p.errAt(p.tok.pos, "expected ')' to close '"+what+"' opened at "+colText(open)+", got "+p.tok.describe())
	}
	return p.advance()
}

func colText(pos Pos) string {
	if pos.Line > 1 {
		return "line " + strconv.Itoa(pos.Line) + ", column " + strconv.Itoa(pos.Col)
	}
	return "column " + strconv.Itoa(pos.Col)
}

// generator = NAME "(" logical ")".
func (p *parser) generator() (Generator, error) {
	t := p.tok
	if t.kind != tName {
		msg := "expected a generator such as 'random(edge_coverage(100))', got " + t.describe()
		if t.kind == tNumber {
			msg = "expected a generator name, got " + t.describe() + " (a name needs a letter, '_' or '-')"
		}
		return Generator{}, p.errAt(t.pos, msg)
	}
	if err := p.advance(); err != nil {
		return Generator{}, err
	}
	if p.tok.kind != tLParen {
		return Generator{}, p.errAt(p.tok.pos, "expected '(' after generator name '"+t.text+"', got "+
			p.tok.describe()+"; a generator needs a stop condition, e.g. '"+t.text+"(edge_coverage(100))'")
	}
	if err := p.advance(); err != nil {
		return Generator{}, err
	}
	c, err := p.logical(1)
	if err != nil {
		return Generator{}, err
	}
	if err := p.expectClose(t.text+"(", t.pos); err != nil {
		return Generator{}, err
	}
	return Generator{Name: t.text, Cond: c, Pos: t.pos}, nil
}

// logical = primary { AND primary } | primary { OR primary }.
func (p *parser) logical(depth int) (Cond, error) {
	first, err := p.primary(depth)
	if err != nil {
		return nil, err
	}
	op := p.tok.kind
	if op != tAnd && op != tOr {
		return first, nil
	}
	opText := p.tok.text
	kids := []Cond{first}
	for p.tok.kind == op {
		if err := p.advance(); err != nil {
			return nil, err
		}
		c, err := p.primary(depth)
		if err != nil {
			return nil, err
		}
		kids = append(kids, c)
	}
	if k := p.tok.kind; k == tAnd || k == tOr {
		return nil, p.errAt(p.tok.pos, "cannot mix '"+opText+"' and '"+p.tok.text+
			"' at one level; group with parentheses, e.g. '(a and b) or c'")
	}
	if op == tAnd {
		return &And{Children: kids, Pos: first.Position()}, nil
	}
	return &Or{Children: kids, Pos: first.Position()}, nil
}

// primary = NAME [ "(" (NAME | NUMBER) ")" ] | "(" logical ")".
func (p *parser) primary(depth int) (Cond, error) {
	t := p.tok
	switch t.kind {
	case tLParen:
		if depth >= maxDepth {
			return nil, p.errAt(t.pos, "parentheses nested more than "+strconv.Itoa(maxDepth)+" levels deep")
		}
		if err := p.advance(); err != nil {
			return nil, err
		}
		c, err := p.logical(depth + 1)
		if err != nil {
			return nil, err
		}
		if err := p.expectClose("(", t.pos); err != nil {
			return nil, err
		}
		return c, nil
	case tName:
		if err := p.advance(); err != nil {
			return nil, err
		}
		leaf := &Leaf{Name: t.text, Pos: t.pos}
		if p.tok.kind != tLParen {
			return leaf, nil
		}
		if err := p.advance(); err != nil {
			return nil, err
		}
		if a := p.tok.kind; a != tName && a != tNumber {
			return nil, p.errAt(p.tok.pos, "expected an argument (a name or a number) inside '"+t.text+"(', got "+p.tok.describe())
		}
		leaf.Arg, leaf.HasArg = p.tok.text, true
		if err := p.advance(); err != nil {
			return nil, err
		}
		if err := p.expectClose(t.text+"(", t.pos); err != nil {
			return nil, err
		}
		return leaf, nil
	case tNumber:
		return nil, p.errAt(t.pos, "expected a stop condition, got "+t.describe()+"; a number can only be an argument, e.g. 'edge_coverage("+t.text+")'")
	default:
		return nil, p.errAt(t.pos, "expected a stop condition such as 'edge_coverage(100)', got "+t.describe())
	}
}
