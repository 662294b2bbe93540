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

// TestPowerMomentsParity checks the bipartite shortcut: a rook lattice's
// graph is bipartite (a queen lattice's, nearest neighbours' and one with
// a directed triangle are not), and skipping the products of levels of unlike
// parity, exact zeros there, leaves every moment the same bit for bit.
// (A directed cycle of odd length is an odd cycle of the pattern's graph.)
func TestPowerMomentsParity(t *testing.T) {
	rook, _ := Lattice(9, 11, false)
	rookW, _ := rook.Transform(RowStandardized)
	queen, _ := Lattice(9, 11, true)
	rng := rand.New(rand.NewPCG(4, 4))
	ids := make([]string, 60)
	pts := make([]orb.Point, len(ids))
	for i := range pts {
		ids[i] = fmt.Sprint(i)
		pts[i] = orb.Point{rng.Float64(), rng.Float64()}
	}
	knn, err := KNearest(ids, pts, 3, Euclidean)
	if err != nil {
		t.Fatal(err)
	}
	loop, err := NewWeights([]string{"a", "b", "c", "d"}, []Link{{0, 1, 1}, {1, 2, 1}, {2, 3, 1}, {3, 1, 1}})
	if err != nil {
		t.Fatal(err)
	}
	path, err := NewWeights([]string{"a", "b", "c", "d"}, []Link{{0, 1, 1}, {2, 1, 1}, {2, 3, 1}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		w    *Weights
		want bool
	}{{"rook", rookW, true}, {"queen", queen, false}, {"knn", knn, false}, {"directed triangle", loop, false}, {"directed path", path, true}} {
		if got := tc.w.bipartite(tc.w.Transpose()); got != tc.want {
			t.Errorf("%s: bipartite %v, want %v", tc.name, got, tc.want)
		}
	}
	const K = 8
	pm := rookW.PowerMoments(K, math.Inf(1), 1)
	ref := newPowerExpander(rookW, rookW.Transpose(), K) // parity off
	for i := 0; i < rookW.N(); i++ {
		ref.expand(i, K, nil)
	}
	for a := 1; a <= K; a++ {
		if pm.Traces[a] != ref.tr[a] {
			t.Errorf("tr W^%d = %.17g, without the shortcut %.17g", a, pm.Traces[a], ref.tr[a])
		}
		for b := a; b <= K; b++ {
			if pm.Frobenius[a][b] != ref.frob[a][b] {
				t.Errorf("<W^%d, W^%d>_F = %.17g, without the shortcut %.17g", a, b, pm.Frobenius[a][b], ref.frob[a][b])
			}
		}
	}
}
