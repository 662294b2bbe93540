package regress

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/agglo/agglo/spatial"

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

// TestLagProfileBracket checks the surrogate search of lagProfile (the
// exact-trace power series of seriesBracket corrected by exact Cholesky
// log-determinants, surrogateProfile): on rook lattices with ρ = 0.4 and
// 0.95 (where the order-K series is poor) it finds the ρ̂ of the plain
// Brent search to 1e-7 — the profile's values are flat to rounding within
// about 1e-8 of its maximum — and at ρ = 0.4 it spends at most two thirds
// of the exact evaluations (at ρ = 0.95, where the first step is long and
// the error model cubic, at most half); the log-determinant it returns at ρ̂ (without
// factorising there) is the exact one to 1e-12 relative.
func TestLagProfileBracket(t *testing.T) {
	w, err := spatial.Lattice(40, 40, false)
	if err != nil {
		t.Fatal(err)
	}
	if w, err = w.Transform(spatial.RowStandardized); err != nil {
		t.Fatal(err)
	}
	ld, tr, err := LargeN(w, "cholesky", spatial.LogDetOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	approx, dapprox := seriesBracket(ld, tr, false)
	if approx == nil {
		t.Fatal("no bracket for the Cholesky log-determinant")
	}
	for _, rho := range []float64{0.4, 0.95} {
		truth := simTruths[SAR]
		truth.rho = rho
		p := simulate(rand.New(rand.NewPCG(3, 3)), w, 10, SAR, truth, "individual")
		opt := SpatialOptions{Model: SAR, Effects: "individual", W: w, Tol: 1e-10, MaxEval: 1000}
		d, err := prepare(p, &opt, "individual")
		if err != nil {
			t.Fatal(err)
		}
		var n int
		count := func(r float64) float64 { n++; return ld.LogDet(r) }
		lo, hi := searchInterval(ld)
		m := float64(p.N * p.T)
		plain, err := lagProfile(d, count, nil, nil, lo, hi, m, float64(p.T), 1e-12, &opt)
		if err != nil {
			t.Fatal(err)
		}
		nPlain := n
		n = 0
		got, ldGot, err := lagProfileLD(d, count, approx, dapprox, lo, hi, m, float64(p.T), 1e-12, &opt)
		if err != nil {
			t.Fatal(err)
		}
		// The surrogate's ld(ρ̂) is the exact one to rounding.
		if want := ld.LogDet(got); !(math.Abs(ldGot-want) <= 1e-12*math.Abs(want)) {
			t.Errorf("ρ = %g: surrogate ld(ρ̂) = %.17g, exact %.17g", rho, ldGot, want)
		}
		if !(math.Abs(got-plain) <= 1e-7) {
			t.Errorf("ρ = %g: bracketed ρ̂ = %.12g, plain search %.12g", rho, got, plain)
		}
		if rho == 0.4 && !(3*n <= 2*nPlain) || rho == 0.95 && !(2*n <= nPlain) {
			t.Errorf("ρ = %g: surrogate search took %d exact evaluations, plain %d", rho, n, nPlain)
		}
		t.Logf("ρ = %g: ρ̂ %.12g, %d exact evaluations (plain %d)", rho, got, n, nPlain)
	}
	// Other log-determinants get no bracket.
	if e, err := spatial.NewLogDeterminant(w, "chebyshev", spatial.LogDetOptions{}); err != nil || func() bool { f, _ := seriesBracket(e, tr, false); return f != nil }() {
		t.Errorf("chebyshev: a bracket (err %v)", err)
	}
}
