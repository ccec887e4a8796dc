package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/gw-project/gw/internal/suite"
)

func init() {
	register(&command{
		name:    "suite",
		summary: "Plans a test suite: short test cases, each from the start element, that together cover every edge, vertex, requirement or pair of consecutive edges (gw only).",
		options: suiteOptions,
		run:     runSuite,
	})
}

func suiteOptions() *optionSet {
	s := &optionSet{}
	s.add(&option{names: []string{"--model", "-m"}, kind: optValue, repeat: true, required: true, def: "[]",
		help: "The model(s), as a GRAPHML, JSON or DOT file (no generator: the suite plans the paths). Models joined by shared states are planned as one. This option can occur multiple times."})
	s.add(blockedOption())
	s.add(&option{names: []string{"--start-element", "-e"}, kind: optValue, def: "<empty string>", help: "Sets the starting element (by name) in the [first] model."})
	s.add(&option{names: []string{"--cover", "-c"}, kind: optValue, def: "edges",
		help: "What the cases together cover: edges, vertices, requirements, or edge-pairs (every pair of consecutive edges: 2-switch coverage)."})
	s.add(&option{names: []string{"--minimize"}, kind: optValue, def: "steps",
		help: "steps: the fewest steps in all (plus --reset-cost per case); cases: the fewest cases, then the fewest steps. Exact for edges and edge-pairs without --max-length; otherwise a heuristic, and the summary gives the lower bound."})
	s.add(&option{names: []string{"--reset-cost"}, kind: optValue, def: "0",
		help: "What starting a case costs beyond its steps, in steps (resetting the system under test)."})
	s.add(&option{names: []string{"--max-length"}, kind: optValue, def: "0",
		help: "The most steps a case may have, its start element included; 0: no limit."})
	s.add(&option{names: []string{"--format", "-f"}, kind: optValue, def: "jsonl",
		help: "jsonl: one case per line (its steps as gw offline prints them, its length, what it covers); gw: a GraphWalker JSON file with a model copy per case that walks it with predefined_path(predefined_path); altwalker: the step list altwalker walk reads; markdown: a table."})
	s.add(&option{names: []string{"--output", "-o"}, kind: optValue, def: "<stdout>",
		help: "A folder to write to instead of stdout: suite.jsonl, suite.md, or for gw and altwalker suite.json (every case, one after another) and case-001.json... (one case each)."})
	s.add(&option{names: []string{"--max-pairs"}, kind: optValue, def: "1000000",
		help: "The most pairs of consecutive edges --cover edge-pairs plans (a vertex with many edges in and out has in × out pairs)."})
	s.add(&option{names: []string{"--verbose"}, kind: optSwitch, def: "false", help: "Print the steps as gw offline --verbose does (jsonl)."})
	s.add(&option{names: []string{"--script-timeout"}, kind: optValue, def: "2s", help: "How long one guard or action may run before it is interrupted."})
	return s
}

func runSuite(env *Env, opts *optionSet) error {
	ma := modelArgs{blocked: true}
	for _, v := range opts.lookup("--model").values {
		ma.pairs = append(ma.pairs, []string{v[0], ""})
	}
	b, err := blockedFrom(opts)
	if err != nil {
		return err
	}
	ma.blocked = b
	ma.startElement = opts.lookup("--start-element").value()
	var o suite.Options
	if v := opts.lookup("--cover"); v.set {
		if o.Cover, err = suite.ParseCover(v.value()); err != nil {
			return usagef("--cover: %v", err)
		}
	}
	switch v := opts.lookup("--minimize").value(); strings.ToLower(v) {
	case "", "steps":
	case "cases":
		o.MinimizeCases = true
	default:
		return usagef("--minimize: %q is not steps or cases", v)
	}
	if o.ResetCost, err = nonNegative(opts, "--reset-cost", 1<<20); err != nil {
		return err
	}
	if o.MaxLength, err = nonNegative(opts, "--max-length", 1<<30); err != nil {
		return err
	}
	if o.MaxPairs, err = nonNegative(opts, "--max-pairs", 1<<30); err != nil {
		return err
	}
	if v := opts.lookup("--script-timeout"); v.set {
		if o.Script.Timeout, err = parseDuration("--script-timeout", v.value()); err != nil {
			return err
		}
	}
	o.Verbose = opts.lookup("--verbose").set
	format := strings.ToLower(opts.lookup("--format").value())
	switch format {
	case "":
		format = "jsonl"
	case "jsonl", "gw", "altwalker", "markdown":
	default:
		return usagef("--format: %q is not jsonl, gw, altwalker or markdown", format)
	}

	models, _, err := loadModels(ma)
	if err != nil {
		return err
	}
	for _, m := range models {
		if err := m.Index(); err != nil {
			return err
		}
	}
	s, err := suite.Plan(models, o)
	if err != nil {
		return err
	}
	if dir := opts.lookup("--output"); dir.set {
		err = writeSuiteFiles(s, format, dir.value())
	} else {
		err = writeSuite(env.Stdout, s, format, nil)
	}
	if err != nil {
		return err
	}
	if f, ok := env.Stdout.(interface{ Flush() error }); ok {
		f.Flush()
	}
	if err := s.WriteSummary(env.Stderr); err != nil {
		return err
	}
	if len(s.Missed) > 0 {
		return &exitError{code: 1}
	}
	return nil
}

func nonNegative(opts *optionSet, name string, limit int) (int, error) {
	o := opts.lookup(name)
	if !o.set {
		return 0, nil
	}
	n, err := parseInt(name, o.value())
	if err != nil {
		return 0, err
	}
	if n < 0 || n > limit {
		return 0, usagef("%s: %d is out of range (0 to %d)", name, n, limit)
	}
	return n, nil
}

// writeSuite writes the suite, or only some cases (gw and altwalker).
func writeSuite(w io.Writer, s *suite.Suite, format string, cases []int) error {
	switch format {
	case "gw":
		return s.WriteGraphWalker(w, cases)
	case "altwalker":
		return s.WriteAltWalker(w, cases)
	case "markdown":
		return s.WriteMarkdown(w)
	}
	return s.WriteJSONL(w)
}

// writeSuiteFiles writes the suite into folder dir (made if missing).
func writeSuiteFiles(s *suite.Suite, format, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("Could not create the output folder: %s", pathError(dir, err))
	}
	write := func(name string, cases []int) error {
		var b bytes.Buffer
		if err := writeSuite(&b, s, format, cases); err != nil {
			return err
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			return fmt.Errorf("Could not write the file: %s", pathError(path, err))
		}
		return nil
	}
	switch format {
	case "jsonl":
		return write("suite.jsonl", nil)
	case "markdown":
		return write("suite.md", nil)
	}
	if err := write("suite.json", nil); err != nil {
		return err
	}
	for i := range s.Cases {
		if err := write(s.CaseName(i)+".json", []int{i}); err != nil {
			return err
		}
	}
	return nil
}
