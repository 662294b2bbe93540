package demo

import (
	"bytes"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/agglo/agglo/internal/sharedtest"
	"github.com/agglo/agglo/spatial"
)

func TestGenerateDeterministic(t *testing.T) {
	a, err := Generate(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Generate(DefaultConfig())
	fa, err := a.Files()
	if err != nil {
		t.Fatal(err)
	}
	fb, _ := b.Files()
	for name := range fa {
		if !bytes.Equal(fa[name], fb[name]) {
			t.Errorf("%s differs between two runs with the same seed", name)
		}
	}
	if len(a.Regions) != 100 || len(a.Innovation) != 500 || len(a.Employment) != 100*9*5 {
		t.Errorf("sizes: %d regions, %d innovation rows, %d employment rows", len(a.Regions), len(a.Innovation), len(a.Employment))
	}
}

func TestHexContiguityFromPolygons(t *testing.T) {
	s, err := Generate(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	truth, _ := s.Weights()
	r := &spatial.Regions{}
	for _, reg := range s.Regions {
		r.IDs = append(r.IDs, reg.ID)
		r.Polygons = append(r.Polygons, reg.Polygon)
	}
	for _, queen := range []bool{true, false} {
		w, err := spatial.Contiguity(r, spatial.ContiguityOptions{Queen: queen})
		if err != nil {
			t.Fatal(err)
		}
		// Hexagons meet only along edges: queen = rook = the true W.
		if w.NNZ() != truth.NNZ() {
			t.Fatalf("queen=%v: %d links from polygons, %d true", queen, w.NNZ(), truth.NNZ())
		}
		for i := 0; i < w.N(); i++ {
			a, _ := w.Neighbours(i)
			b, _ := truth.Neighbours(i)
			for k := range a {
				if a[k] != b[k] {
					t.Fatalf("region %s: %v vs %v", w.IDs()[i], a, b)
				}
			}
		}
	}
}

var regen = flag.Bool("regen", false, "rewrite the embedded demo files from the generator")

func TestEmbeddedMatchesGenerator(t *testing.T) {
	s, err := Generate(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	files, err := s.Files()
	if err != nil {
		t.Fatal(err)
	}
	if *regen {
		for name, b := range files {
			if err := os.WriteFile(filepath.Join("data", name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	emb, err := EmbeddedFiles()
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range files {
		if !bytes.Equal(emb[name], b) {
			t.Errorf("embedded %s differs from the generator's output (run go test ./demo -regen after a deliberate change)", name)
		}
	}
}

func TestLoadStudyRecomputesTheRegressors(t *testing.T) {
	s, err := Generate(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	files, err := EmbeddedFiles()
	if err != nil {
		t.Fatal(err)
	}
	d, err := LoadStudy(files)
	if err != nil {
		t.Fatal(err)
	}
	// The pipeline computes va and coagg with package index from the
	// employment file; they must be the generator's regressors exactly.
	for _, year := range []int{2013, 2017} {
		va, err := d.column("va", strconv.Itoa(year))
		if err != nil {
			t.Fatal(err)
		}
		co, _ := d.column("coagg", strconv.Itoa(year))
		for _, r := range s.Innovation {
			if r.Year != year {
				continue
			}
			i, _ := d.W.Index(r.Region)
			if va[i] != r.VA || co[i] != r.Coagg {
				t.Fatalf("%s %d: va %v vs %v, coagg %v vs %v", r.Region, year, va[i], r.VA, co[i], r.Coagg)
			}
		}
	}
}

func TestRunStudyRecoversTheTruth(t *testing.T) {
	files, err := EmbeddedFiles()
	if err != nil {
		t.Fatal(err)
	}
	truth := DefaultTruth()
	dir := t.TempDir()
	rep, err := RunStudy(files, dir, StudyOptions{Truth: &truth, Permutations: 99, ImpactDraws: 200})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.TruthCheck) != 1+2*len(Regressors) {
		t.Fatalf("truth rows %v", rep.TruthCheck)
	}
	for _, r := range rep.TruthCheck {
		// The embedded study is one draw: every SDM estimate within 3
		// standard errors of the data-generating value.
		if math.Abs(r.Z) > 3 {
			t.Errorf("%s: estimate %.4f, truth %.4f, z = %.2f", r.Name, r.Estimate, r.Truth, r.Z)
		}
	}
	for _, f := range []string{"table.md", "table.tex", "table.csv", "models/sdm.json", "effects.csv", "moran.csv",
		"lm_tests.csv", "indices/egk.csv", "figures/effects_sdm.png", "report.md"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	// The truth table comes from the Lee–Yu corrected fit (T = 5), and the
	// report and tables say so.
	if ly := rep.Models["sdm"].Options["lee_yu"]; ly != true {
		t.Errorf("SDM lee_yu = %v", ly)
	}
	for f, want := range map[string]string{"report.md": "The SDM fitted by Lee–Yu corrected ML", "table.md": "Lee–Yu corrected",
		"table.csv": "Lee–Yu corrected", "table.tex": "Lee--Yu corrected", "models/sdm.json": `"lee_yu": true`} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil || !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %q", f, want)
		}
	}
}

// TestReportByteIdentical is issue 13 item 23: two runs write the same
// report.md (its file list was in map order).
func TestReportByteIdentical(t *testing.T) {
	files, err := EmbeddedFiles()
	if err != nil {
		t.Fatal(err)
	}
	var reports [3][]byte
	for k := range reports {
		dir := t.TempDir()
		if _, err := RunStudy(files, dir, StudyOptions{NoFigures: true, Permutations: 9, ImpactDraws: 20}); err != nil {
			t.Fatal(err)
		}
		if reports[k], err = os.ReadFile(filepath.Join(dir, "report.md")); err != nil {
			t.Fatal(err)
		}
		if k > 0 && string(reports[k]) != string(reports[0]) {
			t.Fatalf("run %d wrote another report.md", k+1)
		}
	}
}

// TestExamplesMatchShared checks that the example data shipped in the
// binary are the reference files of ../shared/data (produc.csv from plm,
// usaww_edges.csv from splm, us_states.geojson), byte for byte.
func TestExamplesMatchShared(t *testing.T) {
	files, err := ExampleFiles()
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 3 {
		t.Fatalf("ExampleFiles: %d files, want 3", len(files))
	}
	for name, got := range files {
		want := sharedtest.ReadFile(t, "data", name)
		if !bytes.Equal(got, want) {
			t.Errorf("demo/examples/%s differs from ../shared/data/%s", name, name)
		}
	}
}
