// Package dot reads and writes GraphWalker models in Graphviz DOT, as
// GraphWalker 4.3's DotContextFactory does (core.md §8.4).
//
// The parser is hand-written and takes the whole DOT language: strict,
// graph/digraph, case-insensitive keywords, identifiers, numerals, "quoted"
// strings joined with +, <HTML> strings, attribute lists and attribute
// statements, subgraphs (edges to a subgraph go to each of its nodes), edge
// chains, ports and //, /* */ and # comments. Errors are *Error values
// with file, line and column.
//
// Model mapping, as GraphWalker: the graph id is the model name; a node id
// is a vertex id, its label (else its id) the vertex name; a node whose id
// or label is "start" (any case) is the start pseudo-node, not a vertex,
// and edges leaving it have a nil Source and become the start element (the
// last one wins); each hop of an edge chain is one edge named by the label.
// Only the label attribute is used.
//
// Deliberate differences from GraphWalker:
//   - the model name is the graph id without its quotes (GraphWalker keeps
//     them); a graph without id is named after the file;
//   - attributes are parsed as DOT: [label="a", color=red] gives label "a"
//     (GraphWalker splits the text at '=' and gets "a,color");
//   - a node's label counts wherever its node statement is (GraphWalker
//     ignores it if the node was first seen in an edge), node and edge
//     attribute defaults (node [label=...]) apply, and ports are dropped
//     from node ids (GraphWalker keeps them on edge targets);
//   - edge ids are unique and deterministic: the name, name_2, name_3 for
//     repeated names, e0, e1, ... for unnamed edges (GraphWalker: the label
//     even if repeated, a random UUID when there is none);
//   - quoted strings decode \" and \\ (other escapes such as \n are kept
//     as written); " start " with spaces also marks the start node;
//   - as in GraphWalker, edges are directed in graph and digraph alike (->
//     and -- both accepted) and strict does not merge repeated edges;
//   - a file holds one graph for Read; ReadAll reads the several graphs
//     Write produces for several models;
//   - Write quotes what needs quoting, keeps isolated vertices and vertex
//     order, and falls back to vertex ids with label=name when names are
//     not distinct usable node ids;
//   - Write also keeps what GraphWalker's DOT layout loses and a walk
//     needs, as gw's own attributes that Read reads back: gw_id (vertex
//     and edge ids where the reader would not derive them), gw_shared,
//     gw_requirements, gw_weight, gw_dependency and gw_blocked on elements,
//     and graph attributes gw_id, gw_generator, gw_actions (INIT),
//     gw_requirements and gw_start (a start vertex). They are written in
//     an attribute list of their own after the label's, which GraphWalker's
//     reader (it splits each list at '=' and uses only "label") ignores.
//     So a seeded walk is the same after a DOT round trip.
package dot
