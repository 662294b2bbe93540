package regress

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/montanaflynn/stats"

	"github.com/agglo/agglo/table"
)

// DescribeOptions says what Describe summarises.
type DescribeOptions struct {
	// Vars are the numeric columns to describe, in the order of the rows.
	Vars []string
	// By, when set, names a column whose values split the rows into
	// groups described separately (in sorted order, numerically when all
	// are numbers).
	By string
	// ID, when set, names the panel's region column: the rows then also
	// give the between and within standard deviations of Stata's xtsum.
	ID string
	// Comma is the CSV separator (zero detects it) and Sheet the
	// worksheet of an .xlsx file ("" the first); see package table.
	Comma rune
	Sheet string
}

// VarStats is one row of the descriptive statistics of a paper's "Table
// 1": a variable (in a group) over its non-missing values.
type VarStats struct {
	Variable string `json:"variable"`
	// Group is the value of the By column ("" without By).
	Group string `json:"group,omitempty"`
	// N is the number of non-missing values.
	N int `json:"n"`
	// Mean and SD (sample standard deviation, n − 1 in the denominator).
	Mean float64 `json:"mean"`
	SD   float64 `json:"sd"`
	// Min, P25, Median, P75 and Max: quantiles of type 7 of Hyndman and
	// Fan (1996), R's default (linear interpolation between order
	// statistics: rank p(n−1)).
	Min    float64 `json:"min"`
	P25    float64 `json:"p25"`
	Median float64 `json:"median"`
	P75    float64 `json:"p75"`
	Max    float64 `json:"max"`
	// Regions is the number of regions with a value (with ID), and
	// SDBetween and SDWithin are Stata's xtsum decomposition: the sample
	// standard deviation of the region means x̄ᵢ, and that of
	// xᵢₜ − x̄ᵢ + x̄ over all values. NaN (and Regions 0) without ID.
	Regions   int     `json:"regions,omitempty"`
	SDBetween float64 `json:"sd_between"`
	SDWithin  float64 `json:"sd_within"`
}

// DescribeFile reads the file at path, in any format of package table,
// and describes it (see DescribeTable).
func DescribeFile(path string, opt DescribeOptions) ([]VarStats, error) {
	tr, err := table.Open(path, table.Options{Comma: opt.Comma, Sheet: opt.Sheet, TrimLeadingSpace: true})
	if err != nil {
		return nil, fmt.Errorf("describe: %w", err)
	}
	defer tr.Close()
	return DescribeTable(tr, opt)
}

// Describe reads CSV text with a header row (name labels it in errors) and
// describes it (see DescribeTable).
func Describe(r io.Reader, name string, opt DescribeOptions) ([]VarStats, error) {
	return DescribeTable(table.NewCSV(r, name, table.Options{Comma: opt.Comma, TrimLeadingSpace: true}), opt)
}

// DescribeTable reads the records of tr, a header row first, and
// returns the descriptive statistics of each of opt.Vars, per group of
// opt.By when set, with the mean, standard deviation, quartiles and
// extremes computed by github.com/montanaflynn/stats. Missing values
// (empty, NA, NaN, ".") are left out variable by variable, as Stata's
// summarize does. Errors name the file, and the line and column of a value
// that is not a number; an unknown column, an empty variable or a
// variable listed twice is an error.
func DescribeTable(tr *table.Reader, opt DescribeOptions) ([]VarStats, error) {
	name := tr.Name()
	if len(opt.Vars) == 0 {
		return nil, fmt.Errorf("describe %s: no variables to describe", name)
	}
	cr := tr
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("describe %s: empty file", name)
		}
		return nil, fmt.Errorf("describe: %w%s", err, cr.Hint())
	}
	col := map[string]int{}
	for j, h := range header {
		h = strings.TrimSpace(h)
		if _, dup := col[h]; dup {
			return nil, fmt.Errorf("describe %s: line 1: column %q appears twice in the header", name, h)
		}
		col[h] = j
	}
	find := func(what, c string) (int, error) {
		j, ok := col[c]
		if !ok {
			return 0, fmt.Errorf("describe %s: no column %q (%s; the header has %s)%s", name, c, what, strings.Join(header, ", "), cr.Hint())
		}
		return j, nil
	}
	vcol := make([]int, len(opt.Vars))
	seen := map[string]bool{}
	for i, v := range opt.Vars {
		if seen[v] {
			return nil, fmt.Errorf("describe %s: variable %q is listed twice", name, v)
		}
		seen[v] = true
		if vcol[i], err = find("a variable", v); err != nil {
			return nil, err
		}
	}
	byCol, idCol := -1, -1
	if opt.By != "" {
		if byCol, err = find("--by", opt.By); err != nil {
			return nil, err
		}
	}
	if opt.ID != "" {
		if idCol, err = find("the region column", opt.ID); err != nil {
			return nil, err
		}
	}
	// values[group][var] and their regions.
	type series struct {
		x  []float64
		id []string
	}
	data := map[string][]series{}
	var groups []string
	line := 1
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("describe: %w", err)
		}
		line = cr.Line()
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(rec) != len(header) {
			return nil, fmt.Errorf("describe %s: line %d: %d fields, the header has %d", name, line, len(rec), len(header))
		}
		field := func(j int) string {
			if j < len(rec) {
				return strings.TrimSpace(rec[j])
			}
			return ""
		}
		g := ""
		if byCol >= 0 {
			g = field(byCol)
		}
		ss, ok := data[g]
		if !ok {
			ss = make([]series, len(opt.Vars))
			groups = append(groups, g)
		}
		for i, j := range vcol {
			s := field(j)
			if missingValue(s) {
				continue
			}
			if nonFinite(s) {
				return nil, fmt.Errorf("describe %s: line %d: column %s: value %q is not finite", name, line, opt.Vars[i], s)
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return nil, fmt.Errorf("describe %s: line %d: column %s: %q is not a number", name, line, opt.Vars[i], s)
			}
			ss[i].x = append(ss[i].x, v)
			if idCol >= 0 {
				ss[i].id = append(ss[i].id, field(idCol))
			}
		}
		data[g] = ss
	}
	if len(groups) == 0 {
		return nil, fmt.Errorf("describe %s: a header and no data rows", name)
	}
	sortLevels(groups)
	var out []VarStats
	for _, g := range groups {
		for i, v := range opt.Vars {
			s := data[g][i]
			if len(s.x) == 0 {
				where := ""
				if opt.By != "" {
					where = fmt.Sprintf(" where %s = %s", opt.By, g)
				}
				return nil, fmt.Errorf("describe %s: column %s has no values%s", name, v, where)
			}
			vs := describeSeries(s.x)
			vs.Variable, vs.Group = v, g
			if idCol >= 0 {
				vs.Regions, vs.SDBetween, vs.SDWithin = xtsum(s.x, s.id)
			}
			out = append(out, vs)
		}
	}
	return out, nil
}

// describeSeries computes the statistics of one non-empty series.
func describeSeries(x []float64) VarStats {
	d := stats.Float64Data(x)
	vs := VarStats{N: len(x), SD: math.NaN(), SDBetween: math.NaN(), SDWithin: math.NaN()}
	vs.Mean, _ = d.Mean()
	if len(x) > 1 {
		vs.SD, _ = d.StandardDeviationSample()
	}
	vs.Min, _ = d.Min()
	vs.Max, _ = d.Max()
	vs.P25, _ = d.Percentile(25)
	vs.Median, _ = d.Percentile(50)
	vs.P75, _ = d.Percentile(75)
	return vs
}

// xtsum returns the number of regions and the between and within standard
// deviations of x (Stata's xtsum): the sample SD of the region means, and
// that of x − x̄ᵢ + x̄ over every value.
func xtsum(x []float64, id []string) (regions int, between, within float64) {
	sum := map[string]float64{}
	cnt := map[string]int{}
	var order []string
	for k, v := range x {
		if _, ok := cnt[id[k]]; !ok {
			order = append(order, id[k])
		}
		sum[id[k]] += v
		cnt[id[k]]++
	}
	means := make([]float64, len(order))
	for i, r := range order {
		means[i] = sum[r] / float64(cnt[r])
	}
	grand, _ := stats.Mean(x)
	w := make([]float64, len(x))
	for k, v := range x {
		w[k] = v - sum[id[k]]/float64(cnt[id[k]]) + grand
	}
	between, within = math.NaN(), math.NaN()
	if len(means) > 1 {
		between, _ = stats.StandardDeviationSample(means)
	}
	if len(w) > 1 {
		within, _ = stats.StandardDeviationSample(w)
	}
	return len(order), between, within
}

// WriteDescription writes descriptive statistics as a table: format is
// "text", TableMarkdown, TableLaTeX or TableCSV. Each row prints its
// numbers with the decimals that show opt.Digits significant digits of the
// smaller of |mean| and SD; opt.Labels rename the variables; the other
// options are unused. by heads the column of groups (rows with a Group).
// The between and within columns appear when the rows have them.
func WriteDescription(w io.Writer, format string, rows []VarStats, by string, opt TableOptions) error {
	panel := false
	grouped := false
	for _, r := range rows {
		panel = panel || r.Regions > 0
		grouped = grouped || r.Group != ""
	}
	g := &tableGrid{title: opt.Title, header: []string{"Variable"}}
	if grouped {
		if by == "" {
			by = "Group"
		}
		g.header = append(g.header, by)
	}
	g.header = append(g.header, "N", "Mean", "SD", "Min", "P25", "Median", "P75", "Max")
	if panel {
		g.header = append(g.header, "Regions", "SD between", "SD within")
	}
	for _, r := range rows {
		dec := decimalsFor(opt.Digits, r.Mean, r.SD)
		row := tableRow{kind: rowStat, label: opt.label(r.Variable)}
		if grouped {
			row.cells = append(row.cells, tableCell{text: r.Group})
		}
		row.cells = append(row.cells, tableCell{text: strconv.Itoa(r.N)})
		for _, v := range []float64{r.Mean, r.SD, r.Min, r.P25, r.Median, r.P75, r.Max} {
			row.cells = append(row.cells, tableCell{text: fixed(v, dec)})
		}
		if panel {
			row.cells = append(row.cells, tableCell{text: strconv.Itoa(r.Regions)},
				tableCell{text: fixed(r.SDBetween, dec)}, tableCell{text: fixed(r.SDWithin, dec)})
		}
		g.rows = append(g.rows, row)
	}
	g.notes = []string{"SD: sample standard deviation; P25, Median, P75: quantiles of type 7 (Hyndman and Fan 1996)."}
	if panel {
		g.notes = append(g.notes, "SD between: of the region means; SD within: of the deviations from them (plus the overall mean), as Stata's xtsum.")
	}
	g.notes = append(g.notes, opt.Notes...)
	switch format {
	case "text", "":
		var b strings.Builder
		// writeAligned sets its last column flush left: an empty one
		// keeps every number flush right.
		grid := [][]string{append(slices.Clone(g.header), "")}
		for _, r := range g.rows {
			cells := []string{r.label}
			for _, c := range r.cells {
				cells = append(cells, c.text)
			}
			grid = append(grid, append(cells, ""))
		}
		if g.title != "" {
			b.WriteString(g.title + "\n")
		}
		writeAligned(&b, grid)
		for _, n := range g.notes {
			b.WriteString(n + "\n")
		}
		_, err := io.WriteString(w, b.String())
		return err
	case TableMarkdown, "md":
		return g.writeMarkdown(w)
	case TableLaTeX, "tex":
		return g.writeLaTeX(w)
	case TableCSV:
		return g.writeCSV(w)
	}
	return fmt.Errorf("regress: unknown table format %q (want text, markdown, latex or csv)", format)
}
