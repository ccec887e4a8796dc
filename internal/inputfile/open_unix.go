//go:build unix

package inputfile

import (
	"os"
	"syscall"
)

// open opens path without blocking: opening a FIFO for reading otherwise
// waits for a writer. Reads from a regular file ignore O_NONBLOCK.
func open(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
