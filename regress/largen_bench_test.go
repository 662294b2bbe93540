package regress

import (
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/agglo/agglo/spatial"
)

// BenchmarkLargeNSAR fits SAR with two-way effects, T = 10, standard errors
// included and no impacts, on a rook lattice for each large-N
// log-determinant (set-up included). N = 1,000,000 with AGGLO_BENCH_BIG=1.
func BenchmarkLargeNSAR(b *testing.B) {
	sides := []int{40, 60, 100, 316}
	if os.Getenv("AGGLO_BENCH_BIG") != "" {
		sides = append(sides, 1000)
	}
	for _, side := range sides {
		w, _ := spatial.Lattice(side, side, false)
		w, _ = w.Transform(spatial.RowStandardized)
		rng := rand.New(rand.NewPCG(1, 1))
		p := simulate(rng, w, 10, SAR, simTruths[SAR], "twoways")
		for _, method := range []string{"cholesky", "slq", "chebyshev", "mc"} {
			b.Run(fmt.Sprintf("%s/N=%d", method, w.N()), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					ld, tr, err := LargeN(w, method, spatial.LogDetOptions{Seed: 1})
					if err != nil {
						b.Fatal(err)
					}
					if _, err := FitSpatial(p, SpatialOptions{Model: SAR, Effects: "twoways", W: w, LogDet: ld, Traces: tr, ImpactDraws: -1}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkLargeNSARPhases fits SAR with individual effects (the
// whole-process bench's model: T = 10, standard errors, 1,000 impact
// draws, LM tests) on a rook lattice of N = 99,856 (and 10^6 with
// AGGLO_BENCH_BIG=1) by the auto large-N method (Chebyshev log-determinant
// with exact low-order moments, stochastic traces), set-up included, and
// reports the wall time of each phase (setup-s, optimise-s, ses-s,
// impacts-s, tests-s per fit).
func BenchmarkLargeNSARPhases(b *testing.B) {
	sides := []int{316}
	if os.Getenv("AGGLO_BENCH_BIG") != "" {
		sides = append(sides, 1000)
	}
	for _, side := range sides {
		w, _ := spatial.Lattice(side, side, false)
		w, _ = w.Transform(spatial.RowStandardized)
		rng := rand.New(rand.NewPCG(1, 1))
		p := simulate(rng, w, 10, SAR, simTruths[SAR], "individual")
		b.Run(fmt.Sprintf("N=%d", w.N()), func(b *testing.B) {
			b.ReportAllocs()
			phases := map[string]time.Duration{}
			for b.Loop() {
				last := time.Now()
				mark := func(name string) {
					now := time.Now()
					phases[name] += now.Sub(last)
					last = now
				}
				ld, tr, err := LargeN(w, "auto", spatial.LogDetOptions{Seed: 1})
				if err != nil {
					b.Fatal(err)
				}
				mark("setup")
				if _, err := FitSpatial(p, SpatialOptions{Model: SAR, Effects: "individual", W: w, LogDet: ld, Traces: tr, Seed: 1, Phase: mark}); err != nil {
					b.Fatal(err)
				}
			}
			for _, ph := range []struct{ key, unit string }{{"setup", "setup-s"}, {"optimise", "optimise-s"}, {"standard errors", "ses-s"}, {"impacts", "impacts-s"}, {"tests", "tests-s"}} {
				b.ReportMetric(phases[ph.key].Seconds()/float64(b.N), ph.unit)
			}
		})
	}
}
