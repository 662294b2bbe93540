package demo

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// Region is one region of the demo map.
type Region struct {
	// ID is "H<row><col>" with two digits each ("H0307").
	ID string
	// Name is a readable name ("Region 3-7").
	Name string
	// Row and Col locate the hexagon in the offset grid.
	Row, Col int
	// Polygon is the hexagon's outline, closed, counter-clockwise, in
	// lon/lat degrees.
	Polygon orb.Polygon
	// Centroid is the hexagon's centre in lon/lat degrees.
	Centroid orb.Point
}

// hexMap returns rows × cols pointy-top hexagons in an "odd-r" offset
// layout (odd rows shifted right by half a hexagon), placed on a small patch
// of the globe around (lon0, lat0) so that maps can apply their lon/lat
// aspect correction. The circumradius is size degrees of latitude;
// longitudes are stretched by 1/cos(lat0) so that the hexagons are regular
// on the ground.
func hexMap(rows, cols int, lon0, lat0, size float64) []Region {
	kx := 1 / math.Cos(lat0*math.Pi/180)
	w := math.Sqrt(3) * size // width of a pointy-top hexagon
	regions := make([]Region, 0, rows*cols)
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			cx := float64(c)*w + float64(r%2)*w/2
			// Row 0 is at the top (north) of the map.
			cy := -float64(r) * 1.5 * size
			ring := make(orb.Ring, 0, 7)
			for k := 0; k < 6; k++ {
				a := math.Pi/6 + float64(k)*math.Pi/3 // 30°, 90°, …: pointy top
				x := cx + size*math.Cos(a)
				y := cy + size*math.Sin(a)
				ring = append(ring, orb.Point{round9(lon0 + x*kx), round9(lat0 + y)})
			}
			ring = append(ring, ring[0])
			regions = append(regions, Region{
				ID:       fmt.Sprintf("H%02d%02d", r, c),
				Name:     fmt.Sprintf("Region %d-%d", r+1, c+1),
				Row:      r,
				Col:      c,
				Polygon:  orb.Polygon{ring},
				Centroid: orb.Point{round9(lon0 + cx*kx), round9(lat0 + cy)},
			})
		}
	}
	return regions
}

// round9 rounds to 1e-9 degrees so that vertices shared by neighbouring
// hexagons are bit-identical in the GeoJSON.
func round9(v float64) float64 { return math.Round(v*1e9) / 1e9 }

// hexNeighbours returns, for each region, the indices of the hexagons that
// share an edge with it in the odd-r layout (up to six), ascending. This is
// the contiguity the generator uses as its true W; queen and rook contiguity
// computed from the polygons must reproduce it.
func hexNeighbours(rows, cols int) [][]int {
	nb := make([][]int, rows*cols)
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			var offs [][2]int
			if r%2 == 0 {
				offs = [][2]int{{-1, -1}, {-1, 0}, {0, -1}, {0, 1}, {1, -1}, {1, 0}}
			} else {
				offs = [][2]int{{-1, 0}, {-1, 1}, {0, -1}, {0, 1}, {1, 0}, {1, 1}}
			}
			for _, o := range offs {
				rr, cc := r+o[0], c+o[1]
				if rr < 0 || rr >= rows || cc < 0 || cc >= cols {
					continue
				}
				nb[r*cols+c] = append(nb[r*cols+c], rr*cols+cc)
			}
		}
	}
	return nb
}
