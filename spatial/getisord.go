package spatial

import (
	"errors"
	"fmt"
	"math"
)

// GetisOrd returns the Getis–Ord global G of x (Getis and Ord 1992) under
// the weights w with its randomisation moments, as spdep's globalG.test
// (which recommends binary weights, style B):
//
//	G = sum_{i≠j} w_ij x_i x_j / sum_{i≠j} x_i x_j
//	E[G] = S0/(n(n−1))
//	E[G²] = (B0 m2² + B1 m4 + B2 m1² m2 + B3 m1 m3 + B4 m1⁴)
//	        / ((m1² − m2)² n(n−1)(n−2)(n−3)),   Var[G] = E[G²] − E[G]²
//	B0 = (n²−3n+3)S1 − nS2 + 3S0²      B1 = −((n²−n)S1 − 2nS2 + 6S0²)
//	B2 = −(2nS1 − (n+3)S2 + 6S0²)      B3 = 4(n−1)S1 − 2(n+1)S2 + 8S0²
//	B4 = S1 − S2 + S0²                  m_k = sum_i x_i^k
//
// (Getis and Ord 1992, eq. 10). x must be non-negative. With
// opts.ZeroPolicy, islands are left out of n, of the sums m_k and of the
// denominator of G (spdep's adjust.n = TRUE, adjust.x = TRUE). G has no
// normality moments: those fields are NaN. The z-value and p-value use the
// randomisation variance; the permutation test counts G_perm ≥ G.
//
// Errors are those of Moran, and a negative value of x.
func GetisOrd(x []float64, w *Weights, opts TestOptions) (GlobalTest, error) {
	if err := checkData(w, x); err != nil {
		return GlobalTest{}, err
	}
	isl, err := w.checkIslands(opts.ZeroPolicy)
	if err != nil {
		return GlobalTest{}, err
	}
	if w.N()-len(isl) < 4 {
		return GlobalTest{}, fmt.Errorf("spatial: Getis–Ord G needs at least 4 regions with neighbours, have %d", w.N()-len(isl))
	}
	for i, v := range x {
		if v < 0 {
			return GlobalTest{}, fmt.Errorf("spatial: Getis–Ord G needs non-negative values; region %q has %v", w.ids[i], v)
		}
	}
	island := make([]bool, len(x))
	for _, i := range isl {
		island[i] = true
	}
	// G and its moments are ratios of sums of equal degree in x: scale-free,
	// so scale x to keep m4 = sum x⁴ finite for large values.
	x = unitScale(x)
	n := float64(w.N() - len(isl))
	var m1, m2, m3, m4 float64
	for i, v := range x {
		if island[i] {
			continue
		}
		m1 += v
		m2 += v * v
		m3 += v * v * v
		m4 += v * v * v * v
	}
	denom := m1*m1 - m2
	if denom == 0 {
		return GlobalTest{}, errors.New("spatial: Getis–Ord G is undefined: sum_{i≠j} x_i x_j = 0")
	}
	s0, s1, s2 := w.Sums()
	g := func(v []float64, lag []float64) float64 {
		w.LagTo(lag, v)
		return dot(v, lag) / denom
	}
	stat := g(x, make([]float64, len(x)))
	e := s0 / (n * (n - 1))
	b0 := (n*n-3*n+3)*s1 - n*s2 + 3*s0*s0
	b1 := -((n*n-n)*s1 - 2*n*s2 + 6*s0*s0)
	b2 := -(2*n*s1 - (n+3)*s2 + 6*s0*s0)
	b3 := 4*(n-1)*s1 - 2*(n+1)*s2 + 8*s0*s0
	b4 := s1 - s2 + s0*s0
	eg2 := (b0*m2*m2 + b1*m4 + b2*m1*m1*m2 + b3*m1*m3 + b4*m1*m1*m1*m1) /
		(denom * denom * n * (n - 1) * (n - 2) * (n - 3))
	v := eg2 - e*e
	t := newGlobalTest("G", stat, e, math.NaN(), v, opts, int(n))
	if opts.Permutations > 0 {
		// Permute all values, islands included (spdep's globalG.mc would
		// resample x; islands have a zero lag either way). The denominator
		// is invariant to permutations of the non-island values only, so
		// recompute it per draw.
		t.PPermutation = permutationP(x, stat, opts, func(v, lag []float64) float64 {
			if len(isl) == 0 {
				return g(v, lag)
			}
			var a1, a2 float64
			for i, vi := range v {
				if !island[i] {
					a1 += vi
					a2 += vi * vi
				}
			}
			w.LagTo(lag, v)
			return dot(v, lag) / (a1*a1 - a2)
		})
	}
	return t, nil
}
