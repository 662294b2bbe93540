package plot

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Panel is one map of a SmallMultiples figure: its title (a year, a
// sector) and its data.
type Panel struct {
	Title  string
	IDs    []string
	Values []float64
}

// SmallMultiples draws one choropleth per panel in a grid, all classified
// with the same breaks (computed from the values of every panel together)
// and sharing one legend, so that colours compare across panels.
type SmallMultiples struct {
	Regions []Region
	Panels  []Panel
	// Columns of the grid; 0 chooses about √(number of panels).
	Columns int

	Scheme      Scheme
	K           int
	UserBreaks  []float64
	Palette     string
	Title       string
	LegendTitle string
	MapDecorations
	Theme *Theme
}

// Breaks returns the shared class bounds and colours.
func (m *SmallMultiples) Breaks() ([]float64, []color.Color, error) {
	var all []float64
	for _, p := range m.Panels {
		all = append(all, p.Values...)
	}
	c := Choropleth{Values: all, Scheme: m.Scheme, K: m.K, UserBreaks: m.UserBreaks, Palette: m.Palette}
	return c.Classes()
}

// Draw draws the grid.
func (m *SmallMultiples) Draw(c draw.Canvas) error {
	th := themeOrDefault(m.Theme)
	if len(m.Panels) == 0 {
		return fmt.Errorf("plot: small multiples without panels")
	}
	breaks, cols, err := m.Breaks()
	if err != nil {
		return err
	}
	fills := make([][]color.Color, len(m.Panels))
	missing := false
	for k, p := range m.Panels {
		idx, err := checkData(m.Regions, p.IDs, len(p.Values))
		if err != nil {
			return fmt.Errorf("panel %q: %w", p.Title, err)
		}
		fills[k] = make([]color.Color, len(m.Regions))
		for i := range m.Regions {
			v := math.NaN()
			if idx[i] >= 0 {
				v = p.Values[idx[i]]
			}
			if cl := Class(v, breaks); cl >= 0 {
				fills[k][i] = cols[cl]
			} else {
				fills[k][i] = th.MissingColor
				missing = true
			}
		}
	}
	var entries []legendEntry
	for i, l := range boundLabels(breaks) {
		entries = append(entries, legendEntry{color: cols[i], label: l})
	}
	if missing {
		entries = append(entries, legendEntry{color: th.MissingColor, label: th.MissingLabel, gap: true})
	}

	fillBackground(c, th)
	inner := draw.Crop(c, th.Margin, -th.Margin, th.Margin, -th.Margin)
	inner = drawTitle(inner, th, m.Title, th.TitleSize)
	lw, lh := legendBox(th, m.LegendTitle, entries)
	grid := inner
	grid.Max.X -= lw + 2*th.Margin
	ncol := m.Columns
	if ncol <= 0 {
		ncol = int(math.Ceil(math.Sqrt(float64(len(m.Panels)))))
	}
	nrow := (len(m.Panels) + ncol - 1) / ncol
	cw := (grid.Max.X - grid.Min.X) / vg.Length(ncol)
	ch := (grid.Max.Y - grid.Min.Y) / vg.Length(nrow)
	// The decorations go on the last panel only.
	for k, p := range m.Panels {
		r, col := k/ncol, k%ncol
		pc := grid
		pc.Min.X = grid.Min.X + vg.Length(col)*cw
		pc.Max.X = pc.Min.X + cw - th.Margin
		pc.Max.Y = grid.Max.Y - vg.Length(r)*ch
		pc.Min.Y = pc.Max.Y - ch + th.Margin
		pc = drawTitle(pc, th, p.Title, th.LabelSize)
		dec := m.MapDecorations
		dec.NorthArrow = false // drawn once, above the legend
		if k != len(m.Panels)-1 {
			dec.ScaleBar = false
		}
		drawRegions(pc, th, m.Regions, fills[k], dec)
	}
	x := grid.Max.X + 2*th.Margin
	y := (grid.Min.Y+grid.Max.Y)/2 + lh/2
	if m.NorthArrow {
		drawNorthArrow(c, th, x, grid.Max.Y)
		y = min(y, grid.Max.Y-northArrowHeight(th)-th.Margin)
	}
	drawLegend(c, th, x, y, m.LegendTitle, entries)
	return nil
}
