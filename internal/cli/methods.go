package cli

import (
	"strings"

	"github.com/gw-project/gw/internal/javastr"
	"github.com/gw-project/gw/internal/model"
)

func init() {
	register(&command{
		name:    "methods",
		summary: "Generates a list of unique names of vertices and edges in the model.",
		options: listOptions,
		run: func(env *Env, opts *optionSet) error {
			models, err := readModelFiles(opts)
			if err != nil {
				return err
			}
			var names []string
			for _, m := range models {
				names = appendElementNames(names, m)
			}
			return printLines(env, javastr.SortedSet(names))
		},
	})
}

// listOptions are the options of methods and requirements: --model takes
// one value there (a file, no generator).
func listOptions() *optionSet {
	s := &optionSet{}
	s.add(&option{names: []string{"--model", "-m"}, kind: optValue, repeat: true, required: true, def: "[]",
		help: "The model(s), as a GRAPHML, JSON or DOT file. This option can occur multiple times."})
	s.add(blockedOption())
	addFileSizeOption(s)
	return s
}

func blockedOption() *option {
	return &option{names: []string{"--blocked", "-b"}, kind: optValue, def: "true",
		help: "This option enables or disables the BLOCKED feature. When \"-b true\" gw will filter out any elements with the keyword BLOCKED. When \"-b false\" gw will not filter out elements with the keyword BLOCKED."}
}

// blockedFrom reads --blocked (default true).
func blockedFrom(opts *optionSet) (bool, error) {
	o := opts.lookup("--blocked")
	if o == nil || !o.set {
		return true, nil
	}
	return parseBool("-b", o.value())
}

// readModelFiles reads every --model file as GraphWalker's methods and
// requirements do: no generator, no start element, files without models
// are fine; then the BLOCKED filter.
func readModelFiles(opts *optionSet) ([]*model.Model, error) {
	blocked, err := blockedFrom(opts)
	if err != nil {
		return nil, err
	}
	max, err := maxFileSize(opts)
	if err != nil {
		return nil, err
	}
	var models []*model.Model
	for _, v := range opts.lookup("--model").values {
		doc, err := readModels(v[0], max)
		if err != nil {
			return nil, err
		}
		models = append(models, doc.Models...)
	}
	if blocked {
		models = filterAll(models)
	}
	return models, nil
}

func printLines(env *Env, lines []string) error {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	_, err := env.Stdout.Write([]byte(b.String()))
	return err
}

// appendElementNames appends the names of m's vertices, then of its edges,
// leaving out the unnamed ones.
func appendElementNames(names []string, m *model.Model) []string {
	for _, v := range m.Vertices {
		if v.Name != "" {
			names = append(names, v.Name)
		}
	}
	for _, e := range m.Edges {
		if e.Name != "" {
			names = append(names, e.Name)
		}
	}
	return names
}
