package spatial

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"gonum.org/v1/gonum/floats/scalar"
)

// rect returns the closed ring of the rectangle [x0, x1] × [y0, y1],
// starting at its lower-left corner.
func rect(x0, y0, x1, y1 float64) orb.Ring {
	return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
}

// tJunction returns a big 2 × 2 square and a small unit square whose left
// edge lies along the middle of the big square's right edge: the two share
// the segment x = 2, 0.5 ≤ y ≤ 1.5, but no vertex. A third square shares
// only the big square's corner (0, 2).
func tJunction() *Regions {
	return &Regions{
		IDs: []string{"big", "small", "corner"},
		Polygons: []orb.Geometry{
			orb.Polygon{rect(0, 0, 2, 2)},
			orb.Polygon{rect(2, 0.5, 3, 1.5)},
			orb.Polygon{rect(-1, 2, 0, 3)},
		},
	}
}

// TestExactContiguityTJunction checks the exact rule on the T-junction that
// poly2nb (and the vertex rule) misses: the shared segment has length 1
// (by construction), the corner touch is queen only.
func TestExactContiguityTJunction(t *testing.T) {
	r := tJunction()
	for _, tc := range []struct {
		name             string
		opts             ContiguityOptions
		bigSmall, corner float64
	}{
		{"vertex rule, rook", ContiguityOptions{}, 0, 0},
		{"vertex rule, queen", ContiguityOptions{Queen: true}, 0, 1},
		{"exact, rook", ContiguityOptions{Exact: true}, 1, 0},
		{"exact, queen", ContiguityOptions{Exact: true, Queen: true}, 1, 1},
		{"boundary length", ContiguityOptions{BoundaryLength: true}, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, err := Contiguity(r, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := w.At(0, 1); !scalar.EqualWithinAbs(got, tc.bigSmall, 1e-12) || w.At(1, 0) != got {
				t.Errorf("big–small weight %g, want %g", got, tc.bigSmall)
			}
			if got := w.At(0, 2); got != tc.corner {
				t.Errorf("big–corner weight %g, want %g", got, tc.corner)
			}
			if w.At(1, 2) != 0 {
				t.Errorf("small–corner linked")
			}
		})
	}
	missed, err := MissedByVertexRule(r, ContiguityOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(missed) != 1 || missed[0] != [2]string{"big", "small"} {
		t.Errorf("missed by the vertex rule: %v, want [[big small]]", missed)
	}
	if _, err := Contiguity(r, ContiguityOptions{BoundaryLength: true, Queen: true}); err == nil {
		t.Error("boundary length with queen accepted")
	}
}

// TestExactContiguityGrid checks that on a grid (shared vertices
// everywhere) the exact rule gives the lattice links and the boundary
// lengths are the unit edges; and, with lon/lat coordinates, that a shared
// meridian segment of 1° has the haversine length R·π/180 km.
func TestExactContiguityGrid(t *testing.T) {
	for _, queen := range []bool{false, true} {
		w, err := Contiguity(squareGrid(4, 5, true), ContiguityOptions{Queen: queen, Exact: true})
		if err != nil {
			t.Fatal(err)
		}
		l, _ := Lattice(4, 5, queen)
		for i := 0; i < 20; i++ {
			for j := 0; j < 20; j++ {
				if w.At(i, j) != l.At(i, j) {
					t.Fatalf("queen=%v: (%d,%d) = %g, lattice %g", queen, i, j, w.At(i, j), l.At(i, j))
				}
			}
		}
		if missed, _ := MissedByVertexRule(squareGrid(4, 5, true), ContiguityOptions{Queen: queen}); len(missed) != 0 {
			t.Errorf("queen=%v: grid pairs missed by the vertex rule: %v", queen, missed)
		}
	}
	w, err := Contiguity(squareGrid(2, 2, false), ContiguityOptions{BoundaryLength: true})
	if err != nil {
		t.Fatal(err)
	}
	if w.At(0, 1) != 1 || w.At(0, 3) != 0 {
		t.Errorf("boundary lengths %g (edge), %g (corner)", w.At(0, 1), w.At(0, 3))
	}
	ll := &Regions{IDs: []string{"w", "e"}, Polygons: []orb.Geometry{
		orb.Polygon{rect(10, 40, 11, 41)}, orb.Polygon{rect(11, 40.5, 12, 41)},
	}}
	w, err = Contiguity(ll, ContiguityOptions{BoundaryLength: true, LonLat: true})
	if err != nil {
		t.Fatal(err)
	}
	want := EarthRadiusKm * math.Pi / 180 / 2 // half a degree of meridian
	if got := w.At(0, 1); !scalar.EqualWithinRel(got, want, 1e-12) {
		t.Errorf("lon/lat boundary length %g km, want %g", got, want)
	}
}
