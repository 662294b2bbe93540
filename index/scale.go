package index

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// overflowExp returns the exponent e of the power of two 2^−e that brings
// the largest |v| into [0.5, 1) when sums over count such values could
// overflow (or the values are so small that their squares underflow), and
// 0 otherwise. Scaling by a power of two is exact in binary floating point,
// so an index that does not depend on the scale of the activity (shares,
// location quotients, Gini, Herfindahl, Ellison–Glaeser, coagglomeration)
// is unchanged, and its sums stay finite for values up to the largest
// float64.
func overflowExp(maxAbs float64, count int) int {
	if maxAbs == 0 || math.IsInf(maxAbs, 0) || math.IsNaN(maxAbs) {
		return 0
	}
	if maxAbs*float64(count+1) <= 0x1p1000 && maxAbs >= 0x1p-500 {
		return 0
	}
	_, e := math.Frexp(maxAbs)
	return e
}

// unitScaleDense returns m, or when sums over its entries could overflow
// (overflowExp), a copy scaled by 2^−e, with e.
func unitScaleDense(m *mat.Dense) (*mat.Dense, int) {
	r, c := m.Dims()
	var mx float64
	for i := 0; i < r; i++ {
		for _, v := range m.RawRowView(i) {
			mx = math.Max(mx, math.Abs(v))
		}
	}
	e := overflowExp(mx, r*c)
	if e == 0 {
		return m, 0
	}
	out := mat.NewDense(r, c, nil)
	for i := 0; i < r; i++ {
		dst := out.RawRowView(i)
		for j, v := range m.RawRowView(i) {
			dst[j] = math.Ldexp(v, -e)
		}
	}
	return out, e
}
