package plot

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"gonum.org/v1/plot/vg"
)

// Region is one polygon region of a map: its ID and its geometry (one or
// more parts, each an outer ring with optional holes).
type Region struct {
	ID   string
	Geom orb.MultiPolygon
}

// RegionsFrom pairs IDs with their polygon geometries (as spatial's
// GeoJSON reader returns them): each geometry must be an orb.Polygon or
// orb.MultiPolygon with finite coordinates, and IDs must be unique.
func RegionsFrom(ids []string, geoms []orb.Geometry) ([]Region, error) {
	if len(ids) != len(geoms) {
		return nil, fmt.Errorf("plot: %d IDs for %d geometries", len(ids), len(geoms))
	}
	regions := make([]Region, 0, len(ids))
	seen := make(map[string]bool, len(ids))
	for i, g := range geoms {
		id := ids[i]
		if seen[id] {
			return nil, fmt.Errorf("plot: two regions have the ID %q", id)
		}
		seen[id] = true
		var mp orb.MultiPolygon
		switch g := g.(type) {
		case orb.Polygon:
			mp = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			mp = g
		case nil:
			return nil, fmt.Errorf("plot: region %q has no geometry", id)
		default:
			return nil, fmt.Errorf("plot: region %q is a %s, not a polygon", id, g.GeoJSONType())
		}
		for _, p := range mp {
			for _, ring := range p {
				for _, pt := range ring {
					if math.IsNaN(pt[0]) || math.IsNaN(pt[1]) || math.IsInf(pt[0], 0) || math.IsInf(pt[1], 0) {
						return nil, fmt.Errorf("plot: region %q has a non-finite coordinate", id)
					}
				}
			}
		}
		regions = append(regions, Region{ID: id, Geom: mp})
	}
	if len(regions) == 0 {
		return nil, fmt.Errorf("plot: no regions")
	}
	return regions, nil
}

// Projection says how map coordinates become the plane of the figure.
type Projection int

const (
	// AutoProjection treats coordinates within [-180, 180] × [-90, 90] as
	// longitude/latitude (CosLat) and any others as planar.
	AutoProjection Projection = iota
	// Planar draws coordinates as they are, with equal scales on both
	// axes.
	Planar
	// CosLat is the equirectangular projection for longitude/latitude:
	// x = λ·cos φ0, y = φ, where φ0 is the latitude of the middle of the
	// map, so that distances near φ0 have the same scale east–west and
	// north–south.
	CosLat
)

// frame maps region coordinates into a rectangle of the canvas.
type frame struct {
	bound      orb.Bound
	lonlat     bool
	kx         float64 // cos φ0 (1 for planar)
	scale      float64 // points per projected unit
	ox, oy     vg.Length
	minx, miny float64
}

func boundOf(regions []Region) orb.Bound {
	b := regions[0].Geom.Bound()
	for _, r := range regions[1:] {
		b = b.Union(r.Geom.Bound())
	}
	return b
}

func isLonLat(b orb.Bound) bool {
	return b.Min[0] >= -180 && b.Max[0] <= 180 && b.Min[1] >= -90 && b.Max[1] <= 90
}

// newFrame fits bound b, projected, into the rectangle (x0,y0)-(x1,y1),
// centred, preserving the aspect.
func newFrame(b orb.Bound, proj Projection, x0, y0, x1, y1 vg.Length) frame {
	f := frame{bound: b, kx: 1}
	f.lonlat = proj == CosLat || (proj == AutoProjection && isLonLat(b))
	if f.lonlat {
		f.kx = math.Cos((b.Min[1] + b.Max[1]) / 2 * math.Pi / 180)
	}
	w := (b.Max[0] - b.Min[0]) * f.kx
	h := b.Max[1] - b.Min[1]
	if w <= 0 {
		w = 1
	}
	if h <= 0 {
		h = 1
	}
	aw, ah := float64(x1-x0), float64(y1-y0)
	f.scale = math.Min(aw/w, ah/h)
	f.minx, f.miny = b.Min[0], b.Min[1]
	f.ox = x0 + vg.Length((aw-w*f.scale)/2)
	f.oy = y0 + vg.Length((ah-h*f.scale)/2)
	return f
}

// pt maps a map coordinate to the canvas.
func (f frame) pt(p orb.Point) vg.Point {
	return vg.Point{
		X: f.ox + vg.Length((p[0]-f.minx)*f.kx*f.scale),
		Y: f.oy + vg.Length((p[1]-f.miny)*f.scale),
	}
}

// extent returns the drawn rectangle of the map.
func (f frame) extent() vg.Rectangle {
	return vg.Rectangle{Min: f.pt(f.bound.Min), Max: f.pt(f.bound.Max)}
}

// polygonPath returns the path of one polygon part: the outer ring
// counter-clockwise and holes clockwise, so that the non-zero fill rule of
// every back end leaves the holes empty. Consecutive points that fall on
// the same spot at the figure's scale are dropped.
func (f frame) polygonPath(p orb.Polygon, tol vg.Length) vg.Path {
	var path vg.Path
	for k, ring := range p {
		if len(ring) < 3 {
			continue
		}
		ccw := planar.Area(ring) > 0 // signed area: positive when counter-clockwise
		want := k == 0
		rev := ccw != want
		n := len(ring)
		var last vg.Point
		first := true
		for i := range n {
			q := ring[i]
			if rev {
				q = ring[n-1-i]
			}
			v := f.pt(q)
			if first {
				path.Move(v)
				last, first = v, false
				continue
			}
			if i < n-1 && absLen(v.X-last.X) < tol && absLen(v.Y-last.Y) < tol {
				continue
			}
			path.Line(v)
			last = v
		}
		path.Close()
	}
	return path
}

func absLen(l vg.Length) vg.Length {
	if l < 0 {
		return -l
	}
	return l
}

// InteriorPoint returns a point inside the region's largest part: its
// centroid when that lies inside, otherwise the middle of the widest
// horizontal chord through the centroid's latitude. Tests and labels use
// it.
func InteriorPoint(g orb.MultiPolygon) orb.Point {
	var best orb.Polygon
	bestA := -1.0
	for _, p := range g {
		if a := math.Abs(planar.Area(p)); a > bestA {
			best, bestA = p, a
		}
	}
	if best == nil {
		return orb.Point{}
	}
	c, _ := planar.CentroidArea(best)
	if planar.PolygonContains(best, c) {
		return c
	}
	// Scan the horizontal line through c for the widest inside segment.
	y := c[1]
	var xs []float64
	for _, ring := range best {
		for i := range len(ring) - 1 {
			a, b := ring[i], ring[i+1]
			if (a[1] <= y) != (b[1] <= y) {
				xs = append(xs, a[0]+(y-a[1])*(b[0]-a[0])/(b[1]-a[1]))
			}
		}
	}
	sortFloats(xs)
	bw := -1.0
	for i := 0; i+1 < len(xs); i += 2 {
		if w := xs[i+1] - xs[i]; w > bw {
			bw, c = w, orb.Point{(xs[i] + xs[i+1]) / 2, y}
		}
	}
	return c
}
