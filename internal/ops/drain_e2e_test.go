package ops_test

import (
	"context"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/gw-project/gw/internal/gwtest"
)

// TestDrainREST: SIGTERM lets the REST request in flight finish, refuses
// loads meanwhile with 503 + Retry-After, and then the service stops.
func TestDrainREST(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the gw binary")
	}
	in := startGW(t, "rest", "-s", "RESTFUL", "--drain-timeout", "10s")
	base := in.url("/graphwalker/")
	do := func(method, path, body string) (int, http.Header, string) {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, nil, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, string(b)
	}
	load := `{"models":[{"name":"Loop","id":"loop","generator":"random(never)","startElementId":"v0",` +
		`"vertices":[{"id":"v0","name":"v_A"},{"id":"v1","name":"v_B"}],` +
		`"edges":[{"id":"e0","name":"e_Go","sourceVertexId":"v0","targetVertexId":"v1"},{"id":"e1","name":"e_Back","sourceVertexId":"v1","targetVertexId":"v0"}]}]}`
	if code, _, body := do("POST", "load", load); code != 200 || !strings.Contains(body, `"result":"ok"`) {
		t.Fatalf("load: %d %s", code, body)
	}
	// A request busy for 800 ms in its script is in flight at SIGTERM.
	slow := make(chan string, 1)
	go func() {
		_, _, body := do("PUT", "setData/"+"var%20t%3DDate.now()%3Bwhile(Date.now()-t%3C800)%7B%7D", "")
		slow <- body
	}()
	time.Sleep(200 * time.Millisecond)
	in.cmd.Process.Signal(syscall.SIGTERM)
	time.Sleep(100 * time.Millisecond)
	code, h, body := do("POST", "load", load)
	if code != 503 || h.Get("Retry-After") == "" || !strings.Contains(body, `"result":"nok"`) || !strings.Contains(body, "draining") {
		t.Errorf("load while draining: %d Retry-After %q %s", code, h.Get("Retry-After"), body)
	}
	if code, _ := httpGet(in.url("/readyz")); code != 503 {
		t.Errorf("/readyz while draining: %d", code)
	}
	select {
	case body := <-slow:
		if body != `{"result":"ok"}` {
			t.Errorf("the request in flight at SIGTERM: %s", body)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the request in flight did not finish")
	}
	select {
	case <-in.exited:
		if c := in.cmd.ProcessState.ExitCode(); c != 0 {
			t.Errorf("exit code %d", c)
		}
	case <-time.After(8 * time.Second):
		t.Fatalf("gw did not stop after its request finished:\n%s", in.stderr)
	}
}

// TestSecondSignalStopsAtOnce: a second Control+C ends the drain: the
// open session is closed with 1001 and gw exits, long before the drain
// timeout.
func TestSecondSignalStopsAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the gw binary")
	}
	in := startGW(t, "ws", "--drain-timeout", "1m")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(in.url("/"), "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	if err := c.Write(ctx, websocket.MessageText, []byte(modelStart(3))); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Read(ctx); err != nil {
		t.Fatal(err)
	}
	closed := make(chan error, 1)
	go func() {
		for {
			if _, _, err := c.Read(ctx); err != nil {
				closed <- err
				return
			}
		}
	}()
	in.cmd.Process.Signal(syscall.SIGINT)
	deadline := time.Now().Add(3 * time.Second)
	for !strings.Contains(in.stderr.String(), "draining") {
		if time.Now().After(deadline) {
			t.Fatalf("no drain logged after SIGINT:\n%s", in.stderr)
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case err := <-closed:
		t.Fatalf("the session ended during the drain: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	t0 := time.Now()
	in.cmd.Process.Signal(syscall.SIGINT)
	select {
	case err := <-closed:
		if websocket.CloseStatus(err) != websocket.StatusGoingAway {
			t.Errorf("session closed with %v, want 1001", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the second SIGINT did not close the session")
	}
	select {
	case <-in.exited:
		t.Logf("stopped %v after the second signal", time.Since(t0).Round(time.Millisecond))
	case <-time.After(5 * time.Second):
		t.Fatalf("gw still runs 5 s after the second SIGINT:\n%s", in.stderr)
	}
}

// TestErrorsCounted: the real service counts bad JSON, a message over
// --max-message, a refused origin and a failing setData, and its scrape
// passes promtool.
func TestErrorsCounted(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the gw binary")
	}
	in := startGW(t, "errors", "--max-message", "2048", "--drain-timeout", "0")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(in.url("/"), "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	for _, msg := range []string{"not json", strings.Repeat("x", 4096), modelStart(3), `{"command":"setData","action":"nope();"}`} {
		if err := c.Write(ctx, websocket.MessageText, []byte(msg)); err != nil {
			t.Fatal(err)
		}
	}
	// Replies: the errors, start, then the setData failure (with issues).
	for {
		_, b, err := c.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), `"command":"setData"`) {
			break
		}
	}
	c.Close(websocket.StatusNormalClosure, "")
	req, _ := http.NewRequest("GET", in.url("/"), nil)
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Upgrade", "websocket")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 403 {
		t.Fatalf("a page from another site: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	text := in.scrape(t)
	for kind, want := range map[string]float64{"bad_json": 1, "limit": 1, "origin_refused": 1, "script_error": 1, "script_timeout": 0} {
		if got := metric(text, "gw_errors_total", `kind="`+kind+`"`); got != want {
			t.Errorf("gw_errors_total{kind=%q} = %v, want %v", kind, got, want)
		}
	}
	if got := metric(text, "gw_message_size_bytes_count", `direction="in"`); got != 4 {
		t.Errorf("messages in = %v, want 4", got)
	}
	promtool := gwtest.Program(t, "prometheus", "promtool")
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = strings.NewReader(text)
	if out, err := cmd.CombinedOutput(); err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("promtool check metrics on the real scrape: %v\n%s", err, out)
	}
}
