package regress

import (
	"testing"

	"github.com/agglo/agglo/internal/sharedtest"
	"gonum.org/v1/gonum/floats/scalar"
)

const producFormula = "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp"

type plmCoef struct {
	Name     string  `json:"name"`
	Estimate float64 `json:"estimate"`
	StdError float64 `json:"std_error"`
}

type plmModel struct {
	Model        string    `json:"model"`
	Effect       string    `json:"effect"`
	Coefficients []plmCoef `json:"coefficients"`
	Sigma2       float64   `json:"sigma2"`
	DFResidual   int       `json:"df_residual"`
	R2           float64   `json:"r2"`
	AdjR2        float64   `json:"adj_r2"`
	Theta        float64   `json:"theta"`
	Sigma2Idios  float64   `json:"sigma2_idios"`
	Sigma2ID     float64   `json:"sigma2_id"`
	Data         string    `json:"data"`
}

type plmOracle struct {
	Models map[string]plmModel  `json:"models"`
	Vcov   map[string][]plmCoef `json:"within_individual_vcov"`
	Tests  map[string]struct {
		Statistic float64 `json:"statistic"`
		DF        float64 `json:"df"`
		DF1       float64 `json:"df1"`
		DF2       float64 `json:"df2"`
		PValue    float64 `json:"p_value"`
	} `json:"tests"`
}

func readPlmOracle(t *testing.T) *plmOracle {
	t.Helper()
	var o plmOracle
	sharedtest.ReadJSON(t, &o, "oracle", "plm_produc.json")
	return &o
}

const tolOracle = 1e-8

func checkCoefs(t *testing.T, what string, got *Result, want []plmCoef) {
	t.Helper()
	if len(got.Coefficients) != len(want) {
		t.Fatalf("%s: %d coefficients, want %d", what, len(got.Coefficients), len(want))
	}
	for i, w := range want {
		g := got.Coefficients[i]
		if g.Name != w.Name {
			t.Errorf("%s: coefficient %d is %q, want %q", what, i, g.Name, w.Name)
		}
		if !scalar.EqualWithinRel(g.Estimate, w.Estimate, tolOracle) {
			t.Errorf("%s %s: estimate %.12g, want %.12g", what, w.Name, g.Estimate, w.Estimate)
		}
		if !scalar.EqualWithinRel(g.StdError, w.StdError, tolOracle) {
			t.Errorf("%s %s: std error %.12g, want %.12g", what, w.Name, g.StdError, w.StdError)
		}
	}
}

// TestPlmProduc compares every model of plm_produc.json (plm 2.6-2, R 4.2.2)
// with agglo's on the same data.
func TestPlmProduc(t *testing.T) {
	o := readPlmOracle(t)
	opts := map[string]FitOptions{
		"pooling":                      {Model: "ols"},
		"within_individual":            {Model: "fe", Effects: Individual},
		"within_time":                  {Model: "fe", Effects: TimeEffects},
		"within_twoways":               {Model: "fe", Effects: TwoWays},
		"between":                      {Model: "between"},
		"random_swar":                  {Model: "re"},
		"unbalanced_within_individual": {Model: "fe", Effects: Individual},
		"unbalanced_within_twoways":    {Model: "fe", Effects: TwoWays},
	}
	// Every model the test covers must be in the oracle, and every model in
	// the oracle covered: a renamed or dropped oracle entry fails.
	for name := range opts {
		if _, ok := o.Models[name]; !ok {
			t.Errorf("plm_produc.json has no model %q", name)
		}
	}
	if len(o.Models) < len(opts) {
		t.Fatalf("plm_produc.json has %d models, the test covers %d", len(o.Models), len(opts))
	}
	for name, m := range o.Models {
		t.Run(name, func(t *testing.T) {
			if len(m.Coefficients) == 0 {
				t.Fatal("no coefficients in the oracle")
			}
			fo, ok := opts[name]
			if !ok {
				t.Fatalf("oracle model %s not covered by the test", name)
			}
			data := m.Data
			if data == "" {
				data = "produc.csv"
			}
			d, err := readProduc(t, data).Design(producFormula)
			if err != nil {
				t.Fatal(err)
			}
			r, err := Fit(d, fo)
			if err != nil {
				t.Fatal(err)
			}
			checkCoefs(t, name, r, m.Coefficients)
			if !scalar.EqualWithinRel(r.Sigma2, m.Sigma2, tolOracle) {
				t.Errorf("sigma2 %.12g, want %.12g", r.Sigma2, m.Sigma2)
			}
			if got := r.Options["df_residual"].(int); got != m.DFResidual {
				t.Errorf("df residual %d, want %d", got, m.DFResidual)
			}
			if !scalar.EqualWithinRel(r.R2["r2"], m.R2, tolOracle) || !scalar.EqualWithinRel(r.R2["adj_r2"], m.AdjR2, tolOracle) {
				t.Errorf("r2 %.12g adj %.12g, want %.12g %.12g", r.R2["r2"], r.R2["adj_r2"], m.R2, m.AdjR2)
			}
			if m.Theta != 0 {
				for k, w := range map[string]float64{"theta": m.Theta, "sigma2_u": m.Sigma2ID, "sigma2_e": m.Sigma2Idios} {
					if !scalar.EqualWithinRel(r.Extra[k], w, tolOracle) {
						t.Errorf("%s %.12g, want %.12g", k, r.Extra[k], w)
					}
				}
			}
		})
	}
}

// TestPlmProducVcov compares the robust covariances of the individual
// within model with plm's vcovHC and vcovSCC (plm_produc.json).
func TestPlmProducVcov(t *testing.T) {
	o := readPlmOracle(t)
	d, err := readProduc(t, "produc.csv").Design(producFormula)
	if err != nil {
		t.Fatal(err)
	}
	opts := map[string]FitOptions{
		"arellano_HC0_group": {Vcov: "cluster-id", Correction: "none"},
		"arellano_HC1_group": {Vcov: "cluster-id", Correction: "hc1"},
		"arellano_HC0_time":  {Vcov: "cluster-time", Correction: "none"},
		"white1_HC0":         {Vcov: "hc0"},
		"white1_HC3":         {Vcov: "hc3"},
		"driscoll_kraay_HC0": {Vcov: "dk"},
	}
	for name := range opts {
		if _, ok := o.Vcov[name]; !ok {
			t.Errorf("plm_produc.json has no covariance %q", name)
		}
	}
	if len(o.Vcov) < len(opts) {
		t.Fatalf("plm_produc.json has %d covariances, the test covers %d", len(o.Vcov), len(opts))
	}
	for name, want := range o.Vcov {
		t.Run(name, func(t *testing.T) {
			if len(want) == 0 {
				t.Fatal("no coefficients in the oracle")
			}
			fo, ok := opts[name]
			if !ok {
				t.Fatalf("oracle covariance %s not covered by the test", name)
			}
			fo.Model, fo.Effects = "fe", Individual
			r, err := Fit(d, fo)
			if err != nil {
				t.Fatal(err)
			}
			checkCoefs(t, name, r, want)
		})
	}
}

// TestPlmProducTests compares Hausman (phtest), F (pFtest) and
// Breusch–Pagan (plmtest type "bp") with plm_produc.json.
func TestPlmProducTests(t *testing.T) {
	o := readPlmOracle(t)
	d, err := readProduc(t, "produc.csv").Design(producFormula)
	if err != nil {
		t.Fatal(err)
	}
	fe, err := Fit(d, FitOptions{Model: "fe"})
	if err != nil {
		t.Fatal(err)
	}
	re, err := Fit(d, FitOptions{Model: "re"})
	if err != nil {
		t.Fatal(err)
	}
	h, err := Hausman(fe, re)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"hausman", "f_individual", "bp_lm"} {
		if w, ok := o.Tests[name]; !ok || w.Statistic == 0 {
			t.Errorf("plm_produc.json has no test %q", name)
		}
	}
	check := func(name string, got Test, stat, df, p float64) {
		t.Helper()
		if !scalar.EqualWithinRel(got.Statistic, stat, tolOracle) {
			t.Errorf("%s: statistic %.12g, want %.12g", name, got.Statistic, stat)
		}
		if got.DF[0] != df {
			t.Errorf("%s: df %v, want %v", name, got.DF, df)
		}
		if !scalar.EqualWithinAbsOrRel(got.PValue, p, 1e-300, 1e-6) {
			t.Errorf("%s: p %.12g, want %.12g", name, got.PValue, p)
		}
	}
	w := o.Tests["hausman"]
	check("hausman", h, w.Statistic, w.DF, w.PValue)
	if got := re.Tests["hausman"]; got.Statistic != h.Statistic {
		t.Errorf("hausman in the re result %v, want %v", got.Statistic, h.Statistic)
	}
	w = o.Tests["f_individual"]
	f := fe.Tests["f_effects"]
	check("F", f, w.Statistic, w.DF1, w.PValue)
	if f.DF[1] != w.DF2 {
		t.Errorf("F df2 %v, want %v", f.DF[1], w.DF2)
	}
	w = o.Tests["bp_lm"]
	check("bp", re.Tests["bp_lm"], w.Statistic, 1, w.PValue)
}
