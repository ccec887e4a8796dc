// Command lbbench measures gw online behind nginx with the shipped
// deploy/nginx/gw.conf: sessions per second and the p50/p99 latency of one
// step (hasNext + getNext, as a client sees it) with 1 and with 3
// instances, and straight to one instance without nginx for reference.
//
//	go run ./bench/lbbench                          # 1 and 3 instances, 64 clients, 10 s each
//	go run ./bench/lbbench -instances 1,2,3 -clients 128 -duration 20s
//
// It builds gw from ./cmd/gw (or uses -gw) and needs nginx (Debian's
// package). Every session starts a two-vertex model, walks -steps steps
// and closes; clients start the next session at once.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/coder/websocket"
)

func main() {
	gw := flag.String("gw", "", "gw binary (default: go build ./cmd/gw)")
	nginx := flag.String("nginx", "nginx", "nginx binary")
	instances := flag.String("instances", "1,3", "comma-separated instance counts")
	clients := flag.Int("clients", 64, "concurrent clients")
	steps := flag.Int("steps", 20, "steps per session")
	dur := flag.Duration("duration", 10*time.Second, "how long each configuration runs")
	direct := flag.Bool("direct", true, "also measure one instance without nginx")
	flag.Parse()
	if err := run(*gw, *nginx, *instances, *clients, *steps, *dur, *direct); err != nil {
		fmt.Fprintln(os.Stderr, "lbbench:", err)
		os.Exit(1)
	}
}

func run(gw, nginx, instances string, clients, steps int, dur time.Duration, direct bool) error {
	dir, err := os.MkdirTemp("", "lbbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if gw == "" {
		gw = filepath.Join(dir, "gw")
		if out, err := exec.Command("go", "build", "-o", gw, "./cmd/gw").CombinedOutput(); err != nil {
			return fmt.Errorf("go build: %v\n%s", err, out)
		}
	}
	if p, err := exec.LookPath(nginx); err == nil {
		nginx = p
	} else if _, err := os.Stat("/usr/sbin/nginx"); err == nil {
		nginx = "/usr/sbin/nginx"
	} else {
		return fmt.Errorf("nginx not found (apt-get install nginx)")
	}
	fmt.Printf("%d clients, %d steps a session, %v per row, GOMAXPROCS of each gw: default (%d CPUs)\n\n", clients, steps, dur, numCPU())
	fmt.Println("| setup | sessions/s | steps/s | step p50 | step p99 | broken |")
	fmt.Println("|---|---|---|---|---|---|")
	if direct {
		ins, stop, err := startGWs(gw, 1)
		if err != nil {
			return err
		}
		r := measure("127.0.0.1:"+strconv.Itoa(ins[0]), clients, steps, dur)
		stop()
		r.print("1 instance, no nginx")
	}
	for _, f := range strings.Split(instances, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return fmt.Errorf("-instances: %q", f)
		}
		ports, stop, err := startGWs(gw, n)
		if err != nil {
			return err
		}
		addr, stopNginx, err := startNginx(nginx, dir, ports)
		if err != nil {
			stop()
			return err
		}
		r := measure(addr, clients, steps, dur)
		stopNginx()
		stop()
		r.print(fmt.Sprintf("nginx + %d instance(s)", n))
	}
	return nil
}

func numCPU() int {
	b, _ := exec.Command("nproc").Output()
	n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return n
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func startGWs(gw string, n int) ([]int, func(), error) {
	var ports []int
	var cmds []*exec.Cmd
	stop := func() {
		for _, c := range cmds {
			c.Process.Kill()
			c.Wait()
		}
	}
	for range n {
		p, err := freePort()
		if err != nil {
			stop()
			return nil, nil, err
		}
		c := exec.Command(gw, "online", "-p", strconv.Itoa(p), "--trusted-proxy", "127.0.0.1", "--max-conns-per-client", "0", "--drain-timeout", "0")
		c.Stdout, c.Stderr = io.Discard, io.Discard
		if err := c.Start(); err != nil {
			stop()
			return nil, nil, err
		}
		cmds = append(cmds, c)
		ports = append(ports, p)
	}
	for _, p := range ports {
		if err := waitHTTP("http://127.0.0.1:" + strconv.Itoa(p) + "/healthz"); err != nil {
			stop()
			return nil, nil, err
		}
	}
	return ports, stop, nil
}

func waitHTTP(url string) error {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("%s did not answer", url)
}

func startNginx(nginx, base string, ports []int) (string, func(), error) {
	conf, err := os.ReadFile("deploy/nginx/gw.conf")
	if err != nil {
		return "", nil, fmt.Errorf("run from the repository root: %v", err)
	}
	var servers strings.Builder
	for _, p := range ports {
		fmt.Fprintf(&servers, "    server 127.0.0.1:%d max_fails=1 fail_timeout=5s;\n", p)
	}
	re := regexp.MustCompile(`(?s)(# gw instances begin\n).*?(\s*# gw instances end)`)
	conf = re.ReplaceAll(conf, []byte("${1}"+servers.String()+"${2}"))
	port, err := freePort()
	if err != nil {
		return "", nil, err
	}
	conf = bytes.Replace(conf, []byte("listen 8080;"), []byte("listen 127.0.0.1:"+strconv.Itoa(port)+";"), 1)
	dir, err := os.MkdirTemp(base, "nginx")
	if err != nil {
		return "", nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "gw.conf"), conf, 0o644); err != nil {
		return "", nil, err
	}
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;"
	}
	// One worker per core, as a production nginx has.
	main := fmt.Sprintf(`%s
daemon off;
worker_processes auto;
pid %[2]s/nginx.pid;
error_log %[2]s/error.log warn;
events { worker_connections 8192; }
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
		return "", nil, err
	}
	cmd := exec.Command(nginx, "-p", dir, "-c", filepath.Join(dir, "nginx.conf"), "-e", filepath.Join(dir, "error.log"))
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop := func() { cmd.Process.Signal(syscall.SIGQUIT); cmd.Wait() }
	addr := "127.0.0.1:" + strconv.Itoa(port)
	deadline := time.Now().Add(10 * time.Second)
	for {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return addr, stop, nil
		}
		if time.Now().After(deadline) {
			stop()
			return "", nil, fmt.Errorf("nginx did not listen")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type result struct {
	sessions, broken int
	steps            []time.Duration
	took             time.Duration
}

func (r result) print(setup string) {
	slices.Sort(r.steps)
	q := func(p float64) time.Duration {
		if len(r.steps) == 0 {
			return 0
		}
		return r.steps[int(p*float64(len(r.steps)-1))]
	}
	s := r.took.Seconds()
	fmt.Printf("| %s | %.0f | %.0f | %v | %v | %d |\n", setup, float64(r.sessions)/s, float64(len(r.steps))/s,
		q(0.50).Round(time.Microsecond), q(0.99).Round(time.Microsecond), r.broken)
}

func modelStart(n int) string {
	return `{"command":"start","gw":{"models":[{"name":"Loop","id":"loop","generator":"random(length(` + strconv.Itoa(n) + `))",` +
		`"startElementId":"v0","vertices":[{"id":"v0","name":"v_A"},{"id":"v1","name":"v_B"}],` +
		`"edges":[{"id":"e0","name":"e_Go","sourceVertexId":"v0","targetVertexId":"v1"},` +
		`{"id":"e1","name":"e_Back","sourceVertexId":"v1","targetVertexId":"v0"}]}]}}`
}

// measure runs clients for dur, each walking sessions back to back.
func measure(addr string, clients, steps int, dur time.Duration) result {
	ctx, cancel := context.WithTimeout(context.Background(), dur+30*time.Second)
	defer cancel()
	end := time.Now().Add(dur)
	var mu sync.Mutex
	var total result
	var wg sync.WaitGroup
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			ok, broken := 0, 0
			for time.Now().Before(end) {
				l, err := session(ctx, addr, steps)
				lat = append(lat, l...)
				if err != nil {
					broken++
				} else {
					ok++
				}
			}
			mu.Lock()
			total.sessions += ok
			total.broken += broken
			total.steps = append(total.steps, lat...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	total.took = time.Since(start)
	return total
}

func session(ctx context.Context, addr string, steps int) ([]time.Duration, error) {
	c, _, err := websocket.Dial(ctx, "ws://"+addr+"/", nil)
	if err != nil {
		return nil, err
	}
	defer c.CloseNow()
	ask := func(msg, command string) (map[string]any, error) {
		if err := c.Write(ctx, websocket.MessageText, []byte(msg)); err != nil {
			return nil, err
		}
		for {
			_, b, err := c.Read(ctx)
			if err != nil {
				return nil, err
			}
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				return nil, err
			}
			if m["command"] == command {
				if m["success"] != true {
					return m, fmt.Errorf("%s: %s", command, b)
				}
				return m, nil
			}
		}
	}
	if _, err := ask(modelStart(steps), "start"); err != nil {
		return nil, err
	}
	var lat []time.Duration
	for {
		t0 := time.Now()
		m, err := ask(`{"command":"hasNext"}`, "hasNext")
		if err != nil {
			return lat, err
		}
		if m["hasNext"] != true {
			break
		}
		if _, err := ask(`{"command":"getNext"}`, "getNext"); err != nil {
			return lat, err
		}
		lat = append(lat, time.Since(t0))
	}
	return lat, c.Close(websocket.StatusNormalClosure, "")
}
