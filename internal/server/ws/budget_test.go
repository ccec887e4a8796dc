package ws

import (
	"context"
	"io"
	"math"
	"net"
	"net/http"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/gw-project/gw/internal/limits"
	"github.com/gw-project/gw/internal/server/httpguard"
	"github.com/gw-project/gw/internal/testmodel"
)

// withBudget sets the process's memory budget for one test.
func withBudget(t *testing.T, n int64) {
	limits.SetBudget(n)
	t.Cleanup(func() {
		limits.SetBudget(0)
		debug.SetMemoryLimit(math.MaxInt64)
		runtime.GC()
	})
}

// TestBudgetLargeStarts: with a budget of 256 MiB, starts of 3 MB models
// (about 54 MB each to build) from six sessions at once take turns and
// all succeed, within the budget; a start the budget cannot hold is
// refused at once, naming --memory-budget, and its session goes on.
func TestBudgetLargeStarts(t *testing.T) {
	budget, size, sessions := int64(256<<20), 3<<20, 6
	if raceEnabled { // builds are 10 times slower
		budget, size, sessions = 96<<20, 1<<20, 3
	}
	withBudget(t, budget)
	_, url := startServer(t, Options{})
	model := testmodel.Plain(size)
	runtime.GC()
	stop := make(chan struct{})
	peak := peakHeap(stop)
	var wg sync.WaitGroup
	for range sessions {
		wg.Add(1)
		c := dial(t, url)
		c.wait = slack(20 * time.Second) // the last one waits for the others
		go func() {
			defer wg.Done()
			if got := c.exchange(`{"command":"start","gw":`+model+`}`, "start"); !strings.Contains(got, `"success":true`) {
				t.Errorf("start: %.300s", got)
			}
			c.close()
		}()
	}
	wg.Wait()
	close(stop)
	p := <-peak
	t.Logf("%d starts of %s at once: peak heap %s", sessions, limits.FormatSize(int64(size)), limits.FormatSize(p))
	if p > 400<<20 {
		t.Errorf("peak heap %s with a budget of 256 MiB", limits.FormatSize(p))
	}
	waitFor(t, func() bool { return limits.Reserved() == 0 }) // released after the replies

	big := `{"command":"start","gw":` + testmodel.Plain(int(httpguard.MaxMessage())+1<<20) + `}`
	c := dial(t, url)
	start := time.Now()
	got := c.exchange(big, "")
	if !strings.Contains(got, "--memory-budget") || !strings.Contains(got, `"success":false`) {
		t.Errorf("a start over what the budget holds: %.300s", got)
	}
	if d := time.Since(start); d > slack(5*time.Second) {
		t.Errorf("refusing it took %v", d)
	}
	if got := c.exchange(`{"command":"start","gw":`+smallModel(t)+`}`, "start"); !strings.Contains(got, `"success":true`) {
		t.Errorf("the session after the refusal: %s", got)
	}
}

// TestOverBudget: while the process is over its budget, new sessions are
// refused with 503 and Retry-After before the upgrade, and new models
// (4.x start, 3.x loadModel) with an error naming --memory-budget; once
// memory is back, both are admitted again.
func TestOverBudget(t *testing.T) {
	withBudget(t, 64<<20)
	_, url := startServer(t, Options{})
	c := dial(t, url) // before: admitted
	ballast := make([]byte, 96<<20)
	waitFor(t, func() bool { return limits.Over() != nil })

	_, resp, err := dialOpts(url, nil)
	if err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("a new session over the budget: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(body), "--memory-budget") {
		t.Errorf("503 body: %s", body)
	}
	if got := c.exchange(`{"command":"start","gw":`+smallModel(t)+`}`, "start"); !strings.Contains(got, "--memory-budget") || !strings.Contains(got, `"success":false`) {
		t.Errorf("start over the budget: %s", got)
	}
	if got := c.exchange(readFile(t, "testdata/legacy_small.json"), "loadModel"); !strings.Contains(got, "--memory-budget") {
		t.Errorf("loadModel over the budget: %s", got)
	}
	if got := c.exchange(`{"command":"mode"}`, "mode"); !strings.Contains(got, "EDITOR") {
		t.Errorf("mode over the budget: %s", got)
	}

	runtime.KeepAlive(ballast) // its last use: the collection below frees it
	runtime.GC()
	waitFor(t, func() bool { return limits.Over() == nil })
	d := dial(t, url)
	if got := d.exchange(`{"command":"start","gw":`+smallModel(t)+`}`, "start"); !strings.Contains(got, `"success":true`) {
		t.Errorf("start after memory came back: %s", got)
	}
}

// TestSlowMessage: a large message that stops coming (it holds memory
// budget) costs its sender the connection once it falls behind the
// minimum rate, and gives the budget back; small messages are not paced.
func TestSlowMessage(t *testing.T) {
	withBudget(t, 256<<20)
	srv := NewHandler(Options{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := httpguard.NewServer(srv, true, httpguard.Timeouts{BodyGrace: 300 * time.Millisecond, MinBodyRate: 1 << 20})
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	url := "ws://" + ln.Addr().String()

	idle := dial(t, url) // a session between small messages is not paced
	time.Sleep(500 * time.Millisecond)
	if got := idle.exchange(`{"command":"mode"}`, "mode"); !strings.Contains(got, "EDITOR") {
		t.Fatalf("mode: %s", got)
	}

	c := dial(t, url)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	w, err := c.c.Writer(ctx, websocket.MessageText)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(`{"command":"setData","action":"` + strings.Repeat("x", 64<<10)))
	waitFor(t, func() bool { return limits.Reserved() > 0 })
	start := time.Now()
	_, _, err = c.c.Read(ctx) // the server drops the connection
	if err == nil || ctx.Err() != nil {
		t.Fatalf("the stalled message kept its connection: %v", err)
	}
	t.Logf("dropped after %v: %v", time.Since(start), err)
	waitFor(t, func() bool { return limits.Reserved() == 0 })
}
