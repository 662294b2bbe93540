package plot

import (
	"fmt"
	"math"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// MoranScatter is the Moran scatter plot (Anselin 1996): each region's
// value against the spatial lag of its neighbours' values, with the
// least-squares line, whose slope is Moran's I when W is row-standardised
// and the values are centred (I = z'Wz / z'z), dashed lines at the means
// that split the plane into the High-High, Low-Low, High-Low and Low-High
// quadrants, and the regions flagged as influential in the regression of
// the lag on the value marked and named, as spdep's moran.plot does (see
// InfluenceMeasures). The flags are those of lm(WX ~ X) on the values
// given: spdep's moran.plot(x, listw) plots the raw x and Wx, GeoDa the
// standardised z and Wz; the two agree on the slope (for row-standardised
// W without islands) but the intercept's dfbetas, hence a few flags, can
// differ, so pass raw values to reproduce spdep's labels exactly.
type MoranScatter struct {
	// IDs, X and WX: the regions, their values (usually standardised, z)
	// and spatial lags (Wz).
	IDs []string
	X   []float64
	WX  []float64

	Title  string
	XLabel string // "z" by default
	YLabel string // "spatial lag of z" by default
	Theme  *Theme
}

// Slope returns the least-squares slope of WX on X (Moran's I for centred
// values and a row-standardised W).
func (m *MoranScatter) Slope() (slope, intercept float64) {
	n := float64(len(m.X))
	var mx, my float64
	for i := range m.X {
		mx += m.X[i]
		my += m.WX[i]
	}
	mx /= n
	my /= n
	var sxx, sxy float64
	for i := range m.X {
		sxx += (m.X[i] - mx) * (m.X[i] - mx)
		sxy += (m.X[i] - mx) * (m.WX[i] - my)
	}
	slope = sxy / sxx
	return slope, my - slope*mx
}

// Draw draws the plot.
func (m *MoranScatter) Draw(c draw.Canvas) error {
	th := themeOrDefault(m.Theme)
	n := len(m.X)
	if len(m.WX) != n || len(m.IDs) != n {
		return fmt.Errorf("plot: Moran scatter: %d IDs, %d values and %d lags", len(m.IDs), n, len(m.WX))
	}
	for i := range n {
		if math.IsNaN(m.X[i]) || math.IsNaN(m.WX[i]) || math.IsInf(m.X[i], 0) || math.IsInf(m.WX[i], 0) {
			return fmt.Errorf("plot: Moran scatter: region %q has a missing or infinite value", m.IDs[i])
		}
	}
	inf, err := InfluenceMeasures(m.X, m.WX)
	if err != nil {
		return err
	}
	slope, icept := m.Slope()
	p := th.newPlot()
	p.Title.Text = m.Title
	p.X.Label.Text = orDefault(m.XLabel, "z")
	p.Y.Label.Text = orDefault(m.YLabel, "spatial lag of z")
	p.X.Tick.Marker = zeroTicks{} // one plain number format on both axes
	p.Y.Tick.Marker = zeroTicks{}
	xmin, xmax := minMax(m.X)
	ymin, ymax := minMax(m.WX)
	padx, pady := (xmax-xmin)*0.06, (ymax-ymin)*0.06
	p.X.Min, p.X.Max = xmin-padx, xmax+padx
	p.Y.Min, p.Y.Max = ymin-pady, ymax+pady
	var mx, my float64
	for i := range n {
		mx += m.X[i]
		my += m.WX[i]
	}
	mx /= float64(n)
	my /= float64(n)
	var labelPts []vg.Point
	var labels []string
	p.Add(plotterFunc(func(dc draw.Canvas, pl *gplot.Plot) {
		tx, ty := pl.Transforms(&dc)
		dash := draw.LineStyle{Color: th.AxisColor, Width: 0.6, Dashes: []vg.Length{3, 2}}
		dc.StrokeLine2(dash, tx(mx), dc.Min.Y, tx(mx), dc.Max.Y)
		dc.StrokeLine2(dash, dc.Min.X, ty(my), dc.Max.X, ty(my))
		// Fitted line, clipped to the data area.
		line := []vg.Point{{X: tx(pl.X.Min), Y: ty(icept + slope*pl.X.Min)}, {X: tx(pl.X.Max), Y: ty(icept + slope*pl.X.Max)}}
		dc.StrokeLines(draw.LineStyle{Color: th.color(1), Width: th.LineWidth * 1.2}, dc.ClipLinesXY(line)...)
		ring := draw.GlyphStyle{Color: th.color(0), Radius: 2.2, Shape: draw.RingGlyph{}}
		diamond := draw.GlyphStyle{Color: th.color(1), Radius: 3, Shape: diamondGlyph{}}
		for i := range n {
			pt := vg.Point{X: tx(m.X[i]), Y: ty(m.WX[i])}
			if inf.Influential[i] {
				dc.DrawGlyph(diamond, pt)
				labelPts = append(labelPts, pt)
				labels = append(labels, m.IDs[i])
			} else {
				dc.DrawGlyph(ring, pt)
			}
		}
		placeLabels(dc, th.textStyle(th.TickSize, false, draw.XLeft, draw.YBottom), labelPts, labels, 3)
		// Moran's I in the top-left corner.
		ts := th.textStyle(th.LabelSize, false, draw.XLeft, draw.YTop)
		dc.FillText(ts, vg.Point{X: dc.Min.X + 4, Y: dc.Max.Y - 3}, fmt.Sprintf("slope = Moran's I = %.4f", slope))
	}))
	fillBackground(c, th)
	inner := draw.Crop(c, th.Margin, -th.Margin, th.Margin, -th.Margin)
	if m.Title != "" {
		inner = drawTitle(inner, th, m.Title, th.TitleSize)
		p.Title.Text = ""
	}
	keys := []keyEntry{{label: "region", color: th.color(0), glyph: draw.RingGlyph{}}}
	for _, f := range inf.Influential {
		if f {
			keys = append(keys, keyEntry{label: "influential (spdep moran.plot), named", color: th.color(1), glyph: diamondGlyph{}})
			break
		}
	}
	keys = append(keys, keyEntry{label: "least-squares line", color: th.color(1), line: true})
	inner = drawKey(inner, th, keys)
	p.Draw(inner)
	return nil
}

// diamondGlyph is an open diamond with a cross, like R's pch = 9.
type diamondGlyph struct{}

func (diamondGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	c.SetLineStyle(draw.LineStyle{Color: sty.Color, Width: 0.8})
	r := sty.Radius
	var p vg.Path
	p.Move(vg.Point{X: pt.X, Y: pt.Y + r})
	p.Line(vg.Point{X: pt.X + r, Y: pt.Y})
	p.Line(vg.Point{X: pt.X, Y: pt.Y - r})
	p.Line(vg.Point{X: pt.X - r, Y: pt.Y})
	p.Close()
	p.Move(vg.Point{X: pt.X - r, Y: pt.Y})
	p.Line(vg.Point{X: pt.X + r, Y: pt.Y})
	p.Move(vg.Point{X: pt.X, Y: pt.Y - r})
	p.Line(vg.Point{X: pt.X, Y: pt.Y + r})
	c.Stroke(p)
}

// plotterFunc adapts a drawing function to gonum's Plotter.
type plotterFunc func(c draw.Canvas, p *gplot.Plot)

func (f plotterFunc) Plot(c draw.Canvas, p *gplot.Plot) { f(c, p) }

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func minMax(x []float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range x {
		if math.IsNaN(v) {
			continue
		}
		lo = math.Min(lo, v)
		hi = math.Max(hi, v)
	}
	if lo == hi {
		lo, hi = lo-1, hi+1
	}
	return lo, hi
}
