// Package yed reads and writes yEd GraphML models the way GraphWalker 4.3
// does (core.md §8.3): one file is one model named after the file, node
// and edge labels carry the model in GraphWalker's label language
// (internal/label), the out-edge of a node labelled "Start" is the start
// edge, and GraphML keys without yfiles.type become element properties.
//
// Where GraphWalker loses information silently or crashes, this package
// reports an error naming the file, XML line and node/edge id, or keeps
// the information:
//   - an edge whose source or target is not a vertex (missing node, group
//     node, node without yEd graphics) is an error, not dropped;
//   - an edge into the Start node, and a second Start node, are errors;
//   - duplicate node or edge ids are errors;
//   - edges inside group nodes' graphs are read (GraphWalker ignores them);
//   - requirement keys are trimmed (yEd's XML indentation would otherwise
//     end up in the last REQTAG);
//   - SVGNode is read like the other node graphics.
//
// The writer keeps what the reader can read back: shared states,
// requirements, weights, BLOCKED, INIT actions, string properties, vertex
// positions and the start edge (with a Start node).
//
// The XML is read by a small zero-copy scanner (xmlscan.go) rather than
// encoding/xml, which is ~5x slower on large models; it accepts UTF-8 and,
// via the XML declaration, ISO-8859-1 and windows-1252.
package yed
