// Package algorithm holds the graph algorithms the generators use, over the
// element graph of a model: vertices and edges are both nodes; a vertex
// leads to its out-edges and an edge leads to its target.
//
// GraphWalker answers distance queries from an all-pairs Floyd–Warshall
// table (O(n³) time, O(n²) memory, n = vertices+edges). Here each query is a
// breadth-first search from the target over reversed links, O(V+E), cached
// per target, which gives the same numbers.
package algorithm
