package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDrawCommand(t *testing.T) {
	dir := t.TempDir()
	blocked := td("json/graphWithBlockedElements.json")
	petclinic := td("json/PetClinic.json")
	scene := func(t *testing.T, data []byte) (s struct {
		Models []struct {
			Name     string
			Layout   string
			Vertices []struct{ Name string }
			Edges    []struct{ Name string }
			Visits   []int
		}
	}) {
		t.Helper()
		if err := json.Unmarshal(data, &s); err != nil {
			t.Fatalf("%v: %.200s", err, data)
		}
		return s
	}

	t.Run("json by extension, BLOCKED kept", func(t *testing.T) {
		out := filepath.Join(dir, "b.json")
		if _, errOut, code := runCLI(t, "draw", "-m", blocked, "-o", out); code != 0 {
			t.Fatal(errOut)
		}
		data, _ := os.ReadFile(out)
		s := scene(t, data)
		if len(s.Models) != 1 || len(s.Models[0].Vertices) != 5 || len(s.Models[0].Edges) != 10 {
			t.Errorf("%+v", s)
		}
	})
	t.Run("-b true leaves BLOCKED out", func(t *testing.T) {
		out, errOut, code := runCLI(t, "draw", "-m", blocked, "-b", "true", "-f", "json")
		if code != 0 {
			t.Fatal(errOut)
		}
		s := scene(t, []byte(out))
		if len(s.Models[0].Vertices) != 4 || len(s.Models[0].Edges) != 7 {
			t.Errorf("%d vertices, %d edges", len(s.Models[0].Vertices), len(s.Models[0].Edges))
		}
	})
	t.Run("several files, one picture", func(t *testing.T) {
		out, errOut, code := runCLI(t, "draw", "-m", blocked, "-m", petclinic, "--layout", "grid")
		if code != 0 {
			t.Fatal(errOut)
		}
		if !strings.HasPrefix(out, "<?xml") || strings.Count(out, `<g class="model`) != 6 || !strings.Contains(out, "layout: grid") {
			t.Errorf("SVG %.300q", out)
		}
	})
	t.Run("names shared by several elements are reported", func(t *testing.T) {
		path := filepath.Join(dir, "p.jsonl")
		// v_FindOwners is a shared state of several PetClinic models.
		os.WriteFile(path, []byte(`{"currentElementName":"e_StartBrowser"}
{"currentElementName":"v_HomePage"}
{"currentElementName":"e_FindOwners"}
{"currentElementName":"v_FindOwners"}
{"currentElementName":"v_FindOwners"}
`), 0o644)
		out, errOut, code := runCLI(t, "draw", "-m", petclinic, "--path", path, "-f", "json")
		if code != 0 {
			t.Fatal(errOut)
		}
		if !strings.Contains(errOut, "gw draw: 1 of 5 steps in "+path+" name an element that several elements share") {
			t.Errorf("stderr %q", errOut)
		}
		total := 0
		for _, m := range scene(t, []byte(out)).Models {
			for _, c := range m.Visits {
				total += c
			}
		}
		if total != 5 {
			t.Errorf("%d visits counted", total)
		}
	})
	for _, tt := range []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"bad layout", []string{"--layout", "circo"}, 1, `--layout: unknown layout "circo" (use auto, coordinates, layered or grid)`},
		{"no coordinates", []string{"--layout", "coordinates"}, 2, `not every vertex has x and y properties`},
		{"bad limit", []string{"--max-layered", "0"}, 1, "--max-layered must be at least 1"},
		{"path and record", []string{"--path", "a", "--record", "b"}, 1, "--path and --record both give visit counts; use one"},
		{"path is a folder", []string{"--path", dir}, 2, "is a folder"},
		{"path missing", []string{"--path", filepath.Join(dir, "none")}, 2, "Could not read the path file:"},
		{"small line limit", []string{"--max-path-line", "10"}, 1, "below the smallest allowed value"},
		{"layered limit", []string{"--layout", "layered", "--max-layered", "5"}, 2, "the layered layout takes models of up to 5 elements (raise it with --max-layered)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := runCLI(t, append([]string{"draw", "-m", blocked}, tt.args...)...)
			if code != tt.code || !strings.Contains(errOut, tt.err) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut, tt.code, tt.err)
			}
		})
	}
}
