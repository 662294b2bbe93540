package spatial

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"
)

// pathWeights returns binary weights of a path 0–1–2–…–(n-1).
func pathWeights(t *testing.T, n int) *Weights {
	t.Helper()
	ids := make([]string, n)
	var links []Link
	for i := range ids {
		ids[i] = string(rune('a' + i))
		if i > 0 {
			links = append(links, Link{From: i, To: i - 1, Weight: 1}, Link{From: i - 1, To: i, Weight: 1})
		}
	}
	w, err := NewWeights(ids, links)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestNewWeightsErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		ids   []string
		links []Link
	}{
		{"duplicate id", []string{"a", "a"}, nil},
		{"self link", []string{"a", "b"}, []Link{{0, 0, 1}}},
		{"out of range", []string{"a", "b"}, []Link{{0, 2, 1}}},
		{"duplicate link", []string{"a", "b"}, []Link{{0, 1, 1}, {0, 1, 2}}},
		{"NaN weight", []string{"a", "b"}, []Link{{0, 1, math.NaN()}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := NewWeights(tc.ids, tc.links); err == nil {
				t.Fatal("want error")
			}
		})
	}
}

func TestSumsAgainstDense(t *testing.T) {
	// An asymmetric matrix checks the w_ji = 0 branch of S1.
	w, err := NewWeights([]string{"a", "b", "c"}, []Link{{0, 1, 2}, {1, 0, 1}, {1, 2, 3}, {2, 0, 0.5}})
	if err != nil {
		t.Fatal(err)
	}
	d := w.Dense()
	n := 3
	var s0, s1, s2 float64
	for i := 0; i < n; i++ {
		var ri, ci float64
		for j := 0; j < n; j++ {
			s0 += d.At(i, j)
			s1 += math.Pow(d.At(i, j)+d.At(j, i), 2)
			ri += d.At(i, j)
			ci += d.At(j, i)
		}
		s2 += (ri + ci) * (ri + ci)
	}
	s1 /= 2
	g0, g1, g2 := w.Sums()
	for _, c := range [][2]float64{{g0, s0}, {g1, s1}, {g2, s2}} {
		if !scalar.EqualWithinAbsOrRel(c[0], c[1], 1e-14, 1e-14) {
			t.Errorf("Sums: got %v want %v", c[0], c[1])
		}
	}
	if w.IsSymmetric() || w.IsStructurallySymmetric() {
		t.Error("asymmetric weights reported symmetric")
	}
}

func TestLagAndTransform(t *testing.T) {
	w := pathWeights(t, 4)
	rw, err := w.Transform(RowStandardized)
	if err != nil {
		t.Fatal(err)
	}
	got := rw.Lag([]float64{1, 2, 3, 4})
	want := []float64{2, 2, 3, 3}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Lag = %v, want %v", got, want)
		}
	}
	var dense mat.VecDense
	dense.MulVec(rw, mat.NewVecDense(4, []float64{1, 2, 3, 4}))
	for i := range want {
		if dense.AtVec(i) != want[i] {
			t.Fatalf("gonum MulVec via mat.Matrix = %v", dense.RawVector().Data)
		}
	}
	c, _ := w.Transform(GlobalStandardized)
	s0, _, _ := c.Sums()
	if !scalar.EqualWithinAbsOrRel(s0, 4, 1e-14, 1e-14) {
		t.Errorf("C style S0 = %v, want n = 4", s0)
	}
}

func TestEigenLogDetPath(t *testing.T) {
	// Row-standardised path: eigenvalues are real; compare the log-det with
	// a dense LU determinant.
	w, _ := pathWeights(t, 6).Transform(RowStandardized)
	ld, err := NewEigenLogDet(w)
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := ld.Interval()
	if !scalar.EqualWithinAbsOrRel(hi, 1, 1e-12, 1e-12) || !scalar.EqualWithinAbsOrRel(lo, -1, 1e-12, 1e-12) {
		t.Errorf("interval (%v, %v), want (-1, 1) for a bipartite row-standardised graph", lo, hi)
	}
	for _, rho := range []float64{-0.9, -0.3, 0, 0.5, 0.95} {
		var a mat.Dense
		a.Scale(-rho, w.Dense())
		for i := 0; i < 6; i++ {
			a.Set(i, i, a.At(i, i)+1)
		}
		var lu mat.LU
		lu.Factorize(&a)
		want, _ := lu.LogDet()
		if got := ld.LogDet(rho); !scalar.EqualWithinAbsOrRel(got, want, 1e-12, 1e-12) {
			t.Errorf("rho=%v: LogDet = %v, want %v", rho, got, want)
		}
	}
	// An asymmetric matrix takes the general path and still matches LU.
	a, _ := NewWeights([]string{"a", "b", "c"}, []Link{{0, 1, 0.5}, {1, 2, 0.7}, {2, 0, 0.9}, {1, 0, 0.2}})
	gl, err := NewEigenLogDet(a)
	if err != nil {
		t.Fatal(err)
	}
	var m mat.Dense
	m.Scale(-0.4, a.Dense())
	for i := 0; i < 3; i++ {
		m.Set(i, i, m.At(i, i)+1)
	}
	var lu mat.LU
	lu.Factorize(&m)
	want, _ := lu.LogDet()
	if got := gl.LogDet(0.4); !scalar.EqualWithinAbsOrRel(got, want, 1e-12, 1e-12) {
		t.Errorf("general: LogDet = %v, want %v", got, want)
	}
}

func TestLatticeCardinalities(t *testing.T) {
	for _, tc := range []struct {
		name                   string
		queen                  bool
		corner, edge, interior int
	}{
		{"rook", false, 2, 3, 4},
		{"queen", true, 3, 5, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, err := Lattice(4, 5, tc.queen)
			if err != nil {
				t.Fatal(err)
			}
			card := w.Cardinalities()
			if card[0] != tc.corner || card[2] != tc.edge || card[1*5+2] != tc.interior {
				t.Errorf("cardinalities corner %d edge %d interior %d", card[0], card[2], card[7])
			}
			if !w.IsSymmetric() {
				t.Error("lattice not symmetric")
			}
		})
	}
}

// TestIsSymmetricSimilar checks that IsSymmetricSimilar reports what
// SymmetricSimilar does, asked first or second, and that a value with
// other weights does not inherit the remembered answer: a triangle with
// w_ab w_bc w_ca ≠ w_ba w_cb w_ac (Kolmogorov's criterion fails) is not
// similar to a symmetric matrix, its binary transform is, and a
// row-standardised lattice is.
func TestIsSymmetricSimilar(t *testing.T) {
	lat, err := Lattice(7, 5, true)
	if err != nil {
		t.Fatal(err)
	}
	latW, err := lat.Transform(RowStandardized)
	if err != nil {
		t.Fatal(err)
	}
	for _, askFirst := range []bool{true, false} {
		w, err := NewWeights([]string{"a", "b", "c"}, []Link{
			{From: 0, To: 1, Weight: 1}, {From: 1, To: 0, Weight: 2},
			{From: 1, To: 2, Weight: 1}, {From: 2, To: 1, Weight: 1},
			{From: 2, To: 0, Weight: 1}, {From: 0, To: 2, Weight: 1},
		})
		if err != nil {
			t.Fatal(err)
		}
		bin, err := w.Transform(Binary)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			w    *Weights
			want bool
		}{{"triangle", w, false}, {"its binary transform", bin, true}, {"row-standardised lattice", latW, true}} {
			var got, other bool
			if askFirst {
				got = c.w.IsSymmetricSimilar()
				_, other = c.w.SymmetricSimilar()
			} else {
				_, other = c.w.SymmetricSimilar()
				got = c.w.IsSymmetricSimilar()
			}
			if got != c.want || other != c.want || c.w.IsSymmetricSimilar() != c.want {
				t.Errorf("%s (asked first %v): IsSymmetricSimilar %v, SymmetricSimilar %v, want %v", c.name, askFirst, got, other, c.want)
			}
		}
	}
}
