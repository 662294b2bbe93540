// Package table is agglo's input layer for rectangular data: one header row
// of column names, then rows of cells, read from a file by its extension.
// It is shared by regress (panels, describe), index (long tables), spatial
// and plot (region values), and the command line, so that every --data
// accepts the same formats with the same errors:
//
//   - .csv, .txt: CSV (encoding/csv semantics: RFC 4180 quoting) in UTF-8
//     with or without a byte-order mark; the separator is the most frequent
//     of ',', ';' and tab on the header line unless Options.Comma forces it.
//   - .tsv: as CSV with a tab separator unless Options.Comma is set.
//   - .xlsx: an Excel workbook read with github.com/xuri/excelize/v2; the
//     sheet is Options.Sheet (default the first). Cells are read as their
//     stored value, not as displayed: a number keeps all its digits and a
//     date is its serial number (days since 1899-12-30). The first row is
//     the header; an empty or merged header cell is an error naming it.
//   - .dta: a Stata 13–18 data set (formats 117, 118, 119; see ReadDTA).
//   - .parquet: an Apache Parquet file read with
//     github.com/parquet-go/parquet-go; flat schemas only (one value per
//     column and row), nulls read as missing.
//
// Every format yields strings, so that callers parse numbers and missing
// values in one way whatever the file: numbers from binary formats are
// written with strconv.FormatFloat(x, 'g', -1, 64) (64 bits; float32
// columns with 32), which parses back to the same value; missing values
// are "" (empty cell, null, Stata's . and .a–.z).
//
// Reader.ReadColumns reads the rows into typed columns in one pass instead
// of one []string per row: numbers parsed where they lie in the read
// buffer (bit for bit as strconv.ParseFloat: Clinger's fast path and the
// Eisel–Lemire algorithm, strconv for the rest) straight into []float64,
// text interned (an identifier repeated every period is stored once). A
// large file is cut into blocks of lines (2 MiB) parsed by one goroutine
// per core and joined in order, streamed, never held whole; quoted fields
// keep encoding/csv's meaning and errors their line and column (from a
// block with a line holding an odd number of quotes on, where a quoted
// field may hold a line end, records are read one by one). An
// Auto column that meets text is read again as text. Panels
// (regress.ReadPanelFile) and long tables (index.ReadCSVFile) read this
// way: a 1,000,000-row panel CSV takes about 2.4 times its size in memory.
//
// Errors name the file (and sheet) and the row; Reader.Line gives the
// 1-based position of a record in its source (the CSV line, the Excel row,
// the data row + 1 for .dta and .parquet, whose header is line 1) for the
// callers' messages about cells.
package table
