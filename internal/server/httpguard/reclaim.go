package httpguard

import (
	"runtime/debug"
	"sync"
	"time"
)

// reclaimPause is the shortest time between two reclaims.
const reclaimPause = 10 * time.Second

var reclaimer struct {
	sync.Mutex
	pending bool
	last    time.Time
}

// Reclaim asks for the memory a large piece of work left (a large message
// parsed, a large machine dropped) to be returned to the system soon: the
// Go runtime gives freed memory back only slowly, and a server that built
// a 30 MB model should not keep its peak for minutes once idle. Calls are
// coalesced: one collection a second later, at most one every ten
// seconds.
func Reclaim() {
	reclaimer.Lock()
	defer reclaimer.Unlock()
	if reclaimer.pending {
		return
	}
	reclaimer.pending = true
	wait := max(time.Second, time.Until(reclaimer.last.Add(reclaimPause)))
	time.AfterFunc(wait, func() {
		debug.FreeOSMemory()
		reclaimer.Lock()
		reclaimer.pending, reclaimer.last = false, time.Now()
		reclaimer.Unlock()
		// A second pass: work being stopped at the first (a script's
		// copy Go cannot preempt) may leave garbage after it, and an idle
		// server triggers no collection that would free it.
		time.AfterFunc(reclaimPause, reclaimAgain)
	})
}

// reclaimAgain is Reclaim's second pass, unless another reclaim came in
// between.
func reclaimAgain() {
	reclaimer.Lock()
	skip := reclaimer.pending || time.Since(reclaimer.last) < reclaimPause
	reclaimer.Unlock()
	if !skip {
		debug.FreeOSMemory()
	}
}

// LargeModel is the number of elements from which dropping a machine is
// worth a Reclaim.
const LargeModel = 20000
