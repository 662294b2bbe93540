package regress

import (
	"fmt"
	"math"

	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/mat"
)

// lagProfile maximises the concentrated log-likelihood of the SAR/SDM on
// the transformed data of d (Anselin 1988; Elhorst 2014, eq. 3.7): with
// e0, e1 the residuals of ỹ and Wỹ on X̃,
//
//	ℓc(ρ) = −m/2 ln((e0 − ρe1)ᵀ(e0 − ρe1)) + τ ld(ρ),
//
// by Brent's method on (lo, hi). m is the number of observations (N·T for
// the static models, N(T−1) or (N−1)(T−1) for the dynamic ones) and τ the
// number of periods the log-determinant counts; reps is the relative
// tolerance of the search (brent). A maximum on the boundary is
// ErrBoundary.
//
// approx, if not nil, is a cheap approximation of ld, dapprox its
// derivative (the power series of
// the exact low-order traces, for an exact but costly sparse Cholesky ld):
// surrogateProfile then finds ρ̂ with a few exact evaluations; when it
// cannot, Brent's search on ld runs as without approx.
func lagProfile(d *smlData, ld, approx, dapprox func(float64) float64, lo, hi, m, tau, reps float64, opt *SpatialOptions) (float64, error) {
	rho, _, err := lagProfileLD(d, ld, approx, dapprox, lo, hi, m, tau, reps, opt)
	return rho, err
}

// lagProfileLD is lagProfile that also returns ld(ρ̂) when the surrogate
// search found it without an exact evaluation at ρ̂ (NaN otherwise): the
// corrected surrogate's value there, exact to rounding (its error term is
// O(|ρ̂ − c|³) with |ρ̂ − c| ≤ tol, c the last exactly evaluated centre).
func lagProfileLD(d *smlData, ld, approx, dapprox func(float64) float64, lo, hi, m, tau, reps float64, opt *SpatialOptions) (float64, float64, error) {
	if opt.fix != nil {
		return opt.fix.rho, math.NaN(), nil
	}
	ofY, ofWY := d.olsOfY, d.olsOfWY
	if opt.SDPDmodNumerics {
		// R's optimize on SDPDmod's tabulated (sawtooth) likelihood
		// follows the rounding of its values: the residuals by
		// Householder QR, as R's lm computes them.
		ofY = func() ([]float64, []float64, error) { return olsQR(d.y, d.xs) }
		ofWY = func() ([]float64, []float64, error) { return olsQR(d.wy, d.xs) }
	}
	_, e0, err := ofY()
	if err != nil {
		return 0, math.NaN(), err
	}
	_, e1, err := ofWY()
	if err != nil {
		return 0, math.NaN(), err
	}
	var e00, e01, e11 float64
	if opt.SDPDmodNumerics {
		e00, e11, e01 = dot(e0, e0), dot(e1, e1), dot(e0, e1) // sequential sums, as R's
	} else {
		e0d := dotsWith(e0, e0, e1)
		e00, e01, e11 = e0d[0], e0d[1], dotsWith(e1, e1)[0]
	}
	negll := func(rho float64) float64 {
		sse := e00 - 2*rho*e01 + rho*rho*e11
		return m/2*math.Log(sse) - tau*ld(rho)
	}
	if approx != nil {
		if rho, ldRho, ok := surrogateProfile(e00, e01, e11, m, tau, ld, approx, dapprox, lo, hi, opt.Tol, reps); ok {
			return rho, ldRho, nil
		}
	}
	rho, _, _, ok := brent(negll, lo, hi, opt.Tol, reps, opt.MaxEval)
	if !ok {
		return rho, math.NaN(), fmt.Errorf("%w: ρ after %d evaluations is %g", ErrNoConvergence, opt.MaxEval, rho)
	}
	if onBoundary(rho, lo, hi) {
		return rho, math.NaN(), fmt.Errorf("%w: ρ = %.10g, interval (%g, %g)", ErrBoundary, rho, lo, hi)
	}
	if _, costly := opt.LogDet.(*spatial.CholeskyLogDet); !costly && opt.Dynamic == 0 && !opt.SDPDmodNumerics {
		rho = scoreRoot(rho, lo, hi, m, tau, e00, e01, e11, ld)
	}
	return rho, math.NaN(), nil
}

// scoreRoot refines Brent's minimiser rho of the concentrated −ℓ(ρ) =
// m/2 ln(e00 − 2ρe01 + ρ²e11) − τ ld(ρ) to the root of its derivative,
// m(ρe11 − e01)/sse(ρ) − τ ld′(ρ), with ld′ by the fourth-order central
// difference of step 1e-4: a search on the values of −ℓ locates ρ̂ only to
// about the square root of their rounding (1e-8 at N·T = 10^6, enough to
// move the printed digits of near-zero coefficients with the rounding of
// the data), its slope to about 1e-11. The root is sought by regula falsi
// (Illinois) within ρ ± 1e-6; rho is returned unchanged when the slope
// does not change sign there (ld not smooth) or the stencil leaves (lo, hi).
func scoreRoot(rho, lo, hi, m, tau, e00, e01, e11 float64, ld func(float64) float64) float64 {
	const h, half = 1e-4, 1e-6
	if rho-half-2*h <= lo || rho+half+2*h >= hi {
		return rho
	}
	slope := func(r float64) float64 {
		sse := e00 - 2*r*e01 + r*r*e11
		dld := (8*(ld(r+h)-ld(r-h)) - (ld(r+2*h) - ld(r-2*h))) / (12 * h)
		return m*(r*e11-e01)/sse - tau*dld
	}
	a, b := rho-half, rho+half
	fa, fb := slope(a), slope(b)
	if !(fa < 0 && fb > 0) {
		return rho
	}
	side := 0
	for it := 0; it < 100 && b-a > 1e-15*math.Max(1, math.Abs(a)); it++ {
		c := (a*fb - b*fa) / (fb - fa)
		if !(c > a && c < b) {
			c = 0.5 * (a + b)
		}
		fc := slope(c)
		switch {
		case fc == 0:
			return c
		case fc < 0:
			a, fa = c, fc
			if side == -1 {
				fb /= 2
			}
			side = -1
		default:
			b, fb = c, fc
			if side == 1 {
				fa /= 2
			}
			side = 1
		}
	}
	return 0.5 * (a + b)
}

// lagCoefficients returns β̂(ρ) and the residuals of ỹ − ρWỹ on X̃, by
// linearity from the least-squares fits of ỹ and Wỹ (cached in d):
// β̂(ρ) = β̂(ỹ) − ρβ̂(Wỹ), e(ρ) = e0 − ρe1.
func lagCoefficients(d *smlData, rho float64) ([]float64, []float64, error) {
	b0, e0, err := d.olsOfY()
	if err != nil {
		return nil, nil, err
	}
	b1, e1, err := d.olsOfWY()
	if err != nil {
		return nil, nil, err
	}
	beta := make([]float64, len(b0))
	for j := range beta {
		beta[j] = b0[j] - rho*b1[j]
	}
	e := make([]float64, len(e0))
	for i := range e {
		e[i] = e0[i] - rho*e1[i]
	}
	return beta, e, nil
}

// fitLag fits SAR and SDM (the SDM is a SAR whose X holds the W·X terms).
//
// Concentrated log-likelihood (Anselin 1988; Elhorst 2014, eq. 3.7): with
// e0, e1 the residuals of ỹ and Wỹ on X̃,
//
//	ℓc(ρ) = −NT/2 ln((e0 − ρe1)ᵀ(e0 − ρe1)) + T ln|I − ρW|,
//
// maximised by Brent's method on the feasible interval.
func fitLag(d *smlData, opt *SpatialOptions) (*Result, error) {
	n, t := d.n, d.t
	k := len(d.xs)
	ld := opt.LogDet
	nt, ft, logDet := d.likelihoodDims(ld)
	// Keep the search's last evaluation (or the surrogate search's ld(ρ̂))
	// for ℓ(ρ̂) rather than factorise again.
	exact := logDet
	lastRho, lastLD := math.NaN(), 0.0
	logDet = func(r float64) float64 {
		if r != lastRho {
			lastRho, lastLD = r, exact(r)
		}
		return lastLD
	}
	lo, hi := searchInterval(ld)
	approx, dapprox := seriesBracket(ld, opt.Traces, d.lyTime)
	rho, ldRho, err := lagProfileLD(d, logDet, approx, dapprox, lo, hi, nt, ft, 1e-12, opt)
	if err != nil {
		return nil, err
	}
	if !math.IsNaN(ldRho) {
		lastRho, lastLD = rho, ldRho // no factorisation at ρ̂ for ℓ(ρ̂)
	}
	opt.phase("optimise")
	beta, e, err := lagCoefficients(d, rho)
	if err != nil {
		return nil, err
	}
	if opt.fix != nil && opt.fix.beta != nil {
		ys := make([]float64, len(d.y))
		for i := range ys {
			ys[i] = d.y[i] - rho*d.wy[i]
		}
		beta, e = opt.fix.coefficients(beta, e, ys, d.xs)
	}
	sse := dot(e, e)
	// e(ρ̂) = e0 − ρ̂e1 is made again after the standard errors (the same
	// numbers), so that its N·T values are not held through them.
	rhoE := rho
	if opt.fix == nil || opt.fix.beta == nil {
		e = nil
	}
	s2 := sse / nt
	ldet := logDet(rho)
	ll := ft*ldet - nt/2*math.Log(2*math.Pi) - nt/2*math.Log(s2) - sse/(2*s2)
	res := &Result{Options: map[string]any{}, Extra: map[string]float64{}}
	nn, tt := float64(n), float64(t)
	if opt.leeYu {
		switch d.effects {
		case "individual":
			s2 *= tt / (tt - 1)
			ll = (tt-1)*ldet - nn*(tt-1)/2*math.Log(2*math.Pi) - nn*(tt-1)/2*math.Log(s2) - sse/(2*s2)
		case "time":
			if d.lyTime {
				break // σ̂² and ℓ are already those of the transformed model
			}
			s2 *= nn / (nn - 1)
			ll = tt*ldet - (nn-1)*tt/2*math.Log(2*math.Pi) - (nn-1)*tt/2*math.Log(s2) - sse/(2*s2)
		}
	}
	if opt.skipInference {
		res.Sigma2 = s2
		res.LogLik = &ll
		for j, nm := range d.names {
			res.Coefficients = append(res.Coefficients, Coefficient{Name: nm, Estimate: beta[j]})
		}
		res.Coefficients = append(res.Coefficients, Coefficient{Name: "rho", Estimate: rho})
		return res, nil
	}
	if opt.leeYu && d.effects == "twoways" && opt.SplmLeeYu {
		// splm: bias correction θ₂ = c ∘ θ − V(θ)/N · a with
		// a = (1/(2σ²), 1/(1−ρ), 0…) and c = (T/(T+1), 1, …) (as coded in
		// splm 1.6-5), V from the uncorrected information matrix.
		info, err := lagInfo(d, opt, rho, beta, s2, nn, tt)
		if err != nil {
			return nil, err
		}
		v, err := symInverse(info)
		if err != nil {
			return nil, err
		}
		a := make([]float64, k+2)
		a[0] = 1 / (2 * s2)
		a[1] = 1 / (1 - rho)
		coefs := append([]float64{s2 * tt / (tt + 1), rho}, beta...)
		for i := range coefs {
			var b float64
			for j := range a {
				b += v.At(i, j) * a[j]
			}
			coefs[i] -= b / nn
		}
		s2, rho, beta = coefs[0], coefs[1], coefs[2:]
	}
	if opt.leeYu {
		nn, tt = leeYuDims(n, t, d.effects, true)
	}
	info, err := lagInfo(d, opt, rho, beta, s2, nn, tt)
	if err != nil {
		return nil, err
	}
	v, err := symInverse(info)
	if err != nil {
		return nil, err
	}
	vc := lagVcov(v, k)
	for j, nm := range d.names {
		res.Coefficients = append(res.Coefficients, Coefficient{Name: nm, Estimate: beta[j]})
	}
	res.Coefficients = append(res.Coefficients, Coefficient{Name: "rho", Estimate: rho})
	res.Vcov = vc
	res.Sigma2 = s2
	res.LogLik = &ll
	res.Extra["sigma2_std_error"] = math.Sqrt(v.At(0, 0))
	if e == nil {
		if _, e, err = lagCoefficients(d, rhoE); err != nil {
			return nil, err
		}
	}
	fitted := make([]float64, len(d.y))
	res.Residuals = e
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

// surrogateProfile minimises the concentrated −ℓ(ρ) = m/2 ln(e00 − 2ρe01 +
// ρ²e11) − τ ld(ρ) with few evaluations of the costly exact ld, by a
// corrected surrogate: around the current point c it evaluates ld at c and
// c ± h, fits the error ld − approx there by a quadratic q, and moves c to
// the root of the surrogate's slope with approx + q (bisection, no exact
// evaluation) within c ± 0.05; h is 1e-4 in the first round (the model's
// error is O(h²·ld‴) plus O(step²·ld‴), so a narrow first stencil saves a
// round when the series brackets ρ̂ closely) and then follows the step
// within [1e-4, 1e-3]. When the first step is long (over 5e-5: a poor
// series, ρ̂ far from its bracket), one more exact value at the predicted
// point makes q cubic through four points, whose root the next round
// confirms rather than corrects. At a fixed point the surrogate's slope is
// the exact one up to O(h²·ld‴), so c is the exact profile's stationary
// point. It reports
// success only when the step fell below tol and the exact −ℓ at c is below
// its values at c ± h (a minimum), within 8 rounds; otherwise the caller
// searches ld by Brent's method. With ρ̂ it returns ld(ρ̂) from the
// corrected surrogate, approx(ρ̂) + q(ρ̂): q interpolates the smooth error
// ld − approx at c and c ± h, so its error at ρ̂, |ρ̂ − c| ≤ tol, is of
// order tol·h²·(ld − approx)‴, far below rounding.
func surrogateProfile(e00, e01, e11, m, tau float64, ld func(float64) float64, approx, dapprox func(float64) float64, lo, hi, tol, reps float64) (float64, float64, bool) {
	prof := func(r, l float64) float64 {
		return m/2*math.Log(e00-2*r*e01+r*r*e11) - tau*l
	}
	c, _, _, ok := brent(func(r float64) float64 { return prof(r, approx(r)) }, lo, hi, 1e-8, reps, 1000)
	if !ok || onBoundary(c, lo, hi) {
		return 0, 0, false
	}
	h := 1e-4
	// root returns the root of the surrogate's slope
	// m(ρe11 − e01)/sse − τ(approx′ + q′) within c ± 0.05 by bisection
	// (the slope, unlike −ℓ's values, locates the minimiser to rounding),
	// q′(r) = d1 + d2 s + d3 s²/2, s = r − c.
	root := func(c, d1, d2, d3 float64) (float64, bool) {
		slope := func(r float64) float64 {
			s := r - c
			return m*(r*e11-e01)/(e00-2*r*e01+r*r*e11) - tau*(dapprox(r)+d1+d2*s+0.5*d3*s*s)
		}
		l, u := math.Max(lo, c-0.05), math.Min(hi, c+0.05)
		if !(slope(l) < 0 && slope(u) > 0) {
			return 0, false
		}
		for it := 0; it < 200 && u-l > 1e-15*math.Max(1, math.Abs(l)); it++ {
			mid := 0.5 * (l + u)
			if slope(mid) < 0 {
				l = mid
			} else {
				u = mid
			}
		}
		return 0.5 * (l + u), true
	}
	for round := 0; round < 8; round++ {
		a, b := c-h, c+h
		if a <= lo || b >= hi {
			return 0, 0, false
		}
		la, lc, lb := ld(a), ld(c), ld(b)
		ea, ec, eb := la-approx(a), lc-approx(c), lb-approx(b)
		d1, d2 := (eb-ea)/(2*h), (eb-2*ec+ea)/(h*h)
		next, ok := root(c, d1, d2, 0)
		if !ok {
			return 0, 0, false
		}
		step := math.Abs(next - c)
		if step <= tol {
			fc := prof(c, lc)
			if fc <= prof(a, la) && fc <= prof(b, lb) {
				// ld(ρ̂) = approx(ρ̂) + q(ρ̂), q(r) = ec + d1(r − c) + d2(r − c)²/2
				// through (c, ec) with slope d1 and curvature d2 from c ± h.
				dr := next - c
				return next, approx(next) + (ec + d1*dr + 0.5*d2*dr*dr), true
			}
			return 0, 0, false
		}
		nh := math.Min(1e-3, math.Max(1e-4, step))
		if round == 0 && step > 5e-5 {
			// The series left ρ̂ far from c, where the quadratic's
			// O(step²·(ld − approx)‴) error would cost a round: one more
			// exact value at the predicted point x = c + δ gives the cubic
			// through a, c, b, x, and its root is accurate enough for the
			// next round (narrow again) to confirm.
			if lx := ld(next); !math.IsNaN(lx) {
				dl := next - c
				ex := lx - approx(next)
				d3 := 6 * (ex - ec - d1*dl - 0.5*d2*dl*dl) / (dl*dl*dl - h*h*dl)
				if c3, ok := root(c, d1-d3*h*h/6, d2, d3); ok && !math.IsNaN(d3) {
					next, nh = c3, 1e-4
				}
			}
		}
		c, h = next, nh
	}
	return 0, 0, false
}

// seriesBracket returns the cheap approximation of the log-determinant
// that brackets ρ̂ in lagProfile: for an exact sparse Cholesky ld with
// stochastic traces, the power series −Σ_{k≤K} ρ^k tr(W^k)/k of the exact
// low-order traces (LeSage and Pace 2009, sec. 4.1), minus ln(1 − ρ)
// under the Lee–Yu time transformation; nil otherwise (cheap or exact
// log-determinants need no bracket).
func seriesBracket(ld spatial.LogDeterminant, tr Traces, lyTime bool) (f, df func(float64) float64) {
	if _, ok := ld.(*spatial.CholeskyLogDet); !ok {
		return nil, nil
	}
	st, ok := tr.(*StochasticTraces)
	if !ok || st.order < 2 || len(st.exact) <= st.order {
		return nil, nil
	}
	t := st.exact[:st.order+1]
	f = func(rho float64) float64 {
		var v float64
		pw := 1.0
		for k := 1; k < len(t); k++ {
			pw *= rho
			v -= pw * t[k] / float64(k)
		}
		if lyTime {
			v -= math.Log(1 - rho)
		}
		return v
	}
	df = func(rho float64) float64 {
		var v float64
		pw := 1.0
		for k := 1; k < len(t); k++ {
			v -= pw * t[k]
			pw *= rho
		}
		if lyTime {
			v += 1 / (1 - rho)
		}
		return v
	}
	return f, df
}

// lagVcov returns the covariance of (β, ρ) from that of (σ², ρ, β), k the
// length of β.
func lagVcov(v mat.Symmetric, k int) *mat.SymDense {
	vc := mat.NewSymDense(k+1, nil)
	idx := make([]int, k+1)
	for j := 0; j < k; j++ {
		idx[j] = j + 2
	}
	idx[k] = 1
	for a := 0; a <= k; a++ {
		for b := a; b <= k; b++ {
			vc.SetSym(a, b, v.At(idx[a], idx[b]))
		}
	}
	return vc
}

// lagInfo is the information matrix of (σ², ρ, β) of the SAR/SDM panel
// (splm's spfml, spatialreg's lagsarlm): with W̃ = W(I−ρW)⁻¹ and Ŵ = I_T⊗W̃,
//
//	I_σσ = NT/(2σ⁴), I_σρ = T tr(W̃)/σ²,
//	I_ρρ = T(tr(W̃²) + tr(W̃ᵀW̃)) + (ŴX̃β)ᵀ(ŴX̃β)/σ²,
//	I_ρβ = X̃ᵀŴX̃β/σ², I_ββ = X̃ᵀX̃/σ².
//
// nn and tt are N and T (N−1, T−1 under the Lee–Yu correction).
func lagInfo(d *smlData, opt *SpatialOptions, rho float64, beta []float64, s2, nn, tt float64) (*mat.SymDense, error) {
	k := len(d.xs)
	tr1, tr2, trTT, err := opt.Traces.Moments(rho)
	if err != nil {
		return nil, err
	}
	if d.lyTime {
		if tr1, tr2, trTT, err = lyTimeMoments(d.w, rho, tr1, tr2, trTT); err != nil {
			return nil, err
		}
	}
	// Ŵ X̃β in the buffer of X̃β, which is not needed again.
	wxb := combine(d.xs, beta, len(d.y))
	if err := lagSolveIRW(d.w, rho, wxb, d.n, d.t); err != nil {
		return nil, err
	}
	if d.lyTime {
		wxb = demean(wxb, d.n, d.t, "time") // P·G·X̃β of the transformed model
	}
	if d.centre {
		centrePeriods(wxb, d.n, d.t)
	}
	// X̃ᵀX̃ and X̃ᵀŴX̃β by the blocked parallel passes of least squares.
	g, xw := d.olsFit().crossProducts(wxb)
	info := mat.NewSymDense(k+2, nil)
	info.SetSym(0, 0, nn*tt/(2*s2*s2))
	info.SetSym(0, 1, tt*tr1/s2)
	info.SetSym(1, 1, tt*(tr2+trTT)+dotsWith(wxb, wxb)[0]/s2)
	for j := 0; j < k; j++ {
		info.SetSym(1, j+2, xw[j]/s2)
		for l := j; l < k; l++ {
			info.SetSym(j+2, l+2, g[j*k+l]/s2)
		}
	}
	return info, nil
}
