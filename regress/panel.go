package regress

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

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
	keys := []string{idCol, timeCol}
	if timeCol == "" {
		keys = keys[:1]
	}
	for _, c := range keys {
		if _, ok := index[c]; !ok {
			return nil, fmt.Errorf("reading panel %s: no column %q (columns: %s)%s", name, c, strings.Join(header, ", "), cr.Hint())
		}
	}
	raw := make(map[string][]string, len(keep))
	var lines []int
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading panel: %w", err)
		}
		line := cr.Line()
		if len(rec) != len(header) {
			return nil, fmt.Errorf("reading panel %s: line %d has %d fields, the header has %d", name, line, len(rec), len(header))
		}
		lines = append(lines, line)
		for _, c := range keep {
			raw[c] = append(raw[c], rec[index[c]])
		}
	}
	if len(lines) == 0 {
		return nil, fmt.Errorf("reading panel %s: no data rows", name)
	}
	var data []string
	for _, c := range keep {
		if c != idCol && c != timeCol {
			data = append(data, c)
		}
	}
	times := raw[timeCol]
	if timeCol == "" {
		times = make([]string, len(lines))
		for i := range times {
			times[i] = "1"
		}
	}
	return newPanel(name, idCol, timeCol, raw[idCol], times, data, raw, lines, opts.DropMissing)
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
	raw := map[string][]string{}
	var names []string
	for k, v := range num {
		if len(v) != n {
			return nil, fmt.Errorf("regress: column %q has %d values, want %d", k, len(v), n)
		}
		s := make([]string, n)
		for i, x := range v {
			if math.IsNaN(x) {
				s[i] = "NA"
			} else {
				s[i] = strconv.FormatFloat(x, 'g', -1, 64)
			}
		}
		raw[k] = s
		names = append(names, k)
	}
	for k, v := range str {
		if _, dup := raw[k]; dup {
			return nil, fmt.Errorf("regress: column %q is both numeric and categorical", k)
		}
		if len(v) != n {
			return nil, fmt.Errorf("regress: column %q has %d values, want %d", k, len(v), n)
		}
		raw[k] = v
		names = append(names, k)
	}
	slices.Sort(names)
	p, err := newPanel("data", idName, timeName, ids, times, names, raw, make([]int, n), dropMissing)
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

func newPanel(name, idCol, timeCol string, ids, times []string, data []string, raw map[string][]string, lines []int, dropMissing bool) (*Panel, error) {
	n := len(ids)
	// Missing values, listwise.
	bad := make([]bool, n)
	var badRows []string
	nbad := 0
	for r := 0; r < n; r++ {
		if missingValue(ids[r]) || missingValue(times[r]) {
			which := idCol
			if !missingValue(ids[r]) {
				which = timeCol
			}
			return nil, fmt.Errorf("reading panel %s: %s: missing %s", name, rowLabel(name, lines, r), which)
		}
		var miss []string
		for _, c := range data {
			if missingValue(raw[c][r]) {
				miss = append(miss, c)
				continue
			}
			// Inf (and NaN spelled another way) is read like NaN: a
			// missing value, named as what it is.
			if nonFinite(raw[c][r]) {
				if !dropMissing {
					return nil, fmt.Errorf("reading panel %s: %s, column %q: value %q is not finite (read as missing; ask for listwise deletion to drop the row)",
						name, rowLabel(name, lines, r), c, strings.TrimSpace(raw[c][r]))
				}
				miss = append(miss, c)
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
	keep := make([]int, 0, n-nbad)
	for r := 0; r < n; r++ {
		if !bad[r] {
			keep = append(keep, r)
		}
	}
	if len(keep) == 0 {
		return nil, fmt.Errorf("reading panel %s: no rows left after dropping missing values", name)
	}
	idLev, idOf := levels(ids, keep)
	tLev, tOf := levels(times, keep)
	idx := make(map[string]int, len(idLev))
	for i, s := range idLev {
		idx[s] = i
	}
	tdx := make(map[string]int, len(tLev))
	for i, s := range tLev {
		tdx[s] = i
	}
	_ = idOf
	_ = tOf
	order := slices.Clone(keep)
	idv := make([]int, n)
	tv := make([]int, n)
	for _, r := range keep {
		idv[r] = idx[strings.TrimSpace(ids[r])]
		tv[r] = tdx[strings.TrimSpace(times[r])]
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if c := cmp.Compare(idv[a], idv[b]); c != 0 {
			return c
		}
		return cmp.Compare(tv[a], tv[b])
	})
	// Duplicates.
	var dups []string
	ndup := 0
	for k := 1; k < len(order); k++ {
		a, b := order[k-1], order[k]
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
			for k := 1; k < len(order); k++ {
				a, b := order[k-1], order[k]
				if idv[a] != idv[b] || (k > 1 && idv[order[k-2]] == idv[a]) {
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
	m := len(order)
	p.IDLevels, p.TimeLevels = idLev, tLev
	p.ID = make([]int, m)
	p.Time = make([]int, m)
	p.Line = make([]int, m)
	for k, r := range order {
		p.ID[k] = idv[r]
		p.Time[k] = tv[r]
		p.Line[k] = lines[r]
	}
	p.Balanced = m == len(idLev)*len(tLev)
	p.names = slices.Clone(data)
	for _, c := range data {
		col := &Column{Name: c, Numeric: true}
		vals := raw[c]
		num := make([]float64, m)
		for k, r := range order {
			s := strings.TrimSpace(vals[r])
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				col.Numeric = false
				break
			}
			num[k] = v
		}
		if col.Numeric {
			col.Num = num
		} else {
			col.Str = make([]string, m)
			for k, r := range order {
				col.Str[k] = strings.TrimSpace(vals[r])
			}
		}
		p.cols[c] = col
	}
	return p, nil
}

// levels returns the sorted distinct values of s over rows keep: numerically
// when all parse as numbers, else as strings.
func levels(s []string, keep []int) ([]string, map[string]int) {
	set := map[string]bool{}
	for _, r := range keep {
		set[strings.TrimSpace(s[r])] = true
	}
	lev := make([]string, 0, len(set))
	for k := range set {
		lev = append(lev, k)
	}
	sortLevels(lev)
	idx := make(map[string]int, len(lev))
	for i, v := range lev {
		idx[v] = i
	}
	return lev, idx
}

// sortLevels sorts labels numerically when all are numbers, else as strings.
func sortLevels(lev []string) {
	numeric := true
	val := make(map[string]float64, len(lev))
	for _, v := range lev {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			numeric = false
			break
		}
		val[v] = f
	}
	if numeric {
		slices.SortFunc(lev, func(a, b string) int {
			if c := cmp.Compare(val[a], val[b]); c != 0 {
				return c
			}
			return strings.Compare(a, b)
		})
	} else {
		slices.Sort(lev)
	}
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
