//go:build unix && !race

package record

import (
	"syscall"
	"unsafe"
)

// allocSlots maps the ring outside the Go heap. On the heap its 256 KB
// would count towards the collector's goal: a fast walk's heap is a few
// megabytes, so the ring alone made it collect a third more often (22
// cycles instead of 16 on a 2M-step login walk), and the collections
// cost the walk more than the hand-over. It falls back to the heap if
// the mapping fails. The race detector sees only the heap, hence make
// under -race.
func allocSlots(n int) ([]slot, func()) {
	size := n * int(unsafe.Sizeof(slot(0)))
	mem, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return make([]slot, n), func() {}
	}
	s := unsafe.Slice((*slot)(unsafe.Pointer(&mem[0])), n)
	return s, func() { syscall.Munmap(mem) }
}
