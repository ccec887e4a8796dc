// Command graphviz measures github.com/goccy/go-graphviz (Graphviz compiled
// to WebAssembly, run by wazero) laying out GraphWalker JSON models the way
// gw would: boxes labelled with vertex names, edges labelled with edge
// names, dot layout, positions read back as xdot. It is its own module so
// that gw does not depend on go-graphviz; bench/graphviz/size.sh measures
// what importing it adds to cmd/gw.
//
//	cd bench/graphviz && go run . ../../internal/layout/testdata/SuperLarge.json
//	TMPDIR=$(mktemp -d) go run . -timeout 20m ../../internal/machine/testdata/random-1000x5000.json
//
// go-graphviz compiles its WebAssembly module in a package init, before
// main runs, caching the machine code under $TMPDIR/go-graphviz; a fresh
// TMPDIR measures the cold start. The time spent before main is printed.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/goccy/go-graphviz"
)

type doc struct {
	Models []struct {
		Name     string
		Vertices []struct{ ID, Name string }
		Edges    []struct {
			ID, Name                       string
			SourceVertexID, TargetVertexID string
		}
	}
}

func cpu() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func maxRSS() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Maxrss >> 10 // MiB
}

// sinceStart is the wall time since the process started (/proc/self/stat).
func sinceStart() time.Duration {
	stat, err := os.ReadFile("/proc/self/stat")
	up, err2 := os.ReadFile("/proc/uptime")
	if err != nil || err2 != nil {
		return 0
	}
	f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+2:]))
	ticks, _ := strconv.ParseFloat(f[19], 64) // starttime, field 22
	u, _ := strconv.ParseFloat(strings.Fields(string(up))[0], 64)
	return time.Duration((u - ticks/100) * float64(time.Second))
}

func toDOT(path string) (string, string) {
	data, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	var d doc
	if err := json.Unmarshal(data, &d); err != nil {
		panic(err)
	}
	m := d.Models[0]
	var b strings.Builder
	b.WriteString("digraph G {\nnode [shape=box, fontname=Helvetica, fontsize=12];\nedge [fontname=Helvetica, fontsize=12];\n")
	for _, v := range m.Vertices {
		fmt.Fprintf(&b, "%s [label=%s];\n", strconv.Quote(v.ID), strconv.Quote(v.Name))
	}
	for _, e := range m.Edges {
		if e.SourceVertexID == "" {
			continue
		}
		fmt.Fprintf(&b, "%s -> %s [label=%s];\n", strconv.Quote(e.SourceVertexID), strconv.Quote(e.TargetVertexID), strconv.Quote(e.Name))
	}
	b.WriteString("}\n")
	return fmt.Sprintf("%s (%d V / %d E)", m.Name, len(m.Vertices), len(m.Edges)), b.String()
}

func main() {
	timeout := flag.Duration("timeout", 10*time.Minute, "give up on a layout after this long")
	runs := flag.Int("runs", 2, "layouts per model")
	flag.Parse()
	fmt.Printf("before main (package init: WebAssembly compile or cache load): wall %v, CPU %v, max RSS %d MiB\n",
		sinceStart().Round(time.Millisecond), cpu().Round(time.Millisecond), maxRSS())
	ctx := context.Background()
	g, err := graphviz.New(ctx)
	if err != nil {
		panic(err)
	}
	defer g.Close()
	for _, path := range flag.Args() {
		name, src := toDOT(path)
		for i := range *runs {
			done := make(chan struct{})
			t0, c0 := time.Now(), cpu()
			go func() {
				select {
				case <-done:
				case <-time.After(*timeout):
					fmt.Printf("%s run %d: no layout after %v (CPU %v, max RSS %d MiB); gave up\n", name, i+1, *timeout, (cpu() - c0).Round(time.Millisecond), maxRSS())
					os.Exit(1)
				}
			}()
			graph, err := graphviz.ParseBytes([]byte(src))
			if err != nil {
				panic(err)
			}
			var out bytes.Buffer
			if err := g.Render(ctx, graph, graphviz.XDOT, &out); err != nil {
				panic(err)
			}
			graph.Close()
			close(done)
			fmt.Printf("%s run %d: parse + dot layout + xdot: wall %v, CPU %v, max RSS %d MiB, %d bytes\n",
				name, i+1, time.Since(t0).Round(time.Millisecond), (cpu() - c0).Round(time.Millisecond), maxRSS(), out.Len())
		}
	}
}
