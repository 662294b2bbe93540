package regress

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// vcov returns the covariance of the estimates and a description of it.
//
//	classical      σ² (X'X)⁻¹
//	hc0..hc3       (X'X)⁻¹ Σ_r ω_r e_r² x_r x_r' (X'X)⁻¹, ω = 1, n/(n−k),
//	               1/(1−h_r), 1/(1−h_r)² (White 1980; MacKinnon and White 1985)
//	cluster        (X'X)⁻¹ Σ_g X_g'e_g e_g'X_g (X'X)⁻¹ · c (Arellano 1987),
//	               c = 1, n/(n−k) or G/(G−1)·(n−1)/(n−K) (FitOptions.Correction)
//	dk             (X'X)⁻¹ [Γ_0 + Σ_{l=1}^{L} (1 − l/(L+1)) (Γ_l + Γ_l')] (X'X)⁻¹ · c,
//	               Γ_l = Σ_t h_t h_{t−l}', h_t = Σ_i x_it e_it
//	               (Driscoll and Kraay 1998)
//
// X and e are the transformed regressors and residuals, k their number of
// columns (plm's convention: the fixed effects are not counted).
func (w *work) vcov(sigma2 float64, opts FitOptions) (*mat.SymDense, map[string]any, error) {
	o := w.o
	k := len(o.b)
	n := len(w.y)
	typ := opts.Vcov
	if typ == "" {
		typ = "classical"
	}
	desc := map[string]any{"vcov": typ}
	if typ == "classical" {
		v := mat.NewSymDense(k, nil)
		v.ScaleSym(sigma2, o.xtxInv)
		return v, desc, nil
	}
	raw := w.x.RawMatrix()
	row := func(i int) []float64 { return raw.Data[i*raw.Stride : i*raw.Stride+k] }
	meat := mat.NewSymDense(k, nil)
	mdata := meat.RawSymmetric()
	addOuter := func(h []float64, wgt float64) {
		for a := 0; a < k; a++ {
			for b := a; b < k; b++ {
				mdata.Data[a*mdata.Stride+b] += wgt * h[a] * h[b]
			}
		}
	}
	scale := 1.0
	switch typ {
	case "hc0", "hc1", "hc2", "hc3":
		if typ == "hc1" && n <= k {
			return nil, nil, fmt.Errorf("the HC1 covariance needs more observations (%d) than coefficients (%d)", n, k)
		}
		var lev []float64
		if typ == "hc2" || typ == "hc3" {
			lev = make([]float64, n)
			tmp := make([]float64, k)
			for i := 0; i < n; i++ {
				x := row(i)
				for a := 0; a < k; a++ {
					s := 0.0
					for b := 0; b < k; b++ {
						s += o.xtxInv.At(a, b) * x[b]
					}
					tmp[a] = s
				}
				h := 0.0
				for a := 0; a < k; a++ {
					h += x[a] * tmp[a]
				}
				lev[i] = h
				if h > 1-1e-10 {
					return nil, nil, fmt.Errorf("the %s covariance divides by 1 − h: observation %d has leverage 1 (it alone determines a coefficient)", strings.ToUpper(typ), i+1)
				}
			}
		}
		for i := 0; i < n; i++ {
			e2 := o.resid[i] * o.resid[i]
			switch typ {
			case "hc2":
				e2 /= 1 - lev[i]
			case "hc3":
				e2 /= (1 - lev[i]) * (1 - lev[i])
			}
			addOuter(row(i), e2)
		}
		if typ == "hc1" {
			scale = float64(n) / float64(n-k)
			desc["correction"] = "n/(n-k)"
			desc["factor"] = scale
		} else {
			desc["correction"] = map[string]string{"hc0": "none", "hc2": "1/(1-h)", "hc3": "1/(1-h)^2"}[typ]
		}
	case "cluster-id", "cluster-time":
		g, ng := w.id, w.nid
		desc["cluster"] = "individual"
		if typ == "cluster-time" {
			g, ng = w.time, w.nt
			desc["cluster"] = "time"
		}
		score := make([]float64, ng*k)
		for i := 0; i < n; i++ {
			x := row(i)
			s := score[g[i]*k : g[i]*k+k]
			for a := range x {
				s[a] += x[a] * o.resid[i]
			}
		}
		for c := 0; c < ng; c++ {
			addOuter(score[c*k:c*k+k], 1)
		}
		groups := distinct(g, ng)
		if groups < 2 {
			return nil, nil, fmt.Errorf("clustered covariance needs at least 2 clusters, have %d", groups)
		}
		corr := opts.Correction
		if corr == "" {
			corr = "stata"
		}
		switch corr {
		case "none", "hc0":
			corr = "none"
			desc["factor"] = 1.0
		case "hc1":
			scale = float64(n) / float64(n-k)
			desc["factor"] = scale
		case "stata", "sss":
			scale = w.clusterFactor(corr, groups, desc)
		default:
			return nil, nil, fmt.Errorf("unknown correction %q (want none, hc1, stata or sss)", opts.Correction)
		}
		desc["correction"] = corrName(corr, w.stataK(k))
		desc["clusters"] = groups
	case "dk":
		// With one period the score sum is the normal equations' zero: an
		// SE of round-off (1e-15) and a t of 1e14.
		if periods := distinct(w.time, w.nt); periods < 2 {
			return nil, nil, fmt.Errorf("the Driscoll–Kraay covariance needs at least 2 periods, have %d", periods)
		}
		L := opts.DKLag
		if L <= 0 {
			L = int(math.Floor(math.Pow(float64(w.nt), 0.25)))
		}
		h := make([]float64, w.nt*k)
		for i := 0; i < n; i++ {
			x := row(i)
			s := h[w.time[i]*k : w.time[i]*k+k]
			for a := range x {
				s[a] += x[a] * o.resid[i]
			}
		}
		for t := 0; t < w.nt; t++ {
			addOuter(h[t*k:t*k+k], 1)
		}
		for l := 1; l <= L && l < w.nt; l++ {
			wl := 1 - float64(l)/float64(L+1)
			for t := l; t < w.nt; t++ {
				ht := h[t*k : t*k+k]
				hs := h[(t-l)*k : (t-l)*k+k]
				for a := 0; a < k; a++ {
					for b := a; b < k; b++ {
						mdata.Data[a*mdata.Stride+b] += wl * (ht[a]*hs[b] + hs[a]*ht[b])
					}
				}
			}
		}
		corr := opts.Correction
		if corr == "" {
			corr = "none"
		}
		switch corr {
		case "none", "hc0":
			corr = "none"
			desc["factor"] = 1.0
		case "hc1":
			scale = float64(n) / float64(n-k)
			desc["factor"] = scale
		case "stata", "sss":
			scale = w.clusterFactor(corr, w.nt, desc)
		default:
			return nil, nil, fmt.Errorf("unknown correction %q (want none, hc1, stata or sss)", opts.Correction)
		}
		desc["correction"] = corrName(corr, w.stataK(k))
		desc["maxlag"] = L
		desc["kernel"] = "bartlett"
	}
	var tmp, full mat.Dense
	tmp.Mul(o.xtxInv, meat)
	full.Mul(&tmp, o.xtxInv)
	v := mat.NewSymDense(k, nil)
	for a := 0; a < k; a++ {
		for b := a; b < k; b++ {
			v.SetSym(a, b, scale*(full.At(a, b)+full.At(b, a))/2)
		}
	}
	return v, desc, nil
}

// stataK returns the K of Stata's small-sample factor for k estimated
// coefficients: k plus the coefficients Stata's equivalent command
// estimates that the within transformation sweeps out (work.stataExtra).
func (w *work) stataK(k int) int { return k + w.stataExtra }

// clusterFactor returns the small-sample factor G/(G−1)·(n−1)/(n−K) of
// Stata (corr "stata", K from stataK) or of plm's vcovHC type "sss" (K =
// k, the coefficients of the transformed model), and records it in desc.
func (w *work) clusterFactor(corr string, groups int, desc map[string]any) float64 {
	n, k := len(w.y), len(w.o.b)
	if corr == "stata" {
		k = w.stataK(k)
	}
	G := float64(groups)
	f := G / (G - 1) * float64(n-1) / float64(n-k)
	desc["factor"] = f
	desc["factor_k"] = k
	return f
}

// corrName describes a small-sample correction; stataK is the K of
// Stata's factor.
func corrName(c string, stataK int) string {
	switch c {
	case "hc1":
		return "n/(n-k) (plm HC1)"
	case "stata":
		return fmt.Sprintf("Stata G/(G-1)*(n-1)/(n-K) with K = %d", stataK)
	case "sss":
		return "plm sss G/(G-1)*(n-1)/(n-k)"
	}
	return "none (plm HC0)"
}

// distinct returns the number of distinct values of g (codes 0..ng−1):
// the clusters or periods a covariance actually has.
func distinct(g []int, ng int) int {
	seen := make([]bool, ng)
	count := 0
	for _, c := range g {
		if !seen[c] {
			seen[c] = true
			count++
		}
	}
	return count
}
