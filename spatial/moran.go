package spatial

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/stat/distuv"
)

// Alternative is the alternative hypothesis of a test.
type Alternative int

const (
	// Greater tests for positive spatial autocorrelation (the default, as
	// spdep's moran.test, geary.test and globalG.test).
	Greater Alternative = iota
	// Less tests for negative spatial autocorrelation.
	Less
	// TwoSided tests for either.
	TwoSided
)

// String returns "greater", "less" or "two.sided".
func (a Alternative) String() string {
	switch a {
	case Less:
		return "less"
	case TwoSided:
		return "two.sided"
	}
	return "greater"
}

// TestOptions are the options of the global tests. The zero value tests the
// alternative Greater, errors on islands and runs no permutations.
type TestOptions struct {
	// Alternative is the alternative hypothesis.
	Alternative Alternative
	// ZeroPolicy allows regions without neighbours, as spdep's
	// zero.policy = TRUE: their lag is zero, and n in the moments is
	// reduced by the number of islands (spdep's adjust.n = TRUE). When
	// false, islands are an error wrapping ErrIsland.
	ZeroPolicy bool
	// Permutations is the number of random permutations for a Monte Carlo
	// pseudo p-value (0 = none).
	Permutations int
	// Seed seeds the permutations. Permutation k draws from its own PCG
	// stream (Seed, k), so results do not depend on Workers.
	Seed uint64
	// Workers is the number of goroutines for permutations (0 = GOMAXPROCS).
	Workers int
	// Progress, if non-nil, is called with the number of permutations
	// done so far (from several goroutines, not concurrently).
	Progress func(done, total int)
}

// GlobalTest is a global test of spatial autocorrelation: the statistic
// with its moments under the normality and randomisation assumptions.
type GlobalTest struct {
	// Statistic is Moran's I, Geary's C or Getis–Ord G.
	Statistic   float64 `json:"statistic"`
	Expectation float64 `json:"expectation"`
	// VarNormality and VarRandomisation are the variances under each
	// assumption (Getis–Ord G has only the randomisation one; the field
	// VarNormality then equals it).
	VarNormality     float64 `json:"variance_normality"`
	VarRandomisation float64 `json:"variance_randomisation"`
	ZNormality       float64 `json:"z_normality"`
	ZRandomisation   float64 `json:"z_randomisation"`
	PNormality       float64 `json:"p_normality"`
	PRandomisation   float64 `json:"p_randomisation"`
	// PPermutation is the pseudo p-value (1 + #{as extreme})/(1 + R) of
	// R permutations, NaN when none were run.
	PPermutation float64 `json:"p_permutation"`
	Permutations int     `json:"permutations"`
	Seed         uint64  `json:"seed"`
	Alternative  string  `json:"alternative"`
	// N is the number of regions used in the moments (n less islands
	// under ZeroPolicy).
	N int `json:"n"`
}

// IslandError names the regions without neighbours.
type IslandError struct {
	IDs []string
}

func (e *IslandError) Error() string {
	const max = 10
	ids := e.IDs
	more := ""
	if len(ids) > max {
		more = fmt.Sprintf(" and %d more", len(ids)-max)
		ids = ids[:max]
	}
	return fmt.Sprintf("spatial: %d region(s) without neighbours: %q%s (allow them with the zero policy)", len(e.IDs), ids, more)
}

// Unwrap returns ErrIsland.
func (e *IslandError) Unwrap() error { return ErrIsland }

func (w *Weights) checkIslands(zeroPolicy bool) (int, error) {
	isl := w.Islands()
	if len(isl) > 0 && !zeroPolicy {
		ids := make([]string, len(isl))
		for k, i := range isl {
			ids[k] = w.ids[i]
		}
		return 0, &IslandError{IDs: ids}
	}
	return len(isl), nil
}

func checkData(w *Weights, x []float64) error {
	if len(x) != w.N() {
		return fmt.Errorf("spatial: %d values for %d regions", len(x), w.N())
	}
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("spatial: value of region %q is %v", w.ids[i], v)
		}
	}
	return nil
}

// centre returns x minus its mean and the sums of squares and fourth
// powers of the deviations.
func centre(x []float64) (z []float64, m2sum, m4sum float64) {
	var mean float64
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	z = make([]float64, len(x))
	for i, v := range x {
		d := v - mean
		z[i] = d
		m2sum += d * d
		m4sum += d * d * d * d
	}
	return z, m2sum, m4sum
}

// Moran returns global Moran's I of x under the weights w with its
// moments (Cliff and Ord 1981), as spdep's moran.test:
//
//	I = n/S0 · sum_ij w_ij z_i z_j / sum_i z_i²,   z = x − mean(x)
//	E[I] = −1/(n−1)
//	Var_N[I] = (n²S1 − nS2 + 3S0²)/(S0²(n²−1)) − E[I]²
//	Var_R[I] = (n((n²−3n+3)S1 − nS2 + 3S0²) − K((n²−n)S1 − 2nS2 + 6S0²))
//	           / ((n−1)(n−2)(n−3)S0²) − E[I]²,   K = n sum z⁴/(sum z²)²
//
// with S0, S1, S2 from Weights.Sums. With opts.Permutations > 0 it also
// returns the pseudo p-value of a permutation test. The variable must not
// be constant.
func Moran(x []float64, w *Weights, opts TestOptions) (GlobalTest, error) {
	if err := checkData(w, x); err != nil {
		return GlobalTest{}, err
	}
	nIsl, err := w.checkIslands(opts.ZeroPolicy)
	if err != nil {
		return GlobalTest{}, err
	}
	z, ss, s4 := centre(x)
	if ss == 0 {
		return GlobalTest{}, errors.New("spatial: Moran's I of a constant variable is undefined")
	}
	n := float64(w.N() - nIsl)
	s0, s1, s2 := w.Sums()
	lag := w.Lag(z)
	var cross float64
	for i, v := range z {
		cross += v * lag[i]
	}
	stat := n / s0 * cross / ss
	e := -1 / (n - 1)
	varN := (n*n*s1-n*s2+3*s0*s0)/(s0*s0*(n*n-1)) - e*e
	k := n * s4 / (ss * ss)
	varR := (n*((n*n-3*n+3)*s1-n*s2+3*s0*s0)-k*((n*n-n)*s1-2*n*s2+6*s0*s0))/
		((n-1)*(n-2)*(n-3)*s0*s0) - e*e
	t := newGlobalTest(stat, e, varN, varR, opts, int(n))
	if opts.Permutations > 0 {
		t.PPermutation = permutationP(z, w, stat, opts, func(zp, lag []float64) float64 {
			w.LagTo(lag, zp)
			var c float64
			for i, v := range zp {
				c += v * lag[i]
			}
			return n / s0 * c / ss
		})
	}
	return t, nil
}

func newGlobalTest(stat, e, varN, varR float64, opts TestOptions, n int) GlobalTest {
	t := GlobalTest{
		Statistic:        stat,
		Expectation:      e,
		VarNormality:     varN,
		VarRandomisation: varR,
		ZNormality:       (stat - e) / math.Sqrt(varN),
		ZRandomisation:   (stat - e) / math.Sqrt(varR),
		PPermutation:     math.NaN(),
		Permutations:     opts.Permutations,
		Seed:             opts.Seed,
		Alternative:      opts.Alternative.String(),
		N:                n,
	}
	t.PNormality = pNormal(t.ZNormality, opts.Alternative)
	t.PRandomisation = pNormal(t.ZRandomisation, opts.Alternative)
	return t
}

// pNormal returns the p-value of a standard normal statistic z.
func pNormal(z float64, alt Alternative) float64 {
	switch alt {
	case Less:
		return distuv.UnitNormal.CDF(z)
	case TwoSided:
		return 2 * distuv.UnitNormal.Survival(math.Abs(z))
	}
	return distuv.UnitNormal.Survival(z)
}

// permutationP runs opts.Permutations random permutations of z through
// stat and returns the pseudo p-value (1 + #{as extreme})/(1 + R), "as
// extreme" meaning ≥ observed for Greater, ≤ for Less, and for TwoSided the
// smaller tail doubled (capped at 1). Permutation k uses the PCG stream
// (Seed, k): the result is the same for any number of workers.
func permutationP(z []float64, w *Weights, observed float64, opts TestOptions, stat func(zp, lag []float64) float64) float64 {
	r := opts.Permutations
	sims := make([]float64, r)
	parallelFor(r, opts.Workers, opts.Progress, func() func(k int) {
		zp := make([]float64, len(z))
		lag := make([]float64, len(z))
		return func(k int) {
			rng := rand.New(rand.NewPCG(opts.Seed, uint64(k)))
			copy(zp, z)
			rng.Shuffle(len(zp), func(i, j int) { zp[i], zp[j] = zp[j], zp[i] })
			sims[k] = stat(zp, lag)
		}
	})
	var ge, le int
	for _, s := range sims {
		if s >= observed {
			ge++
		}
		if s <= observed {
			le++
		}
	}
	switch opts.Alternative {
	case Less:
		return float64(1+le) / float64(1+r)
	case TwoSided:
		return math.Min(1, 2*float64(1+min(ge, le))/float64(1+r))
	}
	return float64(1+ge) / float64(1+r)
}

// parallelFor runs body(k) for k in [0, n) on workers goroutines. newBody
// is called once per worker to give it its own scratch space.
func parallelFor(n, workers int, progress func(done, total int), newBody func() func(k int)) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, n))
	var (
		mu   sync.Mutex
		done int
		wg   sync.WaitGroup
	)
	const chunk = 16
	next := make(chan int)
	for g := 0; g < workers; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := newBody()
			for start := range next {
				end := min(start+chunk, n)
				for k := start; k < end; k++ {
					body(k)
				}
				if progress != nil {
					mu.Lock()
					done += end - start
					progress(done, n)
					mu.Unlock()
				}
			}
		}()
	}
	for start := 0; start < n; start += chunk {
		next <- start
	}
	close(next)
	wg.Wait()
}

// Geary returns Geary's C of x under the weights w with its moments (Cliff
// and Ord 1981), as spdep's geary.test:
//
//	C = (n−1) sum_ij w_ij (x_i − x_j)² / (2 S0 sum_i z_i²)
//	E[C] = 1
//	Var_N[C] = ((2S1 + S2)(n−1) − 4S0²) / (2(n+1)S0²)
//	Var_R[C] = ((n−1)S1(n²−3n+3−(n−1)K) − (n−1)S2(n²+3n−6−(n²−n+2)K)/4
//	           + S0²(n²−3−(n−1)²K)) / (n(n−2)(n−3)S0²)
//
// The z-values are (E[C] − C)/sd, so that, as in spdep, a large z means
// positive autocorrelation whatever the statistic's direction.
func Geary(x []float64, w *Weights, opts TestOptions) (GlobalTest, error) {
	if err := checkData(w, x); err != nil {
		return GlobalTest{}, err
	}
	nIsl, err := w.checkIslands(opts.ZeroPolicy)
	if err != nil {
		return GlobalTest{}, err
	}
	z, ss, s4 := centre(x)
	if ss == 0 {
		return GlobalTest{}, errors.New("spatial: Geary's C of a constant variable is undefined")
	}
	n := float64(w.N() - nIsl)
	s0, s1, s2 := w.Sums()
	c := func(v []float64) float64 {
		var num float64
		for i := 0; i < w.N(); i++ {
			cols, vals := w.Neighbours(i)
			for k, j := range cols {
				d := v[i] - v[j]
				num += vals[k] * d * d
			}
		}
		return (n - 1) * num / (2 * s0 * ss)
	}
	stat := c(z)
	varN := ((2*s1+s2)*(n-1) - 4*s0*s0) / (2 * (n + 1) * s0 * s0)
	k := n * s4 / (ss * ss)
	varR := ((n-1)*s1*(n*n-3*n+3-(n-1)*k) - 0.25*(n-1)*s2*(n*n+3*n-6-(n*n-n+2)*k) +
		s0*s0*(n*n-3-(n-1)*(n-1)*k)) / (n * (n - 2) * (n - 3) * s0 * s0)
	// Geary's C falls with positive autocorrelation: test on −C.
	t := newGlobalTest(-stat, -1, varN, varR, opts, int(n))
	t.Statistic, t.Expectation = stat, 1
	if opts.Permutations > 0 {
		t.PPermutation = permutationP(z, w, -stat, opts, func(zp, _ []float64) float64 { return -c(zp) })
	}
	return t, nil
}

// GetisOrd returns the Getis–Ord global G of x (Getis and Ord 1992) under
// the weights w, as spdep's globalG.test; x must be non-negative and the
// weights are usually binary (style B):
//
//	G = sum_{i≠j} w_ij x_i x_j / sum_{i≠j} x_i x_j,   E[G] = S0/(n(n−1))
//
// with the randomisation variance of Getis and Ord (1992, eq. 10). The
// normality fields repeat the randomisation ones.
func GetisOrd(x []float64, w *Weights, opts TestOptions) (GlobalTest, error) {
	if err := checkData(w, x); err != nil {
		return GlobalTest{}, err
	}
	nIsl, err := w.checkIslands(opts.ZeroPolicy)
	if err != nil {
		return GlobalTest{}, err
	}
	for i, v := range x {
		if v < 0 {
			return GlobalTest{}, fmt.Errorf("spatial: Getis–Ord G needs non-negative values; region %q has %v", w.ids[i], v)
		}
	}
	n := float64(w.N() - nIsl)
	var m1, m2, m3, m4 float64
	for _, v := range x {
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
		var num float64
		for i, vi := range v {
			num += vi * lag[i]
		}
		return num / denom
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
	t := newGlobalTest(stat, e, v, v, opts, int(n))
	if opts.Permutations > 0 {
		t.PPermutation = permutationP(x, w, stat, opts, g)
	}
	return t, nil
}
