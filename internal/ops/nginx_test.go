package ops_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/gw-project/gw/internal/gwtest"
)

// The end-to-end test here runs the real gw binary behind Debian's nginx
// with the shipped deploy/nginx/gw.conf.

func TestMain(m *testing.M) { os.Exit(gwtest.Main(m)) }

func gwBinary(t *testing.T) string { return gwtest.Binary(t) }

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// instance is one gw online process.
type instance struct {
	name   string
	port   int
	cmd    *exec.Cmd
	stderr *syncBuffer
	exited chan struct{}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func startGW(t *testing.T, name string, args ...string) *instance {
	t.Helper()
	in := &instance{name: name, stderr: &syncBuffer{}, exited: make(chan struct{})}
	// -p 0: the kernel picks a free port, which gw prints.
	in.cmd = exec.Command(gwBinary(t), append([]string{"--log-format", "json", "online", "-p", "0",
		"--trusted-proxy", "127.0.0.1"}, args...)...)
	in.cmd.Stdout = io.Discard
	in.cmd.Stderr = in.stderr
	if err := in.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { in.cmd.Wait(); close(in.exited) }()
	t.Cleanup(func() {
		in.cmd.Process.Kill()
		<-in.exited
	})
	listening := regexp.MustCompile(`listening on (?:ws|http)://127\.0\.0\.1:(\d+)`)
	deadline := time.Now().Add(15 * time.Second)
	for {
		if m := listening.FindStringSubmatch(in.stderr.String()); m != nil && in.port == 0 {
			in.port, _ = strconv.Atoi(m[1])
		}
		if in.port != 0 {
			if code, _ := httpGet(in.url("/healthz")); code == 200 {
				return in
			}
		}
		select {
		case <-in.exited:
			t.Fatalf("%s exited:\n%s", name, in.stderr)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not answer /healthz:\n%s", name, in.stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (in *instance) url(path string) string {
	return "http://127.0.0.1:" + strconv.Itoa(in.port) + path
}

func httpGet(url string) (int, string) {
	c := http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// metric sums the samples of name whose labels contain all of want
// (e.g. `result="ok"`) in a /metrics scrape.
func metric(text, name string, want ...string) float64 {
	sum := 0.0
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, name+"{") && !strings.HasPrefix(line, name+" ") {
			continue
		}
		ok := true
		for _, w := range want {
			ok = ok && strings.Contains(line, w)
		}
		if !ok {
			continue
		}
		f := strings.Fields(line)
		v, err := strconv.ParseFloat(f[len(f)-1], 64)
		if err == nil {
			sum += v
		}
	}
	return sum
}

func (in *instance) scrape(t *testing.T) string {
	t.Helper()
	code, body := httpGet(in.url("/metrics"))
	if code != 200 {
		t.Fatalf("%s /metrics: %d %s", in.name, code, body)
	}
	return body
}

// startNginx runs nginx with deploy/nginx/gw.conf, its upstream and port
// templated to the instances and a free port.
func startNginx(t *testing.T, nginx string, ins []*instance) string {
	t.Helper()
	conf, err := os.ReadFile("../../deploy/nginx/gw.conf")
	if err != nil {
		t.Fatal(err)
	}
	var servers strings.Builder
	for _, in := range ins {
		fmt.Fprintf(&servers, "    server 127.0.0.1:%d max_fails=1 fail_timeout=5s;\n", in.port)
	}
	re := regexp.MustCompile(`(?s)(# gw instances begin\n).*?(\s*# gw instances end)`)
	if !re.Match(conf) {
		t.Fatal("deploy/nginx/gw.conf lacks the '# gw instances begin/end' markers")
	}
	conf = re.ReplaceAll(conf, []byte("${1}"+servers.String()+"${2}"))
	if !bytes.Contains(conf, []byte("listen 8080;")) {
		t.Fatal("deploy/nginx/gw.conf does not listen on 8080")
	}
	// The free port found may be taken before nginx binds it: try again.
	var why string
	for range 3 {
		addr, msg := tryNginx(t, nginx, conf)
		if addr != "" {
			return addr
		}
		why = msg
	}
	t.Fatalf("nginx did not start: %s", why)
	return ""
}

// tryNginx starts nginx with conf on a free port; it returns the address,
// or why it failed.
func tryNginx(t *testing.T, nginx string, conf []byte) (addr, why string) {
	t.Helper()
	port := freePort(t)
	conf = bytes.Replace(conf, []byte("listen 8080;"), []byte("listen 127.0.0.1:"+strconv.Itoa(port)+";"), 1)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "gw.conf"), conf, 0o644); err != nil {
		t.Fatal(err)
	}
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;" // workers may then use the test's temporary folder
	}
	main := fmt.Sprintf(`%s
daemon off;
worker_processes 1;
pid %[2]s/nginx.pid;
error_log %[2]s/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path %[2]s/body;
    proxy_temp_path %[2]s/proxy;
    fastcgi_temp_path %[2]s/fastcgi;
    uwsgi_temp_path %[2]s/uwsgi;
    scgi_temp_path %[2]s/scgi;
    include %[2]s/gw.conf;
}
`, user, dir)
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	var out syncBuffer
	cmd := exec.Command(nginx, "-p", dir, "-c", filepath.Join(dir, "nginx.conf"), "-e", filepath.Join(dir, "error.log"))
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	stop := func() {
		cmd.Process.Signal(syscall.SIGQUIT)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	}
	addr = "127.0.0.1:" + strconv.Itoa(port)
	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case <-exited:
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			return "", out.String() + string(log)
		default:
		}
		// Through nginx, an instance answers (not some other program
		// that took the port).
		if code, body := httpGet("http://" + addr + "/readyz"); code == 200 && body == "ready\n" {
			t.Cleanup(stop)
			return addr, ""
		}
		if time.Now().After(deadline) {
			stop()
			return "", "it did not listen within 10 s"
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// modelStart is a start message: a two-vertex loop walked for n steps.
func modelStart(n int) string {
	return `{"command":"start","gw":{"models":[{"name":"Loop","id":"loop","generator":"random(length(` + strconv.Itoa(n) + `))",` +
		`"startElementId":"v0","vertices":[{"id":"v0","name":"v_A"},{"id":"v1","name":"v_B"}],` +
		`"edges":[{"id":"e0","name":"e_Go","sourceVertexId":"v0","targetVertexId":"v1"},` +
		`{"id":"e1","name":"e_Back","sourceVertexId":"v1","targetVertexId":"v0"}]}]}}`
}

// result is what a client session saw.
type result struct {
	steps   int   // getNext replies with success
	sent    int   // messages sent
	err     error // the session broke
	started bool  // start succeeded
}

// walk runs one WebSocket session at addr: start, then hasNext/getNext
// until hasNext is false, pausing pace between steps; started is
// signalled once start succeeded.
func walk(ctx context.Context, addr string, n int, pace time.Duration, started func()) (r result) {
	c, _, err := websocket.Dial(ctx, "ws://"+addr+"/", nil)
	if err != nil {
		r.err = fmt.Errorf("dial: %w", err)
		return
	}
	defer c.CloseNow()
	ask := func(msg, command string) (map[string]any, error) {
		if err := c.Write(ctx, websocket.MessageText, []byte(msg)); err != nil {
			return nil, err
		}
		r.sent++
		for {
			_, b, err := c.Read(ctx)
			if err != nil {
				return nil, err
			}
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				return nil, fmt.Errorf("reply %q: %w", b, err)
			}
			if m["command"] == command {
				if m["success"] != true {
					return m, fmt.Errorf("%s failed: %s", command, b)
				}
				return m, nil
			}
		}
	}
	if _, err := ask(modelStart(n), "start"); err != nil {
		r.err = err
		return
	}
	r.started = true
	if started != nil {
		started()
	}
	for {
		m, err := ask(`{"command":"hasNext"}`, "hasNext")
		if err != nil {
			r.err = err
			return
		}
		if m["hasNext"] != true {
			break
		}
		if pace > 0 {
			time.Sleep(pace)
		}
		if _, err := ask(`{"command":"getNext"}`, "getNext"); err != nil {
			r.err = err
			return
		}
		r.steps++
	}
	if err := c.Close(websocket.StatusNormalClosure, ""); err != nil {
		r.err = fmt.Errorf("close: %w", err)
	}
	return
}

// run walks count sessions through addr, conc at a time.
func run(ctx context.Context, addr string, count, conc, n int, pace time.Duration, started func()) []result {
	out := make([]result, count)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= count {
					return
				}
				out[i] = walk(ctx, addr, n, pace, started)
			}
		}()
	}
	wg.Wait()
	return out
}

type tally struct{ ok, broken, steps, sent int }

func count(rs []result) (t tally, firstErr error) {
	for _, r := range rs {
		t.steps += r.steps
		t.sent += r.sent
		if r.err != nil {
			t.broken++
			if firstErr == nil {
				firstErr = r.err
			}
		} else {
			t.ok++
		}
	}
	return
}

// TestNginxThreeInstances: 1,000 sessions through nginx in front of three
// gw instances, one drained with SIGTERM mid-run, one killed: only the
// killed one's sessions break, and the metrics add up.
func TestNginxThreeInstances(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end with nginx: not in -short")
	}
	nginx := gwtest.Program(t, "nginx", "nginx")
	const drain = 4 * time.Second
	ins := []*instance{
		startGW(t, "a", "--drain-timeout", drain.String()),
		startGW(t, "b", "--drain-timeout", drain.String()),
		startGW(t, "c", "--drain-timeout", drain.String()),
	}
	a, b, c := ins[0], ins[1], ins[2]
	lb := startNginx(t, nginx, ins)
	ctx, cancel := context.WithTimeout(context.Background(), 80*time.Second)
	defer cancel()

	// 1. 1,000 short sessions, spread over the three.
	t0 := time.Now()
	rs := run(ctx, lb, 1000, 16, 6, 0, nil)
	tl, err := count(rs)
	t.Logf("1,000 sessions through nginx: %d ok, %d broken, %d steps, in %v", tl.ok, tl.broken, tl.steps, time.Since(t0).Round(time.Millisecond))
	if tl.broken > 0 {
		t.Fatalf("sessions broke with every instance up: %v", err)
	}
	var steps, sessions, msgs float64
	for _, in := range ins {
		text := in.scrape(t)
		s := metric(text, "gw_steps_total", `result="ok"`, `service="websocket"`)
		t.Logf("instance %s: %v steps, %v sessions", in.name, s, metric(text, "gw_sessions_ended_total"))
		if s == 0 {
			t.Errorf("instance %s took no session (least_conn spreads them)", in.name)
		}
		steps += s
		sessions += metric(text, "gw_sessions_ended_total", `dialect="graphwalker4"`)
		msgs += metric(text, "gw_message_size_bytes_count", `direction="in"`)
	}
	if int(steps) != tl.steps || int(sessions) != 1000 || int(msgs) != tl.sent {
		t.Errorf("metrics: %v steps, %v sessions ended, %v messages in; clients: %d steps, 1000 sessions, %d messages",
			steps, sessions, msgs, tl.steps, tl.sent)
	}

	// 2. Drain a while sessions run on all three.
	var startedN atomic.Int32
	const paced = 30
	done := make(chan []result, 1)
	go func() { done <- run(ctx, lb, paced, paced, 40, 20*time.Millisecond, func() { startedN.Add(1) }) }()
	// One session straight to a outlives the drain: it is closed with 1001.
	long := make(chan error, 1)
	lc, _, err := websocket.Dial(ctx, "ws://127.0.0.1:"+strconv.Itoa(a.port)+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer lc.CloseNow()
	if err := lc.Write(ctx, websocket.MessageText, []byte(modelStart(5))); err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			if _, _, err := lc.Read(ctx); err != nil {
				long <- err
				return
			}
		}
	}()
	for startedN.Load() < paced {
		time.Sleep(5 * time.Millisecond)
	}
	aText := a.scrape(t)
	aOpen := metric(aText, "gw_sessions_open")
	aOpened := metric(aText, "gw_sessions_opened_total")
	if aOpen < 2 {
		t.Errorf("instance a has %v sessions open before its drain, want the long one and some paced ones", aOpen)
	}
	signalled := time.Now()
	a.cmd.Process.Signal(syscall.SIGTERM)
	for {
		code, _ := httpGet(a.url("/readyz"))
		if code == 503 {
			break
		}
		if time.Since(signalled) > 3*time.Second {
			t.Fatalf("a's /readyz still answers %d after SIGTERM", code)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if code, _ := httpGet(a.url("/healthz")); code != 200 {
		t.Errorf("draining a's /healthz = %d, want 200", code)
	}
	if text := a.scrape(t); metric(text, "gw_ready") != 0 {
		t.Errorf("draining a's gw_ready = %v", metric(text, "gw_ready"))
	}
	// New sessions meanwhile go elsewhere: nginx passes a's 503 on.
	fresh := run(ctx, lb, 60, 12, 6, 0, nil)
	ftl, ferr := count(fresh)
	if ftl.broken > 0 {
		t.Errorf("new sessions during the drain: %d of 60 broke: %v", ftl.broken, ferr)
	}
	if now := metric(a.scrape(t), "gw_sessions_opened_total"); now != aOpened {
		t.Errorf("draining a opened %v new sessions", now-aOpened)
	}
	prs := <-done
	ptl, perr := count(prs)
	t.Logf("drain of a (%v open): paced sessions %d ok, %d broken; new sessions %d ok, %d broken", aOpen, ptl.ok, ptl.broken, ftl.ok, ftl.broken)
	if ptl.broken > 0 {
		t.Errorf("sessions that finished within the drain timeout broke: %v", perr)
	}
	select {
	case err := <-long:
		if websocket.CloseStatus(err) != websocket.StatusGoingAway {
			t.Errorf("the session that outlived the drain ended with %v, want 1001 going away", err)
		}
		if took := time.Since(signalled); took < drain-time.Second {
			t.Errorf("the long session was closed after %v, before the drain timeout %v", took, drain)
		}
	case <-time.After(drain + 5*time.Second):
		t.Fatal("the long session was not closed after the drain timeout")
	}
	select {
	case <-a.exited:
		if code := a.cmd.ProcessState.ExitCode(); code != 0 {
			t.Errorf("a exited with %d after its drain", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("a did not exit after its drain:\n%s", a.stderr)
	}
	if !strings.Contains(a.stderr.String(), `"msg":"session ended"`) {
		t.Errorf("a logged no session line:\n%s", a.stderr)
	}

	// 3. Kill b while sessions run on b and c.
	startedN.Store(0)
	go func() { done <- run(ctx, lb, paced, paced, 60, 20*time.Millisecond, func() { startedN.Add(1) }) }()
	for startedN.Load() < paced {
		time.Sleep(5 * time.Millisecond)
	}
	bOpen := metric(b.scrape(t), "gw_sessions_open")
	b.cmd.Process.Signal(syscall.SIGKILL)
	<-b.exited
	after := run(ctx, lb, 60, 12, 6, 0, nil)
	krs := <-done
	ktl, kerr := count(krs)
	atl, aerr := count(after)
	t.Logf("kill of b (%v open): running sessions %d ok, %d broken; new sessions %d ok, %d broken", bOpen, ktl.ok, ktl.broken, atl.ok, atl.broken)
	if ktl.broken == 0 || float64(ktl.broken) > bOpen {
		t.Errorf("%d sessions broke when b (%v open) was killed; want some, at most b's", ktl.broken, bOpen)
	} else {
		t.Logf("how a session on b broke: %v", kerr)
	}
	if atl.broken > 0 {
		t.Errorf("new sessions after b was killed: %d broke: %v", atl.broken, aerr)
	}
	if code, _ := httpGet(c.url("/readyz")); code != 200 {
		t.Errorf("c's /readyz = %d", code)
	}
}
