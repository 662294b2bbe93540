package regress

import (
	"slices"

	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/stat/distuv"
)

// SpatialLMTests returns the Lagrange multiplier tests of spatial
// dependence on the least-squares residuals of y on X under the given
// effects (the within residuals for fixed effects): Anselin (1988),
// Anselin et al. (1996) for a cross-section (spdep's lm.LMtests), and
// their panel forms (Debarsy and Ertur 2010; Elhorst 2014; splm's slmtest)
// with W applied period by period. With e the residuals, ỹ the
// (transformed) response, σ² = eᵀe/NT, T_W = tr(WᵀW + W²) and
// J = (Wŷ)ᵀM(Wŷ)/σ² + T·T_W (M the residual maker of X̃):
//
//	LMerr  = (eᵀWe/σ²)² / (T·T_W)
//	LMlag  = (eᵀWỹ/σ²)² / J
//	RLMerr = (eᵀWe/σ² − T·T_W/J · eᵀWỹ/σ²)² / (T·T_W (1 − T·T_W/J))
//	RLMlag = (eᵀWỹ/σ² − eᵀWe/σ²)² / (J − T·T_W)
//	SARMA  = RLMlag + LMerr
//
// each χ² with 1 degree of freedom (SARMA with 2). The keys of the map are
// the names above; splm calls them lme, lml, rlme and rlml.
func SpatialLMTests(p *SpatialPanel, w *spatial.Weights, effects string) (map[string]Test, error) {
	return spatialLMTests(p, w, effects, false)
}

// spatialLMTests is SpatialLMTests with the zero policy of islands
// (SpatialOptions.ZeroPolicy; spdep's lm.LMtests(zero.policy = TRUE)).
func spatialLMTests(p *SpatialPanel, w *spatial.Weights, effects string, zeroPolicy bool) (map[string]Test, error) {
	eff, err := validEffects(effects)
	if err != nil {
		return nil, err
	}
	opt := SpatialOptions{Model: SAR, W: w, ZeroPolicy: zeroPolicy}
	d, err := prepare(p, &opt, eff)
	if err != nil {
		return nil, err
	}
	beta, e, err := d.olsOfY()
	if err != nil {
		return nil, err
	}
	return lmTestsPrepared(d, w, beta, e)
}

// lmTestsPrepared is spatialLMTests on data already prepared for a SAR
// model under the same effects (d.y, d.xs transformed, d.wy = W·ỹ), with
// the least-squares coefficients beta and residuals e of ỹ on X̃: FitSpatial
// passes the data and the least-squares fit of its SAR model instead of
// transforming the panel again.
func lmTestsPrepared(d *smlData, w *spatial.Weights, beta, e []float64) (map[string]Test, error) {
	n, t := d.n, d.t
	// W·ŷ = W(ỹ − e) = Wỹ − We: one spatial lag (We, needed anyway)
	// instead of two.
	we := lagPanel(w, e, n, t)
	ed := dotsWith(e, e, we, d.wy)
	wyhat := we // We is not needed again: its buffer takes Wŷ
	for i := range wyhat {
		wyhat[i] = d.wy[i] - wyhat[i]
	}
	_, mwy, err := d.olsFit().solve(wyhat)
	if err != nil {
		return nil, err
	}
	s2 := ed[0] / float64(n*t)
	// T_W = tr(WᵀW) + tr(W²) = Σ w_ij² + Σ w_ij w_ji.
	var tw float64
	for i := 0; i < w.N(); i++ {
		idx, vals := w.Neighbours(i)
		for k, j := range idx {
			var wji float64
			if jdx, jvals := w.Neighbours(j); len(jdx) > 0 {
				if p, ok := slices.BinarySearch(jdx, i); ok {
					wji = jvals[p]
				}
			}
			tw += vals[k] * (vals[k] + wji)
		}
	}
	ttw := float64(t) * tw
	j := dotsWith(mwy, mwy)[0]/s2 + ttw
	dErr := ed[1] / s2
	dLag := ed[2] / s2
	chi1 := distuv.ChiSquared{K: 1}
	chi2 := distuv.ChiSquared{K: 2}
	mk := func(name string, s float64, df float64) Test {
		c := chi1
		if df == 2 {
			c = chi2
		}
		return Test{Name: name, Statistic: s, DF: []float64{df}, PValue: c.Survival(s), Distribution: "chisq"}
	}
	lmErr := dErr * dErr / ttw
	rlmLag := (dLag - dErr) * (dLag - dErr) / (j - ttw)
	num := dErr - ttw/j*dLag
	out := map[string]Test{
		"LMerr":  mk("LM test for spatial error dependence", lmErr, 1),
		"LMlag":  mk("LM test for spatial lag dependence", dLag*dLag/j, 1),
		"RLMerr": mk("Robust LM test for spatial error dependence (sub spatial lag)", num*num/(ttw*(1-ttw/j)), 1),
		"RLMlag": mk("Robust LM test for spatial lag dependence (sub spatial error)", rlmLag, 1),
		"SARMA":  mk("LM test for spatial lag and error dependence (SARMA)", rlmLag+lmErr, 2),
	}
	return out, nil
}
