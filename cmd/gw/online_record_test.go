package main

import (
	"context"
	"encoding/json"
	"net/http"
	neturl "net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// End-to-end tests of gw online --record and --replay: the real binary,
// driven as a WebSocket or REST client drives it.

// loginModel is examples/models/login.json with its generator replaced.
func loginModel(t *testing.T, generator string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, "examples/models/login.json"))
	if err != nil {
		t.Fatal(err)
	}
	const old = `"generator": "random(edge_coverage(100))"`
	if !strings.Contains(string(b), old) {
		t.Fatal("login.json: no generator to replace")
	}
	return strings.Replace(string(b), old, `"generator": "`+generator+`"`, 1)
}

// ask sends msg and decodes the reply to command name.
func (c *wsClient) ask(t *testing.T, msg, name string) map[string]any {
	t.Helper()
	all, err := c.exchange(msg, name)
	if err != nil {
		t.Fatalf("%v after %q", err, all)
	}
	msgs := strings.Split(all, "\n")
	var v map[string]any
	if err := json.Unmarshal([]byte(msgs[len(msgs)-1]), &v); err != nil {
		t.Fatalf("%v: %q", err, all)
	}
	return v
}

// wsWalk asks hasNext and getNext until the walk ends or a step fails (at
// most max steps); setData runs after the given step numbers. It returns
// the element names and the failing reply's message, if any.
func wsWalk(t *testing.T, c *wsClient, max int, setData map[int]string) (names []string, failure string) {
	t.Helper()
	for len(names) < max {
		v := c.ask(t, `{"command":"hasNext"}`, "hasNext")
		if v["success"] != true {
			return names, v["message"].(string)
		}
		if v["hasNext"] != true {
			return names, ""
		}
		v = c.ask(t, `{"command":"getNext"}`, "getNext")
		if v["success"] != true {
			msg, _ := v["message"].(string)
			return names, msg
		}
		names = append(names, v["name"].(string))
		if sd, ok := setData[len(names)]; ok {
			if v := c.ask(t, `{"command":"setData","action":`+jsonString(sd)+`}`, "setData"); v["success"] != true {
				t.Fatalf("setData: %v", v)
			}
		}
	}
	return names, ""
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// restWalk is wsWalk for the REST service.
func restWalk(t *testing.T, addr string, max int, setData map[int]string) (names []string, failure string) {
	t.Helper()
	get := func(path string) map[string]any {
		_, body := rest(t, http.MethodGet, addr, path, "", nil)
		var v map[string]any
		if err := json.Unmarshal([]byte(body), &v); err != nil {
			t.Fatalf("%s: %v: %q", path, err, body)
		}
		return v
	}
	for len(names) < max {
		v := get("hasNext")
		if v["result"] != "ok" {
			return names, v["error"].(string)
		}
		if v["hasNext"] != "true" {
			return names, ""
		}
		v = get("getNext")
		if v["result"] != "ok" {
			msg, _ := v["error"].(string)
			return names, msg
		}
		names = append(names, v["currentElementName"].(string))
		if sd, ok := setData[len(names)]; ok {
			if code, body := rest(t, http.MethodPut, addr, "setData/"+neturl.PathEscape(sd), "", nil); code != 200 || !strings.Contains(body, `"ok"`) {
				t.Fatalf("setData: %d %s", code, body)
			}
		}
	}
	return names, ""
}

// replayed is what gw replay prints for a record, as element names.
func replayed(t *testing.T, file string) []string {
	t.Helper()
	out, errOut, code := gw(t, "replay", file)
	if code != 0 {
		t.Fatalf("gw replay %s: exit %d %s", file, code, errOut)
	}
	var names []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var v struct{ CurrentElementName string }
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatal(err)
		}
		names = append(names, v.CurrentElementName)
	}
	return names
}

func records(t *testing.T, dir string, want int) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	slices.Sort(files)
	if len(files) != want {
		t.Fatalf("%d records in %s, want %d: %v", len(files), dir, want, files)
	}
	return files
}

// TestOnlineRecordWebSocket: each WebSocket session is recorded; the
// record reports and replays the path the client was given.
func TestOnlineRecordWebSocket(t *testing.T) {
	dir := t.TempDir()
	o := startOnline(t, "--record", dir)
	var walks [][]string
	for _, gen := range []string{"random(edge_coverage(100))", "random(length(7))"} {
		c := mustDialWS(t, o.addr)
		if v := c.ask(t, `{"command":"start","gw":`+loginModel(t, gen)+`}`, "start"); v["success"] != true {
			t.Fatalf("start: %v", v)
		}
		names, failure := wsWalk(t, c, 500, nil)
		if failure != "" || len(names) == 0 {
			t.Fatalf("walk: %d steps, %s", len(names), failure)
		}
		walks = append(walks, names)
		c.c.CloseNow()
	}
	if code, _ := o.stop(); code != 0 {
		t.Fatalf("exit %d:\n%s", code, o.log())
	}
	files := records(t, dir, 2)
	for i, f := range files {
		if got := replayed(t, f); !slices.Equal(got, walks[i]) {
			t.Errorf("record %d replays\n%v\nthe session walked\n%v", i, got, walks[i])
		}
	}
	md, errOut, code := gw(t, append([]string{"report", "--markdown", "-"}, files...)...)
	if code != 0 || !strings.Contains(md, "2 run(s)") || !strings.Contains(md, "websocket") {
		t.Errorf("report: exit %d %s\n%s", code, errOut, md)
	}
}

// TestOnlineRecordREST: each REST load and restart is recorded.
func TestOnlineRecordREST(t *testing.T) {
	dir := t.TempDir()
	o := startOnline(t, "-s", "RESTFUL", "--record", dir)
	if code, body := rest(t, http.MethodPost, o.addr, "load", loginModel(t, "random(edge_coverage(100))"), nil); code != 200 {
		t.Fatalf("load: %d %s", code, body)
	}
	first, failure := restWalk(t, o.addr, 500, nil)
	if failure != "" || len(first) == 0 {
		t.Fatalf("walk: %v %s", first, failure)
	}
	if code, body := rest(t, http.MethodPut, o.addr, "restart", "", nil); code != 200 {
		t.Fatalf("restart: %d %s", code, body)
	}
	second, failure := restWalk(t, o.addr, 5, nil)
	if failure != "" || len(second) != 5 {
		t.Fatalf("walk after restart: %v %s", second, failure)
	}
	if code, _ := o.stop(); code != 0 {
		t.Fatalf("exit %d:\n%s", code, o.log())
	}
	files := records(t, dir, 2)
	if got := replayed(t, files[0]); !slices.Equal(got, first) {
		t.Errorf("the load's record replays\n%v\nthe client walked\n%v", got, first)
	}
	if got := replayed(t, files[1]); !slices.Equal(got, second) {
		t.Errorf("the restart's record replays\n%v\nthe client walked\n%v", got, second)
	}
	junit := filepath.Join(t.TempDir(), "junit.xml")
	if _, errOut, code := gw(t, append([]string{"report", "--junit", junit}, files...)...); code != 0 {
		t.Errorf("report: exit %d %s", code, errOut)
	}
}

// TestOnlineReplay: --replay makes the next session, WebSocket or REST,
// walk the recorded path exactly, whatever generator its client gives;
// the session after it walks as usual.
func TestOnlineReplay(t *testing.T) {
	rec := filepath.Join(repoRoot, "examples/records/login-passed.jsonl")
	want := replayed(t, rec)
	t.Run("websocket", func(t *testing.T) {
		dir := t.TempDir()
		o := startOnline(t, "--replay", rec, "--record", dir)
		c := mustDialWS(t, o.addr)
		if v := c.ask(t, `{"command":"start","gw":`+loginModel(t, "random(length(1000))")+`}`, "start"); v["success"] != true {
			t.Fatalf("start: %v", v)
		}
		got, failure := wsWalk(t, c, 2000, nil)
		if failure != "" || !slices.Equal(got, want) {
			t.Errorf("replayed session walked (%s)\n%v\nwant\n%v", failure, got, want)
		}
		c.c.CloseNow()
		c = mustDialWS(t, o.addr)
		if v := c.ask(t, `{"command":"start","gw":`+loginModel(t, "random(length(3))")+`}`, "start"); v["success"] != true {
			t.Fatalf("start: %v", v)
		}
		if got, failure := wsWalk(t, c, 100, nil); failure != "" || len(got) == 0 || len(got) > 5 {
			t.Errorf("the next session walks its own generator, random(length(3)): %v %s", got, failure)
		}
		// Both sessions were recorded; the replayed one's record replays
		// to the same path again.
		c.c.CloseNow()
		if code, _ := o.stop(); code != 0 {
			t.Fatalf("exit %d:\n%s", code, o.log())
		}
		files := records(t, dir, 2)
		if got := replayed(t, files[0]); !slices.Equal(got, want) {
			t.Errorf("the replayed session's record replays\n%v\nwant\n%v", got, want)
		}
	})
	t.Run("rest", func(t *testing.T) {
		o := startOnline(t, "-s", "RESTFUL", "--replay", rec)
		if code, body := rest(t, http.MethodPost, o.addr, "load", loginModel(t, "quick_random(length(1000))"), nil); code != 200 {
			t.Fatalf("load: %d %s", code, body)
		}
		got, failure := restWalk(t, o.addr, 2000, nil)
		if failure != "" || !slices.Equal(got, want) {
			t.Errorf("replayed load walked (%s)\n%v\nwant\n%v", failure, got, want)
		}
		if code, body := rest(t, http.MethodPost, o.addr, "load", loginModel(t, "random(length(3))"), nil); code != 200 {
			t.Fatalf("load: %d %s", code, body)
		}
		if got, failure := restWalk(t, o.addr, 100, nil); failure != "" || len(got) == 0 || len(got) > 5 {
			t.Errorf("the next load walks its own generator, random(length(3)): %v %s", got, failure)
		}
	})
}

// TestOnlineReplayDiverges: a client whose setData turns a recorded
// guard false makes the replay stop with the step and the reason.
func TestOnlineReplayDiverges(t *testing.T) {
	rec := filepath.Join(repoRoot, "examples/records/login-passed.jsonl")
	want := replayed(t, rec)
	if want[2] != "e_StartClient" {
		t.Fatalf("the record's third step is %s", want[2])
	}
	// After step 2, rememberMe and validLogin make e_StartClient (id e1,
	// guard !rememberMe || !validLogin) impossible.
	sd := map[int]string{2: "rememberMe = true; validLogin = true;"}
	const reason = "replay diverged at step 3"
	t.Run("websocket", func(t *testing.T) {
		o := startOnline(t, "--replay", rec)
		c := mustDialWS(t, o.addr)
		if v := c.ask(t, `{"command":"start","gw":`+loginModel(t, "random(edge_coverage(100))")+`}`, "start"); v["success"] != true {
			t.Fatalf("start: %v", v)
		}
		got, failure := wsWalk(t, c, 100, sd)
		t.Logf("the client reads: %s", failure)
		if len(got) != 2 || !strings.Contains(failure, reason) || !strings.Contains(failure, "guard") {
			t.Errorf("walked %v, failure %q; want 2 steps and %q", got, failure, reason)
		}
	})
	t.Run("rest", func(t *testing.T) {
		o := startOnline(t, "-s", "RESTFUL", "--replay", rec)
		if code, body := rest(t, http.MethodPost, o.addr, "load", loginModel(t, "random(edge_coverage(100))"), nil); code != 200 {
			t.Fatalf("load: %d %s", code, body)
		}
		got, failure := restWalk(t, o.addr, 100, sd)
		t.Logf("the client reads: %s", failure)
		if len(got) != 2 || !strings.Contains(failure, reason) || !strings.Contains(failure, "guard") {
			t.Errorf("walked %v, failure %q; want 2 steps and %q", got, failure, reason)
		}
	})
	t.Run("model changed", func(t *testing.T) {
		o := startOnline(t, "--replay", rec)
		c := mustDialWS(t, o.addr)
		changed := strings.Replace(loginModel(t, "random(edge_coverage(100))"), `"e_Logout"`, `"e_SignOut"`, 1)
		v := c.ask(t, `{"command":"start","gw":`+changed+`}`, "start")
		if msg, _ := v["message"].(string); v["success"] == true || !strings.Contains(msg, "digest") {
			t.Errorf("start with a changed model: %v", v)
		}
	})
}

// TestOnlineRecordMCP: with --mcp, the walks an agent drives through the
// MCP tools are in the same hub, so --record records them too.
func TestOnlineRecordMCP(t *testing.T) {
	dir := t.TempDir()
	models, err := filepath.Abs(filepath.Join(repoRoot, "examples/models"))
	if err != nil {
		t.Fatal(err)
	}
	o := startOnline(t, "--mcp", "--models", models, "--record", dir)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cs, err := sdk.NewClient(&sdk.Implementation{Name: "gw-record-test", Version: "1"}, nil).Connect(ctx, &sdk.StreamableClientTransport{Endpoint: "http://" + o.addr + "/mcp"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	call := func(tool string, args map[string]any, out any) {
		t.Helper()
		res, err := cs.CallTool(ctx, &sdk.CallToolParams{Name: tool, Arguments: args})
		if err != nil || res.IsError || len(res.Content) == 0 {
			t.Fatalf("%s: %v %+v", tool, err, res)
		}
		tc, ok := res.Content[0].(*sdk.TextContent)
		if !ok || json.Unmarshal([]byte(tc.Text), out) != nil {
			t.Fatalf("%s: %+v", tool, res.Content[0])
		}
	}
	var start struct {
		SessionID string `json:"session_id"`
		HasNext   bool   `json:"has_next"`
	}
	call("start_session", map[string]any{"models": []any{map[string]any{"path": "login.json"}}, "seed": 5}, &start)
	var walked []string
	for more := start.HasNext; more && len(walked) < 500; {
		var next struct {
			Step    struct{ Name string } `json:"step"`
			HasNext bool                  `json:"has_next"`
		}
		call("next_step", map[string]any{"session_id": start.SessionID}, &next)
		walked = append(walked, next.Step.Name)
		more = next.HasNext
	}
	var closed any
	call("close_session", map[string]any{"session_id": start.SessionID}, &closed)
	cs.Close()
	if code, _ := o.stop(); code != 0 {
		t.Fatalf("exit %d:\n%s", code, o.log())
	}
	files := records(t, dir, 1)
	if got := replayed(t, files[0]); len(walked) == 0 || !slices.Equal(got, walked) {
		t.Errorf("the MCP session's record replays\n%v\nthe agent walked\n%v", got, walked)
	}
}
