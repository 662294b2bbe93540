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
// coefficient. Source of the output: plm 2.6-2 (R 4.2.2),
// coeftest(plm(y ~ x, pd, model = "within", effect = "individual")):
// 0.96251319958 (0.04964332888) (testdata/examples.R).
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
	fmt.Printf("%s: %.4f (%.4f), %d observations, N = %d, T = %d\n", c.Name, c.Estimate, c.StdError, r.NObs, r.N, r.T)
	// Output:
	// x: 0.9625 (0.0496), 9 observations, N = 3, T = 3
}

// ExampleResult_WriteSummary prints the summary of a two-way fixed-effects
// fit with standard errors clustered by region. Source of the numbers:
// plm 2.6-2 (R 4.2.2, testdata/examples.R) on the same data, with
// fe2 <- plm(y ~ x, pd, model = "within", effect = "twoways"):
//
//	coeftest(fe2, vcov = vcovHC(fe2, method = "arellano", type = "sss",
//	    cluster = "group"))                         0.8 (0.5647123161), p 0.25157
//	summary(fe2)$r.squared                          0.2909090909, −0.8909090909
//	deviance(fe2)/df.residual(fe2)                  0.02311111
//	logLik(lm(y ~ x + factor(region) + factor(year)))  9.126796495
//	pFtest(fe2, plm(y ~ x, pd, model = "pooling"))  F = 210.54564, df 4, 3, p 0.000527558
//
// and the "Stata" R² computed in the same script from that lm: within
// 1 − RSS/TSS of the region-demeaned y = 0.9883015; between and overall,
// with x'b of the slope alone (the convention of regress: time effects
// left out), 0.9669796 and 0.05525593.
func ExampleResult_WriteSummary() {
	p, err := regress.ReadPanel(strings.NewReader(exampleCSV), "example.csv", "region", "year", regress.PanelOptions{})
	if err != nil {
		log.Fatal(err)
	}
	d, err := p.Design("y ~ x")
	if err != nil {
		log.Fatal(err)
	}
	r, err := regress.Fit(d, regress.FitOptions{Model: "fe", Effects: regress.TwoWays, Vcov: "cluster-id"})
	if err != nil {
		log.Fatal(err)
	}
	if err := r.WriteSummary(os.Stdout); err != nil {
		log.Fatal(err)
	}
	// Output:
	// Fixed effects (within), twoways effects
	// Formula: y ~ x
	// Balanced panel: N = 3 regions, T = 3 periods, 9 observations
	// Covariance: cluster-id, correction Stata G/(G-1)*(n-1)/(n-K) with K = 4, factor 2.4
	// σ²_e (idiosyncratic) = 0.0231111
	//
	// Coefficients:
	//    Estimate  Std. Error  t value  Pr(>|t|)
	// x       0.8    0.714311    1.120    0.3443
	// ---
	// Signif.: *** p < 0.01, ** p < 0.05, * p < 0.1
	//
	// Residual variance: 0.0231111 on 3 degrees of freedom
	// R-squared: 0.29091   Adj. R-squared: -0.89091
	// R-sq (Stata): within = 0.9883, between = 0.9670, overall = 0.0553
	// Log-likelihood: 9.1268
	// F test for twoways effects: F = 210.5456, df = 4, 3, p-value = 0.0005
}

// ExampleParseFormula shows where a formula is wrong.
func ExampleParseFormula() {
	_, err := regress.ParseFormula("log(y) ~ log(x1) + x2^2")
	fmt.Println(err)
	// Output:
	// formula: R reads x2^2 as x2 (interactions of a single term): for the power write I(x2^2) or poly(x2, 2, raw = TRUE) at column 22
	//   log(y) ~ log(x1) + x2^2
	//                        ^
}

// ExamplePanel_Design builds the design of a formula with a log, a
// within-individual lag and a squared term.
func ExamplePanel_Design() {
	p, err := regress.ReadPanel(strings.NewReader(exampleCSV), "example.csv", "region", "year", regress.PanelOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.N(), "regions,", p.T(), "periods, balanced:", p.Balanced)
	d, err := p.Design("log(y) ~ lag(x, 1) + I(x^2)")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.Names, d.NObs(), "rows")
	fmt.Println(d.Messages[0])
	// Output:
	// 3 regions, 3 periods, balanced: true
	// [(Intercept) lag(x, 1) I(x^2)] 6 rows
	// 3 rows left out where a lag or lead is unavailable
}
