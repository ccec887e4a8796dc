package label

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// kind is a token type of GraphWalker's YEdLabelLexer (core.md §7.1).
type kind uint8

const (
	kDot kind = iota
	kSlash
	kColon
	kSemi
	kComma
	kAssign
	kBlocked
	kShared
	kInit
	kStart
	kReqtag
	kWeight
	kDependency
	kBrackets // NestedBrackets: a balanced "[…]"
	kIdent
	kString // '"' one char '"'
	kValue  // 0 | [1-9][0-9]* | ( … )? '.' [0-9]+
	kWS
	kAny
	kEOF
)

// token is a lexed token; its text is src[off:end]. Comments are skipped
// and never become tokens.
type token struct {
	kind     kind
	off, end int
}

// lexer state: the tokens plus what the error messages need to know.
type lexer struct {
	src          string
	toks         []token
	lineComments []int // offsets of skipped " //" comments, for hints
	match        []int // see matchBrackets
}

// lex tokenises src. It never fails: ANY takes every character no other
// rule wants, as in GraphWalker.
func (lx *lexer) lex(src string) {
	lx.src = src
	lx.toks = lx.toks[:0]
	lx.lineComments = lx.lineComments[:0]
	lx.match = matchBrackets(src, lx.match)
	match := lx.match
	for i := 0; i < len(src); {
		c := src[i]
		start := i
		var k kind
		switch {
		case isWS(c):
			j := i + 1
			for j < len(src) && isWS(src[j]) {
				j++
			}
			// LINE_COMMENT = WHITESPACE "//" …: longer than the bare
			// whitespace, so it wins and swallows the whitespace too.
			if strings.HasPrefix(src[j:], "//") {
				lx.lineComments = append(lx.lineComments, i)
				j += 2
				for j < len(src) && src[j] != '\n' && src[j] != '\r' {
					j++
				}
				i = j
				continue
			}
			k, i = kWS, j
		case c == '/':
			if strings.HasPrefix(src[i+1:], "*") {
				if e := strings.Index(src[i+2:], "*/"); e >= 0 {
					i += 2 + e + 2
					continue
				}
			}
			k, i = kSlash, i+1
		case c == '.':
			if i+1 < len(src) && isDigit(src[i+1]) {
				k, i = kValue, scanDigits(src, i+1)
			} else {
				k, i = kDot, i+1
			}
		case c == ':':
			k, i = kColon, i+1
		case c == ';':
			k, i = kSemi, i+1
		case c == ',':
			k, i = kComma, i+1
		case c == '=':
			k, i = kAssign, i+1
		case c == '[':
			if m := match[i]; m > 0 {
				k, i = kBrackets, m+1
			} else {
				k, i = kAny, i+1
			}
		case isDigit(c):
			j := i + 1
			if c != '0' {
				j = scanDigits(src, i)
			}
			if j+1 < len(src) && src[j] == '.' && isDigit(src[j+1]) {
				j = scanDigits(src, j+1)
			}
			k, i = kValue, j
		case c == '"':
			// String: '"' ~["] '"', one UTF-16 unit in the middle.
			r, n := utf8.DecodeRuneInString(src[i+1:])
			if n > 0 && r != '"' && r < 0x10000 && strings.HasPrefix(src[i+1+n:], `"`) {
				k, i = kString, i+n+2
			} else {
				k, i = kAny, i+1
			}
		default:
			r, n := utf8.DecodeRuneInString(src[i:])
			if isLetter(r) {
				j := i + n
				for j < len(src) {
					r, n := utf8.DecodeRuneInString(src[j:])
					if !isLetterOrDigit(r) {
						break
					}
					j += n
				}
				k, i = keyword(src[i:j]), j
			} else {
				k, i = kAny, i+n
			}
		}
		lx.toks = append(lx.toks, token{k, start, i})
	}
}

// matchBrackets maps the offset of every '[' that starts a balanced
// NestedBrackets token to the offset of its ']' (0 for none). Doing this in
// one pass keeps lexing linear on inputs like "[[[[…".
func matchBrackets(src string, buf []int) []int {
	if strings.IndexByte(src, '[') < 0 {
		return buf[:0]
	}
	match := grow(buf, len(src))
	clear(match)
	var stack []int
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '[':
			stack = append(stack, i)
		case ']':
			if len(stack) > 0 {
				match[stack[len(stack)-1]] = i
				stack = stack[:len(stack)-1]
			}
		}
	}
	return match
}

func keyword(w string) kind {
	switch w {
	case "BLOCKED":
		return kBlocked
	case "SHARED":
		return kShared
	case "INIT":
		return kInit
	case "REQTAG":
		return kReqtag
	}
	switch {
	case asciiFold(w, "start"):
		return kStart
	case asciiFold(w, "weight"):
		return kWeight
	case asciiFold(w, "dependency"):
		return kDependency
	}
	return kIdent
}

// asciiFold is strings.EqualFold restricted to ASCII: the lexer's [Ss][Tt]…
// does not match 'ſ' or the Kelvin sign, which EqualFold would.
func asciiFold(s, lower string) bool {
	if len(s) != len(lower) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

func isWS(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func scanDigits(src string, i int) int {
	for i < len(src) && isDigit(src[i]) {
		i++
	}
	return i
}

// isLetter is the lexer's Letter: ASCII letters, '$', '_', and characters
// above U+00FF that Java accepts as identifier start (U+0080..U+00FF never).
func isLetter(r rune) bool {
	if r < 0x80 {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || r == '$' || r == '_'
	}
	return r > 0xFF && r != utf8.RuneError && javaIdentStart(r)
}

func isLetterOrDigit(r rune) bool {
	if r < 0x80 {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '$' || r == '_'
	}
	return r > 0xFF && r != utf8.RuneError && (javaIdentStart(r) ||
		unicode.In(r, unicode.Nd, unicode.Mn, unicode.Mc, unicode.Cf))
}

// javaIdentStart mirrors Character.isJavaIdentifierStart: letters, letter
// numbers, currency symbols and connector punctuation.
func javaIdentStart(r rune) bool {
	return unicode.IsLetter(r) || unicode.In(r, unicode.Nl, unicode.Sc, unicode.Pc)
}
