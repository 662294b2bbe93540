package spatial

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

// spdepReference is testdata/spdep_reference.json, written by
// testdata/spdep_reference.R (spdep 1.2-7, R 4.2.2): spdep's reading of
// the asymmetric weights files testdata/asym.gal and testdata/asym.gwt,
// and its Geary and Moran tests with zero.policy = TRUE on
// testdata/islands.gal (a 4 × 4 rook lattice and one island).
type spdepReference struct {
	AsymGAL spdepMatrix `json:"asym_gal"`
	AsymGWT spdepMatrix `json:"asym_gwt"`
	Islands struct {
		IDs   []string  `json:"ids"`
		X     []float64 `json:"x"`
		Tests []struct {
			Style         string    `json:"style"`
			Randomisation bool      `json:"randomisation"`
			Geary         spdepTest `json:"geary"`
			Moran         spdepTest `json:"moran"`
		} `json:"tests"`
	} `json:"islands"`
}

type spdepMatrix struct {
	IDs    []string    `json:"ids"`
	Matrix [][]float64 `json:"matrix"`
}

type spdepTest struct {
	Statistic   float64 `json:"statistic"`
	Expectation float64 `json:"expectation"`
	Variance    float64 `json:"variance"`
	Z           float64 `json:"z"`
}

func readSpdepReference(t *testing.T) spdepReference {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "spdep_reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref spdepReference
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatalf("testdata/spdep_reference.json: %v", err)
	}
	return ref
}

// TestReadAsymmetricWeights pins the direction of links: row i of the
// weights holds the neighbours listed under region i in a GAL file and the
// links "i j w" of a GWT file, as spdep's read.gal and read.gwt2nb read the
// same files (listw2mat of style "B"). Both files are asymmetric, so a
// reader that transposed the links fails.
func TestReadAsymmetricWeights(t *testing.T) {
	ref := readSpdepReference(t)
	for _, tc := range []struct {
		file string
		want spdepMatrix
	}{
		{"asym.gal", ref.AsymGAL},
		{"asym.gwt", ref.AsymGWT},
	} {
		t.Run(tc.file, func(t *testing.T) {
			w, err := ReadWeightsFile(filepath.Join("testdata", tc.file), "")
			if err != nil {
				t.Fatal(err)
			}
			if len(tc.want.IDs) != 5 || len(tc.want.Matrix) != 5 {
				t.Fatalf("reference has %d IDs and %d rows, want 5", len(tc.want.IDs), len(tc.want.Matrix))
			}
			if w.N() != len(tc.want.IDs) {
				t.Fatalf("%d regions, spdep %d", w.N(), len(tc.want.IDs))
			}
			links := 0
			for i, id := range tc.want.IDs {
				if w.IDs()[i] != id {
					t.Errorf("region %d is %q, spdep %q", i, w.IDs()[i], id)
				}
				for j, v := range tc.want.Matrix[i] {
					if got := w.At(i, j); got != v {
						t.Errorf("w[%s→%s] = %g, spdep %g", id, tc.want.IDs[j], got, v)
					}
					if v != 0 {
						links++
					}
				}
			}
			if w.NNZ() != links || links != 8 {
				t.Errorf("%d links, spdep %d (file: 8)", w.NNZ(), links)
			}
			if w.IsStructurallySymmetric() {
				t.Error("the asymmetric file read as symmetric")
			}
		})
	}
}

// TestGearyIslandsSpdep checks Geary's C and Moran's I with an island under
// the zero policy against spdep's geary.test and moran.test (zero.policy =
// TRUE, adjust.n = TRUE by default) on islands.gal, styles W and B, under
// randomisation and normality: statistic, expectation, variance and z to
// 1e-12 relative. The island makes n (16, regions with neighbours) and N
// (17, all values) differ, so each place of n and N in the moments matters.
func TestGearyIslandsSpdep(t *testing.T) {
	ref := readSpdepReference(t)
	isl := ref.Islands
	if len(isl.Tests) != 4 || len(isl.X) != 17 {
		t.Fatalf("reference has %d tests and %d values, want 4 and 17", len(isl.Tests), len(isl.X))
	}
	b, err := ReadWeightsFile(filepath.Join("testdata", "islands.gal"), "")
	if err != nil {
		t.Fatal(err)
	}
	for i, id := range isl.IDs {
		if b.IDs()[i] != id {
			t.Fatalf("region %d is %q, spdep %q", i, b.IDs()[i], id)
		}
	}
	if got := b.Islands(); len(got) != 1 || b.IDs()[got[0]] != "isle" {
		t.Fatalf("islands %v, want [isle]", got)
	}
	const tol = 1e-12
	for _, tc := range isl.Tests {
		style := map[string]Style{"W": RowStandardized, "B": Binary}[tc.Style]
		w, err := b.Transform(style)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []struct {
			name string
			fn   func([]float64, *Weights, TestOptions) (GlobalTest, error)
			want spdepTest
		}{{"geary", Geary, tc.Geary}, {"moran", Moran, tc.Moran}} {
			got, err := f.fn(isl.X, w, TestOptions{ZeroPolicy: true})
			if err != nil {
				t.Fatal(err)
			}
			v, z := got.VarNormality, got.ZNormality
			if tc.Randomisation {
				v, z = got.VarRandomisation, got.ZRandomisation
			}
			name := f.name + " style " + tc.Style
			if tc.Randomisation {
				name += " randomisation"
			} else {
				name += " normality"
			}
			for _, c := range []struct {
				what      string
				got, want float64
			}{
				{"statistic", got.Statistic, f.want.Statistic},
				{"expectation", got.Expectation, f.want.Expectation},
				{"variance", v, f.want.Variance},
				{"z", z, f.want.Z},
			} {
				if !scalar.EqualWithinAbsOrRel(c.got, c.want, tol, tol) {
					t.Errorf("%s: %s %.15g, spdep %.15g", name, c.what, c.got, c.want)
				}
			}
			if got.N != 16 {
				t.Errorf("%s: n = %d, want 16 (17 regions less the island)", name, got.N)
			}
		}
	}
}
