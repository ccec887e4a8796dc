package record

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// FuzzRead: a record reader meets anything — a cut file, a hand-edited
// one, garbage — and answers with a record or an error, never a panic.
func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob("../runreport/testdata/records/*.jsonl")
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"type":"header","recordVersion":1,"models":[{"name":"M","model":{"id":"m","vertices":[{"id":"v"}],"edges":[]}}]}` + "\n" +
		`{"type":"step","n":1,"model":0,"id":"v","visits":1,"t":0,"data":{"a":"1"}}` + "\n{\"type\":\"end\"}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		rec, err := Read(bytes.NewReader(b), "fuzz")
		if err != nil {
			return
		}
		for _, s := range rec.Steps {
			if int(s.Model) >= len(rec.Models) || int(s.Element) >= rec.Models[s.Model].NumElements() {
				t.Fatalf("a step outside its model: %+v", s)
			}
		}
	})
}

// The fast path reads a plain step line as encoding/json does.
func FuzzStepFastPath(f *testing.F) {
	f.Add(`{"type":"step","n":12,"model":0,"id":"v","name":"v_A","visits":3,"t":1.5}`)
	f.Add(`{"type":"step","n":1,"model":0,"id":"v","name":"a\"b","visits":1,"t":0}`)
	f.Fuzz(func(t *testing.T, line string) {
		r, err := NewReader(bytes.NewReader([]byte(`{"type":"header","recordVersion":1,"models":[{"name":"M","model":{"id":"m","vertices":[{"id":"v"},{"id":"w"}],"edges":[]}}]}`+"\n")), "x")
		if err != nil {
			t.Fatal(err)
		}
		fast, ok := r.parseStep([]byte(line))
		if !ok {
			return
		}
		r.raw = rawLine{}
		var slow Line
		if raw := &r.raw; json.Unmarshal([]byte(line), raw) == nil {
			slow, err = r.parseFull([]byte(line))
			if err != nil {
				t.Fatalf("the fast path read %q, the full parser says %v", line, err)
			}
		} else {
			t.Fatalf("the fast path read %q, which is not JSON", line)
		}
		if fast.N != slow.N || fast.Model != slow.Model || fast.Element != slow.Element || fast.Visits != slow.Visits || fast.T != slow.T || slow.HasData {
			t.Fatalf("%q: fast %+v, full %+v", line, fast, slow)
		}
	})
}
