package mcp

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/gw-project/gw/internal/gwtest"
	"github.com/gw-project/gw/internal/script"
)

// obj is a decoded JSON object.
type obj = map[string]any

// client is an SDK client connected to a server over in-memory
// transports.
type client struct {
	t  testing.TB
	cs *sdk.ClientSession
}

// newServer starts a Server with opts (models folder testdata/models
// unless set) and connects a client to it.
func newServer(t testing.TB, opts Options) (*Server, *client) {
	t.Helper()
	if opts.ModelsDir == "" {
		opts.ModelsDir = "testdata/models"
	}
	srv, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv, connect(t, srv)
}

// connect connects another client to srv.
func connect(t testing.TB, srv *Server) *client {
	t.Helper()
	ctx := context.Background()
	ct, st := sdk.NewInMemoryTransports()
	ss, err := srv.SDK().Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := sdk.NewClient(&sdk.Implementation{Name: "gw-test", Version: "1"}, nil)
	cs, err := c.Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close(); ss.Wait() })
	return &client{t: t, cs: cs}
}

// result calls a tool and returns its structured result (or its error
// text) and whether it is a tool error.
func (c *client) result(name string, args any) (obj, string, bool) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := c.cs.CallTool(ctx, &sdk.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		c.t.Fatalf("%s: protocol error: %v", name, err)
	}
	var text string
	for _, ct := range res.Content {
		if tc, ok := ct.(*sdk.TextContent); ok {
			text += tc.Text
		}
	}
	if res.IsError {
		return nil, text, true
	}
	var out obj
	b, _ := json.Marshal(res.StructuredContent)
	if err := json.Unmarshal(b, &out); err != nil {
		c.t.Fatalf("%s: structured content %s: %v", name, b, err)
	}
	return out, text, false
}

// ok calls a tool that must succeed.
func (c *client) ok(name string, args any) obj {
	c.t.Helper()
	out, text, isErr := c.result(name, args)
	if isErr {
		c.t.Fatalf("%s(%s) failed: %s", name, jsonText(args), text)
	}
	return out
}

// fails calls a tool that must fail with a message containing every
// want; it returns the message.
func (c *client) fails(name string, args any, want ...string) string {
	c.t.Helper()
	out, text, isErr := c.result(name, args)
	if !isErr {
		c.t.Fatalf("%s(%s) succeeded, want an error containing %q: %s", name, jsonText(args), want, jsonText(out))
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			c.t.Errorf("%s(%s): error %q does not contain %q", name, jsonText(args), text, w)
		}
	}
	return text
}

func jsonText(v any) string {
	s := fullJSON(v)
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

func fullJSON(v any) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
	return strings.TrimSuffix(b.String(), "\n")
}

// Decoded JSON, walked as every MCP test does.
var (
	get  = gwtest.Get
	num  = gwtest.Int
	list = gwtest.List
)

func readTestdata(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// models is a "models" input of one source.
func models(src obj) []obj { return []obj{src} }

func file(p string) []obj { return models(obj{"path": p}) }

func content(text string) []obj { return models(obj{"content": text}) }

func scriptLimits(timeout time.Duration) script.Limits { return script.Limits{Timeout: timeout} }
