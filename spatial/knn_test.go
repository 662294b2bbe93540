package spatial

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
	"gonum.org/v1/gonum/floats/scalar"
)

func randomPoints(n int, seed uint64, lonlat bool) ([]string, []orb.Point) {
	rng := rand.New(rand.NewPCG(seed, seed))
	ids := make([]string, n)
	pts := make([]orb.Point, n)
	for i := range pts {
		ids[i] = fmt.Sprint(i)
		if lonlat {
			pts[i] = orb.Point{-180 + 360*rng.Float64(), -80 + 160*rng.Float64()}
		} else {
			// A coarse grid makes many exact ties.
			pts[i] = orb.Point{math.Round(rng.Float64() * 20), math.Round(rng.Float64() * 20)}
		}
	}
	return ids, pts
}

// TestKNearestMatchesBruteForce compares the k-d tree search with a brute
// force that shares nothing with the package: distances from math.Hypot
// (Euclidean) and orb's geo.DistanceHaversine (great circle; its radius
// differs from EarthRadiusKm, which does not change the order), and the
// documented tie rule (equal distances: lower index first) applied by a
// stable sort of the indices. The coarse Euclidean grid has many exact
// ties.
func TestKNearestMatchesBruteForce(t *testing.T) {
	for _, tc := range []struct {
		name   string
		metric Metric
		dist   func(a, b orb.Point) float64
	}{
		{"euclidean", Euclidean, func(a, b orb.Point) float64 { return math.Hypot(a[0]-b[0], a[1]-b[1]) }},
		{"great-circle", GreatCircle, geo.DistanceHaversine},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ids, pts := randomPoints(300, 3, tc.metric == GreatCircle)
			const k = 6
			w, err := KNearest(ids, pts, k, tc.metric)
			if err != nil {
				t.Fatal(err)
			}
			ties := 0
			for i := range pts {
				idx := make([]int, 0, len(pts)-1)
				d := make([]float64, len(pts))
				for j := range pts {
					if j != i {
						idx = append(idx, j)
						d[j] = tc.dist(pts[i], pts[j])
					}
				}
				// idx is in increasing order; a stable sort keeps the lower
				// index first among equal distances.
				sort.SliceStable(idx, func(a, b int) bool { return d[idx[a]] < d[idx[b]] })
				if d[idx[k-1]] == d[idx[k]] {
					ties++ // the k-th and (k+1)-th are tied: the index decides
				}
				want := append([]int(nil), idx[:k]...)
				sort.Ints(want)
				got, _ := w.Neighbours(i)
				if len(got) != k {
					t.Fatalf("point %d: %d neighbours, want %d", i, len(got), k)
				}
				for m := range want {
					if got[m] != want[m] {
						t.Fatalf("point %d: neighbours %v, brute force %v", i, got, want)
					}
				}
			}
			if tc.metric == Euclidean && ties == 0 {
				t.Error("no tie at the k-th neighbour: the grid no longer tests the tie rule")
			}
		})
	}
}

func TestDistanceBandAndInverse(t *testing.T) {
	ids, pts := randomPoints(200, 5, false)
	pts = dedupe(pts)
	ids = ids[:len(pts)]
	w, err := InverseDistance(ids, pts, 2, 4, Euclidean)
	if err != nil {
		t.Fatal(err)
	}
	for i := range pts {
		for j := range pts {
			d := math.Hypot(pts[i][0]-pts[j][0], pts[i][1]-pts[j][1])
			want := 0.0
			if i != j && d <= 4 {
				want = 1 / (d * d)
			}
			if !scalar.EqualWithinAbsOrRel(w.At(i, j), want, 1e-15, 1e-13) {
				t.Fatalf("(%d,%d) = %v want %v", i, j, w.At(i, j), want)
			}
		}
	}
	b, _ := DistanceBand(ids, pts, 4, Euclidean)
	if b.NNZ() != w.NNZ() || !b.IsSymmetric() {
		t.Errorf("band links %d vs %d", b.NNZ(), w.NNZ())
	}
	if _, err := InverseDistance([]string{"a", "b"}, []orb.Point{{0, 0}, {0, 0}}, 1, 0, Euclidean); err == nil {
		t.Error("coincident points accepted for inverse distance")
	}
}

func dedupe(pts []orb.Point) []orb.Point {
	seen := map[orb.Point]bool{}
	var out []orb.Point
	for _, p := range pts {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

func TestHaversine(t *testing.T) {
	// One degree of longitude on the equator: 2πR/360.
	got := Haversine(orb.Point{0, 0}, orb.Point{1, 0})
	if want := 2 * math.Pi * EarthRadiusKm / 360; !scalar.EqualWithinAbsOrRel(got, want, 1e-9, 1e-12) {
		t.Errorf("1° = %v km, want %v", got, want)
	}
	// A great-circle band on lon/lat points matches haversine distances.
	ids, pts := randomPoints(150, 9, true)
	w, err := DistanceBand(ids, pts, 3000, GreatCircle)
	if err != nil {
		t.Fatal(err)
	}
	for i := range pts {
		for j := range pts {
			in := i != j && Haversine(pts[i], pts[j]) <= 3000
			if (w.At(i, j) == 1) != in {
				t.Fatalf("(%d,%d): band %v, haversine %v km", i, j, w.At(i, j), Haversine(pts[i], pts[j]))
			}
		}
	}
}

// TestDuplicateLocations checks issue 13 item 17: points at the same
// location are found and named (as spdep's knearneigh warns), in groups, for
// planar and great-circle coordinates (a longitude 360° apart and any
// longitude at a pole are the same place).
func TestDuplicateLocations(t *testing.T) {
	ids := []string{"a", "b", "c", "d", "e", "f", "g"}
	pts := []orb.Point{{1, 2}, {3, 4}, {1, 2}, {-170, 10}, {190, 10}, {5, 90}, {-40, 90}}
	if got := fmt.Sprint(DuplicateLocations(ids, pts, Euclidean)); got != "[[a c]]" {
		t.Errorf("planar: %s, want [[a c]]", got)
	}
	if got := fmt.Sprint(DuplicateLocations(ids, pts, GreatCircle)); got != "[[a c] [d e] [f g]]" {
		t.Errorf("great circle: %s, want [[a c] [d e] [f g]]", got)
	}
	if got := DuplicateLocations(ids[:2], pts[:2], Euclidean); len(got) != 0 {
		t.Errorf("distinct points: %v", got)
	}
}
