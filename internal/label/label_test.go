package label

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func acts(a ...string) []string { return a }

// Every edge case of core.md §7.6, plus GraphWalker's own test labels.
var edgeCases = []struct {
	in   string
	want EdgeLabel
	err  string // substring of the error; "" means the label must parse
}{
	// §7.6
	{in: "e_Name", want: EdgeLabel{Name: "e_Name"}},
	{in: "e_Name /x=1;y=2;", want: EdgeLabel{Name: "e_Name", Actions: acts("x=1;y=2;")}},
	{in: "e_Name / x = 1; y = 2;", want: EdgeLabel{Name: "e_Name", Actions: acts(" x = 1; y = 2;")}},
	{in: "e_Name\n/x=1;\ny=2;", want: EdgeLabel{Name: "e_Name", Actions: acts("x=1;\ny=2;")}},
	{in: "e_Name\n[x>1]\n/x=1;\nweight=0.3", want: EdgeLabel{Name: "e_Name", Guard: "x>1", HasGuard: true, Actions: acts("x=1;"), Weight: 0.3, HasWeight: true}},
	{in: "e_Name weight=0.3 /x=1;", want: EdgeLabel{Name: "e_Name", Weight: 0.3, HasWeight: true, Actions: acts("x=1;")}},
	{in: "e_Name /x=1; weight=0.3;", want: EdgeLabel{Name: "e_Name", Actions: acts("x=1; weight=0.3;")}},
	{in: "e_Name /a=1; /b=2;", want: EdgeLabel{Name: "e_Name", Actions: acts("a=1; /b=2;")}},
	{in: "e_Name /x=1;\n[y]", want: EdgeLabel{Name: "e_Name", Actions: acts("x=1;"), Guard: "y", HasGuard: true}},
	{in: "e_Name /x=1;[y];", want: EdgeLabel{Name: "e_Name", Actions: acts("x=1;[y];")}},
	{in: "e_Name /x=1; REQTAG=a; !", want: EdgeLabel{Name: "e_Name", Actions: acts("x=1;"), Requirements: []string{"a; !"}}},
	{in: "e_Name /x=1; REQTAG=a;b", err: `unexpected "b" at 1:23: an edge label has one name`},
	{in: "e_Name /x=1; e_Other;", want: EdgeLabel{Name: "e_Name", Actions: acts("x=1; e_Other;")}},
	{in: "e_Name /x=1; e_Other", err: `unexpected "e_Other" at 1:14: an edge label has one name; put further names after ';' as in a;b (the first is at 1:1)`},
	{in: "/x=1; e_Other", want: EdgeLabel{Name: "e_Other", Actions: acts("x=1;")}},
	{in: "e_Name /x=1; /* c */ y=2;", want: EdgeLabel{Name: "e_Name", Actions: acts("x=1;  y=2;")}},
	{in: "e_Name /x=1; // c\ny=2;", want: EdgeLabel{Name: "e_Name", Actions: acts("x=1;\ny=2;")}},
	{in: `e_Name /s="a // b";`, err: `starts a comment`},
	{in: `e_Name /s="http://x.y/z";`, want: EdgeLabel{Name: "e_Name", Actions: acts(`s="http://x.y/z";`)}},
	{in: "e_Name /x=1", err: `unexpected end of label at 1:12: actions must end with ';'`},
	{in: "e_Name / ;", want: EdgeLabel{Name: "e_Name", Actions: acts(" ;")}},
	{in: "[ i[0] ]", want: EdgeLabel{Guard: " i[0] ", HasGuard: true}},
	{in: "e_Name [x\n==1]", want: EdgeLabel{Name: "e_Name", Guard: "x\n==1", HasGuard: true}},
	{in: "e_Name [a] [b]", err: `unexpected "[b]" at 1:12: an edge label has one guard`},
	{in: "e_Name\nREQTAG: R1, R2 ,R3", want: EdgeLabel{Name: "e_Name", Requirements: []string{"R1", "R2 ", "R3"}}},
	{in: "e_Name\nREQTAG=UC01 1.2, UC01 1.3", want: EdgeLabel{Name: "e_Name", Requirements: []string{"UC01 1.2", "UC01 1.3"}}},
	{in: "e_Name\nREQTAG=R1\nweight=0.5", want: EdgeLabel{Name: "e_Name", Requirements: []string{"R1\nweight=0.5"}}},
	{in: "e_Name REQTAG=a, b /x=1;", want: EdgeLabel{Name: "e_Name", Requirements: []string{"a", "b /x=1;"}}},
	{in: "e_Name weight=0.5 REQTAG=a", want: EdgeLabel{Name: "e_Name", Weight: 0.5, HasWeight: true, Requirements: []string{"a"}}},
	{in: "e_Name\nweight=.3", want: EdgeLabel{Name: "e_Name", Weight: 0.3, HasWeight: true}},
	{in: "e_Name\nweight=1", want: EdgeLabel{Name: "e_Name", Weight: 1, HasWeight: true}},
	{in: "e_Name\nWEIGHT = 0.25", want: EdgeLabel{Name: "e_Name", Weight: 0.25, HasWeight: true}},
	{in: "e_Name\nweight=01", err: `unexpected "1" at 2:9: numbers have no leading zeros`},
	{in: "e_Name\ndependency = 3\nweight = 0.1", want: EdgeLabel{Name: "e_Name", Dependency: 3, HasDependency: true, Weight: 0.1, HasWeight: true}},
	{in: "e_Name BLOCKED", want: EdgeLabel{Name: "e_Name", Blocked: true}},
	{in: "BLOCKED", want: EdgeLabel{Blocked: true}},
	{in: "e_a.b;e_c.d", want: EdgeLabel{Name: "e_a.b;e_c.d"}},
	{in: "e_$x", want: EdgeLabel{Name: "e_$x"}},
	{in: "e_Name e_Other", err: `unexpected "e_Other" at 1:8: an edge label has one name`},
	{in: "e_A\ne_B", err: `unexpected "e_B" at 2:1: an edge label has one name`},
	{in: "1name", err: `unexpected "1" at 1:1: names must start with a letter`},
	{in: "e_Näme", err: `unexpected "ä" at 1:4: 'ä' (U+00E4) is not allowed in names`},
	{in: "Start", err: `unexpected "Start" at 1:1: Start is a keyword`},
	{in: "INIT", err: `unexpected "INIT" at 1:1: INIT is valid only in vertex labels`},
	{in: "weight", err: `unexpected end of label at 1:7: weight needs '='`},
	{in: "e_Name;", err: `unexpected end of label at 1:8: a name must follow ';'`},
	{in: "e_Name.", err: `unexpected end of label at 1:8: a name part must follow '.'`},
	{in: "e_Name:x", err: `unexpected ":" at 1:7: ':' and '=' only follow`},
	{in: "e_Name = 1", err: `unexpected "=" at 1:8`},
	{in: "REQTAG", err: `unexpected end of label at 1:7: REQTAG needs ':' or '='`},
	{in: "", want: EdgeLabel{}},
	{in: " ", want: EdgeLabel{}},
	{in: "\n\ne_Name", want: EdgeLabel{Name: "e_Name"}},
	{in: " e_Name ", want: EdgeLabel{Name: "e_Name"}},
	{in: `e_Init / DropUrl="https://a.b.c.org/x/y/z/items.aspx";urlInfo="http://data/node";REST=true;`,
		want: EdgeLabel{Name: "e_Init", Actions: acts(` DropUrl="https://a.b.c.org/x/y/z/items.aspx";urlInfo="http://data/node";REST=true;`)}},
	{in: "init / elements = [1,2,3]; value = 0; toString = function(){for(var i = 0; i<elements.length;i++){value+=elements[i]}return value};",
		want: EdgeLabel{Name: "init", Actions: acts(" elements = [1,2,3]; value = 0; toString = function(){for(var i = 0; i<elements.length;i++){value+=elements[i]}return value};")}},

	// YEdLabelTest (graphwalker-io)
	{in: "Label", want: EdgeLabel{Name: "Label"}},
	{in: "e_AddBookToCart [num_of_books<=\nMAX_BOOKS] / num_of_books++; /* test */",
		want: EdgeLabel{Name: "e_AddBookToCart", Guard: "num_of_books<=\nMAX_BOOKS", HasGuard: true, Actions: acts(" num_of_books++;")}},
	{in: "e_init / num_of_books = 0; MAX_BOOKS = 5;", want: EdgeLabel{Name: "e_init", Actions: acts(" num_of_books = 0; MAX_BOOKS = 5;")}},
	{in: "name /* multi\nline\ncomment */ / i++; [i==0]", want: EdgeLabel{Name: "name", Actions: acts(" i++;"), Guard: "i==0", HasGuard: true}},
	{in: "e_AddBookToCart BLOCKED [num_of_books<=\nMAX_BOOKS] / num_of_books++; /* test */",
		want: EdgeLabel{Name: "e_AddBookToCart", Blocked: true, Guard: "num_of_books<=\nMAX_BOOKS", HasGuard: true, Actions: acts(" num_of_books++;")}},
	{in: "[ i ]", want: EdgeLabel{Guard: " i ", HasGuard: true}},
	{in: "e_Init/validLogin=false;rememberMe=false;", want: EdgeLabel{Name: "e_Init", Actions: acts("validLogin=false;rememberMe=false;")}},

	// GrammarTest (graphwalker-dsl), values checked here too
	{in: "word1[x=>y]", want: EdgeLabel{Name: "word1", Guard: "x=>y", HasGuard: true}},
	{in: "word1\n[x=>y]\n/x=y;", want: EdgeLabel{Name: "word1", Guard: "x=>y", HasGuard: true, Actions: acts("x=y;")}},
	{in: "word1.word2.word3;word1.word2.word3;word1.word2.word3", want: EdgeLabel{Name: "word1.word2.word3;word1.word2.word3;word1.word2.word3"}},
	{in: "word1 // comment", want: EdgeLabel{Name: "word1"}},
	{in: "word1\n// my one line comment\n[x>y]", want: EdgeLabel{Name: "word1", Guard: "x>y", HasGuard: true}},
	{in: `word1 / value = "ett tu tre";`, want: EdgeLabel{Name: "word1", Actions: acts(` value = "ett tu tre";`)}},
	{in: "weight = 1", want: EdgeLabel{Weight: 1, HasWeight: true}},
	{in: "word1 weight=0.1 // test this too", want: EdgeLabel{Name: "word1", Weight: 0.1, HasWeight: true}},
	{in: "word1 weight=1.0", want: EdgeLabel{Name: "word1", Weight: 1, HasWeight: true}},
	{in: "REQTAG = R1", want: EdgeLabel{Requirements: []string{"R1"}}},
	{in: "REQTAG= R1,R2 , R3, R4", want: EdgeLabel{Requirements: []string{"R1", "R2 ", "R3", "R4"}}},
	{in: "word1\nweight=0", want: EdgeLabel{Name: "word1", HasWeight: true}},
	{in: "WORD1\nweight=1", want: EdgeLabel{Name: "WORD1", Weight: 1, HasWeight: true}},
	{in: "word1\nWEIGHT=0.33333", want: EdgeLabel{Name: "word1", Weight: 0.33333, HasWeight: true}},
	{in: "word1 dependency=1", want: EdgeLabel{Name: "word1", Dependency: 1, HasDependency: true}},
	{in: "word1\ndependency=0", want: EdgeLabel{Name: "word1", HasDependency: true}},
	{in: "word1\nDEPENDENCY=2", want: EdgeLabel{Name: "word1", Dependency: 2, HasDependency: true}},
	// grammar-only in GraphWalker; Integer.parseInt then fails (quirk 18)
	{in: "word1[x=>y]/x=y;\ndependency=0.3", err: `invalid dependency "0.3" at 2:12: a dependency is a whole number`},

	// more corners
	{in: "e_Weight /x=1;", want: EdgeLabel{Name: "e_Weight", Actions: acts("x=1;")}},
	{in: "e /;", err: `unexpected ";" at 1:4: an action is missing before ';'`},
	{in: "e /;;", want: EdgeLabel{Name: "e", Actions: acts(";;")}},
	{in: `e /x=";";`, want: EdgeLabel{Name: "e", Actions: acts(`x=";";`)}},
	{in: "e /a; /b; !", err: `unexpected "!" at 1:11`},
	{in: "e [a", err: `unexpected "[" at 1:3: '[' has no matching ']'`},
	{in: "e []", want: EdgeLabel{Name: "e", HasGuard: true}},
	{in: "e [a /* b */]", want: EdgeLabel{Name: "e", Guard: "a /* b */", HasGuard: true}},
	{in: "e BLOCKED BLOCKED", err: `BLOCKED appears twice`},
	{in: "e weight=1 weight=2", err: `an edge label has one weight`},
	{in: "e dependency=99999999999", err: `invalid dependency "99999999999"`},
	{in: "e REQTAG: a,,b", err: `unexpected "," at 1:13: empty requirement tag`},
	{in: "e REQTAG: a,", err: `unexpected end of label at 1:13: a requirement tag must follow`},
	{in: "e REQTAG: a, /* */ ,b", want: EdgeLabel{Name: "e", Requirements: []string{"a", " ", "b"}}},
	{in: "e REQTAG: a // x\n, b", want: EdgeLabel{Name: "e", Requirements: []string{"a\n", "b"}}},
	{in: "e SHARED:A", err: `SHARED is valid only in vertex labels`},
	{in: "e_Ω", want: EdgeLabel{Name: "e_Ω"}},
	{in: "ſtart", want: EdgeLabel{Name: "ſtart"}},
	{in: "e_a..b", err: `a name part must follow '.'`},
	{in: "e_a; e_b", err: `a name must follow ';'`},
}

func TestParseEdge(t *testing.T) {
	for _, c := range edgeCases {
		got, err := ParseEdge(c.in)
		if c.err != "" {
			if err == nil {
				t.Errorf("ParseEdge(%q) = %+v, want error containing %q", c.in, got, c.err)
				continue
			}
			if !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseEdge(%q) error\n  %v\nwant it to contain\n  %s", c.in, err, c.err)
			}
			checkSyntaxError(t, c.in, err)
			continue
		}
		if err != nil {
			t.Errorf("ParseEdge(%q): %v", c.in, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("ParseEdge(%q) =\n  %#v\nwant\n  %#v", c.in, got, c.want)
		}
	}
}

var vertexCases = []struct {
	in   string
	want VertexLabel
	err  string
}{
	// §7.6
	{in: "v_Name\nSHARED:A1", want: VertexLabel{Name: "v_Name", SharedState: "A1"}},
	{in: "v_Name SHARED : A2", want: VertexLabel{Name: "v_Name", SharedState: "A2"}},
	{in: "SHARED: A3", want: VertexLabel{SharedState: "A3"}},
	{in: "v_Name\nINIT: x=1; y=2;", want: VertexLabel{Name: "v_Name", InitActions: acts("x=1; y=2;")}},
	{in: "v_Name\nINIT: x=1;\nINIT: y=1;", want: VertexLabel{Name: "v_Name", InitActions: acts("x=1;\nINIT: y=1;")}},
	{in: "v_Name INIT: a=1; SHARED:S", want: VertexLabel{Name: "v_Name", InitActions: acts("a=1;"), SharedState: "S"}},
	{in: "v_Name INIT: a=1; SHARED:S;", want: VertexLabel{Name: "v_Name", InitActions: acts("a=1; SHARED:S;")}},
	{in: "v_Name\nINIT:\nx=1;", want: VertexLabel{Name: "v_Name", InitActions: acts("x=1;")}},
	{in: "INIT : x=1;", want: VertexLabel{InitActions: acts("x=1;")}},
	{in: "v_Name\nINIT x=1;", err: `unexpected "x" at 2:6: INIT needs a ':'`},
	{in: "v_Name\nREQTAG:UC02 3.4.1, UC02 3.4.2", want: VertexLabel{Name: "v_Name", Requirements: []string{"UC02 3.4.1", "UC02 3.4.2"}}},
	{in: "v_Name\nREQTAG=R1\nSHARED:S", want: VertexLabel{Name: "v_Name", Requirements: []string{"R1\nSHARED:S"}}},
	{in: "Start", want: VertexLabel{Start: true}},
	{in: " StARt ", want: VertexLabel{Start: true}},
	{in: "start", want: VertexLabel{Start: true}},
	{in: "\tStart\n", want: VertexLabel{Start: true}},
	{in: "Start v", want: VertexLabel{Start: true}},
	{in: "Start\nINIT: x=1;", want: VertexLabel{Start: true}},
	{in: "v_Start", want: VertexLabel{Name: "v_Start"}},
	{in: "/* multi\nline */ v_Name", want: VertexLabel{Name: "v_Name"}},
	{in: "v_Name // comment", want: VertexLabel{Name: "v_Name"}},
	{in: "v_Name [x]", err: `unexpected "[x]" at 1:8: guards [...] are valid only in edge labels`},
	{in: "v_Name /x=1;", err: `unexpected "/" at 1:8: a vertex has no '/' actions`},
	{in: "v_Name\nshared:A", err: `unexpected "shared" at 2:1: a vertex label has one name`},
	{in: "SHARED", err: `unexpected end of label at 1:7: SHARED needs ':'`},
	{in: "1name", err: `unexpected "1" at 1:1: names must start with a letter`},
	{in: "v_ÿ", err: `unexpected "ÿ" at 1:3`},
	{in: "v_Ω", want: VertexLabel{Name: "v_Ω"}},

	// YEdLabelTest
	{in: "", want: VertexLabel{}},
	{in: "Label", want: VertexLabel{Name: "Label"}},
	{in: "/* multi\nline\ncomment */                  Label", want: VertexLabel{Name: "Label"}},
	{in: "v_vertex  \nSHARED:MyState", want: VertexLabel{Name: "v_vertex", SharedState: "MyState"}},
	{in: "SHARED: MyState", want: VertexLabel{SharedState: "MyState"}},

	// GrammarTest
	{in: " ", want: VertexLabel{}},
	{in: "word1 BLOCKED", want: VertexLabel{Name: "word1", Blocked: true}},
	{in: "word1\nBLOCKED", want: VertexLabel{Name: "word1", Blocked: true}},
	{in: "word1 INIT: x=y;", want: VertexLabel{Name: "word1", InitActions: acts("x=y;")}},
	{in: "word1 INIT:x=y;", want: VertexLabel{Name: "word1", InitActions: acts("x=y;")}},
	{in: "word1 INIT: x=y;z=0;", want: VertexLabel{Name: "word1", InitActions: acts("x=y;z=0;")}},
	{in: "word1\n INIT: x=y;", want: VertexLabel{Name: "word1", InitActions: acts("x=y;")}},
	{in: "word1 REQTAG:UC02 3.4.1", want: VertexLabel{Name: "word1", Requirements: []string{"UC02 3.4.1"}}},
	{in: "word1 REQTAG:UC02 3.4.1, UC02 3.4.2", want: VertexLabel{Name: "word1", Requirements: []string{"UC02 3.4.1", "UC02 3.4.2"}}},
	{in: "word1;word2.word3", want: VertexLabel{Name: "word1;word2.word3"}},
	{in: "word1\n// my one line comment\nBLOCKED", want: VertexLabel{Name: "word1", Blocked: true}},
	{in: "SHARED :A2", want: VertexLabel{SharedState: "A2"}},
	{in: " SHARED: A4", want: VertexLabel{SharedState: "A4"}},
	{in: "REQTAG=R1", want: VertexLabel{Requirements: []string{"R1"}}},
	{in: "REQTAG= R1,R2 , R3, R4", want: VertexLabel{Requirements: []string{"R1", "R2 ", "R3", "R4"}}},

	// more corners
	{in: "v INIT: ;", want: VertexLabel{Name: "v", InitActions: acts(" ;")}},
	{in: "v INIT: x=1", err: `INIT actions must end with ';'`},
	{in: "v INIT: a; INIT: b; !", err: `unexpected "!"`},
	{in: "v SHARED:A SHARED:B", err: `a vertex label has one SHARED: state`},
	{in: "v SHARED:A.B", err: `unexpected "." at 1:11`},
	{in: "v SHARED:1A", err: `unexpected "1" at 1:10: a shared state name`},
	{in: "v Start", err: `unexpected "Start" at 1:3: Start is a keyword`},
	{in: "v weight=1", err: `weight is a keyword valid only in edge labels`},
	{in: "init", want: VertexLabel{Name: "init"}},
}

func TestParseVertex(t *testing.T) {
	for _, c := range vertexCases {
		got, err := ParseVertex(c.in)
		if c.err != "" {
			if err == nil {
				t.Errorf("ParseVertex(%q) = %+v, want error containing %q", c.in, got, c.err)
				continue
			}
			if !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseVertex(%q) error\n  %v\nwant it to contain\n  %s", c.in, err, c.err)
			}
			checkSyntaxError(t, c.in, err)
			continue
		}
		if err != nil {
			t.Errorf("ParseVertex(%q): %v", c.in, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("ParseVertex(%q) =\n  %#v\nwant\n  %#v", c.in, got, c.want)
		}
	}
}

// checkSyntaxError asserts GraphWalker's sentence starts the message.
func checkSyntaxError(t *testing.T, in string, err error) {
	t.Helper()
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Errorf("%q: error %T is not a *SyntaxError", in, err)
		return
	}
	want := "The string '" + strings.TrimSpace(in) + "' did not conform to GraphWalker syntax rules. "
	if !strings.HasPrefix(err.Error(), want) {
		t.Errorf("%q: error %q does not start with %q", in, err, want)
	}
}

func TestErrorMessage(t *testing.T) {
	_, err := ParseEdge("e_Name e_Other\n")
	want := `The string 'e_Name e_Other' did not conform to GraphWalker syntax rules. unexpected "e_Other" at 1:8: an edge label has one name; put further names after ';' as in a;b (the first is at 1:1)`
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
	_, err = ParseVertex("1\n    ")
	if err == nil || !strings.HasPrefix(err.Error(), "The string '1' did not conform to GraphWalker syntax rules.") {
		t.Errorf("got %v", err)
	}
}

// The formatters write labels the parsers read back unchanged.
func TestFormatRoundTrip(t *testing.T) {
	for _, c := range edgeCases {
		if c.err != "" {
			continue
		}
		s := c.want.String()
		got, err := ParseEdge(s)
		if err != nil {
			t.Errorf("ParseEdge(%q) (formatted from %q): %v", s, c.in, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) && !strings.Contains(c.in, "REQTAG") {
			t.Errorf("round trip of %q via %q = %#v, want %#v", c.in, s, got, c.want)
		}
	}
	for _, c := range vertexCases {
		if c.err != "" {
			continue
		}
		s := c.want.String()
		got, err := ParseVertex(s)
		if err != nil {
			t.Errorf("ParseVertex(%q) (formatted from %q): %v", s, c.in, err)
			continue
		}
		want := c.want
		if len(want.InitActions) > 0 && strings.HasPrefix(want.InitActions[0], " ") {
			continue // leading whitespace after INIT: is not kept
		}
		if !reflect.DeepEqual(got, want) && !strings.Contains(c.in, "REQTAG") {
			t.Errorf("round trip of %q via %q = %#v, want %#v", c.in, s, got, want)
		}
	}
	e := EdgeLabel{Name: "e", Guard: "x<1", HasGuard: true, Actions: acts("a=1;", "b=2;"), Weight: 0.25, HasWeight: true,
		Dependency: 75, HasDependency: true, Blocked: true, Requirements: []string{"R 1", "R2"}}
	const wantText = "e\n[x<1]\n/a=1;b=2;\nweight=0.25\ndependency=75\nBLOCKED\nREQTAG: R 1, R2"
	if s := e.String(); s != wantText {
		t.Errorf("String() = %q, want %q", s, wantText)
	}
	got, err := ParseEdge(e.String())
	e.Actions = acts("a=1;b=2;")
	if err != nil || !reflect.DeepEqual(got, e) {
		t.Errorf("round trip = %#v, %v", got, err)
	}
	v := VertexLabel{Name: "v", SharedState: "S", InitActions: acts("x=1;"), Blocked: true, Requirements: []string{"R1"}}
	if s := v.String(); s != "v\nSHARED:S\nINIT: x=1;\nBLOCKED\nREQTAG: R1" {
		t.Errorf("String() = %q", s)
	}
	if gv, err := ParseVertex(v.String()); err != nil || !reflect.DeepEqual(gv, v) {
		t.Errorf("round trip = %#v, %v", gv, err)
	}
}

// Linear time on inputs that would make a naive greedy search quadratic or
// worse.
func TestPathological(t *testing.T) {
	big := []string{
		strings.Repeat("[", 200000),
		"e /" + strings.Repeat("a;", 100000) + "!",
		"e /" + strings.Repeat("/a;", 100000) + "!",
		"e REQTAG: " + strings.Repeat("a,", 100000),
		strings.Repeat("a.", 100000) + "a",
		strings.Repeat(" /**/", 100000),
		strings.Repeat("\n //x", 100000),
	}
	for _, s := range big {
		_, _ = ParseEdge(s)
		_, _ = ParseVertex(s)
	}
}

func BenchmarkParseEdge(b *testing.B) {
	const s = "e_AddBookToCart [num_of_books<=\nMAX_BOOKS] / num_of_books++; /* test */\nweight=0.5"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseEdge(s); err != nil {
			b.Fatal(err)
		}
	}
}

func TestFormatCorners(t *testing.T) {
	for _, e := range []EdgeLabel{
		{Name: "e", Actions: acts("/x;")},
		{Actions: acts("/x;")},
		{Name: "e", Guard: "g", HasGuard: true, Actions: acts("//x;")},
	} {
		got, err := ParseEdge(e.String())
		if err != nil || !reflect.DeepEqual(got, e) {
			t.Errorf("%q: %#v, %v", e.String(), got, err)
		}
	}
	for _, v := range []VertexLabel{
		{Name: "v", InitActions: acts("/x;")},
		{Name: "v", InitActions: acts(" ;")},
		{InitActions: acts("x;")},
	} {
		got, err := ParseVertex(v.String())
		if err != nil || !reflect.DeepEqual(got, v) {
			t.Errorf("%q: %#v, %v", v.String(), got, err)
		}
	}
}
