package index_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/agglo/agglo/index"
)

func benchMatrix(r, s int, seed uint64) *mat.Dense {
	rng := rand.New(rand.NewPCG(seed, seed))
	d := make([]float64, r*s)
	for i := range d {
		d[i] = 1 + 1000*rng.Float64()
	}
	return mat.NewDense(r, s, d)
}

// BenchmarkLQ computes the location quotients of a regions × sectors panel
// over 20 years (one op = the whole panel); target < 1 s for 3,000 × 1,000
// × 20 on the 2-core machine.
func BenchmarkLQ(b *testing.B) {
	const years = 20
	for _, sz := range []struct{ r, s int }{{300, 100}, {3000, 1000}} {
		b.Run(fmt.Sprintf("R=%d,S=%d,T=%d", sz.r, sz.s, years), func(b *testing.B) {
			panel := make([]*mat.Dense, years)
			for k := range panel {
				panel[k] = benchMatrix(sz.r, sz.s, uint64(k+1))
			}
			dst := mat.NewDense(sz.r, sz.s, nil)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				for _, e := range panel {
					if err := index.LQTo(dst, e, index.ZeroError); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(sz.r*sz.s*years), "ns/cell")
		})
	}
}

// BenchmarkEGK computes the coagglomeration of all pairs of S sectors over
// R regions for one year; target < 1 s for 1,000 sectors × 3,000 regions.
func BenchmarkEGK(b *testing.B) {
	for _, sz := range []struct{ r, s int }{{300, 100}, {3000, 1000}} {
		b.Run(fmt.Sprintf("R=%d,S=%d", sz.r, sz.s), func(b *testing.B) {
			e := benchMatrix(sz.r, sz.s, 1)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := index.EGK(e, index.ZeroError); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
