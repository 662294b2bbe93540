package regress

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

func TestBrentMin(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    func(float64) float64
		a, b float64
		want float64 // the known minimiser
	}{
		// (x − 0.3)² has its minimum at 0.3.
		{"quadratic", func(x float64) float64 { return (x - 0.3) * (x - 0.3) }, -1, 1, 0.3},
		// cos has its minimum on [2, 4] at π.
		{"cos", math.Cos, 2, 4, math.Pi},
		// x⁴ − 2x² + x: f'(x) = 4x³ − 4x + 1 = 0 at x = −1.1071598716887678 (bisection of f') on [−2, 0].
		{"quartic", func(x float64) float64 { return x*x*x*x - 2*x*x + x }, -2, 0, -1.1071598716887678},
		// exp(x) − 2x: minimum at ln 2.
		{"exp", func(x float64) float64 { return math.Exp(x) - 2*x }, -3, 5, math.Ln2},
		// Monotone on the interval: the minimiser is the right end.
		{"boundary", func(x float64) float64 { return -x }, 0, 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, _, _, ok := brentMin(tc.f, tc.a, tc.b, 1e-10, 500)
			if !ok {
				t.Fatalf("did not converge")
			}
			// Flat minima limit the attainable accuracy to about
			// sqrt(eps) in f, i.e. ~1e-8 in x; the interval rule is 1e-10.
			if !scalar.EqualWithinAbs(x, tc.want, 1e-8) {
				t.Errorf("x = %.15g, want %.15g", x, tc.want)
			}
		})
	}
}

// TestBrentMinBudget checks that an exhausted evaluation budget is
// reported as non-convergence with the last iterate inside the interval.
func TestBrentMinBudget(t *testing.T) {
	x, _, evals, ok := brentMin(math.Cos, 2, 4, 1e-10, 3)
	if ok || evals != 3 || x < 2 || x > 4 {
		t.Errorf("ok %v after %d evaluations at x = %g", ok, evals, x)
	}
}
