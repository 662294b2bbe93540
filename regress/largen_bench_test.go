package regress

import (
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

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
