package regress

import (
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"
)

// balancedPanel is a balanced 4 × 3 panel whose rows are stored out of
// (id, time) order, with two variables.
var balancedPanel = struct {
	id, time []int
	v        [][2]float64
}{
	id:   []int{2, 0, 3, 1, 0, 2, 3, 1, 0, 3, 2, 1},
	time: []int{1, 0, 2, 2, 2, 0, 0, 1, 1, 1, 2, 0},
	v: [][2]float64{
		{3, -1}, {1, 4}, {8, 0.5}, {2, 2}, {6, 7}, {5, 1},
		{-2, 3}, {4, -6}, {0, 9}, {7, 2}, {9, -3}, {10, 5},
	},
}

// twoWayDirect returns the balanced two-way within transformation of column
// c of balancedPanel computed from its definition on the id × time table:
//
//	ỹ_it = y_it − ȳ_i· − ȳ_·t + ȳ··
//
// (Baltagi 2021, Econometric Analysis of Panel Data, 6th ed., §3.2), with
// the means taken by explicit loops over the table.
func twoWayDirect(c int) []float64 {
	const nid, nt = 4, 3
	var tab [nid][nt]float64
	for r, i := range balancedPanel.id {
		tab[i][balancedPanel.time[r]] = balancedPanel.v[r][c]
	}
	var rowM [nid]float64
	var colM [nt]float64
	var all float64
	for i := 0; i < nid; i++ {
		for t := 0; t < nt; t++ {
			rowM[i] += tab[i][t] / nt
			colM[t] += tab[i][t] / nid
			all += tab[i][t] / (nid * nt)
		}
	}
	out := make([]float64, len(balancedPanel.id))
	for r, i := range balancedPanel.id {
		t := balancedPanel.time[r]
		out[r] = tab[i][t] - rowM[i] - colM[t] + all
	}
	return out
}

// dummyResiduals returns the residuals of column c of balancedPanel on an
// intercept and individual and time dummies (least squares by QR), the
// definition of the two-way within transformation.
func dummyResiduals(t *testing.T, c int) []float64 {
	t.Helper()
	n := len(balancedPanel.id)
	x := mat.NewDense(n, 1+3+2, nil)
	y := make([]float64, n)
	for r := range y {
		y[r] = balancedPanel.v[r][c]
		x.Set(r, 0, 1)
		if i := balancedPanel.id[r]; i > 0 {
			x.Set(r, i, 1)
		}
		if tt := balancedPanel.time[r]; tt > 0 {
			x.Set(r, 3+tt, 1)
		}
	}
	var qr mat.QR
	qr.Factorize(x)
	var b, fit mat.VecDense
	if err := b.SolveVec(&qr, mat.NewVecDense(n, y)); err != nil {
		t.Fatal(err)
	}
	fit.MulVec(x, &b)
	for r := range y {
		y[r] -= fit.AtVec(r)
	}
	return y
}

// TestWithinTwoWaysBalanced checks the closed form of the balanced two-way
// within transformation (vector and dense paths, rows out of order) against
// the definition on the id × time table and against the residuals of the
// dummy-variable regression.
func TestWithinTwoWaysBalanced(t *testing.T) {
	id, tm := balancedPanel.id, balancedPanel.time
	n := len(id)
	// The table computation and the dummy regression agree (both are
	// independent of the package).
	for c := 0; c < 2; c++ {
		direct, dummy := twoWayDirect(c), dummyResiduals(t, c)
		for r := range direct {
			if !scalar.EqualWithinAbs(direct[r], dummy[r], 1e-12) {
				t.Fatalf("column %d row %d: table %g, dummies %g", c, r, direct[r], dummy[r])
			}
		}
	}
	// Hand check of one cell, row 1 (id 0, time 0, value 1): id 0 has 1, 0,
	// 6 (mean 7/3), time 0 has 1, 5, −2, 10 (mean 14/4), and column 0 sums
	// to 53 over 12 rows.
	if got := twoWayDirect(0)[1]; !scalar.EqualWithinAbs(got, 1-7.0/3-14.0/4+53.0/12, 1e-12) {
		t.Fatalf("hand value of row 1: %g", got)
	}

	for c := 0; c < 2; c++ {
		want := twoWayDirect(c)
		v := make([]float64, n)
		for r := range v {
			v[r] = balancedPanel.v[r][c]
		}
		got := append([]float64(nil), v...)
		it, err := WithinTwoWays(got, id, 4, tm, 3, 0)
		if err != nil {
			t.Fatal(err)
		}
		if it != 0 {
			t.Errorf("column %d: %d iterations, want the closed form (0) on a balanced panel", c, it)
		}
		got2 := append([]float64(nil), v...)
		if err := Within(got2, id, 4, tm, 3, TwoWays); err != nil {
			t.Fatal(err)
		}
		for r := range want {
			if !scalar.EqualWithinAbs(got[r], want[r], 1e-12) {
				t.Errorf("WithinTwoWays column %d row %d: %g, want %g", c, r, got[r], want[r])
			}
			if !scalar.EqualWithinAbs(got2[r], want[r], 1e-12) {
				t.Errorf("Within column %d row %d: %g, want %g", c, r, got2[r], want[r])
			}
		}
	}

	x := mat.NewDense(n, 2, nil)
	for r := 0; r < n; r++ {
		x.Set(r, 0, balancedPanel.v[r][0])
		x.Set(r, 1, balancedPanel.v[r][1])
	}
	xd, err := WithinDense(x, id, 4, tm, 3, TwoWays)
	if err != nil {
		t.Fatal(err)
	}
	for c := 0; c < 2; c++ {
		want := twoWayDirect(c)
		for r := range want {
			if got := xd.At(r, c); !scalar.EqualWithinAbs(got, want[r], 1e-12) {
				t.Errorf("WithinDense column %d row %d: %g, want %g", c, r, got, want[r])
			}
		}
	}
}
