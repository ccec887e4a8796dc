package testmodel

import (
	"fmt"
	"strings"
)

// Plain returns a GraphWalker JSON document of about size bytes: one model
// ("Big", generator random(never)) of vertices and a ring of edges, without
// scripts — what costs the most memory per byte to build (about 17×).
func Plain(size int) string {
	var b strings.Builder
	b.Grow(size + 64)
	b.WriteString(`{"models":[{"name":"Big","id":"m","generator":"random(never)","startElementId":"v0","vertices":[`)
	n := 0
	for i := 0; b.Len() < size/2; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"v%d","name":"v_%d"}`, i, i)
		n++
	}
	b.WriteString(`],"edges":[`)
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"e%d","name":"e_%d","sourceVertexId":"v%d","targetVertexId":"v%d"}`, i, i, i%n, (i+1)%n)
	}
	b.WriteString(`]}]}`)
	return b.String()
}

// Nested returns "1" inside n pairs of open and close, e.g. Nested("(",
// ")", 3) is "(((1)))".
func Nested(open, close string, n int) string {
	return strings.Repeat(open, n) + "1" + strings.Repeat(close, n)
}
