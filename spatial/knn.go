package spatial

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"sort"
	"sync"

	"github.com/paulmach/orb"
)

// Metric is how distances between points are measured.
type Metric int

const (
	// Euclidean is the straight-line distance in the points' units.
	Euclidean Metric = iota
	// GreatCircle is the haversine distance in kilometres between points
	// given as (longitude, latitude) in degrees, on a sphere of radius
	// EarthRadiusKm.
	GreatCircle
)

// EarthRadiusKm is the mean Earth radius (IUGG, Moritz 2000) used by
// GreatCircle distances.
const EarthRadiusKm = 6371.0088

// Haversine returns the great-circle distance in kilometres between two
// (longitude, latitude) points in degrees:
//
//	d = 2R asin(sqrt(sin²(Δφ/2) + cos φ1 cos φ2 sin²(Δλ/2)))
func Haversine(a, b orb.Point) float64 {
	const rad = math.Pi / 180
	dphi := (b[1] - a[1]) * rad
	dlam := (b[0] - a[0]) * rad
	s := math.Sin(dphi/2)*math.Sin(dphi/2) + math.Cos(a[1]*rad)*math.Cos(b[1]*rad)*math.Sin(dlam/2)*math.Sin(dlam/2)
	return 2 * EarthRadiusKm * math.Asin(math.Min(1, math.Sqrt(s)))
}

// pointSet is a k-d tree over points embedded in 2-D (Euclidean) or 3-D
// (unit-sphere Cartesian coordinates for great-circle distances, where the
// chord length is monotone in the arc length).
type pointSet struct {
	dim    int
	coords []float64 // point i at coords[i*dim:(i+1)*dim]
	perm   []int     // tree order: node k holds point perm[k]
	tree   []float64 // coordinates in tree order: node k at tree[k*dim:]
	metric Metric
	pts    []orb.Point
}

func newPointSet(pts []orb.Point, metric Metric) (*pointSet, error) {
	ps := &pointSet{metric: metric, pts: pts, dim: 2}
	if metric == GreatCircle {
		ps.dim = 3
	}
	ps.coords = make([]float64, len(pts)*ps.dim)
	for i, p := range pts {
		if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) {
			return nil, fmt.Errorf("spatial: point %d has a non-finite coordinate", i)
		}
		if metric == GreatCircle {
			if p[1] < -90 || p[1] > 90 || p[0] < -360 || p[0] > 360 {
				return nil, fmt.Errorf("spatial: point %d (%g, %g) is not a longitude/latitude in degrees", i, p[0], p[1])
			}
			lam, phi := p[0]*math.Pi/180, p[1]*math.Pi/180
			ps.coords[i*3] = math.Cos(phi) * math.Cos(lam)
			ps.coords[i*3+1] = math.Cos(phi) * math.Sin(lam)
			ps.coords[i*3+2] = math.Sin(phi)
		} else {
			ps.coords[i*2], ps.coords[i*2+1] = p[0], p[1]
		}
	}
	ps.perm = make([]int, len(pts))
	for i := range ps.perm {
		ps.perm[i] = i
	}
	ps.build(0, len(pts), 0)
	// Coordinates in tree order keep a query's walk in cache.
	ps.tree = make([]float64, len(ps.coords))
	for k, p := range ps.perm {
		copy(ps.tree[k*ps.dim:(k+1)*ps.dim], ps.coords[p*ps.dim:(p+1)*ps.dim])
	}
	return ps, nil
}

// build arranges perm[lo:hi] as a balanced k-d tree: the median along axis
// at the middle, smaller on the left.
func (ps *pointSet) build(lo, hi, axis int) {
	if hi-lo <= 1 {
		return
	}
	mid := (lo + hi) / 2
	ps.selectK(lo, hi, mid, axis)
	next := (axis + 1) % ps.dim
	ps.build(lo, mid, next)
	ps.build(mid+1, hi, next)
}

// selectK partially sorts perm[lo:hi] so that position k holds the element
// of rank k along axis (Hoare's quickselect with median-of-three pivots).
func (ps *pointSet) selectK(lo, hi, k, axis int) {
	c := func(i int) float64 { return ps.coords[ps.perm[i]*ps.dim+axis] }
	hi--
	for lo < hi {
		mid := (lo + hi) / 2
		if c(mid) < c(lo) {
			ps.perm[mid], ps.perm[lo] = ps.perm[lo], ps.perm[mid]
		}
		if c(hi) < c(lo) {
			ps.perm[hi], ps.perm[lo] = ps.perm[lo], ps.perm[hi]
		}
		if c(hi) < c(mid) {
			ps.perm[hi], ps.perm[mid] = ps.perm[mid], ps.perm[hi]
		}
		pivot := c(mid)
		i, j := lo, hi
		for i <= j {
			for c(i) < pivot {
				i++
			}
			for c(j) > pivot {
				j--
			}
			if i <= j {
				ps.perm[i], ps.perm[j] = ps.perm[j], ps.perm[i]
				i++
				j--
			}
		}
		if k <= j {
			hi = j
		} else if k >= i {
			lo = i
		} else {
			return
		}
	}
}

// sqDist is the squared embedded distance between points a and b.
func (ps *pointSet) sqDist(a, b int) float64 {
	var s float64
	for d := 0; d < ps.dim; d++ {
		v := ps.coords[a*ps.dim+d] - ps.coords[b*ps.dim+d]
		s += v * v
	}
	return s
}

// distance is the user-facing distance between points a and b.
func (ps *pointSet) distance(a, b int) float64 {
	if ps.metric == GreatCircle {
		return Haversine(ps.pts[a], ps.pts[b])
	}
	return math.Sqrt(ps.sqDist(a, b))
}

// neighbour is a candidate with its squared embedded distance.
type neighbour struct {
	d2  float64
	idx int
}

// less orders candidates by distance, then index (deterministic ties).
func (a neighbour) less(b neighbour) bool {
	return a.d2 < b.d2 || a.d2 == b.d2 && a.idx < b.idx
}

// knn fills best (a max-heap by less, capacity k) with the k nearest
// points to q other than q itself.
func (ps *pointSet) knn(q, k int, best []neighbour) []neighbour {
	best = best[:0]
	dim := ps.dim
	var qc [3]float64
	copy(qc[:], ps.coords[q*dim:(q+1)*dim])
	var rec func(lo, hi, axis int)
	rec = func(lo, hi, axis int) {
		for lo < hi {
			mid := (lo + hi) / 2
			p := ps.perm[mid]
			node := ps.tree[mid*dim : mid*dim+dim]
			if p != q {
				var d2 float64
				for d, v := range node {
					t := v - qc[d]
					d2 += t * t
				}
				c := neighbour{d2, p}
				if len(best) < k {
					best = heapPush(best, c)
				} else if c.less(best[0]) {
					best[0] = c
					heapDown(best)
				}
			}
			diff := qc[axis] - node[axis]
			next := axis + 1
			if next == dim {
				next = 0
			}
			// Descend into the near side first; visit the far side only
			// if the splitting plane is closer than the k-th best.
			nlo, nhi, flo, fhi := lo, mid, mid+1, hi
			if diff > 0 {
				nlo, nhi, flo, fhi = mid+1, hi, lo, mid
			}
			rec(nlo, nhi, next)
			if len(best) < k || diff*diff <= best[0].d2 {
				lo, hi, axis = flo, fhi, next
				continue
			}
			return
		}
	}
	rec(0, len(ps.perm), 0)
	// Insertion sort: k is small.
	for a := 1; a < len(best); a++ {
		for b := a; b > 0 && best[b].less(best[b-1]); b-- {
			best[b], best[b-1] = best[b-1], best[b]
		}
	}
	return best
}

func heapPush(h []neighbour, c neighbour) []neighbour {
	h = append(h, c)
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !h[p].less(h[i]) {
			break
		}
		h[p], h[i] = h[i], h[p]
		i = p
	}
	return h
}

func heapDown(h []neighbour) {
	i := 0
	for {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(h) && h[m].less(h[l]) {
			m = l
		}
		if r < len(h) && h[m].less(h[r]) {
			m = r
		}
		if m == i {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

// within appends to out every point other than q within embedded squared
// distance r2 of q.
func (ps *pointSet) within(q int, r2 float64, out []int) []int {
	var rec func(lo, hi, axis int)
	rec = func(lo, hi, axis int) {
		if lo >= hi {
			return
		}
		mid := (lo + hi) / 2
		p := ps.perm[mid]
		if p != q && ps.sqDist(p, q) <= r2 {
			out = append(out, p)
		}
		diff := ps.coords[q*ps.dim+axis] - ps.coords[p*ps.dim+axis]
		next := (axis + 1) % ps.dim
		if diff <= 0 || diff*diff <= r2 {
			rec(lo, mid, next)
		}
		if diff >= 0 || diff*diff <= r2 {
			rec(mid+1, hi, next)
		}
	}
	rec(0, len(ps.perm), 0)
	sort.Ints(out)
	return out
}

// forEachPoint runs fn(i, scratch) for every point on GOMAXPROCS goroutines,
// each with its own scratch value from newScratch.
func forEachPoint[S any](n int, newScratch func() S, fn func(i int, s S)) {
	workers := max(1, min(runtime.GOMAXPROCS(0), n))
	var wg sync.WaitGroup
	chunk := (n + workers - 1) / workers
	for g := 0; g < workers; g++ {
		lo, hi := g*chunk, min(n, (g+1)*chunk)
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := newScratch()
			for i := lo; i < hi; i++ {
				fn(i, s)
			}
		}()
	}
	wg.Wait()
}

// KNearest returns the k-nearest-neighbour weights of the points: region i's
// neighbours are the k points closest to it (ties broken by the lower index,
// so the result is deterministic). The weights are binary and, in general,
// asymmetric. ids and pts must have the same length; k must be in [1, n).
func KNearest(ids []string, pts []orb.Point, k int, metric Metric) (*Weights, error) {
	n := len(pts)
	if len(ids) != n {
		return nil, fmt.Errorf("spatial: %d IDs for %d points", len(ids), n)
	}
	if k < 1 || k >= n {
		return nil, fmt.Errorf("spatial: k = %d nearest neighbours needs 1 ≤ k < n = %d", k, n)
	}
	if err := checkPoints(ids, pts, metric); err != nil {
		return nil, err
	}
	if err := CheckDense(n, k, 6, fmt.Sprintf("%d nearest neighbours of %d points", k, n), "use a smaller k"); err != nil {
		return nil, err
	}
	ps, err := newPointSet(pts, metric)
	if err != nil {
		return nil, err
	}
	links := make([]Link, n*k)
	// Queries run in tree order, so consecutive queries are near each
	// other and share cached nodes.
	forEachPoint(n, func() []neighbour { return make([]neighbour, 0, k+1) }, func(pos int, best []neighbour) {
		i := ps.perm[pos]
		best = ps.knn(i, k, best)
		for m, c := range best {
			links[i*k+m] = Link{From: i, To: c.idx, Weight: 1}
		}
	})
	return NewWeights(ids, links)
}

// DuplicateLocations returns the groups of IDs of points at the same
// location (each group in input order, at least two IDs; groups ordered by
// their first point): equal coordinates, or for GreatCircle the same place
// on the sphere (any longitude at a pole, longitudes 360° apart). Their
// distance is 0, so which of them is "nearest" is a tie that KNearest
// breaks by the order of the points; spdep's knearneigh warns about them
// too. The cost is O(n log n).
func DuplicateLocations(ids []string, pts []orb.Point, metric Metric) [][]string {
	key := func(p orb.Point) orb.Point {
		if metric != GreatCircle {
			return p
		}
		if math.Abs(p[1]) == 90 {
			return orb.Point{0, p[1]}
		}
		lon := math.Mod(p[0], 360)
		if lon > 180 {
			lon -= 360
		} else if lon <= -180 {
			lon += 360
		}
		return orb.Point{lon, p[1]}
	}
	order := make([]int, len(pts))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		pa, pb := key(pts[order[a]]), key(pts[order[b]])
		if pa[0] != pb[0] {
			return pa[0] < pb[0]
		}
		return pa[1] < pb[1]
	})
	var groups [][]int
	for a := 0; a < len(order); {
		b := a + 1
		for b < len(order) && key(pts[order[b]]) == key(pts[order[a]]) {
			b++
		}
		if b-a > 1 {
			g := append([]int(nil), order[a:b]...)
			sort.Ints(g)
			groups = append(groups, g)
		}
		a = b
	}
	sort.Slice(groups, func(a, b int) bool { return groups[a][0] < groups[b][0] })
	out := make([][]string, len(groups))
	for k, g := range groups {
		for _, i := range g {
			out[k] = append(out[k], ids[i])
		}
	}
	return out
}

// DistanceBand returns binary weights linking every pair of points at most
// d apart (in the metric's units: kilometres for GreatCircle).
func DistanceBand(ids []string, pts []orb.Point, d float64, metric Metric) (*Weights, error) {
	return InverseDistance(ids, pts, 0, d, metric)
}

// InverseDistance returns weights w_ij = d_ij^(−alpha) for every pair of
// points within the band (band ≤ 0 means all pairs: N² links, for small N
// only). alpha = 0 gives binary distance-band weights. Coincident points
// are an error for alpha > 0 (their weight would be infinite).
func InverseDistance(ids []string, pts []orb.Point, alpha, band float64, metric Metric) (*Weights, error) {
	n := len(pts)
	if len(ids) != n {
		return nil, fmt.Errorf("spatial: %d IDs for %d points", len(ids), n)
	}
	if alpha < 0 || math.IsNaN(alpha) {
		return nil, fmt.Errorf("spatial: inverse-distance power %v must be non-negative", alpha)
	}
	if math.IsNaN(band) {
		return nil, errors.New("spatial: distance band is NaN")
	}
	if err := checkPoints(ids, pts, metric); err != nil {
		return nil, err
	}
	if band <= 0 {
		// All pairs: N(N−1) links of 24 bytes (three words), twice (rows
		// and the CSR arrays).
		if err := CheckDense(n, n-1, 6, fmt.Sprintf("inverse distance over all pairs of %d points", n), "give a distance band"); err != nil {
			return nil, err
		}
	}
	ps, err := newPointSet(pts, metric)
	if err != nil {
		return nil, err
	}
	r2 := math.Inf(1)
	if band > 0 {
		r2 = embeddedR2(band, metric)
	}
	rows := make([][]Link, n)
	var mu sync.Mutex
	var firstErr error
	forEachPoint(n, func() []int { return nil }, func(i int, buf []int) {
		var cand []int
		if math.IsInf(r2, 1) {
			cand = make([]int, 0, n-1)
			for j := 0; j < n; j++ {
				if j != i {
					cand = append(cand, j)
				}
			}
		} else {
			cand = ps.within(i, r2, buf[:0])
		}
		row := make([]Link, 0, len(cand))
		for _, j := range cand {
			d := ps.distance(i, j)
			if band > 0 && d > band {
				continue
			}
			wt := 1.0
			if alpha > 0 {
				if d == 0 {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("spatial: regions %q and %q are at distance 0: inverse distance is infinite", ids[i], ids[j])
					}
					mu.Unlock()
					return
				}
				wt = math.Pow(d, -alpha)
			}
			row = append(row, Link{From: i, To: j, Weight: wt})
		}
		rows[i] = row
	})
	if firstErr != nil {
		return nil, firstErr
	}
	var links []Link
	for _, r := range rows {
		links = append(links, r...)
	}
	w, err := NewWeights(ids, links)
	if err != nil {
		return nil, err
	}
	if alpha > 0 {
		w.style = Unknown
	}
	return w, nil
}

// embeddedR2 returns the squared radius, in the point set's embedded
// coordinates, of a ball that contains every point within distance d (in
// the metric's units) of its centre.
func embeddedR2(d float64, metric Metric) float64 {
	if metric == GreatCircle {
		ang := math.Min(math.Pi, d/EarthRadiusKm)
		chord := 2 * math.Sin(ang/2)
		return chord * chord * (1 + 1e-12)
	}
	return d * d
}

// checkPoints returns an error naming the first region whose point is not
// finite or, for GreatCircle, not a longitude/latitude in degrees.
func checkPoints(ids []string, pts []orb.Point, metric Metric) error {
	for i, p := range pts {
		if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) {
			return fmt.Errorf("spatial: region %q: non-finite coordinate (%v, %v)", ids[i], p[0], p[1])
		}
		if metric == GreatCircle && (p[1] < -90 || p[1] > 90 || p[0] < -360 || p[0] > 360) {
			return fmt.Errorf("spatial: region %q: (%v, %v) is not a longitude/latitude in degrees (latitude must be in [-90, 90])", ids[i], p[0], p[1])
		}
	}
	return nil
}
