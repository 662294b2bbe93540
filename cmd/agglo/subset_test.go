package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agglo/agglo/regress"
	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/floats/scalar"
)

// TestSubsetWeightsProduc builds the queen contiguity of the US states
// (with DISTRICT_OF_COLUMBIA, which Produc lacks), subsets it to Produc's
// 48 states by file and on the fly in fit and moran. A fit on the subset
// file and with --subset-weights give the same estimates.
func TestSubsetWeightsProduc(t *testing.T) {
	geo := sharedData(t, "us_states.geojson")
	data := sharedData(t, "produc.csv")
	dir := t.TempDir()
	full := filepath.Join(dir, "us.gal")
	if code, _, stderr := runCLI(t, "weights", "build", "--geojson", geo, "--id", "id", "--contiguity", "queen", "--out", full); code != 0 {
		t.Fatalf("build: %s", stderr)
	}
	fw, err := spatial.ReadWeightsFile(full, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := fw.Index("DISTRICT_OF_COLUMBIA"); !ok {
		t.Skip("us_states.geojson has no DISTRICT_OF_COLUMBIA: nothing to subset")
	}
	sub := filepath.Join(dir, "us48.gal")
	code, stdout, stderr := runCLI(t, "weights", "subset", full, sub, "--data", data, "--id", "state")
	if code != 0 || !strings.Contains(stdout, "DISTRICT_OF_COLUMBIA") || !strings.Contains(stdout, "48 of") {
		t.Fatalf("subset: code %d\n%s\n%s", code, stdout, stderr)
	}
	sw, err := spatial.ReadWeightsFile(sub, "")
	if err != nil || sw.N() != 48 {
		t.Fatalf("subset weights: %v, N = %d", err, sw.N())
	}
	// Without the subset, fit fails and says how to fix it.
	base := []string{"fit", "--data", data, "--id", "state", "--time", "year", "--formula", producF, "--model", "sar",
		"--effects", "individual", "--impacts-draws", "0", "--format", "json"}
	code, _, stderr = runCLI(t, append(base, "--weights", full)...)
	if code != 1 || !strings.Contains(stderr, "DISTRICT_OF_COLUMBIA") || !strings.Contains(stderr, "--subset-weights") {
		t.Errorf("fit on the full weights: code %d %s", code, stderr)
	}
	_, fromFile, stderr1 := runCLI(t, append(base, "--weights", sub)...)
	code, onTheFly, stderr2 := runCLI(t, append(base, "--weights", full, "--subset-weights")...)
	if code != 0 {
		t.Fatalf("--subset-weights: %s %s", stderr1, stderr2)
	}
	if !strings.Contains(onTheFly, "dropped 1 region(s) without data") {
		t.Errorf("fit does not note the dropped region:\n%s", onTheFly)
	}
	// The same model to the optimiser's tolerance (the weights agree to
	// rounding: 1/k from the file's binary weights, or re-standardised).
	var a, b regress.Result
	if err := json.Unmarshal([]byte(fromFile), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(onTheFly), &b); err != nil {
		t.Fatal(err)
	}
	for i, c := range a.Coefficients {
		if !scalar.EqualWithinAbsOrRel(c.Estimate, b.Coefficients[i].Estimate, 1e-10, 1e-6) {
			t.Errorf("%s: subset file %v, --subset-weights %v", c.Name, c.Estimate, b.Coefficients[i].Estimate)
		}
	}
	// moran on one year: the same.
	code, _, stderr = runCLI(t, "moran", "--data", data, "--id", "state", "--var", "unemp", "--where", "year=1980", "--weights", full, "--subset-weights")
	if code != 0 || !strings.Contains(stderr, "DISTRICT_OF_COLUMBIA") {
		t.Errorf("moran --subset-weights: code %d %s", code, stderr)
	}
	// Errors: both sources, neither, an input as OUT.
	for _, args := range [][]string{
		{"weights", "subset", full, filepath.Join(dir, "x.gal")},
		{"weights", "subset", full, filepath.Join(dir, "x.gal"), "--keep", data, "--data", data, "--id", "state"},
		{"weights", "subset", full, full, "--data", data, "--id", "state"},
	} {
		if code, _, _ := runCLI(t, args...); code != 2 {
			t.Errorf("%v: code %d, want 2", args, code)
		}
	}
	ids := filepath.Join(dir, "ids.txt")
	os.WriteFile(ids, []byte("ALABAMA\nNOWHERE\n"), 0o644)
	if code, _, stderr := runCLI(t, "weights", "subset", full, filepath.Join(dir, "y.gal"), "--keep", ids); code != 1 || !strings.Contains(stderr, "NOWHERE") {
		t.Errorf("unknown id: code %d %s", code, stderr)
	}
}

// TestMoranWhereMatchesNothing: a --where without a match says so and
// gives the range of the column.
func TestMoranWhereMatchesNothing(t *testing.T) {
	data := sharedData(t, "produc.csv")
	code, _, stderr := runCLI(t, "moran", "--data", data, "--id", "state", "--var", "unemp", "--where", "year=1999",
		"--weights", sharedData(t, "usaww.csv"))
	if code != 1 || !strings.Contains(stderr, "--where year=1999 matched 0 of 816 rows; year takes 1970–1986") {
		t.Errorf("code %d: %s", code, stderr)
	}
	// The same for plot map.
	code, _, stderr = runCLI(t, "plot", "map", "--geojson", sharedData(t, "us_states.geojson"), "--geo-id", "id", "--data", data,
		"--id", "state", "--var", "unemp", "--where", "year=1999", "--out", filepath.Join(t.TempDir(), "m.png"))
	if code != 1 || !strings.Contains(stderr, "--where year=1999 matched 0 of 816 rows; year takes 1970–1986") {
		t.Errorf("plot map: code %d: %s", code, stderr)
	}
}
