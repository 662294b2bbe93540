package regress

import (
	"math"
	"strings"
	"testing"

	"github.com/agglo/agglo/internal/sharedtest"
	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"
)

func readProduc(t testing.TB, name string) *Panel {
	t.Helper()
	p, err := ReadPanelCSV(sharedtest.Data(t, name), "state", "year", PanelOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadPanelProduc(t *testing.T) {
	p := readProduc(t, "produc.csv")
	if p.N() != 48 || p.T() != 17 || p.Len() != 816 || !p.Balanced {
		t.Fatalf("N=%d T=%d rows=%d balanced=%v, want 48 17 816 true", p.N(), p.T(), p.Len(), p.Balanced)
	}
	if p.TimeLevels[0] != "1970" || p.IDLevels[0] != "ALABAMA" {
		t.Errorf("first levels %s %s", p.IDLevels[0], p.TimeLevels[0])
	}
	u := readProduc(t, "produc_unbalanced.csv")
	if u.Balanced || u.Len() != 756 {
		t.Errorf("unbalanced: rows=%d balanced=%v", u.Len(), u.Balanced)
	}
}

func TestReadPanelErrors(t *testing.T) {
	cases := []struct {
		name, csv string
		opts      PanelOptions
		want      string
	}{
		{"duplicate", "id,t,y\na,1,1\na,2,2\na,1,3\n", PanelOptions{}, "duplicated (id, t) pairs: (a, 1) at line 2 and line 4"},
		{"missing", "id,t,y,x\na,1,1,2\na,2,NA,3\nb,1,,1\n", PanelOptions{}, "2 rows with missing values: line 3 (y); line 4 (y)"},
		{"missing id", "id,t,y\n,1,1\n", PanelOptions{}, "line 2: missing id"},
		{"no column", "id,t,y\na,1,1\n", PanelOptions{Columns: []string{"z"}}, `no column "z"`},
		{"ragged", "id,t,y\na,1\n", PanelOptions{}, "line 2 has 2 fields"},
		{"id is time", "id,t,y\na,1,1\n", PanelOptions{}, `column "t" is given as both the id and the time column`},
		{"id is time, columns", "id,t,y\na,1,1\n", PanelOptions{Columns: []string{"y"}}, `column "t" is given as both the id and the time column`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id := "id"
			if strings.HasPrefix(tc.name, "id is time") {
				id = "t"
			}
			_, err := ReadPanel(strings.NewReader(tc.csv), "x.csv", id, "t", tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestReadPanelDropMissingAndSort(t *testing.T) {
	csv := "id,t,y,x\nb,10,1,2\na,2,NA,3\na,9,4,1\nb,9,2,2\na,10,5,5\n"
	p, err := ReadPanel(strings.NewReader(csv), "x.csv", "id", "t", PanelOptions{DropMissing: true})
	if err != nil {
		t.Fatal(err)
	}
	if p.Dropped != 1 || len(p.Messages) != 1 {
		t.Fatalf("dropped %d messages %v", p.Dropped, p.Messages)
	}
	// Times sort numerically: 9 before 10.
	y, _ := p.Float("y")
	want := []float64{4, 5, 2, 1}
	for i := range want {
		if y[i] != want[i] {
			t.Fatalf("y = %v, want %v", y, want)
		}
	}
	if !p.Balanced {
		t.Error("want balanced after dropping")
	}
	// Missing in an unused column does not matter when Columns is given.
	if _, err := ReadPanel(strings.NewReader(csv), "x.csv", "id", "t", PanelOptions{Columns: []string{"x"}}); err != nil {
		t.Error(err)
	}
}

// TestFormulaParse checks the deparse (R's print of the formula), the
// term labels and the intercept of R's terms.formula, per ?formula and
// model.c of R 4.2 (terms ordered by interaction order, repeats dropped,
// labels in the order the variables first appear).
func TestFormulaParse(t *testing.T) {
	cases := []struct {
		in, want  string
		terms     string // labels joined by " | "
		intercept bool
		vars      int
	}{
		{"y ~ x1 + x2", "y ~ x1 + x2", "x1 | x2", true, 3},
		{"log(y) ~ log(x1) + I(x2 ^ 2) + x3", "log(y) ~ log(x1) + I(x2^2) + x3", "log(x1) | I(x2^2) | x3", true, 4},
		{"y ~ x - 1", "y ~ x - 1", "x", false, 2},
		{"y ~ 0 + x", "y ~ 0 + x", "x", false, 2},
		{"y ~ x + 0", "y ~ x + 0", "x", false, 2},
		{"y ~ -1 + x + 1", "y ~ -1 + x + 1", "x", true, 2},
		{"y ~ x - (1)", "y ~ x - (1)", "x", false, 2},
		{"y ~ lag(x, 1) + factor(r)", "y ~ lag(x, 1) + factor(r)", "lag(x, 1) | factor(r)", true, 3},
		{"y ~ lag(x) + I(a*b) + I(a/b) + I((a+b)*c)", "y ~ lag(x) + I(a * b) + I(a/b) + I((a + b) * c)", "lag(x) | I(a * b) | I(a/b) | I((a + b) * c)", true, 5},
		{"y ~ x + z - z", "y ~ x + z - z", "x", true, 3},
		{"y ~ a*b", "y ~ a * b", "a | b | a:b", true, 3},
		{"y ~ b:a + a", "y ~ b:a + a", "a | b:a", true, 3},
		{"y ~ a + b:a", "y ~ a + b:a", "a | a:b", true, 3},
		{"y ~ a*b*c - a:b:c", "y ~ a * b * c - a:b:c", "a | b | c | a:b | a:c | b:c", true, 4},
		{"y ~ (a+b+c)^2 - a:b", "y ~ (a + b + c)^2 - a:b", "a | b | c | a:c | b:c", true, 4},
		{"y ~ a/b", "y ~ a/b", "a | a:b", true, 3},
		{"y ~ (a+b)/c", "y ~ (a + b)/c", "a | b | a:b:c", true, 4},
		{"y ~ a %in% b", "y ~ a %in% b", "a:b", true, 3},
		{"y ~ (a + b) %in% c", "y ~ (a + b) %in% c", "a:c | b:c", true, 4},
		{"y ~ a:a + a*a", "y ~ a:a + a * a", "a", true, 2},
		{"y ~ y + x", "y ~ y + x", "y | x", true, 2},
		{"y ~ (x > 6)", "y ~ (x > 6)", "x > 6", true, 2},
		{"y~log(x,base=2)+poly(x,degree=3)", "y ~ log(x, base = 2) + poly(x, degree = 3)", "log(x, base = 2) | poly(x, degree = 3)", true, 2},
		{"y ~ relevel(factor(g), ref = 'b')", `y ~ relevel(factor(g), ref = "b")`, `relevel(factor(g), ref = "b")`, true, 2},
		{"y ~ I(x^1e5) + I(-x^2) + I(!(x == 1e-4))", "y ~ I(x^1e+05) + I(-x^2) + I(!(x == 1e-04))", "I(x^1e+05) | I(-x^2) | I(!(x == 1e-04))", true, 2},
		{"y ~ `my x` + offset(z)", "y ~ `my x` + offset(z)", "`my x`", true, 3},
		{"y ~ .", "y ~ .", ".", true, 0},
	}
	for _, tc := range cases {
		f, err := ParseFormula(tc.in)
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if got := f.String(); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.in, got, tc.want)
		}
		if got := strings.Join(f.TermLabels(), " | "); got != tc.terms {
			t.Errorf("%q: terms %q, want %q", tc.in, got, tc.terms)
		}
		if f.Intercept != tc.intercept {
			t.Errorf("%q: intercept %v, want %v", tc.in, f.Intercept, tc.intercept)
		}
		if got := len(f.Variables()); got != tc.vars {
			t.Errorf("%q: %d variables %v, want %d", tc.in, got, f.Variables(), tc.vars)
		}
	}
}

func TestFormulaErrors(t *testing.T) {
	cases := []struct {
		in  string
		col int
	}{
		{"y ~ x +", 8},
		{"y ~ x ^ 2", 7},
		{"y ~ (a + b)^1", 12},
		{"y ~ x + 2", 9},
		{"y ~ a < b < c", 11},
		{"y ~ x[1]", 6},
		{"y ~ log(x, bse = 2)", 5},
		{"y ~ log(.)", 9},
		{"y ~ x + \"a\"", 9},
		{"y ~ x)", 6},
		{"y <- x", 3},
		{"y ~ x + z | g", 11},
		{"y x", 3},
		{"y ~ foo(x)", 5},
		{"~ x", 1},
		{"y ~ log(x", 10},
		{"y ~ x $ z", 7},
	}
	for _, tc := range cases {
		_, err := ParseFormula(tc.in)
		fe, ok := err.(*FormulaError)
		if !ok {
			t.Errorf("%q: error %v, want a FormulaError", tc.in, err)
			continue
		}
		if fe.Pos+1 != tc.col {
			t.Errorf("%q: column %d, want %d (%v)", tc.in, fe.Pos+1, tc.col, err)
		}
		if !strings.Contains(err.Error(), strings.Repeat(" ", tc.col-1)+"^") {
			t.Errorf("%q: no caret: %v", tc.in, err)
		}
	}
}

func TestDesign(t *testing.T) {
	csv := "id,t,y,x,r\na,1,1,2,u\na,2,2,3,v\na,3,4,5,w\nb,1,3,-1,u\nb,2,5,1,u\n"
	p, err := ReadPanel(strings.NewReader(csv), "d.csv", "id", "t", PanelOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := p.Design("log(y) ~ lag(x, 1) + I(x^2) + factor(r)")
	if err != nil {
		t.Fatal(err)
	}
	wantNames := []string{"(Intercept)", "lag(x, 1)", "I(x^2)", "factor(r)v", "factor(r)w"}
	if strings.Join(d.Names, "|") != strings.Join(wantNames, "|") {
		t.Fatalf("names %v, want %v", d.Names, wantNames)
	}
	// Rows a2, a3, b2 (first periods have no lag).
	if d.NObs() != 3 || d.Dropped != 2 || d.N() != 2 || d.T() != 2 {
		t.Fatalf("nobs %d dropped %d N %d T %d", d.NObs(), d.Dropped, d.N(), d.T())
	}
	want := [][]float64{{1, 2, 9, 1, 0}, {1, 3, 25, 0, 1}, {1, -1, 1, 0, 0}}
	if !mat.Equal(d.X, mat.NewDense(3, 5, flat(want))) {
		t.Errorf("X = %v", mat.Formatted(d.X))
	}
	if !scalar.EqualWithinAbs(d.Y[2], math.Log(5), 1e-15) {
		t.Errorf("y = %v", d.Y)
	}
	if _, err := p.Design("log(x) ~ y"); err == nil || !strings.Contains(err.Error(), "d.csv line 5 (id b, t 1)") {
		t.Errorf("log of negative: %v", err)
	}
	if _, err := p.Design("y ~ z"); err == nil || !strings.Contains(err.Error(), `no column "z"`) {
		t.Errorf("unknown column: %v", err)
	}
	// A text column is a factor, as in R.
	if dr, err := p.Design("y ~ r"); err != nil || strings.Join(dr.Names, "|") != "(Intercept)|rv|rw" {
		t.Errorf("text column: %v %v", dr, err)
	}
	if _, err := p.Design("y ~ I(r + 1)"); err == nil || !strings.Contains(err.Error(), `r is text`) {
		t.Errorf("arithmetic on text: %v", err)
	}
	d0, err := p.Design("y ~ factor(r) - 1")
	if err != nil || len(d0.Names) != 3 || d0.Names[0] != "factor(r)u" {
		t.Errorf("no intercept factor: %v %v", d0.Names, err)
	}
}

func flat(a [][]float64) []float64 {
	var out []float64
	for _, r := range a {
		out = append(out, r...)
	}
	return out
}

// TestWithinTwoWays checks the two-way transformation against the residuals
// of a regression on individual and time dummies, balanced and unbalanced.
func TestWithinTwoWays(t *testing.T) {
	id := []int{0, 0, 0, 1, 1, 2, 2, 2}
	tm := []int{0, 1, 2, 0, 2, 0, 1, 2}
	v := []float64{1, 4, 2, 7, 3, 5, 9, 8}
	// Dummies: intercept, id1, id2, t1, t2.
	x := mat.NewDense(len(v), 5, nil)
	for r := range v {
		x.Set(r, 0, 1)
		if id[r] > 0 {
			x.Set(r, id[r], 1)
		}
		if tm[r] > 0 {
			x.Set(r, 2+tm[r], 1)
		}
	}
	var qr mat.QR
	qr.Factorize(x)
	var b mat.VecDense
	if err := b.SolveVec(&qr, mat.NewVecDense(len(v), v)); err != nil {
		t.Fatal(err)
	}
	var fit mat.VecDense
	fit.MulVec(x, &b)
	got := append([]float64(nil), v...)
	it, err := WithinTwoWays(got, id, 3, tm, 3, 0)
	if err != nil {
		t.Fatal(err)
	}
	for r := range v {
		if !scalar.EqualWithinAbs(got[r], v[r]-fit.AtVec(r), 1e-11) {
			t.Errorf("row %d: %g, want %g (after %d iterations)", r, got[r], v[r]-fit.AtVec(r), it)
		}
	}
}

// TestDesignWithinProduc checks the design layer alone: least squares on
// the within-transformed Produc design gives plm's within estimates
// (plm_produc.json, models within_individual / within_twoways and the
// unbalanced two-way model).
func TestDesignWithinProduc(t *testing.T) {
	cases := []struct {
		data    string
		effects Effects
		want    []float64 // log(pcap), log(pc), log(emp), unemp
	}{
		// plm 2.6-2, within individual, Produc.
		{"produc.csv", Individual, []float64{-0.0261496535946801}},
		// plm 2.6-2, within twoways, Produc.
		{"produc.csv", TwoWays, []float64{-0.0301760565798397}},
		// plm 2.6-2, within twoways, produc_unbalanced.csv.
		{"produc_unbalanced.csv", TwoWays, []float64{-0.0339792392130068}},
	}
	for _, tc := range cases {
		p := readProduc(t, tc.data)
		d, err := p.Design("log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp - 1")
		if err != nil {
			t.Fatal(err)
		}
		y, x, err := d.Within(tc.effects)
		if err != nil {
			t.Fatal(err)
		}
		var qr mat.QR
		qr.Factorize(x)
		var b mat.VecDense
		if err := b.SolveVec(&qr, mat.NewVecDense(len(y), y)); err != nil {
			t.Fatal(err)
		}
		if !scalar.EqualWithinRel(b.AtVec(0), tc.want[0], 1e-9) {
			t.Errorf("%s %v: log(pcap) %.15g, want %.15g", tc.data, tc.effects, b.AtVec(0), tc.want[0])
		}
	}
}
