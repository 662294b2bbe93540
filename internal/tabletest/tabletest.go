// Package tabletest writes the same records as an Excel workbook and a
// Parquet file, for the tests that check every reader of package table
// gives the same table (and every command the same result). Cells that
// parse as numbers are written as numbers (double), others as text; an
// empty cell is an empty Excel cell and a Parquet null.
package tabletest

import (
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/xuri/excelize/v2"
)

// numericColumns reports, per column, whether every non-empty cell of the
// rows parses as a finite number.
func numericColumns(recs [][]string) []bool {
	num := make([]bool, len(recs[0]))
	for j := range num {
		num[j] = true
		for _, r := range recs[1:] {
			if r[j] == "" {
				continue
			}
			v, err := strconv.ParseFloat(r[j], 64)
			if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
				num[j] = false
				break
			}
		}
	}
	return num
}

// WriteXLSX writes recs (the header first) to sheet of a new workbook at
// path.
func WriteXLSX(t testing.TB, path, sheet string, recs [][]string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if sheet != "Sheet1" {
		if _, err := f.NewSheet(sheet); err != nil {
			t.Fatal(err)
		}
		if err := f.DeleteSheet("Sheet1"); err != nil {
			t.Fatal(err)
		}
	}
	num := numericColumns(recs)
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range recs {
		row := make([]any, len(r))
		for j, c := range r {
			switch {
			case c == "":
				row[j] = nil
			case i > 0 && num[j]:
				v, _ := strconv.ParseFloat(c, 64)
				row[j] = v
			default:
				row[j] = c
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, row); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// WriteParquet writes recs (the header first) to a Parquet file at path:
// optional double columns for numeric ones, optional strings otherwise.
func WriteParquet(t testing.TB, path string, recs [][]string) {
	t.Helper()
	num := numericColumns(recs)
	group := parquet.Group{}
	for j, h := range recs[0] {
		if num[j] {
			group[h] = parquet.Optional(parquet.Leaf(parquet.DoubleType))
		} else {
			group[h] = parquet.Optional(parquet.String())
		}
	}
	schema := parquet.NewSchema("table", group)
	// The schema orders the columns by name; map them back.
	pos := make([]int, len(recs[0]))
	for k, c := range schema.Columns() {
		for j, h := range recs[0] {
			if h == c[0] {
				pos[k] = j
			}
		}
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := parquet.NewWriter(f, schema)
	for _, r := range recs[1:] {
		row := make(parquet.Row, len(pos))
		for k, j := range pos {
			switch {
			case r[j] == "":
				row[k] = parquet.NullValue().Level(0, 0, k)
			case num[j]:
				v, _ := strconv.ParseFloat(r[j], 64)
				row[k] = parquet.DoubleValue(v).Level(0, 1, k)
			default:
				row[k] = parquet.ByteArrayValue([]byte(r[j])).Level(0, 1, k)
			}
		}
		if _, err := w.WriteRows([]parquet.Row{row}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}
