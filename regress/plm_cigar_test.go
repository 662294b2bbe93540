package regress

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/agglo/agglo/internal/sharedtest"
	"gonum.org/v1/gonum/floats/scalar"
)

// TestPlmCigar compares the panel estimators on Cigar with plm 2.6-2
// (testdata/plm_cigar.json), a second data set beside Produc: pooled OLS,
// within (individual, time, two-way; classical, clustered HC1 and
// Driscoll–Kraay covariances), Swamy–Arora random effects, between and the
// Hausman statistic, all to 1e-8 relative.
func TestPlmCigar(t *testing.T) {
	sharedtest.Dir(t)
	raw, err := os.ReadFile(filepath.Join("testdata", "plm_cigar.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Formula string
		Hausman float64
		Cases   map[string]struct {
			Model, Effects, Vcov, Correction string
			Coefficients                     []struct {
				Name     string
				Estimate float64
				StdError float64 `json:"std_error"`
			}
		}
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	p, err := ReadPanelCSV(sharedtest.Data(t, "cigar.csv"), "state", "year", PanelOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := p.Design(ref.Formula)
	if err != nil {
		t.Fatal(err)
	}
	effects := map[string]Effects{"": NoEffects, "individual": Individual, "time": TimeEffects, "twoways": TwoWays}
	fits := map[string]*Result{}
	for name, c := range ref.Cases {
		t.Run(name, func(t *testing.T) {
			res, err := Fit(d, FitOptions{Model: c.Model, Effects: effects[c.Effects], Vcov: c.Vcov, Correction: c.Correction})
			if err != nil {
				t.Fatal(err)
			}
			fits[name] = res
			got := map[string]Coefficient{}
			for _, g := range res.Coefficients {
				got[g.Name] = g
			}
			for _, r := range c.Coefficients {
				g := got[r.Name]
				if !scalar.EqualWithinRel(g.Estimate, r.Estimate, 1e-8) || !scalar.EqualWithinRel(g.StdError, r.StdError, 1e-8) {
					t.Errorf("%s: %.12g (%.10g), plm %.12g (%.10g)", r.Name, g.Estimate, g.StdError, r.Estimate, r.StdError)
				}
			}
		})
	}
	fe, re := fits["within_individual"], fits["random"]
	if fe == nil || re == nil {
		t.Fatal("missing fits for the Hausman test")
	}
	h, err := Hausman(fe, re)
	if err != nil {
		t.Fatal(err)
	}
	if !scalar.EqualWithinRel(h.Statistic, ref.Hausman, 1e-8) {
		t.Errorf("Hausman %.12g, plm %.12g", h.Statistic, ref.Hausman)
	}
}
