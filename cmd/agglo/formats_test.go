package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agglo/agglo/internal/tabletest"
	"github.com/agglo/agglo/table"
)

// formatCopies writes the CSV file src again as .xlsx (sheet "Data"),
// .parquet, semicolon- and tab-separated CSV, and adds dta, a .dta file
// written from the same CSV by haven (table/testdata/make_dta.R). It
// returns the paths by format, "csv" being src itself, and the extra
// arguments each needs (--sheet for the workbook).
func formatCopies(t *testing.T, src, dta string) (map[string]string, map[string][]string) {
	t.Helper()
	r, err := table.Open(src, table.Options{})
	if err != nil {
		t.Fatal(err)
	}
	recs, err := r.ReadAll()
	r.Close()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	base := strings.TrimSuffix(filepath.Base(src), ".csv")
	paths := map[string]string{"csv": src, "dta": dta}
	paths["xlsx"] = filepath.Join(dir, base+".xlsx")
	tabletest.WriteXLSX(t, paths["xlsx"], "Data", recs)
	paths["parquet"] = filepath.Join(dir, base+".parquet")
	tabletest.WriteParquet(t, paths["parquet"], recs)
	for name, sep := range map[string]rune{"semicolon": ';', "tsv": '\t'} {
		ext := ".csv"
		if name == "tsv" {
			ext = ".tsv"
		}
		p := filepath.Join(dir, base+"_"+name+ext)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		w := csv.NewWriter(f)
		w.Comma = sep
		w.WriteAll(recs)
		if err := w.Error(); err != nil {
			t.Fatal(err)
		}
		f.Close()
		paths[name] = p
	}
	return paths, map[string][]string{"xlsx": {"--sheet", "Data"}}
}

// TestDataFormats is issue 17's acceptance test: fit (SAR with usaww),
// moran, describe and plot map on Produc, and index lq on the demo's
// employment table, give the same output byte for byte whether the data
// come as CSV (comma, semicolon, tab), Excel, Stata (written by haven) or
// Parquet. The data file's own name is replaced by DATA before comparing.
func TestDataFormats(t *testing.T) {
	needShared(t)
	produc, extra := formatCopies(t, sharedData(t, "produc.csv"), filepath.Join("..", "..", "table", "testdata", "produc.dta"))
	emp, _ := formatCopies(t, filepath.Join("..", "..", "demo", "data", "employment.csv"), filepath.Join("..", "..", "table", "testdata", "employment.dta"))
	w := sharedData(t, "usaww.csv")
	geo := sharedData(t, "us_states.geojson")
	dir := t.TempDir()
	type command struct {
		name  string
		files map[string]string
		args  func(data, out string) []string
	}
	cmds := []command{
		{"fit", produc, func(data, out string) []string {
			return []string{"fit", "--data", data, "--id", "state", "--time", "year", "--model", "sar", "--weights", w,
				"--formula", producF, "--impacts-draws", "0", "--format", "json"}
		}},
		{"moran", produc, func(data, out string) []string {
			return []string{"moran", "--data", data, "--id", "state", "--var", "unemp", "--where", "year=1986", "--weights", w, "--format", "json"}
		}},
		{"describe", produc, func(data, out string) []string {
			return []string{"describe", "--data", data, "--vars", "gsp,unemp", "--id", "state"}
		}},
		{"plot map", produc, func(data, out string) []string {
			return []string{"plot", "map", "--geojson", geo, "--geo-id", "id", "--data", data, "--id", "state", "--var", "unemp",
				"--where", "year=1986", "--classes", "4", "--out", out}
		}},
		{"index", emp, func(data, out string) []string {
			return []string{"index", "lq", "--data", data, "--value", "employment", "--format", "csv"}
		}},
	}
	for _, c := range cmds {
		var want string
		for _, format := range []string{"csv", "semicolon", "tsv", "xlsx", "dta", "parquet"} {
			data := c.files[format]
			out := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")+"_"+format+".svg")
			args := c.args(data, out)
			args = append(args, extra[format]...)
			code, stdout, stderr := runCLI(t, args...)
			if code != 0 {
				t.Fatalf("%s on %s: exit %d: %s", c.name, format, code, stderr)
			}
			got := strings.ReplaceAll(stdout, data, "DATA")
			if c.name == "plot map" {
				b, err := os.ReadFile(out)
				if err != nil {
					t.Fatal(err)
				}
				got = string(b)
			}
			if len(got) < 100 {
				t.Fatalf("%s on %s: short output %q", c.name, format, got)
			}
			if format == "csv" {
				want = got
				continue
			}
			if got != want {
				t.Errorf("%s on %s differs from CSV:\n%s\nwant\n%s", c.name, format, firstDiff(got, want), firstDiff(want, got))
			}
		}
	}
}

// firstDiff returns the line of a where it first differs from b.
func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range la {
		if i >= len(lb) || la[i] != lb[i] {
			return la[i]
		}
	}
	return "(a prefix)"
}
