package jsonx

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// Kind is the JSON type of a Value.
type Kind uint8

// The kinds of Value. The zero Value is KindNull.
const (
	KindNull Kind = iota
	KindBool
	KindNumber
	KindString
	KindObject
	KindArray
)

// numKind is the Java class org.json gives a number (JSONObject.stringToValue).
type numKind uint8

const (
	numInteger numKind = iota
	numLong
	numBigInteger
	numBigDecimal
	numDouble // only -0 and Java-only forms such as 1.5f or 0x1p3
)

// Value is a parsed JSON value. Objects keep their members in source order;
// numbers keep their source text.
type Value struct {
	kind Kind
	num  numKind
	b    bool
	s    string // string value, or number source text
	obj  []Member
	arr  []Value
}

// Member is one key/value pair of an object.
type Member struct {
	Key   string
	Value Value
}

// Kind returns v's type.
func (v Value) Kind() Kind { return v.kind }

// IsNull reports whether v is null (org.json's JSONObject.NULL).
func (v Value) IsNull() bool { return v.kind == KindNull }

// Bool returns the value of a boolean.
func (v Value) Bool() bool { return v.b }

// Str returns the value of a string ("" for other kinds).
func (v Value) Str() string {
	if v.kind == KindString {
		return v.s
	}
	return ""
}

// NumberText returns a number's source text, e.g. "5", "1.50e3" ("" for
// other kinds).
func (v Value) NumberText() string {
	if v.kind == KindNumber {
		return v.s
	}
	return ""
}

// Int64 returns a number that is an integer fitting int64 (org.json's
// Integer or Long).
func (v Value) Int64() (int64, bool) {
	if v.kind != KindNumber || v.num > numLong {
		return 0, false
	}
	n, err := strconv.ParseInt(v.s, 10, 64)
	return n, err == nil
}

// Float64 returns a number as the nearest double.
func (v Value) Float64() (float64, bool) {
	if v.kind != KindNumber {
		return 0, false
	}
	if v.num == numDouble {
		return v.double(), true
	}
	f, err := strconv.ParseFloat(v.s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, false
	}
	return f, true
}

// double is the value of a numDouble: -0 (from "-0", "-0.0e5", ...) or a
// form only Double.valueOf reads.
func (v Value) double() float64 {
	if _, ok := parseBigDecimalParts(v.s); ok {
		return math.Copysign(0, -1)
	}
	f, _ := parseJavaDouble(v.s)
	return f
}

// Members returns an object's members in source order.
func (v Value) Members() []Member { return v.obj }

// Elems returns an array's elements.
func (v Value) Elems() []Value { return v.arr }

// Len is the number of members or elements.
func (v Value) Len() int { return len(v.obj) + len(v.arr) }

// Get returns the member key of an object.
func (v Value) Get(key string) (Value, bool) {
	for i := range v.obj {
		if v.obj[i].Key == key {
			return v.obj[i].Value, true
		}
	}
	return Value{}, false
}

// Has reports whether an object has member key (org.json's has).
func (v Value) Has(key string) bool {
	_, ok := v.Get(key)
	return ok
}

func (v Value) get(key string) (Value, error) {
	m, ok := v.Get(key)
	if !ok {
		return Value{}, errors.New("JSONObject[" + quote(key) + "] not found.")
	}
	return m, nil
}

// GetString returns member key if it is a string, else org.json's error,
// e.g. `JSONObject["command"] is not a string (class java.lang.Integer : 5).`
func (v Value) GetString(key string) (string, error) {
	m, err := v.get(key)
	if err != nil {
		return "", err
	}
	if m.kind != KindString {
		return "", wrongType(key, "string", m)
	}
	return m.s, nil
}

// GetObject returns member key if it is an object, else org.json's error,
// e.g. `JSONObject["gw"] not found.` or
// `JSONObject["gw"] is not a JSONObject (class java.lang.String : x).`
func (v Value) GetObject(key string) (Value, error) {
	m, err := v.get(key)
	if err != nil {
		return Value{}, err
	}
	if m.kind != KindObject {
		return Value{}, wrongType(key, "JSONObject", m)
	}
	return m, nil
}

// GetArray returns member key if it is an array, else org.json's error.
func (v Value) GetArray(key string) (Value, error) {
	m, err := v.get(key)
	if err != nil {
		return Value{}, err
	}
	if m.kind != KindArray {
		return Value{}, wrongType(key, "JSONArray", m)
	}
	return m, nil
}

// GetBool is org.json's getBoolean: a boolean, or the string "true" or
// "false" in any case.
func (v Value) GetBool(key string) (bool, error) {
	m, err := v.get(key)
	if err != nil {
		return false, err
	}
	switch {
	case m.kind == KindBool:
		return m.b, nil
	case m.kind == KindString && strings.EqualFold(m.s, "false"):
		return false, nil
	case m.kind == KindString && strings.EqualFold(m.s, "true"):
		return true, nil
	}
	return false, wrongType(key, "Boolean", m)
}

// wrongType is org.json's wrongValueFormatException text.
func wrongType(key, want string, m Value) error {
	msg := "JSONObject[" + quote(key) + "] is not a " + want + " (" + m.JavaClass()
	if m.kind != KindObject && m.kind != KindArray {
		msg += " : " + m.JavaString()
	}
	return errors.New(msg + ").")
}

func quote(s string) string { return string(AppendString(nil, s)) }

// JavaClass returns the Java class org.json uses for v, as printed by
// getClass(): "class java.lang.Integer", "class org.json.JSONObject", ...
func (v Value) JavaClass() string {
	switch v.kind {
	case KindBool:
		return "class java.lang.Boolean"
	case KindString:
		return "class java.lang.String"
	case KindObject:
		return "class org.json.JSONObject"
	case KindArray:
		return "class org.json.JSONArray"
	case KindNumber:
		switch v.num {
		case numInteger:
			return "class java.lang.Integer"
		case numLong:
			return "class java.lang.Long"
		case numBigInteger:
			return "class java.math.BigInteger"
		case numBigDecimal:
			return "class java.math.BigDecimal"
		default:
			return "class java.lang.Double"
		}
	}
	return "class org.json.JSONObject$Null"
}

// JavaString returns Java's toString() of v for scalars: the string itself,
// "true", "null", and numbers as Java prints them (BigDecimal "1.50E+3",
// Double "-0.0"). Objects and arrays give their compact JSON.
func (v Value) JavaString() string {
	switch v.kind {
	case KindNull:
		return "null"
	case KindBool:
		return strconv.FormatBool(v.b)
	case KindString:
		return v.s
	case KindNumber:
		switch v.num {
		case numBigDecimal:
			return bigDecimalString(v.s)
		case numDouble:
			return JavaDouble(v.double())
		}
		return v.s
	}
	return string(Marshal(v))
}

// Marshal returns v as standard compact JSON (strings escaped as org.json
// does). Numbers keep their source text when it is valid JSON.
func Marshal(v Value) []byte { return AppendMarshal(nil, v) }

// AppendMarshal appends Marshal(v) to dst.
func AppendMarshal(dst []byte, v Value) []byte {
	switch v.kind {
	case KindNull:
		return append(dst, "null"...)
	case KindBool:
		return strconv.AppendBool(dst, v.b)
	case KindString:
		return AppendString(dst, v.s)
	case KindNumber:
		if IsNumber(v.s) {
			return append(dst, v.s...)
		}
		if v.num == numDouble {
			return AppendJavaDouble(dst, v.double())
		}
		if j := v.JavaString(); IsNumber(j) {
			return append(dst, j...)
		}
		return AppendString(dst, v.JavaString())
	case KindObject:
		dst = append(dst, '{')
		for i := range v.obj {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendString(dst, v.obj[i].Key)
			dst = append(dst, ':')
			dst = AppendMarshal(dst, v.obj[i].Value)
		}
		return append(dst, '}')
	case KindArray:
		dst = append(dst, '[')
		for i := range v.arr {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendMarshal(dst, v.arr[i])
		}
		return append(dst, ']')
	}
	return append(dst, "null"...)
}

// IsNumber reports whether s is exactly a JSON number,
// -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?: org.json's NUMBER_PATTERN and
// RFC 8259's number.
func IsNumber[T string | []byte](s T) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if i >= len(s) || !isDigit(s[i]) {
			return false
		}
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i >= len(s) || !isDigit(s[i]) {
			return false
		}
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	return i == len(s)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
