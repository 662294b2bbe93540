package plot

import (
	"image/color"
	"strings"
	"sync"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Theme is the house style shared by every figure of the package: fonts,
// sizes, colours and line widths. Change a copy of DefaultTheme and set it
// on a figure's Theme field; a nil Theme means DefaultTheme().
type Theme struct {
	// Typeface and Variant name the font; the Liberation fonts shipped
	// with gonum/plot ("Liberation", variant "Sans", "Serif" or "Mono")
	// are always available and are embedded in PDF and SVG output.
	Typeface font.Typeface
	Variant  font.Variant

	// Font sizes of the title, of axis and legend titles, and of tick
	// and legend labels.
	TitleSize vg.Length
	LabelSize vg.Length
	TickSize  vg.Length

	TextColor  color.Color
	Background color.Color
	// AxisColor is the colour of axes, reference lines and frames.
	AxisColor color.Color
	// GridColor is the colour of grid and zero lines.
	GridColor color.Color

	// BorderColor and BorderWidth draw the outlines of map regions.
	BorderColor color.Color
	BorderWidth vg.Length
	// MissingColor fills regions without a value; MissingLabel is its
	// legend entry.
	MissingColor color.Color
	MissingLabel string

	// LineWidth is the width of data lines (series, fitted lines,
	// intervals).
	LineWidth vg.Length
	// Margin is the blank space around the figure and between its parts.
	Margin vg.Length

	// Clusters maps the LISA cluster labels to their colours; by default
	// GeoDa's: High-High red, Low-Low blue, High-Low pink, Low-High light
	// blue, not significant light grey.
	Clusters map[string]color.Color
	// Significance holds the colours of p ≤ 0.001, ≤ 0.01, ≤ 0.05 and not
	// significant in significance maps (ColorBrewer Greens and grey).
	Significance []color.Color

	// Colors is the qualitative palette for series, models and effect
	// types: by default the colour-blind-safe palette of Okabe and Ito
	// (2008).
	Colors []color.Color
}

// DefaultTheme returns the default house style: Liberation Sans, 11 pt
// titles, 9 pt labels, 8 pt ticks, black text on white, 0.3 pt grey
// region borders, light-grey hatched-free missing colour and the
// Okabe–Ito palette.
func DefaultTheme() *Theme {
	return &Theme{
		Typeface:     "Liberation",
		Variant:      "Sans",
		TitleSize:    11,
		LabelSize:    9,
		TickSize:     8,
		TextColor:    color.Black,
		Background:   color.White,
		AxisColor:    color.Gray{Y: 0x33},
		GridColor:    color.Gray{Y: 0xdd},
		BorderColor:  color.Gray{Y: 0x55},
		BorderWidth:  0.3,
		MissingColor: color.RGBA{R: 0xcc, G: 0xcc, B: 0xcc, A: 0xff},
		MissingLabel: "no data",
		LineWidth:    1,
		Margin:       6,
		Clusters:     lisaColors(),
		Significance: []color.Color{hex("#006D2C"), hex("#31A354"), hex("#A1D99B"), hex("#EEEEEE")},
		Colors: []color.Color{
			hex("#0072B2"), hex("#D55E00"), hex("#009E73"), hex("#CC79A7"),
			hex("#E69F00"), hex("#56B4E9"), hex("#F0E442"), hex("#000000"),
		},
	}
}

func themeOrDefault(t *Theme) *Theme {
	if t == nil {
		return DefaultTheme()
	}
	return t
}

var (
	fontsOnce sync.Once
	fonts     text.Handler
)

// textHandler returns the text handler of the package: the Liberation
// fonts, with each bold face also registered as the variant "<V>Bold" of
// normal weight. The PDF back end of gonum/plot registers every face under
// the regular style and cannot find a face it must select as bold; a bold
// variant of normal weight sidesteps that, and looks the same everywhere.
func textHandler() text.Handler {
	fontsOnce.Do(func() {
		coll := liberation.Collection()
		all := append(font.Collection(nil), coll...)
		for _, f := range coll {
			// The upright bold faces: "Liberation<V>-Bold".
			if strings.HasSuffix(f.Font.Name(), "-Bold") {
				g := f
				g.Font.Variant += "Bold"
				g.Font.Weight = 0 // normal
				all = append(all, g)
			}
		}
		fonts = text.Plain{Fonts: font.NewCache(all)}
	})
	return fonts
}

// font returns the theme's font at the given size, optionally bold.
func (t *Theme) font(size vg.Length, bold bool) font.Font {
	f := font.Font{Typeface: t.Typeface, Variant: t.Variant, Size: size}
	if bold {
		f.Variant += "Bold"
	}
	return f
}

// textStyle returns a text style of the theme.
func (t *Theme) textStyle(size vg.Length, bold bool, xa text.XAlignment, ya text.YAlignment) draw.TextStyle {
	return draw.TextStyle{
		Color:   t.TextColor,
		Font:    t.font(size, bold),
		XAlign:  xa,
		YAlign:  ya,
		Handler: textHandler(),
	}
}

// color returns the i-th qualitative colour, cycling.
func (t *Theme) color(i int) color.Color {
	if len(t.Colors) == 0 {
		return color.Black
	}
	return t.Colors[i%len(t.Colors)]
}

// newPlot returns a gonum plot styled with the theme.
func (t *Theme) newPlot() *gplot.Plot {
	p := gplot.New()
	p.TextHandler = textHandler()
	p.BackgroundColor = t.Background
	p.Title.TextStyle = t.textStyle(t.TitleSize, true, draw.XCenter, draw.YTop)
	p.Title.Padding = t.Margin
	for _, a := range []*gplot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle = t.textStyle(t.LabelSize, false, draw.XCenter, draw.YBottom)
		a.Tick.Label = t.textStyle(t.TickSize, false, draw.XCenter, draw.YTop)
		a.Color = t.AxisColor
		a.LineStyle.Color = t.AxisColor
		a.LineStyle.Width = 0.6
		a.Tick.LineStyle.Color = t.AxisColor
		a.Tick.LineStyle.Width = 0.6
		a.Padding = 2
	}
	p.Y.Tick.Label.XAlign = draw.XRight
	p.Y.Tick.Label.YAlign = draw.YCenter
	p.X.Label.TextStyle.YAlign = draw.YBottom
	p.Legend.TextStyle = t.textStyle(t.TickSize, false, draw.XLeft, draw.YCenter)
	return p
}
