package yed

import (
	"bytes"
	"os"
	"testing"
)

// SuperLarge.graphml: 2.8 MB, 787 vertices, 1550 edges.
func BenchmarkReadSuperLarge(b *testing.B) {
	data, err := os.ReadFile("testdata/io/SuperLarge.graphml")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		m, err := Read(bytes.NewReader(data), "SuperLarge")
		if err != nil || len(m.Edges) != 1550 {
			b.Fatal(err)
		}
	}
}
