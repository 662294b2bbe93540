package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestWeightsBuildShapefile: queen and rook weights built from the
// shapefile fixture (made from ../shared/data/columbus.geojson by ogr2ogr,
// spatial/testdata/shp/README.md) through --geometry equal those built from
// the GeoJSON through the --geojson alias, byte for byte.
func TestWeightsBuildShapefile(t *testing.T) {
	geo := sharedData(t, "columbus.geojson")
	shp := filepath.Join("..", "..", "spatial", "testdata", "shp", "columbus.shp")
	dir := t.TempDir()
	for _, rule := range []string{"queen", "rook"} {
		a := filepath.Join(dir, rule+"_shp.gal")
		b := filepath.Join(dir, rule+"_geo.gal")
		if code, _, stderr := runCLI(t, "weights", "build", "--geometry", shp, "--id", "id", "--contiguity", rule, "--out", a); code != 0 {
			t.Fatalf("%s from shapefile: exit %d: %s", rule, code, stderr)
		}
		if code, _, stderr := runCLI(t, "weights", "build", "--geojson", geo, "--id", "id", "--contiguity", rule, "--out", b); code != 0 {
			t.Fatalf("%s from GeoJSON: exit %d: %s", rule, code, stderr)
		}
		ga, err := os.ReadFile(a)
		if err != nil {
			t.Fatal(err)
		}
		gb, err := os.ReadFile(b)
		if err != nil {
			t.Fatal(err)
		}
		if len(gb) < 100 || !bytes.Equal(ga, gb) {
			t.Errorf("%s: shapefile weights differ from GeoJSON weights:\n%s\nvs\n%s", rule, ga, gb)
		}
	}
	// The GBK fixture through --encoding: forcing UTF-8 fails with a
	// message naming the file.
	gbk := filepath.Join("..", "..", "spatial", "testdata", "shp", "gbk.shp")
	code, _, stderr := runCLI(t, "weights", "build", "--geometry", gbk, "--id", "name", "--encoding", "UTF-8", "--contiguity", "queen", "--out", filepath.Join(dir, "gbk.gal"))
	if code == 0 || !bytes.Contains([]byte(stderr), []byte("gbk.dbf")) {
		t.Errorf("GBK read as UTF-8: exit %d, stderr %q; want an error naming gbk.dbf", code, stderr)
	}
	out := filepath.Join(dir, "gbk_ok.gal")
	if code, _, stderr := runCLI(t, "weights", "build", "--geometry", gbk, "--id", "name", "--contiguity", "rook", "--out", out); code != 0 {
		t.Fatalf("GBK shapefile: exit %d: %s", code, stderr)
	}
	g, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(g, []byte("北京")) || !bytes.Contains(g, []byte("天津")) {
		t.Errorf("GBK names missing from the weights file:\n%s", g)
	}
}

// TestBatchWeightsShapefile: a batch weights spec naming the shapefile
// fixture builds the same queen and k-nearest-neighbour weights as the
// GeoJSON it was converted from (spatial/testdata/shp/README.md).
func TestBatchWeightsShapefile(t *testing.T) {
	geo := sharedData(t, "columbus.geojson")
	shp := filepath.Join("..", "..", "spatial", "testdata", "shp", "columbus.shp")
	for _, spec := range []weightsSpec{{Contiguity: "queen"}, {Contiguity: "rook"}, {KNN: 4}} {
		a, b := spec, spec
		a.File, a.ID = shp, "id"
		b.File, b.ID = geo, "id"
		wa, err := buildWeights(a)
		if err != nil {
			t.Fatal(err)
		}
		wb, err := buildWeights(b)
		if err != nil {
			t.Fatal(err)
		}
		if wb.NNZ() == 0 || !reflect.DeepEqual(wa.IDs(), wb.IDs()) || !mat.Equal(wa, wb) {
			t.Errorf("%+v: weights from the shapefile differ from the GeoJSON's", spec)
		}
	}
}

// TestOutNotShapefileSidecar: an --out that is a shapefile's .dbf, .shx or
// .prj (files the reader opens beside the .shp) is refused and the file is
// left as it was.
func TestOutNotShapefileSidecar(t *testing.T) {
	src := filepath.Join("..", "..", "spatial", "testdata", "shp")
	dir := t.TempDir()
	for _, ext := range []string{".shp", ".shx", ".dbf", ".prj", ".cpg"} {
		b, err := os.ReadFile(filepath.Join(src, "columbus"+ext))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "columbus"+ext), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	shp := filepath.Join(dir, "columbus.shp")
	// The output names a .gal (an extension weights build writes) through
	// a symbolic link to the sidecar.
	for _, ext := range []string{".dbf", ".shx", ".prj"} {
		side := filepath.Join(dir, "columbus"+ext)
		out := filepath.Join(dir, "out"+strings.TrimPrefix(ext, ".")+".gal")
		if err := os.Symlink(side, out); err != nil {
			t.Fatal(err)
		}
		before, _ := os.ReadFile(side)
		code, _, stderr := runCLI(t, "weights", "build", "--geometry", shp, "--id", "id", "--contiguity", "queen", "--out", out)
		if code != 2 || !strings.Contains(stderr, "would overwrite the input") {
			t.Errorf("--out %s → %s: exit %d: %s", out, side, code, stderr)
		}
		if after, _ := os.ReadFile(side); len(before) == 0 || !bytes.Equal(before, after) {
			t.Errorf("%s was changed", side)
		}
	}
}

// TestPlotMapShapefile: plot map reads the shapefile fixture through
// --geometry and draws the same figure as from the GeoJSON it was made from.
func TestPlotMapShapefile(t *testing.T) {
	geo := sharedData(t, "columbus.geojson")
	shp := filepath.Join("..", "..", "spatial", "testdata", "shp", "columbus.shp")
	dir := t.TempDir()
	var csv bytes.Buffer
	csv.WriteString("id,v\n")
	for i := 1; i <= 49; i++ {
		fmt.Fprintf(&csv, "%d,%d\n", i, i*i%17)
	}
	data := filepath.Join(dir, "v.csv")
	if err := os.WriteFile(data, csv.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var figs [2][]byte
	for k, g := range []string{shp, geo} {
		out := filepath.Join(dir, fmt.Sprintf("map%d.svg", k))
		if code, _, stderr := runCLI(t, "plot", "map", "--geometry", g, "--geo-id", "id", "--data", data, "--id", "id", "--var", "v", "--out", out); code != 0 {
			t.Fatalf("%s: exit %d: %s", g, code, stderr)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		figs[k] = b
	}
	if len(figs[1]) < 1000 || !bytes.Equal(figs[0], figs[1]) {
		t.Errorf("map from the shapefile (%d bytes) differs from the GeoJSON's (%d bytes)", len(figs[0]), len(figs[1]))
	}
}
