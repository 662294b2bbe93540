package regress

import (
	"bytes"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/mat"
)

// biasTestPanel draws a panel of model m on an 8×8 rook lattice (row
// standardised), T = 4, with effects, from simulate's truths.
func biasTestPanel(t *testing.T, m SpatialModel, effects string, seed uint64) (*SpatialPanel, *spatial.Weights) {
	t.Helper()
	w, err := spatial.Lattice(8, 8, false)
	if err != nil {
		t.Fatal(err)
	}
	if w, err = w.Transform(spatial.RowStandardized); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed, seed))
	return simulate(rng, w, 4, m, simTruths[m], effects), w
}

// TestBiasFixAtMLReproducesML checks the last step of the bias
// correction: a fit whose spatial parameters are fixed at the ML values
// (the internal hook the corrected fit uses) gives bit for bit the ML
// coefficients, covariance, σ² and fixed effects, and with β fixed at the
// ML values too the same up to rounding, for every model with a spatial
// parameter and every kind of fixed effects.
func TestBiasFixAtMLReproducesML(t *testing.T) {
	for _, m := range []SpatialModel{SAR, SDM, SEM, SDEM, SAC} {
		for _, effects := range []string{"individual", "time", "twoways", "none"} {
			p, w := biasTestPanel(t, m, effects, 11)
			opt := SpatialOptions{Model: m, Effects: effects, W: w, ImpactDraws: -1}
			ml, err := FitSpatial(p, opt)
			if err != nil {
				t.Fatalf("%s/%s: %v", m, effects, err)
			}
			opt.fix = &spatialFix{rho: estimateOf(ml, "rho"), lambda: estimateOf(ml, "lambda")}
			fx, err := FitSpatial(p, opt)
			if err != nil {
				t.Fatalf("%s/%s fixed: %v", m, effects, err)
			}
			if !reflect.DeepEqual(ml.Coefficients, fx.Coefficients) || !mat.Equal(ml.Vcov, fx.Vcov) ||
				ml.Sigma2 != fx.Sigma2 || !reflect.DeepEqual(ml.FixedEffects, fx.FixedEffects) {
				t.Errorf("%s/%s: the fit at the ML spatial parameters differs from the ML fit:\n%v\n%v", m, effects, ml.Coefficients, fx.Coefficients)
			}
			// β fixed at the ML values too: the same fit up to the
			// rounding of the residuals.
			for _, c := range ml.Coefficients {
				if c.Name != "rho" && c.Name != "lambda" {
					opt.fix.beta = append(opt.fix.beta, c.Estimate)
				}
			}
			fb, err := FitSpatial(p, opt)
			if err != nil {
				t.Fatalf("%s/%s β fixed: %v", m, effects, err)
			}
			for i, c := range fb.Coefficients {
				want := ml.Coefficients[i]
				if c.Estimate != want.Estimate || !(math.Abs(c.StdError-want.StdError) <= 1e-9*want.StdError) {
					t.Errorf("%s/%s β fixed: %s %v (%v), ML %v (%v)", m, effects, c.Name, c.Estimate, c.StdError, want.Estimate, want.StdError)
				}
			}
			if !(math.Abs(fb.Sigma2-ml.Sigma2) <= 1e-10*ml.Sigma2) {
				t.Errorf("%s/%s β fixed: σ² %v, ML %v", m, effects, fb.Sigma2, ml.Sigma2)
			}
		}
	}
}

// TestBiasCorrectedSDM checks the corrected SDM with individual effects
// against its definition (Efron and Tibshirani 1993, eq. 10.4): ρ̃ = ρ̂ −
// bias and β̃ = β̂ − bias for every coefficient, with the bootstrap biases
// recorded in Options; σ̃² the SSE of ỹ − ρ̃Wỹ − [X̃, WX̃]β̃ (computed here
// independently) over N(T−1) (Lee and Yu 2010); the log-likelihood and LR
// tests those of the ML fit; the standard errors the covariance's.
func TestBiasCorrectedSDM(t *testing.T) {
	p, w := biasTestPanel(t, SDM, "individual", 3)
	opt := SpatialOptions{Model: SDM, Effects: "individual", W: w, ImpactDraws: -1,
		BiasCorrection: BiasCorrection{Method: BiasBootstrap, B: 50, Seed: 9}}
	res, err := FitSpatial(p, opt)
	if err != nil {
		t.Fatal(err)
	}
	ml, err := FitSpatial(p, SpatialOptions{Model: SDM, Effects: "individual", W: w, ImpactDraws: -1})
	if err != nil {
		t.Fatal(err)
	}
	rhoML, bias := res.Options["rho_ml"].(float64), res.Options["rho_bias"].(float64)
	rho := estimateOf(res, "rho")
	if rhoML != estimateOf(ml, "rho") || rho != rhoML-bias || bias == 0 {
		t.Fatalf("ρ̃ = %v, ML %v (fit alone %v), bias %v", rho, rhoML, estimateOf(ml, "rho"), bias)
	}
	if se := res.Options["rho_bias_se"].(float64); !(se > 0 && se < 0.05) {
		t.Errorf("Monte Carlo SE of the bias %v", se)
	}
	cb, ok := res.Options["coef_bias"].(map[string]float64)
	if !ok || len(cb) != len(res.Coefficients)-1 {
		t.Fatalf("coef_bias %v", res.Options["coef_bias"])
	}
	n, tt := p.N, p.T
	_, k := p.X.Dims()
	beta := make([]float64, 2*k)
	for j := range beta {
		c := res.Coefficients[j]
		want := ml.Coefficients[j].Estimate - cb[c.Name]
		if c.Name != ml.Coefficients[j].Name || !(math.Abs(c.Estimate-want) <= 1e-12*math.Max(1, math.Abs(want))) || cb[c.Name] == 0 {
			t.Errorf("%s: %v, ML %v − bootstrap bias %v = %v", c.Name, c.Estimate, ml.Coefficients[j].Estimate, cb[c.Name], want)
		}
		beta[j] = c.Estimate
	}
	// The residuals of ỹ − ρ̃Wỹ on the within-transformed [X, WX] at β̃.
	yt := demean(p.Y, n, tt, "individual")
	wy := lagPanel(w, yt, n, tt)
	r := make([]float64, len(yt))
	for i := range r {
		r[i] = yt[i] - rho*wy[i]
	}
	for j := 0; j < k; j++ {
		c := mat.Col(nil, j, p.X)
		xc, wc := demean(c, n, tt, "individual"), demean(lagPanel(w, c, n, tt), n, tt, "individual")
		for i := range r {
			r[i] -= beta[j]*xc[i] + beta[k+j]*wc[i]
		}
	}
	if s2 := dot(r, r) / float64(n*(tt-1)); !(math.Abs(res.Sigma2-s2) <= 1e-9*s2) {
		t.Errorf("σ̃² %v, want SSE/(N(T−1)) = %v", res.Sigma2, s2)
	}
	if _, ok := ml.Tests["lr_sdm_vs_sar"]; !ok {
		t.Fatal("the ML fit has no LR test of SDM vs SAR")
	}
	if *res.LogLik != *ml.LogLik || !reflect.DeepEqual(res.Tests["lr_sdm_vs_sar"], ml.Tests["lr_sdm_vs_sar"]) {
		t.Errorf("log-likelihood %v and LR test %v, the ML fit's %v and %v", *res.LogLik, res.Tests["lr_sdm_vs_sar"], *ml.LogLik, ml.Tests["lr_sdm_vs_sar"])
	}
	for i, c := range res.Coefficients {
		if c.StdError != math.Sqrt(res.Vcov.At(i, i)) || !(c.StdError > 0) {
			t.Errorf("%s: SE %v", c.Name, c.StdError)
		}
	}
}

// TestBiasCorrectionDeterministic: the same seed gives byte-identical
// JSON, another seed another ρ̃ within a few Monte Carlo SEs; the
// correction with individual effects is the same under NoLeeYu (the same
// ρ̂, and the bootstrap draws σ² with N(T−1) degrees of freedom either
// way); without the option the fit is the ML one.
func TestBiasCorrectionDeterministic(t *testing.T) {
	for _, m := range []SpatialModel{SAR, SEM, SAC} {
		p, w := biasTestPanel(t, m, "individual", 5)
		opt := SpatialOptions{Model: m, Effects: "individual", W: w, ImpactDraws: 50, Seed: 2,
			BiasCorrection: BiasCorrection{Method: BiasBootstrap, B: 40, Seed: 4}}
		var js [2][]byte
		var first *Result
		for i := range js {
			r, err := FitSpatial(p, opt)
			if err != nil {
				t.Fatalf("%s: %v", m, err)
			}
			var b bytes.Buffer
			if err := r.WriteJSON(&b); err != nil {
				t.Fatal(err)
			}
			js[i] = b.Bytes()
			first = r
		}
		if !bytes.Equal(js[0], js[1]) {
			t.Errorf("%s: two fits with seed 4 differ", m)
		}
		if !bytes.Contains(js[0], []byte(`"bias_seed": 4`)) || !bytes.Contains(js[0], []byte("bias-corrected by parametric bootstrap")) {
			t.Errorf("%s: JSON does not record the correction and its seed:\n%.1500s", m, js[0])
		}
		// The warning of a large correction, iff |bias| > SE/2.
		for _, nm := range []string{"rho", "lambda"} {
			b, ok := first.Options[nm+"_bias"].(float64)
			if !ok {
				continue
			}
			se := 0.0
			for _, c := range first.Coefficients {
				if c.Name == nm {
					se = c.StdError
				}
			}
			warned := strings.Contains(strings.Join(first.Messages, "\n"), "the bootstrap bias of "+map[string]string{"rho": "ρ", "lambda": "λ"}[nm])
			// The warning compares with the ML fit's SE, which differs
			// from the corrected fit's by far less than this margin.
			if r := math.Abs(b) / se; r > 0.55 && !warned || r < 0.45 && warned {
				t.Errorf("%s %s: bias %.3g SEs, warned %v", m, nm, r, warned)
			}
		}
		other := opt
		other.BiasCorrection.Seed = 5
		r2, err := FitSpatial(p, other)
		if err != nil {
			t.Fatal(err)
		}
		for _, nm := range []string{"rho", "lambda"} {
			se, ok := first.Options[nm+"_bias_se"].(float64)
			if !ok {
				continue
			}
			a, b := estimateOf(first, nm), estimateOf(r2, nm)
			if a == b || !(math.Abs(a-b) <= 5*math.Sqrt2*se) {
				t.Errorf("%s %s: seed 4 gives %v, seed 5 %v (Monte Carlo SE %v)", m, nm, a, b, se)
			}
		}
		nly := opt
		nly.NoLeeYu = true
		r3, err := FitSpatial(p, nly)
		if err != nil {
			t.Fatal(err)
		}
		for _, nm := range []string{"rho", "lambda"} {
			if _, ok := first.Options[nm+"_ml"]; !ok {
				continue
			}
			if a, b := estimateOf(first, nm), estimateOf(r3, nm); !(math.Abs(a-b) <= 1e-7) {
				t.Errorf("%s %s: corrected %v with Lee–Yu, %v without", m, nm, a, b)
			}
		}
		off := opt
		off.BiasCorrection = BiasCorrection{Method: "none", B: 40, Seed: 4}
		ro, err := FitSpatial(p, off)
		if err != nil {
			t.Fatal(err)
		}
		plain := opt
		plain.BiasCorrection = BiasCorrection{}
		rp, err := FitSpatial(p, plain)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(ro, rp) {
			t.Errorf("%s: Method none differs from no correction", m)
		}
		if _, ok := rp.Options["bias_correction"]; ok {
			t.Errorf("%s: uncorrected fit records a bias correction", m)
		}
	}
}

// TestBiasCorrectionOutputs: the text summary, Markdown, LaTeX and CSV
// tables state the correction with B and the seed.
func TestBiasCorrectionOutputs(t *testing.T) {
	p, w := biasTestPanel(t, SAR, "twoways", 8)
	r, err := FitSpatial(p, SpatialOptions{Model: SAR, Effects: "twoways", W: w, ImpactDraws: -1,
		BiasCorrection: BiasCorrection{Method: BiasBootstrap, B: 30, Seed: 12}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		format string
		want   []string
	}{
		{"text", []string{"ρ bias-corrected by parametric bootstrap (Efron and Tibshirani 1993; B = 30, seed 12)"}},
		{TableMarkdown, []string{"Bias correction", "ρ: bootstrap, B = 30", "ρ bias-corrected by parametric bootstrap (Efron and Tibshirani 1993; B = 30, seed 12)."}},
		{TableLaTeX, []string{"Bias correction", `$\rho$: bootstrap, B = 30`, `$\rho$ bias-corrected by parametric bootstrap (Efron and Tibshirani 1993; B = 30, seed 12).`}},
		{TableCSV, []string{"Bias correction", "ρ: bootstrap, B = 30", "ρ bias-corrected by parametric bootstrap (Efron and Tibshirani 1993; B = 30, seed 12)."}},
	} {
		var b bytes.Buffer
		if tc.format == "text" {
			err = r.WriteSummary(&b)
		} else {
			err = WriteTable(&b, tc.format, []TableColumn{{Title: "SAR", Result: r}}, TableOptions{})
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range tc.want {
			if !strings.Contains(b.String(), want) {
				t.Errorf("%s: no %q in\n%s", tc.format, want, b.String())
			}
		}
	}
}

// TestBiasCorrectionErrors: bad settings and models without a spatial
// parameter to correct are errors naming the problem.
func TestBiasCorrectionErrors(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want BiasCorrection
		err  string
	}{
		{"", BiasCorrection{}, ""},
		{"none", BiasCorrection{}, ""},
		{"bootstrap", BiasCorrection{Method: BiasBootstrap}, ""},
		{"bootstrap:499", BiasCorrection{Method: BiasBootstrap, B: 499}, ""},
		{"bootstrap:5", BiasCorrection{}, "≥ 10"},
		{"bootstrap:x", BiasCorrection{}, "≥ 10"},
		{"none:10", BiasCorrection{}, "none takes no"},
		{"jackknife", BiasCorrection{}, "want none, bootstrap"},
	} {
		got, err := ParseBiasCorrection(tc.in)
		if tc.err == "" && (err != nil || got != tc.want) || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("ParseBiasCorrection(%q) = %+v, %v", tc.in, got, err)
		}
	}
	p, w := biasTestPanel(t, SDM, "individual", 1)
	bc := BiasCorrection{Method: BiasBootstrap}
	for _, tc := range []struct {
		opt  SpatialOptions
		want string
	}{
		{SpatialOptions{Model: SLX, Effects: "individual"}, "no spatial parameter"},
		{SpatialOptions{Model: SAR, Effects: "random"}, "not random effects"},
		{SpatialOptions{Model: SAR, Effects: "individual", Dynamic: DLagY}, "static models"},
		{SpatialOptions{Model: SAR, Effects: "twoways", SplmLeeYu: true}, "SplmLeeYu"},
		{SpatialOptions{Model: SAR, Effects: "individual", BiasCorrection: BiasCorrection{Method: BiasBootstrap, B: 3}}, "at least 10"},
		{SpatialOptions{Model: SAR, Effects: "individual", BiasCorrection: BiasCorrection{Method: "jackknife"}}, "unknown bias correction"},
	} {
		o := tc.opt
		o.W = w
		if o.BiasCorrection.Method == "" {
			o.BiasCorrection = bc
		}
		if _, err := FitSpatial(p, o); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s/%s: error %v, want %q", o.Model, o.Effects, err, tc.want)
		}
	}
}

// TestLargeBiasNote: the warning on a large correction appears exactly
// when |bias| > SE/2 and states the ratio.
func TestLargeBiasNote(t *testing.T) {
	for _, tc := range []struct {
		bias, se float64
		want     string
	}{
		{0.01, 0.05, ""},
		{-0.025, 0.05, ""},
		{-0.03, 0.05, "the bootstrap bias of ρ is 0.6 standard errors"},
		{0.134, 0.0172, "the bootstrap bias of ρ is 7.8 standard errors"},
	} {
		got := largeBiasNote("ρ", tc.bias, tc.se)
		if tc.want == "" && got != "" || tc.want != "" && !strings.HasPrefix(got, tc.want) {
			t.Errorf("bias %v, SE %v: %q", tc.bias, tc.se, got)
		}
	}
}
