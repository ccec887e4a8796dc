//go:build race

package script

import "time"

// The race detector makes goja 5–10 times slower: what a limit check
// catches in 100 ms can take longer than the hostile-script deadline, so
// under it the deadline may come first (the test then accepts it).
const (
	hostileTimeout = 2 * time.Second
	raceEnabled    = true
)
