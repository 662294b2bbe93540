package plot_test

import (
	"bytes"
	"fmt"
	"log"

	"github.com/agglo/agglo/plot"
	"github.com/paulmach/orb"
	"gonum.org/v1/plot/vg"
)

// Class bounds of the employment density of California's 58 counties
// (PySAL mapclassify's example data), as mapclassify's README prints them.
func ExampleBreaks() {
	density := []float64{329.92, 0.42, 5.9, 14.03, 2.78, 1.34, 181.27, 1.65, 10.03, 16.7,
		1.32, 3.99, 3.16, 0.22, 8.7, 6.56, 3.27, 0.33, 370.5, 4.51, 75.29, 0.99, 2.74, 8.68,
		0.14, 0.92, 12.63, 28.7, 12.02, 722.85, 36.68, 0.74, 29.82, 192.05, 3.38, 11.15,
		110.74, 4111.45, 49.47, 10.33, 317.11, 20.47, 264.93, 66.26, 5.39, 0.13, 0.61,
		50.65, 40.48, 36.67, 13.09, 1.81, 0.2, 7.6, 2.51, 57.26, 24.32, 6.97}
	b, err := plot.Breaks(density, plot.Jenks, 5, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(b)
	// Output:
	// [0.13 75.29 192.05 370.5 722.85 4111.45]
}

// A choropleth of three squares, one without data, written as SVG.
func ExampleChoropleth() {
	square := func(x float64) orb.Geometry {
		return orb.Polygon{{{x, 0}, {x + 1, 0}, {x + 1, 1}, {x, 1}, {x, 0}}}
	}
	regions, err := plot.RegionsFrom([]string{"a", "b", "c"}, []orb.Geometry{square(0), square(1), square(2)})
	if err != nil {
		log.Fatal(err)
	}
	m := &plot.Choropleth{
		Regions: regions,
		IDs:     []string{"a", "b"}, Values: []float64{1, 3},
		Scheme: plot.Equal, K: 2, Palette: "Blues",
		Title: "Three regions", LegendTitle: "value",
	}
	labels, _ := m.LegendLabels()
	fmt.Println(labels)
	var svg bytes.Buffer
	if err := plot.Write(&svg, m, plot.SVG, plot.Options{Width: 8 * vg.Centimeter, Height: 4 * vg.Centimeter}); err != nil {
		log.Fatal(err)
	}
	// Output:
	// [1.0 – 2.0 2.0 – 3.0 no data]
}

// The leaf order of an average-linkage dendrogram.
func ExampleAverageLinkage() {
	d := [][]float64{
		{0, 9, 2, 8},
		{9, 0, 7, 1},
		{2, 7, 0, 6},
		{8, 1, 6, 0},
	}
	order, heights, _ := plot.AverageLinkage(d)
	fmt.Println(order, heights)
	// Output:
	// [0 2 1 3] [1 2 7.5]
}
