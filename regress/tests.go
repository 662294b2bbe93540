package regress

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"
)

// Hausman compares a consistent (fixed-effects) and an efficient
// (random-effects) fit on their common coefficients, the intercept aside
// (Hausman 1978):
//
//	H = (b_c − b_e)' (V_c − V_e)⁻¹ (b_c − b_e) ~ χ²(k)
//
// with the covariances stored in the results (use classical ones, as plm's
// phtest does). A singular V_c − V_e is an error.
func Hausman(consistent, efficient *Result) (Test, error) {
	h, k, err := hausman(consistent, efficient, func(string) bool { return false })
	if err != nil {
		return Test{}, err
	}
	return Test{Name: "Hausman test (fe vs re)", Statistic: h, DF: []float64{float64(k)},
		PValue: distuv.ChiSquared{K: float64(k)}.Survival(h), Distribution: "chisq"}, nil
}

// SpatialHausman is the Hausman test of a spatial panel model with
// individual random effects against the same model with individual fixed
// effects (Mutl and Pfaffermayr 2011, Econometrics J. 14:48–76), on the
// slope coefficients the two share (not ρ, λ, φ or the intercept), as
// splm's sphtest for ML fits computes it:
//
//	H = |(β_FE − β_RE)ᵀ (V_FE − V_RE)⁻¹ (β_FE − β_RE)| ~ χ²(k)
//
// (splm writes V_RE − V_FE inside the absolute value: the same number),
// with V_RE the GLS covariance of β given the variance parameters. A large
// H rejects the random effects (one model is inconsistent). splm's numbers
// need the fixed-effects fit uncorrected (NoLeeYu) and the random-effects
// one with RandomVcov "splm"; the default Lee–Yu fit, whose V_FE is not
// understated by (T−1)/T, is the better basis for the test.
func SpatialHausman(fe, re *Result) (Test, error) {
	if fe.Effects != "individual" || re.Effects != "random" {
		return Test{}, fmt.Errorf("spatial hausman: want a model with individual fixed effects and one with random effects, got %q and %q", fe.Effects, re.Effects)
	}
	if fe.Model != re.Model {
		return Test{}, fmt.Errorf("spatial hausman: the models differ (%s and %s)", fe.Model, re.Model)
	}
	h, k, err := hausman(fe, re, func(nm string) bool { return nm == "rho" || nm == "lambda" || nm == "phi" })
	if err != nil {
		return Test{}, fmt.Errorf("spatial %w", err)
	}
	h = math.Abs(h)
	return Test{Name: "Spatial Hausman test (fixed vs random effects)", Statistic: h, DF: []float64{float64(k)},
		PValue: distuv.ChiSquared{K: float64(k)}.Survival(h), Distribution: "chisq"}, nil
}

// hausman returns the Hausman statistic on the coefficients both models
// have (not the intercept, nor those skip names) and their number.
func hausman(consistent, efficient *Result, skip func(string) bool) (float64, int, error) {
	var ic, ie []int
	for a, c := range consistent.Coefficients {
		if c.Name == "(Intercept)" || skip(c.Name) {
			continue
		}
		if b := slices.IndexFunc(efficient.Coefficients, func(x Coefficient) bool { return x.Name == c.Name }); b >= 0 {
			ic = append(ic, a)
			ie = append(ie, b)
		}
	}
	k := len(ic)
	if k == 0 {
		return 0, 0, fmt.Errorf("hausman: no common coefficients")
	}
	if consistent.Vcov == nil || efficient.Vcov == nil {
		return 0, 0, fmt.Errorf("hausman: a model has no covariance matrix")
	}
	d := mat.NewVecDense(k, nil)
	v := mat.NewSymDense(k, nil)
	for a := 0; a < k; a++ {
		d.SetVec(a, consistent.Coefficients[ic[a]].Estimate-efficient.Coefficients[ie[a]].Estimate)
		for b := a; b < k; b++ {
			v.SetSym(a, b, consistent.Vcov.At(ic[a], ic[b])-efficient.Vcov.At(ie[a], ie[b]))
		}
	}
	// As plm's phtest: solve with the difference as it is, which need not
	// be positive definite in finite samples.
	var s mat.VecDense
	if err := s.SolveVec(v, d); err != nil {
		return 0, 0, fmt.Errorf("hausman: the difference of the covariances is singular: %w", err)
	}
	return mat.Dot(d, &s), k, nil
}

// BreuschPagan is the Lagrange multiplier test for individual random
// effects on the residuals e of pooled OLS (Breusch and Pagan 1980; the
// unbalanced form of Baltagi and Li 1990, as plm's plmtest type "bp"):
//
//	LM = n² / (2 Σ_i T_i (T_i − 1)) · (Σ_i (Σ_t e_it)² / Σ e_it² − 1)² ~ χ²(1)
func BreuschPagan(d *Design) (Test, error) {
	o, _, err := olsFit(d.Y, d.X, d.Names, nil, true, "")
	if err != nil {
		return Test{}, fmt.Errorf("breusch-pagan: %w", err)
	}
	sum := make([]float64, d.N())
	ss := 0.0
	for i, e := range o.resid {
		sum[d.ID[i]] += e
		ss += e * e
	}
	num := 0.0
	for _, s := range sum {
		num += s * s
	}
	den := 0.0
	for _, t := range d.Counts() {
		den += float64(t) * float64(t-1)
	}
	if den == 0 {
		return Test{}, fmt.Errorf("breusch-pagan: every individual is observed once")
	}
	n := float64(d.NObs())
	a := num/ss - 1
	lm := n * n / (2 * den) * a * a
	return Test{Name: "Breusch-Pagan LM test for individual effects", Statistic: lm, DF: []float64{1},
		PValue: distuv.ChiSquared{K: 1}.Survival(lm), Distribution: "chisq"}, nil
}

// Wald tests the linear restrictions R b = q on the coefficients of a fit
// with its covariance V (whatever covariance it was fitted with):
//
//	W = (R b − q)' (R V R')⁻¹ (R b − q) ~ χ²(rows of R)
//
// R has one column per coefficient; q nil means zero.
func Wald(r *Result, R *mat.Dense, q []float64) (Test, error) {
	m, k := R.Dims()
	if k != len(r.Coefficients) {
		return Test{}, fmt.Errorf("wald: R has %d columns, the model %d coefficients", k, len(r.Coefficients))
	}
	if q != nil && len(q) != m {
		return Test{}, fmt.Errorf("wald: q has %d values, R %d rows", len(q), m)
	}
	b := mat.NewVecDense(k, nil)
	for a, c := range r.Coefficients {
		b.SetVec(a, c.Estimate)
	}
	var d mat.VecDense
	d.MulVec(R, b)
	for i := 0; i < m && q != nil; i++ {
		d.SetVec(i, d.AtVec(i)-q[i])
	}
	var rv mat.Dense
	rv.Mul(R, r.Vcov)
	var rvr mat.Dense
	rvr.Mul(&rv, R.T())
	sym := mat.NewSymDense(m, nil)
	for i := 0; i < m; i++ {
		for j := i; j < m; j++ {
			sym.SetSym(i, j, (rvr.At(i, j)+rvr.At(j, i))/2)
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(sym) {
		return Test{}, fmt.Errorf("wald: R V R' is singular (redundant restrictions?)")
	}
	var s mat.VecDense
	if err := ch.SolveVecTo(&s, &d); err != nil {
		return Test{}, fmt.Errorf("wald: %w", err)
	}
	w := mat.Dot(&d, &s)
	if math.IsNaN(w) {
		return Test{}, fmt.Errorf("wald: statistic is not a number")
	}
	return Test{Name: "Wald test", Statistic: w, DF: []float64{float64(m)},
		PValue: distuv.ChiSquared{K: float64(m)}.Survival(w), Distribution: "chisq"}, nil
}

// WaldZero tests that the named coefficients are all zero (a Wald test with
// R selecting them).
func WaldZero(r *Result, names ...string) (Test, error) {
	R := mat.NewDense(len(names), len(r.Coefficients), nil)
	for i, name := range names {
		j := slices.IndexFunc(r.Coefficients, func(c Coefficient) bool { return c.Name == name })
		if j < 0 {
			return Test{}, fmt.Errorf("wald: no coefficient %q", name)
		}
		R.Set(i, j, 1)
	}
	t, err := Wald(r, R, nil)
	t.Name = fmt.Sprintf("Wald test: %v = 0", names)
	return t, err
}

// fSurvival is P(F(d1, d2) > x), computed without cancellation for tiny
// p-values: I_{d2/(d2+d1 x)}(d2/2, d1/2).
func fSurvival(x, d1, d2 float64) float64 {
	if x <= 0 {
		return 1
	}
	return mathext.RegIncBeta(d2/2, d1/2, d2/(d2+d1*x))
}
