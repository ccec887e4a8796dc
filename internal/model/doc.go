// Package model holds the in-memory form of GraphWalker models: vertices
// (states to verify), edges (actions) and the model that orders them.
//
// A Model is built by a reader (internal/format/...) or by hand, then frozen
// with Index, which derives the adjacency lists every generator and
// algorithm uses. Elements are addressed by a dense index: vertices first,
// in model order, then edges, in model order — the order GraphWalker uses
// for everything observable (element lookups, tie-breaking, statistics).
package model
