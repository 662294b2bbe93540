package regress

import (
	"math"
	"strings"
	"testing"

	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/mat"
)

// denseTotals returns 1ᵀ(I−ρW)⁻¹1/N and 1ᵀ(I−ρW)⁻¹W1/N by a dense solve:
// the definition the impacts' totals (LeSage and Pace 2009, ch. 2.7)
// must match.
func denseTotals(t *testing.T, w *spatial.Weights, rho float64) (tot, totW float64) {
	t.Helper()
	n := w.N()
	wd := w.Dense()
	a := mat.NewDense(n, n, nil)
	a.Scale(-rho, wd)
	for i := 0; i < n; i++ {
		a.Set(i, i, a.At(i, i)+1)
	}
	ones := mat.NewVecDense(n, nil)
	for i := 0; i < n; i++ {
		ones.SetVec(i, 1)
	}
	var w1, z, zw mat.VecDense
	w1.MulVec(wd, ones)
	if err := z.SolveVec(a, ones); err != nil {
		t.Fatal(err)
	}
	if err := zw.SolveVec(a, &w1); err != nil {
		t.Fatal(err)
	}
	return mat.Sum(&z) / float64(n), mat.Sum(&zw) / float64(n)
}

// TestExactTotalsBinary checks the exact traces' total-impact multipliers
// for binary weights (unequal row sums) against a dense solve on the
// whole interval (1/λmin, 1/λmax): negative ρ below −1/λmax, where the
// plain power series Σ ρᵏ1ᵀWᵏ1/N diverges (the shifted series converges),
// and ρ near either end (the dense fallback).
func TestExactTotalsBinary(t *testing.T) {
	w, err := spatial.Lattice(8, 8, true) // queen, binary: λmax ≈ 7.3, λmin ≈ −2.4
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewExactTraces(w, nil)
	if err != nil {
		t.Fatal(err)
	}
	lmin, lmax := math.Inf(1), math.Inf(-1)
	for _, v := range e.values {
		lmin, lmax = math.Min(lmin, real(v)), math.Max(lmax, real(v))
	}
	rhos := []float64{0.999 / lmin, 0.9 / lmin, 0.6 / lmin, -0.5 / lmax, 0, 0.5 / lmax, 0.95 / lmax, 0.998 / lmax}
	if !(0.6/lmin < -1/lmax) {
		t.Fatalf("the grid should hold a ρ below −1/λmax = %g", -1/lmax)
	}
	n := len(rhos)
	direct, directW, total, totalW := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	if err := e.Multipliers(rhos, direct, directW, total, totalW); err != nil {
		t.Fatal(err)
	}
	for k, rho := range rhos {
		tot, totW := denseTotals(t, w, rho)
		if !(math.Abs(total[k]-tot) <= 1e-10*math.Abs(tot)) || !(math.Abs(totalW[k]-totW) <= 1e-9*math.Max(1, math.Abs(totW))) {
			t.Errorf("ρ = %.6g: totals %.15g, %.15g; dense solve %.15g, %.15g", rho, total[k], totalW[k], tot, totW)
		}
	}
}

// TestStochasticTracesRadius checks that the large-N traces sum their
// power series by the decay of |ρ|·R, R a bound on W's spectral radius,
// not of |ρ|: with binary weights (λmax ≈ 4 on a rook lattice) at
// |ρ|·λmax = 0.7 the series of |ρ| alone stop after some 18 terms, 0.7¹⁸
// ≈ 2e-3 short; and that a ρ whose series cannot converge (|ρ|·R ≥ 1) is
// an error naming the bound, not a number.
func TestStochasticTracesRadius(t *testing.T) {
	w, err := spatial.Lattice(20, 20, false)
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewExactTraces(w, nil)
	if err != nil {
		t.Fatal(err)
	}
	var lmax float64
	for _, v := range e.values {
		lmax = math.Max(lmax, real(v))
	}
	// Exact moments to order 40: the probes' part weighs 0.7⁴⁰ ≈ 6e-7.
	pm := w.PowerMoments(40, 1e12, 1)
	st := NewStochasticTraces(w, 30, 1, pm)
	rho := 0.7 / lmax
	tr1, tr2, _, err := st.Moments(rho)
	if err != nil {
		t.Fatal(err)
	}
	want1, want2, _, err := e.Moments(rho)
	if err != nil {
		t.Fatal(err)
	}
	if !(math.Abs(tr1-want1) <= 1e-5*math.Abs(want1)) || !(math.Abs(tr2-want2) <= 1e-5*math.Abs(want2)) {
		t.Errorf("ρ = %.6g: tr(W̃) = %.10g, tr(W̃²) = %.10g; exact %.10g, %.10g", rho, tr1, tr2, want1, want2)
	}
	rhos := []float64{-rho, rho}
	direct, directW, total, totalW := make([]float64, 2), make([]float64, 2), make([]float64, 2), make([]float64, 2)
	if err := st.Multipliers(rhos, direct, directW, total, totalW); err != nil {
		t.Fatal(err)
	}
	for k, r := range rhos {
		tot, totW := denseTotals(t, w, r)
		if !(math.Abs(total[k]-tot) <= 1e-9*math.Abs(tot)) || !(math.Abs(totalW[k]-totW) <= 1e-9*math.Abs(totW)) {
			t.Errorf("ρ = %.6g: totals %.12g, %.12g; dense solve %.12g, %.12g", r, total[k], totalW[k], tot, totW)
		}
	}
	// |ρ|·‖W‖∞ ≥ 1 (‖W‖∞ = 4): refused, with the bound named.
	if _, _, _, err := st.Moments(0.26); err == nil || !strings.Contains(err.Error(), "spectral radius") {
		t.Errorf("ρ = 0.26 with R = 4: err %v, want the spectral radius error", err)
	}
}
