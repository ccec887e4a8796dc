package cli

import (
	"github.com/gw-project/gw/internal/checker"
)

func init() {
	register(&command{
		name:    "check",
		summary: "Check and analyze model(s) for issues.",
		epilog: generatorHelp + `
  Example:
    gw check -m examples/models/login.json "random(edge_coverage(100))"
`,
		options: func() *optionSet {
			s := &optionSet{}
			addModelOptions(s)
			s.add(&option{names: []string{"--verbose", "-o"}, kind: optSwitch, def: "false",
				help: "Will also print which model and element each of GraphWalker's issues is about (gw only)."})
			return s
		},
		run: runCheck,
	})
}

// runCheck prints GraphWalker's issues, then gw's own (unreachable
// elements, stop conditions that cannot be met), one per line, and exits 1
// if there is any — as GraphWalker 4.3.3 does.
func runCheck(env *Env, opts *optionSet) error {
	ma, err := modelArgsFrom(opts)
	if err != nil {
		return err
	}
	if len(ma.pairs) == 0 {
		// GraphWalker says "No issues found with the model(s)." and exits 0.
		return usagef("No model given: gw check needs --model FILE GENERATOR, e.g. --model %s \"random(edge_coverage(100))\"", exampleModel)
	}
	models, _, err := loadModels(ma)
	if err != nil {
		return err
	}
	issues, err := checker.Check(models)
	if err != nil {
		return err
	}
	w := env.Stdout
	if len(issues) == 0 {
		_, err := w.Write([]byte(checker.MsgNoIssues + "\n"))
		return err
	}
	verbose := opts.lookup("--verbose").set
	for _, i := range issues {
		line := i.String()
		// gw's own issues name their model and element already.
		if where := i.Where(); verbose && !i.Own && where != "" {
			line = where + ": " + line
		}
		if _, err := w.Write([]byte(line + "\n")); err != nil {
			return err
		}
	}
	return &exitError{code: 1}
}
