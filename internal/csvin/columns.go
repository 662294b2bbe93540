package csvin

import (
	"bytes"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"math"
	"runtime"
	"strconv"
	"unicode/utf8"
)

// Kind says how ReadColumns keeps the cells of a column (the values of
// package table's Kind).
type Kind uint8

const (
	// Text interns the cells (without surrounding white space) in order
	// of first appearance: Column.Levels and Column.Codes.
	Text Kind = iota + 1
	// Number parses each cell (without surrounding white space) as
	// strconv.ParseFloat does into Column.Num, listing the cells that are
	// not finite numbers in Column.Odd.
	Number
	// Auto is Number unless a cell is neither a number (nor out of range)
	// nor missing (ColumnSpec.Missing): ReadColumns then reports the
	// column for reading again as Text.
	Auto
)

// ColumnSpec asks ReadColumns for one column. Missing and Valid may be
// called from several goroutines at once: they must be pure functions.
type ColumnSpec struct {
	Index   int                // position in the record, 0-based
	Kind    Kind               // how the cells are kept
	Missing func(string) bool  // a non-number that keeps an Auto column numeric
	Valid   func(float64) bool // a finite number to accept; nil accepts all
	// SharedWith, for a Text column, is 1 + the index of an earlier Text
	// spec whose levels it shares (both columns' codes then index one
	// list, in order of first appearance row by row); 0 gives the column
	// its own.
	SharedWith int
}

// Cell is a cell of a numeric column that is not a finite number (or that
// ColumnSpec.Valid refuses): its 0-based data row and trimmed text.
type Cell struct {
	Row  int
	Text string
}

// Column is one column read by ReadColumns: Num and Odd for a Number
// column, Codes and Levels for a Text one (see package table's Column).
type Column struct {
	Kind   Kind
	Num    []float64
	Odd    []Cell
	Codes  []int32
	Levels []string
	ix     *codeIndex // Text: finds the code of a level (Code)
}

// Code returns the code of level s of a Text column, its index in
// Levels, and false if s is not one of Levels (or the column is not
// Text). It may be called from several goroutines at once.
func (c Column) Code(s string) (int32, bool) {
	if c.ix == nil {
		return 0, false
	}
	return c.ix.find(c.Levels, s, maphash.String(c.ix.seed, s))
}

// Columns holds the columns read by ReadColumns in the order of the specs
// and the 1-based source line of each data row.
type Columns struct {
	Cols []Column
	Line []int
}

// ColumnsOptions controls ReadColumns.
type ColumnsOptions struct {
	// Width is the number of fields every record must have; 0 accepts
	// any, a missing field reading as empty.
	Width int
	// SkipBlank skips records that are one blank field.
	SkipBlank bool
	// Size is the size of the whole input in bytes when known (0 if not),
	// to size the columns once.
	Size int64
}

// FieldCountError is returned by ReadColumns for a record whose number of
// fields is not ColumnsOptions.Width.
type FieldCountError struct {
	Line         int // the record's line
	Fields, Want int
}

func (e *FieldCountError) Error() string {
	return fmt.Sprintf("line %d has %d fields, want %d", e.Line, e.Fields, e.Want)
}

// Sink collects one column cell by cell; see NewSink.
type Sink struct {
	spec ColumnSpec
	col  Column
	lv   *levels // Text: the interned cells, perhaps shared
	last int32   // code of the previous row (Text), -1 before the first
}

// NewSink returns an empty column for spec (SharedWith is ignored).
func NewSink(spec ColumnSpec) *Sink {
	s := &Sink{}
	s.init(spec, nil, maphash.MakeSeed())
	return s
}

// init makes s an empty column for spec; a Text column interns into lv,
// or into its own levels hashing with seed if lv is nil.
func (s *Sink) init(spec ColumnSpec, lv *levels, seed maphash.Seed) {
	s.spec = spec
	if spec.Kind == Text {
		if lv == nil {
			lv = newLevels(seed)
		}
		s.lv, s.last = lv, -1
	}
}

// Grow makes room for n rows in all.
func (s *Sink) Grow(n int) {
	if s.spec.Kind == Text {
		s.col.Codes = growTo(s.col.Codes, n)
	} else {
		s.col.Num = growTo(s.col.Num, n)
	}
}

// growTo returns s with room for n elements in all. Unlike slices.Grow it
// does not clear the new room, which the kernel gives zeroed: a large
// column is touched once, when it is filled.
func growTo[E any](s []E, n int) []E {
	if n <= cap(s) {
		return s
	}
	t := make([]E, len(s), n)
	copy(t, s)
	return t
}

// Column returns the column collected, an Auto column as Number.
func (s *Sink) Column() Column {
	c := s.col
	c.Kind = s.spec.Kind
	if c.Kind == Auto {
		c.Kind = Number
	}
	if s.lv != nil {
		c.Levels, c.ix = s.lv.strings(), s.lv.ix
	}
	return c
}

// Add stores the trimmed cell b of row (0-based) and reports false when
// the column is Auto and b is neither a number nor missing (the cell is
// then stored as NaN).
func (s *Sink) Add(row int, b []byte) bool { return add(s, row, b) }

// AddString is Add for a cell held as a string.
func (s *Sink) AddString(row int, b string) bool { return add(s, row, b) }

func add[T string | []byte](s *Sink, row int, b T) bool {
	if s.spec.Kind == Text {
		addText(s, b, 0, false)
		return true
	}
	v, odd, ok := parseCell(&s.spec, b)
	if odd {
		s.col.Odd = append(s.col.Odd, Cell{Row: row, Text: string(b)})
	}
	s.col.Num = append(s.col.Num, v)
	return ok
}

// addText interns a cell of a Text column, b, whose hash is h if hashed
// (else addText hashes it when it needs to).
func addText[T string | []byte](s *Sink, b T, h uint64, hashed bool) {
	lv := s.lv
	// Identifiers and periods repeat the previous row's (sorted by id or
	// period) or follow the same one as last time (a panel sorted by the
	// other key): try those before the table.
	if s.last >= 0 {
		if string(lv.level(s.last)) == string(b) {
			s.col.Codes = append(s.col.Codes, s.last)
			return
		}
		if next := lv.succ[s.last]; next >= 0 && string(lv.level(next)) == string(b) {
			s.col.Codes = append(s.col.Codes, next)
			s.last = next
			return
		}
	}
	if !hashed {
		h = hashCell(lv.ix.seed, b)
	}
	var c int32
	if lv.recent != nil {
		r := &lv.recent[h>>(64-recentBits)]
		tag := uint64(uint32(h))
		if c = int32(uint32(*r)) - 1; c < 0 || *r>>32 != tag || string(lv.level(c)) != string(b) {
			c = code(lv, b, h)
			*r = tag<<32 | uint64(uint32(c+1))
		}
	} else if c = code(lv, b, h); len(lv.ends) >= recentFrom {
		lv.recent = make([]uint64, 1<<recentBits)
	}
	s.col.Codes = append(s.col.Codes, c)
	if s.last >= 0 {
		lv.succ[s.last] = c
	}
	s.last = c
}

// parseCell parses the trimmed cell b of a Number or Auto column: its
// value (NaN when it is not a number, ±Inf beyond the range), whether it
// belongs in Column.Odd, and false when the column is Auto and b is
// neither a number nor missing.
func parseCell[T string | []byte](spec *ColumnSpec, b T) (v float64, odd, ok bool) {
	if v, ok := parseFloat([]byte(b)); ok {
		return v, spec.Valid != nil && !spec.Valid(v), true
	}
	v, err := strconv.ParseFloat(string(b), 64)
	ok = true
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		v = math.NaN()
		if spec.Kind == Auto && (spec.Missing == nil || !spec.Missing(string(b))) {
			ok = false
		}
	}
	odd = err != nil || math.IsNaN(v) || math.IsInf(v, 0) || spec.Valid != nil && !spec.Valid(v)
	return v, odd, ok
}

// columnsState is ReadColumns' work: the columns, the line of each row,
// the Auto columns found not numeric.
type columnsState struct {
	seed  maphash.Seed // of the Text columns' hashes
	opt   ColumnsOptions
	sinks []Sink
	lines []int
	redo  []bool
	grown bool
}

// rows returns the number of data rows read.
func (st *columnsState) rows() int { return len(st.lines) }

// presize sizes the columns for the whole input once at least minRows
// rows have been read from consumed bytes, at this rate.
func (st *columnsState) presize(consumed int64) {
	if st.grown || st.opt.Size <= 0 || consumed <= 0 || st.rows() < presizeRows {
		return
	}
	st.grown = true
	n := int(float64(st.rows())*float64(st.opt.Size)/float64(consumed)*1.02) + 64
	for i := range st.sinks {
		st.sinks[i].Grow(n)
	}
	st.lines = growTo(st.lines, n)
}

// presizeRows is the row after which ReadColumns sizes its columns for
// the whole input.
const presizeRows = 4096

// ReadColumns reads the remaining records into the columns that specs
// ask for: numbers parsed where they lie (bit for bit as
// strconv.ParseFloat) into []float64, text interned, no string per cell.
//
// Large inputs are cut into blocks at line ends and the blocks parsed in
// parallel, then joined in order; a line with double quotes is read by
// ReadBytes alone. From the first block with a line holding an odd number
// of double quotes on (a quoted field may go on to the next line), and for
// a separator that is not ASCII, records are read one by one with
// ReadBytes. Both ways give the same columns and errors.
//
// redo lists the Auto columns (indices into specs) found holding a cell
// that is neither a number nor missing: reading then stops (after that
// record, or that block), the columns are incomplete, and the caller
// reads the input again with them as Text. Errors are those of ReadBytes
// (*csv.ParseError, read errors) and *FieldCountError; with an error, the
// columns returned hold the rows before the record at fault.
func (r *Reader) ReadColumns(specs []ColumnSpec, opt ColumnsOptions) (cols *Columns, redo []int, err error) {
	st := &columnsState{seed: maphash.MakeSeed(), opt: opt, sinks: make([]Sink, len(specs)), redo: make([]bool, len(specs))}
	if st.opt.Size <= 0 {
		st.opt.Size = r.size
	}
	for i, s := range specs {
		var lv *levels
		if k := s.SharedWith - 1; s.Kind == Text && k >= 0 {
			if k >= i || specs[k].Kind != Text {
				return nil, nil, fmt.Errorf("csvin: column spec %d shares the levels of spec %d, not an earlier text column", i, k)
			}
			lv = st.sinks[k].lv
		}
		st.sinks[i].init(s, lv, st.seed)
	}
	if !validDelim(r.comma) {
		return nil, nil, errInvalidDelim
	}
	if r.comma < utf8.RuneSelf && !r.Sequential && (r.BlockSize > 0 || r.Workers > 0 || worthBlocks(st.opt.Size)) {
		err = r.readBlocks(st)
	} else {
		err = r.readRecords(st)
	}
	cols = &Columns{Cols: make([]Column, len(specs)), Line: st.lines}
	for i := range st.sinks {
		cols.Cols[i] = st.sinks[i].Column()
		if st.redo[i] {
			redo = append(redo, i)
		}
	}
	return cols, redo, err
}

// worthBlocks reports whether an input of size bytes (0: unknown, a
// stream) is worth reading in parallel blocks: not a small file (a few
// blocks), nor on one core, where the blocks only cost.
func worthBlocks(size int64) bool {
	return (size == 0 || size >= 2*DefaultBlockSize) && runtime.GOMAXPROCS(0) > 1
}

// readRecords reads the remaining records one by one with ReadBytes.
func (r *Reader) readRecords(st *columnsState) error {
	opt := st.opt
	for {
		fields, err := r.ReadBytes()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		line := r.Line()
		if opt.SkipBlank && len(fields) == 1 && len(bytes.TrimSpace(fields[0])) == 0 {
			continue
		}
		if opt.Width > 0 && len(fields) != opt.Width {
			return &FieldCountError{Line: line, Fields: len(fields), Want: opt.Width}
		}
		row := st.rows()
		redo := false
		for i := range st.sinks {
			var b []byte
			if j := st.sinks[i].spec.Index; j < len(fields) {
				b = trimSpace(fields[j])
			}
			if !add(&st.sinks[i], row, b) {
				st.redo[i], redo = true, true
			}
		}
		st.lines = append(st.lines, line)
		if redo {
			return nil
		}
		st.presize(r.offset)
	}
}
