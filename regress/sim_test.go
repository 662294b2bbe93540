package regress

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/mat"
)

// simTruth is the data-generating process of the simulations.
type simTruth struct {
	rho, lambda float64
	beta, theta []float64 // theta only for Durbin models
}

// simulate draws a balanced panel from model m with individual and time
// effects (μ_i ~ N(0,1), τ_t ~ N(0, 0.25)), regressors x ~ N(0,1) and
// ε ~ N(0,1): y_t = (I−ρW)⁻¹(X_tβ + WX_tθ + μ + τ_t 1 + (I−λW)⁻¹ε_t).
func simulate(rng *rand.Rand, w *spatial.Weights, t int, m SpatialModel, tr simTruth, effects string) *SpatialPanel {
	n := w.N()
	k := len(tr.beta)
	x := mat.NewDense(n*t, k, nil)
	for i := 0; i < n*t; i++ {
		for j := 0; j < k; j++ {
			x.Set(i, j, rng.NormFloat64())
		}
	}
	mu := make([]float64, n)
	for i := range mu {
		mu[i] = rng.NormFloat64()
	}
	tau := make([]float64, t)
	for s := range tau {
		tau[s] = 0.5 * rng.NormFloat64()
	}
	rhs := make([]float64, n*t)
	for j := 0; j < k; j++ {
		c := mat.Col(nil, j, x)
		wc := lagPanel(w, c, n, t)
		for i := range rhs {
			rhs[i] += tr.beta[j] * c[i]
			if m == SDM || m == SDEM || m == SLX {
				rhs[i] += tr.theta[j] * wc[i]
			}
		}
	}
	eps := make([]float64, n*t)
	for i := range eps {
		eps[i] = rng.NormFloat64()
	}
	if m == SEM || m == SDEM || m == SAC {
		eps, _ = solveIRW(w, tr.lambda, eps, n, t)
	}
	for i := range rhs {
		s := i / n
		switch effects {
		case "individual":
			rhs[i] += mu[i%n]
		case "time":
			rhs[i] += tau[s]
		case "twoways":
			rhs[i] += mu[i%n] + tau[s]
		case "none":
			rhs[i] += 1 // intercept 1
		}
		rhs[i] += eps[i]
	}
	y := rhs
	if m == SAR || m == SDM || m == SAC {
		y, _ = solveIRW(w, tr.rho, rhs, n, t)
	}
	names := make([]string, k)
	for j := range names {
		names[j] = fmt.Sprintf("x%d", j+1)
	}
	if effects == "none" {
		xi := mat.NewDense(n*t, k+1, nil)
		for i := 0; i < n*t; i++ {
			xi.Set(i, 0, 1)
			for j := 0; j < k; j++ {
				xi.Set(i, j+1, x.At(i, j))
			}
		}
		x = xi
		names = append([]string{"(Intercept)"}, names...)
	}
	return &SpatialPanel{Y: y, X: x, Names: names, N: n, T: t}
}

var simTruths = map[SpatialModel]simTruth{
	SAR:  {rho: 0.4, beta: []float64{1, -0.5}},
	SEM:  {lambda: 0.5, beta: []float64{1, -0.5}},
	SDM:  {rho: 0.3, beta: []float64{1, -0.5}, theta: []float64{0.5, 0.3}},
	SDEM: {lambda: 0.4, beta: []float64{1, -0.5}, theta: []float64{0.5, 0.3}},
	SLX:  {beta: []float64{1, -0.5}, theta: []float64{0.5, 0.3}},
	SAC:  {rho: 0.3, lambda: 0.4, beta: []float64{1, -0.5}},
}

// truthOf maps coefficient names to their true values.
func truthOf(tr simTruth) map[string]float64 {
	m := map[string]float64{}
	for j, b := range tr.beta {
		m[fmt.Sprintf("x%d", j+1)] = b
	}
	for j, th := range tr.theta {
		m[fmt.Sprintf("W*x%d", j+1)] = th
	}
	if tr.rho != 0 {
		m["rho"] = tr.rho
	}
	if tr.lambda != 0 {
		m["lambda"] = tr.lambda
	}
	return m
}

type mcStats struct {
	sum, sumSE float64
	cover, n   int
	ests       []float64
}

// monteCarlo fits model m to reps simulated panels and returns per
// coefficient the mean estimate, mean SE, sd of estimates and coverage of
// the 95% interval.
func monteCarlo(t *testing.T, m SpatialModel, side, periods, reps int, effects string, leeYu bool, seed uint64) map[string]*mcStats {
	w, err := spatial.Lattice(side, side, false)
	if err != nil {
		t.Fatal(err)
	}
	w, err = w.Transform(spatial.RowStandardized)
	if err != nil {
		t.Fatal(err)
	}
	vals, err := w.Eigenvalues()
	if err != nil {
		t.Fatal(err)
	}
	ld, err := spatial.EigenLogDetFromValues(vals)
	if err != nil {
		t.Fatal(err)
	}
	trc, err := NewExactTraces(w, vals)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed, seed))
	tr := simTruths[m]
	truth := truthOf(tr)
	simEffects := effects
	if effects == "random" {
		// Individual effects independent of X with variance 1 = σ²: φ = 1.
		simEffects = "individual"
		truth["phi"] = 1
	}
	out := map[string]*mcStats{}
	for name := range truth {
		out[name] = &mcStats{}
	}
	for r := 0; r < reps; r++ {
		p := simulate(rng, w, periods, m, tr, simEffects)
		res, err := FitSpatial(p, SpatialOptions{Model: m, Effects: effects, W: w, LogDet: ld, Traces: trc, ImpactDraws: -1, NoLeeYu: !leeYu})
		if err != nil {
			t.Fatalf("%s rep %d: %v", m, r, err)
		}
		for _, c := range res.Coefficients {
			s, ok := out[c.Name]
			if !ok {
				continue
			}
			s.sum += c.Estimate
			s.sumSE += c.StdError
			s.ests = append(s.ests, c.Estimate)
			s.n++
			if math.Abs(c.Estimate-truth[c.Name]) <= 1.959964*c.StdError {
				s.cover++
			}
		}
	}
	return out
}

func sdOf(v []float64) float64 {
	var m, s float64
	for _, x := range v {
		m += x
	}
	m /= float64(len(v))
	for _, x := range v {
		s += (x - m) * (x - m)
	}
	return math.Sqrt(s / float64(len(v)-1))
}

// TestMonteCarloFast is the small default version of the Monte Carlo: 40
// panels of a 10×10 rook lattice, T = 5, two-way effects (the default
// Lee–Yu transformation; SAC uncorrected). The mean
// estimate must be within 4 Monte Carlo standard errors of the truth and
// the mean asymptotic SE within 25% of the sd of the estimates.
func TestMonteCarloFast(t *testing.T) {
	for _, m := range []SpatialModel{SAR, SEM, SDM, SDEM, SLX, SAC} {
		t.Run(string(m), func(t *testing.T) {
			st := monteCarlo(t, m, 10, 5, 40, "twoways", true, 7)
			truth := truthOf(simTruths[m])
			for name, s := range st {
				mean := s.sum / float64(s.n)
				sd := sdOf(s.ests)
				se := s.sumSE / float64(s.n)
				if math.Abs(mean-truth[name]) > 4*sd/math.Sqrt(float64(s.n)) {
					t.Errorf("%s: mean %.4f, truth %.4f (sd %.4f)", name, mean, truth[name], sd)
				}
				if math.Abs(se-sd) > 0.25*sd {
					t.Errorf("%s: mean SE %.4f, sd of estimates %.4f", name, se, sd)
				}
			}
		})
	}
}

// TestMonteCarloSlow is the full Monte Carlo of the issue (AGGLO_SLOW=1):
// 500 panels of a 20×20 rook lattice (N = 400), T = 10, each model, with
// individual fixed effects and the default Lee–Yu correction (without it
// the ML σ² of a fixed-effects model is biased by (T−1)/T, the SEs are ~5%
// too small and coverage falls to 92–93%: set AGGLO_MC_LEEYU=0 to see it;
// AGGLO_MC_EFFECTS=twoways for two-way effects; AGGLO_MC_EFFECTS=random fits SAR, SEM, SDM and SDEM with
// random effects to panels whose effects are independent of X, φ = 1);
// mean recovery within the SEs and 95% coverage in 93–97%.
func TestMonteCarloSlow(t *testing.T) {
	if os.Getenv("AGGLO_SLOW") == "" {
		t.Skip("set AGGLO_SLOW=1 for the 500-draw Monte Carlo")
	}
	effects := "individual"
	if e := os.Getenv("AGGLO_MC_EFFECTS"); e != "" {
		effects = e
	}
	leeYu := os.Getenv("AGGLO_MC_LEEYU") != "0"
	models := []SpatialModel{SAR, SEM, SDM, SDEM, SLX, SAC}
	if effects == "random" {
		leeYu = false
		models = []SpatialModel{SAR, SEM, SDM, SDEM}
	}
	for _, m := range models {
		t.Run(string(m), func(t *testing.T) {
			st := monteCarlo(t, m, 20, 10, 500, effects, leeYu, 11)
			truth := truthOf(simTruths[m])
			if effects == "random" {
				truth["phi"] = 1
			}
			for name, s := range st {
				mean := s.sum / float64(s.n)
				sd := sdOf(s.ests)
				se := s.sumSE / float64(s.n)
				cov := float64(s.cover) / float64(s.n)
				t.Logf("%s %-7s truth %7.4f mean %7.4f sd %.4f meanSE %.4f coverage %.3f", m, name, truth[name], mean, sd, se, cov)
				if math.Abs(mean-truth[name]) > se {
					t.Errorf("%s: mean %.4f not within one SE %.4f of truth %.4f", name, mean, se, truth[name])
				}
				if cov < 0.93 || cov > 0.97 {
					t.Errorf("%s: coverage %.3f outside [0.93, 0.97]", name, cov)
				}
			}
		})
	}
}
