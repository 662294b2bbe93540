package regress

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/mat"
)

// olsCase builds n rows of k columns: an intercept-like column, columns
// of scales scale[j] and, with near > 0, a last column equal to the
// second plus near times noise (condition number about 1/near), and
// y = Xβ + resid·noise.
func olsCase(rng *rand.Rand, n int, scale []float64, near, resid float64) ([]float64, [][]float64) {
	k := len(scale)
	xs := make([][]float64, k)
	for j := range xs {
		xs[j] = make([]float64, n)
		for i := range xs[j] {
			xs[j][i] = scale[j] * (rng.NormFloat64() + 0.5)
		}
	}
	if near > 0 && k >= 3 {
		for i := range xs[k-1] {
			xs[k-1][i] = xs[1][i]*scale[k-1]/scale[1] + near*scale[k-1]*rng.NormFloat64()
		}
	}
	y := make([]float64, n)
	for i := range y {
		for j := range xs {
			y[i] += float64(j+1) / scale[j] * xs[j][i]
		}
		y[i] += resid * rng.NormFloat64()
	}
	return y, xs
}

func relDiff(a, b []float64) float64 {
	var d, s float64
	for i := range a {
		d += (a[i] - b[i]) * (a[i] - b[i])
		s += b[i] * b[i]
	}
	return math.Sqrt(d / math.Max(s, 1e-300))
}

// exactLS returns the least-squares β of y on xs from the normal
// equations in 400-bit arithmetic (math/big), rounded to float64: the
// reference both methods are measured against.
func exactLS(y []float64, xs [][]float64) []float64 {
	const prec = 400
	k := len(xs)
	g := make([][]*big.Float, k)
	for j := range g {
		g[j] = make([]*big.Float, k+1)
		for l := range g[j] {
			g[j][l] = new(big.Float).SetPrec(prec)
		}
	}
	a, tmp := new(big.Float).SetPrec(prec), new(big.Float).SetPrec(prec)
	for i := range y {
		for j := 0; j < k; j++ {
			a.SetFloat64(xs[j][i])
			for l := 0; l < k; l++ {
				tmp.SetFloat64(xs[l][i])
				g[j][l].Add(g[j][l], tmp.Mul(tmp, a))
			}
			tmp.SetFloat64(y[i])
			g[j][k].Add(g[j][k], tmp.Mul(tmp, a))
		}
	}
	for p := 0; p < k; p++ {
		for r := p + 1; r < k; r++ {
			f := new(big.Float).SetPrec(prec).Quo(g[r][p], g[p][p])
			for c := p; c <= k; c++ {
				g[r][c].Sub(g[r][c], tmp.Mul(f, g[p][c]))
			}
		}
	}
	b := make([]*big.Float, k)
	out := make([]float64, k)
	for p := k - 1; p >= 0; p-- {
		s := new(big.Float).SetPrec(prec).Set(g[p][k])
		for c := p + 1; c < k; c++ {
			s.Sub(s, tmp.Mul(g[p][c], b[c]))
		}
		b[p] = s.Quo(s, g[p][p])
		out[p], _ = b[p].Float64()
	}
	return out
}

// TestOLSFactorMatchesQR checks the one-pass factorisation (corrected
// semi-normal equations) against Householder QR (LAPACK dgeqrf, olsQR),
// the previous method, and both against the exact least-squares solution
// (exactLS, 400 bits), on well and ill-conditioned designs (κ up to about
// 1e4), badly scaled columns, large residuals and an exact fit: β is at
// least as accurate as QR's (relative error ≤ twice QR's + 1e-14, both at
// the rounding floor of the problem) and within
// tolB of it; the residuals agree with QR's to tolRes of ‖y‖.
func TestOLSFactorMatchesQR(t *testing.T) {
	cases := []struct {
		n            int
		scale        []float64
		near, resid  float64
		tolB, tolRes float64
	}{
		{1000, []float64{1, 1, 1}, 0, 1, 1e-13, 1e-14},
		{3*olsChunk + 17, []float64{1, 2, 3, 0.5}, 0, 1, 1e-13, 1e-14},
		{50000, []float64{1e6, 1e-3, 1}, 0, 0.1, 1e-13, 1e-14},
		{20000, []float64{1, 1, 1}, 1e-3, 1, 2e-11, 1e-14},  // κ ≈ 1e3
		{20000, []float64{1, 1, 1}, 1e-4, 10, 2e-10, 1e-13}, // κ ≈ 1e4, large residual
		{20000, []float64{1, 1e4, 1e-4}, 1e-3, 1e-6, 2e-11, 1e-9},
		{2 * olsChunk, []float64{1, 1, 1}, 0, 0, 1e-13, 1e-14}, // exact fit
	}
	for ci, c := range cases {
		t.Run(fmt.Sprint(ci), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(ci), 7))
			y, xs := olsCase(rng, c.n, c.scale, c.near, c.resid)
			bq, eq, err := olsQR(y, xs)
			if err != nil {
				t.Fatal(err)
			}
			f := newOLSFactor(xs, len(y))
			if f.chol == nil {
				t.Fatalf("fell back on QR (scaled Gram matrix not factorised)")
			}
			b, e, err := f.solve(y)
			if err != nil {
				t.Fatal(err)
			}
			exact := exactLS(y, xs)
			errF, errQ := relDiff(b, exact), relDiff(bq, exact)
			if !(errF <= 2*errQ+1e-14) {
				t.Errorf("β %v: relative error %.3g, QR's %.3g (exact %v)", b, errF, errQ, exact)
			}
			if d := relDiff(b, bq); !(d <= c.tolB) {
				t.Errorf("β %v, QR %v: relative difference %.3g > %g", b, bq, d, c.tolB)
			}
			if d := relDiff(e, eq) * math.Sqrt(dot(eq, eq)/dot(y, y)); !(d <= c.tolRes) {
				t.Errorf("residuals differ from QR's by %.3g of ‖y‖ > %g", d, c.tolRes)
			}
		})
	}
}

// TestOLSFactorFallback checks that designs the one-pass factorisation
// must not handle go to QR: collinear columns give QR's error, a very
// ill-conditioned design (κ ≈ 1e7) QR's estimates.
func TestOLSFactorFallback(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	y, xs := olsCase(rng, 5000, []float64{1, 1, 1}, 0, 1)
	xs[2] = slices.Clone(xs[1])
	for i := range xs[2] {
		xs[2][i] *= 2
	}
	// x3 = 2·x2: QR's rounded R is not quite singular (κ ≈ 1e15), and
	// the fallback gives its (meaningless) estimates, as before.
	if f := newOLSFactor(xs, len(y)); f.chol != nil {
		t.Errorf("x3 = 2·x2: factorised, want the QR fallback")
	}
	b, _, err := ols(y, xs)
	bq, _, errq := olsQR(y, xs)
	if (err == nil) != (errq == nil) || !slices.Equal(b, bq) {
		t.Errorf("x3 = 2·x2: β %v (%v), QR %v (%v)", b, err, bq, errq)
	}
	xs[2] = make([]float64, len(y)) // a zero column: QR refuses it
	_, _, err = ols(y, xs)
	var ce mat.Condition
	if !errors.As(err, &ce) {
		t.Errorf("x3 = 0: error %v, want QR's mat.Condition", err)
	}
	y, xs = olsCase(rng, 5000, []float64{1, 1, 1}, 1e-7, 1)
	if f := newOLSFactor(xs, len(y)); f.chol != nil {
		t.Errorf("κ ≈ 1e7: factorised, want the QR fallback")
	}
	b, _, err = ols(y, xs)
	bq, _, errq = olsQR(y, xs)
	if err != nil || errq != nil || relDiff(b, bq) != 0 {
		t.Errorf("κ ≈ 1e7: β %v (%v), QR %v (%v)", b, err, bq, errq)
	}
}

// TestOLSFactorDeterministic checks that the blocked parallel passes give
// bitwise the same results on one and on several goroutines.
func TestOLSFactorDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	y, xs := olsCase(rng, 9*olsChunk+3, []float64{1, 3, 0.2}, 1e-2, 1) // ≥ 2^16 rows: parallel
	prev := runtime.GOMAXPROCS(1)
	b1, e1, err1 := ols(y, xs)
	runtime.GOMAXPROCS(max(4, prev))
	b2, e2, err2 := ols(y, xs)
	runtime.GOMAXPROCS(prev)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if !slices.Equal(b1, b2) || !slices.Equal(e1, e2) {
		t.Errorf("serial and parallel least squares differ: β %v vs %v", b1, b2)
	}
}

func BenchmarkOLS(b *testing.B) {
	for _, n := range []int{16000, 1000000} {
		rng := rand.New(rand.NewPCG(1, 1))
		y, xs := olsCase(rng, n, []float64{1, 1, 1}, 0, 1)
		b.Run(fmt.Sprintf("factor/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := ols(y, xs); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("qr/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := olsQR(y, xs); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestStochasticTracesParallelProbes checks that the probes of the
// stochastic traces give bit for bit the same moments on one goroutine
// (products parallel over row blocks or serial) and on several (probes in
// parallel).
func TestStochasticTracesParallelProbes(t *testing.T) {
	w, err := spatial.Lattice(130, 130, false)
	if err != nil {
		t.Fatal(err)
	}
	if w, err = w.Transform(spatial.RowStandardized); err != nil {
		t.Fatal(err)
	}
	pm := w.DefaultPowerMoments(nil, 1)
	var got [][]float64
	prev := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(prev)
	for _, procs := range []int{1, 2, 3} {
		runtime.GOMAXPROCS(procs)
		st := NewStochasticTraces(w, 5, 11, pm)
		a, b, c, err := st.Moments(0.45)
		if err != nil {
			t.Fatal(err)
		}
		gh, gth, err := st.CrossMoments(0.3, -0.2)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, []float64{a, b, c, gh, gth})
	}
	for k := 1; k < len(got); k++ {
		if !slices.Equal(got[k], got[0]) {
			t.Errorf("GOMAXPROCS %d: moments %v, on one %v", k+1, got[k], got[0])
		}
	}
}

// TestLagPanelParallel checks that the periods' spatial lags computed in
// parallel (lagPanel) equal W applied period by period serially, bit for
// bit, and that solveIRW's solution satisfies (I − ρW)z = u per period.
func TestLagPanelParallel(t *testing.T) {
	w, err := spatial.Lattice(70, 70, false)
	if err != nil {
		t.Fatal(err)
	}
	if w, err = w.Transform(spatial.RowStandardized); err != nil {
		t.Fatal(err)
	}
	n, periods := w.N(), 8 // N·T ≥ 2^15: the parallel path
	rng := rand.New(rand.NewPCG(9, 9))
	v := make([]float64, n*periods)
	for i := range v {
		v[i] = rng.NormFloat64()
	}
	want := make([]float64, n*periods)
	for s := 0; s < periods; s++ {
		w.LagTo(want[s*n:(s+1)*n], v[s*n:(s+1)*n])
	}
	if got := lagPanel(w, v, n, periods); !slices.Equal(got, want) {
		t.Errorf("lagPanel differs from the serial lags")
	}
	z, err := solveIRW(w, 0.6, v, n, periods)
	if err != nil {
		t.Fatal(err)
	}
	wz := lagPanel(w, z, n, periods)
	var worst float64
	for i := range z {
		worst = math.Max(worst, math.Abs(z[i]-0.6*wz[i]-v[i]))
	}
	if !(worst <= 1e-13) {
		t.Errorf("solveIRW: max |(I − ρW)z − u| = %.3g", worst)
	}
}
