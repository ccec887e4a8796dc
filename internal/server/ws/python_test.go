package ws

import (
	"context"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

var pythonOnce struct {
	sync.Once
	path string
}

// pythonWithWebsockets finds a python3 that can import websockets: the
// first python3 on PATH, else Debian's /usr/bin/python3 (where the
// python3-websockets package installs), or skips the test.
func pythonWithWebsockets(t *testing.T) string {
	pythonOnce.Do(func() {
		cands := []string{"/usr/bin/python3"}
		if p, err := exec.LookPath("python3"); err == nil {
			cands = append([]string{p}, cands...)
		}
		for _, p := range cands {
			if exec.Command(p, "-c", "import websockets").Run() == nil {
				pythonOnce.path = p
				return
			}
		}
	})
	if pythonOnce.path == "" {
		t.Skip(`skipped: no python3 that can "import websockets" (install Debian's python3-websockets)`)
	}
	return pythonOnce.path
}

// TestPython drives the server from Python's websockets library.
func TestPython(t *testing.T) {
	py := pythonWithWebsockets(t)
	_, url := startServer(t, Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	td, _ := filepath.Abs("testdata")
	out, err := exec.CommandContext(ctx, py, filepath.Join(td, "e2e.py"), url, td).CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	t.Logf("%s", out)
}
