package plot

import (
	"github.com/agglo/agglo/internal/sharedtest"
	"github.com/agglo/agglo/spatial"
	"github.com/paulmach/orb"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"strconv"
	"testing"
)

// usStates reads the polygons of the 48 contiguous states and DC.
func usStates(t testing.TB) []Region {
	t.Helper()
	g, err := spatial.ReadGeoJSONFile(sharedtest.Data(t, "us_states.geojson"), "id")
	if err != nil {
		t.Fatal(err)
	}
	r, err := RegionsFrom(g.IDs, g.Polygons)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// produc returns column col of Produc (plm) for one year, by state.
func produc(t testing.TB, year int, col string) (ids []string, vals []float64) {
	t.Helper()
	rows := sharedtest.CSV(t, "produc.csv")
	ci := -1
	for j, h := range rows[0] {
		if h == col {
			ci = j
		}
	}
	for _, r := range rows[1:] {
		if r[1] != strconv.Itoa(year) {
			continue
		}
		v, err := strconv.ParseFloat(r[ci], 64)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r[0])
		vals = append(vals, v)
	}
	return ids, vals
}

func hexOf(c interface{ RGBA() (r, g, b, a uint32) }) string {
	r, g, b, _ := c.RGBA()
	const digits = "0123456789abcdef"
	out := []byte{'#'}
	for _, v := range []uint32{r >> 8, g >> 8, b >> 8} {
		out = append(out, digits[v>>4], digits[v&15])
	}
	return string(out)
}

type orbPoint = [2]float64

type ringList [][]orbPoint

func (rl ringList) toPolygon() orb.Polygon {
	p := make(orb.Polygon, len(rl))
	for i, r := range rl {
		for _, q := range r {
			p[i] = append(p[i], orb.Point(q))
		}
	}
	return p
}

// newTestCanvas returns an in-memory canvas of 10 × 8 cm.
func newTestCanvas() draw.Canvas {
	return draw.New(vgimg.New(10*vg.Centimeter, 8*vg.Centimeter))
}
