package regress

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ConsecutivePeriods checks that the periods of p (its Periods labels) are
// consecutive, as the time lags of a dynamic model require: when all labels
// are numbers they must rise by one common step (the smallest gap between
// neighbours: 1 for years, 5 for five-yearly data). A gap is an error
// naming a region and the periods on either side of it. Labels that are
// not numbers are taken in their order.
func ConsecutivePeriods(p *SpatialPanel) error {
	if len(p.Periods) < 2 {
		return nil
	}
	v := make([]float64, len(p.Periods))
	for i, s := range p.Periods {
		x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return nil
		}
		v[i] = x
	}
	step := math.Inf(1)
	for i := 1; i < len(v); i++ {
		d := v[i] - v[i-1]
		if !(d > 0) {
			return fmt.Errorf("regress: periods %s and %s of region %s are not increasing", p.Periods[i-1], p.Periods[i], p.regionName(0))
		}
		step = math.Min(step, d)
	}
	for i := 1; i < len(v); i++ {
		if d := v[i] - v[i-1]; d > step*(1+1e-9) {
			return fmt.Errorf("regress: the time index has a gap: region %s has period %s after %s (step %g elsewhere); the lag of y across the gap would be wrong: fit the periods on one side of it", p.regionName(0), p.Periods[i], p.Periods[i-1], step)
		}
	}
	return nil
}

// lags returns γ and δ of st (0 when absent).
func (f *dynFit) lags(beta []float64) (gam, del float64) {
	if f.gi >= 0 {
		gam = beta[f.gi]
	}
	if f.di >= 0 {
		del = beta[f.di]
	}
	return gam, del
}

// stability records the spectral radius of A at the reported and (when
// corrected) the QML estimates and warns when one is 1 or more.
func (f *dynFit) stability(res *Result, est, qml *dynState, corrected bool) {
	g, d := f.lags(est.beta)
	r := f.spectralRadius(est.rho, g, d)
	res.Extra["spectral_radius"] = r
	res.Options["stable"] = r < 1
	if corrected {
		gq, dq := f.lags(qml.beta)
		rq := f.spectralRadius(qml.rho, gq, dq)
		res.Extra["spectral_radius_qml"] = rq
		switch {
		case r >= 1 && rq < 1:
			res.Messages = append(res.Messages, fmt.Sprintf("WARNING: the bias-corrected estimates are explosive (spectral radius of (I − ρW)⁻¹(γI + δW) is %.4g ≥ 1) while the QML estimates are stable (%.4g): the correction is not reliable here; use the QML estimates (no bias correction)", r, rq))
		case r >= 1:
			res.Messages = append(res.Messages, fmt.Sprintf("WARNING: the model is explosive: the spectral radius of (I − ρW)⁻¹(γI + δW) is %.4g ≥ 1 at the bias-corrected estimates and %.4g at the QML estimates; long-run effects do not exist", r, rq))
		case rq >= 1:
			res.Messages = append(res.Messages, fmt.Sprintf("WARNING: the QML estimates are explosive (spectral radius %.4g ≥ 1); the bias-corrected ones are stable (%.4g)", rq, r))
		}
		return
	}
	if r >= 1 {
		res.Messages = append(res.Messages, fmt.Sprintf("WARNING: the model is explosive: the spectral radius of (I − ρW)⁻¹(γI + δW) is %.4g ≥ 1; long-run effects do not exist", r))
	}
}

// impacts returns the short-run effects ∂y_t/∂x_t' = (I − ρW)⁻¹(βI + θW)
// and the long-run effects ((1 − γ)I − (ρ + δ)W)⁻¹(βI + θW) =
// (1 − γ)⁻¹(I − ρ*W)⁻¹(βI + θW), ρ* = (ρ + δ)/(1 − γ) (Debarsy, Ertur and
// LeSage 2012; Elhorst 2014, §4.3): direct the mean diagonal, total the
// mean row sum, indirect their difference, each from Traces.Multipliers.
// Their standard errors are the standard deviations over draws from
// N(ψ̂, V̂) (seeded), drawing again where a draw is outside ρ's interval or
// not stable. The long-run effects are nil when the estimates are not
// stable.
func (f *dynFit) impacts(res *Result) (sr, lr *Impacts, msgs []string, err error) {
	opt := f.opt
	draws := opt.ImpactDraws
	if draws == 0 {
		draws = 1000
	}
	var terms []impactTerm
	for _, tm := range impactTerms(f.d) {
		if tm.beta != f.gi && tm.beta != f.di || tm.beta < 0 {
			terms = append(terms, tm)
		}
	}
	est := coefEstimates(res.Coefficients)
	k := len(est) - 1
	lo, hi := f.ldW.Interval()
	stable := func(s []float64) bool {
		g, d := f.lags(s[:k])
		return s[k] > lo && s[k] < hi && f.spectralRadius(s[k], g, d) < 1
	}
	explosive := !stable(est)
	if explosive {
		msgs = append(msgs, "long-run effects not reported: the estimates are not stable")
	}
	samples, dropped, err := drawCoefficients(est, res.Vcov, draws, opt.Seed, func(s []float64) bool {
		return explosive && s[k] > lo && s[k] < hi || stable(s)
	})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%w: almost every draw is outside the stable region", err)
	}
	if dropped > 0 {
		msgs = append(msgs, fmt.Sprintf("impacts: %d draws outside the stable region were discarded and redrawn", dropped))
	}
	rhos := make([]float64, draws+1)
	for r, s := range samples {
		rhos[r] = s[k]
	}
	m, err := newMultipliers(opt.Traces, rhos)
	if err != nil {
		return nil, nil, nil, err
	}
	sr = &Impacts{Inference: "simulated", Draws: draws, Seed: opt.Seed}
	sr.Direct, sr.Indirect, sr.Total = termEffects(terms, samples, m, nil)
	if explosive {
		return sr, nil, msgs, nil
	}
	scale := make([]float64, draws+1)
	for r, s := range samples {
		g, d := f.lags(s[:k])
		scale[r] = 1 / (1 - g)
		rhos[r] = (s[k] + d) / (1 - g)
	}
	ml, err := newMultipliers(opt.Traces, rhos)
	if err != nil {
		return nil, nil, nil, err
	}
	lr = &Impacts{Inference: "simulated", Draws: draws, Seed: opt.Seed}
	lr.Direct, lr.Indirect, lr.Total = termEffects(terms, samples, ml, scale)
	return sr, lr, msgs, nil
}
