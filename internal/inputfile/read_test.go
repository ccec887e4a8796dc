package inputfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gw-project/gw/internal/limits"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.json")
	if err := os.WriteFile(small, []byte("0123456789"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(small, link); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{small, link} {
		got, err := Read(p, 10)
		if err != nil || string(got) != "0123456789" {
			t.Errorf("Read(%s, 10) = %q, %v", p, got, err)
		}
	}
	_, err := Read(small, 9)
	var le *limits.Error
	if !errors.As(err, &le) || !errors.Is(err, limits.ErrSize) || !strings.Contains(err.Error(), "--max-file-size") || !strings.Contains(err.Error(), "9 bytes") {
		t.Errorf("over the limit: %v", err)
	}
	if _, err := Read(filepath.Join(dir, "nope"), 0); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	var nr *NotRegularError
	if _, err := Read(dir, 0); !errors.As(err, &nr) || nr.What != "a folder" {
		t.Errorf("folder: %v", err)
	}
}

// TestReadSpecialFiles: devices and FIFOs, directly or through a link, are
// refused at once; nothing is read from them.
func TestReadSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "model.json")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	zero := filepath.Join(dir, "zero.json")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	for path, what := range map[string]string{fifo: "a named pipe (FIFO)", zero: "a character device", "/dev/urandom": "a character device"} {
		done := make(chan error, 1)
		go func() { _, err := Read(path, 0); done <- err }()
		select {
		case err := <-done:
			var nr *NotRegularError
			if !errors.As(err, &nr) || nr.What != what || !strings.Contains(err.Error(), "not a regular file") {
				t.Errorf("%s: %v", path, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: Read hangs", path)
		}
	}
}

// TestReadProcFile: Stat says 0 bytes, the limit still holds.
func TestReadProcFile(t *testing.T) {
	const p = "/proc/self/maps"
	if _, err := os.Stat(p); err != nil {
		t.Skip(err)
	}
	if _, err := Read(p, 16); !errors.Is(err, limits.ErrSize) {
		t.Errorf("got %v, want the size limit", err)
	}
}
