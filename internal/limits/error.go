package limits

import (
	"errors"
	"fmt"
)

// Error is a limit that was hit. Its message says what was over which
// limit and how to raise it: `script "x = …": its JavaScript used more than
// 64 MiB (the --script-memory limit; raise it with --script-memory)`.
type Error struct {
	What  string // what went over, e.g. `the walk's JavaScript`; may be ""
	Limit string // the limit with its value, e.g. "the script memory limit of 64 MiB"
	Flag  string // the flag that raises it, e.g. "--script-memory"; "" if none
	Kind  error  // ErrTime, ErrMemory, ErrSize, ErrBusy or ErrStopped
}

// The kinds of limits; errors.Is(err, limits.ErrMemory) tells which.
var (
	ErrTime    = errors.New("time limit")
	ErrMemory  = errors.New("memory limit")
	ErrSize    = errors.New("size limit")
	ErrBusy    = errors.New("memory budget in use")
	ErrStopped = errors.New("stopped")
)

func (e *Error) Error() string {
	msg := e.Limit
	if e.What != "" {
		msg = e.What + ": " + msg
	}
	if e.Flag != "" {
		msg += fmt.Sprintf(" (raise it with %s)", e.Flag)
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Kind }

// Is reports whether err is a limits.Error of kind.
func Is(err, kind error) bool {
	var le *Error
	return errors.As(err, &le) && le.Kind == kind
}
