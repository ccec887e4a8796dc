// Package rest is the HTTP REST service of `gw online --service RESTFUL`:
// GraphWalker 4.3's /graphwalker/... API (protocol.md §2), byte-compatible
// where clients such as AltWalker depend on it.
//
// One Server holds at most one machine, shared by all clients, as
// GraphWalker's singleton resource does; every request that touches it is
// serialised by a mutex. A request can hold the mutex for at most the
// machine's script deadline per script it runs (a `while(true)` setData is
// cut after Options.ScriptTimeout). Loading and restarting build the new
// machine outside the mutex, so a slow INIT action does not block others.
//
// Every handled request answers 200 with Content-Type
// `text/plain;charset=UTF-8` and a compact JSON body: the payload plus
// "result":"ok", or {"result":"nok","error":"..."}. Only requests that reach
// no endpoint use other statuses, still with a nok body: 404 unknown path
// (AltWalker relies on a non-200 there), 405 wrong method (with Allow), 403
// a browser page of another site or a name that is not this service's
// (httpguard.Policy, as for the WebSocket service), 413 load body over
// Options.MaxBodyBytes or over what the memory budget can hold, 408 load
// body too slow, 503 (with Retry-After) a load while the process is over
// its memory budget or shutting down, and 500 if a handler panics. HEAD is
// allowed on the read-only endpoints (hasNext, getData, getStatistics).
//
// A load reserves memory budget for its body before building it
// (httpguard.Reservation), so parallel large loads take turns; bodies of
// other endpoints are not waited for; answers have a write deadline. A
// page the Origin policy admits gets CORS headers (and its preflight a
// 204), so that it can read the answers.
//
// Beyond GraphWalker: POST /graphwalker/load?seed=N (or a top-level "seed"
// in the body) seeds the walk, the load reply carries the seed used as a
// string ({"result":"ok","seed":"N"}), and restart rebuilds the machine
// with that seed, so the same calls give the same walk.
package rest
