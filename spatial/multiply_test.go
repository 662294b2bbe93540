package spatial

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestChebyshevParallelProbes checks that the Chebyshev log-determinant's
// probes, one per core with the fused serial step (one worker, or two or
// three; forProbes) or in blocks that share each pass over W
// (chebyshevBlockStep, blocks of 4 and a remainder of 1 or 3), give bit
// for bit the traces of each probe walked on its own by LagTo and the
// recurrence T_{j+1} = 2ŴT_j − T_{j−1}, and the same log-determinants.
func TestChebyshevParallelProbes(t *testing.T) {
	// k nearest neighbours: not similar to a symmetric matrix, so that
	// the probes walk W itself (a symmetric-similar W is walked by the
	// doubling, TestChebyshevDoubling).
	ids, pts := randomPoints(10000, 11, false)
	w, err := KNearest(ids, pts, 5, Euclidean)
	if err != nil {
		t.Fatal(err)
	}
	if w.IsSymmetricSimilar() {
		t.Fatal("5 nearest neighbours of random points came out symmetric")
	}
	w, err = w.Transform(RowStandardized)
	if err != nil {
		t.Fatal(err)
	}
	n := w.N()
	// The exact low-order traces are shared (their sums depend on the
	// workers' split of the regions).
	pm := w.DefaultPowerMoments(nil, 1)
	const seed = 7
	for _, probes := range []int{5, 7} {
		var lds []*ChebyshevLogDet
		for _, workers := range []int{1, 2, 3} {
			e, err := NewChebyshevLogDet(w, LogDetOptions{Seed: seed, Probes: probes, Workers: workers, Moments: pm})
			if err != nil {
				t.Fatal(err)
			}
			lds = append(lds, e)
		}
		// Each probe on its own, as NewChebyshevLogDet draws them.
		e := lds[0]
		sc, sh := 2/(e.b-e.a), (e.a+e.b)/(e.b-e.a)
		rng := rand.New(rand.NewPCG(seed, seed))
		bits := make([][]uint64, probes)
		for p := range bits {
			bits[p] = make([]uint64, (n+63)/64)
			for i := range bits[p] {
				bits[p][i] = rng.Uint64()
			}
		}
		got := map[string][][]float64{}
		for k, e := range lds {
			got[fmt.Sprintf("one per core, workers %d", k+1)] = e.probes
		}
		for _, workers := range []int{1, 2} {
			got[fmt.Sprintf("blocks, workers %d", workers)] = chebyshevProbeTraces(w, bits, e.q, sc, sh, workers, true, false)
		}
		for p := range probes {
			u, prev, cur, nxt := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
			rademacherBits(bits[p], u)
			want := []float64{float64(n)}
			copy(prev, u)
			w.LagTo(cur, u)
			var d float64
			for i := range cur {
				cur[i] = sc*cur[i] - sh*u[i]
				d += u[i] * cur[i]
			}
			want = append(want, d)
			for j := 2; j <= e.q; j++ {
				w.LagTo(nxt, cur)
				d = 0
				for i := range nxt {
					nxt[i] = 2*(sc*nxt[i]-sh*cur[i]) - prev[i]
					d += u[i] * nxt[i]
				}
				want = append(want, d)
				prev, cur, nxt = cur, nxt, prev
			}
			for how, tr := range got {
				if !slices.Equal(tr[p], want) {
					t.Errorf("%d probes, %s: probe %d traces differ from the probe's own walk", probes, how, p)
				}
			}
		}
		for k, e := range lds[1:] {
			for _, rho := range []float64{-0.5, 0.3, 0.9} {
				if a, b := e.LogDet(rho), lds[0].LogDet(rho); a != b {
					t.Errorf("%d probes, workers %d: ln|I − %gW| = %.17g, serial %.17g", probes, k+2, rho, a, b)
				}
			}
		}
	}
}

// TestAffineLagTo checks the fused step u + ρW·x of the fixed-point
// iteration against LagTo followed by the update, bit for bit, with the
// squared norms of the change and of the result.
func TestAffineLagTo(t *testing.T) {
	ids, pts := randomPoints(500, 3, false)
	w, err := KNearest(ids, pts, 5, Euclidean) // asymmetric
	if err != nil {
		t.Fatal(err)
	}
	w, err = w.Transform(RowStandardized)
	if err != nil {
		t.Fatal(err)
	}
	n := w.N()
	x, u := make([]float64, n), make([]float64, n)
	for i := range x {
		x[i] = math.Sin(float64(i))
		u[i] = math.Cos(float64(3 * i))
	}
	want := make([]float64, n)
	w.LagTo(want, x)
	var wd, wn float64
	for i := range want {
		want[i] = u[i] + 0.7*want[i]
		wd += (want[i] - x[i]) * (want[i] - x[i])
		wn += want[i] * want[i]
	}
	got := make([]float64, n)
	d, nrm := w.AffineLagTo(got, x, u, 0.7)
	if !slices.Equal(got, want) || d != wd || nrm != wn {
		t.Errorf("AffineLagTo: norms %g %g, want %g %g (vectors equal: %v)", d, nrm, wd, wn, slices.Equal(got, want))
	}
}

// TestChebyshevLagTo checks the Chebyshev step: with ω = 1 it is
// AffineLagTo bit for bit; with ω = 1.3 each entry is ω(u + ρWx) + (1 −
// ω)prev from LagTo, with the squared norms of the change from x and of
// the result. MaxAbsRowSum is the largest row sum of |w_ij|: 1 for
// row-standardised weights, the largest number of neighbours for binary
// ones.
func TestChebyshevLagTo(t *testing.T) {
	ids, pts := randomPoints(500, 3, false)
	w, err := KNearest(ids, pts, 5, Euclidean)
	if err != nil {
		t.Fatal(err)
	}
	if got := w.MaxAbsRowSum(); got != 5 {
		t.Errorf("MaxAbsRowSum of binary 5-nearest = %g, want 5", got)
	}
	w, err = w.Transform(RowStandardized)
	if err != nil {
		t.Fatal(err)
	}
	if got := w.MaxAbsRowSum(); math.Abs(got-1) > 1e-15 {
		t.Errorf("MaxAbsRowSum of row-standardised = %g, want 1", got)
	}
	n := w.N()
	x, u, prev := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range x {
		x[i] = math.Sin(float64(i))
		u[i] = math.Cos(float64(3 * i))
		prev[i] = math.Sin(float64(5*i) + 1)
	}
	aff := make([]float64, n)
	ad, an := w.AffineLagTo(aff, x, u, 0.7)
	got := slices.Clone(prev)
	if d, nrm := w.ChebyshevLagTo(got, x, u, 0.7, 1); !slices.Equal(got, aff) || d != ad || nrm != an {
		t.Errorf("ω = 1: not AffineLagTo (norms %g %g, want %g %g)", d, nrm, ad, an)
	}
	lag := make([]float64, n)
	w.LagTo(lag, x)
	want := make([]float64, n)
	var wd, wn float64
	omega := 1.3 // (a variable: 1 − ω rounded at run time, as the kernel's)
	for i := range want {
		want[i] = omega*(u[i]+0.7*lag[i]) + (1-omega)*prev[i]
		wd += (want[i] - x[i]) * (want[i] - x[i])
		wn += want[i] * want[i]
	}
	got = slices.Clone(prev)
	if d, nrm := w.ChebyshevLagTo(got, x, u, 0.7, omega); !slices.Equal(got, want) || d != wd || nrm != wn {
		t.Errorf("ω = 1.3: norms %g %g, want %g %g (vectors equal: %v)", d, nrm, wd, wn, slices.Equal(got, want))
	}
}

func BenchmarkAffineLagTo(b *testing.B) {
	w, _ := Lattice(316, 316, false)
	w, _ = w.Transform(RowStandardized)
	x, u, dst := make([]float64, w.N()), make([]float64, w.N()), make([]float64, w.N())
	for i := range x {
		x[i], u[i] = float64(i%7), 1
	}
	b.ReportAllocs()
	for b.Loop() {
		w.AffineLagTo(dst, x, u, 0.4)
	}
}

// TestChebyshevDoubling checks the doubling of chebyshevProbeTraces for a
// symmetric Ŵ (Weiße et al. 2006, §II.D: u'T_{2j}u = 2‖T_ju‖² − uᵀu,
// u'T_{2j−1}u = 2(T_ju)ᵀT_{j−1}u − uᵀT_1u) against the traces of the
// plain recurrence T_{j+1} = 2ŴT_j − T_{j−1}, to rounding, for even and
// odd orders; and that its serial walks (one probe per core), its walk
// of one probe with a parallel product, and its block walks give the same
// numbers bit for bit.
func TestChebyshevDoubling(t *testing.T) {
	w, err := Lattice(100, 100, true)
	if err != nil {
		t.Fatal(err)
	}
	w, err = w.Transform(RowStandardized)
	if err != nil {
		t.Fatal(err)
	}
	s, ok := w.SymmetricSimilar()
	if !ok {
		t.Fatal("a row-standardised queen lattice is similar to a symmetric matrix")
	}
	n := s.N()
	rng := rand.New(rand.NewPCG(3, 4))
	bits := make([][]uint64, 6)
	for p := range bits {
		bits[p] = make([]uint64, (n+63)/64)
		for i := range bits[p] {
			bits[p][i] = rng.Uint64()
		}
	}
	// Ŵ = sc·S − sh·I on [λmin, λmax] ⊂ [−1, 1].
	sc, sh := 2/(1-(-1.0)), (-1.0+1)/(1-(-1.0))
	for _, q := range []int{1, 2, 3, 8, 31, 52} {
		plain := chebyshevProbeTraces(s, bits, q, sc, sh, 1, false, false)
		var first [][]float64
		for _, c := range []struct {
			workers int
			blocks  bool
			probes  int
		}{{1, false, 6}, {2, false, 6}, {2, false, 1}, {1, true, 6}, {2, true, 6}} {
			got := chebyshevProbeTraces(s, bits[:c.probes], q, sc, sh, c.workers, c.blocks, true)
			for p := range got {
				if len(got[p]) != q+1 {
					t.Fatalf("q %d: %d traces, want %d", q, len(got[p]), q+1)
				}
				for j, v := range got[p] {
					// |u'T_j u| ≤ N; the doubled sums lose a few ulps of N.
					if math.Abs(v-plain[p][j]) > 1e-12*float64(n) {
						t.Errorf("q %d, workers %d, blocks %v: probe %d, u'T_%d u = %.15g, plain recurrence %.15g", q, c.workers, c.blocks, p, j, v, plain[p][j])
					}
				}
			}
			if first == nil {
				first = got
				continue
			}
			for p := range got {
				if !slices.Equal(got[p], first[p]) {
					t.Errorf("q %d, workers %d, blocks %v, %d probes: probe %d differs bit for bit from the serial walk", q, c.workers, c.blocks, c.probes, p)
				}
			}
		}
	}
}
