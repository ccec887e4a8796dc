package ws

import (
	"bufio"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gw-project/gw/internal/limits"
	"github.com/gw-project/gw/internal/testmodel"
)

// benchModel is SmallModel walked forever (GraphWalker's getNext keeps
// walking after the stop condition is met).
func benchModel(b *testing.B) string {
	return strings.Replace(smallModel(b), "random(edge_coverage(100))", "random(never)", 1)
}

// step is one hasNext + getNext round trip (three messages).
func (c *client) step() {
	c.call(`{"command":"hasNext"}`, 1)
	c.call(`{"command":"getNext"}`, 2)
}

func reportLatency(b *testing.B, d []time.Duration) {
	if len(d) == 0 {
		return
	}
	slices.Sort(d)
	b.ReportMetric(float64(d[len(d)/2].Microseconds()), "p50-µs/step")
	b.ReportMetric(float64(d[len(d)*99/100].Microseconds()), "p99-µs/step")
}

// BenchmarkStep: one client walking its machine over loopback.
func BenchmarkStep(b *testing.B) {
	_, url := startServer(b, Options{})
	c := dial(b, url)
	c.call(`{command:"start", seed:1, gw:`+benchModel(b)+`}`, 1)
	lat := make([]time.Duration, 0, 1<<16)
	for b.Loop() {
		t := time.Now()
		c.step()
		lat = append(lat, time.Since(t))
	}
	reportLatency(b, lat)
}

// BenchmarkStep1000: 1,000 clients, each walking its own machine; one
// iteration is one step of every client, all at once.
func BenchmarkStep1000(b *testing.B) {
	const n = 1000
	_, url := startServer(b, Options{})
	model := benchModel(b)
	clients := make([]*client, n)
	for i := range clients {
		clients[i] = dial(b, url)
		clients[i].call(`{command:"start", gw:`+model+`}`, 1)
	}
	var mu sync.Mutex
	var lat []time.Duration
	go1 := make([]chan struct{}, n)
	var wg sync.WaitGroup
	for i, c := range clients {
		go1[i] = make(chan struct{})
		go func() {
			var mine []time.Duration
			for range go1[i] {
				t := time.Now()
				c.step()
				mine = append(mine, time.Since(t))
				wg.Done()
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
			wg.Done()
		}()
	}
	for b.Loop() {
		wg.Add(n)
		for _, ch := range go1 {
			ch <- struct{}{}
		}
		wg.Wait()
	}
	b.StopTimer()
	wg.Add(n)
	for _, ch := range go1 {
		close(ch)
	}
	wg.Wait()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/step")
	reportLatency(b, lat)
}

// BenchmarkIdleSession measures the server memory (heap and goroutine
// stacks) of idle sessions, without and with a started machine. Clients
// are bare TCP connections that did the handshake, so that client-side
// memory stays out of the figure.
func BenchmarkIdleSession(b *testing.B) {
	for _, withMachine := range []bool{false, true} {
		name := "connected"
		if withMachine {
			name = "started"
		}
		b.Run(name, func(b *testing.B) {
			srv, url := startServer(b, Options{})
			addr := strings.TrimPrefix(url, "ws://")
			start := []byte(`{command:"start", gw:` + benchModel(b) + `}`)
			const n = 500
			for b.Loop() {
				before := memInUse()
				conns := make([]net.Conn, n)
				for i := range conns {
					conns[i] = rawDial(b, addr)
					if withMachine {
						rawSend(b, conns[i], start)
					}
				}
				waitFor(b, func() bool { return srv.Sessions() == n })
				if withMachine {
					for _, c := range conns {
						rawDrain(b, c)
					}
				}
				after := memInUse()
				b.ReportMetric(float64(int64(after)-int64(before))/n, "B/session")
				for _, c := range conns {
					c.Close()
				}
				waitFor(b, func() bool { return srv.Sessions() == 0 })
			}
		})
	}
}

func memInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc + ms.StackInuse
}

// rawDial opens a WebSocket with a hand-written handshake and keeps only
// the TCP connection.
func rawDial(b testing.TB, addr string) net.Conn {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	key := make([]byte, 16)
	rand.Read(key)
	fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n",
		addr, base64.StdEncoding.EncodeToString(key))
	resp, err := http.ReadResponse(bufio.NewReaderSize(c, 4096), nil)
	if err != nil || resp.StatusCode != http.StatusSwitchingProtocols {
		b.Fatalf("handshake: %v %v", err, resp)
	}
	return c
}

// rawSend writes one masked text frame.
func rawSend(b testing.TB, c net.Conn, p []byte) {
	h := []byte{0x81}
	switch {
	case len(p) < 126:
		h = append(h, 0x80|byte(len(p)))
	case len(p) < 1<<16:
		h = append(h, 0x80|126, byte(len(p)>>8), byte(len(p)))
	default:
		b.Fatal("frame too big")
	}
	mask := [4]byte{1, 2, 3, 4}
	h = append(h, mask[:]...)
	m := make([]byte, len(p))
	for i := range p {
		m[i] = p[i] ^ mask[i%4]
	}
	if _, err := c.Write(append(h, m...)); err != nil {
		b.Fatal(err)
	}
}

// rawDrain reads the reply to a start.
func rawDrain(b testing.TB, c net.Conn) {
	buf := make([]byte, 256)
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Read(buf); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkHandle is the server's own work per step (parse, machine step,
// replies), without the network.
func BenchmarkHandle(b *testing.B) {
	s, got := fake(Options{})
	defer s.end()
	s.handle(`{command:"start", seed:1, gw:` + benchModel(b) + `}`)
	b.ReportAllocs()
	for b.Loop() {
		*got = (*got)[:0]
		s.handle(`{"command":"hasNext"}`)
		s.handle(`{"command":"getNext"}`)
	}
}

// BenchmarkStartPeak measures what a large start costs at its peak, per
// byte of the message: the heap's growth (sampled every millisecond)
// while a 29 MB model of plain vertices and edges is parsed and its
// machine built. httpguard.CostFactor, the memory budget a message
// reserves per byte, comes from it. Run it alone:
//
//	go test -run XXX -bench StartPeak -benchtime 1x ./internal/server/ws
func BenchmarkStartPeak(b *testing.B) {
	msg := `{"command":"start","gw":` + testmodel.Plain(29<<20) + `}`
	for b.Loop() {
		s, got := fake(Options{MaxMessageBytes: -1})
		runtime.GC()
		base := limits.Heap()
		var peak atomic.Int64
		stop := make(chan struct{})
		sampled := make(chan struct{})
		go func() {
			defer close(sampled)
			for {
				select {
				case <-stop:
					return
				case <-time.After(time.Millisecond):
					peak.Store(max(peak.Load(), limits.Heap()))
				}
			}
		}()
		s.handle(msg)
		close(stop)
		<-sampled
		if !strings.Contains((*got)[len(*got)-1], `"success":true`) {
			b.Fatalf("start: %.300s", (*got)[len(*got)-1])
		}
		growth := peak.Load() - base
		b.ReportMetric(float64(growth)/float64(len(msg)), "peak-bytes/message-byte")
		b.ReportMetric(float64(growth>>20), "peak-MiB")
		s.dropMachine()
	}
}
