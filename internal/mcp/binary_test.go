package mcp_test

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/gw-project/gw/internal/gwtest"
)

// The tests here start the real gw binary, built once by gwBinary.
func TestMain(m *testing.M) { os.Exit(gwtest.Main(m)) }

func gwBinary(t *testing.T) string { return gwtest.Binary(t) }

// TestStdio starts `gw mcp` and talks to it with the Go SDK's client over
// the process's stdin and stdout.
func TestStdio(t *testing.T) {
	bin := gwBinary(t)
	var stderr bytes.Buffer
	cmd := exec.Command(bin, "mcp", "--models", "testdata/models", "--max-sessions", "1")
	cmd.Stderr = &stderr
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c := sdk.NewClient(&sdk.Implementation{Name: "gw-stdio-test", Version: "1"}, nil)
	cs, err := c.Connect(ctx, &sdk.CommandTransport{Command: cmd}, nil)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	if init := cs.InitializeResult(); init.ServerInfo.Name != "gw" || !strings.Contains(init.Instructions, "start_session") {
		t.Errorf("initialize: %+v", init)
	}
	res, err := cs.CallTool(ctx, &sdk.CallToolParams{Name: "plan_path", Arguments: map[string]any{
		"models": []any{map[string]any{"path": "Login.graphml", "generator": "shortest_all_paths(edge_coverage(100))"}}}})
	if err != nil || res.IsError || !strings.Contains(text(res), `"length":22`) {
		t.Errorf("plan_path: %v %s", err, text(res))
	}
	// The tools of internal/mcptools are wired in.
	res, err = cs.CallTool(ctx, &sdk.CallToolParams{Name: "plan_suite", Arguments: map[string]any{
		"models": []any{map[string]any{"path": "login.json"}}, "cover": "vertices"}})
	if err != nil || res.IsError || !strings.Contains(text(res), `"covered":3`) || !strings.Contains(text(res), `"complete":true`) {
		t.Errorf("plan_suite: %v %s", err, text(res))
	}
	res, err = cs.CallTool(ctx, &sdk.CallToolParams{Name: "draw_model", Arguments: map[string]any{
		"models": []any{map[string]any{"path": "login.json"}}}})
	if err != nil || res.IsError || !strings.HasPrefix(text(res), "<?xml") || !strings.Contains(text(res), "v_LoginPrompted") {
		t.Errorf("draw_model: %v %.300s", err, text(res))
	}
	start := func() *sdk.CallToolResult {
		res, err := cs.CallTool(ctx, &sdk.CallToolParams{Name: "start_session", Arguments: map[string]any{"models": []any{map[string]any{"path": "login.json"}}}})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	if res := start(); res.IsError {
		t.Errorf("start_session: %s", text(res))
	}
	// The flags reach the server.
	if res := start(); !res.IsError || !strings.Contains(text(res), "--max-sessions") {
		t.Errorf("second session with --max-sessions 1: %s", text(res))
	}
	if err := cs.Close(); err != nil {
		t.Logf("close: %v", err)
	}
	if stderr.Len() > 0 {
		t.Logf("stderr: %s", stderr.String())
	}
}

func text(res *sdk.CallToolResult) string {
	if res == nil {
		return ""
	}
	var b strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(*sdk.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String()
}

// TestStdioBadFlags: a bad option is a usage error, before any protocol.
func TestStdioBadFlags(t *testing.T) {
	bin := gwBinary(t)
	for _, args := range [][]string{{"--models", "no/such/folder"}, {"--max-sessions", "0"}, {"--plan-timeout", "x"}} {
		out, err := exec.Command(bin, append([]string{"mcp"}, args...)...).CombinedOutput()
		if err == nil || !strings.Contains(string(out), args[0]) {
			t.Errorf("gw mcp %v: %v\n%s", args, err, out)
		}
	}
}

// A message over --max-message ends the connection with an error that
// names the flag.
func TestStdioMessageLimit(t *testing.T) {
	cmd := exec.Command(gwBinary(t), "mcp", "--max-message", "2048")
	cmd.Stdin = strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"x":"` + strings.Repeat("x", 5000) + "\"}}\n")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "--max-message") {
		t.Errorf("%v\n%s", err, out)
	}
}

// TestTypeScriptClient runs testdata/tsclient/client.mjs — the official
// TypeScript SDK's client (installed by .ci/run with npm ci) — against
// `gw mcp` over stdio, and against the streamable HTTP handler served on
// a loopback port.
func TestTypeScriptClient(t *testing.T) {
	node, err := exec.LookPath("node")
	_, statErr := os.Stat("testdata/tsclient/node_modules/@modelcontextprotocol/sdk/package.json")
	if err != nil || statErr != nil {
		gwtest.Missing(t, "needs node and the TypeScript MCP SDK (cd internal/mcp/testdata/tsclient && npm ci)")
	}
	script, _ := filepath.Abs("testdata/tsclient/client.mjs")
	modelsDir, _ := filepath.Abs("testdata/models")
	run := func(t *testing.T, args ...string) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		out, err := exec.CommandContext(ctx, node, append([]string{script}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if !strings.Contains(string(out), `"edgeCoverage":100`) {
			t.Errorf("unexpected output: %s", out)
		}
		t.Logf("%s", out)
	}
	t.Run("stdio", func(t *testing.T) { run(t, "stdio", gwBinary(t), modelsDir) })
	t.Run("http", func(t *testing.T) {
		// The real service: gw online --mcp, on a free port.
		url, stop := startOnlineMCP(t, "--models", modelsDir)
		defer stop()
		run(t, "http", url)
	})
}

// startOnlineMCP starts `gw online --mcp` on a free loopback port and
// returns its MCP endpoint, read from the start-up message.
func startOnlineMCP(t *testing.T, args ...string) (string, func()) {
	t.Helper()
	cmd := exec.Command(gwBinary(t), append([]string{"online", "--mcp", "-p", "0"}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stop := func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if i := strings.Index(sc.Text(), "http://"); i >= 0 && strings.HasSuffix(sc.Text(), "/mcp") {
				found <- sc.Text()[i:]
			}
		}
	}()
	select {
	case url := <-found:
		return url, stop
	case <-time.After(30 * time.Second):
		stop()
		t.Fatal("gw online --mcp printed no MCP address")
	}
	return "", nil
}

// TestOnlineMCPTools starts `gw online --mcp` and, with the Go SDK's
// streamable HTTP client, finds every tool, those of internal/mcptools
// included, and uses them.
func TestOnlineMCPTools(t *testing.T) {
	modelsDir, _ := filepath.Abs("testdata/models")
	url, stop := startOnlineMCP(t, "--models", modelsDir)
	defer stop()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cs, err := sdk.NewClient(&sdk.Implementation{Name: "gw-online-test", Version: "1"}, nil).Connect(ctx, &sdk.StreamableClientTransport{Endpoint: url}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	tools, err := cs.ListTools(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tool := range tools.Tools {
		names = append(names, tool.Name)
	}
	if len(names) != 30 || !slices.Contains(names, "plan_suite") || !slices.Contains(names, "draw_model") {
		t.Errorf("%d tools: %v", len(names), names)
	}
	res, err := cs.CallTool(ctx, &sdk.CallToolParams{Name: "plan_suite", Arguments: map[string]any{
		"models": []any{map[string]any{"path": "login.json"}}}})
	if err != nil || res.IsError || !strings.Contains(text(res), `"covered":6`) {
		t.Errorf("plan_suite: %v %s", err, text(res))
	}
	res, err = cs.CallTool(ctx, &sdk.CallToolParams{Name: "draw_model", Arguments: map[string]any{
		"models": []any{map[string]any{"path": "Login.graphml"}}, "format": "json"}})
	if err != nil || res.IsError || !strings.HasPrefix(text(res), `{"version":1`) {
		t.Errorf("draw_model: %v %.300s", err, text(res))
	}
}
