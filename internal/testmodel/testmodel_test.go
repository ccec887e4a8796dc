package testmodel

import (
	"encoding/json"
	"testing"
)

func TestPlain(t *testing.T) {
	for _, size := range []int{1 << 10, 1 << 20} {
		s := Plain(size)
		if len(s) < size || len(s) > size+200 {
			t.Errorf("Plain(%d) is %d bytes", size, len(s))
		}
		var doc struct {
			Models []struct {
				Vertices []struct{ ID string }
				Edges    []struct{ ID, SourceVertexID, TargetVertexID string }
			}
		}
		if err := json.Unmarshal([]byte(s), &doc); err != nil {
			t.Fatal(err)
		}
		m := doc.Models[0]
		if len(m.Vertices) == 0 || len(m.Edges) == 0 || m.Edges[0].SourceVertexID != "v0" {
			t.Errorf("Plain(%d): %d vertices, %d edges", size, len(m.Vertices), len(m.Edges))
		}
	}
}

func TestNested(t *testing.T) {
	if got := Nested("(", ")", 3); got != "(((1)))" {
		t.Errorf("got %q", got)
	}
}
