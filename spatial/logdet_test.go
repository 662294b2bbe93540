package spatial_test

import (
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/agglo/agglo/internal/sharedtest"
	"github.com/agglo/agglo/spatial"
	"github.com/paulmach/orb"
	"gonum.org/v1/gonum/floats/scalar"
)

// testWeights are the weights the large-N log-determinants are checked on
// against the exact eigenvalues.
func testWeights(t *testing.T) map[string]*spatial.Weights {
	t.Helper()
	out := map[string]*spatial.Weights{}
	type lat struct {
		side  int
		queen bool
	}
	lats := []lat{{20, false}, {20, true}, {30, false}, {30, true}}
	if os.Getenv("AGGLO_SLOW") != "" {
		// N = 2,025 and 3,600: dense eigenvalues take a minute.
		lats = append(lats, lat{45, false}, lat{45, true}, lat{60, false}, lat{60, true})
	}
	for _, c := range lats {
		w, err := spatial.Lattice(c.side, c.side, c.queen)
		if err != nil {
			t.Fatal(err)
		}
		w, _ = w.Transform(spatial.RowStandardized)
		out[fmt.Sprintf("lattice%dx%d/queen=%v", c.side, c.side, c.queen)] = w
	}
	// k-nearest neighbours of jittered grid points: asymmetric weights,
	// not similar to a symmetric matrix.
	ids := make([]string, 0, 600)
	pts := make([]orb.Point, 0, 600)
	for i := 0; i < 600; i++ {
		ids = append(ids, fmt.Sprint(i))
		x, y := float64(i%30), float64(i/30)
		pts = append(pts, orb.Point{x + 0.37*math.Sin(float64(7*i)), y + 0.41*math.Cos(float64(11*i))})
	}
	k, err := spatial.KNearest(ids, pts, 6, spatial.Euclidean)
	if err != nil {
		t.Fatal(err)
	}
	k, _ = k.Transform(spatial.RowStandardized)
	out["knn6/N=600"] = k
	if sharedtest.Present() {
		u, err := spatial.ReadWeightsFile(sharedtest.Data(t, "usaww.csv"), "matrix")
		if err != nil {
			t.Fatal(err)
		}
		out["usaww"] = u
	}
	return out
}

// TestCholeskyLogDetExact checks the sparse Cholesky log-determinant
// against the exact eigenvalue sum (Ord 1975) to 1e-10 relative over
// ρ ∈ [−0.9, 0.95].
func TestCholeskyLogDetExact(t *testing.T) {
	for name, w := range testWeights(t) {
		t.Run(name, func(t *testing.T) {
			ex, err := spatial.NewEigenLogDet(w)
			if err != nil {
				t.Fatal(err)
			}
			c, err := spatial.NewLogDeterminant(w, "cholesky", spatial.LogDetOptions{Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			elo, ehi := ex.Interval()
			lo, hi := c.Interval()
			// The interval from Lanczos estimates of the extreme eigenvalues
			// (exact 1 for λmax of row-standardised weights).
			// Weights not similar to a symmetric matrix get the conservative
			// (−1/‖W‖∞, 1/‖W‖∞), inside the exact interval.
			if _, sym := w.SymmetricSimilar(); !sym {
				if lo < elo || hi > ehi+1e-12 {
					t.Errorf("interval (%g, %g) not inside the exact (%g, %g)", lo, hi, elo, ehi)
				}
			} else if !scalar.EqualWithinRel(lo, elo, 1e-3) || !scalar.EqualWithinRel(hi, ehi, 1e-3) {
				t.Errorf("interval (%g, %g), exact (%g, %g)", lo, hi, elo, ehi)
			}
			for rho := -0.9; rho <= 0.951; rho += 0.05 {
				if rho <= math.Max(lo, elo) || rho >= math.Min(hi, ehi) {
					continue
				}
				want, got := ex.LogDet(rho), c.LogDet(rho)
				if !scalar.EqualWithinAbsOrRel(got, want, 1e-10, 1e-10) {
					t.Errorf("ρ = %.2f: cholesky %.12g, eigen %.12g", rho, got, want)
				}
			}
		})
	}
}

// TestApproxLogDets checks the stochastic methods against the exact
// eigenvalue sum: the error at every ρ ∈ [−0.9, 0.95] (within the central
// 95% of the interval) must be within the method's ErrorBound.
func TestApproxLogDets(t *testing.T) {
	for name, w := range testWeights(t) {
		ex, err := spatial.NewEigenLogDet(w)
		if err != nil {
			t.Fatal(err)
		}
		for _, method := range []string{"slq", "chebyshev", "mc"} {
			t.Run(name+"/"+method, func(t *testing.T) {
				ld, err := spatial.NewLogDeterminant(w, method, spatial.LogDetOptions{Seed: 3})
				if err != nil {
					if _, sym := w.SymmetricSimilar(); method == "slq" && !sym {
						return // slq needs symmetric-similar weights
					}
					t.Fatal(err)
				}
				lo, hi := ld.Interval()
				var worst, worstRel float64
				for rho := -0.9; rho <= 0.951; rho += 0.05 {
					if rho <= 0.95*lo || rho >= 0.95*hi {
						continue
					}
					want, got := ex.LogDet(rho), ld.LogDet(rho)
					worst = math.Max(worst, math.Abs(got-want))
					worstRel = math.Max(worstRel, math.Abs(got-want)/math.Max(1, math.Abs(want)))
				}
				if worst > ld.ErrorBound() {
					t.Errorf("largest error %g exceeds ErrorBound %g", worst, ld.ErrorBound())
				}
				t.Logf("largest error %.3g (relative %.3g), ErrorBound %.3g", worst, worstRel, ld.ErrorBound())
			})
		}
	}
}
