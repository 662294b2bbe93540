package spatial

import (
	"errors"
	"fmt"
)

// Geary returns Geary's C of x under the weights w with its moments (Cliff
// and Ord 1981, ch. 2), as spdep's geary.test:
//
//	C = (n−1) sum_ij w_ij (x_i − x_j)² / (2 S0 sum_i z_i²),   z = x − mean(x)
//	E[C] = 1
//	Var_N[C] = ((2S1 + S2)(n−1) − 4S0²) / (2(N+1)S0²)
//	Var_R[C] = ((n−1)S1(n²−3N+3−(n−1)K) − (n−1)S2(n²+3N−6−(n²−N+2)K)/4
//	           + S0²(n²−3−(n−1)²K)) / (N(n−2)(n−3)S0²)
//	K = n sum z⁴/(sum z²)²
//
// N is the number of values and n = N unless opts.ZeroPolicy admits
// islands, when n is N less the islands; where N and n stand in the
// formulas above is where spdep (1.2-7) puts its n and wc$n. The z-values
// are (E[C] − C)/sd (Cliff and Ord 1973, p. 21, as spdep), so that a
// large z means positive autocorrelation, and the p-value follows
// opts.Alternative as for Moran. The permutation test (opts.Permutations)
// counts permutations with C_perm ≤ C for Greater.
//
// Errors are those of Moran.
func Geary(x []float64, w *Weights, opts TestOptions) (GlobalTest, error) {
	if err := checkData(w, x); err != nil {
		return GlobalTest{}, err
	}
	isl, err := w.checkIslands(opts.ZeroPolicy)
	if err != nil {
		return GlobalTest{}, err
	}
	if w.N()-len(isl) < 4 {
		return GlobalTest{}, fmt.Errorf("spatial: Geary's C needs at least 4 regions with neighbours, have %d", w.N()-len(isl))
	}
	z, ss, s4 := centre(unitScale(x)) // C does not depend on the scale of x
	if ss == 0 {
		return GlobalTest{}, errors.New("spatial: Geary's C of a constant variable is undefined")
	}
	nAll := float64(w.N())
	n := float64(w.N() - len(isl))
	s0, s1, s2 := w.Sums()
	c := func(v []float64) float64 {
		var num float64
		for i := 0; i < w.N(); i++ {
			cols, vals := w.Neighbours(i)
			vi := v[i]
			for k, j := range cols {
				d := vi - v[j]
				num += vals[k] * d * d
			}
		}
		return (n - 1) * num / (2 * s0 * ss)
	}
	stat := c(z)
	n1, nn, s02 := n-1, n*n, s0*s0
	varN := ((2*s1+s2)*n1 - 4*s02) / (2 * (nAll + 1) * s02)
	k := n * s4 / (ss * ss)
	varR := (n1*s1*(nn-3*nAll+3-k*n1) - 0.25*n1*s2*(nn+3*nAll-6-k*(nn-nAll+2)) +
		s02*(nn-3-k*n1*n1)) / (nAll * (n - 2) * (n - 3) * s02)
	// Geary's C falls with positive autocorrelation: test on −C.
	t := newGlobalTest("C", -stat, -1, varN, varR, opts, int(n))
	t.Statistic, t.Expectation = stat, 1
	if opts.Permutations > 0 {
		t.PPermutation = permutationP(z, -stat, opts, func(zp, _ []float64) float64 { return -c(zp) })
	}
	return t, nil
}
