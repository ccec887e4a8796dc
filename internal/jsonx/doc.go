// Package jsonx reads and writes JSON the way GraphWalker's servers do with
// org.json 20240303 (spec protocol.md §0.1, §0.2, Appendix B).
//
// Writing: Object and Array build compact JSON with keys in the order the
// caller adds them (GraphWalker's order is a HashMap accident; callers
// reproduce it from protocol.md Appendix B). Strings are escaped exactly as
// org.json's JSONObject.quote, doubles are printed as org.json prints them
// (Java's Double.toString, trailing ".0" removed). JavaDouble gives Java's
// Double.toString text for other packages.
//
// Reading: Parse behaves like `new JSONObject(text)`: lenient (unquoted keys
// and values, single quotes, ',' or ';' between pairs, trailing comma,
// trailing text ignored) with org.json's error texts and positions. The
// result is an ordered Value tree; its accessors (GetString, GetObject, ...)
// fail with org.json's texts, which end up in WebSocket `issues` messages.
//
// Decisions where org.json cannot be followed literally:
//   - NaN and ±Infinity are written as null (org.json refuses to store them).
//   - Object.Value and nested maps drop nil values, as org.json's put and
//     JSONObject(Map) do; Array.Value writes nil as null. Go maps are written
//     with sorted keys so output stays deterministic.
//   - Invalid UTF-8 is read and written as U+FFFD.
//   - Parsed objects keep member order (org.json's HashMap does not).
//   - Nesting deeper than MaxDepth is an error (org.json overflows the stack).
package jsonx
