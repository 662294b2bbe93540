package regress

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agglo/agglo/internal/sharedtest"
	"gonum.org/v1/gonum/floats/scalar"
)

// TestDurbinSpatialreg compares Durbin models with interactions, an I()
// comparison, poly() and Durbin = ~ terms with spatialreg 1.2-6 on
// Columbus (testdata/formula_r/spatialreg_columbus.json, made by
// spatialreg.R there): coefficients in spatialreg's order (lag.x is W*x),
// estimates and standard errors to 1e-6, ρ and λ likewise.
func TestDurbinSpatialreg(t *testing.T) {
	b, err := os.ReadFile("testdata/formula_r/spatialreg_columbus.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Fits []struct {
			Model, Formula, Durbin string
			Names                  []string
			Estimate               []float64
			StdError               []float64 `json:"std_error"`
			Rho                    *float64
			RhoSE                  *float64 `json:"rho_se"`
			Lambda                 *float64
			LambdaSE               *float64 `json:"lambda_se"`
		} `json:"fits"`
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	data := sharedtest.Data(t, "columbus.csv")
	w := readGAL(t, filepath.Join(filepath.Dir(data), "columbus.gal"))
	p, err := ReadPanelCSV(data, "id", "", PanelOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range ref.Fits {
		t.Run(tc.Model+" "+tc.Formula, func(t *testing.T) {
			d, err := p.Design(tc.Formula)
			if err != nil {
				t.Fatal(err)
			}
			cols, err := d.DurbinColumns(tc.Durbin)
			if err != nil {
				t.Fatal(err)
			}
			sp, _, err := SpatialPanelFromDesign(d, w, "none")
			if err != nil {
				t.Fatal(err)
			}
			r, err := FitSpatial(sp, SpatialOptions{Model: SpatialModel(tc.Model), W: w, Durbin: cols, ImpactDraws: -1})
			if err != nil {
				t.Fatal(err)
			}
			coefs := r.Coefficients
			if len(coefs) < len(tc.Names) {
				t.Fatalf("%d coefficients, want %d", len(coefs), len(tc.Names))
			}
			for i, name := range tc.Names {
				g := coefs[i]
				if tc.Model != "slx" && g.Name != strings.Replace(name, "lag.", "W*", 1) {
					t.Errorf("coefficient %d is %s, spatialreg %s", i, g.Name, name)
				}
				if !scalar.EqualWithinRel(g.Estimate, tc.Estimate[i], 1e-6) || !scalar.EqualWithinRel(g.StdError, tc.StdError[i], 1e-6) {
					t.Errorf("%s: %.10g (%.10g), spatialreg %.10g (%.10g)", g.Name, g.Estimate, g.StdError, tc.Estimate[i], tc.StdError[i])
				}
			}
			for _, sp := range []struct {
				name   string
				est, s *float64
			}{{"rho", tc.Rho, tc.RhoSE}, {"lambda", tc.Lambda, tc.LambdaSE}} {
				if sp.est == nil {
					continue
				}
				g := coefByName(t, r, sp.name)
				if !scalar.EqualWithinRel(g.Estimate, *sp.est, 1e-6) || !scalar.EqualWithinRel(g.StdError, *sp.s, 1e-6) {
					t.Errorf("%s: %.10g (%.10g), spatialreg %.10g (%.10g)", sp.name, g.Estimate, g.StdError, *sp.est, *sp.s)
				}
			}
		})
	}
}
