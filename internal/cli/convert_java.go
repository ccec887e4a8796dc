package cli

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gw-project/gw/internal/model"
)

// javaTemplate is GraphWalker's JavaContextFactory template: a program
// that rebuilds the model with GraphWalker's API and walks it with
// random(edge_coverage(100)).
var javaTemplate = strings.Join([]string{
	"import org.graphwalker.core.condition.*;",
	"import org.graphwalker.core.generator.*;",
	"import org.graphwalker.core.machine.*;",
	"import org.graphwalker.core.model.*;",
	"",
	"public class {CLASS_NAME} {",
	"",
	"  public final class ModelTestContext extends ExecutionContext {",
	"  }",
	"",
	"  public static void main(String... aArgs) {",
	"    {CLASS_NAME} modeltest = new {CLASS_NAME}();",
	"    modeltest.run();",
	"  }",
	"",
	"  private void run() {",
	"    {ADD_VERTICES}",
	"",
	"    Model model = new Model();",
	"    {ADD_EDGES}",
	"",
	"    Context context = new ModelTestContext();",
	"    context.setModel(model.build()).setPathGenerator(new RandomPath(new EdgeCoverage(100)));",
	"    {SET_START}",
	"",
	"    Machine machine = new SimpleMachine(context);",
	"    while (machine.hasNextStep()) {",
	"      machine.getNextStep();",
	"      System.out.println(context.getCurrentElement().getName());",
	"    }",
	"  }",
	"}"}, "\n")

const javaImports = "import org.graphwalker.core.condition.*;\nimport org.graphwalker.core.generator.*;\nimport org.graphwalker.core.machine.*;\nimport org.graphwalker.core.model.*;\n\n"

// writeJava writes GraphWalker's `convert --format java` output. It is
// byte for byte GraphWalker's when names are valid Java identifiers; where
// GraphWalker would write code that does not compile, gw makes it compile:
// names become identifiers (invalid characters to '_', keywords and
// clashes get a suffix), strings are escaped, unnamed elements get no
// setName("null"), an unnamed start element is looked up by id, and
// further models become further (non-public) classes of the same file.
func writeJava(w io.Writer, models []*model.Model) error {
	var b strings.Builder
	classes := map[string]bool{}
	for _, t := range javaTypesUsed {
		classes[t] = true
	}
	for i, m := range models {
		if m == nil {
			return fmt.Errorf("java: model %d is missing", i)
		}
		class := uniqueIdent(javaIdent(m.Name, "Model"), classes)
		t := javaTemplate
		if i > 0 {
			t = strings.TrimPrefix(t, javaImports)
			t = "\n\n" + strings.Replace(t, "public class", "class", 1)
		}

		// Locals of run() that a vertex variable must not hide.
		used := map[string]bool{"model": true, "context": true, "machine": true, "System": true}
		vars := make(map[*model.Vertex]string, len(m.Vertices))
		var vs strings.Builder
		for j, v := range m.Vertices {
			id := v.ID
			if id == "" {
				id = "n" + strconv.Itoa(j)
			}
			name := uniqueIdent(javaIdent(v.Name, "v_"+id), used)
			vars[v] = name
			vs.WriteString("Vertex " + name + " = new Vertex()")
			if v.Name != "" {
				vs.WriteString(".setName(" + javaString(v.Name) + ")")
			}
			vs.WriteString(".setId(" + javaString(id) + ");\n")
		}

		var es strings.Builder
		for j, e := range m.Edges {
			id := e.ID
			if id == "" {
				id = "n" + strconv.Itoa(j)
			}
			es.WriteString("model.addEdge( new Edge()")
			if name, ok := vars[e.Source]; ok {
				es.WriteString(".setSourceVertex(" + name + ")")
			}
			if name, ok := vars[e.Target]; ok {
				es.WriteString(".setTargetVertex(" + name + ")")
			}
			if e.Name != "" {
				es.WriteString(".setName(" + javaString(e.Name) + ")")
			}
			es.WriteString(".setId(" + javaString(id) + ")")
			if e.Guard != "" {
				es.WriteString(".setGuard(new Guard(" + javaString(e.Guard) + "))")
			}
			for _, a := range e.Actions {
				es.WriteString(".addAction(new Action(" + javaString(a) + "))")
			}
			es.WriteString(");\n")
		}
		// One pass, so that names containing a placeholder stay as they are.
		strings.NewReplacer("{CLASS_NAME}", class, "{ADD_VERTICES}", vs.String(),
			"{ADD_EDGES}", es.String(), "{SET_START}", javaStart(m)).WriteString(&b, t)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// javaStart sets the start element as GraphWalker does (the first element
// with its name), or by id when that would pick another element.
func javaStart(m *model.Model) string {
	start := m.StartElement()
	if start == model.None {
		return "// The model has no start element: set one with context.setNextElement(...) before walking."
	}
	if name := m.ElementName(start); name != "" && m.ElementsNamed(name)[0] == start {
		return "context.setNextElement(context.getModel().findElements(" + javaString(name) + ").get(0));"
	}
	return "context.setNextElement(context.getModel().getElementById(" + javaString(m.ElementID(start)) + "));"
}

// javaTypesUsed are the simple type names the program uses; its class
// must not hide them.
var javaTypesUsed = []string{"Vertex", "Edge", "Model", "Guard", "Action", "Context", "ExecutionContext",
	"RandomPath", "EdgeCoverage", "Machine", "SimpleMachine", "System", "String", "ModelTestContext"}

var javaReserved = map[string]bool{}

func init() {
	for _, k := range strings.Fields(`abstract assert boolean break byte case catch char class const continue
		default do double else enum extends final finally float for goto if implements import instanceof int
		interface long native new package private protected public return short static strictfp super switch
		synchronized this throw throws transient try void volatile while true false null _ var yield record
		sealed permits`) {
		javaReserved[k] = true
	}
}

// javaIdent turns s into a Java identifier: characters other than
// letters, digits, '_' and '$' become '_'; a leading digit gets a '_'
// before it, a keyword one after it. Empty s gives fallback, itself made
// an identifier.
func javaIdent(s, fallback string) string {
	if s == "" {
		if fallback == "" {
			return "_x"
		}
		return javaIdent(fallback, "")
	}
	var b strings.Builder
	for _, r := range s {
		if r == '_' || r == '$' || unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	id := b.String()
	if r, _ := utf8.DecodeRuneInString(id); unicode.IsDigit(r) {
		id = "_" + id
	}
	if javaReserved[id] {
		id += "_"
	}
	return id
}

// uniqueIdent returns id, or id_2, id_3, ... the first not in used, and
// marks it used.
func uniqueIdent(id string, used map[string]bool) string {
	out := id
	for n := 2; used[out]; n++ {
		out = id + "_" + strconv.Itoa(n)
	}
	used[out] = true
	return out
}

// javaString is s as a Java string literal. Control characters are
// written as octal escapes, never \u escapes: javac turns \u000a into a
// line break before it reads the literal.
func javaString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			if r < 0x20 || r == 0x7f {
				fmt.Fprintf(&b, `\%03o`, r)
			} else {
				b.WriteRune(r) // invalid UTF-8 becomes U+FFFD
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}
