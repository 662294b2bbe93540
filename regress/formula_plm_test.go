package regress

import (
	"encoding/json"
	"os"
	"slices"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

// TestFormulaPlmFits compares fits of formulas with factor interactions,
// lag and diff, poly, I() comparisons, ^ and relevel with plm 2.6-2
// (testdata/formula_r/plm_produc.json, made by plm.R there on Produc):
// names in order, estimates and standard errors to 1e-8.
func TestFormulaPlmFits(t *testing.T) {
	b, err := os.ReadFile("testdata/formula_r/plm_produc.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Fits []struct {
			Formula  string    `json:"formula"`
			Model    string    `json:"model"`
			Effect   string    `json:"effect"`
			Names    []string  `json:"names"`
			Estimate []float64 `json:"estimate"`
			StdError []float64 `json:"std_error"`
		} `json:"fits"`
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	p := readProduc(t, "produc.csv")
	for _, tc := range ref.Fits {
		t.Run(tc.Model+" "+tc.Formula, func(t *testing.T) {
			d, err := p.Design(tc.Formula)
			if err != nil {
				t.Fatal(err)
			}
			opts := FitOptions{Model: map[string]string{"within": "fe", "random": "re", "pooling": "ols"}[tc.Model]}
			if tc.Model == "within" {
				opts.Effects = map[string]Effects{"individual": Individual, "twoways": TwoWays}[tc.Effect]
			}
			r, err := Fit(d, opts)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, c := range r.Coefficients {
				names = append(names, c.Name)
			}
			if !slices.Equal(names, tc.Names) {
				t.Fatalf("coefficients %q, want %q", names, tc.Names)
			}
			for i, c := range r.Coefficients {
				if !scalar.EqualWithinRel(c.Estimate, tc.Estimate[i], 1e-8) || !scalar.EqualWithinRel(c.StdError, tc.StdError[i], 1e-8) {
					t.Errorf("%s: %.12g (%.12g), plm %.12g (%.12g)", c.Name, c.Estimate, c.StdError, tc.Estimate[i], tc.StdError[i])
				}
			}
		})
	}
}
