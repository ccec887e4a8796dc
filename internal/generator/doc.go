// Package generator implements GraphWalker's path generators — random,
// weighted_random, quick_random, a_star, shortest_all_paths,
// predefined_path and sequences of them — and builds them from the
// generator language ("random(edge_coverage(100))").
//
// A generator chooses the next element of one context; it draws random
// numbers exactly where GraphWalker draws them, so seeded walks are the
// same as GraphWalker's (quick_random leaves GraphWalker's path only where
// it provably never ends: see QuickRandom). shortest_all_paths walks GraphWalker's Euler trail
// where one exists and otherwise a plan from internal/algorithm: the
// shortest walk covering every edge (an open Chinese postman tour),
// re-planned when a guard blocks it.
package generator
