package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/gw-project/gw/internal/testmodel"
)

// End-to-end tests of the online services' limits (issue 9): the real
// binary, attacked like a client would, must answer each attack with an
// error naming the flag, stay alive and bounded in memory, and stop on
// SIGTERM whatever its sessions do.

// online is a running `gw online`.
type online struct {
	t      *testing.T
	cmd    *exec.Cmd
	addr   string
	mu     sync.Mutex
	stderr bytes.Buffer
	exited chan struct{}
}

// startOnline starts `gw online -p 0 ARGS` and waits for its address.
func startOnline(t *testing.T, args ...string) *online {
	t.Helper()
	o := &online{t: t, exited: make(chan struct{})}
	o.cmd = exec.Command(gwBin, append([]string{"online", "-p", "0"}, args...)...)
	pipe, err := o.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	o.cmd.Stdout = io.Discard
	if err := o.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pipe)
		sc.Buffer(nil, 1<<20)
		re := regexp.MustCompile(`(?:http|ws)://(127\.0\.0\.1:\d+)`)
		for sc.Scan() {
			o.mu.Lock()
			o.stderr.WriteString(sc.Text() + "\n")
			o.mu.Unlock()
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
		o.cmd.Wait()
		close(o.exited)
	}()
	select {
	case o.addr = <-found:
	case <-time.After(10 * time.Second):
		o.cmd.Process.Kill()
		t.Fatal("server did not report its address")
	}
	t.Cleanup(func() {
		o.cmd.Process.Kill()
		<-o.exited
	})
	return o
}

func (o *online) log() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.stderr.String()
}

// logged reports whether the server's log says s within 5 s: the log is
// read from a pipe by another goroutine, so a line the server wrote may
// not be in log() yet.
func (o *online) logged(s string) bool {
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if strings.Contains(o.log(), s) {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
	}
}

// status reads a field of /proc/PID/status in bytes (VmHWM: the peak
// resident memory; VmRSS: now).
func (o *online) status(field string) int64 {
	o.t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", o.cmd.Process.Pid))
	if err != nil {
		o.t.Skipf("no /proc: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	o.t.Fatalf("no %s in /proc/PID/status", field)
	return 0
}

// settledRSS waits up to 30 s for the resident memory to fall to goal and
// returns it.
func (o *online) settledRSS(goal int64) int64 {
	o.t.Helper()
	start := time.Now()
	rss := o.status("VmRSS")
	for rss > goal && time.Since(start) < 30*time.Second {
		time.Sleep(200 * time.Millisecond)
		rss = o.status("VmRSS")
	}
	o.t.Logf("resident memory %d MiB after %v", rss>>20, time.Since(start).Round(100*time.Millisecond))
	return rss
}

// alive fails the test if the process has exited.
func (o *online) alive() {
	o.t.Helper()
	select {
	case <-o.exited:
		o.t.Fatalf("gw online died:\n%s", o.log())
	default:
	}
}

// stop sends SIGTERM and returns the exit code and how long it took.
func (o *online) stop() (int, time.Duration) {
	o.t.Helper()
	start := time.Now()
	o.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-o.exited:
	case <-time.After(15 * time.Second):
		o.t.Fatalf("gw online did not stop within 15 s of SIGTERM:\n%s", o.log())
	}
	return o.cmd.ProcessState.ExitCode(), time.Since(start)
}

// wsClient is a WebSocket client with a deadline on each read.
type wsClient struct {
	t *testing.T
	c *websocket.Conn
}

func dialWS(t *testing.T, addr string, h http.Header) (*wsClient, *http.Response, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, resp, err := websocket.Dial(ctx, "ws://"+addr, &websocket.DialOptions{HTTPHeader: h})
	if err != nil {
		return nil, resp, err
	}
	c.SetReadLimit(-1)
	t.Cleanup(func() { c.CloseNow() })
	return &wsClient{t, c}, resp, nil
}

func mustDialWS(t *testing.T, addr string) *wsClient {
	t.Helper()
	c, _, err := dialWS(t, addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// exchange sends msg and reads up to the reply to command name (a message
// whose "command" or "type" is name); it returns every message read.
func (c *wsClient) exchange(msg, name string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.c.Write(ctx, websocket.MessageText, []byte(msg)); err != nil {
		return "", err
	}
	re := regexp.MustCompile(`"(?:command|type)":"` + regexp.QuoteMeta(name) + `"`)
	var all []string
	for {
		_, b, err := c.c.Read(ctx)
		if err != nil {
			return strings.Join(all, "\n"), err
		}
		all = append(all, string(b))
		if re.Match(b) || !bytes.Contains(b, []byte(`"command"`)) && !bytes.Contains(b, []byte(`"type"`)) {
			return strings.Join(all, "\n"), nil
		}
	}
}

func setData(src string) string {
	return `{"command":"setData","action":` + strconv.Quote(src) + `}`
}

func smallModel(t *testing.T) string {
	b, err := os.ReadFile("testdata/SmallModel.json")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestOnlineWebSocketAttacks: two sessions play issue 9's reproductions
// against the real binary while a third walks; every attack fails naming
// its flag, the walker is answered throughout, and the process's peak
// resident memory stays far below what one attack took before (68 GB
// mapped, 7 GB resident for two sessions).
func TestOnlineWebSocketAttacks(t *testing.T) {
	// The deadline is far from the memory limits, so that a loaded machine
	// (or -race) still reaches those first.
	o := startOnline(t, "--script-timeout", "1500ms", "--script-memory", "32MiB", "--memory-budget", "1GiB")
	model := smallModel(t)
	walker := strings.Replace(model, "random(edge_coverage(100))", "random(never)", 1)
	deepStart := strings.Replace(model, `"value=54686327;"`, strconv.Quote("x="+testmodel.Nested("(", ")", 450000)), 1)
	getter := "Object.defineProperty(this,'g',{get:function(){while(true){}},enumerable:true})"
	attacks := []struct {
		setup, msg, name string
		want             []string
	}{
		{"", setData("var x=" + testmodel.Nested("[", "]", 300000) + ";"), "setData", []string{"--max-script-depth"}},
		{"", `{"command":"start","gw":` + deepStart + `}`, "start", []string{"--max-script-depth"}},
		{"var a=new Array(4294967295);", `{"command":"getData"}`, "getData", []string{"--max-data-size", "--script-timeout", "--script-memory"}},
		{"var a=new Array(4294967295);", `{"command":"getNext"}`, "getNext", []string{"--max-data-size", "--script-timeout", "--script-memory"}},
		{getter, `{"command":"getData"}`, "getData", []string{"--script-timeout"}},
		{getter, `{"type":"getData"}`, "getData", []string{"--script-timeout"}},
		{"var o=[];for(var i=0;i<40;i++)o=[o,o];", `{"command":"getData"}`, "getData", []string{"--script-timeout", "--max-data-size", "--script-memory"}},
		{"", setData("new Array(1e8).fill(0)"), "setData", []string{"--script-memory"}},
		{"", setData("Array.from({length:1e8})"), "setData", []string{"--script-memory"}},
		{"", setData("new Array(2e9).indexOf(1)"), "setData", []string{"--script-memory"}},
		{"", setData("'x'.repeat(1e8).split('')"), "setData", []string{"--script-memory"}},
		{"", setData("var s='x'; while(true) s=s+s"), "setData", []string{"--script-memory", "--script-timeout", "--memory-budget"}},
	}
	base := o.status("VmRSS")
	walk := mustDialWS(t, o.addr)
	if got, err := walk.exchange(`{"command":"start","gw":`+walker+`}`, "start"); err != nil || !strings.Contains(got, `"success":true`) {
		t.Fatalf("start: %v %s", err, got)
	}
	stop := make(chan struct{})
	walked := make(chan error, 1)
	go func() {
		n := 0
		for {
			select {
			case <-stop:
				if n == 0 {
					walked <- fmt.Errorf("no step")
				}
				walked <- nil
				return
			default:
			}
			got, err := walk.exchange(`{"command":"getNext"}`, "getNext")
			if err != nil || !strings.Contains(got, `"success":true`) {
				walked <- fmt.Errorf("step %d: %v %.300s", n, err, got)
				return
			}
			n++
		}
	}()
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, a := range attacks {
				c, _, err := dialWS(t, o.addr, nil)
				if err != nil {
					t.Error(err)
					return
				}
				if got, err := c.exchange(`{"command":"start","gw":`+model+`}`, "start"); err != nil || !strings.Contains(got, `"success":true`) {
					t.Errorf("start: %v %.300s", err, got)
					continue
				}
				if a.setup != "" {
					c.exchange(setData(a.setup), "setData")
				}
				got, err := c.exchange(a.msg, a.name)
				named := false
				for _, w := range a.want {
					named = named || strings.Contains(got, w)
				}
				if err != nil || !named {
					t.Errorf("%.60s: %v %.300s; want an error naming %s", a.msg, err, got, strings.Join(a.want, " or "))
				}
				c.c.Close(websocket.StatusNormalClosure, "")
			}
		}()
	}
	wg.Wait()
	close(stop)
	if err := <-walked; err != nil {
		t.Errorf("the walking session failed during the attacks: %v", err)
	}
	walk.c.Close(websocket.StatusNormalClosure, "")
	o.alive()

	// Invalid UTF-8 in a text message: 1007.
	c := mustDialWS(t, o.addr)
	c.c.Write(context.Background(), websocket.MessageText, []byte("{\"command\":\"mode\",\"x\":\"\xc3\x28\"}"))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, _, err := c.c.Read(ctx); websocket.CloseStatus(err) != websocket.StatusInvalidFramePayloadData {
		t.Errorf("invalid UTF-8: want close 1007, got %v", err)
	}

	// Still serving, correctly.
	c = mustDialWS(t, o.addr)
	if got, err := c.exchange(`{"command":"start","gw":`+model+`,"seed":5}`, "start"); err != nil || !strings.Contains(got, `"seed":5`) {
		t.Errorf("start after the attacks: %v %s", err, got)
	}
	if got, _ := c.exchange(`{"command":"getNext"}`, "getNext"); !strings.Contains(got, `"name":"e_FirstAction"`) {
		t.Errorf("getNext after the attacks: %s", got)
	}
	hwm := o.status("VmHWM")
	t.Logf("peak resident memory %d MiB", hwm>>20)
	if hwm > 768<<20 {
		t.Errorf("peak resident memory %d MiB", hwm>>20)
	}
	// Once the attackers have left, the memory goes back.
	c.c.Close(websocket.StatusNormalClosure, "")
	if rss := o.settledRSS(base + 32<<20); rss > base+32<<20 {
		t.Errorf("resident memory stays at %d MiB after the attacks (%d MiB before)", rss>>20, base>>20)
	}
	if code, took := o.stop(); code != 0 || took > 3*time.Second {
		t.Errorf("exit code %d after %v", code, took)
	}
}

// rest calls the REST service at addr.
func rest(t *testing.T, method, addr, path, body string, h http.Header) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, "http://"+addr+"/graphwalker/"+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	if h.Get("Host") != "" {
		req.Host = h.Get("Host")
	}
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestOnlineRESTAttacks: the REST reproductions against the real binary.
func TestOnlineRESTAttacks(t *testing.T) {
	o := startOnline(t, "-s", "RESTFUL", "--script-timeout", "500ms", "--script-memory", "32MiB")
	getter := url("Object.defineProperty(this,'g',{get:function(){while(true){}},enumerable:true})")
	for _, c := range []struct {
		setup, method, path string
		want                []string
	}{
		{"", "PUT", "setData/x%3D" + testmodel.Nested("(", ")", 450000), []string{"--max-script-depth"}},
		{"var%20a%3Dnew%20Array(4294967295)%3B", "GET", "getData", []string{"--max-data-size", "--script-timeout"}},
		{getter, "GET", "getData", []string{"--script-timeout"}},
		{"", "PUT", "setData/" + url("new Array(1e8).fill(0)"), []string{"--script-memory"}},
		{"", "PUT", "setData/" + url("'x'.repeat(1e8).split('')"), []string{"--script-memory"}},
	} {
		rest(t, "POST", o.addr, "load", smallModel(t), nil) // a fresh machine
		if c.setup != "" {
			if code, body := rest(t, "PUT", o.addr, "setData/"+c.setup, "", nil); code != 200 || !strings.Contains(body, `"ok"`) {
				t.Fatalf("setup: %d %s", code, body)
			}
		}
		// Another client meanwhile waits for one deadline at most.
		other := make(chan time.Duration, 1)
		go func() {
			time.Sleep(20 * time.Millisecond)
			start := time.Now()
			rest(t, "GET", o.addr, "hasNext", "", nil)
			other <- time.Since(start)
		}()
		code, body := rest(t, c.method, o.addr, c.path, "", nil)
		named := false
		for _, w := range c.want {
			named = named || strings.Contains(body, w)
		}
		if code != 200 || !strings.Contains(body, `"result":"nok"`) || !named {
			t.Errorf("%s %.40s: %d %.300s; want nok naming %s", c.method, c.path, code, body, strings.Join(c.want, " or "))
		}
		if d := <-other; d > 5*time.Second {
			t.Errorf("%s %.40s: another client waited %v", c.method, c.path, d)
		}
	}
	// A page of another site, or reached through a rebound name, cannot
	// load a model (text/plain needs no CORS preflight).
	for _, h := range []http.Header{
		{"Origin": {"http://evil.example"}, "Content-Type": {"text/plain"}},
		{"Host": {"evil.example:8887"}, "Content-Type": {"text/plain"}},
	} {
		if code, body := rest(t, "POST", o.addr, "load", smallModel(t), h); code != 403 || !strings.Contains(body, "--allow-origin evil.example") {
			t.Errorf("%v: %d %s", h, code, body)
		}
	}
	if !o.logged("--allow-origin evil.example") {
		t.Errorf("refused origins are not logged:\n%s", o.log())
	}
	o.alive()
	rest(t, "POST", o.addr, "load?seed=5", smallModel(t), nil)
	if code, body := rest(t, "GET", o.addr, "getNext", "", nil); code != 200 || !strings.Contains(body, `"currentElementName":"e_FirstAction"`) {
		t.Errorf("getNext after the attacks: %d %s", code, body)
	}
	hwm := o.status("VmHWM")
	t.Logf("peak resident memory %d MiB", hwm>>20)
	if hwm > 512<<20 {
		t.Errorf("peak resident memory %d MiB", hwm>>20)
	}
	if code, _ := o.stop(); code != 0 {
		t.Errorf("exit code %d", code)
	}
}

func url(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("_.-~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// TestOnlineShutdownStuckScripts: SIGTERM without a drain stops the
// services at once even while sessions are stuck in endless scripts (a
// setData loop, a getter shown by getData) under a one-hour script
// deadline.
func TestOnlineShutdownStuckScripts(t *testing.T) {
	t.Run("WEBSOCKET", func(t *testing.T) {
		o := startOnline(t, "--script-timeout", "1h", "--drain-timeout", "0")
		for _, src := range []string{"while(true){}", "Object.defineProperty(this,'g',{get:function(){while(true){}},enumerable:true})"} {
			c := mustDialWS(t, o.addr)
			c.exchange(`{"command":"start","gw":`+smallModel(t)+`}`, "start")
			if strings.HasPrefix(src, "while") {
				c.c.Write(context.Background(), websocket.MessageText, []byte(setData(src)))
			} else {
				c.exchange(setData(src), "setData")
				c.c.Write(context.Background(), websocket.MessageText, []byte(`{"command":"getData"}`))
			}
			go func() { // a client that reads, as clients do
				for {
					if _, _, err := c.c.Read(context.Background()); err != nil {
						return
					}
				}
			}()
		}
		time.Sleep(200 * time.Millisecond)
		code, took := o.stop()
		t.Logf("stopped in %v", took)
		if code != 0 || took > 3*time.Second {
			t.Errorf("exit code %d after %v", code, took)
		}
	})
	t.Run("RESTFUL", func(t *testing.T) {
		o := startOnline(t, "-s", "RESTFUL", "-m", "testdata/SmallModel.json", "random(never)", "--script-timeout", "1h", "--drain-timeout", "0")
		rest(t, "PUT", o.addr, "setData/"+url("Object.defineProperty(this,'g',{get:function(){while(true){}},enumerable:true})"), "", nil)
		go func() {
			req, _ := http.NewRequest("GET", "http://"+o.addr+"/graphwalker/getData", nil)
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
			}
		}()
		time.Sleep(200 * time.Millisecond)
		code, took := o.stop()
		t.Logf("stopped in %v", took)
		if code != 0 || took > 3*time.Second {
			t.Errorf("exit code %d after %v", code, took)
		}
	})
}

// dialFrom opens a TCP connection to addr from the loopback address local
// (127.0.0.0/8 is all loopback on Linux: each address is another client).
func dialFrom(t *testing.T, local, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{Timeout: 5 * time.Second, LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// TestOnlineSlowClients: idle keep-alive connections and slow bodies no
// longer pile up: one client address holds at most --max-conns-per-client
// connections (the next is answered 503 naming the flag), other clients
// are served meanwhile, and a body the endpoint does not read is not
// waited for.
func TestOnlineSlowClients(t *testing.T) {
	o := startOnline(t, "-s", "RESTFUL", "-m", "testdata/SmallModel.json", "random(never)")
	get := func(c net.Conn, path string) (int, string) {
		t.Helper()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		fmt.Fprintf(c, "GET /graphwalker/%s HTTP/1.1\r\nHost: localhost\r\n\r\n", path)
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	// 128 idle keep-alive connections (the default cap) from one address.
	for i := range 128 {
		if code, body := get(dialFrom(t, "127.0.0.1", o.addr), "hasNext"); code != 200 {
			t.Fatalf("connection %d: %d %s", i, code, body)
		}
	}
	code, body := get(dialFrom(t, "127.0.0.1", o.addr), "hasNext")
	if code != 503 || !strings.Contains(body, "--max-conns-per-client") {
		t.Errorf("connection 129: %d %s", code, body)
	}
	// Another client is served meanwhile.
	if code, body := get(dialFrom(t, "127.0.0.2", o.addr), "getNext"); code != 200 || !strings.Contains(body, `"result":"ok"`) {
		t.Errorf("another client: %d %s", code, body)
	}
	// 50 PUTs that trickle a body the endpoint does not read: answered at
	// once, and their connections closed.
	start := time.Now()
	var wg sync.WaitGroup
	for range 50 {
		c := dialFrom(t, "127.0.0.3", o.addr)
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.SetDeadline(time.Now().Add(20 * time.Second))
			io.WriteString(c, "PUT /graphwalker/setData/x%3D1 HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\nx")
			br := bufio.NewReader(c)
			if resp, err := http.ReadResponse(br, nil); err != nil || resp.StatusCode != 200 {
				t.Errorf("slow PUT: %v %v", resp, err)
				return
			}
			io.Copy(io.Discard, br) // the server closes
		}()
	}
	wg.Wait()
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("50 slow PUTs held their connections for %v", d)
	}
	o.alive()
	if code, _ := o.stop(); code != 0 {
		t.Errorf("exit code %d", code)
	}
}

// TestOnlineOrigin: a refused browser page is logged, with logging OFF,
// with the --allow-origin form that admits it; that form admits the page
// on any port (issue 11).
func TestOnlineOrigin(t *testing.T) {
	o := startOnline(t)
	h := http.Header{"Origin": {"http://studio.test:9090"}}
	if _, resp, err := dialWS(t, o.addr, h); err == nil || resp == nil || resp.StatusCode != 403 {
		t.Fatalf("a page of studio.test: %v", err)
	}
	if !o.logged("--allow-origin studio.test") {
		t.Errorf("the refusal is not logged with its hint:\n%s", o.log())
	}
	if code, took := o.stop(); code != 0 || took > 3*time.Second {
		t.Errorf("exit code %d after %v", code, took)
	}
	o = startOnline(t, "--allow-origin", "studio.test")
	c, _, err := dialWS(t, o.addr, h)
	if err != nil {
		t.Fatalf("--allow-origin studio.test refuses http://studio.test:9090: %v", err)
	}
	c.c.Close(websocket.StatusNormalClosure, "")
	o.stop()
}

// TestOnlineMemoryBudget: five parallel large REST loads stay within
// --memory-budget (before: 5 × 29 MB built at once, 1.25 GB); a body the
// budget cannot hold is refused naming the flag; once the loads are done
// and replaced, the process gives the memory back.
func TestOnlineMemoryBudget(t *testing.T) {
	o := startOnline(t, "-s", "RESTFUL", "--memory-budget", "256MiB")
	model := testmodel.Plain(2 << 20)
	base := o.status("VmRSS")
	var wg sync.WaitGroup
	for range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if code, body := rest(t, "POST", o.addr, "load", model, nil); code != 200 || !strings.Contains(body, `"result":"ok"`) {
				t.Errorf("load: %d %.300s", code, body)
			}
		}()
	}
	wg.Wait()
	hwm := o.status("VmHWM")
	t.Logf("five 2 MB loads at once: peak resident memory %d MiB", hwm>>20)
	if hwm > 512<<20 {
		t.Errorf("peak resident memory %d MiB with --memory-budget 256MiB", hwm>>20)
	}
	code, body := rest(t, "POST", o.addr, "load", testmodel.Plain(10<<20), nil)
	if code != 413 || !strings.Contains(body, "--memory-budget") {
		t.Errorf("a 10 MB load with a budget of 256 MiB: %d %.300s", code, body)
	}
	rest(t, "POST", o.addr, "load", smallModel(t), nil)
	if rss := o.settledRSS(base + 32<<20); rss > base+32<<20 {
		t.Errorf("resident memory stays at %d MiB (%d MiB before the loads)", rss>>20, base>>20)
	}
	o.stop()
}

func TestOnlineFlagErrors(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"online", "--trusted-proxy", "proxy.example"}, "--trusted-proxy \"proxy.example\" is neither an address nor a CIDR prefix"},
		{[]string{"online", "--max-conns-per-client", "-1"}, "--max-conns-per-client must be 0 (no cap) or more"},
		{[]string{"online", "--allow-origin", "[bad"}, `allowed origin "[bad" is not a valid pattern`},
	} {
		_, errOut, code := gw(t, tt.args...)
		if code != 1 || !strings.Contains(errOut, tt.want) {
			t.Errorf("gw %v: code %d, stderr %q; want code 1 and %q", tt.args, code, errOut, tt.want)
		}
	}
	out, _, _ := gw(t, "online", "--help")
	for _, flag := range []string{"--max-conns-per-client", "--trusted-proxy", "--memory-budget", "--script-memory", "--allow-origin"} {
		if !strings.Contains(out, flag) {
			t.Errorf("online --help does not list %s", flag)
		}
	}
}
