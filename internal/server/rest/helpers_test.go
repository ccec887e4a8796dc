package rest

import (
	"encoding/json"
	"github.com/gw-project/gw/internal/script"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
)

// readFile reads a file of testdata.
func readFile(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// readModels parses a GraphWalker JSON file of testdata.
func readModels(t testing.TB, name string) []*model.Model {
	t.Helper()
	doc, err := gwjson.Parse(readFile(t, name), name)
	if err != nil {
		t.Fatal(err)
	}
	return doc.Models
}

// testServer runs a Server on a loopback port.
type testServer struct {
	t      testing.TB
	srv    *Server
	http   *httptest.Server
	base   string // http://127.0.0.1:port/graphwalker
	client *http.Client
}

func newTestServer(t testing.TB, opts Options) *testServer {
	t.Helper()
	srv, err := NewHandler(opts)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	ts := &testServer{t: t, srv: srv, http: hs, base: hs.URL + "/graphwalker",
		client: &http.Client{Timeout: 30 * time.Second}}
	t.Cleanup(func() {
		hs.Close()
		srv.Close()
	})
	return ts
}

// do sends a request like Python's requests does (no Content-Type, body
// only when given) and returns status and body.
func (ts *testServer) do(method, path, body string) (int, string) {
	ts.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, ts.http.URL+path, r)
	if err != nil {
		ts.t.Fatalf("%s %s: %v", method, path, err)
	}
	resp, err := ts.client.Do(req)
	if err != nil {
		ts.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		ts.t.Fatalf("%s %s: reading body: %v", method, path, err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/plain;charset=UTF-8" {
		ts.t.Errorf("%s %s: Content-Type %q", method, path, ct)
	}
	if !json.Valid(b) && method != http.MethodHead {
		ts.t.Errorf("%s %s: body is not JSON: %q", method, path, b)
	}
	return resp.StatusCode, string(b)
}

// must sends a request that must answer 200 with exactly want.
func (ts *testServer) must(method, path, body, want string) {
	ts.t.Helper()
	status, got := ts.do(method, path, body)
	if status != http.StatusOK || got != want {
		ts.t.Fatalf("%s %s:\n got %d %s\nwant 200 %s", method, path, status, got, want)
	}
}

// decode parses a JSON reply body.
func decode(t testing.TB, body string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("reply %q: %v", body, err)
	}
	return m
}

// quote is Python's urllib.parse.quote(s, safe=""), which AltWalker uses
// for setData and fail: everything but letters, digits and "_.-~" is
// percent-encoded with upper-case hex.
func quote(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("_.-~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// newMirror builds, in the test, the machine the server should have.
func newMirror(t testing.TB, models []*model.Model, seed int64, timeout time.Duration) *machine.Machine {
	t.Helper()
	m, err := machine.New(models, machine.Options{Seed: seed, HasSeed: true, Script: script.Limits{Timeout: timeout}})
	if err != nil {
		t.Fatal(err)
	}
	return m
}
