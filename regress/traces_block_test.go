package regress

import (
	"fmt"
	"math"
	"strconv"
	"testing"

	"github.com/agglo/agglo/spatial"
	"github.com/paulmach/orb"
)

// blockTestWeights returns row-standardised test weights: rook and queen
// lattices (bipartite and not), 6 nearest neighbours (asymmetric) and a
// ring with one weighted chord (unequal row sums, not similar to a
// symmetric matrix after row-standardisation of a binary W).
func blockTestWeights(t testing.TB) map[string]*spatial.Weights {
	t.Helper()
	out := map[string]*spatial.Weights{}
	for _, queen := range []bool{false, true} {
		w, err := spatial.Lattice(13, 11, queen)
		if err != nil {
			t.Fatal(err)
		}
		if w, err = w.Transform(spatial.RowStandardized); err != nil {
			t.Fatal(err)
		}
		out[fmt.Sprintf("lattice queen=%v", queen)] = w
	}
	ids := make([]string, 200)
	pts := make([]orb.Point, len(ids))
	for i := range ids {
		ids[i] = strconv.Itoa(i)
		pts[i] = orb.Point{float64(i%25) + 0.37*math.Sin(float64(7*i)), float64(i/25) + 0.41*math.Cos(float64(11*i))}
	}
	k, err := spatial.KNearest(ids, pts, 6, spatial.Euclidean)
	if err != nil {
		t.Fatal(err)
	}
	if k, err = k.Transform(spatial.RowStandardized); err != nil {
		t.Fatal(err)
	}
	out["knn6"] = k
	return out
}

// TestProbeTracesBlockSame checks that walking the probes in blocks
// (probeTracesBlock, one pass over W per step for the block) gives the
// remainder and the cached traces of walking them one by one, bit for bit,
// for whole and partial blocks, with and without extending the traces.
func TestProbeTracesBlockSame(t *testing.T) {
	for name, w := range blockTestWeights(t) {
		for _, rho := range []float64{-0.3, 0.4, 0.8} {
			for _, b := range []int{2, 7, 30} {
				one := NewStochasticTraces(w, 30, 5, nil)
				blk := NewStochasticTraces(w, 30, 5, nil)
				K, err := seriesLen(rho)
				if err != nil {
					t.Fatal(err)
				}
				for _, need := range []int{K + 2, K + 2, 3} { // extend, then cached
					r1, err1 := one.probeTracesBy(rho, rho, need, 1)
					r2, err2 := blk.probeTracesBy(rho, rho, need, b)
					if err1 != nil || err2 != nil {
						t.Fatalf("%s ρ=%g: %v, %v", name, rho, err1, err2)
					}
					if r1 != r2 {
						t.Errorf("%s ρ=%g block %d need %d: remainder %.17g, one by one %.17g", name, rho, b, need, r2, r1)
					}
				}
				t1, t2 := one.traces(K+2), blk.traces(K+2)
				for k := range t1 {
					if t1[k] != t2[k] {
						t.Errorf("%s ρ=%g block %d: t_%d = %.17g, one by one %.17g", name, rho, b, k, t2[k], t1[k])
					}
				}
			}
		}
	}
}

// BenchmarkProbeTraces times the probes' walk of the standard errors'
// traces (Moments' remainder and traces beyond the exact order) at
// ρ = 0.4 on rook lattices, in blocks and one probe at a time.
func BenchmarkProbeTraces(b *testing.B) {
	for _, side := range []int{40, 60, 100} {
		w, _ := spatial.Lattice(side, side, false)
		w, _ = w.Transform(spatial.RowStandardized)
		pm := w.DefaultPowerMoments(nil, 0)
		K, _ := seriesLen(0.4)
		for _, blk := range []int{1, blockProbes(w.N(), 30)} {
			b.Run(fmt.Sprintf("N=%d/block=%d", w.N(), blk), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					s := NewStochasticTraces(w, 30, 1, pm)
					if _, err := s.probeTracesBy(0.4, 0.4, K+2, blk); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
