package ws

import (
	"fmt"
	"github.com/gw-project/gw/internal/script"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gw-project/gw/internal/golden"
	"github.com/gw-project/gw/internal/jsonx"
)

// smallModel is upstream's SmallModel.json with a fixed model id, so that
// replies are reproducible.
func smallModel(t testing.TB) string {
	s := readFile(t, "testdata/SmallModel.json")
	return strings.Replace(s, `"name": "SmallModel",`, `"name": "SmallModel", "id": "m1",`, 1)
}

// TestAppendixB checks the canonical messages byte for byte against
// protocol.md Appendix B (and §1.5's sequence examples).
func TestAppendixB(t *testing.T) {
	s, got := fake(Options{Version: "4.3.3"})
	small := smallModel(t)
	notInit := `The GraphWalker state machine is not initiated. Is a model loaded, and started?`
	steps := []struct {
		send string
		want []string
	}{
		{`not json`, []string{`{"success":false,"message":"Unknown command: A JSONObject text must begin with '{' at 1 [character 2 line 1]; every message is one JSON object, e.g. {\"command\":\"hasNext\"}"}`}},
		{``, []string{`{"success":false,"message":"Unknown command: A JSONObject text must begin with '{' at 0 [character 1 line 1]; every message is one JSON object, e.g. {\"command\":\"hasNext\"}"}`}},
		{`{command=hasNext}`, []string{`{"success":false,"message":"Unknown command: Expected a ':' after a key at 9 [character 10 line 1]; every message is one JSON object, e.g. {\"command\":\"hasNext\"}"}`}},
		{`{"command":"frobnicate"}`, []string{`{"success":false,"message":"Unknown command: \"frobnicate\"; the commands are ` + commands + `"}`}},
		{`{"foo":1}`, []string{`{"success":false,"message":"The message has no \"command\" (GraphWalker 4: ` + commands + `) nor \"type\" (GraphWalker 3: ` + legacyTypes + `); e.g. {\"command\":\"hasNext\"}"}`}},
		{`{"command":5}`, nil},
		{`{ command: "mode"}`, []string{`{"mode":"EDITOR","success":true,"version":"4.3.3","command":"mode"}`}},
		{`{"command":"getNext"}`, []string{`{"success":false,"message":"` + notInit + `","command":"getNext"}`}},
		{`{"command":"hasNext"}`, []string{`{"success":false,"message":"` + notInit + `","command":"hasNext"}`}},
		{`{"command":"getData"}`, []string{`{"success":false,"message":"` + notInit + `","command":"getData"}`}},
		{`{"command":"setData","action":"x=1"}`, []string{`{"success":false,"message":"` + notInit + `","command":"setData"}`}},
		{`{"command":"getModel"}`, []string{`{"success":false,"message":"` + notInit + `","command":"getmodel"}`}},
		{`{"command":"updateAllElements"}`, []string{`{"success":false,"message":"` + notInit + `","command":"updateallelements"}`}},
		{`{"command":"start"}`, []string{`{"issues":["JSONObject[\"gw\"] not found. ` + jsonEsc(startShape) + `"],"command":"issues"}`, `{"success":false,"message":"JSONObject[\"gw\"] not found. ` + jsonEsc(startShape) + `","command":"start"}`}},
		{`{"command":"start","gw":"x"}`, []string{`{"issues":["JSONObject[\"gw\"] is not a JSONObject (class java.lang.String : x). ` + jsonEsc(startShape) + `"],"command":"issues"}`, `{"success":false,"message":"JSONObject[\"gw\"] is not a JSONObject (class java.lang.String : x). ` + jsonEsc(startShape) + `","command":"start"}`}},
		{`{"command":"start","gw":{}}`, []string{`{"issues":["The json file is not a valid GraphWalker model(s) file (it has no \"models\" array)"],"command":"issues"}`, `{"success":false,"message":"The json file is not a valid GraphWalker model(s) file (it has no \"models\" array)","command":"start"}`}},
		{`{ command: "start", seed: 222930684376058, gw: ` + small + `}`, []string{`{"seed":222930684376058,"success":true,"command":"start"}`}},
		{`{"command":"hasNext"}`, []string{`{"success":true,"hasNext":true,"command":"hasNext"}`}},
		{`{"command":"getData"}`, []string{`{"data":{"value":"54686327"},"success":true,"command":"getData"}`}},
		{`{ command: "getNext"}`, []string{
			`{"elementId":"e0","visitedCount":1,"stopConditionFulfillment":0.25,"data":{"value":"54686327"},"modelId":"m1","totalCount":1,"command":"visitedElement"}`,
			`{"elementId":"e0","modelName":"SmallModel","modelId":"m1","success":true,"name":"e_FirstAction","command":"getNext"}`}},
		{`{"command":"setData","action":"num_of_books=0; isUserLoggedIn=true; MAX_BOOKS=5; value=1"}`, []string{`{"success":true,"command":"setData"}`}},
		{`{"command":"getData"}`, []string{`{"data":{"num_of_books":"0","isUserLoggedIn":"true","MAX_BOOKS":"5","value":"1"},"success":true,"command":"getData"}`}},
		{`{"command":"setData"}`, []string{`{"issues":["JSONObject[\"action\"] not found."],"command":"issues"}`, `{"success":false,"message":"JSONObject[\"action\"] not found.","command":"setData"}`}},
		{`{"command":"restart"}`, []string{`{"success":true,"command":"restart"}`}},
		{`{"command":"getData"}`, []string{`{"success":false,"message":"` + notInit + `","command":"getData"}`}},
	}
	for _, st := range steps {
		*got = nil
		if err := s.handle(st.send); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(*got, st.want) {
			t.Errorf("%.60q:\n got %q\nwant %q", st.send, *got, st.want)
		}
	}
}

var uuidRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// TestDialogue replays a conversation covering every command of both
// dialects, error paths included, against testdata/golden/dialogue.txt
// (regenerate with -update). Every object of every reply must have its
// keys in org.json's order.
func TestDialogue(t *testing.T) {
	s, got := fake(Options{Version: "9.9.9", Script: script.Limits{Timeout: 100e6}})
	small := smallModel(t)
	legacy := readFile(t, "testdata/legacy_small.json")
	second := readFile(t, "testdata/legacy_second.json")
	graphml := readFile(t, "testdata/simple.graphml")
	q := func(s string) string { return string(jsonx.AppendString(nil, s)) }
	frames := []string{
		`{command:'MODE'}`,
		`{command:hasNext; x:1}`,
		`{"command":"getNext",}`,
		`{"command":"getNext"} trailing`,
		`{"a":1,"a":2}`,
		`[1,2]`,
		`{`,
		// broken models and start errors
		`{command:"start", gw:{models:[{name:"NoGen", vertices:[{id:"a"}], edges:[{id:"e", targetVertexId:"a"}], startElementId:"e"}]}}`,
		`{command:"start", gw:{models:[{name:"BadGen", generator:"random(foo(1))", vertices:[{id:"a"}], edges:[{id:"e", targetVertexId:"a"}], startElementId:"e"}]}}`,
		`{command:"start", gw:{models:[{name:"NoStart", generator:"random(edge_coverage(100))", vertices:[{id:"a"}], edges:[{id:"e", sourceVertexId:"a", targetVertexId:"a"}]}]}}`,
		`{command:"start", gw:{models:[{name:"Dangling", generator:"random(edge_coverage(100))", vertices:[{id:"a"}], edges:[{id:"e", targetVertexId:"zz"}], startElementId:"e"}]}}`,
		`{command:"start", gw:{models:[{name:"Loop", generator:"random(edge_coverage(100))", actions:["while(true){}"], vertices:[{id:"a"}], edges:[{id:"e", targetVertexId:"a"}], startElementId:"e"}]}}`,
		`{command:"start", seed:"abc", gw:` + small + `}`,
		`{command:"start", seed:1.5, gw:` + small + `}`,
		// gw3 and seeds
		`{command:"start", gw3:` + small + `, seed:"7"}`,
		`{command:"getModel"}`,
		`{command:"getNext"}`,
		`{command:"getModel"}`,
		`{command:"start", gw:{seed: 99, models:[{id:"m2", name:"Seeded", generator:"random(length(3))", vertices:[{id:"v",name:"v_V"}], edges:[{id:"e0", name:"e_In", targetVertexId:"v", actions:["count=0"]}, {id:"e1", targetVertexId:"v", sourceVertexId:"v", actions:["count++; s='a\"b'"]}], startElementId:"e0"}]}}`,
		`{command:"hasNext"}`, `{command:"getNext"}`, `{command:"getNext"}`, `{command:"getNext"}`, `{command:"hasNext"}`,
		`{command:"getNext"}`, `{command:"updateAllElements"}`, `{command:"getData"}`,
		`{command:"setData", action:"throw new Error('boom')"}`,
		`{command:"setData", action:"while(true){}"}`,
		`{command:"setData", action:"global.shared=1"}`,
		`{command:"setData", action:5}`,
		`{command:"setData", action:"syntax error("}`,
		`{command:"getData"}`,
		// a guard that throws: getNext fails, the machine stays
		`{command:"start", seed:3, gw:{models:[{id:"g", name:"Guarded", generator:"random(never)", vertices:[{id:"v",name:"v_V"}], edges:[{id:"e0", name:"e_In", targetVertexId:"v"}, {id:"e1", name:"e_Bad", sourceVertexId:"v", targetVertexId:"v", guard:"nope.x"}], startElementId:"e0"}]}}`,
		`{command:"getNext"}`, `{command:"getNext"}`, `{command:"getNext"}`, `{command:"hasNext"}`, `{command:"getData"}`,
		// convertGraphml
		`{command:"convertGraphml", graphml:` + q(graphml) + `}`,
		`{command:"convertGraphml", graphml:"<graphml><graph><node id='n0'/></graph>"}`,
		`{command:"convertGraphml"}`,
		// the 3.x dialect
		`{type:"restart"}`,
		`{type:"getNext"}`, `{type:"hasNext"}`, `{type:"getData"}`,
		`{type:"start"}`,
		`{type:"loadModel"}`,
		`{type:"loadModel", model:{name:"x"}}`,
		`{type:"loadModel", model:{name:"x", generator:"random(edge_coverage(100))", vertices:[], edges:[{id:"e", name:"e", dstVertexId:"nowhere"}]}}`,
		legacy, second,
		`{type:"START", seed:42}`,
		`{type:"hasNext"}`, `{type:"getNext"}`, `{type:"getData"}`, `{type:"getNext"}`, `{type:"getNext"}`,
		`{command:"getModel"}`,
		`{type:"getNext"}`, `{type:"hasNext"}`, `{type:"getNext"}`, `{type:"hasNext"}`, `{type:"getNext"}`,
		`{type:"hasNext"}`, `{type:"getNext"}`, `{type:"getNext"}`, `{type:"getNext"}`, `{type:"getNext"}`, `{type:"getNext"}`, `{type:"hasNext"}`,
		`{type:"getNext"}`, `{type:"getNext"}`, `{type:"getNext"}`, `{type:"getData"}`, `{command:"getData"}`, `{command:"updateAllElements"}`,
		`{type:"frobnicate"}`,
		`{type:"restart"}`, `{type:"getNext"}`,
		`{type:5}`,
	}
	var b strings.Builder
	for _, f := range frames {
		*got = nil
		if err := s.handle(f); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "> %s\n", clipLine(f))
		for _, r := range *got {
			checkKeyOrder(t, r)
			fmt.Fprintf(&b, "< %s\n", uuidRE.ReplaceAllString(r, "<uuid>"))
		}
		if len(*got) == 0 {
			b.WriteString("(no reply)\n")
		}
	}
	golden.Check(t, "testdata/golden/dialogue.txt", []byte(b.String()))
}

func clipLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 160 {
		return s[:160] + "…"
	}
	return s
}

// checkKeyOrder asserts that every object in reply lists its keys in
// org.json's HashMap order.
func checkKeyOrder(t *testing.T, reply string) {
	t.Helper()
	var walk func(v jsonx.Value)
	walk = func(v jsonx.Value) {
		switch v.Kind() {
		case jsonx.KindObject:
			var keys []string
			for _, m := range v.Members() {
				keys = append(keys, m.Key)
				walk(m.Value)
			}
			if want := javaOrderKeys(keys); !slices.Equal(keys, want) {
				t.Errorf("key order %q, org.json writes %q, in %.200s", keys, want, reply)
			}
		case jsonx.KindArray:
			for _, e := range v.Elems() {
				walk(e)
			}
		}
	}
	walk(mustParse(t, reply))
}

// TestJavaOrder pins the HashMap order on key sets whose Java output is
// known (Appendix B) and on table growth past 12 keys.
func TestJavaOrder(t *testing.T) {
	stats := []string{"totalFailedNumberOfModels", "totalNotExecutedNumberOfModels", "totalNumberOfUnvisitedVertices", "verticesNotVisited", "totalNumberOfModels", "totalCompletedNumberOfModels", "totalNumberOfVisitedEdges", "totalIncompleteNumberOfModels", "edgesNotVisited", "result", "vertexCoverage", "totalNumberOfEdges", "totalNumberOfVisitedVertices", "edgeCoverage", "totalNumberOfVertices", "totalNumberOfUnvisitedEdges"}
	cases := []struct{ in, want []string }{
		{[]string{"command", "success", "message"}, []string{"success", "message", "command"}},
		{[]string{"command", "modelId", "elementId", "name", "modelName", "success"}, []string{"elementId", "modelName", "modelId", "success", "name", "command"}},
		{[]string{"command", "modelId", "elementId", "visitedCount", "totalCount", "stopConditionFulfillment", "data"},
			[]string{"elementId", "visitedCount", "stopConditionFulfillment", "data", "modelId", "totalCount", "command"}},
		{[]string{"value", "MAX_BOOKS", "isUserLoggedIn", "num_of_books", "JsonContext"}, []string{"JsonContext", "num_of_books", "isUserLoggedIn", "MAX_BOOKS", "value"}},
		{[]string{"result", "hasNext"}, []string{"result", "hasNext"}},
		// Appendix B's 16-key statistics object: the table has grown to 32.
		// Some keys share a bucket, where insertion order decides; fed in
		// Java's output order, the order must be kept.
		{stats, stats},
	}
	for _, c := range cases {
		if got := javaOrderKeys(c.in); !slices.Equal(got, c.want) {
			t.Errorf("javaOrder(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	// More than 16 keys takes the sorting path; it must agree with the
	// insertion sort on every prefix.
	var keys []string
	for i := range 40 {
		keys = append(keys, fmt.Sprintf("var%d", i))
	}
	got := javaOrderKeys(keys)
	for i := 1; i < len(got); i++ {
		mask := javaTableSize(len(keys)) - 1
		if javaHash(got[i-1])&mask > javaHash(got[i])&mask {
			t.Fatalf("not bucket ordered at %d: %q", i, got)
		}
	}
}

// TestDebugLog: what GraphWalker answers with silence is still logged.
func TestDebugLog(t *testing.T) {
	var buf strings.Builder
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s, got := fake(Options{Log: log})
	for _, f := range []string{`{"foo":1}`, `{"command":5}`, `{"command":"frobnicate"}`} {
		if err := s.handle(f); err != nil {
			t.Fatal(err)
		}
	}
	if len(*got) != 2 {
		t.Errorf("replies: %q", *got)
	}
	for _, want := range []string{`message without \"command\" or \"type\"`, `\"command\" is not a string`, `unknown command`, `command=frobnicate`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, buf.String())
		}
	}
}

// jsonEsc escapes s as inside a JSON string.
func jsonEsc(s string) string { return strings.ReplaceAll(s, `"`, `\"`) }
