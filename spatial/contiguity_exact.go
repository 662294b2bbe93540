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
// closed; zero-length edges dropped), sorted by minX.
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
	slices.SortFunc(segs, func(a, b segment) int { return cmp.Compare(a.minX, b.minX) })
	return segs
}

// contact is what the boundaries of two regions share: whether they meet
// at all and the length of the segments along which they overlap.
type contact struct {
	touch  bool
	length float64
}

// exactContacts returns the contacts of every pair of regions (i < j)
// whose boundaries come within snap of each other: a plane sweep over the
// edges sorted by x, so the cost is O(E log E + K) in the number of edges E
// and candidate pairs K.
func exactContacts(all [][]orb.Ring, snap float64, lonlat bool) map[[2]int]contact {
	segs := regionSegments(all)
	out := map[[2]int]contact{}
	var active []int
	for k := range segs {
		s := &segs[k]
		keep := active[:0]
		for _, a := range active {
			if segs[a].maxX+snap >= s.minX {
				keep = append(keep, a)
			}
		}
		active = keep
		for _, a := range active {
			t := &segs[a]
			if t.region == s.region || t.minY > s.maxY+snap || s.minY > t.maxY+snap {
				continue
			}
			touch, p0, p1 := segmentContact(*s, *t, snap)
			if !touch {
				continue
			}
			key := [2]int{s.region, t.region}
			if key[0] > key[1] {
				key[0], key[1] = key[1], key[0]
			}
			c := out[key]
			c.touch = true
			if p0 != p1 {
				if lonlat {
					c.length += Haversine(p0, p1)
				} else {
					c.length += math.Hypot(p1[0]-p0[0], p1[1]-p0[1])
				}
			}
			out[key] = c
		}
		active = append(active, k)
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
// Candidate pairs come from a plane sweep over the edges; the cost is
// O(E log E) in the number of edges E for maps without long thin strips.
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
