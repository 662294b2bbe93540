package regress

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// rulesCSV is a small panel with a number x, text columns f (levels a b c)
// and g (u v), and a numeric code k whose levels sort numerically.
const rulesCSV = `id,t,y,x,f,g,k
1,1,1.5,2,a,u,10
1,2,2.5,-1,b,v,9
1,3,3.0,4,c,u,2
2,1,0.5,3,b,u,100000
2,2,1.0,5,a,v,10
2,3,4.0,6,c,v,2
3,1,2.0,-2,c,u,9
3,2,2.2,1,a,u,2
3,3,3.1,7,b,v,10
`

func rulesPanel(t *testing.T) *Panel {
	t.Helper()
	p, err := ReadPanel(strings.NewReader(rulesCSV), "rules.csv", "id", "t", PanelOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestDesignCodingRules checks the column names and order of model.matrix
// for interactions of factors with numbers and factors. The expected names
// follow R's rules (R 4.2 model.c, TermCode and modelmatrix; Chambers and
// Hastie 1992, §2.4.1): a factor is coded by contrasts when the term
// without it is empty or contained in an earlier term, by indicators
// otherwise; without an intercept the first factor gets every level; the
// first variable of a term varies fastest; variables are ordered by first
// appearance.
func TestDesignCodingRules(t *testing.T) {
	p := rulesPanel(t)
	cases := []struct{ formula, names string }{
		{"y ~ x:f", "(Intercept) x:fa x:fb x:fc"},
		{"y ~ f:x", "(Intercept) fa:x fb:x fc:x"},
		{"y ~ f + f:x", "(Intercept) fb fc fa:x fb:x fc:x"},
		{"y ~ f/x", "(Intercept) fb fc fa:x fb:x fc:x"},
		{"y ~ x %in% f", "(Intercept) x:fa x:fb x:fc"},
		{"y ~ f*g", "(Intercept) fb fc gv fb:gv fc:gv"},
		{"y ~ 0 + f + g", "fa fb fc gv"},
		{"y ~ 0 + f:g", "fa:gu fb:gu fc:gu fa:gv fb:gv fc:gv"},
		{"y ~ g + f:g", "(Intercept) gv gu:fb gv:fb gu:fc gv:fc"},
		{"y ~ x*f - f", "(Intercept) x x:fb x:fc"},
		{"y ~ 0 + x + x:f", "x x:fa x:fb x:fc"},
		{"y ~ poly(x, 2):g", "(Intercept) poly(x, 2)1:gu poly(x, 2)2:gu poly(x, 2)1:gv poly(x, 2)2:gv"},
		{"y ~ I(x > 1)", "(Intercept) I(x > 1)TRUE"},
		{"y ~ 0 + I(x > 1)", "I(x > 1)FALSE I(x > 1)TRUE"},
		{"y ~ factor(k)", "(Intercept) factor(k)9 factor(k)10 factor(k)100000"},
		{"y ~ relevel(factor(k), ref = \"10\")", `(Intercept) relevel(factor(k), ref = "10")2 relevel(factor(k), ref = "10")9 relevel(factor(k), ref = "10")100000`},
		{"y ~ relevel(factor(f), 3)", "(Intercept) relevel(factor(f), 3)a relevel(factor(f), 3)b"},
		{"y ~ factor(f == 'a')", `(Intercept) factor(f == "a")TRUE`},
		{"y ~ ifelse(g == 'u', 'low', 'high')", `(Intercept) ifelse(g == "u", "low", "high")low`},
		{"y ~ .", "(Intercept) x fb fc gv k"},
		{"y ~ . - k + log(k)", "(Intercept) x fb fc gv log(k)"},
		{"log(y) ~ .^2 - f:g", "(Intercept) x fb fc gv k x:fb x:fc x:gv x:k fb:k fc:k gv:k"},
		{"y ~ scale(x) + scale(x, scale = FALSE)", "(Intercept) scale(x) scale(x, scale = FALSE)"},
		{"y ~ x + offset(x)", "(Intercept) x"},
	}
	for _, tc := range cases {
		d, err := p.Design(tc.formula)
		if err != nil {
			t.Errorf("%s: %v", tc.formula, err)
			continue
		}
		if got := strings.Join(d.Names, " "); got != tc.names {
			t.Errorf("%s:\n got %s\nwant %s", tc.formula, got, tc.names)
		}
	}
}

// TestDesignValues checks the values of interaction, contrast, offset,
// ifelse and scale columns against their definitions.
func TestDesignValues(t *testing.T) {
	p := rulesPanel(t)
	d, err := p.Design("y ~ g*x + offset(x)")
	if err != nil {
		t.Fatal(err)
	}
	x := []float64{2, -1, 4, 3, 5, 6, -2, 1, 7}
	gv := []float64{0, 1, 0, 0, 1, 1, 0, 0, 1}
	y := []float64{1.5, 2.5, 3.0, 0.5, 1.0, 4.0, 2.0, 2.2, 3.1}
	for i := range x {
		if got := d.X.At(i, 3); got != x[i]*gv[i] {
			t.Errorf("gv:x row %d = %v, want %v", i, got, x[i]*gv[i])
		}
		if got := d.X.At(i, 1); got != gv[i] {
			t.Errorf("gv row %d = %v, want %v", i, got, gv[i])
		}
		if d.Y[i] != y[i]-x[i] {
			t.Errorf("offset: y row %d = %v, want %v", i, d.Y[i], y[i]-x[i])
		}
	}
	if d.Names[3] != "gv:x" || d.Assign[3] != 3 || !d.Dummy[3] || d.Dummy[2] {
		t.Errorf("names %v assign %v dummy %v", d.Names, d.Assign, d.Dummy)
	}
	// ifelse evaluates log(x) only where x > 0, as R's result does.
	d, err = p.Design("y ~ ifelse(x > 0, log(x), 0) + pmin(x, 0)")
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range x {
		want := 0.0
		if v > 0 {
			want = math.Log(v)
		}
		if got := d.X.At(i, 1); got != want {
			t.Errorf("ifelse row %d = %v, want %v", i, got, want)
		}
		if got := d.X.At(i, 2); got != math.Min(v, 0) {
			t.Errorf("pmin row %d = %v", i, got)
		}
	}
	if _, err := p.Design("y ~ log(x)"); err == nil || !strings.Contains(err.Error(), "log(x) is not finite") || !strings.Contains(err.Error(), "rules.csv line 3") {
		t.Errorf("log of a negative: %v", err)
	}
	// scale: mean 0 and standard deviation 1 (n − 1).
	d, err = p.Design("y ~ scale(x) - 1")
	if err != nil {
		t.Fatal(err)
	}
	c := mat.Col(nil, 0, d.X)
	var s, ss float64
	for _, v := range c {
		s += v
		ss += v * v
	}
	if math.Abs(s) > 1e-12 || math.Abs(ss/float64(len(c)-1)-1) > 1e-12 {
		t.Errorf("scale: sum %v, variance %v", s, ss/float64(len(c)-1))
	}
	// Orthogonal polynomials: orthonormal and orthogonal to the constant.
	d, err = p.Design("y ~ poly(x, 3)")
	if err != nil {
		t.Fatal(err)
	}
	var g mat.Dense
	g.Mul(d.X.T(), d.X)
	for i := 0; i < 4; i++ {
		for j := 0; j < 4; j++ {
			want := 0.0
			switch {
			case i == 0 && j == 0:
				want = 9
			case i == j:
				want = 1
			}
			if math.Abs(g.At(i, j)-want) > 1e-12 {
				t.Errorf("poly cross-product (%d,%d) = %v, want %v", i, j, g.At(i, j), want)
			}
		}
	}
	// A lag leaves rows out; a factor level present only there is dropped.
	d, err = p.Design("y ~ lag(x) + f")
	if err != nil {
		t.Fatal(err)
	}
	if d.NObs() != 6 || d.Dropped != 3 {
		t.Errorf("lag: %d rows, %d dropped", d.NObs(), d.Dropped)
	}
}

// TestDesignErrors checks that refused formulas say what R would do.
func TestDesignErrors(t *testing.T) {
	p := rulesPanel(t)
	cases := []struct{ formula, want string }{
		{"y ~ x^2", "R reads x^2 as x"},
		{"y ~ f + x*3", "a number term must be 0 or 1"},
		{"y ~ poly(x, 9)", "less than the number of distinct values"},
		{"y ~ poly(lag(x), 2)", "missing values are not allowed in 'poly'"},
		{"y ~ relevel(f, ref = 'b')", "relevel() needs a factor"},
		{"y ~ relevel(factor(f), ref = 'z')", `"z" is not a level`},
		{"y ~ I(f + 1)", "f is text"},
		{"y ~ factor(f) > 'a'", "not meaningful"},
		{"y ~ log(x, bse = 2)", "no argument \"bse\""},
		{"f ~ x", "must be numeric"},
		{"y ~ factor(f == 'z')", "single level"},
	}
	for _, tc := range cases {
		_, err := p.Design(tc.formula)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.formula, err, tc.want)
		}
	}
}

// TestSortText checks the order of text levels against R 4.2.2's
// sort(c("b", "B", "a", "A", "10", "9", "_x", "a b", "ab", "a_c", "Ab",
// "é", "e", "f", "NEW_YORK", "NEWARK", "NEW YORK")) (ICU collation).
func TestSortText(t *testing.T) {
	v := factorOfStrings([]string{"b", "B", "a", "A", "10", "9", "_x", "a b", "ab", "a_c", "Ab", "é", "e", "f", "NEW_YORK", "NEWARK", "NEW YORK"})
	if got := strings.Join(v.levels, "|"); got != "_x|10|9|a|A|a b|a_c|ab|Ab|b|B|e|é|f|NEW YORK|NEW_YORK|NEWARK" {
		t.Errorf("levels %s", got)
	}
}

// TestTableInteractionLabels checks that tables show R's ':' as × ($\times$
// in LaTeX) and apply labels part by part and per factor level.
func TestTableInteractionLabels(t *testing.T) {
	r := &Result{Model: "ols", Coefficients: []Coefficient{
		{Name: "factor(region)2:unemp", Estimate: 1, StdError: 0.5, PValue: 0.04},
		{Name: "unemp:log(emp)", Estimate: 2, StdError: 1, PValue: 0.2},
	}}
	var b bytes.Buffer
	err := WriteTable(&b, TableLaTeX, []TableColumn{{Title: "(1)", Result: r}}, TableOptions{Labels: map[string]string{"factor(region)": "Region", "unemp": "Unemployment"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`Region 2 $\times$ Unemployment &`, `Unemployment $\times$ log(emp) &`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("LaTeX table lacks %q:\n%s", want, b.String())
		}
	}
	for _, tc := range []struct{ name, want string }{
		{"regionEast:unemp", "Region East\x1fU"},
		{"unemployment", "unemployment"},
		{"relevel(factor(g), ref = \"b\")a:gv", "G a\x1fgv"},
	} {
		labels := map[string]string{"region": "Region", "unemp": "U", `relevel(factor(g), ref = "b")`: "G"}
		if got := labelTerm(tc.name, labels); got != tc.want {
			t.Errorf("labelTerm(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
	b.Reset()
	if err := r.WriteLaTeX(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `factor(region)2 $\times$ unemp &`) {
		t.Errorf("LaTeX coefficients lack the ×:\n%s", b.String())
	}
	b.Reset()
	if err := WriteTable(&b, TableMarkdown, []TableColumn{{Title: "(1)", Result: r}}, TableOptions{Labels: map[string]string{"unemp": "U"}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "factor(region)2 × U") {
		t.Errorf("markdown table:\n%s", b.String())
	}
}

// TestDesignMatchesR compares Design with R 4.2.2's model.matrix on the
// small panel testdata/formula_r/rules.csv for the formulas of
// testdata/formula_r/forms.txt (testdata/formula_r/model_matrix.json, made
// by mm.R there): column names exactly, values to 1e-10 of the column's
// largest magnitude, term labels and intercept; where R refuses a formula,
// agglo must refuse it too.
func TestDesignMatchesR(t *testing.T) {
	b, err := os.ReadFile("testdata/formula_r/model_matrix.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref []struct {
		Formula   string    `json:"formula"`
		Deparse   string    `json:"deparse"`
		Error     string    `json:"error"`
		Labels    any       `json:"labels"`
		Intercept int       `json:"intercept"`
		Columns   any       `json:"columns"`
		Values    []float64 `json:"values"`
		NRow      int       `json:"nrow"`
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	p, err := ReadPanelCSV("testdata/formula_r/rules.csv", "id", "t", PanelOptions{})
	if err != nil {
		t.Fatal(err)
	}
	strs := func(v any) []string {
		switch x := v.(type) {
		case string:
			return []string{x}
		case []any:
			out := make([]string, len(x))
			for i, s := range x {
				out[i] = s.(string)
			}
			return out
		}
		return nil
	}
	for _, tc := range ref {
		d, err := p.Design(tc.Formula)
		if tc.Error != "" {
			if err == nil {
				t.Errorf("%s: R refuses it (%s), agglo gives %q", tc.Formula, tc.Error, d.Names)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.Formula, err)
			continue
		}
		if got := d.Formula.String(); tc.Deparse != "" && got != tc.Deparse && !d.Formula.dot {
			t.Errorf("%s: prints as %q, R as %q", tc.Formula, got, tc.Deparse)
		}
		want := strs(tc.Columns)
		if !slices.Equal(d.Names, want) {
			t.Errorf("%s: columns\n %q\nwant\n %q", tc.Formula, d.Names, want)
			continue
		}
		if got, wl := d.Terms, strs(tc.Labels); !slices.Equal(got, wl) {
			t.Errorf("%s: terms %q, want %q", tc.Formula, got, wl)
		}
		if d.Intercept != (tc.Intercept == 1) {
			t.Errorf("%s: intercept %v", tc.Formula, d.Intercept)
		}
		if d.NObs() != tc.NRow {
			t.Errorf("%s: %d rows, want %d", tc.Formula, d.NObs(), tc.NRow)
			continue
		}
		for j, name := range want {
			col := tc.Values[j*tc.NRow : (j+1)*tc.NRow]
			scale := 0.0
			for _, v := range col {
				scale = math.Max(scale, math.Abs(v))
			}
			for i, v := range col {
				if g := d.X.At(i, j); !(math.Abs(g-v) <= 1e-10*math.Max(scale, 1e-300)) {
					t.Errorf("%s: %s row %d = %.15g, want %.15g", tc.Formula, name, i+1, g, v)
					break
				}
			}
		}
	}
}
