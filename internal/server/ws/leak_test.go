package ws

import (
	"runtime"
	"sync"
	"testing"
	"time"
)

// TestNoLeak runs 1,000 connect/start/walk/disconnect cycles (10 clients
// at a time) and checks that goroutines return to the baseline and that
// the heap after GC does not grow with the number of sessions served.
func TestNoLeak(t *testing.T) {
	if testing.Short() {
		t.Skip("1,000 sessions")
	}
	srv, url := startServer(t, Options{})
	small := smallModel(t)
	cycle := func(t *testing.T) {
		c := dialRaw(t, url)
		defer c.c.CloseNow()
		c.call(`{command:"start", gw:`+small+`}`, 1)
		for {
			v := c.call1(`{command:"hasNext"}`)
			if more, _ := boolean(v, "hasNext"); !more {
				break
			}
			c.call(`{command:"getNext"}`, 2)
		}
		c.call(`{command:"getData"}`, 1)
		c.close()
	}
	// Warm up (script cache, watchdog, pools), then take the baseline.
	for range 20 {
		cycle(t)
	}
	waitFor(t, func() bool { return srv.Sessions() == 0 })
	baseG, baseHeap := settle()

	const workers, perWorker = 10, 100
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range perWorker {
				cycle(t)
			}
		})
	}
	wg.Wait()
	waitFor(t, func() bool { return srv.Sessions() == 0 })
	var g int
	var heap uint64
	deadline := time.Now().Add(10 * time.Second)
	for {
		g, heap = settle()
		if g <= baseG || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("goroutines %d -> %d, heap %d KiB -> %d KiB after %d sessions", baseG, g, baseHeap>>10, heap>>10, workers*perWorker)
	if g > baseG {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines left behind (baseline %d):\n%s", g-baseG, baseG, buf[:runtime.Stack(buf, true)])
	}
	if heap > baseHeap+1<<20 {
		t.Errorf("heap grew from %d KiB to %d KiB", baseHeap>>10, heap>>10)
	}
}

func settle() (int, uint64) {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return runtime.NumGoroutine(), ms.HeapAlloc
}

func waitFor(t testing.TB, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(time.Millisecond)
	}
}
