package gwjson

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/gw-project/gw/internal/javastr"
	"github.com/gw-project/gw/internal/jsonx"
)

// maxDepth bounds object/array nesting so hostile input cannot exhaust the
// stack.
const maxDepth = 1000

const eof = -1

// decoder is a lenient JSON reader with Gson's LENIENT rules: comments
// (// /* */ #), unquoted and single-quoted names and strings, ':' '=' or
// '=>' after a name, ',' or ';' between members, and in arrays an omitted
// value (",,", ",]") standing for null. Trailing commas in objects are
// errors, as in Gson.
type decoder struct {
	data  []byte
	pos   int
	file  string
	depth int
	// dropBreaks: GraphWalker reads a model file line by line and joins the
	// lines without separators, so a raw line break inside a quoted string
	// vanishes. Message payloads reach Gson unchanged and keep them.
	dropBreaks bool
	buf        []byte
	path       []seg
}

// seg is one step of the JSON path kept for error messages.
type seg struct {
	key string
	idx int // -1: key
}

func (d *decoder) errAt(off int, format string, args ...any) *Error {
	line, col := position(d.data, off)
	return &Error{File: d.file, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
}

// errPath is errAt with the current JSON path in front of the message.
func (d *decoder) errPath(off int, format string, args ...any) *Error {
	e := d.errAt(off, format, args...)
	if p := d.pathString(); p != "" {
		e.Msg = p + ": " + e.Msg
	}
	return e
}

func (d *decoder) pathString() string {
	if len(d.path) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteByte('$')
	for _, s := range d.path {
		if s.idx >= 0 {
			fmt.Fprintf(&b, "[%d]", s.idx)
		} else if isPlainKey(s.key) {
			b.WriteByte('.')
			b.WriteString(s.key)
		} else {
			fmt.Fprintf(&b, "[%q]", s.key)
		}
	}
	return b.String()
}

func isPlainKey(k string) bool {
	if k == "" {
		return false
	}
	for _, r := range k {
		if !(r == '_' || r == '$' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return false
		}
	}
	return true
}

func (d *decoder) pushKey(k string) { d.path = append(d.path, seg{key: k, idx: -1}) }
func (d *decoder) pushIdx(i int)    { d.path = append(d.path, seg{idx: i}) }
func (d *decoder) pop()             { d.path = d.path[:len(d.path)-1] }
func (d *decoder) setIdx(i int)     { d.path[len(d.path)-1].idx = i }

// describe names what is at off for "got ..." in messages: its kind and,
// for punctuation, the character, never the text of a string, number or
// word. A file that is not a model at all (a key file, /etc/passwd) must
// not have its content echoed; the position says where to look.
func (d *decoder) describe(off int) string {
	if off >= len(d.data) {
		return "end of input"
	}
	c := d.data[off]
	if c == '"' || c == '\'' {
		return "a string"
	}
	if isLiteral(c) {
		end := off
		for end < len(d.data) && isLiteral(d.data[end]) && end-off < 6 {
			end++
		}
		switch w := string(d.data[off:end]); {
		case w == "true" || w == "false" || w == "null":
			if end == len(d.data) || !isLiteral(d.data[end]) {
				return w
			}
		case c >= 0x80:
			return fmt.Sprintf("byte 0x%02x", c)
		case c == '-' || c == '+' || c == '.' || c >= '0' && c <= '9':
			return "a number"
		}
		return "a word (unquoted text)"
	}
	switch c {
	case '\t':
		return "a tab"
	case '\f':
		return "a form feed"
	}
	if c < ' ' {
		return fmt.Sprintf("control character U+%04X", c)
	}
	return "'" + string(rune(c)) + "'"
}

// isLiteral reports whether c may be part of an unquoted name or value
// (Gson JsonReader.isLiteral in lenient mode).
func isLiteral(c byte) bool {
	switch c {
	case '/', '\\', ';', '#', '=', '{', '}', '[', ']', ':', ',', ' ', '\t', '\f', '\r', '\n':
		return false
	}
	return true
}

// skip moves past whitespace and comments and returns the next byte
// without consuming it, or eof.
func (d *decoder) skip() (int, error) {
	for d.pos < len(d.data) {
		switch c := d.data[d.pos]; c {
		case ' ', '\t', '\n', '\r':
			d.pos++
		case '#':
			d.skipLine()
		case '/':
			if d.pos+1 < len(d.data) {
				switch d.data[d.pos+1] {
				case '/':
					d.skipLine()
					continue
				case '*':
					end := bytes.Index(d.data[d.pos+2:], []byte("*/"))
					if end < 0 {
						return eof, d.errAt(d.pos, "unterminated /* comment (no closing */)")
					}
					d.pos += 2 + end + 2
					continue
				}
			}
			return int(c), nil
		default:
			return int(c), nil
		}
	}
	return eof, nil
}

func (d *decoder) skipLine() {
	i := bytes.IndexAny(d.data[d.pos:], "\r\n")
	if i < 0 {
		d.pos = len(d.data)
		return
	}
	d.pos += i
}

// literal consumes a maximal run of literal bytes.
func (d *decoder) literal() []byte {
	start := d.pos
	for d.pos < len(d.data) && isLiteral(d.data[d.pos]) {
		d.pos++
	}
	return d.data[start:d.pos]
}

// quoted consumes a double- or single-quoted string at d.pos and returns
// its decoded bytes; they alias d.data or d.buf and are valid until the
// next call.
func (d *decoder) quoted() ([]byte, error) {
	start := d.pos
	q := d.data[d.pos]
	d.pos++
	i, ascii := d.pos, true
	for ; i < len(d.data); i++ {
		c := d.data[i]
		if c == q {
			s := d.data[d.pos:i]
			if ascii || utf8.Valid(s) {
				d.pos = i + 1
				return s, nil
			}
			i = d.pos // invalid UTF-8: redo it all on the slow path
			break
		}
		if c == '\\' || (d.dropBreaks && (c == '\n' || c == '\r')) {
			break
		}
		if c >= utf8.RuneSelf {
			ascii = false
		}
	}
	if i >= len(d.data) {
		return nil, d.errAt(start, "unterminated string (no closing %c)", q)
	}
	// Slow path: escapes, dropped line breaks or invalid UTF-8.
	b := append(d.buf[:0], d.data[d.pos:i]...)
	i = d.pos + len(b)
	for {
		if i >= len(d.data) {
			return nil, d.errAt(start, "unterminated string (no closing %c)", q)
		}
		c := d.data[i]
		switch {
		case c == q:
			d.pos = i + 1
			d.buf = b
			return b, nil
		case c == '\n' || c == '\r':
			if !d.dropBreaks {
				b = append(b, c)
			}
			i++
		case c == '\\':
			var err error
			b, i, err = d.escape(b, i)
			if err != nil {
				return nil, err
			}
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			r, n := utf8.DecodeRune(d.data[i:])
			b = utf8.AppendRune(b, r) // invalid bytes become U+FFFD, as Java's decoder does
			i += n
		}
	}
}

// escape decodes the escape sequence whose backslash is at i
// (Gson readEscapeCharacter).
func (d *decoder) escape(b []byte, i int) ([]byte, int, error) {
	at := i
	i++
	if d.dropBreaks {
		for i < len(d.data) && (d.data[i] == '\n' || d.data[i] == '\r') {
			i++
		}
	}
	if i >= len(d.data) {
		return b, i, d.errAt(at, "unterminated escape sequence")
	}
	c := d.data[i]
	i++
	switch c {
	case 'u':
		r, ok := hex4(d.data, i)
		if !ok {
			return b, i, d.errAt(at, `malformed \u escape (expected 4 hex digits)`)
		}
		i += 4
		if utf16.IsSurrogate(r) {
			if r < 0xdc00 && i+6 <= len(d.data) && d.data[i] == '\\' && d.data[i+1] == 'u' {
				if r2, ok := hex4(d.data, i+2); ok && r2 >= 0xdc00 && r2 < 0xe000 {
					return utf8.AppendRune(b, utf16.DecodeRune(r, r2)), i + 6, nil
				}
			}
			r = utf8.RuneError // lone surrogate
		}
		return utf8.AppendRune(b, r), i, nil
	case 't':
		return append(b, '\t'), i, nil
	case 'b':
		return append(b, '\b'), i, nil
	case 'n':
		return append(b, '\n'), i, nil
	case 'r':
		return append(b, '\r'), i, nil
	case 'f':
		return append(b, '\f'), i, nil
	case '\n', '\'', '"', '\\', '/':
		return append(b, c), i, nil
	}
	return b, i, d.errAt(at, "invalid escape sequence %s (use \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)", d.describeEscape(at))
}

func (d *decoder) describeEscape(at int) string {
	r, _ := utf8.DecodeRune(d.data[at+1:])
	if unicode.IsPrint(r) {
		return "'\\" + string(r) + "'"
	}
	return fmt.Sprintf("'\\' followed by U+%04X", r)
}

func hex4(data []byte, i int) (rune, bool) {
	if i+4 > len(data) {
		return 0, false
	}
	var r rune
	for _, c := range data[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// Kinds of unquoted literal.
const (
	litString = iota
	litNumber
	litTrue
	litFalse
	litNull
)

// classify tells what an unquoted literal is: a keyword (each letter in
// lower or upper case, as Gson allows), a JSON number, or else a string.
func classify(b []byte) int {
	switch {
	case keyword(b, "true"):
		return litTrue
	case keyword(b, "false"):
		return litFalse
	case keyword(b, "null"):
		return litNull
	case jsonx.IsNumber(b):
		return litNumber
	}
	return litString
}

func keyword(b []byte, kw string) bool {
	if len(b) != len(kw) {
		return false
	}
	for i := range b {
		if b[i] != kw[i] && b[i] != kw[i]-'a'+'A' {
			return false
		}
	}
	return true
}

// parseJSONNumber converts the text of a JSON number. Out-of-range values
// saturate to ±Inf like Java's parseDouble; callers decide about them.
func parseJSONNumber(b []byte) float64 {
	f, _ := strconv.ParseFloat(string(b), 64)
	return f
}

// javaParseDouble accepts what Java's Double.parseDouble accepts for
// finite values: surrounding blanks (chars <= ' '), a sign, decimal or hex
// digits with optional exponent, and an optional f/F/d/D suffix. NaN and
// Infinity are reported as not ok (model numbers must be finite).
func javaParseDouble(s string) (float64, bool) {
	s = javastr.Trim(s)
	if n := len(s); n > 0 && strings.IndexByte("fFdD", s[n-1]) >= 0 {
		s = s[:n-1]
	}
	if s == "" || strings.ContainsAny(s, "_iInN") {
		return 0, false // Go-only forms: digit separators, inf, nan
	}
	body := strings.TrimLeft(s, "+-")
	if len(s)-len(body) > 1 {
		return 0, false
	}
	hex := len(body) > 1 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X')
	if hex && !strings.ContainsAny(body, "pP") {
		return 0, false // Java hex floats need a binary exponent
	}
	if !hex && strings.ContainsAny(body, "xXpP") {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !isRangeErr(err) {
		return 0, false
	}
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// javaParseLong is Long.parseLong / Integer.parseInt (decimal, optional
// sign) with the given bit size.
func javaParseLong(s string, bits int) (int64, bool) {
	if s == "" || s == "+" || s == "-" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9') && !(i == 0 && (c == '+' || c == '-')) {
			return 0, false
		}
	}
	v, err := strconv.ParseInt(s, 10, bits)
	return v, err == nil
}
