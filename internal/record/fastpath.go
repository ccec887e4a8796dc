package record

import (
	"bytes"
	"strconv"
	"unicode/utf8"

	"github.com/gw-project/gw/internal/jsonx"
	"github.com/gw-project/gw/internal/model"
)

// parseStep reads the common line — a step without data, as the encoder
// writes it — without encoding/json, which is most of a report's time on
// a long record. ok is false for anything else; the caller then parses
// the line in full.
func (r *Reader) parseStep(b []byte) (l Line, ok bool) {
	const prefix = `{"type":"step","n":`
	if !bytes.HasPrefix(b, []byte(prefix)) || b[len(b)-1] != '}' {
		return l, false
	}
	p := b[len(prefix):]
	n, p, ok := number(p)
	if !ok {
		return l, false
	}
	if p, ok = skip(p, `,"model":`); !ok {
		return l, false
	}
	k, p, ok := number(p)
	if !ok || k >= int64(len(r.Models)) {
		return l, false
	}
	if p, ok = skip(p, `,"id":"`); !ok {
		return l, false
	}
	end := bytes.IndexByte(p, '"')
	if end < 0 || !plainString(p[:end]) {
		return l, false
	}
	el, found := r.ids[k][string(p[:end])]
	if !found {
		return l, false
	}
	p = p[end+1:]
	if p, ok = skip(p, `,"name":"`); !ok {
		return l, false
	}
	// The name is derived from the id: check it and skip it.
	if p, ok = skipString(p); !ok {
		return l, false
	}
	if p, ok = skip(p, `,"visits":`); !ok {
		return l, false
	}
	v, p, ok := number(p)
	if !ok {
		return l, false
	}
	if p, ok = skip(p, `,"t":`); !ok {
		return l, false
	}
	i := 0
	for i < len(p) && (p[i] >= '0' && p[i] <= '9' || p[i] == '.') {
		i++
	}
	if i == 0 || string(p[i:]) != "}" || !jsonx.IsNumber(p[:i]) {
		return l, false
	}
	t, err := strconv.ParseFloat(string(p[:i]), 64)
	if err != nil {
		return l, false
	}
	return Line{Type: "step", N: int(n), Model: int(k), Element: model.Element(el), Visits: int(v), T: t}, true
}

// number reads a JSON non-negative integer (no leading zeros, at most 18
// digits).
func number(p []byte) (int64, []byte, bool) {
	i := 0
	var n int64
	for i < len(p) && p[i] >= '0' && p[i] <= '9' && i < 18 {
		n = n*10 + int64(p[i]-'0')
		i++
	}
	if i == 0 || i > 1 && p[0] == '0' || i < len(p) && p[i] >= '0' && p[i] <= '9' {
		return 0, p, false
	}
	return n, p[i:], true
}

// plainString reports whether b is a JSON string's body that needs no
// decoding: valid UTF-8, no escape, no control character.
func plainString(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c == '\\' {
			return false
		}
	}
	return utf8.Valid(b)
}

// skipString skips a JSON string's body and its closing quote.
func skipString(p []byte) ([]byte, bool) {
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c == '"':
			return p[i+1:], utf8.Valid(p[:i])
		case c < 0x20:
			return p, false
		case c == '\\':
			i++
			if i >= len(p) {
				return p, false
			}
			switch p[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(p) {
					return p, false
				}
				for _, h := range p[i+1 : i+5] {
					if !(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F') {
						return p, false
					}
				}
				i += 4
			default:
				return p, false
			}
		}
	}
	return p, false
}

func skip(p []byte, s string) ([]byte, bool) {
	if !bytes.HasPrefix(p, []byte(s)) {
		return p, false
	}
	return p[len(s):], true
}
