package regress

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Formula is a parsed R-style model formula, "y ~ x1 + x2".
//
// The response and each term is an expression of columns and numbers with
// + - * / ^ inside I(), the functions log, exp, sqrt, abs, lag(x, k) (the
// value k periods earlier for the same individual; lead(x, k) later) and
// diff(x, k) (x - lag(x, k)), and factor(col) for dummies of a categorical
// column. "- 1" or "+ 0" drops the intercept; "+ 1" keeps it.
type Formula struct {
	// Source is the formula as given.
	Source string
	// Response is the left-hand side.
	Response *Expr
	// Terms are the right-hand side terms in order (without the intercept).
	Terms []*Expr
	// Intercept reports whether the model has an intercept.
	Intercept bool
}

// Expr is a node of a formula expression.
type Expr struct {
	// Op is "var", "num", "call", "neg" or a binary operator "+ - * / ^".
	Op   string
	Name string // variable or function name
	Num  float64
	Args []*Expr
	// Pos is the byte offset of the node in the formula, for errors.
	Pos int
}

// FormulaError is a syntax error in a formula at byte offset Pos.
type FormulaError struct {
	Formula string
	Pos     int
	Msg     string
}

// Error returns the message with the formula and a caret under the
// offending character.
func (e *FormulaError) Error() string {
	col := utf8.RuneCountInString(e.Formula[:min(e.Pos, len(e.Formula))])
	return fmt.Sprintf("formula: %s at column %d\n  %s\n  %s^", e.Msg, col+1, e.Formula, strings.Repeat(" ", col))
}

type token struct {
	kind string // "id", "num", "op", "eof"
	text string
	pos  int
}

func lexFormula(s string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(s) {
		c, _ := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case unicode.IsLetter(c) || c == '_' || c == '.' && (i+1 == len(s) || !unicode.IsDigit(rune(s[i+1]))):
			j := i
			for j < len(s) {
				r, n := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && r != '.' {
					break
				}
				j += n
			}
			toks = append(toks, token{"id", s[i:j], i})
			i = j
		case c == '`':
			j := strings.IndexByte(s[i+1:], '`')
			if j < 0 {
				return nil, &FormulaError{s, i, "unterminated back-quoted name"}
			}
			if j == 0 {
				return nil, &FormulaError{s, i, "empty back-quoted name"}
			}
			toks = append(toks, token{"id", s[i+1 : i+1+j], i})
			i += j + 2
		case unicode.IsDigit(c) || c == '.':
			j := i
			for j < len(s) && (unicode.IsDigit(rune(s[j])) || s[j] == '.') {
				j++
			}
			if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
				k := j + 1
				if k < len(s) && (s[k] == '+' || s[k] == '-') {
					k++
				}
				if k < len(s) && unicode.IsDigit(rune(s[k])) {
					for k < len(s) && unicode.IsDigit(rune(s[k])) {
						k++
					}
					j = k
				}
			}
			if _, err := strconv.ParseFloat(s[i:j], 64); err != nil {
				return nil, &FormulaError{s, i, fmt.Sprintf("bad number %q", s[i:j])}
			}
			toks = append(toks, token{"num", s[i:j], i})
			i = j
		case strings.ContainsRune("~+-*/^(),", c):
			toks = append(toks, token{"op", string(c), i})
			i++
		default:
			return nil, &FormulaError{s, i, fmt.Sprintf("unexpected character %q", c)}
		}
	}
	toks = append(toks, token{"eof", "", len(s)})
	return toks, nil
}

type parser struct {
	src  string
	toks []token
	k    int
	// inI is the nesting depth of I(): arithmetic is allowed inside it.
	inI int
}

func (p *parser) peek() token { return p.toks[p.k] }
func (p *parser) next() token { t := p.toks[p.k]; p.k++; return t }
func (p *parser) errAt(pos int, format string, args ...any) error {
	return &FormulaError{p.src, pos, fmt.Sprintf(format, args...)}
}
func (p *parser) expect(op string) error {
	t := p.peek()
	if t.kind == "op" && t.text == op {
		p.k++
		return nil
	}
	if t.kind == "eof" {
		return p.errAt(t.pos, "expected %q, found the end", op)
	}
	return p.errAt(t.pos, "expected %q, found %q", op, t.text)
}

// ParseFormula parses an R-style formula; see Formula. A syntax error is a
// *FormulaError pointing at the character.
func ParseFormula(s string) (*Formula, error) {
	toks, err := lexFormula(s)
	if err != nil {
		return nil, err
	}
	p := &parser{src: s, toks: toks}
	f := &Formula{Source: s, Intercept: true}
	if t := p.peek(); t.kind == "op" && t.text == "~" {
		return nil, p.errAt(t.pos, "missing response before '~'")
	}
	f.Response, err = p.sum()
	if err != nil {
		return nil, err
	}
	if err := p.expect("~"); err != nil {
		return nil, err
	}
	sign := "+"
	first := true
	for {
		t := p.peek()
		if t.kind == "eof" {
			if first {
				return nil, p.errAt(t.pos, "missing right-hand side after '~'")
			}
			return nil, p.errAt(t.pos, "missing term after %q", sign)
		}
		if first && t.kind == "op" && (t.text == "-" || t.text == "+") {
			sign = t.text
			p.k++
			t = p.peek()
		}
		if t.kind == "num" {
			v, _ := strconv.ParseFloat(t.text, 64)
			p.k++
			switch {
			case v == 1:
				f.Intercept = sign == "+"
			case v == 0:
				f.Intercept = sign == "-"
			default:
				return nil, p.errAt(t.pos, "a number term must be 0 or 1 (use I() for arithmetic)")
			}
		} else {
			e, err := p.product()
			if err != nil {
				return nil, err
			}
			if sign == "-" {
				// Remove a term written earlier.
				key := e.String()
				i := slices.IndexFunc(f.Terms, func(x *Expr) bool { return x.String() == key })
				if i < 0 {
					return nil, p.errAt(e.Pos, "cannot remove %s: it is not a term", key)
				}
				f.Terms = slices.Delete(f.Terms, i, i+1)
			} else {
				key := e.String()
				if !slices.ContainsFunc(f.Terms, func(x *Expr) bool { return x.String() == key }) {
					f.Terms = append(f.Terms, e)
				}
			}
		}
		first = false
		t = p.next()
		if t.kind == "eof" {
			break
		}
		if t.kind != "op" || (t.text != "+" && t.text != "-") {
			return nil, p.errAt(t.pos, "expected '+' or '-' between terms, found %q", t.text)
		}
		sign = t.text
	}
	return f, nil
}

// sum parses a + b - c (an expression; outside I() only the response may
// use it, where R would also read it as arithmetic).
func (p *parser) sum() (*Expr, error) {
	left, err := p.product()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t.kind != "op" || (t.text != "+" && t.text != "-") || p.inI == 0 {
			return left, nil
		}
		p.k++
		right, err := p.product()
		if err != nil {
			return nil, err
		}
		left = &Expr{Op: t.text, Args: []*Expr{left, right}, Pos: left.Pos}
	}
}

func (p *parser) product() (*Expr, error) {
	left, err := p.unary()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t.kind != "op" || (t.text != "*" && t.text != "/") {
			return left, nil
		}
		if p.inI == 0 {
			return nil, p.errAt(t.pos, "%q outside I(): write I(a %s b)", t.text, t.text)
		}
		p.k++
		right, err := p.unary()
		if err != nil {
			return nil, err
		}
		left = &Expr{Op: t.text, Args: []*Expr{left, right}, Pos: left.Pos}
	}
}

func (p *parser) unary() (*Expr, error) {
	t := p.peek()
	if t.kind == "op" && t.text == "-" && p.inI > 0 {
		p.k++
		e, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &Expr{Op: "neg", Args: []*Expr{e}, Pos: t.pos}, nil
	}
	return p.power()
}

func (p *parser) power() (*Expr, error) {
	base, err := p.atom()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	if t.kind == "op" && t.text == "^" {
		if p.inI == 0 {
			return nil, p.errAt(t.pos, "'^' outside I(): write I(x^2)")
		}
		p.k++
		exp, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &Expr{Op: "^", Args: []*Expr{base, exp}, Pos: base.Pos}, nil
	}
	return base, nil
}

var formulaFuncs = map[string]int{"log": 1, "exp": 1, "sqrt": 1, "abs": 1, "I": 1, "factor": 1, "lag": 2, "lead": 2, "diff": 2}

func (p *parser) atom() (*Expr, error) {
	t := p.next()
	switch t.kind {
	case "num":
		v, _ := strconv.ParseFloat(t.text, 64)
		if p.inI == 0 {
			return nil, p.errAt(t.pos, "a number here must be inside I()")
		}
		return &Expr{Op: "num", Num: v, Pos: t.pos}, nil
	case "id":
		if nt := p.peek(); nt.kind == "op" && nt.text == "(" {
			nargs, ok := formulaFuncs[t.text]
			if !ok {
				return nil, p.errAt(t.pos, "unknown function %q (known: log, exp, sqrt, abs, I, factor, lag, lead, diff)", t.text)
			}
			p.k++
			e := &Expr{Op: "call", Name: t.text, Pos: t.pos}
			if t.text == "I" {
				p.inI++
			}
			arg, err := p.sum0()
			if err != nil {
				return nil, err
			}
			if t.text == "I" {
				p.inI--
			}
			e.Args = append(e.Args, arg)
			if nargs == 2 {
				if nt := p.peek(); nt.kind == "op" && nt.text == "," {
					p.k++
					kt := p.next()
					neg := false
					if kt.kind == "op" && kt.text == "-" {
						neg = true
						kt = p.next()
					}
					k, err := strconv.Atoi(kt.text)
					if kt.kind != "num" || err != nil {
						return nil, p.errAt(kt.pos, "%s() wants a whole number of periods", t.text)
					}
					if neg {
						k = -k
					}
					e.Args = append(e.Args, &Expr{Op: "num", Num: float64(k), Pos: kt.pos})
				} else {
					e.Args = append(e.Args, &Expr{Op: "num", Num: 1, Pos: e.Pos})
				}
			}
			if t.text == "factor" && arg.Op != "var" {
				return nil, p.errAt(arg.Pos, "factor() takes a column name")
			}
			if err := p.expect(")"); err != nil {
				return nil, err
			}
			return e, nil
		}
		if t.text == "." {
			return nil, p.errAt(t.pos, "'.' (all other columns) is not supported: list the terms")
		}
		return &Expr{Op: "var", Name: t.text, Pos: t.pos}, nil
	case "op":
		if t.text == "(" {
			e, err := p.sum0()
			if err != nil {
				return nil, err
			}
			if err := p.expect(")"); err != nil {
				return nil, err
			}
			return e, nil
		}
		return nil, p.errAt(t.pos, "unexpected %q", t.text)
	}
	return nil, p.errAt(t.pos, "unexpected end of formula")
}

// sum0 parses a function argument: a full expression.
func (p *parser) sum0() (*Expr, error) {
	if p.inI > 0 {
		return p.sum()
	}
	return p.product()
}

// String deparses an expression as R does: "log(pcap)", "I(x^2)",
// "I(a + b)", "lag(x, 1)", "I(a * b)", "I(a/b)".
func (e *Expr) String() string {
	var b strings.Builder
	e.write(&b, 0)
	return b.String()
}

func prec(op string) int {
	switch op {
	case "+", "-":
		return 1
	case "*", "/":
		return 2
	case "neg":
		return 3
	case "^":
		return 4
	}
	return 5
}

func (e *Expr) write(b *strings.Builder, parent int) {
	switch e.Op {
	case "var":
		if syntacticName(e.Name) {
			b.WriteString(e.Name)
		} else {
			b.WriteString("`" + e.Name + "`")
		}
	case "num":
		b.WriteString(strconv.FormatFloat(e.Num, 'g', -1, 64))
	case "call":
		b.WriteString(e.Name)
		b.WriteByte('(')
		e.Args[0].write(b, 0)
		if len(e.Args) > 1 {
			b.WriteString(", ")
			e.Args[1].write(b, 0)
		}
		b.WriteByte(')')
	case "neg":
		if parent > prec("neg") {
			b.WriteByte('(')
		}
		b.WriteByte('-')
		e.Args[0].write(b, prec("neg"))
		if parent > prec("neg") {
			b.WriteByte(')')
		}
	default:
		pr := prec(e.Op)
		if parent > pr {
			b.WriteByte('(')
		}
		e.Args[0].write(b, pr)
		switch e.Op {
		case "^", "/":
			b.WriteString(e.Op)
		default:
			b.WriteString(" " + e.Op + " ")
		}
		// Right operand binds tighter for non-associative ops.
		rp := pr + 1
		if e.Op == "^" {
			rp = pr
		}
		e.Args[1].write(b, rp)
		if parent > pr {
			b.WriteByte(')')
		}
	}
}

// Variables returns the column names the formula uses, in order of first
// appearance.
func (f *Formula) Variables() []string {
	var out []string
	var walk func(e *Expr)
	walk = func(e *Expr) {
		if e.Op == "var" && !slices.Contains(out, e.Name) {
			out = append(out, e.Name)
		}
		for _, a := range e.Args {
			walk(a)
		}
	}
	walk(f.Response)
	for _, t := range f.Terms {
		walk(t)
	}
	return out
}

// String returns the formula deparsed as R prints it.
func (f *Formula) String() string {
	var parts []string
	for _, t := range f.Terms {
		parts = append(parts, t.String())
	}
	rhs := strings.Join(parts, " + ")
	if !f.Intercept {
		if rhs == "" {
			rhs = "0"
		} else {
			rhs += " - 1"
		}
	} else if rhs == "" {
		rhs = "1"
	}
	return f.Response.String() + " ~ " + rhs
}

// syntacticName reports whether s can be written without back-quotes: a
// letter or a dot not followed by a digit, then letters, digits, dots and
// underscores, and not a function name.
func syntacticName(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		switch {
		case unicode.IsLetter(c), c == '.':
		case c == '_' || unicode.IsDigit(c):
			if i == 0 {
				return false
			}
		default:
			return false
		}
	}
	if s[0] == '.' && len(s) > 1 && unicode.IsDigit(rune(s[1])) {
		return false
	}
	return true
}
