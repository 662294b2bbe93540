package index

import (
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// TestCompositeEntropyHand checks the entropy weights by hand on three
// rows and two indicators, x1 = (1, 2, 4) and x2 = (10, 30, 20):
// min–max gives (0, 1/3, 1) and (0, 1, 1/2), shares p1 = (0, 1/4, 3/4)
// and p2 = (0, 2/3, 1/3), so
//
//	e1 = (¼ ln 4 + ¾ ln 4/3) / ln 3,  e2 = (⅔ ln 3/2 + ⅓ ln 3) / ln 3,
//	w_j = (1 − e_j) / (2 − e1 − e2),  index_3 = w1·1 + w2·½.
//
// With x2 negative its min–max values are (1, 0, 1/2), shares (2/3, 0,
// 1/3): the same entropy, so the same weights, and index_1 = w2.
func TestCompositeEntropyHand(t *testing.T) {
	x := [][]float64{{1, 10}, {2, 30}, {4, 20}}
	names := []string{"x1", "x2"}
	ln3 := math.Log(3)
	e1 := (0.25*math.Log(4) + 0.75*math.Log(4.0/3)) / ln3
	e2 := (2.0/3*math.Log(1.5) + 1.0/3*math.Log(3)) / ln3
	w1, w2 := (1-e1)/(2-e1-e2), (1-e2)/(2-e1-e2)
	for _, tc := range []struct {
		name      string
		negative  []bool
		wantIndex []float64
	}{
		{"positive", nil, []float64{0, w1/3 + w2, w1 + w2/2}},
		{"x2 negative", []bool{false, true}, []float64{w2, w1 / 3, w1 + w2/2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Composite(x, names, nil, CompositeOptions{Method: EntropyMethod, Negative: tc.negative})
			if err != nil {
				t.Fatal(err)
			}
			g := res.Groups[0]
			for j, want := range []float64{w1, w2} {
				if !scalar.EqualWithinAbsOrRel(g.Weights[j], want, 1e-14, 1e-14) {
					t.Errorf("w%d = %.15g, hand %.15g", j+1, g.Weights[j], want)
				}
			}
			for j, want := range []float64{e1, e2} {
				if !scalar.EqualWithinAbsOrRel(g.Entropy[j], want, 1e-14, 1e-14) {
					t.Errorf("e%d = %.15g, hand %.15g", j+1, g.Entropy[j], want)
				}
			}
			for r, want := range tc.wantIndex {
				if !scalar.EqualWithinAbsOrRel(res.Index[r], want, 1e-14, 1e-14) {
					t.Errorf("index[%d] = %.15g, hand %.15g", r, res.Index[r], want)
				}
			}
		})
	}
}

// compositePanel is a small two-period panel of three indicators.
func compositePanel() ([][]float64, []string) {
	x := [][]float64{
		{1.2, 30, 0.5}, {2.5, 42, 0.1}, {0.7, 18, 0.9}, {3.1, 55, 0.3}, {1.9, 25, 0.6},
		{1.5, 33, 0.4}, {2.8, 47, 0.2}, {0.9, 20, 0.8}, {3.6, 51, 0.25}, {2.2, 31, 0.5},
	}
	periods := []string{"2019", "2019", "2019", "2019", "2019", "2020", "2020", "2020", "2020", "2020"}
	return x, periods
}

// TestCompositeProperties checks, for every method, pooled and by period,
// that entropy and equal weights sum to 1, PCA loadings have unit length,
// and the weights and index are unchanged when an indicator is multiplied
// by a positive constant (min–max and z-scores remove the scale).
func TestCompositeProperties(t *testing.T) {
	x, periods := compositePanel()
	names := []string{"a", "b", "c"}
	scaled := make([][]float64, len(x))
	for r := range x {
		scaled[r] = slices.Clone(x[r])
		scaled[r][1] *= 7.3
	}
	for _, method := range []CompositeMethod{EntropyMethod, PCAMethod, EqualMethod} {
		for _, byPeriod := range []bool{false, true} {
			opts := CompositeOptions{Method: method, ByPeriod: byPeriod, Negative: []bool{false, false, true}}
			name := method.String()
			if byPeriod {
				name += " by period"
			}
			t.Run(name, func(t *testing.T) {
				res, err := Composite(x, names, periods, opts)
				if err != nil {
					t.Fatal(err)
				}
				if want := map[bool]int{false: 1, true: 2}[byPeriod]; len(res.Groups) != want {
					t.Fatalf("%d weight groups, want %d", len(res.Groups), want)
				}
				res2, err := Composite(scaled, names, periods, opts)
				if err != nil {
					t.Fatal(err)
				}
				for k, g := range res.Groups {
					var sum, sq float64
					for j, w := range g.Weights {
						sum += w
						sq += w * w
						if !scalar.EqualWithinAbsOrRel(res2.Groups[k].Weights[j], w, 1e-12, 1e-12) {
							t.Errorf("group %d weight %d: %v after rescaling, %v before", k, j, res2.Groups[k].Weights[j], w)
						}
					}
					if method == PCAMethod {
						if !scalar.EqualWithinAbsOrRel(sq, 1, 1e-12, 1e-12) || !(g.Weights[0] > 0) {
							t.Errorf("group %d: loadings %v: want unit length and a positive first loading", k, g.Weights)
						}
					} else if !scalar.EqualWithinAbsOrRel(sum, 1, 1e-14, 1e-14) {
						t.Errorf("group %d: weights %v sum to %v", k, g.Weights, sum)
					}
				}
				for r := range res.Index {
					if !scalar.EqualWithinAbsOrRel(res2.Index[r], res.Index[r], 1e-12, 1e-12) {
						t.Errorf("index[%d] %v after rescaling, %v before", r, res2.Index[r], res.Index[r])
					}
				}
			})
		}
	}
}

// TestCompositePCAEigen checks the PCA weights against a direct
// eigen-decomposition (mat.EigenSym) of the correlation matrix of the
// indicators: the loadings are its leading eigenvector (sign fixed by the
// first element), the explained share λ_max / m, and the index the
// z-scores times the loadings.
func TestCompositePCAEigen(t *testing.T) {
	x, _ := compositePanel()
	n, m := len(x), 3
	data := mat.NewDense(n, m, nil)
	for r := range x {
		data.SetRow(r, x[r])
	}
	var corr mat.SymDense
	stat.CorrelationMatrix(&corr, data, nil)
	var eig mat.EigenSym
	if !eig.Factorize(&corr, true) {
		t.Fatal("eigen-decomposition failed")
	}
	vals := eig.Values(nil) // ascending
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	lead := mat.Col(nil, m-1, &vecs)
	if lead[0] < 0 {
		for j := range lead {
			lead[j] = -lead[j]
		}
	}
	res, err := Composite(x, []string{"a", "b", "c"}, nil, CompositeOptions{Method: PCAMethod, Normalise: ZScore})
	if err != nil {
		t.Fatal(err)
	}
	g := res.Groups[0]
	for j := range lead {
		if !scalar.EqualWithinAbsOrRel(g.Weights[j], lead[j], 1e-10, 1e-10) {
			t.Errorf("loading %d = %.12g, eigenvector %.12g", j, g.Weights[j], lead[j])
		}
	}
	if want := vals[m-1] / float64(m); !scalar.EqualWithinAbsOrRel(g.Explained, want, 1e-10, 1e-10) {
		t.Errorf("explained %.12g, λ_max/m %.12g", g.Explained, want)
	}
	for r := 0; r < n; r++ {
		var want float64
		for j := 0; j < m; j++ {
			col := mat.Col(nil, j, data)
			mean, sd := stat.MeanStdDev(col, nil)
			want += lead[j] * (x[r][j] - mean) / sd
		}
		if !scalar.EqualWithinAbsOrRel(res.Index[r], want, 1e-10, 1e-10) {
			t.Errorf("index[%d] = %.12g, direct %.12g", r, res.Index[r], want)
		}
	}
}

// TestCompositeBadInput checks the errors of Composite.
func TestCompositeBadInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		x    [][]float64
		opts CompositeOptions
	}{
		{"constant indicator", [][]float64{{1, 2}, {1, 3}}, CompositeOptions{}},
		{"one row", [][]float64{{1, 2}}, CompositeOptions{}},
		{"NaN", [][]float64{{1, 2}, {math.NaN(), 3}}, CompositeOptions{}},
		{"entropy of z-scores", [][]float64{{1, 2}, {2, 3}}, CompositeOptions{Normalise: ZScore}},
		{"negative flags", [][]float64{{1, 2}, {2, 3}}, CompositeOptions{Negative: []bool{true}}},
	} {
		if _, err := Composite(tc.x, []string{"a", "b"}, nil, tc.opts); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}
