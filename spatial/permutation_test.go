package spatial

import (
	"math"
	"math/rand/v2"
	"os"
	"sync/atomic"
	"testing"
)

// TestGlobalPermutationsDeterministic checks, for the three global tests,
// that the pseudo p-value does not depend on the number of workers, that
// it is (1 + k)/(1 + R) for an integer k, and that Progress reaches R.
func TestGlobalPermutationsDeterministic(t *testing.T) {
	b, _ := Lattice(8, 9, false)
	w, _ := b.Transform(RowStandardized)
	rng := rand.New(rand.NewPCG(11, 11))
	x := make([]float64, w.N())
	for i := range x {
		x[i] = 5 + rng.NormFloat64() + 0.1*float64(i%9)
	}
	const R = 499
	for name, f := range map[string]func([]float64, *Weights, TestOptions) (GlobalTest, error){
		"Moran": Moran, "Geary": Geary, "GetisOrd": GetisOrd,
	} {
		for _, alt := range []Alternative{Greater, Less, TwoSided} {
			var ps []float64
			for _, workers := range []int{1, 2, 3, 8} {
				var last atomic.Int64
				r, err := f(x, w, TestOptions{Permutations: R, Seed: 42, Workers: workers, Alternative: alt,
					Progress: func(done, total int) {
						if total != R {
							t.Errorf("progress total %d", total)
						}
						last.Store(int64(done))
					}})
				if err != nil {
					t.Fatal(err)
				}
				if last.Load() != R {
					t.Errorf("%s: progress ended at %d of %d", name, last.Load(), R)
				}
				ps = append(ps, r.PPermutation)
			}
			for _, p := range ps[1:] {
				if p != ps[0] {
					t.Errorf("%s %v: p depends on workers: %v", name, alt, ps)
				}
			}
			k := ps[0]*(R+1) - 1
			if alt == TwoSided {
				k = ps[0]*(R+1)/2 - 1
			}
			if ps[0] <= 0 || ps[0] > 1 || (ps[0] < 1 && math.Abs(k-math.Round(k)) > 1e-9) {
				t.Errorf("%s %v: p = %v is not (1+k)/(1+R)", name, alt, ps[0])
			}
		}
	}
}

// TestSizeMonteCarlo checks the size of the tests under the null of no
// autocorrelation: i.i.d. normal values on a 12×12 rook lattice (style W),
// rejection rates at 5 % of the normality, randomisation and permutation
// tests of Moran's I and Geary's C, and of local Moran's normal and
// permutation p-values, must be within 4 binomial standard errors of 0.05.
// Slow: set AGGLO_SLOW=1.
func TestSizeMonteCarlo(t *testing.T) {
	if os.Getenv("AGGLO_SLOW") == "" {
		t.Skip("Monte Carlo size of the tests: set AGGLO_SLOW=1")
	}
	b, _ := Lattice(12, 12, false)
	w, _ := b.Transform(RowStandardized)
	const reps = 2000
	rng := rand.New(rand.NewPCG(2026, 3))
	x := make([]float64, w.N())
	rej := map[string]int{}
	localRej, localPermRej, localFoldRej, localN := 0, 0, 0, 0
	for rep := 0; rep < reps; rep++ {
		for i := range x {
			x[i] = rng.NormFloat64()
		}
		opts := TestOptions{Permutations: 199, Seed: uint64(rep)}
		m, err := Moran(x, w, opts)
		if err != nil {
			t.Fatal(err)
		}
		c, err := Geary(x, w, opts)
		if err != nil {
			t.Fatal(err)
		}
		for name, p := range map[string]float64{
			"moran normality": m.PNormality, "moran randomisation": m.PRandomisation, "moran permutation": m.PPermutation,
			"geary normality": c.PNormality, "geary randomisation": c.PRandomisation, "geary permutation": c.PPermutation,
		} {
			if p <= 0.05 {
				rej[name]++
			}
		}
		if rep%10 == 0 {
			loc, err := LocalMoran(x, w, LocalOptions{Permutations: 199, Seed: uint64(rep)})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range loc {
				localN++
				if r.P <= 0.05 {
					localRej++
				}
				if r.PPermutation <= 0.05 {
					localPermRej++
				}
				if r.PFolded <= 0.05 {
					localFoldRej++
				}
			}
		}
	}
	se := math.Sqrt(0.05 * 0.95 / reps)
	for name, k := range rej {
		rate := float64(k) / reps
		t.Logf("%-20s size %.4f", name, rate)
		if math.Abs(rate-0.05) > 4*se {
			t.Errorf("%s: size %.4f, want 0.05 ± %.4f", name, rate, 4*se)
		}
	}
	// Local tests are correlated across regions and the normal
	// approximation of I_i is poor (Anselin 1995): report, and require
	// only the permutation test to be near its level.
	lr, lpr := float64(localRej)/float64(localN), float64(localPermRej)/float64(localN)
	t.Logf("local Moran: normal p ≤ 0.05 in %.4f, permutation p ≤ 0.05 in %.4f, folded p ≤ 0.05 in %.4f of %d region tests",
		lr, lpr, float64(localFoldRej)/float64(localN), localN)
	if math.Abs(lpr-0.05) > 0.015 {
		t.Errorf("local permutation size %.4f", lpr)
	}
}
