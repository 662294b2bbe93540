package index

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/agglo/agglo/table"
)

// Columns names the columns of a long CSV table.
type Columns struct {
	Region, Sector, Time, Value string
	// Share names the online-share column; "" when there is none.
	Share string
	// Comma is the CSV field separator; zero detects it (',' ';' or tab,
	// see package table).
	Comma rune
	// Sheet names the worksheet of an .xlsx file; "" is the first.
	Sheet string
}

// PlantColumns names the columns of a plant table.
type PlantColumns struct {
	Plant, Region, Sector, Time, Value string
	// Comma is the CSV field separator; zero detects it (',' ';' or tab,
	// see package table).
	Comma rune
	// Sheet names the worksheet of an .xlsx file; "" is the first.
	Sheet string
}

// record is one data row with its line number.
type record struct {
	line   int
	fields []string
}

// readHeader reads the header of cr and resolves the wanted columns:
// their positions and the number of fields of the header.
func readHeader(cr *table.Reader, want []string) (map[string]int, int, error) {
	name := cr.Name()
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, 0, fmt.Errorf("%s: empty file (a header is needed)", name)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("%w%s", err, cr.Hint())
	}
	pos := make(map[string]int, len(header))
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if _, dup := pos[h]; dup {
			return nil, 0, fmt.Errorf("%s: line 1: column %q appears twice in the header", name, h)
		}
		pos[h] = i
	}
	for _, w := range want {
		if _, ok := pos[w]; !ok {
			return nil, 0, fmt.Errorf("%s: line 1: no column %q in the header (have %s)%s", name, w, strings.Join(header, ", "), cr.Hint())
		}
	}
	return pos, len(header), nil
}

// readCSV reads a header and rows from cr, resolving the wanted columns.
func readCSV(cr *table.Reader, want []string) (map[string]int, []record, error) {
	name := cr.Name()
	pos, width, err := readHeader(cr, want)
	if err != nil {
		return nil, nil, err
	}
	var recs []record
	for {
		fields, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		line := cr.Line()
		if len(fields) == 1 && strings.TrimSpace(fields[0]) == "" {
			continue // blank line
		}
		if len(fields) != width {
			return nil, nil, fmt.Errorf("%s: line %d: %d fields, the header has %d", name, line, len(fields), width)
		}
		recs = append(recs, record{line: line, fields: fields})
	}
	return pos, recs, nil
}

// readColumns reads the rows after the header into typed columns (blank
// lines skipped), with the field count error of readCSV.
func readColumns(tr *table.Reader, specs []table.ColumnSpec, width int) (*table.Columns, error) {
	c, err := tr.ReadColumns(specs, table.ColumnsOptions{Width: width, SkipBlank: true})
	var fe *table.FieldCountError
	if errors.As(err, &fe) {
		return nil, fmt.Errorf("%s: line %d: %d fields, the header has %d", tr.Name(), fe.Line, fe.Fields, fe.Want)
	}
	return c, err
}

// label reads a non-empty key field.
func label(name string, rec record, pos map[string]int, col string) (string, error) {
	v := strings.TrimSpace(rec.fields[pos[col]])
	if v == "" {
		return "", errEmpty(name, rec.line, col)
	}
	return v, nil
}

// errEmpty is the error for an empty key field.
func errEmpty(name string, line int, col string) error {
	return fmt.Errorf("%s: line %d, column %q: empty", name, line, col)
}

// number reads a finite number ≥ 0 (and ≤ 1 when unit).
func number(name string, rec record, pos map[string]int, col string, unit bool) (float64, error) {
	return parseNumber(name, rec.line, col, strings.TrimSpace(rec.fields[pos[col]]), unit)
}

// parseNumber reads the trimmed cell s of column col on a line as a
// finite number ≥ 0 (and ≤ 1 when unit).
func parseNumber(name string, line int, col, s string, unit bool) (float64, error) {
	if s == "" || s == "NA" {
		return 0, fmt.Errorf("%s: line %d, column %q: missing value %q (omit the row to mean zero)", name, line, col, s)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%s: line %d, column %q: %q is not a number", name, line, col, s)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%s: line %d, column %q: %q is not a finite number", name, line, col, s)
	}
	if v < 0 {
		return 0, fmt.Errorf("%s: line %d, column %q: negative value %s", name, line, col, s)
	}
	if unit && v > 1 {
		return 0, fmt.Errorf("%s: line %d, column %q: share %s is outside [0, 1]", name, line, col, s)
	}
	return v, nil
}

// nonNegative and unitShare are the values parseNumber accepts.
func nonNegative(v float64) bool { return v >= 0 }
func unitShare(v float64) bool   { return v >= 0 && v <= 1 }

// ReadCSVFile reads a long table from the file at path, in any format of
// package table (.csv, .tsv, .txt, .xlsx, .dta, .parquet); see ReadCSV.
func ReadCSVFile(path string, cols Columns) (*Table, error) {
	tr, err := table.Open(path, table.Options{Comma: cols.Comma, Sheet: cols.Sheet})
	if err != nil {
		return nil, err
	}
	defer tr.Close()
	return ReadTable(tr, cols)
}

// ReadCSV reads a long table from CSV text; name labels it in errors. See
// ReadTable.
func ReadCSV(r io.Reader, name string, cols Columns) (*Table, error) {
	return ReadTable(table.NewCSV(r, name, table.Options{Comma: cols.Comma}), cols)
}

// ReadTable reads a long table, one row per (region, sector, period), from
// the records of tr, a header first; cols names the columns used (others are ignored) and
// name labels errors. Regions and sectors keep their order of first
// appearance; periods are sorted (numerically when all are numbers).
// Absent (region, sector, period) cells are 0 and counted in
// Table.Missing. Errors name the file, line and column: a missing,
// non-numeric, NaN or negative value, a share outside [0, 1], a duplicated
// (region, sector, period).
func ReadTable(tr *table.Reader, cols Columns) (*Table, error) {
	name := tr.Name()
	want := []string{cols.Region, cols.Sector, cols.Time, cols.Value}
	if cols.Share != "" {
		want = append(want, cols.Share)
	}
	pos, width, err := readHeader(tr, want)
	if err != nil {
		return nil, err
	}
	specs := []table.ColumnSpec{{Index: pos[cols.Region], Kind: table.Text}, {Index: pos[cols.Sector], Kind: table.Text},
		{Index: pos[cols.Time], Kind: table.Text}, {Index: pos[cols.Value], Kind: table.Number, Valid: nonNegative}}
	if cols.Share != "" {
		specs = append(specs, table.ColumnSpec{Index: pos[cols.Share], Kind: table.Number, Valid: unitShare})
	}
	c, err := readColumns(tr, specs, width)
	if err != nil {
		return nil, err
	}
	n := c.Len()
	if n == 0 {
		return nil, fmt.Errorf("%s: no data rows", name)
	}
	reg, sec, per, val := &c.Cols[0], &c.Cols[1], &c.Cols[2], &c.Cols[3]
	var shr *table.Column
	if cols.Share != "" {
		shr = &c.Cols[4]
	}
	nr, ns, nt := len(reg.Levels), len(sec.Levels), len(per.Levels)
	// The line of each (region, sector, period) seen, for duplicates: a
	// dense array when the labels make few more cells than rows.
	cells := float64(nr) * float64(ns) * float64(nt)
	var seenAt []int32
	var seenMap map[int64]int
	if cells <= float64(max(4*n, 1<<16)) {
		seenAt = make([]int32, int(cells))
	} else {
		seenMap = make(map[int64]int, n)
	}
	// Check each row in file order, as the first error is reported.
	vOdd, sOdd := 0, 0
	for r := 0; r < n; r++ {
		line := c.Line[r]
		for k, col := range []*table.Column{reg, sec, per} {
			if col.Text(r) == "" {
				return nil, errEmpty(name, line, want[k])
			}
		}
		if vOdd < len(val.Odd) && val.Odd[vOdd].Row == r {
			if _, err := parseNumber(name, line, cols.Value, val.Odd[vOdd].Text, false); err != nil {
				return nil, err
			}
			vOdd++
		}
		if shr != nil && sOdd < len(shr.Odd) && shr.Odd[sOdd].Row == r {
			if _, err := parseNumber(name, line, cols.Share, shr.Odd[sOdd].Text, true); err != nil {
				return nil, err
			}
			sOdd++
		}
		key := (int64(reg.Codes[r])*int64(ns)+int64(sec.Codes[r]))*int64(nt) + int64(per.Codes[r])
		var first int
		if seenAt != nil {
			first = int(seenAt[key])
			seenAt[key] = int32(line)
		} else {
			first = seenMap[key]
			seenMap[key] = line
		}
		if first > 0 {
			return nil, fmt.Errorf("%s: line %d: (%s, %s, %s) duplicates line %d", name, line, reg.Text(r), sec.Text(r), per.Text(r), first)
		}
	}
	times := slices.Clone(per.Levels)
	sortTimes(times)
	t, err := NewTable(reg.Levels, sec.Levels, times, cols.Share != "")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	timeOf := make([]int, nt)
	for code, s := range per.Levels {
		timeOf[code] = t.timeIdx[s]
	}
	for r := 0; r < n; r++ {
		k, i, j := timeOf[per.Codes[r]], int(reg.Codes[r]), int(sec.Codes[r])
		t.E[k].Set(i, j, val.Num[r])
		if shr != nil {
			t.Share[k].Set(i, j, shr.Num[r])
		}
	}
	t.Missing = nr*ns*nt - n
	return t, nil
}

// ReadGroupsFile reads sector groups from a file (any format of package
// table) with columns sector,group; see ReadGroups.
func ReadGroupsFile(path string, t *Table) (*Groups, error) {
	tr, err := table.Open(path, table.Options{})
	if err != nil {
		return nil, err
	}
	defer tr.Close()
	return readGroups(tr, t)
}

// ReadGroups reads sector groups (header sector,group). A sector listed
// twice or an empty field is an error naming the line. Sectors not in t
// (when t is not nil) are listed in Groups.Unused, for the caller to
// report; sectors of t not listed belong to no group.
func ReadGroups(r io.Reader, name string, t *Table) (*Groups, error) {
	return readGroups(table.NewCSV(r, name, table.Options{}), t)
}

func readGroups(tr *table.Reader, t *Table) (*Groups, error) {
	name := tr.Name()
	pos, recs, err := readCSV(tr, []string{"sector", "group"})
	if err != nil {
		return nil, err
	}
	g := &Groups{Of: map[string]string{}}
	lines := map[string]int{}
	seen := map[string]bool{}
	for _, rec := range recs {
		s, err := label(name, rec, pos, "sector")
		if err != nil {
			return nil, err
		}
		grp, err := label(name, rec, pos, "group")
		if err != nil {
			return nil, err
		}
		if l, dup := lines[s]; dup {
			return nil, fmt.Errorf("%s: line %d: sector %q already assigned on line %d", name, rec.line, s, l)
		}
		lines[s] = rec.line
		if t != nil {
			if _, ok := t.SectorIndex(s); !ok {
				g.Unused = append(g.Unused, s)
				continue
			}
		}
		g.Of[s] = grp
		if !seen[grp] {
			seen[grp] = true
			g.Names = append(g.Names, grp)
		}
	}
	if len(g.Names) == 0 {
		return nil, fmt.Errorf("%s: no groups (of the data's sectors)", name)
	}
	return g, nil
}

// ReadPlantsFile reads a plant table from a file in any format of package
// table; see ReadPlants.
func ReadPlantsFile(path string, t *Table, cols PlantColumns) ([][]float64, error) {
	tr, err := table.Open(path, table.Options{Comma: cols.Comma, Sheet: cols.Sheet})
	if err != nil {
		return nil, err
	}
	defer tr.Close()
	return readPlants(tr, t, cols)
}

// ReadPlants reads plant-level activity (plant, region, sector, period,
// value) and returns the plant Herfindahl H[k][s] = Σ_plants z² of every
// period k and sector s of t (z = a plant's share of E_s), for
// EllisonGlaeser and MaurelSedillot. The plants of each (region, sector,
// period) must add up to t's cell (relative tolerance 1e-9); errors name the
// file and line (or the cell): an unknown region, sector or period, a
// duplicated plant in a period, a bad value, a sum that contradicts t.
func ReadPlants(r io.Reader, name string, t *Table, cols PlantColumns) ([][]float64, error) {
	return readPlants(table.NewCSV(r, name, table.Options{Comma: cols.Comma}), t, cols)
}

func readPlants(tr *table.Reader, t *Table, cols PlantColumns) ([][]float64, error) {
	name := tr.Name()
	pos, recs, err := readCSV(tr, []string{cols.Plant, cols.Region, cols.Sector, cols.Time, cols.Value})
	if err != nil {
		return nil, err
	}
	nr, ns := len(t.Regions), len(t.Sectors)
	sums := make([][]float64, len(t.Times))
	lineOf := make([][]int, len(t.Times))
	h := make([][]float64, len(t.Times))
	for k := range sums {
		sums[k] = make([]float64, nr*ns)
		lineOf[k] = make([]int, nr*ns)
		h[k] = make([]float64, ns)
	}
	type pk struct{ plant, time string }
	seen := map[pk]int{}
	type plant struct {
		k, i, j int
		v       float64
	}
	plants := make([]plant, 0, len(recs))
	for _, rec := range recs {
		var f [4]string
		for n, c := range []string{cols.Plant, cols.Region, cols.Sector, cols.Time} {
			if f[n], err = label(name, rec, pos, c); err != nil {
				return nil, err
			}
		}
		v, err := number(name, rec, pos, cols.Value, false)
		if err != nil {
			return nil, err
		}
		i, j, k, err := t.Cell(f[1], f[2], f[3])
		if err != nil {
			return nil, fmt.Errorf("%s: line %d: %w", name, rec.line, err)
		}
		key := pk{f[0], f[3]}
		if l, dup := seen[key]; dup {
			return nil, fmt.Errorf("%s: line %d: plant %q in %s duplicates line %d", name, rec.line, f[0], f[3], l)
		}
		seen[key] = rec.line
		lineOf[k][i*ns+j] = rec.line
		plants = append(plants, plant{k, i, j, v})
	}
	// H is scale-free: when sums of the values could overflow, scale the
	// plants and the table by the same power of two (exact).
	var mx float64
	for _, p := range plants {
		mx = math.Max(mx, math.Abs(p.v))
	}
	for k := range t.Times {
		for i := 0; i < nr; i++ {
			for j := 0; j < ns; j++ {
				mx = math.Max(mx, math.Abs(t.E[k].At(i, j)))
			}
		}
	}
	scale := overflowExp(mx, len(plants)+nr)
	for n, p := range plants {
		plants[n].v = math.Ldexp(p.v, -scale)
		sums[p.k][p.i*ns+p.j] += plants[n].v
	}
	cell := func(k, i, j int) float64 { return math.Ldexp(t.E[k].At(i, j), -scale) }
	for k := range t.Times {
		for i := 0; i < nr; i++ {
			for j := 0; j < ns; j++ {
				want, got := cell(k, i, j), sums[k][i*ns+j]
				if math.Abs(want-got) > 1e-9*math.Max(math.Abs(want), 1) {
					where := "no plants"
					if l := lineOf[k][i*ns+j]; l > 0 {
						where = fmt.Sprintf("last plant on line %d", l)
					}
					return nil, fmt.Errorf("%s: plants of (%s, %s, %s) sum to %v but the table has %v (%s)",
						name, t.Regions[i], t.Sectors[j], t.Times[k], math.Ldexp(got, scale), math.Ldexp(want, scale), where)
				}
			}
		}
	}
	sectorTot := make([][]float64, len(t.Times))
	for k := range t.Times {
		sectorTot[k] = make([]float64, ns)
		for i := 0; i < nr; i++ {
			for j := 0; j < ns; j++ {
				sectorTot[k][j] += cell(k, i, j)
			}
		}
	}
	for _, p := range plants {
		if tot := sectorTot[p.k][p.j]; tot > 0 {
			z := p.v / tot
			h[p.k][p.j] += z * z
		}
	}
	return h, nil
}
