package gwtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

var build struct {
	once sync.Once
	dir  string
	bin  string
	err  error
	out  []byte
}

// Main runs the tests and removes the binary Binary built; call it from
// TestMain: os.Exit(gwtest.Main(m)).
func Main(m *testing.M) int {
	code := m.Run()
	if build.dir != "" {
		os.RemoveAll(build.dir)
	}
	return code
}

// Binary builds cmd/gw once per test process and returns its path.
func Binary(t testing.TB) string {
	t.Helper()
	build.once.Do(func() {
		build.dir, build.err = os.MkdirTemp("", "gw-test")
		if build.err != nil {
			return
		}
		_, here, _, _ := runtime.Caller(0)
		cmd := filepath.Join(filepath.Dir(here), "..", "..", "cmd", "gw")
		build.bin = filepath.Join(build.dir, "gw")
		build.out, build.err = exec.Command("go", "build", "-o", build.bin, cmd).CombinedOutput()
	})
	if build.err != nil {
		t.Fatalf("go build cmd/gw: %v\n%s", build.err, build.out)
	}
	return build.bin
}

// Missing ends a test that needs what msg says is missing: it fails in
// CI (CI=true), where .ci/run installs it, and is skipped elsewhere.
func Missing(t testing.TB, msg string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + "; CI installs it in .ci/run")
	}
	t.Skip(msg)
}

// Program returns the path of the first of names found on PATH or in
// /usr/sbin and /sbin (nginx is there, not on every PATH); without one the
// test ends as Missing says, naming the Debian package pkg.
func Program(t testing.TB, pkg string, names ...string) string {
	t.Helper()
	for _, name := range names {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
		for _, dir := range []string{"/usr/sbin", "/sbin"} {
			p := filepath.Join(dir, name)
			if st, err := os.Stat(p); err == nil && !st.IsDir() {
				return p
			}
		}
	}
	Missing(t, names[0]+" is not installed (Debian package "+pkg+": apt-get install "+pkg+")")
	return ""
}
