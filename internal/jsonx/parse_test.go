package jsonx

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// protocol.md §0.2, every row.
func TestParseSpecTable(t *testing.T) {
	tests := []struct {
		in      string
		command string // expected "command" member when accepted
		err     string
	}{
		{in: `{ command: "getNext"}`, command: "getNext"},
		{in: `{'command':'hasNext'}`, command: "hasNext"},
		{in: `{command:hasNext; x:1}`, command: "hasNext"},
		{in: `{"command":"x",}`, command: "x"},
		{in: `{"command":"getNext"} trailing`, command: "getNext"},
		{in: `{command=hasNext}`, err: `Expected a ':' after a key at 9 [character 10 line 1]`},
		{in: `foo`, err: `A JSONObject text must begin with '{' at 1 [character 2 line 1]`},
		{in: ``, err: `A JSONObject text must begin with '{' at 0 [character 1 line 1]`},
		{in: `{`, err: `A JSONObject text must end with '}' at 1 [character 2 line 1]`},
		{in: `[1,2]`, err: `A JSONObject text must begin with '{' at 1 [character 2 line 1]`},
		{in: `null`, err: `A JSONObject text must begin with '{' at 1 [character 2 line 1]`},
		{in: `{"a":1,"a":2}`, err: `Duplicate key "a" at 11 [character 12 line 1]`},
	}
	for _, tt := range tests {
		v, err := Parse(tt.in)
		if tt.err != "" {
			var se *SyntaxError
			if !errors.As(err, &se) || err.Error() != tt.err {
				t.Errorf("Parse(%q) error = %v, want %s", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got, err := v.GetString("command"); err != nil || got != tt.command {
			t.Errorf("Parse(%q).GetString(command) = %q, %v; want %q", tt.in, got, err, tt.command)
		}
	}
	v, _ := Parse(`{command:hasNext; x:1}`)
	if n, ok := v.Members()[1].Value.Int64(); !ok || n != 1 {
		t.Errorf("x = %d, %v", n, ok)
	}
}

// testdata/orgjson_parse.txt holds results of org.json 20240303 itself
// (a small Java harness printing dumpParse's format) for hand-picked and
// random inputs. Lone surrogates, which Go strings cannot hold, print as
// '?' there and as U+FFFD here.
func TestParseMatchesOrgJSON(t *testing.T) {
	f, err := os.Open("testdata/orgjson_parse.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		hexIn, want, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("bad line %q", line)
		}
		in, err := hex.DecodeString(hexIn)
		if err != nil {
			t.Fatal(err)
		}
		got := strings.ReplaceAll(escapeLines(dumpParse(string(in))), "\uFFFD", "?")
		if got != want {
			t.Errorf("Parse(%q)\n got %s\nwant %s", in, got, want)
		}
		n++
	}
	if n < 400 {
		t.Errorf("only %d cases read", n)
	}
}

func TestAccessorErrors(t *testing.T) {
	v, err := Parse(`{command:5, gw:x, o:{}, a:[1], n:null, l:9999999999, d:1.5, b:true, s:"true"}`)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"string int", func() error { _, err := v.GetString("command"); return err }, `JSONObject["command"] is not a string (class java.lang.Integer : 5).`},
		{"string missing", func() error { _, err := v.GetString("action"); return err }, `JSONObject["action"] not found.`},
		{"object missing", func() error { _, err := v.GetObject("gw3"); return err }, `JSONObject["gw3"] not found.`},
		{"object string", func() error { _, err := v.GetObject("gw"); return err }, `JSONObject["gw"] is not a JSONObject (class java.lang.String : x).`},
		{"string object", func() error { _, err := v.GetString("o"); return err }, `JSONObject["o"] is not a string (class org.json.JSONObject).`},
		{"string array", func() error { _, err := v.GetString("a"); return err }, `JSONObject["a"] is not a string (class org.json.JSONArray).`},
		{"string null", func() error { _, err := v.GetString("n"); return err }, `JSONObject["n"] is not a string (class org.json.JSONObject$Null : null).`},
		{"string long", func() error { _, err := v.GetString("l"); return err }, `JSONObject["l"] is not a string (class java.lang.Long : 9999999999).`},
		{"string decimal", func() error { _, err := v.GetString("d"); return err }, `JSONObject["d"] is not a string (class java.math.BigDecimal : 1.5).`},
		{"string bool", func() error { _, err := v.GetString("b"); return err }, `JSONObject["b"] is not a string (class java.lang.Boolean : true).`},
		{"array object", func() error { _, err := v.GetArray("o"); return err }, `JSONObject["o"] is not a JSONArray (class org.json.JSONObject).`},
		{"bool int", func() error { _, err := v.GetBool("command"); return err }, `JSONObject["command"] is not a Boolean (class java.lang.Integer : 5).`},
		{"quoted key", func() error { _, err := v.GetString("a\"</b"); return err }, `JSONObject["a\"<\/b"] not found.`},
	}
	for _, tt := range tests {
		if err := tt.call(); err == nil || err.Error() != tt.want {
			t.Errorf("%s: got %v, want %s", tt.name, err, tt.want)
		}
	}
	if b, err := v.GetBool("s"); err != nil || !b {
		t.Errorf("GetBool(s) = %v, %v", b, err)
	}
	if o, err := v.GetObject("o"); err != nil || o.Kind() != KindObject || o.Len() != 0 {
		t.Errorf("GetObject(o) = %v, %v", o, err)
	}
	if !v.Has("n") || v.Has("x") {
		t.Error("Has")
	}
}

func TestValueAccessors(t *testing.T) {
	v, err := Parse(`{i:-7, big:123456789012345678901234567890, f:2.5e3, neg0:-0, hex:0x1.8p1, s:'x', t:TRUE, a:[1,,"b"]}`)
	if err != nil {
		t.Fatal(err)
	}
	get := func(k string) Value { m, _ := v.Get(k); return m }
	if n, ok := get("i").Int64(); !ok || n != -7 {
		t.Errorf("i = %d %v", n, ok)
	}
	if _, ok := get("big").Int64(); ok {
		t.Error("big fits int64?")
	}
	if f, ok := get("big").Float64(); !ok || f != 1.2345678901234568e29 {
		t.Errorf("big float = %v", f)
	}
	if f, ok := get("f").Float64(); !ok || f != 2500 {
		t.Errorf("f = %v", f)
	}
	if f, ok := get("hex").Float64(); !ok || f != 3 {
		t.Errorf("hex = %v", f)
	}
	if got := get("hex").JavaString(); got != "3.0" {
		t.Errorf("hex JavaString = %s", got)
	}
	if got := get("neg0").JavaString(); got != "-0.0" {
		t.Errorf("neg0 JavaString = %s", got)
	}
	if get("f").NumberText() != "2.5e3" || get("f").JavaString() != "2.5E+3" {
		t.Errorf("f text %q / %q", get("f").NumberText(), get("f").JavaString())
	}
	if get("s").Str() != "x" || get("i").Str() != "" || !get("t").Bool() {
		t.Error("Str/Bool")
	}
	a := get("a").Elems()
	if len(a) != 3 || !a[1].IsNull() || a[2].Str() != "b" {
		t.Errorf("array = %s", Marshal(get("a")))
	}
}

func TestMarshal(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{}`, `{}`},
		{`{ command : start , gw : { name: 'x', models: [ {id:m1, weight: 1.50, n: -0, big: 1e400, h: 0x1p3, f: 2.5f, d: 1., e: -.5}, ], seed: 12 } }`,
			`{"command":"start","gw":{"name":"x","models":[{"id":"m1","weight":1.50,"n":-0,"big":1e400,"h":"0x1p3","f":2.5,"d":1,"e":-0.5}],"seed":12}}`},
		{`{a:[,1,,],b:null,c:"\u00e9\ud83d\ude00</",d:"\u2028"}`, `{"a":[null,1,null],"b":null,"c":"é😀<\/","d":"\u2028"}`},
	}
	for _, tt := range tests {
		v, err := Parse(tt.in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.in, err)
		}
		got := Marshal(v)
		if string(got) != tt.want {
			t.Errorf("Marshal(%q)\n got %s\nwant %s", tt.in, got, tt.want)
		}
		if !json.Valid(got) {
			t.Errorf("Marshal(%q) is not valid JSON", tt.in)
		}
	}
	gw, _ := Parse(`{gw:{models:[{id:a}]}}`)
	o, _ := gw.GetObject("gw")
	if got := string(Marshal(o)); got != `{"models":[{"id":"a"}]}` {
		t.Errorf("sub-object: %s", got)
	}
}

func TestParseDepth(t *testing.T) {
	ok := strings.Repeat("{a:", MaxDepth) + "1" + strings.Repeat("}", MaxDepth)
	if _, err := Parse(ok); err != nil {
		t.Errorf("depth %d: %v", MaxDepth, err)
	}
	deep := strings.Repeat("{a:", MaxDepth+1) + "1" + strings.Repeat("}", MaxDepth+1)
	want := "JSON Array or Object depth too large to process. at 1537 [character 1538 line 1]"
	if _, err := Parse(deep); err == nil || err.Error() != want {
		t.Errorf("depth %d: got %v, want %s", MaxDepth+1, err, want)
	}
	if _, err := Parse("{a:" + strings.Repeat("[", 100000)); err == nil {
		t.Error("deep arrays accepted")
	}
}

// A 32 MiB message must parse in linear time: one huge object with many
// keys (duplicate detection), long strings with and without escapes, long
// unquoted values and a long array.
func TestParseLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("large input")
	}
	var sb strings.Builder
	sb.WriteString("{")
	i := 0
	for sb.Len() < 16<<20 {
		sb.WriteString(`"key`)
		sb.WriteString(strings.Repeat("x", i%7))
		sb.WriteString(hex.EncodeToString([]byte{byte(i >> 16), byte(i >> 8), byte(i)}))
		sb.WriteString(`":v`)
		sb.WriteString(hex.EncodeToString([]byte{byte(i)}))
		sb.WriteString(",")
		i++
	}
	sb.WriteString(`s:"` + strings.Repeat("é\\n", 1<<20) + `", u:` + strings.Repeat("ab c", 1<<20) + `, a:[`)
	sb.WriteString(strings.Repeat("1,", 2<<20))
	sb.WriteString("]}")
	text := sb.String()
	start := time.Now()
	v, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 60*time.Second {
		t.Errorf("parsing %d MiB took %v", len(text)>>20, d)
	}
	if v.Len() != i+3 {
		t.Errorf("got %d members, want %d", v.Len(), i+3)
	}
	a, _ := v.GetArray("a")
	if a.Len() != 2<<20 {
		t.Errorf("array has %d elements", a.Len())
	}
	if len(Marshal(v)) < len(text)/2 {
		t.Error("Marshal too short")
	}
}

func BenchmarkParseCommand(b *testing.B) {
	const msg = `{"command":"start","gw":{"name":"Small","models":[{"name":"SmallModel","id":"m1","generator":"random(edge_coverage(100))","startElementId":"e0","vertices":[{"id":"n0","name":"v_A"}],"edges":[{"id":"e0","name":"e_A","targetVertexId":"n0"}]}]}}`
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		v, err := Parse(msg)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := v.GetString("command"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseLarge(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("{models:[")
	for i := 0; sb.Len() < 1<<20; i++ {
		sb.WriteString(`{"id":"n`)
		sb.WriteString(hex.EncodeToString([]byte{byte(i >> 8), byte(i)}))
		sb.WriteString(`","name":"v_Some name","actions":["x = 1;"],"properties":{"x":12.5,"y":-3}},`)
	}
	sb.WriteString("]}")
	msg := sb.String()
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(msg); err != nil {
			b.Fatal(err)
		}
	}
}
