package spatial

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// segment is one edge of one region's boundary.
type segment struct {
	p, q                   orb.Point
	minX, maxX, minY, maxY float64
	region                 int
}

// regionSegments returns the boundary edges of every region (every ring
// closed; zero-length edges dropped).
func regionSegments(all [][]orb.Ring) []segment {
	var segs []segment
	for i, rings := range all {
		for _, ring := range rings {
			for k := range ring {
				p := ring[k]
				var q orb.Point
				switch {
				case k+1 < len(ring):
					q = ring[k+1]
				case ring[0] != p:
					q = ring[0] // an unclosed ring: its closing edge
				default:
					continue
				}
				if p == q {
					continue
				}
				segs = append(segs, segment{
					p: p, q: q, region: i,
					minX: math.Min(p[0], q[0]), maxX: math.Max(p[0], q[0]),
					minY: math.Min(p[1], q[1]), maxY: math.Max(p[1], q[1]),
				})
			}
		}
	}
	return segs
}

// contact is what the boundaries of two regions share: whether they meet
// at all and the length of the segments along which they overlap.
type contact struct {
	touch  bool
	length float64
}

// exactContacts returns the contacts of every pair of regions (i < j)
// whose boundaries come within snap of each other. Candidate pairs of edges
// come from a uniform grid whose cell is the mean edge extent: each edge is
// listed in the cells its box (widened by snap) covers, and a pair is
// examined only in the cell holding the lower-left corner of the overlap of
// the two boxes, so once; cells are visited in order, so lengths are summed
// in the same order on every run. The cost is O(E + K) in the number of edges E and
// candidate pairs K on maps of edges of similar length.
func exactContacts(all [][]orb.Ring, snap float64, lonlat bool) map[[2]int]contact {
	segs := regionSegments(all)
	out := map[[2]int]contact{}
	if len(segs) == 0 {
		return out
	}
	minX, minY := math.Inf(1), math.Inf(1)
	var ext, maxExt float64
	for _, s := range segs {
		minX, minY = math.Min(minX, s.minX), math.Min(minY, s.minY)
		e := math.Max(s.maxX-s.minX, s.maxY-s.minY)
		ext += e
		maxExt = math.Max(maxExt, e)
	}
	// The mean extent, but no edge in more than 64 × 64 cells.
	h := math.Max(math.Max(ext/float64(len(segs)), maxExt/64), 4*snap)
	if !(h > 0) || math.IsInf(h, 0) {
		h = 1
	}
	cellOf := func(v, lo float64) int { return int(math.Floor((v - lo) / h)) }
	type key struct{ x, y int }
	grid := map[key][]int32{}
	for k, s := range segs {
		x0, x1 := cellOf(s.minX-snap, minX), cellOf(s.maxX+snap, minX)
		y0, y1 := cellOf(s.minY-snap, minY), cellOf(s.maxY+snap, minY)
		for x := x0; x <= x1; x++ {
			for y := y0; y <= y1; y++ {
				grid[key{x, y}] = append(grid[key{x, y}], int32(k))
			}
		}
	}
	// Cells in order, so that boundary lengths are summed in the same order
	// on every run (byte-identical weights).
	cells := make([]key, 0, len(grid))
	for c := range grid {
		cells = append(cells, c)
	}
	slices.SortFunc(cells, func(a, b key) int {
		if c := cmp.Compare(a.x, b.x); c != 0 {
			return c
		}
		return cmp.Compare(a.y, b.y)
	})
	for _, c := range cells {
		list := grid[c]
		for a := 0; a < len(list); a++ {
			s := &segs[list[a]]
			for b := a + 1; b < len(list); b++ {
				t := &segs[list[b]]
				if t.region == s.region || t.minX > s.maxX+snap || s.minX > t.maxX+snap || t.minY > s.maxY+snap || s.minY > t.maxY+snap {
					continue
				}
				// Examine the pair in one cell only.
				if cellOf(math.Max(s.minX, t.minX)-snap, minX) != c.x || cellOf(math.Max(s.minY, t.minY)-snap, minY) != c.y {
					continue
				}
				touch, p0, p1 := segmentContact(*s, *t, snap)
				if !touch {
					continue
				}
				pk := [2]int{s.region, t.region}
				if pk[0] > pk[1] {
					pk[0], pk[1] = pk[1], pk[0]
				}
				ct := out[pk]
				ct.touch = true
				if p0 != p1 {
					if lonlat {
						ct.length += Haversine(p0, p1)
					} else {
						ct.length += math.Hypot(p1[0]-p0[0], p1[1]-p0[1])
					}
				}
				out[pk] = ct
			}
		}
	}
	return out
}

// segmentContact reports whether segments s and t come within snap of
// each other and, when they are collinear within snap and overlap by more
// than snap, the ends p0 ≠ p1 of the overlap on s (p0 = p1 otherwise).
func segmentContact(s, t segment, snap float64) (touch bool, p0, p1 orb.Point) {
	dx, dy := s.q[0]-s.p[0], s.q[1]-s.p[1]
	l := math.Hypot(dx, dy)
	ux, uy := dx/l, dy/l
	// Signed distances of t's ends from s's line and their positions along it.
	dist := func(p orb.Point) (perp, along float64) {
		rx, ry := p[0]-s.p[0], p[1]-s.p[1]
		return rx*uy - ry*ux, rx*ux + ry*uy
	}
	dp, ap := dist(t.p)
	dq, aq := dist(t.q)
	if math.Abs(dp) <= snap && math.Abs(dq) <= snap {
		lo, hi := math.Max(0, math.Min(ap, aq)), math.Min(l, math.Max(ap, aq))
		if hi-lo > snap {
			return true, orb.Point{s.p[0] + lo*ux, s.p[1] + lo*uy}, orb.Point{s.p[0] + hi*ux, s.p[1] + hi*uy}
		}
	}
	// Proper crossing, or an end within snap of the other segment.
	if (dp > 0) != (dq > 0) && dp != 0 && dq != 0 {
		if sp, sq := side(t, s.p), side(t, s.q); (sp > 0) != (sq > 0) && sp != 0 && sq != 0 {
			return true, p0, p1
		}
	}
	if pointSegmentDist(t.p, s) <= snap || pointSegmentDist(t.q, s) <= snap ||
		pointSegmentDist(s.p, t) <= snap || pointSegmentDist(s.q, t) <= snap {
		return true, p0, p1
	}
	return false, p0, p1
}

// side returns a value whose sign says on which side of the line of s the
// point p lies (0 on the line).
func side(s segment, p orb.Point) float64 {
	return (p[0]-s.p[0])*(s.q[1]-s.p[1]) - (p[1]-s.p[1])*(s.q[0]-s.p[0])
}

// pointSegmentDist returns the Euclidean distance from p to segment s.
func pointSegmentDist(p orb.Point, s segment) float64 {
	dx, dy := s.q[0]-s.p[0], s.q[1]-s.p[1]
	f := ((p[0]-s.p[0])*dx + (p[1]-s.p[1])*dy) / (dx*dx + dy*dy)
	f = math.Max(0, math.Min(1, f))
	return math.Hypot(p[0]-s.p[0]-f*dx, p[1]-s.p[1]-f*dy)
}

// ExactContiguity returns contiguity weights by the exact rule: two regions
// are queen neighbours when their boundaries come within opts.Snap of each
// other anywhere (a shared point, a vertex on the other's edge, crossing
// edges), and rook neighbours when their boundaries overlap along segments
// of total length more than Snap (an edge in common, also where the
// vertices of the two sides differ: T-junctions, which the vertex rule of
// Contiguity and spdep's poly2nb miss). Edges overlap when both ends of one
// lie within Snap of the other's line; the overlap is measured along the
// other.
//
// With opts.BoundaryLength the weight of a link is the length of the shared
// boundary (coordinate units, or great-circle km with opts.LonLat: the
// haversine length of each overlap) and only rook links are made (a corner
// has length 0), so Queen must be false; otherwise the weights are binary.
//
// Candidate pairs of edges come from a uniform grid; the cost is about
// linear in the number of edges for maps of edges of similar length.
// Errors are those of Contiguity.
func ExactContiguity(r *Regions, opts ContiguityOptions) (*Weights, error) {
	if opts.BoundaryLength && opts.Queen {
		return nil, fmt.Errorf("spatial: boundary-length weights need rook contiguity (a queen corner shares no length)")
	}
	snap, err := snapOf(opts)
	if err != nil {
		return nil, err
	}
	all, err := regionRings(r)
	if err != nil {
		return nil, err
	}
	contacts := exactContacts(all, snap, opts.LonLat)
	keys := make([][2]int, 0, len(contacts))
	for k := range contacts {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y [2]int) int {
		if c := cmp.Compare(x[0], y[0]); c != 0 {
			return c
		}
		return cmp.Compare(x[1], y[1])
	})
	links := make([]Link, 0, 2*len(keys))
	for _, k := range keys {
		c := contacts[k]
		if !opts.Queen && !(c.length > snap) {
			continue
		}
		wt := 1.0
		if opts.BoundaryLength {
			wt = c.length
		}
		links = append(links, Link{From: k[0], To: k[1], Weight: wt}, Link{From: k[1], To: k[0], Weight: wt})
	}
	return NewWeights(r.IDs, links)
}

// MissedByVertexRule returns the pairs of region IDs that are neighbours
// under the exact rule (ExactContiguity with opts.Queen) but not under the
// vertex rule of Contiguity: boundaries that meet along edges or at points
// where one region has no vertex within opts.Snap (T-junctions). An empty
// result means the two rules agree on this map.
func MissedByVertexRule(r *Regions, opts ContiguityOptions) ([][2]string, error) {
	vopts := opts
	vopts.Exact, vopts.BoundaryLength = false, false
	pairs, err := vertexContiguity(r, vopts)
	if err != nil {
		return nil, err
	}
	eopts := vopts
	eopts.Exact = true
	ex, err := ExactContiguity(r, eopts)
	if err != nil {
		return nil, err
	}
	have := make(map[[2]int]bool, len(pairs))
	for _, p := range pairs {
		have[p] = true
	}
	var out [][2]string
	for i := 0; i < ex.N(); i++ {
		cols, _ := ex.Neighbours(i)
		for _, j := range cols {
			if i < j && !have[[2]int{i, j}] {
				out = append(out, [2]string{r.IDs[i], r.IDs[j]})
			}
		}
	}
	return out, nil
}
