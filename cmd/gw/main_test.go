package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// These tests build the real binary and use it as a user or a client would.

var gwBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gw-e2e")
	if err != nil {
		panic(err)
	}
	gwBin = filepath.Join(dir, "gw")
	if out, err := exec.Command("go", "build", "-o", gwBin, ".").CombinedOutput(); err != nil {
		panic(string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func gw(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(gwBin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return out.String(), errb.String(), ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), 0
}

// TestVersion reads the version as AltWalker's get_version does: the
// first line, after its last ':', split at '-', numbers first. It must be
// the GraphWalker version gw is compatible with, followed by gw's own.
func TestVersion(t *testing.T) {
	out, errOut, code := gw(t, "--version")
	first := strings.SplitN(out, "\n", 2)[0]
	if code != 0 || errOut != "" {
		t.Fatalf("code %d, stderr %q", code, errOut)
	}
	text := strings.TrimSpace(first[strings.LastIndexByte(first, ':')+1:])
	version, suffix, _ := strings.Cut(text, "-")
	if version != "4.3.3" || !regexp.MustCompile(`^gw\d+\.\d+\.\d+$`).MatchString(suffix) {
		t.Fatalf("first line %q: AltWalker reads version %q, suffix %q", first, version, suffix)
	}
}

func TestOfflineSeeded(t *testing.T) {
	args := []string{"offline", "--seed", "5", "-m", "testdata/SmallModel.json", "random(edge_coverage(100))"}
	out1, errOut, code := gw(t, args...)
	if code != 0 || errOut != "" {
		t.Fatalf("code %d: %s", code, errOut)
	}
	out2, _, _ := gw(t, args...)
	if out1 != out2 {
		t.Fatal("same seed, different paths")
	}
	lines := strings.Split(strings.TrimSpace(out1), "\n")
	var first map[string]string
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil || first["currentElementName"] != "e_FirstAction" {
		t.Fatalf("first line %q (%v)", lines[0], err)
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args   []string
		code   int
		stderr string
	}{
		{nil, 1, "Missing a command. Use the '--help' option to list all available commands."},
		{[]string{"bogus"}, 1, "Expected a command, got bogus"},
		{[]string{"offline", "-m", "testdata/SmallModel.json"}, 1, "Expected 2 values after -m"},
		{[]string{"offline", "-m", "testdata/SmallModel.json", "random(edge_coverage(100)"}, 2, "did not conform to GraphWalker syntax rules"},
		{[]string{"offline", "-m", "testdata/nope.json", "random(edge_coverage(100))"}, 2, "Could not read the file"},
		{[]string{"offline", "-m", "testdata/SmallModel.json", "random(reached_vertex(v_Nope))"}, 2, "Vertex [v_Nope] not found"},
		{[]string{"-d", "foo", "offline"}, 1, "Incorrect argument to --debug"},
		{[]string{"online", "-s", "SOAP"}, 1, "--service expected either WEBSOCKET or RESTFUL."},
	}
	for _, tt := range tests {
		_, errOut, code := gw(t, tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.stderr) {
			t.Errorf("gw %v: code %d, stderr %q; want code %d and %q", tt.args, code, errOut, tt.code, tt.stderr)
		}
	}
}

// startServer starts `gw online ARGS -p 0` and returns the address it
// reports and a stop function that sends SIGTERM and waits.
func startServer(t *testing.T, args ...string) (addr string, stop func() int) {
	t.Helper()
	// --drain-timeout 0: stop() stops at once, open sessions or not (the
	// drain has its own test, internal/ops).
	cmd := exec.Command(gwBin, append([]string{"online", "-p", "0", "--drain-timeout", "0"}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		re := regexp.MustCompile(`(?:http|ws)://(127\.0\.0\.1:\d+)`)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
	}()
	select {
	case addr = <-found:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("server did not report its address")
	}
	return addr, func() int {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			t.Fatal("server did not stop on SIGTERM")
		}
		return cmd.ProcessState.ExitCode()
	}
}

func TestRESTService(t *testing.T) {
	addr, stop := startServer(t, "-s", "RESTFUL", "-m", "testdata/SmallModel.json", "random(edge_coverage(100))")
	get := func(path string) map[string]any {
		resp, err := http.Get("http://" + addr + "/graphwalker/" + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var v map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return v
	}
	if v := get("hasNext"); v["result"] != "ok" || v["hasNext"] != "true" {
		t.Fatalf("hasNext: %v", v)
	}
	if v := get("getNext"); v["result"] != "ok" || v["currentElementName"] != "e_FirstAction" {
		t.Fatalf("getNext: %v", v)
	}
	if v := get("getData"); v["result"] != "ok" {
		t.Fatalf("getData: %v", v)
	}
	if code := stop(); code != 0 {
		t.Errorf("exit code %d after SIGTERM", code)
	}
}

func TestWebSocketService(t *testing.T) {
	addr, stop := startServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws://"+addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	model, _ := os.ReadFile("testdata/SmallModel.json")
	send := func(msg string) map[string]any {
		if err := c.Write(ctx, websocket.MessageText, []byte(msg)); err != nil {
			t.Fatal(err)
		}
		for {
			_, data, err := c.Read(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var v map[string]any
			if err := json.Unmarshal(data, &v); err != nil {
				t.Fatal(err)
			}
			if v["command"] == "visitedElement" {
				continue
			}
			return v
		}
	}
	if v := send(`{command: "start", gw: ` + string(model) + `}`); v["success"] != true {
		t.Fatalf("start: %v", v)
	}
	if v := send(`{"command":"hasNext"}`); v["hasNext"] != true {
		t.Fatalf("hasNext: %v", v)
	}
	if v := send(`{"command":"getNext"}`); v["name"] != "e_FirstAction" {
		t.Fatalf("getNext: %v", v)
	}
	if code := stop(); code != 0 {
		t.Errorf("exit code %d after SIGTERM", code)
	}
}
