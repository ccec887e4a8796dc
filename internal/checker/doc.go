// Package checker is gw's model checker: GraphWalker 4.3's checks
// (graphwalker-model-checker: ElementChecker, VertexChecker, EdgeChecker,
// ModelChecker, ContextChecker, ContextsChecker) with their exact messages
// and order, followed by gw's own checks of what would make a walk fail or
// never end: elements that cannot be reached from any start element, and
// stop conditions that cannot be met. `gw check` prints the result.
package checker
