package table

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/agglo/agglo/internal/csvin"
)

// Options controls how a file is read. The zero value detects the CSV
// separator and reads the first sheet of a workbook.
type Options struct {
	// Comma is the CSV field separator; zero detects it from the header
	// line (',' ';' or tab), except for .tsv files (tab). Ignored for the
	// other formats.
	Comma rune
	// Sheet names the worksheet of an .xlsx file; "" is the first.
	Sheet string
	// TrimLeadingSpace drops leading white space of CSV fields (as
	// csv.Reader's field of that name).
	TrimLeadingSpace bool
}

// Reader returns the header, then one record per row. It is not safe for
// concurrent use.
type Reader struct {
	name  string
	next  func() ([]string, int, error)
	close func() error
	line  int
	hint  string
	// csv is the parser of a CSV source, which ReadColumns reads as
	// bytes; nil for the other formats.
	csv *csvin.Reader
	// rewind, if not nil, goes back to the start of the source (the
	// header) for ReadColumns.
	rewind func() error
	// size is the size of a CSV file in bytes (0 if unknown), for
	// ReadColumns to size its columns.
	size int64
}

// Formats lists the file extensions Open reads.
var Formats = []string{".csv", ".tsv", ".txt", ".xlsx", ".dta", ".parquet"}

// Open opens the file at path for reading by its extension (see the
// package documentation); an unknown extension is read as CSV. The caller
// must Close the reader.
func Open(path string, opt Options) (*Reader, error) {
	var open func(string) (*Reader, error)
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx", ".xlsm":
		open = func(path string) (*Reader, error) { return openXLSX(path, opt.Sheet) }
	case ".xls":
		return nil, fmt.Errorf("%s: the old binary Excel format (.xls) is not read: save the sheet as .xlsx or .csv", path)
	case ".dta":
		open = openDTA
	case ".parquet":
		open = openParquet
	case ".tsv":
		if opt.Comma == 0 {
			opt.Comma = '\t'
		}
	}
	if open != nil {
		r, err := open(path)
		if err != nil {
			return nil, err
		}
		// Reading again opens the file again.
		r.rewind = func() error {
			again, err := open(path)
			if err != nil {
				return err
			}
			r.Close()
			r.next, r.close = again.next, again.close
			return nil
		}
		return r, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	r := NewCSV(f, path, opt)
	r.close = f.Close
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		r.size = st.Size()
	}
	return r, nil
}

// NewCSV returns a reader of CSV text from r; name labels it in errors.
// opt.Comma zero detects the separator.
func NewCSV(r io.Reader, name string, opt Options) *Reader {
	comma := opt.Comma
	if comma == 0 {
		comma = csvin.Detect
	}
	cr := csvin.NewReader(r, comma)
	cr.TrimLeadingSpace = opt.TrimLeadingSpace
	return &Reader{
		name:   name,
		hint:   cr.Hint(),
		csv:    cr,
		rewind: cr.Rewind,
		next: func() ([]string, int, error) {
			rec, err := cr.Read()
			if err != nil {
				return nil, 0, err
			}
			return rec, cr.Line(), nil
		},
	}
}

// FromRecords returns a reader of in-memory records (the header first);
// record i is line i+1. name labels them in errors.
func FromRecords(name string, recs [][]string) *Reader {
	i := 0
	return &Reader{name: name, next: func() ([]string, int, error) {
		if i >= len(recs) {
			return nil, 0, io.EOF
		}
		i++
		return recs[i-1], i, nil
	}, rewind: func() error { i = 0; return nil }}
}

// Name returns the name of the source for messages: the path, with the
// sheet of a workbook ("data.xlsx, sheet Panel").
func (r *Reader) Name() string { return r.name }

// Read returns the next record: the header first, then the rows; io.EOF
// after the last. Errors name the source.
func (r *Reader) Read() ([]string, error) {
	rec, line, err := r.next()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		return nil, fmt.Errorf("%s: %w", r.name, err)
	}
	r.line = line
	if r.line == 1 && len(rec) > 0 {
		rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
	}
	return rec, nil
}

// ReadAll returns the remaining records.
func (r *Reader) ReadAll() ([][]string, error) {
	var recs [][]string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return recs, nil
		}
		if err != nil {
			return nil, err
		}
		recs = append(recs, rec)
	}
}

// Line returns the 1-based position in its source of the last record
// read: the CSV line, the Excel row, or the data row + 1 (.dta, .parquet).
func (r *Reader) Line() int { return r.line }

// Hint returns "; " and a sentence when a CSV header looks separated by
// another character than the one used (see csvin.Hint), else "".
func (r *Reader) Hint() string {
	if r.hint == "" {
		return ""
	}
	return r.hint
}

// Close releases the file.
func (r *Reader) Close() error {
	if r.close == nil {
		return nil
	}
	return r.close()
}

// guard turns a panic of a third-party decoder on a corrupt file into an
// error naming the file.
func guard(name string, err *error) {
	if p := recover(); p != nil {
		*err = fmt.Errorf("%s: corrupt or unsupported file (%v)", name, p)
	}
}

// errEOF is io.EOF, named for the non-CSV sources.
var errEOF = io.EOF
