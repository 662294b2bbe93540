package regress

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/agglo/agglo/internal/sharedtest"
	"gonum.org/v1/gonum/floats/scalar"
)

// splmRandom is the layout of testdata/splm_random_produc.json.
type splmRandom struct {
	Coefficients []struct {
		Name     string  `json:"name"`
		Estimate float64 `json:"estimate"`
		StdError float64 `json:"std_error"`
	} `json:"coefficients"`
	Arcoef struct {
		Estimate float64 `json:"estimate"`
		StdError float64 `json:"std_error"`
	} `json:"arcoef"`
	Errcomp struct {
		Names    any       `json:"names"`
		Estimate []float64 `json:"estimate"`
		StdError []float64 `json:"std_error"`
	} `json:"errcomp"`
	Sigma2 struct {
		Idios float64 `json:"idios"`
	} `json:"sigma2"`
	LogLik float64 `json:"loglik"`
}

type splmHausman struct {
	Statistic [][]float64 `json:"statistic"`
	DF        float64     `json:"df"`
}

// TestRandomEffectsSplm compares the random-effects SAR and SEM on Produc
// with splm 1.6-5 (testdata/splm_random_produc.json; RandomVcov "splm"):
// estimates to 1e-6 relative or 1e-5 of their standard error (the
// likelihood is flat in φ, SE 8.3 for φ = 21.3: splm's optimum and ours
// differ by 3e-5 in φ and 2e-14 in the log-likelihood, ours the higher),
// σ² to 1e-6, the log-likelihood to 1e-8 and the GLS standard errors of β
// to 1e-6 relative; the standard errors of φ, ρ and λ, which splm takes
// from a numerical Hessian (fdHess), to 2e-3; and sphtest's statistics
// against the individual fixed-effects fits to 1e-5.
func TestRandomEffectsSplm(t *testing.T) {
	sharedtest.Dir(t)
	raw, err := os.ReadFile(filepath.Join("testdata", "splm_random_produc.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		SAR  splmRandom  `json:"sar_random"`
		SEM  splmRandom  `json:"sem_random"`
		HLag splmHausman `json:"sphtest_lag"`
		HErr splmHausman `json:"sphtest_error"`
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	w := readDenseWeights(t, "usaww.csv")
	p := produc(t, w).WithIntercept()
	for _, tc := range []struct {
		model  SpatialModel
		ref    splmRandom
		sp     string
		spEst  float64
		spSE   float64
		phi    [2]float64
		hstat  float64
		hdf    float64
		feName string
	}{
		{SAR, ref.SAR, "rho", ref.SAR.Arcoef.Estimate, ref.SAR.Arcoef.StdError, [2]float64{ref.SAR.Errcomp.Estimate[0], ref.SAR.Errcomp.StdError[0]}, ref.HLag.Statistic[0][0], ref.HLag.DF, "lag"},
		{SEM, ref.SEM, "lambda", ref.SEM.Errcomp.Estimate[1], ref.SEM.Errcomp.StdError[1], [2]float64{ref.SEM.Errcomp.Estimate[0], ref.SEM.Errcomp.StdError[0]}, ref.HErr.Statistic[0][0], ref.HErr.DF, "error"},
	} {
		t.Run(string(tc.model), func(t *testing.T) {
			re, err := FitSpatial(p, SpatialOptions{Model: tc.model, Effects: "random", W: w, ImpactDraws: -1, RandomVcov: "splm"})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]Coefficient{}
			for _, c := range re.Coefficients {
				got[c.Name] = c
			}
			for _, c := range tc.ref.Coefficients {
				g := got[c.Name]
				if !closeEstimate(g.Estimate, c.Estimate, c.StdError) || !scalar.EqualWithinRel(g.StdError, c.StdError, 1e-6) {
					t.Errorf("%s: %.10g (%.8g), splm %.10g (%.8g)", c.Name, g.Estimate, g.StdError, c.Estimate, c.StdError)
				}
			}
			check := func(name string, g Coefficient, est, se float64) {
				if !closeEstimate(g.Estimate, est, se) || !scalar.EqualWithinRel(g.StdError, se, 2e-3) {
					t.Errorf("%s: %.10g (%.6g), splm %.10g (%.6g)", name, g.Estimate, g.StdError, est, se)
				}
			}
			check(tc.sp, got[tc.sp], tc.spEst, tc.spSE)
			check("phi", got["phi"], tc.phi[0], tc.phi[1])
			if !scalar.EqualWithinRel(re.Sigma2, tc.ref.Sigma2.Idios, 1e-6) || !scalar.EqualWithinRel(*re.LogLik, tc.ref.LogLik, 1e-8) {
				t.Errorf("σ² %.10g, log-likelihood %.10g; splm %.10g, %.10g", re.Sigma2, *re.LogLik, tc.ref.Sigma2.Idios, tc.ref.LogLik)
			}
			// sphtest compares with splm's default, uncorrected fixed-effects fit.
			fe, err := FitSpatial(produc(t, w), SpatialOptions{Model: tc.model, Effects: "individual", W: w, ImpactDraws: -1, NoLeeYu: true})
			if err != nil {
				t.Fatal(err)
			}
			h, err := SpatialHausman(fe, re)
			if err != nil {
				t.Fatal(err)
			}
			if !scalar.EqualWithinRel(h.Statistic, tc.hstat, 1e-5) || h.DF[0] != tc.hdf {
				t.Errorf("sphtest (%s): %.8g on %v df, splm %.8g on %v", tc.feName, h.Statistic, h.DF, tc.hstat, tc.hdf)
			}
		})
	}
}

// closeEstimate reports whether an ML estimate agrees with a reference to
// 1e-6 relative or to 1e-5 of its standard error.
func closeEstimate(got, want, se float64) bool {
	return scalar.EqualWithinRel(got, want, 1e-6) || math.Abs(got-want) <= 1e-5*se
}
