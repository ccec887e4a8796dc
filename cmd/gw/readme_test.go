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
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// repoRoot is where the README's commands run.
const repoRoot = "../.."

// readmeCommands returns the command lines the README shows: every line
// of a fenced code block that starts with "gw " or "go run ./cmd/gw",
// split as a shell would. A command in an indented block would escape the
// test, so there is none.
func readmeCommands(t *testing.T) [][]string {
	t.Helper()
	text, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var cmds [][]string
	inFence := false
	for _, line := range strings.Split(string(text), "\n") {
		if strings.HasPrefix(line, "```") {
			inFence = !inFence
			continue
		}
		indented := strings.HasPrefix(line, "    ")
		line = strings.TrimPrefix(strings.TrimSpace(line), "$ ")
		if !inFence {
			if indented && (strings.HasPrefix(line, "gw ") || strings.HasPrefix(line, "go run ")) {
				t.Errorf("README: command %q is in an indented block; put it in a fenced one so that it is tested", line)
			}
			continue
		}
		var rest string
		switch {
		case strings.HasPrefix(line, "go run ./cmd/gw "):
			rest = strings.TrimPrefix(line, "go run ./cmd/gw ")
		case strings.HasPrefix(line, "gw "):
			rest = strings.TrimPrefix(line, "gw ")
		default:
			continue
		}
		args, err := shellWords(rest)
		if err != nil {
			t.Fatalf("README line %q: %v", line, err)
		}
		cmds = append(cmds, args)
	}
	return cmds
}

// shellWords splits a command line as sh does for the simple cases a
// README uses: blanks, "double" and 'single' quotes, # comments.
func shellWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\'':
			end := strings.IndexByte(s[i+1:], c)
			if end < 0 {
				return nil, io.ErrUnexpectedEOF
			}
			cur.WriteString(s[i+1 : i+1+end])
			i += end + 1
			inWord = true
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case c == '#' && !inWord:
			i = len(s)
		case strings.IndexByte("|&;<>()$`\\", c) >= 0:
			return nil, errShell
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

// slowEOF is an input that ends after a while.
type slowEOF struct{ d time.Duration }

func (r slowEOF) Read([]byte) (int, error) { time.Sleep(r.d); return 0, io.EOF }

var errShell = io.ErrNoProgress // the README's commands need no shell features

// TestREADMECommands runs every gw command the README shows, as written,
// from the repository root: each must succeed without printing on stderr.
// `gw online` commands get "-p 0" (a free port), are checked as a client
// would, and are stopped with SIGTERM.
func TestREADMECommands(t *testing.T) {
	cmds := readmeCommands(t)
	if len(cmds) < 10 {
		t.Fatalf("found only %d commands in the README", len(cmds))
	}
	sawNewcomer := false
	for _, args := range cmds {
		name := strings.Join(args, " ")
		sawNewcomer = sawNewcomer || name == "online"
		t.Run(name, func(t *testing.T) {
			if len(args) > 0 && args[0] == "online" {
				readmeOnline(t, args)
				return
			}
			cmd := exec.Command(gwBin, args...)
			cmd.Dir = repoRoot
			var out, errb bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errb
			if args[0] == "mcp" {
				// An MCP server on stdin: a client's first request.
				// Stdin stays open a moment: the server ends at its EOF.
				cmd.Stdin = io.MultiReader(strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"readme","version":"1"}}}`+"\n"), slowEOF{time.Second})
			}
			writesFile := slices.Contains(args, "-o") || slices.Contains(args, "--output")
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				// gw suite's summary (cases, coverage, bound) is its report on stderr.
				quiet := errb.Len() == 0 || args[0] == "suite" && !strings.Contains(errb.String(), "rror")
				if err != nil || !quiet || (out.Len() == 0 && !writesFile) {
					t.Errorf("%v; stderr %q; %d bytes on stdout", err, errb.String(), out.Len())
				}
				if args[0] == "mcp" && !strings.Contains(out.String(), `"protocolVersion"`) {
					t.Errorf("gw mcp did not answer initialize: %q", out.String())
				}
			case <-time.After(60 * time.Second):
				cmd.Process.Kill()
				t.Fatal("still running after 60 s")
			}
		})
	}
	if !sawNewcomer {
		t.Error("the README does not show the newcomer command go run ./cmd/gw online")
	}
}

// readmeOnline starts an online command of the README on a free port,
// follows its start-up message like a newcomer, and stops it.
func readmeOnline(t *testing.T, args []string) {
	cmd := exec.Command(gwBin, append(args, "-p", "0")...)
	cmd.Dir = repoRoot
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := make(chan string, 100)
	for _, r := range []io.Reader{stdout, stderr} {
		go func() {
			sc := bufio.NewScanner(r)
			sc.Buffer(nil, 1<<20)
			for sc.Scan() {
				lines <- sc.Text()
			}
		}()
	}
	var out []string
	addr, example, stopHint := "", "", false
	re := regexp.MustCompile(`(ws|http)://(127\.0\.0\.1:\d+)`)
	deadline := time.After(20 * time.Second)
	for addr == "" || !stopHint || (strings.Contains(strings.Join(out, "\n"), "WebSocket") && example == "") {
		select {
		case l := <-lines:
			out = append(out, l)
			if m := re.FindStringSubmatch(l); m != nil && addr == "" {
				addr = m[2]
			}
			if strings.HasPrefix(l, `{"command":"start"`) {
				example = l
			}
			stopHint = stopHint || strings.Contains(l, "Control+C")
		case <-deadline:
			t.Fatalf("no address, example or stop hint in %q", out)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if example != "" {
		// The printed example starts a walk.
		c, _, err := websocket.Dial(ctx, "ws://"+addr, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer c.CloseNow()
		if err := c.Write(ctx, websocket.MessageText, []byte(example)); err != nil {
			t.Fatal(err)
		}
		_, reply, err := c.Read(ctx)
		var v map[string]any
		if err != nil || json.Unmarshal(reply, &v) != nil || v["success"] != true {
			t.Errorf("the start-up message's example: %s %v", reply, err)
		}
		// The client leaves, so SIGTERM has no session to drain.
		c.Close(websocket.StatusNormalClosure, "")
	} else {
		resp, err := http.Get("http://" + addr + "/graphwalker/hasNext")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !bytes.Contains(b, []byte(`"hasNext":"true"`)) {
			t.Errorf("hasNext: %s", b)
		}
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Errorf("after SIGTERM: %v", err)
	}
}

// TestPythonExampleWithoutWebsockets: the Python client says how to get
// the websockets package instead of a traceback.
func TestPythonExampleWithoutWebsockets(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3")
	}
	// -S leaves out site-packages, where websockets lives.
	cmd := exec.Command(py, "-S", "examples/python/walk.py")
	cmd.Dir = repoRoot
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 ||
		!bytes.Contains(out, []byte("pip install websockets")) || bytes.Contains(out, []byte("Traceback")) {
		t.Errorf("%v: %s", err, out)
	}
}
