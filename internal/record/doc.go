// Package record writes and reads run records: what a walk did, step by
// step, in one append-only JSON-lines file per run, so that a report, a
// replay or a shrink can be made from it later, on another machine.
//
// A record stands alone: its header carries the models as walked (their
// full GraphWalker JSON and a digest), the seed and the generators; then
// one line per step, setData, fail and error, and a final line with the
// statistics and the verdict. Writing is crash-safe: every line is handed
// to the operating system within 100 ms (50 ms in practice) and at the
// run's end, so a killed gw leaves a record whose last line at worst is
// torn, and Read accepts a torn last line.
//
// Run records one machine's walk in-process (gw offline, replay, shrink):
// the walker only hands over an 8-byte slot per step (ring.go), and a
// goroutine of its own counts, encodes and writes, so that the walk pays
// little of the record's cost (BENCHMARKS.md, "Run records", has the
// figures). The same goroutine can print gw offline's path (PathOutput),
// with a record or without one, so that the walk hands a step over once
// for both. Observer records every session of a service
// (session.Observer): one record per start, load or restart.
//
// The format is versioned (Version); Read refuses records of a newer
// version with a message that says so. The format is documented in
// format.go.
package record
