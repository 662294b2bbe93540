package regress

import (
	"fmt"
	"math"
	"slices"
	"strconv"

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
	// Names are the columns of X: "(Intercept)" then the terms as R
	// writes them ("log(pcap)", "I(x^2)", "factor(region)2").
	Names     []string
	Intercept bool
	// Rows indexes the panel row of each design row.
	Rows []int
	// ID and Time give the individual and period of each row as indices
	// into IDLevels and TimeLevels, which hold only the levels present.
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
	return mat.Col(nil, j, d.X)
}

// Design evaluates a formula on the panel. Unknown columns, log or sqrt of
// values out of their domain, and non-finite results are errors naming the
// term and the row. Rows where a lag or lead is unavailable are left out
// and counted in Design.Dropped.
func (p *Panel) Design(formula string) (*Design, error) {
	f, err := ParseFormula(formula)
	if err != nil {
		return nil, err
	}
	return p.DesignFormula(f)
}

// DesignFormula is Design for a parsed formula.
func (p *Panel) DesignFormula(f *Formula) (*Design, error) {
	ev := &evaluator{p: p, f: f}
	for _, v := range f.Variables() {
		if p.Column(v) == nil {
			return nil, fmt.Errorf("formula %q: no column %q in %s (columns: %v)", f.Source, v, p.Source, p.names)
		}
	}
	y, err := ev.eval(f.Response)
	if err != nil {
		return nil, err
	}
	type col struct {
		name string
		v    []float64
	}
	var cols []col
	if f.Intercept {
		one := make([]float64, p.Len())
		for i := range one {
			one[i] = 1
		}
		cols = append(cols, col{"(Intercept)", one})
	}
	for k, t := range f.Terms {
		if t.Op == "call" && t.Name == "factor" {
			// R keeps every level of the first factor when there is
			// no intercept.
			full := !f.Intercept && k == 0
			names, vs, err := ev.factor(t, full)
			if err != nil {
				return nil, err
			}
			for j := range names {
				cols = append(cols, col{names[j], vs[j]})
			}
			continue
		}
		v, err := ev.eval(t)
		if err != nil {
			return nil, err
		}
		cols = append(cols, col{t.String(), v})
	}
	// Rows with every value available.
	var rows []int
	for r := 0; r < p.Len(); r++ {
		ok := !math.IsNaN(y[r])
		for _, c := range cols {
			if math.IsNaN(c.v[r]) {
				ok = false
				break
			}
		}
		if ok {
			rows = append(rows, r)
		}
	}
	d := &Design{Formula: f, Response: f.Response.String(), Intercept: f.Intercept, Source: p.Source}
	d.Dropped = p.Len() - len(rows)
	if len(rows) == 0 {
		return nil, fmt.Errorf("formula %q on %s: no complete rows (lags beyond the panel?)", f.Source, p.Source)
	}
	if d.Dropped > 0 {
		d.Messages = append(d.Messages, fmt.Sprintf("%d rows left out where a lag or lead is unavailable", d.Dropped))
	}
	d.Rows = rows
	d.Y = make([]float64, len(rows))
	for k, r := range rows {
		d.Y[k] = y[r]
	}
	if len(cols) > 0 {
		if err := spatial.CheckDense(len(rows), len(cols), 2, fmt.Sprintf("formula %q on %s: the design matrix", f.Source, p.Source), "use fewer regressors or absorb fixed effects with --effects"); err != nil {
			return nil, err
		}
		d.X = mat.NewDense(len(rows), len(cols), nil)
		raw := d.X.RawMatrix()
		for j, c := range cols {
			d.Names = append(d.Names, c.name)
			for k, r := range rows {
				raw.Data[k*raw.Stride+j] = c.v[r]
			}
		}
	}
	if err := checkMagnitude(d); err != nil {
		return nil, fmt.Errorf("formula %q on %s: %w", f.Source, p.Source, err)
	}
	// Compact id and time indices to the levels present.
	d.ID, d.IDLevels = compact(p.ID, p.IDLevels, rows)
	d.Time, d.TimeLevels = compact(p.Time, p.TimeLevels, rows)
	d.Balanced = len(rows) == len(d.IDLevels)*len(d.TimeLevels)
	return d, nil
}

func compact(idx []int, lev []string, rows []int) ([]int, []string) {
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

type evaluator struct {
	p *Panel
	f *Formula
	// pos[i*T+t] is the row of individual i at period t, or -1.
	pos []int
}

func (ev *evaluator) where(r int) string {
	p := ev.p
	return fmt.Sprintf("%s (%s %s, %s %s)", rowLabel(p.Source, p.Line, r), p.IDName, p.IDLevels[p.ID[r]], p.TimeName, p.TimeLevels[p.Time[r]])
}

func (ev *evaluator) positions() []int {
	if ev.pos == nil {
		p := ev.p
		T := p.T()
		ev.pos = make([]int, p.N()*T)
		for i := range ev.pos {
			ev.pos[i] = -1
		}
		for r := range p.ID {
			ev.pos[p.ID[r]*T+p.Time[r]] = r
		}
	}
	return ev.pos
}

func (ev *evaluator) eval(e *Expr) ([]float64, error) {
	p := ev.p
	n := p.Len()
	switch e.Op {
	case "var":
		c := p.Column(e.Name)
		if c.Num == nil {
			where := ""
			for r, s := range c.Str {
				if _, err := strconv.ParseFloat(s, 64); err != nil {
					where = fmt.Sprintf(": %q at %s", s, ev.where(r))
					break
				}
			}
			return nil, fmt.Errorf("formula %q: column %q is not numeric%s (use factor(%s) for dummies)", ev.f.Source, e.Name, where, e.Name)
		}
		return slices.Clone(c.Num), nil
	case "num":
		v := make([]float64, n)
		for i := range v {
			v[i] = e.Num
		}
		return v, nil
	case "neg":
		a, err := ev.eval(e.Args[0])
		if err != nil {
			return nil, err
		}
		for i := range a {
			a[i] = -a[i]
		}
		return a, nil
	case "+", "-", "*", "/", "^":
		a, err := ev.eval(e.Args[0])
		if err != nil {
			return nil, err
		}
		b, err := ev.eval(e.Args[1])
		if err != nil {
			return nil, err
		}
		for i := range a {
			if math.IsNaN(a[i]) || math.IsNaN(b[i]) {
				a[i] = math.NaN()
				continue
			}
			switch e.Op {
			case "+":
				a[i] += b[i]
			case "-":
				a[i] -= b[i]
			case "*":
				a[i] *= b[i]
			case "/":
				a[i] /= b[i]
			case "^":
				a[i] = math.Pow(a[i], b[i])
			}
			if math.IsInf(a[i], 0) || math.IsNaN(a[i]) {
				return nil, fmt.Errorf("formula %q: %s is not finite at %s", ev.f.Source, e.String(), ev.where(i))
			}
		}
		return a, nil
	case "call":
		switch e.Name {
		case "factor":
			return nil, fmt.Errorf("formula %q: %s must be a term on its own", ev.f.Source, e.String())
		case "I":
			return ev.eval(e.Args[0])
		case "lag", "lead", "diff":
			a, err := ev.eval(e.Args[0])
			if err != nil {
				return nil, err
			}
			k := int(e.Args[1].Num)
			if e.Name == "lead" {
				k = -k
			}
			pos := ev.positions()
			T := p.T()
			out := make([]float64, n)
			for r := 0; r < n; r++ {
				t := p.Time[r] - k
				out[r] = math.NaN()
				if t >= 0 && t < T {
					if s := pos[p.ID[r]*T+t]; s >= 0 {
						out[r] = a[s]
					}
				}
				if e.Name == "diff" {
					out[r] = a[r] - out[r]
				}
			}
			return out, nil
		}
		a, err := ev.eval(e.Args[0])
		if err != nil {
			return nil, err
		}
		for i, x := range a {
			if math.IsNaN(x) {
				continue
			}
			switch e.Name {
			case "log":
				if x <= 0 {
					return nil, fmt.Errorf("formula %q: %s of a non-positive value (%s) at %s", ev.f.Source, e.String(), strconv.FormatFloat(x, 'g', -1, 64), ev.where(i))
				}
				a[i] = math.Log(x)
			case "sqrt":
				if x < 0 {
					return nil, fmt.Errorf("formula %q: %s of a negative value (%s) at %s", ev.f.Source, e.String(), strconv.FormatFloat(x, 'g', -1, 64), ev.where(i))
				}
				a[i] = math.Sqrt(x)
			case "exp":
				a[i] = math.Exp(x)
				if math.IsInf(a[i], 0) {
					return nil, fmt.Errorf("formula %q: %s overflows at %s", ev.f.Source, e.String(), ev.where(i))
				}
			case "abs":
				a[i] = math.Abs(x)
			}
		}
		return a, nil
	}
	return nil, fmt.Errorf("formula %q: cannot evaluate %s", ev.f.Source, e.String())
}

// factor returns the dummy columns of factor(col): one per level but the
// first (all levels if full), named as R does, "factor(col)<level>".
// absorbHint says how to fit the fixed effects of the factor column name
// without dummies.
func (ev *evaluator) absorbHint(name string) string {
	switch name {
	case ev.p.IDName:
		return "absorb the individual effects with --effects individual instead of factor(" + name + ")"
	case ev.p.TimeName:
		return "absorb the period effects with --effects time instead of factor(" + name + ")"
	}
	return "use a variable with fewer levels, or absorb the effects with --effects"
}

func (ev *evaluator) factor(e *Expr, full bool) ([]string, [][]float64, error) {
	name := e.Args[0].Name
	c := ev.p.Column(name)
	vals := c.Str
	if vals == nil {
		vals = make([]string, len(c.Num))
		for i, x := range c.Num {
			vals[i] = strconv.FormatFloat(x, 'g', -1, 64)
		}
	}
	set := map[string]bool{}
	for _, v := range vals {
		set[v] = true
	}
	lev := make([]string, 0, len(set))
	for k := range set {
		lev = append(lev, k)
	}
	sortLevels(lev)
	if len(lev) < 2 && !full {
		return nil, nil, fmt.Errorf("formula %q: %s has a single level %q", ev.f.Source, e.String(), lev[0])
	}
	start := 1
	if full {
		start = 0
	}
	// The dummies, the design matrix and the fit's transformed copy: check
	// the size before allocating rows × levels values.
	if err := spatial.CheckDense(len(vals), len(lev)-start, 3, fmt.Sprintf("formula %q: %s has %d levels: its dummy columns", ev.f.Source, e.String(), len(lev)), ev.absorbHint(name)); err != nil {
		return nil, nil, err
	}
	idx := map[string]int{}
	for i, l := range lev {
		idx[l] = i
	}
	var names []string
	var cols [][]float64
	for _, l := range lev[start:] {
		names = append(names, e.String()+l)
		cols = append(cols, make([]float64, len(vals)))
	}
	for r, v := range vals {
		if j := idx[v] - start; j >= 0 {
			cols[j][r] = 1
		}
	}
	return names, cols, nil
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
