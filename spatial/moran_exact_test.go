package spatial

import (
	"encoding/json"
	"math"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
	gspatial "gonum.org/v1/gonum/stat/spatial"
)

// permute calls f with every permutation of p (Heap's algorithm).
func permute(p []float64, f func([]float64)) {
	n := len(p)
	c := make([]int, n)
	f(p)
	for i := 0; i < n; {
		if c[i] < i {
			if i%2 == 0 {
				p[0], p[i] = p[i], p[0]
			} else {
				p[c[i]], p[i] = p[i], p[c[i]]
			}
			f(p)
			c[i]++
			i = 0
		} else {
			c[i] = 0
			i++
		}
	}
}

// TestRandomisationMomentsExact checks the randomisation moments of
// Moran's I, Geary's C and Getis–Ord G against their definition: the mean
// and variance of the statistic over all n! permutations of the values
// (Cliff and Ord 1981, ch. 2; Getis and Ord 1992). The weights are
// asymmetric and unequal, so S1 and S2 are exercised.
func TestRandomisationMomentsExact(t *testing.T) {
	ids := []string{"a", "b", "c", "d", "e", "f", "g"}
	links := []Link{
		{0, 1, 1}, {0, 2, 0.5}, {1, 0, 2}, {1, 3, 1}, {2, 4, 1.5}, {2, 0, 1},
		{3, 5, 1}, {3, 1, 0.25}, {4, 6, 1}, {4, 2, 3}, {5, 6, 1}, {5, 3, 1}, {6, 4, 0.5}, {6, 5, 2}, {6, 0, 1},
	}
	w, err := NewWeights(ids, links)
	if err != nil {
		t.Fatal(err)
	}
	x := []float64{3, 1, 4, 1.5, 9, 2.6, 5}
	stats := []struct {
		name string
		f    func([]float64, *Weights, TestOptions) (GlobalTest, error)
	}{{"Moran", Moran}, {"Geary", Geary}, {"GetisOrd", GetisOrd}}
	for _, s := range stats {
		t.Run(s.name, func(t *testing.T) {
			want, err := s.f(x, w, TestOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var sum, sum2 float64
			var count int
			p := append([]float64(nil), x...)
			permute(p, func(v []float64) {
				r, err := s.f(v, w, TestOptions{})
				if err != nil {
					t.Fatal(err)
				}
				sum += r.Statistic
				sum2 += r.Statistic * r.Statistic
				count++
			})
			if count != 5040 {
				t.Fatalf("%d permutations", count)
			}
			mean := sum / float64(count)
			variance := sum2/float64(count) - mean*mean
			if !scalar.EqualWithinAbsOrRel(mean, want.Expectation, 1e-12, 1e-10) {
				t.Errorf("permutation mean %v, E = %v", mean, want.Expectation)
			}
			if !scalar.EqualWithinAbsOrRel(variance, want.VarRandomisation, 1e-12, 1e-8) {
				t.Errorf("permutation variance %v, Var_R = %v", variance, want.VarRandomisation)
			}
		})
	}
}

// TestIslandsAllTests checks spdep's zero.policy = TRUE (adjust.n = TRUE)
// for the three global tests on a 3×3 rook lattice plus a detached region.
func TestIslandsAllTests(t *testing.T) {
	l, _ := Lattice(3, 3, false)
	ids := append(append([]string(nil), l.IDs()...), "island")
	b, err := NewWeights(ids, l.Links())
	if err != nil {
		t.Fatal(err)
	}
	w, _ := b.Transform(RowStandardized)
	x := []float64{1, 2, 3, 2, 3, 4, 3, 4, 5, 9}
	for name, f := range map[string]func([]float64, *Weights, TestOptions) (GlobalTest, error){
		"Moran": Moran, "Geary": Geary, "GetisOrd": GetisOrd,
	} {
		if _, err := f(x, w, TestOptions{}); err == nil {
			t.Errorf("%s accepted an island without the zero policy", name)
		}
	}
	const N, n = 10.0, 9.0
	_, ss, _ := centre(x)

	// Moran: I = n/S0 · z'Wz/z'z with n = 9 and the mean of all 10 values;
	// gonum's GlobalMoransI uses N = 10: I = (9/10) I_gonum.
	m, err := Moran(x, w, TestOptions{ZeroPolicy: true})
	if err != nil {
		t.Fatal(err)
	}
	ig, _, _ := gspatial.GlobalMoransI(x, nil, w)
	near(t, "I", m.Statistic, n/N*ig, 1e-14)
	// spdep 1.2-7: moran.test(x, nb2listw(nb, style = "W", zero.policy =
	// TRUE), zero.policy = TRUE) on this map (nb the 3×3 rook lattice in
	// row-major order plus region 10 with no neighbours) gives I =
	// 0.22312312312312313, E = −0.125, Var = 0.03083264114607958 (the
	// kurtosis over all N values, the moments with n = 9).
	near(t, "I (spdep)", m.Statistic, 0.22312312312312313, 1e-14)
	near(t, "E[I] (spdep)", m.Expectation, -0.125, 1e-15)
	near(t, "Var_R[I] (spdep)", m.VarRandomisation, 0.03083264114607958, 1e-13)

	// Geary: the statistic with n − 1 = 8.
	g, err := Geary(x, w, TestOptions{ZeroPolicy: true})
	if err != nil {
		t.Fatal(err)
	}
	var num float64
	for i := range x {
		for j := range x {
			num += w.At(i, j) * (x[i] - x[j]) * (x[i] - x[j])
		}
	}
	s0, _, _ := w.Sums()
	near(t, "C", g.Statistic, (n-1)*num/(2*s0*ss), 1e-14)
	if g.N != 9 {
		t.Errorf("Geary n = %d", g.N)
	}

	// Getis–Ord on binary weights: the island's value leaves the
	// denominator (adjust.x); E[G] = S0/(n(n−1)).
	gg, err := GetisOrd(x, b, TestOptions{ZeroPolicy: true})
	if err != nil {
		t.Fatal(err)
	}
	var numG, m1, m2 float64
	for i := 0; i < 9; i++ {
		m1 += x[i]
		m2 += x[i] * x[i]
		for j := 0; j < 9; j++ {
			numG += b.At(i, j) * x[i] * x[j]
		}
	}
	bs0, _, _ := b.Sums()
	near(t, "G", gg.Statistic, numG/(m1*m1-m2), 1e-14)
	near(t, "E[G]", gg.Expectation, bs0/(n*(n-1)), 1e-14)
	if !math.IsNaN(gg.VarNormality) {
		t.Errorf("G has a normality variance %v", gg.VarNormality)
	}
}

// TestScatterSlopeAndLocalSum checks two identities on a queen lattice with
// row-standardised weights: the least-squares slope of the Moran scatter
// plot (Wz on z) is Moran's I (Anselin 1996), and sum_i I_i = S0·I
// (Anselin 1995, with m2 = sum z²/n).
func TestScatterSlopeAndLocalSum(t *testing.T) {
	b, _ := Lattice(7, 9, true)
	w, _ := b.Transform(RowStandardized)
	x := make([]float64, w.N())
	for i := range x {
		x[i] = math.Sin(float64(i)*0.7) + float64(i%9)*0.2
	}
	m, err := Moran(x, w, TestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	loc, err := LocalMoran(x, w, LocalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var sxy, sxx, sumI float64
	for _, r := range loc {
		sxy += r.ZValue * r.Lag
		sxx += r.ZValue * r.ZValue
		sumI += r.Ii
	}
	near(t, "scatter slope", sxy/sxx, m.Statistic, 1e-12)
	z, lag, err := MoranScatter(x, w)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range loc {
		if !scalar.EqualWithinAbsOrRel(z[i], r.ZValue, 1e-14, 1e-14) || !scalar.EqualWithinAbsOrRel(lag[i], r.Lag, 1e-14, 1e-14) {
			t.Errorf("MoranScatter %d: (%v, %v), LocalMoran (%v, %v)", i, z[i], lag[i], r.ZValue, r.Lag)
		}
	}
	s0, _, _ := w.Sums()
	near(t, "sum I_i", sumI, s0*m.Statistic, 1e-12)
}

// TestGlobalTestJSONRoundTrip: MarshalJSON then UnmarshalJSON gives the
// test back, NaN (G's normality moments) included.
func TestGlobalTestJSONRoundTrip(t *testing.T) {
	b, _ := Lattice(6, 6, true)
	x := make([]float64, b.N())
	for i := range x {
		x[i] = float64(i%6) + 0.5*float64(i%4)
	}
	for name, f := range map[string]func([]float64, *Weights, TestOptions) (GlobalTest, error){
		"Moran": Moran, "Geary": Geary, "GetisOrd": GetisOrd,
	} {
		for _, perms := range []int{0, 19} {
			want, err := f(x, b, TestOptions{Permutations: perms, Seed: 3, Alternative: TwoSided})
			if err != nil {
				t.Fatal(err)
			}
			js, err := json.Marshal(want)
			if err != nil {
				t.Fatal(err)
			}
			var got GlobalTest
			if err := json.Unmarshal(js, &got); err != nil {
				t.Fatalf("%s: %v in %s", name, err, js)
			}
			if !sameTest(got, want) {
				t.Errorf("%s, %d permutations: round trip\n got %+v\nwant %+v", name, perms, got, want)
			}
		}
	}
}

func sameTest(a, b GlobalTest) bool {
	eq := func(x, y float64) bool { return x == y || (math.IsNaN(x) && math.IsNaN(y)) }
	return a.Name == b.Name && eq(a.Statistic, b.Statistic) && eq(a.Expectation, b.Expectation) &&
		eq(a.VarNormality, b.VarNormality) && eq(a.VarRandomisation, b.VarRandomisation) &&
		eq(a.ZNormality, b.ZNormality) && eq(a.ZRandomisation, b.ZRandomisation) &&
		eq(a.PNormality, b.PNormality) && eq(a.PRandomisation, b.PRandomisation) &&
		eq(a.PPermutation, b.PPermutation) && a.Permutations == b.Permutations &&
		(a.Seed == b.Seed || a.Permutations == 0) && a.Alternative == b.Alternative && a.N == b.N
}

// TestMoranLatticeClosedForm: on the binary 3×3 rook lattice, hand counts
// give L = 12 edges, S0 = 2L = 24, S1 = 4L = 48 and S2 = 4 sum_i k_i² =
// 4(4·2² + 4·3² + 4²) = 272, so with n = 9 (Cliff and Ord 1981, eq. 1.35)
//
//	Var_N[I] = (81·48 − 9·272 + 3·24²)/(24²·80) − 1/8² = 0.06875 − 0.015625 = 0.053125.
func TestMoranLatticeClosedForm(t *testing.T) {
	b, _ := Lattice(3, 3, false)
	x := []float64{1, 5, 2, 8, 3, 9, 4, 6, 7}
	m, err := Moran(x, b, TestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "E[I]", m.Expectation, -0.125, 1e-15)
	near(t, "Var_N[I]", m.VarNormality, 0.053125, 1e-13)
}
