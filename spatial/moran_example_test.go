package spatial_test

import (
	"encoding/json"
	"fmt"
	"log"
	"strconv"

	"github.com/agglo/agglo/spatial"
)

// gradient returns a 5×5 rook lattice, row-standardised, and a variable
// that rises from west to east with a little checkerboard noise: strong
// positive spatial autocorrelation.
//
// The outputs of the examples on it are spdep 1.2-7's (R 4.2.2) on the same
// lattice and values (testdata/examples.R): moran.test I = 0.81956267207,
// E = −0.04166666667, z = 5.5909731, p = 1.129003e-08; geary.test C =
// 0.14002721433, z = 5.7865569, p = 3.592188e-09; globalG.test (style B)
// G = 0.1802414052920, E = 0.1333333333333, z = 3.9117932; globalG.test
// (style W, two.sided) G = 0.05798750129, E = 0.04166666667, Var =
// 9.157098813e-06, z = 5.3934097, p = 6.913307e-08; localmoran rows 1–5
// as printed (Ii, Z.Ii, Pr(z != E(Ii))). The permutation p-value 0.001 is
// 1/(1 + 999): no permutation reaches the observed I (moran.mc agrees).
func gradient() ([]float64, *spatial.Weights) {
	b, err := spatial.Lattice(5, 5, false)
	if err != nil {
		log.Fatal(err)
	}
	w, err := b.Transform(spatial.RowStandardized)
	if err != nil {
		log.Fatal(err)
	}
	x := make([]float64, w.N())
	for i := range x {
		r, c := i/5, i%5
		x[i] = float64(c) + 0.3*float64((r+c)%2)
	}
	return x, w
}

func ExampleMoran() {
	x, w := gradient()
	// The zero TestOptions test for positive autocorrelation, as spdep's
	// moran.test; 999 seeded permutations add a pseudo p-value.
	m, err := spatial.Moran(x, w, spatial.TestOptions{Permutations: 999, Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("I = %.4f, E[I] = %.4f\n", m.Statistic, m.Expectation)
	fmt.Printf("randomisation: z = %.3f, p = %.2g\n", m.ZRandomisation, m.PRandomisation)
	fmt.Printf("permutation p = %.3f (%d permutations, seed %d)\n", m.PPermutation, m.Permutations, m.Seed)
	// Output:
	// I = 0.8196, E[I] = -0.0417
	// randomisation: z = 5.591, p = 1.1e-08
	// permutation p = 0.001 (999 permutations, seed 1)
}

func ExampleGeary() {
	x, w := gradient()
	c, err := spatial.Geary(x, w, spatial.TestOptions{})
	if err != nil {
		log.Fatal(err)
	}
	// C < 1 is positive autocorrelation; z is (1 − C)/sd as in spdep.
	fmt.Printf("C = %.4f, z = %.3f, p = %.2g\n", c.Statistic, c.ZRandomisation, c.PRandomisation)
	// Output:
	// C = 0.1400, z = 5.787, p = 3.6e-09
}

func ExampleGetisOrd() {
	x, _ := gradient()
	b, _ := spatial.Lattice(5, 5, false) // binary weights, as spdep recommends
	g, err := spatial.GetisOrd(x, b, spatial.TestOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("G = %.5f, E[G] = %.5f, z = %.3f\n", g.Statistic, g.Expectation, g.ZRandomisation)
	// Output:
	// G = 0.18024, E[G] = 0.13333, z = 3.912
}

func ExampleLocalMoran() {
	x, w := gradient()
	local, err := spatial.LocalMoran(x, w, spatial.LocalOptions{Alpha: 0.05})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range local[:5] { // the first row of the lattice
		fmt.Printf("%s  I_i = %6.3f  Z = %6.3f  p = %.3f  %s\n", r.ID, r.Ii, r.Z, r.P, r.Cluster)
	}
	// Output:
	// r0c0  I_i =  1.425  Z =  1.501  p = 0.133  not significant
	// r0c1  I_i =  0.477  Z =  1.484  p = 0.138  not significant
	// r0c2  I_i = -0.011  Z = -0.187  p = 0.851  not significant
	// r0c3  I_i =  0.489  Z =  1.145  p = 0.252  not significant
	// r0c4  I_i =  1.520  Z =  1.792  p = 0.073  not significant
}

func ExampleGlobalTest_MarshalJSON() {
	x, w := gradient()
	g, err := spatial.GetisOrd(x, w, spatial.TestOptions{Alternative: spatial.TwoSided})
	if err != nil {
		log.Fatal(err)
	}
	// The statistic is named "G" ("I" for Moran, "C" for Geary); G has
	// no normality moments (null). Six digits keep the example portable.
	for _, v := range []*float64{&g.Statistic, &g.Expectation, &g.VarRandomisation, &g.ZRandomisation, &g.PRandomisation} {
		*v, _ = strconv.ParseFloat(fmt.Sprintf("%.6g", *v), 64)
	}
	b, err := json.MarshalIndent(g, "", "  ")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(b))
	// Output:
	// {
	//   "G": 0.0579875,
	//   "expectation": 0.0416667,
	//   "variance_normality": null,
	//   "variance_randomisation": 0.0000091571,
	//   "z_normality": null,
	//   "z_randomisation": 5.39341,
	//   "p_normality": null,
	//   "p_randomisation": 6.91331e-8,
	//   "alternative": "two.sided",
	//   "n": 25
	// }
}
