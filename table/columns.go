package table

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
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
// []float64 and text interned, with no string per cell. Errors are those
// of Read (naming the source) and *FieldCountError.
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
		if err != nil || redo < 0 {
			return cols, err
		}
		// Column redo is not numeric: read again with it as text.
		specs[redo].Kind = Text
		if err := r.rewind(); err != nil {
			return nil, fmt.Errorf("%s: reading again: %w", r.name, err)
		}
		if _, err := r.Read(); err != nil {
			return nil, fmt.Errorf("%s: reading the header again: %w", r.name, err)
		}
	}
}

// readColumns is one pass of ReadColumns; redo ≥ 0 names an Auto column
// that turned out not to be numeric.
func (r *Reader) readColumns(specs []ColumnSpec, opt ColumnsOptions) (out *Columns, redo int, err error) {
	sinks := make([]sink, len(specs))
	for i, s := range specs {
		sinks[i].spec = s
		if s.Kind == Text {
			sinks[i].index = map[string]int32{}
			sinks[i].last = -1
		}
	}
	var lines []int
	row := 0
	if r.csv != nil {
		for {
			fields, err := r.csv.ReadBytes()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, -1, fmt.Errorf("%s: %w", r.name, err)
			}
			line := r.csv.Line()
			if opt.SkipBlank && len(fields) == 1 && len(bytes.TrimSpace(fields[0])) == 0 {
				continue
			}
			if opt.Width > 0 && len(fields) != opt.Width {
				return nil, -1, &FieldCountError{Name: r.name, Line: line, Fields: len(fields), Want: opt.Width}
			}
			for i := range sinks {
				var b []byte
				if j := sinks[i].spec.Index; j < len(fields) {
					b = bytes.TrimSpace(fields[j])
				}
				if !add(&sinks[i], row, b) {
					return nil, i, nil
				}
			}
			lines = append(lines, line)
			row++
			if row == presizeRows && r.size > 0 {
				// Room for the rows the rest of the file holds at this
				// rate, to spare copies of long slices.
				n := int(float64(row)*float64(r.size)/float64(r.csv.Offset())*1.02) + 64
				for i := range sinks {
					sinks[i].grow(n)
				}
				lines = slices.Grow(lines, n-len(lines))
			}
		}
	} else {
		for {
			rec, line, err := r.next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, -1, fmt.Errorf("%s: %w", r.name, err)
			}
			if opt.SkipBlank && len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
				continue
			}
			if opt.Width > 0 && len(rec) != opt.Width {
				return nil, -1, &FieldCountError{Name: r.name, Line: line, Fields: len(rec), Want: opt.Width}
			}
			for i := range sinks {
				var s string
				if j := sinks[i].spec.Index; j < len(rec) {
					s = strings.TrimSpace(rec[j])
				}
				if !add(&sinks[i], row, s) {
					return nil, i, nil
				}
			}
			lines = append(lines, line)
			row++
		}
	}
	out = &Columns{Cols: make([]Column, len(sinks)), Line: lines}
	for i := range sinks {
		out.Cols[i] = sinks[i].col
		out.Cols[i].Kind = sinks[i].spec.Kind
		if out.Cols[i].Kind == Auto {
			out.Cols[i].Kind = Number
		}
	}
	return out, -1, nil
}

// presizeRows is the row after which ReadColumns sizes its columns for
// the whole file.
const presizeRows = 4096

// sink collects one column.
type sink struct {
	spec  ColumnSpec
	col   Column
	index map[string]int32
	last  int32   // code of the previous row (Text), -1 before the first
	succ  []int32 // per code, the code that followed it last (Text), -1 if none
}

// grow makes room for n rows in all.
func (s *sink) grow(n int) {
	if s.spec.Kind == Text {
		s.col.Codes = slices.Grow(s.col.Codes, n-len(s.col.Codes))
	} else {
		s.col.Num = slices.Grow(s.col.Num, n-len(s.col.Num))
	}
}

// add stores the trimmed cell b of row in s; it returns false when s is
// Auto and b is neither a number nor missing.
func add[T string | []byte](s *sink, row int, b T) bool {
	if s.spec.Kind == Text {
		// Identifiers and periods repeat the previous row's (sorted by
		// id or period) or follow the same one as last time (a panel
		// sorted by the other key): try those before the map.
		if s.last >= 0 {
			if s.col.Levels[s.last] == string(b) {
				s.col.Codes = append(s.col.Codes, s.last)
				return true
			}
			if next := s.succ[s.last]; next >= 0 && s.col.Levels[next] == string(b) {
				s.col.Codes = append(s.col.Codes, next)
				s.last = next
				return true
			}
		}
		code, ok := s.index[string(b)]
		if !ok {
			code = int32(len(s.col.Levels))
			str := string(b)
			s.col.Levels = append(s.col.Levels, str)
			s.succ = append(s.succ, -1)
			s.index[str] = code
		}
		s.col.Codes = append(s.col.Codes, code)
		if s.last >= 0 {
			s.succ[s.last] = code
		}
		s.last = code
		return true
	}
	if v, ok := parseFloat([]byte(b)); ok {
		if s.spec.Valid != nil && !s.spec.Valid(v) {
			s.col.Odd = append(s.col.Odd, Cell{Row: row, Text: string(b)})
		}
		s.col.Num = append(s.col.Num, v)
		return true
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		v = math.NaN()
		if s.spec.Kind == Auto && (s.spec.Missing == nil || !s.spec.Missing(string(b))) {
			return false
		}
	}
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || s.spec.Valid != nil && !s.spec.Valid(v) {
		s.col.Odd = append(s.col.Odd, Cell{Row: row, Text: string(b)})
	}
	s.col.Num = append(s.col.Num, v)
	return true
}
