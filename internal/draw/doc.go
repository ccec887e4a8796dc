// Package draw turns models and their layouts (internal/layout) into
// pictures: a standalone SVG (embedded styles, no external assets; what
// `gw draw` writes and HTML run reports embed) and a JSON scene that a
// browser page draws and recolours by itself (the studio's model view,
// the MCP draw_model tool).
//
// A Scene is the one intermediate form: NewScene lays the models out and
// gathers what a picture shows of each element; WriteSVG and WriteJSON
// render it. Visit counts (a Visits, read from the JSON lines of
// `gw offline` by ReadPath, or filled by a live run) colour elements on a
// scale where unvisited elements stand out, and the current element is
// highlighted.
//
// Several models make one SVG with a section per model, stacked top to
// bottom, each under its name (a report shows one file; the studio uses
// the JSON, one tab per model).
package draw
