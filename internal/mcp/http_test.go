package mcp

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// startHTTP serves a handler with opts on a loopback port.
func startHTTP(t *testing.T, opts Options) (*HTTPHandler, string) {
	t.Helper()
	if opts.ModelsDir == "" {
		opts.ModelsDir = "testdata/models"
	}
	h, err := NewHTTPHandler(opts)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/mcp", h)
	ts := httptest.NewServer(mux)
	t.Cleanup(func() { h.Close(); ts.Close() })
	return h, ts.URL + "/mcp"
}

func dialHTTP(t *testing.T, url string) (*client, error) {
	t.Helper()
	c := sdk.NewClient(&sdk.Implementation{Name: "gw-http-test", Version: "1"}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cs, err := c.Connect(ctx, &sdk.StreamableClientTransport{Endpoint: url, MaxRetries: -1}, nil)
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { cs.Close() })
	return &client{t: t, cs: cs}, nil
}

const initialize = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}`

// post sends a raw MCP POST and returns the status and body.
func post(t *testing.T, url, body string, header map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	for k, v := range header {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	return resp.StatusCode, string(b)
}

func TestHTTPHandler(t *testing.T) {
	h, url := startHTTP(t, Options{})
	c, err := dialHTTP(t, url)
	if err != nil {
		t.Fatal(err)
	}
	if out := c.ok("check_model", obj{"models": file("login.json")}); out["ok"] != true {
		t.Errorf("check over HTTP: %s", jsonText(out))
	}
	sid := c.ok("start_session", obj{"models": file("login.json"), "seed": 1})["session_id"]
	if out := c.ok("next_step", obj{"session_id": sid}); get(out, "step", "name") != "e_Init" {
		t.Errorf("next_step over HTTP: %s", jsonText(out))
	}
	if h.Clients() != 1 {
		t.Errorf("%d clients, want 1", h.Clients())
	}
	// Sessions outlive their client: another client may drive them.
	c2, err := dialHTTP(t, url)
	if err != nil {
		t.Fatal(err)
	}
	if out := c2.ok("next_step", obj{"session_id": sid}); num(out["steps"]) != 2 {
		t.Errorf("next_step from another client: %s", jsonText(out))
	}
	res, err := c2.cs.ListResources(t.Context(), nil)
	if err != nil || len(res.Resources) != 4 {
		t.Errorf("resources over HTTP: %v %s", err, jsonText(res))
	}
}

func TestHTTPOriginAndHost(t *testing.T) {
	_, url := startHTTP(t, Options{AllowOrigins: []string{"studio.example.com"}})
	for _, f := range []struct {
		header map[string]string
		status int
		want   string
	}{
		{map[string]string{"Origin": "https://evil.example"}, 403, "--allow-origin"},
		{map[string]string{"Origin": "null"}, 403, "not allowed"},
		{map[string]string{"Host": "evil.example:80"}, 403, "Host"},
		{map[string]string{"Origin": "http://localhost:5173"}, 200, `"serverInfo"`},
		{map[string]string{"Origin": "https://studio.example.com"}, 200, `"serverInfo"`},
		{nil, 200, `"serverInfo"`},
	} {
		status, body := post(t, url, initialize, f.header)
		if status != f.status || !strings.Contains(body, f.want) {
			t.Errorf("%v: %d %q, want %d with %q", f.header, status, body, f.status, f.want)
		}
	}
}

func TestHTTPLimits(t *testing.T) {
	h, url := startHTTP(t, Options{MaxMessageBytes: 4096, MaxClients: 1, IdleTimeout: time.Second})
	big := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"x":"` + strings.Repeat("x", 8192) + `"}}`
	if status, body := post(t, url, big, nil); status != http.StatusRequestEntityTooLarge {
		t.Errorf("big body: %d %s", status, body)
	}
	// The refused request may still count as a joining client for a
	// moment after its answer went out (its handler has not returned yet).
	busy := func() bool {
		h.mu.Lock()
		defer h.mu.Unlock()
		return h.Clients()+h.joining > 0
	}
	settle := func() {
		for end := time.Now().Add(5 * time.Second); busy() && time.Now().Before(end); {
			time.Sleep(10 * time.Millisecond)
		}
	}
	settle()
	// The SDK's client sometimes sends its initialize a second time while
	// the first is still being answered (seen under -race); with one client
	// allowed, that second one is refused. Connect again once it is gone.
	if _, err := dialHTTP(t, url); err != nil {
		settle()
		if _, err := dialHTTP(t, url); err != nil {
			t.Fatal(err)
		}
	}
	status, body := post(t, url, initialize, nil)
	if status != http.StatusServiceUnavailable || !strings.Contains(body, FlagMaxClients) {
		t.Errorf("second client: %d %s", status, body)
	}
	// An idle client is closed, which makes room.
	deadline := time.Now().Add(5 * time.Second)
	for h.Clients() > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if h.Clients() != 0 {
		t.Fatalf("idle client still open")
	}
	if status, body := post(t, url, initialize, nil); status != http.StatusOK {
		t.Errorf("after the idle client left: %d %s", status, body)
	}
}
