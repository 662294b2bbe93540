package plot

import (
	"fmt"
	"image/color"
	"math"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Heatmap draws a square matrix of pairwise values between sectors (a
// coagglomeration matrix such as Ellison, Glaeser and Kerr's γ^c) as
// coloured cells, with the sectors ordered by average-linkage hierarchical
// clustering so that sectors that co-locate sit together. Colours come from
// a diverging palette centred on zero; NaN cells take the missing colour.
type Heatmap struct {
	Labels []string
	// Values[i][j] is the value of the pair (Labels[i], Labels[j]).
	Values [][]float64
	// KeepOrder draws the rows in the given order instead of the
	// clustering order.
	KeepOrder bool
	// Palette is a diverging palette, "RdBu-r" (blue negative, red
	// positive) by default.
	Palette string
	// Annotate prints each cell's value; by default only when the matrix
	// has at most 12 rows.
	Annotate    *bool
	Title       string
	LegendTitle string
	Theme       *Theme
}

// Order returns the order of the rows: the leaves of the average-linkage
// dendrogram of the distances d_ij = max_{k≠l} s_kl − s_ij (d_ii = 0), where
// s = (V + V')/2, so that the most similar pairs are the closest.
func (h *Heatmap) Order() ([]int, error) {
	n := len(h.Labels)
	if n == 0 {
		return nil, fmt.Errorf("plot: heatmap without rows")
	}
	if len(h.Values) != n {
		return nil, fmt.Errorf("plot: heatmap has %d labels and %d rows", n, len(h.Values))
	}
	for i, r := range h.Values {
		if len(r) != n {
			return nil, fmt.Errorf("plot: heatmap row %d (%s) has %d values, want %d", i+1, h.Labels[i], len(r), n)
		}
	}
	if h.KeepOrder {
		o := make([]int, n)
		for i := range o {
			o[i] = i
		}
		return o, nil
	}
	s := make([][]float64, n)
	top := math.Inf(-1)
	for i := range n {
		s[i] = make([]float64, n)
		for j := range n {
			a, b := h.Values[i][j], h.Values[j][i]
			v := (a + b) / 2
			if math.IsNaN(v) {
				v = math.Inf(-1)
			}
			s[i][j] = v
			if i != j && !math.IsInf(v, -1) {
				top = math.Max(top, v)
			}
		}
	}
	if math.IsInf(top, -1) {
		top = 0
	}
	d := make([][]float64, n)
	for i := range n {
		d[i] = make([]float64, n)
		for j := range n {
			if i == j {
				continue
			}
			if math.IsInf(s[i][j], -1) {
				d[i][j] = math.MaxFloat64 / 4 // missing: as far as possible
				continue
			}
			d[i][j] = top - s[i][j]
		}
	}
	order, _, err := AverageLinkage(d)
	return order, err
}

// Draw draws the heatmap.
func (h *Heatmap) Draw(c draw.Canvas) error {
	th := themeOrDefault(h.Theme)
	order, err := h.Order()
	if err != nil {
		return err
	}
	n := len(order)
	pal := orDefault(h.Palette, "RdBu-r")
	cols, err := Colors(pal, 11)
	if err != nil {
		return err
	}
	lim := 0.0
	for _, r := range h.Values {
		for _, v := range r {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				lim = math.Max(lim, math.Abs(v))
			}
		}
	}
	if lim == 0 {
		lim = 1
	}
	colorOf := func(v float64) color.Color {
		if math.IsNaN(v) {
			return th.MissingColor
		}
		return rampColor(cols, (v/lim+1)/2)
	}
	annotate := n <= 12
	if h.Annotate != nil {
		annotate = *h.Annotate
	}

	fillBackground(c, th)
	inner := draw.Crop(c, th.Margin, -th.Margin, th.Margin, -th.Margin)
	inner = drawTitle(inner, th, h.Title, th.TitleSize)
	lab := th.textStyle(th.TickSize, false, draw.XRight, draw.YCenter)
	var lw vg.Length
	for _, l := range h.Labels {
		lw = max(lw, lab.Width(l))
	}
	// Colour bar on the right: bar, ticks and labels.
	ticks := gplot.DefaultTicks{}.Ticks(-lim, lim)
	tickStyle := th.textStyle(th.TickSize, false, draw.XLeft, draw.YCenter)
	var tw vg.Length
	for _, t := range ticks {
		tw = max(tw, tickStyle.Width(t.Label))
	}
	barW := th.TickSize * 1.3
	right := th.Margin*2 + barW + 4 + max(tw, tickStyle.Width(h.naLabel(th)))
	legTitle := th.textStyle(th.LabelSize, true, draw.XLeft, draw.YBottom)
	right = max(right, legTitle.Width(h.LegendTitle)+th.Margin)
	availW := inner.Max.X - inner.Min.X - lw - 4 - right
	availH := inner.Max.Y - inner.Min.Y - lw - 4 - legTitle.Height("X")
	cell := min(availW, availH) / vg.Length(n)
	if cell <= 0 {
		return fmt.Errorf("plot: heatmap of %d rows does not fit the figure", n)
	}
	x0 := inner.Min.X + lw + 4 + (availW-cell*vg.Length(n))/2
	ytop := inner.Max.Y - legTitle.Height("X")
	grid := draw.LineStyle{Color: th.Background, Width: 0.4}
	// Cell values with decimals down to a hundredth of the largest
	// magnitude, in a font small enough to fit the cells, or none.
	dec := max(0, 2-int(math.Floor(math.Log10(lim))))
	valStyle := th.textStyle(th.TickSize, false, draw.XCenter, draw.YCenter)
	if annotate {
		var vw vg.Length
		for _, r := range h.Values {
			for _, v := range r {
				vw = max(vw, valStyle.Width(fmtFixed(v, dec)))
			}
		}
		if vw > cell*0.75 {
			valStyle.Font.Size *= cell * 0.75 / vw
		}
		annotate = valStyle.Font.Size >= 5
	}
	for a, i := range order {
		y := ytop - vg.Length(a+1)*cell
		c.FillText(lab, vg.Point{X: x0 - 4, Y: y + cell/2}, h.Labels[i])
		for b, j := range order {
			x := x0 + vg.Length(b)*cell
			v := h.Values[i][j]
			box := []vg.Point{{X: x, Y: y}, {X: x + cell, Y: y}, {X: x + cell, Y: y + cell}, {X: x, Y: y + cell}}
			c.FillPolygon(colorOf(v), box)
			c.StrokeLines(grid, append(box, box[0]))
		}
	}
	// Values after all cells, so that no cell covers a value.
	for a, i := range order {
		y := ytop - vg.Length(a+1)*cell
		for b, j := range order {
			v := h.Values[i][j]
			if !annotate || math.IsNaN(v) {
				continue
			}
			vs := valStyle
			if math.Abs(v)/lim > 0.6 {
				vs.Color = color.White
			}
			c.FillText(vs, vg.Point{X: x0 + vg.Length(b)*cell + cell/2, Y: y + cell/2}, fmtFixed(v, dec))
		}
	}
	// Column labels, rotated, below the matrix.
	colLab := th.textStyle(th.TickSize, false, draw.XRight, draw.YCenter)
	colLab.Rotation = math.Pi / 2
	ybot := ytop - vg.Length(n)*cell
	for b, j := range order {
		c.FillText(colLab, vg.Point{X: x0 + vg.Length(b)*cell + cell/2, Y: ybot - 4}, h.Labels[j])
	}
	// Colour bar.
	bx := x0 + vg.Length(n)*cell + th.Margin*2
	bh := vg.Length(n) * cell
	const steps = 64
	for k := range steps {
		t0 := float64(k) / steps
		y := ybot + vg.Length(t0)*bh
		c.FillPolygon(rampColor(cols, t0+0.5/steps), []vg.Point{{X: bx, Y: y}, {X: bx + barW, Y: y}, {X: bx + barW, Y: y + bh/steps + 0.3}, {X: bx, Y: y + bh/steps + 0.3}})
	}
	axis := draw.LineStyle{Color: th.AxisColor, Width: 0.5}
	c.StrokeLines(axis, []vg.Point{{X: bx, Y: ybot}, {X: bx + barW, Y: ybot}, {X: bx + barW, Y: ybot + bh}, {X: bx, Y: ybot + bh}, {X: bx, Y: ybot}})
	for _, t := range ticks {
		if t.Label == "" || t.Value < -lim || t.Value > lim {
			continue
		}
		y := ybot + vg.Length((t.Value+lim)/(2*lim))*bh
		c.StrokeLine2(axis, bx+barW, y, bx+barW+3, y)
		c.FillText(tickStyle, vg.Point{X: bx + barW + 4, Y: y}, t.Label)
	}
	if h.LegendTitle != "" {
		c.FillText(legTitle, vg.Point{X: bx, Y: ybot + bh + 3}, h.LegendTitle)
	}
	// A legend entry for cells without a value: "undefined (diagonal)"
	// when they are the diagonal of a list of pairs (a sector with
	// itself), the theme's MissingLabel otherwise.
	naLabel := h.naLabel(th)
	for _, r := range h.Values {
		for _, v := range r {
			if math.IsNaN(v) {
				y := ybot - 6
				box := []vg.Point{{X: bx, Y: y - barW}, {X: bx + barW, Y: y - barW}, {X: bx + barW, Y: y}, {X: bx, Y: y}}
				c.FillPolygon(th.MissingColor, box)
				c.StrokeLines(axis, append(box, box[0]))
				c.FillText(tickStyle, vg.Point{X: bx + barW + 4, Y: y - barW/2}, naLabel)
				return nil
			}
		}
	}
	return nil
}

// naLabel is the legend label of cells without a value: "undefined
// (diagonal)" when only diagonal cells lack one, else th.MissingLabel.
func (h *Heatmap) naLabel(th *Theme) string {
	diagonal := false
	for i, r := range h.Values {
		for j, v := range r {
			if math.IsNaN(v) {
				if i != j {
					return th.MissingLabel
				}
				diagonal = true
			}
		}
	}
	if diagonal {
		return "undefined (diagonal)"
	}
	return th.MissingLabel
}

// rampColor interpolates linearly between the colours of a palette at
// t ∈ [0, 1].
func rampColor(cols []color.Color, t float64) color.Color {
	t = math.Max(0, math.Min(1, t))
	x := t * float64(len(cols)-1)
	i := int(math.Floor(x))
	if i >= len(cols)-1 {
		return cols[len(cols)-1]
	}
	f := x - float64(i)
	r1, g1, b1, _ := cols[i].RGBA()
	r2, g2, b2, _ := cols[i+1].RGBA()
	mix := func(a, b uint32) uint8 { return uint8(math.Round((float64(a)*(1-f) + float64(b)*f) / 257)) }
	return color.RGBA{R: mix(r1, r2), G: mix(g1, g2), B: mix(b1, b2), A: 0xff}
}
