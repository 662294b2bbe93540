package regress

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// sdmTests adds to an SDM fit the Wald and likelihood-ratio tests of its
// restrictions (LeSage and Pace 2009, ch. 6; Elhorst 2014, ch. 2.9):
//
//	SAR: θ = 0,       Wald θᵀV_θθ⁻¹θ,  LR 2(ℓ_SDM − ℓ_SAR)
//	SEM: θ = −ρβ,     Wald gᵀ(J V Jᵀ)⁻¹g with g = θ + ρβ (delta method),
//	                  LR 2(ℓ_SDM − ℓ_SEM)
//
// each χ² with as many degrees of freedom as W·X terms.
func sdmTests(p *SpatialPanel, res *Result, d *smlData, opt SpatialOptions) error {
	if res.Tests == nil {
		res.Tests = map[string]Test{}
	}
	idx := map[string]int{}
	for i, c := range res.Coefficients {
		idx[c.Name] = i
	}
	rho := idx["rho"]
	var th, bt []int
	for j, nm := range d.names {
		if d.isLag[j] >= 0 {
			th = append(th, idx[nm])
			bt = append(bt, idx[d.names[d.isLag[j]]])
		}
	}
	q := len(th)
	if q == 0 {
		return nil
	}
	chi := distuv.ChiSquared{K: float64(q)}
	est := func(i int) float64 { return res.Coefficients[i].Estimate }
	wald := func(g []float64, j *mat.Dense) (float64, bool) {
		var jv, m mat.Dense
		jv.Mul(j, res.Vcov)
		m.Mul(&jv, j.T())
		var inv mat.Dense
		if err := inv.Inverse(&m); err != nil {
			return 0, false
		}
		gv := mat.NewVecDense(len(g), g)
		var ig mat.VecDense
		ig.MulVec(&inv, gv)
		return mat.Dot(gv, &ig), true
	}
	nc := len(res.Coefficients)
	// θ = 0
	g := make([]float64, q)
	jm := mat.NewDense(q, nc, nil)
	for a, i := range th {
		g[a] = est(i)
		jm.Set(a, i, 1)
	}
	if w, ok := wald(g, jm); ok {
		res.Tests["wald_sdm_vs_sar"] = Test{Name: "Wald SDM vs SAR (θ = 0)", Statistic: w, DF: []float64{float64(q)}, PValue: chi.Survival(w), Distribution: "chisq"}
	}
	// SEM is SDM with θ = −ρβ for every regressor: with Durbin terms for
	// only some of them it is not nested, and its tests are left out.
	partial := false
	if opt.Durbin != nil {
		for _, nm := range p.Names {
			if nm != "(Intercept)" && !slices.Contains(opt.Durbin, nm) {
				partial = true
			}
		}
	}
	if partial {
		res.Messages = append(res.Messages, "SDM vs SEM tests left out: with W·X for only some regressors (Durbin terms) SEM is not nested in the model")
	}
	// θ = −ρβ
	jm = mat.NewDense(q, nc, nil)
	for a := range th {
		g[a] = est(th[a]) + est(rho)*est(bt[a])
		jm.Set(a, th[a], 1)
		jm.Set(a, bt[a], est(rho))
		jm.Set(a, rho, est(bt[a]))
	}
	if w, ok := wald(g, jm); ok && !partial {
		res.Tests["wald_sdm_vs_sem"] = Test{Name: "Wald SDM vs SEM (θ = −ρβ)", Statistic: w, DF: []float64{float64(q)}, PValue: chi.Survival(w), Distribution: "chisq"}
	}
	// LR tests: refit the restricted models on the same data. A fit at
	// fixed (bias-corrected) estimates takes its likelihood-based tests
	// from the ML fit (fitBiasCorrected), so it skips the refits.
	if opt.fix != nil {
		return nil
	}
	sub := opt
	sub.skipInference = true
	sub.fix = nil
	sub.ImpactDraws = -1
	sub.Durbin = nil
	for _, m := range []SpatialModel{SAR, SEM} {
		if m == SEM && partial {
			continue
		}
		sub.Model = m
		r, err := FitSpatial(p, sub)
		if err != nil || r.LogLik == nil || res.LogLik == nil {
			continue
		}
		lr := 2 * (*res.LogLik - *r.LogLik)
		name := "lr_sdm_vs_" + string(m)
		res.Tests[name] = Test{Name: "LR SDM vs " + string(m), Statistic: lr, DF: []float64{float64(q)}, PValue: chi.Survival(math.Max(lr, 0)), Distribution: "chisq"}
	}
	return nil
}
