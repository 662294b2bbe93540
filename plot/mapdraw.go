package plot

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// MapDecorations are the optional parts of every map.
type MapDecorations struct {
	// NorthArrow draws an arrow pointing north in the top-right corner.
	NorthArrow bool
	// ScaleBar draws a bar of a round length in the bottom-left corner: in
	// km for longitude/latitude data, in Units otherwise.
	ScaleBar bool
	// Units names the unit of planar coordinates for the scale bar ("m"
	// is shown in km when long enough); "" means "units".
	Units string
	// Projection of the coordinates (AutoProjection by default).
	Projection Projection
}

// legendEntry is one row of a map legend.
type legendEntry struct {
	color color.Color
	label string
	gap   bool // leave a gap before this entry (the missing entry)
}

// legendBox measures a legend.
func legendBox(th *Theme, title string, entries []legendEntry) (w, h vg.Length) {
	sw := swatchSize(th)
	ts := th.textStyle(th.TickSize, false, draw.XLeft, draw.YCenter)
	for _, e := range entries {
		if lw := sw*1.6 + ts.Width(e.label); lw > w {
			w = lw
		}
		h += sw * 1.25
		if e.gap {
			h += sw * 0.5
		}
	}
	if title != "" {
		tt := th.textStyle(th.LabelSize, true, draw.XLeft, draw.YTop)
		if tw := tt.Width(title); tw > w {
			w = tw
		}
		h += tt.Height(title) + sw*0.5
	}
	return w, h
}

func swatchSize(th *Theme) vg.Length { return th.TickSize * 1.25 }

// drawLegend draws a legend with its top-left corner at (x, y).
func drawLegend(c draw.Canvas, th *Theme, x, y vg.Length, title string, entries []legendEntry) {
	sw := swatchSize(th)
	if title != "" {
		tt := th.textStyle(th.LabelSize, true, draw.XLeft, draw.YTop)
		c.FillText(tt, vg.Point{X: x, Y: y}, title)
		y -= tt.Height(title) + sw*0.5
	}
	ts := th.textStyle(th.TickSize, false, draw.XLeft, draw.YCenter)
	border := draw.LineStyle{Color: th.BorderColor, Width: th.BorderWidth}
	for _, e := range entries {
		if e.gap {
			y -= sw * 0.5
		}
		box := []vg.Point{{X: x, Y: y - sw}, {X: x + sw*1.2, Y: y - sw}, {X: x + sw*1.2, Y: y}, {X: x, Y: y}}
		c.FillPolygon(e.color, box)
		c.StrokeLines(border, append(box, box[0]))
		c.FillText(ts, vg.Point{X: x + sw*1.6, Y: y - sw/2}, e.label)
		y -= sw * 1.25
	}
}

// drawTitle draws a centred title at the top of c and returns the canvas
// below it.
func drawTitle(c draw.Canvas, th *Theme, title string, size vg.Length) draw.Canvas {
	if title == "" {
		return c
	}
	ts := th.textStyle(size, true, draw.XCenter, draw.YTop)
	c.FillText(ts, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: c.Max.Y}, title)
	c.Max.Y -= ts.Height(title) + th.Margin
	return c
}

// fillBackground paints the whole canvas with the theme's background.
func fillBackground(c draw.Canvas, th *Theme) {
	if th.Background == nil {
		return
	}
	r := c.Rectangle
	c.FillPolygon(th.Background, []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}})
}

// drawRegions fills and outlines every region inside the rectangle of c,
// region i with fills[i], and returns the frame used.
func drawRegions(c draw.Canvas, th *Theme, regions []Region, fills []color.Color, dec MapDecorations) frame {
	f := newFrame(boundOf(regions), dec.Projection, c.Min.X, c.Min.Y, c.Max.X, c.Max.Y)
	// Points closer than a tenth of a point are merged: invisible at any
	// resolution up to 720 DPI, and much faster for detailed boundaries.
	tol := vg.Length(0.1)
	paths := make([]vg.Path, 0, len(regions))
	for i, r := range regions {
		c.SetColor(fills[i])
		for _, p := range r.Geom {
			path := f.polygonPath(p, tol)
			if len(path) == 0 {
				continue
			}
			c.Fill(path)
			paths = append(paths, path)
		}
	}
	if th.BorderWidth > 0 && th.BorderColor != nil {
		c.SetLineStyle(draw.LineStyle{Color: th.BorderColor, Width: th.BorderWidth})
		for _, p := range paths {
			c.Stroke(p)
		}
	}
	if dec.NorthArrow {
		// Inside the map's top-right corner (figures with a legend
		// column put it there instead).
		e := f.extent()
		drawNorthArrow(c, th, e.Max.X-th.TickSize*1.3, e.Max.Y)
	}
	if dec.ScaleBar {
		drawScaleBar(c, th, f, dec.Units)
	}
	return f
}

// northArrowHeight is the height of the north arrow with its "N".
func northArrowHeight(th *Theme) vg.Length { return th.TickSize * 3.8 }

// drawNorthArrow draws the north arrow with its "N" at the top and its
// left edge at x, below y.
func drawNorthArrow(c draw.Canvas, th *Theme, x0, ytop vg.Length) {
	h := th.TickSize * 2.2
	w := h * 0.55
	x := x0 + w/2
	y := ytop - th.TickSize*1.4
	tip := vg.Point{X: x, Y: y}
	base := y - h
	left := []vg.Point{tip, {X: x - w/2, Y: base}, {X: x, Y: base + h*0.3}}
	right := []vg.Point{tip, {X: x + w/2, Y: base}, {X: x, Y: base + h*0.3}}
	c.FillPolygon(th.TextColor, left)
	c.FillPolygon(th.Background, right)
	c.StrokeLines(draw.LineStyle{Color: th.TextColor, Width: 0.5}, append(left, right[1], tip))
	ts := th.textStyle(th.TickSize, true, draw.XCenter, draw.YBottom)
	c.FillText(ts, vg.Point{X: x, Y: y + th.TickSize*0.1}, "N")
}

// niceLength returns the largest 1, 2 or 5 × 10^n not above x.
func niceLength(x float64) float64 {
	if x <= 0 {
		return 0
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{5, 2, 1} {
		if m*p <= x {
			return m * p
		}
	}
	return p
}

func drawScaleBar(c draw.Canvas, th *Theme, f frame, units string) {
	r := f.extent()
	// Length of one projected unit on the ground.
	perUnit, unit := 1.0, units
	if f.lonlat {
		perUnit, unit = 111.32, "km" // km per degree of latitude (WGS84 mean)
	} else if units == "m" {
		perUnit, unit = 1e-3, "km"
	} else if units == "" {
		unit = "units"
	}
	target := float64(r.Max.X-r.Min.X) / 5 / f.scale * perUnit
	length := niceLength(target)
	if length == 0 {
		return
	}
	w := vg.Length(length / perUnit * f.scale)
	x0 := r.Min.X + th.Margin
	y0 := r.Min.Y + th.Margin
	ls := draw.LineStyle{Color: th.TextColor, Width: 0.8}
	tk := th.TickSize * 0.4
	c.StrokeLines(ls, []vg.Point{{X: x0, Y: y0 + tk}, {X: x0, Y: y0}, {X: x0 + w, Y: y0}, {X: x0 + w, Y: y0 + tk}})
	ts := th.textStyle(th.TickSize, false, draw.XCenter, draw.YBottom)
	c.FillText(ts, vg.Point{X: x0 + w/2, Y: y0 + tk/2}, formatNumber(length)+" "+unit)
}

// formatNumber prints a round number without trailing zeros.
func formatNumber(v float64) string {
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// boundLabels formats class bounds as legend labels "a – b", with a common
// number of decimals large enough to tell the closest bounds apart; bounds
// of 1e9 or more (or all below 1e-4) are written in scientific notation
// with the significant digits that tell them apart ("1.25e+300"), not as
// hundreds of digits.
func boundLabels(b []float64) []string {
	var mx float64
	for _, v := range b {
		mx = math.Max(mx, math.Abs(v))
	}
	format := func(v float64) string { return fmtFixed(v, boundDecimals(b)) }
	if mx >= 1e9 || mx > 0 && mx < 1e-4 {
		digits := boundDigits(b, mx)
		format = func(v float64) string { return strconv.FormatFloat(v, 'e', digits, 64) }
	}
	labels := make([]string, len(b)-1)
	for i := range labels {
		labels[i] = format(b[i]) + " – " + format(b[i+1])
	}
	return labels
}

// boundDigits returns the digits after the point, in scientific notation,
// that tell the closest of the bounds b apart (largest magnitude mx),
// between 1 and 8.
func boundDigits(b []float64, mx float64) int {
	gap := math.Inf(1)
	for i := 1; i < len(b); i++ {
		// b[i]/2 − b[i−1]/2: the gap without overflow at ±1e308.
		if d := b[i]/2 - b[i-1]/2; d > 0 && d < gap {
			gap = 2 * d
		}
	}
	if math.IsInf(gap, 1) || gap == 0 {
		return 2
	}
	d := int(math.Floor(math.Log10(mx))) - int(math.Floor(math.Log10(gap))) + 1
	return max(1, min(d, 8))
}

func boundDecimals(b []float64) int {
	gap := math.Inf(1)
	for i := 1; i < len(b); i++ {
		if d := b[i] - b[i-1]; d > 0 && d < gap {
			gap = d
		}
	}
	if math.IsInf(gap, 1) {
		gap = math.Max(math.Abs(b[0]), 1)
	}
	dec := 1 - int(math.Floor(math.Log10(gap)))
	return max(0, min(dec, 8))
}

func fmtFixed(v float64, dec int) string {
	s := strconv.FormatFloat(v, 'f', dec, 64)
	if strings.HasPrefix(s, "-") && strings.Trim(s, "-0.") == "" {
		s = s[1:] // no "-0.0"
	}
	return s
}

// checkData checks the data IDs of a map against its regions: duplicated
// IDs and data rows without a polygon are errors that name them. It
// returns the index of each region's datum (-1 when absent).
func checkData(regions []Region, ids []string, n int) ([]int, error) {
	if len(regions) == 0 {
		return nil, fmt.Errorf("plot: map has no regions")
	}
	if len(ids) != n {
		panic(fmt.Sprintf("plot: %d IDs for %d values", len(ids), n))
	}
	pos := make(map[string]int, len(regions))
	for i, r := range regions {
		pos[r.ID] = i
	}
	idx := make([]int, len(regions))
	for i := range idx {
		idx[i] = -1
	}
	var orphans []string
	for j, id := range ids {
		i, ok := pos[id]
		if !ok {
			orphans = append(orphans, strconv.Quote(id))
			continue
		}
		if idx[i] >= 0 {
			return nil, fmt.Errorf("plot: region %q has two data rows (%d and %d)", id, idx[i]+1, j+1)
		}
		idx[i] = j
	}
	if len(orphans) > 0 {
		const show = 10
		more, count := "", len(orphans)
		if count > show {
			more = fmt.Sprintf(" and %d more", count-show)
			orphans = orphans[:show]
		}
		return nil, fmt.Errorf("plot: %d data rows have no polygon: %s%s", count, strings.Join(orphans, ", "), more)
	}
	return idx, nil
}

// regionPoint returns where region i's interior point is drawn by a frame.
func (f frame) regionPoint(g orb.MultiPolygon) vg.Point { return f.pt(InteriorPoint(g)) }
