// Package label parses and formats the text GraphWalker reads from yEd node
// and edge labels: "v_Name SHARED:S INIT: x=1; REQTAG: R1" for vertices and
// "e_Name [guard] /actions; weight=0.5 dependency=80 BLOCKED REQTAG: R1"
// for edges (core.md §7).
//
// The lexer and parser are hand-written but reproduce GraphWalker 4.3's ANTLR
// grammars exactly, including their less obvious rules: an action block is
// one action that runs to the last ';' after which the rest of the label
// still parses, REQTAG swallows the rest of the label, and " //" starts a
// comment even inside a string. Parsing is linear in the label length.
//
// Errors are *SyntaxError values whose message starts with GraphWalker's own
// sentence ("The string '…' did not conform to GraphWalker syntax rules.")
// and goes on to say where (line:column inside the label) and why.
package label
