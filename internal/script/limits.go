package script

import (
	"fmt"
	"time"

	"github.com/gw-project/gw/internal/limits"
)

// Defaults for the zero Limits.
const (
	DefaultTimeout   = 2 * time.Second
	DefaultMemory    = 64 << 20
	DefaultMaxSource = 1 << 20
	DefaultMaxDepth  = 1000
	DefaultMaxData   = 1 << 20
)

// The command-line flags that raise each limit; errors name them.
const (
	TimeoutFlag = "--script-timeout"
	MemoryFlag  = "--script-memory"
	SourceFlag  = "--max-script-size"
	DepthFlag   = "--max-script-depth"
	DataFlag    = "--max-data-size"
)

// Limits bound what one session's JavaScript may do. The zero value is
// the defaults.
type Limits struct {
	// Timeout is one deadline per operation of the machine: a step (every
	// guard it evaluates, its actions, the data display that reports it),
	// a setData script, a data listing.
	Timeout time.Duration
	// Memory is how much one operation's JavaScript may allocate; it also
	// sizes the largest string (Memory/64 characters) and array
	// (Memory/64 elements) a built-in function may build or walk.
	Memory int64
	// MaxSource is the size of one script in bytes.
	MaxSource int
	// MaxDepth is how deeply one script may nest brackets, operators and
	// statements (the parser recurses on each level).
	MaxDepth int
	// MaxData is the size of one variable's display (getData, verbose
	// lines, visitedElement pushes) in bytes.
	MaxData int
}

// WithDefaults fills the zero fields with the defaults.
func (l Limits) WithDefaults() Limits {
	if l.Timeout <= 0 {
		l.Timeout = DefaultTimeout
	}
	if l.Memory <= 0 {
		l.Memory = DefaultMemory
	}
	if l.MaxSource <= 0 {
		l.MaxSource = DefaultMaxSource
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	if l.MaxData <= 0 {
		l.MaxData = DefaultMaxData
	}
	return l
}

// maxLen is the longest string (in UTF-16 units) or array a built-in may
// build or walk in one call: calls are not interruptible, so each must be
// bounded.
func (l Limits) maxLen() int64 { return max(l.Memory/64, 1<<16) }

func (l Limits) timeoutError() *limits.Error {
	return &limits.Error{Limit: fmt.Sprintf("ran past its deadline (the script timeout of %v per step) and was interrupted", l.Timeout), Flag: TimeoutFlag, Kind: limits.ErrTime}
}

func (l Limits) memoryError() *limits.Error {
	return &limits.Error{Limit: "its JavaScript allocated more than the script memory limit of " + limits.FormatSize(l.Memory) + "; the session's JavaScript was stopped", Flag: MemoryFlag, Kind: limits.ErrMemory}
}

func budgetError() *limits.Error {
	return &limits.Error{Limit: "its JavaScript was growing while the service was over its memory budget of " + limits.FormatSize(limits.Budget()) + "; the session's JavaScript was stopped", Flag: limits.BudgetFlag, Kind: limits.ErrMemory}
}

func (l Limits) sizeError(what string, n, max int64, unit string) *limits.Error {
	return &limits.Error{What: what, Limit: fmt.Sprintf("%d %s is over the limit of %d %s a built-in function may handle in one call (the limit follows the script memory limit of %s)", n, unit, max, unit, limits.FormatSize(l.Memory)), Flag: MemoryFlag, Kind: limits.ErrSize}
}

// ErrTimeout is what errors.Is finds in the error of an operation stopped
// at its deadline.
var ErrTimeout = limits.ErrTime
