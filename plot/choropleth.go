package plot

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Choropleth is a map of one variable over region polygons, classified
// into colour classes.
type Choropleth struct {
	// Regions are the polygons; IDs and Values the data (Values[i] is the
	// value of region IDs[i]). Regions without a datum, or with NaN, are
	// drawn in the theme's MissingColor with a legend entry; a datum
	// without a region is an error naming it.
	Regions []Region
	IDs     []string
	Values  []float64

	// Scheme and K set the classification (Quantile with 5 classes by
	// default); UserBreaks holds the bounds of the User scheme.
	Scheme     Scheme
	K          int
	UserBreaks []float64
	// Palette names the colours (see Colors); "YlGnBu" by default. Use a
	// diverging palette ("RdBu-r", "PuOr" …) for variables centred on 0.
	Palette string

	Title       string
	LegendTitle string
	MapDecorations
	Theme *Theme
}

// Classes returns the class bounds and colours of the map.
func (m *Choropleth) Classes() (breaks []float64, colors []color.Color, err error) {
	scheme, k := m.Scheme, m.K
	if scheme == "" {
		scheme = Quantile
	}
	if k == 0 {
		k = 5
	}
	breaks, err = Breaks(m.Values, scheme, k, m.UserBreaks)
	if err != nil {
		return nil, nil, err
	}
	pal := m.Palette
	if pal == "" {
		pal = "YlGnBu"
	}
	colors, err = Colors(pal, len(breaks)-1)
	if err != nil {
		return nil, nil, err
	}
	return breaks, colors, nil
}

// LegendLabels returns the labels of the legend's classes, "lower – upper"
// for each class, then the missing entry when some region has no value.
func (m *Choropleth) LegendLabels() ([]string, error) {
	_, entries, err := m.layout()
	if err != nil {
		return nil, err
	}
	labels := make([]string, len(entries))
	for i, e := range entries {
		labels[i] = e.label
	}
	return labels, nil
}

func (m *Choropleth) layout() (fills []color.Color, entries []legendEntry, err error) {
	th := themeOrDefault(m.Theme)
	idx, err := checkData(m.Regions, m.IDs, len(m.Values))
	if err != nil {
		return nil, nil, err
	}
	breaks, cols, err := m.Classes()
	if err != nil {
		return nil, nil, err
	}
	fills = make([]color.Color, len(m.Regions))
	missing := false
	for i := range m.Regions {
		v := math.NaN()
		if idx[i] >= 0 {
			v = m.Values[idx[i]]
		}
		if cl := Class(v, breaks); cl >= 0 {
			fills[i] = cols[cl]
		} else {
			fills[i] = th.MissingColor
			missing = true
		}
	}
	for i, l := range boundLabels(breaks) {
		entries = append(entries, legendEntry{color: cols[i], label: l})
	}
	if len(breaks) == 2 && breaks[0] == breaks[1] {
		entries[0].label = fmtFixed(breaks[0], boundDecimals(breaks))
	}
	if missing {
		entries = append(entries, legendEntry{color: th.MissingColor, label: th.MissingLabel, gap: true})
	}
	return fills, entries, nil
}

// Draw draws the map.
func (m *Choropleth) Draw(c draw.Canvas) error {
	fills, entries, err := m.layout()
	if err != nil {
		return err
	}
	th := themeOrDefault(m.Theme)
	drawMapFigure(c, th, m.Title, m.LegendTitle, m.Regions, fills, entries, m.MapDecorations)
	return nil
}

// MapPoint returns the function that places map coordinates on a canvas of
// the given size for this figure: what a reader sees at a coordinate is at
// this point of the output (in points from the bottom-left corner).
func (m *Choropleth) MapPoint(w, h vg.Length) (func(x, y float64) vg.Point, error) {
	_, entries, err := m.layout()
	if err != nil {
		return nil, err
	}
	return mapPoint(themeOrDefault(m.Theme), m.Regions, m.Title, m.LegendTitle, entries, m.Projection, w, h), nil
}

func mapPoint(th *Theme, regions []Region, title, legendTitle string, entries []legendEntry, proj Projection, w, h vg.Length) func(x, y float64) vg.Point {
	c := draw.Canvas{Rectangle: vg.Rectangle{Max: vg.Point{X: w, Y: h}}}
	area := mapArea(c, th, title, legendTitle, entries)
	f := newFrame(boundOf(regions), proj, area.Min.X, area.Min.Y, area.Max.X, area.Max.Y)
	return func(x, y float64) vg.Point { return f.pt([2]float64{x, y}) }
}

// mapArea returns the rectangle left for the map once the margins, title
// and legend are placed.
func mapArea(c draw.Canvas, th *Theme, title, legendTitle string, entries []legendEntry) vg.Rectangle {
	c = draw.Crop(c, th.Margin, -th.Margin, th.Margin, -th.Margin)
	c = titleCrop(c, th, title, th.TitleSize)
	lw, _ := legendBox(th, legendTitle, entries)
	r := c.Rectangle
	r.Max.X -= lw + 2*th.Margin
	return r
}

func titleCrop(c draw.Canvas, th *Theme, title string, size vg.Length) draw.Canvas {
	if title == "" {
		return c
	}
	ts := th.textStyle(size, true, draw.XCenter, draw.YTop)
	c.Max.Y -= ts.Height(title) + th.Margin
	return c
}

// drawMapFigure draws title, map and legend (to the right of the map,
// vertically centred).
func drawMapFigure(c draw.Canvas, th *Theme, title, legendTitle string, regions []Region, fills []color.Color, entries []legendEntry, dec MapDecorations) {
	fillBackground(c, th)
	inner := draw.Crop(c, th.Margin, -th.Margin, th.Margin, -th.Margin)
	drawTitle(inner, th, title, th.TitleSize)
	r := mapArea(c, th, title, legendTitle, entries)
	mc := c
	mc.Rectangle = r
	arrow := dec.NorthArrow
	dec.NorthArrow = false
	f := drawRegions(mc, th, regions, fills, dec)
	ext := f.extent()
	_, lh := legendBox(th, legendTitle, entries)
	// The legend sits next to the map, even when the map is narrower
	// than its area, with the north arrow above it, off the map.
	x := ext.Max.X + 2*th.Margin
	y := (ext.Min.Y+ext.Max.Y)/2 + lh/2
	if arrow {
		drawNorthArrow(c, th, x, ext.Max.Y)
		y = min(y, ext.Max.Y-northArrowHeight(th)-th.Margin)
	}
	if y > inner.Max.Y {
		y = inner.Max.Y
	}
	drawLegend(c, th, x, y, legendTitle, entries)
}

// checkK validates the number of classes for callers.
func checkK(k int) error {
	if k < 1 || k > 11 {
		return fmt.Errorf("plot: number of classes must be between 1 and 11, got %d", k)
	}
	return nil
}
