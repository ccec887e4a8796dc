package studio

import (
	"testing"

	"github.com/gw-project/gw/internal/draw"
	"github.com/gw-project/gw/internal/layout"
)

// FuzzLayoutFile: whatever a page uploads, the layout endpoint's reading
// and drawing answer with models or an error, never a panic or a hang.
func FuzzLayoutFile(f *testing.F) {
	for _, name := range []string{"Login.json", "Login.graphml", "Login.dot", "Counter.json", "Broken.json"} {
		f.Add(readFile(f, "testdata/"+name), name)
	}
	f.Add([]byte("digraph { a -> b }"), "noext")
	f.Add([]byte("<graphml/>"), "x")
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		doc, err := parseModelFile(data, name)
		if err != nil || len(doc.Models) == 0 {
			return
		}
		for _, m := range doc.Models {
			if m.Generator == "" {
				m.Generator = DefaultGenerator
			}
		}
		draw.NewScene(doc.Models, layout.Options{MaxElements: 2000, MaxLayered: 500}, nil)
	})
}
