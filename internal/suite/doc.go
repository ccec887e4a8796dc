// Package suite plans test suites: many short test cases instead of one
// long walk. Every case starts at the start element (the test resets the
// system under test between cases) and the cases together cover every
// edge, every vertex, every requirement, or every pair of consecutive edges
// of one model or of several joined by shared states.
//
// Planning is algorithm.Planner's EdgeCases, EdgePairCases and
// TargetCases: exact by min-cost flow for edges and edge pairs (the fewest
// steps with a reset cost per case, or the fewest cases), a heuristic with
// lower bounds for vertices and requirements, and for cases of bounded
// length. Guards are then taken into account the way the models define
// them: each case is run by gw's machine, with the real JavaScript from the
// models' initial data, as the GraphWalker file `gw suite --format gw`
// writes it (one model copy per case, walked with predefined_path); a case
// that a guard blocks is re-planned from where it stopped with the guards
// as they evaluate there, and what no case can reach is reported with the
// guards that block it.
//
// The writers render a suite as JSON lines (steps as `gw offline` prints
// them), that GraphWalker file, AltWalker step files for `altwalker walk`,
// and a Markdown table.
package suite
