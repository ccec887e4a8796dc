// Package studio is gw studio: the browser page `gw online` serves on its
// own port, and the page's HTTP API under /studio/.
//
// The page (web/, embedded: no CDN, works offline) is a console for the
// service (it talks to the WebSocket service as an ordinary client, or
// sends the REST calls), draws the models it loads from the server's
// layout (draw.Scene JSON), lights a run as it goes, and lists every
// session of the service's session.Hub so that one can be watched, paused,
// stepped and stopped at breakpoints.
//
// The API:
//
//	GET  /studio/api/info                    service, whether session control is on
//	POST /studio/api/layout?name=FILE         a model file (JSON, GraphML, DOT) → models and layout
//	GET  /studio/api/sessions                 the live sessions (control)
//	GET  /studio/api/sessions/ID/events       Server-Sent Events: a snapshot, then coalesced updates
//	POST /studio/api/sessions/ID/pause|resume|step
//	PUT  /studio/api/sessions/ID/breakpoints  a JSON list of session.Breakpoint
//
// Every request passes the service's Origin/Host policy and must come
// from the page's own origin (a request without Origin comes from a
// program). Session control — listing, watching and controlling other
// clients' sessions — is on while the service listens on loopback; on
// other addresses it needs the token printed at start-up (Options.Token),
// or is off when there is none. Watching the REST service's machine from
// a REST console is the console's own session and always allowed.
//
// A watcher never slows its session: events arrive through the session's
// bounded queue, are coalesced to at most 30 updates a second, and a
// watcher that lost events is resynchronised from a snapshot.
package studio
