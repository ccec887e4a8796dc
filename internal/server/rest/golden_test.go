package rest

import (
	"bytes"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/gw-project/gw/internal/golden"
)

// TestGoldenSessions replays a fixed session against each test model and
// compares the transcript (every request and reply) with
// testdata/golden/<name>.txt. Run with -update after an intended change.
func TestGoldenSessions(t *testing.T) {
	for _, c := range []struct {
		name, file string
		opts       Options
	}{
		{"UC01_verbose_unvisited", "UC01.json", Options{Verbose: true, Unvisited: true, Blocked: true}},
		{"UC01_plain", "UC01.json", Options{Blocked: true}},
		{"UC01_unnamed_requirements", "UC01_unnamed.json", Options{Verbose: true, Blocked: true}},
		{"Login_requirements", "Login.json", Options{Verbose: true, Unvisited: true, Blocked: true}},
		{"PetClinic_multimodel", "PetClinic.json", Options{Unvisited: true, Blocked: true}},
		{"blocked_filtered", "blocked.json", Options{Verbose: true, Blocked: true}},
		{"blocked_kept", "blocked.json", Options{Verbose: true, Blocked: false}},
		{"no_edges", "no_edges.json", Options{Verbose: true, Unvisited: true}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ts := newTestServer(t, c.opts)
			var out bytes.Buffer
			req := func(method, path, body string) {
				status, reply := ts.do(method, path, body)
				if body != "" {
					body = " <" + c.file + ">"
				}
				fmt.Fprintf(&out, "> %s %s%s\n< %d %s\n", method, path, body, status, reply)
			}
			model := string(readFile(t, c.file))
			req("POST", "/graphwalker/load?seed=20240926", model)
			req("GET", "/graphwalker/hasNext", "")
			req("GET", "/graphwalker/getData", "")
			req("GET", "/graphwalker/getStatistics", "")
			for range 8 {
				req("GET", "/graphwalker/getNext", "")
			}
			req("GET", "/graphwalker/getData", "")
			req("PUT", "/graphwalker/setData/"+quote("message")+"="+quote(`"gw golden"`), "")
			req("PUT", "/graphwalker/setData/"+quote("global.count")+"="+quote("1.33"), "")
			req("GET", "/graphwalker/getData", "")
			req("GET", "/graphwalker/getStatistics", "")
			req("PUT", "/graphwalker/fail/"+quote("Error message with URL: http://example.com/of/url"), "")
			req("GET", "/graphwalker/hasNext", "")
			req("GET", "/graphwalker/getStatistics", "")
			req("PUT", "/graphwalker/restart", "")
			req("GET", "/graphwalker/getStatistics", "")
			for range 3 {
				req("GET", "/graphwalker/getNext", "")
			}
			// Walk to the end; only the outcome goes into the transcript.
			steps := 0
			for ; steps < 5000; steps++ {
				_, body := ts.do("GET", "/graphwalker/hasNext", "")
				if decode(t, body)["hasNext"] != "true" {
					break
				}
				ts.do("GET", "/graphwalker/getNext", "")
			}
			fmt.Fprintf(&out, "# walked %d more steps to the end\n", steps)
			req("GET", "/graphwalker/hasNext", "")
			req("GET", "/graphwalker/getStatistics", "")

			golden.Check(t, filepath.Join("testdata", "golden", c.name+".txt"), out.Bytes())
		})
	}
}
