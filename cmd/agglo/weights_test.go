package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/floats/scalar"
)

// summaryJSON runs agglo with args, expects success and decodes the JSON
// summary.
func summaryJSON(t *testing.T, args ...string) map[string]any {
	t.Helper()
	code, stdout, stderr := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("agglo %s: exit %d, stderr %s", strings.Join(args, " "), code, stderr)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(stdout), &m); err != nil {
		t.Fatalf("agglo %s: output is not JSON: %v\n%s", strings.Join(args, " "), err, stdout)
	}
	for _, k := range []string{"n", "links", "percent_nonzero", "mean_neighbors", "min_neighbors", "max_neighbors", "islands", "symmetric"} {
		if _, ok := m[k]; !ok {
			t.Fatalf("JSON summary lacks %q: %s", k, stdout)
		}
	}
	if _, ok := m["islands"].([]any); !ok {
		t.Fatalf("islands is not an array: %s", stdout)
	}
	return m
}

// writePoints writes a CSV of an nr × nc grid of points with unit spacing
// (x = column, y = row, each shifted by off), one per line, IDs p<r>_<c>.
func writePoints(t *testing.T, dir string, nr, nc int, scale, offX, offY float64) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("name,lon,lat,other\n")
	for r := 0; r < nr; r++ {
		for c := 0; c < nc; c++ {
			fmt.Fprintf(&b, "p%d_%d,%g,%g,x\n", r, c, offX+scale*float64(c), offY+scale*float64(r))
		}
	}
	p := filepath.Join(dir, "points.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestWeightsDemo(t *testing.T) {
	code, stdout, _ := runCLI(t, "weights", "--demo")
	// A 10 × 10 queen lattice: 4·3 + 32·5 + 64·8 = 684 links.
	if code != 0 || !strings.Contains(stdout, "Number of regions: 100") || !strings.Contains(stdout, "Number of nonzero links: 684") {
		t.Fatalf("exit %d\n%s", code, stdout)
	}
	m := summaryJSON(t, "weights", "--demo", "--format", "json")
	if m["n"].(float64) != 100 || m["links"].(float64) != 684 || m["min_neighbors"].(float64) != 3 || m["max_neighbors"].(float64) != 8 || m["symmetric"] != true {
		t.Fatalf("%v", m)
	}
}

func TestWeightsBuildContiguity(t *testing.T) {
	for _, tc := range []struct {
		file, rule string
		links      float64
	}{
		// ../shared/oracle/columbus.json, contiguity_* (spdep 1.2-7 poly2nb).
		{"columbus.geojson", "queen", 236},
		{"columbus.geojson", "rook", 200},
		{"nc_sids.geojson", "queen", 490},
		{"nc_sids.geojson", "rook", 462},
	} {
		t.Run(tc.file+"/"+tc.rule, func(t *testing.T) {
			m := summaryJSON(t, "weights", "build", "--geojson", sharedData(t, tc.file), "--id", "id", "--contiguity", tc.rule, "--format", "json")
			if m["links"].(float64) != tc.links || len(m["islands"].([]any)) != 0 {
				t.Fatalf("links %v islands %v, want %v and none", m["links"], m["islands"], tc.links)
			}
		})
	}
}

func TestWeightsBuildOutFormats(t *testing.T) {
	geo := sharedData(t, "columbus.geojson")
	dir := t.TempDir()
	for _, tc := range []struct {
		out, style string
	}{
		{"q.gal", ""},
		{"q.gal", "B"},
		{"q.gwt", "W"},
		{"q.csv", "W"},
		{"s.gwt", "S"},
	} {
		t.Run(tc.out+tc.style, func(t *testing.T) {
			out := filepath.Join(dir, tc.out)
			args := []string{"weights", "build", "--geojson", geo, "--id", "id", "--contiguity", "queen", "--out", out}
			if tc.style != "" {
				args = append(args, "--style", tc.style)
			}
			code, stdout, stderr := runCLI(t, args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if !strings.Contains(stdout, "Written to: "+out) || !strings.Contains(stdout, "Number of nonzero links: 236") {
				t.Fatalf("stdout %s", stdout)
			}
			w, err := spatial.ReadWeightsFile(out, "")
			if err != nil {
				t.Fatal(err)
			}
			if w.N() != 49 || w.NNZ() != 236 {
				t.Fatalf("read back n %d links %d", w.N(), w.NNZ())
			}
			if tc.style == "W" {
				for i, s := range w.RowSums() {
					if !scalar.EqualWithinAbsOrRel(s, 1, 1e-14, 1e-14) {
						t.Fatalf("row %d sums to %v", i, s)
					}
				}
			}
			// The same file summarised by the summary command.
			m := summaryJSON(t, "weights", "summary", out, "--format", "json")
			if m["links"].(float64) != 236 {
				t.Fatalf("%v", m)
			}
		})
	}
}

func TestWeightsBuildPoints(t *testing.T) {
	dir := t.TempDir()
	// A 5 × 4 grid of points 1 apart.
	pts := writePoints(t, dir, 5, 4, 1, 0, 0)
	base := []string{"weights", "build", "--points", pts, "--id", "name", "--x", "lon", "--y", "lat", "--format", "json"}
	// Rook neighbours on the grid: 2·(5·3 + 4·4) = 62 links, corners 2.
	m := summaryJSON(t, append(base, "--band", "1")...)
	if m["links"].(float64) != 62 || m["min_neighbors"].(float64) != 2 || m["max_neighbors"].(float64) != 4 {
		t.Fatalf("band: %v", m)
	}
	// Within √2 the queen neighbours: 62 + 2·2·(4·3) = 110.
	m = summaryJSON(t, append(base, "--band", "1.5")...)
	if m["links"].(float64) != 110 {
		t.Fatalf("band 1.5: %v", m)
	}
	// k = 3: exactly 3 per point.
	m = summaryJSON(t, append(base, "--knn", "3")...)
	if m["links"].(float64) != 60 || m["min_neighbors"].(float64) != 3 || m["max_neighbors"].(float64) != 3 {
		t.Fatalf("knn: %v", m)
	}
	// Inverse distance over all pairs: 20·19 links, symmetric.
	out := filepath.Join(dir, "idw.gwt")
	m = summaryJSON(t, append(base, "--inverse-distance", "2", "--out", out)...)
	if m["links"].(float64) != 380 || m["symmetric"] != true {
		t.Fatalf("idw: %v", m)
	}
	w, err := spatial.ReadWeightsFile(out, "")
	if err != nil {
		t.Fatal(err)
	}
	// Points p0_0 (0,0) and p1_1 (1,1): d² = 2, so d^-2 = 0.5.
	i, _ := w.Index("p0_0")
	j, _ := w.Index("p1_1")
	if got := w.At(i, j); !scalar.EqualWithinAbsOrRel(got, 0.5, 1e-15, 1e-15) {
		t.Fatalf("w(p0_0,p1_1) = %v, want 0.5", got)
	}
	m = summaryJSON(t, append(base, "--inverse-distance", "1", "--band", "1")...)
	if m["links"].(float64) != 62 {
		t.Fatalf("idw band: %v", m)
	}
}

func TestWeightsBuildLonLat(t *testing.T) {
	dir := t.TempDir()
	// Points 0.1° apart along the equator and meridian near (0, 0): about
	// 11.12 km apart (2π·6371.0088/3600 = 11.1195 km).
	pts := writePoints(t, dir, 3, 3, 0.1, 0, 0)
	base := []string{"weights", "build", "--points", pts, "--id", "name", "--x", "lon", "--y", "lat", "--lonlat", "--format", "json"}
	m := summaryJSON(t, append(base, "--band", "11.2")...)
	if m["links"].(float64) != 24 {
		t.Fatalf("band 11.2 km: %v", m)
	}
	m = summaryJSON(t, append(base, "--band", "11.1")...)
	if m["links"].(float64) != 0 || len(m["islands"].([]any)) != 9 {
		t.Fatalf("band 11.1 km: %v", m)
	}
	m = summaryJSON(t, append(base, "--knn", "2")...)
	if m["links"].(float64) != 18 {
		t.Fatalf("knn: %v", m)
	}
	out := filepath.Join(dir, "idw.csv")
	summaryJSON(t, append(base, "--inverse-distance", "1", "--band", "20", "--out", out)...)
	w, err := spatial.ReadWeightsFile(out, "")
	if err != nil {
		t.Fatal(err)
	}
	i, _ := w.Index("p0_0")
	j, _ := w.Index("p0_1")
	want := 1 / (2 * 3.141592653589793 * 6371.0088 / 3600)
	if got := w.At(i, j); !scalar.EqualWithinAbsOrRel(got, want, 1e-9, 1e-9) {
		t.Fatalf("w = %v, want %v", got, want)
	}
}

func TestWeightsBuildCentroids(t *testing.T) {
	// k nearest centroids of the Columbus polygons: 4 per region.
	m := summaryJSON(t, "weights", "build", "--geojson", sharedData(t, "columbus.geojson"), "--id", "id", "--knn", "4", "--format", "json")
	if m["links"].(float64) != 196 || m["min_neighbors"].(float64) != 4 {
		t.Fatalf("%v", m)
	}
}

func TestWeightsSummaryFormats(t *testing.T) {
	for _, tc := range []struct {
		file, format string
		n, links     float64
	}{
		// ../shared/oracle/README.md: columbus.gal has 230 links; usaww
		// 48 states, 214 links (the non-zeros of usaww.csv).
		{"columbus.gal", "", 49, 230},
		{"usaww.gwt", "", 48, 214},
		{"usaww_edges.csv", "", 48, 214},
		{"usaww.csv", "", 48, 214},
		{"usaww.csv", "matrix", 48, 214},
		{"usaww_edges.csv", "edges", 48, 214},
	} {
		t.Run(tc.file+tc.format, func(t *testing.T) {
			args := []string{"weights", "summary", sharedData(t, tc.file), "--format", "json"}
			if tc.format != "" {
				args = append(args, "--weights-format", tc.format)
			}
			m := summaryJSON(t, args...)
			if m["n"].(float64) != tc.n || m["links"].(float64) != tc.links {
				t.Fatalf("%v", m)
			}
		})
	}
	code, stdout, _ := runCLI(t, "weights", "summary", "--format", "text", sharedData(t, "columbus.gal"))
	if code != 0 || !strings.Contains(stdout, "Number of nonzero links: 230") {
		t.Fatalf("exit %d: %s", code, stdout)
	}
}

func TestWeightsUsageErrors(t *testing.T) {
	dir := t.TempDir()
	pts := writePoints(t, dir, 2, 2, 1, 0, 0)
	geo := filepath.Join(dir, "x.geojson")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no subcommand", []string{"weights"}, "subcommand"},
		{"unknown subcommand", []string{"weights", "make"}, "make"},
		{"unknown flag", []string{"weights", "build", "--nope"}, "nope"},
		{"no input", []string{"weights", "build", "--knn", "2"}, "--geometry"},
		{"two inputs", []string{"weights", "build", "--geojson", geo, "--points", pts, "--id", "a", "--knn", "2"}, "not both"},
		{"no id", []string{"weights", "build", "--geojson", geo, "--knn", "2"}, "--id"},
		{"points without x", []string{"weights", "build", "--points", pts, "--id", "name", "--knn", "2"}, "--x"},
		{"no method", []string{"weights", "build", "--geojson", geo, "--id", "id"}, "exactly one"},
		{"two methods", []string{"weights", "build", "--geojson", geo, "--id", "id", "--knn", "2", "--contiguity", "queen"}, "exactly one"},
		{"bad rule", []string{"weights", "build", "--geojson", geo, "--id", "id", "--contiguity", "bishop"}, "bishop"},
		{"contiguity of points", []string{"weights", "build", "--points", pts, "--id", "name", "--x", "lon", "--y", "lat", "--contiguity", "queen"}, "polygons"},
		{"snap without contiguity", []string{"weights", "build", "--geojson", geo, "--id", "id", "--knn", "2", "--snap", "1"}, "--snap"},
		{"negative snap", []string{"weights", "build", "--geojson", geo, "--id", "id", "--contiguity", "rook", "--snap", "-1"}, "--snap"},
		{"bad k", []string{"weights", "build", "--geojson", geo, "--id", "id", "--knn", "0"}, "--knn"},
		{"bad band", []string{"weights", "build", "--geojson", geo, "--id", "id", "--band", "-2"}, "--band"},
		{"bad alpha", []string{"weights", "build", "--geojson", geo, "--id", "id", "--inverse-distance", "0"}, "--inverse-distance"},
		{"bad style", []string{"weights", "build", "--geojson", geo, "--id", "id", "--knn", "2", "--style", "Q"}, "--style"},
		{"bad format", []string{"weights", "build", "--geojson", geo, "--id", "id", "--knn", "2", "--format", "xml"}, "--format"},
		{"bad out", []string{"weights", "build", "--geojson", geo, "--id", "id", "--knn", "2", "--out", "w.txt"}, "--out"},
		{"gal of W", []string{"weights", "build", "--geojson", geo, "--id", "id", "--knn", "2", "--style", "W", "--out", filepath.Join(dir, "w.gal")}, "GAL"},
		{"gal of idw", []string{"weights", "build", "--geojson", geo, "--id", "id", "--inverse-distance", "1", "--out", filepath.Join(dir, "w.gal")}, "GAL"},
		{"over input", []string{"weights", "build", "--points", pts, "--id", "name", "--x", "lon", "--y", "lat", "--knn", "1", "--out", pts}, "input"},
		{"stray argument", []string{"weights", "build", "extra", "--geojson", geo, "--id", "id", "--knn", "2"}, "extra"},
		{"summary without file", []string{"weights", "summary"}, "FILE"},
		{"summary two files", []string{"weights", "summary", "a.gal", "b.gal"}, "FILE"},
		{"summary bad format", []string{"weights", "summary", "a.gal", "--weights-format", "shp"}, "shp"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tc.args...)
			if code != 2 || !strings.Contains(stderr, tc.want) {
				t.Fatalf("exit %d, stderr %q; want 2 and %q", code, stderr, tc.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "w.gal")); err == nil {
		t.Fatal("a usage error wrote a file")
	}
}

func TestWeightsRuntimeErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	badGAL := write("bad.gal", "2\na 1\nz\nb 0\n")
	badPts := write("pts.csv", "id,x,y\na,1,2\nb,oops,3\n")
	dupPts := write("dup.csv", "id,x,y\na,1,2\na,2,3\n")
	badGeo := write("bad.geojson", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Point","coordinates":[0,0]}}]}`)
	noID := write("noid.geojson", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"a"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}`)
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"bad GAL line", []string{"weights", "summary", badGAL}, []string{badGAL, "line 3", "z"}},
		{"missing file", []string{"weights", "summary", filepath.Join(dir, "none.gal")}, []string{"none.gal"}},
		{"bad coordinate", []string{"weights", "build", "--points", badPts, "--id", "id", "--x", "x", "--y", "y", "--knn", "1"}, []string{badPts, "line 3", "column x"}},
		{"duplicate point", []string{"weights", "build", "--points", dupPts, "--id", "id", "--x", "x", "--y", "y", "--knn", "1"}, []string{dupPts, "line 3", "repeated"}},
		{"missing column", []string{"weights", "build", "--points", badPts, "--id", "id", "--x", "lon", "--y", "y", "--knn", "1"}, []string{badPts, "lon"}},
		{"k too large", []string{"weights", "build", "--points", badPts, "--id", "id", "--x", "y", "--y", "y", "--knn", "5"}, []string{badPts}},
		{"point geometry", []string{"weights", "build", "--geojson", badGeo, "--id", "id", "--contiguity", "queen"}, []string{badGeo, "feature 0"}},
		{"no id property", []string{"weights", "build", "--geojson", noID, "--id", "id", "--contiguity", "queen"}, []string{noID, "feature 0", "id"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.args...)
			if code != 1 {
				t.Fatalf("exit %d, stderr %q; want 1", code, stderr)
			}
			if strings.Count(stderr, "\n") != 1 || stdout != "" {
				t.Fatalf("want one line on stderr and nothing on stdout, got %q / %q", stderr, stdout)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Fatalf("stderr %q lacks %q", stderr, w)
				}
			}
		})
	}
}

func TestWeightsHelp(t *testing.T) {
	for _, args := range [][]string{{"weights", "-h"}, {"help", "weights"}, {"weights", "build", "-h"}, {"weights", "summary", "-h"}} {
		code, stdout, _ := runCLI(t, args...)
		if code != 0 || !strings.Contains(stdout, "agglo weights build") {
			t.Fatalf("%v: exit %d, stdout %q", args, code, stdout)
		}
	}
}

func TestWeightsConvert(t *testing.T) {
	dir := t.TempDir()
	src := sharedData(t, "usaww.csv")
	orig, err := spatial.ReadWeightsFile(src, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		out    string
		extra  []string
		binary bool
	}{
		{"u.gwt", nil, false},
		{"u.csv", nil, false},
		{"u.txt", []string{"--out-format", "matrix"}, false},
		{"u.gal", []string{"--style", "B"}, true},
	} {
		t.Run(tc.out, func(t *testing.T) {
			out := filepath.Join(dir, tc.out)
			code, stdout, stderr := runCLI(t, append([]string{"weights", "convert", src, out}, tc.extra...)...)
			if code != 0 || !strings.Contains(stdout, "48 regions, 214 links") {
				t.Fatalf("exit %d: %s %s", code, stdout, stderr)
			}
			format := ""
			if tc.out == "u.txt" {
				format = "matrix"
			}
			got, err := spatial.ReadWeightsFile(out, format)
			if err != nil {
				t.Fatal(err)
			}
			want := orig
			if tc.binary {
				want, _ = orig.Transform(spatial.Binary)
			}
			// The conversion is exact: same regions, order and weights.
			for i, id := range want.IDs() {
				if got.IDs()[i] != id {
					t.Fatalf("region %d: %q, want %q", i, got.IDs()[i], id)
				}
				for j := range want.IDs() {
					if got.At(i, j) != want.At(i, j) {
						t.Fatalf("w(%s,%s) = %v, want %v", id, want.IDs()[j], got.At(i, j), want.At(i, j))
					}
				}
			}
		})
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"one file", []string{"weights", "convert", src}, 2, "IN and OUT"},
		{"same file", []string{"weights", "convert", src, src}, 2, "refusing"},
		{"unknown extension", []string{"weights", "convert", src, filepath.Join(dir, "w.txt")}, 2, "--out-format"},
		{"bad style", []string{"weights", "convert", src, filepath.Join(dir, "w.gwt"), "--style", "Z"}, 2, "--style"},
		{"GAL of weights", []string{"weights", "convert", src, filepath.Join(dir, "w.gal")}, 1, "GAL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Fatalf("exit %d stderr %q; want %d and %q", code, stderr, tc.code, tc.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "w.gal")); err == nil {
		t.Fatal("a refused conversion left a file")
	}
}

func TestWeightsBuildStatusOnTerminalOnly(t *testing.T) {
	pts := writePoints(t, t.TempDir(), 3, 3, 1, 0, 0)
	args := []string{"weights", "build", "--points", pts, "--id", "name", "--x", "lon", "--y", "lat", "--knn", "2", "--planar"}
	var out, errb bytes.Buffer
	if code := run(&cliEnv{stdout: &out, stderr: &errb, isTerminal: true}, args); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(errb.String(), "building weights for 9 regions") || !strings.Contains(out.String(), "Number of regions: 9") {
		t.Fatalf("terminal: stderr %q stdout %q", errb.String(), out.String())
	}
	if _, _, stderr := runCLI(t, args...); stderr != "" {
		t.Fatalf("piped: stderr %q, want nothing", stderr)
	}
}

func TestWeightsInverseDistanceNeedsBandForManyPoints(t *testing.T) {
	pts := writePoints(t, t.TempDir(), 150, 140, 1, 0, 0) // 21,000 points
	code, _, stderr := runCLI(t, "weights", "build", "--points", pts, "--id", "name", "--x", "lon", "--y", "lat", "--inverse-distance", "1")
	if code != 1 || !strings.Contains(stderr, "--band") {
		t.Fatalf("exit %d stderr %q", code, stderr)
	}
}

func TestWeightsBuildLonLatOutOfRange(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "pts.csv")
	os.WriteFile(p, []byte("id,lon,lat\na,0,0\nb,1,95\nc,2,1\n"), 0o644)
	code, _, stderr := runCLI(t, "weights", "build", "--points", p, "--id", "id", "--x", "lon", "--y", "lat", "--lonlat", "--knn", "1")
	if code != 1 || !strings.Contains(stderr, p) || !strings.Contains(stderr, `region "b"`) {
		t.Fatalf("exit %d stderr %q", code, stderr)
	}
}

// TestWeightsBuildExactContiguity checks issue 13 item 13 on a T-junction
// (testdata/README.md): the spdep rule misses the big–small link and warns,
// --exact finds it, --weights-by boundary-length weights it by the 1000 m
// shared segment (by construction), and a GAL output of non-binary weights
// is refused.
func TestWeightsBuildExactContiguity(t *testing.T) {
	geo := filepath.Join("testdata", "tjunction.geojson")
	base := []string{"weights", "build", "--geojson", geo, "--id", "id", "--contiguity", "rook"}
	code, _, stderr := runCLI(t, append(base, "--format", "json")...)
	if code != 0 || !strings.Contains(stderr, "1 pairs touch along edges without shared vertices (big–small)") || !strings.Contains(stderr, "--exact") {
		t.Fatalf("spdep rule: code %d, stderr %q", code, stderr)
	}
	if m := summaryJSON(t, append(base, "--format", "json")...); m["links"].(float64) != 0 {
		t.Errorf("spdep rule: %v links, want 0", m["links"])
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "w.csv")
	code, _, stderr = runCLI(t, append(base, "--weights-by", "boundary-length", "--out", out)...)
	if code != 0 {
		t.Fatalf("boundary length: code %d, stderr %s", code, stderr)
	}
	w, err := spatial.ReadWeightsFile(out, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := w.At(0, 1); !scalar.EqualWithinRel(got, 1000, 1e-12) || w.NNZ() != 2 {
		t.Errorf("boundary length %g m (%d links), want 1000 m (2 links)", got, w.NNZ())
	}
	m := summaryJSON(t, "weights", "build", "--geojson", geo, "--id", "id", "--contiguity", "queen", "--exact", "--format", "json")
	if m["links"].(float64) != 4 {
		t.Errorf("exact queen: %v links, want 4 (big–small, big–corner)", m["links"])
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{append(base[:len(base)-1:len(base)-1], "queen", "--weights-by", "boundary-length"), "needs --contiguity rook"},
		{append(base, "--weights-by", "area"), "--weights-by"},
		{append(base, "--weights-by", "boundary-length", "--out", filepath.Join(dir, "w.gal")), "GAL"},
		{[]string{"weights", "build", "--geojson", geo, "--id", "id", "--knn", "1", "--exact"}, "--exact"},
	} {
		if code, _, stderr := runCLI(t, tc.args...); code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: code %d, stderr %q (want %q)", tc.args, code, stderr, tc.want)
		}
	}
}

// TestWeightsBuildGeoJSONLonLat checks issue 13 item 15: GeoJSON
// coordinates within ±180/±90 are longitude/latitude (RFC 7946), so a band
// of 500 is 500 km: A–B (85 km apart) are linked, C (about 760 km away) is
// not; --planar reads 500 as coordinate units (every pair within); a
// projected file is detected with a message; and CSV points that look like
// longitude/latitude without --lonlat get a warning.
func TestWeightsBuildGeoJSONLonLat(t *testing.T) {
	geo := filepath.Join("testdata", "lonlat_squares.geojson")
	args := []string{"weights", "build", "--geojson", geo, "--id", "id", "--band", "500", "--format", "json"}
	code, stdout, stderr := runCLI(t, args...)
	if code != 0 || !strings.Contains(stderr, "longitude/latitude") || !strings.Contains(stderr, "--planar") {
		t.Fatalf("code %d stderr %q", code, stderr)
	}
	if m := summaryJSON(t, args...); m["links"].(float64) != 2 || len(m["islands"].([]any)) != 1 {
		t.Errorf("lon/lat band 500 km: %s", stdout)
	}
	if m := summaryJSON(t, append(args, "--planar")...); m["links"].(float64) != 6 {
		t.Errorf("--planar band 500: %v links, want 6", m["links"])
	}
	proj := filepath.Join("testdata", "tjunction.geojson")
	code, _, stderr = runCLI(t, "weights", "build", "--geojson", proj, "--id", "id", "--knn", "1")
	if code != 0 || !strings.Contains(stderr, "outside ±180/±90") {
		t.Errorf("projected GeoJSON: code %d stderr %q", code, stderr)
	}
	if code, _, stderr = runCLI(t, "weights", "build", "--geojson", proj, "--id", "id", "--knn", "1", "--lonlat"); code != 1 || !strings.Contains(stderr, "not longitude/latitude") {
		t.Errorf("projected GeoJSON with --lonlat: code %d stderr %q", code, stderr)
	}
	pts := writeTemp(t, "pts.csv", "id,lon,lat\na,-100,40\nb,-99,40\nc,-90,40\n")
	code, _, stderr = runCLI(t, "weights", "build", "--points", pts, "--id", "id", "--x", "lon", "--y", "lat", "--knn", "1")
	if code != 0 || !strings.Contains(stderr, "give --lonlat") || !strings.Contains(stderr, "pts.csv") {
		t.Errorf("CSV points in lon/lat range: code %d stderr %q", code, stderr)
	}
	for _, flag := range []string{"--lonlat", "--planar"} {
		if code, _, stderr = runCLI(t, "weights", "build", "--points", pts, "--id", "id", "--x", "lon", "--y", "lat", "--knn", "1", flag); code != 0 || strings.Contains(stderr, "warning") {
			t.Errorf("%s: code %d stderr %q", flag, code, stderr)
		}
	}
}

// TestGWTIslandsNeedRegionList checks issue 13 item 16 on every kind of
// command that reads weights: without a region list the island GWT is
// refused with a message asking for --ids; with --ids (weights summary,
// convert, moran) or the data's IDs (moran, fit) it is read with "e" as an
// island.
func TestGWTIslandsNeedRegionList(t *testing.T) {
	gwt := filepath.Join("testdata", "band_island.gwt")
	code, _, stderr := runCLI(t, "weights", "summary", gwt)
	if code != 1 || !strings.Contains(stderr, "1 region(s) of the header have no links") || !strings.Contains(stderr, "--ids") || !strings.Contains(stderr, gwt) {
		t.Fatalf("no list: code %d stderr %q", code, stderr)
	}
	ids := writeTemp(t, "ids.txt", "a\nb\nc\nd\ne\n")
	m := summaryJSON(t, "weights", "summary", gwt, "--ids", ids, "--format", "json")
	if m["n"].(float64) != 5 || len(m["islands"].([]any)) != 1 {
		t.Errorf("with --ids: %v", m)
	}
	out := filepath.Join(t.TempDir(), "w.csv")
	if code, _, stderr := runCLI(t, "weights", "convert", gwt, out, "--ids", ids); code != 0 {
		t.Errorf("convert --ids: code %d stderr %q", code, stderr)
	}
	data := writeTemp(t, "x.csv", "id,x,y\na,1,1\nb,2,3\nc,3,2\nd,5,4\ne,4,6\n")
	for _, extra := range [][]string{nil, {"--ids", ids}} {
		args := append([]string{"moran", "--data", data, "--id", "id", "--var", "x", "--weights", gwt, "--zero-policy", "--format", "json"}, extra...)
		if code, stdout, stderr := runCLI(t, args...); code != 0 || !strings.Contains(stdout, `"e"`) {
			t.Errorf("moran %v: code %d stderr %q", extra, code, stderr)
		}
	}
	bad := writeTemp(t, "bad.txt", "a\nb\nc\nx\ny\n")
	if code, _, stderr := runCLI(t, "weights", "summary", gwt, "--ids", bad); code != 1 || !strings.Contains(stderr, "line 6") || !strings.Contains(stderr, `"d"`) {
		t.Errorf("wrong list: code %d stderr %q", code, stderr)
	}
}

// TestWeightsBuildKNNDuplicateLocations checks issue 13 item 17: k nearest
// neighbours of points of which two pairs share a location warn and name the
// pairs; distinct points do not warn.
func TestWeightsBuildKNNDuplicateLocations(t *testing.T) {
	pts := writeTemp(t, "dup.csv", "id,x,y\na,1000,1000\nb,2000,1000\nc,1000,1000\nd,5000,5000\ne,2000,1000\n")
	code, _, stderr := runCLI(t, "weights", "build", "--points", pts, "--id", "id", "--x", "x", "--y", "y", "--knn", "1")
	if code != 0 || !strings.Contains(stderr, "2 pairs of points share a location (a–c, b–e)") || !strings.Contains(stderr, "dup.csv") {
		t.Errorf("code %d stderr %q", code, stderr)
	}
	ok := writeTemp(t, "ok.csv", "id,x,y\na,1000,1000\nb,2000,1000\nc,1500,1000\n")
	if code, _, stderr := runCLI(t, "weights", "build", "--points", ok, "--id", "id", "--x", "x", "--y", "y", "--knn", "1"); code != 0 || stderr != "" {
		t.Errorf("distinct points: code %d stderr %q", code, stderr)
	}
}
