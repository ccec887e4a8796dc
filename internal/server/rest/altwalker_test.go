package rest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// These tests play AltWalker's GraphWalkerClient (altwalker/graphwalker.py)
// call for call, with its URL building and encodings, and its integration
// tests (tests/integration/test_graphwalker.py) as the expectations.

// altwalker is AltWalker's GraphWalkerClient transcribed to Go.
type altwalker struct {
	t       testing.TB
	base    string // "http://host:port/graphwalker"
	verbose bool
	client  *http.Client
}

func newAltwalker(t testing.TB, ts *testServer) *altwalker {
	return &altwalker{t: t, base: ts.base, client: ts.client}
}

// gwError is AltWalker's GraphWalkerException.
type gwError string

func (e gwError) Error() string { return string(e) }

// urlJoin is altwalker._utils.url_join.
func urlJoin(base, url string) string {
	return strings.Trim(base, "/") + "/" + strings.Trim(url, "/")
}

// send does what requests.get/put/post do: no Content-Type, a body only
// for post.
func (c *altwalker) send(method, url string, data *string) (int, []byte) {
	c.t.Helper()
	var body io.Reader
	if data != nil {
		body = strings.NewReader(*data)
	}
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		c.t.Fatal(err)
	}
	resp, err := c.client.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// call is _get/_put/_post: _validate_response then _get_body.
func (c *altwalker) call(method, path string, data *string) (map[string]any, error) {
	c.t.Helper()
	status, b := c.send(method, urlJoin(c.base, path), data)
	if status != 200 {
		return nil, gwError(fmt.Sprintf("GraphWalker responded with status code: %d.", status))
	}
	var body map[string]any
	if err := json.Unmarshal(b, &body); err != nil {
		c.t.Fatalf("%s %s: response.json() fails on %q: %v", method, path, b, err)
	}
	if body["result"] == "ok" {
		delete(body, "result")
		return body, nil
	}
	if e, ok := body["error"]; ok {
		return nil, gwError(fmt.Sprintf("GraphWalker responded with the error: %v.", e))
	}
	if body["result"] == "nok" {
		return nil, gwError("GraphWalker responded with an nok status.")
	}
	return nil, gwError("GraphWalker did not respond with an ok status.")
}

func (c *altwalker) must(body map[string]any, err error) map[string]any {
	c.t.Helper()
	if err != nil {
		c.t.Fatal(err)
	}
	return body
}

func (c *altwalker) load(model string) error {
	_, err := c.call("POST", "/load", &model)
	return err
}

func (c *altwalker) hasNext() bool {
	c.t.Helper()
	return c.must(c.call("GET", "/hasNext", nil))["hasNext"] == "true"
}

// getNext returns the step as _normalize_step does.
func (c *altwalker) getNext() map[string]any {
	c.t.Helper()
	step := c.must(c.call("GET", "/getNext", nil))
	out := map[string]any{}
	if c.verbose {
		data := map[string]any{}
		for _, kv := range step["data"].([]any) {
			for k, v := range kv.(map[string]any) {
				data[k] = v
			}
		}
		out["data"] = data
		out["properties"] = step["properties"]
	}
	if acts, ok := step["actions"].([]any); ok && len(acts) > 0 {
		var list []any
		for _, a := range acts {
			list = append(list, a.(map[string]any)["Action"])
		}
		out["actions"] = list
	}
	out["id"] = step["currentElementID"]
	out["name"] = step["currentElementName"]
	out["modelName"] = step["modelName"]
	return out
}

func (c *altwalker) getData() map[string]any {
	c.t.Helper()
	return c.must(c.call("GET", "/getData", nil))["data"].(map[string]any)
}

// setData is set_data with _normalize_data.
func (c *altwalker) setData(key string, value any) error {
	v := altwalkerValue(value)
	_, err := c.call("PUT", fmt.Sprintf("/setData/%s=%s", quote(key), quote(v)), nil)
	return err
}

func (c *altwalker) restart() error {
	_, err := c.call("PUT", "/restart", nil)
	return err
}

// fail checks the status only, as AltWalker does (GraphWalker answers nok).
func (c *altwalker) fail(message string) error {
	if message == "" {
		message = "Unknown error."
	}
	status, _ := c.send("PUT", c.base+"/fail/"+quote(message), nil)
	if status != 200 {
		return gwError(fmt.Sprintf("GraphWalker responded with status code: %d.", status))
	}
	return nil
}

func (c *altwalker) getStatistics() map[string]any {
	c.t.Helper()
	return c.must(c.call("GET", "/getStatistics", nil))
}

// shopBody is what AltWalker posts for shop.json: json.dumps(json.load(f)).
func shopBody(t testing.TB) string { return string(readFile(t, "shop.altwalker-body.json")) }

// TestAltWalkerService: test_create, test_kill — a service without models
// answers getStatistics with 200.
func TestAltWalkerService(t *testing.T) {
	ts := newTestServer(t, Options{Verbose: true, Blocked: false})
	status, body := ts.do("GET", "/graphwalker/getStatistics", "")
	if status != 200 {
		t.Fatalf("getStatistics without models: %d %s", status, body)
	}
}

// TestAltWalkerClient is TestGraphWalkerClient: each case gets a fresh
// service (started as AltWalker starts it: --verbose, --blocked False) and
// a load of shop.json.
func TestAltWalkerClient(t *testing.T) {
	setup := func(t *testing.T) *altwalker {
		ts := newTestServer(t, Options{Verbose: true, Unvisited: false, Blocked: false})
		c := newAltwalker(t, ts)
		if err := c.load(shopBody(t)); err != nil {
			t.Fatal(err)
		}
		return c
	}
	t.Run("load", func(t *testing.T) {
		c := setup(t)
		if err := c.load(shopBody(t)); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("load invalid model", func(t *testing.T) {
		c := setup(t)
		err := c.load(string(readFile(t, "invalid.json")))
		if err == nil || !strings.HasPrefix(err.Error(), "GraphWalker responded with the error: ") {
			t.Fatalf("load invalid.json: %v, want a GraphWalker error", err)
		}
		if !c.hasNext() {
			t.Error("a failed load replaced the loaded model")
		}
	})
	t.Run("has_next", func(t *testing.T) {
		if !setup(t).hasNext() {
			t.Fatal("has_next after load is false")
		}
	})
	t.Run("get_next", func(t *testing.T) {
		step := setup(t).getNext()
		want := map[string]any{"id": "e0", "name": "e_init", "modelName": "UC01_GW2",
			"actions": []any{" num_of_books = 0;", " MAX_BOOKS = 5;"}}
		if fmt.Sprint(step) != fmt.Sprint(want) {
			t.Fatalf("get_next = %v, want %v", step, want)
		}
	})
	t.Run("get_next verbose client", func(t *testing.T) {
		c := setup(t)
		c.verbose = true
		step := c.getNext()
		want := map[string]any{"id": "e0", "name": "e_init", "modelName": "UC01_GW2",
			"actions":    []any{" num_of_books = 0;", " MAX_BOOKS = 5;"},
			"data":       map[string]any{"num_of_books": "0", "MAX_BOOKS": "5"},
			"properties": []any{}}
		if fmt.Sprint(step) != fmt.Sprint(want) {
			t.Fatalf("get_next = %v, want %v", step, want)
		}
	})
	t.Run("get_data", func(t *testing.T) {
		c := setup(t)
		if d := c.getData(); len(d) != 0 {
			t.Errorf("get_data before any step = %v, want {}", d)
		}
		c.getNext()
		if d := c.getData(); fmt.Sprint(d) != "map[MAX_BOOKS:5 num_of_books:0]" {
			t.Errorf("get_data after e_init = %v", d)
		}
	})
	for _, c := range []struct {
		key   string
		value any
		want  string
	}{
		{"isUserLoggedIn", true, "true"},
		{"isUserLoggedIn", false, "false"},
		{"message", "Test message.", "Test message."},
		{"url", "url/example/", "url/example/"},
		{"count", 0, "0"},
		{"count", 1, "1"},
		{"count", 1.33, "1.33"},
		{"count", -1, "-1"},
		// Beyond AltWalker's table: characters that need encoding (a '"'
		// would end AltWalker's unescaped JS string, in GraphWalker too).
		{"text", `it's a back\\slash`, `it's a back\slash`},
		{"text", "50% + 50% = 100%; a=b&c?d#e", "50% + 50% = 100%; a=b&c?d#e"},
		{"text", "naïve ☃", "naïve ☃"},
		{"text", "two  spaces", "two  spaces"},
	} {
		t.Run(fmt.Sprintf("set_data %s=%v", c.key, c.value), func(t *testing.T) {
			a := setup(t)
			if err := a.setData(c.key, c.value); err != nil {
				t.Fatal(err)
			}
			if got := a.getData()[c.key]; got != c.want {
				t.Fatalf("get_data()[%q] = %q, want %q", c.key, got, c.want)
			}
		})
		t.Run(fmt.Sprintf("set_data global.%s=%v", c.key, c.value), func(t *testing.T) {
			a := setup(t)
			if err := a.setData("global."+c.key, c.value); err != nil {
				t.Fatal(err)
			}
			if _, ok := a.getData()[c.key]; ok {
				t.Errorf("global.%s shows in the model's data", c.key)
			}
		})
	}
	t.Run("restart", func(t *testing.T) {
		c := setup(t)
		n := 0
		for c.hasNext() {
			c.getNext()
			if n++; n > 50000 {
				t.Fatal("has_next still true after 50000 steps")
			}
		}
		if err := c.restart(); err != nil {
			t.Fatal(err)
		}
		if !c.hasNext() {
			t.Fatal("has_next is false after restart")
		}
	})
	t.Run("restart empty path", func(t *testing.T) {
		if err := setup(t).restart(); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("get_statistics", func(t *testing.T) {
		s := setup(t).getStatistics()
		if s["totalNumberOfEdges"] != 12.0 || s["totalNumberOfVertices"] != 7.0 {
			t.Fatalf("get_statistics = %v", s)
		}
	})
	for _, msg := range []string{
		"",
		"Error message.",
		"Error message with URL: http://example.com/of/url",
		"Special charaters that should be encoded: $&+,/:;=?@<>#%{}|[]^~`",
	} {
		t.Run(fmt.Sprintf("fail %q", msg), func(t *testing.T) {
			c := setup(t)
			c.getNext()
			if err := c.fail(msg); err != nil {
				t.Fatal(err)
			}
			if s := c.getStatistics(); s["totalFailedNumberOfModels"] != 1.0 {
				t.Fatalf("totalFailedNumberOfModels = %v, want 1", s["totalFailedNumberOfModels"])
			}
			if c.hasNext() {
				t.Error("has_next is true after fail")
			}
		})
	}
	t.Run("inexistent route", func(t *testing.T) {
		c := setup(t)
		_, err := c.call("GET", "/inexistent", nil)
		if err == nil || err.Error() != "GraphWalker responded with status code: 404." {
			t.Fatalf("GET /inexistent: %v, want status code 404", err)
		}
	})
}

// TestAltWalkerRun plays walker.py's run loop against the service:
// restart, then per step hasNext, getNext, getData, the test code, setData
// for each changed key and fail on errors, and getStatistics at the end.
func TestAltWalkerRun(t *testing.T) {
	for _, failAt := range []int{-1, 7} {
		t.Run(fmt.Sprint("failAt", failAt), func(t *testing.T) {
			ts := newTestServer(t, Options{Verbose: true, Unvisited: true, Blocked: false})
			c := newAltwalker(t, ts)
			if err := c.load(shopBody(t)); err != nil {
				t.Fatal(err)
			}
			if err := c.restart(); err != nil {
				t.Fatal(err)
			}
			status := true
			steps := 0
			for status && c.hasNext() {
				step := c.getNext()
				steps++
				if steps > 100000 {
					t.Fatal("the run does not end")
				}
				if step["name"] == "" {
					continue
				}
				before := c.getData()
				// The "test code": count visits of the shopping cart and
				// keep num_of_books in range so that the run can end.
				after := map[string]any{}
				for k, v := range before {
					after[k] = v
				}
				if step["name"] == "v_ShoppingCart" {
					n := 0
					fmt.Sscan(fmt.Sprint(before["cartVisits"]), &n)
					after["cartVisits"] = n + 1
					after["num_of_books"] = 0
				}
				var stepErr string
				if steps == failAt {
					stepErr = "AssertionError: expected 3 books, found 2 (see http://shop.example/cart?id=42&x=1)"
				}
				for k, v := range after {
					if fmt.Sprint(before[k]) != fmt.Sprint(v) {
						if err := c.setData(k, v); err != nil {
							t.Fatal(err)
						}
					}
				}
				if stepErr != "" {
					if err := c.fail(stepErr); err != nil {
						t.Fatal(err)
					}
					status = false
				}
			}
			s := c.getStatistics()
			if failAt > 0 {
				if s["totalFailedNumberOfModels"] != 1.0 || steps != failAt {
					t.Fatalf("after a failing step %d: %d steps, statistics %v", failAt, steps, s)
				}
				return
			}
			if s["totalCompletedNumberOfModels"] != 1.0 || s["edgeCoverage"] != 100.0 {
				t.Fatalf("the run ended after %d steps with %v", steps, s)
			}
			if d := c.getData(); d["cartVisits"] == nil {
				t.Errorf("setData of the test code did not stick: %v", d)
			}
		})
	}
}
