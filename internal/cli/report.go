package cli

import (
	"fmt"
	"io"

	"github.com/gw-project/gw/internal/runreport"
)

func init() {
	register(&command{
		name:    "report",
		summary: "Reports on run records (written by --record): an HTML page, JUnit XML for CI servers, a Markdown summary; several records merge their coverage. Without --html, --junit or --markdown it prints the Markdown summary (gw only).",
		options: func() *optionSet {
			s := &optionSet{mainParam: "RECORD..."}
			s.add(&option{names: []string{"--html"}, kind: optValue, def: "<none>", help: "Write one self-contained HTML page (no external assets): each model drawn and coloured by visit count, statistics, requirements, failures with the steps and data before them, a timeline, the replay command."})
			s.add(&option{names: []string{"--junit"}, kind: optValue, def: "<none>", help: "Write JUnit XML (Jenkins, GitLab, GitHub test reporters): a testsuite per model, a testcase per requirement and one for the model's walk."})
			s.add(&option{names: []string{"--markdown"}, kind: optValue, def: "<none>", help: "Write a Markdown summary, e.g. to $GITHUB_STEP_SUMMARY; - is the standard output."})
			addFileSizeOption(s)
			return s
		},
		run: runReport,
	})
}

func runReport(env *Env, opts *optionSet) error {
	if len(opts.args) == 0 {
		return usagef("gw report needs at least one run record (a .jsonl file written by --record), e.g. gw report --html report.html records/*.jsonl")
	}
	ro, err := recordReading(opts)
	if err != nil {
		return err
	}
	var runs []*runreport.Run
	for _, file := range opts.args {
		run, err := runreport.SummarizeWith(file, ro)
		if err != nil {
			return fmt.Errorf("Could not read the run record: %w", err)
		}
		if run.Torn {
			env.Log.Warn("the record's last line was cut short (the recording process was killed); reporting what it has", "file", file)
		}
		runs = append(runs, run)
	}
	outputs := []struct {
		flag  string
		write func(io.Writer, []*runreport.Run) error
	}{
		{"--html", func(w io.Writer, r []*runreport.Run) error {
			return runreport.HTML(w, r, runreport.HTMLOptions{})
		}},
		{"--junit", runreport.JUnit},
		{"--markdown", runreport.Markdown},
	}
	wrote := false
	for _, o := range outputs {
		opt := opts.lookup(o.flag)
		if !opt.set {
			continue
		}
		wrote = true
		if err := writeOutput(env, opt.value(), func(w io.Writer) error { return o.write(w, runs) }); err != nil {
			return err
		}
	}
	if !wrote {
		return runreport.Markdown(env.Stdout, runs)
	}
	return nil
}
