package plot

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"gonum.org/v1/plot/vg"
)

func statesMap(t *testing.T) *Choropleth {
	regions := usStates(t)
	ids, unemp := produc(t, 1986, "unemp")
	return &Choropleth{Regions: regions, IDs: ids, Values: unemp, Scheme: Jenks, K: 5,
		Title: "Unemployment rate, 1986", LegendTitle: "Percent"}
}

// TestChoroplethPixels decodes the PNG and checks the colour drawn at an
// interior point of every state against the colour of its class.
func TestChoroplethPixels(t *testing.T) {
	m := statesMap(t)
	m.NorthArrow, m.ScaleBar = true, true
	const dpi = 100
	w, h := 16*vg.Centimeter, 10*vg.Centimeter
	var buf bytes.Buffer
	if err := Write(&buf, m, PNG, Options{Width: w, Height: h, DPI: dpi}); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if got := img.Bounds().Dx(); got != int(math.Round(w.Dots(dpi))) {
		t.Errorf("PNG width %d px, want %v at %d DPI", got, w.Dots(dpi), dpi)
	}
	breaks, cols, err := m.Classes()
	if err != nil {
		t.Fatal(err)
	}
	at, err := m.MapPoint(w, h)
	if err != nil {
		t.Fatal(err)
	}
	value := map[string]float64{}
	for i, id := range m.IDs {
		value[id] = m.Values[i]
	}
	checked := 0
	for _, r := range m.Regions {
		v, ok := value[r.ID]
		if !ok || planar.Area(r.Geom) < 2 { // small states are tested in TestChoroplethMissing
			continue
		}
		p := InteriorPoint(r.Geom)
		pt := at(p[0], p[1])
		x, y := int(pt.X.Dots(dpi)), img.Bounds().Dy()-int(pt.Y.Dots(dpi))
		want := cols[Class(v, breaks)]
		if got := img.At(x, y); !sameColor(got, want) {
			t.Errorf("%s (value %v, class %d): pixel (%d,%d) is %s, want %s", r.ID, v, Class(v, breaks), x, y, hexOf(got), hexOf(want))
		}
		checked++
	}
	if checked < 35 {
		t.Errorf("only %d states checked", checked)
	}
}

func sameColor(a, b color.Color) bool {
	r1, g1, b1, _ := a.RGBA()
	r2, g2, b2, _ := b.RGBA()
	return r1>>8 == r2>>8 && g1>>8 == g2>>8 && b1>>8 == b2>>8
}

// TestChoroplethMissing draws DC (no data in Produc) between Maryland and
// Virginia: DC is in the missing colour with its legend entry.
func TestChoroplethMissing(t *testing.T) {
	all := usStates(t)
	var regions []Region
	for _, r := range all {
		if r.ID == "MARYLAND" || r.ID == "VIRGINIA" || r.ID == "DISTRICT_OF_COLUMBIA" {
			regions = append(regions, r)
		}
	}
	m := &Choropleth{Regions: regions, IDs: []string{"MARYLAND", "VIRGINIA"}, Values: []float64{1, 2}, Scheme: Equal, K: 2}
	const dpi = 100
	w, h := 12*vg.Centimeter, 10*vg.Centimeter
	var buf bytes.Buffer
	if err := Write(&buf, m, PNG, Options{Width: w, Height: h, DPI: dpi}); err != nil {
		t.Fatal(err)
	}
	img, _ := png.Decode(&buf)
	at, _ := m.MapPoint(w, h)
	th := DefaultTheme()
	_, cols, _ := m.Classes()
	for _, tc := range []struct {
		id   string
		want color.Color
	}{{"DISTRICT_OF_COLUMBIA", th.MissingColor}, {"MARYLAND", cols[0]}, {"VIRGINIA", cols[1]}} {
		for _, r := range regions {
			if r.ID != tc.id {
				continue
			}
			p := InteriorPoint(r.Geom)
			pt := at(p[0], p[1])
			got := img.At(int(pt.X.Dots(dpi)), img.Bounds().Dy()-int(pt.Y.Dots(dpi)))
			if !sameColor(got, tc.want) {
				t.Errorf("%s is %s, want %s", tc.id, hexOf(got), hexOf(tc.want))
			}
		}
	}
	labels, _ := m.LegendLabels()
	if labels[len(labels)-1] != th.MissingLabel {
		t.Errorf("legend %q has no missing entry", labels)
	}
}

var (
	svgPath = regexp.MustCompile(`<path d="([^"]*)"\s*(?:style="([^"]*)")?`)
	svgText = regexp.MustCompile(`<text[^>]*>([^<]*)</text>`)
)

// TestChoroplethSVG checks that the SVG has one filled and one stroked path
// per polygon part (rings of a part in one path), that each class colour
// fills as many paths as the parts of its regions plus its legend swatch,
// and that the legend shows the class bounds.
func TestChoroplethSVG(t *testing.T) {
	m := statesMap(t)
	var buf bytes.Buffer
	if err := Write(&buf, m, SVG, Options{}); err != nil {
		t.Fatal(err)
	}
	svg := buf.String()
	breaks, cols, _ := m.Classes()
	value := map[string]float64{}
	for i, id := range m.IDs {
		value[id] = m.Values[i]
	}
	wantFill := map[string]int{}
	parts := 0
	for _, r := range m.Regions {
		c := hexOf(DefaultTheme().MissingColor)
		if v, ok := value[r.ID]; ok {
			c = hexOf(cols[Class(v, breaks)])
		}
		wantFill[c] += len(r.Geom)
		parts += len(r.Geom)
	}
	if parts != 66 {
		t.Fatalf("us_states has %d parts, want 66", parts)
	}
	gotFill := map[string]int{}
	strokes := 0
	for _, mm := range svgPath.FindAllStringSubmatch(svg, -1) {
		style := mm[2]
		if strings.Contains(style, "fill:none") {
			strokes++
			continue
		}
		fill := "#000000"
		if i := strings.Index(style, "fill:"); i >= 0 {
			fill = strings.ToLower(style[i+5 : i+12])
		}
		gotFill[fill]++
	}
	for c, n := range wantFill {
		if gotFill[c] != n+1 { // + the legend swatch
			t.Errorf("colour %s fills %d paths, want %d parts + 1 swatch", c, gotFill[c], n)
		}
	}
	labels, _ := m.LegendLabels()
	if strokes != parts+len(labels) {
		t.Errorf("%d stroked paths, want %d parts + %d swatches", strokes, parts, len(labels))
	}
	// The legend bounds a reader sees are the class breaks.
	var texts []string
	for _, mm := range svgText.FindAllStringSubmatch(svg, -1) {
		texts = append(texts, mm[1])
	}
	dec := boundDecimals(breaks)
	for i := range len(breaks) - 1 {
		lo, hi := findBounds(t, texts, i)
		tol := 0.5*math.Pow(10, -float64(dec)) + 1e-12
		if math.Abs(lo-breaks[i]) > tol || math.Abs(hi-breaks[i+1]) > tol {
			t.Errorf("legend class %d shows %v – %v, breaks are %v – %v", i, lo, hi, breaks[i], breaks[i+1])
		}
	}
}

// findBounds returns the bounds of the i-th "a – b" label among texts.
func findBounds(t *testing.T, texts []string, i int) (lo, hi float64) {
	t.Helper()
	n := 0
	for _, s := range texts {
		a, b, ok := strings.Cut(s, " – ")
		if !ok {
			continue
		}
		if n == i {
			var err1, err2 error
			lo, err1 = strconv.ParseFloat(a, 64)
			hi, err2 = strconv.ParseFloat(b, 64)
			if err1 != nil || err2 != nil {
				t.Fatalf("legend label %q", s)
			}
			return lo, hi
		}
		n++
	}
	t.Fatalf("no legend label %d among %q", i, texts)
	return
}

// TestChoroplethPDF checks that the PDF opens (header, trailer, one page)
// and embeds its fonts.
func TestChoroplethPDF(t *testing.T) {
	m := statesMap(t)
	var buf bytes.Buffer
	if err := Write(&buf, m, PDF, Options{Width: 6 * vg.Inch, Height: 4 * vg.Inch}); err != nil {
		t.Fatal(err)
	}
	checkPDF(t, buf.Bytes(), 1)
}

func checkPDF(t *testing.T, pdf []byte, pages int) {
	t.Helper()
	if !bytes.HasPrefix(pdf, []byte("%PDF-1.")) {
		t.Fatalf("no PDF header: %q", pdf[:min(len(pdf), 10)])
	}
	if !bytes.Contains(pdf[max(0, len(pdf)-1024):], []byte("%%EOF")) {
		t.Error("no EOF trailer")
	}
	if n := len(regexp.MustCompile(`/Type /Page\b[^s]`).FindAll(pdf, -1)); n != pages {
		t.Errorf("%d pages, want %d", n, pages)
	}
	if !bytes.Contains(pdf, []byte("/FontFile2")) {
		t.Error("fonts are not embedded (no /FontFile2)")
	}
	if !bytes.Contains(pdf, []byte("/BaseFont /LiberationSans")) {
		t.Error("no Liberation Sans font")
	}
}

func TestChoroplethErrors(t *testing.T) {
	regions := usStates(t)
	ids, v := produc(t, 1986, "unemp")
	ids = append(ids, "ATLANTIS", "MU")
	v = append(v, 1, 2)
	m := &Choropleth{Regions: regions, IDs: ids, Values: v}
	err := m.Draw(newTestCanvas())
	if err == nil || !strings.Contains(err.Error(), `"ATLANTIS"`) || !strings.Contains(err.Error(), `"MU"`) || !strings.Contains(err.Error(), "2 data rows") {
		t.Errorf("orphan data rows: %v", err)
	}
	m = &Choropleth{Regions: regions, IDs: []string{"OHIO", "OHIO"}, Values: []float64{1, 2}}
	if err := m.Draw(newTestCanvas()); err == nil || !strings.Contains(err.Error(), "OHIO") {
		t.Errorf("duplicated data rows: %v", err)
	}
	m = &Choropleth{Regions: regions, IDs: []string{"OHIO"}, Values: []float64{1}, Palette: "Rainbow"}
	if err := m.Draw(newTestCanvas()); err == nil || !strings.Contains(err.Error(), "Rainbow") {
		t.Errorf("unknown palette: %v", err)
	}
}

func TestRegionsFromErrors(t *testing.T) {
	sq := orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}
	for _, tc := range []struct {
		name  string
		ids   []string
		geoms []orb.Geometry
		want  string
	}{
		{"point", []string{"a"}, []orb.Geometry{orb.Point{0, 0}}, `"a" is a Point`},
		{"duplicate", []string{"a", "a"}, []orb.Geometry{sq, sq}, `two regions have the ID "a"`},
		{"nan", []string{"b"}, []orb.Geometry{orb.Polygon{{{0, 0}, {math.NaN(), 0}, {1, 1}, {0, 0}}}}, `"b" has a non-finite`},
		{"empty", nil, nil, "no regions"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := RegionsFrom(tc.ids, tc.geoms)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error with %q", err, tc.want)
			}
		})
	}
}

func TestProjection(t *testing.T) {
	// A 1°×1° cell at 60° N is drawn twice as tall as wide (cos 60° = ½).
	sq := Region{ID: "a"}
	sq.Geom = append(sq.Geom, ringList{{{10, 60}, {11, 60}, {11, 61}, {10, 61}, {10, 60}}}.toPolygon())
	f := newFrame(sq.Geom.Bound(), AutoProjection, 0, 0, 100, 100)
	e := f.extent()
	ratio := float64(e.Max.Y-e.Min.Y) / float64(e.Max.X-e.Min.X)
	if want := 1 / math.Cos(60.5*math.Pi/180); math.Abs(ratio-want) > 1e-9 {
		t.Errorf("aspect %v, want %v", ratio, want)
	}
	f = newFrame(sq.Geom.Bound(), Planar, 0, 0, 100, 100)
	e = f.extent()
	if r := float64(e.Max.Y-e.Min.Y) / float64(e.Max.X-e.Min.X); math.Abs(r-1) > 1e-12 {
		t.Errorf("planar aspect %v", r)
	}
	_ = image.Point{}
}
