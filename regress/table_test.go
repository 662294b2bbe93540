package regress

import (
	"bytes"
	"fmt"
	"github.com/agglo/agglo/internal/testout"
	"github.com/agglo/agglo/spatial"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// tableResults are two models built by hand, so that every row of the
// table is known: an SDM with W·x terms and effects, and a fixed-effects
// model with a tiny coefficient (as unemp on Produc) and an interaction.
func tableResults() []TableColumn {
	ll := -12.5
	aic, bic := 35.0, 48.25
	a := &Result{Model: "sdm", Effects: "individual", N: 20, T: 5, NObs: 100, Sigma2: 0.0123, LogLik: &ll, AIC: &aic, BIC: &bic,
		R2:      map[string]float64{"pseudo": 0.81234},
		Options: map[string]any{"weights": "queen_w", "lee_yu": false, "estimator": "uncorrected ML, as splm's default"},
		Coefficients: []Coefficient{
			{Name: "x_1", Estimate: 0.5, StdError: 0.1, PValue: 0.001},
			{Name: "W*x_1", Estimate: -0.25, StdError: 0.1, PValue: 0.039},
			{Name: "rho", Estimate: 0.3, StdError: 0.2, PValue: 0.07},
		},
		Impacts: &Impacts{Draws: 1000, Seed: 7,
			Direct:   []Effect{{Name: "x_1", Estimate: 0.52, StdError: 0.1, PValue: 0.02}},
			Indirect: []Effect{{Name: "x_1", Estimate: 0.2, StdError: 0.3, PValue: 0.5}},
			Total:    []Effect{{Name: "x_1", Estimate: 0.72, StdError: 0.3, PValue: 0.04}},
		}}
	b := &Result{Model: "fe", Effects: "twoways", N: 20, T: 5, NObs: 100, Sigma2: 2.5, R2: map[string]float64{"r2": 0.4, "within": 0.5},
		Coefficients: []Coefficient{
			{Name: "x_1", Estimate: -0.00147, StdError: 0.000312, PValue: 1e-5},
			{Name: "x2", Estimate: 2, StdError: 0.5, PValue: 0.03},
			{Name: "x_1:x2", Estimate: 1234.5678, StdError: 98.7, PValue: 0.2},
		}}
	return []TableColumn{{"SDM", a}, {"FE (2)", b}}
}

// TestWriteTableGolden checks the three formats byte for byte against
// golden files, and the properties the golden files were checked for.
func TestWriteTableGolden(t *testing.T) {
	opt := TableOptions{Title: "Innovation & VA, 1990–2000", Labels: map[string]string{"x_1": "Online share (%)", "x2": "R&D"}}
	for _, tc := range []struct{ format, file string }{
		{TableMarkdown, "table.md.golden"}, {TableLaTeX, "table.tex.golden"}, {TableCSV, "table.csv.golden"},
	} {
		t.Run(tc.format, func(t *testing.T) {
			var a, b bytes.Buffer
			if err := WriteTable(&a, tc.format, tableResults(), opt); err != nil {
				t.Fatal(err)
			}
			WriteTable(&b, tc.format, tableResults(), opt)
			if a.String() != b.String() {
				t.Fatal("two renderings differ")
			}
			testout.Golden(t, filepath.Join("testdata", tc.file), a.Bytes())
			got := a.String()
			if strings.Contains(got, "0.000)") || strings.Contains(got, "-0.000") {
				t.Errorf("a standard error or estimate prints as zero:\n%s", got)
			}
		})
	}
	var md bytes.Buffer
	WriteTable(&md, TableMarkdown, tableResults(), opt)
	for _, want := range []string{
		"| **Main** |  |  |",
		"| Online share (%) | 0.500\\*\\*\\* | -0.001470\\*\\*\\* |", // 3 significant digits of the SE 0.000312
		"|  | (0.100) | (0.000312) |",
		"| Online share (%) × R&D |  | 1234.6 |", // the interaction x_1:x2 with its parts' labels; SE 98.7 → one decimal
		"| **W·x** |  |  |",
		"| Online share (%) | -0.250\\*\\* |  |", // p = 0.039: ** under economists' stars
		"| ρ | 0.300\\* |  |",
		"| **Direct** |  |  |",
		"| **Total** |  |  |",
		"| Observations | 100 | 100 |",
		"| Regions (N) | 20 | 20 |",
		"| Fixed effects | Region | Region, period |",
		"| Weights | queen_w |  |",
		"| Estimator | uncorrected ML, as splm's default |  |",
		"| R² (within) |  | 0.500 |",
		"| Pseudo R² (corr²) | 0.812 |  |",
		"| AIC | 35.0 |  |",
		"*** p < 0.01, ** p < 0.05, * p < 0.1",
		"1000 draws, seed 7",
	} {
		if !strings.Contains(strings.ReplaceAll(md.String(), `\*`, "*"), strings.ReplaceAll(want, `\*`, "*")) {
			t.Errorf("markdown lacks %q:\n%s", want, md.String())
		}
	}
	var tex bytes.Buffer
	WriteTable(&tex, TableLaTeX, tableResults(), opt)
	for _, want := range []string{`\toprule`, `\midrule`, `\bottomrule`, `$0.500^{***}$`, `x\_1`, `Innovation \& VA, 1990--2000`, `$\rho$`, `$\times$`,
		`p $<$ 0.01`, `$-0.001470^{***}$`, `R\&D`} {
		if !strings.Contains(tex.String(), want) && !strings.Contains(tex.String(), strings.ReplaceAll(want, "x\\_1", "Online")) {
			t.Errorf("LaTeX lacks %q:\n%s", want, tex.String())
		}
	}
	for i, r := range tex.String() {
		if r > 127 {
			t.Fatalf("LaTeX has the non-ASCII %q at byte %d:\n%s", r, i, tex.String())
		}
	}
	var c bytes.Buffer
	if err := WriteTable(&c, TableCSV, tableResults(), TableOptions{NoImpacts: true}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(c.String(), "Direct") || !strings.HasPrefix(c.String(), ",SDM,FE (2)\n") {
		t.Errorf("CSV:\n%s", c.String())
	}
	if err := WriteTable(&c, "docx", tableResults(), TableOptions{}); err == nil {
		t.Error("unknown format accepted")
	}
}

// TestWriteTableStars checks that the convention chosen is the one used in
// cells and stated under the table.
func TestWriteTableStars(t *testing.T) {
	r, _ := ParseStars("r")
	var b bytes.Buffer
	WriteTable(&b, TableCSV, tableResults(), TableOptions{Stars: r})
	got := b.String()
	// W*x_1 has p = 0.039: one star under R's codes; rho (p = 0.07) a dot.
	for _, want := range []string{"-0.250*,", "0.300.,", "*** p < 0.001, ** p < 0.01, * p < 0.05, . p < 0.1"} {
		if !strings.Contains(got, want) {
			t.Errorf("R stars: CSV lacks %q:\n%s", want, got)
		}
	}
	none, _ := ParseStars("none")
	b.Reset()
	WriteTable(&b, TableCSV, tableResults(), TableOptions{Stars: none})
	if strings.Contains(b.String(), "*") {
		t.Errorf("--stars none printed stars:\n%s", b.String())
	}
}

func TestParseStars(t *testing.T) {
	for _, tc := range []struct {
		in   string
		p    float64
		mark string
		err  bool
	}{
		{"", 0.039, "**", false},
		{"econ", 0.009, "***", false},
		{"r", 0.039, "*", false},
		{"r", 0.07, ".", false},
		{"0.05,0.1", 0.039, "**", false},
		{"0.05,0.1", 0.07, "*", false},
		{"0.001, 0.01", 0.039, "", false},
		{"none", 1e-9, "", false},
		{"0.1,0.05", 0, "", true},
		{"0.01,x", 0, "", true},
		{"1.5", 0, "", true},
	} {
		s, err := ParseStars(tc.in)
		if (err != nil) != tc.err {
			t.Errorf("ParseStars(%q): error %v", tc.in, err)
			continue
		}
		if err == nil && s.Mark(tc.p) != tc.mark {
			t.Errorf("ParseStars(%q).Mark(%g) = %q, want %q", tc.in, tc.p, s.Mark(tc.p), tc.mark)
		}
	}
	if (Stars{}).Mark(math.NaN()) != "" || !(Stars{}).Equal(EconStars()) {
		t.Error("zero Stars is not the economists' convention")
	}
}

func TestDecimalsFor(t *testing.T) {
	for _, tc := range []struct {
		digits int
		vals   []float64
		est    string
	}{
		{3, []float64{-0.00147, 0.000312}, "-0.001470"}, // smaller value 0.000312 → 6 decimals
		{3, []float64{0.5, 0.1}, "0.500"},
		{3, []float64{1234.5678, 98.7}, "1234.6"}, // 3 significant digits of 98.7
		{2, []float64{0.5, 0.1}, "0.50"},
		{3, []float64{9.996, 20}, "10.0"}, // rounds into a new digit
		{3, []float64{0.0009996, 1}, "0.00100"},
		{3, []float64{0, math.NaN()}, "0.00"},
		{3, []float64{2.5e-15, 4.1e-16}, "2.50e-15"}, // beyond 12 decimals: scientific
	} {
		d := decimalsFor(tc.digits, tc.vals...)
		if got := fixed(tc.vals[0], d); got != tc.est {
			t.Errorf("decimalsFor(%d, %v) = %d: %q, want %q", tc.digits, tc.vals, d, got, tc.est)
		}
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
	if sp.Y[0] != 3 || sp.Y[2] != 1 || sp.Y[3] != 3 || sp.Cols[0][5] != 3 {
		t.Errorf("Y %v X col %v", sp.Y, sp.Cols[0])
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

// TestWriteSummaryExtraLabels: the model-specific scalars of the text
// summary are named in words, not by their JSON keys.
func TestWriteSummaryExtraLabels(t *testing.T) {
	r := *tableResults()[0].Result
	r.Extra = map[string]float64{"loglik_ols": 826.982, "sigma2_std_error": 0.000381815, "some_new_key": 1}
	var b bytes.Buffer
	if err := r.WriteSummary(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"log-likelihood of OLS = 826.982", "s.e. of σ² = 0.000381815", "some new key = 1"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, b.String())
		}
	}
	if strings.Contains(b.String(), "loglik_ols") {
		t.Errorf("summary names the key loglik_ols:\n%s", b.String())
	}
}

// TestWriteTableLaTeXCompiles compiles the golden LaTeX table, and a table
// of names full of special characters, with pdflatex when it is installed.
func TestWriteTableLaTeXCompiles(t *testing.T) {
	var b bytes.Buffer
	if err := WriteTable(&b, TableLaTeX, tableResults(), TableOptions{Title: "Innovation & VA, 1990–2000 (p < 0.1)",
		Labels: map[string]string{"x_1": "Online share (%)", "x2": "R&D #2 ~ $ {x} ^ σ"}}); err != nil {
		t.Fatal(err)
	}
	testout.Compile(t, "WriteTable LaTeX", b.String())
}

// TestTableFoldsStatRows: an estimator shared by every column is a note,
// not a row that widens each column; different estimators stay a row; the
// Model row is left out when the column titles are the model names.
func TestTableFoldsStatRows(t *testing.T) {
	const ly = "Lee–Yu corrected ML (Lee and Yu 2010)"
	mk := func(model, est string) *Result {
		return &Result{Model: model, Coefficients: []Coefficient{{Name: "x", Estimate: 1, StdError: 0.1, PValue: 0.01}}, Options: map[string]any{"estimator": est}}
	}
	write := func(cols []TableColumn) string {
		var b bytes.Buffer
		if err := WriteTable(&b, TableMarkdown, cols, TableOptions{}); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	same := write([]TableColumn{{Title: "SAR", Result: mk("sar", ly)}, {Title: "SDM", Result: mk("sdm", ly)}})
	if strings.Contains(same, "| Estimator |") || !strings.Contains(same, "\nEstimator: "+ly+".") {
		t.Errorf("a shared estimator is not a note:\n%s", same)
	}
	if strings.Contains(same, "| Model |") {
		t.Errorf("Model row repeats the column titles:\n%s", same)
	}
	differ := write([]TableColumn{{Title: "A", Result: mk("sar", ly)}, {Title: "B", Result: mk("sar", "uncorrected ML")}})
	if !strings.Contains(differ, "| Estimator | "+ly+" | uncorrected ML |") || strings.Contains(differ, "\nEstimator:") {
		t.Errorf("different estimators are not a row:\n%s", differ)
	}
	if !strings.Contains(differ, "| Model | SAR | SAR |") {
		t.Errorf("the Model row is missing under titles that are not model names:\n%s", differ)
	}
}

// TestLaTeXSplitsLongTables: a LaTeX table longer than LaTeXPageRows is
// two tables, the estimates with every statistic and the effects with the
// sample's size; a short one stays one table, and Markdown is never split.
func TestLaTeXSplitsLongTables(t *testing.T) {
	var coefs []Coefficient
	var eff []Effect
	for i := range 4 { // as Produc's SDM
		name := fmt.Sprintf("x%d", i)
		coefs = append(coefs, Coefficient{Name: name, Estimate: 1, StdError: 0.1}, Coefficient{Name: "W*" + name, Estimate: 0.5, StdError: 0.1})
		eff = append(eff, Effect{Name: name, Estimate: 1, StdError: 0.1})
	}
	coefs = append(coefs, Coefficient{Name: "rho", Estimate: 0.4, StdError: 0.05})
	ll := 12.5
	long := &Result{Model: "sdm", NObs: 100, N: 20, T: 5, LogLik: &ll, Coefficients: coefs, Impacts: &Impacts{Direct: eff, Indirect: eff, Total: eff, Draws: 100, Seed: 1}}
	short := &Result{Model: "sdm", NObs: 100, N: 20, T: 5, LogLik: &ll, Coefficients: coefs[:2], Impacts: &Impacts{Direct: eff[:1], Indirect: eff[:1], Total: eff[:1], Draws: 100, Seed: 1}}
	write := func(format string, r *Result) string {
		var b bytes.Buffer
		if err := WriteTable(&b, format, []TableColumn{{Title: "SDM", Result: r}}, TableOptions{Title: "T"}); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	tex := write(TableLaTeX, long)
	parts := strings.Split(tex, "\\begin{table}")
	if len(parts) != 3 {
		t.Fatalf("%d tables, want 2:\n%s", len(parts)-1, tex)
	}
	est, effects := parts[1], parts[2]
	if !strings.Contains(est, `\caption{T: estimates}`) || strings.Contains(est, `\textit{Direct}`) || !strings.Contains(est, "Log-likelihood") {
		t.Errorf("estimates table:\n%s", est)
	}
	if !strings.Contains(effects, `\textit{Total}`) || strings.Contains(effects, `\textit{Main}`) || strings.Contains(effects, "Log-likelihood") || !strings.Contains(effects, "Observations") {
		t.Errorf("effects table:\n%s", effects)
	}
	if n := strings.Count(write(TableLaTeX, short), "\\begin{table}"); n != 1 {
		t.Errorf("a short table is %d tables", n)
	}
	if md := write(TableMarkdown, long); !strings.Contains(md, "**Main**") || !strings.Contains(md, "**Total**") {
		t.Errorf("markdown split:\n%s", md)
	}
	testout.FitsPage(t, "split LaTeX table", testout.Compile(t, "split LaTeX table", tex))
}
