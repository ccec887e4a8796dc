package rest

import (
	"encoding/json"
	"github.com/gw-project/gw/internal/script"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// serve sends one request straight to the handler.
func serve(t *testing.T, s *Server, method, target, body string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(method, "http://localhost/", strings.NewReader(body))
	u, err := url.ParseRequestURI(target)
	if err != nil {
		return 0, "" // net/http answers 400 before any handler runs
	}
	req.URL = u
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	reply := rec.Body.String()
	if method != http.MethodHead {
		var r map[string]any
		if err := json.Unmarshal([]byte(reply), &r); err != nil {
			t.Fatalf("%s %s: reply is not a JSON object: %q", method, target, reply)
		}
		if r["result"] != "ok" && r["result"] != "nok" {
			t.Fatalf("%s %s: result %v", method, target, r["result"])
		}
		if r["result"] == "nok" && r["error"] == "" {
			t.Fatalf("%s %s: nok without an error text", method, target)
		}
	}
	if ct := rec.Header().Get("Content-Type"); ct != "text/plain;charset=UTF-8" {
		t.Fatalf("%s %s: Content-Type %q", method, target, ct)
	}
	return rec.Code, reply
}

func addModelSeeds(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(""))
	f.Add([]byte("{}"))
	f.Add([]byte(`{"models":[{"generator":"random(length(3))","startElementId":"a","vertices":[{"id":"a"}],"edges":[{"id":"b","sourceVertexId":"a","targetVertexId":"a","guard":"x<3","actions":["x=(x||0)+1"]}]}]}`))
}

// FuzzLoad: any load body gives a JSON reply, and whatever was loaded can
// be walked and reported without a panic.
func FuzzLoad(f *testing.F) {
	addModelSeeds(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		s, err := NewHandler(Options{Verbose: true, Unvisited: true, Blocked: true, Script: script.Limits{Timeout: 50 * time.Millisecond}, MaxBodyBytes: 1 << 20, NoProgressWindow: 200})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		start := time.Now()
		defer func() {
			if d := time.Since(start); d > 3*time.Second {
				t.Fatalf("took %v", d)
			}
		}()
		status, _ := serve(t, s, "POST", "/graphwalker/load?seed=1", string(body))
		if status != 200 && status != 413 {
			t.Fatalf("load: status %d", status)
		}
		for range 20 {
			serve(t, s, "GET", "/graphwalker/hasNext", "")
			serve(t, s, "GET", "/graphwalker/getNext", "")
		}
		serve(t, s, "GET", "/graphwalker/getData", "")
		serve(t, s, "GET", "/graphwalker/getStatistics", "")
		serve(t, s, "PUT", "/graphwalker/fail/x", "")
		serve(t, s, "PUT", "/graphwalker/restart", "")
		serve(t, s, "GET", "/graphwalker/getStatistics", "")
	})
}

var fuzzUC01 []byte

// FuzzPathArgs: any path, and any script or reason sent the way AltWalker
// encodes them, gives a JSON reply; fail echoes its reason exactly.
func FuzzPathArgs(f *testing.F) {
	for _, s := range []string{"x=1", "MAX_BOOKS=6;", `url="url/example/"`, "global.count=1.33", "while(true){}",
		"undefinedFunction()", "Special charaters: $&+,/:;=?@<>#%{}|[]^~`", "", "%", "%zz", "a/b", "é☃", "\x00\xff"} {
		f.Add(s, "setData/"+s)
	}
	f.Add("r", "/graphwalker/../x")
	f.Add("r", "//graphwalker/hasNext")
	f.Add("r", "/graphwalker/fail/a%2Fb/")
	var err error
	if fuzzUC01, err = os.ReadFile(filepath.Join("testdata", "UC01.json")); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, arg, rawPath string) {
		s, err := NewHandler(Options{Verbose: true, Script: script.Limits{Timeout: 50 * time.Millisecond}})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		serve(t, s, "POST", "/graphwalker/load?seed=1", string(fuzzUC01))
		serve(t, s, "GET", "/graphwalker/getNext", "")
		for _, m := range []string{"GET", "PUT", "POST", "HEAD"} {
			serve(t, s, m, rawPath, "")
			serve(t, s, m, "/graphwalker/"+rawPath, "")
		}
		serve(t, s, "PUT", "/graphwalker/setData/"+quote(arg), "")
		serve(t, s, "GET", "/graphwalker/getData", "")
		if arg == "" {
			return
		}
		serve(t, s, "GET", "/graphwalker/getNext", "") // rawPath may have been restart
		_, reply := serve(t, s, "PUT", "/graphwalker/fail/"+quote(arg), "")
		var r map[string]string
		if err := json.Unmarshal([]byte(reply), &r); err != nil {
			t.Fatal(err)
		}
		want := "java.lang.Throwable: " + strings.ToValidUTF8(arg, "\uFFFD")
		if utf8.ValidString(arg) && r["error"] != want {
			t.Fatalf("fail/%s: error %q, want %q", quote(arg), r["error"], want)
		}
	})
}

// FuzzRoute: the router never panics, and what it accepts is well formed.
func FuzzRoute(f *testing.F) {
	for _, p := range []string{"/graphwalker/hasNext", "/graphwalker/setData/x%3D1", "/graphwalker/fail/a%2Fb/",
		"/graphwalker/", "/x", "/graphwalker/setData/%", "/graphwalker/getNext/"} {
		f.Add("GET", p)
		f.Add("PUT", p)
	}
	f.Fuzz(func(t *testing.T, method, path string) {
		ep, arg, rerr := route(method, path)
		if rerr != nil {
			if ep != epNone || rerr.msg == "" || rerr.status < 400 {
				t.Fatalf("route(%q, %q): bad error %+v", method, path, rerr)
			}
			return
		}
		r := routes[ep]
		if r.name == "" || (method != r.method && method != "HEAD") {
			t.Fatalf("route(%q, %q) = %v", method, path, ep)
		}
		if !r.arg && arg != "" || r.arg && arg == "" {
			t.Fatalf("route(%q, %q): arg %q for %s", method, path, arg, r.name)
		}
	})
}
