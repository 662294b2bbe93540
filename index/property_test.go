package index_test

import (
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"

	"github.com/agglo/agglo/index"
)

// randomPanel returns an r × s matrix of positive activity with a few zero
// cells, and online shares in (0, 1).
func randomPanel(rng *rand.Rand, r, s int) (e, o *mat.Dense) {
	e = mat.NewDense(r, s, nil)
	o = mat.NewDense(r, s, nil)
	for i := 0; i < r; i++ {
		for j := 0; j < s; j++ {
			if rng.Float64() < 0.05 && i > 0 {
				continue // a zero cell; row 0 keeps every sector alive
			}
			e.Set(i, j, math.Exp(3*rng.NormFloat64())*100)
			o.Set(i, j, 0.01+0.98*rng.Float64())
		}
	}
	return e, o
}

func margins(e mat.Matrix) (x []float64) {
	r, s := e.Dims()
	x = make([]float64, r)
	var tot float64
	for i := 0; i < r; i++ {
		for j := 0; j < s; j++ {
			x[i] += e.At(i, j)
		}
		tot += x[i]
	}
	for i := range x {
		x[i] /= tot
	}
	return x
}

const propTol = 1e-12

func TestLQProperties(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		rng := rand.New(rand.NewPCG(seed, seed))
		e, o := randomPanel(rng, 30, 12)
		lq, err := index.LQ(e, index.ZeroError)
		if err != nil {
			t.Fatal(err)
		}
		// Scale invariance: LQ(cE) = LQ(E).
		var scaled mat.Dense
		scaled.Scale(37.5, e)
		lq2, err := index.LQ(&scaled, index.ZeroError)
		if err != nil {
			t.Fatal(err)
		}
		if !mat.EqualApprox(lq, lq2, propTol) {
			t.Errorf("seed %d: LQ not scale invariant", seed)
		}
		// x-weighted means of LQ and of the normalised VA are 1 per sector.
		vaN, err := index.VA(e, o, true, index.ZeroError)
		if err != nil {
			t.Fatal(err)
		}
		x := margins(e)
		_, s := e.Dims()
		for j := 0; j < s; j++ {
			var m1, m2 float64
			for i, xi := range x {
				m1 += xi * lq.At(i, j)
				m2 += xi * vaN.At(i, j)
			}
			if !scalar.EqualWithinAbsOrRel(m1, 1, propTol, propTol) {
				t.Errorf("seed %d sector %d: Σ x LQ = %.15g, want 1", seed, j, m1)
			}
			if !scalar.EqualWithinAbsOrRel(m2, 1, propTol, propTol) {
				t.Errorf("seed %d sector %d: Σ x VA* = %.15g, want 1", seed, j, m2)
			}
		}
	}
}

// TestVLQIdentity checks VLQ_rs = LQ_rs · o_rs ō/(ō_r ō_s).
func TestVLQIdentity(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	e, o := randomPanel(rng, 25, 9)
	lq, _ := index.LQ(e, index.ZeroError)
	vlq, err := index.OnlineLQ(e, o, index.ZeroError)
	if err != nil {
		t.Fatal(err)
	}
	r, s := e.Dims()
	var v mat.Dense
	v.MulElem(e, o)
	er, vr := make([]float64, r), make([]float64, r)
	es, vs := make([]float64, s), make([]float64, s)
	var E, V float64
	for i := 0; i < r; i++ {
		for j := 0; j < s; j++ {
			er[i] += e.At(i, j)
			vr[i] += v.At(i, j)
			es[j] += e.At(i, j)
			vs[j] += v.At(i, j)
			E += e.At(i, j)
			V += v.At(i, j)
		}
	}
	for i := 0; i < r; i++ {
		for j := 0; j < s; j++ {
			want := lq.At(i, j) * o.At(i, j) * (V / E) / ((vr[i] / er[i]) * (vs[j] / es[j]))
			if !scalar.EqualWithinAbsOrRel(vlq.At(i, j), want, propTol, 1e-12) {
				t.Fatalf("VLQ[%d,%d] = %.15g, identity gives %.15g", i, j, vlq.At(i, j), want)
			}
		}
	}
}

func TestKrugmanBounds(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	e, _ := randomPanel(rng, 20, 8)
	// Make the last region mirror the nation: proportional to the sum of the
	// others (then the nation's mix equals theirs).
	r, s := e.Dims()
	for j := 0; j < s; j++ {
		var sum float64
		for i := 0; i < r-1; i++ {
			sum += e.At(i, j)
		}
		e.Set(r-1, j, 0.3*sum)
	}
	k, err := index.Krugman(e, index.ZeroError)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(k[r-1]) > 1e-14 {
		t.Errorf("mirror region: Krugman = %g, want 0", k[r-1])
	}
	for i, v := range k {
		if v < 0 || v > 2 {
			t.Errorf("region %d: Krugman %g outside [0, 2]", i, v)
		}
	}
	// Two regions with disjoint sectors: dissimilarity 2.
	d := mat.NewDense(2, 2, []float64{5, 0, 0, 7})
	if v, _ := index.KrugmanDissimilarity(d, 0, 1, index.ZeroError); v != 2 {
		t.Errorf("disjoint regions: dissimilarity %g, want 2", v)
	}
	if v, _ := index.KrugmanDissimilarity(e, 3, 3, index.ZeroError); v != 0 {
		t.Errorf("a region with itself: dissimilarity %g, want 0", v)
	}
}

// TestBoundsAndClosedForms checks bounds that hold for any data.
func TestBoundsAndClosedForms(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 11))
	e, o := randomPanel(rng, 40, 10)
	ho, _ := index.Hoover(e, index.ZeroError)
	gi, _ := index.Gini(e, nil, index.ZeroError)
	hh, _ := index.HHISector(e, index.ZeroError)
	for j := range ho {
		if ho[j] < 0 || ho[j] >= 1 || gi[j] < 0 || gi[j] >= 1 || hh[j] <= 0 || hh[j] > 1 {
			t.Errorf("sector %d: Hoover %g, Gini %g, HHI %g out of bounds", j, ho[j], gi[j], hh[j])
		}
	}
	// A sector distributed exactly like all activity: Hoover = Gini = 0.
	r, _ := e.Dims()
	x := margins(e)
	f := mat.NewDense(r, 2, nil)
	for i := 0; i < r; i++ {
		f.Set(i, 0, x[i]*1000)
		f.Set(i, 1, x[i]*3000)
	}
	ho, _ = index.Hoover(f, index.ZeroError)
	gi, _ = index.Gini(f, nil, index.ZeroError)
	if math.Abs(ho[0]) > 1e-14 || math.Abs(gi[0]) > 1e-12 {
		t.Errorf("proportional sector: Hoover %g, Gini %g, want 0", ho[0], gi[0])
	}
	// Constant online shares: V ∝ E, so VLQ = LQ, ΔG = 0 and the virtual
	// coagglomeration equals the physical one.
	c := mat.NewDense(r, 10, nil)
	for i := 0; i < r; i++ {
		for j := 0; j < 10; j++ {
			c.Set(i, j, 0.4)
		}
	}
	lq, _ := index.LQ(e, index.ZeroError)
	vlq, _ := index.OnlineLQ(e, c, index.ZeroError)
	if !mat.EqualApprox(lq, vlq, 1e-12) {
		t.Error("constant shares: VLQ differs from LQ")
	}
	gap, _ := index.VAGap(e, c, index.ZeroError)
	for j, v := range gap {
		if math.Abs(v) > 1e-14 {
			t.Errorf("constant shares: ΔG[%d] = %g, want 0", j, v)
		}
	}
	m, p := []int{0, 1, 2, 3}, []int{4, 5, 6}
	c1, _ := index.Coagg(e, m, p, index.ZeroError)
	c2, _ := index.VirtualCoagg(e, c, m, p, index.ZeroError)
	for i := range c1.Value {
		if !scalar.EqualWithinAbsOrRel(c1.Value[i], c2.Value[i], 1e-14, 1e-12) {
			t.Errorf("constant shares: region %d coagg %g, virtual %g", i, c1.Value[i], c2.Value[i])
		}
		if c1.Quality[i] < 0 || c1.Quality[i] > 1 {
			t.Errorf("region %d: quality %g outside [0, 1]", i, c1.Quality[i])
		}
	}
	// VA-region with one-sector groups equals VA.
	va, _ := index.VA(e, o, false, index.ZeroError)
	agg, err := index.VARegion(e, va, nil, [][]int{{2}, {5}}, index.ZeroNaN)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < r; i++ {
		if e.At(i, 2) > 0 && !scalar.EqualWithinRel(agg.At(i, 0), va.At(i, 2), 1e-14) {
			t.Errorf("region %d: one-sector group %g, VA %g", i, agg.At(i, 0), va.At(i, 2))
		}
		if e.At(i, 2) == 0 && !math.IsNaN(agg.At(i, 0)) {
			t.Errorf("region %d: group without weight gives %g, want NaN", i, agg.At(i, 0))
		}
	}
}

// TestEGKSymmetricDiagonal checks that the EGK matrix is symmetric and its
// diagonal is EG's γ with H = 0.
func TestEGKSymmetricDiagonal(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	e, _ := randomPanel(rng, 60, 15)
	k, err := index.EGK(e, index.ZeroError)
	if err != nil {
		t.Fatal(err)
	}
	eg, err := index.EllisonGlaeser(e, nil, index.ZeroError)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := k.Dims()
	for i := 0; i < n; i++ {
		if !scalar.EqualWithinAbsOrRel(k.At(i, i), eg.Gamma[i], 1e-15, 1e-12) {
			t.Errorf("diagonal %d: %.15g, EG γ(H=0) %.15g", i, k.At(i, i), eg.Gamma[i])
		}
		for j := 0; j < i; j++ {
			if k.At(i, j) != k.At(j, i) {
				t.Errorf("EGK not symmetric at (%d,%d)", i, j)
			}
		}
	}
	// One pair against the formula computed directly.
	x := margins(e)
	r, s := e.Dims()
	col := func(j int) float64 {
		var sum float64
		for i := 0; i < r; i++ {
			sum += e.At(i, j)
		}
		return sum
	}
	var num, sx2 float64
	for i := 0; i < r; i++ {
		num += (e.At(i, 2)/col(2) - x[i]) * (e.At(i, s-1)/col(s-1) - x[i])
		sx2 += x[i] * x[i]
	}
	if want := num / (1 - sx2); !scalar.EqualWithinAbsOrRel(k.At(2, s-1), want, 1e-15, 1e-12) {
		t.Errorf("γc(2,%d) = %.15g, direct sum %.15g", s-1, k.At(2, s-1), want)
	}
}

// TestEGDartboard checks E[γ] = 0 under random location: plants of fixed
// sizes drop into region r with probability x_r (Ellison and Glaeser 1997,
// Proposition 1, with γ = 0). The mean of γ over the draws must be within 3
// standard errors of 0, for EG and MS. 2,000 draws by default; 200,000
// with AGGLO_SLOW=1.
func TestEGDartboard(t *testing.T) {
	draws := 2000
	if os.Getenv("AGGLO_SLOW") != "" {
		draws = 200000
	}
	const seed = 2024
	rng := rand.New(rand.NewPCG(seed, seed))
	const nr, nplants = 15, 25
	x := make([]float64, nr)
	var sum float64
	for i := range x {
		x[i] = rng.Float64() + 0.1
		sum += x[i]
	}
	cum := make([]float64, nr)
	for i := range x {
		x[i] /= sum
		if i > 0 {
			cum[i] = cum[i-1]
		}
		cum[i] += x[i]
	}
	sizes := make([]float64, nplants)
	for k := range sizes {
		sizes[k] = math.Exp(rng.NormFloat64())
	}
	h := index.Herfindahl(sizes)
	// Column 0: everything else, 1e12 times larger, distributed as x (so the
	// test sector changes x by < 1e-10). Column 1: the test sector.
	e := mat.NewDense(nr, 2, nil)
	var sumEG, sumEG2, sumMS, sumMS2 float64
	for d := 0; d < draws; d++ {
		for i := 0; i < nr; i++ {
			e.Set(i, 0, 1e12*x[i])
			e.Set(i, 1, 0)
		}
		for _, sz := range sizes {
			u := rng.Float64()
			i := 0
			for i < nr-1 && u > cum[i] {
				i++
			}
			e.Set(i, 1, e.At(i, 1)+sz)
		}
		eg, err := index.EllisonGlaeser(e, []float64{0, h}, index.ZeroError)
		if err != nil {
			t.Fatal(err)
		}
		ms, err := index.MaurelSedillot(e, []float64{0, h}, index.ZeroError)
		if err != nil {
			t.Fatal(err)
		}
		g, m := eg.Gamma[1], ms.Gamma[1]
		sumEG += g
		sumEG2 += g * g
		sumMS += m
		sumMS2 += m * m
	}
	n := float64(draws)
	for _, c := range []struct {
		name    string
		sum, ss float64
	}{{"EG", sumEG, sumEG2}, {"MS", sumMS, sumMS2}} {
		mean := c.sum / n
		se := math.Sqrt((c.ss/n - mean*mean) / (n - 1))
		t.Logf("%s: mean γ = %.5f, SE %.5f, %d draws (seed %d, H = %.4f)", c.name, mean, se, draws, seed, h)
		if math.Abs(mean) > 3*se {
			t.Errorf("%s: mean γ %.5f is more than 3 SE (%.5f) from 0", c.name, mean, se)
		}
	}
}

// TestVAGapSign checks that ΔG < 0 when online activity is more evenly
// spread than physical activity, and > 0 when it is more concentrated.
func TestVAGapSign(t *testing.T) {
	// Sector 0 concentrated in region 0; sector 1 spread like everything.
	e := mat.NewDense(3, 2, []float64{
		80, 100,
		10, 100,
		10, 100,
	})
	spread := mat.NewDense(3, 2, []float64{0.1, 0.3, 0.8, 0.3, 0.8, 0.3})
	gather := mat.NewDense(3, 2, []float64{0.9, 0.3, 0.1, 0.3, 0.1, 0.3})
	g1, err := index.VAGap(e, spread, index.ZeroError)
	if err != nil {
		t.Fatal(err)
	}
	g2, _ := index.VAGap(e, gather, index.ZeroError)
	if !(g1[0] < 0) || !(g2[0] > 0) {
		t.Errorf("ΔG with online spread %g (want < 0), gathered %g (want > 0)", g1[0], g2[0])
	}
	if math.Abs(g1[1]) > 1e-15 || math.Abs(g2[1]) > 1e-15 {
		t.Errorf("constant shares in sector 1: ΔG %g, %g, want 0", g1[1], g2[1])
	}
}
