package regress

import (
	"math/rand/v2"
	"testing"

	"github.com/agglo/agglo/spatial"
)

// BenchmarkDynamicSDPD times the bias-corrected dynamic SDM with two-way
// effects on dynamic_sim.csv (N = 144, T = 20; SDPDmod 0.0.6 takes 20 s),
// standard errors and 1,000 draws of the short- and long-run effects
// included.
func BenchmarkDynamicSDPD(b *testing.B) {
	p, w := readDynamicSim(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FitSpatial(p, SpatialOptions{Model: SDM, Effects: "twoways", W: w, Dynamic: DLagBoth, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDynamicLargeN times the dynamic SDM with two-way effects on a
// simulated 100 × 100 rook lattice (N = 10,000, T = 10; target < 3 s):
// sparse Cholesky log-determinant, stochastic traces, 1,000 effect draws.
func BenchmarkDynamicLargeN(b *testing.B) {
	w, err := spatial.Lattice(100, 100, false)
	if err != nil {
		b.Fatal(err)
	}
	if w, err = w.Transform(spatial.RowStandardized); err != nil {
		b.Fatal(err)
	}
	p := simulateDynamic(rand.New(rand.NewPCG(1, 1)), w, 10, dynTruth{0.3, 0.4, 0.1, 1, -0.5, 0.3, 0})
	b.ReportAllocs()
	for b.Loop() {
		ld, tr, err := LargeN(w, "auto", spatial.LogDetOptions{Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := FitSpatial(p, SpatialOptions{Model: SDM, Effects: "twoways", W: w, Dynamic: DLagBoth, LogDet: ld, Traces: tr, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
