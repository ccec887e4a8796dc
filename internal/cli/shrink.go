package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/record"
	"github.com/gw-project/gw/internal/shrink"
)

func init() {
	register(&command{
		name:    "shrink",
		summary: "Finds the shortest walk from the start that reaches the element where a recorded run failed, running the real guards and actions, and writes it as a run record (for gw replay) and as a model with a predefined path (for any GraphWalker client) (gw only).",
		options: func() *optionSet {
			s := &optionSet{mainParam: "RECORD"}
			s.add(&option{names: []string{"--output", "-o"}, kind: optValue, def: "RECORD.shrunk.jsonl", help: "The shrunk run record; the model is written beside it, FILE without .jsonl plus .model.json."})
			s.add(&option{names: []string{"--max-states"}, kind: optValue, def: fmt.Sprint(shrink.DefaultMaxStates), help: "Most states (place, data, setData calls made) the search explores before it settles for the failing walk with its loops cut out."})
			s.add(&option{names: []string{"--max-time"}, kind: optValue, def: shrink.DefaultMaxTime.String(), help: "Longest time the search runs (e.g. 30s, 5m)."})
			addRunOptions(s)
			addFileSizeOption(s)
			return s
		},
		run: runShrink,
	})
}

func runShrink(env *Env, opts *optionSet) error {
	file, err := oneRecord(opts, "shrink")
	if err != nil {
		return err
	}
	mo, err := runOptions(opts)
	if err != nil {
		return err
	}
	so := shrink.Options{Machine: mo}
	if o := opts.lookup("--max-states"); o.set {
		n, err := parseInt("--max-states", o.value())
		if err != nil {
			return err
		}
		if n < 1 {
			return usagef("--max-states must be at least 1")
		}
		so.MaxStates = n
	}
	if o := opts.lookup("--max-time"); o.set {
		d, err := parseDuration("--max-time", o.value())
		if err != nil {
			return err
		}
		so.MaxTime = d
	}
	out := strings.TrimSuffix(file, ".jsonl") + ".shrunk.jsonl"
	if o := opts.lookup("--output"); o.set {
		out = o.value()
	}
	modelFile := strings.TrimSuffix(out, ".jsonl") + ".model.json"
	rec, err := readRecord(opts, file)
	if err != nil {
		return err
	}
	res, err := shrink.Shrink(rec, so)
	if err != nil {
		return err
	}
	if err := shrink.WriteRecord(rec, res, out, mo, Version); err != nil {
		return err
	}
	models, err := shrink.Models(rec, res)
	if err != nil {
		return err
	}
	if err := writeOutput(env, modelFile, func(w io.Writer) error { return gwjson.Write(w, models, gwjson.WriteOptions{}) }); err != nil {
		return err
	}
	w := env.Stdout
	proof := "proven shortest"
	if !res.Proven {
		proof = "not proven shortest: " + res.Why
	}
	fmt.Fprintf(w, "%s steps → %s steps (%s; %s states in %v)\n", num(res.Failure.Steps), num(len(res.Path)), proof, num(res.States), res.Elapsed.Round(time.Millisecond))
	f := res.Failure
	where := fmt.Sprintf("%s in model %q", rec.Models[f.Target.Model].Describe(f.Target.Element), rec.Models[f.Target.Model].Name)
	switch {
	case f.Kind == "fail":
		fmt.Fprintf(w, "failure: the test's fail after step %s, at %s: %s\n  (gw cannot tell whether your test fails on the shrunk walk: replay it)\n", num(f.N), where, f.Text)
	case res.Reproduced:
		fmt.Fprintf(w, "failure: error at %s, which happens again at the end of the shrunk walk:\n  %s\n", where, f.Text)
	default:
		fmt.Fprintf(w, "failure: error at %s:\n  %s\n  (the shrunk walk reaches it; whether the error happens again there depends on more than the walk)\n", where, f.Text)
	}
	for _, sd := range res.SetData {
		fmt.Fprintf(w, "setData kept: %s after step %s (after step %s in the failing run)\n", sd.Text, num(sd.After), num(sd.Was))
	}
	if len(res.Missing) > 0 {
		fmt.Fprintf(w, "The shrunk walk does not make these setData calls of the failing run; the failure may depend on them:\n")
		for _, l := range res.Missing {
			fmt.Fprintf(w, "  after step %s: %s\n", num(l.N), l.Text)
		}
	}
	fmt.Fprintf(w, "walk: %s\n", walkNames(rec, res))
	fmt.Fprintf(w, "record: %s (gw replay %s)\n", out, out)
	fmt.Fprintf(w, "model:  %s (gw offline -m %s \"predefined_path(predefined_path)\")\n", modelFile, modelFile)
	if crossesModels(res) {
		fmt.Fprintf(w, "  The walk jumps between models at shared states; GraphWalker chooses those jumps at random, so only gw replay follows it exactly.\n")
	}
	return nil
}

func walkNames(rec *record.Record, res *shrink.Result) string {
	var parts []string
	for i, l := range res.Path {
		if i == 40 && len(res.Path) > 50 {
			parts = append(parts, fmt.Sprintf("… (%d more)", len(res.Path)-40))
			break
		}
		m := rec.Models[l.Model]
		name := m.ElementName(l.Element)
		if name == "" {
			name = "(" + m.ElementID(l.Element) + ")"
		}
		if len(rec.Models) > 1 {
			name = m.Name + "." + name
		}
		parts = append(parts, name)
	}
	return strings.Join(parts, " ")
}

func crossesModels(res *shrink.Result) bool {
	for _, l := range res.Path {
		if l.Model != res.Path[0].Model {
			return true
		}
	}
	return false
}

// num writes an integer with thousands separators: 4,812.
func num(n int) string {
	if n < 0 {
		return "-" + num(-n)
	}
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
