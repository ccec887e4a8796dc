// Package algorithm holds the graph algorithms the generators use, over the
// element graph of a model: vertices and edges are both nodes; a vertex
// leads to its out-edges and an edge leads to its target.
//
// GraphWalker answers distance queries from an all-pairs Floyd–Warshall
// table (O(n³) time, O(n²) memory, n = vertices+edges). Here each query is a
// breadth-first search from the target over reversed links, O(V+E), cached
// per target, which gives the same numbers.
//
// Planner plans covering walks for shortest_all_paths over a graph whose
// nodes are vertices (of one model, or of several joined by shared-state
// jumps): the shortest walk through every edge (open directed Chinese
// postman: min-cost flow on degree imbalances, then an Euler walk), and a
// nearest-first heuristic for vertices. FleuryTrail reproduces
// GraphWalker's own trail where it exists.
//
// For test suites (gw suite) the Planner also plans sets of cases, each
// from the start element: EdgeCases and EdgePairCases exactly, by min-cost
// flow with lower bounds and a reset hub (edge pairs on the line graph),
// TargetCases for vertices and requirements heuristically with lower
// bounds (cases.go explains the formulation).
package algorithm
