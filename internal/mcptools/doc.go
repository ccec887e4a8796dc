// Package mcptools holds MCP tools of gw's parts that internal/mcp does
// not import, each an mcp.Extension that internal/cli wires into `gw mcp`
// and `gw online --mcp`:
//
//   - Suite: plan_suite, what `gw suite` plans (internal/suite): short
//     test cases from the start element that together cover every edge,
//     vertex, requirement or pair of consecutive edges, with the lower
//     bounds, whether the suite is optimal, and what no case can cover
//     and why;
//   - Draw: draw_model, what `gw draw` draws (internal/layout,
//     internal/draw): the SVG picture of models, or their layout as JSON,
//     optionally coloured by how often a path visited each element.
//
// Both read models with the server's limits (--max-model-size,
// --max-elements) and bound what they return (--max-plan-steps for a
// suite's steps, --max-message for a drawing); a limit that is hit is a
// tool error naming it and its flag.
package mcptools
