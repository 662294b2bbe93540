package main

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/agglo/agglo/index"
	"github.com/agglo/agglo/table"
)

// TestIndexCompositeCLI checks agglo index composite on the hand-computed
// entropy example of index.TestCompositeEntropyHand: x1 = (1, 2, 4), x2 =
// (10, 30, 20), x2 negative; the index of region c is w1 + w2/2 with
// e1 = (¼ ln 4 + ¾ ln 4/3)/ln 3, e2 = (⅔ ln 3/2 + ⅓ ln 3)/ln 3.
func TestIndexCompositeCLI(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "d.csv")
	if err := os.WriteFile(data, []byte("id,year,x1,x2\na,2020,1,10\nb,2020,2,30\nc,2020,4,20\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	wout := filepath.Join(dir, "w.csv")
	code, stdout, stderr := runCLI(t, "index", "composite", "--data", data, "--id", "id", "--time", "year",
		"--indicators", "x1,x2", "--negative", "x2", "--weights-out", wout)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	ln3 := math.Log(3)
	e1 := (0.25*math.Log(4) + 0.75*math.Log(4.0/3)) / ln3
	e2 := (2.0/3*math.Log(1.5) + 1.0/3*math.Log(3)) / ln3
	w1, w2 := (1-e1)/(2-e1-e2), (1-e2)/(2-e1-e2)
	recs, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != "id,year,index" || len(recs) != 4 {
		t.Fatalf("output:\n%s", stdout)
	}
	for k, want := range []float64{w2, w1 / 3, w1 + w2/2} {
		got, _ := strconv.ParseFloat(recs[k+1][2], 64)
		if !(math.Abs(got-want) <= 1e-14) {
			t.Errorf("row %d: index %v, hand %v", k+1, got, want)
		}
	}
	b, err := os.ReadFile(wout)
	if err != nil {
		t.Fatal(err)
	}
	wrecs, _ := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if len(wrecs) != 3 || wrecs[1][1] != "x1" {
		t.Fatalf("weights:\n%s", b)
	}
	if got, _ := strconv.ParseFloat(wrecs[1][2], 64); !(math.Abs(got-w1) <= 1e-14) {
		t.Errorf("w1 = %v, hand %v", got, w1)
	}
	for _, args := range [][]string{
		{"--method", "entropy", "--normalise", "zscore"},
		{"--negative", "x3"},
		{"--by-period"},
		{"--method", "magic"},
	} {
		base := []string{"index", "composite", "--data", data, "--id", "id", "--indicators", "x1,x2"}
		if code, _, _ := runCLI(t, append(base, args...)...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

// TestBatchCompositeColumn checks that a batch spec's index.columns entry
// "index: composite" appends the composite of panel columns, equal to
// index.CompositeOf on the same panel, with no long table needed.
func TestBatchCompositeColumn(t *testing.T) {
	dir := demoStudyDir(t)
	panel, err := os.ReadFile(filepath.Join(dir, "innovation.csv"))
	if err != nil {
		t.Fatal(err)
	}
	spec := &batchSpec{Data: filepath.Join(dir, "innovation.csv"), ID: "region", Time: "year", Index: &indexSpec{
		Columns: []indexColumnSpec{{Name: "inno", Index: "composite", Indicators: []string{"new_product_sales", "log_rd"}, Method: "pca", ByPeriod: true}}}}
	if err := spec.check(); err != nil && strings.Contains(err.Error(), "index") {
		t.Fatalf("spec check: %v", err)
	}
	precs, err := csv.NewReader(strings.NewReader(string(panel))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	recs, err := joinIndexColumns(precs, spec)
	if err != nil {
		t.Fatal(err)
	}
	d, err := index.ReadIndicators(table.NewCSV(strings.NewReader(string(panel)), "innovation.csv", table.Options{}), "region", "year", []string{"new_product_sales", "log_rd"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := index.CompositeOf(d, index.CompositeOptions{Method: index.PCAMethod, Normalise: index.ZScore, ByPeriod: true})
	if err != nil {
		t.Fatal(err)
	}
	last := len(recs[0]) - 1
	if recs[0][last] != "inno" || len(recs)-1 != len(res.Index) {
		t.Fatalf("header %v, %d rows for %d index values", recs[0], len(recs)-1, len(res.Index))
	}
	for r, v := range res.Index {
		got, _ := strconv.ParseFloat(recs[r+1][last], 64)
		if got != v || recs[r+1][0] != res.Regions[r] {
			t.Fatalf("row %d: %s %v, want %s %v", r+1, recs[r+1][0], got, res.Regions[r], v)
		}
	}
}
