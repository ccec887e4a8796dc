package httpguard

import (
	"bytes"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestOrigin(t *testing.T) {
	p, err := NewPolicy([]string{"studio.example.com", "https://*.corp.test:*", "null", "pinned.test:8080", `\[fd00::2\]`}, "127.0.0.1", nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		origin string
		ok     bool
	}{
		{"", true}, // not a browser
		{"http://localhost:9090", true},
		{"http://LOCALHOST", true},
		{"http://app.localhost:3000", true},
		{"http://127.0.0.1:9999", true},
		{"http://127.0.0.2", true},
		{"http://[::1]:8080", true},
		{"https://studio.example.com", true},
		{"http://studio.example.com", true},
		{"http://studio.example.com:9090", true}, // a bare host admits any port
		{"http://evil.studio.example.com", false},
		{"https://a.corp.test:8443", true},
		{"https://a.corp.test", true},
		{"http://a.corp.test:8443", false}, // the pattern pins https
		{"http://pinned.test:8080", true},
		{"http://pinned.test:8081", false},
		{"http://pinned.test", false}, // port 80
		{"http://[fd00::2]:81", true},
		{"http://[fd00::3]", false},
		{"null", true},
		{"http://evil.example", false},
		{"http://localhost.evil.example", false},
		{"http://127.0.0.1.nip.io", false},
		{"not a url", false},
		{"file://", false},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "http://127.0.0.1:8887/", nil)
		if c.origin != "" {
			r.Header.Set("Origin", c.origin)
		}
		ref := p.Check(r)
		if (ref == nil) != c.ok {
			t.Errorf("Origin %q: refusal %v, want allowed %v", c.origin, ref, c.ok)
		}
		if ref != nil && (ref.Status != 403 || !strings.Contains(ref.Msg, "--allow-origin")) {
			t.Errorf("Origin %q: refusal %d %q does not say how to allow it", c.origin, ref.Status, ref.Msg)
		}
	}
	// The hint is the form that admits the page, and it works.
	r := httptest.NewRequest("GET", "http://127.0.0.1:8887/", nil)
	r.Header.Set("Origin", "http://studio.test:9090")
	ref := p.Check(r)
	if ref == nil || !strings.Contains(ref.Msg, "--allow-origin studio.test ") {
		t.Fatalf("refusal %v does not hint --allow-origin studio.test", ref)
	}
	p2, _ := NewPolicy([]string{"studio.test"}, "127.0.0.1", nil)
	if ref := p2.Check(r); ref != nil {
		t.Errorf("--allow-origin studio.test refuses http://studio.test:9090: %v", ref)
	}
}

func TestHost(t *testing.T) {
	cases := []struct {
		host   string
		listen string
		allow  []string
		ok     bool
	}{
		{"localhost:8887", "127.0.0.1", nil, true},
		{"LocalHost", "127.0.0.1", nil, true},
		{"gw.localhost:8887", "127.0.0.1", nil, true},
		{"127.0.0.1:8887", "127.0.0.1", nil, true},
		{"[::1]:8887", "127.0.0.1", nil, true},
		{"192.168.1.5:8887", "0.0.0.0", nil, true}, // an address cannot be rebound
		{"", "127.0.0.1", nil, true},               // HTTP/1.0
		{"evil.example:8887", "127.0.0.1", nil, false},
		{"evil.example", "127.0.0.1", nil, false},
		{"localhost.evil.example:8887", "127.0.0.1", nil, false},
		{"gw.corp.example:8887", "gw.corp.example", nil, true}, // --host names it
		{"gw.corp.example:8887", "127.0.0.1", []string{"gw.corp.example"}, true},
		{"a.corp.example:8887", "127.0.0.1", []string{"https://*.corp.example:8443"}, true},
		{"evil.example:8887", "127.0.0.1", []string{"*"}, true},
		{"evil.example:8887", "127.0.0.1", []string{"null"}, false},
	}
	for _, c := range cases {
		p, err := NewPolicy(c.allow, c.listen, nil)
		if err != nil {
			t.Fatal(err)
		}
		r := httptest.NewRequest("GET", "http://x/", nil)
		r.Host = c.host
		ref := p.Check(r)
		if (ref == nil) != c.ok {
			t.Errorf("Host %q (--host %s, --allow-origin %q): refusal %v, want allowed %v", c.host, c.listen, c.allow, ref, c.ok)
		}
		if ref != nil && !strings.Contains(ref.Msg, "--allow-origin evil.example") && !strings.Contains(ref.Msg, "--allow-origin localhost.evil.example") {
			t.Errorf("Host %q: refusal %q does not say how to admit the name", c.host, ref.Msg)
		}
	}
}

// TestRefusalsLogged: every refused origin is logged at Warn with the
// hint, once a minute per origin (a page may retry in a loop).
func TestRefusalsLogged(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn}))
	p, _ := NewPolicy(nil, "127.0.0.1", log)
	for _, o := range []string{"http://studio.test:9090", "http://studio.test:9090", "http://other.test"} {
		r := httptest.NewRequest("GET", "http://127.0.0.1/", nil)
		r.Header.Set("Origin", o)
		p.Check(r)
	}
	out := buf.String()
	if n := strings.Count(out, "level=WARN"); n != 2 {
		t.Errorf("%d records, want 2 (one per origin):\n%s", n, out)
	}
	if !strings.Contains(out, "--allow-origin studio.test") || !strings.Contains(out, "--allow-origin other.test") {
		t.Errorf("the log does not give the hints:\n%s", out)
	}
}

func TestValidatePatterns(t *testing.T) {
	if err := ValidatePatterns([]string{"*.example.com", `\[::2\]:*`, "*", "null", "https://x.test:*"}); err != nil {
		t.Error(err)
	}
	for _, bad := range []string{"[bad", "https://", "x.test:[", ":80"} {
		if err := ValidatePatterns([]string{bad}); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("%q: want an error naming it, got %v", bad, err)
		}
	}
	if _, err := NewPolicy([]string{"[bad"}, "", nil); err == nil {
		t.Error("NewPolicy accepted an invalid pattern")
	}
}
