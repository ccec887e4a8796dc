//go:build !race

package script

import "time"

// hostileTimeout is the step deadline of TestHostileScripts.
const (
	hostileTimeout = 500 * time.Millisecond
	raceEnabled    = false
)
