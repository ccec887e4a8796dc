// Package session keeps the live sessions of a gw service — WebSocket
// connections, the REST service's machine, MCP sessions — in one registry
// (Hub), so that whatever watches the service (the studio page, run
// records, metrics) sees every session the same way, and so that a
// session can be paused, stepped and stopped at breakpoints from outside
// without its client noticing anything but the wait.
//
// A session has one owner: the goroutine that serves its client (the
// WebSocket connection's, or whichever REST request holds the service's
// lock). The owner holds the session's lock (Lock/Unlock) while it uses
// the machine, calls BeforeStep before each step (it waits there while the
// session is paused) and AfterStep after it (observers and breakpoints run
// there, in the owner's goroutine, where the machine may be used).
// Anyone else reaches the machine only through Do, which takes the lock.
//
// Observers are called synchronously by the owner and must be quick.
// Watchers get events through bounded queues that never block the owner: a
// watcher that falls behind loses events and is told so (Lost), and then
// resynchronises from a snapshot taken with Do.
package session
