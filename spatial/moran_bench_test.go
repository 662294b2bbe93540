package spatial

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func latticeData(side int) ([]float64, *Weights) {
	l, _ := Lattice(side, side, false)
	w, _ := l.Transform(RowStandardized)
	rng := rand.New(rand.NewPCG(2, 2))
	x := make([]float64, w.N())
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	return x, w
}

// BenchmarkMoranWorkers times Moran's I with 999 permutations on a 100×100
// rook lattice with 1 and 2 goroutines (the results are identical).
func BenchmarkMoranWorkers(b *testing.B) {
	x, w := latticeData(100)
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("N=%d/R=999/workers=%d", w.N(), workers), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Moran(x, w, TestOptions{Permutations: 999, Seed: 1, Workers: workers}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkGlobalTests times the three global tests without permutations.
func BenchmarkGlobalTests(b *testing.B) {
	for _, side := range []int{100, 1000} {
		x, w := latticeData(side)
		for i := range x {
			x[i] += 10 // non-negative for G
		}
		for name, f := range map[string]func([]float64, *Weights, TestOptions) (GlobalTest, error){
			"Moran": Moran, "Geary": Geary, "GetisOrd": GetisOrd,
		} {
			b.Run(fmt.Sprintf("%s/N=%d", name, w.N()), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := f(x, w, TestOptions{}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkLocalMoran times local Moran with 999 conditional permutations
// per region on a 100×100 rook lattice.
func BenchmarkLocalMoran(b *testing.B) {
	x, w := latticeData(100)
	for _, r := range []int{0, 999} {
		b.Run(fmt.Sprintf("N=%d/R=%d", w.N(), r), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := LocalMoran(x, w, LocalOptions{Permutations: r, Seed: 1}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
