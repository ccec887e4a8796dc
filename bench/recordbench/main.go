// Command recordbench measures run records (issue 13): what --record costs
// gw offline, how long gw report takes on a record of a million steps, and
// how long gw shrink takes on SuperLarge and on a guarded model.
//
//	go run ./bench/recordbench              # everything, best of 3
//	go run ./bench/recordbench -only report -steps 1000000
//
// gw offline runs in-process (cli.Main, output discarded); records go to a
// temporary folder. Figures are wall times, best of -runs.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"time"
	"unsafe"

	"github.com/gw-project/gw/internal/cli"
	"github.com/gw-project/gw/internal/format/gwjson"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/model"
	"github.com/gw-project/gw/internal/record"
	"github.com/gw-project/gw/internal/report"
	"github.com/gw-project/gw/internal/runreport"
	"github.com/gw-project/gw/internal/shrink"
)

const models = "internal/machine/testdata/"

var (
	runs  = flag.Int("runs", 3, "runs per case; the best is shown")
	steps = flag.Int("steps", 1000000, "steps of the walks")
	only  = flag.String("only", "", "overhead, report or shrink (default: all)")
)

func main() {
	flag.Parse()
	tmp, err := os.MkdirTemp("", "recordbench")
	check(err)
	defer os.RemoveAll(tmp)
	if *only == "" || *only == "overhead" {
		overhead(tmp)
	}
	if *only == "" || *only == "report" {
		reportTime(tmp)
	}
	if *only == "" || *only == "shrink" {
		shrinks(tmp)
	}
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// alternate runs a and b in turn, -runs times each, and returns the best
// time of each and the median of the ratios b/a of the pairs: the pairs
// share whatever else the machine was doing at the time.
func alternate(a, b func()) (bestA, bestB time.Duration, ratio float64) {
	var ratios []float64
	for i := range *runs {
		t0 := time.Now()
		a()
		da := time.Since(t0)
		t0 = time.Now()
		b()
		db := time.Since(t0)
		if i == 0 || da < bestA {
			bestA = da
		}
		if i == 0 || db < bestB {
			bestB = db
		}
		ratios = append(ratios, db.Seconds()/da.Seconds())
	}
	sort.Float64s(ratios)
	return bestA, bestB, ratios[len(ratios)/2]
}

func best(f func()) time.Duration {
	var b time.Duration
	for i := range *runs {
		t0 := time.Now()
		f()
		if d := time.Since(t0); i == 0 || d < b {
			b = d
		}
	}
	return b
}

func offline(args ...string) {
	var errb strings.Builder
	if code := cli.Main(append([]string{"offline", "--seed", "1"}, args...), &cli.Env{Stdout: io.Discard, Stderr: &errb}); code != 0 {
		check(fmt.Errorf("gw offline %v: exit %d: %s", args, code, errb.String()))
	}
}

// overhead: gw offline with and without --record, as wall time (noisy
// on a busy machine), as CPU time of the walking thread (what limits
// throughput when the writer has a core of its own) and as CPU time of
// the whole process (walker, writer and garbage collector).
func overhead(tmp string) {
	fmt.Printf("gw offline, %d steps, without → with --record (best of %d):\n", *steps, *runs)
	gen := fmt.Sprintf("random(length(%d))", *steps)
	for _, c := range []struct {
		name, file string
		verbose    bool
	}{
		{"Login (examples/models/login.json: guards and actions)", "examples/models/login.json", false},
		{"random-1000x5000 (no scripts)", models + "random-1000x5000.json", false},
		{"random-1000x5000-guards (guard+action on 10% of edges)", models + "random-1000x5000-guards.json", false},
		{"SuperLarge (787 vertices, no scripts)", models + "SuperLarge.json", false},
		{"random-1000x5000-guards, --verbose (data on every line)", models + "random-1000x5000-guards.json", true},
	} {
		args := []string{"-m", c.file, gen}
		if c.verbose {
			args = append(args, "--verbose")
		}
		dir := filepath.Join(tmp, "overhead")
		plain, rec, ratio := alternate(func() { offline(args...) }, func() { os.RemoveAll(dir); offline(append(args, "--record", dir)...) })
		files, _ := filepath.Glob(filepath.Join(dir, "*.jsonl"))
		size := int64(0)
		if len(files) == 1 {
			st, _ := os.Stat(files[0])
			size = st.Size()
		}
		wp, pp := cpuWalk(c.file, "", *steps, c.verbose)
		wr, pr := cpuWalk(c.file, dir, *steps, c.verbose)
		ns := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(*steps) }
		fmt.Printf("  %s\n    wall %v → %v (%+.1f %%; median of the pairs %+.1f %%); walker thread %.0f → %.0f ns/step (%+.1f %%); process CPU %.0f → %.0f ns/step (%+.1f %%); record %d MB\n",
			c.name, plain.Round(time.Millisecond), rec.Round(time.Millisecond), 100*(rec.Seconds()/plain.Seconds()-1), 100*(ratio-1),
			ns(wp), ns(wr), 100*(float64(wr)/float64(wp)-1), ns(pp), ns(pr), 100*(float64(pr)/float64(pp)-1), size>>20)
	}
}

// cpuWalk walks n steps as gw offline does (each step's JSON line to a
// discarded buffer: by the walk with --verbose, else by a Run's writer
// goroutine), recording into dir when it is set; it returns the best CPU
// time of the walking thread and of the process.
func cpuWalk(file, dir string, n int, verbose bool) (walker, process time.Duration) {
	data, err := os.ReadFile(file)
	check(err)
	for i := range *runs {
		doc, err := gwjson.Parse(data, file)
		check(err)
		doc.Models[0].Generator = "random(never)"
		out := bufio.NewWriterSize(io.Discard, 64<<10)
		var buf []byte
		mo := machine.Options{Seed: 1, HasSeed: true}
		mo.Before = func(s machine.Step) {
			buf, _ = report.AppendStep(buf[:0], s, report.StepOptions{Verbose: verbose})
			out.Write(append(buf, '\n'))
		}
		o := record.Options{Dir: dir}
		if !verbose {
			mo.Before = nil
			o.Path = &record.PathOutput{Line: report.AppendPlainStep, Write: func(b []byte, _ int) error {
				_, err := out.Write(b)
				return err
			}}
		}
		var r *record.Run
		if dir != "" || o.Path != nil {
			os.RemoveAll(dir)
			r = record.NewRun(o, record.Info{Service: "bench"})
			mo.Before = r.Hook(mo.Before)
		}
		runtime.GC()
		done := make(chan [2]time.Duration)
		go func() {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			m, err := machine.New(doc.Models, mo)
			check(err)
			if r != nil {
				check(r.Start(m))
			}
			p0, t0 := processCPU(), threadCPU()
			for range n {
				if _, err := m.Next(); err != nil {
					check(err)
				}
			}
			if r != nil {
				r.Finish(nil)
			}
			t1, p1 := threadCPU(), processCPU()
			m.Close()
			done <- [2]time.Duration{t1 - t0, p1 - p0}
		}()
		d := <-done
		if i == 0 || d[0] < walker {
			walker = d[0]
		}
		if i == 0 || d[1] < process {
			process = d[1]
		}
	}
	return walker, process
}

func threadCPU() time.Duration {
	var ts syscall.Timespec
	const clockThreadCPUTime = 3 // CLOCK_THREAD_CPUTIME_ID
	syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTime, uintptr(unsafe.Pointer(&ts)), 0)
	return time.Duration(ts.Nano())
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportTime: gw report on a record of -steps steps (the guarded model, so
// that data is recorded).
func reportTime(tmp string) {
	dir := filepath.Join(tmp, "report")
	offline("-m", models+"random-1000x5000-guards.json", fmt.Sprintf("random(length(%d))", *steps), "--record", dir)
	files, _ := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	st, _ := os.Stat(files[0])
	var sum time.Duration
	d := best(func() {
		t0 := time.Now()
		run, err := runreport.Summarize(files[0])
		check(err)
		sum = time.Since(t0)
		check(runreport.HTML(io.Discard, []*runreport.Run{run}, runreport.HTMLOptions{}))
		check(runreport.JUnit(io.Discard, []*runreport.Run{run}))
		check(runreport.Markdown(io.Discard, []*runreport.Run{run}))
	})
	fmt.Printf("gw report --html --junit --markdown on a %d-step record (%d MB): %v (reading it: %v)\n", *steps, st.Size()>>20, d.Round(time.Millisecond), sum.Round(time.Millisecond))
}

// shrinks: a run that fails at its last step, shrunk.
func shrinks(tmp string) {
	for _, c := range []struct {
		name, file string
		n          int
	}{
		{"SuperLarge", models + "SuperLarge.json", 100000},
		{"random-1000x5000-guards", models + "random-1000x5000-guards.json", 100000},
	} {
		data, err := os.ReadFile(c.file)
		check(err)
		doc, err := gwjson.Parse(data, c.file)
		check(err)
		doc.Models[0].Generator = "random(never)"
		rec := failingRun(tmp, doc.Models, c.n)
		var res *shrink.Result
		d := best(func() {
			res, err = shrink.Shrink(rec, shrink.Options{})
			check(err)
		})
		proof := "proven shortest"
		if !res.Proven {
			proof = res.Why
		}
		fmt.Printf("gw shrink on %s: %d steps → %d steps in %v (%d states, %s)\n", c.name, res.Failure.Steps, len(res.Path), d.Round(time.Millisecond), res.States, proof)
	}
}

// failingRun records n steps of a random walk whose test fails at the
// last one.
func failingRun(tmp string, models []*model.Model, n int) *record.Record {
	r := record.NewRun(record.Options{Dir: filepath.Join(tmp, "shrink")}, record.Info{Service: "bench"})
	mo := machine.Options{Seed: 1, HasSeed: true}
	mo.Before = r.Hook(nil)
	m, err := machine.New(models, mo)
	check(err)
	defer m.Close()
	check(r.Start(m))
	for range n {
		_, err := m.Next()
		check(err)
	}
	r.Settle()
	m.Fail("the bench's failure")
	r.Note("fail", "the bench's failure", nil)
	r.Finish(nil)
	rec, err := record.ReadFile(r.Path())
	check(err)
	return rec
}
