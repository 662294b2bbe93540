package regress

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/agglo/agglo/internal/sharedtest"
	"github.com/agglo/agglo/spatial"
	"github.com/paulmach/orb"
	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"
)

// readSynth reads the synthetic SAR panel of ../shared/data (40×40 rook
// grid, T = 10) and its row-standardised weights.
func readSynth(t testing.TB) (*SpatialPanel, *spatial.Weights) {
	t.Helper()
	return readSimPanel(t, "synth_n1600_t10.csv", "synth_n1600_edges.csv", "x1", "x2", "x3")
}

// readSimPanel reads a simulated panel of ../shared/data with columns
// id, period, y and the regressors xs, and its edge-list weights,
// row-standardised.
func readSimPanel(t testing.TB, data, edges string, xs ...string) (*SpatialPanel, *spatial.Weights) {
	t.Helper()
	w, err := spatial.ReadWeightsFile(sharedtest.Data(t, edges), "edges")
	if err != nil {
		t.Fatal(err)
	}
	if w, err = w.Transform(spatial.RowStandardized); err != nil {
		t.Fatal(err)
	}
	rows := sharedtest.CSV(t, data)[1:]
	k := len(xs)
	regions := make([]string, len(rows))
	periods := make([]string, len(rows))
	y := make([]float64, len(rows))
	x := mat.NewDense(len(rows), k, nil)
	for i, r := range rows {
		regions[i], periods[i] = r[0], r[1]
		vals := make([]float64, k+1)
		for j := range vals {
			if vals[j], err = strconv.ParseFloat(r[2+j], 64); err != nil {
				t.Fatalf("%s line %d: %v", data, i+2, err)
			}
		}
		y[i] = vals[0]
		x.SetRow(i, vals[1:])
	}
	p, err := NewSpatialPanel(regions, periods, y, x, xs, w)
	if err != nil {
		t.Fatal(err)
	}
	p.Response = "y"
	return p, w
}

// TestLargeNSynthOracle fits the SAR with individual effects on the
// synthetic panel with each large-N log-determinant and compares with
// splm's spml (../shared/oracle/synth_n1600.json, exact eigenvalues):
// the exact sparse Cholesky to 1e-6 relative in the estimates, σ² and the
// log-likelihood; the stochastic methods (whose low-order traces are exact,
// spatial.Weights.PowerMoments) to 1e-5. Standard errors use the traces
// with exact moments up to order 12 and 30 probes beyond: within 1e-5.
func TestLargeNSynthOracle(t *testing.T) {
	sharedtest.Dir(t)
	p, w := readSynth(t)
	// splm 1.6-5 spml(model = "within", effect = "individual", lag = TRUE)
	// on the same data: ../shared/oracle/synth_n1600.json.
	var ref struct {
		SAR struct {
			Coefficients []struct {
				Name     string  `json:"name"`
				Estimate float64 `json:"estimate"`
				StdError float64 `json:"std_error"`
			} `json:"coefficients"`
			Sigma2 float64 `json:"sigma2"`
			LogLik float64 `json:"loglik"`
		} `json:"sar_individual"`
	}
	sharedtest.ReadJSON(t, &ref, "oracle", "synth_n1600.json")
	want := map[string][2]float64{}
	for _, c := range ref.SAR.Coefficients {
		want[c.Name] = [2]float64{c.Estimate, c.StdError}
	}
	if len(want) != 4 || ref.SAR.Sigma2 == 0 || ref.SAR.LogLik == 0 {
		t.Fatalf("synth_n1600.json: %d coefficients (want rho, x1, x2, x3), σ² %g, log-likelihood %g", len(want), ref.SAR.Sigma2, ref.SAR.LogLik)
	}
	sigma2, loglik := ref.SAR.Sigma2, ref.SAR.LogLik
	for _, tc := range []struct {
		method string
		tol    float64 // on estimates
	}{
		{"cholesky", 1e-6},
		{"slq", 1e-5},
		{"chebyshev", 1e-5},
		{"mc", 1e-5},
	} {
		t.Run(tc.method, func(t *testing.T) {
			ld, tr, err := LargeN(w, tc.method, spatial.LogDetOptions{Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			// splm's default: uncorrected ML.
			res, err := FitSpatial(p, SpatialOptions{Model: SAR, Effects: "individual", W: w, LogDet: ld, Traces: tr, ImpactDraws: -1, NoLeeYu: true})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]Coefficient{}
			for _, c := range res.Coefficients {
				got[c.Name] = c
			}
			if len(got) != len(want) {
				t.Errorf("%d coefficients %v, splm has %d", len(got), res.Coefficients, len(want))
			}
			for name, wc := range want {
				c, ok := got[name]
				if !ok {
					t.Errorf("%s: missing from the fit (splm %.10g)", name, wc[0])
					continue
				}
				if !scalar.EqualWithinRel(c.Estimate, wc[0], tc.tol) {
					t.Errorf("%s: estimate %.10g, splm %.10g", c.Name, c.Estimate, wc[0])
				}
				if !scalar.EqualWithinRel(c.StdError, wc[1], 1e-5) {
					t.Errorf("%s: std error %.8g, splm %.8g", c.Name, c.StdError, wc[1])
				}
				t.Logf("%s: estimate rel err %.2g, std error rel err %.2g", c.Name, math.Abs(c.Estimate/wc[0]-1), math.Abs(c.StdError/wc[1]-1))
			}
			if !scalar.EqualWithinRel(res.Sigma2, sigma2, tc.tol) {
				t.Errorf("σ² %.10g, splm %.10g", res.Sigma2, sigma2)
			}
			if !scalar.EqualWithinRel(*res.LogLik, loglik, tc.tol) {
				t.Errorf("log-likelihood %.10g, splm %.10g", *res.LogLik, loglik)
			}
			if res.Options["logdet"] != tc.method {
				t.Errorf("options record logdet %v", res.Options["logdet"])
			}
		})
	}
}

// TestLargeNMatchesExact fits SAR and SDM with two-way effects on
// simulated 30×30 rook and queen panels with the exact eigenvalues and with
// each large-N method: the sparse Cholesky's estimates agree to 1e-6
// relative, the stochastic log-determinants' (exact power moments to order
// 12, 30 probes beyond) to 1e-5; standard errors to 5e-5 (stochastic
// remainder of the traces beyond order 12), impacts' point estimates to
// 1e-6 (Cholesky) and 1e-5.
func TestLargeNMatchesExact(t *testing.T) {
	for _, queen := range []bool{false, true} {
		w, _ := spatial.Lattice(30, 30, queen)
		w, _ = w.Transform(spatial.RowStandardized)
		rng := rand.New(rand.NewPCG(7, 7))
		for _, m := range []SpatialModel{SAR, SDM} {
			p := simulate(rng, w, 5, m, simTruths[m], "twoways")
			exact, err := FitSpatial(p, SpatialOptions{Model: m, Effects: "twoways", W: w, Seed: 1, ImpactDraws: 200})
			if err != nil {
				t.Fatal(err)
			}
			for _, method := range []string{"cholesky", "chebyshev", "slq", "mc"} {
				tol := 1e-5
				if method == "cholesky" {
					tol = 1e-6
				}
				ld, tr, err := LargeN(w, method, spatial.LogDetOptions{Seed: 1})
				if err != nil {
					t.Fatal(err)
				}
				got, err := FitSpatial(p, SpatialOptions{Model: m, Effects: "twoways", W: w, Seed: 1, ImpactDraws: 200, LogDet: ld, Traces: tr})
				if err != nil {
					t.Fatal(err)
				}
				var worst float64
				for i, c := range got.Coefficients {
					e := exact.Coefficients[i]
					worst = math.Max(worst, math.Abs(c.Estimate/e.Estimate-1))
					if !scalar.EqualWithinRel(c.Estimate, e.Estimate, tol) {
						t.Errorf("queen=%v %s %s %s: estimate %.12g, exact %.12g", queen, m, method, c.Name, c.Estimate, e.Estimate)
					}
					if !scalar.EqualWithinRel(c.StdError, e.StdError, 5e-5) {
						t.Errorf("queen=%v %s %s %s: std error %.8g, exact %.8g", queen, m, method, c.Name, c.StdError, e.StdError)
					}
				}
				t.Logf("queen=%v %s %s: largest relative difference of the estimates %.2g", queen, m, method, worst)
				if got.Impacts != nil && exact.Impacts != nil {
					for i, d := range got.Impacts.Direct {
						if !scalar.EqualWithinAbsOrRel(d.Estimate, exact.Impacts.Direct[i].Estimate, 1e-8, tol) {
							t.Errorf("queen=%v %s %s direct %s: %.8g, exact %.8g", queen, m, method, d.Name, d.Estimate, exact.Impacts.Direct[i].Estimate)
						}
					}
				}
			}
		}
	}
}

// TestLargeNUsawwKNN checks the exact sparse Cholesky path on splm's usaww
// (Produc, SAR with individual effects) and on asymmetric 6-nearest-
// neighbour weights (simulated SAR, T = 5), where the normal matrix
// (I − ρW)ᵀ(I − ρW) is factorised: estimates equal the exact-eigenvalue
// fit to 1e-6 relative (Chebyshev and Monte Carlo log-determinants: 1e-5),
// standard errors to 1e-5 (stochastic remainder of the traces at N = 48
// and 600).
func TestLargeNUsawwKNN(t *testing.T) {
	type fitCase struct {
		name    string
		w       *spatial.Weights
		p       *SpatialPanel
		effects string
	}
	var cases []fitCase
	ids := make([]string, 600)
	pts := make([]orb.Point, 600)
	for i := range ids {
		ids[i] = strconv.Itoa(i)
		pts[i] = orb.Point{float64(i%30) + 0.37*math.Sin(float64(7*i)), float64(i/30) + 0.41*math.Cos(float64(11*i))}
	}
	k, err := spatial.KNearest(ids, pts, 6, spatial.Euclidean)
	if err != nil {
		t.Fatal(err)
	}
	k, _ = k.Transform(spatial.RowStandardized)
	rng := rand.New(rand.NewPCG(3, 3))
	cases = append(cases, fitCase{"knn6", k, simulate(rng, k, 5, SAR, simTruths[SAR], "individual"), "individual"})
	if sharedtest.Present() {
		w := readDenseWeights(t, "usaww.csv")
		cases = append(cases, fitCase{"usaww", w, produc(t, w), "individual"})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			exact, err := FitSpatial(c.p, SpatialOptions{Model: SAR, Effects: c.effects, W: c.w, ImpactDraws: -1})
			if err != nil {
				t.Fatal(err)
			}
			for _, method := range []string{"cholesky", "chebyshev", "mc"} {
				tol := 1e-5
				if method == "cholesky" {
					tol = 1e-6
				}
				ld, tr, err := LargeN(c.w, method, spatial.LogDetOptions{Seed: 1})
				if err != nil {
					t.Fatal(err)
				}
				got, err := FitSpatial(c.p, SpatialOptions{Model: SAR, Effects: c.effects, W: c.w, ImpactDraws: -1, LogDet: ld, Traces: tr})
				if err != nil {
					t.Fatal(err)
				}
				for i, g := range got.Coefficients {
					e := exact.Coefficients[i]
					if !scalar.EqualWithinRel(g.Estimate, e.Estimate, tol) {
						t.Errorf("%s %s: estimate %.12g, exact %.12g", method, g.Name, g.Estimate, e.Estimate)
					}
					if !scalar.EqualWithinRel(g.StdError, e.StdError, 1e-5) {
						t.Errorf("%s %s: std error %.8g, exact %.8g", method, g.Name, g.StdError, e.StdError)
					}
					t.Logf("%s %s: estimate rel diff %.2g, std error rel diff %.2g", method, g.Name, math.Abs(g.Estimate/e.Estimate-1), math.Abs(g.StdError/e.StdError-1))
				}
			}
		})
	}
}

// TestLargeNSummarySettings checks that the text summary names the weights'
// style, the Lee–Yu choice, the log-determinant with its error bound and
// the traces' exact order and probes.
func TestLargeNSummarySettings(t *testing.T) {
	w, _ := spatial.Lattice(20, 20, false)
	w, _ = w.Transform(spatial.RowStandardized)
	p := simulate(rand.New(rand.NewPCG(5, 5)), w, 4, SAR, simTruths[SAR], "individual")
	for _, tc := range []struct {
		method string
		want   []string
	}{
		{"chebyshev", []string{"Weights style: W", "estimator: Lee–Yu corrected ML (Lee and Yu 2010)", "log-determinant: chebyshev (error bound ", "traces: exact to order 12, 30 probes beyond (seed 4)"}},
		{"eigen", []string{"Weights style: W", "log-determinant: eigen (exact)"}},
	} {
		ld, tr, err := LargeN(w, tc.method, spatial.LogDetOptions{Seed: 4})
		if err != nil {
			t.Fatal(err)
		}
		res, err := FitSpatial(p, SpatialOptions{Model: SAR, Effects: "individual", W: w, LogDet: ld, Traces: tr, ImpactDraws: -1})
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		if err := res.WriteSummary(&b); err != nil {
			t.Fatal(err)
		}
		for _, s := range tc.want {
			if !strings.Contains(b.String(), s) {
				t.Errorf("%s: summary lacks %q:\n%s", tc.method, s, b.String())
			}
		}
	}
}
