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

// BenchmarkChebyshevProbeTraces times the Chebyshev log-determinant's
// probe walks on a row-standardised rook lattice (order 52, 8 probes):
// the plain recurrence on W against the doubling on the symmetric S
// similar to W (half the products), one probe per core below
// chebBlockMinN regions and in blocks sharing each pass over W from it
// (N = 1,048,576 with AGGLO_BENCH_BIG=1).
func BenchmarkChebyshevProbeTraces(b *testing.B) {
	sides := []int{316}
	if os.Getenv("AGGLO_BENCH_BIG") != "" {
		sides = append(sides, 1024)
	}
	for _, side := range sides {
		w := benchLattice(b, side)
		s, ok := w.SymmetricSimilar()
		if !ok {
			b.Fatal("a row-standardised lattice is similar to a symmetric matrix")
		}
		n := w.N()
		bits := make([][]uint64, 8)
		for p := range bits {
			bits[p] = make([]uint64, (n+63)/64)
			for i := range bits[p] {
				bits[p][i] = uint64(i*2654435761+p) * 0x9e3779b97f4a7c15
			}
		}
		for _, c := range []struct {
			name string
			w    *Weights
			sym  bool
		}{{"plain", w, false}, {"doubling", s, true}} {
			b.Run(fmt.Sprintf("%s/N=%d", c.name, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					chebyshevProbeTraces(c.w, bits, 52, 1, 0, 0, n >= chebBlockMinN, c.sym)
				}
			})
		}
	}
}
