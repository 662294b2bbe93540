package regress

import (
	"errors"
	"fmt"
	"math"
	"math/cmplx"
	"slices"
	"strings"

	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// The time lags of a dynamic spatial panel (SpatialOptions.Dynamic), as
// xsmle's dlag option numbers them.
const (
	DLagY    = 1 // γ y(t−1)
	DLagWY   = 2 // δ W·y(t−1)
	DLagBoth = 3 // γ y(t−1) + δ W·y(t−1)
)

// dynFit is the state of one dynamic fit: the transformed data (periods
// 2…T) and the eigenvalue machinery of the transformed weights.
type dynFit struct {
	d      *smlData
	opt    *SpatialOptions
	gi, di int  // positions of γ and δ among d.xs, −1 when absent
	centre bool // time effects: the Lee–Yu transformation over regions
	indiv  bool // individual effects: the Nickell-type bias is corrected
	nn, tt float64
	vals   []complex128      // eigenvalues of W (nil at large N)
	st     *StochasticTraces // large N: power traces tr(Wᵏ)
	unit   int               // index in vals of the unit eigenvalue F'WF drops, −1 none
	ldW    spatial.LogDeterminant
	ld     func(float64) float64 // log-determinant the likelihood uses
	yname  string
	lagRaw [][]float64 // untransformed y(t−1) and W·y(t−1) of the kept lags
}

// dynState is one parameter vector (β incl. γ and δ in the order of d.xs, ρ,
// σ²) with its inference.
type dynState struct {
	beta []float64
	rho  float64
	s2   float64
	v    *mat.SymDense // covariance of (β, ρ)
	s2se float64
	ll   float64
}

// fitDynamic fits the dynamic SAR or SDM of the package documentation
// ("Dynamic spatial panels").
func fitDynamic(p *SpatialPanel, opt SpatialOptions, effects string) (*Result, error) {
	switch {
	case opt.Dynamic < DLagY || opt.Dynamic > DLagBoth:
		return nil, fmt.Errorf("regress: dynamic lags %d unknown (want 1 for y(t-1), 2 for W*y(t-1), 3 for both)", opt.Dynamic)
	case opt.Model != SAR && opt.Model != SDM:
		return nil, fmt.Errorf("regress: dynamic models are SAR or SDM, not %s", opt.Model)
	case effects != "individual" && effects != "time" && effects != "twoways":
		return nil, fmt.Errorf("regress: dynamic models need individual, time or twoways fixed effects, not %s", effects)
	case p == nil || !p.hasRegressors():
		return nil, errors.New("regress: no data")
	case opt.W == nil:
		return nil, errors.New("regress: spatial models need a weights matrix")
	case p.T < 3:
		return nil, fmt.Errorf("regress: a dynamic panel needs at least three periods (one is lost to the lag), the data have %d", p.T)
	}
	if err := ConsecutivePeriods(p); err != nil {
		return nil, err
	}
	f := &dynFit{opt: &opt, centre: effects == "time" || effects == "twoways", indiv: effects != "time", gi: -1, di: -1, unit: -1}
	f.yname = p.Response
	if f.yname == "" {
		f.yname = "y"
	}
	if f.centre {
		for i, s := range opt.W.RowSums() {
			if math.Abs(s-1) > 1e-10 {
				return nil, fmt.Errorf("regress: dynamic models with %s effects need row-standardised weights (the Lee–Yu transformation), region %s has row sum %g", effects, p.regionName(i), s)
			}
		}
	}
	d, err := f.prepare(p, effects)
	if err != nil {
		return nil, err
	}
	f.d = d
	n, t := d.n, d.t
	f.nn, f.tt = float64(n), float64(t)
	if f.centre {
		f.nn--
	}
	if err := f.spectrum(); err != nil {
		return nil, err
	}
	f.ld = f.logDet
	lo, hi := searchInterval(f.ldW)
	if f.centre {
		hi = math.Min(hi, 1-1e-9)
	}
	reps := 1e-12
	if opt.SDPDmodNumerics {
		var g *logDetGrid
		if g, err = f.grid(); err != nil {
			return nil, err
		}
		f.ld, lo, hi = g.lookup, g.rho[0], g.rho[len(g.rho)-1]
		opt.Tol, reps = 0x1p-13, 0x1p-26 // R's optimize: ε^¼, sqrt(ε)
	}
	rho, err := lagProfile(d, f.ld, nil, nil, lo, hi, f.nn*f.tt, f.tt, reps, &opt)
	if err != nil {
		return nil, err
	}
	qml, err := f.state(rho, nil, 0)
	if err != nil {
		return nil, err
	}
	info, err := f.inference(qml)
	if err != nil {
		return nil, err
	}
	res := &Result{Options: map[string]any{}, Extra: map[string]float64{}}
	est := qml
	correct := f.indiv && !opt.NoBiasCorrection
	if correct {
		bc, mm, err := f.biasCorrect(qml, info)
		if err != nil {
			return nil, err
		}
		if _, err := f.inference(bc); err != nil {
			return nil, err
		}
		est = bc
		if mm > 0 {
			res.Messages = append(res.Messages, fmt.Sprintf("%d eigenvalue(s) of (I − ρW)⁻¹(γI + δW) at the QML estimates lie near or above 1 (a unit root or spatial cointegration): the correction removes them as Yu, de Jong and Lee (2012) do", mm))
		}
		res.Uncorrected = f.coefficients(qml)
		res.Extra["sigma2_qml"] = qml.s2
		res.Extra["loglik_qml"] = qml.ll
	}
	res.Coefficients = f.coefficients(est)
	res.recordSDs(d.yraw, d.names, d.rawColumns())
	res.Vcov = est.v
	res.Sigma2 = est.s2
	ll := est.ll
	res.LogLik = &ll
	res.Extra["sigma2_std_error"] = est.s2se
	res.Model = string(opt.Model)
	res.Effects = effects
	res.N, res.T, res.NObs = n, t, n*t
	res.Messages = append(append([]string{fmt.Sprintf("dynamic panel: the first period (%s) is lost to the time lag; %d periods remain", periodLabel(p, 0), t)}, d.messages...), res.Messages...)
	res.Options["dlag"] = opt.Dynamic
	res.Options["style"] = opt.W.Style().String()
	res.Options["logdet"] = f.ldW.Method()
	res.Options["logdet_error"] = f.ldW.ErrorBound()
	switch {
	case correct && effects == "individual":
		res.Options["estimator"] = "bias-corrected QML (Yu, de Jong and Lee 2008)"
	case correct:
		res.Options["estimator"] = "bias-corrected QML (Lee and Yu 2010)"
	case f.indiv:
		res.Options["estimator"] = "QML, not bias-corrected"
	default:
		res.Options["estimator"] = "QML (time effects only: no incidental-parameter bias to correct)"
	}
	res.Options["bias_corrected"] = correct
	f.stability(res, est, qml, correct)
	finishInference(res)
	bopt := opt
	bopt.LogDet = f.ldW
	res.Messages = append(res.Messages, nearBoundaryMessages(res, &bopt)...)
	if res.Tests == nil {
		res.Tests = map[string]Test{}
	}
	fitted := make([]float64, len(d.y))
	e := f.residuals(est)
	for i := range fitted {
		fitted[i] = d.y[i] - e[i]
	}
	res.Residuals, res.Fitted = e, fitted
	res.R2 = map[string]float64{"pseudo": sqCorr(d.y, fitted)}
	if !opt.skipInference && opt.ImpactDraws >= 0 {
		sr, lr, msgs, err := f.impacts(res)
		if err != nil {
			return nil, err
		}
		res.Impacts, res.ImpactsLongRun = sr, lr
		res.Messages = append(res.Messages, msgs...)
	}
	return res, nil
}

// periodLabel names period s of p.
func periodLabel(p *SpatialPanel, s int) string {
	if s < len(p.Periods) {
		return p.Periods[s]
	}
	return fmt.Sprintf("period %d", s+1)
}

// prepare builds the design on periods 2…T: the kept lags of y, X and (SDM)
// W·X, transformed by the effects. Time effects use the Lee–Yu (2010)
// orthogonal transformation over regions; its quadratic forms equal those
// of demeaning, so the data are demeaned and W·v is projected off the
// constant (centre).
func (f *dynFit) prepare(p *SpatialPanel, effects string) (*smlData, error) {
	n, t := p.N, p.T
	if len(p.Y) != n*t {
		return nil, fmt.Errorf("regress: %d observations for N = %d regions and T = %d periods", len(p.Y), n, t)
	}
	r, k := p.dims()
	if r != n*t || len(p.Names) != k {
		return nil, fmt.Errorf("regress: X has %d rows and %d names for N·T = %d observations and %d columns", r, len(p.Names), n*t, k)
	}
	if f.opt.W.N() != n {
		return nil, fmt.Errorf("regress: weights have %d regions, the data %d", f.opt.W.N(), n)
	}
	m := n * (t - 1)
	ylag := append([]float64(nil), p.Y[:m]...)
	var cols [][]float64
	var names []string
	if f.opt.Dynamic != DLagWY {
		cols = append(cols, ylag)
		names = append(names, f.yname+"(t-1)")
		f.lagRaw = append(f.lagRaw, ylag)
	}
	if f.opt.Dynamic != DLagY {
		wl := lagPanel(f.opt.W, ylag, n, t-1)
		cols = append(cols, wl)
		names = append(names, "W*"+f.yname+"(t-1)")
		f.lagRaw = append(f.lagRaw, wl)
	}
	nl := len(cols)
	for j := 0; j < k; j++ {
		cols = append(cols, p.column(j)[n:])
		names = append(names, p.Names[j])
	}
	if f.opt.Model == SDM {
		for _, name := range f.opt.Durbin {
			if !slices.Contains(p.Names, name) {
				return nil, fmt.Errorf("regress: Durbin column %q is not a column of X (%s)", name, strings.Join(p.Names, ", "))
			}
		}
		for j := 0; j < k; j++ {
			if f.opt.Durbin != nil && !slices.Contains(f.opt.Durbin, p.Names[j]) {
				continue
			}
			cols = append(cols, lagPanel(f.opt.W, cols[nl+j], n, t-1))
			names = append(names, "W*"+p.Names[j])
		}
	} else if f.opt.Durbin != nil {
		return nil, fmt.Errorf("regress: Durbin terms are for SDM, SDEM and SLX models, not %s", f.opt.Model)
	}
	x := mat.NewDense(m, len(cols), nil)
	for j, c := range cols {
		x.SetCol(j, c)
	}
	q := &SpatialPanel{Y: p.Y[n:], X: x, Names: names, N: n, T: t - 1, IDs: p.IDs}
	if len(p.Periods) == t {
		q.Periods = p.Periods[1:]
	}
	sopt := *f.opt
	sopt.Model = SAR // the W·X columns are built above
	sopt.Durbin = nil
	d, err := prepare(q, &sopt, effects)
	if err != nil {
		return nil, err
	}
	for j, nm := range d.names {
		switch nm {
		case f.yname + "(t-1)":
			f.gi = j
		case "W*" + f.yname + "(t-1)":
			f.di = j
		}
	}
	if f.opt.Dynamic != DLagWY && f.gi < 0 || f.opt.Dynamic != DLagY && f.di < 0 {
		return nil, fmt.Errorf("regress: the time lag of %s is collinear with the fixed effects or the regressors", f.yname)
	}
	// The W·x columns of the SDM point at their x for the effects (−2 when
	// x itself was dropped).
	if f.opt.Model == SDM {
		pos := map[string]int{}
		for j, nm := range d.names {
			pos[nm] = j
		}
		for j := 0; j < k; j++ {
			if l, ok := pos["W*"+p.Names[j]]; ok {
				if b, ok := pos[p.Names[j]]; ok {
					d.isLag[l] = b
				} else {
					d.isLag[l] = -2
				}
			}
		}
	}
	if f.centre {
		centrePeriods(d.wy, n, t-1)
		d.centre = true
	}
	return d, nil
}

// centrePeriods subtracts from v (time-major, n per period) its mean in
// every period.
func centrePeriods(v []float64, n, t int) {
	for s := 0; s < t; s++ {
		p := v[s*n : (s+1)*n]
		var m float64
		for _, x := range p {
			m += x
		}
		m /= float64(n)
		for i := range p {
			p[i] -= m
		}
	}
}

// dynExactMaxN is the largest N whose dynamic fits compute all
// eigenvalues of W (O(N³)) when no log-determinant is given; beyond it
// they use the large-N log-determinant and traces (LargeN, "auto").
const dynExactMaxN = 1000

// spectrum sets the log-determinant and the traces: the eigenvalues of W
// (F'WF has those of row-standardised W but the unit one) from ExactTraces
// or computed, or, with stochastic traces (large N), the power traces
// tr(Wᵏ) behind the series of dynTraces.
func (f *dynFit) spectrum() error {
	w := f.opt.W
	if f.opt.Traces == nil && f.opt.LogDet == nil && w.N() > dynExactMaxN {
		ld, tr, err := LargeN(w, "auto", spatial.LogDetOptions{Seed: f.opt.Seed})
		if err != nil {
			return err
		}
		f.opt.LogDet, f.opt.Traces = ld, tr
	}
	switch tr := f.opt.Traces.(type) {
	case *ExactTraces:
		f.vals = tr.values
	case *StochasticTraces:
		f.st = tr
	case nil:
		vals, err := w.Eigenvalues()
		if err != nil {
			return fmt.Errorf("regress: eigenvalues of W: %w", err)
		}
		f.vals = vals
		if f.opt.Traces, err = NewExactTraces(w, vals); err != nil {
			return err
		}
	default:
		return fmt.Errorf("regress: dynamic models need exact or stochastic traces, not %T", tr)
	}
	var err error
	if f.ldW = f.opt.LogDet; f.ldW == nil {
		if f.vals == nil {
			return errors.New("regress: stochastic traces need a log-determinant")
		}
		if f.ldW, err = spatial.EigenLogDetFromValues(f.vals); err != nil {
			return err
		}
	}
	if f.opt.SDPDmodNumerics && f.vals == nil {
		return errors.New("regress: SDPDmod numerics need the eigenvalues of W (the eigen log-determinant)")
	}
	if f.centre && f.vals != nil {
		best := math.Inf(1)
		for i, v := range f.vals {
			if d := cmplx.Abs(v - 1); d < best {
				best, f.unit = d, i
			}
		}
		if best > 1e-8 {
			return fmt.Errorf("regress: row-standardised W has no unit eigenvalue (closest %v)", f.vals[f.unit])
		}
	}
	return nil
}

// logDet is ln|I − ρW| of the transformed W: ln|I − ρF'WF| = ln|I − ρW| −
// ln(1 − ρ) under the Lee–Yu transformation for time effects.
func (f *dynFit) logDet(rho float64) float64 {
	if f.centre {
		return lyTimeLogDet(f.ldW, rho)
	}
	return f.ldW.LogDet(rho)
}

// eigSum returns Σ g(ω) over the eigenvalues ω of the transformed W.
func (f *dynFit) eigSum(g func(complex128) complex128) float64 {
	var s complex128
	for i, v := range f.vals {
		if i != f.unit {
			s += g(v)
		}
	}
	return real(s)
}

// state returns the parameters at ρ: β from the regression of ỹ − ρWỹ on
// X̃ (beta nil) or the given β, σ² = SSE/(n t) (s2 0) or the given one.
func (f *dynFit) state(rho float64, beta []float64, s2 float64) (*dynState, error) {
	d := f.d
	if beta == nil {
		ys := make([]float64, len(d.y))
		for i := range ys {
			ys[i] = d.y[i] - rho*d.wy[i]
		}
		b, e, err := ols(ys, d.xs)
		if err != nil {
			return nil, err
		}
		beta = b
		s2 = dot(e, e) / (f.nn * f.tt)
	}
	st := &dynState{beta: beta, rho: rho, s2: s2}
	st.ll = f.logLik(st)
	return st, nil
}

// residuals returns ỹ − ρWỹ − X̃β.
func (f *dynFit) residuals(st *dynState) []float64 {
	d := f.d
	e := make([]float64, len(d.y))
	for i := range e {
		e[i] = d.y[i] - st.rho*d.wy[i]
	}
	for j, c := range d.xs {
		for i := range e {
			e[i] -= st.beta[j] * c[i]
		}
	}
	return e
}

// logLik is the log-likelihood as SDPDmod 0.0.6 reports it: with r the
// residuals y − ρWy − Xβ of the individually demeaned data (so with the
// time effects left in under two-way effects) and ld the log-determinant of
// the transformed W,
//
//	ℓ = −N(T−1)/2 ln(2πσ²) + (T−1) ld(ρ) − rᵀr/(2σ²).
//
// With time effects only it is the likelihood of the transformed model.
func (f *dynFit) logLik(st *dynState) float64 {
	d := f.d
	n, t := d.n, d.t
	if !f.indiv {
		e := f.residuals(st)
		return -f.nn*f.tt/2*math.Log(2*math.Pi*st.s2) + f.tt*f.ld(st.rho) - dot(e, e)/(2*st.s2)
	}
	r := append([]float64(nil), d.yraw...)
	wy := lagPanel(d.w, d.yraw, n, t)
	for i := range r {
		r[i] -= st.rho * wy[i]
	}
	col := d.rawColumns()
	for j := range d.raw {
		c := col(j)
		for i := range r {
			r[i] -= st.beta[j] * c[i]
		}
	}
	r = demean(r, n, t, "individual")
	return -float64(n)*f.tt/2*math.Log(2*math.Pi*st.s2) + f.tt*f.ld(st.rho) - dot(r, r)/(2*st.s2)
}

// infoInverse returns the inverse of the information matrix of (σ², ρ, β)
// at st (lagInfo on the transformed data; the lags of y enter as
// regressors).
func (f *dynFit) infoInverse(st *dynState) (*mat.SymDense, error) {
	opt := *f.opt
	opt.Traces = f.traces()
	info, err := lagInfo(f.d, &opt, st.rho, st.beta, st.s2, f.nn, f.tt)
	if err != nil {
		return nil, err
	}
	return symInverse(info)
}

// inference sets st.v to the covariance of (β, ρ) of Yu, de Jong and Lee
// (2008, Theorem 3): with I the information matrix and Ω its correction
// for non-normal errors (κ = μ₄/σ⁴ − 3, G = W(I − ρW)⁻¹ of the transformed
// W, m = n t),
//
//	V = I⁻¹ + m I⁻¹ Ω I⁻¹,  Ω_ρρ = κ Σᵢ G_ii²/n, Ω_σρ = κ tr(G)/(2σ²n),
//	Ω_σσ = κ/(4σ⁴),
//
// μ₄ the mean fourth power of the reduced-form residuals ỹ − (I − ρW)⁻¹X̃β
// (as the Yu–de Jong–Lee MATLAB code and SDPDmod compute it). It returns
// I⁻¹, which the bias correction uses.
func (f *dynFit) inference(st *dynState) (*mat.SymDense, error) {
	inv, err := f.infoInverse(st)
	if err != nil {
		return nil, err
	}
	d := f.d
	k := len(d.xs)
	m := f.nn * f.tt
	xb := make([]float64, len(d.y))
	for j, c := range d.xs {
		for i := range xb {
			xb[i] += st.beta[j] * c[i]
		}
	}
	z, err := solveIRW(d.w, st.rho, xb, d.n, d.t)
	if err != nil {
		return nil, err
	}
	if f.centre {
		centrePeriods(z, d.n, d.t)
	}
	var mu4 float64
	for i, v := range d.y {
		r := v - z[i]
		mu4 += r * r * r * r
	}
	mu4 /= float64(len(d.y))
	s2 := st.s2
	kappa := (mu4 - 3*s2*s2) / (s2 * s2)
	sumDiag2, err := f.diagG2(st.rho)
	if err != nil {
		return nil, err
	}
	trG, _, _, err := f.traces().Moments(st.rho)
	if err != nil {
		return nil, err
	}
	om := mat.NewSymDense(k+2, nil)
	om.SetSym(0, 0, kappa/(4*s2*s2))
	om.SetSym(0, 1, kappa*trG/(2*s2*f.nn))
	om.SetSym(1, 1, kappa*sumDiag2/f.nn)
	var a, b mat.Dense
	a.Mul(inv, om)
	b.Mul(&a, inv)
	full := mat.NewSymDense(k+2, nil)
	for i := 0; i < k+2; i++ {
		for j := i; j < k+2; j++ {
			full.SetSym(i, j, inv.At(i, j)+m*0.5*(b.At(i, j)+b.At(j, i)))
		}
	}
	st.v = lagVcov(full, k)
	st.s2se = math.Sqrt(full.At(0, 0))
	return inv, nil
}

// biasCorrect returns the bias-corrected estimates (Yu, de Jong and Lee
// 2008, eq. 17; Lee and Yu 2010): θ₁ = θ̂ + n I⁻¹ c with θ = (σ², ρ, β),
// I the information matrix at θ̂ and, with S = I − ρW, A = S⁻¹(γI + δW),
// H = (I − A)⁻¹S⁻¹ = ((1 − γ)I − (ρ + δ)W)⁻¹ and G = WS⁻¹ of the
// transformed W,
//
//	c_γ = tr(H)/n,  c_δ = tr(WH)/n,
//	c_ρ = (γ tr(GH) + δ tr(GWH) + tr(G))/n,  c_σ² = 1/(2σ²).
//
// Eigenvalues of A at or above 1 − 1/n (a unit root) are removed from A as
// in Yu, de Jong and Lee (2012), adding T/(2(1 − ρ))·m/n to c_γ, c_δ and
// c_ρ for the m removed. It returns the corrected state and m.
func (f *dynFit) biasCorrect(qml *dynState, inv *mat.SymDense) (*dynState, int, error) {
	d := f.d
	k := len(d.xs)
	var gam, del float64
	if f.gi >= 0 {
		gam = qml.beta[f.gi]
	}
	if f.di >= 0 {
		del = qml.beta[f.di]
	}
	trH, trWH, trGH, trGWH, trG, mm, err := f.biasTraces(qml.rho, gam, del)
	if err != nil {
		return nil, 0, err
	}
	c := make([]float64, k+2)
	c[0] = 1 / (2 * qml.s2)
	c[1] = (gam*trGH + del*trGWH + trG) / f.nn
	unitTerm := 0.0
	if mm > 0 {
		unitTerm = f.tt / (2 * (1 - qml.rho)) * float64(mm) / f.nn
	}
	c[1] += unitTerm
	if f.gi >= 0 {
		c[2+f.gi] = trH/f.nn + unitTerm
	}
	if f.di >= 0 {
		c[2+f.di] = trWH/f.nn + unitTerm
	}
	theta := append([]float64{qml.s2, qml.rho}, qml.beta...)
	for i := range theta {
		var b float64
		for j := range c {
			b += inv.At(i, j) * c[j]
		}
		theta[i] += f.nn * b
	}
	st, err := f.state(theta[1], theta[2:], theta[0])
	return st, mm, err
}

// coefficients lists (β, ρ) of st with names.
func (f *dynFit) coefficients(st *dynState) []Coefficient {
	var out []Coefficient
	for j, nm := range f.d.names {
		out = append(out, Coefficient{Name: nm, Estimate: st.beta[j]})
	}
	out = append(out, Coefficient{Name: "rho", Estimate: st.rho})
	for i := range out {
		c := &out[i]
		c.StdError = math.Sqrt(st.v.At(i, i))
		c.Statistic = c.Estimate / c.StdError
		c.PValue = 2 * distuv.UnitNormal.Survival(math.Abs(c.Statistic))
	}
	return out
}

// centredTraces are the traces of the transformed W of the Lee–Yu time
// transformation, F'WF (F the N×(N−1) orthonormal complement of 1), from
// those of row-standardised W: with G = W(I − ρW)⁻¹ and G1 = 1/(1 − ρ),
//
//	tr(G_F) = tr(G) − 1/(1 − ρ),  tr(G_F²) = tr(G²) − 1/(1 − ρ)²,
//	tr(G_Fᵀ G_F) = tr(GᵀG) − |Gᵀ1|²/N.
type centredTraces struct{ f *dynFit }

func (c centredTraces) Moments(rho float64) (tr1, tr2, trTT float64, err error) {
	if tr1, tr2, trTT, err = c.f.opt.Traces.Moments(rho); err != nil {
		return
	}
	return lyTimeMoments(c.f.opt.W, rho, tr1, tr2, trTT)
}

func (c centredTraces) CrossMoments(rho, lambda float64) (float64, float64, error) {
	return 0, 0, errors.New("regress: cross moments of the transformed W are not defined")
}

func (c centredTraces) Multipliers(rhos []float64, direct, directW, total, totalW []float64) error {
	return errors.New("regress: impacts use the untransformed W")
}

// logDetGrid is SDPDmod's table of ln|I − ρW| (its lndetfull) at
// ρ_j = lo + 0.001 j on (1/ω_min + 0.001, 1/ω_max − 0.001) for the extreme
// real parts ω of the eigenvalues of the transformed W.
type logDetGrid struct{ rho, ld []float64 }

// grid tabulates the log-determinant of the transformed W as SDPDmod does.
func (f *dynFit) grid() (*logDetGrid, error) {
	const incr = 0.001
	lmin, lmax := math.Inf(1), math.Inf(-1)
	for i, v := range f.vals {
		if i != f.unit {
			lmin, lmax = math.Min(lmin, real(v)), math.Max(lmax, real(v))
		}
	}
	if !(lmin < 0 && lmax > 0) {
		return nil, fmt.Errorf("regress: eigenvalues of W span (%g, %g), not an interval around 0", lmin, lmax)
	}
	lo, hi := 1/lmin+incr, 1/lmax-incr
	n := int((hi-lo)/incr + 1e-10)
	g := &logDetGrid{rho: make([]float64, n+1), ld: make([]float64, n+1)}
	for j := range g.rho {
		r := math.Min(lo+float64(j)*incr, hi)
		g.rho[j] = r
		g.ld[j] = f.eigSum(func(v complex128) complex128 { return complex(math.Log(cmplx.Abs(1-complex(r, 0)*v)), 0) })
	}
	return g, nil
}

// lookup returns the tabulated log-determinant SDPDmod's likelihood uses at
// rho: the entry at the rounded mean of the last indices at or below
// rho ± the step.
func (g *logDetGrid) lookup(rho float64) float64 {
	gs := g.rho[1] - g.rho[0]
	last := func(x float64) int { // 1-based index of the last ρ_j ≤ x, 0 none
		i := 0
		for j, r := range g.rho {
			if r <= x {
				i = j + 1
			}
		}
		return i
	}
	i1, i2 := last(rho+gs), last(rho-gs)
	ind := int(math.RoundToEven(float64(i1+i2)/2)) - 1
	ind = min(max(ind, 0), len(g.ld)-1)
	return g.ld[ind]
}
