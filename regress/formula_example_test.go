package regress_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/agglo/agglo/regress"
)

// ExampleParseFormula_terms expands R's formula operators into terms, in
// R's order: main effects, then interactions.
func ExampleParseFormula_terms() {
	f, err := regress.ParseFormula("log(y) ~ (x + log(z) + g)^2 - x:g + poly(x, 2)")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(f)
	fmt.Println(strings.Join(f.TermLabels(), " | "), f.Intercept)
	// Output:
	// log(y) ~ (x + log(z) + g)^2 - x:g + poly(x, 2)
	// x | log(z) | g | poly(x, 2) | x:log(z) | log(z):g true
}

// ExamplePanel_Design_interactions builds the columns of an interaction
// with a factor (a text column) as R's model.matrix names them; the region
// dummies carry treatment contrasts, region a the reference.
func ExamplePanel_Design_interactions() {
	p, err := regress.ReadPanel(strings.NewReader(exampleCSV), "example.csv", "region", "year", regress.PanelOptions{})
	if err != nil {
		log.Fatal(err)
	}
	d, err := p.Design("y ~ x*factor(region) + I(x > 1)")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.Join(d.Names, "\n"))
	// Output:
	// (Intercept)
	// x
	// factor(region)b
	// factor(region)c
	// I(x > 1)TRUE
	// x:factor(region)b
	// x:factor(region)c
}
