package ws

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestPythonExample keeps examples/python/walk.py working.
func TestPythonExample(t *testing.T) {
	py := pythonWithWebsockets(t)
	_, url := startServer(t, Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, py, "../../../examples/python/walk.py", url).CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	s := string(out)
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) < 3 || !strings.HasPrefix(lines[0], "started ws://") || lines[1] != "e_Init" {
		t.Fatalf("unexpected output:\n%s", s)
	}
	for _, e := range []string{"e_StartClient", "e_ValidPremiumCredentials", "e_Logout", "e_Exit"} {
		if !strings.Contains(s, "\n"+e+"\n") {
			t.Errorf("edge %s never walked:\n%s", e, s)
		}
	}
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "done after ") || !strings.Contains(last, "loggedIn=") {
		t.Errorf("last line: %s", last)
	}
	// Without a server it says what to do.
	out, err = exec.CommandContext(ctx, py, "../../../examples/python/walk.py", "ws://127.0.0.1:1").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "gw online") {
		t.Errorf("no server: %v\n%s", err, out)
	}
}
