package dot

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gw-project/gw/internal/model"
)

// summary prints a model compactly: name, start element, then vertices as
// `v id "name"` and edges as `e id "name" src -> dst` (Start for nil).
func summary(m *model.Model) string {
	var b strings.Builder
	fmt.Fprintf(&b, "model %q start=%s\n", m.Name, m.StartElementID)
	for _, v := range m.Vertices {
		fmt.Fprintf(&b, "v %s %q\n", v.ID, v.Name)
	}
	end := func(v *model.Vertex) string {
		if v == nil {
			return "Start"
		}
		return v.ID
	}
	for _, e := range m.Edges {
		fmt.Fprintf(&b, "e %s %q %s -> %s\n", e.ID, e.Name, end(e.Source), end(e.Target))
	}
	return b.String()
}

func readFile(t *testing.T, path string) *model.Model {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := Read(f, path)
	if err != nil {
		t.Fatalf("Read(%s): %v", path, err)
	}
	return m
}

// Facts from GraphWalker's DotContextFactoryTest (core.md §10.2), plus the
// ids this reader gives where GraphWalker gives random or duplicate ones.
func TestReadUpstreamFixtures(t *testing.T) {
	tests := []struct {
		file string
		want string
	}{
		{"SimplestGraph.dot", `model "SimplestGraph" start=
v a "a"
v b "b"
e e0 "" a -> b
`},
		{"3v2e.dot", `model "SimplestGraph" start=
v a "a"
v b "b"
v c "c"
e e0 "" a -> b
e e1 "" b -> c
`},
		{"3v2e_withEdgeLabel.dot", `model "SimplestGraph" start=
v a "a"
v b "b"
v c "c"
e e1 "e1" a -> b
e e2 "e2" b -> c
`},
		{"Simple3v2e.dot", `model "SimplestGraph" start=
v a "a"
v b "b"
v c "c"
e e0 "" a -> b
e e1 "" b -> c
`},
		{"Simple4v3e.dot", `model "Simple4v3e" start=
v a "a"
v b "b"
v c "c"
v d "d"
e e0 "" a -> b
e e1 "" b -> c
e e2 "" b -> d
`},
		{"SimplestGWGraph.dot", `model "SimplestGWGraph" start=e1
v v1 "v1"
e e1 "e1" Start -> v1
`},
		{"SimpleGW.dot", `model "SimpleGraph" start=e1
v n1 "v1"
e e1 "e1" Start -> n1
`},
		{"cli_SimpleGW.dot", `model "SimpleGraph" start=e1
v n1 "v1"
e e1 "e1" Start -> n1
`},
		{"Login.dot", `model "Login" start=e_Init
v v_AppNotRunning "v_AppNotRunning"
v v_LoginDialog "v_LoginDialog"
v v_MainView "v_MainView"
e e_Init "e_Init" Start -> v_AppNotRunning
e e_Start "e_Start" v_AppNotRunning -> v_LoginDialog
e e_Start_2 "e_Start" v_AppNotRunning -> v_MainView
e e_Exit "e_Exit" v_MainView -> v_AppNotRunning
e e_Logout "e_Logout" v_MainView -> v_LoginDialog
e e_Close "e_Close" v_LoginDialog -> v_AppNotRunning
e e_ToggleRememberMe "e_ToggleRememberMe" v_LoginDialog -> v_LoginDialog
e e_InvalidCredentials "e_InvalidCredentials" v_LoginDialog -> v_LoginDialog
e e_ValidCredentials "e_ValidCredentials" v_LoginDialog -> v_MainView
`},
		{"doubleQuote.dot", `model "DoubleQuote" start=
v n1 "v1"
v n2 "v2"
`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			m := readFile(t, filepath.Join("testdata", "upstream", tt.file))
			if got := summary(m); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
			if m.ID == "" {
				t.Error("model has no id after Index")
			}
			for i := range m.Vertices {
				_ = m.OutEdges(i) // panics unless Read indexed the model
			}
		})
	}
}

func TestReadSyntax(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"keywords any case, strict, no semicolons", `STRICT DiGraph G { A -> B A -> B }`, `model "G" start=
v A "A"
v B "B"
e e0 "" A -> B
e e1 "" A -> B
`},
		{"undirected graph and --", `graph g { a -- b -- c }`, `model "g" start=
v a "a"
v b "b"
v c "c"
e e0 "" a -> b
e e1 "" b -> c
`},
		{"quoted graph name without quotes", `digraph "My Graph" { a }`, `model "My Graph" start=
v a "a"
`},
		{"no graph name: file base name", `digraph { a }`, `model "in" start=
v a "a"
`},
		{"attributes parsed properly", `digraph g { a -> b [label="e_1", color=red; weight = 2] [style=dashed] }`, `model "g" start=
v a "a"
v b "b"
e e_1 "e_1" a -> b
`},
		{"last label wins", `digraph g { a [label=x, label=y] }`, `model "g" start=
v a "y"
`},
		{"label of a node first seen in an edge", `digraph g { a -> b; b [label=v_B] }`, `model "g" start=
v a "a"
v b "v_B"
e e0 "" a -> b
`},
		{"start by later label", `digraph g { n0 -> a [label=e_Init]; n0 [label=START] }`, `model "g" start=e_Init
v a "a"
e e_Init "e_Init" Start -> a
`},
		{"start by id with label", `digraph g { start [label=v1]; start -> a [label=e1] }`, `model "g" start=e1
v a "a"
e e1 "e1" Start -> a
`},
		{"start label with spaces", `digraph g { s [label=" Start "]; s -> a }`, `model "g" start=e0
v a "a"
e e0 "" Start -> a
`},
		{"last start edge wins", `digraph g { Start -> a [label=x]; Start -> b [label=y] }`, `model "g" start=y
v a "a"
v b "b"
e x "x" Start -> a
e y "y" Start -> b
`},
		{"edge into start has no target", `digraph g { Start -> a [label=x]; a -> Start [label=y] }`, `model "g" start=x
v a "a"
e x "x" Start -> a
e y "y" a -> Start
`},
		{"chain with one label: unique ids", `digraph g { a -> b -> c [label=e] }`, `model "g" start=
v a "a"
v b "b"
v c "c"
e e "e" a -> b
e e_2 "e" b -> c
`},
		{"generated ids skip labels", `digraph g { a -> b; b -> c [label=e0]; c -> a }`, `model "g" start=
v a "a"
v b "b"
v c "c"
e e1 "" a -> b
e e0 "e0" b -> c
e e2 "" c -> a
`},
		{"edge named like a vertex", `digraph g { a -> b [label=a]; a -> b [label=a_2] ; b -> a [label=a]}`, `model "g" start=
v a "a"
v b "b"
e a_3 "a" a -> b
e a_2 "a_2" a -> b
e a_4 "a" b -> a
`},
		{"edge to subgraph", `digraph g { a -> {b c} -> d }`, `model "g" start=
v a "a"
v b "b"
v c "c"
v d "d"
e e0 "" a -> b
e e1 "" a -> c
e e2 "" b -> d
e e3 "" c -> d
`},
		{"named subgraph, reopened and used as source", `digraph g { subgraph s { x } subgraph s { y; z -> w } subgraph s {} -> q }`, `model "g" start=
v x "x"
v y "y"
v z "z"
v w "w"
v q "q"
e e0 "" z -> w
e e1 "" x -> q
e e2 "" y -> q
e e3 "" z -> q
e e4 "" w -> q
`},
		{"nested subgraph nodes count for the outer one", `digraph g { {a {b}} -> c }`, `model "g" start=
v a "a"
v b "b"
v c "c"
e e0 "" a -> c
e e1 "" b -> c
`},
		{"node and edge defaults, scoped", `digraph g { node [label=N]; edge [label=E]; a -> b; subgraph { node [label=M] edge [label=F] c -> d } e -> f [label=G] }`, `model "g" start=
v a "N"
v b "N"
v c "M"
v d "M"
v e "N"
v f "N"
e E "E" a -> b
e F "F" c -> d
e G "G" e -> f
`},
		{"graph attributes ignored", `digraph g { rankdir=LR; graph [label="x"] label="y" a }`, `model "g" start=
v a "a"
`},
		{"ports dropped", `digraph g { a:p1 -> b:p2:n; b:n -> a }`, `model "g" start=
v a "a"
v b "b"
e e0 "" a -> b
e e1 "" b -> a
`},
		{"comments", "# preprocessor line\ndigraph g { // line\n a /* block \n */ -> b # to end of line\n}", `model "g" start=
v a "a"
v b "b"
e e0 "" a -> b
`},
		{"numerals", `digraph 1 { 1 -> -2.5 -> .5 -> 3. }`, `model "1" start=
v 1 "1"
v -2.5 "-2.5"
v .5 ".5"
v 3. "3."
e e0 "" 1 -> -2.5
e e1 "" -2.5 -> .5
e e2 "" .5 -> 3.
`},
		{"quoted strings: escapes and concatenation", "digraph g { \"a\\\"b\" [label=\"x\\\\y\\nz\"]; \"c\" + \"d\\\ne\" }", `model "g" start=
v a"b "x\\y\\nz"
v cde "cde"
`},
		{"html strings", `digraph g { <a<b>c> -> b [label=<<i>e1</i>>] }`, `model "g" start=
v a<b>c "a<b>c"
v b "b"
e <i>e1</i> "<i>e1</i>" a<b>c -> b
`},
		{"utf-8 names and BOM", "\uFEFFdigraph g { ä -> 名前 }", `model "g" start=
v ä "ä"
v 名前 "名前"
e e0 "" ä -> 名前
`},
		{"empty label: empty name", `digraph g { a [label=""]; a -> a [label=""] }`, `model "g" start=
v a ""
e e0 "" a -> a
`},
		{"attribute without value", `digraph g { a [filled] }`, `model "g" start=
v a "a"
`},
		{"stray semicolons", `digraph g { ; a ;; }`, `model "g" start=
v a "a"
`},
		{"keywords quoted as names", `digraph "graph" { "node" -> "edge" }`, `model "graph" start=
v node "node"
v edge "edge"
e e0 "" node -> edge
`},
		{"invalid utf-8 becomes U+FFFD", "digraph g { \"a\xffb\" }", `model "g" start=
v a` + "\uFFFD" + `b "a` + "\uFFFD" + `b"
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Read(strings.NewReader(tt.src), "dir/in.dot")
			if err != nil {
				t.Fatal(err)
			}
			if got := summary(m); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"empty", ``, `x.dot:1:1: expected 'digraph' or 'graph' to start the graph, found end of file`},
		{"not a graph", "\n  hello {}", `x.dot:2:3: expected 'digraph' or 'graph' to start the graph, found a name`},
		{"missing brace", `digraph g a -> b }`, `x.dot:1:11: expected '{' to open the graph body, found a name`},
		{"unclosed graph", "digraph g {\n a -> b\n", `x.dot:3:1: expected '}' to close the graph opened at 1:11, found end of file`},
		{"unclosed subgraph", "digraph g { a -> { b ", `x.dot:1:22: expected '}' to close the subgraph opened at 1:18, found end of file`},
		{"missing edge target", `digraph g { a -> ; }`, `x.dot:1:18: expected a node name or subgraph after the edge operator, found ';'`},
		{"unterminated string", "digraph g {\n  a [label=\"x]\n}", `x.dot:2:12: unterminated string; add the closing "`},
		{"unterminated comment", "digraph g { /* a", `x.dot:1:13: unterminated /* comment; close it with */`},
		{"unterminated html", "digraph g { <a<b> }", `x.dot:1:13: unterminated HTML string; every '<' needs a matching '>'`},
		{"bad character", "digraph g {\n\ta -> b@ }", `x.dot:2:8: unexpected character '@'; names that are not plain identifiers or numbers must be quoted`},
		{"column counts characters", "digraph g { ä -> ö ! }", `x.dot:1:20: unexpected character '!'; names that are not plain identifiers or numbers must be quoted`},
		{"keyword as name", `digraph g { a -> node }`, `x.dot:1:18: expected a node name or subgraph after the edge operator, found keyword 'node'; to use it as a name, quote it: "node"`},
		{"keyword as graph name", `digraph edge { }`, `x.dot:1:9: expected the graph name or '{', found keyword 'edge'; to use it as a name, quote it: "edge"`},
		{"badly delimited number", `digraph g { 1a -> b }`, `x.dot:1:13: badly delimited number: a name cannot start with a digit; quote the name or put a space after the number`},
		{"lone minus", `digraph g { a - b }`, `x.dot:1:15: unexpected '-'; edges are written a -> b (or a -- b), negative numbers -1`},
		{"lone dot", `digraph g { . }`, `x.dot:1:13: unexpected '.'; a number needs at least one digit`},
		{"plus without string", `digraph g { "a" + b }`, `x.dot:1:19: expected a quoted string after '+' (only quoted strings can be joined), found a name`},
		{"attr value missing", `digraph g { a [label=] }`, `x.dot:1:22: expected an attribute value after '=', found ']'`},
		{"attr list unclosed", `digraph g { a [label=x `, `x.dot:1:24: expected ']' to close the attribute list opened at 1:15, found end of file`},
		{"attr stmt without list", `digraph g { node a }`, `x.dot:1:18: expected '[' after 'node' (an attribute statement such as node [color=red]), found a name`},
		{"graph in graph", `digraph g { digraph h {} }`, `x.dot:1:13: unexpected 'digraph' inside a graph; a graph cannot contain another graph (use subgraph)`},
		{"statement expected", `digraph g { a -> b ] }`, `x.dot:1:20: expected a statement (node, edge, attribute or subgraph) or '}', found ']'`},
		{"subgraph without body", `digraph g { subgraph s; }`, `x.dot:1:23: expected '{' to open the subgraph body, found ';'`},
		{"two graphs", "digraph a { }\ndigraph b { }", `x.dot:2:1: expected end of file after the graph, found 'digraph'; a DOT model file holds one graph`},
		{"a string is not quoted", `digraph g "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ" {}`, `x.dot:1:11: expected '{' to open the graph body, found a quoted string`},
		{"html token", `digraph g <<b>x</b>> {}`, `x.dot:1:11: expected '{' to open the graph body, found an HTML string`},
		{"port without name", `digraph g { a: -> b }`, `x.dot:1:16: expected a port name after ':', found '->'`},
		{"error after string continuation", "digraph g { \"a\\\r\nb\" -> ! }", `x.dot:2:7: unexpected character '!'`},
		{"trailing garbage", "digraph a { } }", `x.dot:1:15: expected end of file after the graph, found '}'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tt.src), "x.dot")
			if err == nil {
				t.Fatal("no error")
			}
			if got := err.Error(); !strings.HasPrefix(got, tt.want) {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if _, ok := err.(*Error); !ok {
				t.Errorf("error is %T, want *Error", err)
			}
		})
	}
}

func TestReadErrorWithoutFileName(t *testing.T) {
	_, err := Read(strings.NewReader("digraph {"), "")
	if got, want := err.Error(), "1:10: expected '}' to close the graph opened at 1:9, found end of file"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

type failReader struct{}

func (failReader) Read([]byte) (int, error) { return 0, os.ErrPermission }

func TestReadIOError(t *testing.T) {
	_, err := Read(failReader{}, "m.dot")
	if err == nil || !strings.Contains(err.Error(), "m.dot: could not read the file") {
		t.Errorf("got %v", err)
	}
}

func TestReadLimits(t *testing.T) {
	deep := "digraph g {" + strings.Repeat("{", maxDepth+1) + strings.Repeat("}", maxDepth+1) + "}"
	_, err := Read(strings.NewReader(deep), "d.dot")
	if err == nil || !strings.Contains(err.Error(), "subgraphs nested more than 1000 deep") {
		t.Errorf("deep nesting: got %v", err)
	}
	var b strings.Builder
	b.WriteString("digraph g { {")
	for i := range 600 {
		fmt.Fprintf(&b, " a%d", i)
	}
	b.WriteString("} -> {")
	for i := range 1000 {
		fmt.Fprintf(&b, " b%d", i)
	}
	b.WriteString("} }")
	_, err = Read(strings.NewReader(b.String()), "big.dot")
	if err == nil || !strings.Contains(err.Error(), "too many edges") {
		t.Errorf("edge blow-up: got %v", err)
	}
}

func TestReadAll(t *testing.T) {
	ms, err := ReadAll(strings.NewReader("digraph a { x -> y }\n// between\ndigraph b { z }\n"), "two.dot")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range ms {
		got = append(got, summary(m))
	}
	want := []string{"model \"a\" start=\nv x \"x\"\nv y \"y\"\ne e0 \"\" x -> y\n", "model \"b\" start=\nv z \"z\"\n"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if _, err := ReadAll(strings.NewReader(""), "e.dot"); err == nil {
		t.Error("empty input: no error")
	}
}
