// Package condition implements GraphWalker's stop conditions: when a
// generator has walked enough (edge_coverage, vertex_coverage,
// requirement_coverage, dependency_edge_coverage, reached_vertex,
// reached_edge, reached_shared_state, length, time_duration, never,
// predefined_path) and their and/or combinations; and gw's own
// edge_pair_coverage (pairs of consecutive edges).
//
// Each condition is bound to one context (one model being walked) and reads
// the context's coverage counters, which the machine keeps incrementally, so
// checking a coverage condition is O(1) per step.
package condition
