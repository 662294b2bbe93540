package regress

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/agglo/agglo/internal/sharedtest"
	"gonum.org/v1/gonum/floats/scalar"
)

// TestSplmWithinMore compares fixed-effects fits on Produc with splm 1.6-5
// beyond ../shared/oracle (testdata/splm_within_more_produc.json): SAR
// with time effects, SEM with time and two-way effects, SAC with
// individual and time effects, SDM with individual and two-way effects,
// and the Lee–Yu SAR (individual, two-way) and SEM (two-way). Estimates to
// 1e-6 relative or 1e-5 of their standard error (splm's optimiser), σ² to
// 1e-6, standard errors to 1e-4 and the lag models' log-likelihoods to
// 1e-8.
func TestSplmWithinMore(t *testing.T) {
	sharedtest.Dir(t)
	raw, err := os.ReadFile(filepath.Join("testdata", "splm_within_more_produc.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Cases map[string]struct {
			Model        SpatialModel
			Effects      string
			LeeYu        bool `json:"lee_yu"`
			Coefficients []struct {
				Name     string
				Estimate float64
				StdError float64 `json:"std_error"`
			}
			Sigma2 float64
			LogLik *float64
		}
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Cases) != 10 {
		t.Fatalf("%d cases", len(ref.Cases))
	}
	w := readDenseWeights(t, "usaww.csv")
	p := produc(t, w)
	for name, c := range ref.Cases {
		t.Run(name, func(t *testing.T) {
			res, err := FitSpatial(p, SpatialOptions{Model: c.Model, Effects: c.Effects, NoLeeYu: !c.LeeYu, SplmLeeYu: c.LeeYu && c.Effects == "twoways", W: w, ImpactDraws: -1})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]Coefficient{}
			for _, g := range res.Coefficients {
				got[g.Name] = g
			}
			for _, r := range c.Coefficients {
				g, ok := got[r.Name]
				if !ok {
					t.Errorf("no coefficient %s", r.Name)
					continue
				}
				if !closeEstimate(g.Estimate, r.Estimate, r.StdError) || !scalar.EqualWithinRel(g.StdError, r.StdError, 1e-4) {
					t.Errorf("%s: %.10g (%.8g), splm %.10g (%.8g)", r.Name, g.Estimate, g.StdError, r.Estimate, r.StdError)
				}
			}
			if !scalar.EqualWithinRel(res.Sigma2, c.Sigma2, 1e-6) {
				t.Errorf("σ² %.10g, splm %.10g", res.Sigma2, c.Sigma2)
			}
			if c.LogLik != nil && !scalar.EqualWithinRel(*res.LogLik, *c.LogLik, 1e-8) {
				t.Errorf("log-likelihood %.10g, splm %.10g", *res.LogLik, *c.LogLik)
			}
		})
	}
}
