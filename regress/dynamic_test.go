package regress

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/agglo/agglo/internal/sharedtest"
	"github.com/agglo/agglo/spatial"
)

// sdpdCoef is one coefficient of ../shared/oracle/sdpd_dynamic.json.
type sdpdCoef struct {
	Name     string  `json:"name"`
	Estimate float64 `json:"estimate"`
	StdError float64 `json:"std_error"`
}

type sdpdFit struct {
	Coefficients []sdpdCoef `json:"coefficients"`
	Sigma2       float64    `json:"sigma2"`
	LogLik       float64    `json:"loglik"`
}

type sdpdImpacts map[string][]sdpdCoef

type sdpdCase struct {
	Model     string      `json:"model"`
	Effects   string      `json:"effects"`
	QML       sdpdFit     `json:"qml"`
	Corrected sdpdFit     `json:"corrected"`
	ShortRun  sdpdImpacts `json:"impacts_short_run"`
	LongRun   sdpdImpacts `json:"impacts_long_run"`
}

type sdpdOracle struct {
	Truth map[string]float64  `json:"truth"`
	Cases map[string]sdpdCase `json:"cases"`
}

func readSDPD(t testing.TB) *sdpdOracle {
	t.Helper()
	var o sdpdOracle
	sharedtest.ReadJSON(t, &o, "oracle", "sdpd_dynamic.json")
	return &o
}

// readDynamicSim reads ../shared/data/dynamic_sim.csv with its rook
// weights, row-standardised.
func readDynamicSim(t testing.TB) (*SpatialPanel, *spatial.Weights) {
	t.Helper()
	return readSimPanel(t, "dynamic_sim.csv", "dynamic_sim_edges.csv", "x1", "x2")
}

// TestDynamicSDPDmod compares the dynamic SAR and SDM with individual and
// two-way effects, quasi-ML and bias-corrected, with SDPDmod 0.0.6
// (../shared/oracle/sdpd_dynamic.json; SDPDm(..., dynamic = TRUE, LYtrans =
// TRUE) on dynamic_sim.csv).
//
// With SDPDmodNumerics (SDPDmod's tabulated log-determinant and R's
// optimize) the estimates, σ² and log-likelihood agree to 1e-6 relative,
// and with individual effects the standard errors to 1e-4. With two-way
// effects the standard errors of ρ and of the W-terms differ by up to
// 0.6%: SDPDmod's fourth-moment term Ω uses μ₄ and Σ_j (F'GF)_jj² in the
// coordinates of F = eigen(I − 11ᵀ/N)$vectors, an arbitrary orthonormal
// basis that LAPACK returns for the (N−1)-fold eigenvalue 1 (dense, without
// structure); both quantities depend on it (κ = 0.501 and Σ = 4.02 in R
// 4.2.2 for the SAR, against 0.35 and 0.81 in the basis-free J-coordinates
// used here). With R's two numbers put in, the standard error of ρ here is
// SDPDmod's to 1e-8 (checked by hand, SDPDmod run from source), so the
// difference is that basis, not the method; they are compared at 1e-2.
//
// With the exact log-determinant (the default) ρ maximises the exact
// likelihood, which SDPDmod's sawtooth tabulated one does not: the
// estimates then differ from SDPDmod's by up to 0.3 standard errors, and
// the exact log-likelihood at SDPDmod's estimates is lower than at ours.
//
// The effects in the file are SDPDmod's means over 200 simulated draws
// (impactsSDPDm), not point estimates; the point estimates here are
// compared with them within four simulation standard errors (SE/√200).
func TestDynamicSDPDmod(t *testing.T) {
	o := readSDPD(t)
	p, w := readDynamicSim(t)
	rel := func(got, want float64) float64 { return math.Abs(got-want) / math.Max(math.Abs(want), 1e-300) }
	for name, c := range o.Cases {
		for _, corr := range []bool{false, true} {
			want := c.QML
			if corr {
				want = c.Corrected
			}
			opt := SpatialOptions{Model: SpatialModel(c.Model), Effects: c.Effects, W: w, Dynamic: DLagBoth, NoBiasCorrection: !corr, ImpactDraws: 1000, Seed: 1}
			sopt := opt
			sopt.SDPDmodNumerics = true
			res, err := FitSpatial(p, sopt)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			exact, err := FitSpatial(p, opt)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			seTol := 1e-4
			if c.Effects == "twoways" {
				seTol = 1e-2
			}
			if d := rel(res.Sigma2, want.Sigma2); !(d <= 1e-6) {
				t.Errorf("%s corrected=%v: σ² %.12g, SDPDmod %.12g", name, corr, res.Sigma2, want.Sigma2)
			}
			if d := rel(*res.LogLik, want.LogLik); !(d <= 1e-6) {
				t.Errorf("%s corrected=%v: log-likelihood %.12g, SDPDmod %.12g", name, corr, *res.LogLik, want.LogLik)
			}
			if len(res.Coefficients) != len(want.Coefficients) {
				t.Fatalf("%s: %d coefficients, want %d", name, len(res.Coefficients), len(want.Coefficients))
			}
			for i, wc := range want.Coefficients {
				g, e := res.Coefficients[i], exact.Coefficients[i]
				if g.Name != wc.Name {
					t.Errorf("%s: coefficient %d is %q, want %q", name, i, g.Name, wc.Name)
				}
				if d := math.Abs(g.Estimate - wc.Estimate); !(d <= 1e-6*math.Abs(wc.Estimate) || d <= 1e-4*wc.StdError) {
					t.Errorf("%s corrected=%v %s: estimate %.12g, SDPDmod %.12g", name, corr, wc.Name, g.Estimate, wc.Estimate)
				}
				if d := rel(g.StdError, wc.StdError); !(d <= seTol) {
					t.Errorf("%s corrected=%v %s: std error %.10g, SDPDmod %.10g (rel %.2g)", name, corr, wc.Name, g.StdError, wc.StdError, d)
				}
				if d := math.Abs(e.Estimate - wc.Estimate); !(d <= 0.3*wc.StdError) {
					t.Errorf("%s corrected=%v %s: exact-ML estimate %.10g is %.2f SE from SDPDmod's %.10g", name, corr, wc.Name, e.Estimate, d/wc.StdError, wc.Estimate)
				}
			}
			if corr {
				if res.Options["bias_corrected"] != true || res.Uncorrected == nil {
					t.Errorf("%s: the corrected fit does not say so", name)
				}
				for blk, sr := range map[string][]Effect{"direct": res.Impacts.Direct, "indirect": res.Impacts.Indirect, "total": res.Impacts.Total} {
					var lr []Effect
					switch blk {
					case "direct":
						lr = res.ImpactsLongRun.Direct
					case "indirect":
						lr = res.ImpactsLongRun.Indirect
					default:
						lr = res.ImpactsLongRun.Total
					}
					for i, e := range c.ShortRun[blk] {
						if sr[i].Name != e.Name || !(math.Abs(sr[i].Estimate-e.Estimate) <= 4*sr[i].StdError/math.Sqrt(200)) {
							t.Errorf("%s short-run %s %s: %.8g ± %.3g, SDPDmod's simulated mean %.8g", name, blk, e.Name, sr[i].Estimate, sr[i].StdError, e.Estimate)
						}
						l := c.LongRun[blk][i]
						if lr[i].Name != l.Name || !(math.Abs(lr[i].Estimate-l.Estimate) <= 4*lr[i].StdError/math.Sqrt(200)) {
							t.Errorf("%s long-run %s %s: %.8g ± %.3g, SDPDmod's simulated mean %.8g", name, blk, l.Name, lr[i].Estimate, lr[i].StdError, l.Estimate)
						}
					}
				}
			}
		}
	}
}

// TestDynamicVariants fits every lag choice with each kind of effects on
// dynamic_sim.csv (truth ρ = 0.3, γ = 0.4, δ = 0.1, β = (1, −0.5), θ =
// (0.3, 0)): names follow the lags, the bias-corrected SDM with dlag 3
// covers the truth within four standard errors, the correction raises γ
// (the Nickell-type bias of the QML is downward) and the exact QML ρ
// maximises the concentrated likelihood.
func TestDynamicVariants(t *testing.T) {
	p, w := readDynamicSim(t)
	truth := map[string]float64{"y(t-1)": 0.4, "W*y(t-1)": 0.1, "x1": 1, "x2": -0.5, "W*x1": 0.3, "W*x2": 0, "rho": 0.3}
	for _, effects := range []string{"individual", "time", "twoways"} {
		for lag := DLagY; lag <= DLagBoth; lag++ {
			opt := SpatialOptions{Model: SDM, Effects: effects, W: w, Dynamic: lag, ImpactDraws: 100}
			res, err := FitSpatial(p, opt)
			if err != nil {
				t.Fatalf("%s dlag %d: %v", effects, lag, err)
			}
			var names []string
			for _, c := range res.Coefficients {
				names = append(names, c.Name)
			}
			want := map[int][]string{1: {"y(t-1)"}, 2: {"W*y(t-1)"}, 3: {"y(t-1)", "W*y(t-1)"}}[lag]
			want = append(want, "x1", "x2", "W*x1", "W*x2", "rho")
			if strings.Join(names, ",") != strings.Join(want, ",") {
				t.Errorf("%s dlag %d: coefficients %v, want %v", effects, lag, names, want)
			}
			if res.ImpactsLongRun == nil || len(res.ImpactsLongRun.Total) != 2 {
				t.Errorf("%s dlag %d: no long-run effects", effects, lag)
			}
			corrected := effects != "time"
			if res.Options["bias_corrected"] != corrected {
				t.Errorf("%s dlag %d: bias_corrected = %v", effects, lag, res.Options["bias_corrected"])
			}
			if lag == DLagBoth && effects != "time" {
				for _, c := range res.Coefficients {
					if d := math.Abs(c.Estimate - truth[c.Name]); !(d <= 4*c.StdError) {
						t.Errorf("%s: %s = %.4f ± %.4f, truth %g", effects, c.Name, c.Estimate, c.StdError, truth[c.Name])
					}
				}
			}
			if corrected && lag != DLagWY {
				if !(res.Coefficients[0].Estimate > res.Uncorrected[0].Estimate) {
					t.Errorf("%s dlag %d: corrected γ %.4f not above the QML %.4f", effects, lag, res.Coefficients[0].Estimate, res.Uncorrected[0].Estimate)
				}
			}
			// The QML ρ maximises the exact concentrated likelihood.
			q := opt
			q.NoBiasCorrection, q.ImpactDraws = true, -1
			qml, err := FitSpatial(p, q)
			if err != nil {
				t.Fatal(err)
			}
			rho := qml.Coefficients[len(qml.Coefficients)-1].Estimate
			f := &dynFit{opt: &q, centre: effects != "individual", indiv: effects != "time", gi: -1, di: -1, unit: -1, yname: "y"}
			d, err := f.prepare(p, effects)
			if err != nil {
				t.Fatal(err)
			}
			f.d = d
			f.nn, f.tt = float64(d.n), float64(d.t)
			if f.centre {
				f.nn--
			}
			if err := f.spectrum(); err != nil {
				t.Fatal(err)
			}
			f.ld = f.logDet
			at := func(r float64) float64 {
				st, err := f.state(r, nil, 0)
				if err != nil {
					t.Fatal(err)
				}
				e := f.residuals(st)
				return -f.nn*f.tt/2*math.Log(dot(e, e)) + f.tt*f.logDet(r)
			}
			if l0 := at(rho); !(l0 >= at(rho-1e-4) && l0 >= at(rho+1e-4)) {
				t.Errorf("%s dlag %d: ρ = %.8f does not maximise the concentrated likelihood", effects, lag, rho)
			}
		}
	}
}

// TestDynamicErrors checks the refusals: a gap in the periods (named), a
// static-only model, too few periods, unknown lags.
func TestDynamicErrors(t *testing.T) {
	p, w := readDynamicSim(t)
	g := *p
	g.Periods = append([]string(nil), p.Periods...)
	for s := 5; s < len(g.Periods); s++ {
		y, _ := strconv.Atoi(g.Periods[s])
		g.Periods[s] = strconv.Itoa(y + 1)
	}
	_, err := FitSpatial(&g, SpatialOptions{Model: SAR, Effects: "individual", W: w, Dynamic: DLagBoth})
	if err == nil || !strings.Contains(err.Error(), "gap") || !strings.Contains(err.Error(), "2007") || !strings.Contains(err.Error(), "c001") {
		t.Errorf("gap in the periods: error %v", err)
	}
	wb, err := w.Transform(spatial.Binary)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		opt  SpatialOptions
		want string
	}{
		{"sem", SpatialOptions{Model: SEM, Effects: "individual", W: w, Dynamic: 1}, "SAR or SDM"},
		{"pooled", SpatialOptions{Model: SAR, Effects: "none", W: w, Dynamic: 1}, "fixed effects"},
		{"lags", SpatialOptions{Model: SAR, Effects: "individual", W: w, Dynamic: 4}, "dynamic lags"},
		{"unstandardised", SpatialOptions{Model: SAR, Effects: "twoways", W: wb, Dynamic: 1}, "row-standardised"},
	} {
		if _, err := FitSpatial(p, tc.opt); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
}

// TestDynamicStability checks the spectral radius of (I − ρW)⁻¹(γI + δW)
// against its closed form at ω = 1 and the warning on explosive estimates.
func TestDynamicStability(t *testing.T) {
	_, w := readDynamicSim(t)
	vals, err := w.Eigenvalues()
	if err != nil {
		t.Fatal(err)
	}
	f := &dynFit{vals: vals, gi: 0, di: 1}
	// Row-standardised W: the largest |a(ω)| of positive γ, δ, ρ is at
	// ω = 1, (γ + δ)/(1 − ρ).
	if r := f.spectralRadius(0.3, 0.4, 0.1); math.Abs(r-0.5/0.7) > 1e-12 {
		t.Errorf("spectral radius %.15g, want %.15g", r, 0.5/0.7)
	}
	res := &Result{Options: map[string]any{}, Extra: map[string]float64{}}
	f.stability(res, &dynState{beta: []float64{0.8, 0.2}, rho: 0.3}, &dynState{beta: []float64{0.4, 0.1}, rho: 0.3}, true)
	if res.Options["stable"] != false || len(res.Messages) != 1 || !strings.Contains(res.Messages[0], "WARNING") || !strings.Contains(res.Messages[0], "QML") {
		t.Errorf("explosive corrected estimates: %v %v", res.Options, res.Messages)
	}
}

// TestDynamicSDPDmodOneLag compares the dynamic SDM with individual effects
// and one time lag with SDPDmod 0.0.6 run from its source (R 4.2.2,
// SDPDm(y ~ x1 + x2, dynamic = TRUE, LYtrans = TRUE, tlaginfo = list(tl,
// stl)) on dynamic_sim.csv, W row-standardised), with SDPDmodNumerics:
// dlag 1 QML and bias-corrected, dlag 2 QML, to 1e-8. With δ alone (dlag 2)
// the corrected estimates differ on purpose: SDPDmod's bias of δ is
// tr(H)/n and of ρ γ-style tr(GH)δ/n (the γ formulas with δ put in), where
// the score of W·y(t−1) gives tr(WH)/n and tr(GWH)δ/n (package notes).
func TestDynamicSDPDmodOneLag(t *testing.T) {
	p, w := readDynamicSim(t)
	for _, tc := range []struct {
		lag        int
		qml        bool
		est, se    []float64 // lag, x1, x2, W*x1, W*x2, rho
		sigma2, ll float64
	}{
		{1, true, []float64{0.4094581304591, 1.0172598612466, -0.4809810886147, 0.2350300281530, 0.0344938157331, 0.3319897778382},
			[]float64{0.0111807042548, 0.0193315379839, 0.0186899429735, 0.0424069942858, 0.0362861110808, 0.0197979763797}, 0.901916161678, -3783.899185714},
		{1, false, []float64{0.4408301848408, 1.0224912451104, -0.4823627928855, 0.2476569677274, 0.0293968827826, 0.3251311710792},
			[]float64{0.0115194960284, 0.0198330942074, 0.0191871541829, 0.0431657499162, 0.0371632671956, 0.0196565201536}, 0.950603766091, -3789.958993496209},
		{2, true, []float64{0.4076818022276, 0.9813805657831, -0.4741312253340, 0.2488480397878, 0.0261468795865, 0.3159863291546},
			[]float64{0.0216345761482, 0.0224415412834, 0.0218095075548, 0.0491074387552, 0.0422705432308, 0.0220633179816}, 1.22821437784, -4202.15288441802},
	} {
		res, err := FitSpatial(p, SpatialOptions{Model: SDM, Effects: "individual", W: w, Dynamic: tc.lag, NoBiasCorrection: tc.qml, ImpactDraws: -1, SDPDmodNumerics: true})
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range res.Coefficients {
			if !(math.Abs(c.Estimate-tc.est[i]) <= 1e-8*math.Abs(tc.est[i])+1e-10) || !(math.Abs(c.StdError/tc.se[i]-1) <= 1e-8) {
				t.Errorf("dlag %d qml=%v %s: %.12g (%.12g), SDPDmod %.12g (%.12g)", tc.lag, tc.qml, c.Name, c.Estimate, c.StdError, tc.est[i], tc.se[i])
			}
		}
		if !(math.Abs(res.Sigma2/tc.sigma2-1) <= 1e-8) || !(math.Abs(*res.LogLik/tc.ll-1) <= 1e-8) {
			t.Errorf("dlag %d qml=%v: σ² %.12g ℓ %.12g, SDPDmod %.12g %.12g", tc.lag, tc.qml, res.Sigma2, *res.LogLik, tc.sigma2, tc.ll)
		}
	}
}

// TestDynamicProduc fits the dynamic SAR with two-way effects on Produc
// (log(gsp), usaww). The quasi-ML estimates are SDPDmod 0.0.6's (run from
// source, R 4.2.2, W = rownor(usaww), printed to 8 digits). SDPDmod's
// corrected estimates are explosive (γ = 5.04, ρ = −0.25) because it
// inverts the information matrix through Matrix::nearPD, whose eig.tol
// 1e-6 drops the smallest eigenvalue of this badly scaled matrix
// (σ̂² = 3.2e-4, smallest/largest eigenvalue 1.0e-7; the result differs
// from the inverse by a factor 14); the exact inverse gives a correction
// of γ by +0.11, and the corrected model is stable.
func TestDynamicProduc(t *testing.T) {
	w := readDenseWeights(t, "usaww.csv")
	p := produc(t, w)
	qml, err := FitSpatial(p, SpatialOptions{Model: SAR, Effects: "twoways", W: w, Dynamic: DLagBoth, NoBiasCorrection: true, ImpactDraws: -1, SDPDmodNumerics: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0.79301770, -0.46207298, -0.04015345, -0.04575996, 0.22457352, -0.00478465, 0.45656499}
	for i, c := range qml.Coefficients {
		if !(math.Abs(c.Estimate-want[i]) <= 1e-6*math.Abs(want[i])) {
			t.Errorf("QML %s = %.10g, SDPDmod %.8g", c.Name, c.Estimate, want[i])
		}
	}
	res, err := FitSpatial(p, SpatialOptions{Model: SAR, Effects: "twoways", W: w, Dynamic: DLagBoth, ImpactDraws: 100})
	if err != nil {
		t.Fatal(err)
	}
	g := res.Coefficients[0].Estimate
	if !(g > 0.85 && g < 0.95) || res.Options["stable"] != true || res.ImpactsLongRun == nil {
		t.Errorf("corrected γ = %.4f, stable %v (SDPDmod's nearPD gives 5.04)", g, res.Options["stable"])
	}
}
