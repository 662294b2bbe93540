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
	// Exact replaces poly2nb's shared-vertex rule by the exact rule of
	// ExactContiguity: boundaries that meet anywhere (queen) or overlap
	// along a segment of positive length (rook), also where a vertex of one
	// region lies on an edge of the other without a vertex there
	// (T-junctions).
	Exact bool
	// BoundaryLength weights each link by the length of the boundary the
	// two regions share (the exact rule; only rook links have a positive
	// length, so it needs Queen false). Lengths are in the coordinates'
	// units, or great-circle kilometres with LonLat.
	BoundaryLength bool
	// LonLat says the coordinates are longitude/latitude in degrees: shared
	// boundary lengths are measured along great circles in kilometres.
	LonLat bool
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
// and the touching pairs decide: queen neighbours when there is at least
// one, rook neighbours when the touching points of the first region are at
// least two points more than Snap apart (an edge of positive length). Unlike
// poly2nb, which counts pairs of coordinates, a corner listed twice in one
// region (the first and closing point of a ring of a MultiPolygon part) is
// still one point: a corner touch is never a rook link, wherever the ring
// starts.
//
// The vertex rule misses regions that share an edge without sharing a
// vertex (a T-junction: a small square along a side of a big one), as
// poly2nb and PySAL do; MissedByVertexRule lists them, and opts.Exact
// (or opts.BoundaryLength) switches to ExactContiguity. The default stays
// the vertex rule so that results match spdep.
//
// Candidate pairs come from a plane sweep over the points sorted by x, so
// the cost is O(V log V) in the number of points V rather than quadratic in
// the number of regions. A region without any coordinate is an error.
func Contiguity(r *Regions, opts ContiguityOptions) (*Weights, error) {
	if opts.Exact || opts.BoundaryLength {
		return ExactContiguity(r, opts)
	}
	pairs, err := vertexContiguity(r, opts)
	if err != nil {
		return nil, err
	}
	links := make([]Link, 0, 2*len(pairs))
	for _, pr := range pairs {
		links = append(links, Link{From: pr[0], To: pr[1], Weight: 1}, Link{From: pr[1], To: pr[0], Weight: 1})
	}
	return NewWeights(r.IDs, links)
}

// snapOf returns the snap distance of opts (the default for 0), or an
// error for a negative or non-finite one.
func snapOf(opts ContiguityOptions) (float64, error) {
	snap := opts.Snap
	if snap == 0 {
		snap = math.Sqrt(2.220446049250313e-16)
	}
	if snap < 0 || math.IsNaN(snap) || math.IsInf(snap, 0) {
		return 0, fmt.Errorf("spatial: snap %v must be a non-negative finite distance", snap)
	}
	return snap, nil
}

// regionRings returns the rings of every region, checking the geometry
// types, the coordinates (finite) and that each region has one.
func regionRings(r *Regions) ([][]orb.Ring, error) {
	if len(r.IDs) != len(r.Polygons) {
		return nil, fmt.Errorf("spatial: %d IDs for %d polygons", len(r.IDs), len(r.Polygons))
	}
	out := make([][]orb.Ring, len(r.Polygons))
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
		n := 0
		for _, ring := range rings {
			for _, p := range ring {
				if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) {
					return nil, fmt.Errorf("spatial: region %q: non-finite coordinate (%v, %v)", r.IDs[i], p[0], p[1])
				}
				n++
			}
		}
		if n == 0 {
			return nil, fmt.Errorf("spatial: region %q has no coordinates", r.IDs[i])
		}
		out[i] = rings
	}
	return out, nil
}

// vertexContiguity returns the neighbour pairs (i < j) of the vertex rule
// of Contiguity, sorted.
func vertexContiguity(r *Regions, opts ContiguityOptions) ([][2]int, error) {
	snap, err := snapOf(opts)
	if err != nil {
		return nil, err
	}
	all, err := regionRings(r)
	if err != nil {
		return nil, err
	}
	var vs []vertex
	for i, rings := range all {
		first := true
		for _, ring := range rings {
			for k, p := range ring {
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
	// shared[pair] records the first touching point of region a and
	// whether another touching point of a lies more than snap from it.
	type pair struct{ a, b int }
	type touch struct {
		x, y     float64
		distinct bool
	}
	shared := make(map[pair]touch, 2*len(r.IDs))
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
			pa := vs[p]
			if a > b {
				a, b = b, a
				pa = vs[q]
			}
			t, seen := shared[pair{a, b}]
			if !seen {
				shared[pair{a, b}] = touch{x: pa.x, y: pa.y}
			} else if !t.distinct && math.Hypot(pa.x-t.x, pa.y-t.y) > snap {
				t.distinct = true
				shared[pair{a, b}] = t
			}
		}
	}
	out := make([][2]int, 0, len(shared))
	for pr, t := range shared {
		if opts.Queen || t.distinct {
			out = append(out, [2]int{pr.a, pr.b})
		}
	}
	slices.SortFunc(out, func(x, y [2]int) int {
		if c := cmp.Compare(x[0], y[0]); c != 0 {
			return c
		}
		return cmp.Compare(x[1], y[1])
	})
	return out, nil
}
