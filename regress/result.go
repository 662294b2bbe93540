package regress

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// ErrWeightsWithoutData is wrapped by the errors of spatial models whose
// weights have regions that the data lack: restrict the weights to the
// data's regions (spatial.Weights.Restrict) first.
var ErrWeightsWithoutData = errors.New("subset the weights to the data's regions")

// ErrMissingValues is wrapped by the errors of ReadPanel on missing values
// in a kept column (PanelOptions.DropMissing drops those rows instead).
var ErrMissingValues = errors.New("missing values")

// ErrRepeatedRegion is wrapped by the errors of ReadPanel when, without a
// time column (a cross-section), a region has more than one row.
var ErrRepeatedRegion = errors.New("a region has several rows and there is no time column")

// ErrCollinear is wrapped by the errors of Fit on a regressor collinear
// with others or without variation after the fixed-effects transformation
// (FitOptions.DropCollinear drops it with a note instead).
var ErrCollinear = errors.New("regressor collinear or without variation")

// Coefficient is one estimated parameter with its inference.
type Coefficient struct {
	// Name is the formula term as written ("log(pcap)", "(Intercept)"),
	// "W*<term>" for a spatially lagged regressor, "rho" for the spatial
	// lag coefficient, "lambda" for the spatial error coefficient.
	Name      string  `json:"name"`
	Estimate  float64 `json:"estimate"`
	StdError  float64 `json:"std_error"`
	Statistic float64 `json:"statistic"`
	PValue    float64 `json:"p_value"`
}

// Test is the result of one hypothesis test.
type Test struct {
	Name      string  `json:"name"`
	Statistic float64 `json:"statistic"`
	// DF holds the degrees of freedom (one value for χ², t or normal
	// tests; two for F tests).
	DF     []float64 `json:"df,omitempty"`
	PValue float64   `json:"p_value"`
	// Distribution is "chisq", "F", "t" or "normal".
	Distribution string `json:"distribution,omitempty"`
}

// Effect is one direct, indirect or total effect of a regressor (LeSage and
// Pace 2009) with its simulated inference.
type Effect struct {
	Name     string  `json:"name"`
	Estimate float64 `json:"estimate"`
	StdError float64 `json:"std_error"`
	PValue   float64 `json:"p_value"`
}

// Impacts holds the direct, indirect and total effects of every regressor of
// a spatial lag model (SAR, SDM, SAC) or of an SLX or SDEM model.
type Impacts struct {
	Direct   []Effect `json:"direct"`
	Indirect []Effect `json:"indirect"`
	Total    []Effect `json:"total"`
	// Inference is "simulated" (lag models: standard errors over
	// simulated parameter draws) or "exact" (SLX and SDEM: the effects are
	// linear in the coefficients and their variances aᵀVa exact).
	Inference string `json:"inference"`
	// Draws is the number of simulated parameter draws and Seed the seed
	// of the simulation (0 for exact inference).
	Draws int    `json:"draws"`
	Seed  uint64 `json:"seed"`
}

// Result is a fitted model: everything a table, a test or a script needs.
// Its JSON encoding is the contract the command line, batch runs and external
// scripts read.
type Result struct {
	// Model is "ols", "fe", "re", "between", "sar", "sem", "sdm", "sdem",
	// "slx" or "sac".
	Model string `json:"model"`
	// Effects is "none", "individual", "time" or "twoways".
	Effects string `json:"effects"`
	// N is the number of individuals (regions), T the number of periods
	// (the maximum for unbalanced panels), NObs the number of observations.
	N    int `json:"n"`
	T    int `json:"t"`
	NObs int `json:"nobs"`

	Coefficients []Coefficient `json:"coefficients"`
	// Vcov is the covariance matrix of the estimates in the order of
	// Coefficients.
	Vcov *mat.SymDense `json:"-"`

	Sigma2 float64 `json:"sigma2"`
	// LogLik is the log-likelihood, nil where it is not defined.
	LogLik *float64 `json:"loglik"`
	AIC    *float64 `json:"aic,omitempty"`
	BIC    *float64 `json:"bic,omitempty"`
	// R2 holds the R² measures reported for the model ("r2", "adj_r2",
	// "within", "between", "overall", "pseudo").
	R2 map[string]float64 `json:"r2"`
	// Tests holds the model's tests by name.
	Tests map[string]Test `json:"tests"`
	// Options records every option the model was fitted with (vcov type
	// and its correction, style of W, log-determinant method, Lee–Yu …).
	Options map[string]any `json:"options"`
	// Extra holds model-specific scalars (σ²_u, σ²_e and θ for random
	// effects; the mean of the fixed effects …).
	Extra map[string]float64 `json:"extra,omitempty"`
	// Impacts holds the effects of spatial lag, SLX and SDEM models (of a
	// dynamic model, the short-run effects).
	Impacts *Impacts `json:"impacts,omitempty"`
	// ImpactsLongRun holds the long-run effects of a dynamic model.
	ImpactsLongRun *Impacts `json:"impacts_long_run,omitempty"`
	// Uncorrected holds the quasi-ML estimates of a bias-corrected dynamic
	// model.
	Uncorrected []Coefficient `json:"uncorrected_coefficients,omitempty"`
	// Messages are notes for the user (dropped terms, dropped rows).
	Messages []string `json:"messages,omitempty"`

	// ResponseSD and TermSD are the sample standard deviations (divisor
	// n−1) in the estimation sample of the response and of each
	// regressor as it enters the model, keyed by coefficient name: after
	// the formula's transformations (log(pcap)), W·x for a term W*x, the
	// lagged response for y(t-1), before any fixed-effects or
	// random-effects transformation; for the between model, of the
	// individual means. Terms without variation (the intercept) and ρ, λ,
	// φ have none. Both are absent from results written before agglo
	// recorded them. Standardized uses them.
	ResponseSD float64            `json:"response_sd,omitempty"`
	TermSD     map[string]float64 `json:"term_sd,omitempty"`

	// FixedEffects holds the recovered fixed effects of spatial panel
	// models.
	FixedEffects *FixedEffects `json:"fixed_effects,omitempty"`

	Residuals []float64 `json:"-"`
	Fitted    []float64 `json:"-"`
}

// CheckFinite returns an error naming the first coefficient whose estimate
// is NaN or infinite: such a fit is a failure, never a result to report
// (a standard error may be NaN where it is not defined; an estimate may
// not).
func (r *Result) CheckFinite() error {
	for _, c := range r.Coefficients {
		if math.IsNaN(c.Estimate) || math.IsInf(c.Estimate, 0) {
			return fmt.Errorf("the estimate of %s is %v: the model could not be fitted to these data", c.Name, c.Estimate)
		}
	}
	return nil
}
