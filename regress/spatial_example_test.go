package regress_test

import (
	"fmt"
	"math"

	"github.com/agglo/agglo/regress"
	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/mat"
)

// ExampleFitSpatial fits a cross-sectional spatial lag model on a 6×6 rook
// lattice whose response was generated with ρ = 0.5. Source of the output:
// spatialreg 1.2-6 (R 4.2.2) on the same data (../spatial/testdata/
// examples.R): lagsarlm(y ~ xi, listw = nb2listw(rook 6×6, style = "W"))
// gives ρ = 0.5278081279, (Intercept) 0.9427500368, x 1.9971532384, and
// impacts(·, listw) direct 2.206103, indirect 2.023435.
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

// ExampleSpatialHausman fits a spatial lag panel with individual fixed and
// with random effects on a 6×6 rook lattice over 6 periods, whose region
// effects are independent of x, and compares them with the spatial
// Hausman test: no evidence against the random effects. Source of the
// output: testdata/spatial_hausman_example.R (R 4.2.2; splm itself could not
// be installed), which maximises the random-effects lag likelihood written
// out in R and takes the fixed-effects fit from spatialreg 1.2-6 lagsarlm on
// the demeaned data with I_T ⊗ W: random effects (Intercept) 0.9909304216
// (0.1432643701), x 2.0254980716 (0.0346475898), ρ 0.4359271508
// (0.0472252104), φ 4.4567569016 (1.1955426172); fixed effects x
// 2.0225416997 (0.0317472386); chisq 0.04538719, p 0.83129367.
func ExampleSpatialHausman() {
	w, _ := spatial.Lattice(6, 6, false)
	w, _ = w.Transform(spatial.RowStandardized)
	n, t := w.N(), 6
	x := mat.NewDense(n*t, 2, nil)
	y := make([]float64, n*t)
	for s := 0; s < t; s++ {
		rhs := make([]float64, n)
		for i := 0; i < n; i++ {
			k := s*n + i
			xi := math.Sin(float64(3*k + 1))
			mu := math.Cos(float64(5 * i)) // region effect, unrelated to x
			x.Set(k, 0, 1)
			x.Set(k, 1, xi)
			rhs[i] = 1 + 2*xi + mu + 0.5*math.Sin(float64(11*k*k+7)) // deterministic "noise"
		}
		ys := append([]float64(nil), rhs...)
		for it := 0; it < 200; it++ {
			wy := w.Lag(ys)
			for i := range ys {
				ys[i] = rhs[i] + 0.4*wy[i]
			}
		}
		copy(y[s*n:], ys)
	}
	p := &regress.SpatialPanel{Y: y, X: x, Names: []string{"(Intercept)", "x"}, N: n, T: t}
	re, err := regress.FitSpatial(p, regress.SpatialOptions{Model: regress.SAR, Effects: "random", W: w, ImpactDraws: -1})
	if err != nil {
		fmt.Println(err)
		return
	}
	// Fixed effects sweep the intercept out.
	pf := &regress.SpatialPanel{Y: y, X: mat.NewDense(n*t, 1, mat.Col(nil, 1, x)), Names: []string{"x"}, N: n, T: t}
	fe, err := regress.FitSpatial(pf, regress.SpatialOptions{Model: regress.SAR, Effects: "individual", W: w, ImpactDraws: -1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range re.Coefficients {
		fmt.Printf("%-11s %6.3f (%.3f)\n", c.Name, c.Estimate, c.StdError)
	}
	h, err := regress.SpatialHausman(fe, re)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s: chisq = %.3f, df = %v, p = %.3f\n", h.Name, h.Statistic, h.DF[0], h.PValue)
	// Output:
	// (Intercept)  0.991 (0.143)
	// x            2.025 (0.035)
	// rho          0.436 (0.047)
	// phi          4.457 (1.196)
	// Spatial Hausman test (fixed vs random effects): chisq = 0.970, df = 1, p = 0.325
}
