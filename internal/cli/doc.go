// Package cli is the gw command line: GraphWalker 4.3's commands (offline,
// online, check, methods, requirements, convert, source) with its option
// syntax, output and exit codes, gw's own help for newcomers (errors that
// end with a pointer to `gw COMMAND --help`, hints for misplaced
// arguments), and gw's own commands report, replay and shrink, which work
// on run records (--record). One file per command; Main dispatches. Every
// file a command reads goes through internal/inputfile (--max-file-size,
// regular files only; run records are streamed by internal/record under
// the same rules, --max-file-size bounding a line); offline flushes only
// whole lines, also when a signal stops it.
package cli
