package ws

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// Issue 11: every mistake a newcomer makes on the WebSocket gets a reply
// that says what is wrong and what is valid.

// exchange sends msg and returns the replies, decoded.
func exchange(t *testing.T, s *session, got *[]string, msg string) []map[string]any {
	t.Helper()
	*got = nil
	if err := s.handle(msg); err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, r := range *got {
		var v map[string]any
		if err := json.Unmarshal([]byte(r), &v); err != nil {
			t.Fatalf("%s: %v", r, err)
		}
		out = append(out, v)
	}
	return out
}

const legacyModel = `{"name":"M","generator":%s,"vertices":[{"id":"n0","name":"v_A"},{"id":"n1","name":"v_B"}],
 "edges":[{"id":"e0","name":"e_Init","dstVertexId":"n0","startElement":true,"actions":[{"action":"x = 0;"}]},
          {"id":"e1","name":"e_Go","srcVertexId":"n0","dstVertexId":"n1","guard":%s,"weight":0.5},
          {"id":"e2","name":"e_Back","srcVertexId":"n1","dstVertexId":"n0","actions":[{"action":"x++;"}]},
          {"id":"e3","name":"e_Stay","srcVertexId":"n0","dstVertexId":"n0"}]}`

func legacy(gen, guard string) string {
	return `{"type":"loadModel","model":` + fmt.Sprintf(legacyModel, strconv.Quote(gen), strconv.Quote(guard)) + `}`
}

func TestLegacyLoadModelChecksTheGenerator(t *testing.T) {
	s, got := fake(Options{})
	for _, gen := range []string{"random(edge_coverage(100)", "random(bogus(3))", "nowhere(never)", "random(reached_vertex(v_Nope))"} {
		r := exchange(t, s, got, legacy(gen, "true"))
		if len(r) != 1 || r[0]["success"] != false || r[0]["type"] != "loadModel" ||
			!strings.HasPrefix(r[0]["message"].(string), `Could not parse the generator of model "M": `) {
			t.Errorf("%s: %v", gen, r)
		}
	}
	// Nothing of the failed loads was added: start says no model is loaded.
	if r := exchange(t, s, got, `{"type":"start"}`); r[0]["success"] != false || !strings.Contains(r[0]["message"].(string), "no model is loaded") {
		t.Errorf("start after failed loads: %v", r)
	}
	// A corrected model loads and walks.
	if r := exchange(t, s, got, legacy("random(edge_coverage(100))", "x < 2")); r[0]["success"] != true {
		t.Fatalf("corrected loadModel: %v", r)
	}
	if r := exchange(t, s, got, `{"type":"start","seed":1}`); r[0]["success"] != true {
		t.Fatalf("start: %v", r)
	}
}

// TestLegacyGuardsAndWeights: GraphWalker 3's format has no guards, but a
// guard written on an edge is honoured, as the 4.x reader does.
func TestLegacyGuardsAndWeights(t *testing.T) {
	s, got := fake(Options{})
	exchange(t, s, got, legacy("random(length(50))", "x < 2"))
	exchange(t, s, got, `{"type":"start","seed":3}`)
	gos := 0
	for range 50 {
		r := exchange(t, s, got, `{"type":"getNext"}`)
		// This dialect too pushes visitedElement before the reply.
		if len(r) != 2 || r[0]["type"] != "visitedElement" || r[1]["type"] != "getNext" {
			t.Fatalf("getNext: %v", r)
		}
		if r[1]["name"] == "e_Go" {
			gos++
		}
	}
	if gos != 2 {
		t.Errorf("e_Go taken %d times; its guard x < 2 allows 2", gos)
	}
}

func TestHelpfulReplies(t *testing.T) {
	s, got := fake(Options{})
	for _, tt := range []struct{ send, want string }{
		{`{}`, `The message has no "command" (GraphWalker 4: start, hasNext`},
		{`{"type":"bogus"}`, `Unknown command: type "bogus"; GraphWalker 3 messages have the types loadModel, start, hasNext, getNext, getData, restart`},
		{`{"command":"bogus"}`, `Unknown command: "bogus"; the commands are start, hasNext, getNext`},
		{`hello`, `Unknown command: A JSONObject text must begin with '{' at 1 [character 2 line 1]; every message is one JSON object`},
		{`{"type":"loadModel"}`, `Could not parse the model: JSONObject["model"] not found. Send {"type":"loadModel","model":{"name":"M"`},
		{`{"type":"loadModel","model":{"name":"M","generator":"random(never)","vertices":[{"id":"n0","name":"v"}],"edges":[{"id":"e0","name":"e","sourceVertexId":"n0","targetVertexId":"n0"}]}}`,
			`this looks like a GraphWalker 4 model (sourceVertexId/targetVertexId, a "models" array): send it with {"command":"start","gw":{"models":[...]}} instead of loadModel`},
		{`{"type":"loadModel","model":{"models":[{"name":"M"}]}}`, `this looks like a GraphWalker 4 model`},
		{`{"command":"start"}`, `JSONObject["gw"] not found. start needs the models: {"command":"start","gw":{"models":[...]}}`},
	} {
		r := exchange(t, s, got, tt.send)
		last := r[len(r)-1]
		if last["success"] != false || !strings.Contains(last["message"].(string), tt.want) {
			t.Errorf("%s: got %v, want a failure saying %q", tt.send, r, tt.want)
		}
	}
}

// TestStudioEmptyModel: GraphWalker Studio's "+" adds a model with no
// vertices and no edges; start walks the others and warns after its reply.
func TestStudioEmptyModel(t *testing.T) {
	s, got := fake(Options{})
	msg := `{"command":"start","gw":{"name":"TEST","models":[` +
		`{"name":"Login","generator":"random(edge_coverage(100))","startElementId":"e0","vertices":[{"id":"v0","name":"v_A"}],` +
		`"edges":[{"id":"e0","name":"e_Init","targetVertexId":"v0"},{"id":"e1","name":"e_Loop","sourceVertexId":"v0","targetVertexId":"v0"}]}` +
		`,{"edges":[],"generator":"random(edge_coverage(100))","id":"e918f0f7-dc56-4aa3-97fb-3660654309f6","name":"Untitled-1","startElementId":"","vertices":[]}]}}`
	r := exchange(t, s, got, msg)
	if len(r) != 2 || r[0]["command"] != "start" || r[0]["success"] != true || r[1]["command"] != "issues" ||
		!strings.Contains(r[1]["issues"].([]any)[0].(string), `model "Untitled-1" has no vertices and no edges; it is left out of the walk`) {
		t.Fatalf("start with an empty model: %v", r)
	}
	if r := exchange(t, s, got, `{"command":"hasNext"}`); r[0]["hasNext"] != true {
		t.Errorf("hasNext: %v", r)
	}
	only := `{"command":"start","gw":{"models":[{"name":"Untitled-1","generator":"random(edge_coverage(100))","vertices":[],"edges":[]}]}}`
	if r := exchange(t, s, got, only); r[len(r)-1]["success"] != false || !strings.Contains(r[len(r)-1]["message"].(string), "No model has any vertex or edge") {
		t.Errorf("start with only an empty model: %v", r)
	}
}
