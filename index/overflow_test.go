package index

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestIndicesExtremeValues checks issue 13 item 6: the indices are ratios
// of sums of equal degree in the activity, so multiplying every cell by
// 1e300 (or 1e-300, or using cells of 1e308, whose sums overflow float64)
// must give the indices of the unscaled table (to 1e-13 relative: the
// scaling by a power of two is exact, only the factor 1e300 rounds).
func TestIndicesExtremeValues(t *testing.T) {
	base := []float64{
		3, 0, 5, 1,
		1, 4, 2, 2,
		6, 1, 0, 3,
		2, 2, 2, 7,
		0, 5, 1, 1,
	}
	online := []float64{
		0.1, 0.2, 0.3, 0.4,
		0.5, 0.1, 0.2, 0.3,
		0.2, 0.2, 0.2, 0.2,
		0.3, 0.4, 0.1, 0.1,
		0.1, 0.1, 0.5, 0.2,
	}
	o := mat.NewDense(5, 4, online)
	h := []float64{0.1, 0.2, 0.05, 0.3}
	all := func(e *mat.Dense) ([]float64, error) {
		var out []float64
		add := func(v ...float64) { out = append(out, v...) }
		addM := func(m *mat.Dense) { add(m.RawMatrix().Data...) }
		lq, err := LQ(e, ZeroNaN)
		if err != nil {
			return nil, err
		}
		addM(lq)
		for _, f := range []func(mat.Matrix, ZeroPolicy) ([]float64, error){Hoover, Krugman, HHISector, HHIRegion} {
			v, err := f(e, ZeroNaN)
			if err != nil {
				return nil, err
			}
			add(v...)
		}
		g, err := Gini(e, nil, ZeroNaN)
		if err != nil {
			return nil, err
		}
		add(g...)
		eg, err := EllisonGlaeser(e, h, ZeroNaN)
		if err != nil {
			return nil, err
		}
		add(eg.Gamma...)
		egk, err := EGK(e, ZeroNaN)
		if err != nil {
			return nil, err
		}
		addM(egk)
		c, err := Coagg(e, []int{0, 1}, []int{2, 3}, ZeroNaN)
		if err != nil {
			return nil, err
		}
		add(c.Value...)
		va, err := VA(e, o, true, ZeroNaN)
		if err != nil {
			return nil, err
		}
		addM(va)
		vr, err := VARegion(e, va, nil, [][]int{{0, 1}, {2, 3}}, ZeroNaN)
		if err != nil {
			return nil, err
		}
		addM(vr)
		gap, err := VAGap(e, o, ZeroNaN)
		if err != nil {
			return nil, err
		}
		add(gap...)
		col := make([]float64, 5)
		mat.Col(col, 0, e)
		add(Herfindahl(col))
		return out, nil
	}
	want, err := all(mat.NewDense(5, 4, base))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []float64{1e300, 1e-300, math.MaxFloat64 / 8} { // cells up to 1.57e308
		t.Run(fmt.Sprint(f), func(t *testing.T) {
			scaled := make([]float64, len(base))
			for i, v := range base {
				scaled[i] = v * f
			}
			got, err := all(mat.NewDense(5, 4, scaled))
			if err != nil {
				t.Fatal(err)
			}
			for k := range want {
				if math.IsNaN(want[k]) != math.IsNaN(got[k]) || !math.IsNaN(want[k]) && !(math.Abs(got[k]-want[k]) <= 1e-13*math.Max(1, math.Abs(want[k]))) {
					t.Fatalf("output %d = %v, unscaled %v", k, got[k], want[k])
				}
			}
		})
	}
}

// TestNewTableTooLarge checks issue 13 item 11 for index tables: 100,000
// regions × 10,000 sectors × 2 periods (16 GB of dense tables from a file
// that may hold a few rows) is refused with a message naming the sizes.
func TestNewTableTooLarge(t *testing.T) {
	label := func(p string, n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprint(p, i)
		}
		return out
	}
	_, err := NewTable(label("r", 100000), label("s", 10000), []string{"2000", "2001"}, false)
	if err == nil || !strings.Contains(err.Error(), "100000 regions × 10000 sectors × 2 periods") {
		t.Fatalf("err = %v", err)
	}
	if _, err := NewTable(label("r", 100), label("s", 10), []string{"2000"}, true); err != nil {
		t.Fatal(err)
	}
}
