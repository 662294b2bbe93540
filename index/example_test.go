package index_test

import (
	"fmt"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/agglo/agglo/index"
)

// Three regions (rows) and two sectors (columns) of employment. By hand:
// E = 200, x = (0.5, 0.2, 0.3), s_.0 = (0.6, 0.3, 0.1), s_.1 = (0.4, 0.1, 0.5),
// Σx² = 0.38, G_0 = G_1 = 0.06, γc_01 = −0.06/0.62.
var exampleE = mat.NewDense(3, 2, []float64{
	60, 40,
	30, 10,
	10, 50,
})

func ExampleLQ() {
	lq, err := index.LQ(exampleE, index.ZeroError)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.4f\n", mat.Formatted(lq))
	// Output:
	// ⎡1.2000  0.8000⎤
	// ⎢1.5000  0.5000⎥
	// ⎣0.3333  1.6667⎦
}

func ExampleEllisonGlaeser() {
	// Plant Herfindahls of the two sectors, e.g. from ReadPlants.
	h := []float64{0.05, 0.10}
	r, err := index.EllisonGlaeser(exampleE, h, index.ZeroError)
	if err != nil {
		fmt.Println(err)
		return
	}
	for s := range r.Gamma {
		fmt.Printf("sector %d: G = %.4f, H = %.2f, gamma = %.4f\n", s, r.G[s], r.H[s], r.Gamma[s])
	}
	// Output:
	// sector 0: G = 0.0600, H = 0.05, gamma = 0.0492
	// sector 1: G = 0.0600, H = 0.10, gamma = -0.0036
}

func ExampleEGK() {
	g, err := index.EGK(exampleE, index.ZeroError)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.4f\n", mat.Formatted(g))
	// Output:
	// ⎡ 0.0968  -0.0968⎤
	// ⎣-0.0968   0.0968⎦
}

func ExampleCoagg() {
	// Column 0 is manufacturing, column 1 producer services.
	c, err := index.Coagg(exampleE, []int{0}, []int{1}, index.ZeroError)
	if err != nil {
		fmt.Println(err)
		return
	}
	for r := range c.Value {
		fmt.Printf("region %d: C = %.4f (quality %.4f, level %.4f)\n", r, c.Value[r], c.Quality[r], c.Level[r])
	}
	// Output:
	// region 0: C = 2.8000 (quality 0.8000, level 2.0000)
	// region 1: C = 2.5000 (quality 0.5000, level 2.0000)
	// region 2: C = 2.3333 (quality 0.3333, level 2.0000)
}

func ExampleVA() {
	// Online shares of each cell.
	o := mat.NewDense(3, 2, []float64{
		0.10, 0.30,
		0.05, 0.20,
		0.20, 0.40,
	})
	va, _ := index.VA(exampleE, o, false, index.ZeroError)
	vaN, _ := index.VA(exampleE, o, true, index.ZeroError)
	fmt.Printf("VA\n%.4f\n", mat.Formatted(va))
	fmt.Printf("normalised VA\n%.4f\n", mat.Formatted(vaN))
	// Output:
	// VA
	// ⎡0.1200  0.2400⎤
	// ⎢0.0750  0.1000⎥
	// ⎣0.0667  0.6667⎦
	// normalised VA
	// ⎡1.2632  0.7059⎤
	// ⎢0.7895  0.2941⎥
	// ⎣0.7018  1.9608⎦
}

func ExampleCompute() {
	data := `region,sector,year,jobs
north,steel,2020,60
north,software,2020,40
south,steel,2020,30
south,software,2020,10
east,steel,2020,10
east,software,2020,50
`
	tab, err := index.ReadCSV(strings.NewReader(data), "jobs.csv", index.Columns{
		Region: "region", Sector: "sector", Time: "year", Value: "jobs"})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := index.Compute("krugman", tab, index.Options{TimeName: "year"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.KeyNames, res.TimeName)
	for _, r := range res.Rows {
		fmt.Printf("%s %s %.4f\n", r.Keys[0], r.Time, r.Value)
	}
	// Output:
	// [region] year
	// north 2020 0.2000
	// south 2020 0.5000
	// east 2020 0.6667
}

func ExampleGrowthRate() {
	// Patent applications 560,918 (2013) → 817,037 (2017).
	fmt.Printf("growth %.2f%%, CAGR %.2f%%\n",
		100*index.GrowthRate(560918, 817037), 100*index.CAGR(560918, 817037, 4))
	// Online loan platforms 1,375 → 6,489: "an increase of 3.72 times".
	fmt.Printf("increase of %.2f times\n", index.FoldChange(1375, 6489)-1)
	// Output:
	// growth 45.66%, CAGR 9.86%
	// increase of 3.72 times
}

// A table built in memory, without CSV: Ellison–Glaeser γ for every year.
func ExampleNewTable() {
	tab, err := index.NewTable([]string{"north", "south", "east"}, []string{"steel", "software"}, []string{"2020", "2021"}, false)
	if err != nil {
		fmt.Println(err)
		return
	}
	jobs := map[string][]float64{"2020": {60, 40, 30, 10, 10, 50}, "2021": {50, 50, 30, 10, 20, 40}}
	for year, v := range jobs {
		for i, r := range tab.Regions {
			for j, s := range tab.Sectors {
				if err := tab.Set(r, s, year, v[i*2+j], 0); err != nil {
					fmt.Println(err)
					return
				}
			}
		}
	}
	// Plant Herfindahls per year and sector (from ReadPlants, or known).
	// By hand for 2021: x = (0.5, 0.2, 0.3), steel s = (0.5, 0.3, 0.2),
	// G = 0.02, γ = (0.02/0.62 − 0.05)/0.95 = −0.0187.
	h := [][]float64{{0.05, 0.10}, {0.05, 0.10}}
	res, err := index.Compute("eg", tab, index.Options{H: h, TimeName: "year"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range res.Rows {
		fmt.Printf("%s %s gamma=%.4f G=%.4f H=%.2f\n", r.Keys[0], r.Time, r.Value, r.Parts[0], r.Parts[1])
	}
	// Output:
	// steel 2020 gamma=0.0492 G=0.0600 H=0.05
	// software 2020 gamma=-0.0036 G=0.0600 H=0.10
	// steel 2021 gamma=-0.0187 G=0.0200 H=0.05
	// software 2021 gamma=-0.0753 G=0.0200 H=0.10
}
