package cli

import (
	"log/slog"
	"os"
	"runtime"
	"sync"
)

// moreProcs gives gw online twice as many Ps as the runtime would use
// (unless GOMAXPROCS is set in the environment). A script can hold a P in
// work Go cannot preempt (goja concatenating a string of hundreds of
// megabytes is one copy); with a P per core, two such sessions on two
// cores held every other session for seconds. With spare Ps the kernel,
// which can preempt any thread, shares the cores: under issue 9's attacks
// a healthy session's p99 fell from 20–2,500 ms to 3.5–9 ms (BENCHMARKS,
// "Online services under attack"), with no change when quiet.
func moreProcs(log *slog.Logger) {
	procsOnce.Do(func() {
		if os.Getenv("GOMAXPROCS") != "" {
			return
		}
		n := runtime.GOMAXPROCS(0)
		runtime.GOMAXPROCS(2 * n)
		log.Debug("GOMAXPROCS raised so that scripts stuck in Go code cannot hold every core", "from", n, "to", 2*n)
	})
}

var procsOnce sync.Once
