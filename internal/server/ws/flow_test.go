package ws

import (
	"flag"
	"fmt"
	"github.com/gw-project/gw/internal/gwtest"
	"github.com/gw-project/gw/internal/script"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/jsonx"
	"github.com/gw-project/gw/internal/machine"
)

var apiSeed = flag.Int64("apiseed", 222930684376058, "seed of the walk of testdata/WebSocketAPI.json (0: random)")

// TestAPIModel is GraphWalker's own way of testing its WebSocket server:
// testdata/WebSocketAPI.json models the API (both dialects, bad input
// included) and gw's engine walks it with random(edge_coverage(100)); every
// element drives a real server over a real socket and checks the answers.
func TestAPIModel(t *testing.T) {
	m, seed := gwtest.Walker(t, []byte(readFile(t, "testdata/WebSocketAPI.json")), "WebSocketAPI.json", *apiSeed)
	timeout := 200 * time.Millisecond
	if raceEnabled {
		timeout = 500 * time.Millisecond // a trivial step can take 200 ms under -race on a loaded machine
	}
	srv, url := startServer(t, Options{MaxMessageBytes: 1 << 20, Script: script.Limits{Timeout: timeout}, Version: "test"})
	at := &apiTester{t: t, srv: srv, url: url, walker: m, rnd: rand.New(rand.NewPCG(uint64(seed), 1)),
		small: smallModel(t), legacySmall: readFile(t, "testdata/legacy_small.json"),
		legacySecond: readFile(t, "testdata/legacy_second.json"), graphml: readFile(t, "testdata/simple.graphml")}
	handlers := map[string]func(){
		"e_Connect": at.connect, "v_EmptyMachine": at.emptyMachine, "v_ModelLoaded": at.modelLoaded,
		"v_MachineRunning": at.machineRunning, "e_Mode": at.mode, "e_CallBeforeStart": at.callBeforeStart,
		"e_BadInput": at.badInput, "e_StartBrokenModel": at.startBrokenModel, "e_ConvertGraphml": at.convertGraphml,
		"e_StartMachine": at.startMachine, "e_AddInitialModel": at.addModel, "e_AddModel": at.addModel,
		"e_LoadBrokenModel": at.loadBrokenModel, "e_RestartMachine": at.restart, "e_Reconnect": at.reconnect,
		"e_StartLegacyMachine": at.startLegacy, "e_HasNext": at.hasNext, "e_GetNext": at.getNext,
		"e_GetData": at.getData, "e_SetData": at.setData, "e_GetModel": at.getModel,
		"e_UpdateAllElements": at.updateAllElements, "e_ScriptFails": at.scriptFails,
	}
	gwtest.Walk(t, m, seed, handlers)
	at.c.close()
	at.waitSessions(0)
}

type apiTester struct {
	t      *testing.T
	srv    *Server
	url    string
	walker *machine.Machine
	rnd    *rand.Rand
	c      *client

	small, legacySmall, legacySecond, graphml string

	running       bool
	legacyMachine bool   // the machine was started with the 3.x dialect
	legacy        int    // 3.x models loaded on this connection
	models        int    // models of the running machine
	steps         int    // steps taken by the running machine
	value         string // expected "value" variable of a 4.x machine
}

func (a *apiTester) flip() bool { return a.rnd.IntN(2) == 0 }

func (a *apiTester) waitSessions(n int) {
	a.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for a.srv.Sessions() != n {
		if time.Now().After(deadline) {
			a.t.Fatalf("server has %d sessions, want %d", a.srv.Sessions(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

func (a *apiTester) connect() {
	a.waitSessions(0)
	a.c = dial(a.t, a.url)
	a.waitSessions(1)
	a.running, a.legacy = false, 0
}

func (a *apiTester) reconnect() {
	a.c.close()
	a.waitSessions(0)
	a.connect()
}

// want checks a reply's success flag and its command or type name.
func (a *apiTester) want(v jsonx.Value, success bool, key, name string) {
	a.t.Helper()
	if ok, isBool := boolean(v, "success"); !isBool || ok != success {
		a.t.Errorf("want success=%v: %s", success, jsonx.Marshal(v))
	}
	if key != "" && str(v, key) != name {
		a.t.Errorf("want %s %q: %s", key, name, jsonx.Marshal(v))
	}
}

// wantIssue checks the issues push and the failed reply of cmd.
func (a *apiTester) wantIssue(msgs []string, cmd, contains string) {
	a.t.Helper()
	issues := mustParse(a.t, msgs[0])
	if str(issues, "command") != "issues" {
		a.t.Errorf("want an issues push, got %s", msgs[0])
	}
	list, _ := issues.Get("issues")
	if list.Len() != 1 || !strings.Contains(list.Elems()[0].Str(), contains) {
		a.t.Errorf("want one issue containing %q, got %s", contains, msgs[0])
	}
	// GraphWalker's reply, plus the issue as its message (gw).
	if want := `{"success":false,"message":` + string(jsonx.Marshal(list.Elems()[0])) + `,"command":"` + cmd + `"}`; msgs[1] != want {
		a.t.Errorf("got %s, want %s", msgs[1], want)
	}
}

func (a *apiTester) notInitiated(v jsonx.Value, key, name string) {
	a.t.Helper()
	a.want(v, false, key, name)
	if str(v, "message") != notInitiated {
		a.t.Errorf("want the 'not initiated' message: %s", jsonx.Marshal(v))
	}
}

func (a *apiTester) emptyMachine() {
	if a.srv.Sessions() != 1 {
		a.t.Errorf("%d sessions, want 1", a.srv.Sessions())
	}
	if a.flip() {
		a.notInitiated(a.c.call1(`{ command: "getNext"}`), "command", "getNext")
	} else {
		a.notInitiated(a.c.call1(`{ type: "getNext"}`), "type", "getNext")
	}
}

func (a *apiTester) modelLoaded() {
	// The walker's own count (model variable) and ours agree.
	kvs, err := a.walker.Data()
	if err != nil {
		a.t.Fatal(err)
	}
	for _, kv := range kvs {
		if kv.Key == "legacyModels" && kv.Value != strconv.Itoa(a.legacy) {
			a.t.Errorf("legacyModels = %s in the API model, tester counted %d", kv.Value, a.legacy)
		}
	}
	// Loaded but not started: no machine yet.
	a.notInitiated(a.c.call1(`{"type":"hasNext"}`), "type", "hasNext")
}

func (a *apiTester) machineRunning() {
	a.hasNext()
	if !a.legacyMachine {
		if got := a.data(); got != a.value {
			a.t.Errorf("value = %q, want %q", got, a.value)
		}
	}
}

// data returns the "value" variable of the running machine (4.x getData).
func (a *apiTester) data() string {
	v := a.c.call1(`{ command: "getData"}`)
	a.want(v, true, "command", "getData")
	d, _ := v.Get("data")
	if d.Kind() != jsonx.KindObject {
		a.t.Errorf("data is not an object: %s", jsonx.Marshal(v))
	}
	for _, m := range d.Members() {
		if m.Value.Kind() != jsonx.KindString {
			a.t.Errorf("data values must be strings: %s", jsonx.Marshal(v))
		}
	}
	return str(d, "value")
}

func (a *apiTester) mode() {
	v := a.c.call1(`{command:"mode"}`)
	a.want(v, true, "command", "mode")
	if str(v, "mode") != "EDITOR" || str(v, "version") != "test" {
		a.t.Errorf("mode: %s", jsonx.Marshal(v))
	}
}

func (a *apiTester) callBeforeStart() {
	for _, c := range [][2]string{{"getNext", "getNext"}, {"hasNext", "hasNext"}, {"getData", "getData"},
		{"setData", "setData"}, {"getModel", "getmodel"}, {"updateAllElements", "updateallelements"}} {
		a.notInitiated(a.c.call1(`{command:"`+c[0]+`", action:"x=1"}`), "command", c[1])
	}
	for _, c := range []string{"getNext", "hasNext", "getData"} {
		a.notInitiated(a.c.call1(`{type:"`+c+`"}`), "type", c)
	}
}

// badInput sends every kind of bad message; each gets its answer (or
// GraphWalker's silence) and the connection keeps working.
func (a *apiTester) badInput() {
	for _, f := range []struct{ send, message string }{
		{`this is not JSON`, "Unknown command: A JSONObject text must begin with '{' at 1 [character 2 line 1]; every message is one JSON object, e.g. {\"command\":\"hasNext\"}"},
		{`{"command":"getNext"`, "Unknown command: Expected a ',' or '}' at 20 [character 21 line 1]; every message is one JSON object, e.g. {\"command\":\"hasNext\"}"},
		{`{command:"frobnicate"}`, `Unknown command: "frobnicate"; the commands are ` + commands},
		{`{type:"frobnicate"}`, `Unknown command: type "frobnicate"; GraphWalker 3 messages have the types ` + legacyTypes + ` (or use the GraphWalker 4 dialect, {"command": ...}: ` + commands + `)`},
		{`{"foo":"bar"}`, `The message has no "command" (GraphWalker 4: ` + commands + `) nor "type" (GraphWalker 3: ` + legacyTypes + `); e.g. {"command":"hasNext"}`},
	} {
		v := a.c.call1(f.send)
		if str(v, "message") != f.message || v.Len() != 2 {
			a.t.Errorf("%q: got %s, want message %q", f.send, jsonx.Marshal(v), f.message)
		}
		a.want(v, false, "", "")
	}
	a.c.silent(`{command: 42}`)
	a.c.sendBinary([]byte{0, 1, 2})
	if v := mustParse(a.t, a.c.recv()); !strings.Contains(str(v, "message"), "Binary messages are not supported") {
		a.t.Errorf("binary: %s", jsonx.Marshal(v))
	}
	big := `{command:"setData", action:"` + strings.Repeat("x", 3<<20/2) + `"}`
	if v := a.c.call1(big); !strings.Contains(str(v, "message"), "Message too big") {
		a.t.Errorf("big message: %s", jsonx.Marshal(v))
	}
	a.mode()
}

func (a *apiTester) startBrokenModel() {
	broken := []struct{ send, issue string }{
		{`{command:"start"}`, `JSONObject["gw"] not found.`},
		{`{command:"start", gw:"model"}`, `is not a JSONObject`},
		{`{command:"start", gw:{name:"no models"}}`, gwjson.NotValidMsg},
		{`{command:"start", gw:{models:[{name:"m", generator:"random(nope)", vertices:[{id:"a"}], edges:[{id:"e", targetVertexId:"a"}], startElementId:"e"}]}}`, `"nope"`},
		{`{command:"start", gw:{models:[{name:"m", generator:"random(edge_coverage(100))", actions:["while(true){}"], vertices:[{id:"a"}], edges:[{id:"e", targetVertexId:"a"}], startElementId:"e"}]}}`, `deadline`},
		{`{command:"start", gw:{models:[{name:"m", generator:"random(edge_coverage(100))", vertices:[{id:"a"}], edges:[{id:"e", targetVertexId:"b"}], startElementId:"e"}]}}`, `targetVertexId "b"`},
		{`{command:"start", seed:"x", gw:` + a.small + `}`, `"seed" must be an integer`},
	}
	b := broken[a.rnd.IntN(len(broken))]
	a.wantIssue(a.c.call(b.send, 2), "start", b.issue)
	if a.legacy == 0 {
		v := a.c.call1(`{type:"start"}`)
		a.want(v, false, "type", "start")
		if !strings.Contains(str(v, "message"), "No start context found") {
			a.t.Errorf("3.x start without models: %s", jsonx.Marshal(v))
		}
	}
}

func (a *apiTester) convertGraphml() {
	q := string(jsonx.AppendString(nil, a.graphml))
	v := a.c.call1(`{command:"convertGraphml", graphml:` + q + `}`)
	a.want(v, true, "command", "convertGraphml")
	doc, err := gwjson.Parse([]byte(str(v, "models")), "convertGraphml")
	if err != nil || len(doc.Models) != 1 || len(doc.Models[0].Edges) != 2 || doc.Models[0].StartElementID != "e0" {
		a.t.Errorf("convertGraphml: %v: %s", err, jsonx.Marshal(v))
	}
	a.wantIssue(a.c.call(`{command:"convertGraphml", graphml:"<graphml"}`, 2), "convertGraphml", "yEd")
}

func (a *apiTester) startMachine() {
	key := "gw"
	if a.flip() {
		key = "gw3"
	}
	seedField, seed := "", int64(-1)
	if a.flip() {
		seed = a.rnd.Int64()
		seedField = fmt.Sprintf(", seed: %d", seed)
	}
	v := a.c.call1(`{ command: "start", ` + key + `: ` + a.small + seedField + `}`)
	a.want(v, true, "command", "start")
	got, ok := v.Get("seed")
	n, isInt := got.Int64()
	if !ok || !isInt || (seed >= 0 && n != seed) || (seed < 0 && (n < 0 || n >= 1<<53)) {
		a.t.Errorf("start with seed %d: %s", seed, jsonx.Marshal(v))
	}
	a.running, a.legacyMachine, a.models, a.steps, a.value = true, false, 1, 0, "54686327"
}

func (a *apiTester) addModel() {
	msg := a.legacySecond
	if a.legacy == 0 {
		msg = a.legacySmall
	}
	a.want(a.c.call1(msg), true, "type", "loadModel")
	a.legacy++
}

func (a *apiTester) loadBrokenModel() {
	v := a.c.call1(`{type:"loadModel", model:{name:"broken", generator:"random(edge_coverage(100))", vertices:[{id:"v1"}], edges:[]}}`)
	a.want(v, false, "type", "loadModel")
	if !strings.HasPrefix(str(v, "message"), "Could not parse the model: ") {
		a.t.Errorf("loadModel: %s", jsonx.Marshal(v))
	}
}

func (a *apiTester) restart() {
	if a.flip() {
		a.want(a.c.call1(`{type:"restart"}`), true, "type", "restart")
	} else {
		a.want(a.c.call1(`{command:"restart"}`), true, "command", "restart")
	}
	a.running, a.legacy = false, 0
}

func (a *apiTester) startLegacy() {
	v := a.c.call1(`{type:"start"}`)
	a.want(v, true, "type", "start")
	a.running, a.legacyMachine, a.models, a.steps = true, true, a.legacy, 0
	// As GraphWalker's own test: the machine has one context per loadModel.
	m := a.c.call1(`{command:"getModel"}`)
	doc, err := gwjson.Parse([]byte(str(m, "models")), "getModel")
	if err != nil || len(doc.Models) != a.legacy {
		a.t.Errorf("3.x machine over %d models: %v: %.300s", a.legacy, err, jsonx.Marshal(m))
	}
}

func (a *apiTester) hasNext() {
	var v jsonx.Value
	if a.flip() {
		v = a.c.call1(`{ command: "hasNext"}`)
		a.want(v, true, "command", "hasNext")
	} else {
		v = a.c.call1(`{"type":"hasNext"}`)
		a.want(v, true, "type", "hasNext")
	}
	if _, ok := boolean(v, "hasNext"); !ok {
		a.t.Errorf("hasNext is not a boolean: %s", jsonx.Marshal(v))
	}
}

func (a *apiTester) getNext() {
	if a.flip() {
		msgs := a.c.call(`{ command: "getNext"}`, 2)
		pushed, reply := mustParse(a.t, msgs[0]), mustParse(a.t, msgs[1])
		a.want(reply, true, "command", "getNext")
		if str(pushed, "command") != "visitedElement" || str(pushed, "elementId") != str(reply, "elementId") ||
			str(pushed, "modelId") != str(reply, "modelId") || str(reply, "elementId") == "" {
			a.t.Errorf("getNext:\n%s\n%s", msgs[0], msgs[1])
		}
		total, _ := mustGet(pushed, "totalCount").Int64()
		if total != int64(a.steps+1) {
			a.t.Errorf("totalCount %d after %d steps", total, a.steps)
		}
	} else {
		msgs := a.c.call(`{"type":"getNext"}`, 2)
		pushed, reply := mustParse(a.t, msgs[0]), mustParse(a.t, msgs[1])
		a.want(reply, true, "type", "getNext")
		if str(pushed, "type") != "visitedElement" || str(pushed, "id") != str(reply, "id") || str(reply, "name") == "" {
			a.t.Errorf("3.x getNext:\n%s\n%s", msgs[0], msgs[1])
		}
	}
	a.steps++
}

func mustGet(v jsonx.Value, key string) jsonx.Value { m, _ := v.Get(key); return m }

func (a *apiTester) getData() {
	if a.flip() {
		if got := a.data(); !a.legacyMachine && got != a.value {
			a.t.Errorf("value = %q, want %q", got, a.value)
		}
		return
	}
	v := a.c.call1(`{"type":"getData"}`)
	a.want(v, true, "type", "getData")
	d, _ := v.Get("data")
	if d.Kind() != jsonx.KindArray {
		a.t.Errorf("3.x data is not an array: %s", jsonx.Marshal(v))
	}
	value := ""
	for _, e := range d.Elems() {
		if e.Len() != 1 {
			a.t.Errorf("3.x data entries have one key each: %s", jsonx.Marshal(v))
		}
		if s, ok := e.Get("value"); ok {
			value = s.Str()
		}
	}
	if !a.legacyMachine && value != a.value {
		a.t.Errorf("value = %q, want %q", value, a.value)
	}
}

func (a *apiTester) setData() {
	n := strconv.Itoa(a.rnd.IntN(1 << 30))
	a.want(a.c.call1(`{ command: "setData", action: "value=`+n+`"}`), true, "command", "setData")
	if !a.legacyMachine {
		a.value = n
	}
}

func (a *apiTester) getModel() {
	v := a.c.call1(`{command:"getModel"}`)
	a.want(v, true, "command", "getmodel")
	doc, err := gwjson.Parse([]byte(str(v, "models")), "getModel")
	if err != nil || len(doc.Models) != a.models {
		a.t.Fatalf("getModel: %v: %.300s", err, jsonx.Marshal(v))
	}
	if started := doc.Models[0].StartElementID == ""; started != (a.steps > 0) {
		a.t.Errorf("startElementId %q after %d steps", doc.Models[0].StartElementID, a.steps)
	}
}

func (a *apiTester) updateAllElements() {
	v := a.c.call1(`{command:"updateAllElements"}`)
	a.want(v, true, "command", "updateallelements")
	els, _ := v.Get("elements")
	want := 6
	if a.legacyMachine {
		want = 6 + 3*(a.models-1)
	}
	sum := int64(0)
	for _, e := range els.Elems() {
		n, _ := mustGet(e, "visitedCount").Int64()
		sum += n
	}
	if els.Len() != want || sum != int64(a.steps) {
		a.t.Errorf("updateAllElements: %d elements (want %d), %d visits (want %d)", els.Len(), want, sum, a.steps)
	}
}

func (a *apiTester) scriptFails() {
	cases := []struct{ send, issue string }{
		{`{command:"setData", action:"throw new Error('boom')"}`, "Error: boom"},
		{`{command:"setData", action:"while(true){}"}`, "deadline"},
		{`{command:"setData", action:"value = ("}`, "SyntaxError"},
		{`{command:"setData"}`, `JSONObject["action"] not found.`},
	}
	c := cases[a.rnd.IntN(len(cases))]
	a.wantIssue(a.c.call(c.send, 2), "setData", c.issue)
}
