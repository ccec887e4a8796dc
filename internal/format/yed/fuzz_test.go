package yed

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gw-project/gw/internal/model"
)

func FuzzRead(f *testing.F) {
	for _, p := range []string{"io/UC01.graphml", "io/Guards.graphml", "io/SharedA.graphml", "io/init/init.graphml",
		"io/customProp/Issue128_Graph07.graphml", "io/dependency/modelwithguard.graphml", "io/reqtags/EFSM_with_REQTAGS.graphml",
		"cli/IncorrectModels/wrongVertexSyntax.graphml", "WebSocketFlow.graphml"} {
		b, err := os.ReadFile(filepath.Join("testdata", p))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(doc(nd("s", "Start"), nd("a", "v_A\nSHARED:X INIT: y=1;"), group("g", nd("g::b", "v_B BLOCKED"), group("g::h")),
		ed("e0", "s", "a", "e_A [x] /y=2; weight=0.5 dependency=3 REQTAG: R"), ed("e1", "a", "g::b", ""))))
	f.Add([]byte(`<?xml version="1.0" encoding="ISO-8859-1"?><graphml><key id="k" for="edge" attr.name="n"><default>d</default></key><graph/></graphml>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		m, err := Read(bytes.NewReader(data), "fuzz")
		if d := time.Since(start); d > 30*time.Second { // linear in fact; generous for loaded machines
			t.Fatalf("Read took %v on %d bytes", d, len(data))
		}
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %T is not *Error: %v", err, err)
			}
			return
		}
		for i := range m.Vertices {
			_ = m.OutEdges(i) // indexed
		}
		if m.StartElementID != "" {
			el := m.StartElement()
			if !m.IsEdge(el) || m.Edge(el).Source != nil {
				t.Fatalf("start element %q is not a start edge", m.StartElementID)
			}
		}
		// Whatever was read can be written and read back the same.
		var buf bytes.Buffer
		if err := Write(&buf, []*model.Model{m}); err != nil {
			t.Fatal(err)
		}
		back, err := Read(&buf, "fuzz")
		if err != nil {
			t.Fatalf("reading the written model: %v\n%s", err, strings.TrimSpace(buf.String()))
		}
		sameModel(t, "fuzz", m, back)
	})
}
