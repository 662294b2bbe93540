package regress

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/mat"
)

// mgsKept is prepare's collinearity rule by modified Gram–Schmidt on the
// columns, as prepare applied it before the Cholesky path: a column is
// kept when its residual sum of squares off the kept ones exceeds 1e-10
// of its own.
func mgsKept(cols [][]float64) []bool {
	var basis [][]float64
	kept := make([]bool, len(cols))
	for j, c := range cols {
		nrm0 := dot(c, c)
		res := slices.Clone(c)
		for _, b := range basis {
			a := dot(res, b)
			for i := range res {
				res[i] -= a * b[i]
			}
		}
		nrm := dot(res, res)
		if nrm0 == 0 || nrm <= 1e-10*nrm0 {
			continue
		}
		for i := range res {
			res[i] /= math.Sqrt(nrm)
		}
		basis = append(basis, res)
		kept[j] = true
	}
	return kept
}

// TestCollinearity checks the collinearity judgement of prepare (Cholesky
// factor of the Gram matrix, Gram–Schmidt near the threshold) against
// Gram–Schmidt throughout, on independent columns, columns 1e-2, 1e-4
// (kept) and 1e-6, 1e-8 (dropped) away from the span of earlier ones,
// exact copies, a zero column and columns after a near-collinear one.
func TestCollinearity(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const n = 400
	normal := func() []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = rng.NormFloat64()
		}
		return v
	}
	near := func(a, b []float64, eps float64) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = a[i] - 2*b[i] + eps*rng.NormFloat64()
		}
		return v
	}
	x1, x2, x3 := normal(), normal(), normal()
	cases := []struct {
		name      string
		cols      [][]float64
		wantKept  []bool
		wantExact bool
	}{
		{"independent", [][]float64{x1, x2, x3}, []bool{true, true, true}, false},
		{"1e-2 off the span", [][]float64{x1, x2, near(x1, x2, 1e-2), x3}, []bool{true, true, true, true}, false},
		{"1e-4 off the span", [][]float64{x1, x2, near(x1, x2, 1e-4), x3}, []bool{true, true, true, true}, true},
		{"1e-6 off the span", [][]float64{x1, x2, near(x1, x2, 1e-6), x3}, []bool{true, true, false, true}, true},
		{"1e-8 off the span", [][]float64{x1, near(x1, x2, 0)[:n], near(x1, x1, 1e-8), x3}, []bool{true, true, false, true}, true},
		{"copy", [][]float64{x1, x2, slices.Clone(x2), x3}, []bool{true, true, false, true}, true},
		{"zero column", [][]float64{x1, make([]float64, n), x2}, []bool{true, false, true}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var c collinearity
			var kept [][]float64
			got := make([]bool, len(tc.cols))
			for j, col := range tc.cols {
				nrm0, nrm := c.residual(col, kept)
				if nrm0 == 0 || nrm <= 1e-10*nrm0 {
					continue
				}
				c.add()
				kept = append(kept, col)
				got[j] = true
			}
			if ref := mgsKept(tc.cols); !slices.Equal(got, ref) || !slices.Equal(got, tc.wantKept) {
				t.Fatalf("kept %v, Gram–Schmidt %v, want %v", got, ref, tc.wantKept)
			}
			if c.exact != tc.wantExact {
				t.Errorf("Gram–Schmidt fallback %v, want %v", c.exact, tc.wantExact)
			}
		})
	}
}

// TestPrepareLeavesPanelAlone checks that prepare transforms its own
// copies of the columns (the panel's X and Y are unchanged), that the
// raw columns it hands out are the panel's (and the raw W·X columns of a
// Durbin model), and that fitting twice gives the same result.
func TestPrepareLeavesPanelAlone(t *testing.T) {
	w, err := spatial.Lattice(6, 6, false)
	if err != nil {
		t.Fatal(err)
	}
	if w, err = w.Transform(spatial.RowStandardized); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 8))
	for _, tc := range []struct {
		model   SpatialModel
		effects string
	}{{SAR, "individual"}, {SDM, "twoways"}, {SEM, "time"}, {SDM, "none"}} {
		t.Run(fmt.Sprintf("%s %s", tc.model, tc.effects), func(t *testing.T) {
			p := simulate(rng, w, 4, tc.model, simTruth{rho: 0.3, lambda: 0.3, beta: []float64{1, -1}, theta: []float64{0.5, 0.2}}, tc.effects)
			_, k := p.X.Dims()
			p.Names = nil
			for j := range k {
				p.Names = append(p.Names, fmt.Sprintf("x%d", j+1))
			}
			x0, y0 := mat.DenseCopyOf(p.X), slices.Clone(p.Y)
			opt := SpatialOptions{Model: tc.model, W: w, Effects: tc.effects, ImpactDraws: 50, Seed: 1}
			d, err := prepare(p, &opt, tc.effects)
			if err != nil {
				t.Fatal(err)
			}
			if !mat.Equal(p.X, x0) || !slices.Equal(p.Y, y0) {
				t.Fatal("prepare changed the panel")
			}
			col := d.rawColumns()
			for j, name := range d.names {
				want := []float64(nil)
				if j := slices.Index(p.Names, name); j >= 0 {
					want = mat.Col(nil, j, x0)
				} else {
					want = lagPanel(w, mat.Col(nil, slices.Index(p.Names, name[2:]), x0), p.N, p.T)
				}
				if got := col(j); !slices.Equal(got, want) {
					t.Fatalf("raw column %s differs", name)
				}
				if d.rawConstant(j) != isConstant(want) {
					t.Errorf("raw column %s: constant %v", name, d.rawConstant(j))
				}
			}
			r1, err := FitSpatial(p, opt)
			if err != nil {
				t.Fatal(err)
			}
			r2, err := FitSpatial(p, opt)
			if err != nil {
				t.Fatal(err)
			}
			if !mat.Equal(p.X, x0) || !slices.Equal(p.Y, y0) {
				t.Fatal("FitSpatial changed the panel")
			}
			if !reflect.DeepEqual(r1.Coefficients, r2.Coefficients) || !reflect.DeepEqual(r1.TermSD, r2.TermSD) || !reflect.DeepEqual(r1.FixedEffects, r2.FixedEffects) {
				t.Fatal("two fits of the same panel differ")
			}
		})
	}
}
