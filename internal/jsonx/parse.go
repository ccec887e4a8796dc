package jsonx

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/gw-project/gw/internal/javastr"
)

// MaxDepth is the deepest object/array nesting Parse accepts.
const MaxDepth = 512

// smallObject is the member count up to which duplicate keys are found by
// a linear scan; larger objects use a map so parsing stays linear.
const smallObject = 16

// SyntaxError is a parse error with org.json's text and position: Index is
// the number of chars (UTF-16 units) read, Character the column (1-based
// after a line start, 0 right after a line break) and Line the line.
type SyntaxError struct {
	Msg                    string
	Index, Character, Line int64
}

// Error is org.json's message, e.g.
// `Expected a ':' after a key at 9 [character 10 line 1]`.
func (e *SyntaxError) Error() string {
	b := make([]byte, 0, len(e.Msg)+48)
	b = append(b, e.Msg...)
	b = append(b, " at "...)
	b = strconv.AppendInt(b, e.Index, 10)
	b = append(b, " [character "...)
	b = strconv.AppendInt(b, e.Character, 10)
	b = append(b, " line "...)
	b = strconv.AppendInt(b, e.Line, 10)
	return string(append(b, ']'))
}

// Parse reads a JSON object leniently, exactly like org.json's
// `new JSONObject(text)`: unquoted keys and values, single-quoted strings,
// ',' or ';' between pairs, a trailing comma, and any text after the
// closing '}' ignored. Duplicate keys are an error.
func Parse(text string) (Value, error) {
	t := tokener{s: text, character: 1, line: 1}
	return t.object(1)
}

// tokener is a port of org.json's JSONTokener over UTF-16 units, so that
// positions in errors match Java's.
type tokener struct {
	s        string
	pos      int    // next byte to read
	lowHalf  uint16 // pending low surrogate of a supplementary char
	previous uint16
	usePrev  bool
	eof      bool

	index, character, line, charPrevLine int64

	scratch []byte
}

func (t *tokener) err(msg string) error {
	return &SyntaxError{Msg: msg, Index: t.index, Character: t.character, Line: t.line}
}

// read returns the next UTF-16 unit, or -1 at the end of the text.
func (t *tokener) read() int {
	if t.lowHalf != 0 {
		c := t.lowHalf
		t.lowHalf = 0
		return int(c)
	}
	if t.pos >= len(t.s) {
		return -1
	}
	if c := t.s[t.pos]; c < utf8.RuneSelf {
		t.pos++
		return int(c)
	}
	r, size := utf8.DecodeRuneInString(t.s[t.pos:])
	t.pos += size
	if r > 0xffff {
		hi, lo := utf16.EncodeRune(r)
		t.lowHalf = uint16(lo)
		return int(hi)
	}
	return int(r)
}

// next returns the next char, 0 at the end (and for a NUL char, as Java).
func (t *tokener) next() int {
	var c int
	if t.usePrev {
		t.usePrev = false
		c = int(t.previous)
	} else {
		c = t.read()
	}
	if c <= 0 {
		t.eof = true
		return 0
	}
	t.incrementIndexes(c)
	t.previous = uint16(c)
	return c
}

func (t *tokener) incrementIndexes(c int) {
	t.index++
	switch c {
	case '\r':
		t.line++
		t.charPrevLine = t.character
		t.character = 0
	case '\n':
		if t.previous != '\r' {
			t.line++
			t.charPrevLine = t.character
		}
		t.character = 0
	default:
		t.character++
	}
}

func (t *tokener) back() error {
	if t.usePrev || t.index <= 0 {
		return t.err("Stepping back two steps is not supported")
	}
	t.index--
	if t.previous == '\r' || t.previous == '\n' {
		t.line--
		t.character = t.charPrevLine
	} else if t.character > 0 {
		t.character--
	}
	t.usePrev = true
	t.eof = false
	return nil
}

func (t *tokener) end() bool { return t.eof && !t.usePrev }

func (t *tokener) nextClean() int {
	for {
		if c := t.next(); c == 0 || c > ' ' {
			return c
		}
	}
}

// object is JSONObject(JSONTokener).
func (t *tokener) object(depth int) (Value, error) {
	if t.nextClean() != '{' {
		return Value{}, t.err("A JSONObject text must begin with '{'")
	}
	var members []Member
	var seen map[string]struct{}
	for {
		var key string
		switch c := t.nextClean(); c {
		case 0:
			return Value{}, t.err("A JSONObject text must end with '}'")
		case '}':
			return Value{kind: KindObject, obj: members}, nil
		default:
			k, err := t.simpleValue(c)
			if err != nil {
				return Value{}, err
			}
			key = k.JavaString()
		}
		if t.nextClean() != ':' {
			return Value{}, t.err("Expected a ':' after a key")
		}
		dup := false
		if seen != nil {
			_, dup = seen[key]
		} else {
			for i := range members {
				if members[i].Key == key {
					dup = true
					break
				}
			}
		}
		if dup {
			return Value{}, t.err("Duplicate key \"" + key + "\"")
		}
		v, err := t.value(depth)
		if err != nil {
			return Value{}, err
		}
		members = append(members, Member{Key: key, Value: v})
		if seen != nil {
			seen[key] = struct{}{}
		} else if len(members) > smallObject {
			seen = make(map[string]struct{}, 2*len(members))
			for i := range members {
				seen[members[i].Key] = struct{}{}
			}
		}
		switch t.nextClean() {
		case ';', ',':
			if t.nextClean() == '}' {
				return Value{kind: KindObject, obj: members}, nil
			}
			if t.end() {
				return Value{}, t.err("A JSONObject text must end with '}'")
			}
			if err := t.back(); err != nil {
				return Value{}, err
			}
		case '}':
			return Value{kind: KindObject, obj: members}, nil
		default:
			return Value{}, t.err("Expected a ',' or '}'")
		}
	}
}

// array is JSONArray(JSONTokener).
func (t *tokener) array(depth int) (Value, error) {
	if t.nextClean() != '[' {
		return Value{}, t.err("A JSONArray text must start with '['")
	}
	var elems []Value
	c := t.nextClean()
	if c == 0 {
		return Value{}, t.err("Expected a ',' or ']'")
	}
	if c == ']' {
		return Value{kind: KindArray, arr: elems}, nil
	}
	if err := t.back(); err != nil {
		return Value{}, err
	}
	for {
		if t.nextClean() == ',' {
			if err := t.back(); err != nil {
				return Value{}, err
			}
			elems = append(elems, Value{})
		} else {
			if err := t.back(); err != nil {
				return Value{}, err
			}
			v, err := t.value(depth)
			if err != nil {
				return Value{}, err
			}
			elems = append(elems, v)
		}
		switch t.nextClean() {
		case 0:
			return Value{}, t.err("Expected a ',' or ']'")
		case ',':
			c := t.nextClean()
			if c == 0 {
				return Value{}, t.err("Expected a ',' or ']'")
			}
			if c == ']' {
				return Value{kind: KindArray, arr: elems}, nil
			}
			if err := t.back(); err != nil {
				return Value{}, err
			}
		case ']':
			return Value{kind: KindArray, arr: elems}, nil
		default:
			return Value{}, t.err("Expected a ',' or ']'")
		}
	}
}

// value is JSONTokener.nextValue; depth is that of the enclosing container.
func (t *tokener) value(depth int) (Value, error) {
	c := t.nextClean()
	if c == '{' || c == '[' {
		if depth >= MaxDepth {
			return Value{}, t.err("JSON Array or Object depth too large to process.")
		}
		if err := t.back(); err != nil {
			return Value{}, err
		}
		if c == '{' {
			return t.object(depth + 1)
		}
		return t.array(depth + 1)
	}
	return t.simpleValue(c)
}

// simpleValue is JSONTokener.nextSimpleValue: a quoted string, or unquoted
// text up to a delimiter, converted by stringToValue.
func (t *tokener) simpleValue(c int) (Value, error) {
	if c == '"' || c == '\'' {
		s, err := t.nextString(c)
		if err != nil {
			return Value{}, err
		}
		return Value{kind: KindString, s: s}, nil
	}
	// Fast path: ASCII text is sliced from the input, not copied.
	start := t.pos - 1
	fast := c > 0 && c < utf8.RuneSelf && t.lowHalf == 0 && start >= 0 && int(t.s[start]) == c
	end := start
	t.scratch = t.scratch[:0]
	var u utf16Builder
	for c >= ' ' && !isDelimiter(c) {
		switch {
		case fast && c < utf8.RuneSelf:
			end = t.pos
		case fast:
			fast = false
			t.scratch = append(t.scratch, t.s[start:end]...)
			t.scratch = u.add(t.scratch, c)
		default:
			t.scratch = u.add(t.scratch, c)
		}
		c = t.next()
	}
	var text string
	if fast {
		text = t.s[start:end]
	} else {
		text = string(u.flush(t.scratch))
	}
	if !t.eof {
		if err := t.back(); err != nil {
			return Value{}, err
		}
	}
	text = javastr.Trim(text)
	if text == "" {
		return Value{}, t.err("Missing value")
	}
	return stringToValue(text), nil
}

// nextString reads a string up to the closing quote (JSONTokener.nextString).
func (t *tokener) nextString(quote int) (string, error) {
	// Fast path: plain ASCII up to the closing quote needs no copy.
	if !t.usePrev && t.lowHalf == 0 {
		i := t.pos
		for i < len(t.s) {
			b := t.s[i]
			if b == byte(quote) || b == '\\' || b == '\n' || b == '\r' || b == 0 || b >= utf8.RuneSelf {
				break
			}
			i++
		}
		if i < len(t.s) && t.s[i] == byte(quote) {
			n := int64(i + 1 - t.pos)
			s := t.s[t.pos:i]
			t.pos = i + 1
			t.index += n
			t.character += n
			t.previous = uint16(quote)
			return s, nil
		}
	}
	t.scratch = t.scratch[:0]
	var u utf16Builder
	for {
		c := t.next()
		switch c {
		case 0, '\n', '\r':
			return "", t.err("Unterminated string")
		case '\\':
			c = t.next()
			switch c {
			case 'b':
				t.scratch = u.add(t.scratch, '\b')
			case 't':
				t.scratch = u.add(t.scratch, '\t')
			case 'n':
				t.scratch = u.add(t.scratch, '\n')
			case 'f':
				t.scratch = u.add(t.scratch, '\f')
			case 'r':
				t.scratch = u.add(t.scratch, '\r')
			case 'u':
				h, err := t.hex4()
				if err != nil {
					return "", err
				}
				t.scratch = u.add(t.scratch, h)
			case '"', '\'', '\\', '/':
				t.scratch = u.add(t.scratch, c)
			default:
				return "", t.err("Illegal escape.")
			}
		default:
			if c == quote {
				return string(u.flush(t.scratch)), nil
			}
			t.scratch = u.add(t.scratch, c)
		}
	}
}

// hex4 is Integer.parseInt(next(4), 16) with JSONTokener's errors.
func (t *tokener) hex4() (int, error) {
	var units [4]int
	for i := range units {
		units[i] = t.next()
		if t.end() {
			return 0, t.err("Substring bounds error")
		}
	}
	// parseInt accepts a leading sign; "-FFF" would give a negative char
	// that Java then casts to char.
	v, neg, start := 0, false, 0
	if units[0] == '-' || units[0] == '+' {
		neg, start = units[0] == '-', 1
	}
	for _, c := range units[start:] {
		d := hexVal(c)
		if d < 0 {
			return 0, t.err("Illegal escape.")
		}
		v = v*16 + d
	}
	if neg {
		v = -v
	}
	return v & 0xffff, nil
}

func hexVal(c int) int {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10
	}
	return -1
}

// utf16Builder turns UTF-16 units into UTF-8, pairing surrogates; a lone
// surrogate becomes U+FFFD.
type utf16Builder struct{ high int }

func (u *utf16Builder) add(dst []byte, c int) []byte {
	if u.high != 0 {
		h := u.high
		u.high = 0
		if c >= 0xdc00 && c < 0xe000 {
			return utf8.AppendRune(dst, utf16.DecodeRune(rune(h), rune(c)))
		}
		dst = utf8.AppendRune(dst, utf8.RuneError)
	}
	if c >= 0xd800 && c < 0xdc00 {
		u.high = c
		return dst
	}
	if c < utf8.RuneSelf {
		return append(dst, byte(c))
	}
	return utf8.AppendRune(dst, rune(c)) // lone low surrogates become U+FFFD
}

func (u *utf16Builder) flush(dst []byte) []byte {
	if u.high != 0 {
		u.high = 0
		dst = utf8.AppendRune(dst, utf8.RuneError)
	}
	return dst
}

// stringToValue is JSONObject.stringToValue: true/false/null in any case,
// numbers as Integer/Long/BigInteger/BigDecimal/Double, else the string.
func stringToValue(s string) Value {
	switch {
	case strings.EqualFold(s, "true"):
		return Value{kind: KindBool, b: true}
	case strings.EqualFold(s, "false"):
		return Value{kind: KindBool}
	case strings.EqualFold(s, "null"):
		return Value{}
	}
	if c := s[0]; isDigit(c) || c == '-' {
		if v, ok := stringToNumber(s); ok {
			return v
		}
	}
	return Value{kind: KindString, s: s}
}

func stringToNumber(s string) (Value, bool) {
	if strings.ContainsAny(s, ".eE") || s == "-0" {
		if isZero, ok := parseBigDecimal(s); ok {
			if s[0] == '-' && isZero {
				return Value{kind: KindNumber, num: numDouble, s: s}, true
			}
			return Value{kind: KindNumber, num: numBigDecimal, s: s}, true
		}
		f, ok := parseJavaDouble(s)
		if !ok || math.IsNaN(f) || math.IsInf(f, 0) {
			return Value{}, false
		}
		return Value{kind: KindNumber, num: numDouble, s: s}, true
	}
	// Leading zeros are refused (Java would read them as octal elsewhere).
	if len(s) > 1 && s[0] == '0' && isDigit(s[1]) || len(s) > 2 && s[0] == '-' && s[1] == '0' && isDigit(s[2]) {
		return Value{}, false
	}
	digits := s
	if digits[0] == '-' {
		digits = digits[1:]
	}
	if digits == "" {
		return Value{}, false
	}
	for i := 0; i < len(digits); i++ {
		if !isDigit(digits[i]) {
			return Value{}, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	switch {
	case err != nil:
		return Value{kind: KindNumber, num: numBigInteger, s: s}, true
	case n >= math.MinInt32 && n <= math.MaxInt32:
		return Value{kind: KindNumber, num: numInteger, s: s}, true
	default:
		return Value{kind: KindNumber, num: numLong, s: s}, true
	}
}

// bigDecimal is the parsed form of a Java BigDecimal literal.
type bigDecimal struct {
	neg    bool
	digits string // unscaled value without sign or leading zeros ("0" for zero)
	scale  int64
}

// parseBigDecimalParts follows new BigDecimal(String): optional sign,
// digits with an optional '.', at least one digit, optional exponent; the
// exponent and the resulting scale must fit an int.
func parseBigDecimalParts(s string) (bigDecimal, bool) {
	var d bigDecimal
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		d.neg = s[i] == '-'
		i++
	}
	var intPart, frac string
	st := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	intPart = s[st:i]
	if i < len(s) && s[i] == '.' {
		i++
		st = i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		frac = s[st:i]
	}
	if intPart == "" && frac == "" {
		return d, false
	}
	var exp int64
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		eneg := false
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			eneg = s[i] == '-'
			i++
		}
		if i >= len(s) {
			return d, false
		}
		for ; i < len(s); i++ {
			if !isDigit(s[i]) {
				return d, false
			}
			exp = exp*10 + int64(s[i]-'0')
			if exp > math.MaxInt32+1 {
				return d, false
			}
		}
		if eneg {
			exp = -exp
		}
		if exp > math.MaxInt32 {
			return d, false
		}
	}
	if i != len(s) {
		return d, false
	}
	d.scale = int64(len(frac)) - exp
	if d.scale > math.MaxInt32 || d.scale < math.MinInt32 {
		return d, false
	}
	all := strings.TrimLeft(intPart+frac, "0")
	if all == "" {
		all = "0"
	}
	d.digits = all
	return d, true
}

func parseBigDecimal(s string) (isZero, ok bool) {
	d, ok := parseBigDecimalParts(s)
	return d.digits == "0", ok
}

// bigDecimalString is BigDecimal.toString() of the literal s.
func bigDecimalString(s string) string {
	d, ok := parseBigDecimalParts(s)
	if !ok {
		return s
	}
	var b []byte
	if d.neg && d.digits != "0" {
		b = append(b, '-')
	}
	coeff := d.digits
	if d.scale == 0 {
		return string(append(b, coeff...))
	}
	adjusted := -d.scale + int64(len(coeff)-1)
	if d.scale > 0 && adjusted >= -6 {
		pad := d.scale - int64(len(coeff))
		if pad >= 0 {
			b = append(b, '0', '.')
			for ; pad > 0; pad-- {
				b = append(b, '0')
			}
			b = append(b, coeff...)
		} else {
			cut := int64(len(coeff)) - d.scale
			b = append(b, coeff[:cut]...)
			b = append(b, '.')
			b = append(b, coeff[cut:]...)
		}
		return string(b)
	}
	b = append(b, coeff[0])
	if len(coeff) > 1 {
		b = append(b, '.')
		b = append(b, coeff[1:]...)
	}
	b = append(b, 'E')
	if adjusted > 0 {
		b = append(b, '+')
	}
	return string(strconv.AppendInt(b, adjusted, 10))
}

// parseJavaDouble is Double.valueOf for the forms BigDecimal refuses:
// a trailing f/F/d/D type suffix and hexadecimal floats (0x1.8p3).
func parseJavaDouble(s string) (float64, bool) {
	if strings.ContainsRune(s, '_') {
		return 0, false
	}
	body := s
	if n := len(body); n > 0 {
		switch body[n-1] {
		case 'f', 'F', 'd', 'D':
			body = body[:n-1]
		}
	}
	u := strings.TrimLeft(body, "+-")
	if len(body)-len(u) > 1 {
		return 0, false
	}
	if len(u) > 1 && u[0] == '0' && (u[1] == 'x' || u[1] == 'X') {
		if !strings.ContainsAny(u, "pP") {
			return 0, false
		}
		f, err := strconv.ParseFloat(body, 64)
		return f, err == nil
	}
	if _, ok := parseBigDecimalParts(body); !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(body, 64)
	return f, err == nil
}

// isDelimiter reports the chars that end unquoted text in org.json.
func isDelimiter(c int) bool {
	switch c {
	case ',', ':', ']', '}', '/', '\\', '"', '[', '{', ';', '=', '#':
		return true
	}
	return false
}
