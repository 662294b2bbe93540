package plot

import (
	"bytes"
	"fmt"
	"image/png"
	"math"
	"strings"
	"testing"

	"github.com/agglo/agglo/regress"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// producEffects are the SDM effects of Produc with two-way effects (the
// magnitudes of agglo fit's output): unemp's are about 1e-3, the others
// 1e-1 to 1.
func producEffects() *regress.Impacts {
	e := func(names []string, est, se []float64) []regress.Effect {
		out := make([]regress.Effect, len(names))
		for i := range names {
			out[i] = regress.Effect{Name: names[i], Estimate: est[i], StdError: se[i]}
		}
		return out
	}
	n := []string{"log(pcap)", "log(pc)", "log(emp)", "unemp"}
	return &regress.Impacts{
		Direct:   e(n, []float64{-0.016, 0.167, 0.750, -0.0018}, []float64{0.025, 0.026, 0.026, 0.0012}),
		Indirect: e(n, []float64{-0.097, 0.113, -0.004, -0.0055}, []float64{0.065, 0.065, 0.058, 0.0025}),
		Total:    e(n, []float64{-0.114, 0.281, 0.747, -0.0073}, []float64{0.068, 0.074, 0.063, 0.0026}),
	}
}

func TestScalesDiffer(t *testing.T) {
	for _, tc := range []struct {
		lo, hi []float64
		want   bool
	}{
		{[]float64{-0.2, 0, -0.01}, []float64{0.1, 0.9, 0}, true}, // 0.01 beside 0.9
		{[]float64{-0.2, 0}, []float64{0.1, 0.9}, false},          // 0.3 and 0.9
		{[]float64{0}, []float64{1}, false},
	} {
		if got := scalesDiffer(tc.lo, tc.hi); got != tc.want {
			t.Errorf("scalesDiffer(%v, %v) = %v", tc.lo, tc.hi, got)
		}
	}
}

// TestZeroTicks: ticks are round numbers in one format, zero is "0" (not
// "-0" or "0.000").
func TestZeroTicks(t *testing.T) {
	// [-0.16, 0.04]: gonum's major ticks are −0.15, −0.06, 0.03, without
	// zero.
	for _, r := range [][2]float64{{-0.0124, 0.0006}, {-0.21, 0.03}, {-0.1, 0.85}, {-0.0077, 0.0013}, {-0.16, 0.04}} {
		var labels []string
		for _, tk := range (zeroTicks{}).Ticks(r[0], r[1]) {
			if tk.Label != "" {
				labels = append(labels, tk.Label)
			}
		}
		joined := strings.Join(labels, " ")
		if !strings.Contains(" "+joined+" ", " 0 ") || strings.Contains(joined, "e-") || strings.Contains(joined, "-0 ") {
			t.Errorf("ticks of %v: %q", r, joined)
		}
	}
}

// TestEffectsPlotFacets draws the Produc effects with facets (the default
// here: unemp's scale is 1/100 of the others') and on one scale: both are
// valid PNGs and differ, and the labels reach the figure.
func TestEffectsPlotFacets(t *testing.T) {
	render := func(f Facets, labels map[string]string) []byte {
		var b bytes.Buffer
		p := &EffectsPlot{Impacts: producEffects(), Facets: f, Labels: labels}
		if err := Write(&b, p, PNG, Options{DPI: 100}); err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(bytes.NewReader(b.Bytes())); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	auto, shared, always := render(FacetAuto, nil), render(FacetNever, nil), render(FacetAlways, nil)
	if bytes.Equal(auto, shared) || !bytes.Equal(auto, always) {
		t.Error("FacetAuto does not facet the Produc effects")
	}
	if bytes.Equal(auto, render(FacetAuto, map[string]string{"unemp": "Unemployment rate"})) {
		t.Error("labels do not change the figure")
	}
	if termLabel("W*unemp", map[string]string{"unemp": "Unemployment"}) != "W·Unemployment" || termLabel("rho", nil) != "ρ" {
		t.Error("termLabel")
	}
}

// TestHeatmapNALabel: a list of pairs leaves the diagonal empty, which is
// "undefined", not missing data; other gaps are missing data.
func TestHeatmapNALabel(t *testing.T) {
	th := DefaultTheme()
	nan := math.NaN()
	h := &Heatmap{Labels: []string{"a", "b"}, Values: [][]float64{{nan, 1}, {1, nan}}}
	if got := h.naLabel(th); got != "undefined (diagonal)" {
		t.Errorf("diagonal: %q", got)
	}
	h.Values[0][1] = nan
	if got := h.naLabel(th); got != th.MissingLabel {
		t.Errorf("off-diagonal gap: %q", got)
	}
}

// TestZeroTicksDecimals: ticks at 2.5 keep their decimal; every label of
// an axis has the same number of decimals.
func TestZeroTicksDecimals(t *testing.T) {
	var labels []string
	for _, tk := range (zeroTicks{}).Ticks(-3.1, 2.9) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	if got := strings.Join(labels, " "); got != "-2.5 0 2.5" {
		t.Errorf("ticks of [-3.1, 2.9]: %q", got)
	}
}

// TestFacetGridWraps: facets stay in one column while each panel has the
// height its intervals and axis need; more terms wrap into columns (the
// Produc SDM's 9 terms in an 11 cm figure were 11 slivers without tick
// labels), and every term still reaches the figure.
func TestFacetGridWraps(t *testing.T) {
	th := DefaultTheme()
	if r, c := facetGrid(th, 4, 3, 9*vg.Centimeter); r != 4 || c != 1 {
		t.Errorf("4 terms in 9 cm: %d×%d, want 4×1", r, c)
	}
	r, c := facetGrid(th, 11, 2, 9*vg.Centimeter)
	if c < 2 || r*c < 11 || (r-1)*c >= 11 {
		t.Errorf("11 terms in 9 cm: %d×%d, want several balanced columns", r, c)
	}
	var est []regress.Coefficient
	for i := range 11 {
		est = append(est, regress.Coefficient{Name: fmt.Sprintf("term%02d", i), Estimate: math.Pow(10, -float64(i%4)), StdError: 0.1 * math.Pow(10, -float64(i%4))})
	}
	var buf bytes.Buffer
	p := &CoefPlot{Models: []Model{ModelFromResult("m", &regress.Result{Coefficients: est})}}
	if err := Write(&buf, p, SVG, Options{Width: 16 * vg.Centimeter, Height: 11 * vg.Centimeter}); err != nil {
		t.Fatal(err)
	}
	for _, e := range est {
		if !strings.Contains(buf.String(), ">"+e.Name+"<") {
			t.Errorf("%s missing from the wrapped facets", e.Name)
		}
	}
	if n := strings.Count(buf.String(), "each term on its own scale"); n != 1 {
		t.Errorf("the axis label appears %d times, want once", n)
	}
}

// TestWrapAtCommas: a label wider than its panel (half of a short- and
// long-run pair) breaks at commas into lines that fit.
func TestWrapAtCommas(t *testing.T) {
	th := DefaultTheme()
	ts := th.textStyle(th.LabelSize, false, draw.XCenter, draw.YBottom)
	s := StandardizedEffectLabel + ", each term on its own scale"
	if got := wrapAtCommas(ts, s, 1000); got != s {
		t.Errorf("a label that fits was wrapped: %q", got)
	}
	w := ts.Width(s) / 2
	got := wrapAtCommas(ts, s, w)
	lines := strings.Split(got, "\n")
	if len(lines) < 2 || strings.ReplaceAll(got, ",\n", ", ") != s {
		t.Fatalf("wrapped %q into %q", s, got)
	}
	for _, l := range lines {
		// A single part wider than the panel stays whole.
		if strings.Contains(l, ", ") && ts.Width(l) > w {
			t.Errorf("line %q is %v wide, more than %v", l, ts.Width(l), w)
		}
	}
}
