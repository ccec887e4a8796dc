package draw

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/gw-project/gw/internal/layout"
)

// FuzzReadPath: never panic; a path that reads counts one step per line
// that is not blank, and the counts add up to it.
func FuzzReadPath(f *testing.F) {
	for _, p := range []string{"testdata/Login.path.jsonl", "testdata/petClinic.path.jsonl", "testdata/petClinic.verbose.jsonl"} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data[:min(len(data), 4096)])
	}
	for _, s := range []string{
		`{"currentElementName":"v_FindOwners"}` + "\n" + `{"currentElementName":"v_FindOwners"}`,
		`{"currentElementName":"e_StartClient"}`,
		`{"modelName":"PetClinicSharedState","currentElementID":"e6"}` + "\r\n\r\n",
		`{"currentElementName":null}`, `[]`, `{"currentElementName":"e_Init"` + "\x00",
		"\n\n\n", `{"currentElementID":"n1","currentElementName":"x"}`,
	} {
		f.Add([]byte(s))
	}
	models := append(readModels(f, "testdata/Login.json"), readModels(f, "testdata/petClinic.json")...)
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := ReadPath(bytes.NewReader(data), "fuzz", models, PathOptions{MaxLine: 2048})
		if err != nil {
			var pe *PathError
			if !errors.As(err, &pe) || pe.Line < 1 {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		lines := 0
		for _, l := range strings.Split(string(data), "\n") {
			if len(bytes.TrimSpace([]byte(l))) > 0 {
				lines++
			}
		}
		sum := 0
		for _, c := range v.Counts {
			for _, n := range c {
				sum += n
			}
		}
		if v.Steps != lines || sum != lines || v.Guessed > lines {
			t.Fatalf("%d lines, %d steps, %d counted, %d guessed", lines, v.Steps, sum, v.Guessed)
		}
		if lines > 0 && (v.Current.Model < 0 || v.Counts[v.Current.Model][v.Current.Element] == 0) {
			t.Fatalf("current %+v", v.Current)
		}
		if _, err := NewScene(models, layout.Options{Engine: layout.Grid}, v); err != nil {
			t.Fatal(err)
		}
	})
}
