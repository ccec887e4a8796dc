package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// svgClasses parses an SVG document and returns the class of each element
// with an id.
func svgClasses(t *testing.T, data []byte) map[string]string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	out := map[string]string{}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			var id, class string
			for _, a := range se.Attr {
				switch a.Name.Local {
				case "id":
					id = a.Value
				case "class":
					class = a.Value
				}
			}
			if id != "" {
				out[id] = class
			}
		}
	}
}

// TestDraw walks a model with gw offline, then draws it coloured by that
// path, as a user would: to a file, to stdout as JSON, from stdin.
func TestDraw(t *testing.T) {
	dir := t.TempDir()
	model := "testdata/SmallModel.json"
	path, errOut, code := gw(t, "offline", "--seed", "3", "--verbose", "-m", model, "random(edge_coverage(100))")
	if code != 0 {
		t.Fatalf("offline: %d %s", code, errOut)
	}
	pathFile := filepath.Join(dir, "path.jsonl")
	if err := os.WriteFile(pathFile, []byte(path), 0o644); err != nil {
		t.Fatal(err)
	}
	svgFile := filepath.Join(dir, "model.svg")
	out, errOut, code := gw(t, "draw", "-m", model, "--path", pathFile, "-o", svgFile)
	if code != 0 || out != "" || errOut != "" {
		t.Fatalf("draw: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	svg, err := os.ReadFile(svgFile)
	if err != nil {
		t.Fatal(err)
	}
	classes := svgClasses(t, svg)
	// edge_coverage(100): every edge and vertex visited; the walk ends on
	// the last step, which is current.
	for _, id := range []string{"m0-v0", "m0-v1", "m0-e0", "m0-e1", "m0-e2", "m0-e3"} {
		cl, ok := classes[id]
		if !ok || !strings.Contains(cl, "visited") || strings.Contains(cl, "unvisited") {
			t.Errorf("%s: class %q", id, cl)
		}
	}
	current := 0
	for _, cl := range classes {
		if strings.Contains(cl, "current") {
			current++
		}
	}
	if current != 1 {
		t.Errorf("%d current elements", current)
	}

	// JSON to stdout, the path from stdin.
	cmd := exec.Command(gwBin, "draw", "-m", model, "--path", "-", "--format", "json")
	cmd.Stdin = strings.NewReader(path)
	js, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	var scene struct {
		Version int
		Models  []struct {
			Name     string
			Layout   string
			Start    int
			Vertices []struct{ X, Y, W, H float64 }
			Edges    []struct{ Path []float64 }
			Visits   []int
			Current  int
		}
	}
	if err := json.Unmarshal(js, &scene); err != nil {
		t.Fatal(err)
	}
	lines := strings.Count(strings.TrimSpace(path), "\n") + 1
	m := scene.Models[0]
	sum := 0
	for _, c := range m.Visits {
		sum += c
	}
	if scene.Version != 1 || m.Name != "SmallModel" || m.Layout != "layered" || len(m.Vertices) != 2 ||
		len(m.Edges) != 4 || sum != lines || m.Current < 0 || m.Start != 2 {
		t.Errorf("scene %+v (path of %d steps)", scene, lines)
	}
	for _, e := range m.Edges {
		if len(e.Path) < 8 {
			t.Errorf("edge path %v", e.Path)
		}
	}
}

func TestDrawErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte("{\"currentElementName\":\"e_FirstAction\"}\n{\"currentElementName\":\"e_Nope\"}\n"), 0o644)
	tests := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"draw", "-m", "testdata/SmallModel.json", "--path", bad}, 2, bad + `:2: no element is named "e_Nope" in the models drawn`},
		{[]string{"draw", "-m", "testdata/SmallModel.json", "--record", bad}, 2, "Could not read the run record: " + bad + ": not a gw run record"},
		{[]string{"draw", "-m", "testdata/SmallModel.json", "--format", "png"}, 1, `--format: unknown format "png" (use svg or json)`},
		{[]string{"draw", "-m", "testdata/SmallModel.json", "--max-draw-elements", "3"}, 2, `model "SmallModel" has 6 elements: gw draws models of up to 3 elements (raise it with --max-draw-elements)`},
		{[]string{"draw", "-m", "testdata/nope.json"}, 2, "Could not read the file: testdata/nope.json"},
		{[]string{"draw", "-m", "testdata/SmallModel.json", "-o", filepath.Join(dir, "no", "such", "dir.svg")}, 2, "Could not write the file"},
	}
	for _, tt := range tests {
		out, errOut, code := gw(t, tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.err) {
			t.Errorf("gw %s: exit %d, stderr %q; want %d and %q (stdout %.200q)", strings.Join(tt.args, " "), code, errOut, tt.code, tt.err, out)
		}
	}
}
