package dot

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Error is a syntax or model error in a DOT file, with its position.
type Error struct {
	File   string // the name given to Read; "" if none
	Line   int    // 1-based
	Column int    // 1-based, counted in characters
	Msg    string // what is wrong and, where it helps, how to fix it
}

func (e *Error) Error() string {
	if e.File == "" {
		return fmt.Sprintf("%d:%d: %s", e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
}

type tokKind uint8

const (
	tEOF     tokKind = iota
	tIdent           // unquoted identifier; may be a keyword
	tNumeral         // -1, 2.5, .5
	tString          // "quoted", escapes decoded
	tHTML            // <html>, text without the outer brackets
	tLBrace
	tRBrace
	tLBrack
	tRBrack
	tSemi
	tComma
	tEq
	tColon
	tPlus
	tArrow // ->
	tDash  // --
)

var punctText = [...]string{
	tLBrace: "{", tRBrace: "}", tLBrack: "[", tRBrack: "]", tSemi: ";", tComma: ",",
	tEq: "=", tColon: ":", tPlus: "+", tArrow: "->", tDash: "--",
}

type pos struct{ line, col int }

type token struct {
	kind tokKind
	text string
	pos
}

// String describes the token for "found X" in messages: its kind, and the
// text only of punctuation and DOT's keywords. A file that is not a model
// (a key file, /etc/passwd) must not have its content echoed; the position
// says where to look.
func (t token) String() string {
	switch t.kind {
	case tEOF:
		return "end of file"
	case tIdent:
		if k := keyword(t); k != "" {
			return "'" + k + "'"
		}
		return "a name"
	case tNumeral:
		return "a number"
	case tString:
		return "a quoted string"
	case tHTML:
		return "an HTML string"
	}
	return "'" + punctText[t.kind] + "'"
}

// lexer splits DOT source into tokens. Comments (//, /* */, #) and white
// space are skipped; '#' starts a comment anywhere, as in GraphWalker's
// grammar (Graphviz only allows it at the start of a line).
type lexer struct {
	file string
	src  string
	off  int
	pos  // of src[off]
	sb   strings.Builder
}

func newLexer(file string, src []byte) *lexer {
	s := string(src)
	if !utf8.ValidString(s) {
		// Java decodes malformed UTF-8 to U+FFFD; do the same so that every
		// name is valid text.
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = strings.TrimPrefix(s, "\uFEFF")
	return &lexer{file: file, src: s, pos: pos{1, 1}}
}

func (l *lexer) errAt(p pos, format string, args ...any) error {
	return &Error{File: l.file, Line: p.line, Column: p.col, Msg: fmt.Sprintf(format, args...)}
}

// advance moves past n bytes, keeping line and column.
func (l *lexer) advance(n int) {
	for _, c := range []byte(l.src[l.off : l.off+n]) {
		switch {
		case c == '\n':
			l.line++
			l.col = 1
		case c&0xC0 != 0x80: // not a UTF-8 continuation byte
			l.col++
		}
	}
	l.off += n
}

func (l *lexer) peekByte(i int) byte {
	if l.off+i < len(l.src) {
		return l.src[l.off+i]
	}
	return 0
}

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isIdentChar(c byte) bool { return isIdentStart(c) || isDigit(c) }

func (l *lexer) skipSpace() error {
	for l.off < len(l.src) {
		switch c := l.src[l.off]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			l.advance(1)
		case c == '#' || c == '/' && l.peekByte(1) == '/':
			n := strings.IndexByte(l.src[l.off:], '\n')
			if n < 0 {
				n = len(l.src) - l.off
			}
			l.advance(n)
		case c == '/' && l.peekByte(1) == '*':
			start := l.pos
			n := strings.Index(l.src[l.off+2:], "*/")
			if n < 0 {
				return l.errAt(start, "unterminated /* comment; close it with */")
			}
			l.advance(n + 4)
		default:
			return nil
		}
	}
	return nil
}

func (l *lexer) next() (token, error) {
	if err := l.skipSpace(); err != nil {
		return token{}, err
	}
	p := l.pos
	if l.off >= len(l.src) {
		return token{kind: tEOF, pos: p}, nil
	}
	punct := func(k tokKind, n int) (token, error) {
		l.advance(n)
		return token{kind: k, pos: p}, nil
	}
	c := l.src[l.off]
	switch c {
	case '{':
		return punct(tLBrace, 1)
	case '}':
		return punct(tRBrace, 1)
	case '[':
		return punct(tLBrack, 1)
	case ']':
		return punct(tRBrack, 1)
	case ';':
		return punct(tSemi, 1)
	case ',':
		return punct(tComma, 1)
	case '=':
		return punct(tEq, 1)
	case ':':
		return punct(tColon, 1)
	case '+':
		return punct(tPlus, 1)
	case '-':
		switch d := l.peekByte(1); {
		case d == '>':
			return punct(tArrow, 2)
		case d == '-':
			return punct(tDash, 2)
		case isDigit(d) || d == '.':
			return l.numeral(p)
		}
		return token{}, l.errAt(p, "unexpected '-'; edges are written a -> b (or a -- b), negative numbers -1")
	case '"':
		return l.quoted(p)
	case '<':
		return l.html(p)
	}
	if isDigit(c) || c == '.' {
		return l.numeral(p)
	}
	if isIdentStart(c) {
		n := 1
		for l.off+n < len(l.src) && isIdentChar(l.src[l.off+n]) {
			n++
		}
		text := l.src[l.off : l.off+n]
		l.advance(n)
		return token{kind: tIdent, text: text, pos: p}, nil
	}
	r, _ := utf8.DecodeRuneInString(l.src[l.off:])
	return token{}, l.errAt(p, "unexpected character %s; names that are not plain identifiers or numbers must be quoted", strconv.QuoteRune(r))
}

// numeral scans [-]?(.[0-9]+ | [0-9]+(.[0-9]*)?).
func (l *lexer) numeral(p pos) (token, error) {
	n := 0
	if l.peekByte(0) == '-' {
		n++
	}
	digits := 0
	for isDigit(l.peekByte(n)) {
		n++
		digits++
	}
	if l.peekByte(n) == '.' {
		n++
		for isDigit(l.peekByte(n)) {
			n++
			digits++
		}
	}
	text := l.src[l.off : l.off+n]
	if digits == 0 {
		return token{}, l.errAt(p, "unexpected '%s'; a number needs at least one digit", text)
	}
	if c := l.peekByte(n); isIdentChar(c) || c == '.' {
		m := n
		for isIdentChar(l.peekByte(m)) || l.peekByte(m) == '.' {
			m++
		}
		return token{}, l.errAt(p, "badly delimited number: a name cannot start with a digit; quote the name or put a space after the number")
	}
	l.advance(n)
	return token{kind: tNumeral, text: text, pos: p}, nil
}

// quoted scans a "string". Escapes: \" is a quote, \\ a backslash, and a
// backslash before a line break joins the lines; any other backslash is
// kept as written, so label escapes such as \n reach the label text.
func (l *lexer) quoted(p pos) (token, error) {
	s := l.src
	i := l.off + 1
	plain := true
	for ; i < len(s); i++ {
		if s[i] == '"' {
			break
		}
		if s[i] == '\\' {
			plain = false
			i++ // skip the escaped byte
		}
	}
	if i >= len(s) {
		return token{}, l.errAt(p, "unterminated string; add the closing \"")
	}
	body := s[l.off+1 : i]
	if !plain {
		sb := &l.sb
		sb.Reset()
		for j := 0; j < len(body); j++ {
			c := body[j]
			if c != '\\' || j+1 >= len(body) {
				sb.WriteByte(c)
				continue
			}
			switch d := body[j+1]; d {
			case '"', '\\':
				sb.WriteByte(d)
				j++
			case '\n':
				j++
			case '\r':
				j++
				if j+1 < len(body) && body[j+1] == '\n' {
					j++
				}
			default:
				sb.WriteByte(c)
			}
		}
		body = sb.String()
	}
	l.advance(i + 1 - l.off)
	return token{kind: tString, text: body, pos: p}, nil
}

// html scans <...> with balanced angle brackets.
func (l *lexer) html(p pos) (token, error) {
	depth := 0
	for i := l.off; i < len(l.src); i++ {
		switch l.src[i] {
		case '<':
			depth++
		case '>':
			depth--
			if depth == 0 {
				text := l.src[l.off+1 : i]
				l.advance(i + 1 - l.off)
				return token{kind: tHTML, text: text, pos: p}, nil
			}
		}
	}
	return token{}, l.errAt(p, "unterminated HTML string; every '<' needs a matching '>'")
}
