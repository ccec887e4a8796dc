package mcptools

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/gwtest"
	"github.com/gw-project/gw/internal/mcp"
	"github.com/gw-project/gw/internal/model"
)

// obj is a decoded JSON object.
type obj = map[string]any

// client is an SDK client connected over in-memory transports to a
// server with this package's tools.
type client struct {
	t  testing.TB
	cs *sdk.ClientSession
}

// newServer starts a server with opts, this package's tools and the
// models folder testdata/models, and connects a client to it.
func newServer(t testing.TB, opts mcp.Options) *client {
	t.Helper()
	opts.ModelsDir = "testdata/models"
	opts.Extensions = append(opts.Extensions, Suite(), Draw())
	srv, err := mcp.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	ctx := context.Background()
	ct, st := sdk.NewInMemoryTransports()
	ss, err := srv.SDK().Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := sdk.NewClient(&sdk.Implementation{Name: "gw-test", Version: "1"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close(); ss.Wait() })
	return &client{t: t, cs: cs}
}

// on is the client reporting to t (a subtest).
func (c *client) on(t testing.TB) *client { return &client{t: t, cs: c.cs} }

// call calls a tool; it returns the structured result, the text content
// and whether the result is a tool error.
func (c *client) call(name string, args any) (obj, string, bool) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	res, err := c.cs.CallTool(ctx, &sdk.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		c.t.Fatalf("%s: protocol error: %v", name, err)
	}
	var text strings.Builder
	for _, ct := range res.Content {
		if tc, ok := ct.(*sdk.TextContent); ok {
			text.WriteString(tc.Text)
		}
	}
	if res.IsError {
		return nil, text.String(), true
	}
	var out obj
	b, _ := json.Marshal(res.StructuredContent)
	if err := json.Unmarshal(b, &out); err != nil {
		c.t.Fatalf("%s: structured content %s: %v", name, b, err)
	}
	return out, text.String(), false
}

// ok calls a tool that must succeed.
func (c *client) ok(name string, args any) (obj, string) {
	c.t.Helper()
	out, text, isErr := c.call(name, args)
	if isErr {
		c.t.Fatalf("%s(%s) failed: %s", name, short(args), text)
	}
	return out, text
}

// fails calls a tool that must fail with an error containing every want.
func (c *client) fails(name string, args any, want ...string) {
	c.t.Helper()
	out, text, isErr := c.call(name, args)
	if !isErr {
		c.t.Fatalf("%s(%s) succeeded, want an error containing %q: %s", name, short(args), want, short(out))
	}
	c.t.Logf("%s: %s", name, text)
	for _, w := range want {
		if !strings.Contains(text, w) {
			c.t.Errorf("%s(%s): error %q does not contain %q", name, short(args), text, w)
		}
	}
}

func short(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}

// Decoded JSON, walked as every MCP test does.
var (
	get  = gwtest.Get
	num  = gwtest.Int
	list = gwtest.List
)

func file(p string) []obj { return []obj{{"path": p}} }

func content(text string) []obj { return []obj{{"content": text}} }

// loadFile reads testdata/models/name as the server would, indexed.
func loadFile(t testing.TB, name string) []*model.Model {
	t.Helper()
	data, err := os.ReadFile("testdata/models/" + name)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := gwjson.Parse(data, name)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range doc.Models {
		if err := m.Index(); err != nil {
			t.Fatal(err)
		}
	}
	return doc.Models
}
