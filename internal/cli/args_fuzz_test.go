package cli

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzArgs feeds arbitrary command lines (NUL-separated arguments) to gw:
// it must never panic, and every failure must say something on stderr.
func FuzzArgs(f *testing.F) {
	for _, s := range []string{
		"offline\x00-m\x00testdata/conformance/models/upstream/io/json/Login.json\x00random(edge_coverage(100))",
		"offline\x00--seed\x00abc",
		"-d\x00all\x00methods\x00-m",
		"check\x00-m\x00x.json",
		"--version",
		"convert\x00-i",
		"@",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		for _, endless := range []string{"never", "length", "time", "duration"} {
			if strings.Contains(strings.ToLower(line), endless) {
				return // walks that are long or endless by request
			}
		}
		args := strings.Split(line, "\x00")
		for _, a := range args {
			if a == "online" || strings.HasPrefix(a, "@") && len(a) > 1 {
				return // starts a server / reads arbitrary files
			}
		}
		var out, errb bytes.Buffer
		code := Main(args, &Env{Stdout: &out, Stderr: &errb})
		if code != 0 && errb.Len() == 0 {
			t.Fatalf("exit %d with nothing on stderr for %q", code, args)
		}
	})
}
