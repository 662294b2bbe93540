package regress

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"strings"
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

// TestSolveIRW checks solveIRW and lagSolveIRW, its lag in place,
// against solveIRWPeriod period by period (and LagTo), bit for bit, on
// one core or two, and that the reference solves the system. ρ = 1.4 on a
// row-standardised W (spectral radius 1) diverges: the dense solve takes
// over (N ≤ solveIRWMaxDenseN).
func TestSolveIRW(t *testing.T) {
	small, err := spatial.Lattice(20, 25, true)
	if err != nil {
		t.Fatal(err)
	}
	big, err := spatial.Lattice(130, 130, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		w    *spatial.Weights
		t    int
		rho  float64
	}{
		{"queen 20×25", small, 7, 0.6},
		{"queen 20×25", small, 7, -0.95},
		{"queen 20×25 diverging", small, 5, 1.4},
		{"rook 130×130", big, 7, 0.7},
	} {
		w, err := c.w.Transform(spatial.RowStandardized)
		if err != nil {
			t.Fatal(err)
		}
		n := w.N()
		rng := rand.New(rand.NewPCG(3, 4))
		u := make([]float64, n*c.t)
		for i := range u {
			u[i] = rng.NormFloat64()
		}
		want := make([]float64, n*c.t)
		for s := range c.t {
			if err := solveIRWPeriod(w, c.rho, u[s*n:(s+1)*n], want[s*n:(s+1)*n]); err != nil {
				t.Fatal(err)
			}
		}
		wantLag := make([]float64, n*c.t)
		lagPanelTo(w, wantLag, want, n, c.t)
		// The reference solves the system (the dense solve where the
		// iteration diverges): z − ρWz = u.
		var worst float64
		for i := range want {
			worst = math.Max(worst, math.Abs(want[i]-c.rho*wantLag[i]-u[i]))
		}
		if !(worst <= 1e-9) {
			t.Errorf("%s ρ = %g: period by period, max |(I − ρW)z − u| = %.3g", c.name, c.rho, worst)
		}
		var got, gotLag []float64
		for _, procs := range []int{1, 2} {
			old := runtime.GOMAXPROCS(procs)
			z, err := solveIRW(w, c.rho, u, n, c.t)
			wz := slices.Clone(u)
			if err == nil {
				err = lagSolveIRW(w, c.rho, wz, n, c.t)
			}
			runtime.GOMAXPROCS(old)
			if err != nil {
				t.Fatalf("%s ρ = %g: %v", c.name, c.rho, err)
			}
			if got != nil && (!slices.Equal(z, got) || !slices.Equal(wz, gotLag)) {
				t.Errorf("%s ρ = %g: one core and two differ", c.name, c.rho)
			}
			got, gotLag = z, wz
		}
		for _, r := range []struct {
			what      string
			got, want []float64
			tol       float64
		}{{"(I − ρW)⁻¹u", got, want, 0}, {"W(I − ρW)⁻¹u in place", gotLag, wantLag, 0}} {
			if r.what != "(I − ρW)⁻¹u" && n >= chebSolveMinN {
				// From chebSolveMinN regions the solve is accelerated
				// (chebyshevIRW): another iterate, as converged.
				r.tol = 1e-12
			}
			var worst, scale float64
			for i := range r.want {
				worst = math.Max(worst, math.Abs(r.got[i]-r.want[i]))
				scale = math.Max(scale, math.Abs(r.want[i]))
			}
			if !(worst <= r.tol*scale) {
				t.Errorf("%s ρ = %g: %s differs from period by period by %.3g (of %.3g)", c.name, c.rho, r.what, worst, scale)
			}
		}
	}
}

// TestChebyshevIRW checks the Chebyshev semi-iteration for z = u + ρWz
// against the dense solve: on weights with real eigenvalues (row-
// standardised and binary rook lattices, |ρ|·‖W‖∞ < 1) it converges, to
// 1e-12 of the solution, within the steps its rate allows, where the
// fixed-point iteration would not (ρ = ±0.9: 330 steps against its 160);
// on a directed cycle (eigenvalues on the unit circle, complex) it gets
// closer but slowly for ρ = 0.6 (inside the ellipse of r ≤ 1/√2, where
// the error falls by 0.8 a step against the fixed-point iteration's 0.6:
// why lagSolveIRW asks for real eigenvalues) and diverges for ρ = 0.95;
// the solve that starts from it (solveIRWPeriodWith) gives the solution
// in every case.
func TestChebyshevIRW(t *testing.T) {
	lat, err := spatial.Lattice(30, 30, false)
	if err != nil {
		t.Fatal(err)
	}
	rowStd, err := lat.Transform(spatial.RowStandardized)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, 400)
	var links []spatial.Link
	for i := range ids {
		ids[i] = fmt.Sprint(i)
		links = append(links, spatial.Link{From: i, To: (i + 1) % len(ids), Weight: 1})
	}
	cycle, err := spatial.NewWeights(ids, links)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name             string
		w                *spatial.Weights
		rho              float64
		usable, converge bool
	}{
		{"rook, row-standardised", rowStd, 0.4, true, true},
		{"rook, row-standardised", rowStd, 0.9, true, true},
		{"rook, row-standardised", rowStd, -0.9, true, true},
		{"rook, binary", lat, 0.2, true, true},
		{"directed cycle", cycle, 0.6, true, false},
		{"directed cycle", cycle, 0.95, false, false},
	} {
		n := c.w.N()
		rng := rand.New(rand.NewPCG(5, 6))
		u := make([]float64, n)
		for i := range u {
			u[i] = rng.NormFloat64()
		}
		want := make([]float64, n)
		if err := solveIRWDense(c.w, c.rho, u, want); err != nil {
			t.Fatal(err)
		}
		r := math.Abs(c.rho) * c.w.MaxAbsRowSum()
		z, buf := make([]float64, n), make([]float64, n)
		ok := chebyshevIRW(c.w, c.rho, u, z, buf, r)
		if ok != c.usable {
			t.Errorf("%s ρ = %g: the Chebyshev iterate a better start: %v, want %v", c.name, c.rho, ok, c.usable)
		}
		if ok {
			var worst, scale float64
			for i := range want {
				worst = math.Max(worst, math.Abs(z[i]-want[i]))
				scale = math.Max(scale, math.Abs(want[i]))
			}
			if converged := worst <= 1e-12*scale; converged != c.converge {
				t.Errorf("%s ρ = %g: the Chebyshev iterate is %.3g of %.3g off (converged %v, want %v)", c.name, c.rho, worst, scale, converged, c.converge)
			}
		}
		if err := solveIRWPeriodWith(c.w, c.rho, u, z, buf, r); err != nil {
			t.Fatal(err)
		}
		var worst, scale float64
		for i := range want {
			worst = math.Max(worst, math.Abs(z[i]-want[i]))
			scale = math.Max(scale, math.Abs(want[i]))
		}
		if !(worst <= 1e-12*scale) {
			t.Errorf("%s ρ = %g: max |z − z*| = %.3g of %.3g (Chebyshev converged: %v)", c.name, c.rho, worst, scale, ok)
		}
		t.Logf("%s ρ = %g: Chebyshev converged %v, max error %.2g", c.name, c.rho, ok, worst/scale)
	}
}

// TestSolveIRWDivergesLarge checks that (I − ρW)z = u with ρ beyond the
// spectrum fails with an error naming ρ at N above solveIRWMaxDenseN (the
// iteration overflows: it is not taken for converged).
func TestSolveIRWDivergesLarge(t *testing.T) {
	w, err := spatial.Lattice(130, 130, false)
	if err != nil {
		t.Fatal(err)
	}
	if w, err = w.Transform(spatial.RowStandardized); err != nil {
		t.Fatal(err)
	}
	n := w.N()
	rng := rand.New(rand.NewPCG(5, 6))
	u := make([]float64, 2*n)
	for i := range u {
		u[i] = rng.NormFloat64()
	}
	if _, err := solveIRW(w, 1.4, u, n, 2); err == nil || !strings.Contains(err.Error(), "ρ = 1.4") {
		t.Errorf("solveIRW at ρ = 1.4: %v, want an error naming ρ", err)
	}
	if err := solveIRWPeriod(w, 1.4, u[:n], make([]float64, n)); err == nil || !strings.Contains(err.Error(), "ρ = 1.4") {
		t.Errorf("solveIRWPeriod at ρ = 1.4: %v, want an error naming ρ", err)
	}
}
