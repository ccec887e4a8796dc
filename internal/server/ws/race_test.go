//go:build race

package ws

// raceEnabled: the race detector slows the server 5 to 10 times; tests
// scale their sizes and time bounds.
const raceEnabled = true
