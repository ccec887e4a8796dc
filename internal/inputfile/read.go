package inputfile

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/gw-project/gw/internal/limits"
)

// Flag is the command-line flag that sets the limit.
const Flag = "--max-file-size"

// DefaultMax is the default limit: far above any real model (GraphWalker's
// largest examples are a few MB) and below what a 2-core CI machine holds
// several copies of.
const DefaultMax int64 = 256 << 20

// NotRegularError is a path that names something other than a regular file.
type NotRegularError struct {
	Path string
	What string // "a folder", "a named pipe (FIFO)", "a device", …
}

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("%s is %s, not a regular file; gw reads models and templates from regular files only", e.Path, e.What)
}

// Read returns the contents of the regular file at path, at most max bytes
// (DefaultMax when max <= 0). Symbolic links are followed; what they lead
// to must be a regular file too. The error for a file over the limit is a
// *limits.Error of kind limits.ErrSize; for anything but a regular file it
// is a *NotRegularError; otherwise the *fs.PathError of the failed call.
func Read(path string, max int64) ([]byte, error) {
	if max <= 0 {
		max = DefaultMax
	}
	// Stat first, so that a device is never opened (opening some has
	// effects); then again on the open file, which is what is read.
	if st, err := os.Stat(path); err != nil {
		return nil, err
	} else if !st.Mode().IsRegular() {
		return nil, &NotRegularError{Path: path, What: describe(st.Mode())}
	}
	f, err := open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, &NotRegularError{Path: path, What: describe(st.Mode())}
	}
	if st.Size() > max {
		return nil, tooBig(path, max)
	}
	// Stat may be wrong (/proc, a file being written): the limit is what
	// is read, not what Stat says.
	var b bytes.Buffer
	b.Grow(int(min(st.Size(), max)) + bytes.MinRead)
	if _, err := b.ReadFrom(io.LimitReader(f, max+1)); err != nil {
		return nil, err
	}
	if int64(b.Len()) > max {
		return nil, tooBig(path, max)
	}
	return b.Bytes(), nil
}

func tooBig(path string, max int64) error {
	return &limits.Error{What: path, Limit: "the file is larger than the file size limit of " + limits.FormatSize(max), Flag: Flag, Kind: limits.ErrSize}
}

func describe(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file (" + m.Type().String() + ")"
}
