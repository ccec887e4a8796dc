package record

import (
	"bytes"
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
