package spatial

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"testing"

	"github.com/agglo/agglo/internal/sharedtest"
	"gonum.org/v1/gonum/floats/scalar"
	gspatial "gonum.org/v1/gonum/stat/spatial"
)

// columbusOracle is the part of ../shared/oracle/columbus.json that the
// autocorrelation tests read (spdep 1.2-7 on CRIME, queen from
// columbus.gal).
type columbusOracle struct {
	MoranR   oracleTest `json:"moran_randomisation"`
	MoranN   oracleTest `json:"moran_normality"`
	GearyR   oracleTest `json:"geary_randomisation"`
	GearyN   oracleTest `json:"geary_normality"`
	GetisOrd struct {
		Statistic [][]float64        `json:"statistic"`
		PValue    [][]float64        `json:"p_value"`
		Estimate  map[string]float64 `json:"estimate"`
	} `json:"getis_ord_G_binary"`
	Local struct {
		All []map[string]float64 `json:"all"`
	} `json:"localmoran"`
}

type oracleTest struct {
	Statistic float64            `json:"statistic"`
	PValue    float64            `json:"p_value"`
	Estimate  map[string]float64 `json:"estimate"`
}

// columbus returns CRIME and the queen weights (binary) of Columbus.
func columbus(t testing.TB) ([]float64, *Weights) {
	t.Helper()
	w, err := ReadWeightsFile(sharedtest.Data(t, "columbus.gal"), "")
	if err != nil {
		t.Fatal(err)
	}
	recs := sharedtest.CSV(t, "columbus.csv")
	x := make([]float64, w.N())
	for k, r := range recs[1:] {
		i, ok := w.Index(r[0])
		if !ok {
			t.Fatalf("id %s not in weights", r[0])
		}
		x[i] = sharedtest.Float(t, r[1], fmt.Sprintf("columbus.csv row %d, %s", k+2, recs[0][1]))
	}
	return x, w
}

func near(t *testing.T, name string, got, want, tol float64) {
	t.Helper()
	if !scalar.EqualWithinAbsOrRel(got, want, 0, tol) {
		t.Errorf("%s = %.15g, want %.15g (rel err %.2g)", name, got, want, math.Abs(got-want)/math.Abs(want))
	}
}

func TestGlobalTestsColumbus(t *testing.T) {
	var o columbusOracle
	sharedtest.ReadJSON(t, &o, "oracle", "columbus.json")
	x, b := columbus(t)
	w, _ := b.Transform(RowStandardized)
	const tol = 1e-8

	m, err := Moran(x, w, TestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// spdep moran.test(CRIME, nb2listw(nb, style="W"), randomisation=TRUE/FALSE)
	near(t, "I", m.Statistic, o.MoranR.Estimate["Moran I statistic"], tol)
	near(t, "E[I]", m.Expectation, o.MoranR.Estimate["Expectation"], tol)
	near(t, "VarR", m.VarRandomisation, o.MoranR.Estimate["Variance"], tol)
	near(t, "VarN", m.VarNormality, o.MoranN.Estimate["Variance"], tol)
	near(t, "zR", m.ZRandomisation, o.MoranR.Statistic, tol)
	near(t, "zN", m.ZNormality, o.MoranN.Statistic, tol)
	near(t, "pR", m.PRandomisation, o.MoranR.PValue, tol)
	near(t, "pN", m.PNormality, o.MoranN.PValue, tol)

	// Cross-check with gonum's independent implementation on the sparse
	// weights (it finds the mat.RowNonZeroDoer fast path).
	if g, _, _ := gspatial.GlobalMoransI(x, nil, w); !scalar.EqualWithinAbsOrRel(g, m.Statistic, 1e-12, 1e-12) {
		t.Errorf("gonum GlobalMoransI = %v, Moran = %v", g, m.Statistic)
	}

	c, err := Geary(x, w, TestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// spdep geary.test
	near(t, "C", c.Statistic, o.GearyR.Estimate["Geary C statistic"], tol)
	near(t, "C VarR", c.VarRandomisation, o.GearyR.Estimate["Variance"], tol)
	near(t, "C VarN", c.VarNormality, o.GearyN.Estimate["Variance"], tol)
	near(t, "C zR", c.ZRandomisation, o.GearyR.Statistic, tol)
	near(t, "C zN", c.ZNormality, o.GearyN.Statistic, tol)
	near(t, "C pR", c.PRandomisation, o.GearyR.PValue, tol)
	near(t, "C pN", c.PNormality, o.GearyN.PValue, tol)

	// spdep globalG.test(CRIME, nb2listw(nb, style="B"))
	g, err := GetisOrd(x, b, TestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "G", g.Statistic, o.GetisOrd.Estimate["Global G statistic"], tol)
	near(t, "E[G]", g.Expectation, o.GetisOrd.Estimate["Expectation"], tol)
	near(t, "Var[G]", g.VarRandomisation, o.GetisOrd.Estimate["Variance"], tol)
	near(t, "zG", g.ZRandomisation, o.GetisOrd.Statistic[0][0], tol)
	near(t, "pG", g.PRandomisation, o.GetisOrd.PValue[0][0], tol)
}

func TestLocalMoranColumbus(t *testing.T) {
	var o columbusOracle
	sharedtest.ReadJSON(t, &o, "oracle", "columbus.json")
	x, b := columbus(t)
	w, _ := b.Transform(RowStandardized)
	res, err := LocalMoran(x, w, LocalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Local.All) != 49 {
		t.Fatalf("oracle has %d local rows", len(o.Local.All))
	}
	// spdep localmoran(CRIME, listw W), conditional moments, two-sided p.
	for _, want := range o.Local.All {
		i, ok := w.Index(strconv.Itoa(int(want["id"])))
		if !ok {
			t.Fatalf("id %v", want["id"])
		}
		r := res[i]
		near(t, r.ID+" Ii", r.Ii, want["Ii"], 1e-8)
		near(t, r.ID+" E_Ii", r.EI, want["E_Ii"], 1e-8)
		near(t, r.ID+" Var_Ii", r.VarI, want["Var_Ii"], 1e-8)
		near(t, r.ID+" Z_Ii", r.Z, want["Z_Ii"], 1e-8)
		near(t, r.ID+" p", r.P, want["p"], 1e-8)
	}
}

func TestPermutationsDeterministic(t *testing.T) {
	b, _ := Lattice(20, 20, false)
	w, _ := b.Transform(RowStandardized)
	x := make([]float64, w.N())
	for i := range x {
		x[i] = float64(i%20) + 0.5*float64(i/20%3) // a gradient: strong autocorrelation
	}
	var ps []float64
	var locals [][]LocalMoranResult
	for _, workers := range []int{1, 2, 5} {
		m, err := Moran(x, w, TestOptions{Permutations: 199, Seed: 7, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, m.PPermutation)
		l, err := LocalMoran(x, w, LocalOptions{Permutations: 99, Seed: 7, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		locals = append(locals, l)
	}
	if ps[0] != ps[1] || ps[1] != ps[2] {
		t.Errorf("permutation p depends on workers: %v", ps)
	}
	if ps[0] != 1.0/200 {
		t.Errorf("strong gradient: p = %v, want the minimum 1/200", ps[0])
	}
	for i := range locals[0] {
		if locals[0][i].PPermutation != locals[1][i].PPermutation || locals[0][i].PPermutation != locals[2][i].PPermutation {
			t.Fatalf("local permutation p of region %d depends on workers", i)
		}
	}
	// A different seed gives a different local draw somewhere.
	l2, _ := LocalMoran(x, w, LocalOptions{Permutations: 99, Seed: 8})
	differ := false
	for i := range l2 {
		differ = differ || l2[i].PPermutation != locals[0][i].PPermutation
	}
	if !differ {
		t.Error("seed has no effect on local permutations")
	}
}

func TestIslandsPolicy(t *testing.T) {
	// A 3×3 rook lattice plus one detached region.
	l, _ := Lattice(3, 3, false)
	ids := append(append([]string(nil), l.IDs()...), "island")
	w, err := NewWeights(ids, l.Links())
	if err != nil {
		t.Fatal(err)
	}
	if isl := w.Islands(); len(isl) != 1 || ids[isl[0]] != "island" {
		t.Fatalf("islands %v", isl)
	}
	x := []float64{1, 2, 3, 2, 3, 4, 3, 4, 5, 9}
	rw, _ := w.Transform(RowStandardized)
	_, err = Moran(x, rw, TestOptions{})
	var ie *IslandError
	if !errors.As(err, &ie) || ie.IDs[0] != "island" {
		t.Fatalf("want an IslandError naming the island, got %v", err)
	}
	m, err := Moran(x, rw, TestOptions{ZeroPolicy: true})
	if err != nil {
		t.Fatal(err)
	}
	// zero.policy with adjust.n: n = 9 in the moments, the island's lag 0.
	if m.N != 9 || !scalar.EqualWithinAbsOrRel(m.Expectation, -1.0/8, 1e-15, 1e-15) {
		t.Errorf("n=%d E=%v", m.N, m.Expectation)
	}
	if _, err := LocalMoran(x, rw, LocalOptions{}); err == nil {
		t.Error("LocalMoran accepted an island without the zero policy")
	}
	loc, err := LocalMoran(x, rw, LocalOptions{ZeroPolicy: true})
	if err != nil || loc[9].Ii != 0 || loc[9].Cluster != NotSignificant {
		t.Errorf("island local result %+v, %v", loc[9], err)
	}
}

func TestMoranClosedForms(t *testing.T) {
	// A path a–b–c–d, binary, with x = (1, 2, 3, 4), by hand: z = (−1.5,
	// −0.5, 0.5, 1.5), sum z² = 5, S0 = 6 (three links each way),
	// sum_ij w_ij z_i z_j = 2(0.75 − 0.25 + 0.75) = 2.5, so
	// I = n/S0 · 2.5/5 = 4/6 · ½ = 1/3 and E[I] = −1/(n − 1) = −1/3;
	// S1 = ½ sum_ij (w_ij + w_ji)² = 12, S2 = sum_i (2k_i)² = 4(1+4+4+1) = 40,
	// Var_N[I] = (n²S1 − nS2 + 3S0²)/(S0²(n² − 1)) − E[I]²
	//          = (192 − 160 + 108)/540 − 1/9 = 4/27 (Cliff and Ord 1981, eq. 1.35).
	path, err := NewWeights([]string{"a", "b", "c", "d"}, []Link{{0, 1, 1}, {1, 0, 1}, {1, 2, 1}, {2, 1, 1}, {2, 3, 1}, {3, 2, 1}})
	if err != nil {
		t.Fatal(err)
	}
	pm, err := Moran([]float64{1, 2, 3, 4}, path, TestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "path I", pm.Statistic, 1.0/3, 1e-14)
	near(t, "path E[I]", pm.Expectation, -1.0/3, 1e-14)
	near(t, "path Var_N[I]", pm.VarNormality, 4.0/27, 1e-14)
	// A checkerboard on a rook lattice has I = −1 exactly.
	b, _ := Lattice(6, 6, false)
	rw, _ := b.Transform(RowStandardized)
	cb := make([]float64, 36)
	for i := range cb {
		cb[i] = float64((i/6 + i%6) % 2)
	}
	m, err := Moran(cb, rw, TestOptions{Alternative: Less})
	if err != nil {
		t.Fatal(err)
	}
	if !scalar.EqualWithinAbsOrRel(m.Statistic, -1, 1e-14, 1e-14) || m.PNormality > 1e-6 {
		t.Errorf("checkerboard I = %v p = %v", m.Statistic, m.PNormality)
	}
}
