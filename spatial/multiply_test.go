package spatial

import (
	"math"
	"slices"
	"testing"
)

// TestChebyshevParallelProbes checks that the Chebyshev log-determinant's
// probes give bit for bit the same traces and log-determinants whether
// they run one after another (one worker, the fused serial step), in
// parallel (forProbes) or one probe with products parallel over row
// blocks (Multiplier, unfused).
func TestChebyshevParallelProbes(t *testing.T) {
	w, err := Lattice(100, 100, false)
	if err != nil {
		t.Fatal(err)
	}
	w, err = w.Transform(RowStandardized)
	if err != nil {
		t.Fatal(err)
	}
	// The exact low-order traces are shared (their sums depend on the
	// workers' split of the regions).
	pm := w.DefaultPowerMoments(nil, 1)
	var lds []*ChebyshevLogDet
	for _, workers := range []int{1, 2, 3} {
		e, err := NewChebyshevLogDet(w, LogDetOptions{Seed: 7, Probes: 5, Workers: workers, Moments: pm})
		if err != nil {
			t.Fatal(err)
		}
		lds = append(lds, e)
	}
	one, err := NewChebyshevLogDet(w, LogDetOptions{Seed: 7, Probes: 1, Workers: 2, Moments: pm})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(one.probes[0], lds[0].probes[0]) {
		t.Errorf("one probe, products over row blocks: traces differ from the fused serial ones")
	}
	for k, e := range lds[1:] {
		for p := range e.probes {
			if !slices.Equal(e.probes[p], lds[0].probes[p]) {
				t.Errorf("workers %d: probe %d traces differ from the serial ones", k+2, p)
			}
		}
		for _, rho := range []float64{-0.5, 0.3, 0.9} {
			if a, b := e.LogDet(rho), lds[0].LogDet(rho); a != b {
				t.Errorf("workers %d: ln|I − %gW| = %.17g, serial %.17g", k+2, rho, a, b)
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
