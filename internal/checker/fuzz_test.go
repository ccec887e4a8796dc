package checker

import (
	"os"
	"strings"
	"testing"

	"github.com/gw-project/gw/internal/format/gwjson"
)

// FuzzCheck: whatever models the JSON reader accepts, with whatever
// generator, the checker returns issues or an error, never panics, and
// lists GraphWalker's issues before gw's.
func FuzzCheck(f *testing.F) {
	data, err := os.ReadFile("testdata/petClinic.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data, "random(edge_coverage(100))")
	f.Add([]byte(`{"models":[{"name":"M","startElementId":"e0","vertices":[{"id":"a","name":"a b"},{"id":"b"}],`+
		`"edges":[{"id":"e0","targetVertexId":"a"},{"id":"e1","sourceVertexId":"a","targetVertexId":"a","weight":2},`+
		`{"id":"e1","sourceVertexId":"b","targetVertexId":"a","actions":[""]}]}]}`), "random(reached_vertex(a b))")
	f.Add([]byte(`{"models":[{"vertices":[{"id":"a","sharedState":"S","name":"a"}]},{"id":"x","vertices":[{"id":"a","sharedState":"S","name":"a"}]}]}`), "a_star(reached_shared_state(S))")
	f.Fuzz(func(t *testing.T, data []byte, gen string) {
		if len(data) > 1<<16 || strings.Contains(gen, "time_duration") {
			return
		}
		doc, err := gwjson.Parse(data, "fuzz.json")
		if err != nil || len(doc.Models) == 0 || len(doc.Models) > 8 {
			return
		}
		for _, m := range doc.Models {
			if len(m.Actions) > 0 || m.NumElements() > 200 {
				return // INIT scripts could run until the watchdog stops them: slow, not interesting here
			}
		}
		doc.Models[0].Generator = gen
		issues, err := Check(doc.Models)
		if err != nil {
			return
		}
		own := false
		for _, i := range issues {
			if i.Message == "" {
				t.Fatalf("empty message: %+v", i)
			}
			if own && !i.Own {
				t.Fatalf("GraphWalker issue after gw's: %q", i)
			}
			own = own || i.Own
		}
	})
}
