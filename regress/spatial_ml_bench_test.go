package regress

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/agglo/agglo/internal/sharedtest"
	"github.com/agglo/agglo/spatial"
)

// BenchmarkSpatialProduc fits SAR and SDM with two-way effects on Produc
// (N = 48, T = 17) with standard errors and 1,000 impact draws, including
// the eigenvalues of W.
func BenchmarkSpatialProduc(b *testing.B) {
	sharedtest.Dir(b)
	w := readDenseWeights(b, "usaww.csv")
	p := produc(b, w)
	for _, m := range []SpatialModel{SAR, SDM} {
		b.Run(fmt.Sprintf("%s/N=%d", m, w.N()), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := FitSpatial(p, SpatialOptions{Model: m, Effects: "twoways", W: w, Seed: 1}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSpatialLattice fits SAR and SDM with two-way effects on a rook
// lattice with T = 10 at N = 1,600 and 3,600, exact eigenvalues and traces
// (O(N³)), standard errors and 1,000 impact draws.
func BenchmarkSpatialLattice(b *testing.B) {
	for _, side := range []int{40, 60} {
		w, _ := spatial.Lattice(side, side, false)
		w, _ = w.Transform(spatial.RowStandardized)
		rng := rand.New(rand.NewPCG(1, 1))
		for _, m := range []SpatialModel{SAR, SDM} {
			p := simulate(rng, w, 10, m, simTruths[m], "twoways")
			b.Run(fmt.Sprintf("%s/N=%d", m, w.N()), func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					if _, err := FitSpatial(p, SpatialOptions{Model: m, Effects: "twoways", W: w, Seed: 1}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkSpatialLatticeLargeN is BenchmarkSpatialLattice with the large-N
// path of the command line's --logdet auto (LargeN: sparse Cholesky
// log-determinant, stochastic traces with 30 probes) instead of exact
// eigenvalues.
func BenchmarkSpatialLatticeLargeN(b *testing.B) {
	for _, side := range []int{40, 60} {
		w, _ := spatial.Lattice(side, side, false)
		w, _ = w.Transform(spatial.RowStandardized)
		rng := rand.New(rand.NewPCG(1, 1))
		for _, m := range []SpatialModel{SAR, SDM} {
			p := simulate(rng, w, 10, m, simTruths[m], "twoways")
			b.Run(fmt.Sprintf("%s/N=%d", m, w.N()), func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					ld, tr, err := LargeN(w, "auto", spatial.LogDetOptions{Seed: 1})
					if err != nil {
						b.Fatal(err)
					}
					if _, err := FitSpatial(p, SpatialOptions{Model: m, Effects: "twoways", W: w, Seed: 1, LogDet: ld, Traces: tr}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkRandomEffectsProduc fits SAR and SEM with individual random
// effects on Produc (N = 48, T = 17) with the full covariance (numerical
// Hessian) and no impacts, including the eigenvalues of W.
func BenchmarkRandomEffectsProduc(b *testing.B) {
	sharedtest.Dir(b)
	w := readDenseWeights(b, "usaww.csv")
	p := produc(b, w).WithIntercept()
	for _, m := range []SpatialModel{SAR, SEM} {
		b.Run(fmt.Sprintf("%s/N=%d", m, w.N()), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := FitSpatial(p, SpatialOptions{Model: m, Effects: "random", W: w, ImpactDraws: -1}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
