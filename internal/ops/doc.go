// Package ops is what an operator of a shared gw service gets besides the
// service itself: Prometheus metrics fed by the session hub and the
// servers' hooks (Metrics), the health endpoints /healthz and /readyz,
// graceful drain (Drainer: refuse new sessions, let open ones finish,
// then close them with 1001 going away) and one structured log line per
// session (SessionLog).
//
// Metrics use a private registry (never the global one): tests and
// several services in one process each get their own.
package ops
