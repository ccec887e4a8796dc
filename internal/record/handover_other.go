//go:build !amd64 || race

package record

import (
	"sync/atomic"
	"unsafe"
)

// storeRelease sets *p to v with (at least) release order.
func storeRelease(p *uint64, v uint64) { atomic.StoreUint64(p, v) }

func prefetchWrite(unsafe.Pointer) {}

const canPrefetchWrite = false
