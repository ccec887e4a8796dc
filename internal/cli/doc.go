// Package cli is the gw command line: GraphWalker 4.3's commands (offline,
// online, check, methods, requirements, convert, source) with its option
// syntax, output and exit codes, and gw's own: report, replay and shrink,
// which work on run records (--record). One file per command; Main
// dispatches.
package cli
