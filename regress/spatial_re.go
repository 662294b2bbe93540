package regress

import (
	"errors"
	"fmt"
	"math"

	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/blas"
	gonumlapack "gonum.org/v1/gonum/lapack/gonum"
	"gonum.org/v1/gonum/mat"
)

// Spatial panels with individual random effects (effects "random"), by
// maximum likelihood as splm's spml(model = "random") computes them
// (Millo and Piras 2012, J. Stat. Softw. 47(1); Elhorst 2014, ch. 3;
// Baltagi, Song and Koh 2003, J. Econometrics 117:123–150).
//
// SAR and SDM (splm's errors = "re", lag = TRUE): y = ρWy + Xβ + μ + ε with
// μ_i ~ (0, σ²_μ), ε ~ (0, σ²), φ = σ²_μ/σ². The covariance of region i's
// errors is σ²(φJ_T + I_T); with θ = 1/sqrt(Tφ + 1) the quasi-demeaned
// z* = z − (1 − θ)z̄_i make GLS least squares, and
//
//	ℓ(φ, ρ) = −NT/2 (ln 2π + 1) − NT/2 ln σ̂² + T ln|I − ρW| − N/2 ln(Tφ + 1)
//
// with β̂ and σ̂² = e*'e*/NT from the GLS step.
//
// SEM and SDEM (splm's spatial.error = "b", errors = "semre"): y = Xβ + μ + u,
// u_t = λWu_t + ε_t, μ not spatially correlated. With B = I − λW and
// Σ⁻¹ = J̄_T ⊗ (TφI + (BᵀB)⁻¹)⁻¹ + E_T ⊗ BᵀB,
//
//	ℓ(φ, λ) = −NT/2 (ln 2π + 1) − NT/2 ln σ̂² − ½ ln|I + TφBBᵀ| + T ln|B|
//
// computed from BBᵀ reduced to tridiagonal form once per value of λ (dense,
// O(N³): about 0.8 s for a fit at N = 400, 8 s at N = 900; N is limited to
// MaxRandomErrorN), after which each value of φ costs O(N).
//
// Both are maximised by nested one-dimensional searches (θ = 1/sqrt(Tφ+1)
// outside, ρ inside for the lag models; λ outside, θ inside for the error
// models), each from a grid refined by Brent's method (gridMinimise), φ
// kept in splm's bounds [1e-8, 1e8]. The covariance of the estimates is
// the inverse Hessian of the log-likelihood with σ² concentrated out, in
// all of (β, ρ or λ, φ) (central differences with Richardson
// extrapolation). SpatialOptions.RandomVcov "splm" gives instead the
// blocks splm reports: the GLS σ̂²(X'Σ⁻¹X)⁻¹ for β conditional on the
// variance parameters, the inverse Hessian in (φ, ρ) or (φ, λ) alone, and
// no correlation between the two.

// The likelihoods of the random-effects models can have more than one
// local maximum in the spatial parameter (SEM on data without an
// intercept: one at λ = 0.91 and one 31 units higher at λ = 0.997), so
// each one-dimensional search starts from a grid: reGridPoints even
// points (reLambdaGridPoints for λ of the error models, whose every value
// costs O(N³)) and points 10⁻² … 10⁻⁶ of the interval from each end
// (searchGrid), the best reCandidates local minima of −ℓ over the grid
// refined by Brent's method (gridMinimise).
const (
	reGridPoints       = 41
	reLambdaGridPoints = 21
	reCandidates       = 3
)

// MaxRandomErrorN is the largest N for which the spatial-error models with
// random effects are fitted (a dense tridiagonal reduction per likelihood
// evaluation over λ).
const MaxRandomErrorN = 1500

// φ bounds of splm's optimiser.
const (
	phiMin = 1e-8
	phiMax = 1e8
)

func thetaOfPhi(phi float64, t int) float64 { return 1 / math.Sqrt(float64(t)*phi+1) }
func phiOfTheta(theta float64, t int) float64 {
	return (1/(theta*theta) - 1) / float64(t)
}

// quasiDemean returns z − (1 − θ)z̄_i (time-major panel).
func quasiDemean(z []float64, n, t int, theta float64) []float64 {
	m := make([]float64, n)
	for s := 0; s < t; s++ {
		for i := 0; i < n; i++ {
			m[i] += z[s*n+i]
		}
	}
	c := (1 - theta) / float64(t)
	out := make([]float64, len(z))
	for s := 0; s < t; s++ {
		for i := 0; i < n; i++ {
			out[s*n+i] = z[s*n+i] - c*m[i]
		}
	}
	return out
}

// lagREProfile returns, for θ, −ℓ(ρ) of SAR or SDM with individual random
// effects at that θ, β and σ² concentrated out (the GLS step on the
// quasi-demeaned data), as f(ρ) + c with c not depending on ρ, or ok =
// false when the GLS step fails.
func lagREProfile(d *smlData, ld spatial.LogDeterminant) func(theta float64) (f func(rho float64) float64, c float64, ok bool) {
	n, t := d.n, d.t
	nt := float64(n * t)
	cnst := nt / 2 * (math.Log(2*math.Pi) + 1)
	return func(theta float64) (func(rho float64) float64, float64, bool) {
		ys := quasiDemean(d.y, n, t, theta)
		wys := quasiDemean(d.wy, n, t, theta)
		xs := quasiDemeanCols(d.xs, n, t, theta)
		_, e0, err := ols(ys, xs)
		if err != nil {
			return nil, 0, false
		}
		_, e1, err := ols(wys, xs)
		if err != nil {
			return nil, 0, false
		}
		e00, e11, e01 := dot(e0, e0), dot(e1, e1), dot(e0, e1)
		return func(rho float64) float64 {
			sse := e00 - 2*rho*e01 + rho*rho*e11
			return nt/2*math.Log(sse/nt) - float64(t)*ld.LogDet(rho)
		}, -float64(n)*math.Log(theta) + cnst, true
	}
}

// fitLagRE fits SAR or SDM with individual random effects.
func fitLagRE(d *smlData, opt *SpatialOptions) (*Result, error) {
	n, t := d.n, d.t
	nt := float64(n * t)
	ld := opt.LogDet
	lo, hi := searchInterval(ld)
	cnst := nt / 2 * (math.Log(2*math.Pi) + 1)
	profAt := lagREProfile(d, ld)
	rhoGrid := searchGrid(lo, hi, reGridPoints, true)
	// negll at θ, with ρ concentrated out by the inner search.
	type inner struct {
		rho, f float64
		ok     bool
	}
	profile := func(theta float64) inner {
		f, c, ok := profAt(theta)
		if !ok {
			return inner{f: math.Inf(1)}
		}
		rho, fr, ok := gridMinimise(f, rhoGrid, lo, hi, reCandidates, opt.Tol, opt.MaxEval)
		return inner{rho: rho, f: fr + c, ok: ok}
	}
	var last inner
	innerOK := true
	thLo, thHi := thetaOfPhi(phiMax, t), thetaOfPhi(phiMin, t)
	theta, _, ok := gridMinimise(func(th float64) float64 {
		last = profile(th)
		innerOK = innerOK && last.ok
		return last.f
	}, searchGrid(thLo, thHi, reGridPoints, true), thLo, thHi, reCandidates, opt.Tol, opt.MaxEval)
	if !ok || !innerOK {
		return nil, fmt.Errorf("%w after %d evaluations: last iterate φ = %g, ρ = %g", ErrNoConvergence, opt.MaxEval, phiOfTheta(theta, t), last.rho)
	}
	best := profile(theta)
	rho := best.rho
	if onBoundary(rho, lo, hi) {
		return nil, fmt.Errorf("%w: ρ = %.10g, interval (%g, %g)", ErrBoundary, rho, lo, hi)
	}
	phi := phiOfTheta(theta, t)
	// GLS step at the optimum.
	ay := make([]float64, len(d.y))
	for i := range ay {
		ay[i] = d.y[i] - rho*d.wy[i]
	}
	xs := quasiDemeanCols(d.xs, n, t, theta)
	beta, es, err := ols(quasiDemean(ay, n, t, theta), xs)
	if err != nil {
		return nil, err
	}
	s2 := dot(es, es) / nt
	k := len(d.xs)
	// −ℓ at (β, ρ, φ), σ² concentrated out.
	full := func(q []float64) float64 {
		r, ph := q[k], q[k+1]
		if float64(t)*ph <= -1 || r <= lo || r >= hi {
			return math.NaN()
		}
		e := make([]float64, len(d.y))
		for i := range e {
			v := d.y[i] - r*d.wy[i]
			for j, c := range d.xs {
				v -= q[j] * c[i]
			}
			e[i] = v
		}
		th := thetaOfPhi(ph, t)
		es := quasiDemean(e, n, t, th)
		return nt/2*math.Log(dot(es, es)/nt) - float64(t)*ld.LogDet(r) - float64(n)*math.Log(th) + cnst
	}
	// −ℓ at (ρ, φ), β and σ² concentrated out (splm's ll.c): full at the
	// GLS β of (ρ, φ).
	prof := func(q []float64) float64 {
		r, ph := q[0], q[1]
		if float64(t)*ph <= -1 || r <= lo || r >= hi {
			return math.NaN()
		}
		th := thetaOfPhi(ph, t)
		a := make([]float64, len(d.y))
		for i := range a {
			a[i] = d.y[i] - r*d.wy[i]
		}
		b, _, err := ols(quasiDemean(a, n, t, th), quasiDemeanCols(d.xs, n, t, th))
		if err != nil {
			return math.NaN()
		}
		return full(append(b, r, ph))
	}
	at := append(append([]float64(nil), beta...), rho, phi)
	ll := -full(at)
	res, err := randomResult(d, opt, xs, beta, s2, ll, "rho", rho, phi, full, prof)
	if err != nil {
		return nil, err
	}
	setFit(res, d, rho, beta)
	return res, nil
}

// quasiDemeanCols applies quasiDemean to every column.
func quasiDemeanCols(cols [][]float64, n, t int, theta float64) [][]float64 {
	out := make([][]float64, len(cols))
	for j, c := range cols {
		out[j] = quasiDemean(c, n, t, theta)
	}
	return out
}

// randomResult is randomResultGram with the Gram matrix X*'X* of the
// quasi-demeaned columns xs.
func randomResult(d *smlData, opt *SpatialOptions, xs [][]float64, beta []float64, s2, ll float64, sp string, spv, phi float64, full, profile func([]float64) float64) (*Result, error) {
	k := len(beta)
	xtx := mat.NewSymDense(k, nil)
	for a := 0; a < k; a++ {
		for b := a; b < k; b++ {
			xtx.SetSym(a, b, dot(xs[a], xs[b]))
		}
	}
	return randomResultGram(d, opt, xtx, beta, s2, ll, sp, spv, phi, full, profile)
}

// randomResultGram assembles the coefficients (β, then the spatial
// parameter named sp, then phi) and their covariance: the inverse Hessian
// of full, −ℓ at (β, sp, φ) with σ² concentrated out, or, with RandomVcov
// "splm", σ²(X'Σ⁻¹X)⁻¹ for β from the GLS Gram matrix xtx and the inverse
// Hessian of profile, −ℓ at (sp, φ) with β and σ² concentrated out.
func randomResultGram(d *smlData, opt *SpatialOptions, xtx *mat.SymDense, beta []float64, s2, ll float64, sp string, spv, phi float64, full, profile func([]float64) float64) (*Result, error) {
	k := len(beta)
	// φ on one of its bounds is not at an interior maximum: it is held
	// fixed for the Hessian of the others and gets no standard error.
	onBound := phi <= 10*phiMin || phi >= phiMax/10
	hess := func(f func([]float64) float64, x []float64) (*mat.SymDense, error) {
		// x ends with φ.
		if !onBound {
			h, err := numericHessian(f, x)
			if err != nil {
				return nil, fmt.Errorf("regress: Hessian of the random-effects likelihood: %w", err)
			}
			return symInverse(h)
		}
		m := len(x) - 1
		g := func(y []float64) float64 { return f(append(append([]float64(nil), y...), phi)) }
		h, err := numericHessian(g, x[:m])
		if err != nil {
			return nil, fmt.Errorf("regress: Hessian of the random-effects likelihood: %w", err)
		}
		hi, err := symInverse(h)
		if err != nil {
			return nil, err
		}
		out := mat.NewSymDense(m+1, nil)
		for a := 0; a < m; a++ {
			for b := a; b < m; b++ {
				out.SetSym(a, b, hi.At(a, b))
			}
		}
		out.SetSym(m, m, math.NaN())
		return out, nil
	}
	vc := mat.NewSymDense(k+2, nil)
	how := "inverse Hessian of the log-likelihood in (β, " + sp + ", φ)"
	if opt.RandomVcov == "splm" {
		how = "GLS for β given (φ, " + sp + "); inverse Hessian in (φ, " + sp + ") (as splm)"
		xinv, err := symInverse(xtx)
		if err != nil {
			return nil, fmt.Errorf("regress: GLS cross-products are singular: %w", err)
		}
		hinv, err := hess(profile, []float64{spv, phi})
		if err != nil {
			return nil, fmt.Errorf("regress: the random-effects likelihood is flat in (%s, φ): %w", sp, err)
		}
		for a := 0; a < k; a++ {
			for b := a; b < k; b++ {
				vc.SetSym(a, b, s2*xinv.At(a, b))
			}
		}
		for a := 0; a < 2; a++ {
			for b := a; b < 2; b++ {
				vc.SetSym(k+a, k+b, hinv.At(a, b))
			}
		}
	} else {
		hinv, err := hess(full, append(append([]float64(nil), beta...), spv, phi))
		if err != nil {
			return nil, fmt.Errorf("regress: the random-effects likelihood is flat or not at a maximum: %w", err)
		}
		vc = hinv
	}
	for i := 0; i < k+2; i++ {
		if i == k+1 && onBound {
			continue
		}
		if !(vc.At(i, i) > 0) {
			return nil, fmt.Errorf("regress: the random-effects likelihood is not at a maximum (variance of parameter %d is %g)", i+1, vc.At(i, i))
		}
	}
	res := &Result{Options: map[string]any{}, Extra: map[string]float64{}}
	for j, nm := range d.names {
		res.Coefficients = append(res.Coefficients, Coefficient{Name: nm, Estimate: beta[j]})
	}
	res.Coefficients = append(res.Coefficients,
		Coefficient{Name: sp, Estimate: spv},
		Coefficient{Name: "phi", Estimate: phi})
	res.Vcov = vc
	res.Sigma2 = s2
	res.LogLik = &ll
	res.Extra["sigma2_mu"] = phi * s2
	res.Extra["theta"] = 1 - thetaOfPhi(phi, d.t)
	res.Options["vcov"] = how
	res.Options["random_vcov"] = map[bool]string{true: "splm", false: "full"}[opt.RandomVcov == "splm"]
	if phi <= 10*phiMin {
		res.Messages = append(res.Messages, fmt.Sprintf("φ = %.3g is at splm's lower bound: no individual variance, the model is the pooled one (φ has no standard error)", phi))
	}
	if phi >= phiMax/10 {
		res.Messages = append(res.Messages, fmt.Sprintf("φ = %.3g is at splm's upper bound: the individual effects dominate (consider fixed effects; φ has no standard error)", phi))
	}
	return res, nil
}

// numericHessian returns the Hessian of f at x by central differences
// with one Richardson extrapolation (steps h and h/2, h = 1e-3·max(|x_i|,
// 1e-2)).
func numericHessian(f func([]float64) float64, x []float64) (*mat.SymDense, error) {
	m := len(x)
	step := make([]float64, m)
	for i, v := range x {
		step[i] = 1e-3 * math.Max(math.Abs(v), 1e-2)
	}
	at := func(di, dj int, hi, hj float64, i, j int) float64 {
		y := append([]float64(nil), x...)
		y[i] += float64(di) * hi
		y[j] += float64(dj) * hj
		return f(y)
	}
	hess := func(scale float64) (*mat.SymDense, error) {
		h := mat.NewSymDense(m, nil)
		f0 := f(x)
		for i := 0; i < m; i++ {
			hi := step[i] * scale
			for j := i; j < m; j++ {
				hj := step[j] * scale
				var v float64
				if i == j {
					v = (at(1, 0, hi, 0, i, i) - 2*f0 + at(-1, 0, hi, 0, i, i)) / (hi * hi)
				} else {
					v = (at(1, 1, hi, hj, i, j) - at(1, -1, hi, hj, i, j) - at(-1, 1, hi, hj, i, j) + at(-1, -1, hi, hj, i, j)) / (4 * hi * hj)
				}
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return nil, errors.New("the likelihood is not finite next to the estimate (a parameter on its bound)")
				}
				h.SetSym(i, j, v)
			}
		}
		return h, nil
	}
	h1, err := hess(1)
	if err != nil {
		return nil, err
	}
	h2, err := hess(0.5)
	if err != nil {
		return nil, err
	}
	out := mat.NewSymDense(m, nil)
	for i := 0; i < m; i++ {
		for j := i; j < m; j++ {
			out.SetSym(i, j, (4*h2.At(i, j)-h1.At(i, j))/3)
		}
	}
	return out, nil
}

// errorRE is the likelihood of SEM or SDEM with individual random effects
// on the prepared data: the state at each λ and the GLS step at (λ, θ).
type errorRE struct {
	n, t        int
	nt, tt      float64
	cnst        float64
	w           *spatial.Weights
	ld          spatial.LogDeterminant
	vecs        [][]float64 // 0 = y, 1… = X columns
	means, devs [][]float64 // z̄ (N) and z̃ (NT) of each vector
	s1, s2m     mat.Dense   // W + Wᵀ and WWᵀ
}

// errLamState is the state at λ: BBᵀ in tridiagonal form with the
// projections Qᵀ(B z̄), the within cross-products and ln|B|.
type errLamState struct {
	bf     *betweenForms
	within *mat.SymDense
	logB   float64
}

func newErrorRE(d *smlData, opt *SpatialOptions) *errorRE {
	n, t := d.n, d.t
	e := &errorRE{n: n, t: t, nt: float64(n * t), tt: float64(t), w: d.we, ld: opt.LogDet}
	if e.w == nil {
		e.w = d.w
	}
	e.cnst = e.nt / 2 * (math.Log(2*math.Pi) + 1)
	e.vecs = append([][]float64{d.y}, d.xs...)
	nv := len(e.vecs)
	e.means = make([][]float64, nv)
	e.devs = make([][]float64, nv)
	for v, z := range e.vecs {
		e.devs[v] = demean(z, n, t, "individual")
		e.means[v] = make([]float64, n)
		for i := range e.means[v] {
			e.means[v][i] = z[i] - e.devs[v][i]
		}
	}
	wd := e.w.Dense()
	e.s1.Add(wd, wd.T())
	e.s2m.Mul(wd, wd.T())
	return e
}

// bvec returns (I − λW)z period by period (z of length N or NT).
func (e *errorRE) bvec(lam float64, z []float64) []float64 {
	out := lagPanel(e.w, z, e.n, len(z)/e.n)
	for i := range out {
		out[i] = z[i] - lam*out[i]
	}
	return out
}

// state returns the state at λ (O(N³)).
func (e *errorRE) state(lam float64) (*errLamState, error) {
	n, nv := e.n, len(e.vecs)
	bb := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			v := -lam*e.s1.At(i, j) + lam*lam*e.s2m.At(i, j)
			if i == j {
				v++
			}
			bb.SetSym(i, j, v)
		}
	}
	bz := make([][]float64, nv)
	for v := range e.vecs {
		bz[v] = e.bvec(lam, e.means[v])
	}
	bf, err := newBetweenForms(bb, bz)
	if err != nil {
		return nil, err
	}
	bd := make([][]float64, nv)
	for v := range e.vecs {
		bd[v] = e.bvec(lam, e.devs[v])
	}
	within := mat.NewSymDense(nv, nil)
	for a := 0; a < nv; a++ {
		for b := a; b < nv; b++ {
			within.SetSym(a, b, dot(bd[a], bd[b]))
		}
	}
	return &errLamState{bf: bf, within: within, logB: e.ld.LogDet(lam)}, nil
}

// gram returns the Σ⁻¹ cross-products of (y, X) at φ for the state, and
// ln|I + TφBBᵀ|.
func (e *errorRE) gram(st *errLamState, phi float64) (*mat.SymDense, float64) {
	nv := len(e.vecs)
	g := mat.NewSymDense(nv, nil)
	logM := st.bf.forms(e.tt*phi, g)
	for a := 0; a < nv; a++ {
		for b := a; b < nv; b++ {
			g.SetSym(a, b, e.tt*g.At(a, b)+st.within.At(a, b))
		}
	}
	return g, logM
}

// negll is −ℓ from e'Σ⁻¹e, σ² concentrated out.
func (e *errorRE) negll(st *errLamState, sse, logM float64) float64 {
	return e.nt/2*math.Log(sse/e.nt) + logM/2 - e.tt*st.logB + e.cnst
}

// gls returns β, σ̂², −ℓ and the GLS Gram matrix X'Σ⁻¹X at θ for the
// state; ok = false when the GLS step fails.
func (e *errorRE) gls(st *errLamState, theta float64) ([]float64, float64, float64, *mat.SymDense, bool) {
	g, logM := e.gram(st, phiOfTheta(theta, e.t))
	k := len(e.vecs) - 1
	gxx := mat.NewSymDense(k, nil)
	gxy := mat.NewVecDense(k, nil)
	for a := 0; a < k; a++ {
		gxy.SetVec(a, g.At(a+1, 0))
		for b := a; b < k; b++ {
			gxx.SetSym(a, b, g.At(a+1, b+1))
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(gxx) {
		return nil, 0, math.Inf(1), nil, false
	}
	var b mat.VecDense
	if err := ch.SolveVecTo(&b, gxy); err != nil {
		return nil, 0, math.Inf(1), nil, false
	}
	sse := g.At(0, 0) - mat.Dot(gxy, &b)
	if sse <= 0 {
		return nil, 0, math.Inf(1), nil, false
	}
	s2 := sse / e.nt
	f := e.negll(st, sse, logM)
	beta := make([]float64, k)
	for a := range beta {
		beta[a] = b.AtVec(a)
	}
	return beta, s2, f, gxx, true
}

// fitErrorRE fits SEM or SDEM with individual random effects (Baltagi,
// Song and Koh 2003; splm's semREmod).
func fitErrorRE(d *smlData, opt *SpatialOptions) (*Result, error) {
	n, t := d.n, d.t
	if n > MaxRandomErrorN {
		return nil, fmt.Errorf("regress: %s with random effects needs a dense reduction of an N×N matrix per likelihood evaluation; N = %d exceeds %d (use fixed effects)", opt.Model, n, MaxRandomErrorN)
	}
	tt := float64(t)
	ld := opt.LogDet
	lo, hi := searchInterval(ld)
	e := newErrorRE(d, opt)
	nv := len(e.vecs)
	state, gram, negll, gls := e.state, e.gram, e.negll, e.gls
	thLo, thHi := thetaOfPhi(phiMax, t), thetaOfPhi(phiMin, t)
	var stErr error
	innerOK := true
	var lastTheta float64
	thGrid := searchGrid(thLo, thHi, reGridPoints, true)
	// innerTheta maximises over θ at the state's λ.
	innerTheta := func(st *errLamState) (float64, float64) {
		th, f, ok := gridMinimise(func(th float64) float64 {
			_, _, f, _, _ := gls(st, th)
			return f
		}, thGrid, thLo, thHi, reCandidates, opt.Tol, opt.MaxEval)
		innerOK = innerOK && ok
		lastTheta = th
		return th, f
	}
	profile := func(lam float64) float64 {
		st, err := state(lam)
		if err != nil {
			stErr = err
			return math.Inf(1)
		}
		_, f := innerTheta(st)
		return f
	}
	lam, _, ok := gridMinimise(profile, searchGrid(lo, hi, reLambdaGridPoints, true), lo, hi, reCandidates, opt.Tol, opt.MaxEval)
	if stErr != nil {
		return nil, stErr
	}
	if !ok || !innerOK {
		return nil, fmt.Errorf("%w after %d evaluations: last iterate φ = %g, λ = %g", ErrNoConvergence, opt.MaxEval, phiOfTheta(lastTheta, t), lam)
	}
	if onBoundary(lam, lo, hi) {
		return nil, fmt.Errorf("%w: λ = %.10g, interval (%g, %g)", ErrBoundary, lam, lo, hi)
	}
	st, err := state(lam)
	if err != nil {
		return nil, err
	}
	theta, _ := innerTheta(st)
	beta, s2, f, gxx, ok := gls(st, theta)
	if !ok {
		return nil, errors.New("regress: GLS step of the random-effects error model failed (collinear regressors?)")
	}
	phi := phiOfTheta(theta, t)
	k := len(d.xs)
	// −ℓ at (β, λ, φ), σ² concentrated out: e'Σ⁻¹e from the state at λ
	// (cached: the Hessian's stencil visits few values of λ).
	cache := map[float64]*errLamState{lam: st}
	stateAt := func(l float64) (*errLamState, bool) {
		if sl, ok := cache[l]; ok {
			return sl, true
		}
		sl, err := state(l)
		if err != nil {
			return nil, false
		}
		cache[l] = sl
		return sl, true
	}
	full := func(q []float64) float64 {
		l, ph := q[k], q[k+1]
		if tt*ph <= -1 || l <= lo || l >= hi {
			return math.NaN()
		}
		sl, ok := stateAt(l)
		if !ok {
			return math.NaN()
		}
		// e = y − Xβ: its transforms are linear in those of y and X.
		coef := make([]float64, nv)
		coef[0] = 1
		for j := 0; j < k; j++ {
			coef[j+1] = -q[j]
		}
		g, logM := gram(sl, ph)
		var sse float64
		for a := 0; a < nv; a++ {
			for b := 0; b < nv; b++ {
				sse += coef[a] * coef[b] * g.At(a, b)
			}
		}
		return negll(sl, sse, logM)
	}
	prof := func(q []float64) float64 {
		l, ph := q[0], q[1]
		if tt*ph <= -1 || l <= lo || l >= hi {
			return math.NaN()
		}
		sl, ok := stateAt(l)
		if !ok {
			return math.NaN()
		}
		_, _, f, _, ok := gls(sl, thetaOfPhi(ph, t))
		if !ok {
			return math.NaN()
		}
		return f
	}
	res, err := randomResultGram(d, opt, gxx, beta, s2, -f, "lambda", lam, phi, full, prof)
	if err != nil {
		return nil, err
	}
	setFit(res, d, 0, beta)
	return res, nil
}

// setFit stores the fitted values ρWy + Xβ, the residuals and the
// pseudo-R² (squared correlation of y and the fitted values).
func setFit(res *Result, d *smlData, rho float64, beta []float64) {
	fitted := make([]float64, len(d.y))
	resid := make([]float64, len(d.y))
	for i := range fitted {
		v := rho * d.wy[i]
		for j, c := range d.xs {
			v += beta[j] * c[i]
		}
		fitted[i] = v
		resid[i] = d.y[i] - v
	}
	res.Fitted, res.Residuals = fitted, resid
	res.R2 = map[string]float64{"pseudo": sqCorr(d.y, fitted)}
}

// betweenForms holds BBᵀ reduced to tridiagonal form, T = QᵀBBᵀQ
// (Householder, LAPACK's dsytrd), and the projections p_v = Qᵀ(B z̄_v) of
// the panel's region means, so that for any c ≥ 0
//
//	z̄_aᵀBᵀ(I + cBBᵀ)⁻¹Bz̄_b = p_aᵀ(I + cT)⁻¹p_b,  ln|I + cBBᵀ| = ln|I + cT|,
//
// each in O(N) from the LDLᵀ factorisation of the tridiagonal I + cT (SPD,
// eigenvalues ≥ 1, so no pivoting is needed).
type betweenForms struct {
	d, e []float64   // diagonal and sub-diagonal of T
	p    [][]float64 // projections Qᵀ(B z̄)
}

// newBetweenForms reduces bb (overwritten) and projects the vectors bz.
func newBetweenForms(bb *mat.SymDense, bz [][]float64) (*betweenForms, error) {
	raw := bb.RawSymmetric()
	n := raw.N
	// The lower triangle of a row-major symmetric matrix: copy the upper.
	a := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			v := raw.Data[i*raw.Stride+j]
			a[i*n+j], a[j*n+i] = v, v
		}
	}
	bf := &betweenForms{d: make([]float64, n), e: make([]float64, max(n-1, 0))}
	if n == 0 {
		return nil, errors.New("regress: no regions")
	}
	tau := make([]float64, max(n-1, 1))
	var impl gonumlapack.Implementation
	work := make([]float64, 1)
	impl.Dsytrd(blas.Lower, n, a, n, bf.d, bf.e, tau, work, -1)
	work = make([]float64, max(int(work[0]), 1))
	impl.Dsytrd(blas.Lower, n, a, n, bf.d, bf.e, tau, work, len(work))
	// Qᵀx = H_{n−2} ⋯ H_0 x with H_i = I − τ_i u uᵀ, u[i+1] = 1,
	// u[i+2:] = A[i+2:, i].
	for _, z := range bz {
		x := append([]float64(nil), z...)
		for i := 0; i < n-1; i++ {
			s := x[i+1]
			for r := i + 2; r < n; r++ {
				s += a[r*n+i] * x[r]
			}
			s *= tau[i]
			x[i+1] -= s
			for r := i + 2; r < n; r++ {
				x[r] -= s * a[r*n+i]
			}
		}
		bf.p = append(bf.p, x)
	}
	return bf, nil
}

// forms sets g to the Gram matrix p_aᵀ(I + cT)⁻¹p_b and returns
// ln|I + cT|.
func (bf *betweenForms) forms(c float64, g *mat.SymDense) float64 {
	n, nv := len(bf.d), len(bf.p)
	// LDLᵀ of the tridiagonal I + cT; y = L⁻¹p for every vector.
	y := make([][]float64, nv)
	for v := range y {
		y[v] = make([]float64, n)
	}
	dd := make([]float64, n)
	var logdet float64
	for i := 0; i < n; i++ {
		di := 1 + c*bf.d[i]
		var l float64
		if i > 0 {
			l = c * bf.e[i-1] / dd[i-1]
			di -= l * c * bf.e[i-1]
		}
		dd[i] = di
		logdet += math.Log(di)
		for v, p := range bf.p {
			yi := p[i]
			if i > 0 {
				yi -= l * y[v][i-1]
			}
			y[v][i] = yi
		}
	}
	for a := 0; a < nv; a++ {
		for b := a; b < nv; b++ {
			var s float64
			for i, di := range dd {
				s += y[a][i] * y[b][i] / di
			}
			g.SetSym(a, b, s)
		}
	}
	return logdet
}
