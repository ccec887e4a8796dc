package gwjson

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Error is a syntax or model-structure error in a JSON model.
type Error struct {
	File   string // file name given to Parse; "" for ParseLegacy
	Line   int    // 1-based; 0 when the error is not tied to a position
	Column int    // 1-based, counted in characters
	Msg    string
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteByte(':')
	}
	if e.Line > 0 {
		b.WriteString(strconv.Itoa(e.Line))
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(e.Column))
		b.WriteByte(':')
	}
	if b.Len() > 0 {
		b.WriteByte(' ')
	}
	b.WriteString(e.Msg)
	return b.String()
}

// position turns a byte offset into a 1-based line and character column.
// A line ends at "\n", "\r\n" or a lone "\r" (as Java's readLine).
// Only called on error, so a linear scan is fine.
func position(data []byte, off int) (line, col int) {
	if off > len(data) {
		off = len(data)
	}
	line, start := 1, 0
	for i := 0; i < off; i++ {
		switch data[i] {
		case '\n':
			line, start = line+1, i+1
		case '\r':
			if i+1 < len(data) && data[i+1] == '\n' {
				continue
			}
			line, start = line+1, i+1
		}
	}
	if line == 1 && len(data) >= 3 && string(data[:3]) == bom {
		start = min(3, off)
	}
	return line, utf8.RuneCount(data[start:off]) + 1
}

const bom = "\xef\xbb\xbf"
