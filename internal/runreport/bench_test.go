package runreport

import (
	"io"
	"path/filepath"
	"testing"

	"github.com/gw-project/gw/internal/gwtest"
	"github.com/gw-project/gw/internal/machine"
	"github.com/gw-project/gw/internal/record"
)

// BenchmarkReport measures a report (all three formats) on a record of
// 200,000 steps of the guarded 1000x5000 model (bench/recordbench has the
// million-step figure).
func BenchmarkReport(b *testing.B) {
	file := "../machine/testdata/random-1000x5000-guards.json"
	models := gwtest.Models(b, file)
	models[0].Generator = "random(never)"
	dir := b.TempDir()
	r := record.NewRun(record.Options{Dir: dir}, record.Info{Service: "bench"})
	mo := machine.Options{Seed: 1, HasSeed: true}
	mo.Before = r.Hook(nil)
	m, err := machine.New(models, mo)
	if err != nil {
		b.Fatal(err)
	}
	r.Start(m)
	for range 200000 {
		if _, err := m.Next(); err != nil {
			b.Fatal(err)
		}
	}
	r.Finish(nil)
	m.Close()
	files, _ := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	for b.Loop() {
		run, err := Summarize(files[0])
		if err != nil {
			b.Fatal(err)
		}
		runs := []*Run{run}
		HTML(io.Discard, runs, HTMLOptions{})
		JUnit(io.Discard, runs)
		Markdown(io.Discard, runs)
	}
}
