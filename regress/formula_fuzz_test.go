package regress

import (
	"strings"
	"testing"
)

// FuzzFormula checks that no formula makes the parser or the design panic,
// and that every accepted formula round-trips through its printed form:
// the printed formula parses to the same print, terms and intercept.
func FuzzFormula(f *testing.F) {
	for _, s := range []string{"y ~ x", "log(y) ~ log(x) + I(x^2) - 1", "y ~ lag(x, 2) + factor(g)", "y ~ I((x+1)/-x)", "~", "y ~ 0",
		"y ~ diff(x)", "y ~ x*g + (x + y)^2 - x:y", "y ~ poly(x, 2) + scale(x)", "y ~ relevel(factor(g), ref = \"v\") / x",
		"y ~ x %in% g + I(x > 1) + pmax(x, 0, na.rm = TRUE)", "y ~ ifelse(x > 0, log(x), 0) + log(x + 1, 10)", "y ~ . - g",
		"y ~ `a b` + offset(x) + 'k'", "y ~ !x & T | F", "y ~ x %% 2 + x %/% 2 + 1e-300 + 2L"} {
		f.Add(s)
	}
	p, err := ReadPanel(strings.NewReader("id,t,y,x,g\na,1,1,2,u\na,2,2,0,v\nb,1,-3,1,u\nb,2,5,3,u\n"), "f.csv", "id", "t", PanelOptions{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fm, err := ParseFormula(s)
		if err != nil {
			if _, ok := err.(*FormulaError); !ok {
				t.Fatalf("%q: error %v is not a FormulaError", s, err)
			}
			_ = err.Error()
			return
		}
		again, err := ParseFormula(fm.String())
		if err != nil {
			t.Fatalf("%q deparses to %q which fails: %v", s, fm.String(), err)
		}
		if again.String() != fm.String() {
			t.Fatalf("%q: %q then %q", s, fm.String(), again.String())
		}
		if a, b := strings.Join(fm.TermLabels(), "|"), strings.Join(again.TermLabels(), "|"); a != b || fm.Intercept != again.Intercept {
			t.Fatalf("%q: terms %q (intercept %v), reparsed %q (%v)", s, a, fm.Intercept, b, again.Intercept)
		}
		p.DesignFormula(fm)
	})
}
