// Package gwjson reads and writes GraphWalker JSON model files the way
// GraphWalker 4.3 does (Gson in lenient mode), and reads the historic
// single-model JSON of GraphWalker 3.2/3.3 used by the WebSocket loadModel
// message.
//
// Parse accepts what Gson's lenient reader accepts (comments, unquoted and
// single-quoted names and strings, ':' '=' '=>' after names, ';' as a
// separator, numbers given as strings, [key, value] pairs for properties,
// unknown fields) and reports anything else as an *Error with file, line,
// column and JSON path. Write produces the compact, HTML-safe output of
// GraphWalker's `convert`, byte for byte (checked against Gson), so that
// GraphWalker reads it back unchanged.
//
// Deliberate differences from GraphWalker:
//   - Line breaks end // and # comments. (GraphWalker joins the lines of a
//     file first, so such a comment hides the rest of the file.) Raw line
//     breaks inside quoted strings are still dropped, as the join does.
//   - Comments after the document are allowed (Gson rejects them).
//   - Model-level "requirements" are read (GraphWalker ignores them).
//   - An unknown non-empty targetVertexId is an error; GraphWalker leaves
//     the edge without a target. An unknown sourceVertexId still makes a
//     start edge, as upstream models rely on it ("sourceVertexId": "Start").
//   - null entries in string lists are dropped; null models, vertices,
//     edges and predefined-path ids are errors (GraphWalker fails with an
//     NPE).
//   - Non-finite numbers (NaN, 1e999) are rejected when read, as Gson
//     could not write them back.
//   - Empty names and shared states are not written ("name":"" is left
//     out), since the model does not tell "" from absent.
package gwjson
