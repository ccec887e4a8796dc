package cli

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestHostileFiles: every path the CLI reads — models (-m, --gw, a folder),
// convert's input, source's model and template, @argument files — refuses
// FIFOs and devices (directly or through a link) at once, and files over
// --max-file-size with an error naming the flag.
func TestHostileFiles(t *testing.T) {
	dir := t.TempDir()
	model, tmpl := td("altwalker/simple.json"), td("template/python.template")
	fifo := filepath.Join(dir, "fifo.json")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	zero := filepath.Join(dir, "zero.json")
	must(t, os.Symlink("/dev/zero", zero))
	random := filepath.Join(dir, "random.graphml")
	must(t, os.Symlink("/dev/urandom", random))
	fifoTmpl := filepath.Join(dir, "fifo.template")
	must(t, syscall.Mkfifo(fifoTmpl, 0o644))
	fifoArgs := filepath.Join(dir, "fifo.args")
	must(t, syscall.Mkfifo(fifoArgs, 0o644))
	big := filepath.Join(dir, "big.json")
	data, err := os.ReadFile(model)
	must(t, err)
	must(t, os.WriteFile(big, append(data, make([]byte, 2048)...), 0o644))
	folder := filepath.Join(dir, "folder")
	must(t, os.Mkdir(folder, 0o755))
	must(t, os.Symlink(fifo, filepath.Join(folder, "m.json")))

	const notRegular, tooBig = "not a regular file", "larger than the file size limit of 1 KiB (raise it with --max-file-size)"
	for _, tt := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"offline FIFO", []string{"offline", "-m", fifo, "random(never)"}, 2, "is a named pipe (FIFO), " + notRegular},
		{"offline /dev/zero", []string{"offline", "-m", zero, "random(never)"}, 2, "is a character device, " + notRegular},
		{"offline --gw /dev/zero", []string{"offline", "--gw", zero}, 2, "is a character device, " + notRegular},
		{"offline folder holding a FIFO", []string{"offline", "-m", folder, "random(never)"}, 2, notRegular},
		{"check /dev/urandom", []string{"check", "-m", random, "random(never)"}, 2, notRegular},
		{"methods FIFO", []string{"methods", "-m", fifo}, 2, notRegular},
		{"requirements /dev/zero", []string{"requirements", "-m", zero}, 2, notRegular},
		{"convert /dev/zero", []string{"convert", "-i", zero}, 2, notRegular},
		{"convert /dev/urandom", []string{"convert", "-i", random}, 2, notRegular},
		{"source model FIFO", []string{"source", "-i", fifo, tmpl}, 2, notRegular},
		{"source template FIFO", []string{"source", "-i", model, fifoTmpl}, 2, notRegular},
		{"online model FIFO", []string{"online", "-s", "RESTFUL", "-p", "0", "-m", fifo, "random(never)"}, 2, notRegular},
		{"@file FIFO", []string{"methods", "@" + fifoArgs}, 1, notRegular},
		{"offline too big", []string{"offline", "--max-file-size", "1KiB", "-m", big, "random(never)"}, 2, tooBig},
		{"convert too big", []string{"convert", "--max-file-size", "1KiB", "-i", big}, 2, tooBig},
		{"source template too big", []string{"source", "--max-file-size", "1KiB", "-i", model, big}, 2, tooBig},
		{"methods too big", []string{"methods", "--max-file-size", "1KiB", "-m", big}, 2, tooBig},
		{"--max-file-size not a size", []string{"methods", "--max-file-size", "lots", "-m", model}, 1, `"lots" is not a size`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			done := make(chan struct{})
			var errOut string
			var code int
			go func() {
				defer close(done)
				_, errOut, code = runCLI(t, tt.args...)
			}()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("hangs")
			}
			if code != tt.code || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errOut, tt.code, tt.want)
			}
		})
	}
	// Within the limit the same file reads.
	if out, errOut, code := runCLI(t, "methods", "--max-file-size", "1MiB", "-m", model); code != 0 || out == "" {
		t.Errorf("methods within the limit: exit %d %q", code, errOut)
	}
}

// TestFolderWithLinkLoop: links to folders are not followed, so a loop of
// them cannot make gw recurse.
func TestFolderWithLinkLoop(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile(td("altwalker/simple.json"))
	must(t, err)
	must(t, os.WriteFile(filepath.Join(dir, "simple.json"), data, 0o644))
	for _, name := range []string{"a", "b", "c"} {
		must(t, os.Symlink(".", filepath.Join(dir, name)))
	}
	out, errOut, code := runCLI(t, "methods", "-m", dir)
	if code != 0 || out != "edge_a\nedge_b\nvertex_a\nvertex_b\n" {
		t.Errorf("exit %d, %q %q", code, out, errOut)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestErrorsDoNotEchoContent: a file that is not a model (a password file,
// a key file) given to convert gets an error with a position, not its
// content.
func TestErrorsDoNotEchoContent(t *testing.T) {
	dir := t.TempDir()
	for _, content := range []string{
		"root:x:0:0:SECRET1:/root:/bin/bash\n",
		"SECRET1 SECRET2\n",
		"12SECRET1\n",
		`"SECRET1"`,
		`{"auths": {"registry": SECRET1 SECRET2}}`,
		`{SECRET1 "x"}`,
		`{"models": [SECRET1]}`,
		`{"models": [{"edges": ["SECRET1"]}]}`,
		"digraph SECRET1 SECRET2 { }",
		"digraph g { a -> b SECRET1 ] }",
		`digraph g { "SECRET1" -> }`,
		"-----BEGIN PRIVATE KEY-----\nSECRET1\n",
	} {
		for _, ext := range []string{"json", "dot", "graphml"} {
			p := filepath.Join(dir, "in."+ext)
			must(t, os.WriteFile(p, []byte(content), 0o600))
			out, errOut, code := runCLI(t, "convert", "-i", p)
			if code == 0 {
				t.Fatalf("%s %q: converted to %q", ext, content, out)
			}
			if strings.Contains(errOut, "SECRET") || strings.Contains(errOut, "root:") {
				t.Errorf("%s %q: the error quotes the content: %q", ext, content, errOut)
			}
		}
	}
}
