package plot

import (
	"bytes"
	"image/png"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/agglo/agglo/regress"
	"github.com/paulmach/orb"
	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/plot/vg"
)

// TestLISAMapPixels checks the conventional colours at the states'
// interior points, and the missing colour for states without a label.
func TestLISAMapPixels(t *testing.T) {
	regions := usStates(t)
	m := &LISAMap{Regions: regions,
		IDs:      []string{"TEXAS", "MONTANA", "IOWA", "GEORGIA", "OREGON"},
		Clusters: []string{HighHigh, LowLow, HighLow, LowHigh, NotSignificant}}
	const dpi = 100
	w, h := 16*vg.Centimeter, 10*vg.Centimeter
	var buf bytes.Buffer
	if err := Write(&buf, m, PNG, Options{Width: w, Height: h, DPI: dpi}); err != nil {
		t.Fatal(err)
	}
	img, _ := png.Decode(&buf)
	at, err := m.MapPoint(w, h)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"TEXAS": "#e41a1c", "MONTANA": "#2166ac", "IOWA": "#f4a6a6", "GEORGIA": "#9ecae1", "OREGON": "#eeeeee", "NEVADA": hexOf(DefaultTheme().MissingColor)}
	for _, r := range regions {
		c, ok := want[r.ID]
		if !ok {
			continue
		}
		p := InteriorPoint(r.Geom)
		pt := at(p[0], p[1])
		if got := hexOf(img.At(int(pt.X.Dots(dpi)), img.Bounds().Dy()-int(pt.Y.Dots(dpi)))); got != c {
			t.Errorf("%s is %s, want %s", r.ID, got, c)
		}
	}
	bad := &LISAMap{Regions: regions, IDs: []string{"TEXAS"}, Clusters: []string{"HH"}}
	if err := bad.Draw(newTestCanvas()); err == nil || !strings.Contains(err.Error(), `"HH"`) {
		t.Errorf("unknown label: %v", err)
	}
	sig := &SignificanceMap{Regions: regions, IDs: []string{"TEXAS"}, P: []float64{1.5}}
	if err := sig.Draw(newTestCanvas()); err == nil || !strings.Contains(err.Error(), "TEXAS") {
		t.Errorf("p outside [0,1]: %v", err)
	}
}

var svgLine = regexp.MustCompile(`<path d="M([-0-9.e]+),([-0-9.e]+)L([-0-9.e]+),([-0-9.e]+)" style="fill:none;stroke:(#[0-9A-F]{6});stroke-width:1.2"`)

// TestCoefPlotIntervals reads the interval segments of the SVG back: their
// lengths are proportional to the standard errors and their midpoints
// differ as the estimates do, on one scale.
func TestCoefPlotIntervals(t *testing.T) {
	est := []regress.Coefficient{
		{Name: "(Intercept)", Estimate: 3, StdError: 1},
		{Name: "a", Estimate: 0.5, StdError: 0.1},
		{Name: "b", Estimate: -0.3, StdError: 0.05},
		{Name: "c", Estimate: 1.2, StdError: 0.2},
	}
	p := &CoefPlot{Models: []Model{ModelFromResult("m", &regress.Result{Coefficients: est})}}
	var buf bytes.Buffer
	if err := Write(&buf, p, SVG, Options{}); err != nil {
		t.Fatal(err)
	}
	col := strings.ToUpper(hexOf(DefaultTheme().Colors[0]))
	type seg struct{ mid, half float64 }
	var segs []seg
	for _, m := range svgLine.FindAllStringSubmatch(buf.String(), -1) {
		if m[5] != col || m[2] != m[4] {
			continue
		}
		x1, _ := strconv.ParseFloat(m[1], 64)
		x2, _ := strconv.ParseFloat(m[3], 64)
		segs = append(segs, seg{(x1 + x2) / 2, math.Abs(x2-x1) / 2})
	}
	// Rows from the top: a, b, c (the intercept is left out); SVG has y
	// flipped but keeps drawing order.
	if len(segs) != 3 {
		t.Fatalf("%d interval segments, want 3 (intercept left out)", len(segs))
	}
	scale := segs[0].half / (Z95 * est[1].StdError)
	for i, s := range segs {
		e := est[i+1]
		if !scalar.EqualWithinAbsOrRel(s.half, scale*Z95*e.StdError, 0.02, 1e-3) {
			t.Errorf("%s: half-width %v pt, want %v", e.Name, s.half, scale*Z95*e.StdError)
		}
		if d := s.mid - segs[0].mid; !scalar.EqualWithinAbsOrRel(d, scale*(e.Estimate-est[1].Estimate), 0.02, 1e-3) {
			t.Errorf("%s: midpoint offset %v pt, want %v", e.Name, d, scale*(e.Estimate-est[1].Estimate))
		}
	}
	for _, term := range []string{">a<", ">b<", ">c<"} {
		if !strings.Contains(buf.String(), term) {
			t.Errorf("term label %s missing", term)
		}
	}
}

func TestEffectsPlot(t *testing.T) {
	imp := &regress.Impacts{
		Direct:   []regress.Effect{{Name: "x", Estimate: 1, StdError: 0.1}},
		Indirect: []regress.Effect{{Name: "x", Estimate: 0.5, StdError: 0.2}},
		Total:    []regress.Effect{{Name: "x", Estimate: 1.5, StdError: 0.25}},
	}
	var buf bytes.Buffer
	if err := Write(&buf, &EffectsPlot{Impacts: imp}, SVG, Options{}); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{">direct<", ">indirect<", ">total<", ">x<"} {
		if !strings.Contains(buf.String(), s) {
			t.Errorf("%s missing from the plot", s)
		}
	}
	if err := (&EffectsPlot{}).Draw(newTestCanvas()); err == nil {
		t.Error("empty effects accepted")
	}
}

func TestSeriesChartErrors(t *testing.T) {
	s := &SeriesChart{Categories: []string{"2013", "2014"}, Lines: []Series{{Name: "a", Values: []float64{1}}}}
	if err := s.Draw(newTestCanvas()); err == nil || !strings.Contains(err.Error(), `"a" has 1 values for 2`) {
		t.Errorf("short series: %v", err)
	}
	s = &SeriesChart{Categories: []string{"2013", "2014"}, Bars: []Series{{Name: "a", Values: []float64{1, math.NaN()}}},
		Share: &Series{Name: "s", Values: []float64{10, 20}}, RightLabel: "share (%)"}
	var buf bytes.Buffer
	if err := Write(&buf, s, SVG, Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), ">share (%)<") || !strings.Contains(buf.String(), "s (right axis)") {
		t.Error("right axis label or key missing")
	}
}

// TestTheme checks that a changed theme changes what is drawn: no region
// borders when BorderWidth is 0, another missing colour and label, and
// embedded fonts in SVG.
func TestTheme(t *testing.T) {
	regions := usStates(t)
	th := DefaultTheme()
	th.BorderWidth = 0
	th.MissingColor = hex("#FF00FF")
	th.MissingLabel = "not observed"
	m := &Choropleth{Regions: regions, IDs: []string{"OHIO", "TEXAS"}, Values: []float64{1, 2}, K: 2, Scheme: Equal, Theme: th}
	var buf bytes.Buffer
	if err := Write(&buf, m, SVG, Options{}); err != nil {
		t.Fatal(err)
	}
	svg := buf.String()
	if strings.Contains(svg, "stroke:#555555") {
		t.Error("borders drawn with BorderWidth 0")
	}
	if n := strings.Count(svg, "fill:#FF00FF"); n != 64+1 { // 49 regions, 66 parts, OHIO and TEXAS one part each
		t.Errorf("%d magenta paths, want 64 parts + 1 swatch", n)
	}
	if !strings.Contains(svg, ">not observed<") {
		t.Error("missing label not used")
	}
	if !strings.Contains(svg, "@font-face") {
		t.Error("SVG fonts not embedded")
	}
}

// TestSmallMultiplesSharedScale checks that the panels share one
// classification: that of all their values together.
func TestSmallMultiplesSharedScale(t *testing.T) {
	regions := usStates(t)
	var panels []Panel
	var all []float64
	for _, y := range []int{1970, 1986} {
		ids, v := produc(t, y, "unemp")
		panels = append(panels, Panel{Title: strconv.Itoa(y), IDs: ids, Values: v})
		all = append(all, v...)
	}
	sm := &SmallMultiples{Regions: regions, Panels: panels, Scheme: Quantile, K: 4}
	got, _, err := sm.Breaks()
	if err != nil {
		t.Fatal(err)
	}
	want, _ := Breaks(all, Quantile, 4, nil)
	if !equalFloats(got, want) {
		t.Errorf("shared breaks %v, want %v", got, want)
	}
	var buf bytes.Buffer
	if err := Write(&buf, sm, SVG, Options{}); err != nil {
		t.Fatal(err)
	}
	// One legend: each class label appears once.
	for _, l := range boundLabels(want) {
		if n := strings.Count(buf.String(), ">"+l+"<"); n != 1 {
			t.Errorf("legend label %q appears %d times", l, n)
		}
	}
	bad := &SmallMultiples{Regions: regions, Panels: []Panel{{Title: "1999", IDs: []string{"NARNIA"}, Values: []float64{1}}}}
	if err := bad.Draw(newTestCanvas()); err == nil || !strings.Contains(err.Error(), `panel "1999"`) || !strings.Contains(err.Error(), "NARNIA") {
		t.Errorf("orphan in a panel: %v", err)
	}
}

func TestCP1252(t *testing.T) {
	for in, want := range map[string]string{
		"plain":     "plain",
		"2.8 – 4.3": "2.8 \x96 4.3",
		"p ≤ 0.05":  "p <= 0.05",
		"γc":        "gammac",
		"Montréal":  "Montr\xe9al",
		"日本":        "??",
	} {
		if got := toCP1252(in); got != want {
			t.Errorf("toCP1252(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestHoles draws a square with a square hole, its rings given in the
// same (clockwise) orientation: the hole stays empty (background), the ring
// has the class colour, in PNG and in the reoriented paths.
func TestHoles(t *testing.T) {
	outer := ringList{{{0, 0}, {0, 10}, {10, 10}, {10, 0}, {0, 0}}} // clockwise
	hole := ringList{{{3, 3}, {3, 7}, {7, 7}, {7, 3}, {3, 3}}}      // clockwise too
	poly := append(outer, hole...).toPolygon()
	regions, err := RegionsFrom([]string{"donut"}, []orb.Geometry{poly})
	if err != nil {
		t.Fatal(err)
	}
	m := &Choropleth{Regions: regions, IDs: []string{"donut"}, Values: []float64{1}, MapDecorations: MapDecorations{Projection: Planar}}
	const dpi = 100
	w, h := 10*vg.Centimeter, 8*vg.Centimeter
	var buf bytes.Buffer
	if err := Write(&buf, m, PNG, Options{Width: w, Height: h, DPI: dpi}); err != nil {
		t.Fatal(err)
	}
	img, _ := png.Decode(&buf)
	at, _ := m.MapPoint(w, h)
	_, cols, _ := m.Classes()
	px := func(x, y float64) string {
		p := at(x, y)
		return hexOf(img.At(int(p.X.Dots(dpi)), img.Bounds().Dy()-int(p.Y.Dots(dpi))))
	}
	if got := px(5, 5); got != "#ffffff" {
		t.Errorf("hole centre is %s, want the white background", got)
	}
	if got, want := px(1.5, 5), hexOf(cols[0]); got != want {
		t.Errorf("ring is %s, want %s", got, want)
	}
}

// TestStandardizedPlots: a standardized effects plot draws the effects
// scaled by SD(x)/SD(y) (the figure equals that of the effects scaled by
// hand) and its x axis states the formula.
func TestStandardizedPlots(t *testing.T) {
	r := &regress.Result{
		Coefficients: []regress.Coefficient{{Name: "x", Estimate: 2, StdError: 0.5}, {Name: "rho", Estimate: 0.3, StdError: 0.1}},
		Impacts: &regress.Impacts{
			Direct:   []regress.Effect{{Name: "x", Estimate: 1, StdError: 0.1}},
			Indirect: []regress.Effect{{Name: "x", Estimate: 0.5, StdError: 0.2}},
			Total:    []regress.Effect{{Name: "x", Estimate: 1.5, StdError: 0.25}},
		},
		ResponseSD: 4, TermSD: map[string]float64{"x": 2},
	}
	s, err := r.Standardized()
	if err != nil {
		t.Fatal(err)
	}
	svg := func(f Figure) string {
		var buf bytes.Buffer
		if err := Write(&buf, f, SVG, Options{}); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	// By hand: × 2/4.
	hand := &regress.Impacts{
		Direct:   []regress.Effect{{Name: "x", Estimate: 0.5, StdError: 0.05}},
		Indirect: []regress.Effect{{Name: "x", Estimate: 0.25, StdError: 0.1}},
		Total:    []regress.Effect{{Name: "x", Estimate: 0.75, StdError: 0.125}},
	}
	got := svg(&EffectsPlot{Impacts: s.Impacts, Standardized: true})
	if want := svg(&EffectsPlot{Impacts: hand, Standardized: true}); got != want {
		t.Error("the standardized effects plot differs from the plot of the effects scaled by hand")
	}
	if got == svg(&EffectsPlot{Impacts: r.Impacts, Standardized: true}) {
		t.Error("standardizing did not change the effects plot")
	}
	if !strings.Contains(got, "effect × SD(x) / SD(y)") {
		t.Error("the effects plot's axis does not state the standardization")
	}
	coef := svg(&CoefPlot{Models: []Model{ModelFromResult("m", s)}, Standardized: true})
	if !strings.Contains(coef, "estimate × SD(x) / SD(y)") || strings.Contains(coef, "ρ") {
		t.Error("standardized coefficient plot: the axis does not state the scaling, or ρ (no SD) is drawn")
	}
}
