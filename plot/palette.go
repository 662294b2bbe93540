package plot

import (
	"fmt"
	"image/color"
	"math"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/plot/palette/brewer"
)

// Palettes lists the names Colors accepts: "viridis" and the ColorBrewer
// sequential and diverging schemes (Brewer 2003, colorbrewer2.org) that
// ColorBrewer rates safe for colour-blind readers. Append "-r" to a name
// to reverse its order.
func Palettes() []string {
	names := []string{"viridis"}
	for n := range brewer.SequentialPalettes {
		names = append(names, n)
	}
	for n := range brewer.DivergingPalettes {
		names = append(names, n)
	}
	sort.Strings(names[1:])
	return names
}

// Colors returns k colours of the named palette, light to dark for
// sequential schemes and low to high for diverging ones. ColorBrewer
// schemes exist for 3 to 9 (sequential) or 11 (diverging) classes; viridis
// for any k ≥ 1, sampled evenly along the map. A ColorBrewer scheme that
// ColorBrewer does not rate colour-blind safe for k classes is an error.
func Colors(name string, k int) ([]color.Color, error) {
	rev := false
	if n, ok := strings.CutSuffix(name, "-r"); ok {
		name, rev = n, true
	}
	if k < 1 {
		return nil, fmt.Errorf("plot: palette %s: need at least one colour, got %d", name, k)
	}
	var cols []color.Color
	switch {
	case strings.EqualFold(name, "viridis"):
		cols = viridis(k)
	default:
		var p brewer.Palette
		var ok bool
		if s, found := brewer.SequentialPalettes[name]; found {
			var np brewer.NonDivergingPalette
			np, ok = s[k]
			p = brewer.Palette(np)
		} else if d, found := brewer.DivergingPalettes[name]; found {
			var dp brewer.DivergingPalette
			dp, ok = d[k]
			p = brewer.Palette(dp)
		} else {
			return nil, fmt.Errorf("plot: unknown palette %q (known: %s)", name, strings.Join(Palettes(), ", "))
		}
		if !ok {
			if k < 3 {
				// ColorBrewer starts at 3 classes: take the outer ones.
				c3, err := Colors(name, 3)
				if err != nil {
					return nil, err
				}
				if k == 1 {
					cols = []color.Color{c3[1]}
				} else {
					cols = []color.Color{c3[0], c3[2]}
				}
				break
			}
			return nil, fmt.Errorf("plot: palette %s has no scheme with %d classes", name, k)
		}
		if p.ColorBlind != brewer.Good {
			return nil, fmt.Errorf("plot: palette %s with %d classes is not rated colour-blind safe by ColorBrewer; choose another", name, k)
		}
		cols = append([]color.Color(nil), p.Color...)
	}
	if rev {
		for i, j := 0, len(cols)-1; i < j; i, j = i+1, j-1 {
			cols[i], cols[j] = cols[j], cols[i]
		}
	}
	return cols, nil
}

// viridis samples k colours evenly from the viridis map, interpolating
// linearly between its 256 entries.
func viridis(k int) []color.Color {
	cols := make([]color.Color, k)
	for i := range cols {
		t := 0.5
		if k > 1 {
			t = float64(i) / float64(k-1)
		}
		cols[i] = viridisAt(t)
	}
	return cols
}

func viridisAt(t float64) color.Color {
	x := math.Max(0, math.Min(1, t)) * 255
	i := int(math.Floor(x))
	if i >= 255 {
		i = 254
	}
	f := x - float64(i)
	var c [3]uint8
	for j := range 3 {
		v := viridisData[i][j]*(1-f) + viridisData[i+1][j]*f
		c[j] = uint8(math.Round(v * 255))
	}
	return color.RGBA{R: c[0], G: c[1], B: c[2], A: 0xff}
}

// hex parses "#rrggbb"; it panics on a malformed literal (programmer
// error).
func hex(s string) color.RGBA {
	v, err := strconv.ParseUint(strings.TrimPrefix(s, "#"), 16, 32)
	if err != nil || len(s) != 7 {
		panic("plot: bad colour literal " + s)
	}
	return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}
}
