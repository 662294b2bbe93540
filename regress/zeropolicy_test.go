package regress

import (
	"math"
	"strings"
	"testing"

	"github.com/agglo/agglo/internal/sharedtest"
	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/mat"
)

// withIslands returns w without any link from or to the regions ids
// (they become islands), row-standardised again (an island's row stays
// zero, as spdep's nb2listw(zero.policy = TRUE)).
func withIslands(t testing.TB, w *spatial.Weights, ids ...string) *spatial.Weights {
	t.Helper()
	drop := map[int]bool{}
	for _, id := range ids {
		i, ok := w.Index(id)
		if !ok {
			t.Fatalf("no region %s", id)
		}
		drop[i] = true
	}
	var links []spatial.Link
	for _, l := range w.Links() {
		if !drop[l.From] && !drop[l.To] {
			l.Weight = 1
			links = append(links, l)
		}
	}
	out, err := spatial.NewWeights(w.IDs(), links)
	if err != nil {
		t.Fatal(err)
	}
	if out, err = out.Transform(spatial.RowStandardized); err != nil {
		t.Fatal(err)
	}
	return out
}

// denseSpatialML is the independent reference of the zero-policy fits: the
// SAR or SEM likelihood evaluated densely (no eigenvalues, no Gram
// matrices), ln|I − ρW| from an LU factorisation of the dense I − ρW, the
// period-by-period lag and the regression by QR, maximised by golden
// section over (−0.99, 0.99) to 1e-11. It returns the spatial parameter,
// β, σ² = SSE/NT and the log-likelihood.
func denseSpatialML(w *spatial.Weights, p *SpatialPanel, effects string, errorModel bool) (par float64, beta []float64, s2, ll float64) {
	n, t := p.N, p.T
	nt := n * t
	wd := w.Dense()
	y := demean(p.Y, n, t, effects)
	_, k := p.X.Dims()
	var xs [][]float64
	for j := 0; j < k; j++ {
		c := demean(mat.Col(nil, j, p.X), n, t, effects)
		if dot(c, c) > 1e-12 {
			xs = append(xs, c)
		}
	}
	lag := func(v []float64) []float64 {
		out := make([]float64, nt)
		for s := 0; s < t; s++ {
			var lv mat.VecDense
			lv.MulVec(wd, mat.NewVecDense(n, v[s*n:(s+1)*n]))
			copy(out[s*n:], lv.RawVector().Data)
		}
		return out
	}
	logdet := func(r float64) float64 {
		a := mat.NewDense(n, n, nil)
		a.Scale(-r, wd)
		for i := 0; i < n; i++ {
			a.Set(i, i, a.At(i, i)+1)
		}
		var lu mat.LU
		lu.Factorize(a)
		l, sign := lu.LogDet()
		if sign < 0 {
			return math.Inf(-1)
		}
		return l
	}
	fit := func(r float64) ([]float64, float64, float64) {
		yr := append([]float64(nil), y...)
		wy := lag(y)
		for i := range yr {
			yr[i] -= r * wy[i]
		}
		xr := xs
		if errorModel {
			xr = make([][]float64, len(xs))
			for j, c := range xs {
				wc := lag(c)
				xr[j] = make([]float64, nt)
				for i := range c {
					xr[j][i] = c[i] - r*wc[i]
				}
			}
		}
		xm := mat.NewDense(nt, len(xr), nil)
		for j, c := range xr {
			xm.SetCol(j, c)
		}
		var qr mat.QR
		qr.Factorize(xm)
		var b mat.Dense
		if err := qr.SolveTo(&b, false, mat.NewDense(nt, 1, yr)); err != nil {
			panic(err)
		}
		var fitted mat.Dense
		fitted.Mul(xm, &b)
		var sse float64
		for i := range yr {
			e := yr[i] - fitted.At(i, 0)
			sse += e * e
		}
		ntf := float64(nt)
		ll := -ntf/2*(math.Log(2*math.Pi*sse/ntf)+1) + float64(t)*logdet(r)
		return mat.Col(nil, 0, &b), sse / ntf, ll
	}
	negll := func(r float64) float64 { _, _, l := fit(r); return -l }
	a, b := -0.99, 0.99
	g := (math.Sqrt(5) - 1) / 2
	c, d := b-g*(b-a), a+g*(b-a)
	fc, fd := negll(c), negll(d)
	for b-a > 1e-11 {
		if fc < fd {
			b, d, fd = d, c, fc
			c = b - g*(b-a)
			fc = negll(c)
		} else {
			a, c, fc = c, d, fd
			d = a + g*(b-a)
			fd = negll(d)
		}
	}
	par = (a + b) / 2
	beta, s2, ll = fit(par)
	return par, beta, s2, ll
}

// TestZeroPolicyColumbus: Columbus with regions 1 and 20 cut off (their
// links removed, so W has two zero rows), fitted with the zero policy, as
// spatialreg's zero.policy = TRUE. Without the policy the fit is refused
// naming the islands; with it the note names them, and SAR and SEM match
// the dense likelihood of denseSpatialML (ρ, λ, β to 1e-6, log-likelihood
// to 1e-9), cross-section and as a panel (Columbus stacked three times
// with individual effects, the periods perturbed), and the SAR impacts
// match the dense tr((I−ρW)⁻¹)/N and 1ᵀ(I−ρW)⁻¹1/N, the islands
// contributing only their own (direct) effect.
func TestZeroPolicyColumbus(t *testing.T) {
	sharedtest.Dir(t)
	w0 := readGAL(t, sharedtest.Data(t, "columbus.gal"))
	p := columbus(t, w0)
	w := withIslands(t, w0, "1", "20")
	if got := len(w.Islands()); got != 2 {
		t.Fatalf("%d islands, want 2", got)
	}
	for _, m := range []SpatialModel{SAR, SEM, SDM, SDEM, SLX, SAC} {
		_, err := FitSpatial(p, SpatialOptions{Model: m, W: w, ImpactDraws: -1})
		if err == nil || !strings.Contains(err.Error(), "2 region(s) without neighbours (islands), e.g. 1, 20") {
			t.Errorf("%s without zero policy: err %v, want the islands named", m, err)
		}
		r, err := FitSpatial(p, SpatialOptions{Model: m, W: w, ZeroPolicy: true, ImpactDraws: 200})
		if err != nil {
			t.Errorf("%s with zero policy: %v", m, err)
			continue
		}
		found := false
		for _, msg := range r.Messages {
			found = found || strings.Contains(msg, "zero policy: 2 region(s) without neighbours (islands): 1, 20")
		}
		if !found {
			t.Errorf("%s: no note naming the islands in %q", m, r.Messages)
		}
		if m != SEM && r.Impacts == nil {
			t.Errorf("%s: no impacts", m)
		}
	}
	// A panel: three periods of Columbus, y and x perturbed per period.
	pp := &SpatialPanel{N: p.N, T: 3, Names: []string{"INC", "HOVAL"}, Y: make([]float64, 3*p.N), X: mat.NewDense(3*p.N, 2, nil)}
	for s := 0; s < 3; s++ {
		for i := 0; i < p.N; i++ {
			k := s*p.N + i
			f := 1 + 0.1*float64(s) + 0.01*math.Sin(float64(7*i+s))
			pp.Y[k] = p.Y[i] * f
			pp.X.Set(k, 0, p.X.At(i, 1)*(1+0.05*math.Cos(float64(3*i+5*s))))
			pp.X.Set(k, 1, p.X.At(i, 2)*(1+0.05*math.Sin(float64(11*i+s))))
		}
	}
	for _, tc := range []struct {
		name    string
		p       *SpatialPanel
		effects string
	}{{"cross-section", p, "none"}, {"panel", pp, "individual"}} {
		for _, m := range []SpatialModel{SAR, SEM} {
			t.Run(tc.name+"/"+string(m), func(t *testing.T) {
				r, err := FitSpatial(tc.p, SpatialOptions{Model: m, W: w, Effects: tc.effects, ZeroPolicy: true, ImpactDraws: 100, NoLeeYu: true}) // the dense reference is uncorrected ML
				if err != nil {
					t.Fatal(err)
				}
				par, beta, s2, ll := denseSpatialML(w, tc.p, tc.effects, m == SEM)
				name := "rho"
				if m == SEM {
					name = "lambda"
				}
				checkRel(t, name, coefByName(t, r, name).Estimate, par, 1e-6)
				for j, b := range beta {
					checkRel(t, r.Coefficients[j].Name, r.Coefficients[j].Estimate, b, 1e-6)
				}
				checkRel(t, "sigma2", r.Sigma2, s2, 1e-6)
				checkRel(t, "loglik", *r.LogLik, ll, 1e-9)
				if m != SAR {
					return
				}
				// Impacts at the estimate: dense multipliers.
				rho := coefByName(t, r, "rho").Estimate
				n := w.N()
				a := mat.NewDense(n, n, nil)
				a.Scale(-rho, w.Dense())
				for i := 0; i < n; i++ {
					a.Set(i, i, a.At(i, i)+1)
				}
				var inv mat.Dense
				if err := inv.Inverse(a); err != nil {
					t.Fatal(err)
				}
				var tot float64
				for i := 0; i < n; i++ {
					for j := 0; j < n; j++ {
						tot += inv.At(i, j)
					}
				}
				dir := mat.Trace(&inv) / float64(n)
				tot /= float64(n)
				for _, x := range []string{"INC", "HOVAL"} {
					b := coefByName(t, r, x).Estimate
					checkRel(t, "direct "+x, effectByName(t, r.Impacts.Direct, x).Estimate, b*dir, 1e-10)
					checkRel(t, "total "+x, effectByName(t, r.Impacts.Total, x).Estimate, b*tot, 1e-10)
				}
			})
		}
	}
}

// TestZeroPolicyLinearImpacts: with islands under row-standardised W,
// 1ᵀW1/N = (N − #islands)/N < 1, so the SLX indirect effect is θ·47/49,
// not θ.
func TestZeroPolicyLinearImpacts(t *testing.T) {
	sharedtest.Dir(t)
	w0 := readGAL(t, sharedtest.Data(t, "columbus.gal"))
	p := columbus(t, w0)
	w := withIslands(t, w0, "1", "20")
	r, err := FitSpatial(p, SpatialOptions{Model: SLX, W: w, ZeroPolicy: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []string{"INC", "HOVAL"} {
		dir, ind, tot, _, _, _ := denseLinearImpacts(w, r, x)
		checkRel(t, "direct "+x, effectByName(t, r.Impacts.Direct, x).Estimate, dir, 1e-12)
		checkRel(t, "indirect "+x, effectByName(t, r.Impacts.Indirect, x).Estimate, ind, 1e-12)
		checkRel(t, "total "+x, effectByName(t, r.Impacts.Total, x).Estimate, tot, 1e-12)
		checkRel(t, "indirect/θ "+x, effectByName(t, r.Impacts.Indirect, x).Estimate/coefByName(t, r, "W*"+x).Estimate, 47.0/49, 1e-12)
	}
}

// TestZeroPolicyLogDetTraces: with islands under row-standardised W every
// log-determinant method agrees with the dense eigenvalues (Cholesky to
// 1e-12, Chebyshev within its stated error bound), and the total
// multiplier 1ᵀ(I−ρW)⁻¹1/N is ((N−m)/(1−ρ) + m)/N for m islands (an
// island's row of (I−ρW)⁻¹ is its unit row), for exact and stochastic
// traces alike.
func TestZeroPolicyLogDetTraces(t *testing.T) {
	sharedtest.Dir(t)
	w := withIslands(t, readGAL(t, sharedtest.Data(t, "columbus.gal")), "1", "20")
	ex, err := spatial.NewEigenLogDet(w)
	if err != nil {
		t.Fatal(err)
	}
	const rho = 0.5
	wantTot := (47/(1-rho) + 2) / 49
	for _, m := range []string{"eigen", "cholesky", "chebyshev"} {
		ld, tr, err := LargeN(w, m, spatial.LogDetOptions{Seed: 1})
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		for _, r := range []float64{-0.5, rho, 0.9} {
			got, want := ld.LogDet(r), ex.LogDet(r)
			if !(math.Abs(got-want) <= math.Max(ld.ErrorBound(), 1e-12*math.Abs(want))) {
				t.Errorf("%s: ln|I − %gW| = %.12g, eigen %.12g (bound %g)", m, r, got, want, ld.ErrorBound())
			}
		}
		dir, dw, tot, tw := make([]float64, 1), make([]float64, 1), make([]float64, 1), make([]float64, 1)
		if err := tr.Multipliers([]float64{rho}, dir, dw, tot, tw); err != nil {
			t.Fatal(err)
		}
		checkRel(t, m+" total multiplier", tot[0], wantTot, 1e-12)
		checkRel(t, m+" total W multiplier", tw[0], (wantTot-1)/rho, 1e-12)
	}
}

// TestZeroPolicySpatialreg: Columbus with regions 1 and 20 made islands,
// against spatialreg 1.2-6 with zero.policy = TRUE
// (testdata/spatialreg_islands.json, made by spatialreg_islands.R):
// coefficients, standard errors, ρ, λ, σ² and log-likelihood of lagsarlm,
// errorsarlm, the Durbin forms (type "mixed", etype "emixed"), sacsarlm
// (also with the islands only in listw2, the error weights) and lmSLX to
// 1e-6, the direct impacts, and spdep 1.2-7's
// lm.LMtests(zero.policy = TRUE) to 1e-8. spatialreg's total impact
// of a lag model is β/(1−ρ) whatever the islands (it assumes every row of
// W sums to one); the exact 1ᵀ(I−ρW)⁻¹1/N is ((N−m)/(1−ρ) + m)/N with m
// islands (an island's row of (I−ρW)⁻¹ is its unit row), which is what we
// report: the test checks both facts for the SAR.
func TestZeroPolicySpatialreg(t *testing.T) {
	w0 := readGAL(t, sharedtest.Data(t, "columbus.gal"))
	w := withIslands(t, w0, "1", "20")
	p := columbus(t, w)
	var ref struct {
		Cases   map[string]refColumbus `json:"cases"`
		LMTests map[string]any         `json:"lm_tests"`
	}
	loadTestdata(t, "spatialreg_islands.json", &ref)
	// spdep's lm.LMtests(zero.policy = TRUE): the LM tests every spatial
	// fit carries.
	lm, err := FitSpatial(p, SpatialOptions{Model: SAR, W: w, ZeroPolicy: true, ImpactDraws: -1})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"LMerr", "LMlag", "RLMerr", "RLMlag", "SARMA"} {
		want, ok := ref.LMTests[k].(float64)
		if !ok {
			t.Fatalf("no %s in the reference", k)
		}
		checkRel(t, k, lm.Tests[k].Statistic, want, 1e-8)
	}
	models := map[string]SpatialModel{"lag": SAR, "error": SEM, "durbin": SDM, "error_durbin": SDEM, "sac": SAC, "slx": SLX, "sac_error_weights": SAC}
	if len(ref.Cases) != len(models) {
		t.Fatalf("%d cases, want %d", len(ref.Cases), len(models))
	}
	for name, rc := range ref.Cases {
		t.Run(name, func(t *testing.T) {
			opt := SpatialOptions{Model: models[name], W: w, ZeroPolicy: true, ImpactDraws: 100}
			if name == "sac_error_weights" {
				// The islands only in the error process's weights.
				opt.W, opt.W2 = w0, w
			}
			r, err := FitSpatial(p, opt)
			if err != nil {
				t.Fatal(err)
			}
			// The same terms as spatialreg (no W*(Intercept) under
			// style W) plus ρ and λ, which R lists apart.
			want := len(rc.Coefficients)
			if rc.Rho != nil {
				want++
			}
			if rc.Lambda != nil {
				want++
			}
			if len(r.Coefficients) != want {
				t.Errorf("%d coefficients %v, want %d", len(r.Coefficients), r.Coefficients, want)
			}
			for _, c := range rc.Coefficients {
				g := coefByName(t, r, strings.Replace(c.Name, "lag.", "W*", 1))
				checkRel(t, c.Name, g.Estimate, c.Estimate, 1e-6)
				checkRel(t, c.Name+" std error", g.StdError, c.StdError, 1e-6)
			}
			for _, sp := range []struct {
				name string
				ref  *refCoef
			}{{"rho", rc.Rho}, {"lambda", rc.Lambda}} {
				if sp.ref != nil {
					g := coefByName(t, r, sp.name)
					checkRel(t, sp.name, g.Estimate, sp.ref.Estimate, 1e-6)
					checkRel(t, sp.name+" std error", g.StdError, sp.ref.StdError, 1e-6)
				}
			}
			if rc.LogLik != 0 {
				checkRel(t, "loglik", *r.LogLik, rc.LogLik, 1e-8)
				checkRel(t, "sigma2", r.Sigma2, rc.Sigma2, 1e-6)
			}
			if rc.Impacts == nil {
				return
			}
			for i, e := range rc.Impacts.Direct {
				checkRel(t, "direct "+e.Name, effectByName(t, r.Impacts.Direct, e.Name).Estimate, e.Estimate, 1e-6)
				if name != "lag" {
					continue
				}
				b := coefByName(t, r, e.Name).Estimate
				rho := coefByName(t, r, "rho").Estimate
				checkRel(t, "spatialreg total "+e.Name+" = β/(1−ρ)", rc.Impacts.Total[i].Estimate, b/(1-rho), 1e-6)
				checkRel(t, "total "+e.Name, effectByName(t, r.Impacts.Total, e.Name).Estimate, b*(47/(1-rho)+2)/49, 1e-10)
			}
		})
	}
}
