package regress

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"
)

// helmert returns the n×(n−1) Helmert contrasts: orthonormal columns
// orthogonal to 1_n, an F_{n,n−1} of Lee and Yu (2010).
func helmert(n int) *mat.Dense {
	f := mat.NewDense(n, n-1, nil)
	for j := 1; j < n; j++ {
		s := 1 / math.Sqrt(float64(j*(j+1)))
		for i := 0; i < j; i++ {
			f.Set(i, j-1, s)
		}
		f.Set(j, j-1, -float64(j)*s)
	}
	return f
}

// leeYuTransform returns the data of p transformed as in Lee and Yu
// (2010, sec. 4): y** = (F_T ⊗ F_N)ᵀy and X** likewise, (N−1)T' rows
// stacked period-major, and W* = F_NᵀWF_N (dense, with a diagonal). With
// time effects alone F_T is the identity and T' = T, else T' = T − 1.
func leeYuTransform(p *SpatialPanel, w *spatial.Weights, effects string) ([]float64, *mat.Dense, *mat.Dense) {
	n, tt := p.N, p.T
	fn, ft := helmert(n), helmert(tt)
	te := tt - 1
	if effects == "time" {
		ft, te = mat.NewDense(tt, tt, nil), tt
		for s := 0; s < tt; s++ {
			ft.Set(s, s, 1)
		}
	}
	tr := func(v []float64) []float64 {
		out := make([]float64, (n-1)*te)
		for s := 0; s < te; s++ {
			for i := 0; i < n-1; i++ {
				var a float64
				for u := 0; u < tt; u++ {
					for r := 0; r < n; r++ {
						a += ft.At(u, s) * fn.At(r, i) * v[u*n+r]
					}
				}
				out[s*(n-1)+i] = a
			}
		}
		return out
	}
	_, k := p.X.Dims()
	x := mat.NewDense((n-1)*te, k, nil)
	for j := 0; j < k; j++ {
		x.SetCol(j, tr(mat.Col(nil, j, p.X)))
	}
	var ws, wstar mat.Dense
	ws.Mul(fn.T(), w.Dense())
	wstar.Mul(&ws, fn)
	return tr(p.Y), x, &wstar
}

// denseTransformedFit evaluates, densely and from the definitions, the
// pooled Gaussian model on transformed data at the parameter a (ρ or λ):
// β̂(a), σ̂²(a), ℓ(a) = T'·ln|I − aW*| − n/2 (ln 2πσ̂² + 1), and the
// standard errors of (β, a) from the inverse information matrix (Anselin
// 1988): lag model I_σσ = n/(2σ⁴), I_σa = T' tr G/σ², I_aa = T'(tr G² +
// tr GᵀG) + |GXβ|²/σ², I_aβ = Xᵀ(GXβ)/σ², I_ββ = XᵀX/σ²; error model the
// same with H = W*(I − λW*)⁻¹, no |·|² term and β block (BX)ᵀ(BX)/σ².
func denseTransformedFit(y []float64, x, wstar *mat.Dense, periods int, lag bool, a float64) (beta []float64, s2, ll float64, se []float64) {
	m, _ := wstar.Dims()
	nobs, k := x.Dims()
	eye := func() *mat.Dense {
		e := mat.NewDense(m, m, nil)
		for i := 0; i < m; i++ {
			e.Set(i, i, 1)
		}
		return e
	}
	b := eye()
	var aw mat.Dense
	aw.Scale(a, wstar)
	b.Sub(b, &aw) // I − aW*
	per := func(v []float64, f func(dst, src *mat.VecDense)) []float64 {
		out := make([]float64, len(v))
		for s := 0; s < periods; s++ {
			f(mat.NewVecDense(m, out[s*m:(s+1)*m]), mat.NewVecDense(m, v[s*m:(s+1)*m]))
		}
		return out
	}
	mulB := func(v []float64) []float64 {
		return per(v, func(d, s *mat.VecDense) { d.MulVec(b, s) })
	}
	ys := mulB(y)
	xs := mat.DenseCopyOf(x)
	if !lag {
		for j := 0; j < k; j++ {
			xs.SetCol(j, mulB(mat.Col(nil, j, x)))
		}
	}
	var qr mat.QR
	qr.Factorize(xs)
	var bv mat.Dense
	if err := qr.SolveTo(&bv, false, mat.NewDense(nobs, 1, ys)); err != nil {
		panic(err)
	}
	beta = mat.Col(nil, 0, &bv)
	var sse float64
	for i := 0; i < nobs; i++ {
		r := ys[i]
		for j := 0; j < k; j++ {
			r -= xs.At(i, j) * beta[j]
		}
		sse += r * r
	}
	nf := float64(nobs)
	s2 = sse / nf
	var lu mat.LU
	lu.Factorize(b)
	ldet, _ := lu.LogDet()
	ll = float64(periods)*ldet - nf/2*(math.Log(2*math.Pi*s2)+1)
	var binv, g mat.Dense
	if err := binv.Inverse(b); err != nil {
		panic(err)
	}
	g.Mul(wstar, &binv)
	var g2, gtg mat.Dense
	g2.Mul(&g, &g)
	gtg.Mul(g.T(), &g)
	tp := float64(periods)
	info := mat.NewSymDense(k+2, nil) // (σ², a, β)
	info.SetSym(0, 0, nf/(2*s2*s2))
	info.SetSym(0, 1, tp*mat.Trace(&g)/s2)
	info.SetSym(1, 1, tp*(mat.Trace(&g2)+mat.Trace(&gtg)))
	if lag {
		xb := make([]float64, nobs)
		for i := range xb {
			for j := 0; j < k; j++ {
				xb[i] += x.At(i, j) * beta[j]
			}
		}
		gxb := per(xb, func(d, s *mat.VecDense) { d.MulVec(&g, s) })
		info.SetSym(1, 1, info.At(1, 1)+dot(gxb, gxb)/s2)
		for j := 0; j < k; j++ {
			info.SetSym(1, j+2, dot(mat.Col(nil, j, x), gxb)/s2)
		}
	}
	for i := 0; i < k; i++ {
		for j := i; j < k; j++ {
			info.SetSym(i+2, j+2, dot(mat.Col(nil, i, xs), mat.Col(nil, j, xs))/s2)
		}
	}
	var v mat.Dense
	if err := v.Inverse(info); err != nil {
		panic(err)
	}
	for j := 0; j < k; j++ {
		se = append(se, math.Sqrt(v.At(j+2, j+2)))
	}
	se = append(se, math.Sqrt(v.At(1, 1)))
	return beta, s2, ll, se
}

// TestLeeYuTimeTransformation checks the default fit with two-way and
// with time fixed effects (Lee and Yu's 2010 transformation approach)
// against its definition on the data transformed by Helmert matrices F_T
// (two-way only) and F_N, with W* = F_NᵀWF_N, evaluated densely: the
// likelihood is stationary at the estimate, and β, σ², the log-likelihood
// and every standard error agree (SAR, SDM, SEM, SDEM; row-standardised
// rook weights, not symmetric).
func TestLeeYuTimeTransformation(t *testing.T) {
	w, _ := spatial.Lattice(5, 6, false)
	w, _ = w.Transform(spatial.RowStandardized)
	rng := rand.New(rand.NewPCG(20, 10))
	for _, tc := range []struct {
		m       SpatialModel
		effects string
	}{{SAR, "twoways"}, {SDM, "twoways"}, {SEM, "twoways"}, {SDEM, "twoways"}, {SAR, "time"}, {SDM, "time"}, {SEM, "time"}, {SDEM, "time"}} {
		m, effects := tc.m, tc.effects
		t.Run(string(m)+"/"+effects, func(t *testing.T) {
			p := simulate(rng, w, 4, m, simTruths[m], effects)
			got, err := FitSpatial(p, SpatialOptions{Model: m, Effects: effects, W: w, ImpactDraws: -1})
			if err != nil {
				t.Fatal(err)
			}
			if got.Options["lee_yu"] != true {
				t.Fatalf("lee_yu %v", got.Options["lee_yu"])
			}
			q := p
			if m == SDM || m == SDEM {
				q = durbinPanel(p, w) // W·X of the original data, transformed with the rest
			}
			y, x, wstar := leeYuTransform(q, w, effects)
			te := p.T - 1
			if effects == "time" {
				te = p.T
			}
			lag := m == SAR || m == SDM
			k := len(got.Coefficients) - 1
			a := got.Coefficients[k].Estimate
			beta, s2, ll, se := denseTransformedFit(y, x, wstar, te, lag, a)
			const h = 1e-5
			_, _, llp, _ := denseTransformedFit(y, x, wstar, te, lag, a+h)
			_, _, llm, _ := denseTransformedFit(y, x, wstar, te, lag, a-h)
			if d := (llp - llm) / (2 * h); math.Abs(d) > 1e-4 {
				t.Errorf("transformed likelihood not stationary at %g: slope %g", a, d)
			}
			for j := 0; j <= k; j++ {
				c := got.Coefficients[j]
				if j < k && !scalar.EqualWithinRel(c.Estimate, beta[j], 1e-8) || !scalar.EqualWithinRel(c.StdError, se[j], 1e-8) {
					est := a
					if j < k {
						est = beta[j]
					}
					t.Errorf("%s: %.10g (%.10g), transformed %.10g (%.10g)", c.Name, c.Estimate, c.StdError, est, se[j])
				}
			}
			if !scalar.EqualWithinRel(got.Sigma2, s2, 1e-9) || !scalar.EqualWithinRel(*got.LogLik, ll, 1e-10) {
				t.Errorf("σ² %.10g, loglik %.10g; transformed %.10g, %.10g", got.Sigma2, *got.LogLik, s2, ll)
			}
		})
	}
}

// durbinPanel appends the columns W·x (period by period) named W*x.
func durbinPanel(p *SpatialPanel, w *spatial.Weights) *SpatialPanel {
	r, k := p.X.Dims()
	x := mat.NewDense(r, 2*k, nil)
	names := append([]string(nil), p.Names...)
	for j := 0; j < k; j++ {
		c := mat.Col(nil, j, p.X)
		x.SetCol(j, c)
		x.SetCol(k+j, lagPanel(w, c, p.N, p.T))
		names = append(names, "W*"+p.Names[j])
	}
	q := *p
	q.X, q.Names = x, names
	return &q
}

// TestLeeYuNeedsUnitRowSums checks that time and two-way effects with
// weights whose rows do not sum to 1 (style C) are fitted uncorrected,
// with messages saying why and how biased σ² is, while individual effects
// are still corrected; and that NoLeeYu with SplmLeeYu is an error.
func TestLeeYuNeedsUnitRowSums(t *testing.T) {
	w, _ := spatial.Lattice(5, 6, false)
	c, err := spatial.ParseStyle("C")
	if err != nil {
		t.Fatal(err)
	}
	if w, err = w.Transform(c); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for _, eff := range []string{"individual", "time", "twoways"} {
		p := simulate(rng, w, 4, SAR, simTruths[SAR], eff)
		r, err := FitSpatial(p, SpatialOptions{Model: SAR, Effects: eff, W: w, ImpactDraws: -1})
		if err != nil {
			t.Fatal(err)
		}
		msgs := strings.Join(r.Messages, "\n")
		if eff == "individual" {
			if r.Options["lee_yu"] != true {
				t.Errorf("individual: lee_yu %v", r.Options["lee_yu"])
			}
			continue
		}
		if r.Options["lee_yu"] != false || !strings.Contains(msgs, "rows all sum to 1") {
			t.Errorf("%s: lee_yu %v, messages %q", eff, r.Options["lee_yu"], msgs)
		}
		if eff == "twoways" && !strings.Contains(msgs, "biased down by the factor 0.725") { // (29/30)(3/4)
			t.Errorf("%s: no bias note in %q", eff, msgs)
		}
	}
	p := simulate(rng, w, 4, SAR, simTruths[SAR], "individual")
	if _, err := FitSpatial(p, SpatialOptions{Model: SAR, Effects: "individual", W: w, NoLeeYu: true, SplmLeeYu: true}); err == nil {
		t.Error("NoLeeYu with SplmLeeYu accepted")
	}
}
