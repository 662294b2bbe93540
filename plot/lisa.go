package plot

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The LISA cluster labels (Anselin 1995), as spdep, GeoDa and the spatial
// package write them.
const (
	HighHigh       = "High-High"
	LowLow         = "Low-Low"
	HighLow        = "High-Low"
	LowHigh        = "Low-High"
	NotSignificant = "not significant"
)

// lisaColors returns the conventional colours of LISA cluster maps
// (GeoDa): red hot spots, blue cold spots, pink and light-blue spatial
// outliers, light grey for regions that are not significant.
func lisaColors() map[string]color.Color {
	return map[string]color.Color{
		HighHigh:       hex("#E41A1C"),
		LowLow:         hex("#2166AC"),
		HighLow:        hex("#F4A6A6"),
		LowHigh:        hex("#9ECAE1"),
		NotSignificant: hex("#EEEEEE"),
	}
}

// LISAMap is a LISA cluster map: each region coloured by its cluster label.
type LISAMap struct {
	// Regions are the polygons; IDs and Clusters the labels (one of
	// HighHigh, LowLow, HighLow, LowHigh, NotSignificant). Regions
	// without a label are drawn in the theme's missing colour; a label
	// without a region, or an unknown label, is an error.
	Regions  []Region
	IDs      []string
	Clusters []string
	// Alpha is the significance level the labels were computed at, shown
	// in the legend title when positive.
	Alpha float64

	Title string
	MapDecorations
	Theme *Theme
}

// Draw draws the map.
func (m *LISAMap) Draw(c draw.Canvas) error {
	fills, entries, title, err := m.layout()
	if err != nil {
		return err
	}
	drawMapFigure(c, themeOrDefault(m.Theme), m.Title, title, m.Regions, fills, entries, m.MapDecorations)
	return nil
}

// MapPoint returns the function that places map coordinates on a canvas of
// the given size for this figure (see Choropleth.MapPoint).
func (m *LISAMap) MapPoint(w, h vg.Length) (func(x, y float64) vg.Point, error) {
	_, entries, title, err := m.layout()
	if err != nil {
		return nil, err
	}
	return mapPoint(themeOrDefault(m.Theme), m.Regions, m.Title, title, entries, m.Projection, w, h), nil
}

func (m *LISAMap) layout() (fills []color.Color, entries []legendEntry, title string, err error) {
	th := themeOrDefault(m.Theme)
	idx, err := checkData(m.Regions, m.IDs, len(m.Clusters))
	if err != nil {
		return nil, nil, "", err
	}
	order := []string{HighHigh, LowLow, LowHigh, HighLow, NotSignificant}
	count := map[string]int{}
	fills = make([]color.Color, len(m.Regions))
	missing := 0
	for i := range m.Regions {
		if idx[i] < 0 {
			fills[i] = th.MissingColor
			missing++
			continue
		}
		lab := m.Clusters[idx[i]]
		col, ok := th.Clusters[lab]
		if !ok {
			return nil, nil, "", fmt.Errorf("plot: region %q has cluster label %q (want %q, %q, %q, %q or %q)", m.IDs[idx[i]], lab, HighHigh, LowLow, HighLow, LowHigh, NotSignificant)
		}
		fills[i] = col
		count[lab]++
	}
	for _, lab := range order {
		entries = append(entries, legendEntry{color: th.Clusters[lab], label: fmt.Sprintf("%s (%d)", lab, count[lab])})
	}
	if missing > 0 {
		entries = append(entries, legendEntry{color: th.MissingColor, label: fmt.Sprintf("%s (%d)", th.MissingLabel, missing), gap: true})
	}
	title = "LISA cluster"
	if m.Alpha > 0 {
		title = fmt.Sprintf("LISA cluster (p < %s)", formatNumber(m.Alpha))
	}
	return fills, entries, title, nil
}

// significanceLevels are the p-value classes of a significance map.
var significanceLevels = [...]float64{0.001, 0.01, 0.05}

// SignificanceMap shows the p-values of local statistics in the classes
// p ≤ 0.001, p ≤ 0.01, p ≤ 0.05 and not significant.
type SignificanceMap struct {
	Regions []Region
	IDs     []string
	// P holds the p-values (NaN for missing). A p-value outside [0, 1]
	// is an error.
	P []float64

	Title string
	MapDecorations
	Theme *Theme
}

// Draw draws the map.
func (m *SignificanceMap) Draw(c draw.Canvas) error {
	th := themeOrDefault(m.Theme)
	idx, err := checkData(m.Regions, m.IDs, len(m.P))
	if err != nil {
		return err
	}
	significanceColors := th.Significance
	if len(significanceColors) != len(significanceLevels)+1 {
		return fmt.Errorf("plot: theme has %d significance colours, want %d", len(significanceColors), len(significanceLevels)+1)
	}
	count := make([]int, len(significanceColors))
	fills := make([]color.Color, len(m.Regions))
	missing := 0
	for i := range m.Regions {
		p := math.NaN()
		if idx[i] >= 0 {
			p = m.P[idx[i]]
		}
		if math.IsNaN(p) {
			fills[i] = th.MissingColor
			missing++
			continue
		}
		if p < 0 || p > 1 {
			return fmt.Errorf("plot: region %q has p-value %v outside [0, 1]", m.IDs[idx[i]], p)
		}
		k := len(significanceLevels)
		for j, lev := range significanceLevels {
			if p <= lev {
				k = j
				break
			}
		}
		fills[i] = significanceColors[k]
		count[k]++
	}
	var entries []legendEntry
	for j, lev := range significanceLevels {
		entries = append(entries, legendEntry{color: significanceColors[j], label: fmt.Sprintf("p ≤ %s (%d)", formatNumber(lev), count[j])})
	}
	entries = append(entries, legendEntry{color: significanceColors[len(significanceLevels)], label: fmt.Sprintf("%s (%d)", NotSignificant, count[len(significanceLevels)])})
	if missing > 0 {
		entries = append(entries, legendEntry{color: th.MissingColor, label: fmt.Sprintf("%s (%d)", th.MissingLabel, missing), gap: true})
	}
	drawMapFigure(c, th, m.Title, "Significance", m.Regions, fills, entries, m.MapDecorations)
	return nil
}
