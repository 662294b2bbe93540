package plot

import (
	"fmt"
	"math"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Series is a named sequence of values, one per category of a chart (NaN
// for a missing value).
type Series struct {
	Name   string
	Values []float64
}

// SeriesChart draws values per category (years, regions, sectors) as
// grouped bars and lines on the left axis, and optionally one more line on
// a second axis at the right, for a share or a rate of a different scale:
// the layout of the seed paper's figures of agglomeration indices over
// time (values per year, with the online share on a second axis), and of
// bar charts of growth rates.
type SeriesChart struct {
	Categories []string
	Bars       []Series
	Lines      []Series
	// Share is drawn on the right axis (dashed), when not nil.
	Share *Series

	Title      string
	XLabel     string
	YLabel     string
	RightLabel string
	Theme      *Theme
}

// Draw draws the chart.
func (s *SeriesChart) Draw(c draw.Canvas) error {
	th := themeOrDefault(s.Theme)
	n := len(s.Categories)
	if n == 0 {
		return fmt.Errorf("plot: series chart without categories")
	}
	all := append(append([]Series(nil), s.Bars...), s.Lines...)
	if s.Share != nil {
		all = append(all, *s.Share)
	}
	if len(all) == 0 {
		return fmt.Errorf("plot: series chart without series")
	}
	for _, se := range all {
		if len(se.Values) != n {
			return fmt.Errorf("plot: series %q has %d values for %d categories", se.Name, len(se.Values), n)
		}
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, se := range append(append([]Series(nil), s.Bars...), s.Lines...) {
		a, b := finiteRange(se.Values)
		lo, hi = math.Min(lo, a), math.Max(hi, b)
	}
	if len(s.Bars) > 0 {
		lo, hi = math.Min(lo, 0), math.Max(hi, 0)
	}
	if math.IsInf(lo, 1) {
		lo, hi = 0, 1
	}
	if lo == hi {
		lo, hi = lo-1, hi+1
	}
	pad := (hi - lo) * 0.06
	pl := th.newPlot()
	pl.X.Label.Text = s.XLabel
	pl.Y.Label.Text = s.YLabel
	pl.NominalX(s.Categories...)
	pl.X.Min, pl.X.Max = -0.6, float64(n)-0.4
	pl.Y.Min, pl.Y.Max = lo-pad, hi+pad
	if len(s.Bars) > 0 && lo >= 0 {
		pl.Y.Min = 0
	}
	if n > 12 {
		pl.X.Tick.Label.Rotation = math.Pi / 2
		pl.X.Tick.Label.XAlign = draw.XRight
		pl.X.Tick.Label.YAlign = draw.YCenter
	}
	nb := len(s.Bars)
	bw := 0.8 / float64(max(nb, 1))
	var shareLo, shareHi float64
	if s.Share != nil {
		shareLo, shareHi = finiteRange(s.Share.Values)
		if math.IsInf(shareLo, 1) || shareLo == shareHi {
			shareLo, shareHi = shareLo-1, shareHi+1
		}
		p := (shareHi - shareLo) * 0.1
		shareLo, shareHi = shareLo-p, shareHi+p
	}
	pl.Add(plotterFunc(func(dc draw.Canvas, p *gplot.Plot) {
		tx, ty := p.Transforms(&dc)
		for _, t := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
			if t.Label != "" {
				dc.StrokeLine2(draw.LineStyle{Color: th.GridColor, Width: 0.5}, dc.Min.X, ty(t.Value), dc.Max.X, ty(t.Value))
			}
		}
		if p.Y.Min < 0 && p.Y.Max > 0 {
			dc.StrokeLine2(draw.LineStyle{Color: th.AxisColor, Width: 0.6}, dc.Min.X, ty(0), dc.Max.X, ty(0))
		}
		for j, b := range s.Bars {
			col := th.color(j)
			for i, v := range b.Values {
				if math.IsNaN(v) {
					continue
				}
				x0 := float64(i) - 0.4 + float64(j)*bw
				base := math.Max(p.Y.Min, 0)
				dc.FillPolygon(col, dc.ClipPolygonXY([]vg.Point{{X: tx(x0), Y: ty(base)}, {X: tx(x0 + bw*0.92), Y: ty(base)}, {X: tx(x0 + bw*0.92), Y: ty(v)}, {X: tx(x0), Y: ty(v)}}))
			}
		}
		for j, l := range s.Lines {
			col := th.color(nb + j)
			drawLine(dc, l.Values, func(i int, v float64) vg.Point { return vg.Point{X: tx(float64(i)), Y: ty(v)} },
				draw.LineStyle{Color: col, Width: th.LineWidth * 1.3}, draw.GlyphStyle{Color: col, Radius: 2.3, Shape: groupGlyphs[j%len(groupGlyphs)]})
		}
		if s.Share != nil {
			col := th.color(nb + len(s.Lines))
			sy := func(v float64) vg.Length {
				return dc.Min.Y + vg.Length((v-shareLo)/(shareHi-shareLo))*(dc.Max.Y-dc.Min.Y)
			}
			drawLine(dc, s.Share.Values, func(i int, v float64) vg.Point { return vg.Point{X: tx(float64(i)), Y: sy(v)} },
				draw.LineStyle{Color: col, Width: th.LineWidth * 1.3, Dashes: []vg.Length{4, 2}}, draw.GlyphStyle{Color: col, Radius: 2.3, Shape: diamondFilled{}})
		}
	}))
	fillBackground(c, th)
	inner := draw.Crop(c, th.Margin, -th.Margin, th.Margin, -th.Margin)
	inner = drawTitle(inner, th, s.Title, th.TitleSize)
	var keys []keyEntry
	for j, b := range s.Bars {
		keys = append(keys, keyEntry{label: b.Name, color: th.color(j), box: true})
	}
	for j, l := range s.Lines {
		keys = append(keys, keyEntry{label: l.Name, color: th.color(nb + j), line: true, glyph: groupGlyphs[j%len(groupGlyphs)]})
	}
	if s.Share != nil {
		keys = append(keys, keyEntry{label: s.Share.Name + " (right axis)", color: th.color(nb + len(s.Lines)), line: true, glyph: diamondFilled{}})
	}
	inner = drawKey(inner, th, keys)
	if s.Share == nil {
		pl.Draw(inner)
		return nil
	}
	// Reserve room for the right axis, draw the plot, then the axis.
	ticks := gplot.DefaultTicks{}.Ticks(shareLo, shareHi)
	tickStyle := th.textStyle(th.TickSize, false, draw.XLeft, draw.YCenter)
	var tw vg.Length
	for _, t := range ticks {
		tw = max(tw, tickStyle.Width(t.Label))
	}
	labStyle := th.textStyle(th.LabelSize, false, draw.XCenter, draw.YTop)
	labStyle.Rotation = math.Pi / 2
	right := 4 + tw + 4 + labStyle.Height("X") + 2
	if s.RightLabel == "" {
		right -= labStyle.Height("X")
	}
	left := inner
	left.Max.X -= right
	pl.Draw(left)
	da := pl.DataCanvas(left)
	x := da.Max.X
	axis := draw.LineStyle{Color: th.AxisColor, Width: 0.6}
	da.StrokeLine2(axis, x, da.Min.Y, x, da.Max.Y)
	for _, t := range ticks {
		if t.Value < shareLo || t.Value > shareHi {
			continue
		}
		y := da.Min.Y + vg.Length((t.Value-shareLo)/(shareHi-shareLo))*(da.Max.Y-da.Min.Y)
		l := vg.Length(2)
		if t.Label != "" {
			l = 4
			c.FillText(tickStyle, vg.Point{X: x + 6, Y: y}, t.Label)
		}
		c.StrokeLine2(axis, x, y, x+l, y)
	}
	if s.RightLabel != "" {
		c.FillText(labStyle, vg.Point{X: x + 10 + tw, Y: (da.Min.Y + da.Max.Y) / 2}, s.RightLabel) // reads upwards, top towards the axis
	}
	return nil
}

// drawLine draws a polyline through the finite values (broken at NaN) with
// a glyph at each point.
func drawLine(c draw.Canvas, v []float64, at func(int, float64) vg.Point, ls draw.LineStyle, gs draw.GlyphStyle) {
	var seg []vg.Point
	flush := func() {
		if len(seg) > 1 {
			c.StrokeLines(ls, seg)
		}
		seg = seg[:0]
	}
	for i, y := range v {
		if math.IsNaN(y) {
			flush()
			continue
		}
		seg = append(seg, at(i, y))
	}
	flush()
	for i, y := range v {
		if !math.IsNaN(y) {
			c.DrawGlyph(gs, at(i, y))
		}
	}
}

func finiteRange(x []float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	return lo, hi
}
