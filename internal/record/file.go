package record

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options say where and how runs are recorded.
type Options struct {
	// Dir is the folder records are created in (made if missing).
	Dir string
	// File, when set, is the one file to write (replaced if it exists),
	// instead of a new file in Dir.
	File string
	// Required makes a write error stop the run: the machine is aborted
	// with the error. Otherwise the error is logged once and the run goes
	// on unrecorded.
	Required bool
	// Log receives write errors (once per record) and where each record
	// goes; nil discards.
	Log *slog.Logger
	// GW is gw's version, for headers.
	GW string
	// DataShare bounds the time spent listing data after steps, as a
	// share of the run's time so far (listings are the costly part of a
	// record: goja walks every global). 0 means DefaultDataShare for an
	// online session's recording, DefaultRunDataShare for a Run; a
	// negative value lists data whenever it may have changed.
	DataShare float64
	// Path, when set, has a Run's writer goroutine print the walk's path
	// too (see PathOutput). A Run with Path and neither Dir nor File
	// prints without recording.
	Path *PathOutput
}

// DefaultDataShare is the default Options.DataShare of online sessions,
// whose steps cost tens of microseconds.
const DefaultDataShare = 0.02

// DefaultRunDataShare is the default Options.DataShare of a Run (gw
// offline), whose steps cost 100–300 ns. There a listing costs the walk
// several times its own time: goja enumerates every global and leaves
// garbage, and the walk's working set must come back into the caches.
// Measured on the login example (walker-thread CPU, 2M steps), listings
// within 0.5 % of the run after a 5 ms allowance cost the walk 8 %; within
// 0.1 % after 1 ms, 2 %. Short runs are still listed in full (the first
// listing, which pays goja's set-up, is not charged, and runDataAllowance
// covers the next hundred or so), error and setData lines are listed
// whatever the budget, and gw replay --verbose shows the data of any step.
const DefaultRunDataShare = 0.001

// dataAllowance is listing time every online session may spend
// regardless of DataShare, so that short sessions list their data;
// runDataAllowance is a Run's.
const (
	dataAllowance    = 5 * time.Millisecond
	runDataAllowance = time.Millisecond
)

func (o Options) logger() *slog.Logger {
	if o.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return o.Log
}

// file is a record being written. The first write error is kept and
// logged; later writes are dropped, so that a record is never a mix of
// lines with holes.
type file struct {
	f        *os.File
	path     string
	log      *slog.Logger
	mu       sync.Mutex // the online recorder's Closed may race its owner
	err      error
	failed   atomic.Bool
	required bool
}

var fileSeq atomic.Uint64

// createFile creates a new record file in dir, named after the time, the
// service and the process, never overwriting one.
func createFile(o Options, service string, start time.Time) (*file, error) {
	if o.File != "" {
		f, err := os.OpenFile(o.File, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
		if err != nil {
			return nil, fmt.Errorf("record: %w", err)
		}
		return &file{f: f, path: o.File, log: o.logger(), required: o.Required}, nil
	}
	if o.Dir == "" {
		return nil, errors.New("no record folder given")
	}
	if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("record folder: %w", err)
	}
	stamp := start.UTC().Format("20060102T150405.000000Z")
	for range 100 {
		name := fmt.Sprintf("%s-%s-%d-%d.jsonl", stamp, safeName(service), os.Getpid(), fileSeq.Add(1))
		path := filepath.Join(o.Dir, name)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|os.O_APPEND, 0o644)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("record: %w", err)
		}
		return &file{f: f, path: path, log: o.logger(), required: o.Required}, nil
	}
	return nil, fmt.Errorf("record: could not find a free file name in %s", o.Dir)
}

func safeName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '_'
	}, s)
	if s == "" {
		s = "run"
	}
	return s
}

// write writes b; after a failure it drops everything.
func (f *file) write(b []byte) {
	if len(b) == 0 || f.failed.Load() {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return
	}
	if _, err := f.f.Write(b); err != nil {
		f.fail(err)
	}
}

// failWith fails f with err, as a write error does.
func (f *file) failWith(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err == nil {
		f.fail(err)
	}
}

// fail keeps err and logs it once; f.mu is held.
func (f *file) fail(err error) {
	f.err = &WriteError{Path: f.path, Err: err}
	f.failed.Store(true)
	if f.required {
		f.log.Error("record: write failed; the run stops (--record-required)", "file", f.path, "err", err)
	} else {
		f.log.Error("record: write failed; the run goes on without its record (--record-required makes this stop the run)", "file", f.path, "err", err)
	}
}

// Err is the first write error.
func (f *file) Err() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err
}

func (f *file) close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.f == nil {
		return f.err
	}
	err := f.f.Close()
	f.f = nil
	if err != nil && f.err == nil {
		f.fail(err)
	}
	return f.err
}

// WriteError is a record that could not be written.
type WriteError struct {
	Path string
	Err  error
}

func (e *WriteError) Error() string {
	return fmt.Sprintf("the run record %s could not be written: %v (--record-required stops the run on this error)", e.Path, e.Err)
}

func (e *WriteError) Unwrap() error { return e.Err }
