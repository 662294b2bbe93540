package regress_test

import (
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/agglo/agglo/regress"
)

const exampleCSV = `region,year,y,x
a,2001,1.0,0.5
a,2002,2.1,1.4
a,2003,2.9,2.6
b,2001,3.2,0.2
b,2002,4.0,1.1
b,2003,5.1,2.1
c,2001,0.1,0.9
c,2002,0.8,1.6
c,2003,2.2,3.0
`

// ExampleFit fits a fixed-effects model on a small panel and prints the
// coefficient.
func ExampleFit() {
	p, err := regress.ReadPanel(strings.NewReader(exampleCSV), "example.csv", "region", "year", regress.PanelOptions{})
	if err != nil {
		log.Fatal(err)
	}
	d, err := p.Design("y ~ x")
	if err != nil {
		log.Fatal(err)
	}
	r, err := regress.Fit(d, regress.FitOptions{Model: "fe", Effects: regress.Individual})
	if err != nil {
		log.Fatal(err)
	}
	c := r.Coefficients[0]
	fmt.Printf("%s: %.4f (%.4f), N = %d, n = %d, T = %d\n", c.Name, c.Estimate, c.StdError, r.NObs, r.N, r.T)
	// Output:
	// x: 0.9625 (0.0496), N = 9, n = 3, T = 3
}

// ExampleTable puts pooled OLS and the two-way within model side by side.
func ExampleTable() {
	p, err := regress.ReadPanel(strings.NewReader(exampleCSV), "example.csv", "region", "year", regress.PanelOptions{})
	if err != nil {
		log.Fatal(err)
	}
	d, err := p.Design("y ~ x")
	if err != nil {
		log.Fatal(err)
	}
	ols, err := regress.Fit(d, regress.FitOptions{Model: "ols"})
	if err != nil {
		log.Fatal(err)
	}
	fe, err := regress.Fit(d, regress.FitOptions{Model: "fe", Effects: regress.Individual})
	if err != nil {
		log.Fatal(err)
	}
	t := &regress.Table{Results: []*regress.Result{ols, fe}, Titles: []string{"OLS", "FE"}}
	if err := t.Write(os.Stdout, "markdown"); err != nil {
		log.Fatal(err)
	}
	// Output:
	// |  | OLS | FE |
	// | :--- | ---: | ---: |
	// | (Intercept) | 1.778 |  |
	// |  | (1.090) |  |
	// | x | 0.403 | 0.963\*\*\* |
	// |  | (0.629) | (0.050) |
	// | Model | ols | fe |
	// | Effects |  | individual |
	// | Observations | 9 | 9 |
	// | R² | 0.055 | 0.987 |
	// | Adj. R² | -0.080 | 0.979 |
	// | σ² | 2.79044 | 0.015559 |
	// | Log-likelihood | -16.257 | 8.609 |
	// | Covariance | classical | classical |
	//
	// Standard errors in parentheses. * p < 0.1, ** p < 0.05, *** p < 0.01.
}

// ExampleParseFormula shows where a formula is wrong.
func ExampleParseFormula() {
	_, err := regress.ParseFormula("log(y) ~ log(x1) + x2^2")
	fmt.Println(err)
	// Output:
	// formula: '^' outside I(): write I(x^2) at column 22
	//   log(y) ~ log(x1) + x2^2
	//                        ^
}
