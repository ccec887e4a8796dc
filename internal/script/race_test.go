//go:build race

package script

import "time"

// The race detector makes goja 5–10 times slower: what a limit check
// catches in 50 ms can take longer than the hostile-script deadline.
const hostileTimeout = 2 * time.Second
