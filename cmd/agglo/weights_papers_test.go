package main

import (
	"path/filepath"
	"testing"

	"github.com/agglo/agglo/index"
	"github.com/agglo/agglo/spatial"
	"github.com/agglo/agglo/table"
	"gonum.org/v1/gonum/floats/scalar"
)

// sameWeights fails unless a and b have the same regions and weights.
func sameWeights(t *testing.T, name string, got, want *spatial.Weights) {
	t.Helper()
	if got.N() != want.N() || got.NNZ() != want.NNZ() {
		t.Fatalf("%s: %d regions, %d links; want %d, %d", name, got.N(), got.NNZ(), want.N(), want.NNZ())
	}
	for i, id := range want.IDs() {
		gi, ok := got.Index(id)
		if !ok {
			t.Fatalf("%s: region %q missing", name, id)
		}
		for j, jd := range want.IDs() {
			gj, _ := got.Index(jd)
			if g, w := got.At(gi, gj), want.At(i, j); !scalar.EqualWithinAbsOrRel(g, w, 1e-12, 1e-12) {
				t.Fatalf("%s: w[%s,%s] = %v, want %v", name, id, jd, g, w)
			}
		}
	}
}

// TestWeightsBuildPapers checks that weights build --order, --kernel,
// --economic (alone and nested) and --block, and weights combine, write
// the weights the spatial functions build (those are tested against spdep
// and hand computations in package spatial).
func TestWeightsBuildPapers(t *testing.T) {
	geo := sharedData(t, "columbus.geojson")
	csv := sharedData(t, "columbus.csv")
	dir := t.TempDir()
	regions, err := spatial.ReadGeoJSONFile(geo, "id")
	if err != nil {
		t.Fatal(err)
	}
	queen, err := spatial.Contiguity(regions, spatial.ContiguityOptions{Queen: true})
	if err != nil {
		t.Fatal(err)
	}
	ind, err := index.ReadIndicatorsFile(csv, "id", "", []string{"INC"}, table.Options{})
	if err != nil {
		t.Fatal(err)
	}
	incIDs, incMeans := ind.RegionMeans(0)
	byID := map[string]float64{}
	for k, id := range incIDs {
		byID[id] = incMeans[k]
	}
	inc := make([]float64, len(regions.IDs))
	for i, id := range regions.IDs {
		inc[i] = byID[id]
	}
	build := func(args ...string) *spatial.Weights {
		t.Helper()
		out := filepath.Join(dir, "w.gwt")
		code, _, stderr := runCLI(t, append(append([]string{"weights", "build"}, args...), "--out", out)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		w, err := spatial.ReadWeightsFile(out, "")
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	order2, _ := spatial.HigherOrder(queen, 2, false)
	sameWeights(t, "order 2", build("--geojson", geo, "--id", "id", "--contiguity", "queen", "--order", "2", "--style", "B"), order2)
	cum3, _ := spatial.HigherOrder(queen, 3, true)
	sameWeights(t, "cumulative 3", build("--geojson", geo, "--id", "id", "--contiguity", "queen", "--order", "3", "--cumulative", "--style", "B"), cum3)
	kern, err := spatial.KernelWeights(regions.IDs, regions.Centroids(), spatial.KernelOptions{Kernel: spatial.KernelBisquare, K: 4, Adaptive: true}, spatial.Euclidean)
	if err != nil {
		t.Fatal(err)
	}
	sameWeights(t, "kernel", build("--geojson", geo, "--id", "id", "--planar", "--kernel", "bisquare", "--kernel-k", "4", "--adaptive"), kern)
	econ, err := spatial.EconomicDistance(regions.IDs, inc)
	if err != nil {
		t.Fatal(err)
	}
	sameWeights(t, "economic", build("--economic", "INC", "--data", csv, "--id", "id"), econ)
	nested, err := spatial.NestedEconomic(queen, inc)
	if err != nil {
		t.Fatal(err)
	}
	sameWeights(t, "nested", build("--geojson", geo, "--id", "id", "--contiguity", "queen", "--economic", "INC", "--data", csv), nested)

	// Combine: contiguity × inverse distance.
	q, d := filepath.Join(dir, "q.gal"), filepath.Join(dir, "d.gwt")
	for _, args := range [][]string{
		{"--contiguity", "queen", "--out", q},
		{"--inverse-distance", "1", "--planar", "--out", d},
	} {
		if code, _, stderr := runCLI(t, append([]string{"weights", "build", "--geojson", geo, "--id", "id"}, args...)...); code != 0 {
			t.Fatalf("%v: %s", args, stderr)
		}
	}
	out := filepath.Join(dir, "qd.gwt")
	if code, _, stderr := runCLI(t, "weights", "combine", q, d, "--op", "hadamard", "--out", out); code != 0 {
		t.Fatal(stderr)
	}
	idw, err := spatial.InverseDistance(regions.IDs, regions.Centroids(), 1, 0, spatial.Euclidean)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := spatial.Combine(queen, idw, spatial.Hadamard)
	got, err := spatial.ReadWeightsFile(out, "")
	if err != nil {
		t.Fatal(err)
	}
	sameWeights(t, "hadamard", got, want)

	// Bad combinations are usage errors (exit 2).
	for _, args := range [][]string{
		{"--economic", "INC", "--id", "id"},
		{"--geojson", geo, "--id", "id", "--kernel", "bisquare"},
		{"--geojson", geo, "--id", "id", "--contiguity", "queen", "--cumulative"},
		{"--block", "region", "--data", csv, "--id", "id", "--geojson", geo, "--contiguity", "queen"},
	} {
		if code, _, _ := runCLI(t, append([]string{"weights", "build"}, args...)...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

// TestWeightsBuildBlock checks --block on produc.csv (48 states, one row
// per state and year) against spatial.Block of its region column: the
// states of one census region are neighbours.
func TestWeightsBuildBlock(t *testing.T) {
	data := sharedData(t, "produc.csv")
	m := summaryJSON(t, "weights", "build", "--block", "region", "--data", data, "--id", "state", "--format", "json")
	// Hand count: Σ_g n_g (n_g − 1) over the 9 regions of produc's 48
	// states (sizes 6, 3, 5, 7, 8, 4, 4, 8, 3 in 1970) = 30 + 6 + 20 + 42 +
	// 56 + 12 + 12 + 56 + 6 = 240; the smallest block has 3 states (2
	// links), the largest 8 (7 links).
	if m["n"].(float64) != 48 || m["links"].(float64) != 240 || m["min_neighbors"].(float64) != 2 || m["max_neighbors"].(float64) != 7 {
		t.Fatalf("%v", m)
	}
}
