package main

import (
	"bytes"
	"io"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// AltWalker starts `gw online` from PATH with these flags, waits for
// "[HttpServer] Started" in the merged output, and on failure shows the line
// after "An error occurred when running command:".

func TestAltWalkerServiceLifecycle(t *testing.T) {
	addr, stop := startServer(t, "--model", "testdata/SmallModel.json", "random(edge_coverage(100))",
		"--service", "RESTFUL", "--verbose", "--blocked", "True")
	base := "http://" + addr + "/graphwalker/"
	call := func(method, path string) (int, string) {
		req, _ := http.NewRequest(method, base+path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	steps := []struct {
		method, path, want string
	}{
		{"GET", "getStatistics", `"result":"ok"`},
		{"PUT", "restart", `{"result":"ok"}`},
		{"GET", "hasNext", `{"result":"ok","hasNext":"true"}`},
		{"GET", "getNext", `"currentElementName":"e_FirstAction"`},
		{"GET", "getData", `"value":"54686327"`},
		{"PUT", "setData/url=%22url%2Fexample%2F%22", `{"result":"ok"}`},
		{"GET", "getData", `"url":"url/example/"`},
		{"PUT", "fail/Failed%20with%20%3A%2F%2Fexample.com%2Fof%2Furl", `"result":"nok"`},
		{"GET", "getStatistics", `"totalFailedNumberOfModels":1`},
	}
	for _, s := range steps {
		code, body := call(s.method, s.path)
		if code != 200 || !strings.Contains(body, s.want) {
			t.Errorf("%s %s: %d %s; want 200 containing %s", s.method, s.path, code, body, s.want)
		}
	}
	if code, _ := call("GET", "nope"); code != 404 {
		t.Errorf("unknown route: %d", code)
	}

	// A second service on the same port fails the way AltWalker reads it.
	port := addr[strings.LastIndexByte(addr, ':')+1:]
	out, err := exec.Command(gwBin, "online", "--service", "RESTFUL", "--port", port).CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
		t.Fatalf("second service: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`An error occurred when running command:.*[\r\n]+([^\r\n]+)`).FindSubmatch(out)
	if m == nil || !bytes.Contains(m[1], []byte("Address already in use")) {
		t.Errorf("second service output:\n%s", out)
	}
	stop()
	// The port is free again.
	addr2, stop2 := startServer(t, "--service", "RESTFUL")
	defer stop2()
	if resp, err := http.Get("http://" + addr2 + "/graphwalker/getStatistics"); err != nil || resp.StatusCode != 200 {
		t.Errorf("models-less getStatistics: %v", err)
	}
}

func TestAltWalkerStartupErrors(t *testing.T) {
	for gen, want := range map[string]string{
		"invalid_generator(never)":       "No suitable generator found with name:",
		"random(invalid_stop_condition)": "No valid stop condition found.",
	} {
		cmd := exec.Command(gwBin, "online", "--service", "RESTFUL", "-p", "0", "--model", "testdata/SmallModel.json", gen)
		done := make(chan []byte, 1)
		go func() { out, _ := cmd.CombinedOutput(); done <- out }()
		select {
		case out := <-done:
			m := regexp.MustCompile(`An error occurred when running command:.*[\r\n]+([^\r\n]+)`).FindSubmatch(out)
			if m == nil || !bytes.Contains(m[1], []byte(want)) {
				t.Errorf("%s: output\n%s", gen, out)
			}
			if cmd.ProcessState.ExitCode() != 2 {
				t.Errorf("%s: exit %d", gen, cmd.ProcessState.ExitCode())
			}
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			t.Fatalf("%s: the service started", gen)
		}
	}
}

func TestAltWalkerOfflineAndCheckKeepStderrEmpty(t *testing.T) {
	out, errOut, code := gw(t, "offline", "--model", "testdata/SmallModel.json", "random(vertex_coverage(100))", "--verbose", "--blocked", "False")
	if code != 0 || errOut != "" || !strings.Contains(out, `"modelName":"SmallModel"`) {
		t.Errorf("offline: %d %q", code, errOut)
	}
	out, errOut, code = gw(t, "check", "--model", "testdata/SmallModel.json", "random(never)", "--blocked", "False")
	if code != 0 || errOut != "" || out != "No issues found with the model(s).\n" {
		t.Errorf("check: %d %q %q", code, out, errOut)
	}
}
