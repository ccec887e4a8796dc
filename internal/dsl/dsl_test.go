package dsl

import (
	"errors"
	"strings"
	"testing"

	"github.com/gw-project/gw/internal/javastr"
)

// dump renders a tree compactly: AND{a b}, OR{a b}, name(arg), name.
func dump(c Cond) string {
	switch c := c.(type) {
	case *Leaf:
		if c.HasArg {
			return c.Name + "(" + c.Arg + ")"
		}
		return c.Name
	case *And:
		return "AND{" + dumpAll(c.Children) + "}"
	case *Or:
		return "OR{" + dumpAll(c.Children) + "}"
	}
	return "?"
}

func dumpAll(cs []Cond) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = dump(c)
	}
	return strings.Join(s, " ")
}

func dumpGens(gs []Generator) string {
	s := make([]string, len(gs))
	for i, g := range gs {
		s[i] = g.Name + ":" + dump(g.Cond)
	}
	return strings.Join(s, " | ")
}

func TestParseAccepted(t *testing.T) {
	tests := []struct{ in, want string }{
		// core.md §6.5 and upstream GrammarTest.
		{"random(never)", "random:never"},
		{"a_star(never)", "a_star:never"},
		{"quick_random(never)", "quick_random:never"},
		{"weighted_random(vertex_coverage(100))", "weighted_random:vertex_coverage(100)"},
		{"random(vertex_coverage(100))", "random:vertex_coverage(100)"},
		{"random(edge_coverage(100))", "random:edge_coverage(100)"},
		{"shortest_all_paths(edge_pair_coverage(100))", "shortest_all_paths:edge_pair_coverage(100)"}, // gw's own condition
		{"random(reached_vertex(v_SomeVertex))", "random:reached_vertex(v_SomeVertex)"},
		{"random(reached_vertex(e_SomeEdge))", "random:reached_vertex(e_SomeEdge)"},
		{"random(requirement_coverage(100))", "random:requirement_coverage(100)"},
		{"random(time(500))", "random:time(500)"},
		{"random(length(24))", "random:length(24)"},
		{"random(edge_coverage(100) or time(500))", "random:OR{edge_coverage(100) time(500)}"},
		{"random(edge_coverage(100) || time(500))", "random:OR{edge_coverage(100) time(500)}"},
		{"random(reached_vertex(e_SomeEdge) && edge_coverage(100))", "random:AND{reached_vertex(e_SomeEdge) edge_coverage(100)}"},
		{"random(reached_vertex(e_SomeEdge) and edge_coverage(100))", "random:AND{reached_vertex(e_SomeEdge) edge_coverage(100)}"},
		{"random((reached_vertex(e) and reached_edge(e)) || time(5000))", "random:OR{AND{reached_vertex(e) reached_edge(e)} time(5000)}"},
		{"random((reached_vertex(e_SomeEdge) and reached_edge(e_SomeEdge)) || time(5000))",
			"random:OR{AND{reached_vertex(e_SomeEdge) reached_edge(e_SomeEdge)} time(5000)}"},
		{"random(edge_coverage(100) and never) a_star(reached_vertex(v_SomeName) || edge_coverage(90))",
			"random:AND{edge_coverage(100) never} | a_star:OR{reached_vertex(v_SomeName) edge_coverage(90)}"},
		{"random(reached_vertex(e_SomeEdge) and edge_coverage(100)) random((reached_vertex(e_SomeEdge) and reached_edge(e_SomeEdge)) || time(5000))",
			"random:AND{reached_vertex(e_SomeEdge) edge_coverage(100)} | random:OR{AND{reached_vertex(e_SomeEdge) reached_edge(e_SomeEdge)} time(5000)}"},
		{"Random((vertex_coverage(100) and reached_vertex(myVertex)) or time_duration(90))",
			"Random:OR{AND{vertex_coverage(100) reached_vertex(myVertex)} time_duration(90)}"},
		{"random ( edge_coverage(100) and vertex_coverage (100) )", "random:AND{edge_coverage(100) vertex_coverage(100)}"},
		// upstream GeneratorFactoryTest.
		{"random ( reached_vertex(Some_vertex) or reached_edge ( Some_edge ) )", "random:OR{reached_vertex(Some_vertex) reached_edge(Some_edge)}"},
		{"random( edge_coverage(100) or time_duration(500) ) a_star(reached_vertex(v_ABC))",
			"random:OR{edge_coverage(100) time_duration(500)} | a_star:reached_vertex(v_ABC)"},
		{"RANDOM ( REACHED_VERTEX( Some_vertex) OR REACHED_EDGE( Some_edge ) )", "RANDOM:OR{REACHED_VERTEX(Some_vertex) REACHED_EDGE(Some_edge)}"},
		{"random(reached_vertex(isPageOpened) and reached_vertex(isLanguageDetected) and reached_vertex(isTranslateCleared) and reached_edge(openPage))",
			"random:AND{reached_vertex(isPageOpened) reached_vertex(isLanguageDetected) reached_vertex(isTranslateCleared) reached_edge(openPage)}"},
		{"random(reached_vertex(isPageOpened) or reached_vertex(isLanguageDetected) or reached_vertex(isTranslateCleared))",
			"random:OR{reached_vertex(isPageOpened) reached_vertex(isLanguageDetected) reached_vertex(isTranslateCleared)}"},
		{"Random(time_duration(90) or (vertex_coverage(100) and reached_vertex(myVertex)))",
			"Random:OR{time_duration(90) AND{vertex_coverage(100) reached_vertex(myVertex)}}"},
		{"predefined_path(predefined_path)", "predefined_path:predefined_path"},
		{"pluginGenerator(edge_coverage(100))", "pluginGenerator:edge_coverage(100)"},
		{"random(dkshdgej(100))", "random:dkshdgej(100)"},
		{"kskskdhfh(edge_coverage(100))", "kskskdhfh:edge_coverage(100)"},
		// brief / spec examples.
		{"a_star(reached_vertex(v_A) OR reached_edge(e_B))", "a_star:OR{reached_vertex(v_A) reached_edge(e_B)}"},
		{"random(length(10)) a_star(reached_vertex(v_X)) random(edge_coverage(100))",
			"random:length(10) | a_star:reached_vertex(v_X) | random:edge_coverage(100)"},
		{"random(edge_coverage(100) && vertex_coverage(100))", "random:AND{edge_coverage(100) vertex_coverage(100)}"},
		{"RandomPath(EdgeCoverage(100))", "RandomPath:EdgeCoverage(100)"},
		{"RandomPath((EdgeCoverage(100) AND VertexCoverage(100)))", "RandomPath:AND{EdgeCoverage(100) VertexCoverage(100)}"},
		{"a_star(reached_vertex(v2)) random(edge_coverage(100))", "a_star:reached_vertex(v2) | random:edge_coverage(100)"},
		// Lexer corner cases (§6.1).
		{"random(reached_vertex(e-1))", "random:reached_vertex(e-1)"},
		{"random(edge_coverage(-5))", "random:edge_coverage(-5)"},
		{"random(length(1e3))", "random:length(1e3)"},
		{"random(reached_vertex(100))", "random:reached_vertex(100)"},
		{"random(Or)", "random:Or"},                        // "Or" is not an operator
		{"random(order or andy)", "random:OR{order andy}"}, // longest match: names
		{"random(reached_vertex(edge_coverage))", "random:reached_vertex(edge_coverage)"},
		{"random(edge_coverage(100)) , a_star(reached_vertex(v_A))", "random:edge_coverage(100) | a_star:reached_vertex(v_A)"},
		{"random(edge_coverage(100)),a_star(reached_vertex(v_A))", "random:edge_coverage(100) | a_star:reached_vertex(v_A)"},
		{"random(((a)))", "random:a"},                         // single operands collapse
		{"random((a and b) and c)", "random:AND{AND{a b} c}"}, // groups stay nested, as upstream
		{"random(a and (b and c) and d)", "random:AND{a AND{b c} d}"},
		{"random(a || b OR c or d)", "random:OR{a b c d}"}, // spellings mix freely
		{"random(a && b AND c and d)", "random:AND{a b c d}"},
		{" \t\r\n\frandom(never)\n", "random:never"},
		{"random(never)random(never)", "random:never | random:never"},
		{"_(-)", "_:-"},
	}
	for _, tt := range tests {
		gs, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got := dumpGens(gs); got != tt.want {
			t.Errorf("Parse(%q)\n got %s\nwant %s", tt.in, got, tt.want)
		}
		// Round trip through the printed form.
		again, err := Parse(Format(gs))
		if err != nil {
			t.Errorf("Parse(Format(%q)) = %q: %v", tt.in, Format(gs), err)
		} else if dumpGens(again) != tt.want {
			t.Errorf("round trip of %q changed the tree: %s", tt.in, dumpGens(again))
		}
	}
}

func TestPositions(t *testing.T) {
	in := "random(a and b)\n  a_star( reached_vertex(v_X)\n  or x)"
	gs, err := Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	and := gs[0].Cond.(*And)
	or := gs[1].Cond.(*Or)
	leafX := or.Children[1].(*Leaf)
	checks := []struct {
		name string
		got  Pos
		want Pos
	}{
		{"gen0", gs[0].Pos, Pos{0, 1, 1}},
		{"and", and.Pos, Pos{7, 1, 8}},
		{"b", and.Children[1].Position(), Pos{13, 1, 14}},
		{"gen1", gs[1].Pos, Pos{18, 2, 3}},
		{"or", or.Pos, Pos{26, 2, 11}},
		{"x", leafX.Pos, Pos{51, 3, 6}},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %+v, want %+v", c.name, c.got, c.want)
		}
	}
	// \r\n is one line break.
	gs, err = Parse("random(a)\r\nrandom(b)")
	if err != nil {
		t.Fatal(err)
	}
	if p := gs[1].Pos; p != (Pos{11, 2, 1}) {
		t.Errorf("after CRLF: %+v", p)
	}
}

func TestString(t *testing.T) {
	gs, err := Parse("Random( ( vertex_coverage(100) AND reached_vertex(myVertex)) || time_duration(90) )  a_star(x)")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := gs[0].String(), "Random((vertex_coverage(100) and reached_vertex(myVertex)) or time_duration(90))"; got != want {
		t.Errorf("Generator.String() = %q, want %q", got, want)
	}
	if got, want := gs[0].Cond.String(), "(vertex_coverage(100) and reached_vertex(myVertex)) or time_duration(90)"; got != want {
		t.Errorf("Cond.String() = %q, want %q", got, want)
	}
	if got, want := Format(gs), "Random((vertex_coverage(100) and reached_vertex(myVertex)) or time_duration(90)) a_star(x)"; got != want {
		t.Errorf("Format = %q, want %q", got, want)
	}
}

func TestParseErrors(t *testing.T) {
	const pre = "did not conform to GraphWalker syntax rules: "
	tests := []struct {
		in   string
		col  int
		want string // Error() must end with this
	}{
		{"random()", 8, "at column 8: expected a stop condition such as 'edge_coverage(100)', got ')'"},
		{"random", 7, "at column 7: expected '(' after generator name 'random', got end of input; a generator needs a stop condition, e.g. 'random(edge_coverage(100))'"},
		{"random(edge_coverage(100)", 26, "at column 26: expected ')' to close 'random(' opened at column 1, got end of input"},
		{"random(edge_coverage(100", 25, "at column 25: expected ')' to close 'edge_coverage(' opened at column 8, got end of input"},
		{"random(edge_coverage(100)))", 27, "at column 27: expected a generator such as 'random(edge_coverage(100))', got ')'"},
		{"random(edge_coverage())", 22, "at column 22: expected an argument (a name or a number) inside 'edge_coverage(', got ')'"},
		{"random(never())", 14, "at column 14: expected an argument (a name or a number) inside 'never(', got ')'"},
		{"random(a and b or c)", 16, "at column 16: cannot mix 'and' and 'or' at one level; group with parentheses, e.g. '(a and b) or c'"},
		{"random(a || b && c)", 15, "at column 15: cannot mix '||' and '&&' at one level; group with parentheses, e.g. '(a and b) or c'"},
		{"random(reached_vertex(v.Name))", 24, "at column 24: unexpected character '.'; names may contain only letters A-Z a-z, digits, '_' and '-'"},
		{"random(edge_coverage(100)) %", 28, "at column 28: unexpected character '%'; names may contain only letters A-Z a-z, digits, '_' and '-'"},
		{"random(reached_vertex(vé))", 24, "at column 24: unexpected character 'é'; names may contain only letters A-Z a-z, digits, '_' and '-'"},
		{"random(a | b)", 10, "at column 10: unexpected single '|'; write '||', 'or' or 'OR'"},
		{"random(a & b)", 10, "at column 10: unexpected single '&'; write '&&', 'and' or 'AND'"},
		{"random(100)", 8, "at column 8: expected a stop condition, got number '100'; a number can only be an argument, e.g. 'edge_coverage(100)'"},
		{"100(never)", 1, "at column 1: expected a generator name, got number '100' (a name needs a letter, '_' or '-')"},
		{"or(never)", 1, "at column 1: expected a generator such as 'random(edge_coverage(100))', got operator 'or'"},
		{"random(and)", 8, "at column 8: expected a stop condition such as 'edge_coverage(100)', got operator 'and'"},
		{"random(reached_vertex(or))", 23, "at column 23: expected an argument (a name or a number) inside 'reached_vertex(', got operator 'or'"},
		{"random(a or)", 12, "at column 12: expected a stop condition such as 'edge_coverage(100)', got ')'"},
		{"random(a b)", 10, "at column 10: expected ')' to close 'random(' opened at column 1, got name 'b'"},
		{"random((a)", 11, "at column 11: expected ')' to close 'random(' opened at column 1, got end of input"},
		{"random((a or b)", 16, "at column 16: expected ')' to close 'random(' opened at column 1, got end of input"},
		{"random(( a or b", 16, "at column 16: expected ')' to close '(' opened at column 8, got end of input"},
		{"random(edge_coverage(100)),", 28, "at column 28: expected a generator after ',', got end of input"},
		{",random(never)", 1, "at column 1: expected a generator such as 'random(edge_coverage(100))', got ','"},
		{"random(never),,random(never)", 15, "at column 15: expected a generator such as 'random(edge_coverage(100))', got ','"},
		{"random(a,b)", 9, "at column 9: expected ')' to close 'random(' opened at column 1, got ','"},
		{"RandomPath(90835538976957, EdgeCoverage(100))", 12, "at column 12: expected a stop condition, got number '90835538976957'; a number can only be an argument, e.g. 'edge_coverage(90835538976957)'"},
		{"random(never)\n  a_star(", 10, "at line 2, column 10: expected a stop condition such as 'edge_coverage(100)', got end of input"},
		{"random(\n(a", 3, "at line 2, column 3: expected ')' to close '(' opened at line 2, column 1, got end of input"},
		{"random(never) \v", 15, "at column 15: unexpected character '\\v'; names may contain only letters A-Z a-z, digits, '_' and '-'"},
		{"random(\xff)", 8, "at column 8: unexpected character byte \"\\xff\"; names may contain only letters A-Z a-z, digits, '_' and '-'"},
		{"random(" + strings.Repeat("(", 200) + "a" + strings.Repeat(")", 201), 107, "at column 107: parentheses nested more than 100 levels deep"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q): got %v, want a *SyntaxError", tt.in, err)
			continue
		}
		if se.Pos.Col != tt.col {
			t.Errorf("Parse(%q): column %d, want %d", tt.in, se.Pos.Col, tt.col)
		}
		msg := err.Error()
		head := "The string '" + javastr.Trim(tt.in) + "' " + pre
		if !strings.HasPrefix(msg, head) || !strings.HasSuffix(msg, tt.want) || len(msg) != len(head)+len(tt.want) {
			t.Errorf("Parse(%q) error:\n got %s\nwant %s%s", tt.in, msg, head, tt.want)
		}
	}
}

func TestErrorTrimsInput(t *testing.T) {
	_, err := Parse("  random()\n")
	want := "The string 'random()' did not conform to GraphWalker syntax rules: at line 1, column 10: expected a stop condition such as 'edge_coverage(100)', got ')'"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

func TestNoGenerator(t *testing.T) {
	for _, in := range []string{"", "   ", "\n\t\r\f"} {
		if _, err := Parse(in); err != ErrNoGenerator || err.Error() != "No valid generator found." {
			t.Errorf("Parse(%q) = %v, want ErrNoGenerator", in, err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	const in = "random(length(10)) a_star(reached_vertex(v_X)) Random((vertex_coverage(100) and reached_vertex(myVertex)) or time_duration(90))"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(in); err != nil {
			b.Fatal(err)
		}
	}
}
