package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/gw-project/gw/internal/session"
)

func TestOnlineStudioToken(t *testing.T) {
	for _, c := range []struct {
		host, flag string
		token      string // "random": 48 hex digits
		announce   string
		err        string
	}{
		{host: "127.0.0.1", token: "", announce: "debugger) at http://H/\n"},
		{host: "localhost", flag: "auto", token: "", announce: "debugger) at http://H/\n"},
		{host: "0.0.0.0", token: "random", announce: "?token="},
		{host: "0.0.0.0", flag: "off", token: "", announce: "session control is off"},
		{host: "0.0.0.0", flag: "0123456789abcdef-team", token: "0123456789abcdef-team", announce: "?token=0123456789abcdef-team"},
		{host: "0.0.0.0", flag: "short", err: "at least 16 characters"},
	} {
		s := &optionSet{}
		addStudioOptions(s)
		var args []string
		if c.flag != "" {
			args = []string{"--studio-token", c.flag}
		}
		if _, err := s.parse(args, false); err != nil {
			t.Fatal(err)
		}
		st, err := newOnlineStudio(s, session.NewHub(), "websocket", c.host, nil, 1<<20, nil)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s %s: error %v, want %q", c.host, c.flag, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if c.token == "random" {
			if len(st.token) != 48 {
				t.Errorf("%s: token %q", c.host, st.token)
			}
		} else if st.token != c.token {
			t.Errorf("%s %s: token %q, want %q", c.host, c.flag, st.token, c.token)
		}
		var stderr bytes.Buffer
		st.announce(&Env{Stderr: &stderr}, "H", c.host)
		if !strings.Contains(stderr.String(), c.announce) {
			t.Errorf("%s %s: announced %q, want %q", c.host, c.flag, stderr.String(), c.announce)
		}
	}
}
