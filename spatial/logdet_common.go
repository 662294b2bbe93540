package spatial

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// LogDetOptions configures the large-N log-determinants. The zero value
// means the defaults given for each field.
type LogDetOptions struct {
	// Probes is the number of random probe vectors of the stochastic
	// methods (chebyshev, mc, slq). The default is DefaultProbes(N): 30 up
	// to N = 10,000, then 30·sqrt(10,000/N), at least 8 — the relative
	// error of a Hutchinson estimate of a trace of order N falls as
	// 1/sqrt(N·probes), so large N needs fewer probes for the same accuracy.
	Probes int
	// Order is the Chebyshev order (default: the smallest order whose
	// polynomial error on the spectrum is below 1e-8 for ρ at 95% of the
	// interval ends), the number of Monte Carlo powers (default 50) or
	// the number of Lanczos steps of SLQ (default 50).
	Order int
	// Seed seeds the probe vectors (math/rand/v2 PCG); the same seed gives
	// the same estimates.
	Seed uint64
	// Workers is the number of goroutines of the sparse products
	// (default runtime.GOMAXPROCS(0)).
	Workers int
	// LanczosSteps is the number of Lanczos steps used to bound the
	// extreme eigenvalues of the symmetric similar matrix (default
	// DefaultLanczosSteps).
	LanczosSteps int
	// Moments are exact power moments of W to reuse (nil: the stochastic
	// methods compute them within MomentsBudget).
	Moments *PowerMoments
}

func (o LogDetOptions) probes(n int) int {
	if o.Probes > 0 {
		return o.Probes
	}
	return DefaultProbes(n)
}

// DefaultProbes returns the default number of probe vectors for N regions:
// 30 up to N = 10,000, then 30·sqrt(10,000/N) rounded up, at least 8.
func DefaultProbes(n int) int {
	if n <= 10000 {
		return 30
	}
	return max(8, int(math.Ceil(30*math.Sqrt(10000/float64(n)))))
}

// exactLowTraces returns tr(W) and tr(W²) = sum_ij w_ij w_ji exactly.
func (w *Weights) exactLowTraces() (t1, t2 float64) {
	n := w.N()
	for i := 0; i < n; i++ {
		for k := w.rowPtr[i]; k < w.rowPtr[i+1]; k++ {
			j := w.colIdx[k]
			if j == i {
				t1 += w.vals[k]
			}
			if kk, ok := w.find(j, i); ok {
				t2 += w.vals[k] * w.vals[kk]
			}
		}
	}
	return t1, t2
}

// rademacher fills v with independent ±1 entries.
func rademacher(rng *rand.Rand, v []float64) {
	for i := 0; i < len(v); i += 64 {
		bits := rng.Uint64()
		for j := i; j < i+64 && j < len(v); j++ {
			if bits&1 == 1 {
				v[j] = 1
			} else {
				v[j] = -1
			}
			bits >>= 1
		}
	}
}

// rademacherBits fills v with ±1 from bits as rademacher does from the
// generator's successive Uint64 values (bit set: +1).
func rademacherBits(bits []uint64, v []float64) {
	for i := 0; i < len(v); i += 64 {
		b := bits[i/64]
		for j := i; j < i+64 && j < len(v); j++ {
			if b&1 == 1 {
				v[j] = 1
			} else {
				v[j] = -1
			}
			b >>= 1
		}
	}
}

func dot(a, b []float64) float64 {
	var s float64
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

// lanczos runs m steps of the symmetric Lanczos process on the operator mul
// from the start vector v (normalised internally, not modified) and returns
// the diagonal alpha and off-diagonal beta of the tridiagonal matrix
// (len(beta) = len(alpha)−1), and the final residual norm. It stops early on
// an invariant subspace. No reorthogonalisation is done: Gauss quadrature
// from the tridiagonal matrix stays accurate without it (Knizhnerman 1996;
// Ubaru, Chen and Saad 2017).
func lanczos(mul func(dst, x []float64), v []float64, m int) (alpha, beta []float64, resid float64) {
	n := len(v)
	q := make([]float64, n)
	qPrev := make([]float64, n)
	z := make([]float64, n)
	nv := math.Sqrt(dot(v, v))
	for i := range v {
		q[i] = v[i] / nv
	}
	var b float64
	for j := 0; j < m; j++ {
		mul(z, q)
		a := dot(q, z)
		for i := range z {
			z[i] -= a*q[i] + b*qPrev[i]
		}
		alpha = append(alpha, a)
		b = math.Sqrt(dot(z, z))
		if j == m-1 || b <= 1e-12*math.Abs(a)+1e-300 {
			return alpha, beta, b
		}
		beta = append(beta, b)
		qPrev, q, z = q, z, qPrev
		for i := range q {
			q[i] /= b
		}
	}
	return alpha, beta, b
}

// tridiagEigen returns the eigenvalues θ_k of the symmetric tridiagonal
// matrix (alpha, beta) and the first and last components of its unit
// eigenvectors.
func tridiagEigen(alpha, beta []float64) (theta, first, last []float64, err error) {
	m := len(alpha)
	t := mat.NewSymDense(m, nil)
	for i := 0; i < m; i++ {
		t.SetSym(i, i, alpha[i])
		if i+1 < m {
			t.SetSym(i, i+1, beta[i])
		}
	}
	var es mat.EigenSym
	if !es.Factorize(t, true) {
		return nil, nil, nil, errors.New("spatial: tridiagonal eigendecomposition failed")
	}
	theta = es.Values(nil)
	var vec mat.Dense
	es.VectorsTo(&vec)
	first = make([]float64, m)
	last = make([]float64, m)
	for k := 0; k < m; k++ {
		first[k] = vec.At(0, k)
		last[k] = vec.At(m-1, k)
	}
	return theta, first, last, nil
}

// DefaultLanczosSteps is the default number of Lanczos steps behind the
// bounds on the extreme eigenvalues (LogDetOptions.LanczosSteps). A step
// is one sparse product and the extreme Ritz pair costs O(steps)
// (extremeRitz), while every inertia check that a loose Ritz value leaves
// to certify costs a Cholesky factorisation: at 200 steps the checks fell
// from 12–15 to 5 on queen and symmetrised 5-nearest-neighbour weights
// with N = 1,600, and from 8 (the cap) to 5 with a tighter bound at
// N = 10,000.
const DefaultLanczosSteps = 200

// inertiaMaxN is the largest N for which the stochastic methods tighten
// the norm bounds on the spectrum by sparse inertia checks (a numeric
// Cholesky factorisation each, O(N^{3/2}) on planar contiguity: seconds at
// N = 20,000); beyond it they use the guaranteed norm bounds as they are.
// The cholesky method always checks: a check costs what one of its
// log-determinants costs.
const inertiaMaxN = AutoCholeskyMaxN

// inertiaChecks returns the number of factorisations spent on each end of
// the spectrum: enough to certify within 1e-7·‖W‖∞ up to N = 5,000, eight
// (within about 1e-5) beyond.
func inertiaChecks(n int) int {
	if n <= 5000 {
		return 40
	}
	return 8
}

// spectrumBounds returns a guaranteed enclosure [a, b] of the real parts of
// the eigenvalues of W, with a < 0 < b, so that I − ρW is non-singular for
// every ρ in (1/a, 1/b); and the symmetric matrix S similar to W (nil when
// there is none), with the sparse Cholesky factoriser of I − ρS when it
// was built.
//
// The starting point is the norm bound: every eigenvalue has |λ| ≤ r =
// ‖W‖∞. Without a symmetric similar matrix that is the answer, [−r, r].
// With S = D^{1/2} W D^{-1/2} (non-negative: SymmetricSimilar refuses
// negative weights) the spectrum is real and
//
//   - when every row of W sums to r (row-standardised W), λmax = r exactly
//     (Perron–Frobenius: the constant vector is an eigenvector of the
//     spectral radius), so b = r;
//   - otherwise, and always for a, the candidate from Lanczos (extreme Ritz
//     value θ widened by its residual |β_m s_mk|, Parlett 1998, Theorem
//     11.4.2) is only an estimate: a Ritz value lies inside the spectrum,
//     so it is no bound. It is certified by Sylvester's law of inertia: the
//     Cholesky factorisation of I − S/c (c < 0 for a, c > 0 for b) runs to
//     completion exactly when every eigenvalue lies on the side of c that
//     keeps 1 − λ/c > 0. A failed candidate moves outward (geometric steps,
//     never past ±r, which needs no check); a certified one is tightened
//     by bisection towards θ. The certified value is widened by 1e-9·r for
//     the rounding of the factorisation (backward stable: Higham 2002,
//     Theorem 10.3).
//
// Unless certify is set, for N > inertiaMaxN no factorisation is made and
// the norm bounds are returned (with λmax = r for row-standardised W).
func spectrumBounds(w *Weights, opts LogDetOptions, certify bool) (a, b float64, s *Weights, f *CholeskyLogDet, err error) {
	r := w.MaxAbsRowSum()
	if r == 0 {
		return 0, 0, nil, nil, errors.New("spatial: weights have no non-zero entry")
	}
	s, ok := w.SymmetricSimilar()
	if !ok {
		return -r, r, nil, nil, nil
	}
	perron := w.constantRowSums(r)
	if !certify && w.N() > inertiaMaxN {
		return -r, r, s, nil, nil
	}
	if perron && w.hasBipartiteComponent() {
		// λmin = −r exactly: on a bipartite component (with an edge),
		// the vector ±1 by the two colours, 0 elsewhere, has Wv = −rv
		// (every row sums to r and every neighbour has the other colour),
		// and no eigenvalue is below −‖W‖∞. Both ends are exact: no
		// Lanczos, no inertia check (rook lattices, trees, grids).
		return -r, r, s, newCholesky(w, s), nil
	}
	steps := opts.LanczosSteps
	if steps <= 0 {
		steps = DefaultLanczosSteps
	}
	if steps > w.N() {
		steps = w.N()
	}
	rng := rand.New(rand.NewPCG(opts.Seed^0x9e3779b97f4a7c15, opts.Seed))
	v := make([]float64, w.N())
	for i := range v {
		v[i] = rng.NormFloat64()
	}
	mul := NewMultiplier(s, opts.Workers)
	alpha, beta, resid := lanczos(mul.Lag, v, steps)
	f = newCholesky(w, s)
	checks := inertiaChecks(w.N())
	// The extreme Ritz pairs: dense below 60 steps (all of them, O(m³)),
	// else by bisection and inverse iteration (O(m) each).
	ritz := func(lowest bool) (float64, float64) {
		if len(alpha) > 60 {
			return extremeRitz(alpha, beta, lowest)
		}
		theta, _, last, err := tridiagEigen(alpha, beta)
		if err != nil {
			return extremeRitz(alpha, beta, lowest)
		}
		if lowest {
			return theta[0], last[0]
		}
		return theta[len(theta)-1], last[len(theta)-1]
	}
	theta, last := ritz(true)
	a = certifyEnd(f, theta, math.Abs(resid*last), -r, checks)
	b = r
	if !perron {
		theta, last = ritz(false)
		b = certifyEnd(f, theta, math.Abs(resid*last), r, checks)
	}
	if !(a < 0) || !(b > 0) {
		return 0, 0, nil, nil, fmt.Errorf("spatial: spectrum of W within [%g, %g]: no bounded interval for ρ", a, b)
	}
	return a, b, s, f, nil
}

// certifyEnd returns a guaranteed bound on the extreme eigenvalue of S on
// the side of limit (−r for λmin, r for λmax), found from the Ritz value
// theta and its residual res by inertia checks of I − S/c with f (see
// spectrumBounds), with at most checks factorisations. The result lies
// between theta (exclusive) and limit.
func certifyEnd(f *CholeskyLogDet, theta, res, limit float64, checks int) float64 {
	r := math.Abs(limit)
	sgn := math.Copysign(1, limit)
	// pd(c): every eigenvalue lies strictly inside c (1 − λ/c > 0).
	pd := func(c float64) bool {
		checks--
		return f.positiveDefinite(1 / c)
	}
	if sgn*theta <= 0 {
		// The Ritz value is on the wrong side of 0 (a spectrum on one side
		// of 0 is rare but possible): start the search just past 0.
		theta = 0
	}
	step := math.Max(res, 1e-6*r)
	fail := theta // theta lies within the spectrum: pd fails there
	var ok float64
	for {
		c := theta + sgn*step
		if sgn*c >= r || checks == 0 {
			ok = limit // the norm bound needs no check
			break
		}
		if pd(c) {
			ok = c
			break
		}
		fail = c
		step *= 4
	}
	for checks > 0 {
		if math.Abs(ok-fail) <= 1e-7*r {
			break
		}
		mid := (ok + fail) / 2
		if pd(mid) {
			ok = mid
		} else {
			fail = mid
		}
	}
	if ok == limit {
		return limit
	}
	return ok + sgn*1e-9*r
}

// hasBipartiteComponent reports whether some connected component of W's
// graph with at least one link can be two-coloured so that every link
// joins the two colours (breadth-first search; a self-link is an odd
// cycle). It assumes a symmetric pattern (SymmetricSimilar).
func (w *Weights) hasBipartiteComponent() bool {
	n := w.N()
	colour := make([]int8, n) // 0 unseen, ±1
	queue := make([]int, 0, n)
	for s := 0; s < n; s++ {
		if colour[s] != 0 || w.rowPtr[s+1] == w.rowPtr[s] {
			continue
		}
		colour[s] = 1
		queue = append(queue[:0], s)
		bip := true
		for q := 0; q < len(queue); q++ {
			i := queue[q]
			for k := w.rowPtr[i]; k < w.rowPtr[i+1]; k++ {
				if w.vals[k] == 0 {
					continue
				}
				j := w.colIdx[k]
				switch colour[j] {
				case 0:
					colour[j] = -colour[i]
					queue = append(queue, j)
				case colour[i]:
					bip = false
				}
			}
		}
		if bip {
			return true
		}
	}
	return false
}

// constantRowSums reports whether W is non-negative and every row sums to
// r within rounding (1e-12 relative).
func (w *Weights) constantRowSums(r float64) bool {
	for i := 0; i < w.N(); i++ {
		var sum float64
		for k := w.rowPtr[i]; k < w.rowPtr[i+1]; k++ {
			if w.vals[k] < 0 {
				return false
			}
			sum += w.vals[k]
		}
		if math.Abs(sum-r) > 1e-12*r {
			return false
		}
	}
	return true
}

// errorGrid returns the values of ρ over which ErrorBound is taken: 41
// points on [0.95/a, 0.95/b], the central 95% of the interval.
func errorGrid(lo, hi float64) []float64 {
	out := make([]float64, 41)
	for i := range out {
		out[i] = 0.95 * (lo + (hi-lo)*float64(i)/40)
	}
	return out
}

// meanSE returns the mean of x and its standard error.
func meanSE(x []float64) (mean, se float64) {
	n := float64(len(x))
	for _, v := range x {
		mean += v
	}
	mean /= n
	if len(x) < 2 {
		return mean, math.Inf(1)
	}
	var ss float64
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(ss / (n - 1) / n)
}

// PowerTraces returns the exact traces tr(W), tr(W²), tr(W³) and tr(W⁴)
// from sparse products (O(N d²) for d neighbours per region):
//
//	tr(W²) = sum_ij w_ij w_ji
//	tr(W³) = sum_ik (W²)_ik w_ki
//	tr(W⁴) = sum_ik (W²)_ik (W²)_ki
//
// The stochastic log-determinants and traces estimate only the terms of
// higher order, which removes most of their variance.
func (w *Weights) PowerTraces() [4]float64 {
	return w.powerTraces(w.Transpose())
}

// powerTraces is PowerTraces with the transpose wt of w given.
func (w *Weights) powerTraces(wt *Weights) [4]float64 {
	n := w.N()
	t1, t2 := w.exactLowTraces()
	row := make([]float64, n) // row i of W²
	col := make([]float64, n) // column i of W² = row i of (Wᵀ)²
	mark := make([]int, n)
	for i := range mark {
		mark[i] = -1
	}
	var cols []int
	var t3, t4 float64
	for i := 0; i < n; i++ {
		cols = cols[:0]
		touch := func(j int) {
			if mark[j] != i {
				mark[j] = i
				row[j], col[j] = 0, 0
				cols = append(cols, j)
			}
		}
		for p := w.rowPtr[i]; p < w.rowPtr[i+1]; p++ {
			k, wik := w.colIdx[p], w.vals[p]
			for q := w.rowPtr[k]; q < w.rowPtr[k+1]; q++ {
				j := w.colIdx[q]
				touch(j)
				row[j] += wik * w.vals[q]
			}
		}
		for p := wt.rowPtr[i]; p < wt.rowPtr[i+1]; p++ {
			k, wki := wt.colIdx[p], wt.vals[p]
			for q := wt.rowPtr[k]; q < wt.rowPtr[k+1]; q++ {
				j := wt.colIdx[q]
				touch(j)
				col[j] += wki * wt.vals[q]
			}
		}
		for _, k := range cols {
			t4 += row[k] * col[k]
		}
		// tr(W³): (W³)_ii = sum_k (W²)_ik w_ki, with w_ki = (Wᵀ)_ik.
		for p := wt.rowPtr[i]; p < wt.rowPtr[i+1]; p++ {
			k := wt.colIdx[p]
			if mark[k] == i {
				t3 += row[k] * wt.vals[p]
			}
		}
	}
	return [4]float64{t1, t2, t3, t4}
}

// FrobeniusMoments returns the exact Frobenius products ‖W‖²_F = sum w_ij²,
// <W, W²>_F = sum_ij w_ij (W²)_ij and ‖W²‖²_F, the low-order terms of
// tr(W̃ᵀW̃) for W̃ = W(I − ρW)⁻¹ = W + ρW² + ρ²W³ + …
func (w *Weights) FrobeniusMoments() (f1, f2, f3 float64) {
	n := w.N()
	row := make([]float64, n)
	mark := make([]int, n)
	for i := range mark {
		mark[i] = -1
	}
	var cols []int
	for i := 0; i < n; i++ {
		cols = cols[:0]
		for p := w.rowPtr[i]; p < w.rowPtr[i+1]; p++ {
			k, wik := w.colIdx[p], w.vals[p]
			f1 += wik * wik
			for q := w.rowPtr[k]; q < w.rowPtr[k+1]; q++ {
				j := w.colIdx[q]
				if mark[j] != i {
					mark[j] = i
					row[j] = 0
					cols = append(cols, j)
				}
				row[j] += wik * w.vals[q]
			}
		}
		for _, j := range cols {
			f3 += row[j] * row[j]
		}
		for p := w.rowPtr[i]; p < w.rowPtr[i+1]; p++ {
			if j := w.colIdx[p]; mark[j] == i {
				f2 += w.vals[p] * row[j]
			}
		}
	}
	return f1, f2, f3
}
