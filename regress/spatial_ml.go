package regress

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"

	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack"
	"gonum.org/v1/gonum/lapack/lapack64"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// SpatialModel names a spatial specification.
type SpatialModel string

// The spatial specifications of FitSpatial.
const (
	SAR  SpatialModel = "sar"  // y = ρWy + Xβ + ε
	SEM  SpatialModel = "sem"  // y = Xβ + u, u = λWu + ε
	SDM  SpatialModel = "sdm"  // y = ρWy + Xβ + WXθ + ε
	SDEM SpatialModel = "sdem" // y = Xβ + WXθ + u, u = λWu + ε
	SLX  SpatialModel = "slx"  // y = Xβ + WXθ + ε
	SAC  SpatialModel = "sac"  // y = ρWy + Xβ + u, u = λWu + ε
)

// ErrBoundary is wrapped by the error FitSpatial returns when the spatial
// parameter's maximum lies on the boundary of its feasible interval.
var ErrBoundary = errors.New("regress: spatial parameter on the boundary of its interval")

// ErrNoConvergence is wrapped when the optimiser does not converge.
var ErrNoConvergence = errors.New("regress: optimiser did not converge")

// SpatialPanel holds a balanced panel of N regions observed over T periods,
// stacked time-major: observation t*N + i is region i in period t, region i
// being row i of the weights matrix. A cross-section is T = 1.
type SpatialPanel struct {
	// Y is the response, length N*T.
	Y []float64
	// X holds the regressors, N*T rows, one column per term; an intercept
	// is a column of ones (meaningful only with effects "none"). It is nil
	// when Cols holds them.
	X *mat.Dense
	// Cols holds the regressors as columns instead of X, each of length
	// N*T and stacked like Y (SpatialPanelFromDesign makes them so: the
	// estimator works on columns, and a row-major copy would be N·T·k
	// values more). Exactly one of X and Cols is set.
	Cols [][]float64
	// Names are the names of the regressors ("(Intercept)", "log(pcap)" …).
	Names []string
	N, T  int
	// IDs (optional) name the regions and Periods the periods, for
	// messages and the recovered fixed effects.
	IDs     []string
	Periods []string
	// Response (optional) names y as written ("log(sales)"); dynamic
	// models name its lags "<Response>(t-1)" and "W*<Response>(t-1)".
	Response string
}

// SpatialOptions configures FitSpatial. The zero value of every field but
// Model and W means the default.
type SpatialOptions struct {
	Model SpatialModel
	// Effects is "none" (pooled; the default), "individual", "time" or
	// "twoways" fixed effects.
	Effects string
	// W is the spatial weights matrix (N×N, applied period by period).
	W *spatial.Weights
	// W2 is the weights matrix of the error process of a SAC model (nil:
	// W). Its standard errors are computed densely (O(N³)).
	W2 *spatial.Weights
	// LogDet2 evaluates ln|I − λW2| (nil: exact eigenvalues of W2).
	LogDet2 spatial.LogDeterminant
	// NoLeeYu fits fixed-effects models by uncorrected ML, as splm's
	// default (LeeYu = FALSE) and xsmle's type(ind) do. Its σ̂² is biased by
	// the factor (T−1)/T with individual effects ((N−1)/N with time
	// effects, both with two-way effects), so its standard errors are too
	// small by the factor √((T−1)/T) (Lee and Yu 2010), 0.894 at T = 5. The zero
	// value applies the Lee and Yu (2010) correction to every
	// fixed-effects SAR, SEM, SDM and SDEM and to SAC with one-way effects
	// (with one-way effects exactly as splm's LeeYu = TRUE); SAC with
	// two-way effects, which has no such correction, is fitted
	// uncorrected with a message saying so.
	// Result.Options["lee_yu"] records whether the correction was applied.
	// With two-way or time effects the correction is Lee and Yu's (2010,
	// sec. 4) transformation approach, which needs row-standardised
	// weights (others are fitted uncorrected, with a message).
	NoLeeYu bool
	// SplmLeeYu reproduces, with time or two-way effects, splm 1.6-5's
	// LeeYu = TRUE instead: with time effects the direct ML ρ̂ with σ̂²
	// scaled by N/(N−1); with two-way effects the direct ML estimates
	// shifted by V̂a/N with σ² scaled by T/(T+1). That correction is wrongly scaled (V̂ is the
	// covariance, not N·T times it, so ρ barely moves) and shrinks σ²
	// instead of inflating it; in the demo's Monte Carlo (N = 100, T = 5)
	// its 5% tests reject 10–13% of the time. For matching splm only.
	SplmLeeYu bool
	// ImpactDraws is the number of simulated parameter draws for the
	// impacts' inference: 0 means 1,000, negative means no impacts.
	ImpactDraws int
	// Durbin lists the columns of X that get a W·X term in SDM, SDEM and
	// SLX models, as spatialreg's Durbin = ~ x1 + x2 (Design.DurbinColumns
	// turns terms into columns); nil means every column.
	Durbin []string
	// Seed seeds the simulation of the impacts.
	Seed uint64
	// ImpactsVcov is the covariance the impacts' draws come from: "" or
	// "full", the full asymptotic covariance of (β, θ, ρ, λ); "splm", the
	// block-diagonal one splm 1.6-5 stores for spml fixed-effects models
	// (the covariances of ρ with β set to zero), which reproduces splm's
	// impacts standard errors. The full covariance is the correct one.
	ImpactsVcov string
	// RandomVcov is the covariance of a random-effects fit: "" or "full",
	// the inverse Hessian of the log-likelihood (σ² concentrated out) in
	// all of (β, ρ or λ, φ); "splm", the block-diagonal one splm 1.6-5
	// reports (GLS σ²(X'Σ⁻¹X)⁻¹ for β given the variance parameters, the
	// inverse Hessian in (φ, ρ or λ) alone), which reproduces splm's
	// standard errors and sphtest. The full covariance is the correct one:
	// the conditional one understates the uncertainty of β, most for the
	// W·X terms of Durbin models.
	RandomVcov string
	// LogDet evaluates ln|I − ρW|; nil means exact eigenvalues.
	LogDet spatial.LogDeterminant
	// Traces supplies the trace terms of the standard errors and the
	// impacts; nil means ExactTraces.
	Traces Traces
	// Tol is the tolerance on ρ and λ (default 1e-10).
	Tol float64
	// ZeroPolicy admits regions without neighbours (islands), as
	// spatialreg's zero.policy = TRUE: an island's row of W is zero, so its
	// spatial lags (Wy, Wx, Wu) are 0 and it enters the log-determinant
	// and the traces through a zero eigenvalue; a message names the
	// islands. Without it islands are an error.
	ZeroPolicy bool
	// MaxEval is the most likelihood evaluations the one-dimensional
	// optimiser may spend on ρ or λ (default 1000; SAC's inner search over
	// λ gets as many per ρ). Exceeding it is ErrNoConvergence with the last
	// iterate.
	MaxEval int
	// Dynamic adds time lags of y (Yu, de Jong and Lee 2008; xsmle's
	// dlag): 0 static (the default), DLagY γy(t−1), DLagWY δW·y(t−1),
	// DLagBoth both. Dynamic models are SAR or SDM with individual, time
	// or twoways fixed effects on a balanced panel of consecutive periods;
	// they ignore LeeYu (their time effects always use the Lee–Yu
	// transformation, and their bias correction is their own).
	Dynamic int
	// NoBiasCorrection reports the quasi-ML estimates of a dynamic model
	// instead of the bias-corrected ones.
	NoBiasCorrection bool
	// SDPDmodNumerics reproduces the numerics of SDPDmod 0.0.6 in dynamic
	// models, for comparison with published SDPDmod results only: ln|I −
	// ρW| tabulated at steps of 0.001 on (1/ω_min + 0.001, 1/ω_max − 0.001)
	// and read at the grid point below ρ, maximised by R's optimize
	// (Brent, tolerance ε^¼). The tabulated likelihood is a sawtooth whose
	// maximiser can lie a quarter of a standard error from the exact one.
	SDPDmodNumerics bool
	// Phase, if not nil, is called as each phase of the fit ends, for
	// timing (agglo bench --whole): "optimise" once the estimates are found
	// (static SAR), "standard errors" once the covariance is, and
	// "impacts" once the impacts are and "tests" once the diagnostic tests
	// are (other models: all but "optimise"; dynamic models: none).
	Phase func(name string)
	// BiasCorrection is the optional finite-sample bias correction of the
	// spatial parameters (static models with fixed effects or none); the
	// zero value means none.
	BiasCorrection BiasCorrection
	// Overwrite lets the fit transform the panel's Y and Cols in place
	// where it can (SAR models with fixed effects or none, without the
	// Lee–Yu transformation of time effects, bias correction or dynamic
	// lags), instead of copying them: the caller hands the panel over and
	// must not use its N·T values after the call. Other fits copy, as
	// without it.
	Overwrite bool

	inPlace       bool        // internal: prepare transforms p.Y and p.Cols in place (Overwrite)
	skipInference bool        // internal: fits for LR tests
	fix           *spatialFix // internal: spatial parameters fixed (bias correction)
	leeYu         bool        // internal: the Lee–Yu correction applies (see NoLeeYu)
}

// FixedEffects are the recovered fixed effects of a spatial panel model:
// with r_it = y_it − ρ(Wy)_it − x_itβ − (WX)_itθ, Mean is the grand mean of
// r, Individual[i] = r̄_i· − r̄ and Time[t] = r̄_·t − r̄ (individual or time
// effects alone: Individual[i] = r̄_i· − r̄, Time[t] = r̄_·t − r̄ too, so that
// Mean + Individual[i] is μ_i). For error models r excludes ρWy.
type FixedEffects struct {
	Mean       float64   `json:"mean"`
	Individual []float64 `json:"individual,omitempty"`
	Time       []float64 `json:"time,omitempty"`
}

// smlData is a model's data after the W·X terms, collinearity checks and
// the within transformation.
type smlData struct {
	n, t    int
	y, wy   []float64   // transformed y and W·ỹ
	xs, wxs [][]float64 // transformed columns and W applied to them
	names   []string
	isLag   []int // for W*x columns, the index of x; −1 otherwise
	// raw holds the untransformed kept columns: raw[j] (W·X columns, and
	// the panel's Cols when they are not transformed in place), or nil for
	// column rawX[j] of xraw (the columns of X, not copied; nothing once
	// transformed in place); see rawColumns.
	raw  [][]float64
	rawX []int
	// rawX0[j] summarises kept column j when it is a column of X, made
	// before the column was transformed (nil for the others).
	rawX0 []*colSummary
	xraw  *mat.Dense
	yraw  []float64
	// sum is what the outputs need of the untransformed data (rawSummary),
	// kept once made so that xraw and yraw can be let go (dropRaw).
	sum     *rawSummary
	effects string
	w       *spatial.Weights
	we      *spatial.Weights // weights of the error process (SEM, SDEM, SAC)
	// lyTime: time or two-way effects under Lee and Yu's transformation
	// approach (wy and wxs demeaned again by period; N−1, T−1 with
	// two-way effects, and the Jacobian ln|I − ρW| − ln(1 − ρ) in the
	// likelihood).
	lyTime bool
	// centre marks data under the Lee–Yu (2010) transformation for time
	// effects: W·v is projected off the constant in every period, as
	// F'WF acts on the transformed data (dynamic models).
	centre   bool
	messages []string
	// olsY caches the least-squares fit of y on xs (ols), shared by the
	// concentrated likelihood, the LR test and the LM tests; olsWY that of
	// wy; olsX the factorisation of xs behind them and the LM tests.
	olsY, olsWY *olsCache
	olsX        *olsFactor
}

// olsCache is a least-squares fit: coefficients and residuals of the
// response whose first element is at y0 (the cache's key).
type olsCache struct {
	y0          *float64
	beta, resid []float64
}

// olsOfY returns ols(d.y, d.xs), computed once per d (the cache is
// dropped if d.y was replaced). The slices are shared: callers must not
// modify them.
func (d *smlData) olsOfY() (beta, resid []float64, err error) {
	return d.olsCached(&d.olsY, d.y)
}

// olsOfWY is olsOfY for d.wy.
func (d *smlData) olsOfWY() (beta, resid []float64, err error) {
	return d.olsCached(&d.olsWY, d.wy)
}

// olsCached returns the least-squares fit of v on d.xs, cached in *c.
func (d *smlData) olsCached(c **olsCache, v []float64) (beta, resid []float64, err error) {
	if len(v) > 0 && *c != nil && (*c).y0 == &v[0] {
		return (*c).beta, (*c).resid, nil
	}
	beta, resid, err = d.olsFit().solve(v)
	if err != nil || len(v) == 0 {
		return beta, resid, err
	}
	*c = &olsCache{y0: &v[0], beta: beta, resid: resid}
	return beta, resid, nil
}

// olsFit returns the least-squares factorisation of d.xs, computed once
// (again if d.xs was replaced).
func (d *smlData) olsFit() *olsFactor {
	n := d.n * d.t
	if d.olsX == nil || d.olsX.n != n || !sameColumns(d.olsX.xs, d.xs) {
		d.olsX = newOLSFactor(slices.Clone(d.xs), n)
	}
	return d.olsX
}

// sameColumns reports whether a and b hold the same slices (same
// first elements and lengths).
func sameColumns(a, b [][]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for j := range a {
		if len(a[j]) != len(b[j]) || len(a[j]) > 0 && &a[j][0] != &b[j][0] {
			return false
		}
	}
	return true
}

// phase reports the end of a phase of the fit to opt.Phase, if set and
// the fit is not an inner one (skipInference).
func (opt *SpatialOptions) phase(name string) {
	if opt.Phase != nil && !opt.skipInference {
		opt.Phase(name)
	}
}

// validEffects returns the canonical name of the fixed effects e
// (ParseEffects).
func validEffects(e string) (string, error) {
	eff, err := ParseEffects(e)
	if err != nil {
		return "", fmt.Errorf("regress: %w", err)
	}
	return eff.String(), nil
}

// demean returns the within transformation of the effects of v
// (time-major), a copy.
func demean(v []float64, n, t int, effects string) []float64 {
	out := slices.Clone(v)
	demeanInPlace(out, n, t, effects)
	return out
}

// demeanInPlace applies the within transformation of the effects to v
// (time-major): the individual, period and grand means are taken first,
// then subtracted.
func demeanInPlace(v []float64, n, t int, effects string) {
	if effects == "none" {
		return
	}
	im := make([]float64, n)
	tm := make([]float64, t)
	var g float64
	for s := 0; s < t; s++ {
		row := v[s*n : (s+1)*n]
		im := im[:len(row)]
		var ts float64
		for i, x := range row {
			im[i] += x
			ts += x
			g += x
		}
		tm[s] = ts
	}
	for i := range im {
		im[i] /= float64(t)
	}
	for s := range tm {
		tm[s] /= float64(n)
	}
	g /= float64(n * t)
	for s := 0; s < t; s++ {
		row := v[s*n : (s+1)*n]
		im := im[:len(row)]
		switch effects {
		case "individual":
			for i := range row {
				row[i] -= im[i]
			}
		case "time":
			m := tm[s]
			for i := range row {
				row[i] -= m
			}
		case "twoways":
			m := tm[s]
			for i, x := range row {
				row[i] = x + (g - im[i] - m)
			}
		}
	}
}

// columnsOf returns the columns of x as slices (one pass over its rows,
// blocks of rows in parallel on large matrices).
func columnsOf(x *mat.Dense) [][]float64 {
	xr := x.RawMatrix()
	k := xr.Cols
	cols := make([][]float64, k)
	for j := range cols {
		cols[j] = make([]float64, xr.Rows)
	}
	if k == 0 {
		return cols
	}
	blocks := runtime.GOMAXPROCS(0)
	jobs := make([]func(), blocks)
	for b := range jobs {
		lo, hi := b*xr.Rows/blocks, (b+1)*xr.Rows/blocks
		jobs[b] = func() {
			for i := lo; i < hi; i++ {
				for j, v := range xr.Data[i*xr.Stride : i*xr.Stride+k] {
					cols[j][i] = v
				}
			}
		}
	}
	runJobs(xr.Rows*k, jobs)
	return cols
}

// rawColumns returns a function giving the untransformed kept column j
// of d: d.raw[j], or column d.rawX[j] of d.xraw copied into a buffer of
// its own (valid until the next call). Callers must not modify it.
func (d *smlData) rawColumns() func(j int) []float64 {
	var buf []float64
	return func(j int) []float64 {
		if d.raw[j] != nil {
			return d.raw[j]
		}
		if buf == nil {
			r, _ := d.xraw.Dims()
			buf = make([]float64, r)
		}
		return mat.Col(buf, d.rawX[j], d.xraw)
	}
}

// rawConstant reports whether the untransformed kept column j of d is
// constant.
func (d *smlData) rawConstant(j int) bool { return d.rawSummary().constant[j] }

// rawSummary is what a fit's outputs need of the untransformed response y
// and kept columns x_j (N·T each, period-major): their sample standard
// deviations (Result.ResponseSD, TermSD), which columns are constant (the
// impacts skip them), and their sums by region and by period with the
// sums Σ_i c_i y_it, c the column sums of W, per period (recoverEffects).
// It is a few numbers per region, where the data are N·T per column.
type rawSummary struct {
	ySD              float64 // the response's
	colSD            []float64
	constant         []bool
	yRegion, yPeriod []float64
	colRegion        [][]float64
	colPeriod        [][]float64
	cy               []float64
}

// rawSummary returns d's summary of the untransformed data, made on the
// first call: the response's part by rawSummaryOf (from yraw, unless
// prepare made it before transforming y in place), the columns' from
// their summaries made by prepare (rawX0) or from raw and xraw.
func (d *smlData) rawSummary() *rawSummary {
	if d.sum != nil && d.sum.colSD != nil {
		return d.sum
	}
	sm := d.rawSummaryOf(d.yraw)
	n, t := d.n, d.t
	k := len(d.names)
	sm.colSD, sm.constant, sm.colRegion, sm.colPeriod = make([]float64, k), make([]bool, k), make([][]float64, k), make([][]float64, k)
	// The columns in parallel: those of X summarised by prepare before
	// it transformed them, the others from their raw values.
	forEach(k, func(j int) {
		cs := d.rawX0[j]
		if cs == nil {
			c := d.raw[j]
			if c == nil {
				c = mat.Col(nil, d.rawX[j], d.xraw)
			}
			cs = summariseColumn(c, n, t)
		}
		sm.colSD[j], sm.constant[j], sm.colRegion[j], sm.colPeriod[j] = cs.sd, cs.constant, cs.region, cs.period
	})
	return sm
}

// rawSummaryOf makes d.sum's part of the untransformed response y (its
// SD, its sums by region and by period, Σ_i c_i y_it) if it is not made,
// and returns d.sum; rawSummary adds the columns' part.
func (d *smlData) rawSummaryOf(y []float64) *rawSummary {
	if d.sum != nil {
		return d.sum
	}
	n, t := d.n, d.t
	sm := &rawSummary{ySD: stat.StdDev(y, nil), yRegion: make([]float64, n), yPeriod: make([]float64, t), cy: make([]float64, t)}
	addSums(y, n, t, sm.yRegion, sm.yPeriod)
	cs := make([]float64, n)
	for i := 0; i < n; i++ {
		idx, vals := d.w.Neighbours(i)
		for k, j := range idx {
			cs[j] += vals[k]
		}
	}
	for s := range t {
		sm.cy[s] = dot(cs, y[s*n:(s+1)*n])
	}
	d.sum = sm
	return sm
}

// colSummary is rawSummary's part of one untransformed column: its sample
// standard deviation, whether it is constant, its sums by region and by
// period.
type colSummary struct {
	sd             float64
	constant       bool
	region, period []float64
}

// summariseColumn returns the summary of column c (N·T values,
// period-major).
func summariseColumn(c []float64, n, t int) *colSummary {
	cs := &colSummary{sd: stat.StdDev(c, nil), constant: isConstant(c), region: make([]float64, n), period: make([]float64, t)}
	addSums(c, n, t, cs.region, cs.period)
	return cs
}

// addSums adds v's values (N·T, period-major) by region to si and by
// period to st, period by period.
func addSums(v []float64, n, t int, si, st []float64) {
	for s := 0; s < t; s++ {
		row := v[s*n : (s+1)*n]
		si := si[:len(row)]
		var ts float64
		for i, x := range row {
			si[i] += x
			ts += x
		}
		st[s] += ts
	}
}

// dropRaw lets go of the untransformed data (after rawSummary has been
// made), so that the caller's N·T panel can be collected during the fit
// when nothing else refers to it.
func (d *smlData) dropRaw() {
	d.rawSummary()
	d.xraw, d.yraw = nil, nil
}

// collinearity judges whether each transformed column of prepare is
// collinear with the columns kept before it: its residual sum of squares
// off their span, from the Cholesky factor of their Gram matrix (k dot
// products a column). When a residual is within a factor 10⁴ of prepare's
// threshold (10⁻¹⁰ of the column's sum of squares), that column and the
// later ones are judged by modified Gram–Schmidt on the columns
// themselves, the accurate method.
type collinearity struct {
	r       [][]float64 // r[i]: column i of the Cholesky factor R (i+1 values)
	basis   [][]float64 // Gram–Schmidt basis of the kept columns (exact mode)
	exact   bool
	pending []float64 // the column of R, or of the basis, of the last residual
}

// fastMargin is the smallest ratio of residual to total sum of squares
// that the Cholesky path decides on: near-collinear columns (and those
// after them) go through Gram–Schmidt.
const fastMargin = 1e-6

// residual returns the sum of squares of ct and of its residual off the
// span of kept (the columns kept so far, in order).
func (c *collinearity) residual(ct []float64, kept [][]float64) (nrm0, nrm float64) {
	nrm0 = dot(ct, ct)
	if nrm0 == 0 {
		return 0, 0 // dropped: constant within the effects
	}
	if !c.exact {
		z := make([]float64, len(kept)+1)
		nrm = nrm0
		for i, x := range kept {
			g := dot(x, ct)
			for l := 0; l < i; l++ {
				g -= c.r[i][l] * z[l]
			}
			z[i] = g / c.r[i][i]
			nrm -= z[i] * z[i]
		}
		if nrm >= fastMargin*nrm0 {
			z[len(kept)] = math.Sqrt(nrm)
			c.pending = z
			return nrm0, nrm
		}
		// Close to the threshold: Gram–Schmidt from here on.
		c.exact = true
		for _, x := range kept {
			res, _ := c.gramSchmidt(x)
			c.basis = append(c.basis, res)
		}
	}
	res, nrm := c.gramSchmidt(ct)
	c.pending = res
	return nrm0, nrm
}

// gramSchmidt returns the normalised residual of x off the basis (modified
// Gram–Schmidt) and its sum of squares before normalising.
func (c *collinearity) gramSchmidt(x []float64) ([]float64, float64) {
	res := slices.Clone(x)
	for _, b := range c.basis {
		a := dot(res, b)
		for i := range res {
			res[i] -= a * b[i]
		}
	}
	nrm := dot(res, res)
	if nrm > 0 {
		s := 1 / math.Sqrt(nrm)
		for i := range res {
			res[i] *= s
		}
	}
	return res, nrm
}

// add keeps the column of the last call to residual.
func (c *collinearity) add() {
	if c.exact {
		c.basis = append(c.basis, c.pending)
	} else {
		c.r = append(c.r, c.pending)
	}
	c.pending = nil
}

// lagPanel returns (I_T ⊗ W)v, the periods in parallel.
func lagPanel(w *spatial.Weights, v []float64, n, t int) []float64 {
	out := make([]float64, n*t)
	lagPanelTo(w, out, v, n, t)
	return out
}

// lagPanelTo stores (I_T ⊗ W)v in dst, the periods in parallel (each
// row's sum in the same order as serially).
func lagPanelTo(w *spatial.Weights, dst, v []float64, n, t int) {
	if n*t < 1<<15 {
		for s := 0; s < t; s++ {
			w.LagTo(dst[s*n:(s+1)*n], v[s*n:(s+1)*n])
		}
		return
	}
	forEach(t, func(s int) {
		w.LagTo(dst[s*n:(s+1)*n], v[s*n:(s+1)*n])
	})
}

func dot(a, b []float64) float64 {
	var s float64
	for i, x := range a {
		s += x * b[i]
	}
	return s
}

// WithIntercept returns p with a leading column of ones named
// "(Intercept)", or p itself when it has one (random-effects and pooled
// models keep the intercept that fixed effects sweep out).
func (p *SpatialPanel) WithIntercept() *SpatialPanel {
	if slices.Contains(p.Names, "(Intercept)") {
		return p
	}
	q := *p
	q.Names = append([]string{"(Intercept)"}, p.Names...)
	r, k := p.dims()
	if p.X == nil {
		ones := make([]float64, r)
		for i := range ones {
			ones[i] = 1
		}
		q.Cols = append([][]float64{ones}, p.Cols...)
		return &q
	}
	x := mat.NewDense(r, k+1, nil)
	for i := 0; i < r; i++ {
		x.Set(i, 0, 1)
		for j := 0; j < k; j++ {
			x.Set(i, j+1, p.X.At(i, j))
		}
	}
	q.X = x
	return &q
}

// Regressors returns the regressors of p as an N·T × k matrix: X itself,
// or Cols copied into one (nil without regressors).
func (p *SpatialPanel) Regressors() *mat.Dense {
	if p.X != nil || len(p.Cols) == 0 || len(p.Cols[0]) == 0 {
		return p.X
	}
	x := mat.NewDense(len(p.Cols[0]), len(p.Cols), nil)
	for j, c := range p.Cols {
		x.SetCol(j, c)
	}
	return x
}

// hasRegressors reports whether p holds its regressors as X or Cols.
func (p *SpatialPanel) hasRegressors() bool { return p.X != nil || p.Cols != nil }

// dims returns the number of rows and of regressors of p (X or Cols; the
// length of Y without regressors).
func (p *SpatialPanel) dims() (rows, k int) {
	if p.X != nil {
		return p.X.Dims()
	}
	if len(p.Cols) == 0 {
		return len(p.Y), 0
	}
	for _, c := range p.Cols[1:] {
		if len(c) != len(p.Cols[0]) {
			return -1, len(p.Cols)
		}
	}
	return len(p.Cols[0]), len(p.Cols)
}

// column returns regressor j of p: Cols[j] itself (not to be modified),
// or column j of X copied.
func (p *SpatialPanel) column(j int) []float64 {
	if p.X == nil {
		return p.Cols[j]
	}
	return mat.Col(nil, j, p.X)
}

func (p *SpatialPanel) regionName(i int) string {
	if i < len(p.IDs) {
		return p.IDs[i]
	}
	return fmt.Sprintf("region %d", i+1)
}

// prepare builds the design of the model: the W·X terms of the Durbin
// models, the within transformation and the automatic removal of
// collinear columns (an intercept's spatial lag under row-standardised W,
// constant columns under fixed effects), each with a message.
func prepare(p *SpatialPanel, opt *SpatialOptions, effects string) (*smlData, error) {
	if p == nil || !p.hasRegressors() {
		return nil, errors.New("regress: no data")
	}
	if p.X != nil && p.Cols != nil {
		return nil, errors.New("regress: the panel has both X and Cols; set one")
	}
	if opt.W == nil {
		return nil, errors.New("regress: spatial models need a weights matrix")
	}
	n, t := p.N, p.T
	if n < 1 || t < 1 || len(p.Y) != n*t {
		return nil, fmt.Errorf("regress: %d observations for N = %d regions and T = %d periods", len(p.Y), n, t)
	}
	if t < 2 && (effects == "individual" || effects == "twoways") {
		return nil, fmt.Errorf("regress: %s effects need at least two periods, the data have one (a cross-section: use effects none)", effects)
	}
	k := len(p.Cols)
	if p.X != nil {
		var r int
		if r, k = p.X.Dims(); r != n*t {
			return nil, fmt.Errorf("regress: X has %d rows, want N·T = %d", r, n*t)
		}
	}
	for j, c := range p.Cols {
		if len(c) != n*t {
			return nil, fmt.Errorf("regress: column %d of Cols has %d rows, want N·T = %d", j+1, len(c), n*t)
		}
	}
	if len(p.Names) != k {
		return nil, fmt.Errorf("regress: %d names for %d regressors", len(p.Names), k)
	}
	if opt.W.N() != n {
		return nil, fmt.Errorf("regress: weights have %d regions, the data %d", opt.W.N(), n)
	}
	if opt.W2 != nil {
		if opt.Model != SAC {
			return nil, fmt.Errorf("regress: a second weights matrix is for SAC models, not %s", opt.Model)
		}
		if opt.W2.N() != n {
			return nil, fmt.Errorf("regress: error weights have %d regions, the data %d", opt.W2.N(), n)
		}
	}
	var islandMsgs []string
	for _, ws := range []struct {
		w    *spatial.Weights
		what string
	}{{opt.W, ""}, {opt.W2, " in the error weights"}} {
		if ws.w == nil {
			continue
		}
		isl := ws.w.Islands()
		if len(isl) == 0 {
			continue
		}
		names := make([]string, len(isl))
		for k, i := range isl {
			names[k] = p.regionName(i)
			if ids := ws.w.IDs(); i < len(ids) {
				names[k] = ids[i]
			}
		}
		if !opt.ZeroPolicy {
			if len(names) > 5 {
				names = append(names[:5], "…")
			}
			return nil, fmt.Errorf("regress: %d region(s) without neighbours (islands)%s, e.g. %s: drop them, use weights that connect them, or use the zero policy (their spatial lags set to 0): %w", len(isl), ws.what, strings.Join(names, ", "), spatial.ErrIsland)
		}
		islandMsgs = append(islandMsgs, fmt.Sprintf("zero policy: %d region(s) without neighbours (islands)%s: %s; their spatial lags are 0", len(isl), ws.what, strings.Join(names, ", ")))
	}
	for i, v := range p.Y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("regress: response of %s in period %d is %v", p.regionName(i%n), i/n+1, v)
		}
	}
	d := &smlData{n: n, t: t, effects: effects, w: opt.W, yraw: p.Y, xraw: p.X, messages: islandMsgs}
	// The columns of X, the estimator's own copies, transformed in place
	// below (the untransformed values stay in p); with opt.inPlace, p's
	// own Cols.
	var xcols [][]float64
	switch {
	case p.X != nil:
		xcols = columnsOf(p.X)
	case opt.inPlace:
		xcols = p.Cols
	default:
		xcols = make([][]float64, k)
		forEach(k, func(j int) { xcols[j] = slices.Clone(p.Cols[j]) })
	}
	for j, c := range xcols {
		for i, v := range c {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("regress: %s of %s in period %d is %v", p.Names[j], p.regionName(i%n), i/n+1, v)
			}
		}
	}
	// What the outputs need of the raw columns of X (rawSummary), taken
	// before they are transformed in place: no copy of X's columns later.
	xsum := make([]*colSummary, k)
	forEach(k, func(j int) { xsum[j] = summariseColumn(xcols[j], n, t) })
	cols := xcols
	names := slices.Clone(p.Names)
	isLag := make([]int, k)
	for j := range isLag {
		isLag[j] = -1
	}
	if opt.Durbin != nil {
		switch opt.Model {
		case SDM, SDEM, SLX:
		default:
			return nil, fmt.Errorf("regress: Durbin terms are for SDM, SDEM and SLX models, not %s", opt.Model)
		}
		for _, name := range opt.Durbin {
			if !slices.Contains(p.Names, name) {
				return nil, fmt.Errorf("regress: Durbin column %q is not a column of X (%s)", name, strings.Join(p.Names, ", "))
			}
		}
	}
	switch opt.Model {
	case SDM, SDEM, SLX:
		for j := 0; j < k; j++ {
			if opt.Durbin != nil && !slices.Contains(opt.Durbin, p.Names[j]) {
				continue
			}
			if len(islandMsgs) > 0 && opt.W.Style() == spatial.RowStandardized && p.Names[j] == "(Intercept)" {
				// With islands W·1 is the indicator of the regions
				// with neighbours, no longer collinear with the
				// intercept; spatialreg leaves the intercept's lag out
				// under style W all the same, and so do we, so that
				// the model is the one fitted without islands.
				d.messages = append(d.messages, "dropped W*(Intercept): W is row-standardised (with islands its lag of the intercept would be the indicator of the regions with neighbours; spatialreg leaves it out too)")
				continue
			}
			cols = append(cols, lagPanel(opt.W, cols[j], n, t))
			names = append(names, "W*"+p.Names[j])
			isLag = append(isLag, j)
		}
	}
	// Transform and drop columns collinear with earlier ones. The columns
	// of X are transformed in place (their raw values are those of p.X);
	// the W·X columns keep their raw values for the fixed effects and the
	// SDs. Collinearity is judged on the Cholesky factor of the Gram
	// matrix of the transformed columns, and by modified Gram–Schmidt on
	// the columns themselves when that is close to the threshold.
	var chol collinearity
	for j, c := range cols {
		raw := c
		ct := c
		if j < k {
			demeanInPlace(ct, n, t, effects)
			raw = nil // column j of p.X
			if p.Cols != nil && !opt.inPlace {
				raw = p.Cols[j]
			}
		} else {
			ct = demean(c, n, t, effects)
		}
		nrm0, nrm := chol.residual(ct, d.xs)
		if nrm0 == 0 || nrm <= 1e-10*nrm0 {
			why := "collinear with " + collinearWith(ct, d.xs, d.names)
			if nrm0 == 0 {
				why = "constant within the " + effects + " effects"
			}
			d.messages = append(d.messages, fmt.Sprintf("dropped %s: %s", names[j], why))
			continue
		}
		chol.add()
		d.xs = append(d.xs, ct)
		d.raw = append(d.raw, raw)
		d.rawX = append(d.rawX, j)
		var cs *colSummary
		if j < k {
			cs = xsum[j]
		}
		d.rawX0 = append(d.rawX0, cs)
		d.names = append(d.names, names[j])
		d.isLag = append(d.isLag, isLag[j])
	}
	if len(d.xs) == 0 {
		return nil, errors.New("regress: no regressor left after the transformation")
	}
	// Re-map isLag to positions among the kept columns.
	pos := map[string]int{}
	for j, nm := range d.names {
		pos[nm] = j
	}
	for j := range d.isLag {
		if d.isLag[j] >= 0 {
			if q, ok := pos[strings.TrimPrefix(d.names[j], "W*")]; ok {
				d.isLag[j] = q
			} else {
				d.isLag[j] = -2 // the base term was dropped
			}
		}
	}
	yScale, yFirst := maxAbs(p.Y), p.Y[0]
	if opt.inPlace {
		// What the outputs need of the raw response, before it is
		// transformed in place: nothing is left of the raw data.
		d.rawSummaryOf(p.Y)
		d.y = p.Y
		demeanInPlace(d.y, n, t, effects)
		d.xraw, d.yraw = nil, nil
	} else {
		d.y = demean(p.Y, n, t, effects)
	}
	if err := responseVariesScale(p.Response, d.y, yScale, yFirst, effectsTransform(effects)); err != nil {
		return nil, err
	}
	// W applied to the transformed variables, as splm does.
	d.wy = lagPanel(opt.W, d.y, n, t)
	if opt.Model == SEM || opt.Model == SDEM || opt.Model == SAC {
		we := opt.W
		if opt.Model == SAC && opt.W2 != nil {
			we = opt.W2
		}
		d.we = we
		for _, c := range d.xs {
			d.wxs = append(d.wxs, lagPanel(we, c, n, t))
		}
	}
	if nobs := n * t; nobs <= len(d.xs)+1 {
		return nil, fmt.Errorf("regress: %d observations for %d regressors", nobs, len(d.xs))
	}
	return d, nil
}

// gram returns VᵀV for the columns V.
func gram(v [][]float64) *mat.SymDense {
	m := len(v)
	g := mat.NewSymDense(m, nil)
	for i := 0; i < m; i++ {
		for j := i; j < m; j++ {
			g.SetSym(i, j, dot(v[i], v[j]))
		}
	}
	return g
}

// comboSSR returns the residual sum of squares of regressing r = V c on
// Z = V D, from the Gram matrix G = VᵀV alone (O(m²k)).
func comboSSR(g *mat.SymDense, c []float64, d *mat.Dense) (float64, bool) {
	m := g.SymmetricDim()
	_, k := d.Dims()
	cv := mat.NewVecDense(m, c)
	var gc mat.VecDense
	gc.MulVec(g, cv)
	rr := mat.Dot(cv, &gc)
	var zr mat.VecDense
	zr.MulVec(d.T(), &gc)
	var gd, zz mat.Dense
	gd.Mul(g, d)
	zz.Mul(d.T(), &gd)
	zzs := mat.NewSymDense(k, nil)
	for i := 0; i < k; i++ {
		for j := i; j < k; j++ {
			zzs.SetSym(i, j, 0.5*(zz.At(i, j)+zz.At(j, i)))
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(zzs) {
		return math.NaN(), false
	}
	var b mat.VecDense
	if err := ch.SolveVecTo(&b, &zr); err != nil {
		return math.NaN(), false
	}
	return rr - mat.Dot(&b, &zr), true
}

// olsQR regresses y on the columns xs by Householder QR (LAPACK's dgeqrf,
// in place, so the only copies of the data are one n×k matrix and one
// n-vector) and returns β and residuals. As gonum's mat.QR, it refuses a
// design whose condition number, estimated from R, exceeds
// mat.ConditionTolerance. It is the fallback of olsFactor.
func olsQR(y []float64, xs [][]float64) ([]float64, []float64, error) {
	n, k := len(y), len(xs)
	if n < k {
		return nil, nil, fmt.Errorf("regress: %d observations for %d regressors", n, k)
	}
	x := blas64.General{Rows: n, Cols: k, Stride: k, Data: make([]float64, n*k)}
	for j, c := range xs {
		for i, v := range c {
			x.Data[i*k+j] = v
		}
	}
	tau := make([]float64, k)
	work := make([]float64, 1)
	lapack64.Geqrf(x, tau, work, -1)
	lwork := int(work[0])
	qty := blas64.General{Rows: n, Cols: 1, Stride: 1, Data: append([]float64(nil), y...)}
	lapack64.Ormqr(blas.Left, blas.Trans, x, tau, qty, work, -1)
	lwork = max(lwork, int(work[0]), 1)
	work = make([]float64, lwork)
	lapack64.Geqrf(x, tau, work, lwork)
	r := blas64.Triangular{Uplo: blas.Upper, Diag: blas.NonUnit, N: k, Stride: k, Data: x.Data[:k*k]}
	if k > 0 {
		rcond := lapack64.Trcon(lapack.MaxColumnSum, r, make([]float64, 3*k), make([]int, k))
		if rcond == 0 || 1/rcond > mat.ConditionTolerance {
			return nil, nil, fmt.Errorf("regress: regressors are collinear: %w", mat.Condition(1/rcond))
		}
	}
	lapack64.Ormqr(blas.Left, blas.Trans, x, tau, qty, work, lwork)
	beta := append([]float64(nil), qty.Data[:k]...)
	if k > 0 && !lapack64.Trtrs(blas.NoTrans, r, blas64.General{Rows: k, Cols: 1, Stride: 1, Data: beta}) {
		return nil, nil, errors.New("regress: regressors are collinear: R is singular")
	}
	res := qty.Data
	copy(res, y)
	for j, c := range xs {
		for i := range res {
			res[i] -= beta[j] * c[i]
		}
	}
	return beta, res, nil
}

// interval returns the search interval of a spatial parameter, shrunk by
// a relative 1e-9 so that the log-determinant stays finite.
func searchInterval(ld spatial.LogDeterminant) (lo, hi float64) {
	lo, hi = ld.Interval()
	eps := 1e-9 * (hi - lo)
	return lo + eps, hi - eps
}

func onBoundary(x, lo, hi float64) bool {
	return x-lo < 1e-6*(hi-lo) || hi-x < 1e-6*(hi-lo)
}

// RandomVcovs lists the values SpatialOptions.RandomVcov accepts.
var RandomVcovs = []string{"full", "splm"}

// FitSpatial fits a spatial (panel) model by concentrated maximum
// likelihood (Elhorst 2014, ch. 3; Lee and Yu 2010) or, for SLX, by least
// squares. See the package documentation for the likelihoods, the
// information matrices and the conventions shared with splm and spatialreg.
func FitSpatial(p *SpatialPanel, opt SpatialOptions) (*Result, error) {
	// Only this fit may transform p in place: the fits it makes in turn
	// (tests, starting values, the bootstrap) refit p as it was.
	overwrite := opt.Overwrite
	opt.Overwrite = false
	effects := "random"
	var err error
	if opt.Effects != "random" {
		if effects, err = validEffects(opt.Effects); err != nil {
			return nil, fmt.Errorf("%w (or random)", err)
		}
	}
	if effects == "random" {
		switch {
		case opt.Model != SAR && opt.Model != SDM && opt.Model != SEM && opt.Model != SDEM:
			return nil, fmt.Errorf("regress: random effects are for SAR, SDM, SEM and SDEM models (as splm's spml), not %s", opt.Model)
		case opt.RandomVcov != "" && !slices.Contains(RandomVcovs, opt.RandomVcov):
			return nil, fmt.Errorf("regress: unknown random-effects covariance %q (want full or splm)", opt.RandomVcov)
		case p != nil && p.T < 2:
			return nil, errors.New("regress: random effects need at least two periods, the data have one (a cross-section: use effects none)")
		}
	}
	switch opt.Model {
	case SAR, SEM, SDM, SDEM, SLX, SAC:
	default:
		return nil, fmt.Errorf("regress: unknown spatial model %q (want sar, sem, sdm, sdem, slx or sac)", opt.Model)
	}
	if opt.Tol == 0 {
		opt.Tol = 1e-10
	}

	if opt.MaxEval < 0 {
		return nil, fmt.Errorf("regress: MaxEval %d is negative", opt.MaxEval)
	}
	if opt.MaxEval == 0 {
		opt.MaxEval = 1000
	}
	fixed := effects == "individual" || effects == "time" || effects == "twoways"
	if opt.NoLeeYu && opt.SplmLeeYu {
		return nil, errors.New("regress: NoLeeYu and SplmLeeYu exclude each other")
	}
	if opt.BiasCorrection.active() {
		return fitBiasCorrected(p, opt, effects)
	}
	if opt.Dynamic != 0 {
		return fitDynamic(p, opt, effects)
	}
	opt.leeYu = !opt.NoLeeYu && fixed && opt.Model != SLX && !(opt.Model == SAC && effects == "twoways")
	var lyMessage string
	// Time effects (alone or with individual ones) by Lee and Yu's
	// transformation approach; SAC keeps splm's one-way scaling.
	timeTransform := opt.leeYu && !opt.SplmLeeYu && opt.Model != SAC && (effects == "time" || effects == "twoways")
	if timeTransform && !rowStandardised(opt.W) {
		opt.leeYu, timeTransform = false, false
		lyMessage = "uncorrected ML: the Lee–Yu transformation of " + effects + " effects needs weights whose rows all sum to 1 (style W, no islands)"
	}
	prepEffects := effects
	if effects == "random" {
		prepEffects = "none" // the GLS transformation is part of the likelihood
	}
	// A SAR fit that needs nothing of the raw data after prepare (see
	// lmPrepared below) transforms a panel handed over in place.
	opt.inPlace = overwrite && opt.Model == SAR && effects != "random" && !timeTransform && p != nil && p.X == nil
	d, err := prepare(p, &opt, prepEffects)
	if err != nil {
		return nil, err
	}
	if timeTransform {
		// Lee and Yu's (2010) transformation: the spatial lags of the
		// transformed data are W·ỹ and W·X̃ demeaned again period by period.
		d.lyTime = true
		d.wy = demean(d.wy, d.n, d.t, effects)
		for j := range d.wxs {
			d.wxs[j] = demean(d.wxs[j], d.n, d.t, effects)
		}
	}
	// A SAR fit whose LM tests reuse d (and a fit without inference) needs
	// nothing of p after prepare: let go of it and of the untransformed
	// data (rawSummary keeps what the outputs need), so that the caller's
	// N·T panel can be collected during the fit.
	lmPrepared := opt.Model == SAR && effects != "random" && !d.lyTime && !d.centre
	if opt.skipInference || lmPrepared {
		d.dropRaw()
		p = nil
	}
	if opt.Model != SLX {
		// (prepare refuses W2 for any model but SAC.)
		if err := precomputeSpatial(&opt); err != nil {
			return nil, err
		}
	}
	var res *Result
	switch {
	case effects == "random" && (opt.Model == SAR || opt.Model == SDM):
		res, err = fitLagRE(d, &opt)
	case effects == "random":
		res, err = fitErrorRE(d, &opt)
	case opt.Model == SAR || opt.Model == SDM:
		res, err = fitLag(d, &opt)
	case opt.Model == SEM || opt.Model == SDEM:
		res, err = fitError(d, &opt)
	case opt.Model == SAC:
		res, err = fitSAC(d, &opt)
	case opt.Model == SLX:
		res, err = fitSLX(d, &opt)
	}
	if err != nil {
		return nil, err
	}
	res.Model = string(opt.Model)
	res.Effects = effects
	res.N, res.T, res.NObs = d.n, d.t, d.n*d.t
	res.Messages = append(d.messages, res.Messages...)
	sm := d.rawSummary()
	res.recordSDValues(sm.ySD, d.names, sm.colSD)
	if res.Options == nil {
		res.Options = map[string]any{}
	}
	res.Options["style"] = opt.W.Style().String()
	if opt.ZeroPolicy {
		res.Options["zero_policy"] = true
	}
	if fixed && opt.Model != SLX {
		res.Options["lee_yu"] = opt.leeYu
		res.Options["estimator"] = leeYuLabel(opt.leeYu)
		if opt.leeYu && opt.SplmLeeYu && (effects == "twoways" || effects == "time" && opt.Model != SAC) {
			res.Options["estimator"] = "splm 1.6-5's LeeYu = TRUE (as coded there)"
		}
		if msg := leeYuBiasNote(&opt, effects, d.n, d.t); msg != "" {
			res.Messages = append(res.Messages, msg)
		} else if lyMessage != "" {
			res.Messages = append(res.Messages, lyMessage)
		}
	}
	if opt.LogDet != nil {
		res.Options["logdet"] = opt.LogDet.Method()
		res.Options["logdet_error"] = opt.LogDet.ErrorBound()
		if st, ok := opt.Traces.(*StochasticTraces); ok {
			p, seed := st.Probes()
			res.Options["traces"] = "stochastic"
			res.Options["trace_probes"] = p
			res.Options["trace_seed"] = seed
			res.Options["trace_exact_order"] = st.ExactOrder()
		}
	}
	finishInference(res)
	res.Messages = append(res.Messages, nearBoundaryMessages(res, &opt)...)
	var olsBeta, olsResid []float64 // least squares of ỹ on X̃, when fitted
	if opt.Model != SLX && res.LogLik != nil && effects != "random" {
		// LR test of the spatial parameters against least squares on the
		// same regressors (spatialreg's "LR test" of lagsarlm, errorsarlm
		// and sacsarlm): 2(ℓ − ℓ_OLS), χ² with 1 (SAC: 2) df. Under the
		// Lee–Yu correction with one-way effects ℓ is the likelihood of the
		// transformed model, with N(T−1) (or (N−1)T) observations, and so
		// is ℓ_OLS; with two-way effects ℓ is the ML one.
		if b, e, err := d.olsOfY(); err == nil {
			olsBeta, olsResid = b, e
			nt := float64(d.n * d.t)
			if opt.leeYu && !(effects == "twoways" && opt.SplmLeeYu) {
				nn, tt := leeYuDims(d.n, d.t, effects, true)
				nt = nn * tt
			}
			llOLS := -nt / 2 * (math.Log(2*math.Pi*dot(e, e)/nt) + 1)
			df := 1.0
			if opt.Model == SAC {
				df = 2
			}
			lr := 2 * (*res.LogLik - llOLS)
			if res.Tests == nil {
				res.Tests = map[string]Test{}
			}
			res.Tests["lr_spatial"] = Test{Name: "LR test of the spatial parameters against least squares", Statistic: lr, DF: []float64{df},
				PValue: distuv.ChiSquared{K: df}.Survival(math.Max(lr, 0)), Distribution: "chisq"}
			res.Extra["loglik_ols"] = llOLS
		}
	}
	opt.phase("standard errors")
	if !opt.skipInference && (opt.Model == SAR || opt.Model == SDM || opt.Model == SAC) && opt.ImpactDraws >= 0 {
		imp, err := computeImpacts(res, d, &opt)
		if err != nil {
			return nil, err
		}
		res.Impacts = imp
	}
	if !opt.skipInference && (opt.Model == SLX || opt.Model == SDEM) && opt.ImpactDraws >= 0 && res.Vcov != nil {
		res.Impacts = linearImpacts(res, d)
	}
	opt.phase("impacts")
	if !opt.skipInference {
		// The LM diagnostics of the least-squares fit on X (spdep's
		// lm.LMtests, splm's slmtest) for model choice.
		var lm map[string]Test
		var err error
		if lmPrepared {
			// The SAR fit's data are those the tests transform: reuse
			// them and their least-squares fit (no second N·T copy).
			if olsBeta == nil {
				olsBeta, olsResid, err = d.olsOfY()
			}
			if err == nil {
				lm, err = lmTestsPrepared(d, opt.W, olsBeta, olsResid)
			}
		} else {
			lm, err = spatialLMTests(p, opt.W, effects, opt.ZeroPolicy)
		}
		if err == nil {
			if res.Tests == nil {
				res.Tests = map[string]Test{}
			}
			for k, v := range lm {
				res.Tests[k] = v
			}
		}
	}
	if !opt.skipInference && opt.Model == SDM && effects != "random" {
		if err := sdmTests(p, res, d, opt); err != nil {
			return nil, err
		}
	}
	opt.phase("tests")
	return res, nil
}

// NearBoundary is the share of a spatial parameter's feasible interval
// (1/λmin, 1/λmax) within which an estimate draws a message: there the
// profile likelihood is usually flat towards the bound or the model is
// misspecified (a missing intercept or trend), and Wald inference from
// the information matrix, which assumes an interior maximum, is unreliable.
const NearBoundary = 0.01

// nearBoundaryMessages returns a message for each of ρ and λ whose
// estimate lies within NearBoundary·(hi − lo) of a bound of its interval:
// ρ and the λ of SEM/SDEM on W's, the λ of SAC on W2's (W's without W2).
func nearBoundaryMessages(res *Result, opt *SpatialOptions) []string {
	var msgs []string
	for _, c := range res.Coefficients {
		ld := opt.LogDet
		sym := "ρ"
		switch c.Name {
		case "rho":
		case "lambda":
			sym = "λ"
			if opt.Model == SAC && opt.LogDet2 != nil {
				ld = opt.LogDet2
			}
		default:
			continue
		}
		if ld == nil {
			continue
		}
		lo, hi := ld.Interval()
		margin := NearBoundary * (hi - lo)
		var bound float64
		switch {
		case c.Estimate-lo < margin:
			bound = lo
		case hi-c.Estimate < margin:
			bound = hi
		default:
			continue
		}
		msgs = append(msgs, fmt.Sprintf("%s = %.4g lies within %g%% of the width of its interval (%.4g, %.4g) from the bound %.4g: the likelihood may be flat towards the bound or the model misspecified (a missing intercept or trend?), and standard errors from the information matrix are unreliable there", sym, c.Estimate, 100*NearBoundary, lo, hi, bound))
	}
	return msgs
}

// finishInference fills z statistics, p-values, AIC and BIC.
func finishInference(r *Result) {
	nrm := distuv.UnitNormal
	for i := range r.Coefficients {
		c := &r.Coefficients[i]
		if r.Vcov != nil {
			c.StdError = math.Sqrt(r.Vcov.At(i, i))
		}
		c.Statistic = c.Estimate / c.StdError
		c.PValue = 2 * nrm.Survival(math.Abs(c.Statistic))
	}
	if r.LogLik != nil {
		k := float64(len(r.Coefficients) + 1) // + σ²
		aic := -2**r.LogLik + 2*k
		bic := -2**r.LogLik + k*math.Log(float64(r.NObs))
		r.AIC, r.BIC = &aic, &bic
	}
}

// recoverEffects computes the fixed effects from r = y − ρWy − Xβ on the
// untransformed data. Only the means of r over periods and over regions
// enter, so no N·T spatial lag is formed: the period mean of (Wy)_i is
// (W ȳ)_i, ȳ the regions' means, and the regional sum of (Wy)_t is cᵀy_t
// with c = Wᵀ1 the column sums of W.
func recoverEffects(d *smlData, rho float64, beta []float64) *FixedEffects {
	if d.effects == "none" {
		return nil
	}
	n, t := d.n, d.t
	sm := d.rawSummary()
	im := slices.Clone(sm.yRegion) // Σ_t r_it
	tm := slices.Clone(sm.yPeriod) // Σ_i r_it
	for j := range d.raw {
		b := -beta[j]
		for i, x := range sm.colRegion[j] {
			im[i] += b * x
		}
		for s, x := range sm.colPeriod[j] {
			tm[s] += b * x
		}
	}
	if rho != 0 {
		for i, v := range d.w.Lag(sm.yRegion) {
			im[i] -= rho * v
		}
		for s := 0; s < t; s++ {
			tm[s] -= rho * sm.cy[s]
		}
	}
	var g float64
	for _, v := range tm {
		g += v
	}
	g /= float64(n * t)
	fe := &FixedEffects{Mean: g}
	if d.effects == "individual" || d.effects == "twoways" {
		for i := range im {
			im[i] = im[i]/float64(t) - g
		}
		fe.Individual = im
	}
	if d.effects == "time" || d.effects == "twoways" {
		for s := range tm {
			tm[s] = tm[s]/float64(n) - g
		}
		fe.Time = tm
	}
	return fe
}

// leeYuLabel names the estimator of a fixed-effects spatial model, as
// the outputs state it.
func leeYuLabel(applied bool) string {
	if applied {
		return "Lee–Yu corrected ML (Lee and Yu 2010)"
	}
	return "uncorrected ML, as splm's default"
}

// leeYuBiasNote returns the message of an uncorrected fixed-effects fit
// with a short panel (T < 20 with individual or two-way effects, N < 20
// with time effects): the factor by which σ̂² is biased, E σ̂² ≈ σ²·f with
// f = (T−1)/T, (N−1)/N or their product (Lee and Yu 2010), and by how much
// the standard errors are too small, √f; "" otherwise.
func leeYuBiasNote(opt *SpatialOptions, effects string, n, t int) string {
	if opt.leeYu || opt.Model == SLX {
		return ""
	}
	nn, tt := leeYuDims(n, t, effects, true)
	f := nn * tt / float64(n*t)
	short := (effects == "individual" || effects == "twoways") && t < 20 || effects == "time" && n < 20
	if !short || f >= 1 {
		return ""
	}
	why := "with NoLeeYu (--lee-yu=false)"
	switch {
	case opt.NoLeeYu:
	case opt.Model == SAC:
		why = "(no Lee–Yu correction exists for SAC with two-way effects)"
	default:
		why = "(the Lee–Yu transformation of " + effects + " effects needs weights whose rows all sum to 1: style W, no islands)"
	}
	return fmt.Sprintf("uncorrected ML %s: with %s effects, N = %d and T = %d, σ² is biased down by the factor %.4g and the standard errors are about %.1f%% too small (Lee and Yu 2010)",
		why, effects, n, t, f, 100*(1-math.Sqrt(f)))
}

// tEff is the number of periods of the transformed model with time
// effects: T−1 with two-way effects, T with time effects alone.
func (d *smlData) tEff() int {
	if d.effects == "twoways" {
		return d.t - 1
	}
	return d.t
}

// likelihoodDims returns the number of observations and of periods the
// concentrated likelihood counts, and its log-Jacobian per period: N·T, T
// and ln|I − ρW|, or under Lee and Yu's (2010) transformation of time
// effects (N−1)(T−1) observations (time effects alone: (N−1)T) and
// ln|I − ρW| − ln(1 − ρ).
func (d *smlData) likelihoodDims(ld spatial.LogDeterminant) (nt, ft float64, logDet func(float64) float64) {
	if d.lyTime {
		return float64((d.n - 1) * d.tEff()), float64(d.tEff()), func(r float64) float64 { return lyTimeLogDet(ld, r) }
	}
	return float64(d.n * d.t), float64(d.t), ld.LogDet
}

// rowStandardised reports whether every row of w sums to 1.
func rowStandardised(w *spatial.Weights) bool {
	for _, v := range w.RowSums() {
		if math.Abs(v-1) > 1e-10 {
			return false
		}
	}
	return true
}

// lyTimeLogDet is the log-Jacobian per period of Lee and Yu's (2010)
// two-way transformation, ln|I − ρW*| = ln|I − ρW| − ln(1 − ρ) with
// W* = F'WF for row-standardised W (whose eigenvalue 1 belongs to 1_N).
func lyTimeLogDet(ld spatial.LogDeterminant, rho float64) float64 {
	return ld.LogDet(rho) - math.Log(1-rho)
}

// lyTimeMoments turns tr(G), tr(G²), tr(GᵀG) of G = W(I − ρW)⁻¹ into
// those of G* = F'GF, the transformed model's (Lee and Yu 2010, sec. 4):
// G is block triangular in the basis (1/√N, F) with G1 = 1/(1−ρ), so
// tr(G*) = tr(G) − 1/(1−ρ), tr(G*²) = tr(G²) − 1/(1−ρ)² and
// tr(G*ᵀG*) = tr(GᵀPG P) = tr(GᵀG) − |Gᵀ1|²/N, P = I − 11ᵀ/N.
func lyTimeMoments(w *spatial.Weights, rho, tr1, tr2, trTT float64) (float64, float64, float64, error) {
	n := w.N()
	wt := w.Transpose()
	ones := make([]float64, n)
	for i := range ones {
		ones[i] = 1
	}
	g1, err := solveIRW(wt, rho, wt.Lag(ones), n, 1)
	if err != nil {
		return 0, 0, 0, err
	}
	c := 1 / (1 - rho)
	return tr1 - c, tr2 - c*c, trTT - dot(g1, g1)/float64(n), nil
}

// leeYuDims returns the effective N, T of the Lee–Yu correction (splm:
// T−1 for individual, N−1 for time, both for two-way effects).
func leeYuDims(n, t int, effects string, leeYu bool) (float64, float64) {
	nn, tt := float64(n), float64(t)
	if !leeYu {
		return nn, tt
	}
	switch effects {
	case "individual":
		tt--
	case "time":
		nn--
	case "twoways":
		nn--
		tt--
	}
	return nn, tt
}

// symInverse inverts a symmetric positive definite information matrix.
func symInverse(info *mat.SymDense) (*mat.SymDense, error) {
	var ch mat.Cholesky
	if !ch.Factorize(info) {
		var inv mat.Dense
		if err := inv.Inverse(info); err != nil {
			return nil, fmt.Errorf("regress: information matrix is singular: %w", err)
		}
		m := info.SymmetricDim()
		out := mat.NewSymDense(m, nil)
		for i := 0; i < m; i++ {
			for j := i; j < m; j++ {
				out.SetSym(i, j, 0.5*(inv.At(i, j)+inv.At(j, i)))
			}
		}
		return out, nil
	}
	var inv mat.SymDense
	if err := ch.InverseTo(&inv); err != nil {
		return nil, fmt.Errorf("regress: information matrix is singular: %w", err)
	}
	return &inv, nil
}

// solveIRWMaxDenseN is the largest N for which solveIRW falls back on a
// dense solve when the fixed-point iteration does not converge.
const solveIRWMaxDenseN = 4000

// solveIRW returns (I_T ⊗ (I − ρW))⁻¹u by the fixed-point iteration
// z ← u + ρWz per period (the periods in parallel), converging when
// |ρ|·ρ(W) < 1; where it does not within 20,000 steps (or overflows) it
// solves densely (N ≤ solveIRWMaxDenseN) or fails.
func solveIRW(w *spatial.Weights, rho float64, u []float64, n, t int) ([]float64, error) {
	out := make([]float64, n*t)
	errs := make([]error, t)
	forEach(t, func(s int) {
		errs[s] = solveIRWPeriod(w, rho, u[s*n:(s+1)*n], out[s*n:(s+1)*n])
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// lagSolveIRW overwrites u with (I_T ⊗ W(I − ρW)⁻¹)u: solveIRW followed
// by the lag of each period, the same numbers bit for bit, without a
// second N·T vector (one of N per period being solved).
func lagSolveIRW(w *spatial.Weights, rho float64, u []float64, n, t int) error {
	errs := make([]error, t)
	// Large N: the Chebyshev semi-iteration first, for W similar to a
	// symmetric matrix (real eigenvalues; known once the log-determinant
	// asked) with r = |ρ|·‖W‖∞ < 1, a bound on the moduli of ρW's. (On
	// complex ones it can be slower than the fixed-point iteration.)
	var r float64
	if n >= chebSolveMinN && w.IsSymmetricSimilar() {
		if r = math.Abs(rho) * w.MaxAbsRowSum(); r >= 1 {
			r = 0
		}
	}
	// Each worker's two vectors of N, reused from period to period.
	free := make(chan [2][]float64, t)
	forEach(t, func(s int) {
		var b [2][]float64
		select {
		case b = <-free:
		default:
			b = [2][]float64{make([]float64, n), make([]float64, n)}
		}
		us, z := u[s*n:(s+1)*n], b[0]
		if errs[s] = solveIRWPeriodWith(w, rho, us, z, b[1], r); errs[s] == nil {
			w.LagTo(us, z)
		}
		free <- b
	})
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// chebSolveMinN is the number of regions from which lagSolveIRW
// accelerates its solves (chebyshevIRW); below it a solve is cheap.
const chebSolveMinN = 1 << 14

// solveIRWPeriod sets z to (I − ρW)⁻¹us.
func solveIRWPeriod(w *spatial.Weights, rho float64, us, z []float64) error {
	return solveIRWPeriodWith(w, rho, us, z, make([]float64, len(us)), 0)
}

// solveIRWPeriodWith is solveIRWPeriod with buf (N values, overwritten) as
// its second buffer. With 0 < r < 1, a bound on the moduli of the
// eigenvalues of ρW (which must be real if r > 1/√2), it starts the
// fixed-point iteration from the Chebyshev semi-iteration's last iterate
// (chebyshevIRW), which the fixed-point steps then check or finish;
// where that diverged, from us.
func solveIRWPeriodWith(w *spatial.Weights, rho float64, us, z, buf []float64, r float64) error {
	n := len(us)
	// z ← us + ρWz in one pass per step (spatial.Weights.AffineLagTo),
	// alternating between z and buf.
	cur, next := z, buf
	if !(r > 0 && r < 1 && n > 0 && chebyshevIRW(w, rho, us, z, buf, r)) {
		copy(cur, us)
	}
	for it := 0; it < 20000; it++ {
		diff, nrm := w.AffineLagTo(next, cur, us, rho)
		cur, next = next, cur
		// Diverging (|ρ|·ρ(W) > 1), the norm overflows first: a
		// non-finite one is a failure, not convergence.
		if math.IsNaN(diff+nrm) || math.IsInf(diff+nrm, 0) {
			break
		}
		if diff <= 1e-30*math.Max(nrm, 1e-300) {
			if &cur[0] != &z[0] {
				copy(z, cur)
			}
			return nil
		}
	}
	if n > 0 && &cur[0] != &z[0] {
		copy(z, cur)
	}
	return solveIRWDense(w, rho, us, z)
}

// chebyshevIRW solves z = us + ρWz by the Chebyshev semi-iterative method
// of Golub and Varga (1961) for eigenvalues of ρW within [−r, r], r < 1:
// from x_0 = us and x_1 = us + ρWx_0,
//
//	x_{k+1} = ω_{k+1} (us + ρWx_k) + (1 − ω_{k+1}) x_{k−1},
//	ω_2 = 1/(1 − r²/2),  ω_{k+1} = 1/(1 − r²ω_k/4),
//
// whose error falls by about r/(1 + √(1 − r²)) a step for real
// eigenvalues (0.21 at r = 0.4, where the fixed-point iteration's falls by
// 0.4). An eigenvalue μ is damped where it lies inside the ellipse with
// foci ±r through ±1 (semi-axes 1 and √(1 − r²)): every |μ| ≤ r is, for
// r ≤ 1/√2, whatever W's symmetry; above, complex eigenvalues can grow.
// It stops as solveIRWPeriod's iteration does (a step's squared norm at
// most 1e-30 of the iterate's), after twice the steps its rate predicts,
// or when a step grows beyond four times the first, and reports whether z
// (its last iterate; buf is overwritten) is a better start than us: the
// caller checks z by fixed-point steps, so that the method can be slow,
// never wrong.
func chebyshevIRW(w *spatial.Weights, rho float64, us, z, buf []float64, r float64) bool {
	prev, cur := buf, z
	copy(prev, us)
	first, _ := w.AffineLagTo(cur, prev, us, rho)
	rate := r / (1 + math.Sqrt(1-r*r))
	maxIt := 10
	if rate > 0 {
		maxIt += 2 * int(math.Ceil(math.Log(1e-16)/math.Log(rate)))
	}
	omega := 1.0
	diff := first
	for k := 1; k <= maxIt; k++ {
		if k == 1 {
			omega = 1 / (1 - r*r/2)
		} else {
			omega = 1 / (1 - r*r*omega/4)
		}
		var nrm float64
		diff, nrm = w.ChebyshevLagTo(prev, cur, us, rho, omega)
		prev, cur = cur, prev
		if math.IsNaN(diff+nrm) || math.IsInf(diff+nrm, 0) || diff > 16*first {
			return false // diverging (16: the squared norms' four times)
		}
		if diff <= 1e-30*math.Max(nrm, 1e-300) {
			break
		}
	}
	if &cur[0] != &z[0] {
		copy(z, cur)
	}
	return diff < first
}

// solveIRWDense sets z to (I − ρW)⁻¹us by a dense solve where the
// fixed-point iteration (whose last iterate z holds) did not converge:
// for N ≤ solveIRWMaxDenseN, else an error.
func solveIRWDense(w *spatial.Weights, rho float64, us, z []float64) error {
	n := len(us)
	if n > solveIRWMaxDenseN {
		return fmt.Errorf("regress: (I − ρW)z = u did not converge at ρ = %g in 20,000 iterations (N = %d is too large for a dense solve)", rho, n)
	}
	a := w.Dense()
	a.Scale(-rho, a)
	for i := 0; i < n; i++ {
		a.Set(i, i, a.At(i, i)+1)
	}
	var zv mat.VecDense
	if err := zv.SolveVec(a, mat.NewVecDense(n, append([]float64(nil), us...))); err != nil {
		return fmt.Errorf("regress: I − ρW is singular at ρ = %g: %w", rho, err)
	}
	copy(z, zv.RawVector().Data)
	return nil
}

// collinearWith names the kept regressors (transformed columns xs) that
// the dropped column c is a combination of: the terms of the least-squares
// fit of c on xs whose share of c is not negligible, largest first ("log(pcap)", or
// "log(pcap) and unemp").
func collinearWith(c []float64, xs [][]float64, names []string) string {
	if len(xs) == 0 {
		return "the effects"
	}
	x := mat.NewDense(len(c), len(xs), nil)
	for j, col := range xs {
		x.SetCol(j, col)
	}
	var qr mat.QR
	qr.Factorize(x)
	var b mat.Dense
	if err := qr.SolveTo(&b, false, mat.NewDense(len(c), 1, slices.Clone(c))); err != nil {
		return "the other regressors"
	}
	norm := math.Sqrt(dot(c, c))
	type part struct {
		name  string
		share float64
	}
	var parts []part
	for j, col := range xs {
		if s := math.Abs(b.At(j, 0)) * math.Sqrt(dot(col, col)) / norm; s > 1e-6 {
			parts = append(parts, part{names[j], s})
		}
	}
	if len(parts) == 0 {
		return "the other regressors"
	}
	slices.SortStableFunc(parts, func(a, b part) int { return cmp.Compare(b.share, a.share) })
	out := make([]string, 0, 3)
	for _, p := range parts[:min(len(parts), 3)] {
		out = append(out, p.name)
	}
	s := strings.Join(out, " and ")
	if len(parts) > 3 {
		s += fmt.Sprintf(" and %d more", len(parts)-3)
	}
	return s
}
