package jsonx

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
)

// dumpParse renders Parse's result in the format of the org.json harness
// that produced testdata/orgjson_parse.txt: objects with keys sorted (Java
// String order) and, per key, the results of getString, getJSONObject and
// getBoolean; arrays; S"string"; V<java class>:"toString"; null;
// ERR:<message> for a parse error.
func dumpParse(text string) string {
	v, err := Parse(text)
	if err != nil {
		return "ERR:" + err.Error()
	}
	return dumpValue(v)
}

func dumpValue(v Value) string {
	switch v.Kind() {
	case KindNull:
		return "null"
	case KindString:
		return "S" + quote(v.Str())
	case KindArray:
		parts := make([]string, len(v.Elems()))
		for i, e := range v.Elems() {
			parts[i] = dumpValue(e)
		}
		return "A[" + strings.Join(parts, ",") + "]"
	case KindObject:
		ms := slices.Clone(v.Members())
		slices.SortFunc(ms, func(a, b Member) int { return compareUTF16(a.Key, b.Key) })
		var sb strings.Builder
		sb.WriteString("O{")
		for _, m := range ms {
			sb.WriteString(quote(m.Key) + "=" + dumpValue(m.Value) + ";gs=")
			if _, err := v.GetString(m.Key); err != nil {
				sb.WriteString(err.Error())
			} else {
				sb.WriteString("ok")
			}
			sb.WriteString(";go=")
			if _, err := v.GetObject(m.Key); err != nil {
				sb.WriteString(err.Error())
			} else {
				sb.WriteString("ok")
			}
			sb.WriteString(";gb=")
			if b, err := v.GetBool(m.Key); err != nil {
				sb.WriteString(err.Error())
			} else {
				sb.WriteString(strconv.FormatBool(b))
			}
			sb.WriteString(";")
		}
		sb.WriteString("}")
		return sb.String()
	}
	return "V" + strings.TrimPrefix(v.JavaClass(), "class ") + ":" + quote(v.JavaString())
}

// compareUTF16 is Java's String.compareTo.
func compareUTF16(a, b string) int {
	return slices.Compare(utf16.Encode([]rune(a)), utf16.Encode([]rune(b)))
}

// escapeLines makes a dump fit one line as the harness prints it.
func escapeLines(s string) string {
	return strings.NewReplacer("\n", `\n`, "\r", `\r`).Replace(s)
}
