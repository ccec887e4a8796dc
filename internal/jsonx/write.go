package jsonx

import (
	"fmt"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/gw-project/gw/internal/model"
)

const hexDigits = "0123456789abcdef"

// AppendString appends s as a JSON string escaped exactly like org.json's
// JSONObject.quote: `"` and `\` escaped, `/` only after `<`, \b \t \n \f \r
// short, other chars below U+0020 and U+0080–U+009F and U+2000–U+20FF as
// \uXXXX (lower-case hex), everything else raw UTF-8. Invalid UTF-8 bytes
// become U+FFFD.
func AppendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '/' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '/':
				if i > 0 && s[i-1] == '<' {
					dst = append(dst, '\\')
				}
				dst = append(dst, '/')
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\t':
				dst = append(dst, '\\', 't')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\r':
				dst = append(dst, '\\', 'r')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, "\uFFFD"...)
		case r >= 0x80 && r < 0xa0 || r >= 0x2000 && r < 0x2100:
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', hexDigits[r>>12], hexDigits[r>>8&0xf], hexDigits[r>>4&0xf], hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// Object builds a compact JSON object whose keys keep the order in which
// they are added. The zero value is an empty object; Reset reuses the
// buffer, so a reused Object does not allocate. Keys are not checked for
// duplicates, and, as with org.json, callers leave out keys whose value is
// null (Java's put(key, null) removes the key).
type Object struct {
	buf []byte // members without braces: "k":v,"k":v
}

func (o *Object) key(k string) {
	if len(o.buf) > 0 {
		o.buf = append(o.buf, ',')
	}
	o.buf = AppendString(o.buf, k)
	o.buf = append(o.buf, ':')
}

// Str adds a string member.
func (o *Object) Str(k, v string) *Object {
	o.key(k)
	o.buf = AppendString(o.buf, v)
	return o
}

// Int adds an integer member.
func (o *Object) Int(k string, v int64) *Object {
	o.key(k)
	o.buf = strconv.AppendInt(o.buf, v, 10)
	return o
}

// Float adds a double member in org.json's format (see AppendFloat).
func (o *Object) Float(k string, v float64) *Object {
	o.key(k)
	o.buf = AppendFloat(o.buf, v)
	return o
}

// Bool adds a boolean member.
func (o *Object) Bool(k string, v bool) *Object {
	o.key(k)
	o.buf = strconv.AppendBool(o.buf, v)
	return o
}

// Null adds an explicit null member (org.json's JSONObject.NULL).
func (o *Object) Null(k string) *Object {
	o.key(k)
	o.buf = append(o.buf, "null"...)
	return o
}

// Raw adds a member whose value is the given JSON text, copied as is.
func (o *Object) Raw(k string, json []byte) *Object {
	o.key(k)
	o.buf = append(o.buf, json...)
	return o
}

// Obj adds a nested object.
func (o *Object) Obj(k string, v *Object) *Object {
	o.key(k)
	o.buf = v.AppendTo(o.buf)
	return o
}

// Arr adds a nested array.
func (o *Object) Arr(k string, v *Array) *Object {
	o.key(k)
	o.buf = v.AppendTo(o.buf)
	return o
}

// Value adds a member from a Go value (see Array.Value for the types). A nil
// value leaves the key out, as org.json's put(key, null) does.
func (o *Object) Value(k string, v any) *Object {
	if v == nil {
		return o
	}
	o.key(k)
	o.buf = appendAny(o.buf, v, 0)
	return o
}

// Empty reports whether no member was added.
func (o *Object) Empty() bool { return len(o.buf) == 0 }

// Reset empties o, keeping its buffer.
func (o *Object) Reset() { o.buf = o.buf[:0] }

// AppendTo appends the object's JSON text to dst.
func (o *Object) AppendTo(dst []byte) []byte {
	dst = append(dst, '{')
	dst = append(dst, o.buf...)
	return append(dst, '}')
}

// Bytes returns the object's JSON text in a new slice.
func (o *Object) Bytes() []byte { return o.AppendTo(make([]byte, 0, len(o.buf)+2)) }

// String returns the object's JSON text.
func (o *Object) String() string { return string(o.Bytes()) }

// Array builds a compact JSON array; the zero value is empty.
type Array struct {
	buf []byte // elements without brackets
	n   int
}

func (a *Array) sep() {
	if a.n > 0 {
		a.buf = append(a.buf, ',')
	}
	a.n++
}

// Str adds a string.
func (a *Array) Str(v string) *Array {
	a.sep()
	a.buf = AppendString(a.buf, v)
	return a
}

// Int adds an integer.
func (a *Array) Int(v int64) *Array {
	a.sep()
	a.buf = strconv.AppendInt(a.buf, v, 10)
	return a
}

// Float adds a double in org.json's format (see AppendFloat).
func (a *Array) Float(v float64) *Array {
	a.sep()
	a.buf = AppendFloat(a.buf, v)
	return a
}

// Bool adds a boolean.
func (a *Array) Bool(v bool) *Array {
	a.sep()
	a.buf = strconv.AppendBool(a.buf, v)
	return a
}

// Null adds null.
func (a *Array) Null() *Array {
	a.sep()
	a.buf = append(a.buf, "null"...)
	return a
}

// Raw adds an element given as JSON text, copied as is.
func (a *Array) Raw(json []byte) *Array {
	a.sep()
	a.buf = append(a.buf, json...)
	return a
}

// Obj adds an object.
func (a *Array) Obj(v *Object) *Array {
	a.sep()
	a.buf = v.AppendTo(a.buf)
	return a
}

// Arr adds a nested array.
func (a *Array) Arr(v *Array) *Array {
	a.sep()
	a.buf = v.AppendTo(a.buf)
	return a
}

// Value adds a Go value: nil (null), bool, string, signed and unsigned
// integers, float64 and float32 (org.json's Double/Float text), []any,
// []string, model.Properties and map[string]any (objects; nil members left
// out; maps in sorted key order), Value, *Object, *Array. Any other type is
// written as the string fmt.Sprint gives, as org.json writes
// quote(value.toString()).
func (a *Array) Value(v any) *Array {
	a.sep()
	a.buf = appendAny(a.buf, v, 0)
	return a
}

// Len is the number of elements added.
func (a *Array) Len() int { return a.n }

// Reset empties a, keeping its buffer.
func (a *Array) Reset() { a.buf, a.n = a.buf[:0], 0 }

// AppendTo appends the array's JSON text to dst.
func (a *Array) AppendTo(dst []byte) []byte {
	dst = append(dst, '[')
	dst = append(dst, a.buf...)
	return append(dst, ']')
}

// Bytes returns the array's JSON text in a new slice.
func (a *Array) Bytes() []byte { return a.AppendTo(make([]byte, 0, len(a.buf)+2)) }

// String returns the array's JSON text.
func (a *Array) String() string { return string(a.Bytes()) }

// maxAnyDepth stops self-referencing []any values from recursing forever.
const maxAnyDepth = 1000

func appendAny(dst []byte, v any, depth int) []byte {
	if depth > maxAnyDepth {
		return append(dst, "null"...)
	}
	switch v := v.(type) {
	case nil:
		return append(dst, "null"...)
	case string:
		return AppendString(dst, v)
	case bool:
		return strconv.AppendBool(dst, v)
	case int:
		return strconv.AppendInt(dst, int64(v), 10)
	case int8:
		return strconv.AppendInt(dst, int64(v), 10)
	case int16:
		return strconv.AppendInt(dst, int64(v), 10)
	case int32:
		return strconv.AppendInt(dst, int64(v), 10)
	case int64:
		return strconv.AppendInt(dst, v, 10)
	case uint:
		return strconv.AppendUint(dst, uint64(v), 10)
	case uint8:
		return strconv.AppendUint(dst, uint64(v), 10)
	case uint16:
		return strconv.AppendUint(dst, uint64(v), 10)
	case uint32:
		return strconv.AppendUint(dst, uint64(v), 10)
	case uint64:
		return strconv.AppendUint(dst, v, 10)
	case float64:
		return appendOrgNumber(dst, v, 64)
	case float32:
		return appendOrgNumber(dst, float64(v), 32)
	case []any:
		dst = append(dst, '[')
		for i, e := range v {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendAny(dst, e, depth+1)
		}
		return append(dst, ']')
	case []string:
		dst = append(dst, '[')
		for i, e := range v {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendString(dst, e)
		}
		return append(dst, ']')
	case model.Properties:
		dst = append(dst, '{')
		first := true
		for _, p := range v {
			if p.Value == nil {
				continue
			}
			if !first {
				dst = append(dst, ',')
			}
			first = false
			dst = AppendString(dst, p.Key)
			dst = append(dst, ':')
			dst = appendAny(dst, p.Value, depth+1)
		}
		return append(dst, '}')
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k, e := range v {
			if e != nil {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		dst = append(dst, '{')
		for i, k := range keys {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendString(dst, k)
			dst = append(dst, ':')
			dst = appendAny(dst, v[k], depth+1)
		}
		return append(dst, '}')
	case Value:
		return AppendMarshal(dst, v)
	case *Value:
		if v == nil {
			return append(dst, "null"...)
		}
		return AppendMarshal(dst, *v)
	case *Object:
		if v == nil {
			return append(dst, "null"...)
		}
		return v.AppendTo(dst)
	case *Array:
		if v == nil {
			return append(dst, "null"...)
		}
		return v.AppendTo(dst)
	default:
		return AppendString(dst, fmt.Sprint(v))
	}
}
