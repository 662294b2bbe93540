package regress

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// computeImpacts returns the direct, indirect and total effects (LeSage and
// Pace 2009, ch. 2.7) of every regressor but the intercept of a SAR, SDM
// or SAC model. For the regressor x_k with coefficient β_k and, in the
// SDM, θ_k on W·x_k,
//
//	direct_k   = β_k tr((I−ρW)⁻¹)/N + θ_k tr((I−ρW)⁻¹W)/N
//	total_k    = β_k 1ᵀ(I−ρW)⁻¹1/N + θ_k 1ᵀ(I−ρW)⁻¹W1/N
//	indirect_k = total_k − direct_k.
//
// Their inference simulates R draws of all coefficients from the
// asymptotic normal N(ψ̂, V̂) (seeded PCG) and reports the standard
// deviation of each effect over the draws and the normal p-value of
// estimate/std_error; the multipliers of all draws come from one call of
// Traces.Multipliers (eigenvalue sums for the exact traces), so R draws
// cost little more than one.
func computeImpacts(res *Result, d *smlData, opt *SpatialOptions) (*Impacts, error) {
	draws := opt.ImpactDraws
	if draws == 0 {
		draws = 1000
	}
	rhoIdx := -1
	for i, c := range res.Coefficients {
		if c.Name == "rho" {
			rhoIdx = i
		}
	}
	if rhoIdx < 0 {
		return nil, nil
	}
	terms := impactTerms(d)
	est := coefEstimates(res.Coefficients)
	nc := len(est)
	vc := res.Vcov
	switch opt.ImpactsVcov {
	case "", "full":
	case "splm":
		vc = mat.NewSymDense(nc, nil)
		vc.CopySym(res.Vcov)
		for i := 0; i < nc; i++ {
			if i != rhoIdx {
				vc.SetSym(i, rhoIdx, 0)
			}
		}
	default:
		return nil, fmt.Errorf("regress: unknown impacts covariance %q (want full or splm)", opt.ImpactsVcov)
	}
	lo, hi := opt.LogDet.Interval()
	// A draw outside the feasible interval is discarded, as spatialreg
	// does.
	samples, dropped, err := drawCoefficients(est, vc, draws, opt.Seed, func(s []float64) bool {
		return s[rhoIdx] > lo && s[rhoIdx] < hi
	})
	if err != nil {
		return nil, fmt.Errorf("%w: almost every draw of ρ falls outside (%g, %g)", err, lo, hi)
	}
	rhos := make([]float64, draws+1)
	for r, s := range samples {
		rhos[r] = s[rhoIdx]
	}
	m, err := newMultipliers(opt.Traces, rhos)
	if err != nil {
		return nil, err
	}
	imp := &Impacts{Inference: "simulated", Draws: draws, Seed: opt.Seed}
	if dropped > 0 {
		res.Messages = append(res.Messages, fmt.Sprintf("impacts: %d draws of ρ outside its interval were discarded and redrawn", dropped))
	}
	imp.Direct, imp.Indirect, imp.Total = termEffects(terms, samples, m, nil)
	return imp, nil
}

// linearImpacts returns the direct, indirect and total effects of every
// regressor but the intercept of an SLX or SDEM model (y = Xβ + WXθ + u,
// u = λWu + ε for the SDEM), whose reduced form is linear in X: the
// effect of x_k is ∂y/∂x_kᵀ = β_k I + θ_k W, so (LeSage and Pace 2009,
// ch. 2.7; Elhorst 2014, ch. 2.6; Halleck Vega and Elhorst 2015)
//
//	direct_k   = β_k + θ_k tr(W)/N
//	total_k    = β_k + θ_k 1ᵀW1/N
//	indirect_k = θ_k (1ᵀW1 − tr(W))/N,
//
// 1ᵀW1 = Σ_i Σ_j w_ij. Only under row-standardised W without islands is
// 1ᵀW1/N = 1 and the indirect effect θ_k; under binary W it is θ_k times
// the mean number of neighbours. Each effect is aᵀψ for a fixed a, so its
// variance aᵀVa is exact (the delta method is exact for linear
// functions); p-values are normal.
func linearImpacts(res *Result, d *smlData) *Impacts {
	n := float64(d.n)
	s0, _, _ := d.w.Sums()
	var trW float64
	for i := 0; i < d.n; i++ {
		trW += d.w.At(i, i)
	}
	mDir, mTot := trW/n, s0/n
	terms := impactTerms(d)
	imp := &Impacts{Inference: "exact"}
	nrm := distuv.UnitNormal
	eff := func(name string, a map[int]float64) Effect {
		// In index order, not the map's (random) order: the sums, and
		// so the reported digits, are the same on every run.
		idx := slices.Sorted(maps.Keys(a))
		var est, v float64
		for _, i := range idx {
			est += a[i] * res.Coefficients[i].Estimate
			for _, j := range idx {
				v += a[i] * a[j] * res.Vcov.At(i, j)
			}
		}
		se := math.Sqrt(v)
		return Effect{Name: name, Estimate: est, StdError: se, PValue: 2 * nrm.Survival(math.Abs(est/se))}
	}
	for _, tm := range terms {
		dir, tot := map[int]float64{}, map[int]float64{}
		ind := map[int]float64{}
		if tm.beta >= 0 {
			dir[tm.beta] = 1
			tot[tm.beta] = 1
		}
		if tm.thet >= 0 {
			dir[tm.thet] = mDir
			tot[tm.thet] = mTot
			ind[tm.thet] = mTot - mDir
		}
		imp.Direct = append(imp.Direct, eff(tm.name, dir))
		imp.Indirect = append(imp.Indirect, eff(tm.name, ind))
		imp.Total = append(imp.Total, eff(tm.name, tot))
	}
	return imp
}

// impactTerm is a regressor of an impacts table with the positions of
// its β and θ (on W·x) among the coefficients (−1: absent).
type impactTerm struct {
	name       string
	beta, thet int
}

// impactTerms lists the regressors with effects: every non-constant
// regressor that is not a W·x term, with its θ, then the W·x terms whose
// x was dropped (they act through W alone).
func impactTerms(d *smlData) []impactTerm {
	var terms []impactTerm
	for j, nm := range d.names {
		if d.isLag[j] != -1 || d.rawConstant(j) {
			continue
		}
		tm := impactTerm{name: nm, beta: j, thet: -1}
		for l := range d.names {
			if d.isLag[l] == j {
				tm.thet = l
			}
		}
		terms = append(terms, tm)
	}
	for l := range d.names {
		if d.isLag[l] == -2 {
			terms = append(terms, impactTerm{name: d.names[l][2:], beta: -1, thet: l})
		}
	}
	return terms
}

// coefEstimates returns the estimates of cs.
func coefEstimates(cs []Coefficient) []float64 {
	est := make([]float64, len(cs))
	for i, c := range cs {
		est[i] = c.Estimate
	}
	return est
}

// drawCoefficients returns est followed by draws samples ψ = ψ̂ + Lz from
// N(ψ̂, V), V = LLᵀ, z standard normal from a PCG seeded with seed. A
// draw that ok rejects is discarded and redrawn; more than 10·draws
// rejections is an error. It also returns the number discarded.
func drawCoefficients(est []float64, vc *mat.SymDense, draws int, seed uint64, ok func([]float64) bool) ([][]float64, int, error) {
	nc := len(est)
	lmat, err := covFactor(vc)
	if err != nil {
		return nil, 0, err
	}
	rng := rand.New(rand.NewPCG(seed, seed))
	samples := make([][]float64, draws+1)
	samples[0] = est
	z := make([]float64, nc)
	dropped := 0
	for r := 1; r <= draws; r++ {
		for i := range z {
			z[i] = rng.NormFloat64()
		}
		s := make([]float64, nc)
		for i := 0; i < nc; i++ {
			v := est[i]
			for j := 0; j <= i; j++ {
				v += lmat.At(i, j) * z[j]
			}
			s[i] = v
		}
		if !ok(s) {
			dropped++
			if dropped > 10*draws {
				return nil, dropped, errors.New("regress: too many draws rejected")
			}
			r--
			continue
		}
		samples[r] = s
	}
	return samples, dropped, nil
}

// multipliers holds, per draw, tr((I−ρW)⁻¹)/N, tr((I−ρW)⁻¹W)/N,
// 1ᵀ(I−ρW)⁻¹1/N and 1ᵀ(I−ρW)⁻¹W1/N (Traces.Multipliers).
type multipliers struct{ dir, dirW, tot, totW []float64 }

func newMultipliers(tr Traces, rhos []float64) (*multipliers, error) {
	n := len(rhos)
	m := &multipliers{make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)}
	if err := tr.Multipliers(rhos, m.dir, m.dirW, m.tot, m.totW); err != nil {
		return nil, err
	}
	return m, nil
}

// termEffects returns the direct, indirect and total effects of the terms
// at samples[0] with their simulated standard errors over samples[1:]:
// direct = s(β dir + θ dirW), total = s(β tot + θ totW), s = scale[r] (nil:
// 1).
func termEffects(terms []impactTerm, samples [][]float64, m *multipliers, scale []float64) (direct, indirect, total []Effect) {
	draws := len(samples) - 1
	for _, tm := range terms {
		dv := make([]float64, draws+1)
		tv := make([]float64, draws+1)
		iv := make([]float64, draws+1)
		for r := 0; r <= draws; r++ {
			var b, th float64
			if tm.beta >= 0 {
				b = samples[r][tm.beta]
			}
			if tm.thet >= 0 {
				th = samples[r][tm.thet]
			}
			sc := 1.0
			if scale != nil {
				sc = scale[r]
			}
			dv[r] = sc * (b*m.dir[r] + th*m.dirW[r])
			tv[r] = sc * (b*m.tot[r] + th*m.totW[r])
			iv[r] = tv[r] - dv[r]
		}
		direct = append(direct, drawnEffect(tm.name, dv))
		indirect = append(indirect, drawnEffect(tm.name, iv))
		total = append(total, drawnEffect(tm.name, tv))
	}
	return direct, indirect, total
}

// drawnEffect is the effect vals[0] with the standard deviation of
// vals[1:] as its standard error and the normal p-value of their ratio.
func drawnEffect(name string, vals []float64) Effect {
	draws := len(vals) - 1
	var m, ss float64
	for _, v := range vals[1:] {
		m += v
	}
	m /= float64(draws)
	for _, v := range vals[1:] {
		ss += (v - m) * (v - m)
	}
	sd := math.Sqrt(ss / float64(draws-1))
	return Effect{Name: name, Estimate: vals[0], StdError: sd, PValue: 2 * distuv.UnitNormal.Survival(math.Abs(vals[0]/sd))}
}

func isConstant(v []float64) bool {
	for _, x := range v {
		if x != v[0] {
			return false
		}
	}
	return true
}

// covFactor returns a lower-triangular L with V = L Lᵀ (Cholesky; for a
// semi-definite V the symmetric square root from its eigenvalues, negative
// rounding errors set to zero).
func covFactor(v *mat.SymDense) (*mat.TriDense, error) {
	if v == nil {
		return nil, fmt.Errorf("regress: no covariance matrix for the impacts")
	}
	var ch mat.Cholesky
	if ch.Factorize(v) {
		var l mat.TriDense
		ch.LTo(&l)
		return &l, nil
	}
	n := v.SymmetricDim()
	var es mat.EigenSym
	if !es.Factorize(v, true) {
		return nil, fmt.Errorf("regress: covariance matrix of the impacts cannot be factorised")
	}
	vals := es.Values(nil)
	var vec mat.Dense
	es.VectorsTo(&vec)
	// V = Q Λ Qᵀ; take the QR of (Q Λ^{1/2})ᵀ: R ᵀ is lower triangular with
	// R ᵀR = V.
	a := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			a.Set(j, i, vec.At(i, j)*math.Sqrt(math.Max(vals[j], 0)))
		}
	}
	var qr mat.QR
	qr.Factorize(a)
	var r mat.Dense
	qr.RTo(&r)
	l := mat.NewTriDense(n, mat.Lower, nil)
	for i := 0; i < n; i++ {
		for j := 0; j <= i; j++ {
			l.SetTri(i, j, r.At(j, i))
		}
	}
	return l, nil
}
