package regress

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/mat"
)

// Design is the response and the regressor matrix of a formula on a panel,
// ready for estimation. Rows follow the panel order (individual, then time)
// less the rows where a lag or lead is unavailable.
type Design struct {
	// Formula is the parsed formula.
	Formula *Formula
	// Response names the response as written ("log(gsp)").
	Response string
	Y        []float64
	X        *mat.Dense
	// Names are the columns of X as R's model.matrix names them:
	// "(Intercept)", "log(pcap)", "factor(region)2", "unemp:log(emp)",
	// "poly(unemp, 2)1", "I(unemp > 6)TRUE".
	Names     []string
	Intercept bool
	// Terms are the labels of the formula's terms; Assign gives each
	// column's term as R's "assign" attribute does (0 for the intercept,
	// k for Terms[k−1]).
	Terms  []string
	Assign []int
	// Dummy reports whether a column is a factor's indicator or contrast
	// (alone or interacted): such a column constant within individuals is
	// absorbed by individual effects.
	Dummy []bool
	// Rows indexes the panel row of each design row; it is nil when the
	// design has every row of the panel (design row k is panel row k), so
	// that a full design holds no N·T index.
	Rows []int
	// ID and Time give the individual and period of each row as indices
	// into IDLevels and TimeLevels, which hold only the levels present.
	// When the design has every row and level of the panel they are the
	// panel's slices, not copies: neither is to be modified.
	ID, Time             []int
	IDLevels, TimeLevels []string
	// Balanced reports whether every individual is present in every
	// period of the design exactly once.
	Balanced bool
	// Dropped counts panel rows left out because a lag or lead was
	// unavailable; Messages says so.
	Dropped  int
	Messages []string
	// Source names the data for error messages.
	Source string
	// cols holds the columns of X when X is nil (Panel.DesignColumns):
	// nil for the intercept's.
	cols [][]float64
}

// N returns the number of individuals in the design.
func (d *Design) N() int { return len(d.IDLevels) }

// T returns the number of periods in the design.
func (d *Design) T() int { return len(d.TimeLevels) }

// NObs returns the number of observations.
func (d *Design) NObs() int { return len(d.Y) }

// Counts returns the number of observations of each individual.
func (d *Design) Counts() []int {
	c := make([]int, d.N())
	for _, i := range d.ID {
		c[i]++
	}
	return c
}

// Column returns a copy of the named column of X, or nil.
func (d *Design) Column(name string) []float64 {
	j := slices.Index(d.Names, name)
	if j < 0 {
		return nil
	}
	if d.X == nil && d.cols != nil {
		if d.cols[j] == nil {
			c := make([]float64, len(d.Y))
			for i := range c {
				c[i] = 1
			}
			return c
		}
		return slices.Clone(d.cols[j])
	}
	return mat.Col(nil, j, d.X)
}

// Design evaluates a formula on the panel as R's model.frame and
// model.matrix do (see the package documentation for the grammar):
// the variables are evaluated on every row, the rows where one is
// missing (a lag or lead beyond the panel) are left out and counted in
// Design.Dropped, and the columns of X are built term by term with
// treatment contrasts. Unknown columns, values out of a function's domain
// (log of a negative number …) and non-finite results are errors naming
// the term and the row.
func (p *Panel) Design(formula string) (*Design, error) {
	f, err := ParseFormula(formula)
	if err != nil {
		return nil, err
	}
	return p.DesignFormula(f)
}

// DesignFormula is Design for a parsed formula. A '.' in the formula
// stands for every column of the panel but the id and time columns and
// those of the response.
//
// Column coding follows R's model.matrix (Chambers and Hastie 1992,
// §2.4.1): a factor (factor(), relevel(), a text column, or a logical such
// as I(x > 6) with levels FALSE, TRUE) in a term is coded by treatment
// contrasts — indicators of every level but the first — when the term
// without it is the intercept or appears earlier in the formula, and by
// indicators of every level otherwise; without an intercept the first
// factor of the first term holding one gets every level. Columns of an
// interaction are the products of its variables' columns, the first
// variable varying fastest. Factor levels not present in the rows used
// are dropped (as lm's model.frame does).
func (p *Panel) DesignFormula(f *Formula) (*Design, error) { return p.designFormula(f, true) }

// DesignColumns is DesignFormula without the matrix X: X is nil and the
// regressors stay columns, for SpatialPanelFromDesign, which arranges
// them in its time-major order straight from them (at 10⁶ regions and
// T = 10 that spares a row-major copy of 305 MB and a pass over it).
// Y and the columns may be the panel's own values: they are not to be
// modified. Within and the panel models need X: use DesignFormula for
// them.
func (p *Panel) DesignColumns(f *Formula) (*Design, error) { return p.designFormula(f, false) }

// designFormula is DesignFormula, with X (withX) or its columns (cols).
func (p *Panel) designFormula(f *Formula, withX bool) (*Design, error) {
	if f.dot {
		g := *f
		var cols []string
		for _, c := range p.names {
			if c != p.IDName && c != p.TimeName {
				cols = append(cols, c)
			}
		}
		if err := g.expand(cols); err != nil {
			return nil, err
		}
		f = &g
	}
	ev := &evaluator{p: p, f: f}
	var missing *Expr
	for _, side := range []*Expr{f.Response, f.RHS} {
		side.walk(func(x *Expr) {
			if missing == nil && x.Op == "var" && !isConstantName(x) && !(x.Name == "." && !x.quoted) && p.Column(x.Name) == nil {
				missing = x
			}
		})
	}
	if missing != nil {
		return nil, &FormulaError{Formula: f.Source, Pos: missing.Pos, Msg: fmt.Sprintf("no column %q in %s (columns: %s)", missing.Name, p.Source, strings.Join(p.names, ", "))}
	}
	n := p.Len()
	resp, err := ev.eval(f.Response, nil)
	if err != nil {
		return nil, err
	}
	if resp.codes != nil || resp.str != nil {
		return nil, fmt.Errorf("formula %q: the response %s is %s; it must be numeric", f.Source, f.Response, resp.kind())
	}
	// y may be the panel's own column: it is only read here.
	y, err := ev.asNumeric(f.Response, resp)
	if err != nil {
		return nil, err
	}
	// The variables the terms use, evaluated on every row.
	used := map[int]bool{}
	for _, t := range f.Terms {
		for _, v := range t.Vars {
			used[v] = true
		}
	}
	vals := make([]*fvalue, len(f.Vars))
	for i := range f.Vars {
		if !used[i] {
			continue
		}
		if vals[i], err = ev.eval(f.Vars[i], nil); err != nil {
			return nil, err
		}
	}
	var offsets [][]float64
	for _, o := range f.Offsets {
		v, err := ev.numeric(o, nil)
		if err != nil {
			return nil, err
		}
		offsets = append(offsets, v)
	}
	// Complete rows.
	ok := make([]bool, n)
	for r := range ok {
		ok[r] = !math.IsNaN(y[r])
	}
	for _, o := range offsets {
		for r, x := range o {
			ok[r] = ok[r] && !math.IsNaN(x)
		}
	}
	for _, v := range vals {
		if v == nil {
			continue
		}
		if v.num != nil && v.codes == nil && v.str == nil && v.cols == nil {
			for r := range ok { // a numeric value: NaN is missing
				ok[r] = ok[r] && !math.IsNaN(v.num[r])
			}
			continue
		}
		for r := range ok {
			ok[r] = ok[r] && !v.missing(r)
		}
	}
	// The complete rows; nil when every row is (the design's row k is
	// the panel's row k), so that a full design needs no N·T index.
	nrows := 0
	for _, k := range ok {
		if k {
			nrows++
		}
	}
	var rows []int
	if nrows < n {
		rows = make([]int, 0, nrows)
		for r, k := range ok {
			if k {
				rows = append(rows, r)
			}
		}
	}
	d := &Design{Formula: f, Response: f.Response.String(), Intercept: f.Intercept, Source: p.Source}
	d.Dropped = n - nrows
	if nrows == 0 {
		return nil, fmt.Errorf("formula %q on %s: no complete rows (lags beyond the panel?)", f.Source, p.Source)
	}
	if d.Dropped > 0 {
		d.Messages = append(d.Messages, fmt.Sprintf("%d rows left out where a lag or lead is unavailable", d.Dropped))
	}
	d.Rows = rows
	switch {
	case nrows == n && !withX && len(offsets) == 0:
		d.Y = y // DesignColumns: read only, like its columns
	case nrows == n:
		d.Y = slices.Clone(y)
	default:
		d.Y = make([]float64, nrows)
		for k, r := range rows {
			d.Y[k] = y[r]
		}
	}
	for _, o := range offsets {
		if rows == nil {
			for k := range d.Y {
				d.Y[k] -= o[k]
			}
			continue
		}
		for k, r := range rows {
			d.Y[k] -= o[r]
		}
	}
	if len(offsets) > 0 {
		d.Messages = append(d.Messages, "the offset is subtracted from the response")
	}
	// The model frame: the used rows, text as factors, unused levels
	// dropped, logicals as factors with levels FALSE and TRUE.
	for i, v := range vals {
		if v != nil {
			vals[i] = v.frame(rows)
		}
	}
	cols, err := modelColumns(f, vals, nrows)
	if err != nil {
		return nil, fmt.Errorf("formula %q: %w", f.Source, err)
	}
	d.Terms = f.TermLabels()
	for _, t := range f.Terms {
		if len(t.Vars) == 1 && t.Vars[0] == 0 {
			d.Messages = append(d.Messages, "the response appeared on the right-hand side and was dropped")
		}
	}
	if len(cols) > 0 {
		if err := spatial.CheckDense(nrows, len(cols), 2, fmt.Sprintf("formula %q on %s: the design matrix", f.Source, p.Source), "use fewer regressors or absorb fixed effects with --effects"); err != nil {
			return nil, err
		}
		for _, c := range cols {
			d.Names = append(d.Names, c.name)
			d.Assign = append(d.Assign, c.term)
			d.Dummy = append(d.Dummy, c.dummy)
		}
		if !withX {
			d.cols = make([][]float64, len(cols))
			for j, c := range cols {
				d.cols[j] = c.v
			}
		}
	}
	if len(cols) > 0 && withX {
		d.X = mat.NewDense(nrows, len(cols), nil)
		raw := d.X.RawMatrix()
		// Row by row: the writes run along memory, the reads along the
		// few columns; blocks of rows in parallel on large designs.
		nc := len(cols)
		blocks := runtime.GOMAXPROCS(0)
		jobs := make([]func(), blocks)
		for b := range jobs {
			lo, hi := b*nrows/blocks, (b+1)*nrows/blocks
			jobs[b] = func() {
				for k := lo; k < hi; k++ {
					dst := raw.Data[k*raw.Stride : k*raw.Stride+nc]
					for j := range dst {
						if v := cols[j].v; v != nil {
							dst[j] = v[k]
						} else {
							dst[j] = 1 // the intercept
						}
					}
				}
			}
		}
		runJobs(nrows*nc, jobs)
	}
	if err := checkMagnitude(d); err != nil {
		return nil, fmt.Errorf("formula %q on %s: %w", f.Source, p.Source, err)
	}
	// Compact id and time indices to the levels present.
	d.ID, d.IDLevels = compact(p.ID, p.IDLevels, rows)
	d.Time, d.TimeLevels = compact(p.Time, p.TimeLevels, rows)
	d.Balanced = nrows == len(d.IDLevels)*len(d.TimeLevels)
	return d, nil
}

// missing reports whether the value is missing at row r.
func (v *fvalue) missing(r int) bool {
	switch {
	case v.codes != nil:
		return v.codes[r] < 0
	case v.str != nil:
		return v.str[r] == ""
	case v.cols != nil:
		for _, c := range v.cols {
			if math.IsNaN(c[r]) {
				return true
			}
		}
		return false
	}
	return math.IsNaN(v.num[r])
}

// frame returns the value on the given rows, as R's model frame holds it:
// text becomes a factor, a factor loses the levels absent from the rows,
// a logical becomes a factor with levels FALSE and TRUE.
func (v *fvalue) frame(rows []int) *fvalue {
	if rows == nil { // every row
		switch {
		case v.str != nil:
			rows = identityRows(len(v.str))
		case v.codes != nil:
			rows = identityRows(len(v.codes))
		case v.cols != nil:
			rows = identityRows(len(v.cols[0]))
		case v.logical:
			rows = identityRows(len(v.num))
		default:
			return &fvalue{num: v.num}
		}
	}
	switch {
	case v.str != nil:
		s := make([]string, len(rows))
		for k, r := range rows {
			s[k] = v.str[r]
		}
		return factorOfStrings(s)
	case v.codes != nil:
		codes := make([]int, len(rows))
		present := make([]bool, len(v.levels))
		for k, r := range rows {
			codes[k] = v.codes[r]
			present[codes[k]] = true
		}
		var order []int
		for i, ok := range present {
			if ok {
				order = append(order, i)
			}
		}
		return recode(&fvalue{codes: codes, levels: v.levels}, order)
	case v.logical:
		codes := make([]int, len(rows))
		for k, r := range rows {
			codes[k] = int(v.num[r])
		}
		return &fvalue{codes: codes, levels: []string{"FALSE", "TRUE"}}
	case v.cols != nil:
		out := &fvalue{colnames: v.colnames}
		for _, c := range v.cols {
			s := make([]float64, len(rows))
			for k, r := range rows {
				s[k] = c[r]
			}
			out.cols = append(out.cols, s)
		}
		return out
	}
	if len(rows) == len(v.num) {
		return &fvalue{num: v.num} // every row: rows is 0, 1, …
	}
	s := make([]float64, len(rows))
	for k, r := range rows {
		s[k] = v.num[r]
	}
	return &fvalue{num: s}
}

type modelColumn struct {
	name  string
	v     []float64
	term  int
	dummy bool
}

// factorHint is what the size error of a factor's dummies suggests.
const factorHint = "use a variable with fewer levels, or absorb region or period dummies with --effects individual, time or twoways instead of factor()"

// modelColumns builds the columns of the model matrix from the model
// frame (see DesignFormula), following R's model.c.
func modelColumns(f *Formula, vals []*fvalue, n int) ([]modelColumn, error) {
	var out []modelColumn
	if f.Intercept {
		// v nil: a column of ones, written straight into X.
		out = append(out, modelColumn{name: "(Intercept)"})
	}
	// code[t][k] is 1 (contrasts) or 2 (indicators) for variable
	// Terms[t].Vars[k]: contrasts when the term without it is empty or is
	// contained in an earlier term.
	code := make([][]int, len(f.Terms))
	for t, term := range f.Terms {
		code[t] = make([]int, len(term.Vars))
		for k := range term.Vars {
			rest := slices.Delete(slices.Clone(term.Vars), k, k+1)
			code[t][k] = 2
			if len(rest) == 0 {
				code[t][k] = 1
				continue
			}
			for _, prev := range f.Terms[:t] {
				if isSubset(rest, prev.Vars) {
					code[t][k] = 1
					break
				}
			}
		}
	}
	if !f.Intercept {
	first:
		for t, term := range f.Terms {
			for k, v := range term.Vars {
				if vals[v].codes != nil && len(vals[v].levels) > 1 {
					code[t][k] = 2
					break first
				}
			}
		}
	}
	for t, term := range f.Terms {
		if len(term.Vars) == 1 && term.Vars[0] == 0 {
			continue
		}
		cur := []modelColumn{{v: nil}}
		dummy := false
		for k, vi := range term.Vars {
			v := vals[vi]
			name := f.Vars[vi].String()
			var parts []modelColumn
			switch {
			case v.codes != nil:
				dummy = true
				start := 0
				if code[t][k] == 1 {
					if len(v.levels) < 2 {
						lev := "none"
						if len(v.levels) == 1 {
							lev = fmt.Sprintf("%q", v.levels[0])
						}
						return nil, fmt.Errorf("%s has a single level (%s) in the rows used (R: contrasts can be applied only to factors with 2 or more levels)", name, lev)
					}
					start = 1
				}
				// The dummies, the design matrix and the fit's transformed
				// copy: check the size before allocating rows × levels.
				if err := spatial.CheckDense(n, (len(v.levels)-start)*max(len(cur), 1), 3, fmt.Sprintf("%s has %d levels: its dummy columns", name, len(v.levels)), factorHint); err != nil {
					return nil, err
				}
				for l := start; l < len(v.levels); l++ {
					ind := make([]float64, n)
					for r, c := range v.codes {
						if c == l {
							ind[r] = 1
						}
					}
					parts = append(parts, modelColumn{name: name + v.levels[l], v: ind})
				}
			case v.cols != nil:
				for j, c := range v.cols {
					nm := name
					if len(v.cols) > 1 {
						if v.colnames != nil {
							nm += v.colnames[j]
						} else {
							nm += strconv.Itoa(j + 1)
						}
					}
					parts = append(parts, modelColumn{name: nm, v: c})
				}
			default:
				parts = []modelColumn{{name: name, v: v.num}}
			}
			// The first variable varies fastest.
			var next []modelColumn
			for _, pc := range parts {
				for _, c := range cur {
					nc := modelColumn{name: pc.name, v: pc.v}
					if c.v != nil {
						nc.name = c.name + ":" + pc.name
						nc.v = make([]float64, n)
						for r := range nc.v {
							nc.v[r] = c.v[r] * pc.v[r]
						}
					}
					next = append(next, nc)
				}
			}
			cur = next
		}
		for _, c := range cur {
			c.term = t + 1
			c.dummy = dummy
			out = append(out, c)
		}
	}
	return out, nil
}

// isSubset reports whether every element of a (sorted) is in b (sorted).
func isSubset(a, b []int) bool {
	for _, x := range a {
		if _, ok := slices.BinarySearch(b, x); !ok {
			return false
		}
	}
	return true
}

// compact returns the indices idx of the rows into the levels present in
// them, and those levels; idx and lev themselves when every row is used
// and every level present (no copy).
func compact(idx []int, lev []string, rows []int) ([]int, []string) {
	if rows == nil || len(rows) == len(idx) {
		used := make([]bool, len(lev))
		nused := 0
		for _, i := range idx {
			if !used[i] {
				used[i] = true
				nused++
			}
		}
		if nused == len(lev) {
			return idx, lev
		}
		if rows == nil {
			rows = identityRows(len(idx))
		}
	}
	newIdx := make([]int, len(lev))
	for i := range newIdx {
		newIdx[i] = -1
	}
	for _, r := range rows {
		newIdx[idx[r]] = 0
	}
	var out []string
	for i := range newIdx {
		if newIdx[i] == 0 {
			newIdx[i] = len(out)
			out = append(out, lev[i])
		}
	}
	res := make([]int, len(rows))
	for k, r := range rows {
		res[k] = newIdx[idx[r]]
	}
	return res, out
}

// identityRows returns 0, 1, …, n−1: every row of a design that has them
// all (Design.Rows is then nil).
func identityRows(n int) []int {
	rows := make([]int, n)
	for i := range rows {
		rows[i] = i
	}
	return rows
}

// DurbinColumns returns the columns of X that the terms of a Durbin
// formula select, as spatialreg's Durbin = ~ x1 + x2 does: terms is a
// right-hand side ("x1 + unemp:log(emp)", with or without a leading '~')
// written with R's formula operators. Every term must be a term of the
// design's formula (variables in any order: log(emp):unemp is
// unemp:log(emp)); a factor term selects all its columns. The intercept is
// never lagged.
func (d *Design) DurbinColumns(terms string) ([]string, error) {
	src := strings.TrimSpace(terms)
	src = strings.TrimPrefix(src, "~")
	const resp = "`durbin response` ~ "
	f, err := ParseFormula(resp + src)
	if err != nil {
		if fe, ok := err.(*FormulaError); ok {
			return nil, &FormulaError{Formula: src, Pos: max(fe.Pos-len(resp), 0), Msg: "Durbin terms: " + fe.Msg}
		}
		return nil, err
	}
	if f.dot {
		return nil, fmt.Errorf("Durbin terms %q: '.' is not supported, list the terms", src)
	}
	key := func(g *Formula, t Term) string {
		vs := make([]string, len(t.Vars))
		for i, v := range t.Vars {
			vs[i] = g.Vars[v].String()
		}
		slices.Sort(vs)
		return strings.Join(vs, "\x00")
	}
	main := map[string]int{}
	for i, t := range d.Formula.Terms {
		main[key(d.Formula, t)] = i + 1
	}
	want := map[int]bool{}
	for _, t := range f.Terms {
		k, ok := main[key(f, t)]
		if !ok {
			return nil, fmt.Errorf("Durbin term %s is not a term of the formula %s (terms: %s)", t.Label, d.Formula, strings.Join(d.Formula.TermLabels(), ", "))
		}
		want[k] = true
	}
	if len(want) == 0 {
		return nil, fmt.Errorf("Durbin terms %q select no column", src)
	}
	var out []string
	for j, a := range d.Assign {
		if want[a] {
			out = append(out, d.Names[j])
		}
	}
	return out, nil
}

// checkMagnitude refuses a response or regressor so large that its sum of
// squares over the rows overflows float64 (|v|·sqrt(n) > 1e150: cross-
// products near 1e300 lose every digit in the moment matrices). Estimates
// are not invariant to the scale of the data (only equivariant), so the
// data are not silently rescaled: the user is asked to.
func checkMagnitude(d *Design) error {
	limit := 1e150 / math.Sqrt(float64(max(len(d.Y), 1)))
	check := func(name string, v []float64, stride, col int) error {
		for k := col; k < len(v); k += stride {
			if math.Abs(v[k]) > limit {
				return fmt.Errorf("%s reaches %.3g: its squares overflow float64 in the fit; rescale it (e.g. divide by 1e6) or take logs", name, v[k])
			}
		}
		return nil
	}
	if err := check("the response "+d.Response, d.Y, 1, 0); err != nil {
		return err
	}
	if d.X == nil {
		for j, c := range d.cols {
			if err := check("regressor "+d.Names[j], c, 1, 0); err != nil {
				return err
			}
		}
		return nil
	}
	raw := d.X.RawMatrix()
	for j, name := range d.Names {
		if err := check("regressor "+name, raw.Data, raw.Stride, j); err != nil {
			return err
		}
	}
	return nil
}
