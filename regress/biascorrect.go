package regress

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/stat"
)

// BiasBootstrap is the method of BiasCorrection that corrects the spatial
// parameters by a parametric bootstrap (Efron and Tibshirani 1993, ch. 10).
const BiasBootstrap = "bootstrap"

// DefaultBiasDraws is the number of bootstrap samples of BiasCorrection
// when B is 0.
const DefaultBiasDraws = 199

// BiasCorrection configures the optional finite-sample bias correction of
// the spatial parameters (ρ, λ, or both for SAC) of FitSpatial. Its zero
// value means none: the maximum-likelihood (or Lee–Yu) estimates.
//
// With Method BiasBootstrap the fitted model (ρ̂, λ̂, β̂, the recovered
// fixed effects α̂, σ̂² with the degrees of freedom of the Lee–Yu
// transformation) generates B samples on the same X, W and panel,
//
//	y* = (I − ρ̂W)⁻¹(Xβ̂ + α̂ + (I − λ̂W₂)⁻¹ε*),  ε* ~ N(0, σ̂²I),
//
// each is refitted with the same options, and the spatial parameters are
// corrected by the bootstrap estimate of their bias (Efron and Tibshirani
// 1993, eq. 10.4; MacKinnon and Smith 1998):
//
//	ρ̃ = ρ̂ − (mean(ρ̂*) − ρ̂) = 2ρ̂ − mean(ρ̂*),
//
// likewise λ and every regression coefficient (β and the W·X terms θ:
// re-solving them by least squares given ρ̃ would remove only the part of
// their bias that comes from ρ̂'s, not that from the covariance of ρ̂ with
// the regression's noise). σ² (SSE at the corrected estimates over the
// Lee–Yu degrees of freedom) and the fixed effects follow, the standard
// errors come from the same information matrix evaluated at the corrected
// estimates, and the impacts from the corrected estimates and that
// covariance. The log-likelihood, AIC, BIC and the LR tests are those of
// the ML fit. Result.Options records "bias_correction", "bias_draws",
// "bias_seed", the ML estimates ("rho_ml", "lambda_ml"), the bootstrap
// bias ("rho_bias", "lambda_bias"; "coef_bias" for the regression
// coefficients by name) and its Monte Carlo standard error
// ("rho_bias_se", "lambda_bias_se").
//
// It removes the O(1/(N(T−1))) bias of ρ̂ that the Lee–Yu correction
// leaves with individual effects (Yang, Yu and Liu 2016 find the same bias
// and correct it by an analytic stochastic expansion whose expectations
// they evaluate by a bootstrap; see the package documentation). It does
// not combine with SplmLeeYu.
type BiasCorrection struct {
	// Method is "" or "none" (no correction) or BiasBootstrap.
	Method string
	// B is the number of bootstrap samples (0: DefaultBiasDraws).
	B int
	// Seed seeds the bootstrap's draws (math/rand/v2 PCG with Seed,
	// Seed): the same seed gives the same estimates.
	Seed uint64
}

// active reports whether a correction is asked for.
func (b BiasCorrection) active() bool {
	return b.Method != "" && b.Method != "none"
}

// Label is the estimator's description in the outputs, as
// "ρ bias-corrected by parametric bootstrap (Efron and Tibshirani 1993;
// B = 199, seed 1)"; "" without a correction. params names the corrected
// parameters ("ρ", "λ" or "ρ, λ").
func (b BiasCorrection) Label(params string) string {
	if !b.active() {
		return ""
	}
	return fmt.Sprintf("%s bias-corrected by parametric bootstrap (Efron and Tibshirani 1993; B = %d, seed %d)", params, b.draws(), b.Seed)
}

func (b BiasCorrection) draws() int {
	if b.B == 0 {
		return DefaultBiasDraws
	}
	return b.B
}

// ParseBiasCorrection reads a bias-correction setting as the command line
// and batch specs write it: "none" (or ""), "bootstrap" or "bootstrap:B"
// with B ≥ 10 samples. The seed is set separately.
func ParseBiasCorrection(s string) (BiasCorrection, error) {
	method, count, hasCount := strings.Cut(strings.TrimSpace(s), ":")
	switch method {
	case "", "none":
		if hasCount {
			return BiasCorrection{}, fmt.Errorf("%q: none takes no number of samples", s)
		}
		return BiasCorrection{}, nil
	case BiasBootstrap:
		bc := BiasCorrection{Method: BiasBootstrap}
		if hasCount {
			b, err := strconv.Atoi(count)
			if err != nil || b < 10 {
				return BiasCorrection{}, fmt.Errorf("%q: the number of bootstrap samples must be an integer ≥ 10", s)
			}
			bc.B = b
		}
		return bc, nil
	}
	return BiasCorrection{}, fmt.Errorf("%q: want none, bootstrap or bootstrap:B", s)
}

// spatialFix holds the parameters at which a fit is evaluated instead of
// maximised (the final fit of a bias correction): ρ, λ and, if not nil,
// the regression coefficients in the order of the fit's columns.
type spatialFix struct {
	rho, lambda float64
	beta        []float64
}

// coefficients returns the fixed regression coefficients and the
// residuals ys − Σ_j β_j xs_j in place of the least-squares beta and e
// of a fit; beta and e themselves when f or its beta is nil.
func (f *spatialFix) coefficients(beta, e, ys []float64, xs [][]float64) ([]float64, []float64) {
	if f == nil || f.beta == nil {
		return beta, e
	}
	if len(f.beta) != len(xs) {
		panic(fmt.Sprintf("regress: %d fixed coefficients for %d columns", len(f.beta), len(xs)))
	}
	r := append([]float64(nil), ys...)
	for j, c := range xs {
		for i := range r {
			r[i] -= f.beta[j] * c[i]
		}
	}
	return append([]float64(nil), f.beta...), r
}

// fitBiasCorrected fits the model of opt by FitSpatial without the
// correction, estimates the bias of its spatial parameters by the
// parametric bootstrap of BiasCorrection, and refits at the corrected
// values.
func fitBiasCorrected(p *SpatialPanel, opt SpatialOptions, effects string) (*Result, error) {
	bc := opt.BiasCorrection
	switch {
	case bc.Method != BiasBootstrap:
		return nil, fmt.Errorf("regress: unknown bias correction %q (want none or %s)", bc.Method, BiasBootstrap)
	case bc.B < 0 || bc.B > 0 && bc.B < 10:
		return nil, fmt.Errorf("regress: %d bootstrap samples for the bias correction: want at least 10", bc.B)
	case opt.Dynamic != 0:
		return nil, errors.New("regress: the bootstrap bias correction is for static models (dynamic models have their own, NoBiasCorrection)")
	case effects == "random":
		return nil, errors.New("regress: the bootstrap bias correction is for fixed-effects and pooled models, not random effects")
	case opt.Model == SLX:
		return nil, errors.New("regress: an SLX model has no spatial parameter to bias-correct")
	case opt.SplmLeeYu:
		return nil, errors.New("regress: the bootstrap bias correction does not combine with SplmLeeYu (splm's own correction, for matching splm only)")
	case opt.fix != nil || opt.skipInference:
		return nil, errors.New("regress: internal: bias correction of an inner fit")
	}
	base := opt
	base.BiasCorrection = BiasCorrection{}
	if err := precomputeSpatial(&base); err != nil {
		return nil, err
	}
	// The ML fit, with its tests, but without impacts.
	mlOpt := base
	mlOpt.ImpactDraws = -1
	mlOpt.Phase = nil
	ml, err := FitSpatial(p, mlOpt)
	if err != nil {
		return nil, err
	}
	hasRho := opt.Model == SAR || opt.Model == SDM || opt.Model == SAC
	hasLambda := opt.Model == SEM || opt.Model == SDEM || opt.Model == SAC
	rhoML, lamML := estimateOf(ml, "rho"), estimateOf(ml, "lambda")
	sim, err := newBiasSimulator(p, &base, effects, ml)
	if err != nil {
		return nil, err
	}
	inner := base
	inner.skipInference = true
	inner.ImpactDraws = -1
	inner.Phase = nil
	rng := rand.New(rand.NewPCG(bc.Seed, bc.Seed))
	B := bc.draws()
	var rhos, lams []float64
	coefDraws := make([][]float64, len(ml.Coefficients))
	failed := 0
	var firstErr error
	for b := 0; b < B; b++ {
		ps, err := sim.draw(rng)
		if err != nil {
			return nil, fmt.Errorf("regress: bias correction, bootstrap sample %d: %w", b+1, err)
		}
		r, err := FitSpatial(ps, inner)
		if err != nil {
			// A sample whose estimate lies on the boundary (or does not
			// converge) is dropped and counted.
			failed++
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		rhos = append(rhos, estimateOf(r, "rho"))
		lams = append(lams, estimateOf(r, "lambda"))
		if len(r.Coefficients) != len(ml.Coefficients) {
			return nil, fmt.Errorf("regress: bias correction, bootstrap sample %d: %d coefficients, the fit %d", b+1, len(r.Coefficients), len(ml.Coefficients))
		}
		for j, c := range r.Coefficients {
			if c.Name != ml.Coefficients[j].Name {
				return nil, fmt.Errorf("regress: bias correction, bootstrap sample %d: coefficient %d is %s, in the fit %s", b+1, j+1, c.Name, ml.Coefficients[j].Name)
			}
			coefDraws[j] = append(coefDraws[j], c.Estimate)
		}
	}
	if failed > B/10 {
		return nil, fmt.Errorf("regress: bias correction: %d of %d bootstrap fits failed (first: %w)", failed, B, firstErr)
	}
	fix := &spatialFix{}
	var params []string
	extra := map[string]any{}
	lo, hi := searchInterval(base.LogDet)
	correct := func(name, sym string, est float64, draws []float64, lo, hi float64) (float64, error) {
		m, sd := stat.MeanStdDev(draws, nil)
		se := sd / math.Sqrt(float64(len(draws)))
		bias := m - est
		v := est - bias
		extra[name+"_ml"] = est
		extra[name+"_bias"] = bias
		extra[name+"_bias_se"] = se
		params = append(params, sym)
		if !(v > lo && v < hi) {
			return 0, fmt.Errorf("regress: bias correction: corrected %s = %.6g (ML %.6g, bootstrap bias %.3g) lies outside its interval (%g, %g)", sym, v, est, bias, lo, hi)
		}
		return v, nil
	}
	if hasRho {
		if fix.rho, err = correct("rho", "ρ", rhoML, rhos, lo, hi); err != nil {
			return nil, err
		}
	}
	if hasLambda {
		lo2, hi2 := lo, hi
		if opt.Model == SAC && base.W2 != nil && base.LogDet2 != nil {
			lo2, hi2 = searchInterval(base.LogDet2)
		}
		if fix.lambda, err = correct("lambda", "λ", lamML, lams, lo2, hi2); err != nil {
			return nil, err
		}
	}
	// The regression coefficients: β̃ = 2β̂ − mean(β̂*) likewise.
	coefBias := map[string]float64{}
	for j, c := range ml.Coefficients {
		if c.Name == "rho" || c.Name == "lambda" {
			continue
		}
		m := stat.Mean(coefDraws[j], nil)
		coefBias[c.Name] = m - c.Estimate
		fix.beta = append(fix.beta, 2*c.Estimate-m)
	}
	extra["coef_bias"] = coefBias
	final := base
	final.fix = fix
	res, err := FitSpatial(p, final)
	if err != nil {
		return nil, fmt.Errorf("regress: bias correction, fit at the corrected estimates: %w", err)
	}
	// The likelihood-based statistics are those of the ML fit: the
	// corrected estimates do not maximise the likelihood.
	res.LogLik, res.AIC, res.BIC = ml.LogLik, ml.AIC, ml.BIC
	for k, t := range ml.Tests {
		if res.Tests == nil {
			res.Tests = map[string]Test{}
		}
		if strings.HasPrefix(k, "lr_") {
			res.Tests[k] = t
		}
	}
	if v, ok := ml.Extra["loglik_ols"]; ok {
		res.Extra["loglik_ols"] = v
	}
	label := bc.Label(strings.Join(params, ", "))
	res.Options["bias_correction"] = label
	res.Options["bias_draws"] = B
	res.Options["bias_seed"] = bc.Seed
	for k, v := range extra {
		res.Options[k] = v
	}
	if failed > 0 {
		res.Options["bias_failed_draws"] = failed
	}
	var parts []string
	for _, nm := range []string{"rho", "lambda"} {
		if v, ok := extra[nm+"_ml"].(float64); ok {
			sym := map[string]string{"rho": "ρ", "lambda": "λ"}[nm]
			parts = append(parts, fmt.Sprintf("ML %s = %.6g, bootstrap bias %.3g (MC SE %.2g)", sym, v, extra[nm+"_bias"], extra[nm+"_bias_se"]))
		}
	}
	msg := label + ": " + strings.Join(parts, "; ") + "; β and θ corrected likewise (Options coef_bias), σ², the fixed effects, standard errors and impacts evaluated at the corrected estimates; log-likelihood, AIC, BIC and LR tests are the ML fit's"
	if failed > 0 {
		msg += fmt.Sprintf("; %d of %d bootstrap fits failed and were dropped", failed, B)
	}
	res.Messages = append(res.Messages, msg)
	for _, nm := range []string{"rho", "lambda"} {
		b, ok := extra[nm+"_bias"].(float64)
		i := slices.IndexFunc(ml.Coefficients, func(c Coefficient) bool { return c.Name == nm })
		if !ok || i < 0 {
			continue
		}
		if note := largeBiasNote(map[string]string{"rho": "ρ", "lambda": "λ"}[nm], b, ml.Coefficients[i].StdError); note != "" {
			res.Messages = append(res.Messages, note)
		}
	}
	return res, nil
}

// largeBiasNote returns the message on a bootstrap bias of the parameter
// sym larger than half its standard error se, "" otherwise: the bias then
// changes appreciably over the parameter's confidence interval, so that
// the bias at the estimate is a poor estimate of that at the truth
// (MacKinnon and Smith 1998), and a large bias often means a weakly
// identified model.
func largeBiasNote(sym string, bias, se float64) string {
	if !(math.Abs(bias) > 0.5*se) {
		return ""
	}
	return fmt.Sprintf("the bootstrap bias of %s is %.2g standard errors: a correction this large is itself uncertain (the bias changes with the parameter; MacKinnon and Smith 1998), and the model may be weakly identified", sym, math.Abs(bias)/se)
}

// precomputeSpatial sets opt's log-determinants and traces (of W, and the
// log-determinant of W2 if given) where they are nil: FitSpatial calls it,
// and the bias correction calls it once so that the bootstrap's refits
// share them.
func precomputeSpatial(opt *SpatialOptions) error {
	if opt.W == nil {
		return errors.New("regress: spatial models need a weights matrix")
	}
	if opt.LogDet == nil {
		vals, err := opt.W.Eigenvalues()
		if err != nil {
			return fmt.Errorf("regress: eigenvalues of W: %w", err)
		}
		ld, err := spatial.EigenLogDetFromValues(vals)
		if err != nil {
			return err
		}
		opt.LogDet = ld
		if opt.Traces == nil {
			if opt.Traces, err = NewExactTraces(opt.W, vals); err != nil {
				return err
			}
		}
	}
	if opt.Traces == nil {
		tr, err := NewExactTraces(opt.W, nil)
		if err != nil {
			return err
		}
		opt.Traces = tr
	}
	if opt.W2 != nil && opt.LogDet2 == nil {
		ld2, err := spatial.NewEigenLogDet(opt.W2)
		if err != nil {
			return fmt.Errorf("regress: eigenvalues of W2: %w", err)
		}
		opt.LogDet2 = ld2
	}
	return nil
}

// estimateOf returns the estimate of the named coefficient, 0 if absent.
func estimateOf(r *Result, name string) float64 {
	for _, c := range r.Coefficients {
		if c.Name == name {
			return c.Estimate
		}
	}
	return 0
}

// biasSimulator draws panels from a fitted spatial model.
type biasSimulator struct {
	p             *SpatialPanel
	w, we         *spatial.Weights
	mean          []float64 // Xβ̂ + α̂
	rho, lambda   float64
	sigma         float64
	lag, errorLag bool
}

// newBiasSimulator returns the simulator of the fitted model ml of p under
// opt: the systematic part Xβ̂ + (WX)θ̂ + α̂ on the untransformed data, the
// spatial parameters and σ̂ with the degrees of freedom of the Lee–Yu
// transformation (N(T−1) with individual effects, (N−1)T with time
// effects, (N−1)(T−1) with both), whether or not the fit applied it.
func newBiasSimulator(p *SpatialPanel, opt *SpatialOptions, effects string, ml *Result) (*biasSimulator, error) {
	o := *opt
	d, err := prepare(p, &o, effects)
	if err != nil {
		return nil, err
	}
	n, t := d.n, d.t
	s := &biasSimulator{p: p, w: opt.W, we: opt.W, mean: make([]float64, n*t)}
	if opt.W2 != nil {
		s.we = opt.W2
	}
	rawCol := d.rawColumns()
	for j, nm := range d.names {
		i := slices.IndexFunc(ml.Coefficients, func(c Coefficient) bool { return c.Name == nm })
		if i < 0 {
			return nil, fmt.Errorf("regress: bias correction: no estimate of %s", nm)
		}
		b := ml.Coefficients[i].Estimate
		for r, v := range rawCol(j) {
			s.mean[r] += b * v
		}
	}
	if fe := ml.FixedEffects; fe != nil {
		for r := range s.mean {
			a := fe.Mean
			if fe.Individual != nil {
				a += fe.Individual[r%n]
			}
			if fe.Time != nil {
				a += fe.Time[r/n]
			}
			s.mean[r] += a
		}
	}
	s.lag = opt.Model == SAR || opt.Model == SDM || opt.Model == SAC
	s.errorLag = opt.Model == SEM || opt.Model == SDEM || opt.Model == SAC
	s.rho, s.lambda = estimateOf(ml, "rho"), estimateOf(ml, "lambda")
	s2 := ml.Sigma2
	if ly, _ := ml.Options["lee_yu"].(bool); !ly && effects != "none" {
		nn, tt := leeYuDims(n, t, effects, true)
		s2 *= float64(n*t) / (nn * tt)
	}
	if !(s2 > 0) {
		return nil, fmt.Errorf("regress: bias correction: σ̂² = %g", s2)
	}
	s.sigma = math.Sqrt(s2)
	return s, nil
}

// draw returns a panel like s.p whose response is drawn from the fitted
// model with rng.
func (s *biasSimulator) draw(rng *rand.Rand) (*SpatialPanel, error) {
	n, t := s.p.N, s.p.T
	u := make([]float64, n*t)
	for i := range u {
		u[i] = s.sigma * rng.NormFloat64()
	}
	var err error
	if s.errorLag {
		if u, err = solveIRW(s.we, s.lambda, u, n, t); err != nil {
			return nil, err
		}
	}
	for i := range u {
		u[i] += s.mean[i]
	}
	if s.lag {
		if u, err = solveIRW(s.w, s.rho, u, n, t); err != nil {
			return nil, err
		}
	}
	ps := *s.p
	ps.Y = u
	return &ps, nil
}

// biasCorrectionCell is the table's "Bias correction" cell of r: the
// corrected parameters, the method and B, as "ρ: bootstrap, B = 199"; ""
// without a correction (the seed is in the table's notes).
func biasCorrectionCell(r *Result) string {
	if _, ok := r.Options["bias_correction"]; !ok {
		return ""
	}
	var ps []string
	if _, ok := r.Options["rho_ml"]; ok {
		ps = append(ps, "ρ")
	}
	if _, ok := r.Options["lambda_ml"]; ok {
		ps = append(ps, "λ")
	}
	return fmt.Sprintf("%s: bootstrap, B = %v", strings.Join(ps, ", "), r.Options["bias_draws"])
}
