// Package shrink finds, for a failed run record, the shortest walk from
// the run's start element to the element where it failed (same element,
// same model) with every guard satisfied: a breadth-first search over
// states — where the walk stands, the models' JavaScript data as getData
// shows it, the test's setData calls made so far — that runs the real
// guards and actions in the sandbox, bounded in states and time. It says
// whether the walk it found is proven shortest or a bound was hit (then
// the failing walk with its loops cut out is the answer).
//
// Walks are executed by replaying them (internal/replay) on fresh
// machines; a state is executed only where it matters: at vertices whose
// out-edges have guards, at shared states, and for elements with actions
// or a setData after them. Elsewhere a step cannot change the data, so
// the search is a plain breadth-first search, and on models without
// guards and actions its answer is the graph's shortest path.
//
// The test's setData calls made before the failure are kept: each is
// made, in the original order, after the shrunk walk's first step on the
// element it followed in the failing run. Calls the shrunk walk never gets
// to are reported, since the failure may depend on them.
package shrink
