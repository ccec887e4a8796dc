package gwjson

import (
	"math"
	"unicode/utf8"

	"github.com/gw-project/gw/internal/model"
)

// value reads any JSON value at d.pos (c is its first byte, from skip):
// objects become model.Properties, arrays []any, numbers float64.
func (d *decoder) value(c int) (any, error) {
	switch c {
	case '{':
		return d.object(false)
	case '[':
		return d.array()
	case '"', '\'':
		s, err := d.quoted()
		return string(s), err
	case eof:
		return nil, d.errPath(d.pos, "expected a value, got end of input")
	}
	if !isLiteral(byte(c)) {
		return nil, d.errPath(d.pos, "expected a value, got %s", d.describe(d.pos))
	}
	start := d.pos
	lit := d.literal()
	switch classify(lit) {
	case litTrue:
		return true, nil
	case litFalse:
		return false, nil
	case litNull:
		return nil, nil
	case litNumber:
		f := parseJSONNumber(lit)
		if math.IsInf(f, 0) {
			return nil, d.errPath(start, "number %s is out of range", lit)
		}
		return f, nil
	}
	return text(lit), nil
}

// text converts bytes to a string, replacing each invalid UTF-8 byte with
// U+FFFD as Java's decoder does.
func text(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	out := make([]byte, 0, len(b)+8)
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		out = utf8.AppendRune(out, r)
		b = b[n:]
	}
	return string(out)
}

func (d *decoder) enter() error {
	d.depth++
	if d.depth > maxDepth {
		return d.errAt(d.pos, "nesting deeper than %d levels", maxDepth)
	}
	return nil
}

// object reads a JSON object as ordered properties. A repeated key keeps
// its first position and takes the last value (Gson's LinkedTreeMap), or
// is an error when dupErr (Gson's Map<String,Object> fields).
func (d *decoder) object(dupErr bool) (model.Properties, error) {
	if err := d.enter(); err != nil {
		return nil, err
	}
	d.pos++ // '{'
	props := model.Properties{}
	var index map[string]int // built once the object is large, to stay linear
	for first := true; ; first = false {
		more, err := d.objectNext(first)
		if err != nil || !more {
			d.depth--
			return props, err
		}
		keyOff := d.pos
		kb, err := d.key()
		if err != nil {
			return nil, err
		}
		k := text(kb)
		d.pushKey(k)
		c, err := d.skip()
		if err != nil {
			return nil, err
		}
		v, err := d.value(c)
		if err != nil {
			return nil, err
		}
		d.pop()
		at := -1
		if index != nil {
			if j, ok := index[k]; ok {
				at = j
			}
		} else {
			for j := range props {
				if props[j].Key == k {
					at = j
					break
				}
			}
		}
		switch {
		case at >= 0 && dupErr:
			return nil, d.errPath(keyOff, "duplicate property key %q", k)
		case at >= 0:
			props[at].Value = v
		default:
			props = append(props, model.Property{Key: k, Value: v})
			if index != nil {
				index[k] = len(props) - 1
			} else if len(props) > 16 {
				index = make(map[string]int, 32)
				for j, p := range props {
					index[p.Key] = j
				}
			}
		}
	}
}

func (d *decoder) array() ([]any, error) {
	if err := d.enter(); err != nil {
		return nil, err
	}
	d.pos++ // '['
	out := []any{}
	d.pushIdx(0)
	for first := true; ; first = false {
		more, elided, err := d.arrayNext(first)
		if err != nil {
			return nil, err
		}
		if !more {
			break
		}
		d.setIdx(len(out))
		if elided {
			out = append(out, nil)
			continue
		}
		c, _ := d.skip()
		v, err := d.value(c)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	d.pop()
	d.depth--
	return out, nil
}

// objectNext is called after '{' (first) or after a member's value; it
// consumes the separator and reports whether a member name follows.
func (d *decoder) objectNext(first bool) (bool, error) {
	c, err := d.skip()
	if err != nil {
		return false, err
	}
	if !first {
		switch c {
		case '}':
			d.pos++
			return false, nil
		case ',', ';':
			d.pos++
		default:
			return false, d.errAt(d.pos, "expected ',' or '}' after object member, got %s", d.describe(d.pos))
		}
		if c, err = d.skip(); err != nil {
			return false, err
		}
		if c == '}' {
			return false, d.errAt(d.pos, "expected a member name after ',', got '}' (trailing commas are not allowed in objects)")
		}
	} else if c == '}' {
		d.pos++
		return false, nil
	}
	if c == eof {
		return false, d.errAt(d.pos, "unterminated object (expected a member name or '}', got end of input)")
	}
	return true, nil
}

// key reads a member name and the ':' ('=' or '=>') after it.
func (d *decoder) key() ([]byte, error) {
	var k []byte
	switch c := d.data[d.pos]; {
	case c == '"' || c == '\'':
		var err error
		if k, err = d.quoted(); err != nil {
			return nil, err
		}
	case isLiteral(c):
		k = d.literal()
	default:
		return nil, d.errAt(d.pos, "expected a member name, got %s", d.describe(d.pos))
	}
	c, err := d.skip()
	if err != nil {
		return nil, err
	}
	switch c {
	case ':':
		d.pos++
	case '=':
		d.pos++
		if d.pos < len(d.data) && d.data[d.pos] == '>' {
			d.pos++
		}
	default:
		return nil, d.errAt(d.pos, "expected ':' after the member name, got %s", d.describe(d.pos))
	}
	return k, nil
}

// arrayNext is called after '[' (first) or after an element; it consumes
// the separator and reports whether an element follows and whether that
// element was omitted (Gson lenient: ",," and ",]" hold a null).
func (d *decoder) arrayNext(first bool) (more, elided bool, err error) {
	c, err := d.skip()
	if err != nil {
		return false, false, err
	}
	if first {
		switch c {
		case ']':
			d.pos++
			return false, false, nil
		case ',', ';':
			return true, true, nil
		}
	} else {
		switch c {
		case ']':
			d.pos++
			return false, false, nil
		case ',', ';':
			d.pos++
		default:
			return false, false, d.errAt(d.pos, "expected ',' or ']' after array element, got %s", d.describe(d.pos))
		}
		if c, err = d.skip(); err != nil {
			return false, false, err
		}
		if c == ',' || c == ';' || c == ']' {
			return true, true, nil
		}
	}
	if c == eof {
		return false, false, d.errAt(d.pos, "unterminated array (expected a value or ']', got end of input)")
	}
	return true, false, nil
}

// skipValue consumes any value without building it.
func (d *decoder) skipValue(c int) error {
	switch c {
	case '{':
		if err := d.enter(); err != nil {
			return err
		}
		d.pos++
		for first := true; ; first = false {
			more, err := d.objectNext(first)
			if err != nil {
				return err
			}
			if !more {
				break
			}
			if _, err := d.key(); err != nil {
				return err
			}
			c, err := d.skip()
			if err != nil {
				return err
			}
			if err := d.skipValue(c); err != nil {
				return err
			}
		}
		d.depth--
		return nil
	case '[':
		if err := d.enter(); err != nil {
			return err
		}
		d.pos++
		for first := true; ; first = false {
			more, elided, err := d.arrayNext(first)
			if err != nil {
				return err
			}
			if !more {
				break
			}
			if elided {
				continue
			}
			c, _ := d.skip()
			if err := d.skipValue(c); err != nil {
				return err
			}
		}
		d.depth--
		return nil
	case '"', '\'':
		_, err := d.quoted()
		return err
	}
	if c == eof || !isLiteral(byte(c)) {
		return d.errAt(d.pos, "expected a value, got %s", d.describe(d.pos))
	}
	d.literal()
	return nil
}
