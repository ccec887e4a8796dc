package mcp

import (
	"context"
	"testing"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// An Extension's tool follows the server's conventions: schema-checked
// input, the server's model loading and limits, panics contained.
func TestExtension(t *testing.T) {
	type in struct {
		Models []ModelInput `json:"models"`
		Boom   bool         `json:"boom,omitempty"`
	}
	type out struct {
		Vertices int `json:"vertices"`
	}
	ext := func(r *Registry) {
		AddTool(r, &sdk.Tool{Name: "count_vertices", Description: "Count vertices."}, func(ctx context.Context, in in) (out, error) {
			if in.Boom {
				panic("boom")
			}
			ms, err := r.LoadModels(ctx, in.Models, true)
			if err != nil {
				return out{}, err
			}
			n := 0
			for _, m := range ms {
				n += len(m.Vertices)
			}
			return out{Vertices: n}, nil
		})
	}
	_, c := newServer(t, Options{Extensions: []Extension{ext}, MaxElements: 50})
	if got := c.ok("count_vertices", obj{"models": file("login.json")}); num(got["vertices"]) != 3 {
		t.Errorf("count_vertices: %s", jsonText(got))
	}
	c.fails("count_vertices", obj{"models": file("login.json"), "boom": true}, "internal error in gw while running count_vertices: boom", "please report")
	c.fails("count_vertices", obj{"models": file("nope.json")}, "no such file")
	c.fails("count_vertices", obj{}, "models")
	// The server still serves.
	c.ok("count_vertices", obj{"models": file("sub/small.dot")})
}

// pictureOut brings its own content (ContentResult).
type pictureOut struct {
	Bytes   int `json:"bytes"`
	picture string
}

func (p pictureOut) ToolContent() []sdk.Content {
	return []sdk.Content{&sdk.TextContent{Text: p.picture}}
}

// An output that is a ContentResult is the text the agent reads; the
// structured result is still the output.
func TestExtensionContent(t *testing.T) {
	type in struct {
		Models []ModelInput `json:"models"`
	}
	ext := func(r *Registry) {
		AddTool(r, &sdk.Tool{Name: "picture", Description: "A picture.", InputSchema: InputSchema[in](), Annotations: ReadOnly("Picture")},
			func(ctx context.Context, in in) (pictureOut, error) {
				ms, err := r.LoadModels(ctx, in.Models, false)
				if err != nil {
					return pictureOut{}, err
				}
				p := "<svg>" + Ref(ms[0], 0).Name + "</svg>"
				return pictureOut{Bytes: len(p), picture: p}, nil
			})
	}
	_, c := newServer(t, Options{Extensions: []Extension{ext}})
	out, text, isErr := c.result("picture", obj{"models": file("login.json")})
	if isErr || text != "<svg>v_ClientNotRunning</svg>" || num(out["bytes"]) != len(text) {
		t.Errorf("picture: %v %q %s", isErr, text, jsonText(out))
	}
	c.fails("picture", obj{"models": file("broken.json")}, "broken.json")
}
