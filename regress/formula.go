package regress

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Formula is a parsed R model formula, "y ~ x1 * x2 + poly(x3, 2)", with
// its terms expanded as R's terms.formula does (see the package
// documentation for the grammar).
type Formula struct {
	// Source is the formula as given.
	Source string
	// Response is the left-hand side.
	Response *Expr
	// RHS is the right-hand side as written.
	RHS *Expr
	// Vars are R's "variables": the response, then every expression the
	// right-hand side combines with the formula operators + - * / : ^
	// %in%, in order of first appearance (log(pcap), factor(region),
	// unemp > 6 …). Terms index them.
	Vars []*Expr
	// Terms are the model terms in R's order: by the number of variables
	// they combine (main effects, then two-way interactions …), otherwise
	// in order of appearance; repeats are dropped.
	Terms []Term
	// Intercept reports whether the model has an intercept.
	Intercept bool
	// Offsets are the arguments of offset() terms, subtracted from the
	// response by the linear models.
	Offsets []*Expr
	// dot reports that the right-hand side uses '.', expanded by Design.
	dot bool
}

// Term is one model term: the interaction of the variables Vars (indices
// into Formula.Vars, increasing). A main effect has one variable.
type Term struct {
	Vars []int
	// Label is R's term label, the variables' expressions joined by ":".
	Label string
}

// Expr is a node of a formula expression as R parses it.
type Expr struct {
	// Op is "var" (a column), "num", "str", "call", "(" (parentheses as
	// written), the unary "neg", "pos" and "!", or a binary operator:
	// "~" "+" "-" "*" "/" "^" ":" "%in%" "%%" "%/%" "<" ">" "<=" ">="
	// "==" "!=" "&" "&&" "|" "||".
	Op string
	// Name is the column or function name.
	Name string
	// Num is a number's value; Int marks an integer literal (2L).
	Num float64
	Int bool
	// Str is a string literal's value.
	Str string
	// Args are the operands or call arguments; ArgNames the names of
	// named arguments ("" for positional ones).
	Args     []*Expr
	ArgNames []string
	// Pos is the byte offset of the node (of the operator for operators)
	// in the formula, for errors.
	Pos int
	// quoted marks a back-quoted name (`TRUE` is a column, TRUE is not).
	quoted bool
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
	src := strings.NewReplacer("\n", " ", "\t", " ", "\r", " ").Replace(e.Formula)
	col := utf8.RuneCountInString(src[:min(max(e.Pos, 0), len(src))])
	return fmt.Sprintf("formula: %s at column %d\n  %s\n  %s^", e.Msg, col+1, src, strings.Repeat(" ", col))
}

type token struct {
	kind string // "id", "num", "str", "op", "eof"
	text string
	pos  int
	// quoted marks a back-quoted id; for "str" text is the value.
	quoted bool
}

// refused are R operators agglo does not evaluate, with what to write.
var refused = map[string]string{
	"<-":  "assignment '<-' is not allowed in a formula",
	"<<-": "assignment '<<-' is not allowed in a formula",
	"->":  "assignment '->' is not allowed in a formula",
	"$":   "'$' (list element) is not supported: name the column",
	"@":   "'@' (slot) is not supported: name the column",
	"[":   "indexing with '[' is not supported: make the column beforehand",
	"]":   "unexpected ']'",
	"{":   "braces are not supported in a formula",
	"}":   "unexpected '}'",
	"?":   "'?' is not supported in a formula",
	"::":  "'::' is not supported: name the function without its package",
	"|>":  "the pipe '|>' is not supported in a formula",
	";":   "';' is not supported in a formula",
	"\\":  "lambdas are not supported in a formula",
}

func lexFormula(s string) ([]token, error) {
	if !utf8.ValidString(s) {
		i := 0
		for i < len(s) {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				break
			}
			i += n
		}
		return nil, &FormulaError{strings.ToValidUTF8(s, "?"), i, "invalid UTF-8"}
	}
	var toks []token
	i := 0
	for i < len(s) {
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(c):
			i += size
		case unicode.IsLetter(c) || c == '.' && !(i+1 < len(s) && isDigit(s[i+1])):
			j := i
			for j < len(s) {
				r, n := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && r != '.' {
					break
				}
				j += n
			}
			toks = append(toks, token{kind: "id", text: s[i:j], pos: i})
			i = j
		case c == '`':
			j := strings.IndexByte(s[i+1:], '`')
			if j < 0 {
				return nil, &FormulaError{s, i, "unterminated back-quoted name"}
			}
			if j == 0 {
				return nil, &FormulaError{s, i, "empty back-quoted name"}
			}
			toks = append(toks, token{kind: "id", text: s[i+1 : i+1+j], pos: i, quoted: true})
			i += j + 2
		case c == '"' || c == '\'':
			v, n, err := lexString(s[i:])
			if err != nil {
				return nil, &FormulaError{s, i, err.Error()}
			}
			toks = append(toks, token{kind: "str", text: v, pos: i})
			i += n
		case isDigit(s[i]) || c == '.':
			j := i
			for j < len(s) && (isDigit(s[j]) || s[j] == '.') {
				j++
			}
			if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
				k := j + 1
				if k < len(s) && (s[k] == '+' || s[k] == '-') {
					k++
				}
				if k >= len(s) || !isDigit(s[k]) {
					return nil, &FormulaError{s, i, fmt.Sprintf("bad number %q", s[i:min(k+1, len(s))])}
				}
				for k < len(s) && isDigit(s[k]) {
					k++
				}
				j = k
			}
			text := s[i:j]
			if _, err := strconv.ParseFloat(text, 64); err != nil {
				return nil, &FormulaError{s, i, fmt.Sprintf("bad number %q", text)}
			}
			if j < len(s) && s[j] == 'L' {
				j++
			}
			if j < len(s) {
				if r, _ := utf8.DecodeRuneInString(s[j:]); unicode.IsLetter(r) || r == '_' {
					return nil, &FormulaError{s, j, fmt.Sprintf("unexpected %q after a number", r)}
				}
			}
			toks = append(toks, token{kind: "num", text: s[i:j], pos: i})
			i = j
		case c == '%':
			j := strings.IndexByte(s[i+1:], '%')
			if j < 0 {
				return nil, &FormulaError{s, i, "unterminated %operator%"}
			}
			toks = append(toks, token{kind: "op", text: s[i : i+j+2], pos: i})
			i += j + 2
		default:
			op := ""
			for _, cand := range []string{"<<-", "<-", "->", "<=", ">=", "==", "!=", "&&", "||", "::", "|>"} {
				if strings.HasPrefix(s[i:], cand) {
					op = cand
					break
				}
			}
			if op == "" && strings.ContainsRune("~+-*/^(),:=<>!&|$@[]{}?;\\", c) {
				op = string(c)
			}
			if op == "" {
				return nil, &FormulaError{s, i, fmt.Sprintf("unexpected character %q", c)}
			}
			if msg, ok := refused[op]; ok {
				return nil, &FormulaError{s, i, msg}
			}
			toks = append(toks, token{kind: "op", text: op, pos: i})
			i += len(op)
		}
	}
	toks = append(toks, token{kind: "eof", pos: len(s)})
	return toks, nil
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// lexString reads a quoted string literal at the start of s and returns
// its value and length, with R's escapes \n \t \r \0 \\ \" \' \xhh \uXXXX.
func lexString(s string) (string, int, error) {
	q := s[0]
	var b strings.Builder
	for i := 1; i < len(s); {
		c := s[i]
		switch {
		case c == q:
			return b.String(), i + 1, nil
		case c == '\\':
			if i+1 >= len(s) {
				return "", 0, fmt.Errorf("unterminated string")
			}
			e := s[i+1]
			i += 2
			switch e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case '\\', '"', '\'', '`', ' ':
				b.WriteByte(e)
			case 'x', 'u', 'U':
				n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
				if i+n > len(s) {
					return "", 0, fmt.Errorf("bad escape \\%c in a string", e)
				}
				v, err := strconv.ParseUint(s[i:i+n], 16, 32)
				if err != nil || v == 0 || e == 'x' && v > 0x7f || !utf8.ValidRune(rune(v)) {
					return "", 0, fmt.Errorf("bad escape \\%c%s in a string", e, s[i:i+n])
				}
				b.WriteRune(rune(v))
				i += n
			default:
				return "", 0, fmt.Errorf("unknown escape \\%c in a string", e)
			}
		default:
			b.WriteByte(c)
			i++
		}
	}
	return "", 0, fmt.Errorf("unterminated string")
}

// Binding powers of R's binary operators (R Language Definition §10.4.2,
// ?Syntax), lowest first.
const (
	precTilde = 1 + iota
	precOr
	precAnd
	precNot
	precCompare
	precSum
	precProduct
	precSpecial
	precColon
	precUnary
	precPower
)

func binaryPrec(op string) int {
	switch op {
	case "~":
		return precTilde
	case "|", "||":
		return precOr
	case "&", "&&":
		return precAnd
	case "<", ">", "<=", ">=", "==", "!=":
		return precCompare
	case "+", "-":
		return precSum
	case "*", "/":
		return precProduct
	case ":":
		return precColon
	case "^":
		return precPower
	}
	if len(op) >= 2 && op[0] == '%' && op[len(op)-1] == '%' {
		return precSpecial
	}
	return 0
}

type parser struct {
	src  string
	toks []token
	k    int
}

func (p *parser) peek() token { return p.toks[p.k] }
func (p *parser) next() token { t := p.toks[p.k]; p.k++; return t }
func (p *parser) errAt(pos int, format string, args ...any) error {
	return &FormulaError{p.src, pos, fmt.Sprintf(format, args...)}
}
func (p *parser) isOp(text string) bool {
	t := p.peek()
	return t.kind == "op" && t.text == text
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

// expr parses an expression whose binary operators bind at least as
// tightly as minPrec (precedence climbing with R's table).
func (p *parser) expr(minPrec int) (*Expr, error) {
	left, err := p.prefix()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t.kind != "op" {
			return left, nil
		}
		pr := binaryPrec(t.text)
		if pr == 0 || pr < minPrec {
			return left, nil
		}
		p.k++
		next := pr + 1
		if t.text == "^" {
			next = pr // right-associative
		}
		right, err := p.expr(next)
		if err != nil {
			return nil, err
		}
		left = &Expr{Op: t.text, Args: []*Expr{left, right}, Pos: t.pos}
		if pr == precCompare {
			if nt := p.peek(); nt.kind == "op" && binaryPrec(nt.text) == precCompare {
				return nil, p.errAt(nt.pos, "comparisons do not chain in R: write (a < b) & (b < c)")
			}
		}
	}
}

// prefix parses a unary operator and its operand, or a primary.
func (p *parser) prefix() (*Expr, error) {
	t := p.peek()
	if t.kind == "op" {
		var op string
		var pr int
		switch t.text {
		case "-":
			op, pr = "neg", precUnary
		case "+":
			op, pr = "pos", precUnary
		case "!":
			op, pr = "!", precNot
		case "~":
			return nil, p.errAt(t.pos, "missing response before '~'")
		}
		if op != "" {
			p.k++
			e, err := p.expr(pr)
			if err != nil {
				return nil, err
			}
			return &Expr{Op: op, Args: []*Expr{e}, Pos: t.pos}, nil
		}
	}
	return p.primary()
}

func (p *parser) primary() (*Expr, error) {
	t := p.next()
	switch t.kind {
	case "num":
		e := &Expr{Op: "num", Pos: t.pos}
		text := t.text
		if strings.HasSuffix(text, "L") {
			e.Int = true
			text = strings.TrimSuffix(text, "L")
		}
		e.Num, _ = strconv.ParseFloat(text, 64)
		if e.Int && (e.Num != math.Trunc(e.Num) || math.Abs(e.Num) > math.MaxInt32) {
			e.Int = false
		}
		return e, nil
	case "str":
		return &Expr{Op: "str", Str: t.text, Pos: t.pos}, nil
	case "id":
		if p.isOp("(") {
			return p.call(t)
		}
		if !t.quoted && reservedWord(t.text) {
			switch t.text {
			case "TRUE", "FALSE":
			case "Inf":
				return &Expr{Op: "num", Num: math.Inf(1), Pos: t.pos}, nil
			default:
				return nil, p.errAt(t.pos, "R's %s is not supported in a formula", t.text)
			}
		}
		return &Expr{Op: "var", Name: t.text, Pos: t.pos, quoted: t.quoted}, nil
	case "op":
		if t.text == "(" {
			e, err := p.expr(precTilde)
			if err != nil {
				return nil, err
			}
			if err := p.expect(")"); err != nil {
				return nil, err
			}
			return &Expr{Op: "(", Args: []*Expr{e}, Pos: t.pos}, nil
		}
		return nil, p.errAt(t.pos, "unexpected %q", t.text)
	}
	return nil, p.errAt(t.pos, "unexpected end of formula")
}

// call parses the arguments of a function call; the function must be one
// Design evaluates.
func (p *parser) call(name token) (*Expr, error) {
	fn, ok := formulaFuncs[name.text]
	if !ok {
		return nil, p.errAt(name.pos, "unknown function %q (known: %s)", name.text, knownFuncs())
	}
	p.k++ // (
	e := &Expr{Op: "call", Name: name.text, Pos: name.pos}
	if !p.isOp(")") {
		for {
			argName := ""
			if t := p.peek(); (t.kind == "id" || t.kind == "str") && p.toks[p.k+1].kind == "op" && p.toks[p.k+1].text == "=" {
				argName = t.text
				p.k += 2
			}
			if p.isOp(",") || p.isOp(")") {
				return nil, p.errAt(p.peek().pos, "missing argument of %s()", name.text)
			}
			a, err := p.expr(precTilde)
			if err != nil {
				return nil, err
			}
			e.Args = append(e.Args, a)
			e.ArgNames = append(e.ArgNames, argName)
			if !p.isOp(",") {
				break
			}
			p.k++
		}
	}
	if err := p.expect(")"); err != nil {
		return nil, err
	}
	if _, err := fn.match(e); err != nil {
		return nil, p.errAt(name.pos, "%v", err)
	}
	return e, nil
}

// ParseFormula parses an R formula and expands its terms as R's
// terms.formula does; see the package documentation for the grammar. A
// syntax error, or a formula R would refuse, is a *FormulaError pointing at
// the character.
func ParseFormula(s string) (*Formula, error) {
	toks, err := lexFormula(s)
	if err != nil {
		return nil, err
	}
	p := &parser{src: s, toks: toks}
	if t := p.peek(); t.kind == "op" && t.text == "~" {
		return nil, p.errAt(t.pos, "missing response before '~'")
	}
	e, err := p.expr(precTilde)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != "eof" {
		if t.kind == "op" && t.text == "=" {
			return nil, p.errAt(t.pos, "'=' is only for named arguments of a function")
		}
		if t.kind == "op" && t.text == ")" {
			return nil, p.errAt(t.pos, "unmatched ')'")
		}
		if e.Op != "~" {
			return nil, p.errAt(t.pos, "expected '~' after the response, found %q", t.text)
		}
		return nil, p.errAt(t.pos, "expected an operator between terms, found %q", t.text)
	}
	if e.Op != "~" {
		return nil, p.errAt(len(s), "missing '~' and right-hand side")
	}
	f := &Formula{Source: s, Response: e.Args[0], RHS: e.Args[1]}
	var check func(x *Expr) error
	check = func(x *Expr) error {
		if x.Op == "~" {
			return p.errAt(x.Pos, "a formula has one '~'")
		}
		for _, a := range x.Args {
			if err := check(a); err != nil {
				return err
			}
		}
		return nil
	}
	if err := check(f.Response); err != nil {
		return nil, err
	}
	if err := check(f.RHS); err != nil {
		return nil, err
	}
	if err := f.expand(nil); err != nil {
		return nil, err
	}
	return f, nil
}

// expand computes Vars, Terms and Intercept from the right-hand side; dot
// lists the columns '.' stands for (nil: '.' stays a variable).
func (f *Formula) expand(dot []string) error {
	b := &termBuilder{f: f, dot: dot, intercept: true}
	f.Vars = nil
	f.Offsets = nil
	f.dot = false
	b.install(f.Response)
	terms, err := b.encode(f.RHS, true)
	if err != nil {
		return err
	}
	slices.SortStableFunc(terms, func(a, b []int) int { return len(a) - len(b) })
	f.Terms = make([]Term, len(terms))
	for i, t := range terms {
		labels := make([]string, len(t))
		for k, v := range t {
			labels[k] = f.Vars[v].String()
		}
		f.Terms[i] = Term{Vars: t, Label: strings.Join(labels, ":")}
	}
	f.Intercept = b.intercept
	return nil
}

type termBuilder struct {
	f         *Formula
	dot       []string
	intercept bool
}

func (b *termBuilder) errAt(e *Expr, format string, args ...any) error {
	return &FormulaError{b.f.Source, e.Pos, fmt.Sprintf(format, args...)}
}

// install returns the index of the variable e, adding it if new.
// Variables are the same when they deparse the same, as R's identical
// expressions do.
func (b *termBuilder) install(e *Expr) int {
	key := e.String()
	for i, v := range b.f.Vars {
		if v.String() == key {
			return i
		}
	}
	b.f.Vars = append(b.f.Vars, e)
	return len(b.f.Vars) - 1
}

// encode returns the terms of e (each a sorted list of variable indices)
// following R's model.c: parity is false inside a '-' so that 1 and 0 act
// on the intercept the other way.
func (b *termBuilder) encode(e *Expr, parity bool) ([][]int, error) {
	switch e.Op {
	case "(":
		return b.encode(e.Args[0], parity)
	case "num":
		switch e.Num {
		case 1:
			b.intercept = parity
		case 0:
			b.intercept = !parity
		default:
			return nil, b.errAt(e, "a number term must be 0 or 1 (R: invalid model formula); for arithmetic write I(...)")
		}
		return nil, nil
	case "pos":
		return b.encode(e.Args[0], parity)
	case "neg":
		if _, err := b.encode(e.Args[0], !parity); err != nil {
			return nil, err
		}
		return nil, nil
	case "+":
		l, err := b.encode(e.Args[0], parity)
		if err != nil {
			return nil, err
		}
		r, err := b.encode(e.Args[1], parity)
		if err != nil {
			return nil, err
		}
		return trimRepeats(append(l, r...)), nil
	case "-":
		l, err := b.encode(e.Args[0], parity)
		if err != nil {
			return nil, err
		}
		r, err := b.encode(e.Args[1], !parity)
		if err != nil {
			return nil, err
		}
		return slices.DeleteFunc(l, func(t []int) bool {
			return slices.ContainsFunc(r, func(u []int) bool { return slices.Equal(t, u) })
		}), nil
	case "*", ":", "/", "%in%":
		l, err := b.encode(e.Args[0], parity)
		if err != nil {
			return nil, err
		}
		r, err := b.encode(e.Args[1], parity)
		if err != nil {
			return nil, err
		}
		var out [][]int
		switch e.Op {
		case "*":
			out = append(append(l, r...), interact(l, r)...)
		case ":":
			out = interact(l, r)
		case "/":
			// a/b = a + a:b, all of a's variables in one term.
			out = append(l, interact([][]int{unionAll(l)}, r)...)
		case "%in%":
			out = interact(l, [][]int{unionAll(r)})
		}
		return trimRepeats(out), nil
	case "^":
		l, err := b.encode(e.Args[0], parity)
		if err != nil {
			return nil, err
		}
		k := e.Args[1]
		for k.Op == "(" {
			k = k.Args[0]
		}
		if k.Op != "num" || k.Num != math.Trunc(k.Num) || k.Num < 2 || k.Num > 64 {
			return nil, b.errAt(e, "'^' in a formula wants a whole power of 2 or more (interactions up to that order); for a power write I(x^2) or poly(x, 2)")
		}
		if len(l) == 1 && !(b.dot == nil && slices.ContainsFunc(l[0], func(v int) bool { return b.f.Vars[v].Op == "var" && b.f.Vars[v].Name == "." })) {
			return nil, b.errAt(e, "R reads %s as %s (interactions of a single term): for the power write I(%s) or poly(%s, %s, raw = TRUE)",
				e.String(), e.Args[0].String(), e.String(), e.Args[0].String(), k.String())
		}
		right := l
		for i := 1; i < int(k.Num); i++ {
			right = trimRepeats(interact(l, right))
			if len(right) > 1<<14 {
				return nil, b.errAt(e, "%s expands to more than %d terms", e, 1<<14)
			}
		}
		return right, nil
	case "var":
		if e.Name == "." && !e.quoted {
			b.f.dot = true
			if b.dot == nil {
				return [][]int{{b.install(e)}}, nil
			}
			var out [][]int
			for _, c := range b.dot {
				if b.isResponseColumn(c) {
					continue
				}
				out = append(out, []int{b.install(&Expr{Op: "var", Name: c, Pos: e.Pos, quoted: true})})
			}
			return out, nil
		}
	case "str":
		return nil, b.errAt(e, "a string is not a model term (R: invalid term in model formula)")
	case "|", "||":
		return nil, b.errAt(e, "'|' between terms (plm's instruments, fixest's fixed effects) is not supported: use --effects for fixed effects; inside I() it is R's logical or")
	case "call":
		if e.Name == "offset" {
			b.f.Offsets = append(b.f.Offsets, e.Args[0])
			b.install(e)
			return nil, nil
		}
	}
	if err := b.checkVariable(e); err != nil {
		return nil, err
	}
	data := false
	e.walk(func(x *Expr) { data = data || x.Op == "var" && !isConstantName(x) })
	if !data {
		return nil, b.errAt(e, "%s is a constant, not a model term (R: variable lengths differ)", e)
	}
	return [][]int{{b.install(e)}}, nil
}

// isResponseColumn reports whether the response is the column c or uses
// it ('.' leaves out the columns of the left-hand side, as R does).
func (b *termBuilder) isResponseColumn(c string) bool {
	found := false
	b.f.Response.walk(func(x *Expr) {
		if x.Op == "var" && x.Name == c {
			found = true
		}
	})
	return found
}

// checkVariable refuses a variable using '.' or offset() inside an
// expression.
func (b *termBuilder) checkVariable(e *Expr) error {
	var err error
	e.walk(func(x *Expr) {
		if err != nil {
			return
		}
		switch {
		case x.Op == "var" && x.Name == "." && !x.quoted:
			err = b.errAt(x, "'.' (all other columns) can only be a term of its own")
		case x.Op == "call" && x.Name == "offset" && x != e:
			err = b.errAt(x, "offset() must be a term of its own")
		}
	})
	return err
}

func (e *Expr) walk(fn func(*Expr)) {
	fn(e)
	for _, a := range e.Args {
		a.walk(fn)
	}
}

// interact returns every union of a term of l with a term of r, l outer.
func interact(l, r [][]int) [][]int {
	var out [][]int
	for _, a := range l {
		for _, c := range r {
			out = append(out, union(a, c))
		}
	}
	return out
}

func union(a, c []int) []int {
	u := append(slices.Clone(a), c...)
	slices.Sort(u)
	return slices.Compact(u)
}

func unionAll(ts [][]int) []int {
	var u []int
	for _, t := range ts {
		u = union(u, t)
	}
	return u
}

// trimRepeats drops repeated and empty terms, keeping the first.
func trimRepeats(ts [][]int) [][]int {
	var out [][]int
	seen := map[string]bool{}
	for _, t := range ts {
		key := fmt.Sprint(t)
		if len(t) > 0 && !seen[key] {
			seen[key] = true
			out = append(out, t)
		}
	}
	return out
}

// String deparses an expression as R's deparse does: "log(pcap/emp)",
// "log(pcap + 1)", "I(x^2)", "poly(unemp, 2, raw = TRUE)",
// "relevel(factor(region), ref = \"5\")". Parentheses are kept as written.
//
// Integer literals lose their L, as in R's term labels (2L prints 2).
func (e *Expr) String() string {
	var b strings.Builder
	e.write(&b, false)
	return b.String()
}

// write deparses e; keepInt keeps the L of integer literals, as R prints
// a formula.
func (e *Expr) write(b *strings.Builder, keepInt bool) {
	switch e.Op {
	case "var":
		constant := isConstantWord(e.Name)
		if (syntacticName(e.Name) || !e.quoted && constant) && !(e.quoted && constant) {
			b.WriteString(e.Name)
		} else {
			b.WriteString("`" + e.Name + "`")
		}
	case "num":
		b.WriteString(formatRNumber(e.Num))
		if e.Int && keepInt {
			b.WriteByte('L')
		}
	case "str":
		b.WriteString(quoteRString(e.Str))
	case "call":
		if syntacticName(e.Name) {
			b.WriteString(e.Name)
		} else {
			b.WriteString("`" + e.Name + "`")
		}
		b.WriteByte('(')
		for i, a := range e.Args {
			if i > 0 {
				b.WriteString(", ")
			}
			if e.ArgNames[i] != "" {
				if syntacticName(e.ArgNames[i]) {
					b.WriteString(e.ArgNames[i])
				} else {
					b.WriteString("`" + e.ArgNames[i] + "`")
				}
				b.WriteString(" = ")
			}
			a.write(b, keepInt)
		}
		b.WriteByte(')')
	case "(":
		b.WriteByte('(')
		e.Args[0].write(b, keepInt)
		b.WriteByte(')')
	case "neg", "pos", "!":
		b.WriteString(map[string]string{"neg": "-", "pos": "+", "!": "!"}[e.Op])
		e.Args[0].write(b, keepInt)
	default:
		e.Args[0].write(b, keepInt)
		switch e.Op {
		case "^", "/", ":", "%%", "%/%":
			b.WriteString(e.Op)
		default:
			b.WriteString(" " + e.Op + " ")
		}
		e.Args[1].write(b, keepInt)
	}
}

// formatRNumber formats x as R prints a double with 15 significant
// digits: fixed notation unless scientific is shorter (1e+05, 1e-04).
func formatRNumber(x float64) string {
	if math.IsInf(x, 1) {
		return "Inf"
	}
	if x == 0 {
		return "0"
	}
	s := strconv.FormatFloat(x, 'g', 15, 64)
	v, _ := strconv.ParseFloat(s, 64)
	// Shortest fixed and scientific forms of the 15-digit value.
	fixed := strconv.FormatFloat(v, 'f', -1, 64)
	sci := strconv.FormatFloat(v, 'e', -1, 64)
	// R writes the exponent with at least two digits: 1e+05, 1e-04.
	if i := strings.IndexByte(sci, 'e'); i >= 0 {
		mant, exp := sci[:i], sci[i+1:]
		sign := exp[0]
		digits := strings.TrimLeft(exp[1:], "0")
		for len(digits) < 2 {
			digits = "0" + digits
		}
		sci = mant + "e" + string(sign) + digits
	}
	if len(fixed) <= len(sci) {
		return fixed
	}
	return sci
}

// quoteRString writes s as R's deparse does, in double quotes.
func quoteRString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if r < 0x20 || r == 0x7f {
				fmt.Fprintf(&b, `\x%02x`, r)
			} else if !unicode.IsPrint(r) && r <= 0xffff {
				fmt.Fprintf(&b, `\u%04x`, r)
			} else if !unicode.IsPrint(r) {
				fmt.Fprintf(&b, `\U%08x`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// Variables returns the data columns the formula uses, in order of first
// appearance, or nil when it uses '.' (every column).
func (f *Formula) Variables() []string {
	if f.dot {
		return nil
	}
	var out []string
	add := func(e *Expr) {
		e.walk(func(x *Expr) {
			if x.Op == "var" && !isConstantName(x) && !slices.Contains(out, x.Name) {
				out = append(out, x.Name)
			}
		})
	}
	add(f.Response)
	add(f.RHS)
	return out
}

// isConstantName reports whether a name is R's TRUE, FALSE, T, F or pi
// (not back-quoted).
func isConstantName(e *Expr) bool {
	return !e.quoted && isConstantWord(e.Name)
}

func isConstantWord(s string) bool {
	switch s {
	case "TRUE", "FALSE", "T", "F", "pi":
		return true
	}
	return false
}

// String returns the formula deparsed as R prints it: "y ~ x1 * x2".
func (f *Formula) String() string {
	var b strings.Builder
	f.Response.write(&b, true)
	b.WriteString(" ~ ")
	f.RHS.write(&b, true)
	return b.String()
}

// TermLabels returns the labels of the terms, as R's attr(terms,
// "term.labels"): "unemp", "log(emp)", "unemp:log(emp)".
func (f *Formula) TermLabels() []string {
	out := make([]string, len(f.Terms))
	for i, t := range f.Terms {
		out[i] = t.Label
	}
	return out
}

// syntacticName reports whether s can be written without back-quotes: a
// letter or a dot not followed by a digit, then letters, digits, dots and
// underscores, and not a reserved word.
func syntacticName(s string) bool {
	if s == "" || reservedWord(s) {
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
	if s[0] == '.' && len(s) > 1 && isDigit(s[1]) {
		return false
	}
	return true
}

// reservedWord reports whether s is one of R's reserved words.
func reservedWord(s string) bool {
	switch s {
	case "if", "else", "repeat", "while", "function", "for", "next", "break", "in",
		"TRUE", "FALSE", "NULL", "Inf", "NaN", "NA", "NA_integer_", "NA_real_", "NA_character_", "NA_complex_":
		return true
	}
	return false
}

// levelSuffix reports whether rest, following the labelled variable key
// in a column name, reads as a factor level: after a call such as
// factor(region) anything; after a bare column name a level starting with
// an upper-case letter or a digit ("regionEast", "g2"), so that "unemp"
// does not label "unemployment".
func levelSuffix(key, rest string) bool {
	if strings.HasSuffix(key, ")") {
		return true
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}

// splitInteraction splits a model-matrix column name at the colons of
// R's interactions ("factor(region)2:unemp" → "factor(region)2", "unemp"),
// not at colons inside parentheses, quotes or back-quotes, nor at a colon
// followed by a space ("direct: unemp").
func splitInteraction(name string) []string {
	var parts []string
	depth, start := 0, 0
	var quote byte
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case quote != 0:
			if c == '\\' && quote != '`' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'' || c == '`':
			quote = c
		case c == '(' || c == '[':
			depth++
		case c == ')' || c == ']':
			depth--
		case c == ':' && depth == 0 && i+1 < len(name) && name[i+1] != ' ' && name[i+1] != ':' && i > start:
			parts = append(parts, name[start:i])
			start = i + 1
		}
	}
	return append(parts, name[start:])
}

// labelTerm applies labels to a model-matrix column name, part by part of
// an interaction: a part found in labels is replaced; otherwise a part
// that extends a labelled call such as factor(region) or
// relevel(factor(region), ref = "5") (its level columns,
// "factor(region)2") becomes the label and the level ("Region 2"). Parts
// are joined by "\x1f", which the table writers show as × or ':'.
func labelTerm(name string, labels map[string]string) string {
	parts := splitInteraction(name)
	for i, p := range parts {
		if l, ok := labels[p]; ok {
			parts[i] = l
			continue
		}
		best := ""
		for k := range labels {
			if len(k) > len(best) && len(k) < len(p) && strings.HasPrefix(p, k) && levelSuffix(k, p[len(k):]) {
				best = k
			}
		}
		if best != "" {
			parts[i] = labels[best] + " " + p[len(best):]
		}
	}
	return strings.Join(parts, "\x1f")
}
