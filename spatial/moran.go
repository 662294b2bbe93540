package spatial

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/agglo/agglo/internal/nulljson"
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

// String returns "greater", "less" or "two.sided" (spdep's names).
func (a Alternative) String() string {
	switch a {
	case Less:
		return "less"
	case TwoSided:
		return "two.sided"
	}
	return "greater"
}

// ParseAlternative parses "greater", "less" or "two.sided" (also
// "two-sided"); "" is Greater.
func ParseAlternative(s string) (Alternative, error) {
	switch s {
	case "", "greater":
		return Greater, nil
	case "less":
		return Less, nil
	case "two.sided", "two-sided", "twosided":
		return TwoSided, nil
	}
	return Greater, fmt.Errorf("spatial: unknown alternative %q (want greater, less or two.sided)", s)
}

// TestOptions are the options of the global tests Moran, Geary and
// GetisOrd. The zero value tests the alternative Greater, errors on
// islands and runs no permutations.
type TestOptions struct {
	// Alternative is the alternative hypothesis.
	Alternative Alternative
	// ZeroPolicy allows regions without neighbours, as spdep's
	// zero.policy = TRUE with adjust.n = TRUE: their lag is zero and n in
	// the moments is the number of regions that have neighbours (see each
	// test for the details spdep has). When false, islands are an error
	// wrapping ErrIsland (an *IslandError naming them).
	ZeroPolicy bool
	// Permutations is the number R of random permutations for a Monte
	// Carlo pseudo p-value (0 = none).
	Permutations int
	// Seed seeds the permutations. Permutation k draws from its own PCG
	// stream (Seed, k), so results do not depend on Workers.
	Seed uint64
	// Workers is the number of goroutines for permutations (0 = GOMAXPROCS).
	Workers int
	// Progress, if non-nil, is called with the number of permutations
	// done so far (from several goroutines, never concurrently).
	Progress func(done, total int)
}

// GlobalTest is a global test of spatial autocorrelation: the statistic
// with its moments under the normality and randomisation assumptions.
//
// Its JSON form is an object whose first member is the statistic under
// Name ("I", "C" or "G"), then expectation, variance_normality,
// variance_randomisation, z_normality, z_randomisation, p_normality,
// p_randomisation, alternative, n, and, when permutations were run,
// p_permutation, permutations and seed. NaN is written as null.
type GlobalTest struct {
	// Name is the statistic's name: "I" (Moran), "C" (Geary), "G"
	// (Getis–Ord).
	Name string
	// Statistic is Moran's I, Geary's C or Getis–Ord G.
	Statistic   float64
	Expectation float64
	// VarNormality and VarRandomisation are the variances under each
	// assumption. Getis–Ord G has only the randomisation one: its
	// normality fields are NaN.
	VarNormality     float64
	VarRandomisation float64
	ZNormality       float64
	ZRandomisation   float64
	PNormality       float64
	PRandomisation   float64
	// PPermutation is the pseudo p-value (1 + #{as extreme})/(1 + R) of
	// R permutations, NaN when none were run.
	PPermutation float64
	Permutations int
	Seed         uint64
	// Alternative is "greater", "less" or "two.sided".
	Alternative string
	// N is the number of regions used in the moments (n less islands
	// under ZeroPolicy).
	N int
	// Warning says why z and p are NaN when a variance is zero within
	// round-off (the statistic cannot vary: binary weights linking every
	// pair, say); empty otherwise.
	Warning string
}

// MarshalJSON writes the test in the JSON contract of 'agglo moran'.
func (t GlobalTest) MarshalJSON() ([]byte, error) {
	name := t.Name
	if name == "" {
		name = "statistic"
	}
	var o jsonObject
	o.float(name, t.Statistic)
	o.float("expectation", t.Expectation)
	o.float("variance_normality", t.VarNormality)
	o.float("variance_randomisation", t.VarRandomisation)
	o.float("z_normality", t.ZNormality)
	o.float("z_randomisation", t.ZRandomisation)
	o.float("p_normality", t.PNormality)
	o.float("p_randomisation", t.PRandomisation)
	o.str("alternative", t.Alternative)
	o.raw("n", strconv.Itoa(t.N))
	if t.Permutations > 0 {
		o.float("p_permutation", t.PPermutation)
		o.raw("permutations", strconv.Itoa(t.Permutations))
		o.raw("seed", strconv.FormatUint(t.Seed, 10))
	}
	if t.Warning != "" {
		o.str("warning", t.Warning)
	}
	return o.bytes(), nil
}

// UnmarshalJSON reads the form MarshalJSON writes (null is NaN), so that
// the output of 'agglo moran' can be read back.
func (t *GlobalTest) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*t = GlobalTest{PPermutation: math.NaN()}
	num := func(k string, dst *float64) error {
		*dst = math.NaN()
		raw, ok := m[k]
		if !ok || string(raw) == "null" {
			return nil
		}
		if err := json.Unmarshal(raw, dst); err != nil {
			return fmt.Errorf("spatial: member %q: %w", k, err)
		}
		return nil
	}
	for _, name := range []string{"I", "C", "G", "statistic"} {
		if _, ok := m[name]; ok {
			t.Name = name
			break
		}
	}
	if t.Name == "" {
		return errors.New("spatial: test without a statistic (I, C, G or statistic)")
	}
	for k, dst := range map[string]*float64{
		t.Name: &t.Statistic, "expectation": &t.Expectation,
		"variance_normality": &t.VarNormality, "variance_randomisation": &t.VarRandomisation,
		"z_normality": &t.ZNormality, "z_randomisation": &t.ZRandomisation,
		"p_normality": &t.PNormality, "p_randomisation": &t.PRandomisation, "p_permutation": &t.PPermutation,
	} {
		if err := num(k, dst); err != nil {
			return err
		}
	}
	for k, dst := range map[string]any{"warning": &t.Warning, "alternative": &t.Alternative, "n": &t.N, "permutations": &t.Permutations, "seed": &t.Seed} {
		if raw, ok := m[k]; ok {
			if err := json.Unmarshal(raw, dst); err != nil {
				return fmt.Errorf("spatial: member %q: %w", k, err)
			}
		}
	}
	return nil
}

// jsonObject writes a JSON object with members in a fixed order.
type jsonObject struct{ b []byte }

func (o *jsonObject) key(k string) {
	if len(o.b) == 0 {
		o.b = append(o.b, '{')
	} else {
		o.b = append(o.b, ',')
	}
	o.b = strconv.AppendQuote(o.b, k)
	o.b = append(o.b, ':')
}

// float writes v, or null when v is NaN or infinite (JSON has neither).
func (o *jsonObject) float(k string, v float64) {
	o.key(k)
	o.b = nulljson.AppendFloat(o.b, v)
}

func (o *jsonObject) str(k, v string) {
	o.key(k)
	o.b = strconv.AppendQuote(o.b, v)
}

func (o *jsonObject) raw(k, v string) {
	o.key(k)
	o.b = append(o.b, v...)
}

func (o *jsonObject) bytes() []byte {
	if len(o.b) == 0 {
		return []byte("{}")
	}
	return append(o.b, '}')
}

// IslandError names the regions without neighbours. It wraps ErrIsland.
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
	return fmt.Sprintf("spatial: %d region(s) without neighbours: %q%s", len(e.IDs), ids, more)
}

// Unwrap returns ErrIsland.
func (e *IslandError) Unwrap() error { return ErrIsland }

// checkIslands returns the islands of w, or an *IslandError when there are
// some and zeroPolicy is false.
func (w *Weights) checkIslands(zeroPolicy bool) ([]int, error) {
	isl := w.Islands()
	if len(isl) > 0 && !zeroPolicy {
		ids := make([]string, len(isl))
		for k, i := range isl {
			ids[k] = w.ids[i]
		}
		return nil, &IslandError{IDs: ids}
	}
	return isl, nil
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

// unitScale returns a copy of x multiplied by the power of two 2^−e that
// brings max|x| into [0.5, 1). Multiplying by a power of two is exact in
// binary floating point (unless a value falls below 2^−1022 times the
// largest), so a statistic invariant to the scale of x (Moran's I,
// Geary's C, Getis–Ord G, local Moran) computed from the result is the
// same, bit for bit, as from x, while its sums of squares and fourth
// powers can neither overflow (x near 1e300) nor underflow (x near
// 1e−300).
func unitScale(x []float64) []float64 {
	var m float64
	for _, v := range x {
		m = math.Max(m, math.Abs(v))
	}
	out := make([]float64, len(x))
	if m == 0 || math.IsInf(m, 0) || math.IsNaN(m) {
		copy(out, x)
		return out
	}
	_, e := math.Frexp(m)
	for i, v := range x {
		out[i] = math.Ldexp(v, -e)
	}
	return out
}

// centre returns x minus its mean and the sums of squares and fourth
// powers of the deviations. Callers pass unitScale(x) for statistics that
// do not depend on the scale of x.
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
// moments (Cliff and Ord 1981, ch. 2), as spdep's moran.test:
//
//	I = n/S0 · sum_ij w_ij z_i z_j / sum_i z_i²,   z = x − mean(x)
//	E[I] = −1/(n−1)
//	Var_N[I] = (n²S1 − nS2 + 3S0²)/(S0²(n²−1)) − E[I]²
//	Var_R[I] = (n((n²−3n+3)S1 − nS2 + 3S0²) − K((n²−n)S1 − 2nS2 + 6S0²))
//	           / ((n−1)(n−2)(n−3)S0²) − E[I]²
//	K = N sum z⁴/(sum z²)²   (the kurtosis of x)
//
// with S0, S1, S2 from Weights.Sums, z = (I − E[I])/sqrt(Var) and the
// normal p-value of opts.Alternative. N is the number of values; n = N
// unless opts.ZeroPolicy admits islands, when n is N less the islands
// (spdep's adjust.n = TRUE; the mean, the sums of z and K still run over
// all N values, and an island's lag is zero).
//
// With opts.Permutations = R > 0 it also returns the pseudo p-value of a
// permutation test: x is permuted R times and
//
//	p = (1 + #{I_perm ≥ I})/(1 + R)
//
// (≤ for Less; for TwoSided the smaller tail, doubled, at most 1).
//
// Moran returns an error if x has a NaN or infinite value or the wrong
// length, if x is constant, if fewer than 4 regions have neighbours, or if
// w has islands without opts.ZeroPolicy.
func Moran(x []float64, w *Weights, opts TestOptions) (GlobalTest, error) {
	if err := checkData(w, x); err != nil {
		return GlobalTest{}, err
	}
	isl, err := w.checkIslands(opts.ZeroPolicy)
	if err != nil {
		return GlobalTest{}, err
	}
	if w.N()-len(isl) < 4 {
		return GlobalTest{}, fmt.Errorf("spatial: Moran's I needs at least 4 regions with neighbours, have %d", w.N()-len(isl))
	}
	z, ss, s4 := centre(unitScale(x))
	if ss == 0 {
		return GlobalTest{}, errors.New("spatial: Moran's I of a constant variable is undefined")
	}
	n := float64(w.N() - len(isl))
	s0, s1, s2 := w.Sums()
	stat := n / s0 * dot(z, w.Lag(z)) / ss
	e := -1 / (n - 1)
	varN := (n*n*s1-n*s2+3*s0*s0)/(s0*s0*(n*n-1)) - e*e
	k := float64(len(x)) * s4 / (ss * ss)
	varR := (n*((n*n-3*n+3)*s1-n*s2+3*s0*s0)-k*((n*n-n)*s1-2*n*s2+6*s0*s0))/
		((n-1)*(n-2)*(n-3)*s0*s0) - e*e
	t := newGlobalTest("I", stat, e, varN, varR, opts, int(n))
	if opts.Permutations > 0 {
		t.PPermutation = permutationP(z, stat, opts, func(zp, lag []float64) float64 {
			w.LagTo(lag, zp)
			return n / s0 * dot(zp, lag) / ss
		})
	}
	return t, nil
}

// newGlobalTest fills the z and p values of a test whose large values
// mean positive autocorrelation. A variance that is zero within round-off
// (at most 1e-10·E², the moments' terms being of the order of E²) gives z
// and p NaN with a warning: the statistic cannot vary, and z = (I − E)/√v
// of a round-off v would be a confident nonsense (z = 0, p = 0.5, or
// p = 1 from z = −Inf).
func newGlobalTest(name string, stat, e, varN, varR float64, opts TestOptions, n int) GlobalTest {
	z := func(v float64) float64 {
		if !(v > 1e-10*e*e) {
			return math.NaN()
		}
		return (stat - e) / math.Sqrt(v)
	}
	t := GlobalTest{
		Name:             name,
		Statistic:        stat,
		Expectation:      e,
		VarNormality:     varN,
		VarRandomisation: varR,
		ZNormality:       z(varN),
		ZRandomisation:   z(varR),
		PPermutation:     math.NaN(),
		Permutations:     opts.Permutations,
		Seed:             opts.Seed,
		Alternative:      opts.Alternative.String(),
		N:                n,
	}
	t.PNormality = pNormal(t.ZNormality, opts.Alternative)
	t.PRandomisation = pNormal(t.ZRandomisation, opts.Alternative)
	for _, v := range []struct {
		what string
		v    float64
	}{{"normality", varN}, {"randomisation", varR}} {
		if !math.IsNaN(v.v) && !(v.v > 1e-10*e*e) {
			t.Warning = fmt.Sprintf("the variance of %s under %s is zero within round-off (%.3g): the statistic cannot vary with these weights, z and p are undefined (NaN)", name, v.what, v.v)
			break
		}
	}
	return t
}

// pNormal returns the p-value of a standard normal statistic z (NaN for
// NaN).
func pNormal(z float64, alt Alternative) float64 {
	if math.IsNaN(z) {
		return math.NaN()
	}
	switch alt {
	case Less:
		return distuv.UnitNormal.CDF(z)
	case TwoSided:
		return 2 * distuv.UnitNormal.Survival(math.Abs(z))
	}
	return distuv.UnitNormal.Survival(z)
}
