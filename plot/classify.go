package plot

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
)

// Scheme is a classification scheme of a choropleth map.
type Scheme string

// The classification schemes.
const (
	// Quantile puts about the same number of regions in each class: the
	// bounds are the sample quantiles at i/k (Hyndman and Fan 1996 type 7,
	// R's default and numpy's "linear"). Tied quantiles are merged, so
	// there can be fewer than k classes.
	Quantile Scheme = "quantile"
	// Equal splits the range [min, max] into k intervals of equal width.
	Equal Scheme = "equal"
	// Jenks gives the natural breaks of Jenks (1977): the partition of the
	// sorted values into k contiguous classes that minimises the sum of
	// squared deviations from the class means, computed exactly (Fisher
	// 1958) by dynamic programming.
	Jenks Scheme = "jenks"
	// User takes the bounds given by the user.
	User Scheme = "user"
)

// ErrNoValues is returned when a classification gets no finite value.
var ErrNoValues = errors.New("plot: no finite values to classify")

// Breaks returns the class bounds b_0 ≤ b_1 < … < b_k of the finite values
// of x (NaN values are missing and ignored) for the scheme and number of
// classes k. b_0 is the minimum and b_k the maximum; class i (0-based)
// holds the values in (b_i, b_{i+1}], the first class also b_0 (intervals
// closed on the right, as mapclassify and ArcGIS; b_0 = b_1 when the first
// class holds only the minimum). For the User scheme,
// user holds increasing bounds, extended by the minimum and maximum of x
// when these fall outside.
func Breaks(x []float64, scheme Scheme, k int, user []float64) ([]float64, error) {
	vals := make([]float64, 0, len(x))
	for _, v := range x {
		if !math.IsNaN(v) {
			if math.IsInf(v, 0) {
				return nil, fmt.Errorf("plot: cannot classify an infinite value")
			}
			vals = append(vals, v)
		}
	}
	if len(vals) == 0 {
		return nil, ErrNoValues
	}
	sort.Float64s(vals)
	lo, hi := vals[0], vals[len(vals)-1]
	if scheme == User {
		if len(user) == 0 {
			return nil, fmt.Errorf("plot: user scheme needs at least one break")
		}
		for i := 1; i < len(user); i++ {
			if !(user[i] > user[i-1]) {
				return nil, fmt.Errorf("plot: user breaks must increase strictly: %v then %v", user[i-1], user[i])
			}
		}
		b := append([]float64(nil), user...)
		if lo < b[0] {
			b = append([]float64{lo}, b...)
		}
		if hi > b[len(b)-1] {
			b = append(b, hi)
		}
		if len(b) < 2 {
			b = append(b, b[0])
		}
		return b, nil
	}
	if k < 1 {
		return nil, fmt.Errorf("plot: number of classes must be at least 1, got %d", k)
	}
	if lo == hi {
		return []float64{lo, hi}, nil
	}
	var b []float64
	switch scheme {
	case Quantile:
		b = make([]float64, k+1)
		for i := range b {
			b[i] = quantile7(vals, float64(i)/float64(k))
		}
		b[0], b[k] = lo, hi
		b = slices.Compact(b)
	case Equal:
		b = make([]float64, k+1)
		w := (hi - lo) / float64(k)
		if math.IsInf(w, 0) {
			w = hi/float64(k) - lo/float64(k) // a span beyond float64 (±1e308)
		}
		for i := range b {
			b[i] = lo + float64(i)*w
			if math.IsInf(b[i], 0) {
				// i·w overflows for a span near 2e308: interpolate instead.
				f := float64(i) / float64(k)
				b[i] = lo*(1-f) + hi*f
			}
		}
		b[k] = hi
	case Jenks:
		b = jenksBreaks(vals, k)
	default:
		return nil, fmt.Errorf("plot: unknown classification scheme %q (want quantile, equal, jenks or user)", scheme)
	}
	return b, nil
}

// quantile7 is the type-7 sample quantile of sorted x at p.
func quantile7(x []float64, p float64) float64 {
	h := float64(len(x)-1) * p
	i := int(math.Floor(h))
	if i >= len(x)-1 {
		return x[len(x)-1]
	}
	return x[i] + (h-float64(i))*(x[i+1]-x[i])
}

// Class returns the 0-based class of v for bounds b (from Breaks), or -1
// when v is NaN. Values below b_0 go to the first class and above b_k to
// the last.
func Class(v float64, b []float64) int {
	if math.IsNaN(v) {
		return -1
	}
	k := len(b) - 1
	if k < 1 {
		return 0
	}
	// Smallest i ≥ 1 with v ≤ b[i].
	i := sort.SearchFloat64s(b[1:], v)
	if i >= k {
		return k - 1
	}
	return i
}

// jenksBreaks computes the Fisher–Jenks optimal partition of sorted x into
// at most k classes. Ties are merged into weighted distinct values; the
// dynamic programme over m distinct values uses the monotonicity of the
// optimal split (divide and conquer, as in Ckmeans.1d.dp of Wang and Song
// 2011), O(k m log m).
func jenksBreaks(x []float64, k int) []float64 {
	// Distinct values with counts.
	var u, w []float64
	for _, v := range x {
		if n := len(u); n > 0 && u[n-1] == v {
			w[n-1]++
			continue
		}
		u = append(u, v)
		w = append(w, 1)
	}
	m := len(u)
	if k > m {
		k = m
	}
	// Prefix sums of weights, weighted values and squares, centred on the
	// median to limit cancellation, in units of the power of two 2^e just
	// above max|x| (exact; the optimal classes do not depend on the scale),
	// so that the squares cannot overflow for values near 1e308.
	_, e := math.Frexp(math.Max(math.Abs(u[0]), math.Abs(u[m-1])))
	c := math.Ldexp(u[m/2], -e)
	sw := make([]float64, m+1)
	s1 := make([]float64, m+1)
	s2 := make([]float64, m+1)
	for i := range m {
		d := math.Ldexp(u[i], -e) - c
		sw[i+1] = sw[i] + w[i]
		s1[i+1] = s1[i] + w[i]*d
		s2[i+1] = s2[i] + w[i]*d*d
	}
	// sse(j, i): sum of squared deviations of distinct values j..i.
	sse := func(j, i int) float64 {
		n := sw[i+1] - sw[j]
		a := s1[i+1] - s1[j]
		v := s2[i+1] - s2[j] - a*a/n
		if v < 0 {
			return 0
		}
		return v
	}
	prev := make([]float64, m)
	cur := make([]float64, m)
	arg := make([][]int32, k)
	for i := range m {
		prev[i] = sse(0, i)
	}
	arg[0] = make([]int32, m)
	for q := 1; q < k; q++ {
		arg[q] = make([]int32, m)
		// cur[i] = min_{q ≤ j ≤ i} prev[j-1] + sse(j, i), for i ≥ q.
		var solve func(lo, hi, optLo, optHi int)
		solve = func(lo, hi, optLo, optHi int) {
			if lo > hi {
				return
			}
			mid := (lo + hi) / 2
			best, bestJ := math.Inf(1), optLo
			top := min(mid, optHi)
			for j := max(optLo, q); j <= top; j++ {
				if v := prev[j-1] + sse(j, mid); v < best {
					best, bestJ = v, j
				}
			}
			cur[mid] = best
			arg[q][mid] = int32(bestJ)
			solve(lo, mid-1, optLo, bestJ)
			solve(mid+1, hi, bestJ, optHi)
		}
		solve(q, m-1, q, m-1)
		for i := range q {
			cur[i] = math.Inf(1)
		}
		prev, cur = cur, prev
	}
	// Backtrack the starts of the classes.
	b := make([]float64, k+1)
	b[0], b[k] = u[0], u[m-1]
	i := m - 1
	for q := k - 1; q >= 1; q-- {
		j := int(arg[q][i])
		b[q] = u[j-1]
		i = j - 1
	}
	return b
}

func sortFloats(x []float64) { sort.Float64s(x) }
