package rest

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
)

// javaHashMapOrder returns the iteration order of a java.util.HashMap
// (what org.json's JSONObject uses) after putting keys in this order:
// buckets by (h ^ h>>>16) & (cap-1), insertion order within a bucket,
// capacity 16 doubled whenever size exceeds 3/4 of it.
func javaHashMapOrder(keys []string) []string {
	capacity := 16
	for len(keys) > capacity*3/4 {
		capacity *= 2
	}
	buckets := make([][]string, capacity)
	for _, k := range keys {
		var h int32
		for _, u := range utf16.Encode([]rune(k)) {
			h = 31*h + int32(u)
		}
		spread := uint32(h) ^ uint32(h)>>16
		i := spread & uint32(capacity-1)
		buckets[i] = append(buckets[i], k)
	}
	var out []string
	for _, b := range buckets {
		out = append(out, b...)
	}
	return out
}

// topKeys lists the keys of a JSON object in the order they appear.
func topKeys(t *testing.T, body string) []string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %s", body)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

// TestJavaHashMapOrder checks the simulation against the orders the spec
// recorded from org.json 20240303 (protocol.md Appendix B).
func TestJavaHashMapOrder(t *testing.T) {
	for _, c := range []struct{ put, want []string }{
		{[]string{"result", "hasNext"}, []string{"result", "hasNext"}},
		{[]string{"hasNext", "result"}, []string{"result", "hasNext"}},
		{[]string{"result", "error"}, []string{"result", "error"}},
		{[]string{"edgeName", "edgeId", "modelName"}, []string{"modelName", "edgeId", "edgeName"}},
		{[]string{"vertexName", "vertexId", "modelName"}, []string{"modelName", "vertexName", "vertexId"}},
		{[]string{"elementName", "elementId"}, []string{"elementId", "elementName"}},
	} {
		if got := javaHashMapOrder(c.put); !slices.Equal(got, c.want) {
			t.Errorf("order of %v = %v, want %v", c.put, got, c.want)
		}
	}
}

// statsInsertion is the order Result.updateResults puts the keys in (4.3.3),
// then Restful adds "result".
func statsInsertion(edges, vertices, reqs bool) []string {
	keys := []string{"totalNumberOfModels", "totalCompletedNumberOfModels", "totalIncompleteNumberOfModels",
		"totalFailedNumberOfModels", "totalNotExecutedNumberOfModels", "totalNumberOfEdges",
		"totalNumberOfUnvisitedEdges", "totalNumberOfVisitedEdges"}
	if edges {
		keys = append(keys, "edgeCoverage")
	}
	keys = append(keys, "totalNumberOfVertices", "totalNumberOfUnvisitedVertices", "totalNumberOfVisitedVertices")
	if vertices {
		keys = append(keys, "vertexCoverage")
	}
	keys = append(keys, "edgesNotVisited", "verticesNotVisited")
	if reqs {
		keys = append(keys, "totalNumberOfRequirement", "totalNumberOfUncoveredRequirement",
			"totalNumberOfPassedRequirement", "totalNumberOfFailedRequirement", "requirementCoverage",
			"requirementsNotCovered", "requirementsPassed", "requirementsFailed")
	}
	return append(keys, "result")
}

// TestStatisticsKeyOrder compares the key order of getStatistics replies
// (with and without requirements, with and without edges) with org.json's.
func TestStatisticsKeyOrder(t *testing.T) {
	for _, c := range []struct {
		file                   string
		edges, vertices, reqs  bool
		entryKeys, entryArrays []string
	}{
		{file: "UC01.json", edges: true, vertices: true},
		{file: "UC01_unnamed.json", edges: true, vertices: true, reqs: true},
		{file: "Login.json", edges: true, vertices: true, reqs: true},
		{file: "no_edges.json", vertices: true},
	} {
		t.Run(c.file, func(t *testing.T) {
			ts := newTestServer(t, Options{})
			ts.must("POST", "/graphwalker/load?seed=1", string(readFile(t, c.file)), `{"result":"ok","seed":"1"}`)
			_, body := ts.do("GET", "/graphwalker/getStatistics", "")
			want := javaHashMapOrder(statsInsertion(c.edges, c.vertices, c.reqs))
			if got := topKeys(t, body); !slices.Equal(got, want) {
				t.Errorf("keys\n got %v\nwant %v", got, want)
			}
			// One order serves every subset: check the full order contains
			// this one as a subsequence in the same table size.
			full := javaHashMapOrder(statsInsertion(true, true, true))
			var sub []string
			for _, k := range full {
				if slices.Contains(want, k) {
					sub = append(sub, k)
				}
			}
			if !slices.Equal(sub, want) {
				t.Errorf("the subset order %v is not the full order restricted %v", want, sub)
			}
		})
	}
	// Entries of the lists.
	for _, keys := range [][]string{
		{"requirementKey", "modelName"}, {"RequirementKey", "modelName"},
	} {
		got := javaHashMapOrder(keys)
		if !slices.Equal(got, []string{"modelName", keys[0]}) {
			t.Errorf("order of %v = %v; the statistics writer puts modelName first", keys, got)
		}
	}
	// The load reply with the seed, a gw extension, follows the same rule.
	if got := javaHashMapOrder([]string{"result", "seed"}); !slices.Equal(got, []string{"result", "seed"}) {
		t.Errorf("order of result, seed = %v", got)
	}
}
