package table

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/agglo/agglo/internal/csvin"
)

// Kind says how ReadColumns keeps the cells of a column.
type Kind uint8

const (
	// Text interns the cells: each distinct value (without surrounding
	// white space) is stored once, in Column.Levels, and each row holds
	// its index in Column.Codes. Identifiers that repeat every period
	// cost four bytes a row.
	Text Kind = iota + 1
	// Number parses each cell (without surrounding white space) with
	// strconv.ParseFloat into Column.Num; cells that are not finite
	// numbers are listed in Column.Odd with their text.
	Number
	// Auto is Number as long as every cell is a number (or a number out
	// of range, or a cell that ColumnSpec.Missing calls missing), and
	// Text otherwise: ReadColumns then reads the input again (a file or
	// other seekable input) with the column as Text. Where the input
	// cannot be read twice (a pipe), Auto columns are read as Text.
	Auto
)

// ColumnSpec asks ReadColumns for one column.
type ColumnSpec struct {
	// Index is the position of the column in the header (0-based).
	Index int
	// Kind is how the cells are kept.
	Kind Kind
	// Missing reports whether the text of a cell that is not a number
	// (without surrounding white space) is a missing value, which keeps
	// an Auto column numeric; nil means no text is.
	Missing func(string) bool
	// Valid, if not nil, reports whether a finite number is acceptable;
	// cells it refuses are listed in Column.Odd with their text, for the
	// caller's message.
	Valid func(float64) bool
}

// Cell is a cell of a numeric column that is not a finite number: empty,
// a missing-value code, text, NaN, ±Inf or a number beyond the float64
// range. Row is its 0-based data row and Text its content without
// surrounding white space.
type Cell struct {
	Row  int
	Text string
}

// Column is one column read by ReadColumns.
type Column struct {
	// Kind is Text or Number (an Auto column is resolved to one).
	Kind Kind
	// Num holds, for a Number column, strconv.ParseFloat of each row's
	// cell: NaN where it is not a number, ±Inf beyond the range.
	Num []float64
	// Odd lists, in row order, the rows of a Number column whose cell is
	// not a finite number (or one that ColumnSpec.Valid refuses), with
	// their text.
	Odd []Cell
	// Codes holds, for a Text column, each row's index into Levels.
	Codes []int32
	// Levels holds the distinct cells of a Text column in order of first
	// appearance, without surrounding white space.
	Levels []string
}

// Text returns the text of row i of a Text column.
func (c *Column) Text(i int) string { return c.Levels[c.Codes[i]] }

// Columns holds the columns read by ReadColumns, in the order of the
// specs, and the source line of each data row.
type Columns struct {
	Cols []Column
	// Line is the 1-based line of each data row in its source (see
	// Reader.Line).
	Line []int
}

// Len returns the number of data rows.
func (c *Columns) Len() int { return len(c.Line) }

// ColumnsOptions controls ReadColumns.
type ColumnsOptions struct {
	// Width is the number of fields every row must have (the header's);
	// 0 accepts any, a missing field reading as empty.
	Width int
	// SkipBlank skips rows that are one blank field (a line of spaces).
	SkipBlank bool
}

// FieldCountError is returned by ReadColumns for a row whose number of
// fields is not ColumnsOptions.Width.
type FieldCountError struct {
	Name         string // the source
	Line         int    // the row's line
	Fields, Want int
}

func (e *FieldCountError) Error() string {
	return fmt.Sprintf("%s: line %d has %d fields, the header has %d", e.Name, e.Line, e.Fields, e.Want)
}

// ReadColumns reads the remaining rows of r (call it after reading the
// header) into the columns that specs ask for, in one pass: CSV fields are
// parsed where they lie in the read buffer, numbers straight into
// []float64 and text interned, with no string per cell; a large CSV file
// is cut into blocks at line ends that are parsed in parallel (see
// csvin.Reader.ReadColumns: the same columns and errors as one record at
// a time). ColumnSpec.Missing and Valid may be called from several
// goroutines at once. Errors are those of Read (naming the source) and
// *FieldCountError.
func (r *Reader) ReadColumns(specs []ColumnSpec, opt ColumnsOptions) (*Columns, error) {
	specs = append([]ColumnSpec(nil), specs...)
	canRewind := r.rewind != nil && (r.csv == nil || r.csv.CanRewind())
	if !canRewind {
		for i := range specs {
			if specs[i].Kind == Auto {
				specs[i].Kind = Text
			}
		}
	}
	for {
		cols, redo, err := r.readColumns(specs, opt)
		if err != nil {
			return nil, err
		}
		if len(redo) == 0 {
			return cols, nil
		}
		// These columns are not numeric: read again with them as text.
		for _, i := range redo {
			specs[i].Kind = Text
		}
		if err := r.rewind(); err != nil {
			return nil, fmt.Errorf("%s: reading again: %w", r.name, err)
		}
		if _, err := r.Read(); err != nil {
			return nil, fmt.Errorf("%s: reading the header again: %w", r.name, err)
		}
	}
}

// readColumns is one pass of ReadColumns; redo lists the Auto columns
// that turned out not to be numeric.
func (r *Reader) readColumns(specs []ColumnSpec, opt ColumnsOptions) (out *Columns, redo []int, err error) {
	cspecs := make([]csvin.ColumnSpec, len(specs))
	for i, s := range specs {
		cspecs[i] = csvin.ColumnSpec{Index: s.Index, Kind: csvin.Kind(s.Kind), Missing: s.Missing, Valid: s.Valid}
	}
	var cols *csvin.Columns
	if r.csv != nil {
		cols, redo, err = r.csv.ReadColumns(cspecs, csvin.ColumnsOptions{Width: opt.Width, SkipBlank: opt.SkipBlank, Size: r.size})
		if err != nil {
			var fe *csvin.FieldCountError
			if errors.As(err, &fe) {
				return nil, nil, &FieldCountError{Name: r.name, Line: fe.Line, Fields: fe.Fields, Want: fe.Want}
			}
			return nil, nil, fmt.Errorf("%s: %w", r.name, err)
		}
	} else {
		if cols, redo, err = r.readRecordColumns(cspecs, opt); err != nil {
			return nil, nil, err
		}
	}
	out = &Columns{Cols: make([]Column, len(cols.Cols)), Line: cols.Line}
	for i, c := range cols.Cols {
		out.Cols[i] = Column{Kind: Kind(c.Kind), Num: c.Num, Codes: c.Codes, Levels: c.Levels}
		if c.Odd != nil {
			out.Cols[i].Odd = make([]Cell, len(c.Odd))
			for k, o := range c.Odd {
				out.Cols[i].Odd[k] = Cell(o)
			}
		}
	}
	return out, redo, nil
}

// readRecordColumns types the records of a source that is not CSV.
func (r *Reader) readRecordColumns(specs []csvin.ColumnSpec, opt ColumnsOptions) (*csvin.Columns, []int, error) {
	sinks := make([]*csvin.Sink, len(specs))
	for i, s := range specs {
		sinks[i] = csvin.NewSink(s)
	}
	redo := make([]bool, len(specs))
	var lines []int
	for {
		rec, line, err := r.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", r.name, err)
		}
		if opt.SkipBlank && len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if opt.Width > 0 && len(rec) != opt.Width {
			return nil, nil, &FieldCountError{Name: r.name, Line: line, Fields: len(rec), Want: opt.Width}
		}
		for i, s := range sinks {
			var cell string
			if j := specs[i].Index; j < len(rec) {
				cell = strings.TrimSpace(rec[j])
			}
			if !s.AddString(len(lines), cell) {
				redo[i] = true
			}
		}
		lines = append(lines, line)
	}
	out := &csvin.Columns{Cols: make([]csvin.Column, len(sinks)), Line: lines}
	var redoCols []int
	for i, s := range sinks {
		out.Cols[i] = s.Column()
		if redo[i] {
			redoCols = append(redoCols, i)
		}
	}
	return out, redoCols, nil
}
