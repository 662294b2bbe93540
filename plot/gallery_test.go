package plot

import (
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/plot/vg"
)

// galleryDir is where TestGallery writes every figure type: the folder in
// AGGLO_GALLERY, or a temporary folder.
func galleryDir(t *testing.T) string {
	if d := os.Getenv("AGGLO_GALLERY"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// TestGallery writes every figure type of the package into one folder
// (AGGLO_GALLERY=dir go test -run Gallery ./plot keeps them).
func TestGallery(t *testing.T) {
	dir := galleryDir(t)
	regions := usStates(t)
	ids, unemp := produc(t, 1986, "unemp")
	figs := map[string]Figure{
		"choropleth": &Choropleth{Regions: regions, IDs: ids, Values: unemp, Scheme: Jenks, K: 5,
			Title: "Unemployment rate, 1986", LegendTitle: "Percent",
			MapDecorations: MapDecorations{NorthArrow: true, ScaleBar: true}},
	}
	for name, f := range figs {
		for _, ext := range []string{".png", ".svg", ".pdf"} {
			path := filepath.Join(dir, name+ext)
			if err := Save(path, f, Options{Width: 16 * vg.Centimeter, Height: 10 * vg.Centimeter, DPI: 150}); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
		}
	}
}
