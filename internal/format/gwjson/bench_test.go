package gwjson

import (
	"bytes"
	"fmt"
	"os"
	"testing"
	"time"
)

func BenchmarkParseSuperLarge(b *testing.B) {
	data, err := os.ReadFile(ioDir + "SuperLarge.json")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data, "SuperLarge.json"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteSuperLarge(b *testing.B) {
	data, err := os.ReadFile(ioDir + "SuperLarge.json")
	if err != nil {
		b.Fatal(err)
	}
	doc, err := Parse(data, "SuperLarge.json")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Marshal(doc.Models, WriteOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// bigInputs are ~10 MB documents shaped to expose quadratic behaviour.
func bigInputs() map[string][]byte {
	const n = 100_000
	var many, wide, long, path bytes.Buffer
	many.WriteString(`{"models": [{"vertices": [`)
	for i := range n {
		fmt.Fprintf(&many, `{"id": "n%d", "name": "v_%d", "properties": {"x": %d.5}},`, i, i, i)
	}
	many.WriteString(`{"id": "last"}], "edges": [`)
	for i := range n {
		fmt.Fprintf(&many, `{"id": "e%d", "sourceVertexId": "n%d", "targetVertexId": "n%d", "weight": 0.5},`, i, i, (i+1)%n)
	}
	many.WriteString(`{"id": "x", "targetVertexId": "last"}]}]}`)

	wide.WriteString(`{"models": [{"properties": {"o": {`)
	for i := range n * 2 {
		fmt.Fprintf(&wide, `"key%d": %d,`, i, i)
	}
	wide.WriteString(`"end": 0}}}]}`)

	long.WriteString(`{"models": [{"name": "`)
	long.WriteString(string(bytes.Repeat([]byte(`ab\"\u003d`), n*2)))
	long.WriteString(`", "actions": [`)
	long.WriteString(string(bytes.Repeat([]byte(`"x=1;",`), n*2)))
	long.WriteString(`"y"]}]}`)

	path.WriteString(`{"models": [{"vertices": [{"id": "a"}], "edges": [{"id": "e", "targetVertexId": "a"}], "predefinedPathEdgeIds": [`)
	path.WriteString(string(bytes.Repeat([]byte(`"e",`), n*5)))
	path.WriteString(`"e"]}]}`)
	return map[string][]byte{"many elements": many.Bytes(), "wide object": wide.Bytes(), "long strings": long.Bytes(), "long path": path.Bytes()}
}

// Large documents parse in linear time (a 50 MB file must take well under
// a few seconds); the bound is loose so that -race and slow machines pass.
func TestLargeInputsAreLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("large inputs")
	}
	for name, data := range bigInputs() {
		start := time.Now()
		doc, err := Parse(data, name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if el := time.Since(start); el > 60*time.Second {
			t.Errorf("%s: %d MB took %v", name, len(data)>>20, el)
		}
		if _, err := Marshal(doc.Models, WriteOptions{}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func BenchmarkParseLarge(b *testing.B) {
	for name, data := range bigInputs() {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := Parse(data, name); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
