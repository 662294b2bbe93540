package spatial

import (
	"testing"

	"github.com/agglo/agglo/internal/sharedtest"
	"github.com/paulmach/orb"
)

// TestContiguityPairCounting checks the two details of spdep's poly2nb
// (src/polypoly.c, R/poly2nb.R of spdep 1.2) that a per-vertex count gets
// wrong: points touch within a Euclidean distance (not a box) of snap, and
// rook needs an edge; and the one place where agglo departs from it on
// purpose: poly2nb counts touching pairs of coordinates, so a point listed
// twice in one region (first and closing point of a second ring) makes a
// rook neighbour out of a single shared corner; agglo counts distinct
// points, so a corner touch is never rook whatever the ring start (issue 13
// item 14).
func TestContiguityPairCounting(t *testing.T) {
	square := func(x, y float64) orb.Ring {
		return orb.Ring{{x, y}, {x + 1, y}, {x + 1, y + 1}, {x, y + 1}, {x, y}}
	}
	// start returns the square ring starting at its corner number c.
	start := func(r orb.Ring, c int) orb.Ring {
		out := append(orb.Ring{}, r[c:4]...)
		out = append(out, r[:c]...)
		return append(out, out[0])
	}
	for _, tc := range []struct {
		name        string
		a, b        orb.Geometry
		snap        float64
		queen, rook bool
	}{
		{
			// Corner (1,1) shared; each point listed once: k = 1.
			name: "corner", a: orb.Polygon{square(0, 0)}, b: orb.Polygon{square(1, 1)},
			queen: true, rook: false,
		},
		{
			// b's second part starts (and ends) at the shared corner (1,1):
			// poly2nb counts two pairs and makes rook neighbours; one point.
			name:  "corner repeated by a second ring",
			a:     orb.Polygon{start(square(0, 0), 1)},
			b:     orb.MultiPolygon{{square(5, 5)}, {square(1, 1)}},
			queen: true, rook: false,
		},
		{
			// Both rings start at the shared corner, in MultiPolygon parts.
			name:  "corner repeated in both regions",
			a:     orb.MultiPolygon{{square(-5, -5)}, {start(square(0, 0), 2)}},
			b:     orb.MultiPolygon{{square(5, 5)}, {square(1, 1)}},
			queen: true, rook: false,
		},
		{
			// The same corner as the region's very first coordinate of
			// b is dropped once, the closing copy remains: k = 1.
			name:  "corner as first coordinate",
			a:     orb.Polygon{start(square(0, 0), 2)},
			b:     orb.Polygon{square(1, 1)},
			queen: true, rook: false,
		},
		{
			// Shared edge: 2 pairs.
			name: "edge", a: orb.Polygon{square(0, 0)}, b: orb.Polygon{square(1, 0)},
			queen: true, rook: true,
		},
		{
			// Corners (1,1) and (1.4,1.4): within 0.5 in x and in y but
			// 0.566 apart, so not neighbours with snap 0.5.
			name: "box but not disc", a: orb.Polygon{square(0, 0)}, b: orb.Polygon{square(1.4, 1.4)},
			snap: 0.5, queen: false, rook: false,
		},
		{
			name: "within the disc", a: orb.Polygon{square(0, 0)}, b: orb.Polygon{square(1.3, 1.3)},
			snap: 0.5, queen: true, rook: false,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &Regions{IDs: []string{"a", "b"}, Polygons: []orb.Geometry{tc.a, tc.b}}
			for _, queen := range []bool{true, false} {
				w, err := Contiguity(r, ContiguityOptions{Queen: queen, Snap: tc.snap})
				if err != nil {
					t.Fatal(err)
				}
				want := tc.rook
				if queen {
					want = tc.queen
				}
				if got := w.At(0, 1) == 1 && w.At(1, 0) == 1; got != want {
					t.Errorf("queen=%v: neighbours %v, poly2nb %v", queen, got, want)
				}
			}
		})
	}
}

func TestContiguityBadInput(t *testing.T) {
	sq := orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}
	for _, tc := range []struct {
		name string
		r    *Regions
		opts ContiguityOptions
	}{
		{"point", &Regions{IDs: []string{"a"}, Polygons: []orb.Geometry{orb.Point{0, 0}}}, ContiguityOptions{}},
		{"empty", &Regions{IDs: []string{"a"}, Polygons: []orb.Geometry{orb.Polygon{}}}, ContiguityOptions{}},
		{"lengths", &Regions{IDs: []string{"a", "b"}, Polygons: []orb.Geometry{sq}}, ContiguityOptions{}},
		{"negative snap", &Regions{IDs: []string{"a"}, Polygons: []orb.Geometry{sq}}, ContiguityOptions{Snap: -1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Contiguity(tc.r, tc.opts); err == nil {
				t.Fatal("want an error")
			}
		})
	}
}

// TestContiguityReproducesUsaww builds queen contiguity from the state
// polygons of ../shared/data/us_states.geojson and compares it with the
// structure of splm's usaww matrix (an independent source): they agree
// exactly on the 48 states. Rook differs only at the Four Corners, where
// Arizona–Colorado and New Mexico–Utah meet at a single point.
func TestContiguityReproducesUsaww(t *testing.T) {
	r, err := ReadGeoJSONFile(sharedtest.Data(t, "us_states.geojson"), "id")
	if err != nil {
		t.Fatal(err)
	}
	u, err := ReadWeightsFile(sharedtest.Data(t, "usaww.csv"), "")
	if err != nil {
		t.Fatal(err)
	}
	fourCorners := map[[2]string]bool{
		{"ARIZONA", "COLORADO"}: true, {"COLORADO", "ARIZONA"}: true,
		{"NEW_MEXICO", "UTAH"}: true, {"UTAH", "NEW_MEXICO"}: true,
	}
	for _, queen := range []bool{true, false} {
		w, err := Contiguity(r, ContiguityOptions{Queen: queen})
		if err != nil {
			t.Fatal(err)
		}
		s, err := w.Subset(u.IDs())
		if err != nil {
			t.Fatal(err)
		}
		ids := u.IDs()
		for i := range ids {
			for j := range ids {
				got, want := s.At(i, j) != 0, u.At(i, j) != 0
				if !queen && fourCorners[[2]string{ids[i], ids[j]}] {
					want = false
				}
				if got != want {
					t.Errorf("queen=%v: %s–%s neighbours %v, usaww %v", queen, ids[i], ids[j], got, want)
				}
			}
		}
	}
}
