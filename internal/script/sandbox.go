package script

import (
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dop251/goja"

	"github.com/gw-project/gw/internal/limits"
)

// Sandbox is one session's JavaScript: its scopes (Envs), limits, the
// deadline of the operation in progress and whether it was stopped. One
// goroutine uses it (and its Envs) at a time; Abort may be called from any
// goroutine.
type Sandbox struct {
	l        Limits
	deadline int64 // ticks
	maxLen   int64

	depth int // Begin nesting; owner goroutine only

	opStart atomic.Int64  // tick the operation began; 0 when idle
	opSeq   atomic.Uint64 // counts operations, for the memory sampler
	halted  atomic.Bool   // stopped or aborted: built-ins check it

	mu      sync.Mutex
	running *Env  // Env whose script runs now
	stopped error // why the operation in progress was stopped
	aborted error // why the sandbox was stopped for good
	closed  bool

	// Owned by the watchdog's memory sampler.
	memSeq   uint64
	heapMark int64
}

// ErrClosed is what a closed sandbox's scripts return.
var ErrClosed = &limits.Error{Limit: "the session's JavaScript was closed", Kind: limits.ErrStopped}

// NewSandbox returns an empty sandbox; Close it when the session ends.
func NewSandbox(l Limits) *Sandbox {
	l = l.WithDefaults()
	sb := &Sandbox{l: l, deadline: int64(l.Timeout/tick) + 1, maxLen: l.maxLen()}
	watch.add(sb)
	return sb
}

// Limits are the sandbox's limits, defaults filled in.
func (sb *Sandbox) Limits() Limits { return sb.l }

// Begin starts an operation: everything until the matching End shares one
// deadline. Begin/End pairs nest; only the outermost sets the deadline.
func (sb *Sandbox) Begin() {
	sb.depth++
	if sb.depth == 1 {
		if sb.halted.Load() {
			// Only a stop needs clearing (halted is set with it, under mu):
			// the common step takes no lock.
			sb.mu.Lock()
			sb.stopped = nil
			sb.halted.Store(sb.aborted != nil)
			sb.mu.Unlock()
		}
		sb.opSeq.Add(1)
		// The wall clock, not the watchdog's: that one is stale while the
		// watchdog is held up (a collection in sampleMemory), and a stale
		// start made the next tick interrupt the operation at once.
		sb.opStart.Store(wallTicks())
		activeOps.Add(1)
	}
}

// End ends the operation Begin started.
func (sb *Sandbox) End() {
	sb.depth--
	if sb.depth == 0 {
		sb.opStart.Store(0)
		activeOps.Add(-1)
	}
}

// Abort stops the sandbox for good: a running script is interrupted and
// every later one fails with err. Safe from any goroutine.
func (sb *Sandbox) Abort(err error) {
	sb.mu.Lock()
	if sb.aborted == nil {
		sb.aborted = err
	}
	sb.halted.Store(true)
	if sb.running != nil {
		if sb.stopped == nil {
			sb.stopped = err
		}
		sb.running.vm.Interrupt(err)
	}
	sb.mu.Unlock()
}

// Err is why the sandbox was stopped for good, or nil.
func (sb *Sandbox) Err() error {
	sb.mu.Lock()
	defer sb.mu.Unlock()
	return sb.aborted
}

// Close aborts the sandbox and releases it.
func (sb *Sandbox) Close() {
	sb.Abort(ErrClosed)
	sb.mu.Lock()
	sb.closed = true
	sb.mu.Unlock()
	watch.remove(sb)
}

// expired reports whether the operation in progress is past its deadline.
func (sb *Sandbox) expired() bool {
	s := sb.opStart.Load()
	return s != 0 && clock.Load()-s > sb.deadline+1
}

// check is what long-running built-ins and the data display call between
// items: it stops them, uncatchably, once the operation is over time or
// the sandbox was stopped.
func (sb *Sandbox) check() {
	if sb.halted.Load() {
		panic(&goja.InterruptedError{})
	}
	if sb.expired() {
		sb.stop(sb.l.timeoutError())
		panic(&goja.InterruptedError{})
	}
}

// stop stops the operation in progress with err (the running script is
// interrupted).
func (sb *Sandbox) stop(err error) {
	sb.mu.Lock()
	if sb.stopped == nil {
		sb.stopped = err
	}
	sb.halted.Store(true)
	if sb.running != nil {
		sb.running.vm.Interrupt(err)
	}
	sb.mu.Unlock()
}

// enter marks e as running a script; it fails when the sandbox was stopped
// or the operation is already over time.
func (sb *Sandbox) enter(e *Env) error {
	sb.mu.Lock()
	defer sb.mu.Unlock()
	if sb.aborted != nil {
		return sb.aborted
	}
	if sb.stopped != nil {
		return sb.stopped
	}
	if sb.expired() {
		sb.stopped = sb.l.timeoutError()
		sb.halted.Store(true)
		return sb.stopped
	}
	sb.running = e
	return nil
}

// leave ends what enter began; err is the script's own result. A script
// that was stopped reports why.
func (sb *Sandbox) leave(e *Env, err error) error {
	sb.mu.Lock()
	defer sb.mu.Unlock()
	sb.running = nil
	if sb.stopped != nil {
		e.vm.ClearInterrupt()
		return sb.stopped
	}
	if err != nil {
		var ie *goja.InterruptedError
		if errors.As(err, &ie) {
			// Interrupted by a built-in whose check found nothing recorded:
			// treat as over time.
			return sb.l.timeoutError()
		}
	}
	return err
}

// The watchdog keeps a coarse clock and interrupts overdue operations; one
// goroutine serves every sandbox, and a script pays only uncontended locks.
const tick = 10 * time.Millisecond

var (
	clock     atomic.Int64 // coarse time in ticks since epoch, kept by the watchdog
	epoch     = time.Now()
	activeOps atomic.Int64 // operations in progress, all sandboxes
)

var watch = &watchdog{boxes: map[*Sandbox]struct{}{}}

type watchdog struct {
	mu      sync.Mutex
	boxes   map[*Sandbox]struct{}
	running bool
}

func (w *watchdog) add(sb *Sandbox) {
	w.mu.Lock()
	w.boxes[sb] = struct{}{}
	if !w.running {
		w.running = true
		clock.Store(int64(time.Since(epoch)/tick) + 1)
		go w.loop()
	}
	w.mu.Unlock()
}

func (w *watchdog) remove(sb *Sandbox) {
	w.mu.Lock()
	delete(w.boxes, sb)
	w.mu.Unlock()
}

// wallTicks is the current time in ticks.
func wallTicks() int64 { return int64(time.Since(epoch)/tick) + 1 }

func (w *watchdog) loop() {
	t := time.NewTicker(tick)
	defer t.Stop()
	for range t.C {
		// Wall-clock time, so that ticks lost on a busy machine do not
		// stretch deadlines.
		now := int64(time.Since(epoch)/tick) + 1
		clock.Store(now)
		w.mu.Lock()
		if len(w.boxes) == 0 {
			w.running = false
			w.mu.Unlock()
			return
		}
		for sb := range w.boxes {
			// opStart may be a tick old, so wait one tick more than the
			// deadline: never interrupt early.
			if s := sb.opStart.Load(); s != 0 && now-s > sb.deadline+1 {
				sb.mu.Lock()
				if sb.running != nil && sb.stopped == nil {
					sb.stopped = sb.l.timeoutError()
					sb.halted.Store(true)
					sb.running.vm.Interrupt(sb.stopped)
				}
				sb.mu.Unlock()
			}
		}
		if activeOps.Load() > 0 {
			w.sampleMemory()
		}
		w.mu.Unlock()
	}
}

// sampleMemory charges heap growth to the operations in progress. goja
// cannot account memory per runtime, so the growth of the process's heap
// while an operation runs is charged to it: one that grows the heap past
// its sandbox's Memory limit (confirmed by a collection, so that garbage
// does not count) is stopped, and while the process is over its budget
// the operation growing it most is stopped.
func (w *watchdog) sampleMemory() {
	h := limits.Heap()
	budget := limits.Budget()
	var suspects []*Sandbox
	var worst *Sandbox
	var worstGrowth int64
	for sb := range w.boxes {
		if sb.opStart.Load() == 0 {
			continue
		}
		if seq := sb.opSeq.Load(); seq != sb.memSeq {
			sb.memSeq, sb.heapMark = seq, h
			continue
		}
		g := h - sb.heapMark
		switch {
		case g > 2*sb.l.Memory:
			// Far past the limit within one operation: not garbage worth
			// a collection to confirm (a doubling string gets there in
			// milliseconds, and a forced collection would wait for its
			// copies). Stop it now.
			sb.Abort(sb.l.memoryError())
			continue
		case g > sb.l.Memory:
			suspects = append(suspects, sb)
		}
		if g > worstGrowth {
			worst, worstGrowth = sb, g
		}
	}
	overBudget := budget > 0 && h > budget && worst != nil && worstGrowth > 1<<20
	if (len(suspects) > 0 || overBudget) && confirming.CompareAndSwap(false, true) {
		marks := make([]int64, len(suspects))
		for i, sb := range suspects {
			marks[i] = sb.heapMark
		}
		go confirm(suspects, marks, worst, overBudget)
	}
}

var confirming atomic.Bool

// confirm collects garbage, then stops the suspects whose growth is real.
func confirm(suspects []*Sandbox, marks []int64, worst *Sandbox, overBudget bool) {
	defer confirming.Store(false)
	runtime.GC()
	h := limits.Heap()
	for i, sb := range suspects {
		if h-marks[i] > sb.l.Memory && sb.opStart.Load() != 0 {
			sb.Abort(sb.l.memoryError())
		}
	}
	if overBudget && h > limits.Budget() && worst.opStart.Load() != 0 {
		worst.Abort(budgetError())
	}
}
