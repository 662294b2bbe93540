package regress

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// funcSpec is a function a formula may call: its formal arguments in R's
// order ("..." takes the remaining positional ones) and how many leading
// formals are required.
type funcSpec struct {
	params []string
	min    int
}

// formulaFuncs are the functions Design evaluates, with R's argument names.
var formulaFuncs = map[string]funcSpec{
	"I": {[]string{"x"}, 1}, "factor": {[]string{"x"}, 1}, "as.factor": {[]string{"x"}, 1},
	"relevel": {[]string{"x", "ref"}, 2}, "as.numeric": {[]string{"x"}, 1},
	"log": {[]string{"x", "base"}, 1}, "log1p": {[]string{"x"}, 1}, "log2": {[]string{"x"}, 1},
	"log10": {[]string{"x"}, 1}, "exp": {[]string{"x"}, 1}, "expm1": {[]string{"x"}, 1},
	"sqrt": {[]string{"x"}, 1}, "abs": {[]string{"x"}, 1}, "sign": {[]string{"x"}, 1},
	"floor": {[]string{"x"}, 1}, "ceiling": {[]string{"x"}, 1}, "trunc": {[]string{"x"}, 1},
	"pmin": {[]string{"...", "na.rm"}, 1}, "pmax": {[]string{"...", "na.rm"}, 1},
	"ifelse": {[]string{"test", "yes", "no"}, 3},
	"scale":  {[]string{"x", "center", "scale"}, 1},
	"poly":   {[]string{"x", "degree", "coefs", "raw"}, 1},
	"lag":    {[]string{"x", "k"}, 1}, "lead": {[]string{"x", "k"}, 1}, "diff": {[]string{"x", "lag"}, 1},
	"offset": {[]string{"x"}, 1},
}

func knownFuncs() string {
	names := make([]string, 0, len(formulaFuncs))
	for k := range formulaFuncs {
		names = append(names, k)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// args are the matched arguments of a call.
type args struct {
	named map[string]*Expr
	dots  []*Expr
}

// match matches the arguments of call e to the formals as R does: exact
// names first, then positions. Unknown names and missing required
// arguments are errors.
func (fs funcSpec) match(e *Expr) (args, error) {
	a := args{named: map[string]*Expr{}}
	hasDots := slices.Contains(fs.params, "...")
	var positional []*Expr
	for i, x := range e.Args {
		name := e.ArgNames[i]
		if name == "" {
			positional = append(positional, x)
			continue
		}
		if name == "..." || !slices.Contains(fs.params, name) {
			if hasDots {
				a.dots = append(a.dots, x)
				continue
			}
			return a, fmt.Errorf("%s() has no argument %q (R: unused argument); its arguments: %s", e.Name, name, strings.Join(fs.params, ", "))
		}
		if _, dup := a.named[name]; dup {
			return a, fmt.Errorf("%s(): argument %q given twice", e.Name, name)
		}
		a.named[name] = x
	}
	for _, p := range fs.params {
		if len(positional) == 0 {
			break
		}
		if p == "..." {
			a.dots = append(a.dots, positional...)
			positional = nil
			break
		}
		if _, ok := a.named[p]; !ok {
			a.named[p] = positional[0]
			positional = positional[1:]
		}
	}
	if len(positional) > 0 {
		return a, fmt.Errorf("%s() takes at most %d arguments (R: unused argument %s)", e.Name, len(fs.params), positional[0].String())
	}
	for _, p := range fs.params[:fs.min] {
		if p == "..." {
			if len(a.dots) == 0 {
				return a, fmt.Errorf("%s() needs at least one argument", e.Name)
			}
			continue
		}
		if a.named[p] == nil {
			return a, fmt.Errorf("%s() needs argument %q", e.Name, p)
		}
	}
	return a, nil
}

// fvalue is the value of a formula expression over the rows of a panel:
// numeric (NaN where missing), logical (0/1 in num), a matrix (poly,
// scale), a factor or a character vector ("" where missing).
type fvalue struct {
	num     []float64
	logical bool
	// integer marks R's integer type (a column of whole numbers, 2L, and
	// +, -, *, %%, %/%, abs, pmin, pmax, ifelse, lag of integers): a
	// factor of it labels 100000 as "100000", not "1e+05".
	integer  bool
	cols     [][]float64
	colnames []string
	codes    []int // factor: index into levels, −1 where missing
	levels   []string
	str      []string
}

func (v *fvalue) isFactor() bool { return v.codes != nil }

// kind names the type of a value as R would.
func (v *fvalue) kind() string {
	switch {
	case v.codes != nil:
		return "a factor"
	case v.str != nil:
		return "text"
	case v.cols != nil:
		return "a matrix"
	case v.logical:
		return "logical"
	}
	return "numeric"
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

// errorf returns a *FormulaError with a caret under the expression at.
func (ev *evaluator) errorf(at *Expr, format string, a ...any) error {
	return &FormulaError{Formula: ev.f.Source, Pos: at.Pos, Msg: fmt.Sprintf(format, a...)}
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

func (ev *evaluator) fill(x float64) []float64 {
	v := make([]float64, ev.p.Len())
	for i := range v {
		v[i] = x
	}
	return v
}

// numeric returns the values of e as numbers (logical as 0/1; a
// one-column matrix as its column).
func (ev *evaluator) numeric(e *Expr, mask []bool) ([]float64, error) {
	v, err := ev.eval(e, mask)
	if err != nil {
		return nil, err
	}
	return ev.asNumeric(e, v)
}

func (ev *evaluator) asNumeric(e *Expr, v *fvalue) ([]float64, error) {
	switch {
	case v.num != nil:
		return v.num, nil
	case v.cols != nil && len(v.cols) == 1:
		return v.cols[0], nil
	case v.cols != nil:
		return nil, ev.errorf(e, "%s is a matrix of %d columns: agglo does arithmetic on single columns only", e, len(v.cols))
	case v.codes != nil:
		return nil, ev.errorf(e, "%s is a factor: arithmetic on it is not meaningful (R returns NA)", e)
	}
	return nil, ev.errorf(e, "%s is text: R refuses arithmetic on it (non-numeric argument)", e)
}

// check returns an error if a result is NaN or infinite where its inputs
// were present, on the rows of mask (nil: all).
func (ev *evaluator) check(e *Expr, out []float64, ins [][]float64, mask []bool) error {
	for i, x := range out {
		if mask != nil && !mask[i] || !math.IsNaN(x) && !math.IsInf(x, 0) {
			continue
		}
		missing := false
		for _, in := range ins {
			if math.IsNaN(in[i]) {
				missing = true
			}
		}
		if missing {
			out[i] = math.NaN()
			continue
		}
		vals := make([]string, len(ins))
		for k, in := range ins {
			vals[k] = formatRNumber(in[i])
		}
		r := "R's lm refuses it too"
		if math.IsNaN(x) {
			r = "R would drop the row with a warning"
		}
		return ev.errorf(e, "%s is not finite (%s) at %s, from %s (%s)", e, formatRNumber(x), ev.where(i), strings.Join(vals, ", "), r)
	}
	return nil
}

// constant evaluates an argument that must be a constant: a number, a
// string, TRUE or FALSE, possibly negated or in parentheses.
func constant(e *Expr) (any, bool) {
	switch e.Op {
	case "num":
		return e.Num, true
	case "str":
		return e.Str, true
	case "(":
		return constant(e.Args[0])
	case "neg":
		if v, ok := constant(e.Args[0]); ok {
			if x, ok := v.(float64); ok {
				return -x, true
			}
		}
	case "var":
		if !e.quoted {
			switch e.Name {
			case "TRUE", "T":
				return true, true
			case "FALSE", "F":
				return false, true
			}
		}
	}
	return nil, false
}

func (ev *evaluator) constInt(call, e *Expr, what string) (int, error) {
	v, ok := constant(e)
	x, isNum := v.(float64)
	if !ok || !isNum || x != math.Trunc(x) || math.Abs(x) > 1e6 {
		return 0, ev.errorf(e, "%s: %s must be a whole number, not %s", call, what, e)
	}
	return int(x), nil
}

func (ev *evaluator) constBool(call, e *Expr, what string) (bool, error) {
	v, ok := constant(e)
	b, isBool := v.(bool)
	if !ok || !isBool {
		return false, ev.errorf(e, "%s: %s must be TRUE or FALSE, not %s", call, what, e)
	}
	return b, nil
}

// eval evaluates e on every row of the panel. Domain errors (log of a
// negative number …) are reported on the rows of mask only (nil: all),
// so that ifelse(x > 0, log(x), 0) works as in R.
func (ev *evaluator) eval(e *Expr, mask []bool) (*fvalue, error) {
	p := ev.p
	n := p.Len()
	switch e.Op {
	case "var":
		c := p.Column(e.Name)
		if c == nil || isConstantName(e) && p.cols[e.Name] == nil {
			if v, ok := constant(e); ok {
				b := v.(bool)
				return &fvalue{num: ev.fill(b2f(b)), logical: true}, nil
			}
			if isConstantName(e) && e.Name == "pi" {
				return &fvalue{num: ev.fill(math.Pi)}, nil
			}
			return nil, ev.errorf(e, "no column %q in %s (columns: %v)", e.Name, p.Source, p.names)
		}
		if c.Num != nil {
			// The panel's own column, not a copy: evaluation never
			// writes into its operands (every operator and function
			// fills a new slice), and the design copies the rows used.
			return &fvalue{num: c.Num, integer: wholeNumbers(c.Num)}, nil
		}
		if b, ok := logicalColumn(c.Str); ok {
			return &fvalue{num: b, logical: true}, nil
		}
		return &fvalue{str: slices.Clone(c.Str)}, nil
	case "num":
		return &fvalue{num: ev.fill(e.Num), integer: e.Int}, nil
	case "str":
		s := make([]string, n)
		for i := range s {
			s[i] = e.Str
		}
		return &fvalue{str: s}, nil
	case "(", "pos":
		return ev.eval(e.Args[0], mask)
	case "neg":
		v, err := ev.eval(e.Args[0], mask)
		if err != nil {
			return nil, err
		}
		a, err := ev.asNumeric(e.Args[0], v)
		if err != nil {
			return nil, err
		}
		out := make([]float64, n)
		for i, x := range a {
			out[i] = -x
		}
		return &fvalue{num: out, integer: v.integer}, nil
	case "!":
		a, err := ev.numeric(e.Args[0], mask)
		if err != nil {
			return nil, err
		}
		out := make([]float64, n)
		for i, x := range a {
			out[i] = logicalNot(x)
		}
		return &fvalue{num: out, logical: true}, nil
	case "+", "-", "*", "/", "^", "%%", "%/%":
		va, err := ev.eval(e.Args[0], mask)
		if err != nil {
			return nil, err
		}
		vb, err := ev.eval(e.Args[1], mask)
		if err != nil {
			return nil, err
		}
		a, err := ev.asNumeric(e.Args[0], va)
		if err != nil {
			return nil, err
		}
		b, err := ev.asNumeric(e.Args[1], vb)
		if err != nil {
			return nil, err
		}
		out := make([]float64, n)
		for i := range out {
			x, y := a[i], b[i]
			switch e.Op {
			case "+":
				out[i] = x + y
			case "-":
				out[i] = x - y
			case "*":
				out[i] = x * y
			case "/":
				out[i] = x / y
			case "^":
				out[i] = rPow(x, y)
			case "%%":
				out[i] = x - math.Floor(x/y)*y
			case "%/%":
				out[i] = math.Floor(x / y)
			}
		}
		isInt := (va.integer || va.logical) && (vb.integer || vb.logical) && e.Op != "/" && e.Op != "^"
		return &fvalue{num: out, integer: isInt}, ev.check(e, out, [][]float64{a, b}, mask)
	case "<", ">", "<=", ">=", "==", "!=":
		return ev.compare(e, mask)
	case "&", "&&", "|", "||":
		a, err := ev.numeric(e.Args[0], mask)
		if err != nil {
			return nil, err
		}
		b, err := ev.numeric(e.Args[1], mask)
		if err != nil {
			return nil, err
		}
		out := make([]float64, n)
		for i := range out {
			if e.Op[0] == '&' {
				out[i] = logicalAnd(a[i], b[i])
			} else {
				out[i] = logicalNot(logicalAnd(logicalNot(a[i]), logicalNot(b[i])))
			}
		}
		return &fvalue{num: out, logical: true}, nil
	case "call":
		return ev.call(e, mask)
	}
	return nil, ev.errorf(e, "cannot evaluate %s", e)
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func logicalNot(x float64) float64 {
	if math.IsNaN(x) {
		return x
	}
	return b2f(x == 0)
}

// logicalAnd is R's three-valued &: FALSE & NA is FALSE.
func logicalAnd(x, y float64) float64 {
	if x == 0 || y == 0 {
		return 0
	}
	if math.IsNaN(x) || math.IsNaN(y) {
		return math.NaN()
	}
	return 1
}

// rPow is R's ^: 1^y and x^0 are 1 even for NA.
func rPow(x, y float64) float64 {
	if x == 1 || y == 0 {
		return 1
	}
	return math.Pow(x, y)
}

// compare evaluates a comparison: numbers with numbers, and a factor or
// text with a string or number by its labels, as R does.
func (ev *evaluator) compare(e *Expr, mask []bool) (*fvalue, error) {
	a, err := ev.eval(e.Args[0], mask)
	if err != nil {
		return nil, err
	}
	b, err := ev.eval(e.Args[1], mask)
	if err != nil {
		return nil, err
	}
	n := ev.p.Len()
	out := make([]float64, n)
	la, lb := labels(a), labels(b)
	if la == nil && lb == nil {
		x, err := ev.asNumeric(e.Args[0], a)
		if err != nil {
			return nil, err
		}
		y, err := ev.asNumeric(e.Args[1], b)
		if err != nil {
			return nil, err
		}
		for i := range out {
			if math.IsNaN(x[i]) || math.IsNaN(y[i]) {
				out[i] = math.NaN()
				continue
			}
			out[i] = b2f(cmpOp(e.Op, compareFloat(x[i], y[i])))
		}
		return &fvalue{num: out, logical: true}, nil
	}
	if e.Op != "==" && e.Op != "!=" {
		return nil, ev.errorf(e, "%s: %s on a factor or text is not meaningful (R returns NA); use == or !=", e, e.Op)
	}
	if la == nil {
		la = numLabels(a)
	}
	if lb == nil {
		lb = numLabels(b)
	}
	if la == nil || lb == nil {
		return nil, ev.errorf(e, "%s: cannot compare %s with %s", e, a.kind(), b.kind())
	}
	for i := range out {
		if la[i] == "" || lb[i] == "" {
			out[i] = math.NaN()
			continue
		}
		out[i] = b2f((la[i] == lb[i]) == (e.Op == "=="))
	}
	return &fvalue{num: out, logical: true}, nil
}

func compareFloat(x, y float64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

func cmpOp(op string, c int) bool {
	switch op {
	case "<":
		return c < 0
	case ">":
		return c > 0
	case "<=":
		return c <= 0
	case ">=":
		return c >= 0
	case "==":
		return c == 0
	}
	return c != 0
}

// labels returns the labels of a factor or text value ("" missing), or nil.
func labels(v *fvalue) []string {
	switch {
	case v.codes != nil:
		out := make([]string, len(v.codes))
		for i, c := range v.codes {
			if c >= 0 {
				out[i] = v.levels[c]
			}
		}
		return out
	case v.str != nil:
		return v.str
	}
	return nil
}

// numLabels returns numbers and logicals as R's as.character does.
func numLabels(v *fvalue) []string {
	if v.num == nil {
		return nil
	}
	out := make([]string, len(v.num))
	for i, x := range v.num {
		switch {
		case math.IsNaN(x):
		case v.logical:
			out[i] = strings.ToUpper(strconv.FormatBool(x != 0))
		case v.integer:
			out[i] = strconv.FormatFloat(x, 'f', -1, 64)
		default:
			out[i] = formatRNumber(x)
		}
	}
	return out
}

func (ev *evaluator) call(e *Expr, mask []bool) (*fvalue, error) {
	a, err := formulaFuncs[e.Name].match(e)
	if err != nil {
		return nil, ev.errorf(e, "%v", err)
	}
	x := a.named["x"]
	n := ev.p.Len()
	switch e.Name {
	case "I":
		return ev.eval(x, mask)
	case "offset":
		return nil, ev.errorf(e, "%s must be a term of its own", e)
	case "factor", "as.factor":
		v, err := ev.eval(x, mask)
		if err != nil {
			return nil, err
		}
		return ev.factor(e, v)
	case "relevel":
		v, err := ev.eval(x, mask)
		if err != nil {
			return nil, err
		}
		if !v.isFactor() {
			return nil, ev.errorf(e, "%s: relevel() needs a factor, %s is %s (R: 'relevel' only for (unordered) factors)", e, x, v.kind())
		}
		ref, ok := constant(a.named["ref"])
		k := -1
		switch r := ref.(type) {
		case string:
			k = slices.Index(v.levels, r)
			if k < 0 {
				return nil, ev.errorf(e, "%s: %q is not a level of %s (levels: %s)", e, r, x, strings.Join(v.levels, ", "))
			}
		case float64:
			if r != math.Trunc(r) || r < 1 || int(r) > len(v.levels) {
				return nil, ev.errorf(e, "%s: ref = %s is not a level position 1..%d", e, formatRNumber(r), len(v.levels))
			}
			k = int(r) - 1
		}
		if !ok || k < 0 {
			return nil, ev.errorf(e, "%s: ref must be a level in quotes", e)
		}
		order := append([]int{k}, slices.Delete(seq(len(v.levels)), k, k+1)...)
		return recode(v, order), nil
	case "as.numeric":
		v, err := ev.eval(x, mask)
		if err != nil {
			return nil, err
		}
		if v.isFactor() {
			return nil, ev.errorf(e, "%s: as.numeric() of a factor gives its level codes in R, rarely what is meant: use the column itself", e)
		}
		num, err := ev.asNumeric(x, v)
		return &fvalue{num: num}, err
	case "ifelse":
		test, err := ev.numeric(a.named["test"], mask)
		if err != nil {
			return nil, err
		}
		yesMask, noMask := make([]bool, n), make([]bool, n)
		for i, t := range test {
			inMask := mask == nil || mask[i]
			yesMask[i] = inMask && t != 0 && !math.IsNaN(t)
			noMask[i] = inMask && t == 0
		}
		yes, err := ev.eval(a.named["yes"], yesMask)
		if err != nil {
			return nil, err
		}
		no, err := ev.eval(a.named["no"], noMask)
		if err != nil {
			return nil, err
		}
		if ly, ln := labels(yes), labels(no); ly != nil || ln != nil {
			if ly == nil {
				ly = numLabels(yes)
			}
			if ln == nil {
				ln = numLabels(no)
			}
			if ly == nil || ln == nil {
				return nil, ev.errorf(e, "%s: cannot mix %s and %s", e, yes.kind(), no.kind())
			}
			out := make([]string, n)
			for i, t := range test {
				switch {
				case math.IsNaN(t):
				case t != 0:
					out[i] = ly[i]
				default:
					out[i] = ln[i]
				}
			}
			return &fvalue{str: out}, nil
		}
		y, err := ev.asNumeric(a.named["yes"], yes)
		if err != nil {
			return nil, err
		}
		z, err := ev.asNumeric(a.named["no"], no)
		if err != nil {
			return nil, err
		}
		out := make([]float64, n)
		for i, t := range test {
			switch {
			case math.IsNaN(t):
				out[i] = math.NaN()
			case t != 0:
				out[i] = y[i]
			default:
				out[i] = z[i]
			}
		}
		return &fvalue{num: out, logical: yes.logical && no.logical, integer: (yes.integer || yes.logical) && (no.integer || no.logical) && !(yes.logical && no.logical)}, nil
	case "pmin", "pmax":
		naRm := false
		if r := a.named["na.rm"]; r != nil {
			if naRm, err = ev.constBool(e, r, "na.rm"); err != nil {
				return nil, err
			}
		}
		var out []float64
		isInt := true
		for _, d := range a.dots {
			fv, err := ev.eval(d, mask)
			if err != nil {
				return nil, err
			}
			isInt = isInt && fv.integer
			v, err := ev.asNumeric(d, fv)
			if err != nil {
				return nil, err
			}
			if out == nil {
				out = slices.Clone(v)
				continue
			}
			for i, y := range v {
				switch {
				case math.IsNaN(out[i]) && naRm:
					out[i] = y
				case math.IsNaN(y) && naRm, math.IsNaN(out[i]):
				case math.IsNaN(y):
					out[i] = y
				case e.Name == "pmin":
					out[i] = math.Min(out[i], y)
				default:
					out[i] = math.Max(out[i], y)
				}
			}
		}
		return &fvalue{num: out, integer: isInt}, nil
	case "lag", "lead", "diff":
		return ev.lag(e, a, mask)
	case "scale":
		return ev.scale(e, a, mask)
	case "poly":
		return ev.poly(e, a, mask)
	}
	// Elementwise functions of one number (two for log).
	xv, err := ev.eval(x, mask)
	if err != nil {
		return nil, err
	}
	v, err := ev.asNumeric(x, xv)
	if err != nil {
		return nil, err
	}
	base := math.E
	if b := a.named["base"]; b != nil {
		bv, ok := constant(b)
		f, isNum := bv.(float64)
		if !ok || !isNum || f <= 0 || f == 1 {
			return nil, ev.errorf(e, "%s: the base must be a positive number other than 1", e)
		}
		base = f
	}
	out := make([]float64, n)
	for i, x := range v {
		switch e.Name {
		case "log":
			// R's logbase: log10 and log2 for those bases.
			switch base {
			case math.E:
				out[i] = math.Log(x)
			case 10:
				out[i] = math.Log10(x)
			case 2:
				out[i] = math.Log2(x)
			default:
				out[i] = math.Log(x) / math.Log(base)
			}
		case "log1p":
			out[i] = math.Log1p(x)
		case "log2":
			out[i] = math.Log2(x)
		case "log10":
			out[i] = math.Log10(x)
		case "exp":
			out[i] = math.Exp(x)
		case "expm1":
			out[i] = math.Expm1(x)
		case "sqrt":
			out[i] = math.Sqrt(x)
		case "abs":
			out[i] = math.Abs(x)
		case "sign":
			out[i] = x
			if x != 0 && !math.IsNaN(x) {
				out[i] = math.Copysign(1, x)
			}
		case "floor":
			out[i] = math.Floor(x)
		case "ceiling":
			out[i] = math.Ceil(x)
		case "trunc":
			out[i] = math.Trunc(x)
		}
	}
	if err := ev.check(e, out, [][]float64{v}, mask); err != nil {
		return nil, err
	}
	return &fvalue{num: out, integer: e.Name == "abs" && (xv.integer || xv.logical)}, nil
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// recode returns factor v with its levels in the given order (order[k] is
// the old index of new level k); levels not in order are dropped.
func recode(v *fvalue, order []int) *fvalue {
	newIdx := make([]int, len(v.levels))
	for i := range newIdx {
		newIdx[i] = -1
	}
	lev := make([]string, len(order))
	for k, old := range order {
		newIdx[old] = k
		lev[k] = v.levels[old]
	}
	codes := make([]int, len(v.codes))
	for i, c := range v.codes {
		codes[i] = -1
		if c >= 0 {
			codes[i] = newIdx[c]
		}
	}
	return &fvalue{codes: codes, levels: lev}
}

// factor converts a value to a factor as R's factor() does: the levels
// are the distinct values in R's sort order (numerically for numbers,
// FALSE before TRUE, text in the collation of an English UTF-8 locale),
// labelled as as.character() writes them.
func (ev *evaluator) factor(e *Expr, v *fvalue) (*fvalue, error) {
	switch {
	case v.codes != nil:
		return v, nil
	case v.str != nil:
		return factorOfStrings(v.str), nil
	case v.cols != nil && len(v.cols) > 1:
		return nil, ev.errorf(e, "%s: factor() of a matrix is not supported", e)
	}
	num := v.num
	if num == nil {
		num = v.cols[0]
	}
	var uniq []float64
	for _, x := range num {
		if !math.IsNaN(x) {
			uniq = append(uniq, x)
		}
	}
	slices.Sort(uniq)
	uniq = slices.Compact(uniq)
	lev := make([]string, len(uniq))
	for i, x := range uniq {
		switch {
		case v.logical:
			lev[i] = strings.ToUpper(strconv.FormatBool(x != 0))
		case v.integer:
			lev[i] = strconv.FormatFloat(x, 'f', -1, 64)
		default:
			lev[i] = formatRNumber(x)
		}
	}
	codes := make([]int, len(num))
	for i, x := range num {
		codes[i] = -1
		if !math.IsNaN(x) {
			codes[i], _ = slices.BinarySearch(uniq, x)
		}
	}
	// Distinct numbers may print alike with 15 digits; R then merges them.
	return mergeLevels(codes, lev), nil
}

func mergeLevels(codes []int, lev []string) *fvalue {
	first := map[string]int{}
	var out []string
	remap := make([]int, len(lev))
	for i, l := range lev {
		k, ok := first[l]
		if !ok {
			k = len(out)
			first[l] = k
			out = append(out, l)
		}
		remap[i] = k
	}
	nc := make([]int, len(codes))
	for i, c := range codes {
		nc[i] = -1
		if c >= 0 {
			nc[i] = remap[c]
		}
	}
	return &fvalue{codes: nc, levels: out}
}

func factorOfStrings(s []string) *fvalue {
	set := map[string]bool{}
	for _, x := range s {
		if x != "" {
			set[x] = true
		}
	}
	lev := make([]string, 0, len(set))
	for k := range set {
		lev = append(lev, k)
	}
	sortText(lev)
	idx := make(map[string]int, len(lev))
	for i, l := range lev {
		idx[l] = i
	}
	codes := make([]int, len(s))
	for i, x := range s {
		codes[i] = -1
		if x != "" {
			codes[i] = idx[x]
		}
	}
	return &fvalue{codes: codes, levels: lev}
}

// sortText orders text levels as R's sort() does in a UTF-8 locale, by
// the Unicode collation algorithm (ICU's, which R uses; CLDR root order
// for English): case and accents are secondary ("a" "A" "ab" "Ab" "b"
// "e" "é"), spaces and punctuation sort before digits before letters.
// Strings the collation ties are ordered by bytes.
func sortText(lev []string) {
	c := collate.New(language.English)
	slices.SortFunc(lev, func(a, b string) int {
		if r := c.CompareString(a, b); r != 0 {
			return r
		}
		return strings.Compare(a, b)
	})
}

// lag evaluates lag(x, k), lead(x, k) and diff(x, k) within individuals
// on the time index (plm's lag, lead and diff of a pdata.frame column).
func (ev *evaluator) lag(e *Expr, a args, mask []bool) (*fvalue, error) {
	p := ev.p
	n := p.Len()
	k := 1
	kArg := a.named["k"]
	if e.Name == "diff" {
		kArg = a.named["lag"]
	}
	if kArg != nil {
		var err error
		if k, err = ev.constInt(e, kArg, "the number of periods"); err != nil {
			return nil, err
		}
	}
	if e.Name == "lead" {
		k = -k
	}
	if e.Name == "diff" && k < 1 {
		return nil, ev.errorf(e, "%s: diff() wants a lag of 1 or more", e)
	}
	pos := ev.positions()
	T := p.T()
	src := make([]int, n)
	var srcMask []bool
	if mask != nil {
		srcMask = make([]bool, n)
	}
	for r := 0; r < n; r++ {
		src[r] = -1
		if t := p.Time[r] - k; t >= 0 && t < T {
			src[r] = pos[p.ID[r]*T+t]
		}
		if mask != nil && mask[r] {
			if src[r] >= 0 {
				srcMask[src[r]] = true
			}
			if e.Name == "diff" {
				srcMask[r] = true
			}
		}
	}
	v, err := ev.eval(a.named["x"], srcMask)
	if err != nil {
		return nil, err
	}
	if v.codes != nil || v.str != nil {
		if e.Name == "diff" {
			return nil, ev.errorf(e, "%s: diff() of %s is not meaningful", e, v.kind())
		}
		lab := labels(v)
		out := make([]string, n)
		for r := range out {
			if src[r] >= 0 {
				out[r] = lab[src[r]]
			}
		}
		if v.codes != nil {
			codes := make([]int, n)
			for r := range codes {
				codes[r] = -1
				if src[r] >= 0 {
					codes[r] = v.codes[src[r]]
				}
			}
			return &fvalue{codes: codes, levels: v.levels}, nil
		}
		return &fvalue{str: out}, nil
	}
	x, err := ev.asNumeric(a.named["x"], v)
	if err != nil {
		return nil, err
	}
	out := make([]float64, n)
	for r := range out {
		out[r] = math.NaN()
		if src[r] >= 0 {
			out[r] = x[src[r]]
		}
		if e.Name == "diff" {
			out[r] = x[r] - out[r]
		}
	}
	return &fvalue{num: out, logical: v.logical && e.Name != "diff", integer: v.integer || v.logical && e.Name == "diff"}, nil
}

// scale centres and scales a column as R's scale(x, center, scale): by
// its mean and its standard deviation sqrt(Σ(x − x̄)²/(n − 1)) over the
// values present (the root mean square sqrt(Σx²/(n − 1)) without
// centring). The result is a one-column matrix named as the call.
func (ev *evaluator) scale(e *Expr, a args, mask []bool) (*fvalue, error) {
	x, err := ev.numeric(a.named["x"], mask)
	if err != nil {
		return nil, err
	}
	center, scl := true, true
	if c := a.named["center"]; c != nil {
		if center, err = ev.constBool(e, c, "center"); err != nil {
			return nil, err
		}
	}
	if s := a.named["scale"]; s != nil {
		if scl, err = ev.constBool(e, s, "scale"); err != nil {
			return nil, err
		}
	}
	out := slices.Clone(x)
	if center {
		var s float64
		m := 0
		for _, v := range x {
			if !math.IsNaN(v) {
				s += v
				m++
			}
		}
		mean := s / float64(m)
		for i := range out {
			out[i] -= mean
		}
	}
	if scl {
		var ss float64
		m := 0
		for _, v := range out {
			if !math.IsNaN(v) {
				ss += v * v
				m++
			}
		}
		sd := math.Sqrt(ss / float64(m-1))
		if !(sd > 0) || math.IsInf(sd, 0) {
			return nil, ev.errorf(e, "%s: %s has no spread to scale by (R gives NaN)", e, a.named["x"])
		}
		for i := range out {
			out[i] /= sd
		}
	}
	return &fvalue{cols: [][]float64{out}}, nil
}

// poly returns the orthogonal polynomials of degree 1..k of x as R's
// poly(x, k): the three-term recurrence (Kennedy and Gentle 1980, §8.7)
//
//	p₀ = 1, p₁ = x − α₀, p_{j+1} = (x − α_j) p_j − (‖p_j‖²/‖p_{j−1}‖²) p_{j−1},
//	α_j = Σ x p_j² / ‖p_j‖²,
//
// each column p_j/‖p_j‖, named "1" … "k". With raw = TRUE the columns are
// x, x², …, x^k.
func (ev *evaluator) poly(e *Expr, a args, mask []bool) (*fvalue, error) {
	if a.named["coefs"] != nil {
		return nil, ev.errorf(e, "%s: coefs is for predicting, not fitting", e)
	}
	x, err := ev.numeric(a.named["x"], mask)
	if err != nil {
		return nil, err
	}
	degree := 1
	if d := a.named["degree"]; d != nil {
		if degree, err = ev.constInt(e, d, "the degree"); err != nil {
			return nil, err
		}
	}
	if degree < 1 {
		return nil, ev.errorf(e, "%s: 'degree' must be at least 1", e)
	}
	raw := false
	if r := a.named["raw"]; r != nil {
		if raw, err = ev.constBool(e, r, "raw"); err != nil {
			return nil, err
		}
	}
	names := make([]string, degree)
	cols := make([][]float64, degree)
	for j := range names {
		names[j] = strconv.Itoa(j + 1)
		cols[j] = make([]float64, len(x))
	}
	if raw {
		for j := range cols {
			for i, v := range x {
				cols[j][i] = math.Pow(v, float64(j+1))
			}
		}
		return &fvalue{cols: cols, colnames: names}, nil
	}
	uniq := map[float64]bool{}
	for i, v := range x {
		if math.IsNaN(v) {
			return nil, ev.errorf(e, "%s: %s is missing at %s (R: missing values are not allowed in 'poly')", e, a.named["x"], ev.where(i))
		}
		uniq[v] = true
	}
	if degree >= len(uniq) {
		return nil, ev.errorf(e, "%s: the degree must be less than the number of distinct values, %d (R: 'degree' must be less than number of unique points)", e, len(uniq))
	}
	n := float64(len(x))
	var mean float64
	for _, v := range x {
		mean += v
	}
	mean /= n
	prev := make([]float64, len(x)) // p_{j-1}
	cur := make([]float64, len(x))  // p_j
	for i := range prev {
		prev[i] = 1
		cur[i] = x[i] - mean
	}
	normPrev := n
	for j := 0; j < degree; j++ {
		var norm, sx float64
		for i, v := range cur {
			norm += v * v
			sx += x[i] * v * v
		}
		s := math.Sqrt(norm)
		for i, v := range cur {
			cols[j][i] = v / s
		}
		alpha := sx / norm
		next := make([]float64, len(x))
		for i := range next {
			next[i] = (x[i]-alpha)*cur[i] - norm/normPrev*prev[i]
		}
		prev, cur, normPrev = cur, next, norm
	}
	return &fvalue{cols: cols, colnames: names}, nil
}

// wholeNumbers reports whether every value present is a whole number in
// the range of R's integers: a CSV column R's read.csv reads as integer.
func wholeNumbers(v []float64) bool {
	for _, x := range v {
		if !math.IsNaN(x) && (x != math.Trunc(x) || math.Abs(x) > math.MaxInt32) {
			return false
		}
	}
	return true
}

// logicalColumn reads a text column whose values are all R's logical
// constants (TRUE, FALSE, T, F, true, false, True, False; "" missing) as
// read.csv does: a logical column, 1 for true, 0 for false, NaN missing.
func logicalColumn(s []string) ([]float64, bool) {
	out := make([]float64, len(s))
	seen := false
	for i, v := range s {
		switch v {
		case "TRUE", "T", "true", "True":
			out[i] = 1
		case "FALSE", "F", "false", "False":
			out[i] = 0
		case "":
			out[i] = math.NaN()
			continue
		default:
			return nil, false
		}
		seen = true
	}
	return out, seen
}
