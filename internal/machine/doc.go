// Package machine walks models: it is GraphWalker's SimpleMachine.
//
// A Machine holds one Context per model. Each step it asks the current
// context's generator for the next element, jumps between models at shared
// states, runs the element's JavaScript actions, and keeps coverage and
// requirement bookkeeping incrementally (O(1) per step). The step order,
// shared-state rules and random draws follow GraphWalker 4.3 exactly, so a
// seeded walk is the same walk GraphWalker makes.
//
// A Machine is not safe for concurrent use; servers serialise access.
package machine
