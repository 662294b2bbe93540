package regress

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// ErrNoSD is wrapped by the error of Result.Standardized on a result that
// records no standard deviations of the data (Result.TermSD): a result
// written before agglo recorded them. Fit the model again.
var ErrNoSD = errors.New("the result records no standard deviations of the data (response_sd, term_sd): it was written by an older agglo; re-fit the model")

// StandardizedFormula states the scaling of Result.Standardized, for
// captions and axis labels.
const StandardizedFormula = "effect × SD(x) / SD(y)"

// recordSDs sets r.ResponseSD to the sample standard deviation of y and
// r.TermSD[names[j]] to that of column j, col(j), for the columns that
// vary; y and the columns are the estimation sample as the model enters
// it (before any fixed-effects transformation). Columns that are not
// coefficients of r (dropped ones) are skipped: call it once
// r.Coefficients is set.
func (r *Result) recordSDs(y []float64, names []string, col func(j int) []float64) {
	sds := make([]float64, len(names))
	for j := range names {
		if slices.ContainsFunc(r.Coefficients, func(c Coefficient) bool { return c.Name == names[j] }) {
			sds[j] = stat.StdDev(col(j), nil)
		}
	}
	r.recordSDValues(stat.StdDev(y, nil), names, sds)
}

// recordSDValues is recordSDs with the standard deviations computed: ySD
// of the response, sds[j] of column j.
func (r *Result) recordSDValues(ySD float64, names []string, sds []float64) {
	r.ResponseSD = ySD
	r.TermSD = map[string]float64{}
	for j := range names {
		if !slices.ContainsFunc(r.Coefficients, func(c Coefficient) bool { return c.Name == names[j] }) {
			continue // a dropped column
		}
		if sd := sds[j]; sd > 0 {
			r.TermSD[names[j]] = sd
		}
	}
}

// recordDesignSDs records the standard deviations of the response and the
// columns of the n×k matrix x named names (see recordSDs).
func (r *Result) recordDesignSDs(y []float64, x *mat.Dense, names []string) {
	n, _ := x.Dims()
	buf := make([]float64, n)
	r.recordSDs(y, names, func(j int) []float64 { return mat.Col(buf, j, x) })
}

// Standardized returns a copy of r whose coefficients and effects are
// standardized ("beta coefficients", Wooldridge 2016, Introductory
// Econometrics, 6th ed., §6.1a): the estimate and standard error of a
// term x are multiplied by
//
//	SD(x) / SD(y)
//
// with SD the sample standard deviations in the estimation sample that
// the fit recorded (ResponseSD, TermSD): the change in y, in standard
// deviations of y, of a one-standard-deviation change in x. The factor is
// taken as fixed, so statistics and p-values are unchanged. An effect
// (direct, indirect, total, short- or long-run) is scaled by the SD of its
// regressor, a W*x coefficient by the SD of W·x, a dynamic lag y(t-1) by
// the SD of y(t−1). Terms without a standard deviation (the intercept,
// ρ, λ, φ) are left out of the copy's coefficients; the copy has no Vcov and
// no Uncorrected coefficients.
//
// It returns an error wrapping ErrNoSD when r records no standard
// deviations, and one naming the effect whose regressor has none.
func (r *Result) Standardized() (*Result, error) {
	if r.TermSD == nil || !(r.ResponseSD > 0) {
		return nil, ErrNoSD
	}
	out := *r
	out.Coefficients = nil
	for _, c := range r.Coefficients {
		sd, ok := r.TermSD[c.Name]
		if !ok {
			continue
		}
		f := sd / r.ResponseSD
		c.Estimate *= f
		c.StdError *= f
		out.Coefficients = append(out.Coefficients, c)
	}
	out.Vcov, out.Uncorrected = nil, nil
	var err error
	if out.Impacts, err = r.standardizedImpacts(r.Impacts); err != nil {
		return nil, err
	}
	if out.ImpactsLongRun, err = r.standardizedImpacts(r.ImpactsLongRun); err != nil {
		return nil, err
	}
	out.TermSD = maps.Clone(r.TermSD)
	out.Messages = append(slices.Clone(r.Messages), "standardized: "+StandardizedFormula)
	return &out, nil
}

// standardizedImpacts scales the effects of imp (nil: nil) by SD(x)/SD(y).
func (r *Result) standardizedImpacts(imp *Impacts) (*Impacts, error) {
	if imp == nil {
		return nil, nil
	}
	out := *imp
	for _, kind := range []*[]Effect{&out.Direct, &out.Indirect, &out.Total} {
		eff := slices.Clone(*kind)
		for i := range eff {
			sd, ok := r.TermSD[eff[i].Name]
			if !ok {
				return nil, fmt.Errorf("standardizing the effects: %s has no standard deviation in the result (constant in the estimation sample)", eff[i].Name)
			}
			f := sd / r.ResponseSD
			eff[i].Estimate *= f
			eff[i].StdError *= f
		}
		*kind = eff
	}
	return &out, nil
}
