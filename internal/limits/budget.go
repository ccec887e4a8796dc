package limits

import (
	"bufio"
	"context"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// BudgetFlag is the flag that sets the process's memory budget.
const BudgetFlag = "--memory-budget"

var budget struct {
	limit    atomic.Int64 // bytes; 0 until SetBudget
	reserved atomic.Int64
	over     atomic.Bool

	mu      sync.Mutex
	waiters chan struct{} // closed and replaced when reservations are released
	started bool
	lastGC  time.Time
}

// DefaultBudget is half of the memory this process may use: the cgroup's
// limit when it has one, otherwise the machine's physical memory; at least
// 512 MiB. GOMEMLIMIT, when set, is taken as the budget.
func DefaultBudget() int64 {
	if v := os.Getenv("GOMEMLIMIT"); v != "" {
		if n := debug.SetMemoryLimit(-1); n > 0 && n < 1<<62 {
			return n
		}
	}
	total := physicalMemory()
	if c := cgroupLimit(); c > 0 && (total == 0 || c < total) {
		total = c
	}
	if total == 0 {
		total = 4 << 30
	}
	return max(total/2, 512<<20)
}

// SetBudget makes n bytes the process's budget: the Go heap's soft limit
// (the GC works harder near it), the ceiling Over reports and Reserve
// admits against. It starts the sampler that watches the heap.
func SetBudget(n int64) {
	budget.limit.Store(n)
	if n > 0 {
		debug.SetMemoryLimit(n)
	} else {
		debug.SetMemoryLimit(math.MaxInt64) // none
	}
	budget.mu.Lock()
	if !budget.started {
		budget.started = true
		budget.waiters = make(chan struct{})
		go sample()
	}
	budget.mu.Unlock()
}

// Budget is the process's memory budget in bytes (0: none set).
func Budget() int64 { return budget.limit.Load() }

var heapSample = []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
var heapMu sync.Mutex

// Heap reads the bytes of heap objects now (live and not yet swept); it
// costs about 0.2 µs.
func Heap() int64 {
	heapMu.Lock()
	metrics.Read(heapSample)
	v := int64(heapSample[0].Value.Uint64())
	heapMu.Unlock()
	return v
}

// Over returns an *Error while the process's heap, confirmed by a garbage
// collection, is above its budget: new sessions and models should be
// refused until it falls.
func Over() error {
	if !budget.over.Load() {
		return nil
	}
	return &Error{
		What:  "the service",
		Limit: "is over its memory budget of " + FormatSize(budget.limit.Load()) + "; try again when other sessions have ended",
		Flag:  BudgetFlag, Kind: ErrBusy,
	}
}

// sample watches the heap every 50 ms. Crossing the budget is confirmed by
// a collection (at most one a second) so that garbage does not count.
func sample() {
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for range t.C {
		limit := budget.limit.Load()
		if limit <= 0 {
			budget.over.Store(false)
			continue
		}
		h := Heap()
		switch {
		case h > limit:
			if time.Since(budget.lastGC) > time.Second {
				runtime.GC()
				budget.lastGC = time.Now()
				h = Heap()
			}
			budget.over.Store(h > limit)
		case h < limit/10*9:
			budget.over.Store(false)
		}
	}
}

// Reserve takes n bytes of the budget for transient work (what reading and
// building a model costs beyond its message), waiting while reservations
// already hold half of the budget, until ctx ends. Release returns them.
// Without a budget (SetBudget never called) it always succeeds.
func Reserve(ctx context.Context, n int64, what string) (release func(), err error) {
	limit := budget.limit.Load()
	if limit <= 0 || n <= 0 {
		return func() {}, nil
	}
	share := limit / 2
	if n > share {
		return nil, &Error{What: what, Limit: "needs about " + FormatSize(n) + ", more than half of the memory budget of " + FormatSize(limit), Flag: BudgetFlag, Kind: ErrSize}
	}
	for {
		if err := Over(); err == nil {
			r := budget.reserved.Load()
			if r+n <= share && budget.reserved.CompareAndSwap(r, r+n) {
				var once sync.Once
				return func() { once.Do(func() { budget.reserved.Add(-n); wake() }) }, nil
			}
		}
		budget.mu.Lock()
		ch := budget.waiters
		budget.mu.Unlock()
		select {
		case <-ctx.Done():
			return nil, &Error{What: what, Limit: "waited for memory while other large requests were being processed, in the memory budget of " + FormatSize(limit) + "; try again", Flag: BudgetFlag, Kind: ErrBusy}
		case <-ch:
		case <-time.After(50 * time.Millisecond): // the heap may have fallen
		}
	}
}

// Reserved is the number of bytes reservations hold now.
func Reserved() int64 { return budget.reserved.Load() }

func wake() {
	budget.mu.Lock()
	close(budget.waiters)
	budget.waiters = make(chan struct{})
	budget.mu.Unlock()
}

func physicalMemory() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}

func cgroupLimit() int64 {
	for _, p := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		if err == nil && n > 0 && n < 1<<60 {
			return n
		}
	}
	return 0
}
