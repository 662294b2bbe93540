package spatial

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"gonum.org/v1/gonum/mat"
)

// TestPowerMomentsDense checks the exact moments against dense powers of W
// on a row-standardised lattice (similar to a symmetric matrix), binary
// queen weights and asymmetric k-nearest-neighbour weights.
func TestPowerMomentsDense(t *testing.T) {
	rook, _ := Lattice(7, 9, false)
	rookW, _ := rook.Transform(RowStandardized)
	queen, _ := Lattice(8, 8, true)
	rng := rand.New(rand.NewPCG(3, 3))
	ids := make([]string, 90)
	pts := make([]orb.Point, 90)
	for i := range pts {
		ids[i] = fmt.Sprint(i)
		pts[i] = orb.Point{rng.Float64(), rng.Float64()}
	}
	knn, err := KNearest(ids, pts, 5, Euclidean)
	if err != nil {
		t.Fatal(err)
	}
	knnW, _ := knn.Transform(RowStandardized)
	for _, tc := range []struct {
		name string
		w    *Weights
	}{{"rook W", rookW}, {"queen B", queen}, {"knn W", knnW}} {
		t.Run(tc.name, func(t *testing.T) {
			const K = 6
			pm := tc.w.PowerMoments(K, math.Inf(1), 3)
			if pm.Order != K {
				t.Fatalf("order %d, want %d", pm.Order, K)
			}
			d := tc.w.Dense()
			n := tc.w.N()
			pow := make([]*mat.Dense, K+1)
			pow[0] = mat.NewDense(n, n, nil)
			for i := 0; i < n; i++ {
				pow[0].Set(i, i, 1)
			}
			for k := 1; k <= K; k++ {
				pow[k] = mat.NewDense(n, n, nil)
				pow[k].Mul(pow[k-1], d)
			}
			for a := 0; a <= K; a++ {
				if got, want := pm.Traces[a], mat.Trace(pow[a]); math.Abs(got-want) > 1e-11*math.Max(1, math.Abs(want)) {
					t.Errorf("tr W^%d = %.15g, dense %.15g", a, got, want)
				}
				for b := 0; b <= K; b++ {
					var p mat.Dense
					p.MulElem(pow[a], pow[b])
					want := mat.Sum(&p)
					if got := pm.Frobenius[a][b]; math.Abs(got-want) > 1e-11*math.Max(1, math.Abs(want)) {
						t.Errorf("<W^%d, W^%d>_F = %.15g, dense %.15g", a, b, got, want)
					}
				}
			}
			pt := tc.w.PowerTraces()
			for k := 1; k <= 4; k++ {
				if math.Abs(pt[k-1]-pm.Traces[k]) > 1e-11*math.Max(1, math.Abs(pm.Traces[k])) {
					t.Errorf("PowerTraces t_%d = %g, PowerMoments %g", k, pt[k-1], pm.Traces[k])
				}
			}
		})
	}
}

// TestPowerMomentsBudget checks that the order shrinks with the budget and
// never drops below 2.
func TestPowerMomentsBudget(t *testing.T) {
	w, _ := Lattice(40, 40, false)
	w, _ = w.Transform(RowStandardized)
	prev := math.MaxInt
	for _, budget := range []float64{math.Inf(1), 1e7, 1e6, 1e5, 0} {
		pm := w.PowerMoments(12, budget, 0)
		if pm.Order > prev || pm.Order < 2 {
			t.Errorf("budget %g: order %d after %d", budget, pm.Order, prev)
		}
		prev = pm.Order
	}
	if prev != 2 {
		t.Errorf("zero budget gives order %d, want 2", prev)
	}
	pm, pt := w.PowerMoments(12, 0, 0), w.PowerTraces()
	if len(pm.Traces) != 5 {
		t.Fatalf("order 2 gives %d traces, want t_0 … t_4", len(pm.Traces))
	}
	for k := 1; k <= 4; k++ {
		if math.Abs(pm.Traces[k]-pt[k-1]) > 1e-10*math.Abs(pt[k-1]) {
			t.Errorf("order 2: t_%d = %g, PowerTraces %g", k, pm.Traces[k], pt[k-1])
		}
	}
	if got := w.PowerMoments(12, math.Inf(1), 0).Order; got != 12 {
		t.Errorf("unbounded budget gives order %d, want 12", got)
	}
}

// BenchmarkPowerMoments times the exact power moments of a row-standardised
// rook lattice at orders 6 and 10 (unbounded budget).
func BenchmarkPowerMoments(b *testing.B) {
	for _, side := range []int{100, 316} {
		w, _ := Lattice(side, side, false)
		w, _ = w.Transform(RowStandardized)
		for _, K := range []int{6, 10} {
			b.Run(fmt.Sprintf("N=%d/order=%d", w.N(), K), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					w.PowerMoments(K, math.Inf(1), 0)
				}
			})
		}
	}
}

// ExampleWeights_PowerMoments computes the exact traces of the powers of a
// row-standardised rook lattice's W: tr W = 0 and tr W² = Σ_ij w_ij w_ji.
func ExampleWeights_PowerMoments() {
	w, _ := Lattice(3, 3, false)
	w, _ = w.Transform(RowStandardized)
	pm := w.PowerMoments(4, math.Inf(1), 1)
	fmt.Printf("order %d\n", pm.Order)
	for k, t := range pm.Traces {
		fmt.Printf("tr W^%d = %.4f\n", k, t)
	}
	fmt.Printf("‖W‖²_F = %.4f\n", pm.Frobenius[1][1])
	// Output:
	// order 4
	// tr W^0 = 9.0000
	// tr W^1 = 0.0000
	// tr W^2 = 3.3333
	// tr W^3 = 0.0000
	// tr W^4 = 2.4444
	// ‖W‖²_F = 3.5833
}
