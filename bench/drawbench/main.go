// Command drawbench measures gw's drawing: layout time per engine (wall
// and CPU, best of -runs; CPU time is the figure to trust on a loaded
// machine), bytes allocated, and the size and write time of the SVG and the
// layout JSON. It prints a Markdown table.
//
//	go run ./bench/drawbench
//	go run ./bench/drawbench -runs 5 internal/machine/testdata/random-1000x5000.json
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"runtime"
	"syscall"
	"time"

	"github.com/gw-project/gw/internal/draw"
	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/layout"
	"github.com/gw-project/gw/internal/model"
)

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

type result struct {
	wall, cpu time.Duration
	alloc     uint64
}

// measure runs f runs times and keeps the best wall and CPU times.
func measure(runs int, f func() error) (result, error) {
	best := result{wall: time.Hour, cpu: time.Hour}
	for range runs {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		a0, c0, t0 := ms.TotalAlloc, cpuTime(), time.Now()
		if err := f(); err != nil {
			return best, err
		}
		wall, cpu := time.Since(t0), cpuTime()-c0
		runtime.ReadMemStats(&ms)
		best.wall, best.cpu = min(best.wall, wall), min(best.cpu, cpu)
		best.alloc = ms.TotalAlloc - a0
	}
	return best, nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func main() {
	runs := flag.Int("runs", 3, "runs per case; the best time is shown")
	flag.Parse()
	files := flag.Args()
	if len(files) == 0 {
		files = []string{"internal/layout/testdata/SuperLarge.json", "internal/machine/testdata/random-1000x5000.json"}
	}
	fmt.Println("| model | engine | layout wall | layout CPU | allocated | SVG | SVG write | JSON | note |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			fatal(err)
		}
		doc, err := gwjson.Parse(data, f)
		if err != nil {
			fatal(err)
		}
		m := doc.Models[0]
		name := fmt.Sprintf("%s (%d V / %d E)", m.Name, len(m.Vertices), len(m.Edges))
		for _, e := range []layout.Engine{layout.Coordinates, layout.Layered, layout.Grid} {
			var l *layout.Layout
			r, err := measure(*runs, func() (err error) {
				l, err = layout.Compute(m, layout.Options{Engine: e})
				return err
			})
			if err != nil {
				fmt.Printf("| %s | %s | — | — | — | — | — | — | %v |\n", name, e, err)
				continue
			}
			scene, err := draw.NewScene([]*model.Model{m}, layout.Options{Engine: e}, nil)
			if err != nil {
				fatal(err)
			}
			var svg, js bytes.Buffer
			w, err := measure(*runs, func() error {
				svg.Reset()
				return scene.WriteSVG(&svg)
			})
			if err != nil {
				fatal(err)
			}
			if err := scene.WriteJSON(&js); err != nil {
				fatal(err)
			}
			fmt.Printf("| %s | %s | %s | %s | %.1f MB | %.0f KB | %s | %.0f KB | %s |\n", name, e, ms(r.wall), ms(r.cpu),
				float64(r.alloc)/1e6, float64(svg.Len())/1e3, ms(w.wall), float64(js.Len())/1e3, l.Note)
		}
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "drawbench:", err)
	os.Exit(1)
}
