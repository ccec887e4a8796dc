// Package ws is the WebSocket service of `gw online`: GraphWalker's
// WebSocket API (protocol.md §1), one private machine per connection.
//
// Two dialects are spoken on the same socket, chosen per message:
//
//   - the 4.x dialect, `{"command": ...}`: mode, start (model under "gw" or
//     "gw3"), getNext, hasNext, getData, setData, getModel,
//     updateAllElements, convertGraphml — plus, beyond GraphWalker, a
//     `seed` on start (echoed in the reply) and restart;
//   - the original 3.2/3.3 dialect, `{"type": ...}`: loadModel (historic
//     single-model JSON), start, hasNext, getNext, getData, restart.
//
// Frames are parsed leniently as org.json does (unquoted keys, single
// quotes, ...) and replies are written with GraphWalker's exact key order
// (org.json's HashMap order, protocol.md Appendix B), including the
// variables of getData/visitedElement. Each connection is served by its own
// goroutine, in message order; a broken message, a failing script or an
// oversized frame gets an error reply and the connection stays usable.
//
// Server is an http.Handler that upgrades a request on any path. It checks
// the Origin and Host headers (httpguard.Policy: no Origin, loopback
// origins and Options.AllowOrigins only; names of this service only),
// refuses new sessions while the process is over its memory budget, and
// bounds message size, session count and idle time. A message reserves
// memory budget as it is read (httpguard.ReadMessage); a text message that
// is not UTF-8 fails the connection with 1007. Shutdown stops every
// session's JavaScript and closes it with status 1001.
package ws
