package suite

import (
	"bytes"
	"encoding/json"
	"regexp"
	"testing"

	"github.com/gw-project/gw/internal/golden"
)

// TestWriters pins every output format on two small suites: ShoppingCart
// (one model, a guard, requirements) by edge pairs, and PetClinic (five
// models joined by shared states) by vertices, fewest cases.
func TestWriters(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		o          Options
	}{
		{"shoppingcart-pairs", "testdata/ShoppingCart.json", Options{Cover: EdgePairs}},
		{"petclinic-vertices", "testdata/PetClinic.json", Options{Cover: Vertices, MinimizeCases: true, Verbose: true}},
		{"usingdata-edges", "testdata/UsingDataFromTest.json", Options{MaxLength: 20, ResetCost: 2}},
	} {
		s, err := Plan(load(t, tc.file), tc.o)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		for _, w := range []struct {
			ext   string
			write func() error
		}{
			{"jsonl", func() error { return s.WriteJSONL(&b) }},
			{"gw.json", func() error { return s.WriteGraphWalker(&b, nil) }},
			{"altwalker.json", func() error { return s.WriteAltWalker(&b, nil) }},
			{"md", func() error { return s.WriteMarkdown(&b) }},
			{"summary.txt", func() error { return s.WriteSummary(&b) }},
		} {
			b.Reset()
			if err := w.write(); err != nil {
				t.Fatal(err)
			}
			got := b.Bytes()
			if w.ext == "summary.txt" {
				got = regexp.MustCompile(`planned in [0-9.]+[µm]?s`).ReplaceAll(got, []byte("planned in TIME"))
			}
			if w.ext != "md" && w.ext != "summary.txt" {
				for _, line := range bytes.Split(bytes.TrimSpace(got), []byte("\n")) {
					if w.ext == "jsonl" && !json.Valid(line) {
						t.Fatalf("%s: invalid JSON line %s", tc.name, line)
					}
				}
				if w.ext != "jsonl" && !json.Valid(got) {
					t.Fatalf("%s.%s: invalid JSON", tc.name, w.ext)
				}
			}
			golden.Check(t, "testdata/golden/"+tc.name+"."+w.ext, got)
		}
	}
}

// AltWalker reads a list of steps with id, name and modelName (and the
// element's actions), keys sorted as `altwalker offline` writes them.
func TestAltWalkerShape(t *testing.T) {
	s, err := Plan(load(t, "testdata/ShoppingCart.json"), Options{Cover: Requirements})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := s.WriteAltWalker(&b, nil); err != nil {
		t.Fatal(err)
	}
	var steps []map[string]any
	if err := json.Unmarshal(b.Bytes(), &steps); err != nil {
		t.Fatal(err)
	}
	if len(steps) != s.Steps || steps[0]["name"] != "e_EnterBaseURL" || steps[0]["modelName"] != "ShoppingCart" || steps[0]["id"] == "" {
		t.Fatalf("steps %v", steps)
	}
}
