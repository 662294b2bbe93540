package spatial

import (
	"math"
	"math/rand/v2"
)

// MCLogDet is the Monte Carlo log-determinant of Barry and Pace (1999,
// Linear Algebra and its Applications 289:41–54): the power series
//
//	ln|I − ρW| = −sum_{k≥1} ρ^k tr(W^k)/k
//
// truncated at K terms, with tr(W^k) exact for k up to the order of
// PowerMoments within MomentsBudget (at least 4) and estimated beyond by
// u'W^k u over seeded Rademacher probes u (one sparse product per power and
// probe). The truncation error is at most
//
//	N (|ρ|R)^{K+1} / ((K+1)(1 − |ρ|R))
//
// with R ≥ the spectral radius of W (‖W‖∞ = 1 for row-standardised W): the
// method is cheap and accurate for moderate ρ, poor near the interval ends.
type MCLogDet struct {
	n      float64
	k      int
	exact  []float64   // exact tr(W^k), k = 0 … len−1
	probes [][]float64 // per probe: u'W^k u, k = 1..K (index k−1)
	radius float64
	lo, hi float64
	bound  float64
}

var _ LogDeterminant = (*MCLogDet)(nil)

// NewMCLogDet sets up the Monte Carlo log-determinant with opts.Order
// powers (default 50) and opts.Probes seeded probes (default DefaultProbes(N)).
func NewMCLogDet(w *Weights, opts LogDetOptions) (*MCLogDet, error) {
	a, b, _, _, err := spectrumBounds(w, opts, false)
	if err != nil {
		return nil, err
	}
	k := opts.Order
	if k <= 0 {
		k = 50
	}
	n := w.N()
	e := &MCLogDet{n: float64(n), k: k, exact: w.exactTraces(opts.Moments, opts.Workers), radius: math.Max(-a, b), lo: 1 / a, hi: 1 / b}
	mul := NewMultiplier(w, opts.Workers)
	rng := rand.New(rand.NewPCG(opts.Seed, opts.Seed))
	u := make([]float64, n)
	cur, nxt := make([]float64, n), make([]float64, n)
	for range opts.probes(n) {
		rademacher(rng, u)
		tr := make([]float64, k)
		copy(cur, u)
		for j := 0; j < k; j++ {
			mul.Lag(nxt, cur)
			tr[j] = dot(u, nxt)
			cur, nxt = nxt, cur
		}
		e.probes = append(e.probes, tr)
	}
	for _, rho := range errorGrid(e.lo, e.hi) {
		_, se := e.estimate(rho)
		e.bound = math.Max(e.bound, 2*se+e.Truncation(rho))
	}
	return e, nil
}

// Truncation returns the bound on the error of truncating the series at K
// terms.
func (e *MCLogDet) Truncation(rho float64) float64 {
	x := math.Abs(rho) * e.radius
	if x >= 1 {
		return math.Inf(1)
	}
	return e.n * math.Pow(x, float64(e.k+1)) / (float64(e.k+1) * (1 - x))
}

func (e *MCLogDet) estimate(rho float64) (est, se float64) {
	ke := min(len(e.exact)-1, e.k) // exact up to ke
	per := make([]float64, len(e.probes))
	for p, tr := range e.probes {
		var s float64
		pw := math.Pow(rho, float64(ke))
		for j := ke + 1; j <= e.k; j++ {
			pw *= rho
			s -= pw * tr[j-1] / float64(j)
		}
		per[p] = s
	}
	mean, se := meanSE(per)
	pw := 1.0
	for j := 1; j <= ke; j++ {
		pw *= rho
		mean -= pw * e.exact[j] / float64(j)
	}
	return mean, se
}

// LogDet returns the Monte Carlo estimate of ln|I − ρW|.
func (e *MCLogDet) LogDet(rho float64) float64 {
	est, _ := e.estimate(rho)
	return est
}

// StdErr returns the probes' standard error of LogDet(rho) (truncation
// error not included).
func (e *MCLogDet) StdErr(rho float64) float64 {
	_, se := e.estimate(rho)
	return se
}

// Traces returns the estimates of tr(W^k), k = 1..K (exact for the low
// orders).
func (e *MCLogDet) Traces() []float64 {
	out := make([]float64, e.k)
	for _, tr := range e.probes {
		for j := range out {
			out[j] += tr[j] / float64(len(e.probes))
		}
	}
	for j := 0; j+1 < len(e.exact) && j < e.k; j++ {
		out[j] = e.exact[j+1]
	}
	return out
}

// Interval returns (1/λ_min, 1/λ_max) from guaranteed bounds on the
// spectrum (see SLQLogDet.Interval).
func (e *MCLogDet) Interval() (lo, hi float64) { return e.lo, e.hi }

// Method returns "mc".
func (e *MCLogDet) Method() string { return "mc" }

// ErrorBound returns the largest, over the central 95% of the interval, of
// the truncation bound plus twice the probes' standard error.
func (e *MCLogDet) ErrorBound() float64 { return e.bound }
