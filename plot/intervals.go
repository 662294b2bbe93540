package plot

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"github.com/agglo/agglo/regress"
	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Z95 is the standard normal quantile of the 95% intervals drawn by the
// coefficient and effects plots: estimate ± 1.959964 × standard error.
const Z95 = 1.959963984540054

// The default x labels of standardized coefficient and effects plots
// (see the package documentation, "Coefficients and effects").
const (
	StandardizedCoefLabel   = "standardized: estimate × SD(x) / SD(y), 95% CI"
	StandardizedEffectLabel = "standardized: effect × SD(x) / SD(y), 95% CI"
)

// Estimate is one named estimate with its standard error (a coefficient,
// an effect).
type Estimate struct {
	Name     string
	Estimate float64
	StdError float64
}

// Model is one column of a coefficient plot: a model's name and estimates.
type Model struct {
	Name      string
	Estimates []Estimate
}

// ModelFromResult takes the coefficients of a fitted model.
func ModelFromResult(name string, r *regress.Result) Model {
	m := Model{Name: name}
	for _, c := range r.Coefficients {
		m.Estimates = append(m.Estimates, Estimate{Name: c.Name, Estimate: c.Estimate, StdError: c.StdError})
	}
	return m
}

// CoefPlot draws the estimates of several models side by side, one row per
// term, with their 95% intervals (estimate ± Z95 × standard error) and a
// line at zero.
type CoefPlot struct {
	Models []Model
	// Terms lists the terms to show, in order; nil shows every term of
	// the models in order of first appearance, except "(Intercept)".
	Terms  []string
	Title  string
	XLabel string // "estimate (95% CI)" by default
	// Standardized says that the estimates are standardized
	// (ModelFromResult of regress.Result.Standardized): the default x
	// label then states the scaling, estimate × SD(x) / SD(y).
	Standardized bool
	// Facets says when each term gets a panel with its own x scale
	// (FacetAuto by default: when the terms' ranges differ more than
	// tenfold, so that a coefficient of 1e-3 beside one of 1 is not a dot).
	Facets Facets
	// Labels maps raw term names to the labels printed.
	Labels map[string]string
	Theme  *Theme
}

// Facets says whether an interval plot draws each term in its own panel
// with its own x scale.
type Facets int

const (
	// FacetAuto facets when the widest term's range (its intervals and
	// zero) is more than ten times the narrowest's.
	FacetAuto Facets = iota
	// FacetAlways gives every term its panel.
	FacetAlways
	// FacetNever draws every term on one x scale.
	FacetNever
)

// ParseFacets reads "auto", "always" (or "free") and "never" (or "shared").
func ParseFacets(s string) (Facets, error) {
	switch s {
	case "", "auto":
		return FacetAuto, nil
	case "always", "free":
		return FacetAlways, nil
	case "never", "shared":
		return FacetNever, nil
	}
	return FacetAuto, fmt.Errorf("plot: facets %q: want auto, always or never", s)
}

// Draw draws the plot.
func (p *CoefPlot) Draw(c draw.Canvas) error {
	if len(p.Models) == 0 {
		return fmt.Errorf("plot: coefficient plot without models")
	}
	terms := p.Terms
	if terms == nil {
		seen := map[string]bool{"(Intercept)": true}
		for _, m := range p.Models {
			for _, e := range m.Estimates {
				if !seen[e.Name] {
					seen[e.Name] = true
					terms = append(terms, e.Name)
				}
			}
		}
	}
	groups := make([]intervalGroup, len(p.Models))
	for j, m := range p.Models {
		groups[j].name = m.Name
		groups[j].values = make([]*Estimate, len(terms))
		for i, t := range terms {
			for k := range m.Estimates {
				if m.Estimates[k].Name == t {
					groups[j].values[i] = &m.Estimates[k]
				}
			}
		}
	}
	xl := "estimate (95% CI)"
	if p.Standardized {
		xl = StandardizedCoefLabel
	}
	return drawIntervals(c, themeOrDefault(p.Theme), p.Title, orDefault(p.XLabel, xl), terms, groups, p.Facets, p.Labels)
}

// EffectsPlot draws the direct, indirect and total effects of each
// regressor of a spatial lag model (LeSage and Pace 2009) with 95%
// intervals (estimate ± Z95 × simulated standard error). With LongRun set
// (a dynamic model, Elhorst 2014 §4.3) it draws the short-run effects
// (Impacts) and the long-run ones side by side, each on its own axis.
type EffectsPlot struct {
	Impacts *regress.Impacts
	// LongRun holds the long-run effects of a dynamic model (nil: none).
	LongRun *regress.Impacts
	Title   string
	XLabel  string // "effect (95% CI)" by default
	// Standardized says that the effects are standardized
	// (regress.Result.Standardized): the default x label then states the
	// scaling, effect × SD(x) / SD(y).
	Standardized bool
	// Facets and Labels as in CoefPlot.
	Facets Facets
	Labels map[string]string
	Theme  *Theme
}

// Draw draws the plot.
func (p *EffectsPlot) Draw(c draw.Canvas) error {
	if p.Impacts == nil || len(p.Impacts.Total) == 0 {
		return fmt.Errorf("plot: effects plot without effects")
	}
	th := themeOrDefault(p.Theme)
	xl := "effect (95% CI)"
	if p.Standardized {
		xl = StandardizedEffectLabel
	}
	xl = orDefault(p.XLabel, xl)
	if p.LongRun == nil {
		return drawIntervals(c, th, p.Title, xl, effectTerms(p.Impacts), effectGroups(p.Impacts), p.Facets, p.Labels)
	}
	fillBackground(c, th)
	if p.Title != "" {
		drawTitle(c, th, p.Title, th.TitleSize)
		c = titleCrop(c, th, p.Title, th.TitleSize)
	}
	mid := (c.Min.X + c.Max.X) / 2
	left := draw.Crop(c, 0, mid-c.Max.X, 0, 0)
	right := draw.Crop(c, mid-c.Min.X, 0, 0, 0)
	if err := drawIntervals(left, th, "short run", xl, effectTerms(p.Impacts), effectGroups(p.Impacts), p.Facets, p.Labels); err != nil {
		return err
	}
	return drawIntervals(right, th, "long run", xl, effectTerms(p.LongRun), effectGroups(p.LongRun), p.Facets, p.Labels)
}

// effectTerms lists the regressors of imp.
func effectTerms(imp *regress.Impacts) []string {
	var terms []string
	for _, e := range imp.Total {
		terms = append(terms, e.Name)
	}
	return terms
}

// effectGroups arranges the direct, indirect and total effects of imp by
// regressor.
func effectGroups(imp *regress.Impacts) []intervalGroup {
	terms := effectTerms(imp)
	kinds := []struct {
		name string
		eff  []regress.Effect
	}{{"direct", imp.Direct}, {"indirect", imp.Indirect}, {"total", imp.Total}}
	groups := make([]intervalGroup, len(kinds))
	for j, k := range kinds {
		groups[j].name = k.name
		groups[j].values = make([]*Estimate, len(terms))
		for i, t := range terms {
			for _, e := range k.eff {
				if e.Name == t {
					groups[j].values[i] = &Estimate{Name: e.Name, Estimate: e.Estimate, StdError: e.StdError}
				}
			}
		}
	}
	return groups
}

type intervalGroup struct {
	name   string
	values []*Estimate // by term; nil when the group lacks the term
}

var groupGlyphs = []draw.GlyphDrawer{draw.CircleGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, diamondFilled{}}

// drawIntervals draws one row per term, the groups dodged within the row:
// on one x scale, or (facets) each term in its own panel with its own
// scale, the panels' axes aligned. Every scale includes zero, drawn as a
// dashed line labelled "0", with ticks at round numbers.
func drawIntervals(c draw.Canvas, th *Theme, title, xlabel string, terms []string, groups []intervalGroup, facets Facets, labels map[string]string) error {
	if len(terms) == 0 {
		return fmt.Errorf("plot: nothing to plot")
	}
	nt := len(terms)
	lo := make([]float64, nt) // per term, zero included
	hi := make([]float64, nt)
	for _, g := range groups {
		for i, e := range g.values {
			if e == nil {
				continue
			}
			if math.IsNaN(e.Estimate) || math.IsInf(e.Estimate, 0) || e.StdError < 0 || math.IsNaN(e.StdError) {
				return fmt.Errorf("plot: %s of %s: estimate %v with standard error %v", terms[i], g.name, e.Estimate, e.StdError)
			}
			lo[i] = math.Min(lo[i], e.Estimate-Z95*e.StdError)
			hi[i] = math.Max(hi[i], e.Estimate+Z95*e.StdError)
		}
	}
	facet := facets == FacetAlways || (facets == FacetAuto && scalesDiffer(lo, hi))
	if facet {
		xlabel += ", each term on its own scale"
	}
	// A label wider than the figure (a half of a short- and long-run
	// pair, a standardized label) breaks into lines at its commas.
	xlabel = wrapAtCommas(th.textStyle(th.LabelSize, false, draw.XCenter, draw.YBottom), xlabel, c.Max.X-c.Min.X-2*th.Margin)
	shown := make([]string, nt)
	for i, t := range terms {
		shown[i] = termLabel(t, labels)
	}
	fillBackground(c, th)
	inner := draw.Crop(c, th.Margin, -th.Margin, th.Margin, -th.Margin)
	if title != "" {
		inner = drawTitle(inner, th, title, th.TitleSize)
	}
	ng := len(groups)
	if ng > 1 {
		var keys []keyEntry
		for j, g := range groups {
			keys = append(keys, keyEntry{label: g.name, color: th.color(j), glyph: groupGlyphs[j%len(groupGlyphs)], line: true})
		}
		inner = drawKey(inner, th, keys)
	}
	if !facet {
		all := make([]int, nt)
		for i := range all {
			all[i] = i
		}
		gl, gh := 0.0, 0.0
		for i := range terms {
			gl, gh = math.Min(gl, lo[i]), math.Max(gh, hi[i])
		}
		pl := intervalPlot(th, xlabel, shown, groups, all, gl, gh)
		pl.Draw(inner)
		return nil
	}
	rows, cols := facetGrid(th, nt, ng, inner.Max.Y-inner.Min.Y)
	if cols == 1 {
		plots := make([][]*gplot.Plot, nt)
		for i := range terms {
			xl := ""
			if i == nt-1 {
				xl = xlabel
			}
			plots[i] = []*gplot.Plot{intervalPlot(th, xl, shown, groups, []int{i}, lo[i], hi[i])}
		}
		cells := gplot.Align(plots, draw.Tiles{Rows: nt, Cols: 1, PadY: 2}, inner)
		for i := range plots {
			plots[i][0].Draw(cells[i][0])
		}
		return nil
	}
	// Too many terms for one column of readable panels: wrap them into
	// columns, filled top to bottom, with the axis label once beneath.
	ls := th.textStyle(th.LabelSize, false, draw.XCenter, draw.YBottom)
	inner.FillText(ls, vg.Point{X: (inner.Min.X + inner.Max.X) / 2, Y: inner.Min.Y}, xlabel)
	inner.Min.Y += ls.Height(xlabel) + 2
	plots := make([][]*gplot.Plot, rows)
	for r := range plots {
		plots[r] = make([]*gplot.Plot, cols)
	}
	for i := range terms {
		plots[i%rows][i/rows] = intervalPlot(th, "", shown, groups, []int{i}, lo[i], hi[i])
	}
	cells := gplot.Align(plots, draw.Tiles{Rows: rows, Cols: cols, PadY: 2, PadX: 8}, inner)
	for r := range plots {
		for c, pl := range plots[r] {
			if pl != nil {
				pl.Draw(cells[r][c])
			}
		}
	}
	return nil
}

// facetGrid returns the rows and columns of the panels of nt terms with
// ng groups each on a canvas of height h: one column while every panel
// gets the height its intervals and x axis need, otherwise as many
// columns as it takes, the panels balanced across them.
func facetGrid(th *Theme, nt, ng int, h vg.Length) (rows, cols int) {
	need := vg.Length(max(ng, 1))*7 + 1.8*th.TickSize + 6 // 7 pt per interval, tick marks and labels, padding
	fit := max(int(h/need), 1)
	if nt <= fit {
		return nt, 1
	}
	cols = (nt + fit - 1) / fit
	rows = (nt + cols - 1) / cols
	return rows, cols
}

// scalesDiffer reports whether the widest of the ranges [lo_i, hi_i] is
// more than ten times the narrowest (of those not empty).
func scalesDiffer(lo, hi []float64) bool {
	small, large := math.Inf(1), 0.0
	for i := range lo {
		if w := hi[i] - lo[i]; w > 0 {
			small, large = math.Min(small, w), math.Max(large, w)
		}
	}
	return large > 10*small
}

// termLabel returns the printed name of a term: its label, "W·label" for
// a spatial lag W*x, the Greek letter of rho and lambda.
func termLabel(t string, labels map[string]string) string {
	if l, ok := labels[t]; ok {
		return l
	}
	if x, ok := strings.CutPrefix(t, "W*"); ok {
		return "W·" + termLabel(x, labels)
	}
	switch t {
	case "rho":
		return "ρ"
	case "lambda":
		return "λ"
	}
	return t
}

// intervalPlot is the plot of the terms idx (rows from the top) on the x
// range [lo, hi] widened by 5%.
func intervalPlot(th *Theme, xlabel string, terms []string, groups []intervalGroup, idx []int, lo, hi float64) *gplot.Plot {
	pad := (hi - lo) * 0.05
	if pad == 0 {
		pad = 1
	}
	pl := th.newPlot()
	pl.X.Label.Text = xlabel
	pl.X.Min, pl.X.Max = lo-pad, hi+pad
	pl.X.Tick.Marker = zeroTicks{}
	nt := len(idx)
	labels := make([]string, nt)
	for r, i := range idx {
		labels[nt-1-r] = terms[i]
	}
	pl.NominalY(labels...)
	pl.Y.Min, pl.Y.Max = -0.6, float64(nt)-0.4
	pl.Y.Tick.Label.Font.Size = th.LabelSize
	ng := len(groups)
	step := 0.7 / float64(max(ng, 1))
	pl.Add(plotterFunc(func(dc draw.Canvas, p *gplot.Plot) {
		tx, ty := p.Transforms(&dc)
		zero := draw.LineStyle{Color: th.AxisColor, Width: 0.6, Dashes: []vg.Length{3, 2}}
		dc.StrokeLine2(zero, tx(0), dc.Min.Y, tx(0), dc.Max.Y)
		ts := th.textStyle(th.TickSize, false, draw.XLeft, draw.YTop)
		dc.FillText(ts, vg.Point{X: tx(0) + 2, Y: dc.Max.Y - 1}, "0")
		for r := 1; r < nt; r++ {
			y := ty(float64(r) - 0.5)
			dc.StrokeLine2(draw.LineStyle{Color: th.GridColor, Width: 0.5}, dc.Min.X, y, dc.Max.X, y)
		}
		for j, g := range groups {
			col := th.color(j)
			off := (float64(ng-1)/2 - float64(j)) * step
			for r, i := range idx {
				e := g.values[i]
				if e == nil {
					continue
				}
				y := ty(float64(nt-1-r) + off)
				a, b := e.Estimate-Z95*e.StdError, e.Estimate+Z95*e.StdError
				dc.StrokeLine2(draw.LineStyle{Color: col, Width: th.LineWidth * 1.2}, tx(a), y, tx(b), y)
				dc.DrawGlyph(draw.GlyphStyle{Color: col, Radius: 2.6, Shape: groupGlyphs[j%len(groupGlyphs)]}, vg.Point{X: tx(e.Estimate), Y: y})
			}
		}
	}))
	return pl
}

// zeroTicks are gonum's default ticks (round numbers) with labels in one
// plain format (as many decimals as the ticks need, the same for all),
// zero written "0". When [lo, hi] contains zero and gonum's major ticks
// miss it (its ticks need not be multiples of their step: −0.007,
// −0.003, 0.001), the ticks are the multiples of a round step instead
// (roundTicks), so that zero is one of them.
type zeroTicks struct{}

// Ticks returns the ticks of [lo, hi].
func (zeroTicks) Ticks(lo, hi float64) []gplot.Tick {
	ticks := gplot.DefaultTicks{}.Ticks(lo, hi)
	var major []float64
	hasZero := false
	for _, t := range ticks {
		if t.Label != "" {
			major = append(major, t.Value)
			hasZero = hasZero || math.Abs(t.Value) < 1e-12*math.Max(math.Abs(hi), math.Abs(lo))
		}
	}
	if lo < 0 && hi > 0 && !hasZero {
		ticks, major = roundTicks(lo, hi)
	}
	// The fewest decimals that write every major tick exactly (2.5 needs
	// one, 0.25 two), the same for all of them.
	dec := 0
	for ; dec < 10; dec++ {
		exact := true
		for _, v := range major {
			sc := v * math.Pow(10, float64(dec))
			if math.Abs(sc-math.Round(sc)) > 1e-6*math.Max(1, math.Abs(sc)) {
				exact = false
			}
		}
		if exact {
			break
		}
	}
	for i, t := range ticks {
		if t.Label == "" {
			continue
		}
		if math.Abs(t.Value) < 1e-12*math.Max(math.Abs(hi), math.Abs(lo)) {
			ticks[i].Label = "0"
			continue
		}
		ticks[i].Label = strconv.FormatFloat(t.Value, 'f', dec, 64)
	}
	return ticks
}

// keyEntry is one item of a key drawn above a chart.
type keyEntry struct {
	label string
	color color.Color
	glyph draw.GlyphDrawer // nil for none
	line  bool             // a short line through the glyph
	box   bool             // a filled box (bars)
}

// drawKey draws the key centred in rows at the top of c and returns the
// canvas below it.
func drawKey(c draw.Canvas, th *Theme, keys []keyEntry) draw.Canvas {
	ts := th.textStyle(th.TickSize+0.5, false, draw.XLeft, draw.YCenter)
	sym := th.TickSize * 2
	widths := make([]vg.Length, len(keys))
	for i, k := range keys {
		widths[i] = sym + 4 + ts.Width(k.label)*1.05 + 12
	}
	avail := c.Max.X - c.Min.X
	rowH := ts.Height("Xg") + 4
	y := c.Max.Y - rowH/2
	for i := 0; i < len(keys); {
		var w vg.Length
		j := i
		for j < len(keys) && (j == i || w+widths[j] <= avail) {
			w += widths[j]
			j++
		}
		x := c.Min.X + (avail-w)/2
		for k := i; k < j; k++ {
			e := keys[k]
			mid := vg.Point{X: x + sym/2, Y: y}
			if e.box {
				h := th.TickSize * 0.9
				c.FillPolygon(e.color, []vg.Point{{X: x, Y: y - h/2}, {X: x + sym, Y: y - h/2}, {X: x + sym, Y: y + h/2}, {X: x, Y: y + h/2}})
			}
			if e.line {
				c.StrokeLine2(draw.LineStyle{Color: e.color, Width: th.LineWidth * 1.2}, x, y, x+sym, y)
			}
			if e.glyph != nil {
				c.DrawGlyph(draw.GlyphStyle{Color: e.color, Radius: 2.6, Shape: e.glyph}, mid)
			}
			c.FillText(ts, vg.Point{X: x + sym + 4, Y: y}, e.label)
			x += widths[k]
		}
		i = j
		y -= rowH
	}
	c.Max.Y = y + rowH/2 - 2
	return c
}

// diamondFilled is a filled diamond glyph.
type diamondFilled struct{}

func (diamondFilled) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius * 1.2
	c.FillPolygon(sty.Color, []vg.Point{{X: pt.X, Y: pt.Y + r}, {X: pt.X + r, Y: pt.Y}, {X: pt.X, Y: pt.Y - r}, {X: pt.X - r, Y: pt.Y}})
}

// roundTicks returns ticks of [lo, hi] at the multiples of a round step
// (1, 2, 2.5 or 5 × 10^k, the smallest at least a quarter of the range),
// labelled "x" for now (zeroTicks formats them), with unlabelled minor
// ticks between them, and the majors' values.
func roundTicks(lo, hi float64) ([]gplot.Tick, []float64) {
	raw := (hi - lo) / 4
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step, minor := 10*mag, 2*mag
	for _, m := range []struct{ major, minor float64 }{{1, 0.2}, {2, 0.5}, {2.5, 0.5}, {5, 1}} {
		if m.major*mag >= raw*(1-1e-9) {
			step, minor = m.major*mag, m.minor*mag
			break
		}
	}
	var ticks []gplot.Tick
	var major []float64
	for k := math.Ceil(lo / minor); k*minor <= hi; k++ {
		v := k * minor
		if r := v / step; math.Abs(r-math.Round(r)) < 1e-9 {
			v = math.Round(r) * step
			ticks = append(ticks, gplot.Tick{Value: v, Label: "x"})
			major = append(major, v)
			continue
		}
		ticks = append(ticks, gplot.Tick{Value: v})
	}
	return ticks, major
}

// wrapAtCommas breaks s into lines at ", " so that each line is at most
// width wide in the style ts (a part wider than width stays whole).
func wrapAtCommas(ts draw.TextStyle, s string, width vg.Length) string {
	if ts.Width(s) <= width {
		return s
	}
	parts := strings.Split(s, ", ")
	var lines []string
	line := parts[0]
	for i, p := range parts[1:] {
		next := line + ", " + p
		if i < len(parts)-2 {
			next += "," // a line that breaks later ends in a comma
		}
		if ts.Width(next) <= width {
			line += ", " + p
			continue
		}
		lines = append(lines, line+",")
		line = p
	}
	return strings.Join(append(lines, line), "\n")
}
