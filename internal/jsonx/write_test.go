package jsonx

import (
	"errors"
	"math"
	"strconv"
	"testing"

	"github.com/gw-project/gw/internal/model"
)

func TestJavaDouble(t *testing.T) {
	point1 := 0.1 // a variable, so 0.1+0.2 is not folded to 0.3
	tests := []struct {
		f    float64
		java string // Double.toString
		org  string // org.json numberToString
	}{
		{1, "1.0", "1"},
		{0, "0.0", "0"},
		{math.Copysign(0, -1), "-0.0", "-0"},
		{0.5, "0.5", "0.5"},
		{100, "100.0", "100"},
		{241.875, "241.875", "241.875"},
		{1e10, "1.0E10", "1.0E10"},
		{1e-5, "1.0E-5", "1.0E-5"},
		{12345678.9, "1.23456789E7", "1.23456789E7"},
		{1.0 / 3, "0.3333333333333333", "0.3333333333333333"},
		{9999999, "9999999.0", "9999999"},
		{1e7, "1.0E7", "1.0E7"},
		{0.001, "0.001", "0.001"},
		{0.000999, "9.99E-4", "9.99E-4"},
		{-1.5, "-1.5", "-1.5"},
		{100.25, "100.25", "100.25"},
		{1e23, "1.0E23", "1.0E23"}, // JDK 19+ (JDK 17 prints 9.999999999999999E22)
		{2e22, "2.0E22", "2.0E22"},
		{math.MaxFloat64, "1.7976931348623157E308", "1.7976931348623157E308"},
		{math.SmallestNonzeroFloat64, "4.9E-324", "4.9E-324"},
		{2.5e-300, "2.5E-300", "2.5E-300"},
		{point1 + 0.2, "0.30000000000000004", "0.30000000000000004"},
		{math.NaN(), "NaN", "null"},
		{math.Inf(1), "Infinity", "null"},
		{math.Inf(-1), "-Infinity", "null"},
	}
	for _, tt := range tests {
		if got := JavaDouble(tt.f); got != tt.java {
			t.Errorf("JavaDouble(%v) = %s, want %s", tt.f, got, tt.java)
		}
		if got := string(AppendFloat([]byte("x"), tt.f)); got != "x"+tt.org {
			t.Errorf("AppendFloat(%v) = %s, want x%s", tt.f, got, tt.org)
		}
	}
	// Float.toString through Array.Value(float32).
	var a Array
	a.Value(float32(1.1)).Value(float32(1e10)).Value(float32(0.5))
	if got := a.String(); got != "[1.1,1.0E10,0.5]" {
		t.Errorf("float32: %s", got)
	}
}

func TestAppendString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `""`},
		{"abc", `"abc"`},
		{`a"b\c`, `"a\"b\\c"`},
		{"a/b", `"a/b"`},
		{"</script>", `"<\/script>"`},
		{"<</", `"<<\/"`},
		{"\b\t\n\f\r", `"\b\t\n\f\r"`},
		{"\x00\x01\x1f", `"\u0000\u0001\u001f"`},
		{"\x7f", "\"\x7f\""},
		{"\u0080\u009f\u00a0", `"\u0080\u009f` + "\u00a0\""},
		{"\u1fff\u2000\u2028\u20ac\u20ff\u2100", "\"\u1fff" + `\u2000\u2028\u20ac\u20ff` + "\u2100\""},
		{"é😀 <>&='", "\"é😀 <>&='\""},
		{"a\xffb", "\"a\uFFFDb\""},
	}
	for _, tt := range tests {
		if got := string(AppendString(nil, tt.in)); got != tt.want {
			t.Errorf("AppendString(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestObjectAppendixB(t *testing.T) {
	var o Object
	o.Str("elementId", "e0").Str("modelName", "SmallModel").Str("modelId", "m/1").Bool("success", true).Str("name", "e_FirstAction").Str("command", "getNext")
	want := `{"elementId":"e0","modelName":"SmallModel","modelId":"m/1","success":true,"name":"e_FirstAction","command":"getNext"}`
	if got := o.String(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}

	var data, el, issues Object
	data.Str("num_of_books", "0")
	el.Str("elementId", "e0").Int("visitedCount", 1).Float("stopConditionFulfillment", 0.25).Obj("data", &data).Str("modelId", "m").Int("totalCount", 1).Str("command", "visitedElement")
	want = `{"elementId":"e0","visitedCount":1,"stopConditionFulfillment":0.25,"data":{"num_of_books":"0"},"modelId":"m","totalCount":1,"command":"visitedElement"}`
	if got := el.String(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}

	var msgs Array
	msgs.Str("boom\n")
	issues.Arr("issues", &msgs).Str("command", "issues")
	if got := issues.String(); got != `{"issues":["boom\n"],"command":"issues"}` {
		t.Errorf("issues: %s", got)
	}

	var empty Object
	var ea Array
	if empty.String() != "{}" || ea.String() != "[]" || !empty.Empty() || ea.Len() != 0 {
		t.Error("empty containers")
	}
	o.Reset()
	o.Null("a").Raw("b", []byte(`[1,2]`)).Float("c", 1.0).Float("d", math.NaN())
	if got := o.String(); got != `{"a":null,"b":[1,2],"c":1,"d":null}` {
		t.Errorf("after reset: %s", got)
	}
}

type stringer struct{}

func (stringer) String() string { return "S!" }

func TestValueTypes(t *testing.T) {
	parsed, err := Parse(`{x:[1,'a',null]}`)
	if err != nil {
		t.Fatal(err)
	}
	sub := &Object{}
	sub.Int("k", 1)
	arr := &Array{}
	arr.Bool(false)
	props := model.Properties{{Key: "x", Value: 12.5}, {Key: "gone", Value: nil}, {Key: "blocked", Value: true},
		{Key: "nested", Value: model.Properties{{Key: "d", Value: "v"}}}, {Key: "list", Value: []any{1.0, "s", nil}}}
	var o Object
	o.Value("nil", nil).
		Value("s", "x").Value("b", true).Value("i", 3).Value("i8", int8(-8)).Value("i16", int16(16)).Value("i32", int32(-32)).Value("i64", int64(1)<<40).
		Value("u", uint(7)).Value("u8", uint8(8)).Value("u16", uint16(16)).Value("u32", uint32(32)).Value("u64", uint64(math.MaxUint64)).
		Value("f", 2.0).Value("strs", []string{"a", "b"}).Value("props", props).
		Value("map", map[string]any{"b": 1, "a": "x", "n": nil}).Value("parsed", parsed).Value("pparsed", &parsed).
		Value("obj", sub).Value("arr", arr).Value("str", stringer{}).Value("err", errors.New("e"))
	want := `{"s":"x","b":true,"i":3,"i8":-8,"i16":16,"i32":-32,"i64":1099511627776,"u":7,"u8":8,"u16":16,"u32":32,"u64":18446744073709551615,` +
		`"f":2,"strs":["a","b"],"props":{"x":12.5,"blocked":true,"nested":{"d":"v"},"list":[1,"s",null]},` +
		`"map":{"a":"x","b":1},"parsed":{"x":[1,"a",null]},"pparsed":{"x":[1,"a",null]},"obj":{"k":1},"arr":[false],"str":"S!","err":"e"}`
	if got := o.String(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	var a Array
	a.Value(nil).Value((*Object)(nil)).Value((*Array)(nil)).Value((*Value)(nil)).Null().Int(-1).Float(0.5).Str("x").Obj(sub).Arr(arr).Raw([]byte("{}"))
	if got := a.String(); got != `[null,null,null,null,null,-1,0.5,"x",{"k":1},[false],{}]` {
		t.Errorf("array: %s", got)
	}
	// A self-referencing slice must not recurse forever.
	loop := []any{nil}
	loop[0] = loop
	var l Array
	l.Value(loop)
	if len(l.Bytes()) == 0 {
		t.Error("loop")
	}
}

func TestObjectNoAllocs(t *testing.T) {
	var o, data Object
	buf := make([]byte, 0, 512)
	allocs := testing.AllocsPerRun(100, func() {
		o.Reset()
		data.Reset()
		data.Str("num_of_books", "0").Str("MAX_BOOKS", "5")
		o.Str("elementId", "e0").Int("visitedCount", 1).Float("stopConditionFulfillment", 0.3333333333333333).Obj("data", &data).
			Str("modelId", "m</").Int("totalCount", 1).Bool("ok", true).Str("command", "visitedElement")
		buf = o.AppendTo(buf[:0])
	})
	if allocs != 0 {
		t.Errorf("%v allocations per message, want 0", allocs)
	}
}

func BenchmarkObject(b *testing.B) {
	var o, data Object
	buf := make([]byte, 0, 512)
	b.ReportAllocs()
	for b.Loop() {
		o.Reset()
		data.Reset()
		data.Str("num_of_books", "0").Str("MAX_BOOKS", "5")
		o.Str("elementId", "e0").Int("visitedCount", 1).Float("stopConditionFulfillment", 0.3333333333333333).Obj("data", &data).
			Str("modelId", "5f0e8fd4-9a3b-4c1e-8e7b-2f1c9d0a6b3e").Int("totalCount", 1).Str("command", "visitedElement")
		buf = o.AppendTo(buf[:0])
	}
	b.SetBytes(int64(len(buf)))
}

func BenchmarkAppendString(b *testing.B) {
	s := "The GraphWalker state machine is not initiated. Is a model loaded, and started? é</x>\n"
	buf := make([]byte, 0, 256)
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendString(buf[:0], s)
	}
}

func BenchmarkAppendFloat(b *testing.B) {
	buf := make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendFloat(buf[:0], 0.3333333333333333)
		buf = AppendFloat(buf, 12345678.9)
	}
}

func FuzzJavaDouble(f *testing.F) {
	for _, x := range []float64{0, 1, 0.5, 1e10, 1e-5, 12345678.9, 1e23, math.SmallestNonzeroFloat64, math.MaxFloat64} {
		f.Add(math.Float64bits(x))
	}
	f.Fuzz(func(t *testing.T, bits uint64) {
		x := math.Float64frombits(bits)
		s := JavaDouble(x)
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return
		}
		g, err := strconv.ParseFloat(s, 64)
		if err != nil || g != x {
			t.Fatalf("JavaDouble(%v) = %s does not round-trip", x, s)
		}
		// Java's layout: plain in [1e-3, 1e7), else d.dddE±n; always a '.'.
		a := math.Abs(x)
		plain := a >= 1e-3 && a < 1e7 || a == 0
		hasE := false
		for i := 0; i < len(s); i++ {
			hasE = hasE || s[i] == 'E'
		}
		if plain == hasE {
			t.Fatalf("JavaDouble(%v) = %s: wrong notation", x, s)
		}
		org := string(AppendFloat(nil, x))
		if og, err := strconv.ParseFloat(org, 64); err != nil || og != x || !IsNumber(org) {
			t.Fatalf("AppendFloat(%v) = %s", x, org)
		}
	})
}

func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "abc", "</", "\x00\u2028\u0085é😀", "a\xffb\xc3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := AppendString(nil, s)
		var back string
		if err := jsonUnmarshalString(out, &back); err != nil {
			t.Fatalf("AppendString(%q) = %s: invalid JSON: %v", s, out, err)
		}
		want := make([]rune, 0, len(s))
		for _, r := range s {
			want = append(want, r) // invalid bytes decode to U+FFFD one by one
		}
		if back != string(want) {
			t.Fatalf("AppendString(%q) = %s decodes to %q", s, out, back)
		}
	})
}
