package spatial

import (
	"fmt"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

// TestBipartiteInterval checks hasBipartiteComponent on small graphs (by
// hand: a path and a 4-cycle are bipartite, a triangle and a 5-cycle are
// odd cycles) and that the sparse Cholesky interval of a
// row-standardised W with a bipartite component is (−1, 1), the dense
// eigenvalues' interval to 1e-12 (λmin = −1 exactly), without inertia
// checks, while other graphs still get the certified interval.
func TestBipartiteInterval(t *testing.T) {
	undirected := func(n int, edges ...[2]int) *Weights {
		ids := make([]string, n)
		for i := range ids {
			ids[i] = fmt.Sprint("r", i)
		}
		var links []Link
		for _, e := range edges {
			links = append(links, Link{From: e[0], To: e[1], Weight: 1})
			if e[0] != e[1] {
				links = append(links, Link{From: e[1], To: e[0], Weight: 1})
			}
		}
		w, err := NewWeights(ids, links)
		if err != nil {
			t.Fatal(err)
		}
		w, err = w.Transform(RowStandardized)
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	rook, _ := Lattice(12, 12, false)
	queen, _ := Lattice(12, 12, true)
	for _, tc := range []struct {
		name string
		w    *Weights
		want bool
	}{
		{"path", undirected(5, [2]int{0, 1}, [2]int{1, 2}, [2]int{2, 3}, [2]int{3, 4}), true},
		{"4-cycle", undirected(4, [2]int{0, 1}, [2]int{1, 2}, [2]int{2, 3}, [2]int{3, 0}), true},
		{"triangle", undirected(3, [2]int{0, 1}, [2]int{1, 2}, [2]int{2, 0}), false},
		{"triangle and edge", undirected(5, [2]int{0, 1}, [2]int{1, 2}, [2]int{2, 0}, [2]int{3, 4}), true},
		{"5-cycle", undirected(5, [2]int{0, 1}, [2]int{1, 2}, [2]int{2, 3}, [2]int{3, 4}, [2]int{4, 0}), false},
		{"rook lattice", rook, true},
		{"queen lattice", queen, false},
	} {
		w := tc.w
		if tc.name == "rook lattice" || tc.name == "queen lattice" {
			w, _ = w.Transform(RowStandardized)
		}
		if got := w.hasBipartiteComponent(); got != tc.want {
			t.Errorf("%s: hasBipartiteComponent = %v, want %v", tc.name, got, tc.want)
		}
		c, err := NewCholeskyLogDet(w, LogDetOptions{Seed: 1})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		e, err := NewEigenLogDet(w)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		lo, hi := c.Interval()
		elo, ehi := e.Interval()
		if tc.want && (lo != -1 || hi != 1) {
			t.Errorf("%s: interval (%g, %g), want (-1, 1)", tc.name, lo, hi)
		}
		if lo < elo-1e-12 || hi > ehi+1e-12 || !scalar.EqualWithinRel(lo, elo, 1e-6) || !scalar.EqualWithinRel(hi, ehi, 1e-6) {
			t.Errorf("%s: interval (%.12g, %.12g), exact (%.12g, %.12g)", tc.name, lo, hi, elo, ehi)
		}
	}
}
