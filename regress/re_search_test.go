package regress

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/mat"
)

// reGrid fits p with random effects (opt.Model SAR, SDM, SEM or SDEM) and
// evaluates the concentrated −ℓ (β and σ² out) on a pts × pts grid over
// θ = 1/sqrt(Tφ + 1) in splm's φ bounds and ρ or λ inside the feasible
// interval, ends included. It returns the fit's log-likelihood, the
// grid's largest and where (θ, ρ or λ) it is.
func reGrid(t *testing.T, p *SpatialPanel, opt SpatialOptions, pts int) (fit, grid, thAt, spAt float64) {
	t.Helper()
	opt.Effects = "random"
	opt.ImpactDraws = -1
	res, err := FitSpatial(p, opt)
	if err != nil {
		t.Fatalf("%s: %v", opt.Model, err)
	}
	fit = *res.LogLik
	if err := precomputeSpatial(&opt); err != nil {
		t.Fatal(err)
	}
	d, err := prepare(p, &opt, "none")
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := searchInterval(opt.LogDet)
	thLo, thHi := thetaOfPhi(phiMax, d.t), thetaOfPhi(phiMin, d.t)
	// Evenly spaced points, and points 10⁻² … 10⁻⁷ of the interval from
	// each end, where a maximum squeezed against a bound would hide.
	pointsIn := func(a, b float64) []float64 {
		var xs []float64
		for i := 1; i < pts-1; i++ {
			xs = append(xs, a+(b-a)*float64(i)/float64(pts-1))
		}
		for k := 2; k <= 7; k++ {
			h := (b - a) * math.Pow(10, -float64(k))
			xs = append(xs, a+h, b-h)
		}
		return xs
	}
	grid = math.Inf(-1)
	lag := opt.Model == SAR || opt.Model == SDM
	prof := lagREProfile(d, opt.LogDet)
	e := newErrorRE(d, &opt)
	ths := append(pointsIn(thLo, thHi), thLo, thHi)
	for _, sp := range pointsIn(lo, hi) {
		var st *errLamState
		if !lag {
			if st, err = e.state(sp); err != nil {
				t.Fatal(err)
			}
		}
		for _, th := range ths {
			var f float64
			if lag {
				g, c, ok := prof(th)
				if !ok {
					continue
				}
				f = g(sp) + c
			} else {
				_, _, f, _, _ = e.gls(st, th)
			}
			if -f > grid {
				grid, thAt, spAt = -f, th, sp
			}
		}
	}
	return fit, grid, thAt, spAt
}

// reSim draws a panel for the random-effects models on w: y = ρWy + 1 +
// Xβ + WXθ (Durbin models) + (I−ρW)⁻¹μ + u, u = (I−λW)⁻¹ε, with x, ε ~
// N(0, 1) and μ_i ~ N(0, smu²), β = (1, −0.5), θ = (0.5, 0.3). With
// noInt X has no intercept column and y is shifted by 2: a level that
// only a unit root of I − λW can absorb.
func reSim(rng *rand.Rand, w *spatial.Weights, t int, m SpatialModel, sp, smu float64, noInt bool) *SpatialPanel {
	n := w.N()
	tr := simTruth{beta: []float64{1, -0.5}, theta: []float64{0.5, 0.3}}
	lag := m == SAR || m == SDM
	if lag {
		tr.rho = sp
	} else {
		tr.lambda = sp
	}
	p := simulate(rng, w, t, m, tr, "none")
	add := make([]float64, n*t)
	mu := make([]float64, n)
	for i := range mu {
		mu[i] = smu * rng.NormFloat64()
	}
	for i := range add {
		add[i] = mu[i%n]
	}
	if lag {
		add, _ = solveIRW(w, sp, add, n, t)
	}
	for i := range add {
		p.Y[i] += add[i]
	}
	if noInt {
		var x mat.Dense
		x.CloneFrom(p.X.Slice(0, n*t, 1, p.X.RawMatrix().Cols))
		p.X = &x
		p.Names = p.Names[1:]
		for i := range p.Y {
			p.Y[i] += 2
		}
	}
	return p
}

// TestRESearchMatchesGrid checks on simulated panels (7×7 rook lattice,
// T = 5) that the random-effects fits of SAR, SDM, SEM and SDEM maximise
// the likelihood over a 41 × 41 grid in (θ, ρ or λ) with points near the
// bounds (reGrid): no grid point is higher than the estimate. The draws
// include no individual variance (φ on its lower bound), a large one,
// negative spatial parameters, and data without an intercept, whose SEM
// and SDEM likelihoods have a second maximum near λ = 1: a Brent search
// over the whole interval of λ stopped 35–50 log-likelihood units below it
// (7×7 lattice, λ = 0.3, σ_μ ≤ 0.05).
func TestRESearchMatchesGrid(t *testing.T) {
	w := rookW(t, 7)
	rng := rand.New(rand.NewPCG(7, 11))
	cases := []struct {
		sp, smu float64
		noInt   bool
	}{{0.3, 0, true}, {0.3, 0.05, true}, {-0.6, 5, false}, {0.8, 1, false}}
	for _, m := range []SpatialModel{SAR, SDM, SEM, SDEM} {
		for _, c := range cases {
			p := reSim(rng, w, 5, m, c.sp, c.smu, c.noInt)
			fit, grid, th, sp := reGrid(t, p, SpatialOptions{Model: m, W: w}, 41)
			if !(fit >= grid-1e-8) {
				t.Errorf("%s %+v: ℓ = %.6f at the estimate, %.6f on the grid at θ = %.4f, spatial parameter %.6f", m, c, fit, grid, th, sp)
			}
		}
	}
}
