package regress

import (
	"math"
	"testing"
)

// TestClusterSSSAndStata: --correction sss is plm's vcovHC(type = "sss")
// (testdata/plm_sss_produc.json, plm 2.6-2 on Produc, made by
// plm_sss_produc.R) to 1e-8: G/(G−1)·(n−1)/(n−k), k the coefficients of
// the transformed model. Stata's factor (n−1)/(n−K) counts xtreg's
// constant (K = k + 1; two-way effects as xtreg with period dummies, K = k
// + T) and equals plm's for pooled OLS, whose k already has the intercept:
// Stata's SEs are plm's times sqrt((n−k)/(n−K)).
func TestClusterSSSAndStata(t *testing.T) {
	d, err := readProduc(t, "produc.csv").Design(producFormula)
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Cases map[string]struct {
			Coefficients []plmCoef `json:"coefficients"`
		} `json:"cases"`
	}
	loadTestdata(t, "plm_sss_produc.json", &ref)
	n, T := 816.0, 17.0
	cases := map[string]struct {
		o        FitOptions
		k, stata float64 // plm's k and Stata's K
	}{
		"within_individual":             {FitOptions{Model: "fe", Effects: Individual, Vcov: "cluster-id"}, 4, 5},
		"within_twoways":                {FitOptions{Model: "fe", Effects: TwoWays, Vcov: "cluster-id"}, 4, 4 + T},
		"pooling":                       {FitOptions{Model: "ols", Vcov: "cluster-id"}, 5, 5},
		"within_time_clustered_by_time": {FitOptions{Model: "fe", Effects: TimeEffects, Vcov: "cluster-time"}, 4, 5},
	}
	if len(ref.Cases) != len(cases) {
		t.Fatalf("%d reference cases, want %d", len(ref.Cases), len(cases))
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			want := ref.Cases[name].Coefficients
			o := c.o
			o.Correction = "sss"
			r, err := Fit(d, o)
			if err != nil {
				t.Fatal(err)
			}
			checkCoefs(t, name+" sss", r, want)
			o.Correction = "stata"
			rs, err := Fit(d, o)
			if err != nil {
				t.Fatal(err)
			}
			if k, ok := rs.Options["vcov_factor_k"].(int); !ok || float64(k) != c.stata {
				t.Errorf("Stata's K = %v, want %g", rs.Options["vcov_factor_k"], c.stata)
			}
			f := math.Sqrt((n - c.k) / (n - c.stata))
			for i, w := range want {
				checkRel(t, w.Name+" stata se", rs.Coefficients[i].StdError, w.StdError*f, 1e-8)
			}
		})
	}
}
