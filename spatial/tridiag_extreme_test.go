package spatial

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestExtremeRitz checks the smallest and largest eigenvalue and the last
// component of its unit eigenvector (up to sign) against the dense
// eigendecomposition (tridiagEigen) on random tridiagonal matrices and on
// Lanczos matrices of a queen lattice: eigenvalues to 1e-12 of the scale,
// components to 1e-8.
func TestExtremeRitz(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	var cases [][2][]float64
	for _, m := range []int{1, 2, 5, 30, 80} {
		a := make([]float64, m)
		b := make([]float64, max(m-1, 0))
		for i := range a {
			a[i] = rng.NormFloat64()
		}
		for i := range b {
			b[i] = 0.1 + rng.Float64()
		}
		cases = append(cases, [2][]float64{a, b})
	}
	q, _ := Lattice(20, 20, true)
	qw, _ := q.Transform(RowStandardized)
	s, _ := qw.SymmetricSimilar()
	v := make([]float64, s.N())
	for i := range v {
		v[i] = rng.NormFloat64()
	}
	for _, m := range []int{20, 60, 150} {
		a, b, _ := lanczos(NewMultiplier(s, 1).Lag, v, m)
		cases = append(cases, [2][]float64{a, b})
	}
	for ci, c := range cases {
		theta, _, last, err := tridiagEigen(c[0], c[1])
		if err != nil {
			t.Fatal(err)
		}
		k := len(theta)
		scale := math.Max(math.Abs(theta[0]), math.Abs(theta[k-1]))
		for _, lowest := range []bool{true, false} {
			j := 0
			if !lowest {
				j = k - 1
			}
			got, gl := extremeRitz(c[0], c[1], lowest)
			if !(math.Abs(got-theta[j]) <= 1e-12*scale) {
				t.Errorf("case %d lowest=%v: θ = %.17g, dense %.17g", ci, lowest, got, theta[j])
			}
			// Close eigenvalues (converged Lanczos copies) leave the vector
			// ill-determined; compare only well-separated ends.
			gap := math.Inf(1)
			if k > 1 {
				if lowest {
					gap = theta[1] - theta[0]
				} else {
					gap = theta[k-1] - theta[k-2]
				}
			}
			if gap > 1e-6*scale && !(math.Abs(math.Abs(gl)-math.Abs(last[j])) <= 1e-8) {
				t.Errorf("case %d lowest=%v: |s_m| = %.12g, dense %.12g", ci, lowest, math.Abs(gl), math.Abs(last[j]))
			}
		}
	}
}
