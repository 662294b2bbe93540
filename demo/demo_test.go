package demo

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"testing"

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
