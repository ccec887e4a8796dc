package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata with what the tests produce")

// Check compares got with the golden file at path. With -update it writes
// got to path instead, creating folders as needed.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	line, g, w := firstDifference(got, want)
	t.Errorf("%s differs at line %d (go test -update rewrites it once you have checked the change):\n got %s\nwant %s", path, line, g, w)
}

// firstDifference returns the first line (from 1) where got and want
// differ, and that line of each, quoted, or "end of file" past the end.
func firstDifference(got, want []byte) (line int, g, w string) {
	gl, wl := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	show := func(lines [][]byte, i int) string {
		if i < len(lines) {
			return strconv.Quote(string(lines[i]))
		}
		return "end of file"
	}
	for i := range max(len(gl), len(wl)) {
		if i >= len(gl) || i >= len(wl) || !bytes.Equal(gl[i], wl[i]) {
			return i + 1, show(gl, i), show(wl, i)
		}
	}
	return 0, "", ""
}
