package spatial

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

func BenchmarkContiguityQueen(b *testing.B) {
	for _, side := range []int{100, 300} {
		r := squareGrid(side, side, false)
		b.Run(fmt.Sprintf("N=%d", side*side), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Contiguity(r, ContiguityOptions{Queen: true}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkKNearest(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		rng := rand.New(rand.NewPCG(1, 1))
		ids := make([]string, n)
		pts := make([]orb.Point, n)
		for i := range pts {
			ids[i] = fmt.Sprint(i)
			pts[i] = orb.Point{rng.Float64(), rng.Float64()}
		}
		b.Run(fmt.Sprintf("N=%d/k=8", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := KNearest(ids, pts, 8, Euclidean); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkLag(b *testing.B) {
	for _, side := range []int{100, 1000} {
		l, _ := Lattice(side, side, false)
		w, _ := l.Transform(RowStandardized)
		x := make([]float64, w.N())
		for i := range x {
			x[i] = float64(i % 7)
		}
		dst := make([]float64, w.N())
		b.Run(fmt.Sprintf("N=%d", w.N()), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				w.LagTo(dst, x)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(w.NNZ()), "ns/nnz")
		})
	}
}

func BenchmarkMoranPermutations(b *testing.B) {
	l, _ := Lattice(100, 100, false)
	w, _ := l.Transform(RowStandardized)
	rng := rand.New(rand.NewPCG(2, 2))
	x := make([]float64, w.N())
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	b.Run("N=10000/R=999", func(b *testing.B) {
		for b.Loop() {
			if _, err := Moran(x, w, TestOptions{Permutations: 999, Seed: 1}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
