package cli

import (
	"time"

	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/report"
)

func init() {
	register(&command{
		name:    "offline",
		summary: "Offline means generating a test sequence that can later be run automatically. The sequence is printed to the standard output.",
		options: func() *optionSet {
			s := &optionSet{}
			addModelOptions(s)
			s.add(&option{names: []string{"--gw", "-g"}, kind: optValue, def: "<empty string>", help: "The model, as a single GraphWalker JSON file with generators and start elements (used only when no --model is given)."})
			s.add(&option{names: []string{"--start-element", "-e"}, kind: optValue, def: "<empty string>", help: "Sets the starting element (by name) in the [first] model."})
			s.add(&option{names: []string{"--verbose", "-o"}, kind: optSwitch, def: "false", help: "Will print more details to stdout."})
			s.add(&option{names: []string{"--unvisited", "-u"}, kind: optSwitch, def: "false", help: "Will also print the remaining unvisited elements in the model."})
			s.add(&option{names: []string{"--seed", "-d"}, kind: optValue, def: "0", help: "Seed the random generator using the provided number. Using a seeded number, will generate the same path every time, and the same path as GraphWalker 4.3 for the same model."})
			addRunOptions(s)
			return s
		},
		run: runOffline,
	})
}

func addModelOptions(s *optionSet) {
	s.add(&option{names: []string{"--model", "-m"}, kind: optPair, repeat: true, def: "[]",
		help: "The model(s), as a GRAPHML, JSON or DOT file followed by generator with stop condition. The format is GENERATOR(STOP_CONDITION) (e.g \"random(never)\", \"weighted_random(length(24))\"). This option can occur multiple times. gw also accepts the stop condition edge_pair_coverage(N): N % of the pairs of consecutive edges walked one after the other (gw only; not with quick_random)."})
	s.add(&option{names: []string{"--blocked", "-b"}, kind: optValue, def: "true",
		help: "This option enables or disables the BLOCKED feature. When \"-b true\" gw will filter out any elements with the keyword BLOCKED. When \"-b false\" gw will not filter out elements with the keyword BLOCKED."})
}

// addRunOptions adds gw's own options for walks (not in GraphWalker).
func addRunOptions(s *optionSet) {
	s.add(&option{names: []string{"--script-timeout"}, kind: optValue, def: "2s", help: "How long one guard or action may run before it is interrupted (gw only)."})
	s.add(&option{names: []string{"--no-progress"}, kind: optValue, def: "0", help: "Steps without new coverage after which gw checks whether the walk can still end, and stops it with an error if not; 0 means max(10000, 100 × elements), -1 turns the check off (gw only)."})
}

func runOptions(opts *optionSet) (machine.Options, error) {
	var mo machine.Options
	if o := opts.lookup("--script-timeout"); o.set {
		d, err := parseDuration("--script-timeout", o.value())
		if err != nil {
			return mo, err
		}
		mo.ScriptTimeout = d
	}
	if o := opts.lookup("--no-progress"); o.set {
		n, err := parseInt("--no-progress", o.value())
		if err != nil {
			return mo, err
		}
		mo.NoProgressWindow = n
	}
	return mo, nil
}

func modelArgsFrom(opts *optionSet) (modelArgs, error) {
	a := modelArgs{pairs: opts.lookup("--model").values, blocked: true}
	if o := opts.lookup("--blocked"); o.set {
		b, err := parseBool("-b", o.value())
		if err != nil {
			return a, err
		}
		a.blocked = b
	}
	if o := opts.lookup("--start-element"); o != nil {
		a.startElement = o.value()
	}
	return a, nil
}

func runOffline(env *Env, opts *optionSet) error {
	ma, err := modelArgsFrom(opts)
	if err != nil {
		return err
	}
	mo, err := runOptions(opts)
	if err != nil {
		return err
	}
	if o := opts.lookup("--seed"); o.set {
		seed, err := parseLong("-d", o.value())
		if err != nil {
			return err
		}
		if seed != 0 { // GraphWalker: 0 means "not seeded"
			mo.Seed, mo.HasSeed = seed, true
		}
	}
	so := report.StepOptions{Verbose: opts.lookup("--verbose").set, Unvisited: opts.lookup("--unvisited").set}
	gwFile := opts.lookup("--gw").value()
	var after bool
	var doc *modelDoc
	switch {
	case len(ma.pairs) > 0:
		models, seedDoc, err := loadModels(ma)
		if err != nil {
			return err
		}
		doc = &modelDoc{models, seedDoc.Seed, seedDoc.HasSeed}
	case gwFile != "":
		d, err := readModels(gwFile)
		if err != nil {
			return err
		}
		models := d.Models
		if ma.blocked {
			models = filterAll(models)
		}
		doc = &modelDoc{models, d.Seed, d.HasSeed}
		after = true // GraphWalker prints --gw steps after they execute
	default:
		return nil // GraphWalker prints nothing without models
	}
	if !mo.HasSeed && doc.hasSeed {
		mo.Seed, mo.HasSeed = doc.seed, true
	}
	w := env.Stdout
	var buf []byte
	print := func(s machine.Step) {
		buf = report.AppendStep(buf[:0], s, so)
		buf = append(buf, '\n')
		w.Write(buf)
	}
	if !after {
		mo.Before = print
	}
	m, err := machine.New(doc.models, mo)
	if err != nil {
		return err
	}
	defer m.Close()
	env.Log.Debug("walking", "seed", m.Seed())
	return walk(m, after, print)
}

type modelDoc struct {
	models  []*model.Model
	seed    int64
	hasSeed bool
}

func walk(m *machine.Machine, after bool, print func(machine.Step)) error {
	for {
		more, err := m.HasNext()
		if err != nil {
			return err
		}
		if !more {
			return nil
		}
		s, err := m.Next()
		if err != nil {
			return err
		}
		if after {
			print(s)
		}
	}
}

func filterAll(models []*model.Model) []*model.Model {
	out := make([]*model.Model, len(models))
	for i, m := range models {
		out[i] = model.FilterBlocked(m)
	}
	return out
}

func parseDuration(name, v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, usagef("\"%s\": couldn't convert \"%s\" to a duration (write e.g. 500ms or 2s)", name, v)
	}
	return d, nil
}
