package demo

import (
	"strings"
	"testing"

	"github.com/agglo/agglo/regress"
)

// TestSEMRandomGlobalMaximum fits the SEM with individual random effects
// to the default study (no intercept: the level of log(patents) is left
// to the model). Its likelihood has a local maximum at λ = 0.911 (ℓ =
// 83.60) and a higher one near λ = 0.998; a Brent search over the whole
// interval of λ stopped at the first. The estimate must reach at least
// the best value of a 121 × 121 grid over (θ, λ) with points near the
// bounds of λ (114.6555 at θ = 0.058, λ = 0.9973; regress's reGrid).
func TestSEMRandomGlobalMaximum(t *testing.T) {
	d, p := studyPanel(t, DefaultConfig())
	res, err := regress.FitSpatial(p, regress.SpatialOptions{Model: regress.SEM, Effects: "random", W: d.W, ImpactDraws: -1})
	if err != nil {
		t.Fatal(err)
	}
	var lam float64
	for _, c := range res.Coefficients {
		if c.Name == "lambda" {
			lam = c.Estimate
		}
	}
	if ll := *res.LogLik; !(ll >= 114.6555) || !(lam > 0.99) {
		t.Errorf("ℓ = %.6f at λ = %.6f, want ℓ ≥ 114.6555 (the grid's best, near λ = 0.997)", ll, lam)
	}
	near := false
	for _, m := range res.Messages {
		near = near || strings.Contains(m, "λ = 0.99") && strings.Contains(m, "bound")
	}
	if !near {
		t.Errorf("λ = %.6f: no message that λ lies near the bound of its interval; messages %q", lam, res.Messages)
	}
	t.Logf("ℓ = %.6f, λ = %.6f", *res.LogLik, lam)
}
