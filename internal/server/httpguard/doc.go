// Package httpguard protects gw's two network services (the WebSocket and
// the REST service of `gw online`) from what the threat model expects of
// their clients: web pages of other sites, DNS rebinding, slow or idle
// connections, one client opening too many, and messages that cost more
// memory than the process can give.
//
//   - Policy checks a request's Origin and Host headers: browser pages are
//     admitted from loopback origins and the --allow-origin patterns only,
//     and requests must be addressed to a name of this service (loopback
//     names, an IP address, the --host name, a name an --allow-origin
//     pattern gives), so that a page whose name was rebound to 127.0.0.1
//     cannot drive it. Refusals are logged with the flag that admits them.
//   - Clients caps the connections one client address may hold open
//     (--max-conns-per-client); behind reverse proxies named with
//     --trusted-proxy, the address they forward counts instead.
//   - NewServer sets the http.Server timeouts; BodyReader and SkipBody
//     bound the time a request body may take.
//   - Reservation takes the memory budget (limits.Reserve) a message
//     will cost while it is read, so many large messages at once wait or
//     fail instead of exhausting memory.
package httpguard
