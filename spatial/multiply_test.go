package spatial

import (
	"slices"
	"testing"
)

// TestChebyshevParallelProbes checks that the Chebyshev log-determinant's
// probes give bit for bit the same traces and log-determinants whether
// they run one after another (one worker) or in parallel (forProbes).
func TestChebyshevParallelProbes(t *testing.T) {
	w, err := Lattice(80, 80, false)
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
