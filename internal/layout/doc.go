// Package layout places a model's vertices and routes its edges for
// drawing: a box per vertex sized to its name, a path per edge (a chain of
// cubic Bézier segments from the source's box to the target's box) and a
// box for each edge's label. It is pure geometry; internal/draw turns a
// Layout into SVG or into JSON for a browser.
//
// Three engines place vertices:
//
//   - Coordinates uses the x/y properties that yEd, GraphWalker Studio and
//     AltWalker's editor save, when every vertex has them (read as the
//     box's top-left corner, as yEd writes them and GraphWalker's converter
//     copies them); boxes that would overlap are spread apart.
//   - Layered is a Sugiyama-style layered drawing, the style of Graphviz's
//     dot: cycles broken against a breadth-first order from the start
//     element, longest-path ranks moved towards their neighbours' median,
//     edge labels as nodes of their own rank so that labels and parallel
//     edges never sit on each other, barycenter ordering sweeps kept when
//     they reduce crossings, x positions by weighted isotonic regression
//     (straight long edges, parents centred over children), and edges that
//     bend only between ranks, so that none crosses a box.
//   - Grid puts vertices on a grid in model order with straight edges: a
//     linear-time fallback for models too big for Layered.
//
// Every engine is deterministic (same model, same options, same bytes) and
// bounded: Layered refuses more than Options.MaxLayered elements or a
// drawing that needs more than Options.MaxDummies bend points, and Auto
// then falls back to Grid, saying so in Layout.Note. No engine reads the
// clock, so a slow machine draws the same picture.
//
// Coordinates are in CSS pixels, y pointing down, origin at the top-left
// corner of the drawing, rounded to 0.1 so output is stable across
// architectures.
package layout
