package layout

import (
	"math/rand/v2"
	"testing"
)

// go test -run XXX -bench . -benchtime 3x ./internal/layout

func benchLayout(b *testing.B, path string, o Options) {
	m := readModels(b, path)[0]
	for b.Loop() {
		if _, err := Compute(m, o); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLayeredSuperLarge(b *testing.B) {
	benchLayout(b, "testdata/SuperLarge.json", Options{Engine: Layered})
}

func BenchmarkCoordinatesSuperLarge(b *testing.B) {
	benchLayout(b, "testdata/SuperLarge.json", Options{Engine: Coordinates})
}

func BenchmarkGridSuperLarge(b *testing.B) {
	benchLayout(b, "testdata/SuperLarge.json", Options{Engine: Grid})
}

// BenchmarkLayeredRandom1000x5000 lays out a random model the size of
// the shared bench/random-1000x5000.json (which bench/drawbench reads).
func BenchmarkLayeredRandom1000x5000(b *testing.B) {
	m := randomModel(rand.New(rand.NewPCG(7, 8)), 1000, 5000)
	for b.Loop() {
		if _, err := Compute(m, Options{Engine: Layered}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLayeredDense(b *testing.B) {
	m := randomModel(rand.New(rand.NewPCG(1, 1)), 1000, 9000)
	for b.Loop() {
		if _, err := Compute(m, Options{Engine: Layered}); err != nil {
			b.Fatal(err)
		}
	}
}
