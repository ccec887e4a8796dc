// Command wsbench measures gw online's WebSocket service: the round trip
// of one step (hasNext + getNext, three messages) on loopback, p50 and
// p99, for 1 client and for 1,000 concurrent clients each walking its own
// machine, and the server memory of an idle session.
//
//	go run ./bench/wsbench                       # in-process server
//	go run ./bench/wsbench -url ws://127.0.0.1:8887 -clients 1,100
//
// Against an external server only latencies are measured (memory needs the
// server in this process).
//
//	go run ./bench/wsbench -attack all           # issue 9: a healthy session under attack
//	go run ./bench/wsbench -attack loop -attackers 4 -duration 10s
//
// The in-process server of -attack has gw online's defaults: a 2 s script
// deadline, 64 MiB of script memory, a memory budget of half the RAM.
package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/gw-project/gw/internal/server/ws"
)

// model is GraphWalker's SmallModel, walked forever.
const model = `{"name":"SmallModel","models":[{"name":"SmallModel","id":"m1","generator":"random(never)",
"startElementId":"e0","actions":["value=54686327;"],
"vertices":[{"name":"v_VerifySomeAction","id":"n0"},{"name":"v_VerifySomeOtherAction","id":"n1"}],
"edges":[{"name":"e_FirstAction","id":"e0","targetVertexId":"n0"},
{"name":"e_AnotherAction","id":"e1","sourceVertexId":"n0","targetVertexId":"n1"},
{"name":"e_SomeOtherAction","id":"e2","sourceVertexId":"n1","targetVertexId":"n1"},
{"name":"e_SomeOtherAction","id":"e3","sourceVertexId":"n1","targetVertexId":"n0"}]}]}`

func main() {
	url := flag.String("url", "", "server to measure (default: an in-process server on 127.0.0.1)")
	clients := flag.String("clients", "1,1000", "comma-separated numbers of concurrent clients")
	dur := flag.Duration("duration", 5*time.Second, "how long each client count runs")
	idle := flag.Int("idle", 1000, "idle sessions opened to measure memory per session (in-process only; 0 skips)")
	cpu := flag.String("cpuprofile", "", "write a CPU profile of the latency runs to this file")
	attack := flag.String("attack", "", "measure a healthy session while attackers replay issue 9's reproductions: all, or one attack by name prefix (loop, getter, dag, sparse, redos, builtins, doubling, deep, guards, bigstart)")
	attackers := flag.Int("attackers", 2, "attacker sessions (-attack)")
	flag.Parse()
	if *cpu != "" {
		f, err := os.Create(*cpu)
		if err != nil {
			fmt.Fprintln(os.Stderr, "wsbench:", err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if *attack != "" {
		if err := attackMain(*url, *attack, *attackers, *dur); err != nil {
			pprof.StopCPUProfile()
			fmt.Fprintln(os.Stderr, "wsbench:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*url, *clients, *dur, *idle); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "wsbench:", err)
		os.Exit(1)
	}
}

func run(url, clients string, dur time.Duration, idle int) error {
	var srv *ws.Server
	if url == "" {
		srv = ws.NewHandler(ws.Options{MaxSessions: -1})
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		hs := &http.Server{Handler: srv}
		go hs.Serve(l)
		defer hs.Close()
		defer func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			srv.Shutdown(ctx)
		}()
		url = "ws://" + l.Addr().String()
	}
	fmt.Printf("gw online WebSocket, %s, GOMAXPROCS=%d, %s per run\n", url, runtime.GOMAXPROCS(0), dur)
	fmt.Printf("%8s %12s %10s %10s %10s\n", "clients", "steps/s", "p50", "p99", "p99.9")
	for _, f := range strings.Split(clients, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return fmt.Errorf("bad -clients entry %q", f)
		}
		if err := walk(url, n, dur); err != nil {
			return err
		}
	}
	if srv != nil && idle > 0 {
		addr := strings.TrimPrefix(url, "ws://")
		for _, started := range []bool{false, true} {
			b, err := idleMemory(srv, addr, idle, started)
			if err != nil {
				return err
			}
			what := "connected, no machine"
			if started {
				what = "SmallModel machine started"
			}
			fmt.Printf("idle session (%s): %.1f KiB (heap + stacks, %d sessions)\n", what, b/1024, idle)
		}
	}
	return nil
}

type conn struct {
	c   *websocket.Conn
	ctx context.Context
}

func (c *conn) call(msg string, replies int) error {
	if err := c.c.Write(c.ctx, websocket.MessageText, []byte(msg)); err != nil {
		return err
	}
	for range replies {
		if _, _, err := c.c.Read(c.ctx); err != nil {
			return err
		}
	}
	return nil
}

// walk runs n clients in closed loop for dur and prints the latencies.
func walk(url string, n int, dur time.Duration) error {
	ctx := context.Background()
	conns := make([]*conn, n)
	for i := range conns {
		dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		c, _, err := websocket.Dial(dctx, url, nil)
		cancel()
		if err != nil {
			return fmt.Errorf("client %d: %w", i, err)
		}
		defer c.CloseNow()
		conns[i] = &conn{c, ctx}
		if err := conns[i].call(`{"command":"start","seed":`+strconv.Itoa(i)+`,"gw":`+model+`}`, 1); err != nil {
			return err
		}
	}
	var stop atomic.Bool
	var mu sync.Mutex
	var all []time.Duration
	var wg sync.WaitGroup
	var firstErr error
	for _, c := range conns {
		wg.Go(func() {
			lat := make([]time.Duration, 0, 4096)
			for !stop.Load() {
				t := time.Now()
				if err := c.call(`{"command":"hasNext"}`, 1); err == nil {
					err = c.call(`{"command":"getNext"}`, 2)
				} else {
					mu.Lock()
					firstErr = err
					mu.Unlock()
					return
				}
				lat = append(lat, time.Since(t))
			}
			mu.Lock()
			all = append(all, lat...)
			mu.Unlock()
		})
	}
	start := time.Now()
	time.Sleep(dur)
	stop.Store(true)
	wg.Wait()
	elapsed := time.Since(start)
	if firstErr != nil {
		return firstErr
	}
	for _, c := range conns {
		c.c.Close(websocket.StatusNormalClosure, "")
	}
	slices.Sort(all)
	q := func(p float64) time.Duration { return all[min(len(all)-1, int(float64(len(all))*p))] }
	fmt.Printf("%8d %12.0f %10s %10s %10s\n", n, float64(len(all))/elapsed.Seconds(),
		round(q(0.5)), round(q(0.99)), round(q(0.999)))
	return nil
}

func round(d time.Duration) time.Duration {
	switch {
	case d > 100*time.Millisecond:
		return d.Round(time.Millisecond)
	case d > 100*time.Microsecond:
		return d.Round(time.Microsecond)
	}
	return d
}

// idleMemory opens n sessions from bare TCP connections (so that client
// memory stays small) and returns the server's heap + stack growth per
// session.
func idleMemory(srv *ws.Server, addr string, n int, started bool) (float64, error) {
	for srv.Sessions() != 0 {
		time.Sleep(time.Millisecond)
	}
	before := inUse()
	conns := make([]net.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	start := []byte(`{"command":"start","gw":` + model + `}`)
	for range n {
		c, err := rawDial(addr)
		if err != nil {
			return 0, err
		}
		conns = append(conns, c)
		if started {
			if err := rawSend(c, start); err != nil {
				return 0, err
			}
			buf := make([]byte, 256)
			c.SetReadDeadline(time.Now().Add(30 * time.Second))
			if _, err := c.Read(buf); err != nil {
				return 0, err
			}
		}
	}
	for srv.Sessions() != n {
		time.Sleep(time.Millisecond)
	}
	after := inUse()
	return float64(int64(after)-int64(before)) / float64(n), nil
}

func inUse() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc + ms.StackInuse
}

func rawDial(addr string) (net.Conn, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	key := make([]byte, 16)
	rand.Read(key)
	fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n",
		addr, base64.StdEncoding.EncodeToString(key))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		c.Close()
		return nil, err
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		c.Close()
		return nil, fmt.Errorf("handshake: %s", resp.Status)
	}
	return c, nil
}

// rawSend writes one masked text frame (payload < 64 KiB).
func rawSend(c net.Conn, p []byte) error {
	h := []byte{0x81}
	if len(p) < 126 {
		h = append(h, 0x80|byte(len(p)))
	} else {
		h = append(h, 0x80|126, byte(len(p)>>8), byte(len(p)))
	}
	mask := [4]byte{1, 2, 3, 4}
	h = append(h, mask[:]...)
	for i := range p {
		h = append(h, p[i]^mask[i%4])
	}
	_, err := c.Write(h)
	return err
}
