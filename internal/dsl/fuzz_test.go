package dsl

import (
	"errors"
	"testing"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"random(edge_coverage(100))",
		"quickrandom(edge_coverage(100))",
		"predefined_path(predefined_path)",
		"RandomPath(EdgeCoverage(100))",
		"RandomPath(90835538976957, EdgeCoverage(100))",
		"a_star(reached_vertex(v2)) random(edge_coverage(100))",
		"random(dependency_edge_coverage(80))",
		"Random((vertex_coverage(100) and reached_vertex(myVertex)) or time_duration(90))",
		"random(edge_coverage(100) && vertex_coverage(100))",
		"random(a || b OR c) , x(y(-1))",
		"random(a and b or c)",
		"random(((a))",
		"random()",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		gs, err := Parse(s)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) && err != ErrNoGenerator {
				t.Fatalf("unexpected error type %T: %v", err, err)
			}
			if se != nil && (se.Pos.Offset < 0 || se.Pos.Offset > len(s) || se.Pos.Line < 1 || se.Pos.Col < 1) {
				t.Fatalf("bad error position %+v for %q", se.Pos, s)
			}
			return
		}
		text := Format(gs)
		again, err := Parse(text)
		if err != nil {
			t.Fatalf("re-parse of %q (from %q): %v", text, s, err)
		}
		if dumpGens(again) != dumpGens(gs) {
			t.Fatalf("round trip changed %q: %s vs %s", s, dumpGens(gs), dumpGens(again))
		}
	})
}
