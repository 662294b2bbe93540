package regress_test

import (
	"fmt"
	"math"

	"github.com/agglo/agglo/regress"
	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/mat"
)

// ExampleFitSpatial fits a cross-sectional spatial lag model on a 6×6 rook
// lattice whose response was generated with ρ = 0.5.
func ExampleFitSpatial() {
	w, _ := spatial.Lattice(6, 6, false)
	w, _ = w.Transform(spatial.RowStandardized)
	n := w.N()
	x := mat.NewDense(n, 2, nil)
	rhs := make([]float64, n)
	for i := 0; i < n; i++ {
		xi := math.Sin(float64(i))
		x.Set(i, 0, 1)
		x.Set(i, 1, xi)
		rhs[i] = 1 + 2*xi + 0.3*math.Cos(7*float64(i)) // deterministic "noise"
	}
	// y = (I − 0.5W)⁻¹ rhs by fixed-point iteration.
	y := append([]float64(nil), rhs...)
	for it := 0; it < 200; it++ {
		wy := w.Lag(y)
		for i := range y {
			y[i] = rhs[i] + 0.5*wy[i]
		}
	}
	p := &regress.SpatialPanel{Y: y, X: x, Names: []string{"(Intercept)", "x"}, N: n, T: 1}
	res, err := regress.FitSpatial(p, regress.SpatialOptions{Model: regress.SAR, W: w, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range res.Coefficients {
		fmt.Printf("%-11s %6.3f\n", c.Name, c.Estimate)
	}
	fmt.Printf("direct x %.3f, indirect x %.3f\n", res.Impacts.Direct[0].Estimate, res.Impacts.Indirect[0].Estimate)
	// Output:
	// (Intercept)  0.943
	// x            1.997
	// rho          0.528
	// direct x 2.206, indirect x 2.023
}
