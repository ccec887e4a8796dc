package yed

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"unicode/utf8"
)

// scanner is a small strict XML tokenizer over a whole in-memory document.
// It replaces encoding/xml, which spends ~40 ms and 400k allocations on a
// 3 MB yEd file, with a zero-copy scan (a few ms): names and text are
// slices of the input unless entities or CRs need decoding, and attribute
// values are decoded only when asked for.
//
// It checks what a GraphML reader must not get wrong: characters XML
// forbids, matching tags, one root element, quoted attributes, known
// entities, comments without "--". It does not check the finer points of
// the XML grammar (which characters may appear in names beyond ASCII,
// duplicate attributes), and ignores DTDs.
type scanner struct {
	src []byte
	pos int

	// current token
	kind      tokKind
	name      []byte // qualified name (start and end tags)
	local     []byte // name without its prefix
	attrs     []attrSpan
	text      []byte // decoded character data
	tokPos    int    // offset of the token, for line numbers
	selfClose bool   // the start tag was <a/>: an end token follows

	open     [][]byte // names of the open elements
	rootDone bool
	buf      []byte // decoding scratch for text

	lineOff, lineNo int // newline count up to lineOff, for line()
}

// maxElementDepth bounds element nesting: the stack of open elements
// costs memory per level (30 MB of "<a>" took 900 MB), and a yEd file,
// even with groups nested as deep as the reader allows, nests far less.
const maxElementDepth = 10000

type tokKind uint8

const (
	tStart tokKind = iota
	tEnd
	tText
	tEOF
)

type attrSpan struct {
	local      []byte
	val        []byte // raw, between the quotes
	start, end int
}

// xmlError is a well-formedness error at a line of the document.
type xmlError struct {
	line, col int
	msg       string
}

func (e *xmlError) Error() string {
	return fmt.Sprintf("XML syntax error on line %d: %s", e.line, e.msg)
}

// newScanner reads the document, decodes it to UTF-8 following its XML
// declaration, and checks that it holds only characters XML allows.
func newScanner(r io.Reader) (*scanner, error) {
	src, err := readAll(r)
	if err != nil {
		return nil, err
	}
	src = bytes.TrimPrefix(src, []byte{0xEF, 0xBB, 0xBF})
	if bytes.HasPrefix(src, []byte{0xFE, 0xFF}) || bytes.HasPrefix(src, []byte{0xFF, 0xFE}) {
		return nil, &xmlError{0, 0, "the file is UTF-16 encoded; save it as UTF-8 (yEd's default)"}
	}
	s := &scanner{src: src, lineNo: 1}
	if enc := s.declaredEncoding(); enc != "" && !strings.EqualFold(enc, "utf-8") && !strings.EqualFold(enc, "utf8") {
		rd, err := charsetReader(enc, bytes.NewReader(src))
		if err != nil {
			return nil, &xmlError{1, 0, err.Error()}
		}
		// GraphWalker's writer declares ISO-8859-1 but writes UTF-8; bytes
		// that are valid UTF-8 are practically never meant as Latin-1.
		if !utf8.Valid(src) {
			if s.src, err = io.ReadAll(rd); err != nil {
				return nil, err
			}
		}
	}
	if err := s.checkChars(); err != nil {
		return nil, err
	}
	return s, nil
}

// readAll is io.ReadAll with the buffer sized up front when r knows its
// size, which saves copying a large file several times.
func readAll(r io.Reader) ([]byte, error) {
	size := 0
	switch r := r.(type) {
	case interface{ Len() int }:
		size = r.Len()
	case interface{ Stat() (fs.FileInfo, error) }:
		if fi, err := r.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() < 1<<30 {
			size = int(fi.Size())
		}
	}
	buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
	_, err := buf.ReadFrom(r)
	return buf.Bytes(), err
}

// declaredEncoding reads encoding="…" from a leading <?xml …?>.
func (s *scanner) declaredEncoding() string {
	if !bytes.HasPrefix(s.src, []byte("<?xml")) {
		return ""
	}
	end := bytes.Index(s.src, []byte("?>"))
	if end < 0 {
		return ""
	}
	decl := string(s.src[5:end])
	i := strings.Index(decl, "encoding")
	if i < 0 {
		return ""
	}
	rest := strings.TrimLeft(decl[i+len("encoding"):], " \t\r\n")
	if !strings.HasPrefix(rest, "=") {
		return ""
	}
	rest = strings.TrimLeft(rest[1:], " \t\r\n")
	if rest == "" || (rest[0] != '"' && rest[0] != '\'') {
		return ""
	}
	q := rest[0]
	if j := strings.IndexByte(rest[1:], q); j >= 0 {
		return rest[1 : 1+j]
	}
	return ""
}

// checkChars rejects invalid UTF-8 and the characters XML 1.0 forbids
// anywhere in a document.
func (s *scanner) checkChars() error {
	src := s.src
	for i := 0; i < len(src); {
		c := src[i]
		if c < 0x80 {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return s.errAt(i, "illegal character code U+%04X", c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && n == 1 {
			return s.errAt(i, "invalid UTF-8")
		}
		if r == 0xFFFE || r == 0xFFFF {
			return s.errAt(i, "illegal character code U+%04X", r)
		}
		i += n
	}
	return nil
}

// line is the 1-based line of offset off; offsets must not decrease much
// between calls for this to stay cheap (it recounts from 0 otherwise).
func (s *scanner) line(off int) int {
	if off < s.lineOff {
		s.lineOff, s.lineNo = 0, 1
	}
	s.lineNo += bytes.Count(s.src[s.lineOff:off], []byte{'\n'})
	s.lineOff = off
	return s.lineNo
}

func (s *scanner) errAt(off int, format string, args ...any) *xmlError {
	off = min(off, len(s.src))
	return &xmlError{s.line(off), s.col(off), fmt.Sprintf(format, args...)}
}

// col is the column of offset off: characters since the line's start, plus 1.
func (s *scanner) col(off int) int {
	start := bytes.LastIndexByte(s.src[:off], '\n') + 1
	return utf8.RuneCount(s.src[start:off]) + 1
}

// tokLine is the line where the current token starts.
func (s *scanner) tokLine() int { return s.line(s.tokPos) }

// next moves to the next start tag, end tag or text inside the root
// element, or to tEOF after it.
func (s *scanner) next() error {
	if s.selfClose {
		s.selfClose = false
		s.kind = tEnd
		s.open = s.open[:len(s.open)-1]
		if len(s.open) == 0 {
			s.rootDone = true
		}
		return nil
	}
	for {
		s.tokPos = s.pos
		if s.pos >= len(s.src) {
			if len(s.open) > 0 {
				return s.errAt(s.pos, "unexpected EOF: <%s> is not closed", s.open[len(s.open)-1])
			}
			if !s.rootDone {
				return s.errAt(s.pos, "no root element")
			}
			s.kind = tEOF
			return nil
		}
		if s.src[s.pos] != '<' {
			end := bytes.IndexByte(s.src[s.pos:], '<')
			if end < 0 {
				end = len(s.src)
			} else {
				end += s.pos
			}
			raw := s.src[s.pos:end]
			s.pos = end
			if i := bytes.Index(raw, []byte("]]>")); i >= 0 {
				return s.errAt(s.tokPos+i, "unescaped ]]> not in CDATA section")
			}
			if len(s.open) == 0 {
				if len(bytes.TrimLeft(raw, " \t\r\n")) > 0 {
					return s.errAt(s.tokPos, "text outside the root element")
				}
				continue
			}
			text, err := s.decode(raw, false)
			if err != nil {
				return err
			}
			s.kind, s.text = tText, text
			return nil
		}
		rest := s.src[s.pos+1:]
		switch {
		case bytes.HasPrefix(rest, []byte("/")):
			return s.endTag()
		case bytes.HasPrefix(rest, []byte("?")):
			if err := s.skipPast(s.pos+2, "?>", "processing instruction"); err != nil {
				return err
			}
		case bytes.HasPrefix(rest, []byte("!--")):
			end := bytes.Index(s.src[s.pos+4:], []byte("--"))
			if end < 0 {
				return s.errAt(s.pos, "unexpected EOF in comment")
			}
			end += s.pos + 4
			if end+2 >= len(s.src) || s.src[end+2] != '>' {
				return s.errAt(end, `invalid sequence "--" not allowed in comments`)
			}
			s.pos = end + 3
		case bytes.HasPrefix(rest, []byte("![CDATA[")):
			if len(s.open) == 0 {
				return s.errAt(s.pos, "CDATA section outside the root element")
			}
			end := bytes.Index(s.src[s.pos+9:], []byte("]]>"))
			if end < 0 {
				return s.errAt(s.pos, "unexpected EOF in CDATA section")
			}
			raw := s.src[s.pos+9 : s.pos+9+end]
			s.pos += 9 + end + 3
			text, err := s.decodeCR(raw)
			if err != nil {
				return err
			}
			s.kind, s.text = tText, text
			return nil
		case bytes.HasPrefix(rest, []byte("!DOCTYPE")) && len(s.open) == 0 && !s.rootDone:
			if err := s.skipDoctype(); err != nil {
				return err
			}
		case bytes.HasPrefix(rest, []byte("!")):
			return s.errAt(s.pos, "invalid <! markup")
		default:
			return s.startTag()
		}
	}
}

func (s *scanner) skipPast(from int, end, what string) error {
	i := bytes.Index(s.src[from:], []byte(end))
	if i < 0 {
		return s.errAt(s.pos, "unexpected EOF in %s", what)
	}
	s.pos = from + i + len(end)
	return nil
}

// skipDoctype skips <!DOCTYPE …> the way encoding/xml reads a directive:
// '<' and '>' outside quotes nest (so an internal subset's declarations are
// inside it) and comments inside are skipped whole.
func (s *scanner) skipDoctype() error {
	depth := 0
	for i := s.pos + 9; i < len(s.src); i++ {
		switch c := s.src[i]; c {
		case '"', '\'':
			j := bytes.IndexByte(s.src[i+1:], c)
			if j < 0 {
				return s.errAt(s.pos, "unexpected EOF in DOCTYPE")
			}
			i += j + 1
		case '<':
			if !bytes.HasPrefix(s.src[i+1:], []byte("!--")) {
				depth++
				continue
			}
			end := bytes.Index(s.src[i+4:], []byte("--"))
			if end < 0 {
				return s.errAt(s.pos, "unexpected EOF in DOCTYPE")
			}
			at := i + 4 + end
			if at+2 >= len(s.src) || s.src[at+2] != '>' {
				return s.errAt(at, `invalid sequence "--" not allowed in comments`)
			}
			i = at + 2
		case '>':
			if depth == 0 {
				s.pos = i + 1
				return nil
			}
			depth--
		}
	}
	return s.errAt(s.pos, "unexpected EOF in DOCTYPE")
}

func isNameStart(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' || c == ':' || c >= 0x80
}

func isNameByte(c byte) bool {
	return isNameStart(c) || '0' <= c && c <= '9' || c == '-' || c == '.'
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// scanName reads a name at s.pos.
func (s *scanner) scanName() ([]byte, bool) {
	i := s.pos
	if i >= len(s.src) || !isNameStart(s.src[i]) {
		return nil, false
	}
	for i < len(s.src) && isNameByte(s.src[i]) {
		i++
	}
	name := s.src[s.pos:i]
	s.pos = i
	return name, bytes.Count(name, []byte{':'}) <= 1 // as encoding/xml
}

// localName strips a namespace prefix as encoding/xml does ("a:b" → "b").
func localName(name []byte) []byte {
	if i := bytes.IndexByte(name, ':'); i > 0 && i < len(name)-1 {
		return name[i+1:]
	}
	return name
}

func (s *scanner) skipSpace() bool {
	start := s.pos
	for s.pos < len(s.src) && isSpace(s.src[s.pos]) {
		s.pos++
	}
	return s.pos > start
}

func (s *scanner) startTag() error {
	if s.rootDone {
		return s.errAt(s.pos, "content after the root element")
	}
	s.pos++ // '<'
	name, ok := s.scanName()
	if !ok {
		return s.errAt(s.pos, "expected element name after <")
	}
	s.kind, s.name, s.local = tStart, name, localName(name)
	s.attrs = s.attrs[:0]
	if len(s.open) >= maxElementDepth {
		return s.errAt(s.tokPos, "elements nested more than %d levels deep (a yEd file nests a few dozen)", maxElementDepth)
	}
	for {
		space := s.skipSpace()
		if s.pos >= len(s.src) {
			return s.errAt(s.pos, "unexpected EOF in <%s>", name)
		}
		switch s.src[s.pos] {
		case '>':
			s.pos++
			s.open = append(s.open, name)
			return nil
		case '/':
			if s.pos+1 >= len(s.src) || s.src[s.pos+1] != '>' {
				return s.errAt(s.pos, "expected /> in element")
			}
			s.pos += 2
			s.open = append(s.open, name)
			s.selfClose = true
			return nil
		}
		if !space {
			return s.errAt(s.pos, "expected whitespace before an attribute of <%s>", name)
		}
		aname, ok := s.scanName()
		if !ok {
			return s.errAt(s.pos, "expected attribute name in <%s>", name)
		}
		s.skipSpace()
		if s.pos >= len(s.src) || s.src[s.pos] != '=' {
			return s.errAt(s.pos, "attribute %s of <%s> has no value", aname, name)
		}
		s.pos++
		s.skipSpace()
		if s.pos >= len(s.src) || (s.src[s.pos] != '"' && s.src[s.pos] != '\'') {
			return s.errAt(s.pos, "unquoted or missing attribute value in <%s>", name)
		}
		q := s.src[s.pos]
		end := bytes.IndexByte(s.src[s.pos+1:], q)
		if end < 0 {
			return s.errAt(s.pos, "unexpected EOF in attribute value")
		}
		val := s.src[s.pos+1 : s.pos+1+end]
		if bytes.IndexByte(val, '<') >= 0 {
			return s.errAt(s.pos, "unescaped < inside attribute value")
		}
		if bytes.IndexByte(val, '&') >= 0 {
			if _, err := s.decodeAt(nil, val, true, s.pos+1); err != nil {
				return err
			}
		}
		s.attrs = append(s.attrs, attrSpan{local: localName(aname), val: val, start: s.pos + 1})
		s.pos += end + 2
	}
}

func (s *scanner) endTag() error {
	s.pos += 2 // "</"
	name, ok := s.scanName()
	if !ok {
		return s.errAt(s.pos, "expected element name after </")
	}
	s.skipSpace()
	if s.pos >= len(s.src) || s.src[s.pos] != '>' {
		return s.errAt(s.pos, "invalid characters between </%s and >", name)
	}
	s.pos++
	n := len(s.open)
	if n == 0 {
		return s.errAt(s.tokPos, "unexpected end element </%s>", name)
	}
	if !bytes.Equal(s.open[n-1], name) {
		return s.errAt(s.tokPos, "element <%s> closed by </%s>", s.open[n-1], name)
	}
	s.open = s.open[:n-1]
	if len(s.open) == 0 {
		s.rootDone = true
	}
	s.kind, s.name, s.local = tEnd, name, localName(name)
	return nil
}

// attr returns the decoded value of the current start tag's attribute with
// the given local name.
func (s *scanner) attr(local string) (string, bool) {
	for _, a := range s.attrs {
		if string(a.local) == local {
			if bytes.IndexAny(a.val, "&\r\n\t") < 0 {
				return string(a.val), true
			}
			v, _ := s.decodeAt(nil, a.val, true, a.start) // checked by startTag
			return string(v), true
		}
	}
	return "", false
}

// skip consumes the rest of the current element.
func (s *scanner) skip() error {
	for depth := 1; depth > 0; {
		if err := s.next(); err != nil {
			return err
		}
		switch s.kind {
		case tStart:
			depth++
		case tEnd:
			depth--
		}
	}
	return nil
}

// decode decodes character data: entities, and CR LF / CR to LF. The
// result aliases the input when nothing needs decoding.
func (s *scanner) decode(raw []byte, attr bool) ([]byte, error) {
	if bytes.IndexByte(raw, '&') < 0 && bytes.IndexByte(raw, '\r') < 0 {
		return raw, nil
	}
	out, err := s.decodeAt(s.buf[:0], raw, attr, s.tokPos)
	s.buf = out
	return out, err
}

func (s *scanner) decodeCR(raw []byte) ([]byte, error) {
	if bytes.IndexByte(raw, '\r') < 0 {
		return raw, nil
	}
	out := s.buf[:0]
	for i := 0; i < len(raw); i++ {
		if raw[i] == '\r' {
			out = append(out, '\n')
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
			continue
		}
		out = append(out, raw[i])
	}
	s.buf = out
	return out, nil
}

// decodeAt appends the decoded raw (found at offset off, for errors) to
// dst. In attribute values, literal whitespace becomes a space, as the XML
// spec says (character references are kept).
func (s *scanner) decodeAt(dst, raw []byte, attr bool, off int) ([]byte, error) {
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '\r':
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
			if attr {
				dst = append(dst, ' ')
			} else {
				dst = append(dst, '\n')
			}
		case attr && (c == '\n' || c == '\t'):
			dst = append(dst, ' ')
		case c == '&':
			semi := bytes.IndexByte(raw[i:], ';')
			if semi < 0 {
				return nil, s.errAt(off+i, "invalid character entity %s (no semicolon)", clip(raw[i:]))
			}
			ent := raw[i+1 : i+semi]
			r, ok := entity(ent)
			if !ok {
				return nil, s.errAt(off+i, "invalid character entity &%s;", ent)
			}
			dst = utf8.AppendRune(dst, r)
			i += semi
		default:
			dst = append(dst, c)
		}
	}
	return dst, nil
}

func clip(b []byte) string {
	if len(b) > 10 {
		b = b[:10]
	}
	return string(b)
}

// entity resolves the predefined entities and character references.
func entity(name []byte) (rune, bool) {
	switch string(name) {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "apos":
		return '\'', true
	case "quot":
		return '"', true
	}
	if len(name) < 2 || name[0] != '#' {
		return 0, false
	}
	digits, base := name[1:], 10
	if digits[0] == 'x' {
		digits, base = digits[1:], 16
	}
	if len(digits) == 0 || len(digits) > 8 {
		return 0, false
	}
	for _, c := range digits { // ParseUint would also take "_" and signs
		if !('0' <= c && c <= '9' || base == 16 && ('a' <= c && c <= 'f' || 'A' <= c && c <= 'F')) {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(string(digits), base, 32)
	if err != nil {
		return 0, false
	}
	r := rune(n)
	ok := r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
	return r, ok
}
