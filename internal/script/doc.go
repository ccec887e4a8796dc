// Package script runs the JavaScript of GraphWalker models — guards,
// actions, INIT blocks and setData scripts — on goja, contained: every
// script is untrusted.
//
// A Sandbox is one session's JavaScript: its scopes (Envs, one per model
// plus the machine-wide global one, as GraphWalker scopes them) and its
// Limits. Scripts are compiled once (Compile caches by source text, bounded
// in bytes) after a check of their size and nesting, because goja's parser
// recurses once per level and a Go stack overflow kills the process. An
// operation (a step, a data listing, a setData script) has one deadline for
// all it runs; a watchdog interrupts it. goja cannot interrupt its built-in
// functions nor bound its heap, so each scope's built-ins whose cost grows
// with a length the script picks are replaced by bounded ones (harden.go),
// the data display is our own bounded JSON writer, and the growth of the
// heap while an operation runs is sampled and charged to it. README.md
// ("The JavaScript sandbox") and BENCHMARKS.md give the decision and its
// figures.
package script
