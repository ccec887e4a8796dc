// Package report renders what gw tells its users about a walk in
// GraphWalker's JSON shapes: the step object printed by `gw offline` and
// returned by REST getNext (protocol.md §2.4).
package report
