package cli

import (
	"fmt"

	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/record"
	"github.com/gw-project/gw/internal/replay"
	"github.com/gw-project/gw/internal/report"
)

func init() {
	register(&command{
		name:    "replay",
		summary: "Walks the path of a run record again and prints it as gw offline does, re-applying the recorded setData calls at the same steps; stops with an error naming the step if the walk can no longer follow the record (gw only).",
		options: func() *optionSet {
			s := &optionSet{mainParam: "RECORD"}
			s.add(&option{names: []string{"--verbose", "-o"}, kind: optSwitch, def: "as recorded", help: "Will print more details to stdout (as gw offline --verbose)."})
			s.add(&option{names: []string{"--unvisited", "-u"}, kind: optSwitch, def: "as recorded", help: "Will also print the remaining unvisited elements in the model."})
			addRunOptions(s)
			addRecordOptions(s)
			addFileSizeOption(s)
			return s
		},
		run: runReplay,
	})
}

func oneRecord(opts *optionSet, cmd string) (string, error) {
	if len(opts.args) != 1 {
		return "", usagef("gw %s takes one run record (a .jsonl file written by --record), e.g. gw %s records/20260917T131500.000000Z-offline-1-1.jsonl", cmd, cmd)
	}
	return opts.args[0], nil
}

func runReplay(env *Env, opts *optionSet) error {
	file, err := oneRecord(opts, "replay")
	if err != nil {
		return err
	}
	mo, err := runOptions(opts)
	if err != nil {
		return err
	}
	rec, err := readRecord(opts, file)
	if err != nil {
		return err
	}
	if rec.Torn {
		env.Log.Warn("the record's last line was cut short (the recording process was killed); replaying what it has", "file", file)
	}
	path := replay.FromRecord(rec)
	forcer, err := path.Force(rec.Models)
	if err != nil {
		return err
	}
	forcer.Apply(&mo)
	so := report.StepOptions{Verbose: opts.lookup("--verbose").set, Unvisited: opts.lookup("--unvisited").set}
	after := false
	if out := rec.Header.Output; out != nil {
		so.Verbose = so.Verbose || out.Verbose
		so.Unvisited = so.Unvisited || out.Unvisited
		after = out.After
	}
	printer := &stepPrinter{so: so, write: func(b []byte) error { env.Stdout.Write(b); return nil }}
	if !after {
		mo.Before = printer.print
	}
	recd, err := startRecordingAs("replay", env, opts, so, after, nil)
	if err != nil {
		return err
	}
	mo.Before = recd.hook(mo.Before)
	m, err := machine.New(rec.Models, mo)
	if err != nil {
		return err
	}
	defer m.Close()
	if err := recd.start(m); err != nil {
		return err
	}
	return recd.finish(replayWalk(env, m, forcer, path.Events, recd, after, printer.print, &printer.err))
}

// replayWalk walks a forced machine to the end of its record, applying
// the recorded setData and fail calls after the steps they followed.
func replayWalk(env *Env, m *machine.Machine, f *replay.Forcer, events []record.Line, recd *recording, after bool, print func(machine.Step), printErr *error) error {
	next := 0
	apply := func() {
		for next < len(events) && events[next].N <= m.TotalSteps() {
			ev := events[next]
			next++
			recd.settle()
			switch ev.Type {
			case "setData":
				err := m.Execute(ev.Text)
				if err != nil && ev.Error == "" {
					fmt.Fprintf(env.Stderr, "WARN: after step %d, setData %q failed, which it did not in the recorded run: %v\n", ev.N, ev.Text, err)
				}
				recd.note("setData", ev.Text, err)
			case "fail":
				m.Fail(ev.Text)
				fmt.Fprintf(env.Stderr, "INFO: after step %d the recorded test reported a failure: %s\n", ev.N, ev.Text)
				recd.note("fail", ev.Text, nil)
			}
		}
	}
	for {
		apply()
		more, err := m.HasNext()
		if err != nil {
			return err
		}
		if !more {
			return f.End()
		}
		if err := step(m, after, print, printErr); err != nil {
			return err
		}
	}
}
