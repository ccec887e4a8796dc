package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gw-project/gw/internal/golden"
)

// cmdDir holds the models of the tests below (copies of GraphWalker's
// graphwalker-cli test resources, and AltWalker's fixtures).
const cmdDir = "testdata/commands/"

func td(p string) string { return cmdDir + p }

func usageOf(cmd string) string {
	var b strings.Builder
	printUsage(&b, findCommand(cmd))
	return b.String()
}

type cliCase struct {
	name   string
	args   []string
	code   int
	out    *string  // exact stdout
	outHas []string // stdout contains each
	outSet []string // whitespace-split stdout, as a set
	err    string   // exact stderr (checked when errHas is empty)
	errHas []string
}

func str(s string) *string { return &s }

func (c cliCase) run(t *testing.T) {
	t.Helper()
	out, errOut, code := runCLI(t, c.args...)
	if code != c.code {
		t.Errorf("exit %d, want %d\nstdout: %q\nstderr: %q", code, c.code, out, errOut)
	}
	if c.out != nil && out != *c.out {
		t.Errorf("stdout\n%q\nwant\n%q", out, *c.out)
	}
	for _, s := range c.outHas {
		if !strings.Contains(out, s) {
			t.Errorf("stdout %q does not contain %q", out, s)
		}
	}
	if c.outSet != nil {
		got := strings.Fields(out)
		slices.Sort(got)
		want := slices.Clone(c.outSet)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("stdout set %q, want %q", got, want)
		}
	}
	if len(c.errHas) == 0 && errOut != c.err {
		t.Errorf("stderr\n%q\nwant\n%q", errOut, c.err)
	}
	for _, s := range c.errHas {
		if !strings.Contains(errOut, s) {
			t.Errorf("stderr %q does not contain %q", errOut, s)
		}
	}
}

// protocol.md §3.7: MethodsTest, RequirementsTest, CheckTest, SourceTest,
// ConvertFilesTest, and derived cases for these commands.
func TestCommands(t *testing.T) {
	blocked := td("json/graphWithBlockedElements.json")
	shopping := td("graphml/online/ShoppingCart.graphml")
	all := []string{"e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9", "e10", "v1", "v2", "v3", "v4", "v5"}
	unblocked := []string{"e1", "e2", "e3", "e4", "e7", "e8", "e9", "v1", "v2", "v3", "v4"}
	noIssues := "No issues found with the model(s).\n"
	tests := []cliCase{
		// methods
		{name: "MethodsTest.methodsDontUseBlockedFeature", args: []string{"methods", "-b", "false", "-m", blocked}, outSet: all},
		{name: "MethodsTest.methodsUseBlockedFeature", args: []string{"methods", "-m", blocked}, outSet: unblocked},
		{name: "methods sorted as Java strings", args: []string{"methods", "-b", "FALSE", "-m", blocked},
			out: str("e1\ne10\ne2\ne3\ne4\ne5\ne6\ne7\ne8\ne9\nv1\nv2\nv3\nv4\nv5\n")},
		{name: "methods blocked True", args: []string{"methods", "--blocked", "True", "--model", blocked}, outSet: unblocked},
		{name: "methods several files, duplicates once", args: []string{"methods", "-m", td("altwalker/simple.json"), "-m", td("altwalker/complex.json")},
			out: str("edge_a\nedge_b\nedge_c\nvertex_a\nvertex_b\nvertex_c\nvertex_d\nvertex_e\n")},
		{name: "methods AltWalker simple", args: []string{"methods", "--model", td("altwalker/simple.json"), "--blocked", "False"},
			out: str("edge_a\nedge_b\nvertex_a\nvertex_b\n")},
		{name: "methods file without models", args: []string{"methods", "-m", td("altwalker/no-models.json")}, out: str("")},
		{name: "methods file without models or name", args: []string{"methods", "-m", td("altwalker/no-name.json")}, out: str("")},
		{name: "methods yEd Start vertex is no vertex", args: []string{"methods", "-m", td("graphml/CorrectModels/simplestModel.graphml")}, out: str("e1\nv1\n")},
		{name: "methods needs --model", args: []string{"methods"}, code: 1, out: str(""),
			err: "An error occurred when running command: 'methods'.\nThe following option is required: [--model | -m]\nRun 'gw methods --help' for the options.\n"},
		{name: "methods bad --blocked", args: []string{"methods", "-b", "maybe", "-m", blocked}, code: 1,
			out: str(""),
			err: "An error occurred when running command: 'methods -b maybe -m " + blocked + "'.\n\"-b\": couldn't convert \"maybe\" to a boolean\nRun 'gw methods --help' for the options.\n"},
		{name: "methods missing file", args: []string{"methods", "-m", td("nope.json")}, code: 2, errHas: []string{"An error occurred when running command: 'methods -m " + td("nope.json") + "'.\nCould not read the file"}},
		{name: "methods unsupported file", args: []string{"methods", "-m", td("template/perl.template")}, code: 1,
			errHas: []string{"File format for file: " + td("template/perl.template") + ", is not supported"}},

		// requirements
		{name: "RequirementsTest.requirements", args: []string{"requirements", "-m", shopping},
			out: str("UC01 2.2.1\nUC01 2.2.2\nUC01 2.2.3\nUC01 2.3\nUC01 2.4\n")},
		{name: "requirements of JSON elements", args: []string{"requirements", "-m", td("own/requirements.json")},
			out: str("\nR 1\nR2\nUC01\n")},
		{name: "requirements of blocked elements", args: []string{"requirements", "-b", "false", "-m", td("own/requirements.json")},
			out: str("\nR 1\nR2\nR3\nUC01\n")},
		{name: "requirements none", args: []string{"requirements", "-m", blocked}, out: str("")},
		{name: "requirements needs --model", args: []string{"requirements"}, code: 1, out: str(""),
			err: "An error occurred when running command: 'requirements'.\nThe following option is required: [--model | -m]\nRun 'gw requirements --help' for the options.\n"},

		// check
		{name: "CheckTest.check", args: []string{"check", "-m", shopping, "random(edge_coverage(100))"}, out: str(noIssues)},
		{name: "CheckTest.checkWithBlocked", args: []string{"check", "-b", "true", "-m", shopping, "random(edge_coverage(100))"}, out: str(noIssues)},
		{name: "check without models", args: []string{"check"}, code: 1, out: str(""),
			err: "An error occurred when running command: 'check'.\nNo model given: gw check needs --model FILE GENERATOR, e.g. --model examples/models/login.json \"random(edge_coverage(100))\"\nRun 'gw check --help' for the options.\n"},
		{name: "offline without models", args: []string{"offline"}, code: 1, out: str(""),
			errHas: []string{"No model given: gw offline needs --model FILE GENERATOR", "or --gw FILE\nRun 'gw offline --help' for the options.\n"}},
		{name: "offline model without --model", args: []string{"offline", "m.json", "random(never)"}, code: 1,
			errHas: []string{"Unexpected argument 'm.json': a model file is given with its generator: --model m.json \"random(edge_coverage(100))\"\n"}},
		{name: "offline generator split by the shell", args: []string{"offline", "-m", "m.json", "random(length(1)", "or", "never)"}, code: 1,
			errHas: []string{"Unexpected argument 'or': the generator was split at its spaces; quote it whole"}},
		{name: "offline switch with a value", args: []string{"offline", "-o", "true"}, code: 1,
			errHas: []string{"Unexpected argument 'true': -o is a switch and takes no value; write -o alone\n"}},
		{name: "offline bundled switches", args: []string{"offline", "-ou"}, code: 1,
			errHas: []string{"Unknown option: -ou; switches are written one by one: -o -u\n"}},
		{name: "online global option after the command", args: []string{"online", "--log-format", "json"}, code: 1,
			errHas: []string{"Unknown option: --log-format; it is a global option, written before the command: gw --log-format ... online ...\n"}},
		{name: "bad --log-format", args: []string{"--log-format", "xml", "offline"}, code: 1,
			errHas: []string{"Incorrect argument to --log-format (valid formats: text, json)\n"}},
		{name: "offline option=value", args: []string{"offline", "--seed=5"}, code: 1,
			errHas: []string{"Unexpected argument '--seed=5': write the value after a space: --seed 5\n"}},
		{name: "methods file without --model", args: []string{"methods", "m.json"}, code: 1,
			errHas: []string{"Unexpected argument 'm.json': a model file is given with --model: --model m.json\n"}},
		{name: "convert file without --input", args: []string{"convert", "m.json"}, code: 1,
			errHas: []string{"Unexpected argument 'm.json': the model file is given with --input: --input m.json\n"}},
		{name: "offline -d DEBUG is the seed", args: []string{"offline", "-d", "DEBUG", "-m", "m.json", "random(never)"}, code: 1,
			errHas: []string{"\"-d\": couldn't convert \"DEBUG\" to a long: inside offline, -d is --seed, as in GraphWalker; to set the log level, put -d before the command: gw -d DEBUG offline ...\n"}},
		{name: "offline -d not a number", args: []string{"offline", "-d", "x", "-m", "m.json", "random(never)"}, code: 1,
			err: "An error occurred when running command: 'offline -d x -m m.json random(never)'.\n\"-d\": couldn't convert \"x\" to a long\nRun 'gw offline --help' for the options.\n"},
		{name: "stray word", args: []string{"requirements", "-m", "m.json", "foo"}, code: 1,
			errHas: []string{"Unexpected argument 'foo': gw requirements takes options only, no other arguments\n"}},
		{name: "check AltWalker simple never", args: []string{"check", "--model", td("altwalker/simple.json"), "random(never)", "--blocked", "False"}, out: str(noIssues)},
		{name: "check AltWalker simple quick", args: []string{"check", "--model", td("altwalker/simple.json"), "quick_random(vertex_coverage(100))", "--blocked", "False"}, out: str(noIssues)},
		{name: "check AltWalker complex never", args: []string{"check", "--model", td("altwalker/complex.json"), "random(never)", "--blocked", "False"}, out: str(noIssues)},
		{name: "check AltWalker complex quick", args: []string{"check", "--model", td("altwalker/complex.json"), "quick_random(vertex_coverage(100))", "--blocked", "False"}, out: str(noIssues)},
		{name: "check several files with shared states", args: []string{"check",
			"-m", td("graphml/shared_state/Model_A.graphml"), "random(edge_coverage(100))",
			"-m", td("graphml/shared_state/Model_B.graphml"), "random(edge_coverage(100))",
			"-m", td("graphml/shared_state/Model_C.graphml"), "random(edge_coverage(100))",
			"-m", td("graphml/shared_state/Model_D.graphml"), "random(edge_coverage(100))"}, out: str(noIssues)},
		{name: "check GraphWalker issue", args: []string{"check", "-m", td("graphml/IncorrectModels/singleVertex.graphml"), "random(edge_coverage(100))"},
			code: 1, out: str("The model has neither a start element or a defined shared state.\n")},
		{name: "check strongly connected model", args: []string{"check", "-m", td("graphml/CorrectModels/shortestAllPathsVertexCoverage.graphml"), "random(edge_coverage(100))", "-b", "false"},
			out: str(noIssues)},
		{name: "check GraphWalker's issues before gw's", args: []string{"check", "-b", "false", "-m", td("graphml/CorrectModels/blockedVertex.graphml"), "random(edge_coverage(100))"},
			code: 1, out: str("The model has one cul-de-sacs, and is requested to run using a random path generator and 100% edge coverage. That might not work. Cul-de-sac(s) in model \"blockedVertex\" (no edge leaves them): vertex \"v2\" (id n2).\n")},
		{name: "check a guard that reads data the test code would set", args: []string{"check", "-m", td("own/guard-reads-test-data.json"), "random(edge_coverage(100))"},
			out: str(noIssues)},
		{name: "check a start whose only way out is guarded false", args: []string{"check", "-m", td("own/guarded-start.json"), "random(edge_coverage(100))"}, code: 1,
			out: str("The walk fails at its first steps, with the models' initial data (their INIT actions): Could not find a valid path from element: v_Start (v0) in model \"G\": every out-edge's guard is false. Check the guards on the way out of the start element; gw offline would stop here.\n")},
		{name: "check gw's own issue", args: []string{"check", "-m", td("json/example.json"), "random(edge_coverage(100))"}, code: 1,
			out: str("Edge \"e_FirstAction\" (id e0) in model \"Small_model\" cannot be reached from any start element (following edges and shared states, guards ignored).\n" +
				"The model(s) cannot be walked: the stop condition can never be met, so the walk would not end: EdgeCoverage(100) in model \"Small_model\": 1 element(s) cannot be reached: edge \"e_FirstAction\" (id e0)\n")},
		{name: "check unreachable stop condition", args: []string{"check", "-m", td("json/example.json"), "random(reached_edge(e_FirstAction))"}, code: 1,
			outHas: []string{"The model(s) cannot be walked: ", "ReachedEdge(e_FirstAction)"}},
		{name: "check verbose says where", args: []string{"check", "-o", "-m", td("graphml/IncorrectModels/singleVertex.graphml"), "random(edge_coverage(100))"},
			code: 1, out: str("model \"singleVertex\": The model has neither a start element or a defined shared state.\n")},
		{name: "check bad generator", args: []string{"check", "-m", td("altwalker/simple.json"), "random(edge_coverage(100)"}, code: 2,
			errHas: []string{"An error occurred when running command: 'check -m " + td("altwalker/simple.json") + " random(edge_coverage(100)'.\n", "did not conform to GraphWalker syntax rules"}},
		{name: "check bad stop condition", args: []string{"check", "-m", td("altwalker/simple.json"), "random(reached_vertex(nope))"}, code: 2,
			errHas: []string{"Vertex [nope] not found"}},
		{name: "check AltWalker no models", args: []string{"check", "-m", td("altwalker/no-models.json"), "random(never)"}, code: 2,
			errHas: []string{"No valid models found in: '" + td("altwalker/no-models.json") + "'."}},
		{name: "check AltWalker no name", args: []string{"check", "-m", td("altwalker/no-name.json"), "random(never)"}, code: 2,
			errHas: []string{"No valid models found"}},
		{name: "check -m needs two values", args: []string{"check", "-m", shopping}, code: 1,
			errHas: []string{"Expected 2 values after -m"}},
		{name: "offline option inside -m's values", args: []string{"offline", "-m", shopping, "--seed", "1", "random(length(3))"}, code: 1, out: str(""),
			errHas: []string{"-m takes 2 values, a file and a generator (-m FILE \"random(edge_coverage(100))\"), but the option --seed came among them: write --seed elsewhere on the command line\n"}},

		// source
		{name: "source unreadable template", args: []string{"source", "-i", td("json/example.json"), td("template/nope.template")}, code: 2,
			errHas: []string{"\nCould not read the file: '" + td("template/nope.template") + "'."}},
		{name: "source model without models", args: []string{"source", "-i", td("altwalker/no-models.json"), td("template/perl.template")}, code: 2,
			err: "An error occurred when running command: 'source -i " + td("altwalker/no-models.json") + " " + td("template/perl.template") + "'.\nNo valid models found in: '" + td("altwalker/no-models.json") + "'.\n\n"},
		{name: "source template that does not match", args: []string{"source", "-i", td("altwalker/simple.json"), td("json/example.json")}, code: 2, out: str(""),
			errHas: []string{"\nThe template '" + td("json/example.json") + "' lacks HEADER<{{, }}>HEADER, FOOTER<{{, }}>FOOTER; a template is HEADER<{{ header }}>HEADER, then the body, with {LABEL} where each name goes, then FOOTER<{{ footer }}>FOOTER (see gw source --help)\n"}},
		{name: "source template with an empty part", args: []string{"source", "-i", td("altwalker/simple.json"), td("template/empty-part.template")}, code: 2, out: str(""),
			errHas: []string{"' has its parts out of order or one of them empty; a template is"}},
		{name: "source example template", args: []string{"source", "-i", "../../examples/models/login.json", "../../examples/templates/python.template"},
			outHas: []string{"class Steps:", "    def e_Init(self):", "    def v_Browse(self):"}},
		{name: "source blocked elements left out", args: []string{"source", "-i", blocked, td("template/python.template")},
			outHas: []string{"def e9() :"}},
		{name: "source -b false keeps blocked elements", args: []string{"source", "-b", "false", "-i", blocked, td("template/python.template")},
			outHas: []string{"def e10() :", "def v5() :"}},
		{name: "source needs two values", args: []string{"source", "-i", td("json/example.json")}, code: 1,
			errHas: []string{"Expected 2 values after -i"}},
		{name: "source needs --input", args: []string{"source"}, code: 1, out: str(""),
			err: "An error occurred when running command: 'source'.\nThe following option is required: [--input | -i]\nRun 'gw source --help' for the options.\n"},

		// convert
		{name: "ConvertFilesTest.convertGraphmlToJava", args: []string{"convert", "--input", td("graphml/UC01_GW2.graphml"), "--format", "java"},
			outHas: []string{"public class UC01_GW2 {"}},
		{name: "convert unknown format", args: []string{"convert", "-i", td("json/example.json"), "-f", "xml"}, code: 1,
			err: "Format xml is not supported: convert writes JSON, GRAPHML, DOT or JAVA (--format JSON, the default).\n"},
		{name: "convert to YAML", args: []string{"convert", "-i", td("json/example.json"), "-f", "YAML"}, code: 1,
			err: "Format YAML is not supported: convert writes JSON, GRAPHML, DOT or JAVA (--format JSON, the default).\n"},
		{name: "convert format as an extension", args: []string{"convert", "-i", td("dot/SimpleGW.dot"), "-f", "x.DOT"}, outHas: []string{"digraph"}},
		{name: "convert java input", args: []string{"convert", "-i", td("own/Model.java")}, code: 2,
			err: "An error occurred when running command: 'convert -i " + td("own/Model.java") + "'.\nCreating a context from a java file is not supported.\n\n"},
		{name: "convert unsupported input", args: []string{"convert", "-i", td("template/perl.template")}, code: 1,
			errHas: []string{"File format for file: " + td("template/perl.template") + ", is not supported"}},
		{name: "convert syntax error ends with an extra newline", args: []string{"convert", "-i", td("graphml/IncorrectModels/wrongVertexSyntax.graphml")}, code: 2,
			errHas: []string{"\nThe following syntax error occurred when parsing: '" + td("graphml/IncorrectModels/wrongVertexSyntax.graphml") + "'.\nSyntax Error: ", "\n\n\n"}},
		{name: "GraphML errors name the file with its extension, line and column", args: []string{"convert", "-i", td("graphml/IncorrectModels/wrongVertexSyntax.graphml")}, code: 2,
			errHas: []string{"\nSyntax Error: " + td("graphml/IncorrectModels/wrongVertexSyntax.graphml") + ":17:5: node \"n0\": The string '1' did not conform"}},
		{name: "convert needs --input", args: []string{"convert"}, code: 1, out: str(""),
			err: "An error occurred when running command: 'convert'.\nThe following option is required: [--input | -i]\nRun 'gw convert --help' for the options.\n"},
		{name: "convert --input once", args: []string{"convert", "-i", "a.json", "-i", "b.json"}, code: 1,
			errHas: []string{"Can only specify option -i once."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.run)
	}
}

// SourceTest.generatePerl / generatePython: the lengths GraphWalker's tests
// assert, and the whole output (golden).
func TestSource(t *testing.T) {
	for _, tt := range []struct {
		template string
		min, max int
	}{{"python", 950, 1150}, {"perl", 1200, 1300}} {
		t.Run(tt.template, func(t *testing.T) {
			out, errOut, code := runCLI(t, "source", "--input", td("json/example.json"), td("template/"+tt.template+".template"))
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if len(out) <= tt.min || len(out) >= tt.max {
				t.Errorf("len %d, want in (%d, %d)", len(out), tt.min, tt.max)
			}
			checkGolden(t, "source-example-"+tt.template+".txt", out)
		})
	}
}

// TestConvert writes every fixture in every format and compares with the
// golden files (go test -run TestConvert -update rewrites them).
func TestConvert(t *testing.T) {
	inputs := []string{"json/example.json", "json/PetClinic.json", "json/graphWithBlockedElements.json",
		"graphml/UC01_GW2.graphml", "graphml/Login.graphml", "dot/SimpleGW.dot", "own/names.json"}
	for _, in := range inputs {
		for _, f := range []string{"json", "graphml", "dot", "java"} {
			name := strings.ReplaceAll(strings.TrimSuffix(in, filepath.Ext(in)), "/", "-") + filepath.Ext(in) + "." + f
			t.Run(name, func(t *testing.T) {
				out, errOut, code := runCLI(t, "convert", "-i", td(in), "-f", strings.ToUpper(f))
				if code != 0 || errOut != "" {
					t.Fatalf("exit %d: %s", code, errOut)
				}
				checkGolden(t, "convert-"+name, out)
			})
		}
	}
}

// uuids are the random ids given to elements without one.
var uuids = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}`)

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, filepath.Join(cmdDir, "golden", name), []byte(uuids.ReplaceAllString(got, "<uuid>")))
}

func TestConvertJSONRoundTrip(t *testing.T) {
	// The JSON written for a GraphML file reads back with the same names and
	// a generator only when the input had one.
	out, _, code := runCLI(t, "convert", "-i", td("graphml/UC01_GW2.graphml"))
	if code != 0 {
		t.Fatal(code)
	}
	if strings.Contains(out, `"generator"`) || !strings.Contains(out, `"startElementId":"e0"`) {
		t.Errorf("graphml → json: %s", out)
	}
	out, _, _ = runCLI(t, "convert", "-i", td("json/example.json"))
	if !strings.Contains(out, `"generator":"RandomPath(EdgeCoverage(100))"`) {
		t.Errorf("generator not in GraphWalker's toString form: %s", out)
	}
}

// TestJavaCompiles compiles the Java that convert writes against stubs of
// the GraphWalker classes it uses (skipped without javac).
func TestJavaCompiles(t *testing.T) {
	javac, err := exec.LookPath("javac")
	if err != nil {
		t.Skip("no javac")
	}
	if testing.Short() {
		t.Skip("short")
	}
	stubs, _ := filepath.Glob(td("javastubs/org/graphwalker/core/*/*.java"))
	if len(stubs) == 0 {
		t.Fatal("no stubs")
	}
	// One javac run for all outputs: the JVM start is the slow part.
	dir := t.TempDir()
	args := append([]string{"-encoding", "UTF-8", "-d", filepath.Join(dir, "classes")}, stubs...)
	for _, in := range []string{"graphml/UC01_GW2.graphml", "json/PetClinic.json", "own/names.json", "dot/SimpleGW.dot", "graphml/CorrectModels/modelWithNoStartVertex.graphml"} {
		out, errOut, code := runCLI(t, "convert", "-i", td(in), "-f", "java")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", in, code, errOut)
		}
		m := regexp.MustCompile(`public class (\S+) \{`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("%s: no public class in\n%s", in, out)
		}
		// The class names of these inputs differ: one package holds them all.
		src := filepath.Join(dir, strings.ReplaceAll(in, "/", "_"), m[1]+".java")
		if err := os.MkdirAll(filepath.Dir(src), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(src, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, src)
	}
	if msg, err := exec.Command(javac, args...).CombinedOutput(); err != nil {
		t.Errorf("javac: %v\n%s", err, msg)
	}
}

func TestJavaIdent(t *testing.T) {
	for _, tt := range []struct{ in, fallback, want string }{
		{"v_Start", "", "v_Start"},
		{"v 1", "", "v_1"},
		{"1abc", "", "_1abc"},
		{"class", "", "class_"},
		{"_", "", "__"},
		{"", "v_n0", "v_n0"},
		{"", "", "_x"},
		{"Överblick", "", "Överblick"},
		{"a-b.c", "", "a_b_c"},
		{"$x", "", "$x"},
	} {
		if got := javaIdent(tt.in, tt.fallback); got != tt.want {
			t.Errorf("javaIdent(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	used := map[string]bool{"model": true}
	if a, b, c := uniqueIdent("model", used), uniqueIdent("x", used), uniqueIdent("x", used); a != "model_2" || b != "x" || c != "x_2" {
		t.Errorf("uniqueIdent: %s %s %s", a, b, c)
	}
	if got := javaString("a\"b\\c\nd\x01\u2028é\\u000a"); got != `"a\"b\\c\nd\001`+"\u2028é"+`\\u000a"` {
		t.Errorf("javaString: %s", got)
	}
}

func TestExtension(t *testing.T) {
	for in, want := range map[string]string{"foo.json": "json", "foo..dot": "dot", "foo.a/b": "", "foo.x.JAVA": "JAVA", "foo.": ""} {
		if got := extension(in); got != want {
			t.Errorf("extension(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSourceTemplateMatch(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct{ text, h, b, f string }{
		{"HEADER<{{h}}>HEADER\nb{LABEL}\nFOOTER<{{f}}>FOOTER", "h", "\nb{LABEL}\n", "f"},
		// Greedy: the last markers win, as in Java.
		{"HEADER<{{1}}>HEADER2}}>HEADER3FOOTER<{{4}}>FOOTER5}}>FOOTER", "1}}>HEADER2", "3", "4}}>FOOTER5"},
		{"x\r\nHEADER<{{a\rb}}>HEADER c FOOTER<{{d}}>FOOTER\r\n", "a\nb", " c ", "d"},
		{"HEADER<{{}}>HEADER c FOOTER<{{d}}>FOOTER", "", "", ""}, // an empty part does not match
	} {
		p := filepath.Join(dir, "t")
		if err := os.WriteFile(p, []byte(tt.text), 0o644); err != nil {
			t.Fatal(err)
		}
		h, b, f, err := readSourceTemplate(p, 0)
		if tt.h == "" && err == nil || tt.h != "" && err != nil || h != tt.h || b != tt.b || f != tt.f {
			t.Errorf("%q: got %q %q %q %v", tt.text, h, b, f, err)
		}
	}
	if _, _, _, err := readSourceTemplate(dir, 0); err == nil {
		t.Error("a folder as template: no error")
	}
}

// TestDOTRoundTripKeepsSeededWalks: a model converted to DOT and read back
// walks the same seeded path, with the same element ids, shared-state
// jumps and data (issue 11: DOT dropped ids and shared states).
func TestDOTRoundTripKeepsSeededWalks(t *testing.T) {
	dir := t.TempDir()
	toDOT := func(in string) string {
		out, errOut, code := runCLI(t, "convert", "-i", in, "-f", "DOT")
		if code != 0 {
			t.Fatalf("convert %s: %s", in, errOut)
		}
		p := filepath.Join(dir, strings.TrimSuffix(filepath.Base(in), filepath.Ext(in))+".dot")
		must(t, os.WriteFile(p, []byte(out), 0o644))
		return p
	}
	// What a walk is: the elements, their ids and models, and the data.
	walk := func(args ...string) []string {
		out, errOut, code := runCLI(t, append([]string{"offline", "-o", "--seed", "7"}, args...)...)
		if code != 0 {
			t.Fatalf("offline %v: %s", args, errOut)
		}
		var steps []string
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var s struct {
				ModelName, CurrentElementID, CurrentElementName string
				Data                                            []map[string]string
			}
			if err := json.Unmarshal([]byte(line), &s); err != nil {
				t.Fatal(err)
			}
			steps = append(steps, fmt.Sprint(s))
		}
		return steps
	}
	shared := []string{"Model_A", "Model_B", "Model_C", "Model_D"}
	for _, tt := range []struct {
		name   string
		models []string
		gen    string
	}{
		{"login", []string{"../../examples/models/login.json"}, "random(edge_coverage(100))"},
		{"shared states", shared, "random(edge_coverage(100))"},
		{"weighted", []string{td("json/PetClinic.json")}, "weighted_random(length(200))"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var orig, conv []string
			for _, m := range tt.models {
				if !strings.Contains(m, "/") {
					m = td("graphml/shared_state/" + m + ".graphml")
				}
				orig = append(orig, "-m", m, tt.gen)
				conv = append(conv, "-m", toDOT(m), tt.gen)
			}
			want, got := walk(orig...), walk(conv...)
			if !slices.Equal(got, want) {
				t.Errorf("the walk differs after a DOT round trip:\n got %.600q\nwant %.600q", got, want)
			}
			if len(want) < 10 {
				t.Errorf("only %d steps", len(want))
			}
		})
	}
}

// TestHelp: gw --help lists the commands and says "Options:" once; the
// commands that take generators list them; source documents its template.
func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"offline", "--help"}, {"online", "--help"}, {"check", "--help"}, {"source", "--help"}, {"convert", "-h"}} {
		name := strings.Join(args, " ")
		t.Run(name, func(t *testing.T) {
			out, errOut, code := runCLI(t, args...)
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			checkGolden(t, "help-"+strings.Trim(strings.ReplaceAll(name, " ", "-"), "-")+".txt", out)
			if n := strings.Count(out, "Options:"); n != 1 {
				t.Errorf(`"Options:" %d times`, n)
			}
			switch args[0] {
			case "offline", "online", "check":
				for _, want := range []string{"Generators:      random, weighted_random, quick_random, a_star,", "reached_vertex(NAME)", "time_duration(SECONDS)"} {
					if !strings.Contains(out, want) {
						t.Errorf("lacks %q", want)
					}
				}
			case "source":
				if !strings.Contains(out, "HEADER<{{ ... }}>HEADER") || !strings.Contains(out, "{LABEL}") {
					t.Error("the template syntax is not documented")
				}
			case "--help":
				if lines := strings.Count(out, "\n"); lines > 40 {
					t.Errorf("%d lines", lines)
				}
			}
		})
	}
}
