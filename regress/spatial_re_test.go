package regress

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/mat"
)

// TestRandomEffectsRecoverTruth simulates panels whose individual effects
// are independent of X (μ ~ N(0, 1), ε ~ N(0, 1): φ = 1) on an 8×8 rook
// lattice with T = 10 and fits each model with random effects: over 30
// seeded draws the mean estimate of every parameter is within 3.5 Monte
// Carlo standard errors of the truth, and the mean reported standard error
// of the slopes and of ρ or λ is within 30% of the spread of the estimates.
func TestRandomEffectsRecoverTruth(t *testing.T) {
	w, _ := spatial.Lattice(8, 8, false)
	w, _ = w.Transform(spatial.RowStandardized)
	const draws = 30
	for _, m := range []SpatialModel{SAR, SEM, SDM, SDEM} {
		t.Run(string(m), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(21, uint64(len(m))))
			truth := truthOf(simTruths[m])
			truth["phi"] = 1
			est := map[string][]float64{}
			se := map[string][]float64{}
			for range draws {
				p := simulate(rng, w, 10, m, simTruths[m], "individual")
				res, err := FitSpatial(p, SpatialOptions{Model: m, Effects: "random", W: w, ImpactDraws: -1})
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range res.Coefficients {
					est[c.Name] = append(est[c.Name], c.Estimate)
					se[c.Name] = append(se[c.Name], c.StdError)
				}
			}
			for name, want := range truth {
				x := est[name]
				if len(x) != draws {
					t.Fatalf("%s: %d estimates", name, len(x))
				}
				mean, sd := meanSD(x)
				if z := (mean - want) / (sd / math.Sqrt(draws)); math.Abs(z) > 3.5 {
					t.Errorf("%s: mean %.4f over %d draws, truth %g (z = %.2f)", name, mean, draws, want, z)
				}
				if name == "phi" {
					continue
				}
				mse, _ := meanSD(se[name])
				if r := mse / sd; r < 0.7 || r > 1.3 {
					t.Errorf("%s: mean standard error %.4f, spread of the estimates %.4f", name, mse, sd)
				}
			}
		})
	}
}

func meanSD(x []float64) (mean, sd float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	for _, v := range x {
		sd += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(sd / float64(len(x)-1))
}

// TestRandomEffectsLikelihood checks the random-effects log-likelihood
// against a direct evaluation of the Gaussian density with the dense
// covariance σ²(φ J_T ⊗ I_N + I_T ⊗ (BᵀB)⁻¹) (SEM) and σ²(φ J_T ⊗ I_N +
// I_NT) for (I_T ⊗ A)y (SAR, with its Jacobian), at the estimates.
func TestRandomEffectsLikelihood(t *testing.T) {
	w, _ := spatial.Lattice(4, 5, true)
	w, _ = w.Transform(spatial.RowStandardized)
	n, T := w.N(), 3
	rng := rand.New(rand.NewPCG(2, 9))
	for _, m := range []SpatialModel{SAR, SEM} {
		p := simulate(rng, w, T, m, simTruths[m], "individual")
		res, err := FitSpatial(p, SpatialOptions{Model: m, Effects: "random", W: w, ImpactDraws: -1})
		if err != nil {
			t.Fatal(err)
		}
		co := map[string]float64{}
		for _, c := range res.Coefficients {
			co[c.Name] = c.Estimate
		}
		nt := n * T
		wd := w.Dense()
		// Σ/σ² for the errors.
		sig := mat.NewDense(nt, nt, nil)
		b := mat.NewDense(n, n, nil)
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				v := -co["lambda"] * wd.At(i, j)
				if i == j {
					v++
				}
				b.Set(i, j, v)
			}
		}
		var btb, inner mat.Dense
		btb.Mul(b.T(), b)
		if m == SEM {
			if err := inner.Inverse(&btb); err != nil {
				t.Fatal(err)
			}
		} else {
			inner.CloneFrom(identity(n))
		}
		for s := 0; s < T; s++ {
			for r := 0; r < T; r++ {
				for i := 0; i < n; i++ {
					if m := co["phi"]; true {
						sig.Set(s*n+i, r*n+i, m)
					}
					if s == r {
						for j := 0; j < n; j++ {
							sig.Set(s*n+i, r*n+j, sig.At(s*n+i, r*n+j)+inner.At(i, j))
						}
					}
				}
			}
		}
		sig.Scale(res.Sigma2, sig)
		// e = A y − Xβ with A = I − ρW per period.
		e := make([]float64, nt)
		wy := lagPanel(w, p.Y, n, T)
		for i := range e {
			e[i] = p.Y[i] - co["rho"]*wy[i]
			for j, nm := range p.Names {
				e[i] -= co[nm] * p.X.At(i, j)
			}
		}
		var ch mat.Cholesky
		if !ch.Factorize(mat.NewSymDense(nt, sig.RawMatrix().Data)) {
			t.Fatalf("%s: Σ not positive definite", m)
		}
		ev := mat.NewVecDense(nt, e)
		var z mat.VecDense
		if err := ch.SolveVecTo(&z, ev); err != nil {
			t.Fatal(err)
		}
		ll := -0.5*float64(nt)*math.Log(2*math.Pi) - 0.5*ch.LogDet() - 0.5*mat.Dot(ev, &z)
		if m == SAR {
			eig, _ := w.Eigenvalues()
			for _, l := range eig {
				ll += float64(T) * math.Log(math.Abs(real(1-complex(co["rho"], 0)*l)))
			}
		}
		if math.Abs(ll-*res.LogLik) > 1e-8*math.Abs(ll) {
			t.Errorf("%s: log-likelihood %.10g, direct %.10g", m, *res.LogLik, ll)
		}
	}
}

func identity(n int) *mat.Dense {
	d := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		d.Set(i, i, 1)
	}
	return d
}

// TestSpatialHausman checks the spatial Hausman test: it does not reject
// when the individual effects are independent of X, it rejects when they
// are correlated with X, and it refuses mismatched models.
func TestSpatialHausman(t *testing.T) {
	w, _ := spatial.Lattice(20, 20, false)
	w, _ = w.Transform(spatial.RowStandardized)
	rng := rand.New(rand.NewPCG(4, 4))
	fit := func(p *SpatialPanel, eff string) *Result {
		r, err := FitSpatial(p, SpatialOptions{Model: SAR, Effects: eff, W: w, ImpactDraws: -1})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	p := simulate(rng, w, 8, SAR, simTruths[SAR], "individual")
	h, err := SpatialHausman(fit(p, "individual"), fit(p, "random"))
	if err != nil {
		t.Fatal(err)
	}
	if h.PValue < 0.01 || h.DF[0] != 2 {
		t.Errorf("independent effects: H = %.3f, df %v, p = %.4f", h.Statistic, h.DF, h.PValue)
	}
	// Effects correlated with x1: add 2·x̄1_i to y's right-hand side.
	q := simulate(rng, w, 10, SAR, simTruths[SAR], "individual")
	n, T := q.N, q.T
	xbar := make([]float64, n)
	for i := 0; i < n*T; i++ {
		xbar[i%n] += q.X.At(i, 0) / float64(T)
	}
	shift := make([]float64, n*T)
	for i := range shift {
		shift[i] = 2 * xbar[i%n]
	}
	shift, _ = solveIRW(w, simTruths[SAR].rho, shift, n, T)
	for i := range q.Y {
		q.Y[i] += shift[i]
	}
	fe, re := fit(q, "individual"), fit(q, "random")
	h, err = SpatialHausman(fe, re)
	if err != nil {
		t.Fatal(err)
	}
	if h.PValue > 0.01 {
		t.Errorf("correlated effects: H = %.3f, p = %.4g", h.Statistic, h.PValue)
	}
	if _, err := SpatialHausman(fit(q, "random"), fit(q, "individual")); err == nil {
		t.Error("swapped models accepted")
	}
}

// TestRandomEffectsNoIndividualVariance fits the random-effects models to
// panels without individual effects: φ̂ goes to splm's lower bound, the fit
// still succeeds with a message, and the slopes and ρ or λ are those of the
// pooled fit.
func TestRandomEffectsNoIndividualVariance(t *testing.T) {
	w, _ := spatial.Lattice(8, 8, false)
	w, _ = w.Transform(spatial.RowStandardized)
	for _, m := range []SpatialModel{SAR, SEM} {
		var res, pooled *Result
		for seed := uint64(1); seed < 20; seed++ {
			p := simulate(rand.New(rand.NewPCG(seed, 3)), w, 6, m, simTruths[m], "none")
			r, err := FitSpatial(p, SpatialOptions{Model: m, Effects: "random", W: w, ImpactDraws: -1})
			if err != nil {
				t.Fatalf("%s seed %d: %v", m, seed, err)
			}
			if r.Coefficients[len(r.Coefficients)-1].Estimate < 1e-6 {
				res = r
				if pooled, err = FitSpatial(p, SpatialOptions{Model: m, W: w, ImpactDraws: -1}); err != nil {
					t.Fatal(err)
				}
				break
			}
		}
		if res == nil {
			t.Fatalf("%s: no draw put φ̂ on its lower bound", m)
		}
		found := false
		for _, msg := range res.Messages {
			found = found || strings.Contains(msg, "lower bound")
		}
		if !found {
			t.Errorf("%s: no message about φ on its bound: %v", m, res.Messages)
		}
		for _, c := range res.Coefficients {
			if se := c.StdError; c.Name == "phi" && !math.IsNaN(se) || c.Name != "phi" && !(se > 0 && !math.IsInf(se, 0)) {
				t.Errorf("%s %s: standard error %g", m, c.Name, se)
			}
		}
		var js, txt strings.Builder
		if err := res.WriteJSON(&js); err != nil {
			t.Errorf("%s: JSON with φ on its bound: %v", m, err)
		}
		if err := res.WriteSummary(&txt); err != nil {
			t.Errorf("%s: summary: %v", m, err)
		}
		for i, c := range pooled.Coefficients {
			if g := res.Coefficients[i]; g.Name != c.Name || math.Abs(g.Estimate-c.Estimate) > 1e-4*math.Max(1, math.Abs(c.Estimate)) {
				t.Errorf("%s %s: random %.8g, pooled %.8g", m, c.Name, g.Estimate, c.Estimate)
			}
		}
	}
}
