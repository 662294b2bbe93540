package regress

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// fitError fits SEM and SDEM.
//
// Concentrated log-likelihood (Elhorst 2014, eq. 3.11): with
// ỹ(λ) = ỹ − λWỹ and X̃(λ) = X̃ − λWX̃,
//
//	ℓc(λ) = −NT/2 ln SSE(λ) + T ln|I − λW|,
//
// SSE(λ) the residual sum of squares of ỹ(λ) on X̃(λ), evaluated from a
// Gram matrix computed once, so that each evaluation costs O(k³) plus the
// log-determinant.
func fitError(d *smlData, opt *SpatialOptions) (*Result, error) {
	n, t := d.n, d.t
	k := len(d.xs)
	cols := append([][]float64{d.y, d.wy}, d.xs...)
	cols = append(cols, d.wxs...)
	g := gram(cols)
	m := len(cols)
	dm := mat.NewDense(m, k, nil)
	c := make([]float64, m)
	setLambda := func(lam float64) {
		c[0], c[1] = 1, -lam
		for j := 0; j < k; j++ {
			dm.Set(2+j, j, 1)
			dm.Set(2+k+j, j, -lam)
		}
	}
	ld := opt.LogDet
	nt, ft, logDet := d.likelihoodDims(ld)
	negll := func(lam float64) float64 {
		setLambda(lam)
		sse, ok := comboSSR(g, c, dm)
		if !ok || sse <= 0 {
			return math.Inf(1)
		}
		return nt/2*math.Log(sse) - ft*logDet(lam)
	}
	lo, hi := searchInterval(ld)
	lam, _, _, ok := brentMin(negll, lo, hi, opt.Tol, opt.MaxEval)
	if opt.fix != nil {
		lam, ok = opt.fix.lambda, true
	}
	if !ok {
		return nil, fmt.Errorf("%w: λ after %d evaluations is %g", ErrNoConvergence, opt.MaxEval, lam)
	}
	if onBoundary(lam, lo, hi) {
		return nil, fmt.Errorf("%w: λ = %.10g, interval (%g, %g)", ErrBoundary, lam, lo, hi)
	}
	ys := make([]float64, len(d.y))
	for i := range ys {
		ys[i] = d.y[i] - lam*d.wy[i]
	}
	xs := make([][]float64, k)
	for j := range xs {
		xs[j] = make([]float64, len(d.y))
		for i := range xs[j] {
			xs[j][i] = d.xs[j][i] - lam*d.wxs[j][i]
		}
	}
	beta, e, err := ols(ys, xs)
	if err != nil {
		return nil, err
	}
	beta, e = opt.fix.coefficients(beta, e, ys, xs)
	sse := dot(e, e)
	s2 := sse / nt
	ldet := logDet(lam)
	// Full Gaussian log-likelihood (splm's logLik for error models leaves
	// out the constant and the σ² terms).
	ll := ft*ldet - nt/2*math.Log(2*math.Pi) - nt/2*math.Log(s2) - sse/(2*s2)
	if opt.leeYu && !d.lyTime && d.effects != "twoways" {
		// The likelihood of the transformed model (Lee and Yu 2010), with
		// N(T−1) or (N−1)T observations, as for the lag models, so that
		// LR tests between them compare like with like.
		nn, tt := leeYuDims(n, t, d.effects, true)
		ll = tt*ldet - nn*tt/2*(math.Log(2*math.Pi*sse/(nn*tt))+1)
	}
	res := &Result{Options: map[string]any{}, Extra: map[string]float64{}}
	if opt.skipInference {
		res.Sigma2 = s2
		res.LogLik = &ll
		for j, nm := range d.names {
			res.Coefficients = append(res.Coefficients, Coefficient{Name: nm, Estimate: beta[j]})
		}
		res.Coefficients = append(res.Coefficients, Coefficient{Name: "lambda", Estimate: lam})
		return res, nil
	}
	xtx := mat.NewSymDense(k, nil)
	for a := 0; a < k; a++ {
		for b := a; b < k; b++ {
			xtx.SetSym(a, b, dot(xs[a], xs[b]))
		}
	}
	vb, err := symInverse(xtx)
	if err != nil {
		return nil, err
	}
	nn, tt := float64(n), float64(t)
	if opt.leeYu && d.effects == "twoways" && opt.SplmLeeYu {
		// splm's bias correction with V from the uncorrected information.
		tr1, tr2, trTT, err := opt.Traces.Moments(lam)
		if err != nil {
			return nil, err
		}
		info := mat.NewSymDense(k+2, nil)
		info.SetSym(0, 0, nt/(2*s2*s2))
		info.SetSym(0, 1, tt*tr1/s2)
		info.SetSym(1, 1, tt*(tr2+trTT))
		for a := 0; a < k; a++ {
			for b := a; b < k; b++ {
				info.SetSym(a+2, b+2, xtx.At(a, b)/s2)
			}
		}
		v, err := symInverse(info)
		if err != nil {
			return nil, err
		}
		a := make([]float64, k+2)
		a[0] = 1 / (2 * s2)
		a[1] = 1 / (1 - lam)
		coefs := append([]float64{s2 * tt / (tt + 1), lam}, beta...)
		for i := range coefs {
			var b float64
			for j := range a {
				b += v.At(i, j) * a[j]
			}
			coefs[i] -= b / nn
		}
		s2, lam, beta = coefs[0], coefs[1], coefs[2:]
	} else if opt.leeYu && d.effects == "individual" {
		s2 *= tt / (tt - 1)
	} else if opt.leeYu && d.effects == "time" && !d.lyTime {
		s2 *= nn / (nn - 1)
	}
	if opt.leeYu {
		nn, tt = leeYuDims(n, t, d.effects, true)
	}
	tr1, tr2, trTT, err := opt.Traces.Moments(lam)
	if err != nil {
		return nil, err
	}
	if d.lyTime {
		if tr1, tr2, trTT, err = lyTimeMoments(d.we, lam, tr1, tr2, trTT); err != nil {
			return nil, err
		}
	}
	// (σ², λ) block: [[NT/(2σ⁴), T tr(W̃)/σ²], [·, T(tr(W̃²)+tr(W̃ᵀW̃))]].
	i11 := nn * tt / (2 * s2 * s2)
	i12 := tt * tr1 / s2
	i22 := tt * (tr2 + trTT)
	det := i11*i22 - i12*i12
	if !(det > 0) {
		return nil, fmt.Errorf("regress: information matrix of (σ², λ) is singular at λ = %g", lam)
	}
	varLam := i11 / det
	varS2 := i22 / det
	// β block: σ²(X̃(λ)ᵀX̃(λ))⁻¹ with the σ² reported (Lee–Yu scaled when
	// asked), as splm's vcov.
	vc := mat.NewSymDense(k+1, nil)
	for a := 0; a < k; a++ {
		for b := a; b < k; b++ {
			vc.SetSym(a, b, s2*vb.At(a, b))
		}
	}
	vc.SetSym(k, k, varLam)
	for j, nm := range d.names {
		res.Coefficients = append(res.Coefficients, Coefficient{Name: nm, Estimate: beta[j]})
	}
	res.Coefficients = append(res.Coefficients, Coefficient{Name: "lambda", Estimate: lam})
	res.Vcov = vc
	res.Sigma2 = s2
	res.LogLik = &ll
	res.Extra["sigma2_std_error"] = math.Sqrt(varS2)
	res.Residuals = e
	fitted := make([]float64, len(d.y))
	for i := range fitted {
		fitted[i] = d.y[i] - e[i]
	}
	res.Fitted = fitted
	res.R2 = map[string]float64{"pseudo": sqCorr(d.y, fitted)}
	if fe := recoverEffects(d, 0, beta); fe != nil {
		res.FixedEffects = fe
		res.Extra["fe_mean"] = fe.Mean
	}
	return res, nil
}

// fitSLX fits y = Xβ + WXθ (+ effects) by least squares, with the
// classical covariance s²(X̃ᵀX̃)⁻¹, s² = SSE/(NT − k − #effects) as plm's
// within estimator (or lm for a cross-section) and the Gaussian
// log-likelihood at σ² = SSE/NT.
func fitSLX(d *smlData, opt *SpatialOptions) (*Result, error) {
	n, t := d.n, d.t
	nt := float64(n * t)
	k := len(d.xs)
	beta, e, err := ols(d.y, d.xs)
	if err != nil {
		return nil, err
	}
	sse := dot(e, e)
	df := nt - float64(k)
	switch d.effects {
	case "individual":
		df -= float64(n)
	case "time":
		df -= float64(t)
	case "twoways":
		df -= float64(n + t - 1)
	}
	if df <= 0 {
		return nil, fmt.Errorf("regress: no residual degrees of freedom (%g)", df)
	}
	s2 := sse / df
	xtx := mat.NewSymDense(k, nil)
	for a := 0; a < k; a++ {
		for b := a; b < k; b++ {
			xtx.SetSym(a, b, dot(d.xs[a], d.xs[b]))
		}
	}
	vb, err := symInverse(xtx)
	if err != nil {
		return nil, err
	}
	vb.ScaleSym(s2, vb)
	ll := -nt/2*math.Log(2*math.Pi) - nt/2*math.Log(sse/nt) - nt/2
	res := &Result{Options: map[string]any{}, Extra: map[string]float64{}, Vcov: vb, Sigma2: s2, LogLik: &ll}
	for j, nm := range d.names {
		res.Coefficients = append(res.Coefficients, Coefficient{Name: nm, Estimate: beta[j]})
	}
	res.Residuals = e
	fitted := make([]float64, len(d.y))
	for i := range fitted {
		fitted[i] = d.y[i] - e[i]
	}
	res.Fitted = fitted
	res.R2 = map[string]float64{"pseudo": sqCorr(d.y, fitted)}
	if fe := recoverEffects(d, 0, beta); fe != nil {
		res.FixedEffects = fe
		res.Extra["fe_mean"] = fe.Mean
	}
	return res, nil
}
