package spatial

import (
	"fmt"
	"os"
	"testing"
)

func benchLattice(b *testing.B, side int) *Weights {
	b.Helper()
	w0, err := Lattice(side, side, false)
	if err != nil {
		b.Fatal(err)
	}
	w, err := w0.Transform(RowStandardized)
	if err != nil {
		b.Fatal(err)
	}
	return w
}

// BenchmarkLogDetSetup times the set-up (ordering and symbolic
// factorisation, or the probes) of each large-N method on a rook lattice.
func BenchmarkLogDetSetup(b *testing.B) {
	for _, side := range benchSides() {
		w := benchLattice(b, side)
		for _, method := range []string{"cholesky", "slq", "chebyshev", "mc"} {
			b.Run(fmt.Sprintf("%s/N=%d", method, side*side), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := NewLogDeterminant(w, method, LogDetOptions{Seed: 1}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkLogDetEval times one evaluation of ln|I − ρW| after set-up.
func BenchmarkLogDetEval(b *testing.B) {
	for _, side := range benchSides() {
		w := benchLattice(b, side)
		for _, method := range []string{"cholesky", "slq", "chebyshev", "mc"} {
			ld, err := NewLogDeterminant(w, method, LogDetOptions{Seed: 1})
			if err != nil {
				b.Fatal(err)
			}
			b.Run(fmt.Sprintf("%s/N=%d", method, side*side), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					ld.LogDet(0.5)
				}
			})
		}
	}
}

// BenchmarkLagParallel compares the parallel sparse product with the serial
// LagTo.
func BenchmarkLagParallel(b *testing.B) {
	for _, side := range benchSides() {
		w := benchLattice(b, side)
		x := make([]float64, w.N())
		for i := range x {
			x[i] = float64(i % 7)
		}
		dst := make([]float64, w.N())
		m := NewMultiplier(w, 0)
		b.Run(fmt.Sprintf("parallel/N=%d", side*side), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				m.Lag(dst, x)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(w.NNZ()), "ns/nnz")
		})
		b.Run(fmt.Sprintf("serial/N=%d", side*side), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				w.LagTo(dst, x)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(w.NNZ()), "ns/nnz")
		})
	}
}

// benchSides are the lattice sides of the benchmarks: N = 1,600, 10,000,
// 100,000, and 1,000,000 with AGGLO_BENCH_BIG=1.
func benchSides() []int {
	s := []int{40, 100, 316}
	if os.Getenv("AGGLO_BENCH_BIG") != "" {
		s = append(s, 1000)
	}
	return s
}
