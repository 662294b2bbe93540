package regress

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/agglo/agglo/internal/sharedtest"
	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/mat"
)

// TestEveryModelAndEffects fits every model under every effects on a
// simulated panel and checks basic invariants: finite estimates and SEs,
// σ² > 0, AIC = −2ℓ + 2(k+1), impacts for the lag models, and fixed
// effects whose mean plus deviations reproduce the residual means.
func TestEveryModelAndEffects(t *testing.T) {
	w, _ := spatial.Lattice(6, 6, true)
	w, _ = w.Transform(spatial.RowStandardized)
	rng := rand.New(rand.NewPCG(3, 3))
	for _, m := range []SpatialModel{SAR, SEM, SDM, SDEM, SLX, SAC} {
		for _, eff := range []string{"none", "individual", "time", "twoways"} {
			for _, ly := range []bool{false, true} {
				if !ly && (eff == "none" || m == SLX) {
					continue // NoLeeYu changes nothing there
				}
				name := string(m) + "/" + eff
				if !ly {
					name += "/noleeyu"
				}
				t.Run(name, func(t *testing.T) {
					p := simulate(rng, w, 6, m, simTruths[m], eff)
					r, err := FitSpatial(p, SpatialOptions{Model: m, Effects: eff, W: w, NoLeeYu: !ly, ImpactDraws: 200, Seed: 5})
					if err != nil {
						t.Fatal(err)
					}
					for _, c := range r.Coefficients {
						if math.IsNaN(c.Estimate) || !(c.StdError > 0) || math.IsNaN(c.PValue) {
							t.Errorf("%s: estimate %g, SE %g, p %g", c.Name, c.Estimate, c.StdError, c.PValue)
						}
					}
					if !(r.Sigma2 > 0) {
						t.Errorf("sigma2 = %g", r.Sigma2)
					}
					k := float64(len(r.Coefficients) + 1)
					if math.Abs(*r.AIC-(-2**r.LogLik+2*k)) > 1e-9 {
						t.Errorf("AIC %g, loglik %g", *r.AIC, *r.LogLik)
					}
					hasImpacts := m != SEM // SLX and SDEM: exact linear effects
					if hasImpacts != (r.Impacts != nil) {
						t.Errorf("impacts present = %v", r.Impacts != nil)
					}
					if hasImpacts && len(r.Impacts.Direct) != 2 {
						t.Errorf("%d direct effects", len(r.Impacts.Direct))
					}
					if (eff == "none") != (r.FixedEffects == nil) {
						t.Errorf("fixed effects %v", r.FixedEffects)
					}
					if r.Options["style"] != "W" {
						t.Errorf("style %v", r.Options["style"])
					}
					if eff != "none" && m != SLX {
						want := ly && !(m == SAC && eff == "twoways")
						if r.Options["lee_yu"] != want || r.Options["estimator"] != leeYuLabel(want) {
							t.Errorf("lee_yu %v (%v), want %v", r.Options["lee_yu"], r.Options["estimator"], want)
						}
						// T = 6: an uncorrected fit says how biased it is.
						noted := false
						for _, msg := range r.Messages {
							noted = noted || strings.Contains(msg, "uncorrected ML")
						}
						if noted != (!want && eff != "time") { // N = 36: no note for time effects
							t.Errorf("Lee–Yu %v, bias note %v: %q", want, noted, r.Messages)
						}
					} else if _, ok := r.Options["lee_yu"]; ok {
						t.Errorf("lee_yu %v in a model without fixed effects", r.Options["lee_yu"])
					}
					if _, ok := r.Tests["lr_spatial"]; !ok && m != SLX {
						t.Error("no lr_spatial test")
					}
					for _, k := range []string{"LMerr", "LMlag", "RLMerr", "RLMlag", "SARMA"} {
						if _, ok := r.Tests[k]; !ok {
							t.Errorf("no test %s", k)
						}
					}
					if m == SDM {
						for _, k := range []string{"wald_sdm_vs_sar", "wald_sdm_vs_sem", "lr_sdm_vs_sar", "lr_sdm_vs_sem"} {
							if _, ok := r.Tests[k]; !ok {
								t.Errorf("no test %s", k)
							}
						}
					}
				})
			}
		}
	}
}

// TestImpactsClosedForm checks the SAR impacts against a dense inverse:
// direct = β tr((I−ρW)⁻¹)/N, total = β/(1−ρ) for row-standardised W.
func TestImpactsClosedForm(t *testing.T) {
	w, _ := spatial.Lattice(5, 7, false)
	w, _ = w.Transform(spatial.RowStandardized)
	rng := rand.New(rand.NewPCG(9, 9))
	p := simulate(rng, w, 3, SAR, simTruths[SAR], "individual")
	r, err := FitSpatial(p, SpatialOptions{Model: SAR, Effects: "individual", W: w, ImpactDraws: 100})
	if err != nil {
		t.Fatal(err)
	}
	rho := coefByName(t, r, "rho").Estimate
	n := w.N()
	a := mat.NewDense(n, n, nil)
	wd := w.Dense()
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			a.Set(i, j, -rho*wd.At(i, j))
		}
		a.Set(i, i, 1+a.At(i, i))
	}
	var inv mat.Dense
	if err := inv.Inverse(a); err != nil {
		t.Fatal(err)
	}
	var tr, sum float64
	for i := 0; i < n; i++ {
		tr += inv.At(i, i)
		for j := 0; j < n; j++ {
			sum += inv.At(i, j)
		}
	}
	for j, name := range []string{"x1", "x2"} {
		b := coefByName(t, r, name).Estimate
		checkRel(t, "direct "+name, r.Impacts.Direct[j].Estimate, b*tr/float64(n), 1e-10)
		checkRel(t, "total "+name, r.Impacts.Total[j].Estimate, b*sum/float64(n), 1e-10)
	}
	// Non-row-standardised (binary) W: the power series for the total.
	wb, _ := spatial.Lattice(5, 7, false)
	tb, err := NewExactTraces(wb, nil)
	if err != nil {
		t.Fatal(err)
	}
	rhob := 0.2
	d, dw, tot, totw := make([]float64, 1), make([]float64, 1), make([]float64, 1), make([]float64, 1)
	if err := tb.Multipliers([]float64{rhob}, d, dw, tot, totw); err != nil {
		t.Fatal(err)
	}
	wd = wb.Dense()
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			a.Set(i, j, -rhob*wd.At(i, j))
		}
		a.Set(i, i, 1+a.At(i, i))
	}
	if err := inv.Inverse(a); err != nil {
		t.Fatal(err)
	}
	var iw mat.Dense
	iw.Mul(&inv, wd)
	tr, sum = 0, 0
	var trw, sumw float64
	for i := 0; i < n; i++ {
		tr += inv.At(i, i)
		trw += iw.At(i, i)
		for j := 0; j < n; j++ {
			sum += inv.At(i, j)
			sumw += iw.At(i, j)
		}
	}
	nf := float64(n)
	checkRel(t, "direct", d[0], tr/nf, 1e-10)
	checkRel(t, "directW", dw[0], trw/nf, 1e-10)
	checkRel(t, "total", tot[0], sum/nf, 1e-10)
	checkRel(t, "totalW", totw[0], sumw/nf, 1e-10)
	// Moments against the dense W̃ = W(I−ρW)⁻¹.
	tr1, tr2, trTT, err := tb.Moments(rhob)
	if err != nil {
		t.Fatal(err)
	}
	var wt, wt2 mat.Dense
	wt.Mul(wd, &inv)
	wt2.Mul(&wt, &wt)
	var e1, e2, e3 float64
	for i := 0; i < n; i++ {
		e1 += wt.At(i, i)
		e2 += wt2.At(i, i)
		for j := 0; j < n; j++ {
			e3 += wt.At(i, j) * wt.At(i, j)
		}
	}
	checkRel(t, "tr(W̃)", tr1, e1, 1e-10)
	checkRel(t, "tr(W̃²)", tr2, e2, 1e-10)
	checkRel(t, "tr(W̃ᵀW̃)", trTT, e3, 1e-10)
}

func TestSpatialErrors(t *testing.T) {
	w, _ := spatial.Lattice(4, 4, false)
	w, _ = w.Transform(spatial.RowStandardized)
	rng := rand.New(rand.NewPCG(1, 1))
	p := simulate(rng, w, 3, SAR, simTruths[SAR], "individual")

	t.Run("islands", func(t *testing.T) {
		links := w.Links()
		var keep []spatial.Link
		for _, l := range links {
			if l.From != 5 && l.To != 5 {
				keep = append(keep, l)
			}
		}
		wi, err := spatial.NewWeights(w.IDs(), keep)
		if err != nil {
			t.Fatal(err)
		}
		_, err = FitSpatial(p, SpatialOptions{Model: SAR, Effects: "individual", W: wi})
		if err == nil || !strings.Contains(err.Error(), w.IDs()[5]) {
			t.Errorf("want an island error naming %s, got %v", w.IDs()[5], err)
		}
	})
	t.Run("weights size", func(t *testing.T) {
		w3, _ := spatial.Lattice(3, 3, false)
		if _, err := FitSpatial(p, SpatialOptions{Model: SAR, W: w3}); err == nil {
			t.Error("no error for 9 regions of weights and 16 of data")
		}
	})
	t.Run("boundary", func(t *testing.T) {
		// y = W y exactly pushes ρ to the upper bound 1.
		q := *p
		q.Y = make([]float64, len(p.Y))
		for i := range q.Y {
			q.Y[i] = 5 + 1e-9*float64(i%7)
		}
		_, err := FitSpatial(&q, SpatialOptions{Model: SAR, Effects: "none", W: w, ImpactDraws: -1})
		if err == nil {
			t.Fatal("no error")
		}
		t.Log(err)
		if !errors.Is(err, ErrBoundary) {
			t.Errorf("want ErrBoundary, got %v", err)
		}
	})
	t.Run("collinear WX", func(t *testing.T) {
		q := simulate(rng, w, 1, SDM, simTruths[SDM], "none")
		r, err := FitSpatial(q, SpatialOptions{Model: SDM, W: w, ImpactDraws: -1})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, m := range r.Messages {
			found = found || strings.Contains(m, "dropped W*(Intercept)")
		}
		if !found {
			t.Errorf("no message about W*(Intercept): %v", r.Messages)
		}
	})
	t.Run("bad options", func(t *testing.T) {
		if _, err := FitSpatial(p, SpatialOptions{Model: "gns", W: w}); err == nil {
			t.Error("unknown model accepted")
		}
		if _, err := FitSpatial(p, SpatialOptions{Model: SAR, W: w, Effects: "fixed"}); err == nil {
			t.Error("unknown effects accepted")
		}
		if _, err := FitSpatial(p, SpatialOptions{Model: SAC, W: w, Effects: "random"}); err == nil {
			t.Error("SAC with random effects accepted")
		}
	})
}

// TestNewSpatialPanel checks the long-to-panel arrangement and its errors
// on Produc (../shared/data).
func TestNewSpatialPanel(t *testing.T) {
	sharedtest.Dir(t)
	w := readDenseWeights(t, "usaww.csv")
	load := func(file string) ([]string, []string, []float64, *mat.Dense) {
		rows := sharedtest.CSV(t, file)
		var reg, per []string
		var y []float64
		x := mat.NewDense(len(rows)-1, 1, nil)
		for i, r := range rows[1:] {
			reg = append(reg, r[0])
			per = append(per, r[1])
			where := fmt.Sprintf("%s row %d", file, i+2)
			y = append(y, math.Log(sharedtest.Float(t, r[8], where)))
			x.Set(i, 0, sharedtest.Float(t, r[10], where))
		}
		return reg, per, y, x
	}
	reg, per, y, x := load("produc.csv")
	p, err := NewSpatialPanel(reg, per, y, x, []string{"unemp"}, w)
	if err != nil {
		t.Fatal(err)
	}
	if p.N != 48 || p.T != 17 || p.Periods[0] != "1970" {
		t.Errorf("N %d T %d first period %s", p.N, p.T, p.Periods[0])
	}
	ref := produc(t, w)
	for i := range ref.Y {
		if ref.Y[i] != p.Y[i] || ref.X.At(i, 3) != p.Cols[0][i] {
			t.Fatalf("row %d differs", i)
		}
	}
	reg, per, y, x = load("produc_unbalanced.csv")
	_, err = NewSpatialPanel(reg, per, y, x, []string{"unemp"}, w)
	if err == nil || !strings.Contains(err.Error(), "unbalanced") || !strings.Contains(err.Error(), "period") {
		t.Errorf("want an unbalanced-panel error naming a region and period, got %v", err)
	}
	t.Log(err)
	reg, per, y, x = load("produc.csv")
	reg[3] = "ATLANTIS"
	if _, err := NewSpatialPanel(reg, per, y, x, []string{"unemp"}, w); err == nil || !strings.Contains(err.Error(), "ATLANTIS") {
		t.Errorf("want an error naming ATLANTIS, got %v", err)
	}
	reg, per, y, x = load("produc.csv")
	per[1] = per[0] // ALABAMA 1970 twice, in consecutive rows
	if _, err := NewSpatialPanel(reg, per, y, x, []string{"unemp"}, w); err == nil || !strings.Contains(err.Error(), `"ALABAMA" in period "1970" appears twice (row 2)`) {
		t.Errorf("want ALABAMA 1970 twice at row 2, got %v", err)
	}
	// Time-major rows (consecutive rows share the period, not the region)
	// give the same panel.
	reg, per, y, x = load("produc.csv")
	order := make([]int, len(reg))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return per[order[a]] < per[order[b]] })
	rt, pt, yt := make([]string, len(reg)), make([]string, len(reg)), make([]float64, len(reg))
	xt := mat.NewDense(len(reg), 1, nil)
	for k, i := range order {
		rt[k], pt[k], yt[k] = reg[i], per[i], y[i]
		xt.Set(k, 0, x.At(i, 0))
	}
	pt2, err := NewSpatialPanel(rt, pt, yt, xt, []string{"unemp"}, w)
	if err != nil {
		t.Fatal(err)
	}
	for i := range p.Y {
		if pt2.Y[i] != p.Y[i] || pt2.Cols[0][i] != p.Cols[0][i] {
			t.Fatalf("time-major rows: row %d differs", i)
		}
	}
	reg, per, y, x = load("produc.csv")
	var r2, p2 []string
	var y2 []float64
	var rows []int
	for i := range reg {
		if reg[i] != "ALABAMA" {
			r2, p2, y2 = append(r2, reg[i]), append(p2, per[i]), append(y2, y[i])
			rows = append(rows, i)
		}
	}
	x2 := mat.NewDense(len(rows), 1, nil)
	for k, i := range rows {
		x2.Set(k, 0, x.At(i, 0))
	}
	if _, err := NewSpatialPanel(r2, p2, y2, x2, []string{"unemp"}, w); err == nil || !strings.Contains(err.Error(), "ALABAMA") {
		t.Errorf("want an error naming ALABAMA, got %v", err)
	}
}

// TestMaxEvalNoConvergence checks that a capped optimiser fails with
// ErrNoConvergence naming the cap and the last iterate, for the
// one-parameter models and SAC, and that a negative cap is refused.
func TestMaxEvalNoConvergence(t *testing.T) {
	w, _ := spatial.Lattice(8, 8, false)
	w, _ = w.Transform(spatial.RowStandardized)
	rng := rand.New(rand.NewPCG(11, 11))
	for _, m := range []SpatialModel{SAR, SEM, SDM, SDEM, SAC} {
		p := simulate(rng, w, 4, m, simTruths[m], "individual")
		_, err := FitSpatial(p, SpatialOptions{Model: m, Effects: "individual", W: w, MaxEval: 3, ImpactDraws: -1})
		if !errors.Is(err, ErrNoConvergence) || !strings.Contains(err.Error(), "after 3 evaluations") {
			t.Errorf("%s: error %v, want ErrNoConvergence after 3 evaluations", m, err)
		}
		if _, err := FitSpatial(p, SpatialOptions{Model: m, Effects: "individual", W: w, ImpactDraws: -1}); err != nil {
			t.Errorf("%s: default cap: %v", m, err)
		}
	}
	p := simulate(rng, w, 4, SAR, simTruths[SAR], "individual")
	if _, err := FitSpatial(p, SpatialOptions{Model: SAR, Effects: "individual", W: w, MaxEval: -1}); err == nil {
		t.Error("negative MaxEval accepted")
	}
}
