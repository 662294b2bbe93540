package regress

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/agglo/agglo/spatial"
)

// StochasticTraces is the large-N Traces implementation: no eigenvalues,
// no dense matrix, only sparse products W·x (in parallel over row blocks).
// With t_k = tr(W^k) — exact for k ≤ K (spatial.Weights.PowerMoments, at
// least k ≤ 4 by spatial.Weights.PowerTraces) and Hutchinson estimates
// u'W^k u over seeded Rademacher probes u beyond (Hutchinson 1989; Barry
// and Pace 1999) — the traces are power series (LeSage and Pace 2009, ch. 4):
//
//	tr(W̃)          = sum_{k≥0} ρ^k t_{k+1}
//	tr(W̃²)         = sum_{k≥0} (k+1) ρ^k t_{k+2}
//	tr(GH)          = sum_{m≥0} t_{m+2} sum_{j=0}^{m} ρ^j λ^{m−j}
//	tr((I−ρW)⁻¹)/N  = sum_{k≥0} ρ^k t_k / N,   tr((I−ρW)⁻¹W)/N = sum_{k≥0} ρ^k t_{k+1} / N
//
// summed until |ρ|^k < 1e-12, and the Frobenius terms from the exact
// F_ab = <W^a, W^b>_F, a, b ≤ K, plus the probes' remainder, with
// z = W(I−ρW)⁻¹u (fixed-point iteration z ← Wu + ρWz) and its truncation
// z_K = sum_{a=1}^{K} ρ^{a−1} W^a u:
//
//	tr(W̃ᵀW̃) ≈ sum_{a,b≤K} ρ^{a+b−2} F_ab + mean_u (‖z‖² − ‖z_K‖²)
//	tr(GᵀH)   ≈ sum_{a,b≤K} ρ^{a−1} λ^{b−1} F_ab + mean_u (z_ρ·z_λ − z_{K,ρ}·z_{K,λ})
//
// The order K is the largest (up to spatial.MaxExactOrder) whose exact
// expansion fits spatial.MomentsBudget; the stochastic error then shrinks
// like |ρ|^K.
//
// The totals 1ᵀ(I−ρW)⁻¹1/N are exact: 1/(1−ρc) for a common row sum c, the
// power series of 1ᵀW^k1/N otherwise. The traces of W^k are extended on
// demand and cached; it is safe for concurrent use.
type StochasticTraces struct {
	w      *spatial.Weights
	mul    *spatial.Multiplier
	probes int
	seed   uint64
	exact  []float64   // exact t_k, k = 0 … len−1
	frob   [][]float64 // exact F_ab, a, b = 0 … order
	order  int
	rowSum float64
	// radius bounds the spectral radius of W: the series in ρ converge
	// at the rate |ρ|·radius (1 for row-standardised W; the largest
	// degree for binary contiguity, unless the log-determinant's
	// certified interval gives less, see LargeN).
	radius float64

	mu   sync.Mutex
	per  [][]float64 // per probe: u'W^k u, k = 1..len
	last [][]float64 // per probe: W^len u
	tr   []float64   // t_k, k = 0..: t_0 = N
	moms []float64   // 1ᵀW^k1/N
}

var _ Traces = (*StochasticTraces)(nil)

// ExactOrder returns the order K up to which the traces and Frobenius
// moments of W^k are exact.
func (s *StochasticTraces) ExactOrder() int { return s.order }

// NewStochasticTraces returns the stochastic traces of w with probes
// Rademacher probe vectors (spatial.DefaultProbes(N) when probes <= 0)
// seeded by seed, and the exact power moments pm of w (nil: computed
// within spatial.MomentsBudget).
func NewStochasticTraces(w *spatial.Weights, probes int, seed uint64, pm *spatial.PowerMoments) *StochasticTraces {
	if probes <= 0 {
		probes = spatial.DefaultProbes(w.N())
	}
	pm = w.DefaultPowerMoments(pm, 0)
	s := &StochasticTraces{w: w, mul: spatial.NewMultiplier(w, 0), probes: probes, seed: seed,
		exact: pm.Traces, frob: pm.Frobenius, order: pm.Order}
	rs := w.RowSums()
	s.rowSum = rs[0]
	for _, v := range rs {
		if math.Abs(v-s.rowSum) > 1e-12*math.Max(1, math.Abs(s.rowSum)) {
			s.rowSum = math.NaN()
			break
		}
	}
	s.tr = []float64{float64(w.N())}
	s.radius = w.MaxAbsRowSum()
	if math.Abs(s.radius-1) <= 1e-12 {
		s.radius = 1 // row-standardised
	}
	return s
}

// seriesLen returns the number of terms of the traces' power series at
// |ρ| ≤ a: seriesLen of a·radius, whose powers bound the terms' decay.
func (s *StochasticTraces) seriesLen(a float64) (int, error) {
	k, err := seriesLen(math.Abs(a) * s.radius)
	if err != nil {
		return 0, fmt.Errorf("regress: the large-N traces' power series need |ρ|·R < 1, with R = %.6g a bound on the spectral radius of W; ρ = %.6g: use --logdet eigen (N up to a few thousand) or row-standardised weights", s.radius, a)
	}
	return k, nil
}

// Probes returns the number of probe vectors and their seed.
func (s *StochasticTraces) Probes() (probes int, seed uint64) { return s.probes, s.seed }

// probe fills u with probe j (regenerated from the seed, not stored).
func (s *StochasticTraces) probe(j int, u []float64) {
	rng := rand.New(rand.NewPCG(s.seed, uint64(j)))
	for i := 0; i < len(u); i += 64 {
		bits := rng.Uint64()
		for k := i; k < i+64 && k < len(u); k++ {
			u[k] = float64(int(bits&1)*2 - 1)
			bits >>= 1
		}
	}
}

// traces returns t_0 … t_K, extending the probes' powers as needed.
func (s *StochasticTraces) traces(K int) []float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.tr) > K {
		return s.tr
	}
	n := s.w.N()
	have := len(s.tr) - 1
	if s.per == nil {
		s.per = make([][]float64, s.probes)
		s.last = make([][]float64, s.probes)
	}
	u := make([]float64, n)
	tmp := make([]float64, n)
	for j := 0; j < s.probes; j++ {
		s.probe(j, u)
		if s.last[j] == nil {
			s.last[j] = append([]float64(nil), u...)
		}
		for k := have + 1; k <= K; k++ {
			s.mul.Lag(tmp, s.last[j])
			s.last[j], tmp = tmp, s.last[j]
			s.per[j] = append(s.per[j], dot(u, s.last[j]))
		}
	}
	s.extendTraces(have, K)
	return s.tr
}

// extendTraces appends t_k, k = have+1 … K, to the cached traces: exact
// where the power moments reach, else the probes' mean of u·W^k u. The
// caller holds s.mu.
func (s *StochasticTraces) extendTraces(have, K int) {
	for k := have + 1; k <= K; k++ {
		if k < len(s.exact) {
			s.tr = append(s.tr, s.exact[k])
			continue
		}
		var m float64
		for j := range s.per {
			m += s.per[j][k-1]
		}
		s.tr = append(s.tr, m/float64(s.probes))
	}
}

// seriesLen returns the number of terms after which |ρ|^k(k+1) < 1e-12.
func seriesLen(rho float64) (int, error) {
	a := math.Abs(rho)
	if a >= 1 {
		return 0, fmt.Errorf("regress: power series of the traces need |ρ| < 1, got %g", rho)
	}
	k := 8
	for pw := math.Pow(a, 8); pw*float64(k+1) > 1e-12; pw *= a {
		k++
	}
	if k > 20000 {
		return 0, fmt.Errorf("regress: power series of the traces too long at ρ = %g", rho)
	}
	return k, nil
}

// probeScratch holds one probe's vectors, reused across probes.
type probeScratch struct {
	u, v, tmp []float64 // the probe, W^a u, and the next power
	zr, zl    []float64 // the partial sums of W(I−ρW)⁻¹u, W(I−λW)⁻¹u
	kr, kl    []float64 // their truncations z_K at the exact order K
	last      []float64 // W^need u, for the traces' cache
	dots      []float64 // u·W^a u, a = 1 … need
	lag       func(dst, x []float64)
}

func (s *StochasticTraces) scratch() *probeScratch {
	n := s.w.N()
	sc := &probeScratch{lag: s.mul.Lag}
	// (zl and kl are made by walk when λ ≠ ρ.)
	for _, v := range []*[]float64{&sc.u, &sc.v, &sc.tmp, &sc.zr, &sc.kr, &sc.last} {
		*v = make([]float64, n)
	}
	return sc
}

// walk runs probe j's powers v_a = W^a u, a = 1, 2, …, once for
// everything Moments and CrossMoments need of it: u·v_a for a = 1 … need
// (in sc.dots, with v_need in sc.last), and the partial sums
// z = sum_{a≥1} ρ^{a−1} v_a and z_λ alike, with their truncations z_K at
// the exact order K. The sums are those of the fixed-point iteration
// z ← Wu + ρWz started from z_K, and stop where it would: when the last
// term's norm is below 1e-13·‖Wu‖ (for ρ and λ, once a > K and a ≥
// need). It returns the remainder z_ρ·z_λ − z_{K,ρ}·z_{K,λ}.
func (s *StochasticTraces) walk(j int, sc *probeScratch, rho, lambda float64, need int) (float64, error) {
	s.probe(j, sc.u)
	copy(sc.v, sc.u)
	clear(sc.zr)
	clear(sc.kr)
	two := lambda != rho
	if two {
		if sc.zl == nil {
			sc.zl, sc.kl = make([]float64, len(sc.u)), make([]float64, len(sc.u))
		}
		clear(sc.zl)
		clear(sc.kl)
	}
	sc.dots = sc.dots[:0]
	var tol float64
	pr, pl := 1.0, 1.0
	for a := 1; ; a++ {
		sc.lag(sc.tmp, sc.v)
		sc.v, sc.tmp = sc.tmp, sc.v
		var tr, tl, uv float64 // squared norms of the terms added, u·v_a
		u := sc.u[:len(sc.v)]
		if two {
			zr, zl := sc.zr[:len(sc.v)], sc.zl[:len(sc.v)]
			for i, x := range sc.v {
				dr, dl := pr*x, pl*x
				zr[i] += dr
				zl[i] += dl
				tr += dr * dr
				tl += dl * dl
				uv += u[i] * x
			}
		} else {
			zr := sc.zr[:len(sc.v)]
			for i, x := range sc.v {
				dr := pr * x
				zr[i] += dr
				tr += dr * dr
				uv += u[i] * x
			}
		}
		if a <= need {
			sc.dots = append(sc.dots, uv)
			if a == need {
				copy(sc.last, sc.v)
			}
		}
		if a == 1 {
			tol = 1e-13 * math.Max(math.Sqrt(tr), 1e-300) // pr = 1: tr = ‖Wu‖²
		}
		if a == s.order {
			copy(sc.kr, sc.zr)
			if two {
				copy(sc.kl, sc.zl)
			}
		}
		pr *= rho
		pl *= lambda
		if math.IsNaN(tr+tl) || math.IsInf(tr+tl, 0) || a > 20000+s.order+need {
			at := rho
			if two && math.Sqrt(tr) <= tol {
				at = lambda
			}
			return 0, fmt.Errorf("regress: (I − ρW)z = Wu did not converge at ρ = %g", at)
		}
		if a > s.order && a >= need && math.Sqrt(tr) <= tol && math.Sqrt(tl) <= tol {
			break
		}
	}
	if !two {
		return dot(sc.zr, sc.zr) - dot(sc.kr, sc.kr), nil
	}
	return dot(sc.zr, sc.zl) - dot(sc.kr, sc.kl), nil
}

// probeTraces walks every probe at ρ and λ (walk) and returns the mean
// remainder; the probes' u·W^a u, a ≤ need, extend the cached traces
// when they are shorter (the same products traces would compute).
func (s *StochasticTraces) probeTraces(rho, lambda float64, need int) (float64, error) {
	return s.probeTracesBy(rho, lambda, need, blockProbes(s.w.N(), s.probes))
}

// probeTracesBy is probeTraces with the probes walked b at a time when
// λ = ρ (probeTracesBlock; b = 1: one by one).
func (s *StochasticTraces) probeTracesBy(rho, lambda float64, need, b int) (float64, error) {
	s.mu.Lock()
	short := len(s.tr) <= need
	s.mu.Unlock()
	if !short {
		need = 0
	}
	var dots, lasts [][]float64
	if short {
		dots, lasts = make([][]float64, s.probes), make([][]float64, s.probes)
	}
	// Below 2¹⁴ regions (or on one core) the probes walk in blocks that
	// share one pass over W per step; above, each probe walks on its own
	// core. Both give the numbers of one probe after another, bit for bit.
	if lambda == rho && b > 1 && (s.w.N() < 1<<14 || runtime.GOMAXPROCS(0) == 1) {
		return s.probeTracesBlock(rho, need, b, short, dots, lasts)
	}
	// The probes in parallel, each with its own scratch and serial
	// products (W·x row by row, as the Multiplier sums them), the mean
	// in probe order: the same numbers as one probe after another.
	rem := make([]float64, s.probes)
	errs := make([]error, s.probes)
	workers := min(runtime.GOMAXPROCS(0), s.probes)
	if s.w.N() < 1<<14 {
		workers = 1
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for g := range workers {
		sc := s.scratch()
		if workers > 1 {
			sc.lag = s.w.LagTo
		}
		run := func() {
			for {
				j := int(next.Add(1) - 1)
				if j >= s.probes {
					return
				}
				rem[j], errs[j] = s.walk(j, sc, rho, lambda, need)
				if errs[j] == nil && short {
					dots[j] = slices.Clone(sc.dots)
					lasts[j] = sc.last
					sc.last = make([]float64, len(sc.last))
				}
			}
		}
		if g == workers-1 {
			run()
		} else {
			wg.Go(run)
		}
	}
	wg.Wait()
	var m float64
	for j, r := range rem {
		if errs[j] != nil {
			return 0, errs[j]
		}
		m += r
	}
	if short {
		s.adopt(need, dots, lasts)
	}
	return m / float64(s.probes), nil
}

// adopt extends the cached traces to t_0 … t_K from the probes' u·W^a u,
// a = 1 … K (dots[j]) and W^K u (lasts[j]), unless they already reach K.
func (s *StochasticTraces) adopt(K int, dots, lasts [][]float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	have := len(s.tr) - 1
	if have >= K {
		return
	}
	s.per, s.last = dots, lasts
	s.extendTraces(have, K)
}

// frobSeries returns sum_{a,b=1}^{K} ρ^{a−1} λ^{b−1} F_ab.
func (s *StochasticTraces) frobSeries(rho, lambda float64) float64 {
	var sum float64
	pr := 1.0
	for a := 1; a <= s.order; a++ {
		pl := 1.0
		for b := 1; b <= s.order; b++ {
			sum += pr * pl * s.frob[a][b]
			pl *= lambda
		}
		pr *= rho
	}
	return sum
}

// Moments implements Traces.
func (s *StochasticTraces) Moments(rho float64) (tr1, tr2, trTT float64, err error) {
	K, err := s.seriesLen(rho)
	if err != nil {
		return 0, 0, 0, err
	}
	m, err := s.probeTraces(rho, rho, K+2)
	if err != nil {
		return 0, 0, 0, err
	}
	t := s.traces(K + 2)
	pw := 1.0
	for k := 0; k <= K; k++ {
		tr1 += pw * t[k+1]
		tr2 += float64(k+1) * pw * t[k+2]
		pw *= rho
	}
	trTT = s.frobSeries(rho, rho) + m
	return tr1, tr2, trTT, nil
}

// CrossMoments implements Traces.
func (s *StochasticTraces) CrossMoments(rho, lambda float64) (trGH, trGtH float64, err error) {
	K, err := s.seriesLen(math.Max(math.Abs(rho), math.Abs(lambda)))
	if err != nil {
		return 0, 0, err
	}
	rem, err := s.probeTraces(rho, lambda, K+2)
	if err != nil {
		return 0, 0, err
	}
	t := s.traces(K + 2)
	for m := 0; m <= K; m++ {
		// sum_{j=0}^{m} ρ^j λ^{m−j}
		var c float64
		pr := 1.0
		for j := 0; j <= m; j++ {
			c += pr * math.Pow(lambda, float64(m-j))
			pr *= rho
		}
		trGH += c * t[m+2]
	}
	return trGH, s.frobSeries(rho, lambda) + rem, nil
}

// Multipliers implements Traces.
func (s *StochasticTraces) Multipliers(rhos []float64, direct, directW, total, totalW []float64) error {
	var amax float64
	for _, r := range rhos {
		amax = math.Max(amax, math.Abs(r))
	}
	K, err := s.seriesLen(amax)
	if err != nil {
		return err
	}
	t := s.traces(K + 1)
	n := float64(s.w.N())
	for r, rho := range rhos {
		var d, dw float64
		pw := 1.0
		for k := 0; k <= K; k++ {
			d += pw * t[k]
			dw += pw * t[k+1]
			pw *= rho
		}
		direct[r], directW[r] = d/n, dw/n
		if !math.IsNaN(s.rowSum) {
			c := s.rowSum
			total[r] = 1 / (1 - rho*c)
			totalW[r] = c / (1 - rho*c)
			continue
		}
		tot, totW, err := s.seriesTotals(rho, K)
		if err != nil {
			return err
		}
		total[r], totalW[r] = tot, totW
	}
	return nil
}

// seriesTotals sums 1ᵀ(I−ρW)⁻¹1/N = Σ_k ρ^k m_k, m_k = 1ᵀW^k1/N, and
// 1ᵀ(I−ρW)⁻¹W1/N = Σ_k ρ^k m_{k+1}.
func (s *StochasticTraces) seriesTotals(rho float64, K int) (tot, totW float64, err error) {
	s.mu.Lock()
	if len(s.moms) < K+2 {
		n := s.w.N()
		v := make([]float64, n)
		for i := range v {
			v[i] = 1
		}
		tmp := make([]float64, n)
		s.moms = s.moms[:0]
		for k := 0; k < K+2; k++ {
			var sum float64
			for _, x := range v {
				sum += x
			}
			s.moms = append(s.moms, sum/float64(n))
			s.mul.Lag(tmp, v)
			v, tmp = tmp, v
		}
	}
	moms := s.moms
	s.mu.Unlock()
	pw := 1.0
	for k := 0; k <= K; k++ {
		tot += pw * moms[k]
		totW += pw * moms[k+1]
		pw *= rho
	}
	if math.IsNaN(tot) || math.IsInf(tot, 0) {
		return 0, 0, errors.New("regress: power series for the total impact did not converge")
	}
	return tot, totW, nil
}

// LargeN returns the log-determinant and the traces for w by method (see
// spatial.NewLogDeterminant: auto, eigen, cholesky, slq, chebyshev, mc).
// The eigen method (and auto at small N) gives the exact eigenvalue
// log-determinant with ExactTraces sharing its eigenvalues; every other
// method gives StochasticTraces with opts.Probes probes and opts.Seed.
func LargeN(w *spatial.Weights, method string, opts spatial.LogDetOptions) (spatial.LogDeterminant, Traces, error) {
	// One set of exact power moments serves the log-determinant and the
	// traces; the eigen method needs none.
	auto := method == "" || method == "auto"
	if method != "eigen" && (!auto || w.N() > spatial.AutoEigenMaxN) {
		opts.Moments = w.DefaultPowerMoments(opts.Moments, opts.Workers)
	}
	ld, err := spatial.NewLogDeterminant(w, method, opts)
	if err != nil {
		return nil, nil, err
	}
	if e, ok := ld.(*spatial.EigenLogDet); ok {
		tr, err := NewExactTraces(w, e.Values())
		if err != nil {
			return nil, nil, err
		}
		return ld, tr, nil
	}
	st := NewStochasticTraces(w, opts.Probes, opts.Seed, opts.Moments)
	// The log-determinant's interval (1/λmin, 1/λmax) holds guaranteed
	// bounds on W's eigenvalues: a tighter spectral radius than ‖W‖∞
	// where W is similar to a symmetric matrix (binary or distance
	// weights), so that the series serve every ρ with |ρ| below it.
	if lo, hi := ld.Interval(); w.IsSymmetricSimilar() && lo < 0 && hi > 0 {
		if r := math.Max(-1/lo, 1/hi); r > 0 && r < st.radius {
			st.radius = r
		}
	}
	return ld, st, nil
}

// blockMaxEntries caps the entries of one block of probes (N·p per vector,
// four vectors): 16 MiB.
const blockMaxEntries = 1 << 19

// blockProbesMax is the largest block of probes: eight share each row's
// index loads well enough, and their vectors (4·8·N values) stay in cache
// and need few fresh pages; blocks of 30 measured about a third slower in
// the standard errors at N = 1,600 and 3,600 (4 and 16: between).
const blockProbesMax = 8

// blockProbes returns how many probes walk together in one block
// (probeTracesBlock) for n regions: blockProbesMax while n·blockProbesMax
// stays within blockMaxEntries, fewer above, and 1 (one at a time) when
// even two would not fit.
func blockProbes(n, probes int) int {
	if n <= 0 {
		return 1
	}
	return max(1, min(probes, blockProbesMax, blockMaxEntries/n))
}

// probeTracesBlock is probeTraces at λ = ρ with the probes walked b at a
// time: their powers W^a u share one pass over W per step (LagBlock), and
// every probe's sums run in the same order as in walk, so the results are
// the same bit for bit. Each probe stops where walk would stop it; the
// block steps on until its last probe has stopped.
func (s *StochasticTraces) probeTracesBlock(rho float64, need, b int, short bool, dots, lasts [][]float64) (float64, error) {
	n := s.w.N()
	u := make([]float64, n*b)
	v := make([]float64, n*b)
	tmp := make([]float64, n*b)
	zr := make([]float64, n*b)
	k2 := make([]float64, b) // ‖z_K‖² per probe
	col := make([]float64, n)
	tr := make([]float64, b)
	uv := make([]float64, b)
	tol := make([]float64, b)
	active := make([]bool, b)
	var m float64
	for j0 := 0; j0 < s.probes; j0 += b {
		p := min(b, s.probes-j0)
		u, v, tmp, zr = u[:n*p], v[:n*p], tmp[:n*p], zr[:n*p]
		for q := 0; q < p; q++ {
			s.probe(j0+q, col)
			for i, x := range col {
				u[i*p+q] = x
			}
			active[q] = true
			if short {
				dots[j0+q] = make([]float64, 0, need)
			}
		}
		copy(v, u)
		clear(zr)
		left := p
		pr := 1.0
		for a := 1; left > 0; a++ {
			s.w.LagBlock(tmp, v, p)
			v, tmp = tmp, v
			clear(tr[:p])
			clear(uv[:p])
			// The terms' norms are needed at a = 1 (the tolerance) and for
			// the stopping test, u·v_a up to need; a step that needs only
			// one of them skips the other (each probe's sums are the same).
			needTr := a == 1 || (a > s.order && a >= need)
			if left == p && !needTr {
				uvq := uv[:p]
				for i := 0; i < n; i++ {
					vi, zi, ui := v[i*p:i*p+p], zr[i*p:i*p+p], u[i*p:i*p+p]
					zi, ui = zi[:len(vi)], ui[:len(vi)]
					uvq = uvq[:len(vi)]
					for q, x := range vi {
						zi[q] += pr * x
						uvq[q] += ui[q] * x
					}
				}
				for q := range uvq { // tr's role: a step that overflowed
					if math.IsNaN(uvq[q]) || math.IsInf(uvq[q], 0) {
						tr[q] = uvq[q]
					}
				}
			} else if left == p {
				trq, uvq := tr[:p], uv[:p]
				for i := 0; i < n; i++ {
					vi, zi, ui := v[i*p:i*p+p], zr[i*p:i*p+p], u[i*p:i*p+p]
					zi, ui = zi[:len(vi)], ui[:len(vi)]
					trq, uvq = trq[:len(vi)], uvq[:len(vi)]
					for q, x := range vi {
						dr := pr * x
						zi[q] += dr
						trq[q] += dr * dr
						uvq[q] += ui[q] * x
					}
				}
			} else {
				for q := 0; q < p; q++ {
					if !active[q] {
						continue
					}
					var t, w float64
					for i := q; i < n*p; i += p {
						x := v[i]
						dr := pr * x
						zr[i] += dr
						t += dr * dr
						w += u[i] * x
					}
					tr[q], uv[q] = t, w
				}
			}
			if a == s.order {
				// ‖z_K‖², summed as walk's dot of its copy: every probe is
				// active up to the exact order.
				for q := 0; q < p; q++ {
					var t float64
					for i := q; i < n*p; i += p {
						t += zr[i] * zr[i]
					}
					k2[q] = t
				}
			}
			for q := 0; q < p; q++ {
				if !active[q] {
					continue
				}
				if a <= need {
					dots[j0+q] = append(dots[j0+q], uv[q])
					if a == need {
						l := make([]float64, n)
						for i := range l {
							l[i] = v[i*p+q]
						}
						lasts[j0+q] = l
					}
				}
				if a == 1 {
					tol[q] = 1e-13 * math.Max(math.Sqrt(tr[q]), 1e-300)
				}
				if math.IsNaN(tr[q]) || math.IsInf(tr[q], 0) || a > 20000+s.order+need {
					return 0, fmt.Errorf("regress: (I − ρW)z = Wu did not converge at ρ = %g", rho)
				}
				if a > s.order && a >= need && math.Sqrt(tr[q]) <= tol[q] {
					active[q] = false
					left--
				}
			}
			pr *= rho
		}
		for q := 0; q < p; q++ {
			var z2 float64
			for i := q; i < n*p; i += p {
				z2 += zr[i] * zr[i]
			}
			m += z2 - k2[q]
		}
	}
	if short {
		s.adopt(need, dots, lasts)
	}
	return m / float64(s.probes), nil
}
