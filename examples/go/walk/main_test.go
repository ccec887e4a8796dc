package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gw-project/gw/internal/server/ws"
)

func server(t *testing.T) string {
	srv := ws.NewHandler(ws.Options{})
	hs := httptest.NewServer(srv)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		hs.Close()
	})
	return "ws" + strings.TrimPrefix(hs.URL, "http")
}

func checkOutput(t *testing.T, out string) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 3 || !strings.HasPrefix(lines[0], "started ws://") || lines[1] != "e_Init" || lines[2] != "v_ClientNotRunning" {
		t.Fatalf("unexpected output:\n%s", out)
	}
	for _, e := range []string{"e_StartClient", "e_ValidPremiumCredentials", "e_Logout", "e_Exit"} {
		if !strings.Contains(out, "\n"+e+"\n") {
			t.Errorf("edge %s never walked:\n%s", e, out)
		}
	}
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "done after ") || !strings.Contains(last, "loggedIn=") {
		t.Errorf("last line: %s", last)
	}
}

func TestRun(t *testing.T) {
	url := server(t)
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := run(ctx, url, &out); err != nil {
		t.Fatal(err)
	}
	checkOutput(t, out.String())
}

// TestBinary builds the example and runs it as a user would.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the example")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	bin := filepath.Join(t.TempDir(), "walk")
	if out, err := exec.Command(goBin, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, server(t)).CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	checkOutput(t, string(out))
}

func TestNoServer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := run(ctx, "ws://127.0.0.1:1", &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "gw online") {
		t.Fatalf("want a hint to start gw online, got %v", err)
	}
}
