package plot

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

const sharedData = "../../shared/data"

// usStates reads the polygons of the 48 contiguous states and DC.
func usStates(t testing.TB) []Region {
	t.Helper()
	f, err := os.Open(filepath.Join(sharedData, "us_states.geojson"))
	if os.IsNotExist(err) {
		t.Skip("../shared is absent: skipping the test on US states")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := ReadRegions(f, "id")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// produc returns column col of Produc (plm) for one year, by state.
func produc(t testing.TB, year int, col string) (ids []string, vals []float64) {
	t.Helper()
	f, err := os.Open(filepath.Join(sharedData, "produc.csv"))
	if os.IsNotExist(err) {
		t.Skip("../shared is absent: skipping the test on Produc")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	ci := -1
	for j, h := range rows[0] {
		if h == col {
			ci = j
		}
	}
	for _, r := range rows[1:] {
		if r[1] != strconv.Itoa(year) {
			continue
		}
		v, err := strconv.ParseFloat(r[ci], 64)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r[0])
		vals = append(vals, v)
	}
	return ids, vals
}
