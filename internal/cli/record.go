package cli

import (
	"fmt"
	"log/slog"
	"os"

	"github.com/gw-project/gw/internal/inputfile"
	"github.com/gw-project/gw/internal/limits"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/record"
	"github.com/gw-project/gw/internal/replay"
	"github.com/gw-project/gw/internal/report"
)

// addRecordOptions adds --record and --record-required (gw only).
func addRecordOptions(s *optionSet) {
	s.add(&option{names: []string{"--record"}, kind: optValue, def: "<none>", help: "Write a run record (JSON lines: models, seed, every step with its data, setData, fail, errors, verdict) into this folder, one file per run; gw report, gw replay and gw shrink read it (gw only)."})
	s.add(&option{names: []string{"--record-required"}, kind: optSwitch, def: "false", help: "Stop the run with an error when its record cannot be written; without it a write error is logged and the run goes on (gw only)."})
}

// recordOptions reads --record and --record-required; ok is false when no
// record is asked for.
func recordOptions(env *Env, opts *optionSet) (o record.Options, ok bool, err error) {
	dir := opts.lookup("--record")
	req := opts.lookup("--record-required")
	if dir == nil || !dir.set {
		if req != nil && req.set {
			return o, false, usagef("--record-required needs --record DIR")
		}
		return o, false, nil
	}
	if dir.value() == "" {
		return o, false, usagef("--record needs a folder")
	}
	return record.Options{Dir: dir.value(), Required: req != nil && req.set, Log: recordLog(env), GW: Version}, true, nil
}

// recordLog is where a record's errors go: the command's log, or, when
// --debug leaves it off (the default), standard error for errors alone,
// so that a record asked for and not written never goes unsaid.
func recordLog(env *Env) *slog.Logger {
	if env.LogOff {
		return newFormatLogger(env.Stderr, slog.LevelError, false, env.LogJSON)
	}
	return env.Log
}

// recording is an offline run's recorder; a nil *recording records
// nothing, so callers need no checks.
type recording struct {
	env *Env
	run *record.Run
}

// startRecording prepares the record --record asks for, and the printing
// of path (when not nil) on the record's writer goroutine; it returns nil
// when there is neither.
func startRecording(env *Env, opts *optionSet, so report.StepOptions, after bool, path *record.PathOutput) (*recording, error) {
	return startRecordingAs("offline", env, opts, so, after, path)
}

func startRecordingAs(service string, env *Env, opts *optionSet, so report.StepOptions, after bool, path *record.PathOutput) (*recording, error) {
	o, ok, err := recordOptions(env, opts)
	if err != nil {
		return nil, err
	}
	if !ok && path == nil {
		return nil, nil
	}
	o.Path = path
	info := record.Info{Service: service, Command: append([]string{"gw"}, env.Args...),
		Output: &record.Output{Verbose: so.Verbose, Unvisited: so.Unvisited, After: after}}
	return &recording{env: env, run: record.NewRun(o, info)}, nil
}

func (r *recording) hook(next func(machine.Step)) func(machine.Step) {
	if r == nil {
		return next
	}
	return r.run.Hook(next)
}

func (r *recording) start(m *machine.Machine) error {
	if r == nil {
		return nil
	}
	if err := r.run.Start(m); err != nil {
		return err
	}
	return nil
}

func (r *recording) finish(err error) error {
	if r == nil {
		return err
	}
	return r.run.Finish(err)
}

// settle writes the step just taken (before a setData runs).
func (r *recording) settle() {
	if r != nil {
		r.run.Settle()
	}
}

// note records a setData or fail just applied.
func (r *recording) note(kind, text string, err error) {
	if r != nil {
		r.run.Note(kind, text, err)
	}
}

// addReplayOption adds --replay RECORD (gw online).
func addReplayOption(s *optionSet) {
	s.add(&option{names: []string{"--replay"}, kind: optValue, def: "<none>", help: "Make the next session (WebSocket start, REST load) walk the path of this run record exactly, whatever its generator and seed, so a test re-runs a recorded run step for step; it stops with an error where the walk can no longer follow the record (gw only)."})
}

// onlineRecorder is the session observer --record asks for, or nil; log
// gets its errors.
func onlineRecorder(env *Env, opts *optionSet, log *slog.Logger) (*record.Observer, error) {
	o, ok, err := recordOptions(env, opts)
	if err != nil || !ok {
		return nil, err
	}
	o.Log = log
	if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		if o.Required {
			return nil, fmt.Errorf("--record: %w", err)
		}
		log.Error("record: sessions will not be recorded", "err", err)
	}
	return record.NewObserver(o), nil
}

// onlineReplay is the path --replay asks for, held for the next session,
// or nil.
func onlineReplay(opts *optionSet) (*replay.Once, error) {
	o := opts.lookup("--replay")
	if o == nil || !o.set {
		return nil, nil
	}
	ro, err := recordReading(opts)
	if err != nil {
		return nil, err
	}
	p, err := replay.LoadWith(o.value(), ro)
	if err != nil {
		return nil, fmt.Errorf("--replay: %w", err)
	}
	return replay.NewOnce(p), nil
}

// interrupted ends the record of a walk that a signal stopped (reason
// says which): its verdict is "stopped", not "failed". The rest of the
// path is printed.
func (r *recording) interrupted(reason string) {
	if r != nil {
		r.run.Finish(&limits.Error{Limit: reason, Kind: limits.ErrStopped})
	}
}

// readRecord reads the whole run record file as recordReading says.
func readRecord(opts *optionSet, file string) (*record.Record, error) {
	ro, err := recordReading(opts)
	if err != nil {
		return nil, err
	}
	return record.ReadFileWith(file, ro)
}

// recordReading is how a command reads run records: no line longer than
// --max-file-size (a header line carries whole models, which that flag
// bounds too).
func recordReading(opts *optionSet) (record.ReadOptions, error) {
	n, err := maxFileSize(opts)
	return record.ReadOptions{MaxLine: n, Flag: inputfile.Flag}, err
}
