package cli

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/gw-project/gw/internal/inputfile"
	"github.com/gw-project/gw/internal/javastr"
)

func init() {
	register(&command{
		name:    "source",
		summary: "Will generate source code using the provided model and a template.",
		epilog: `  The template has three parts, each non-empty:
    HEADER<{{ ... }}>HEADER  printed once per model, first
    the body                 printed once per unique vertex and edge name
                             (sorted), with every {LABEL} replaced by the name
    FOOTER<{{ ... }}>FOOTER  printed once per model, last
  Each part is followed by a newline. For example:
    HEADER<{{
    class Login:}}>HEADER
        def {LABEL}(self):
            print("{LABEL}")
    FOOTER<{{
    # end of Login}}>FOOTER

  Example (examples/templates/python.template is a working template):
    gw source -i examples/models/login.json examples/templates/python.template
`,
		options: func() *optionSet {
			s := &optionSet{}
			s.add(blockedOption())
			s.add(&option{names: []string{"--input", "-i"}, kind: optPair, repeat: true, required: true, def: "[]",
				help: "The input model file, and an input template file."})
			addFileSizeOption(s)
			return s
		},
		run: runSource,
	})
}

// sourceTemplate is GraphWalker's pattern, greedy across lines:
// HEADER<{{header}}>HEADER body FOOTER<{{footer}}>FOOTER. Go's regexp picks
// the same submatches as Java's backtracking matcher.
var sourceTemplate = regexp.MustCompile(`(?s)HEADER<\{\{(.+)\}\}>HEADER(.+)FOOTER<\{\{(.+)\}\}>FOOTER`)

// runSource prints, per model, the template's header, its body once per
// unique element name (sorted) with {LABEL} replaced by the name, and its
// footer, each followed by a newline.
func runSource(env *Env, opts *optionSet) error {
	blocked, err := blockedFrom(opts)
	if err != nil {
		return err
	}
	max, err := maxFileSize(opts)
	if err != nil {
		return err
	}
	in := opts.lookup("--input").values[0] // GraphWalker uses the first pair
	modelFile, templateFile := in[0], in[1]
	doc, err := readModels(modelFile, max)
	if err != nil {
		return err
	}
	models := doc.Models
	if len(models) == 0 {
		return fmt.Errorf("No valid models found in: '%s'.", modelFile)
	}
	if blocked {
		models = filterAll(models)
	}
	header, body, footer, err := readSourceTemplate(templateFile, max)
	if err != nil {
		return err
	}
	var b strings.Builder
	for _, m := range models {
		b.WriteString(header + "\n")
		for _, name := range javastr.SortedSet(appendElementNames(nil, m)) {
			// GraphWalker's replaceAll would read '$' and '\' in a name as
			// group references; gw inserts the name as it is.
			b.WriteString(strings.ReplaceAll(body, "{LABEL}", name) + "\n")
		}
		b.WriteString(footer + "\n")
	}
	_, err = env.Stdout.Write([]byte(b.String()))
	return err
}

// readSourceTemplate reads the template as GraphWalker does (line by line,
// each line ended by "\n") and splits it. A template that does not match
// is an error (GraphWalker prints three empty lines per model and exits 0).
func readSourceTemplate(path string, max int64) (header, body, footer string, err error) {
	data, err := inputfile.Read(path, max)
	if err != nil {
		return "", "", "", fmt.Errorf("Could not read the file: '%s'. (%s)", path, pathError(path, err))
	}
	header, body, footer, ok := splitTemplate(string(data))
	if !ok {
		return "", "", "", fmt.Errorf("The template '%s' %s; a template is HEADER<{{ header }}>HEADER, then the body, with {LABEL} where each name goes, then FOOTER<{{ footer }}>FOOTER (see gw source --help)", path, templateProblem(string(data)))
	}
	return header, body, footer, nil
}

// templateProblem says why text does not match sourceTemplate.
func templateProblem(text string) string {
	var missing []string
	for _, marker := range []string{"HEADER<{{", "}}>HEADER", "FOOTER<{{", "}}>FOOTER"} {
		if !strings.Contains(text, marker) {
			missing = append(missing, marker)
		}
	}
	if len(missing) > 0 {
		return "lacks " + strings.Join(missing, ", ")
	}
	return "has its parts out of order or one of them empty"
}

// splitTemplate splits a template's text as GraphWalker does: it reads
// the text line by line (a line ends at "\n", "\r\n" or "\r") and ends
// each line with "\n", then matches sourceTemplate.
func splitTemplate(text string) (header, body, footer string, ok bool) {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	if text != "" && !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	m := sourceTemplate.FindStringSubmatch(text)
	if m == nil {
		return "", "", "", false
	}
	return m[1], m[2], m[3], true
}
