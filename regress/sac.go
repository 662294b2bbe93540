package regress

import (
	"fmt"
	"math"

	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/mat"
)

// fitSAC fits the SAC (SARAR) model y = ρWy + Xβ + u, u = λWu + ε.
//
// Concentrated log-likelihood: with ỹ(ρ,λ) = (I−λW)(I−ρW)ỹ and
// X̃(λ) = (I−λW)X̃,
//
//	ℓc(ρ, λ) = −NT/2 ln SSE(ρ, λ) + T ln|I − ρW| + T ln|I − λW|,
//
// every SSE from one Gram matrix of (ỹ, Wỹ, W²ỹ, X̃, WX̃). ℓc can have
// several local maxima (with one W it is symmetric in ρ and λ but for the
// regressors' part, and a second maximum near λ → 1 is common): it is
// maximised globally from a grid over (ρ, λ) by nested Brent searches
// (sacObjective.maximise), each to the tolerance of the options.
func fitSAC(d *smlData, opt *SpatialOptions) (*Result, error) {
	n, t := d.n, d.t
	nt := float64(n * t)
	k := len(d.xs)
	obj := newSACObjective(d, opt)
	w2y, wwy := obj.w2y, obj.wwy
	ld, ld2 := obj.ld, obj.ld2
	lo, hi, lo2, hi2 := obj.lo, obj.hi, obj.lo2, obj.hi2
	var rho, lam float64
	var others []sacMax
	if opt.fix != nil {
		rho, lam = opt.fix.rho, opt.fix.lambda
	} else {
		best, oth, err := obj.maximise(opt.Tol, opt.MaxEval)
		if err != nil {
			return nil, err
		}
		rho, lam, others = best.rho, best.lam, oth
	}
	if onBoundary(rho, lo, hi) || onBoundary(lam, lo2, hi2) {
		return nil, fmt.Errorf("%w: ρ = %.10g in (%g, %g), λ = %.10g in (%g, %g)", ErrBoundary, rho, lo, hi, lam, lo2, hi2)
	}
	ys := make([]float64, len(d.y))
	for i := range ys {
		ys[i] = d.y[i] - rho*d.wy[i] - lam*w2y[i] + rho*lam*wwy[i]
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
	ldet := ld.LogDet(rho) + ld2.LogDet(lam)
	ll := float64(t)*ldet - nt/2*math.Log(2*math.Pi*s2) - sse/(2*s2)
	// Lee–Yu for one-way effects as for the SAR (splm's conventions):
	// σ² scaled by T/(T−1) (individual) or N/(N−1) (time), and the
	// information matrix with T−1 or N−1.
	nn, tt := leeYuDims(n, t, d.effects, opt.leeYu)
	if opt.leeYu {
		switch d.effects {
		case "individual":
			s2 *= float64(t) / float64(t-1)
			ll = tt*ldet - nn*tt/2*math.Log(2*math.Pi*s2) - sse/(2*s2)
		case "time":
			s2 *= float64(n) / float64(n-1)
			ll = tt*ldet - nn*tt/2*math.Log(2*math.Pi*s2) - sse/(2*s2)
		}
	}
	res := &Result{Options: map[string]any{}, Extra: map[string]float64{}, Sigma2: s2, LogLik: &ll}
	for j, nm := range d.names {
		res.Coefficients = append(res.Coefficients, Coefficient{Name: nm, Estimate: beta[j]})
	}
	res.Coefficients = append(res.Coefficients,
		Coefficient{Name: "rho", Estimate: rho}, Coefficient{Name: "lambda", Estimate: lam})
	for _, m := range others {
		// The gap in the reported log-likelihood's units (under Lee–Yu
		// (T−1)/T or (N−1)/N of the search's): the LR statistic is 2·gap.
		if gap := obj.logLik(rho, lam, nn, tt) - obj.logLik(m.rho, m.lam, nn, tt); gap < sacCloseMaxima {
			res.Messages = append(res.Messages, fmt.Sprintf("the SAC likelihood has a second local maximum at ρ = %.4g, λ = %.4g, its log-likelihood only %.3g below the estimate's (a likelihood-ratio test at 5%% cannot tell them apart): ρ and λ are weakly identified and may trade places", m.rho, m.lam, gap))
		}
	}
	if opt.skipInference {
		return res, nil
	}
	// Information matrix of (σ², ρ, λ, β) (Anselin 1988; spatialreg's
	// sacsarlm) with G = W(I−ρW)⁻¹, H = W(I−λW)⁻¹, B = I−λW, all per
	// period; with one W, G, H and B commute:
	//   I_σσ = NT/(2σ⁴), I_σρ = T tr G/σ², I_σλ = T tr H/σ²,
	//   I_ρρ = T(tr G² + tr GᵀG) + |BGX̃β|²/σ²,
	//   I_ρλ = T(tr HG + tr HᵀG), I_λλ = T(tr H² + tr HᵀH),
	//   I_ρβ = (BX̃)ᵀBGX̃β/σ², I_ββ = (BX̃)ᵀBX̃/σ², I_λβ = 0.
	var tg1, tg2, tgg, th1, th2, thh, tgh, tgth float64
	if d.we == d.w {
		if tg1, tg2, tgg, err = opt.Traces.Moments(rho); err != nil {
			return nil, err
		}
		if th1, th2, thh, err = opt.Traces.Moments(lam); err != nil {
			return nil, err
		}
		if tgh, tgth, err = opt.Traces.CrossMoments(rho, lam); err != nil {
			return nil, err
		}
	} else {
		if tg1, tg2, tgg, th1, th2, thh, tgh, tgth, err = sacTwoTraces(d.w, d.we, rho, lam); err != nil {
			return nil, err
		}
	}
	xb := make([]float64, len(d.y))
	for j, c := range d.xs {
		for i := range xb {
			xb[i] += beta[j] * c[i]
		}
	}
	z, err := solveIRW(d.w, rho, xb, n, t)
	if err != nil {
		return nil, err
	}
	gxb := lagPanel(d.w, z, n, t)
	wg := lagPanel(d.we, gxb, n, t)
	for i := range gxb {
		gxb[i] -= lam * wg[i]
	}
	info := mat.NewSymDense(k+3, nil)
	info.SetSym(0, 0, nn*tt/(2*s2*s2))
	info.SetSym(0, 1, tt*tg1/s2)
	info.SetSym(0, 2, tt*th1/s2)
	info.SetSym(1, 1, tt*(tg2+tgg)+dot(gxb, gxb)/s2)
	info.SetSym(1, 2, tt*(tgh+tgth))
	info.SetSym(2, 2, tt*(th2+thh))
	for a := 0; a < k; a++ {
		info.SetSym(1, a+3, dot(xs[a], gxb)/s2)
		for b := a; b < k; b++ {
			info.SetSym(a+3, b+3, dot(xs[a], xs[b])/s2)
		}
	}
	v, err := symInverse(info)
	if err != nil {
		return nil, err
	}
	idx := make([]int, k+2)
	for j := 0; j < k; j++ {
		idx[j] = j + 3
	}
	idx[k], idx[k+1] = 1, 2
	vc := mat.NewSymDense(k+2, nil)
	for a := range idx {
		for b := a; b < len(idx); b++ {
			vc.SetSym(a, b, v.At(idx[a], idx[b]))
		}
	}
	res.Vcov = vc
	if r := v.At(1, 2) / math.Sqrt(v.At(1, 1)*v.At(2, 2)); math.Abs(r) > sacHighCorrelation {
		res.Messages = append(res.Messages, fmt.Sprintf("the estimates of ρ and λ are correlated at %.3f (inverse information matrix): they are weakly identified, and their standard errors understate how far apart ρ and λ may be", r))
	}
	res.Extra["sigma2_std_error"] = math.Sqrt(v.At(0, 0))
	res.Residuals = e
	fitted := make([]float64, len(d.y))
	for i := range fitted {
		fitted[i] = d.y[i] - e[i]
	}
	res.Fitted = fitted
	res.R2 = map[string]float64{"pseudo": sqCorr(d.y, fitted)}
	if fe := recoverEffects(d, rho, beta); fe != nil {
		res.FixedEffects = fe
		res.Extra["fe_mean"] = fe.Mean
	}
	return res, nil
}

// sacTwoTraces returns the trace terms of the SAC information matrix with
// different lag and error weights W1, W2 (spatialreg's sacsarlm), densely:
// with A = I − ρW1, B = I − λW2, G = W1A⁻¹, H = W2B⁻¹ and C = BGB⁻¹,
//
//	tg1 = tr G, tg2 = tr G², tgg = tr CᵀC,
//	th1 = tr H, th2 = tr H², thh = tr HᵀH,
//	tgh + tgth = tr(W2 G B⁻¹) + tr(HᵀC)   (returned as tgh and tgth).
func sacTwoTraces(w1, w2 *spatial.Weights, rho, lam float64) (tg1, tg2, tgg, th1, th2, thh, tgh, tgth float64, err error) {
	n := w1.N()
	if err = spatial.CheckDense(n, n, 10, "the SAC information matrix with two weights matrices (dense inverses)", "use the same weights for lag and error, whose traces are sparse"); err != nil {
		return 0, 0, 0, 0, 0, 0, 0, 0, fmt.Errorf("regress: %w", err)
	}
	inv := func(w *spatial.Weights, r float64) (*mat.Dense, *mat.Dense, error) {
		a := w.Dense()
		a.Scale(-r, a)
		for i := 0; i < n; i++ {
			a.Set(i, i, a.At(i, i)+1)
		}
		var ai mat.Dense
		if err := ai.Inverse(a); err != nil {
			return nil, nil, fmt.Errorf("regress: I − %gW is singular: %w", r, err)
		}
		return a, &ai, nil
	}
	_, ai, err := inv(w1, rho)
	if err != nil {
		return
	}
	b, bi, err := inv(w2, lam)
	if err != nil {
		return
	}
	var g, h, cm, tmp, p mat.Dense
	g.Mul(w1.Dense(), ai)
	h.Mul(w2.Dense(), bi)
	tmp.Mul(b, &g)
	cm.Mul(&tmp, bi)
	tr := func(m *mat.Dense) float64 { return mat.Trace(m) }
	frob := func(x, y *mat.Dense) float64 { // tr(xᵀy)
		var s float64
		for i := 0; i < n; i++ {
			xr, yr := x.RawRowView(i), y.RawRowView(i)
			for j := range xr {
				s += xr[j] * yr[j]
			}
		}
		return s
	}
	tg1 = tr(&g)
	p.Mul(&g, &g)
	tg2 = tr(&p)
	tgg = frob(&cm, &cm)
	th1 = tr(&h)
	p.Mul(&h, &h)
	th2 = tr(&p)
	thh = frob(&h, &h)
	var q mat.Dense
	q.Mul(w2.Dense(), &g)
	p.Mul(&q, bi)
	tgh = tr(&p)
	tgth = frob(&h, &cm)
	return
}
