package spatial

import (
	"fmt"
	"math"
	"sort"

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
// spdep's poly2nb semantics (Bivand 2022): two regions are queen
// neighbours when some boundary point of one lies within Snap of a boundary
// point of the other (|dx| ≤ Snap and |dy| ≤ Snap), and rook neighbours when
// at least two distinct boundary points do.
//
// Candidate pairs come from a plane sweep over the vertices sorted by x, so
// the cost is O(V log V) in the number of vertices V rather than quadratic
// in the number of regions.
func Contiguity(r *Regions, opts ContiguityOptions) (*Weights, error) {
	snap := opts.Snap
	if snap == 0 {
		snap = math.Sqrt(2.220446049250313e-16)
	}
	if snap < 0 || math.IsNaN(snap) {
		return nil, fmt.Errorf("spatial: snap %v must be non-negative", snap)
	}
	var vs []vertex
	for i, g := range r.Polygons {
		var add func(orb.Ring)
		add = func(ring orb.Ring) {
			m := len(ring)
			if m > 1 && ring[0] == ring[m-1] {
				m-- // the closing point repeats the first
			}
			for k := 0; k < m; k++ {
				if k > 0 && ring[k] == ring[k-1] {
					continue
				}
				p := ring[k]
				if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) {
					continue
				}
				vs = append(vs, vertex{p[0], p[1], i})
			}
		}
		switch g := g.(type) {
		case orb.Polygon:
			for _, ring := range g {
				add(ring)
			}
		case orb.MultiPolygon:
			for _, p := range g {
				for _, ring := range p {
					add(ring)
				}
			}
		default:
			return nil, fmt.Errorf("spatial: region %q: geometry %T is not a polygon", r.IDs[i], g)
		}
	}
	sort.Slice(vs, func(a, b int) bool {
		if vs[a].x != vs[b].x {
			return vs[a].x < vs[b].x
		}
		if vs[a].y != vs[b].y {
			return vs[a].y < vs[b].y
		}
		return vs[a].region < vs[b].region
	})
	// shared[pair] counts the distinct vertices of the lower-numbered region
	// of the pair that touch the other region; lastVertex avoids counting
	// one vertex twice when it touches several of the other's points.
	type pair struct{ a, b int }
	type count struct {
		n    int
		last int
	}
	shared := map[pair]*count{}
	for p := range vs {
		for q := p + 1; q < len(vs) && vs[q].x-vs[p].x <= snap; q++ {
			if vs[q].region == vs[p].region || math.Abs(vs[q].y-vs[p].y) > snap {
				continue
			}
			a, b, va := vs[p].region, vs[q].region, p
			if a > b {
				a, b, va = b, a, q
			}
			c := shared[pair{a, b}]
			if c == nil {
				c = &count{last: -1}
				shared[pair{a, b}] = c
			}
			if c.last != va {
				c.n++
				c.last = va
			}
		}
	}
	need := 2
	if opts.Queen {
		need = 1
	}
	links := make([]Link, 0, 2*len(shared))
	for pr, c := range shared {
		if c.n >= need {
			links = append(links, Link{From: pr.a, To: pr.b, Weight: 1}, Link{From: pr.b, To: pr.a, Weight: 1})
		}
	}
	return NewWeights(r.IDs, links)
}
