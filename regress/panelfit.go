package regress

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// FitOptions selects a panel estimator and its covariance. The zero value is
// pooled OLS with the classical covariance.
type FitOptions struct {
	// Model is "ols" (pooled), "fe" (within), "re" (random effects,
	// Swamy–Arora) or "between". Empty means "ols".
	Model string
	// Effects are the fixed effects of "fe" (Individual, TimeEffects or
	// TwoWays; NoEffects means Individual). "re" and "between" use
	// individual effects.
	Effects Effects
	// Vcov is "classical", "hc0", "hc1", "hc2", "hc3", "cluster-id",
	// "cluster-time" or "dk" (Driscoll–Kraay). Empty means "classical".
	Vcov string
	// Correction is the small-sample correction of clustered and
	// Driscoll–Kraay covariances: "none" (plm's HC0), "hc1" (plm's HC1,
	// n/(n−k)), "sss" (plm's "sss", G/(G−1)·(n−1)/(n−k), k the
	// coefficients of the transformed model) or "stata" (Stata's
	// G/(G−1)·(n−1)/(n−K), K counting every coefficient Stata's command
	// estimates: pooled OLS, random effects and between, K = k; xtreg, fe
	// with individual or time effects, K = k + 1 for its constant; two-way
	// effects as xtreg, fe with period dummies, K = k + T). Empty means
	// "stata" for clusters and "none" for Driscoll–Kraay, as plm's vcovSCC.
	// The factor is recorded in Result.Options["vcov_factor"].
	Correction string
	// DKLag is the Driscoll–Kraay maximum lag; 0 means floor(T^(1/4)) as
	// plm's vcovSCC.
	DKLag int
	// DropCollinear drops regressors that are linear combinations of
	// earlier ones (with a message, as Stata does) instead of returning an
	// error naming them.
	DropCollinear bool
}

// CollinearityTol is the relative tolerance under which a regressor counts
// as a linear combination of the earlier ones: the squared norm of its
// residual on them is below CollinearityTol times its own squared norm.
const CollinearityTol = 1e-10

// lsFit is a least-squares fit on (transformed) data.
type lsFit struct {
	b      []float64
	xtxInv *mat.SymDense
	resid  []float64
	rss    float64
	keep   []int // columns of X kept
}

// olsFit regresses y on the columns of x. norms are the squared norms of
// the columns before any transformation (nil means those of x), used to
// tell columns that the transformation wiped out. names label the columns.
func olsFit(y []float64, x *mat.Dense, names []string, norms []float64, dropCollinear bool, what string) (*lsFit, []string, error) {
	n, k := x.Dims()
	var xtx mat.SymDense
	xtx.SymOuterK(1, x.T())
	// Incremental Cholesky to find collinear columns in order.
	var keep []int
	var msgs []string
	L := mat.NewTriDense(k, mat.Lower, nil)
	kk := 0
	for j := 0; j < k; j++ {
		d := xtx.At(j, j)
		ref := d
		if norms != nil {
			ref = norms[j]
		}
		if ref == 0 || d <= CollinearityTol*ref {
			msg := fmt.Sprintf("%s has no variation", names[j])
			if what != "" && norms != nil && norms[j] > 0 && d <= CollinearityTol*ref {
				msg = fmt.Sprintf("%s has no variation %s", names[j], what)
			}
			if !dropCollinear {
				return nil, nil, fmt.Errorf("%w: %s", ErrCollinear, msg)
			}
			msgs = append(msgs, "dropped "+msg)
			continue
		}
		// Row of L for the new column.
		row := make([]float64, kk)
		for a := 0; a < kk; a++ {
			s := xtx.At(keep[a], j)
			for c := 0; c < a; c++ {
				s -= L.At(a, c) * row[c]
			}
			row[a] = s / L.At(a, a)
		}
		s := d
		for _, v := range row {
			s -= v * v
		}
		if s <= CollinearityTol*d {
			// Find which earlier columns it depends on: all kept
			// ones with a non-negligible weight.
			var with []string
			for _, c := range keep {
				with = append(with, names[c])
			}
			if !dropCollinear {
				return nil, nil, fmt.Errorf("%w: %s is collinear with %s", ErrCollinear, names[j], strings.Join(with, ", "))
			}
			msgs = append(msgs, fmt.Sprintf("dropped %s: collinear with the other regressors", names[j]))
			continue
		}
		for a, v := range row {
			L.SetTri(kk, a, v)
		}
		L.SetTri(kk, kk, math.Sqrt(s))
		keep = append(keep, j)
		kk++
	}
	if len(keep) == 0 {
		return nil, nil, fmt.Errorf("no regressor left")
	}
	if n <= len(keep) {
		return nil, nil, fmt.Errorf("%d observations for %d regressors", n, len(keep))
	}
	xk := x
	if len(keep) < k {
		xk = mat.NewDense(n, len(keep), nil)
		for a, j := range keep {
			xk.SetCol(a, mat.Col(nil, j, x))
		}
	}
	xtxk := &xtx
	if len(keep) < k {
		xtxk = new(mat.SymDense)
		xtxk.SymOuterK(1, xk.T())
	}
	var ch mat.Cholesky
	if !ch.Factorize(xtxk) {
		return nil, nil, fmt.Errorf("the regressors are collinear")
	}
	inv := mat.NewSymDense(len(keep), nil)
	if err := ch.InverseTo(inv); err != nil {
		return nil, nil, err
	}
	var xty mat.VecDense
	xty.MulVec(xk.T(), mat.NewVecDense(n, y))
	var b mat.VecDense
	if err := ch.SolveVecTo(&b, &xty); err != nil {
		return nil, nil, err
	}
	var fit mat.VecDense
	fit.MulVec(xk, &b)
	o := &lsFit{b: mat.Col(nil, 0, &b), xtxInv: inv, resid: make([]float64, n), keep: keep}
	for i := range y {
		o.resid[i] = y[i] - fit.AtVec(i)
		o.rss += o.resid[i] * o.resid[i]
	}
	return o, msgs, nil
}

// Fit estimates a panel model on a design; see FitOptions. The within
// models drop the intercept (plm's convention). Collinear regressors and
// regressors without variation after the fixed-effects transformation are
// an error naming them, unless opts.DropCollinear.
//
// Estimators (Baltagi 2021, ch. 2–3; Croissant and Millo 2008):
//
//	pooled   OLS of y on X
//	within   OLS of M_D y on M_D X (D: individual/time dummies)
//	between  OLS of ȳ_i on x̄_i (one row per individual)
//	random   OLS of y − θ_i ȳ_i on X − θ_i x̄_i,
//	         θ_i = 1 − sqrt(σ²_e / (T_i σ²_u + σ²_e)),
//	         σ²_e from the within residuals, σ²_u from the between
//	         residuals (Swamy and Arora 1972; Baltagi and Chang 1994 for
//	         unbalanced panels)
func Fit(d *Design, opts FitOptions) (*Result, error) {
	model := opts.Model
	if model == "" {
		model = "ols"
	}
	eff := opts.Effects
	vc := opts.Vcov
	if vc == "" {
		vc = "classical"
	}
	switch vc {
	case "classical", "hc0", "hc1", "hc2", "hc3", "cluster-id", "cluster-time", "dk":
	default:
		return nil, fmt.Errorf("unknown covariance %q (want classical, hc0, hc1, hc2, hc3, cluster-id, cluster-time or dk)", vc)
	}
	if d.X == nil {
		return nil, fmt.Errorf("formula %q has no regressors", d.Formula.Source)
	}
	if err := responseVaries(d.Response, d.Y, d.Y, ""); err != nil {
		return nil, err
	}
	var r *Result
	var err error
	switch model {
	case "ols", "pooling":
		r, err = fitPooled(d, opts)
		eff = NoEffects
	case "fe", "within":
		if eff == NoEffects {
			eff = Individual
		}
		r, err = fitWithin(d, eff, opts)
	case "between":
		if eff == NoEffects {
			eff = Individual
		}
		if eff != Individual {
			return nil, fmt.Errorf("the between model supports individual effects only")
		}
		if vc != "classical" {
			return nil, fmt.Errorf("the between model supports the classical covariance only")
		}
		r, err = fitBetween(d, opts)
	case "re", "random":
		if eff == NoEffects {
			eff = Individual
		}
		if eff != Individual {
			return nil, fmt.Errorf("the random-effects model supports individual effects only")
		}
		r, err = fitRandom(d, opts)
	default:
		return nil, fmt.Errorf("unknown model %q (want ols, fe, re or between)", model)
	}
	if err != nil {
		return nil, fmt.Errorf("fitting %s: %w", model, err)
	}
	if r.TermSD == nil { // the between model records those of the means
		r.recordDesignSDs(d.Y, d.X, d.Names)
	}
	r.Effects = eff.String()
	r.N, r.T, r.NObs = d.N(), d.T(), d.NObs()
	r.Options["formula"] = d.Formula.String()
	r.Options["balanced"] = d.Balanced
	r.Messages = append(slices.Clone(d.Messages), r.Messages...)
	return r, nil
}

// work is the state of one fit: the data the final OLS ran on.
type work struct {
	y     []float64
	x     *mat.Dense // kept columns only, transformed
	names []string
	o     *lsFit
	// groups for clustering: rows' id and time of the design.
	id, time []int
	nid, nt  int
	dfRes    int
	// stataExtra is the number of coefficients Stata's equivalent
	// command estimates beyond the k of the transformed model (the
	// constant of xtreg, fe; with two-way effects also T−1 period
	// dummies), for Stata's small-sample factor.
	stataExtra int
	// stat is "t" or "z".
	stat string
}

func newResult(model string) *Result {
	return &Result{Model: model, R2: map[string]float64{}, Tests: map[string]Test{}, Options: map[string]any{}, Extra: map[string]float64{}}
}

func subset(x *mat.Dense, keep []int) *mat.Dense {
	n, k := x.Dims()
	if len(keep) == k {
		return x
	}
	out := mat.NewDense(n, len(keep), nil)
	for a, j := range keep {
		out.SetCol(a, mat.Col(nil, j, x))
	}
	return out
}

func colNorms(x *mat.Dense) []float64 {
	n, k := x.Dims()
	out := make([]float64, k)
	raw := x.RawMatrix()
	for i := 0; i < n; i++ {
		row := raw.Data[i*raw.Stride : i*raw.Stride+k]
		for j, v := range row {
			out[j] += v * v
		}
	}
	return out
}

func fitPooled(d *Design, opts FitOptions) (*Result, error) {
	o, msgs, err := olsFit(d.Y, d.X, d.Names, nil, opts.DropCollinear, "")
	if err != nil {
		return nil, err
	}
	w := &work{y: d.Y, x: subset(d.X, o.keep), o: o, id: d.ID, time: d.Time, nid: d.N(), nt: d.T(), stat: "t"}
	for _, j := range o.keep {
		w.names = append(w.names, d.Names[j])
	}
	w.dfRes = len(d.Y) - len(o.keep)
	r := newResult("ols")
	r.Messages = msgs
	if err := w.finish(r, d, opts, tss(d.Y, d.Intercept)); err != nil {
		return nil, err
	}
	ll := gaussLogLik(o.rss, len(d.Y))
	r.LogLik = &ll
	stataR2(r, d, w.names, o.b)
	return r, nil
}

func fitWithin(d *Design, eff Effects, opts FitOptions) (*Result, error) {
	cols, names := d.slopes()
	if len(cols) == 0 {
		return nil, fmt.Errorf("no regressor besides the intercept")
	}
	y := slices.Clone(d.Y)
	if err := Within(y, d.ID, d.N(), d.Time, d.T(), eff); err != nil {
		return nil, err
	}
	if err := responseVaries(d.Response, y, d.Y, effectsTransform(eff.String())); err != nil {
		return nil, err
	}
	x, err := withinCols(d.X, cols, d.ID, d.N(), d.Time, d.T(), eff)
	if err != nil {
		return nil, err
	}
	allNorms := colNorms(d.X)
	norms := make([]float64, len(cols))
	for a, j := range cols {
		norms[a] = allNorms[j]
	}
	what := map[Effects]string{Individual: "within individuals", TimeEffects: "within periods", TwoWays: "after removing individual and time effects"}[eff]
	x, names, norms, absorbed := dropAbsorbedDummies(d, cols, x, names, norms)
	if len(names) == 0 {
		return nil, fmt.Errorf("every regressor is absorbed by the fixed effects: %s", strings.Join(absorbed, ", "))
	}
	o, msgs, err := olsFit(y, x, names, norms, opts.DropCollinear, what)
	if err != nil {
		return nil, err
	}
	if len(absorbed) > 0 {
		msgs = append([]string{fmt.Sprintf("%s: no variation %s, absorbed by the fixed effects (dropped)", strings.Join(absorbed, ", "), what)}, msgs...)
	}
	w := &work{y: y, x: subset(x, o.keep), o: o, id: d.ID, time: d.Time, nid: d.N(), nt: d.T(), stat: "t"}
	for _, j := range o.keep {
		w.names = append(w.names, names[j])
	}
	nfe := map[Effects]int{Individual: d.N(), TimeEffects: d.T(), TwoWays: d.N() + d.T() - 1}[eff]
	w.stataExtra = 1
	if eff == TwoWays {
		w.stataExtra = d.T()
	}
	w.dfRes = len(y) - nfe - len(o.keep)
	if w.dfRes <= 0 {
		return nil, fmt.Errorf("no residual degrees of freedom (%d observations, %d effects, %d regressors)", len(y), nfe, len(o.keep))
	}
	r := newResult("fe")
	r.Messages = msgs
	if err := w.finish(r, d, opts, tss(y, true)); err != nil {
		return nil, err
	}
	// Log-likelihood of the dummy-variable (LSDV) regression.
	ll := gaussLogLik(o.rss, len(y))
	r.LogLik = &ll
	stataR2(r, d, w.names, o.b)
	if eff == TwoWays {
		// Stata's within R² of xtreg, fe with year dummies: the
		// dummies are regressors of the individual-demeaned model.
		yi := slices.Clone(d.Y)
		Demean(yi, d.ID, d.N())
		r.R2["within"] = 1 - o.rss/tss(yi, false)
		r.Options["r2_stata"] = "within R² counts the time effects (xtreg, fe with year dummies); between and overall use the slopes only"
	}
	// F test that all the fixed effects are zero (plm pFtest).
	if !d.Intercept {
		r.Extra["sigma2_e"] = r.Sigma2
		r.Messages = append(r.Messages, "no F test for the effects: the formula has no intercept")
		return r, nil
	}
	po, _, err := olsFit(d.Y, d.X, d.Names, nil, true, "")
	if err == nil {
		df1 := float64(len(d.Y)-len(po.keep)) - float64(w.dfRes)
		df2 := float64(w.dfRes)
		if df1 > 0 {
			f := ((po.rss - o.rss) / df1) / (o.rss / df2)
			r.Tests["f_effects"] = Test{Name: "F test for " + eff.String() + " effects", Statistic: f, DF: []float64{df1, df2},
				PValue: fSurvival(f, df1, df2), Distribution: "F"}
		}
	}
	r.Extra["sigma2_e"] = r.Sigma2
	return r, nil
}

func fitBetween(d *Design, opts FitOptions) (*Result, error) {
	ym := GroupMeans(d.Y, d.ID, d.N())
	if err := responseVaries(d.Response, ym, d.Y, "averaging within individuals"); err != nil {
		return nil, err
	}
	xm := BetweenDense(d.X, d.ID, d.N())
	o, msgs, err := olsFit(ym, xm, d.Names, nil, opts.DropCollinear, "")
	if err != nil {
		return nil, err
	}
	ids := make([]int, d.N())
	for i := range ids {
		ids[i] = i
	}
	w := &work{y: ym, x: subset(xm, o.keep), o: o, id: ids, time: make([]int, d.N()), nid: d.N(), nt: 1, stat: "t"}
	for _, j := range o.keep {
		w.names = append(w.names, d.Names[j])
	}
	w.dfRes = d.N() - len(o.keep)
	if w.dfRes <= 0 {
		return nil, fmt.Errorf("%d individuals for %d regressors", d.N(), len(o.keep))
	}
	r := newResult("between")
	r.Messages = msgs
	if err := w.finish(r, d, opts, tss(ym, d.Intercept)); err != nil {
		return nil, err
	}
	r.Residuals = o.resid
	ll := gaussLogLik(o.rss, d.N())
	r.LogLik = &ll
	stataR2(r, d, w.names, o.b)
	r.Options["nobs_between"] = d.N()
	r.recordDesignSDs(ym, xm, d.Names)
	return r, nil
}

// SwamyArora returns the Swamy–Arora variance components of a design with
// individual effects: σ²_e from the within regression and σ²_u from the
// between regression, and θ_i = 1 − sqrt(σ²_e/(T_i σ²_u + σ²_e)) for each
// individual. For unbalanced panels σ²_u follows Baltagi and Chang (1994):
//
//	σ²_u = (û_b'û_b − (N − K) σ²_e) / (n − tr[(X'PX)⁻¹ X'PZZ'PX])
//
// with û_b the residuals of OLS of Py on PX (P the projection on the
// individual means, each mean repeated T_i times) and K the number of
// regressors with the intercept; balanced, this is RSS_b/(N−K) − σ²_e/T
// with RSS_b the between regression's residual sum of squares on means.
// A negative σ²_u is set to zero (θ = 0, pooled OLS), with a message.
//
// As plm's ercomp, the within regression that gives σ²_e has only the
// regressors that vary within individuals: a time-invariant regressor
// (say a region's area) is swept out by the within transformation and
// left out of it (σ²_e = SSR_w/(n − N − K_w), K_w the time-varying
// regressors; with none, SSR_w is that of the demeaned y), while the
// between regression and the GLS step keep it. msg then names the
// regressors left out.
func SwamyArora(d *Design) (sigma2u, sigma2e float64, theta []float64, msg string, err error) {
	sigma2e, wmsg, err := withinSigma2(d)
	if err != nil {
		return 0, 0, nil, "", fmt.Errorf("within regression: %w", err)
	}
	// Between on means; with weights T_i for the unbalanced formula.
	cnt := d.Counts()
	xm := BetweenDense(d.X, d.ID, d.N())
	ym := GroupMeans(d.Y, d.ID, d.N())
	n := d.NObs()
	N := d.N()
	// Weighted least squares of ȳ_i on x̄_i with weights T_i (= OLS of
	// Py on PX).
	_, k := xm.Dims()
	xw := mat.NewDense(N, k, nil)
	yw := make([]float64, N)
	for i := 0; i < N; i++ {
		s := math.Sqrt(float64(cnt[i]))
		for j := 0; j < k; j++ {
			xw.Set(i, j, s*xm.At(i, j))
		}
		yw[i] = s * ym[i]
	}
	o, _, err := olsFit(yw, xw, d.Names, nil, true, "")
	if err != nil {
		return 0, 0, nil, "", fmt.Errorf("between regression: %w", err)
	}
	K := len(o.keep)
	// tr[(X'PX)^-1 X'PZZ'PX]: X'PZZ'PX = sum_i T_i² x̄_i x̄_i'.
	m := mat.NewSymDense(K, nil)
	for i := 0; i < N; i++ {
		t2 := float64(cnt[i]) * float64(cnt[i])
		for a := 0; a < K; a++ {
			for b := a; b < K; b++ {
				m.SetSym(a, b, m.At(a, b)+t2*xm.At(i, o.keep[a])*xm.At(i, o.keep[b]))
			}
		}
	}
	var prod mat.Dense
	prod.Mul(o.xtxInv, m)
	tr := mat.Trace(&prod)
	sigma2u = (o.rss - float64(N-K)*sigma2e) / (float64(n) - tr)
	var msgs []string
	if wmsg != "" {
		msgs = append(msgs, wmsg)
	}
	if sigma2u < 0 {
		msgs = append(msgs, fmt.Sprintf("negative estimate of σ²_u (%g) set to 0", sigma2u))
		sigma2u = 0
	}
	msg = strings.Join(msgs, "; ")
	theta = make([]float64, N)
	for i := range theta {
		theta[i] = 1 - math.Sqrt(sigma2e/(float64(cnt[i])*sigma2u+sigma2e))
	}
	return sigma2u, sigma2e, theta, msg, nil
}

// withinSigma2 returns σ²_e of the within regression on the regressors
// that vary within individuals (plm's ercomp), and a message naming those
// left out.
func withinSigma2(d *Design) (float64, string, error) {
	cols, names := d.slopes()
	y := slices.Clone(d.Y)
	if err := Within(y, d.ID, d.N(), d.Time, d.T(), Individual); err != nil {
		return 0, "", err
	}
	x, err := withinCols(d.X, cols, d.ID, d.N(), d.Time, d.T(), Individual)
	if err != nil {
		return 0, "", err
	}
	allNorms := colNorms(d.X)
	wnorms := colNorms(x)
	// Columns the within transformation wipes out (time-invariant) are
	// left out; collinearity among the others is still an error.
	var keep []int
	var kept, dropped []string
	for a, j := range cols {
		if allNorms[j] == 0 || wnorms[a] <= CollinearityTol*allNorms[j] {
			dropped = append(dropped, names[a])
			continue
		}
		keep = append(keep, a)
		kept = append(kept, names[a])
	}
	n := len(y)
	rss, k := 0.0, len(keep)
	if k == 0 {
		for _, v := range y {
			rss += v * v
		}
	} else {
		o, _, err := olsFit(y, subset(x, keep), kept, nil, false, "")
		if err != nil {
			return 0, "", err
		}
		rss = o.rss
	}
	df := n - d.N() - k
	if df <= 0 {
		return 0, "", fmt.Errorf("no residual degrees of freedom (%d observations, %d individuals, %d regressors)", n, d.N(), k)
	}
	msg := ""
	if len(dropped) > 0 {
		msg = fmt.Sprintf("σ²_e from the within regression without %s (no variation within individuals), as plm", strings.Join(dropped, ", "))
	}
	return rss / float64(df), msg, nil
}

func fitRandom(d *Design, opts FitOptions) (*Result, error) {
	s2u, s2e, theta, msg, err := SwamyArora(d)
	if err != nil {
		return nil, err
	}
	y := slices.Clone(d.Y)
	QuasiDemean(y, d.ID, d.N(), theta)
	x := QuasiDemeanDense(d.X, d.ID, d.N(), theta)
	o, msgs, err := olsFit(y, x, d.Names, nil, opts.DropCollinear, "")
	if err != nil {
		return nil, err
	}
	w := &work{y: y, x: subset(x, o.keep), o: o, id: d.ID, time: d.Time, nid: d.N(), nt: d.T(), stat: "t"}
	for _, j := range o.keep {
		w.names = append(w.names, d.Names[j])
	}
	w.dfRes = len(y) - len(o.keep)
	r := newResult("re")
	r.Messages = msgs
	if msg != "" {
		r.Messages = append(r.Messages, msg)
	}
	if err := w.finish(r, d, opts, tss(y, true)); err != nil {
		return nil, err
	}
	r.Extra["sigma2_u"] = s2u
	r.Extra["sigma2_e"] = s2e
	if d.Balanced {
		r.Extra["theta"] = theta[0]
	} else {
		r.Extra["theta_min"] = slices.Min(theta)
		r.Extra["theta_max"] = slices.Max(theta)
		mean := 0.0
		for _, t := range theta {
			mean += t
		}
		r.Extra["theta_mean"] = mean / float64(len(theta))
	}
	r.Options["variance_components"] = "swamy-arora"
	if bp, err := BreuschPagan(d); err == nil {
		r.Tests["bp_lm"] = bp
	}
	if fe, err := Fit(d, FitOptions{Model: "fe", Effects: Individual, DropCollinear: true}); err == nil {
		// plm's phtest: classical covariances of both models, whatever
		// covariance the user asked for.
		classical := *r
		v := mat.NewSymDense(len(o.b), nil)
		v.ScaleSym(r.Sigma2, o.xtxInv)
		classical.Vcov = v
		if h, err := Hausman(fe, &classical); err == nil {
			r.Tests["hausman"] = h
		}
	}
	stataR2(r, d, w.names, o.b)
	return r, nil
}

func tss(y []float64, center bool) float64 {
	m := 0.0
	if center {
		for _, v := range y {
			m += v
		}
		m /= float64(len(y))
	}
	s := 0.0
	for _, v := range y {
		s += (v - m) * (v - m)
	}
	return s
}

func gaussLogLik(rss float64, n int) float64 {
	nf := float64(n)
	return -nf / 2 * (math.Log(2*math.Pi*rss/nf) + 1)
}

// finish fills coefficients, covariance, σ², R² (plm) and options.
func (w *work) finish(r *Result, d *Design, opts FitOptions, tssv float64) error {
	o := w.o
	n := len(w.y)
	r.Sigma2 = o.rss / float64(w.dfRes)
	r.Residuals = o.resid
	r.Fitted = make([]float64, n)
	for i := range r.Fitted {
		r.Fitted[i] = w.y[i] - o.resid[i]
	}
	vcov, desc, err := w.vcov(r.Sigma2, opts)
	if err != nil {
		return err
	}
	r.Vcov = vcov
	r.Options["vcov"] = desc["vcov"]
	for k, v := range desc {
		if k != "vcov" {
			r.Options["vcov_"+k] = v
		}
	}
	r.Options["df_residual"] = w.dfRes
	r.Options["statistic"] = w.stat
	for a, name := range w.names {
		se := math.Sqrt(vcov.At(a, a))
		c := Coefficient{Name: name, Estimate: o.b[a], StdError: se, Statistic: o.b[a] / se}
		c.PValue = pValue(c.Statistic, w.stat, float64(w.dfRes))
		r.Coefficients = append(r.Coefficients, c)
	}
	r2 := 1 - o.rss/tssv
	r.R2["r2"] = r2
	r.R2["adj_r2"] = 1 - (1-r2)*float64(n-1)/float64(w.dfRes)
	return nil
}

func pValue(stat float64, dist string, df float64) float64 {
	if math.IsNaN(stat) {
		return math.NaN()
	}
	a := math.Abs(stat)
	if dist == "z" {
		return 2 * distuv.UnitNormal.Survival(a)
	}
	return 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Survival(a)
}

// stataR2 adds Stata's within, between and overall R²: the squared
// correlations of y with x'b, of the individual means of y with those of
// x'b, and of the demeaned y with the demeaned x'b (b the slopes, without
// intercept or time effects).
func stataR2(r *Result, d *Design, names []string, b []float64) {
	xb := make([]float64, d.NObs())
	raw := d.X.RawMatrix()
	for a, name := range names {
		if name == "(Intercept)" {
			continue
		}
		j := slices.Index(d.Names, name)
		for i := range xb {
			xb[i] += b[a] * raw.Data[i*raw.Stride+j]
		}
	}
	set := func(k string, v float64) {
		if !math.IsNaN(v) {
			r.R2[k] = v
		}
	}
	set("overall", sqCorr(d.Y, xb))
	set("between", sqCorr(GroupMeans(d.Y, d.ID, d.N()), GroupMeans(xb, d.ID, d.N())))
	yw := slices.Clone(d.Y)
	Demean(yw, d.ID, d.N())
	Demean(xb, d.ID, d.N())
	set("within", sqCorr(yw, xb))
}

func sqCorr(a, b []float64) float64 {
	n := float64(len(a))
	var ma, mb float64
	for i := range a {
		ma += a[i]
		mb += b[i]
	}
	ma /= n
	mb /= n
	var sab, saa, sbb float64
	for i := range a {
		sab += (a[i] - ma) * (b[i] - mb)
		saa += (a[i] - ma) * (a[i] - ma)
		sbb += (b[i] - mb) * (b[i] - mb)
	}
	if saa == 0 || sbb == 0 {
		return math.NaN()
	}
	return sab * sab / (saa * sbb)
}

// dropAbsorbedDummies removes the factor columns of the design (see
// Design.Dummy) that the within transformation wiped out, as a factor
// constant within individuals is absorbed by individual effects; it
// returns the remaining transformed columns, their names and norms, and
// the names dropped.
func dropAbsorbedDummies(d *Design, cols []int, x *mat.Dense, names []string, norms []float64) (*mat.Dense, []string, []float64, []string) {
	if d.Dummy == nil {
		return x, names, norms, nil
	}
	var keep []int
	var absorbed []string
	for a, j := range cols {
		if d.Dummy[j] {
			c := mat.Col(nil, a, x)
			if dot(c, c) <= CollinearityTol*norms[a] {
				absorbed = append(absorbed, names[a])
				continue
			}
		}
		keep = append(keep, a)
	}
	if len(absorbed) == 0 {
		return x, names, norms, nil
	}
	kn := make([]string, len(keep))
	kf := make([]float64, len(keep))
	for i, a := range keep {
		kn[i], kf[i] = names[a], norms[a]
	}
	if len(keep) == 0 {
		return nil, nil, nil, absorbed
	}
	return subset(x, keep), kn, kf, absorbed
}

// slopes returns the columns of d's X other than the intercept and their
// names.
func (d *Design) slopes() (cols []int, names []string) {
	for j, name := range d.Names {
		if name != "(Intercept)" {
			cols = append(cols, j)
			names = append(names, name)
		}
	}
	return cols, names
}
