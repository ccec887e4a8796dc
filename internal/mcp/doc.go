// Package mcp serves gw's engine to AI agents over the Model Context
// Protocol (github.com/modelcontextprotocol/go-sdk): `gw mcp` over stdio,
// and HTTPHandler over streamable HTTP for `gw online --mcp`.
//
// Tools (README.md, "gw for AI agents", documents their inputs):
//
//   - models: check_model (GraphWalker's checks and gw's: unreachable
//     elements, stop conditions that cannot be met, cul-de-sacs),
//     convert_model (JSON, GraphML, DOT), describe_model;
//   - authoring drafts: create_draft, list_drafts, add/update/remove_vertex,
//     add/update/remove_edge, set_generator, set_start_element,
//     update_draft, export_draft, discard_draft — every edit carries the
//     revision it was made against, and a stale one is refused;
//   - planning: plan_path (any generator, offline, bounded),
//     explain_guard (which part of a guard is false, evaluated in the
//     real JavaScript sandbox);
//   - sessions: start_session, next_step, has_next, get_data, set_data,
//     fail_step, restart_session, get_statistics, close_session,
//     list_sessions — the machine semantics of the REST and WebSocket
//     services, registered in a session.Hub.
//
// Models come from a folder served read-only as resources (--models), as
// text in the call, or from a draft. Every limit (drafts, sessions, model
// size and elements, plan length and time, idle time, message size, HTTP
// clients, and the JavaScript sandbox's) is an error that names the limit
// and its flag. Tools of other packages join through Extension:
// plan_suite and draw_model (internal/mcptools), and records when they
// exist.
package mcp
