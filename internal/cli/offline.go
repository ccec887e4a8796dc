package cli

import (
	"bytes"
	"strconv"
	"time"

	"github.com/gw-project/gw/internal/limits"
	"github.com/gw-project/gw/internal/script"

	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/record"
	"github.com/gw-project/gw/internal/report"
	"github.com/gw-project/gw/internal/server/rest"
)

func init() {
	register(&command{
		name:    "offline",
		summary: "Offline means generating a test sequence that can later be run automatically. The sequence is printed to the standard output.",
		epilog: generatorHelp + `
  Example:
    gw offline --seed 42 -m examples/models/login.json "random(edge_coverage(100))"
`,
		options: func() *optionSet {
			s := &optionSet{}
			addModelOptions(s)
			s.add(&option{names: []string{"--gw", "-g"}, kind: optValue, def: "<empty string>", help: "The model, as a single GraphWalker JSON file with generators and start elements (used only when no --model is given)."})
			s.add(&option{names: []string{"--start-element", "-e"}, kind: optValue, def: "<empty string>", help: "Sets the starting element (by name) in the [first] model."})
			s.add(&option{names: []string{"--verbose", "-o"}, kind: optSwitch, def: "false", help: "Will print more details to stdout."})
			s.add(&option{names: []string{"--unvisited", "-u"}, kind: optSwitch, def: "false", help: "Will also print the remaining unvisited elements in the model."})
			s.add(&option{names: []string{"--statistics"}, kind: optSwitch, def: "false", help: "Print no path, only the statistics at the end of the walk: GraphWalker's getStatistics object with totalNumberOfSteps (gw only)."})
			s.add(&option{names: []string{"--quiet", "-q"}, kind: optSwitch, def: "false", help: "Show no progress on stderr (gw shows it, with a summary line at the end, only when stderr is a terminal) (gw only)."})
			s.add(&option{names: []string{"--seed", "-d"}, kind: optValue, def: "0", help: "Seed the random generator using the provided number. Using a seeded number, will generate the same path every time, and the same path as GraphWalker 4.3 for the same model. 0, the default, means not seeded: the model file's \"seed\" if it has one, else a random seed (shown with gw -d DEBUG)."})
			addRunOptions(s)
			addRecordOptions(s)
			return s
		},
		run: runOffline,
	})
}

// exampleModel is the model the messages and the README use as an example.
const exampleModel = "examples/models/login.json"

// generatorHelp ends the --help of the commands that take generators.
const generatorHelp = `  GENERATOR(STOP_CONDITION), e.g. "random(edge_coverage(100))":
    Generators:      random, weighted_random, quick_random, a_star,
                     shortest_all_paths, predefined_path
    Stop conditions: edge_coverage(N), vertex_coverage(N),
                     requirement_coverage(N), dependency_edge_coverage(N),
                     reached_vertex(NAME), reached_edge(NAME),
                     reached_shared_state(NAME), length(N),
                     time_duration(SECONDS), never, predefined_path
    Combine stop conditions with and/&&, or/|| and parentheses; write several
    generators one after another to run them in sequence:
      "random(length(10)) a_star(reached_vertex(v_Cart))"
`

func addModelOptions(s *optionSet) {
	s.add(&option{names: []string{"--model", "-m"}, kind: optPair, repeat: true, def: "[]",
		help: "The model(s), as a GRAPHML, JSON or DOT file followed by generator with stop condition. The format is GENERATOR(STOP_CONDITION) (e.g \"random(never)\", \"weighted_random(length(24))\"). This option can occur multiple times. gw also accepts the stop condition edge_pair_coverage(N): N % of the pairs of consecutive edges walked one after the other (gw only; not with quick_random)."})
	s.add(&option{names: []string{"--blocked", "-b"}, kind: optValue, def: "true",
		help: "This option enables or disables the BLOCKED feature. When \"-b true\" gw will filter out any elements with the keyword BLOCKED. When \"-b false\" gw will not filter out elements with the keyword BLOCKED."})
	addFileSizeOption(s)
}

// addRunOptions adds gw's own options for walks (not in GraphWalker).
func addRunOptions(s *optionSet) {
	s.add(&option{names: []string{"--script-timeout"}, kind: optValue, def: "2s", help: "One deadline per step: how long the guards, actions and data display of one step (or one setData script, one data listing) may run together before they are interrupted (gw only)."})
	s.add(&option{names: []string{"--script-memory"}, kind: optValue, def: "64MiB", help: "How much memory one step's JavaScript may allocate; it also bounds the longest string and array a built-in function may build in one call (size/64). A script over it ends its session's machine (gw only)."})
	s.add(&option{names: []string{"--max-script-size"}, kind: optValue, def: "1MiB", help: "Largest guard, action or setData script (gw only)."})
	s.add(&option{names: []string{"--max-script-depth"}, kind: optValue, def: "1000", help: "How deeply one script may nest brackets, operators and statements (gw only)."})
	s.add(&option{names: []string{"--max-data-size"}, kind: optValue, def: "1MiB", help: "Largest display of one data variable (getData, verbose lines, visitedElement) (gw only)."})
	s.add(&option{names: []string{"--memory-budget"}, kind: optValue, def: "half of RAM", help: "Memory the whole process may use: the garbage collector's target, the ceiling above which new sessions and models are refused and the most growing session's JavaScript is stopped (gw only)."})
	s.add(&option{names: []string{"--stall-steps"}, aliases: []string{"--no-progress"}, kind: optValue, def: "0", help: "Steps without new coverage after which gw checks whether the walk can still end, and stops it with an error if not; 0 means max(10000, 100 × elements), -1 turns the check off (gw only; formerly --no-progress)."})
}

// runOptions reads the walk options; it also sets the process's memory
// budget.
func runOptions(opts *optionSet) (machine.Options, error) {
	var mo machine.Options
	l := &mo.Script
	if o := opts.lookup("--script-timeout"); o.set {
		d, err := parseDuration("--script-timeout", o.value())
		if err != nil {
			return mo, err
		}
		l.Timeout = d
	}
	script.SetMaxTimeout(l.WithDefaults().Timeout)
	for _, f := range []struct {
		flag string
		dst  *int64
		min  int64
	}{{"--script-memory", &l.Memory, 1 << 20}} {
		if o := opts.lookup(f.flag); o.set {
			n, err := parseSize(f.flag, o.value(), f.min)
			if err != nil {
				return mo, err
			}
			*f.dst = n
		}
	}
	for _, f := range []struct {
		flag string
		dst  *int
		min  int64
	}{{"--max-script-size", &l.MaxSource, 1024}, {"--max-data-size", &l.MaxData, 1024}} {
		if o := opts.lookup(f.flag); o.set {
			n, err := parseSize(f.flag, o.value(), f.min)
			if err != nil {
				return mo, err
			}
			*f.dst = int(min(n, 1<<31))
		}
	}
	if o := opts.lookup("--max-script-depth"); o.set {
		n, err := parseInt("--max-script-depth", o.value())
		if err != nil {
			return mo, err
		}
		if n < 10 || n > 100000 {
			return mo, usagef("--max-script-depth must be between 10 and 100000 (goja's parser needs about 2 KB of stack per level)")
		}
		l.MaxDepth = n
	}
	budget := limits.DefaultBudget()
	if o := opts.lookup("--memory-budget"); o.set {
		n, err := parseSize("--memory-budget", o.value(), 64<<20)
		if err != nil {
			return mo, err
		}
		budget = n
	}
	limits.SetBudget(budget)
	if o := opts.lookup("--stall-steps"); o.set {
		n, err := parseInt("--stall-steps", o.value())
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
	n, err := maxFileSize(opts)
	if err != nil {
		return a, err
	}
	a.maxFile = n
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
			if _, _, lerr := parseLevel(o); lerr == nil {
				return usagef("%v: inside offline, -d is --seed, as in GraphWalker; to set the log level, put -d before the command: gw -d %s offline ...", err, o.value())
			}
			return err
		}
		if seed != 0 { // GraphWalker: 0 means "not seeded"
			mo.Seed, mo.HasSeed = seed, true
		}
	}
	so := report.StepOptions{Verbose: opts.lookup("--verbose").set, Unvisited: opts.lookup("--unvisited").set}
	statistics := opts.lookup("--statistics").set
	w := newLineWriter(env.Stdout)
	in := startInterrupter(w, env.Stderr)
	defer in.stop()
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
		d, err := readModels(gwFile, ma.maxFile)
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
		// GraphWalker prints nothing and exits 0.
		return usagef("No model given: gw offline needs --model FILE GENERATOR, e.g. --model %s \"random(edge_coverage(100))\", or --gw FILE", exampleModel)
	}
	if !mo.HasSeed && doc.hasSeed {
		mo.Seed, mo.HasSeed = doc.seed, true
	}
	printer := &stepPrinter{so: so, write: w.line}
	print := printer.print
	if statistics {
		print = func(machine.Step) {}
	}
	// The default output goes out from the record package's writer
	// goroutine: the walker hands a step over once, for the path and for
	// --record alike. Output that reads the machine (--verbose data,
	// --unvisited counts, --gw after the actions) is printed in the walk.
	var path *record.PathOutput
	if !statistics && !after && !so.Verbose && !so.Unvisited {
		path = &record.PathOutput{Line: report.AppendPlainStep, Write: w.lines}
	} else if !after {
		mo.Before = print
	}
	mo.Log = env.Log
	rec, err := startRecording(env, opts, so, after, path)
	if err != nil {
		return err
	}
	mo.Before = rec.hook(mo.Before)
	m, err := machine.New(doc.models, mo)
	if stop := in.stopped(); stop != nil {
		return stop
	}
	if err != nil {
		return err
	}
	defer m.Close()
	if err := rec.start(m); err != nil {
		return err
	}
	env.Log.Debug("walking", "seed", m.Seed())
	in.setAbort(m.Abort)
	var prog *progress
	if env.StderrTerminal && !opts.lookup("--quiet").set {
		prog = newProgress(env.Stderr, m)
	}
	err = walk(m, after, print, &printer.err, in.stopped, prog.step)
	if in.stopped() != nil {
		prog.clear()
		rec.interrupted(in.reason())
		return in.stopped() // its count includes the lines the record's writer printed meanwhile
	}
	if err = rec.finish(err); err != nil {
		prog.clear()
		return err
	}
	prog.done()
	if statistics {
		stats := rest.AppendStatistics(nil, m)
		stats = bytes.Replace(stats, []byte(`,"result":"ok"`), nil, 1)
		line := append([]byte(`{"totalNumberOfSteps":`+strconv.Itoa(m.TotalSteps())+","), stats[1:]...)
		return w.line(append(line, '\n'))
	}
	return nil
}

type modelDoc struct {
	models  []*model.Model
	seed    int64
	hasSeed bool
}

func walk(m *machine.Machine, after bool, print func(machine.Step), printErr *error, stopped func() *exitError, stepped func()) error {
	for {
		if err := stopped(); err != nil {
			return err
		}
		more, err := m.HasNext()
		if err != nil {
			return err
		}
		if !more {
			return nil
		}
		if err := step(m, after, print, printErr); err != nil {
			return err
		}
		stepped()
	}
}

// stepPrinter prints steps as gw offline does, a JSON line each. err is
// the first step it could not show (a data limit) or write; it fails the
// walk.
type stepPrinter struct {
	so    report.StepOptions
	write func([]byte) error
	buf   []byte
	err   error
}

func (p *stepPrinter) print(s machine.Step) {
	var err error
	p.buf, err = report.AppendStep(p.buf[:0], s, p.so)
	if err != nil {
		if p.err == nil {
			p.err = &machine.Error{Model: s.Model().Name, Element: s.Model().Describe(s.Element), Err: err}
		}
		return
	}
	p.buf = append(p.buf, '\n')
	if err := p.write(p.buf); err != nil && p.err == nil {
		p.err = err
	}
}

// step takes one step. With after (gw offline --gw), the step is printed
// once its actions ran, and the step and its data display share one
// deadline. A failed print (*printErr) fails the step.
func step(m *machine.Machine, after bool, print func(machine.Step), printErr *error) error {
	if after {
		m.Begin()
		defer m.End()
	}
	s, err := m.Next()
	if err == nil && after {
		print(s)
	}
	if err == nil {
		err = *printErr
	}
	return err
}

func filterAll(models []*model.Model) []*model.Model {
	out := make([]*model.Model, len(models))
	for i, m := range models {
		out[i] = model.FilterBlocked(m)
	}
	return out
}

// parseSize reads a byte size flag ("64MiB", "1GiB", "1048576").
func parseSize(name, v string, min int64) (int64, error) {
	n, err := limits.ParseSize(v)
	if err != nil {
		return 0, usagef("\"%s\": %v", name, err)
	}
	if n < min {
		return 0, usagef("\"%s\": %s is below the smallest allowed value, %s", name, v, limits.FormatSize(min))
	}
	return n, nil
}

func parseDuration(name, v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, usagef("\"%s\": couldn't convert \"%s\" to a duration (write e.g. 500ms or 2s)", name, v)
	}
	return d, nil
}
