package jsonx

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func jsonUnmarshalString(data []byte, s *string) error { return json.Unmarshal(data, s) }

// FuzzParse: never panic; errors are *SyntaxError with a sane position; a
// parsed value marshals to valid JSON that parses back to the same value.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{ command: "getNext"}`, `{'command':'hasNext'}`, `{command:hasNext; x:1}`, `{"command":"x",}`,
		`{"a":1,"a":2}`, `{command=hasNext}`, "{a:[1,,2,],b:-0,c:1.5f,d:0x1p3,e:\"\\ud83d\\ude00\"}\x00", "{\r\n'a'\n:\x00}",
	} {
		f.Add(s)
	}
	// Seed with real model files (the `gw` payload of a start command).
	files, _ := filepath.Glob("testdata/*.json")
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(string(b))
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := Parse(s)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			if se.Index < 0 || se.Line < 1 || se.Character < 0 || se.Index > int64(len(s)) {
				t.Fatalf("bad position in %v", err)
			}
			return
		}
		out := Marshal(v)
		if !json.Valid(out) {
			t.Fatalf("Marshal gave invalid JSON %s for %q", out, s)
		}
		again, err := Parse(string(out))
		if err != nil {
			t.Fatalf("re-parse of %s: %v", out, err)
		}
		if out2 := Marshal(again); !bytes.Equal(out, out2) {
			t.Fatalf("Marshal not stable:\n%s\n%s", out, out2)
		}
		for _, m := range v.Members() {
			_, _ = v.GetString(m.Key)
			_, _ = v.GetObject(m.Key)
			_, _ = v.GetBool(m.Key)
			_ = m.Value.JavaString()
		}
	})
}
