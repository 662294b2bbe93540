package spatial

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// ContiguityOptions are the options of Contiguity. The zero value gives rook
// contiguity with spdep's default snap of sqrt(machine epsilon).
type ContiguityOptions struct {
	// Queen makes regions that share a single boundary point neighbours;
	// otherwise (rook) they must share at least two boundary points, that
	// is an edge of positive length.
	Queen bool
	// Snap is the distance within which two boundary points are the same
	// point (0 = sqrt(2.2e-16) ≈ 1.5e-8, spdep's poly2nb default). Increase
	// it for maps with digitising error.
	Snap float64
}

// vertex is one boundary point of one region.
type vertex struct {
	x, y   float64
	region int
}

// Contiguity returns the binary contiguity weights of the regions, with
// spdep's poly2nb semantics (Bivand 2022). Each region's boundary points are
// the coordinates of all its rings, as sf's st_coordinates lists them (every
// ring closed, so its first point appears twice), without the region's very
// first coordinate. Two regions touch at a pair of points (p of one, q of
// the other) when
//
//	|p_x − q_x| ≤ Snap,  |p_y − q_y| ≤ Snap  and  hypot(p − q) ≤ Snap,
//
// and the number k of touching pairs decides: queen neighbours when k ≥ 1,
// rook neighbours when k ≥ 2 (in practice an edge of positive length; like
// spdep, a point repeated in one region's coordinates, such as the start of
// a second ring, counts twice).
//
// Candidate pairs come from a plane sweep over the points sorted by x, so
// the cost is O(V log V) in the number of points V rather than quadratic in
// the number of regions. A region without any coordinate is an error.
func Contiguity(r *Regions, opts ContiguityOptions) (*Weights, error) {
	snap := opts.Snap
	if snap == 0 {
		snap = math.Sqrt(2.220446049250313e-16)
	}
	if snap < 0 || math.IsNaN(snap) || math.IsInf(snap, 0) {
		return nil, fmt.Errorf("spatial: snap %v must be a non-negative finite distance", snap)
	}
	if len(r.IDs) != len(r.Polygons) {
		return nil, fmt.Errorf("spatial: %d IDs for %d polygons", len(r.IDs), len(r.Polygons))
	}
	var vs []vertex
	for i, g := range r.Polygons {
		var rings []orb.Ring
		switch g := g.(type) {
		case orb.Polygon:
			rings = g
		case orb.MultiPolygon:
			for _, p := range g {
				rings = append(rings, p...)
			}
		default:
			return nil, fmt.Errorf("spatial: region %q: geometry %T is not a polygon", r.IDs[i], g)
		}
		first := true
		for _, ring := range rings {
			for k, p := range ring {
				if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) {
					return nil, fmt.Errorf("spatial: region %q: non-finite coordinate (%v, %v)", r.IDs[i], p[0], p[1])
				}
				if first {
					first = false // poly2nb drops the region's first coordinate
					continue
				}
				vs = append(vs, vertex{p[0], p[1], i})
				if k == len(ring)-1 && len(ring) > 1 && ring[0] != p {
					// An unclosed ring: st_coordinates would list its
					// closing point.
					vs = append(vs, vertex{ring[0][0], ring[0][1], i})
				}
			}
		}
		if first {
			return nil, fmt.Errorf("spatial: region %q has no coordinates", r.IDs[i])
		}
	}
	slices.SortFunc(vs, func(a, b vertex) int {
		if c := cmp.Compare(a.x, b.x); c != 0 {
			return c
		}
		if c := cmp.Compare(a.y, b.y); c != 0 {
			return c
		}
		return cmp.Compare(a.region, b.region)
	})
	// shared[pair] counts the touching pairs of points of the two regions.
	type pair struct{ a, b int }
	shared := make(map[pair]int, 2*len(r.IDs))
	for p := range vs {
		for q := p + 1; q < len(vs) && vs[q].x-vs[p].x <= snap; q++ {
			if vs[q].region == vs[p].region {
				continue
			}
			dx, dy := vs[q].x-vs[p].x, vs[q].y-vs[p].y
			if math.Abs(dy) > snap || math.Hypot(dx, dy) > snap {
				continue
			}
			a, b := vs[p].region, vs[q].region
			if a > b {
				a, b = b, a
			}
			shared[pair{a, b}]++
		}
	}
	need := 2
	if opts.Queen {
		need = 1
	}
	links := make([]Link, 0, 2*len(shared))
	for pr, c := range shared {
		if c >= need {
			links = append(links, Link{From: pr.a, To: pr.b, Weight: 1}, Link{From: pr.b, To: pr.a, Weight: 1})
		}
	}
	return NewWeights(r.IDs, links)
}
