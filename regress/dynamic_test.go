package regress

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/mat"
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
	needShared(t)
	b, err := os.ReadFile(filepath.Join(sharedDir, "oracle/sdpd_dynamic.json"))
	if err != nil {
		t.Fatal(err)
	}
	var o sdpdOracle
	if err := json.Unmarshal(b, &o); err != nil {
		t.Fatal(err)
	}
	return &o
}

// readDynamicSim reads ../shared/data/dynamic_sim.csv with its rook
// weights, row-standardised.
func readDynamicSim(t testing.TB) (*SpatialPanel, *spatial.Weights) {
	t.Helper()
	needShared(t)
	w, err := spatial.ReadWeightsFile(filepath.Join(sharedDir, "data/dynamic_sim_edges.csv"), "edges")
	if err != nil {
		t.Fatal(err)
	}
	if w, err = w.Transform(spatial.RowStandardized); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, filepath.Join(sharedDir, "data/dynamic_sim.csv"))[1:]
	regions := make([]string, len(rows))
	periods := make([]string, len(rows))
	y := make([]float64, len(rows))
	x := mat.NewDense(len(rows), 2, nil)
	for i, r := range rows {
		regions[i], periods[i] = r[0], r[1]
		vals := make([]float64, 3)
		for j := range vals {
			if vals[j], err = strconv.ParseFloat(r[2+j], 64); err != nil {
				t.Fatal(err)
			}
		}
		y[i] = vals[0]
		x.SetRow(i, vals[1:])
	}
	p, err := NewSpatialPanel(regions, periods, y, x, []string{"x1", "x2"}, w)
	if err != nil {
		t.Fatal(err)
	}
	p.Response = "y"
	return p, w
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
// 0.6% from SDPDmod's: the information matrix here has been checked
// against a dense computation in an explicit orthonormal basis F
// (F'WF, F'X) to 1e-13, so the difference lies in SDPDmod's two-way path
// and is left open (see the package notes); they are compared at 1e-2.
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
