package regress

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/agglo/agglo/table"
)

// PanelOptions controls how a panel is read. The zero value reads every
// column and reports missing values as an error.
type PanelOptions struct {
	// Columns restricts the columns checked for missing values (and kept)
	// to these names, besides the id and time columns. Nil means every
	// column. Use Formula.Variables to keep only what a model needs.
	Columns []string
	// DropMissing deletes every row with a missing value in a kept column
	// (listwise deletion) instead of returning an error. The number of
	// deleted rows is in Panel.Dropped and Panel.Messages.
	DropMissing bool
	// Comma is the CSV field separator; zero detects it (',' ';' or tab,
	// see package table).
	Comma rune
	// Sheet names the worksheet of an .xlsx file; "" is the first.
	Sheet string
}

// Column is one variable of a panel. A column whose non-missing values all
// parse as numbers is numeric (Num holds them, NaN where missing);
// otherwise it is categorical (Str holds the values), usable in factor().
type Column struct {
	Name    string
	Numeric bool
	Num     []float64
	Str     []string
}

// Panel is a data set of individuals (regions) observed over time, sorted by
// individual then time. Row r is individual ID[r] (an index into IDLevels)
// at period Time[r] (an index into TimeLevels).
type Panel struct {
	// Source names where the data came from (a file name), for errors.
	Source string
	// IDName and TimeName are the names of the id and time columns.
	IDName, TimeName string
	// IDLevels and TimeLevels are the sorted distinct ids and times
	// (numerically when every value is a number).
	IDLevels, TimeLevels []string
	// ID and Time index IDLevels and TimeLevels for each row.
	ID, Time []int
	// Line is the 1-based line of the source file each row came from
	// (0 for in-memory data), for error messages.
	Line []int
	// Balanced reports whether every individual is observed in every
	// period exactly once.
	Balanced bool
	// Dropped counts rows deleted for missing values (DropMissing).
	Dropped int
	// Messages are notes for the user (rows dropped).
	Messages []string

	names []string
	cols  map[string]*Column
}

// missingValue reports whether a CSV field denotes a missing value.
func missingValue(s string) bool {
	switch strings.TrimSpace(s) {
	case "", "NA", "na", "NaN", "nan", ".", "NULL", "null":
		return true
	}
	return false
}

// nonFinite reports whether a CSV field is a number that is not finite:
// Inf, -Inf, NaN in any spelling, or a value beyond the float64 range
// (1e400).
func nonFinite(s string) bool {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return (err == nil || errors.Is(err, strconv.ErrRange)) && (math.IsNaN(v) || math.IsInf(v, 0))
}

// ReadPanelCSV reads a panel from the file at path, whatever its format.
//
// Deprecated: use ReadPanelFile, which it calls.
func ReadPanelCSV(path, idCol, timeCol string, opts PanelOptions) (*Panel, error) {
	return ReadPanelFile(path, idCol, timeCol, opts)
}

// ReadPanelFile reads a panel from the file at path with a header row, in
// any format of package table (.csv, .tsv, .txt, .xlsx, .dta, .parquet);
// idCol and timeCol name the individual and time columns. See ReadPanel.
func ReadPanelFile(path, idCol, timeCol string, opts PanelOptions) (*Panel, error) {
	tr, err := table.Open(path, table.Options{Comma: opts.Comma, Sheet: opts.Sheet, TrimLeadingSpace: true})
	if err != nil {
		return nil, fmt.Errorf("reading panel: %w", err)
	}
	defer tr.Close()
	return ReadPanelTable(tr, idCol, timeCol, opts)
}

// ReadPanel reads a panel from CSV text with a header row. name labels the
// source in error messages. See ReadPanelTable.
func ReadPanel(r io.Reader, name, idCol, timeCol string, opts PanelOptions) (*Panel, error) {
	return ReadPanelTable(table.NewCSV(r, name, table.Options{Comma: opts.Comma, TrimLeadingSpace: true}), idCol, timeCol, opts)
}

// ReadPanelTable reads a panel from the records of tr, a header row first.
// Duplicated (id, time) pairs are an error naming them; missing values
// (empty, NA, NaN, ".") in a kept column are an error naming the first
// rows, unless opts.DropMissing is set. Errors name the source and line
// (the Excel row, the data row + 1 of .dta and .parquet files).
//
// An empty timeCol reads one cross-section: every row is period "1".
func ReadPanelTable(tr *table.Reader, idCol, timeCol string, opts PanelOptions) (*Panel, error) {
	cr, name := tr, tr.Name()
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("reading panel %s: empty file", name)
		}
		return nil, fmt.Errorf("reading panel: %w%s", err, cr.Hint())
	}
	index := map[string]int{}
	for j, h := range header {
		h = strings.TrimSpace(h)
		header[j] = h
		if _, dup := index[h]; dup {
			return nil, fmt.Errorf("reading panel %s: column %q appears twice in the header", name, h)
		}
		index[h] = j
	}
	keep := header
	if opts.Columns != nil {
		keep = nil
		seen := map[string]bool{idCol: true, timeCol: true}
		for _, c := range opts.Columns {
			if _, ok := index[c]; !ok {
				return nil, fmt.Errorf("reading panel %s: no column %q (columns: %s)%s", name, c, strings.Join(header, ", "), cr.Hint())
			}
			if !seen[c] {
				seen[c] = true
				keep = append(keep, c)
			}
		}
		keep = append([]string{idCol, timeCol}, keep...)
		if timeCol == "" {
			keep = append([]string{idCol}, keep[2:]...)
		}
	}
	if timeCol != "" && idCol == timeCol {
		return nil, fmt.Errorf("reading panel %s: column %q is given as both the id and the time column", name, idCol)
	}
	keys := []string{idCol, timeCol}
	if timeCol == "" {
		keys = keys[:1]
	}
	for _, c := range keys {
		if _, ok := index[c]; !ok {
			return nil, fmt.Errorf("reading panel %s: no column %q (columns: %s)%s", name, c, strings.Join(header, ", "), cr.Hint())
		}
	}
	// One pass: the id and time columns interned, the others numbers
	// unless a cell is text that is not a missing-value code.
	specs := make([]table.ColumnSpec, len(keep))
	for k, c := range keep {
		specs[k] = table.ColumnSpec{Index: index[c], Kind: table.Auto, Missing: missingValue}
		if c == idCol || c == timeCol {
			specs[k].Kind = table.Text
		}
	}
	cols, err := cr.ReadColumns(specs, table.ColumnsOptions{Width: len(header)})
	if err != nil {
		var fe *table.FieldCountError
		if errors.As(err, &fe) {
			return nil, fmt.Errorf("reading panel %s: line %d has %d fields, the header has %d", name, fe.Line, fe.Fields, fe.Want)
		}
		return nil, fmt.Errorf("reading panel: %w", err)
	}
	n := cols.Len()
	if n == 0 {
		return nil, fmt.Errorf("reading panel %s: no data rows", name)
	}
	var ids, times *table.Column
	var data []string
	var dataCols []*table.Column
	for k, c := range keep {
		switch c {
		case idCol:
			ids = &cols.Cols[k]
		case timeCol:
			times = &cols.Cols[k]
		default:
			data = append(data, c)
			dataCols = append(dataCols, &cols.Cols[k])
		}
	}
	if timeCol == "" {
		times = &table.Column{Kind: table.Text, Codes: make([]int32, n), Levels: []string{"1"}}
	}
	// The columns read are the panel's to keep or release.
	return newPanel(name, idCol, timeCol, ids, times, data, dataCols, cols.Line, opts.DropMissing, true)
}

// textColumn interns in-memory values as package table reads a text
// column: each distinct value without surrounding white space once.
func textColumn(vals []string) *table.Column {
	c := &table.Column{Kind: table.Text, Codes: make([]int32, len(vals))}
	index := map[string]int32{}
	for i, v := range vals {
		v = strings.TrimSpace(v)
		code, ok := index[v]
		if !ok {
			code = int32(len(c.Levels))
			index[v] = code
			c.Levels = append(c.Levels, v)
		}
		c.Codes[i] = code
	}
	return c
}

// NewPanel builds a panel from in-memory columns: ids and times label each
// row, num holds numeric columns and str categorical ones, every slice of
// the same length. NaN in a numeric column and "" in a categorical one are
// missing values, handled as in ReadPanel according to dropMissing.
func NewPanel(idName, timeName string, ids, times []string, num map[string][]float64, str map[string][]string, dropMissing bool) (*Panel, error) {
	n := len(ids)
	if len(times) != n {
		return nil, fmt.Errorf("regress: %d ids but %d times", n, len(times))
	}
	cols := map[string]*table.Column{}
	var names []string
	for k, v := range num {
		if len(v) != n {
			return nil, fmt.Errorf("regress: column %q has %d values, want %d", k, len(v), n)
		}
		// NaN is missing; ±Inf is a value that is not finite.
		c := &table.Column{Kind: table.Number, Num: v}
		for i, x := range v {
			if math.IsNaN(x) {
				c.Odd = append(c.Odd, table.Cell{Row: i, Text: "NA"})
			} else if math.IsInf(x, 0) {
				c.Odd = append(c.Odd, table.Cell{Row: i, Text: strconv.FormatFloat(x, 'g', -1, 64)})
			}
		}
		cols[k] = c
		names = append(names, k)
	}
	for k, v := range str {
		if _, dup := cols[k]; dup {
			return nil, fmt.Errorf("regress: column %q is both numeric and categorical", k)
		}
		if len(v) != n {
			return nil, fmt.Errorf("regress: column %q has %d values, want %d", k, len(v), n)
		}
		cols[k] = textColumn(v)
		names = append(names, k)
	}
	slices.Sort(names)
	dataCols := make([]*table.Column, len(names))
	for j, k := range names {
		dataCols[j] = cols[k]
	}
	p, err := newPanel("data", idName, timeName, textColumn(ids), textColumn(times), names, dataCols, make([]int, n), dropMissing, false)
	if err != nil {
		return nil, err
	}
	// Keep numeric columns numeric even if given as whole numbers, and
	// categorical ones categorical even if they look numeric.
	for k := range str {
		c := p.cols[k]
		if c.Numeric {
			c.Numeric = false
			c.Num = nil
		}
	}
	return p, nil
}

func rowLabel(name string, line []int, r int) string {
	if line[r] > 0 {
		return fmt.Sprintf("%s line %d", name, line[r])
	}
	return fmt.Sprintf("%s row %d", name, r+1)
}

// dataColumn is a data column of newPanel with the missing-value status
// of its cells: per level of a text column, through its Odd cells for a
// numeric one.
type dataColumn struct {
	name       string
	col        *table.Column
	miss, nonf []bool // per level (text columns)
	next       int    // next Odd cell (numeric columns)
}

// cell returns whether row r (rows are asked in increasing order) is
// missing or not finite, and its text when it is either.
func (d *dataColumn) cell(r int) (miss, nonf bool, text string) {
	c := d.col
	if c.Kind == table.Number {
		if v := c.Num[r]; !math.IsNaN(v) && !math.IsInf(v, 0) {
			return false, false, ""
		}
		for d.next < len(c.Odd) && c.Odd[d.next].Row < r {
			d.next++
		}
		if d.next == len(c.Odd) || c.Odd[d.next].Row != r {
			return false, false, ""
		}
		text = c.Odd[d.next].Text
		miss = missingValue(text)
		return miss, !miss && nonFinite(text), text
	}
	code := c.Codes[r]
	return d.miss[code], d.nonf[code], c.Levels[code]
}

// newPanel builds a panel from its id and time columns (text), its data
// columns (named by data) and the source line of each row: missing
// values, duplicated (id, time) pairs, the sort by id then time, and the
// typing of each column over the rows kept. When owned, the numbers of
// the data columns and lines are newPanel's: it keeps them when the rows
// are in panel order already and releases them (Num = nil) once copied.
func newPanel(name, idCol, timeCol string, ids, times *table.Column, data []string, cols []*table.Column, lines []int, dropMissing, owned bool) (*Panel, error) {
	n := len(ids.Codes)
	idMiss := levelFlags(ids.Levels, missingValue)
	tMiss := levelFlags(times.Levels, missingValue)
	dcols := make([]dataColumn, len(data))
	for j, c := range cols {
		dcols[j] = dataColumn{name: data[j], col: c}
		if c.Kind == table.Text {
			dcols[j].miss = levelFlags(c.Levels, missingValue)
			dcols[j].nonf = levelFlags(c.Levels, nonFinite)
		}
	}
	// Missing values, listwise, checked on the rows that may hold one (in
	// file order, as the first is reported): a missing id or period, a
	// cell of a numeric column that is not a finite number, a flagged
	// level of a text column.
	var check []int
	for r := 0; r < n; r++ {
		if idMiss[ids.Codes[r]] || tMiss[times.Codes[r]] {
			check = append(check, r)
			break // the first is an error
		}
	}
	for _, d := range dcols {
		if d.col.Kind == table.Number {
			for _, o := range d.col.Odd {
				check = append(check, o.Row)
			}
			continue
		}
		for r, code := range d.col.Codes {
			if d.miss[code] || d.nonf[code] {
				check = append(check, r)
			}
		}
	}
	slices.Sort(check)
	check = slices.Compact(check)
	bad := make([]bool, n)
	var badRows []string
	nbad := 0
	var miss []string
	for _, r := range check {
		if im, tm := idMiss[ids.Codes[r]], tMiss[times.Codes[r]]; im || tm {
			which := idCol
			if !im {
				which = timeCol
			}
			return nil, fmt.Errorf("reading panel %s: %s: missing %s", name, rowLabel(name, lines, r), which)
		}
		miss = miss[:0]
		for j := range dcols {
			m, nf, text := dcols[j].cell(r)
			if m {
				miss = append(miss, dcols[j].name)
				continue
			}
			// Inf (and NaN spelled another way) is read like NaN: a
			// missing value, named as what it is.
			if nf {
				if !dropMissing {
					return nil, fmt.Errorf("reading panel %s: %s, column %q: value %q is not finite (read as missing; ask for listwise deletion to drop the row)",
						name, rowLabel(name, lines, r), dcols[j].name, strings.TrimSpace(text))
				}
				miss = append(miss, dcols[j].name)
			}
		}
		if len(miss) > 0 {
			bad[r] = true
			nbad++
			if len(badRows) < 5 {
				badRows = append(badRows, fmt.Sprintf("%s (%s)", strings.TrimPrefix(rowLabel(name, lines, r), name+" "), strings.Join(miss, ", ")))
			}
		}
	}
	p := &Panel{Source: name, IDName: idCol, TimeName: timeCol, cols: map[string]*Column{}}
	if nbad > 0 {
		if !dropMissing {
			more := ""
			if nbad > len(badRows) {
				more = fmt.Sprintf(" and %d more", nbad-len(badRows))
			}
			return nil, fmt.Errorf("reading panel %s: %d rows with %w: %s%s", name, nbad, ErrMissingValues, strings.Join(badRows, "; "), more)
		}
		p.Dropped = nbad
		p.Messages = append(p.Messages, fmt.Sprintf("dropped %d of %d rows with missing values (listwise deletion)", nbad, n))
	}
	if nbad == n {
		return nil, fmt.Errorf("reading panel %s: no rows left after dropping missing values", name)
	}
	idLev, idOf := keptLevels(ids, bad)
	tLev, tOf := keptLevels(times, bad)
	if n > math.MaxInt32 {
		return nil, fmt.Errorf("reading panel %s: %d rows: at most %d are supported", name, n, math.MaxInt32)
	}
	// The kept-level codes of each row: in place of the read codes when
	// they are ours (and not one column read as both id and time).
	idv, tv := ids.Codes, times.Codes
	if !owned || n == 0 || &idv[0] == &tv[0] {
		idv, tv = make([]int32, n), make([]int32, n)
	}
	for r := 0; r < n; r++ {
		idv[r] = idOf[ids.Codes[r]]
		tv[r] = tOf[times.Codes[r]]
	}
	// Sort the kept rows by id, then time, keeping the file order of
	// equal pairs; nil when the file is in that order already.
	order := panelOrder(idv, tv, bad, nbad, len(idLev), len(tLev))
	at := func(k int) int {
		if order == nil {
			return k
		}
		return int(order[k])
	}
	m := n - nbad
	// Duplicates.
	var dups []string
	ndup := 0
	for k := 1; k < m; k++ {
		a, b := at(k-1), at(k)
		if idv[a] == idv[b] && tv[a] == tv[b] {
			ndup++
			if len(dups) < 5 {
				dups = append(dups, fmt.Sprintf("(%s, %s) at %s and %s", idLev[idv[a]], tLev[tv[a]],
					strings.TrimPrefix(rowLabel(name, lines, a), name+" "), strings.TrimPrefix(rowLabel(name, lines, b), name+" ")))
			}
		}
	}
	if ndup > 0 {
		more := ""
		if ndup > len(dups) {
			more = fmt.Sprintf(" and %d more", ndup-len(dups))
		}
		if timeCol == "" {
			// A cross-section: name each repeated region once, with the
			// lines of its first two rows.
			var regions []string
			nreg := 0
			for k := 1; k < m; k++ {
				a, b := at(k-1), at(k)
				if idv[a] != idv[b] || (k > 1 && idv[at(k-2)] == idv[a]) {
					continue
				}
				nreg++
				if len(regions) < 5 {
					regions = append(regions, fmt.Sprintf("%s (%s and %s)", idLev[idv[a]],
						strings.TrimPrefix(rowLabel(name, lines, a), name+" "), strings.TrimPrefix(rowLabel(name, lines, b), name+" ")))
				}
			}
			more = ""
			if nreg > len(regions) {
				more = fmt.Sprintf(" and %d more", nreg-len(regions))
			}
			return nil, fmt.Errorf("reading panel %s: %w: column %s has %s%s", name, ErrRepeatedRegion, idCol, strings.Join(regions, ", "), more)
		}
		return nil, fmt.Errorf("reading panel %s: duplicated (%s, %s) pairs: %s%s", name, idCol, timeCol, strings.Join(dups, "; "), more)
	}
	p.IDLevels, p.TimeLevels = idLev, tLev
	p.Balanced = m == len(idLev)*len(tLev)
	p.names = slices.Clone(data)
	// The rows in panel order: the id, time and line of each, and the
	// data columns, in jobs run in parallel on large panels. When the
	// columns read are ours, each one copied frees its memory for the
	// next: the lines' for the ids, a numeric column's for the next
	// numeric column, so that the panel needs two N·T buffers besides.
	p.Time = make([]int, m)
	jobs := []func(){func() { gatherInt(p.Time, tv, order) }}
	switch {
	case order == nil && owned && snug(cap(lines), m):
		p.Line = lines[:m:m] // the rows as read: the reader's slice is ours
		p.ID = make([]int, m)
		jobs = append(jobs, func() { gatherInt(p.ID, idv, order) })
	case owned && cap(lines) >= m:
		p.Line = make([]int, m)
		jobs = append(jobs, func() {
			gatherInt(p.Line, lines, order)
			p.ID = lines[:m:m]
			gatherInt(p.ID, idv, order)
		})
	default:
		p.Line, p.ID = make([]int, m), make([]int, m)
		jobs = append(jobs, func() { gatherInt(p.Line, lines, order) }, func() { gatherInt(p.ID, idv, order) })
	}
	typed := make([]*Column, len(data))
	var chain []int // numeric columns copied one after the other
	for j := range data {
		if owned && order != nil && cols[j].Kind == table.Number {
			chain = append(chain, j)
			continue
		}
		jobs = append(jobs, func() {
			typed[j] = typedColumn(data[j], cols[j], order, m, owned)
		})
	}
	if len(chain) > 0 {
		jobs = append(jobs, func() {
			var free []float64 // a column no longer needed
			for _, j := range chain {
				c := cols[j]
				dst := free
				if cap(dst) < m {
					dst = make([]float64, m)
				}
				dst = dst[:m:m]
				for k, r := range order {
					dst[k] = c.Num[r]
				}
				typed[j] = &Column{Name: data[j], Numeric: true, Num: dst}
				free, c.Num = c.Num, nil
			}
		})
	}
	runJobs(m, jobs)
	for j, c := range data {
		p.cols[c] = typed[j]
	}
	return p, nil
}

// panelOrder returns the rows not marked bad (nbad of them) sorted by id
// code idv[r] in [0, nid), then time code tv[r] in [0, nt), keeping the
// file order of equal pairs; nil when that is every row in file order.
// One stable counting sort by id suffices when the periods of each id
// appear in increasing order in the file (files sorted by id or by time);
// otherwise the rows are sorted by time first.
func panelOrder(idv, tv []int32, bad []bool, nbad, nid, nt int) []int32 {
	n := len(idv)
	if nbad == 0 {
		sorted := true
		for r := 1; r < n; r++ {
			if idv[r] < idv[r-1] || idv[r] == idv[r-1] && tv[r] <= tv[r-1] {
				sorted = false
				break
			}
		}
		if sorted {
			return nil
		}
	}
	// The rows kept; nil for all of them (no list of N·T row numbers).
	var rows []int32
	if nbad > 0 {
		rows = make([]int32, 0, n-nbad)
		for r := 0; r < n; r++ {
			if !bad[r] {
				rows = append(rows, int32(r))
			}
		}
	}
	out := make([]int32, n-nbad)
	countingSort(out, rows, idv, nid)
	ordered := true
	for k := 1; k < len(out); k++ {
		if a, b := out[k-1], out[k]; idv[a] == idv[b] && tv[b] < tv[a] {
			ordered = false
			break
		}
	}
	if ordered {
		return out
	}
	byTime := make([]int32, len(out))
	countingSort(byTime, rows, tv, nt)
	countingSort(out, byTime, idv, nid)
	return out
}

// gatherInt sets dst[k] = src[order[k]] (src[k] for a nil order).
func gatherInt[T int | int32](dst []int, src []T, order []int32) {
	if order == nil {
		for k := range dst {
			dst[k] = int(src[k])
		}
		return
	}
	for k, r := range order {
		dst[k] = int(src[r])
	}
}

// snug reports whether a slice of capacity c is worth keeping for m
// elements (at most 1/8 unused) rather than copying them.
func snug(c, m int) bool { return c-m <= m/8 }

// parallelRows is the number of rows from which the column jobs of a
// panel run on several goroutines.
const parallelRows = 1 << 16

// runJobs runs the jobs, on up to GOMAXPROCS goroutines when the data
// have at least parallelRows rows (each job must write its own output).
func runJobs(rows int, jobs []func()) {
	workers := min(runtime.GOMAXPROCS(0), len(jobs))
	if rows < parallelRows || workers < 2 {
		for _, f := range jobs {
			f()
		}
		return
	}
	next := make(chan func())
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range next {
				f()
			}
		}()
	}
	for _, f := range jobs {
		next <- f
	}
	close(next)
	wg.Wait()
}

// typedColumn returns the m rows order (nil: the first m rows) of a data
// column: numeric when every one of them is a number, else categorical.
// When owned, the column's numbers may be taken over (nil order) or are
// released once copied.
func typedColumn(name string, c *table.Column, order []int32, m int, owned bool) *Column {
	col := &Column{Name: name, Numeric: true}
	if c.Kind == table.Number {
		// Rows with cells that are not finite numbers were dropped.
		switch {
		case order == nil && owned && snug(cap(c.Num), m):
			col.Num = c.Num[:m:m]
		case order == nil:
			col.Num = slices.Clone(c.Num[:m])
		default:
			col.Num = make([]float64, m)
			for k, r := range order {
				col.Num[k] = c.Num[r]
			}
		}
		if owned {
			c.Num = nil
		}
		return col
	}
	val := make([]float64, len(c.Levels))
	isNum := make([]bool, len(c.Levels))
	for code, s := range c.Levels {
		v, err := strconv.ParseFloat(s, 64)
		val[code], isNum[code] = v, err == nil
	}
	codes := c.Codes
	at := func(k int) int32 { return codes[k] }
	if order != nil {
		at = func(k int) int32 { return codes[order[k]] }
	}
	for k := range m {
		if !isNum[at(k)] {
			col.Numeric = false
			break
		}
	}
	if col.Numeric {
		col.Num = make([]float64, m)
		for k := range col.Num {
			col.Num[k] = val[at(k)]
		}
	} else {
		col.Str = make([]string, m)
		for k := range col.Str {
			col.Str[k] = c.Levels[at(k)]
		}
	}
	return col
}

// levelFlags returns f of each level.
func levelFlags(levels []string, f func(string) bool) []bool {
	out := make([]bool, len(levels))
	for i, s := range levels {
		out[i] = f(s)
	}
	return out
}

// countingSort sets out to rows ordered by key[row] in [0, k), keeping
// the order of rows with equal keys; nil rows are all of them, 0 … len(key)−1.
func countingSort(out, rows, key []int32, k int) {
	start := make([]int, k+1)
	if rows == nil {
		for _, c := range key {
			start[c+1]++
		}
	} else {
		for _, r := range rows {
			start[key[r]+1]++
		}
	}
	for i := 1; i <= k; i++ {
		start[i] += start[i-1]
	}
	if rows == nil {
		for r, c := range key {
			out[start[c]] = int32(r)
			start[c]++
		}
		return
	}
	for _, r := range rows {
		out[start[key[r]]] = r
		start[key[r]]++
	}
}

// keptLevels returns the sorted distinct levels of a text column over the
// rows not marked bad (numerically when all are numbers, see sortLevels)
// and, for each code of the column, its index among them (-1 for a level
// only on bad rows).
func keptLevels(c *table.Column, bad []bool) ([]string, []int32) {
	used := make([]bool, len(c.Levels))
	for r, code := range c.Codes {
		if !bad[r] {
			used[code] = true
		}
	}
	codes := make([]int, 0, len(c.Levels))
	for code, u := range used {
		if u {
			codes = append(codes, code)
		}
	}
	sortLevelsBy(codes, func(i int) string { return c.Levels[i] })
	lev := make([]string, len(codes))
	of := make([]int32, len(c.Levels))
	for i := range of {
		of[i] = -1
	}
	for i, code := range codes {
		lev[i] = c.Levels[code]
		of[code] = int32(i)
	}
	return lev, of
}

// sortLevels sorts labels numerically when all are numbers, else as strings.
func sortLevels(lev []string) {
	sortLevelsBy(lev, func(s string) string { return s })
}

// sortLevelsBy sorts items by their labels label(item) as sortLevels
// sorts labels: numerically (then as strings) when all are numbers, else
// as strings.
func sortLevelsBy[T any](items []T, label func(T) string) {
	val := make([]float64, len(items))
	numeric := true
	for i, it := range items {
		f, err := strconv.ParseFloat(label(it), 64)
		if err != nil {
			numeric = false
			break
		}
		val[i] = f
	}
	if !numeric {
		sortFuncParallel(items, func(a, b T) int { return strings.Compare(label(a), label(b)) })
		return
	}
	// Sort positions, so that each carries its value.
	pos := make([]int, len(items))
	for i := range pos {
		pos[i] = i
	}
	sortFuncParallel(pos, func(a, b int) int {
		if c := cmp.Compare(val[a], val[b]); c != 0 {
			return c
		}
		return strings.Compare(label(items[a]), label(items[b]))
	})
	sorted := make([]T, len(items))
	for i, p := range pos {
		sorted[i] = items[p]
	}
	copy(items, sorted)
}

// sortFuncParallel sorts s by cmp as slices.SortFunc does, with the two
// halves of a long slice sorted on two goroutines and then merged: the
// same order wherever cmp is a total order on the elements (distinct
// labels), in about half the time on two cores (a panel's million region
// IDs: 0.3 s serial).
func sortFuncParallel[T any](s []T, cmp func(a, b T) int) {
	if len(s) < parallelRows || runtime.GOMAXPROCS(0) < 2 {
		slices.SortFunc(s, cmp)
		return
	}
	h := len(s) / 2
	a, b := s[:h], s[h:]
	var wg sync.WaitGroup
	wg.Go(func() { slices.SortFunc(a, cmp) })
	slices.SortFunc(b, cmp)
	wg.Wait()
	out := make([]T, 0, len(s))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if cmp(b[j], a[i]) < 0 {
			out = append(out, b[j])
			j++
		} else {
			out = append(out, a[i])
			i++
		}
	}
	out = append(append(out, a[i:]...), b[j:]...)
	copy(s, out)
}

// Len returns the number of rows (observations).
func (p *Panel) Len() int { return len(p.ID) }

// N returns the number of individuals.
func (p *Panel) N() int { return len(p.IDLevels) }

// T returns the number of distinct periods.
func (p *Panel) T() int { return len(p.TimeLevels) }

// Names returns the names of the data columns (without id and time), in
// file order.
func (p *Panel) Names() []string { return slices.Clone(p.names) }

// Column returns the named column, or nil if there is none. The id and time
// columns are available as categorical columns under their names.
func (p *Panel) Column(name string) *Column {
	if c, ok := p.cols[name]; ok {
		return c
	}
	switch name {
	case p.IDName:
		return p.labelColumn(name, p.ID, p.IDLevels)
	case p.TimeName:
		return p.labelColumn(name, p.Time, p.TimeLevels)
	}
	return nil
}

func (p *Panel) labelColumn(name string, idx []int, lev []string) *Column {
	c := &Column{Name: name, Str: make([]string, len(idx))}
	num := make([]float64, len(idx))
	numeric := true
	for r, k := range idx {
		c.Str[r] = lev[k]
		v, err := strconv.ParseFloat(lev[k], 64)
		if err != nil {
			numeric = false
		}
		num[r] = v
	}
	if numeric {
		c.Num = num
	}
	return c
}

// Float returns the values of a numeric column.
func (p *Panel) Float(name string) ([]float64, error) {
	c := p.Column(name)
	if c == nil {
		return nil, fmt.Errorf("panel %s: no column %q", p.Source, name)
	}
	if c.Num == nil {
		return nil, fmt.Errorf("panel %s: column %q is not numeric", p.Source, name)
	}
	return c.Num, nil
}

// Counts returns the number of observations of each individual.
func (p *Panel) Counts() []int {
	c := make([]int, p.N())
	for _, i := range p.ID {
		c[i]++
	}
	return c
}
