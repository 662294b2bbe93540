package spatial

import (
	"errors"
	"math"
	"math/rand/v2"
)

// SLQLogDet estimates ln|I − ρW| by stochastic Lanczos quadrature (Ubaru,
// Chen and Saad 2017, SIAM J. Matrix Anal. Appl. 38:1075–1099) on the
// symmetric matrix S = D^{1/2} W D^{-1/2} similar to W, so it needs W
// diagonally similar to a symmetric matrix (row-standardised symmetric
// contiguity qualifies; k-nearest-neighbour weights do not).
//
// The exact low-order part (tr S^k = tr W^k for k ≤ K, the order of
// PowerMoments within MomentsBudget, at least 4) is split off and only the
// remainder is estimated, which removes most of the variance:
//
//	ln|I − ρS| = −sum_{k=1}^{K} ρ^k tr(S^k)/k + tr g_ρ(S),  g_ρ(x) = ln(1 − ρx) + sum_{k=1}^{K} (ρx)^k/k
//	tr g_ρ(S) ≈ (N/p) sum_probes sum_k τ_k² g_ρ(θ_k)
//
// with p Rademacher probes u (‖u‖² = N) and, for each, the Ritz values θ_k
// and squared first components τ_k² of the eigenvectors of the m-step
// Lanczos tridiagonal matrix started at u: the m-point Gauss quadrature of
// u'g(S)u. The nodes do not depend on ρ, so after set-up (p·m sparse
// products) each LogDet costs O(p·m).
type SLQLogDet struct {
	n        float64
	exact    []float64   // exact tr(W^k), k = 0 … K
	nodes    [][]float64 // per probe: Ritz values
	weights  [][]float64 // per probe: τ_k²
	nodesC   [][]float64 // per probe: Ritz values of the shorter run (quadrature check)
	weightsC [][]float64
	lo, hi   float64
	bound    float64
}

var _ LogDeterminant = (*SLQLogDet)(nil)

// NewSLQLogDet sets up the stochastic Lanczos quadrature of ln|I − ρW| with
// opts.Probes probes (default DefaultProbes(N)) of opts.Order Lanczos steps (default 50),
// seeded by opts.Seed. It returns an error when W is not symmetric similar.
func NewSLQLogDet(w *Weights, opts LogDetOptions) (*SLQLogDet, error) {
	a, b, s, _, err := spectrumBounds(w, opts, false)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return nil, errors.New("spatial: slq log-determinant needs weights similar to a symmetric matrix; use chebyshev, mc or cholesky")
	}
	m := opts.Order
	if m <= 0 {
		m = 50
	}
	n := w.N()
	if m > n {
		m = n
	}
	p := opts.probes(n)
	e := &SLQLogDet{n: float64(n), exact: w.exactTraces(opts.Moments, opts.Workers), lo: 1 / a, hi: 1 / b}
	mul := NewMultiplier(s, opts.Workers)
	rng := rand.New(rand.NewPCG(opts.Seed, opts.Seed))
	u := make([]float64, n)
	mc := m * 3 / 4
	for range p {
		rademacher(rng, u)
		alpha, beta, _ := lanczos(mul.Lag, u, m)
		theta, first, _, err := tridiagEigen(alpha, beta)
		if err != nil {
			return nil, err
		}
		e.nodes = append(e.nodes, theta)
		e.weights = append(e.weights, squares(first))
		k := min(mc, len(alpha))
		thetaC, firstC, _, err := tridiagEigen(alpha[:k], beta[:k-1])
		if err != nil {
			return nil, err
		}
		e.nodesC = append(e.nodesC, thetaC)
		e.weightsC = append(e.weightsC, squares(firstC))
	}
	for _, rho := range errorGrid(e.lo, e.hi) {
		est, se := e.estimate(rho, e.nodes, e.weights)
		estC, _ := e.estimate(rho, e.nodesC, e.weightsC)
		e.bound = math.Max(e.bound, 2*se+math.Abs(est-estC))
	}
	return e, nil
}

func squares(x []float64) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = v * v
	}
	return out
}

// estimate returns the SLQ estimate of ln|I − ρW| and its standard error
// over the probes.
func (e *SLQLogDet) estimate(rho float64, nodes, weights [][]float64) (est, se float64) {
	per := make([]float64, len(nodes))
	for j, th := range nodes {
		var q float64
		for k, x := range th {
			rx := rho * x
			g := math.Log(1 - rx)
			pw := 1.0
			for l := 1; l < len(e.exact); l++ {
				pw *= rx
				g += pw / float64(l)
			}
			q += weights[j][k] * g
		}
		per[j] = e.n * q
	}
	mean, se := meanSE(per)
	pw := 1.0
	for j := 1; j < len(e.exact); j++ {
		pw *= rho
		mean -= pw * e.exact[j] / float64(j)
	}
	return mean, se
}

// LogDet returns the estimate of ln|I − ρW|.
func (e *SLQLogDet) LogDet(rho float64) float64 {
	est, _ := e.estimate(rho, e.nodes, e.weights)
	return est
}

// StdErr returns the Monte Carlo standard error of LogDet(rho) over the
// probes.
func (e *SLQLogDet) StdErr(rho float64) float64 {
	_, se := e.estimate(rho, e.nodes, e.weights)
	return se
}

// Interval returns (1/λ_min, 1/λ_max) from guaranteed bounds on the
// extreme eigenvalues (norm bounds tightened by inertia checks up to
// N = AutoCholeskyMaxN; see the package documentation).
func (e *SLQLogDet) Interval() (lo, hi float64) { return e.lo, e.hi }

// Method returns "slq".
func (e *SLQLogDet) Method() string { return "slq" }

// ErrorBound returns the largest, over ρ in the central 95% of the
// interval, of twice the probes' standard error plus the change of the
// estimate between 3m/4 and m Lanczos steps (the quadrature error
// estimate). It is a statistical bound (about 95%), not a guarantee.
func (e *SLQLogDet) ErrorBound() float64 { return e.bound }
