//go:build !race

package record

import "unsafe"

// On amd64 a plain store already has release order (x86-TSO): the slots
// written before it are visible to any core that sees it, so the walker's
// publish needs no fence. sync/atomic's Store is an XCHG, a full fence
// that makes the walker wait for all its pending stores, once a step; the
// assembly call is opaque to the compiler, so it does not reorder stores
// around it either. The race detector cannot see this ordering, hence the
// portable version under -race.

// storeRelease sets *p to v with release order; the writer reads it with
// atomic.LoadUint64.
//
//go:noescape
func storeRelease(p *uint64, v uint64)

// prefetchWrite asks for the cache line at p in a writable state.
//
//go:noescape
func prefetchWrite(p unsafe.Pointer)

// cpuidPrefetchW reports CPUID 8000_0001h ECX bit 8 (PREFETCHW).
func cpuidPrefetchW() bool

// canPrefetchWrite: older Intel processors fault on PREFETCHW.
var canPrefetchWrite = cpuidPrefetchW()
