package plot

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/paulmach/orb"
	"gonum.org/v1/plot/vg"
)

// countyLike returns n polygons in a grid over a lon/lat box of the size of
// the contiguous US, each a jagged ring of about vertices/n points, with
// one value each.
func countyLike(n, vertices int, seed uint64) ([]Region, []string, []float64) {
	rng := rand.New(rand.NewPCG(seed, seed))
	cols := int(math.Ceil(math.Sqrt(float64(n) * 2)))
	rows := (n + cols - 1) / cols
	per := vertices / n
	dx, dy := 58.0/float64(cols), 25.0/float64(rows)
	regions := make([]Region, 0, n)
	ids := make([]string, 0, n)
	vals := make([]float64, 0, n)
	for k := range n {
		cx := -124 + (float64(k%cols)+0.5)*dx
		cy := 24 + (float64(k/cols)+0.5)*dy
		ring := make(orb.Ring, 0, per+1)
		for i := range per {
			a := 2 * math.Pi * float64(i) / float64(per)
			r := 0.5 * (0.85 + 0.15*rng.Float64())
			ring = append(ring, orb.Point{cx + r*dx*math.Cos(a), cy + r*dy*math.Sin(a)})
		}
		ring = append(ring, ring[0])
		id := strconv.Itoa(k)
		regions = append(regions, Region{ID: id, Geom: orb.MultiPolygon{{ring}}})
		ids = append(ids, id)
		vals = append(vals, rng.NormFloat64()+math.Sin(cx/5)+math.Cos(cy/4))
	}
	return regions, ids, vals
}

// BenchmarkChoroplethPNG renders county-like maps to PNG (16 × 10 cm at
// 300 DPI, Jenks classes, borders). The target is under 2 s for 3,000
// polygons with 100,000 vertices.
func BenchmarkChoroplethPNG(b *testing.B) {
	for _, n := range []int{300, 3000} {
		regions, ids, vals := countyLike(n, n*100000/3000, 1)
		m := &Choropleth{Regions: regions, IDs: ids, Values: vals, Scheme: Jenks, K: 7, Title: "County-like", LegendTitle: "value"}
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var buf bytes.Buffer
			for b.Loop() {
				buf.Reset()
				if err := Write(&buf, m, PNG, Options{Width: 16 * vg.Centimeter, Height: 10 * vg.Centimeter, DPI: 300}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(buf.Len())/1024, "KB")
		})
	}
}

func BenchmarkJenks(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		rng := rand.New(rand.NewPCG(2, 2))
		x := make([]float64, n)
		for i := range x {
			x[i] = rng.ExpFloat64()
		}
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Breaks(x, Jenks, 7, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
