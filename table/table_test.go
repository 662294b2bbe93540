package table

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/agglo/agglo/internal/tabletest"
)

// readAll opens path and returns its records.
func readAll(t *testing.T, path string, opt Options) [][]string {
	t.Helper()
	r, err := Open(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// TestDTAFeatures reads the fixtures written by haven 2.5.1's write_dta
// (testdata/make_dta.R) in formats 117 and 118; the expected cells are
// what haven::read_dta shows for them (missing values, tagged .a and .z
// included, as "").
func TestDTAFeatures(t *testing.T) {
	want := [][]string{
		{"id", "vb", "vi", "lng", "vd", "tag", "note", "grp"},
		{"a", "1", "1000", "100000", "1.5", "0.25", strings.Repeat("x", 30), "1"},
		{"b", "-5", "-32000", "-2000000000", "", "", "", "2"},
		{"c", "", "32000", "", "-2.25e-10", "", "café", "1"},
		{"d", "100", "", "7", "1e+300", "3", strings.Repeat("y", 30), ""},
	}
	for _, tc := range []struct {
		file    string
		release int
	}{{"features117.dta", 117}, {"features118.dta", 118}} {
		b, err := os.ReadFile(filepath.Join("testdata", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte("GSO")) {
			t.Fatalf("%s: no strL in the fixture", tc.file)
		}
		d, err := ReadDTA(b)
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		if d.Release != tc.release {
			t.Errorf("%s: release %d, want %d", tc.file, d.Release, tc.release)
		}
		got := append([][]string{d.Names}, d.Rows...)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %q\nwant %q", tc.file, got, want)
		}
		if d.VarLabels[4] != "a double" || d.LabelNames[7] != "grp" {
			t.Errorf("%s: labels %q, label names %q", tc.file, d.VarLabels, d.LabelNames)
		}
		if lt := d.ValueLabels["grp"]; lt[1] != "north" || lt[2] != "south" || len(lt) != 2 {
			t.Errorf("%s: value labels %v", tc.file, d.ValueLabels)
		}
		// Every truncation is an error, never a panic.
		for _, n := range []int{0, 10, 100, len(b) / 2, len(b) - 1} {
			if _, err := ReadDTA(b[:n]); err == nil {
				t.Errorf("%s cut at %d bytes: no error", tc.file, n)
			}
		}
	}
}

// FuzzReadDTA: no input makes ReadDTA panic, and what it returns has one
// cell per variable in every row.
func FuzzReadDTA(f *testing.F) {
	for _, name := range []string{"features117.dta", "features118.dta"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ReadDTA(b)
		if err != nil {
			return
		}
		for i, r := range d.Rows {
			if len(r) != len(d.Names) {
				t.Fatalf("row %d has %d cells for %d variables", i, len(r), len(d.Names))
			}
		}
	})
}

// TestFormatsAgree writes produc.csv (../shared) as .xlsx and .parquet
// and reads the haven-written produc.dta: every format gives the CSV's
// cells (parquet orders columns by name, so rows are compared by column).
func TestFormatsAgree(t *testing.T) {
	src := filepath.Join("..", "..", "shared", "data", "produc.csv")
	if _, err := os.Stat(src); err != nil {
		t.Skip("../shared/data/produc.csv absent")
	}
	want := readAll(t, src, Options{})
	dir := t.TempDir()
	xlsx := filepath.Join(dir, "produc.xlsx")
	tabletest.WriteXLSX(t, xlsx, "Panel", want)
	pq := filepath.Join(dir, "produc.parquet")
	tabletest.WriteParquet(t, pq, want)
	for _, tc := range []struct {
		path string
		opt  Options
	}{{xlsx, Options{Sheet: "Panel"}}, {xlsx, Options{}}, {pq, Options{}}, {filepath.Join("testdata", "produc.dta"), Options{}}} {
		got := readAll(t, tc.path, tc.opt)
		if len(got) != len(want) {
			t.Fatalf("%s: %d records, want %d", tc.path, len(got), len(want))
		}
		col := map[string]int{}
		for j, h := range got[0] {
			col[h] = j
		}
		for j, h := range want[0] {
			k, ok := col[h]
			if !ok {
				t.Fatalf("%s: no column %q in %q", tc.path, h, got[0])
			}
			for i := 1; i < len(want); i++ {
				if got[i][k] != want[i][j] {
					t.Fatalf("%s: row %d, column %s: %q, want %q", tc.path, i, h, got[i][k], want[i][j])
				}
			}
		}
	}
}

// TestCSVDelimiter: the separator is detected from the header (',' ';'
// tab, ',' for one column and on a tie), forced by Comma, tab for .tsv; a
// BOM is skipped.
func TestCSVDelimiter(t *testing.T) {
	want := [][]string{{"id", "y"}, {"a", "1,5"}}
	for _, tc := range []struct {
		name, src string
		opt       Options
		want      [][]string
	}{
		{"semicolon", "id;y\na;\"1,5\"\n", Options{}, want},
		{"tab", "id\ty\na\t1,5\n", Options{}, want},
		{"comma+bom", "\ufeffid,y\na,\"1,5\"\n", Options{}, want},
		{"one column", "id\na\n", Options{}, [][]string{{"id"}, {"a"}}},
		{"quoted separators", "\"a;b;c\",y\nx,1\n", Options{}, [][]string{{"a;b;c", "y"}, {"x", "1"}}},
		{"forced", "id;y\na;1,5\n", Options{Comma: ','}, [][]string{{"id;y"}, {"a;1", "5"}}},
	} {
		got, err := NewCSV(strings.NewReader(tc.src), tc.name, tc.opt).ReadAll()
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
	tsv := filepath.Join(t.TempDir(), "x.tsv")
	if err := os.WriteFile(tsv, []byte("id\ty;z\na\t1;2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, tsv, Options{}); !reflect.DeepEqual(got, [][]string{{"id", "y;z"}, {"a", "1;2"}}) {
		t.Errorf(".tsv: %q", got)
	}
}

// TestXLSXErrors: a missing sheet, an empty or merged header cell and a
// value beyond the named columns are errors naming the sheet and cell;
// numbers keep their digits whatever the display format; empty rows are
// skipped and short rows padded; lines are Excel's row numbers.
func TestXLSXErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, edit func(f *excelize.File)) string {
		f := excelize.NewFile()
		defer f.Close()
		f.SetSheetRow("Sheet1", "A1", &[]any{"id", "x", "y"})
		f.SetSheetRow("Sheet1", "A2", &[]any{"a", 1.23456789012, 2})
		f.SetSheetRow("Sheet1", "A4", &[]any{"b", 3})
		edit(f)
		p := filepath.Join(dir, name)
		if err := f.SaveAs(p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ok := write("ok.xlsx", func(f *excelize.File) {
		st, _ := f.NewStyle(&excelize.Style{NumFmt: 2}) // 0.00
		f.SetCellStyle("Sheet1", "B2", "B2", st)
	})
	r, err := Open(ok, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got [][]string
	var lines []int
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, rec)
		lines = append(lines, r.Line())
	}
	if want := [][]string{{"id", "x", "y"}, {"a", "1.23456789012", "2"}, {"b", "3", ""}}; !reflect.DeepEqual(got, want) {
		t.Errorf("cells %q, want %q", got, want)
	}
	if !reflect.DeepEqual(lines, []int{1, 2, 4}) {
		t.Errorf("lines %v, want [1 2 4]", lines)
	}
	if r.Name() != ok+", sheet Sheet1" {
		t.Errorf("name %q", r.Name())
	}
	for _, tc := range []struct {
		name string
		edit func(f *excelize.File)
		opt  Options
		want string
	}{
		{"nosheet.xlsx", func(f *excelize.File) {}, Options{Sheet: "Data"}, `no sheet "Data" (sheets: Sheet1)`},
		{"empty.xlsx", func(f *excelize.File) { f.SetCellValue("Sheet1", "B1", "") }, Options{}, "sheet Sheet1: header cell B1 is empty"},
		{"merged.xlsx", func(f *excelize.File) { f.MergeCell("Sheet1", "B1", "C1") }, Options{}, "sheet Sheet1: header cell B1 is merged (B1:C1)"},
		{"beyond.xlsx", func(f *excelize.File) { f.SetCellValue("Sheet1", "E4", 7) }, Options{}, `cell E4 holds "7" beyond the last named column`},
	} {
		_, err := Open(write(tc.name, tc.edit), tc.opt)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.name) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

// TestCorruptFiles: a file of another format under a known extension is an
// error naming it, never a panic.
func TestCorruptFiles(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"x.xlsx", "x.parquet", "x.dta", "x.xls"} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("id,y\na,1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Open(p, Options{}); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestDTAMutations: 20,000 seeded random corruptions (bytes changed, the
// file cut) of the haven fixtures give an error or a table, never a panic,
// each in well under a second.
func TestDTAMutations(t *testing.T) {
	for _, name := range []string{"features117.dta", "features118.dta"} {
		b0, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(1, 2))
		for it := 0; it < 10000; it++ {
			b := append([]byte(nil), b0...)
			for k := 0; k < 1+r.IntN(4); k++ {
				b[r.IntN(len(b))] = byte(r.IntN(256))
			}
			if r.IntN(4) == 0 {
				b = b[:r.IntN(len(b))]
			}
			start := time.Now()
			d, err := ReadDTA(b)
			if err == nil {
				for i, row := range d.Rows {
					if len(row) != len(d.Names) {
						t.Fatalf("%s mutation %d: row %d has %d cells for %d variables", name, it, i, len(row), len(d.Names))
					}
				}
			}
			if el := time.Since(start); el > time.Second {
				t.Fatalf("%s mutation %d: %v", name, it, el)
			}
		}
	}
}
