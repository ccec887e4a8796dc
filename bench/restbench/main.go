// Command restbench measures gw online's REST service with the calls
// AltWalker makes per step: hasNext, getNext, getData. It prints cycles
// (steps) per second, requests per second and the latency of one cycle
// (p50, p90, p99, max), for each number of concurrent clients and for two
// connection modes: "keepalive" (one reused connection per client) and
// "newconn" (a new TCP connection per request, which is what AltWalker's
// requests.get/put do).
//
//	go run ./bench/restbench                                  # in-process server
//	go run ./bench/restbench -url http://127.0.0.1:8887/graphwalker -clients 1
//
// The model is UC01 walked with random(never); an external server (gw or
// GraphWalker's jar started with `online --service RESTFUL --verbose`) is
// loaded with it first.
package main

import (
	_ "embed"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gw-project/gw/internal/server/rest"
)

//go:embed uc01.json
var model string

func main() {
	url := flag.String("url", "", "REST base URL, e.g. http://127.0.0.1:8887/graphwalker (default: an in-process gw server on 127.0.0.1)")
	clients := flag.String("clients", "1,4", "comma-separated numbers of concurrent clients")
	modes := flag.String("modes", "keepalive,newconn", "connection modes to run: keepalive, newconn")
	dur := flag.Duration("duration", 5*time.Second, "how long each case runs")
	verbose := flag.Bool("verbose", true, "in-process server: --verbose (AltWalker always sets it)")
	unvisited := flag.Bool("unvisited", false, "in-process server: --unvisited")
	flag.Parse()

	base := *url
	if base == "" {
		srv, err := rest.NewHandler(rest.Options{Verbose: *verbose, Unvisited: *unvisited})
		if err != nil {
			fail(err)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			fail(err)
		}
		go http.Serve(ln, srv)
		base = "http://" + ln.Addr().String() + "/graphwalker"
	}
	base = strings.TrimSuffix(base, "/")
	if err := load(base); err != nil {
		fail(err)
	}
	fmt.Printf("restbench: %s, UC01 random(never), cycle = GET hasNext + GET getNext + GET getData, %v per case\n", base, *dur)
	fmt.Printf("%-10s %7s %9s %10s %10s %9s %9s %9s %9s\n", "mode", "clients", "cycles", "cycles/s", "req/s", "p50", "p90", "p99", "max")
	for _, mode := range strings.Split(*modes, ",") {
		for _, f := range strings.Split(*clients, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 1 {
				fail(fmt.Errorf("-clients: %q is not a positive number", f))
			}
			if err := run(base, strings.TrimSpace(mode), n, *dur); err != nil {
				fail(err)
			}
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "restbench:", err)
	os.Exit(1)
}

func load(base string) error {
	resp, err := http.Post(base+"/load?seed=1", "text/plain;charset=UTF-8", strings.NewReader(model))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"result":"ok"`) {
		return fmt.Errorf("load: %d %s", resp.StatusCode, b)
	}
	return nil
}

func run(base, mode string, clients int, dur time.Duration) error {
	var tr *http.Transport
	switch mode {
	case "keepalive":
		tr = &http.Transport{MaxIdleConnsPerHost: clients}
	case "newconn":
		tr = &http.Transport{DisableKeepAlives: true}
	default:
		return fmt.Errorf("-modes: unknown mode %q (use keepalive or newconn)", mode)
	}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr}
	urls := []string{base + "/hasNext", base + "/getNext", base + "/getData"}
	lat := make([][]time.Duration, clients)
	errs := make([]error, clients)
	var wg sync.WaitGroup
	start := time.Now()
	end := start.Add(dur)
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l := make([]time.Duration, 0, 1<<16)
			for time.Now().Before(end) {
				t0 := time.Now()
				for _, u := range urls {
					resp, err := c.Get(u)
					if err != nil {
						errs[i] = err
						return
					}
					b, err := io.ReadAll(resp.Body)
					resp.Body.Close()
					if err != nil || resp.StatusCode != 200 || !strings.Contains(string(b), `"result":"ok"`) {
						errs[i] = fmt.Errorf("GET %s: %d %s %v", u, resp.StatusCode, b, err)
						return
					}
				}
				l = append(l, time.Since(t0))
			}
			lat[i] = l
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	all := slices.Concat(lat...)
	slices.Sort(all)
	if len(all) == 0 {
		return fmt.Errorf("no cycle completed")
	}
	q := func(p float64) time.Duration { return all[min(len(all)-1, int(p*float64(len(all))))] }
	rate := float64(len(all)) / elapsed.Seconds()
	fmt.Printf("%-10s %7d %9d %10.0f %10.0f %9s %9s %9s %9s\n", mode, clients, len(all), rate, 3*rate,
		round(q(0.50)), round(q(0.90)), round(q(0.99)), round(all[len(all)-1]))
	return nil
}

func round(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return d.Round(time.Microsecond).String()
	default:
		return d.Round(10 * time.Microsecond).String()
	}
}
