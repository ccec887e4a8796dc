package label

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// Labels from the upstream models, as seeds besides the table cases.
var realLabels = []string{
	"e_init / num_of_books = 0; MAX_BOOKS = 5;",
	"e_AddBookToCart\n[num_of_books<=MAX_BOOKS]\n/num_of_books++;",
	"v_BaseURL\nREQTAG:UC01 2.2.1",
	"e_Init/validLogin=false;rememberMe=false;\nweight=0.5 dependency=75",
	"v_LoginPrompted\nSHARED:LOGGED_IN\nINIT: a=1;",
	"REQTAG=req 55, req 78  ",
	"e_ValidPremiumCredentials\n[!validLogin]\n/validLogin=true; REQTAG=req2, req 23",
}

func FuzzParseEdge(f *testing.F) {
	for _, c := range edgeCases {
		f.Add(c.in)
	}
	for _, s := range realLabels {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		start := time.Now()
		e, err := ParseEdge(s)
		if d := time.Since(start); d > 30*time.Second { // linear in fact; generous for loaded machines
			t.Fatalf("ParseEdge took %v on %d bytes", d, len(s))
		}
		checkOracle(t, s, true, err)
		if err != nil {
			return
		}
		if e.HasGuard && strings.Count(e.Guard, "[") != strings.Count(e.Guard, "]") {
			t.Errorf("unbalanced guard %q", e.Guard)
		}
		for _, a := range e.Actions {
			if !strings.HasSuffix(a, ";") {
				t.Errorf("action %q does not end with ';'", a)
			}
		}
		if e.Dependency < 0 || e.Weight < 0 {
			t.Errorf("negative number in %+v", e)
		}
	})
}

func FuzzParseVertex(f *testing.F) {
	for _, c := range vertexCases {
		f.Add(c.in)
	}
	for _, s := range realLabels {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseVertex(s)
		if err == nil && v.Start {
			return
		}
		checkOracle(t, s, false, err)
		if err != nil {
			return
		}
		for _, a := range v.InitActions {
			if !strings.HasSuffix(a, ";") {
				t.Errorf("action %q does not end with ';'", a)
			}
		}
	})
}

// checkOracle compares the linear tables with a direct, exponential
// reading of the grammar (uniqueness ignored) on short labels, and checks
// that errors are *SyntaxError with GraphWalker's sentence.
func checkOracle(t *testing.T, s string, edge bool, err error) {
	if err != nil {
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Fatalf("error %T is not a *SyntaxError: %v", err, err)
		}
		if !strings.HasPrefix(err.Error(), "The string '") {
			t.Fatalf("error lacks GraphWalker's sentence: %v", err)
		}
		if se.Line < 1 || se.Column < 1 {
			t.Fatalf("bad position in %v", err)
		}
	}
	p := getParser(s, edge)
	defer putParser(p)
	if len(p.toks) > 14 {
		return
	}
	want := naiveCan(p, 0)
	if p.can[0] != want {
		t.Fatalf("tables say %v, naive grammar says %v for %q", p.can[0], want, s)
	}
	// Without uniqueness violations the tables decide success.
	if err == nil && !want {
		t.Fatalf("parsed %q although the grammar rejects it", s)
	}
}

func naiveCan(p *parser, i int) bool {
	n := len(p.toks)
	if i == n {
		return true
	}
	k := p.toks[i].kind
	skipWS := func(j int) int {
		for j < n && p.toks[j].kind == kWS {
			j++
		}
		return j
	}
	// action block from token `from`: some ';' at j >= from+1 with the rest
	// parsing.
	action := func(from int) bool {
		for j := from + 1; j < n; j++ {
			if p.toks[j].kind == kSemi && naiveCan(p, j+1) {
				return true
			}
		}
		return false
	}
	switch k {
	case kWS, kBlocked:
		return naiveCan(p, i+1)
	case kIdent:
		j := i
		for j+2 < n+1 && j+1 < n && (p.toks[j+1].kind == kDot || p.toks[j+1].kind == kSemi) {
			if j+2 >= n || p.toks[j+2].kind != kIdent {
				return false
			}
			j += 2
		}
		return naiveCan(p, j+1)
	case kReqtag:
		q := skipWS(i + 1)
		if q >= n || (p.toks[q].kind != kColon && p.toks[q].kind != kAssign) {
			return false
		}
		seg := 0
		for j := q + 1; j < n; j++ {
			if p.toks[j].kind == kComma {
				if seg == 0 {
					return false
				}
				seg = 0
			} else {
				seg++
			}
		}
		return seg > 0
	}
	if p.edge {
		switch k {
		case kBrackets:
			return naiveCan(p, i+1)
		case kSlash:
			return action(i + 1)
		case kWeight, kDependency:
			q := skipWS(i + 1)
			if q >= n || p.toks[q].kind != kAssign {
				return false
			}
			r := skipWS(q + 1)
			return r < n && p.toks[r].kind == kValue && naiveCan(p, r+1)
		}
		return false
	}
	switch k {
	case kShared:
		q := skipWS(i + 1)
		if q >= n || p.toks[q].kind != kColon {
			return false
		}
		r := skipWS(q + 1)
		return r < n && p.toks[r].kind == kIdent && naiveCan(p, r+1)
	case kInit:
		q := skipWS(i + 1)
		return q < n && p.toks[q].kind == kColon && action(q+1)
	}
	return false
}
