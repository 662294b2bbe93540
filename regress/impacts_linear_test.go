package regress

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/agglo/agglo/internal/sharedtest"
	"github.com/agglo/agglo/spatial"
)

// denseLinearImpacts is the independent check of the SLX/SDEM impacts:
// the N×N matrix of partial derivatives S_k = ∂y/∂x_kᵀ = β_k I + θ_k W
// built densely, its mean diagonal (direct) and mean row sum (total), and
// the variance of each effect from the gradient a = ∂effect/∂(β_k, θ_k)
// read off S_k at unit coefficients, aᵀVa with V the fit's covariance.
func denseLinearImpacts(w *spatial.Weights, r *Result, name string) (dir, ind, tot, seDir, seInd, seTot float64) {
	n := w.N()
	wd := w.Dense()
	bi, ti := -1, -1
	for i, c := range r.Coefficients {
		switch c.Name {
		case name:
			bi = i
		case "W*" + name:
			ti = i
		}
	}
	// effect(b, th) of S = bI + thW.
	effect := func(b, th float64) (d, t float64) {
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				s := th * wd.At(i, j)
				if i == j {
					s += b
				}
				if i == j {
					d += s
				}
				t += s
			}
		}
		return d / float64(n), t / float64(n)
	}
	b, th := r.Coefficients[bi].Estimate, 0.0
	if ti >= 0 {
		th = r.Coefficients[ti].Estimate
	}
	dir, tot = effect(b, th)
	ind = tot - dir
	// Gradients: the effects are linear, so the gradient is the effect of
	// the unit coefficient.
	gd1, gt1 := effect(1, 0)
	gd2, gt2 := effect(0, 1)
	v := func(g1, g2 float64) float64 {
		s := g1 * g1 * r.Vcov.At(bi, bi)
		if ti >= 0 {
			s += g2*g2*r.Vcov.At(ti, ti) + 2*g1*g2*r.Vcov.At(bi, ti)
		}
		return math.Sqrt(s)
	}
	return dir, ind, tot, v(gd1, gd2), v(gd1-gt1, gd2-gt2), v(gt1, gt2)
}

func effectByName(t *testing.T, es []Effect, name string) Effect {
	t.Helper()
	for _, e := range es {
		if e.Name == name {
			return e
		}
	}
	t.Fatalf("no effect %q in %v", name, es)
	return Effect{}
}

// TestLinearImpactsBinaryLattice: SLX and SDEM on a binary rook lattice of
// 5×6 = 30 regions (98 directed links), cross-section and panel with
// individual effects, against the dense computation of the mean diagonal
// and row sum of β I + θ W. The indirect effect is θ·98/30 = 3.27θ, not θ
// (reading W·x as the indirect effect understates it 3.27-fold).
func TestLinearImpactsBinaryLattice(t *testing.T) {
	w, err := spatial.Lattice(5, 6, false)
	if err != nil {
		t.Fatal(err)
	}
	if w.Style() == spatial.RowStandardized {
		t.Fatal("lattice weights are row-standardised; want binary")
	}
	s0, _, _ := w.Sums()
	if s0 != 98 {
		t.Fatalf("ΣΣw = %g, want 98", s0)
	}
	for _, tc := range []struct {
		model   SpatialModel
		periods int
		effects string
	}{
		{SLX, 1, "none"}, {SDEM, 1, "none"}, {SLX, 4, "individual"}, {SDEM, 4, "individual"}, {SDEM, 4, "twoways"},
	} {
		t.Run(string(tc.model)+"/"+tc.effects, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, uint64(tc.periods)))
			tr := simTruths[tc.model]
			tr.lambda = 0.15 // binary W: ρ(W) ≈ 3.7
			p := simulate(rng, w, tc.periods, tc.model, tr, tc.effects)
			r, err := FitSpatial(p, SpatialOptions{Model: tc.model, W: w, Effects: tc.effects})
			if err != nil {
				t.Fatal(err)
			}
			if r.Impacts == nil || r.Impacts.Inference != "exact" || len(r.Impacts.Total) != 2 {
				t.Fatalf("impacts %+v, want exact effects of x1 and x2", r.Impacts)
			}
			for _, name := range []string{"x1", "x2"} {
				dir, ind, tot, sd, si, st := denseLinearImpacts(w, r, name)
				gd := effectByName(t, r.Impacts.Direct, name)
				gi := effectByName(t, r.Impacts.Indirect, name)
				gt := effectByName(t, r.Impacts.Total, name)
				checkRel(t, "direct "+name, gd.Estimate, dir, 1e-12)
				checkRel(t, "indirect "+name, gi.Estimate, ind, 1e-12)
				checkRel(t, "total "+name, gt.Estimate, tot, 1e-12)
				checkRel(t, "direct se "+name, gd.StdError, sd, 1e-12)
				checkRel(t, "indirect se "+name, gi.StdError, si, 1e-12)
				checkRel(t, "total se "+name, gt.StdError, st, 1e-12)
				th := coefByName(t, r, "W*"+name)
				checkRel(t, "indirect/θ "+name, gi.Estimate/th.Estimate, 98.0/30, 1e-12)
				checkRel(t, "indirect se/θ se "+name, gi.StdError/th.StdError, 98.0/30, 1e-12)
			}
		})
	}
}

// TestLinearImpactsColumbusSDEM: under row-standardised W the SDEM's
// effects are direct β, indirect θ and total β + θ, with standard errors
// from the covariance; checked against spatialreg 1.2-6's errorsarlm(etype
// = "emixed") estimates and covariance (../shared/oracle/
// columbus_error_durbin.json): sqrt(V_ββ), sqrt(V_θθ), sqrt(V_ββ + V_θθ +
// 2V_βθ). Also checks that the effects reach the text summary, the JSON
// and the tables.
func TestLinearImpactsColumbusSDEM(t *testing.T) {
	sharedtest.Dir(t)
	w := readGAL(t, sharedtest.Data(t, "columbus.gal"))
	p := columbus(t, w)
	var ref refColumbus
	loadJSON(t, "columbus_error_durbin.json", &ref)
	r, err := FitSpatial(p, SpatialOptions{Model: SDEM, W: w})
	if err != nil {
		t.Fatal(err)
	}
	idx := map[string]int{}
	for i, nm := range ref.Vcov.Names {
		idx[nm] = i
	}
	est := map[string]float64{}
	for _, c := range ref.Coefficients {
		est[c.Name] = c.Estimate
	}
	v := func(a, b string) float64 { return ref.Vcov.Rows[idx[a]][idx[b]] }
	for _, x := range []string{"INC", "HOVAL"} {
		lx := "lag." + x
		checkRel(t, "direct "+x, effectByName(t, r.Impacts.Direct, x).Estimate, est[x], 1e-6)
		checkRel(t, "indirect "+x, effectByName(t, r.Impacts.Indirect, x).Estimate, est[lx], 1e-6)
		checkRel(t, "total "+x, effectByName(t, r.Impacts.Total, x).Estimate, est[x]+est[lx], 1e-6)
		checkRel(t, "direct se "+x, effectByName(t, r.Impacts.Direct, x).StdError, math.Sqrt(v(x, x)), 1e-6)
		checkRel(t, "indirect se "+x, effectByName(t, r.Impacts.Indirect, x).StdError, math.Sqrt(v(lx, lx)), 1e-6)
		checkRel(t, "total se "+x, effectByName(t, r.Impacts.Total, x).StdError, math.Sqrt(v(x, x)+v(lx, lx)+2*v(x, lx)), 1e-6)
	}
	var txt bytes.Buffer
	if err := r.WriteSummary(&txt); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(txt.String(), "Impacts (LeSage and Pace 2009; linear in the coefficients: exact standard errors)") {
		t.Errorf("summary has no exact impacts:\n%s", txt.String())
	}
	js, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Impacts *Impacts `json:"impacts"`
	}
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatal(err)
	}
	if back.Impacts == nil || back.Impacts.Inference != "exact" || len(back.Impacts.Indirect) != 2 {
		t.Errorf("JSON impacts %+v", back.Impacts)
	}
	var tab bytes.Buffer
	if err := WriteTable(&tab, TableMarkdown, []TableColumn{{Title: "SDEM", Result: r}}, TableOptions{}); err != nil {
		t.Fatal(err)
	}
	if i := strings.Index(tab.String(), "| **Indirect** |"); i < 0 || !strings.Contains(tab.String()[i:], "| INC | -1.197") {
		t.Errorf("table has no indirect effects:\n%s", tab.String())
	}
	// SEM has no W·x term: no impacts (they would repeat β).
	if r, err := FitSpatial(p, SpatialOptions{Model: SEM, W: w}); err != nil || r.Impacts != nil {
		t.Errorf("SEM impacts %+v, err %v", r.Impacts, err)
	}
}

// TestLinearImpactsInterceptLag: under binary W the spatial lag of the
// intercept (the number of neighbours) is not collinear with it and stays
// a regressor, but it has no effect row: only x1 and x2 have effects.
func TestLinearImpactsInterceptLag(t *testing.T) {
	w, err := spatial.Lattice(4, 4, false)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 3))
	p := simulate(rng, w, 1, SLX, simTruths[SLX], "none")
	r, err := FitSpatial(p, SpatialOptions{Model: SLX, W: w})
	if err != nil {
		t.Fatal(err)
	}
	coefByName(t, r, "W*(Intercept)")
	if len(r.Impacts.Direct) != 2 {
		t.Errorf("effects of %v, want x1 and x2 only", r.Impacts.Direct)
	}
}

// TestLinearImpactsSpatialreg: SLX (lmSLX) and SDEM (errorsarlm, etype
// "emixed") on Columbus under styles W and B against spatialreg 1.2-6's
// impacts() (testdata/spatialreg_slx_impacts.json, made by
// spatialreg_slx_impacts.R). Coefficients and standard errors agree to
// 1e-6. Under style W the effects and their standard errors agree too.
// Under style B spatialreg 1.2-6 reports θ as the indirect effect; the
// average indirect effect is θ·1ᵀW1/N = θ·230/49, which is ours: the test
// checks ours is spatialreg's times 230/49 (estimate and standard error),
// the direct effects equal, and the total β + θ·230/49.
func TestLinearImpactsSpatialreg(t *testing.T) {
	wW := readGAL(t, sharedtest.Data(t, "columbus.gal"))
	wB, err := wW.Transform(spatial.Binary)
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Cases map[string]struct {
			Coefficients []refCoef `json:"coefficients"`
			Impacts      refImpacts
		} `json:"cases"`
	}
	loadTestdata(t, "spatialreg_slx_impacts.json", &ref)
	if len(ref.Cases) != 4 {
		t.Fatalf("%d cases, want 4", len(ref.Cases))
	}
	for name, rc := range ref.Cases {
		t.Run(name, func(t *testing.T) {
			model, style, _ := strings.Cut(name, "_")
			w := wW
			if style == "B" {
				w = wB
			}
			r, err := FitSpatial(columbus(t, w), SpatialOptions{Model: SpatialModel(model), W: w})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range rc.Coefficients {
				nm := strings.Replace(strings.Replace(c.Name, "lag..Intercept.", "W*(Intercept)", 1), "lag.", "W*", 1)
				g := coefByName(t, r, nm)
				checkRel(t, nm, g.Estimate, c.Estimate, 1e-6)
				checkRel(t, nm+" std error", g.StdError, c.StdError, 1e-6)
			}
			scale := 1.0
			if style == "B" {
				scale = 230.0 / 49
			}
			for i, d := range rc.Impacts.Direct {
				x := d.Name
				in, tot := rc.Impacts.Indirect[i], rc.Impacts.Total[i]
				gd := effectByName(t, r.Impacts.Direct, x)
				gi := effectByName(t, r.Impacts.Indirect, x)
				gt := effectByName(t, r.Impacts.Total, x)
				checkRel(t, "direct "+x, gd.Estimate, d.Estimate, 1e-6)
				checkRel(t, "direct se "+x, gd.StdError, d.StdError, 1e-6)
				checkRel(t, "indirect "+x, gi.Estimate, scale*in.Estimate, 1e-6)
				checkRel(t, "indirect se "+x, gi.StdError, scale*in.StdError, 1e-6)
				if style == "W" {
					checkRel(t, "total "+x, gt.Estimate, tot.Estimate, 1e-6)
					checkRel(t, "total se "+x, gt.StdError, tot.StdError, 1e-6)
				} else {
					checkRel(t, "total "+x, gt.Estimate, d.Estimate+scale*in.Estimate, 1e-6)
				}
			}
		})
	}
}
