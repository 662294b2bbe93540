package spatial

import (
	"fmt"
	"io"
	"math"
	"os"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
)

// Regions are polygons with IDs, as read from a GeoJSON FeatureCollection
// (ReadGeoJSON) or an ESRI shapefile (ReadShapefile).
type Regions struct {
	// IDs are the region IDs in file order.
	IDs []string
	// Polygons are the regions' geometries (orb.Polygon or
	// orb.MultiPolygon), in the order of IDs.
	Polygons []orb.Geometry
	// Projected is set when the file declares projected coordinates (a
	// shapefile whose .prj holds a PROJCS); LonLat then reports false.
	Projected bool
}

// ReadGeoJSON reads a GeoJSON FeatureCollection of Polygon and
// MultiPolygon features whose region ID is the property idField (strings
// and numbers are accepted; numbers are written in their shortest form).
// A feature without the property, a duplicate ID or a feature of another
// geometry type is an error that names the feature's index.
func ReadGeoJSON(r io.Reader, idField string) (*Regions, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		return nil, fmt.Errorf("not a GeoJSON FeatureCollection: %w", err)
	}
	out := &Regions{}
	seen := map[string]int{}
	for k, f := range fc.Features {
		if f == nil {
			return nil, fmt.Errorf("feature %d: null feature", k)
		}
		raw, ok := f.Properties[idField]
		if !ok || raw == nil {
			return nil, fmt.Errorf("feature %d: no property %q", k, idField)
		}
		var id string
		switch v := raw.(type) {
		case string:
			id = v
		case float64:
			id = strconv.FormatFloat(v, 'f', -1, 64)
		default:
			return nil, fmt.Errorf("feature %d: property %q is %T, want a string or number", k, idField, raw)
		}
		if prev, dup := seen[id]; dup {
			return nil, fmt.Errorf("feature %d: duplicate ID %q (also feature %d)", k, id, prev)
		}
		seen[id] = k
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			if len(g) == 0 || len(g[0]) < 3 {
				return nil, fmt.Errorf("feature %d (%s): polygon without a ring", k, id)
			}
		case orb.MultiPolygon:
			if len(g) == 0 {
				return nil, fmt.Errorf("feature %d (%s): empty multipolygon", k, id)
			}
		default:
			return nil, fmt.Errorf("feature %d (%s): geometry %T is not a Polygon or MultiPolygon", k, id, f.Geometry)
		}
		out.IDs = append(out.IDs, id)
		out.Polygons = append(out.Polygons, f.Geometry)
	}
	if len(out.IDs) == 0 {
		return nil, fmt.Errorf("no features")
	}
	return out, nil
}

// ReadGeoJSONFile reads a GeoJSON file with ReadGeoJSON; errors name the
// file.
func ReadGeoJSONFile(path, idField string) (*Regions, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := ReadGeoJSON(f, idField)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// Centroids returns the area-weighted centroid of every region
// (orb/planar.CentroidArea), in the coordinates of the file.
func (r *Regions) Centroids() []orb.Point {
	out := make([]orb.Point, len(r.Polygons))
	for i, g := range r.Polygons {
		out[i], _ = planar.CentroidArea(g)
	}
	return out
}

// InLonLatRange reports whether every point lies within ±180 in x and ±90
// in y, as longitudes and latitudes in degrees do. Projected coordinates
// (metres, feet) almost always fall outside; small planar test maps may
// not, so a true result is a hint, not a proof.
func InLonLatRange(pts []orb.Point) bool {
	for _, p := range pts {
		if !(math.Abs(p[0]) <= 180) || !(math.Abs(p[1]) <= 90) {
			return false
		}
	}
	return true
}

// LonLat reports whether every coordinate of every region lies within
// ±180/±90 (InLonLatRange). GeoJSON coordinates are longitude/latitude in
// degrees (RFC 7946, section 4); a file whose coordinates fall outside is in
// a projected system. A shapefile whose .prj declares a PROJCS is never
// longitude/latitude (Projected).
func (r *Regions) LonLat() bool {
	if r.Projected {
		return false
	}
	for _, g := range r.Polygons {
		var pts []orb.Point
		switch g := g.(type) {
		case orb.Polygon:
			for _, ring := range g {
				pts = append(pts, ring...)
			}
		case orb.MultiPolygon:
			for _, p := range g {
				for _, ring := range p {
					pts = append(pts, ring...)
				}
			}
		}
		if !InLonLatRange(pts) {
			return false
		}
	}
	return true
}
