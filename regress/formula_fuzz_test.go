package regress

import (
	"strings"
	"testing"
)

// FuzzFormula checks that no formula makes the parser or the design panic,
// and that a parsed formula deparses to one that parses to the same.
func FuzzFormula(f *testing.F) {
	for _, s := range []string{"y ~ x", "log(y) ~ log(x) + I(x^2) - 1", "y ~ lag(x, 2) + factor(g)", "y ~ I((x+1)/-x)", "~", "y ~ 0", "y ~ diff(x)"} {
		f.Add(s)
	}
	p, err := ReadPanel(strings.NewReader("id,t,y,x,g\na,1,1,2,u\na,2,2,0,v\nb,1,-3,1,u\nb,2,5,3,u\n"), "f.csv", "id", "t", PanelOptions{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fm, err := ParseFormula(s)
		if err != nil {
			return
		}
		again, err := ParseFormula(fm.String())
		if err != nil {
			t.Fatalf("%q deparses to %q which fails: %v", s, fm.String(), err)
		}
		if again.String() != fm.String() {
			t.Fatalf("%q: %q then %q", s, fm.String(), again.String())
		}
		p.DesignFormula(fm)
	})
}
