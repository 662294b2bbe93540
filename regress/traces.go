package regress

import (
	"fmt"
	"math"
	"math/cmplx"

	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/mat"
)

// Traces supplies the trace terms that the information matrix of the
// spatial models and the LeSage–Pace impacts need, for one fixed N×N
// weights matrix W. With W̃(ρ) = W(I − ρW)⁻¹ they are
//
//	tr(W̃), tr(W̃²), tr(W̃ᵀW̃)                (standard errors of SAR, SEM, SDM, SDEM)
//	tr(G H), tr(GᵀH), G = W̃(ρ), H = W̃(λ)    (the ρ–λ term of SAC)
//	tr((I−ρW)⁻¹)/N, tr((I−ρW)⁻¹W)/N,
//	1ᵀ(I−ρW)⁻¹1/N, 1ᵀ(I−ρW)⁻¹W1/N           (direct and total impacts)
//
// ExactTraces computes them from the eigenvalues of W (traces of functions
// of W are Σ f(λ_i) for any diagonalisable W) and densely where no
// eigenvalue formula exists (tr(W̃ᵀW̃) for asymmetric W). Large-N
// estimators (stochastic traces, power series) implement the same
// interface and are passed in SpatialOptions.Traces.
type Traces interface {
	// Moments returns tr(W̃), tr(W̃²) and tr(W̃ᵀW̃) at ρ.
	Moments(rho float64) (tr1, tr2, trTT float64, err error)
	// CrossMoments returns tr(GH) and tr(GᵀH) with G = W(I−ρW)⁻¹ and
	// H = W(I−λW)⁻¹.
	CrossMoments(rho, lambda float64) (trGH, trGtH float64, err error)
	// Multipliers fills, for every rhos[r], direct[r] = tr((I−ρW)⁻¹)/N,
	// directW[r] = tr((I−ρW)⁻¹W)/N, total[r] = 1ᵀ(I−ρW)⁻¹1/N and
	// totalW[r] = 1ᵀ(I−ρW)⁻¹W1/N. It is called once with all simulated
	// draws, so an implementation should cost little per ρ.
	Multipliers(rhos []float64, direct, directW, total, totalW []float64) error
}

// ExactTraces is the exact Traces implementation for N up to a few
// thousand: eigenvalues of W (O(N³) once), a dense inverse of I − ρW for
// tr(W̃ᵀW̃) and the cross moments (O(N³) per call, made once per fit), and
// for the totals either the constant row sum c of W (1ᵀ(I−ρW)⁻¹1/N =
// 1/(1−ρc)) or, for weights with unequal row sums, the power series of
// the shifted matrix B = W − σI, σ the centre of the eigenvalues' real
// parts: with τ = ρ/(1−ρσ),
//
//	1ᵀ(I−ρW)⁻¹1/N = Σ_k τᵏ 1ᵀBᵏ1/N / (1 − ρσ),
//
// which converges wherever |τ|·max|λ − σ| < 1, for real eigenvalues on
// the whole interval (1/λmin, 1/λmax) (the plain series Σ_k ρᵏ 1ᵀWᵏ1/N
// only for |ρ| < 1/max|λ|: not for a negative ρ below −1/λmax with binary
// or distance weights), summed until its terms fall below 1e-14; where
// it would converge slowly (|τ|·max|λ − σ| > 0.99), a dense solve of
// (I − ρW)z = 1. An ExactTraces value caches matrices and is not safe for
// concurrent use.
type ExactTraces struct {
	w      *spatial.Weights
	values []complex128
	rowSum float64 // common row sum, NaN when rows differ
	// shift σ and radius max|λ − σ| of the totals' series.
	shift, radius float64
	moms          []float64 // 1ᵀBᵏ1/N, B = W − σI
	// cache of the last dense W(I−ρW)⁻¹ matrices (SAC asks for two).
	cacheRho []float64
	cacheW   []*mat.Dense
}

var _ Traces = (*ExactTraces)(nil)

// NewExactTraces returns exact traces for w; values are its eigenvalues
// (nil: computed here).
func NewExactTraces(w *spatial.Weights, values []complex128) (*ExactTraces, error) {
	if values == nil {
		var err error
		values, err = w.Eigenvalues()
		if err != nil {
			return nil, err
		}
	}
	if len(values) != w.N() {
		return nil, fmt.Errorf("regress: %d eigenvalues for %d regions", len(values), w.N())
	}
	rs := w.RowSums()
	c := rs[0]
	for _, v := range rs {
		if math.Abs(v-c) > 1e-12*math.Max(1, math.Abs(c)) {
			c = math.NaN()
			break
		}
	}
	e := &ExactTraces{w: w, values: values, rowSum: c}
	e.shift, e.radius = seriesShift(values)
	return e, nil
}

// seriesShift returns the centre σ of the real parts of the eigenvalues
// and max|λ − σ|: the shift and radius of the totals' series.
func seriesShift(values []complex128) (shift, radius float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range values {
		lo, hi = math.Min(lo, real(v)), math.Max(hi, real(v))
	}
	if !(lo <= hi) {
		return 0, 0
	}
	shift = (lo + hi) / 2
	for _, v := range values {
		radius = math.Max(radius, cmplx.Abs(v-complex(shift, 0)))
	}
	return shift, radius
}

// eigSum returns Σ f(λ_i) (real part).
func (e *ExactTraces) eigSum(f func(complex128) complex128) float64 {
	var s complex128
	for _, v := range e.values {
		s += f(v)
	}
	return real(s)
}

// wTilde returns the dense W(I−ρW)⁻¹, remembering the last two.
func (e *ExactTraces) wTilde(rho float64) (*mat.Dense, error) {
	for i, r := range e.cacheRho {
		if r == rho {
			return e.cacheW[i], nil
		}
	}
	x, err := e.wTildeDense(rho)
	if err != nil {
		return nil, err
	}
	e.cacheRho = append(e.cacheRho, rho)
	e.cacheW = append(e.cacheW, x)
	if len(e.cacheRho) > 2 {
		e.cacheRho, e.cacheW = e.cacheRho[1:], e.cacheW[1:]
	}
	return x, nil
}

func (e *ExactTraces) wTildeDense(rho float64) (*mat.Dense, error) {
	n := e.w.N()
	if err := spatial.CheckDense(n, n, 4, "exact traces of (I − ρW)⁻¹W", "use the large-N traces (--logdet chebyshev)"); err != nil {
		return nil, fmt.Errorf("regress: %w", err)
	}
	a, wd := e.denseIRW(rho)
	var lu mat.LU
	lu.Factorize(a)
	// W(I−ρW)⁻¹ = (I−ρW)⁻¹W: solve (I−ρW)X = W.
	var x mat.Dense
	if err := lu.SolveTo(&x, false, wd); err != nil {
		return nil, fmt.Errorf("regress: I − %gW is singular: %w", rho, err)
	}
	return &x, nil
}

// denseIRW returns I − ρW and W as dense matrices.
func (e *ExactTraces) denseIRW(rho float64) (a, wd *mat.Dense) {
	n := e.w.N()
	a = mat.NewDense(n, n, nil)
	wd = e.w.Dense()
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			v := -rho * wd.At(i, j)
			if i == j {
				v++
			}
			a.Set(i, j, v)
		}
	}
	return a, wd
}

// Moments implements Traces.
func (e *ExactTraces) Moments(rho float64) (tr1, tr2, trTT float64, err error) {
	r := complex(rho, 0)
	tr1 = e.eigSum(func(l complex128) complex128 { return l / (1 - r*l) })
	tr2 = e.eigSum(func(l complex128) complex128 { g := l / (1 - r*l); return g * g })
	g, err := e.wTilde(rho)
	if err != nil {
		return 0, 0, 0, err
	}
	n := e.w.N()
	for i := 0; i < n; i++ {
		row := g.RawRowView(i)
		for _, v := range row {
			trTT += v * v
		}
	}
	return tr1, tr2, trTT, nil
}

// CrossMoments implements Traces.
func (e *ExactTraces) CrossMoments(rho, lambda float64) (trGH, trGtH float64, err error) {
	r, l := complex(rho, 0), complex(lambda, 0)
	trGH = e.eigSum(func(v complex128) complex128 { return v / (1 - r*v) * v / (1 - l*v) })
	g, err := e.wTilde(rho)
	if err != nil {
		return 0, 0, err
	}
	h, err := e.wTilde(lambda)
	if err != nil {
		return 0, 0, err
	}
	n := e.w.N()
	for i := 0; i < n; i++ {
		gr, hr := g.RawRowView(i), h.RawRowView(i)
		for j := range gr {
			trGtH += gr[j] * hr[j]
		}
	}
	return trGH, trGtH, nil
}

// Multipliers implements Traces.
func (e *ExactTraces) Multipliers(rhos []float64, direct, directW, total, totalW []float64) error {
	n := float64(len(e.values))
	for k, rho := range rhos {
		r := complex(rho, 0)
		var d, dw complex128
		for _, v := range e.values {
			inv := 1 / (1 - r*v)
			d += inv
			dw += v * inv
		}
		if cmplx.IsNaN(d) || cmplx.IsInf(d) {
			return fmt.Errorf("regress: I − %gW is singular", rho)
		}
		direct[k], directW[k] = real(d)/n, real(dw)/n
		if !math.IsNaN(e.rowSum) {
			c := e.rowSum
			total[k] = 1 / (1 - rho*c)
			totalW[k] = c / (1 - rho*c)
			continue
		}
		tot, totW, err := e.seriesTotals(rho)
		if err != nil {
			return err
		}
		total[k], totalW[k] = tot, totW
	}
	return nil
}

// seriesTotals returns 1ᵀ(I−ρW)⁻¹1/N and 1ᵀ(I−ρW)⁻¹W1/N: the series of
// B = W − σI (see ExactTraces), extending its moments 1ᵀBᵏ1/N on demand,
// or a dense solve where the series would converge slowly.
func (e *ExactTraces) seriesTotals(rho float64) (tot, totW float64, err error) {
	const maxK = 20000
	n := e.w.N()
	sigma := e.shift
	den := 1 - rho*sigma
	tau := rho / den
	if math.Abs(tau)*e.radius > 0.99 || den == 0 {
		return e.solveTotals(rho)
	}
	if e.moms == nil {
		e.moms = []float64{1}
	}
	var v []float64
	pk := 1.0
	var sum float64
	for k := 0; k < maxK; k++ {
		if k >= len(e.moms) {
			if v == nil {
				v = make([]float64, n)
				for i := range v {
					v[i] = 1
				}
				for j := 1; j < len(e.moms); j++ {
					v = e.shiftedLag(v)
				}
			}
			v = e.shiftedLag(v)
			var s float64
			for _, x := range v {
				s += x
			}
			e.moms = append(e.moms, s/float64(n))
		}
		term := pk * e.moms[k]
		sum += term
		if k > 10 && math.Abs(term) < 1e-14*math.Max(1, math.Abs(sum)) {
			tot = sum / den
			// 1ᵀ(I−ρW)⁻¹W1/N = (tot − 1)/ρ; at ρ = 0, 1ᵀW1/N = 1ᵀB1/N + σ.
			if rho == 0 {
				return tot, e.moms[1] + sigma, nil
			}
			return tot, (tot - 1) / rho, nil
		}
		pk *= tau
	}
	return e.solveTotals(rho)
}

// shiftedLag returns (W − σI)v.
func (e *ExactTraces) shiftedLag(v []float64) []float64 {
	out := e.w.Lag(v)
	if e.shift != 0 {
		for i, x := range v {
			out[i] -= e.shift * x
		}
	}
	return out
}

// solveTotals returns 1ᵀ(I−ρW)⁻¹1/N and 1ᵀ(I−ρW)⁻¹W1/N from a dense solve
// of (I − ρW)z = 1.
func (e *ExactTraces) solveTotals(rho float64) (tot, totW float64, err error) {
	n := e.w.N()
	if err := spatial.CheckDense(n, n, 2, "the total impacts' (I − ρW)⁻¹1", "use row-standardised weights"); err != nil {
		return 0, 0, fmt.Errorf("regress: %w", err)
	}
	a, _ := e.denseIRW(rho)
	ones := make([]float64, n)
	for i := range ones {
		ones[i] = 1
	}
	var lu mat.LU
	lu.Factorize(a)
	var z mat.VecDense
	if err := lu.SolveVecTo(&z, false, mat.NewVecDense(n, ones)); err != nil {
		return 0, 0, fmt.Errorf("regress: I − %gW is singular: %w", rho, err)
	}
	tot = mat.Sum(&z) / float64(n)
	if rho == 0 {
		return tot, mat.Sum(mat.NewVecDense(n, e.w.Lag(ones))) / float64(n), nil
	}
	return tot, (tot - 1) / rho, nil
}
