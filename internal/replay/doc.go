// Package replay makes a machine walk a recorded path again, step for
// step, whatever generator and seed produced it: gw replay prints a
// record's path in GraphWalker's offline format, gw shrink executes the
// walks it tries, and gw online --replay makes the next session walk it,
// so that an AltWalker or WebSocket test re-runs a failing run exactly.
//
// A Forcer installs itself in machine.Options: each context gets a
// generator that takes the recorded element (after checking that the
// element follows the current one with its guard true now) and chooses
// the recorded shared-state jumps, and a Check stops the walk the moment
// the machine would leave the record — a guard now false, a jump no
// longer possible — with a *DivergenceError naming the step and the
// reason. Models whose digest differs from the record's are refused
// before any step.
//
// Wiring it into a server (gw online --replay RECORD):
//
//	once := replay.NewOnce(p)              // p, err := replay.Load(file), at startup
//	...
//	if p := once.Take(); p != nil {        // the next session that starts a machine
//		f, err := p.Force(models)      // (WebSocket start, REST load):
//		if err != nil { reply with err } // models changed since the record
//		f.Apply(&opts)                 // before machine.New(models, opts)
//	}
//	m, err := machine.New(models, opts)
//	...                                    // serve hasNext/getNext as usual: the
//	                                       // walk ends where the record ends, and a
//	                                       // divergence is m.Next's error
//	if !more { err := f.End() }            // hasNext false: nil, or the steps left
//
// The client's own setData and fail calls are its business; gw replay,
// which has no client, re-applies the recorded ones (Path.Events).
package replay
