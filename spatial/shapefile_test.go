package spatial

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/agglo/agglo/internal/sharedtest"
	"github.com/paulmach/orb"
)

// weightsLinks lists w's links as ID pairs with their weights.
func weightsLinks(w *Weights) map[[2]string]float64 {
	out := map[[2]string]float64{}
	ids := w.IDs()
	for i := range ids {
		w.DoRowNonZero(i, func(i, j int, v float64) { out[[2]string{ids[i], ids[j]}] = v })
	}
	return out
}

// TestShapefileContiguityEqualsGeoJSON: the shapefile fixture was made from
// ../shared/data/columbus.geojson by ogr2ogr (testdata/shp/README.md), so
// queen and rook contiguity built from either must have the same links.
func TestShapefileContiguityEqualsGeoJSON(t *testing.T) {
	g, err := ReadGeoJSONFile(sharedtest.Data(t, "columbus.geojson"), "id")
	if err != nil {
		t.Fatal(err)
	}
	s, err := ReadShapefile(filepath.Join("testdata", "shp", "columbus.shp"), "id", ShapefileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s.IDs, g.IDs) {
		t.Fatalf("IDs differ: shapefile %v, GeoJSON %v", s.IDs, g.IDs)
	}
	if s.Projected || s.LonLat() != g.LonLat() {
		t.Errorf("Projected %v LonLat %v, GeoJSON LonLat %v", s.Projected, s.LonLat(), g.LonLat())
	}
	cs, cg := s.Centroids(), g.Centroids()
	for i := range cs {
		if d := math.Hypot(cs[i][0]-cg[i][0], cs[i][1]-cg[i][1]); !(d <= 1e-9) {
			t.Errorf("region %s: centroid %v, GeoJSON %v", s.IDs[i], cs[i], cg[i])
		}
	}
	for _, queen := range []bool{true, false} {
		ws, err := Contiguity(s, ContiguityOptions{Queen: queen})
		if err != nil {
			t.Fatal(err)
		}
		wg, err := Contiguity(g, ContiguityOptions{Queen: queen})
		if err != nil {
			t.Fatal(err)
		}
		ls, lg := weightsLinks(ws), weightsLinks(wg)
		if len(lg) == 0 || !reflect.DeepEqual(ls, lg) {
			t.Errorf("queen=%v: shapefile %d links, GeoJSON %d links; differ", queen, len(ls), len(lg))
		}
	}
}

// TestShapefileGBK reads the GBK-encoded fixture (testdata/shp/gbk.geojson
// written by ogr2ogr -lco ENCODING=GBK): the names, the hole and the
// multipolygon come back as written.
func TestShapefileGBK(t *testing.T) {
	path := filepath.Join("testdata", "shp", "gbk.shp")
	r, err := ReadShapefile(path, "name", ShapefileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"北京", "天津", "河北"}; !reflect.DeepEqual(r.IDs, want) {
		t.Errorf("names %q, want %q", r.IDs, want)
	}
	if !r.LonLat() {
		t.Error("GEOGCS .prj with degrees: want LonLat")
	}
	mp, ok := r.Polygons[2].(orb.MultiPolygon)
	if !ok || len(mp) != 2 || len(mp[0]) != 2 || len(mp[1]) != 1 {
		t.Errorf("河北: got %T %v, want a MultiPolygon of a polygon with one hole and a plain polygon", r.Polygons[2], r.Polygons[2])
	}
	if _, ok := r.Polygons[0].(orb.Polygon); !ok {
		t.Errorf("北京: got %T, want Polygon", r.Polygons[0])
	}
	// The fixture was converted from gbk.geojson, written in RFC 7946
	// orientation: the polygons, holes and parts must come back identical.
	g, err := ReadGeoJSONFile(filepath.Join("testdata", "shp", "gbk.geojson"), "name")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r.Polygons, g.Polygons) {
		t.Errorf("polygons differ from gbk.geojson:\n%v\n%v", r.Polygons, g.Polygons)
	}
	codes, err := ReadShapefile(path, "code", ShapefileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"1", "2", "3"}; !reflect.DeepEqual(codes.IDs, want) {
		t.Errorf("numeric codes %q, want %q", codes.IDs, want)
	}
	// Forcing UTF-8 on GBK bytes must fail, not return garbled names.
	if _, err := ReadShapefile(path, "name", ShapefileOptions{Encoding: "UTF-8"}); err == nil {
		t.Error("GBK text read as UTF-8: want an error")
	}
	if _, err := ReadShapefile(path, "nope", ShapefileOptions{}); err == nil {
		t.Error("missing field: want an error")
	}
	if _, err := ReadShapefile(path, "name", ShapefileOptions{Encoding: "EBCDIC"}); err == nil {
		t.Error("unknown encoding: want an error")
	}
}

// TestShapefileCorrupt: truncations and a null shape give errors.
func TestShapefileCorrupt(t *testing.T) {
	shp, err := os.ReadFile(filepath.Join("testdata", "shp", "columbus.shp"))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 50, 100 + 4, 100 + 60, len(shp) - 3} {
		if _, err := parseShp(shp[:n]); err == nil {
			t.Errorf("truncated to %d bytes: want an error", n)
		}
	}
	null := append([]byte(nil), shp[:100]...)
	null = append(null, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0)
	if _, err := parseShp(null); err == nil {
		t.Error("null shape: want an error")
	}
}

// FuzzShapefile checks that no .shp or .dbf bytes make the reader panic.
func FuzzShapefile(f *testing.F) {
	for _, name := range []string{"columbus", "gbk"} {
		shp, err := os.ReadFile(filepath.Join("testdata", "shp", name+".shp"))
		if err != nil {
			f.Fatal(err)
		}
		dbf, err := os.ReadFile(filepath.Join("testdata", "shp", name+".dbf"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(shp, dbf)
	}
	f.Fuzz(func(t *testing.T, shp, dbf []byte) {
		enc, _ := shapefileEncoding("GBK")
		_, _ = parseDbfColumn(dbf, "id", enc)
		_, _ = parseDbfColumn(dbf, "name", nil)
		geoms, err := parseShp(shp)
		if err != nil {
			return
		}
		ids := make([]string, len(geoms))
		for i := range ids {
			ids[i] = string(rune('a' + i%26))
		}
		r := &Regions{IDs: ids, Polygons: geoms}
		_ = r.Centroids()
		// Contiguity only on small maps (the GBK seed has 3) to keep the fuzzer fast.
		if len(geoms) < 8 {
			_, _ = Contiguity(r, ContiguityOptions{Queen: true})
		}
	})
}

// TestShapefilePROJCS: a .prj declaring a PROJCS makes the regions
// projected even when the coordinates lie within ±180/±90.
func TestShapefilePROJCS(t *testing.T) {
	dir := t.TempDir()
	for _, ext := range []string{".shp", ".dbf", ".cpg"} {
		b, err := os.ReadFile(filepath.Join("testdata", "shp", "gbk"+ext))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "m"+ext), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	prj := `PROJCS["CGCS2000_3_Degree_GK_CM_117E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000"],PROJECTION["Gauss_Kruger"]]`
	if err := os.WriteFile(filepath.Join(dir, "m.prj"), []byte(prj), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := ReadShapefile(filepath.Join(dir, "m.shp"), "name", ShapefileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Projected || r.LonLat() {
		t.Errorf("PROJCS .prj: Projected %v, LonLat %v; want true, false", r.Projected, r.LonLat())
	}
	if err := os.Remove(filepath.Join(dir, "m.dbf")); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadShapefile(filepath.Join(dir, "m.shp"), "name", ShapefileOptions{}); err == nil {
		t.Error("no .dbf: want an error")
	}
}
