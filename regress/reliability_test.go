package regress

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/mat"
)

// panelCSV builds a small balanced panel (6 regions × 3 periods, named as
// the cells of spatial.Lattice(2, 3)) whose response is yOf(region, period).
func panelCSV(yOf func(i, t int) string) string {
	var b strings.Builder
	b.WriteString("id,t,y,x,z\n")
	rng := rand.New(rand.NewPCG(5, 5))
	for i := range 6 {
		for t := range 3 {
			fmt.Fprintf(&b, "r%dc%d,%d,%s,%g,%g\n", i/3, i%3, 2000+t, yOf(i, t), rng.NormFloat64(), rng.NormFloat64())
		}
	}
	return b.String()
}

// TestInfReadLikeNaN is issue 13 item 5: Inf in a numeric column is a
// missing value named by line and column, not data.
func TestInfReadLikeNaN(t *testing.T) {
	for _, bad := range []string{"Inf", "-inf", "+Infinity", "1e400", "NAN"} {
		src := panelCSV(func(i, t int) string {
			if i == 2 && t == 1 {
				return bad
			}
			return fmt.Sprint(i + t)
		})
		_, err := ReadPanel(strings.NewReader(src), "p.csv", "id", "t", PanelOptions{})
		if err == nil || !strings.Contains(err.Error(), "line 9") || !strings.Contains(err.Error(), `column "y"`) || !strings.Contains(err.Error(), "not finite") {
			t.Errorf("%s: %v", bad, err)
		}
		p, err := ReadPanel(strings.NewReader(src), "p.csv", "id", "t", PanelOptions{DropMissing: true})
		if err != nil || p.Len() != 17 {
			t.Errorf("%s with listwise deletion: %v", bad, err)
		}
	}
}

// TestConstantResponseRefused is issue 13 item 7: every model refuses a
// response that is constant, or constant after its transformation.
func TestConstantResponseRefused(t *testing.T) {
	constant := panelCSV(func(i, t int) string { return "5" })
	perRegion := panelCSV(func(i, t int) string { return fmt.Sprint(i * i) }) // constant within regions
	for _, tc := range []struct {
		name, src string
		opts      FitOptions
		want      string
	}{
		{"ols", constant, FitOptions{Model: "ols"}, "the response y is constant (5)"},
		{"re", constant, FitOptions{Model: "re"}, "the response y is constant"},
		{"between", constant, FitOptions{Model: "between"}, "the response y is constant"},
		{"fe within", perRegion, FitOptions{Model: "fe"}, "the response y is constant (after the within transformation)"},
		{"fe twoways", perRegion, FitOptions{Model: "fe", Effects: TwoWays}, "constant (after the two-way within transformation)"},
	} {
		p, err := ReadPanel(strings.NewReader(tc.src), "p.csv", "id", "t", PanelOptions{})
		if err != nil {
			t.Fatal(err)
		}
		d, err := p.Design("y ~ x + z")
		if err != nil {
			t.Fatal(err)
		}
		_, err = Fit(d, tc.opts)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	// Spatial models: SAR pooled on a constant y, SEM with individual
	// effects on a y constant within regions.
	w, _ := spatial.Lattice(2, 3, false)
	w, _ = w.Transform(spatial.RowStandardized)
	for _, tc := range []struct {
		src     string
		model   SpatialModel
		effects string
	}{{constant, SAR, "none"}, {perRegion, SEM, "individual"}, {perRegion, SDM, "twoways"}} {
		p, _ := ReadPanel(strings.NewReader(tc.src), "p.csv", "id", "t", PanelOptions{})
		d, _ := p.Design("y ~ x + z")
		sp, _, err := SpatialPanelFromDesign(d, w, tc.effects)
		if err != nil {
			t.Fatal(err)
		}
		_, err = FitSpatial(sp, SpatialOptions{Model: tc.model, Effects: tc.effects, W: w, ImpactDraws: -1})
		if err == nil || !strings.Contains(err.Error(), "the response y is constant") {
			t.Errorf("%s %s: %v", tc.model, tc.effects, err)
		}
	}
}

// TestCovarianceNeedsGroups is issue 13 item 8: Driscoll–Kraay with one
// period and clustering with one cluster are refused, not reported with
// SEs of round-off.
func TestCovarianceNeedsGroups(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,t,y,x\n")
	rng := rand.New(rand.NewPCG(1, 1))
	for i := range 10 {
		fmt.Fprintf(&b, "r%d,2000,%g,%g\n", i, rng.NormFloat64(), rng.NormFloat64())
	}
	p, err := ReadPanel(strings.NewReader(b.String()), "one.csv", "id", "t", PanelOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d, _ := p.Design("y ~ x")
	for vc, want := range map[string]string{"dk": "at least 2 periods, have 1", "cluster-time": "at least 2 clusters, have 1"} {
		if _, err := Fit(d, FitOptions{Model: "ols", Vcov: vc}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", vc, err, want)
		}
	}
	if _, err := Fit(d, FitOptions{Model: "ols", Vcov: "cluster-id"}); err != nil {
		t.Errorf("cluster-id with 10 clusters: %v", err)
	}
}

// TestSDMDropNamesCollinearRegressor is issue 13 item 22: when W*x is
// dropped, the note names the regressor it is collinear with.
func TestSDMDropNamesCollinearRegressor(t *testing.T) {
	w, _ := spatial.Lattice(4, 4, true)
	w, _ = w.Transform(spatial.RowStandardized)
	n, T := w.N(), 3
	rng := rand.New(rand.NewPCG(9, 9))
	x := mat.NewDense(n*T, 2, nil)
	y := make([]float64, n*T)
	for t := range T {
		a := make([]float64, n)
		for i := range a {
			a[i] = rng.NormFloat64()
		}
		wa := w.Lag(a)
		for i := range n {
			x.Set(t*n+i, 0, a[i])
			x.Set(t*n+i, 1, wa[i]) // z = W*a: W*a is collinear with z
			y[t*n+i] = a[i] + rng.NormFloat64()
		}
	}
	p := &SpatialPanel{Y: y, X: x, Names: []string{"a", "z"}, N: n, T: T}
	res, err := FitSpatial(p, SpatialOptions{Model: SDM, Effects: "individual", W: w, ImpactDraws: -1})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, m := range res.Messages {
		if strings.Contains(m, "dropped W*a: collinear with z") {
			found = true
		}
	}
	if !found {
		t.Errorf("messages %q lack \"dropped W*a: collinear with z\"", res.Messages)
	}
}

// TestBOMAndSemicolonHint is issue 13 item 22 for the panel reader: a
// UTF-8 BOM before a quoted header is skipped; a semicolon file gets a
// hint; --delimiter (Comma) reads it. Since issue 17 the separator is
// detected: a semicolon file reads, and a forced comma still gives the
// hint.
func TestBOMAndSemicolonHint(t *testing.T) {
	src := "\ufeff\"id\",\"t\",\"y\"\na,1,2\na,2,3\n"
	if _, err := ReadPanel(strings.NewReader(src), "bom.csv", "id", "t", PanelOptions{}); err != nil {
		t.Errorf("BOM: %v", err)
	}
	semi := strings.ReplaceAll(src, ",", ";")
	if _, err := ReadPanel(strings.NewReader(semi), "semi.csv", "id", "t", PanelOptions{}); err != nil {
		t.Errorf("semicolon detected: %v", err)
	}
	_, err := ReadPanel(strings.NewReader(semi), "semi.csv", "id", "t", PanelOptions{Comma: ','})
	if err == nil || !strings.Contains(err.Error(), "semicolon-separated: use --delimiter ';'") {
		t.Errorf("semicolon: %v", err)
	}
	if _, err := ReadPanel(strings.NewReader(semi), "semi.csv", "id", "t", PanelOptions{Comma: ';'}); err != nil {
		t.Errorf("semicolon with Comma: %v", err)
	}
	if err := (&Result{Coefficients: []Coefficient{{Name: "x", Estimate: math.Inf(1)}}}).CheckFinite(); err == nil || !strings.Contains(err.Error(), "estimate of x is +Inf") {
		t.Errorf("CheckFinite: %v", err)
	}
}
