// Package limits holds what bounds gw's use of memory and time as a whole:
// the error every hit limit returns (naming the limit and the flag that
// raises it), byte sizes as flags write them ("64MiB"), and the process's
// memory budget (--memory-budget): a sampled view of the Go heap, the GC's
// soft limit, and reservations that large transient work (reading and
// building a model from a 30 MB message) takes before it starts, so that
// many such requests at once wait or fail instead of exhausting memory.
package limits
