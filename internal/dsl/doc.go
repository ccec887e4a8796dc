// Package dsl parses GraphWalker's generator / stop-condition language, the
// text given to `--generator`, a model's "generator" field or a GraphML
// model's generator, e.g.
//
//	random(edge_coverage(100))
//	a_star(reached_vertex(v_A) OR reached_edge(e_B))
//	random(length(10)) a_star(reached_vertex(v_X)) random(edge_coverage(100))
//	Random((vertex_coverage(100) and reached_vertex(myVertex)) or time_duration(90))
//
// Parse only checks syntax (spec core.md §6.1, §6.2) and returns a tree that
// keeps names and arguments as written. Resolving generator and condition
// names (aliases, case folding, unknown names) and converting arguments is
// the builder's job, so that those errors can carry GraphWalker's own texts.
//
// Differences from GraphWalker, on purpose:
//   - A comma between two generators is accepted (GraphWalker's lexer drops
//     it as an unknown character and carries on); a comma anywhere else, and
//     every other character outside the language, is reported as an error
//     where GraphWalker silently drops it.
//   - Errors say where (column, or line and column) and what was expected,
//     after GraphWalker's own sentence.
package dsl
