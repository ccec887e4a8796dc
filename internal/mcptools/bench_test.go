package mcptools

import (
	"testing"

	"github.com/gw-project/gw/internal/mcp"
)

// Round trips through the SDK's client and server over an in-memory
// transport, as internal/mcp's benchmarks measure its tools.

// plan_suite of petClinic.json's edges (5 models joined by shared states,
// 25 edges, guards): planning, every case run by the machine, the reply.
func BenchmarkPlanSuite(b *testing.B) {
	c := newServer(b, mcp.Options{})
	args := obj{"models": file("petClinic.json")}
	for b.Loop() {
		c.ok("plan_suite", args)
	}
}

// draw_model of petClinic.json as SVG (about 15 KB of text content).
func BenchmarkDrawModel(b *testing.B) {
	c := newServer(b, mcp.Options{})
	args := obj{"models": file("petClinic.json")}
	for b.Loop() {
		c.ok("draw_model", args)
	}
}
