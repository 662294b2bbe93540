package regress

import (
	"bytes"
	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/mat"
	"strings"
	"testing"
)

func tableResults() []TableColumn {
	ll := -12.5
	a := &Result{Model: "sar", Effects: "individual", NObs: 100, LogLik: &ll, R2: map[string]float64{"pseudo": 0.81234},
		Coefficients: []Coefficient{
			{Name: "x_1", Estimate: 0.5, StdError: 0.1, PValue: 0.001},
			{Name: "rho", Estimate: 0.3, StdError: 0.2, PValue: 0.07},
		},
		Impacts: &Impacts{
			Direct:   []Effect{{Name: "x_1", Estimate: 0.52, StdError: 0.1, PValue: 0.02}},
			Indirect: []Effect{{Name: "x_1", Estimate: 0.2, StdError: 0.3, PValue: 0.5}},
			Total:    []Effect{{Name: "x_1", Estimate: 0.72, StdError: 0.3, PValue: 0.04}},
		}}
	b := &Result{Model: "fe", Effects: "individual", NObs: 100, R2: map[string]float64{"within": 0.5},
		Coefficients: []Coefficient{
			{Name: "x_1", Estimate: -0.0001, StdError: 0.05, PValue: 0.9},
			{Name: "x2", Estimate: 2, StdError: 0.5, PValue: 0.03},
		}}
	return []TableColumn{{"(1)", a}, {"(2)", b}}
}

func TestWriteTableMarkdown(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteTable(&buf, TableMarkdown, tableResults(), TableOptions{}); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	for _, want := range []string{
		"|  | (1) | (2) |",
		"| x_1 | 0.500\\*\\*\\* | 0.000 |", // stars at 1%; −0.0001 prints as 0.000, not -0.000
		"| rho | 0.300\\* |  |",
		"|  | (0.200) |  |",
		"| x2 |  | 2.000\\*\\* |",
		"| direct: x_1 | 0.520\\*\\* |  |",
		"| total: x_1 | 0.720\\*\\* |  |",
		"| N | 100 | 100 |",
		"| R² | 0.812 | 0.500 |",
		"| Log-likelihood | -12.500 |  |",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("markdown lacks %q:\n%s", want, got)
		}
	}
}

func TestWriteTableLaTeXAndCSVDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	if err := WriteTable(&a, TableLaTeX, tableResults(), TableOptions{Title: "Innovation & VA"}); err != nil {
		t.Fatal(err)
	}
	WriteTable(&b, TableLaTeX, tableResults(), TableOptions{Title: "Innovation & VA"})
	if a.String() != b.String() {
		t.Fatal("two renderings differ")
	}
	for _, want := range []string{`\toprule`, `\midrule`, `\bottomrule`, `$0.500^{***}$`, `x\_1`, `Innovation \& VA`, `(0.100)`} {
		if !strings.Contains(a.String(), want) {
			t.Errorf("LaTeX lacks %q:\n%s", want, a.String())
		}
	}
	var c bytes.Buffer
	if err := WriteTable(&c, TableCSV, tableResults(), TableOptions{NoImpacts: true}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(c.String(), "direct") || !strings.HasPrefix(c.String(), ",(1),(2)\n") {
		t.Errorf("CSV:\n%s", c.String())
	}
	if err := WriteTable(&c, "docx", tableResults(), TableOptions{}); err == nil {
		t.Error("unknown format accepted")
	}
}

func TestSpatialPanelFromDesignDropsIntercept(t *testing.T) {
	csv := "id,t,y,x\na,1,1,2\nb,1,2,1\nc,1,3,5\na,2,2,3\nb,2,4,1\nc,2,3,4\n"
	p, err := ReadPanel(strings.NewReader(csv), "inline.csv", "id", "t", PanelOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := p.Design("y ~ x")
	if err != nil {
		t.Fatal(err)
	}
	w, _ := spatial.NewWeights([]string{"c", "b", "a"}, []spatial.Link{{From: 0, To: 1, Weight: 1}, {From: 1, To: 0, Weight: 1}, {From: 1, To: 2, Weight: 1}, {From: 2, To: 1, Weight: 1}})
	sp, msgs, err := SpatialPanelFromDesign(d, w, "individual")
	if err != nil {
		t.Fatal(err)
	}
	if len(sp.Names) != 1 || sp.Names[0] != "x" || len(msgs) != 1 || sp.N != 3 || sp.T != 2 {
		t.Fatalf("names %v msgs %v N %d T %d", sp.Names, msgs, sp.N, sp.T)
	}
	// Time-major in the weights' order: observation t*N+i is region w.IDs()[i].
	if sp.Y[0] != 3 || sp.Y[2] != 1 || sp.Y[3] != 3 || sp.X.At(5, 0) != 3 {
		t.Errorf("Y %v X col %v", sp.Y, mat.Col(nil, 0, sp.X))
	}
	pooled, msgs, _ := SpatialPanelFromDesign(d, w, "none")
	if len(pooled.Names) != 2 || len(msgs) != 0 {
		t.Errorf("pooled keeps the intercept: %v %v", pooled.Names, msgs)
	}
	random, msgs, _ := SpatialPanelFromDesign(d, w, "random")
	if len(random.Names) != 2 || len(msgs) != 0 {
		t.Errorf("random effects keep the intercept: %v %v", random.Names, msgs)
	}
	// An intercept-only design has nothing left under fixed effects.
	d1, err := p.Design("y ~ 1")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := SpatialPanelFromDesign(d1, w, "twoways"); err == nil || !strings.Contains(err.Error(), "no regressor besides the intercept") {
		t.Errorf("intercept-only design under fixed effects: %v", err)
	}
}

func TestWriteSummaryShowsImpacts(t *testing.T) {
	var b bytes.Buffer
	if err := tableResults()[0].Result.WriteSummary(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Impacts", "x_1", "0.52 (0.1)", "0.72 (0.3)"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, b.String())
		}
	}
}
