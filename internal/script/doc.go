// Package script runs the JavaScript of GraphWalker models — guards,
// actions and INIT blocks — on goja.
//
// Scripts are compiled once (Compile caches by source text) and run in an
// Env: one per model (context) plus one machine-wide global Env, as
// GraphWalker scopes them. A watchdog interrupts any script that runs past
// its deadline, so a `while(true){}` in a model is an error, not a hang.
package script
