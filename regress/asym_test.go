package regress

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/agglo/agglo/internal/sharedtest"
	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/mat"
)

// TestAsymmetricWeights fits a SAR with non-symmetric weights (complex
// eigenvalues) and checks that the estimate maximises an independently
// computed concentrated log-likelihood, with ln|I − ρW| from a dense LU
// factorisation rather than eigenvalues.
func TestAsymmetricWeights(t *testing.T) {
	const n = 30
	rng := rand.New(rand.NewPCG(4, 4))
	ids := make([]string, n)
	var links []spatial.Link
	for i := 0; i < n; i++ {
		ids[i] = string(rune('A'+i%26)) + string(rune('a'+i/26))
		// a directed ring plus two random links: not symmetric
		links = append(links, spatial.Link{From: i, To: (i + 1) % n, Weight: 1})
		for _, j := range rng.Perm(n)[:3] {
			if j != i && j != (i+1)%n {
				links = append(links, spatial.Link{From: i, To: j, Weight: 0.5 + rng.Float64()})
				break
			}
		}
	}
	w, err := spatial.NewWeights(ids, links)
	if err != nil {
		t.Fatal(err)
	}
	w, _ = w.Transform(spatial.RowStandardized)
	vals, _ := w.Eigenvalues()
	complexSeen := false
	for _, v := range vals {
		complexSeen = complexSeen || imag(v) != 0
	}
	if !complexSeen {
		t.Fatal("test weights have real eigenvalues; want complex")
	}
	p := simulate(rng, w, 4, SAR, simTruths[SAR], "individual")
	r, err := FitSpatial(p, SpatialOptions{Model: SAR, Effects: "individual", W: w, ImpactDraws: 100})
	if err != nil {
		t.Fatal(err)
	}
	rho := coefByName(t, r, "rho").Estimate
	wd := w.Dense()
	logdet := func(rho float64) float64 {
		a := mat.NewDense(n, n, nil)
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				a.Set(i, j, -rho*wd.At(i, j))
			}
			a.Set(i, i, 1+a.At(i, i))
		}
		var lu mat.LU
		lu.Factorize(a)
		ld, _ := lu.LogDet()
		return ld
	}
	opt := SpatialOptions{Model: SAR, W: w}
	d, err := prepare(p, &opt, "individual")
	if err != nil {
		t.Fatal(err)
	}
	conc := func(rho float64) float64 {
		ys := make([]float64, len(d.y))
		for i := range ys {
			ys[i] = d.y[i] - rho*d.wy[i]
		}
		_, e, _ := ols(ys, d.xs)
		return -float64(len(ys))/2*math.Log(dot(e, e)) + float64(d.t)*logdet(rho)
	}
	h := 1e-4
	f0 := conc(rho)
	if conc(rho-h) > f0 || conc(rho+h) > f0 {
		t.Errorf("ρ = %g is not the maximum: ℓ(ρ−h) = %.12g, ℓ(ρ) = %.12g, ℓ(ρ+h) = %.12g", rho, conc(rho-h), f0, conc(rho+h))
	}
	ld, _ := spatial.EigenLogDetFromValues(vals)
	for _, x := range []float64{-0.5, 0.3, 0.8} {
		if math.Abs(ld.LogDet(x)-logdet(x)) > 1e-9 {
			t.Errorf("logdet(%g): eigen %.12g, LU %.12g", x, ld.LogDet(x), logdet(x))
		}
	}
}

// TestOtherLogDet fits the Produc SAR with the exact sparse Cholesky
// log-determinant instead of eigenvalues: the same ρ to 1e-8.
func TestOtherLogDet(t *testing.T) {
	sharedtest.Dir(t)
	w := readDenseWeights(t, "usaww.csv")
	p := produc(t, w)
	ld, err := spatial.NewCholeskyLogDet(w, spatial.LogDetOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	a, err := FitSpatial(p, SpatialOptions{Model: SAR, Effects: "individual", W: w, ImpactDraws: -1})
	if err != nil {
		t.Fatal(err)
	}
	b, err := FitSpatial(p, SpatialOptions{Model: SAR, Effects: "individual", W: w, LogDet: ld, ImpactDraws: -1})
	if err != nil {
		t.Fatal(err)
	}
	checkRel(t, "rho", coefByName(t, b, "rho").Estimate, coefByName(t, a, "rho").Estimate, 1e-8)
	if b.Options["logdet"] != "cholesky" {
		t.Errorf("logdet option %v", b.Options["logdet"])
	}
}

// TestSACSecondWeights checks the SAC with a separate error matrix: W2 a
// copy of W must give the one-matrix results (dense trace path against
// the eigenvalue path), and a different W2 (queen against rook) runs.
func TestSACSecondWeights(t *testing.T) {
	w, _ := spatial.Lattice(7, 7, false)
	w, _ = w.Transform(spatial.RowStandardized)
	rng := rand.New(rand.NewPCG(8, 8))
	p := simulate(rng, w, 3, SAC, simTruths[SAC], "individual")
	a, err := FitSpatial(p, SpatialOptions{Model: SAC, Effects: "individual", W: w, ImpactDraws: -1})
	if err != nil {
		t.Fatal(err)
	}
	b, err := FitSpatial(p, SpatialOptions{Model: SAC, Effects: "individual", W: w, W2: w.WithStyle(w.Style()), ImpactDraws: -1})
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range a.Coefficients {
		checkRel(t, c.Name, b.Coefficients[i].Estimate, c.Estimate, 1e-8)
		checkRel(t, c.Name+" SE", b.Coefficients[i].StdError, c.StdError, 1e-8)
	}
	q, _ := spatial.Lattice(7, 7, true)
	q, _ = q.Transform(spatial.RowStandardized)
	r, err := FitSpatial(p, SpatialOptions{Model: SAC, Effects: "individual", W: w, W2: q, ImpactDraws: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range r.Coefficients {
		if !(c.StdError > 0) {
			t.Errorf("%s SE %g", c.Name, c.StdError)
		}
	}
	if _, err := FitSpatial(p, SpatialOptions{Model: SAR, W: w, W2: q}); err == nil {
		t.Error("W2 accepted for a SAR")
	}
}
