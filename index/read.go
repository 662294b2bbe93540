package index

import (
	"errors"
	"fmt"
	"io"
	"math"
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

// readCSV reads a header and rows from cr, resolving the wanted columns.
func readCSV(cr *table.Reader, want []string) (map[string]int, []record, error) {
	name := cr.Name()
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, fmt.Errorf("%s: empty file (a header is needed)", name)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%w%s", err, cr.Hint())
	}
	pos := make(map[string]int, len(header))
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if _, dup := pos[h]; dup {
			return nil, nil, fmt.Errorf("%s: line 1: column %q appears twice in the header", name, h)
		}
		pos[h] = i
	}
	for _, w := range want {
		if _, ok := pos[w]; !ok {
			return nil, nil, fmt.Errorf("%s: line 1: no column %q in the header (have %s)%s", name, w, strings.Join(header, ", "), cr.Hint())
		}
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
		if len(fields) != len(header) {
			return nil, nil, fmt.Errorf("%s: line %d: %d fields, the header has %d", name, line, len(fields), len(header))
		}
		recs = append(recs, record{line: line, fields: fields})
	}
	return pos, recs, nil
}

// label reads a non-empty key field.
func label(name string, rec record, pos map[string]int, col string) (string, error) {
	v := strings.TrimSpace(rec.fields[pos[col]])
	if v == "" {
		return "", fmt.Errorf("%s: line %d, column %q: empty", name, rec.line, col)
	}
	return v, nil
}

// number reads a finite number ≥ 0 (and ≤ 1 when unit).
func number(name string, rec record, pos map[string]int, col string, unit bool) (float64, error) {
	s := strings.TrimSpace(rec.fields[pos[col]])
	if s == "" || s == "NA" {
		return 0, fmt.Errorf("%s: line %d, column %q: missing value %q (omit the row to mean zero)", name, rec.line, col, s)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%s: line %d, column %q: %q is not a number", name, rec.line, col, s)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%s: line %d, column %q: %q is not a finite number", name, rec.line, col, s)
	}
	if v < 0 {
		return 0, fmt.Errorf("%s: line %d, column %q: negative value %s", name, rec.line, col, s)
	}
	if unit && v > 1 {
		return 0, fmt.Errorf("%s: line %d, column %q: share %s is outside [0, 1]", name, rec.line, col, s)
	}
	return v, nil
}

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
	pos, recs, err := readCSV(tr, want)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: no data rows", name)
	}
	type cell struct{ r, s, t string }
	type parsed struct {
		c            cell
		value, share float64
		line         int
	}
	rows := make([]parsed, 0, len(recs))
	var regions, sectors, times []string
	seenR, seenS, seenT := map[string]bool{}, map[string]bool{}, map[string]bool{}
	first := make(map[cell]int, len(recs))
	for _, rec := range recs {
		var p parsed
		p.line = rec.line
		if p.c.r, err = label(name, rec, pos, cols.Region); err != nil {
			return nil, err
		}
		if p.c.s, err = label(name, rec, pos, cols.Sector); err != nil {
			return nil, err
		}
		if p.c.t, err = label(name, rec, pos, cols.Time); err != nil {
			return nil, err
		}
		if p.value, err = number(name, rec, pos, cols.Value, false); err != nil {
			return nil, err
		}
		if cols.Share != "" {
			if p.share, err = number(name, rec, pos, cols.Share, true); err != nil {
				return nil, err
			}
		}
		if l, dup := first[p.c]; dup {
			return nil, fmt.Errorf("%s: line %d: (%s, %s, %s) duplicates line %d", name, rec.line, p.c.r, p.c.s, p.c.t, l)
		}
		first[p.c] = rec.line
		if !seenR[p.c.r] {
			seenR[p.c.r] = true
			regions = append(regions, p.c.r)
		}
		if !seenS[p.c.s] {
			seenS[p.c.s] = true
			sectors = append(sectors, p.c.s)
		}
		if !seenT[p.c.t] {
			seenT[p.c.t] = true
			times = append(times, p.c.t)
		}
		rows = append(rows, p)
	}
	sortTimes(times)
	t, err := NewTable(regions, sectors, times, cols.Share != "")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	for _, p := range rows {
		if err := t.Set(p.c.r, p.c.s, p.c.t, p.value, p.share); err != nil {
			return nil, fmt.Errorf("%s: line %d: %w", name, p.line, err)
		}
	}
	t.Missing = len(regions)*len(sectors)*len(times) - len(rows)
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
