package regress

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// TableColumn is one model of a side-by-side table.
type TableColumn struct {
	// Title heads the column ("(1)", "SAR", …).
	Title  string
	Result *Result
}

// TableOptions configures WriteTable. The zero value gives three decimals,
// stars at 10%, 5% and 1%, every term in order of first appearance, and the
// impacts when a model has them.
type TableOptions struct {
	// Terms lists the coefficient rows in order; nil means every term in
	// order of first appearance across the models.
	Terms []string
	// Digits is the number of decimals (default 3).
	Digits int
	// NoImpacts leaves out the rows of direct, indirect and total effects.
	NoImpacts bool
	// Title is a caption (LaTeX) or heading (Markdown).
	Title string
}

// Table formats for WriteTable.
const (
	TableMarkdown = "markdown"
	TableLaTeX    = "latex"
	TableCSV      = "csv"
)

// tableCell is one cell of the table grid before formatting.
type tableCell struct{ text string }

// WriteTable writes several models side by side, as estout and stargazer
// do: one column per model, a row per coefficient with stars (* p < 0.1,
// ** p < 0.05, *** p < 0.01) and its standard error in parentheses below,
// then (for spatial lag models) the direct, indirect and total effects in
// the same layout, then the effects, N, R² and log-likelihood. format is
// TableMarkdown, TableLaTeX (booktabs) or TableCSV. The output depends only
// on its inputs: the same models give byte-identical tables.
func WriteTable(w io.Writer, format string, cols []TableColumn, opt TableOptions) error {
	if len(cols) == 0 {
		return fmt.Errorf("regress: a table needs at least one model")
	}
	for i, c := range cols {
		if c.Result == nil {
			return fmt.Errorf("regress: table column %d (%s) has no result", i+1, c.Title)
		}
	}
	digits := opt.Digits
	if digits <= 0 {
		digits = 3
	}
	num := func(v float64) string {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return ""
		}
		s := strconv.FormatFloat(v, 'f', digits, 64)
		if strings.Trim(s, "-0.") == "" {
			s = strings.TrimPrefix(s, "-") // no "-0.000"
		}
		return s
	}
	terms := opt.Terms
	if terms == nil {
		seen := map[string]bool{}
		for _, c := range cols {
			for _, co := range c.Result.Coefficients {
				if !seen[co.Name] {
					seen[co.Name] = true
					terms = append(terms, co.Name)
				}
			}
		}
	}
	header := []string{""}
	for _, c := range cols {
		header = append(header, c.Title)
	}
	var rows [][]string // each row: label then one cell per column
	var rules []int     // indices of rows after which a rule is drawn
	addPair := func(label string, get func(r *Result) (est, se, p float64, ok bool)) {
		est := []string{label}
		se := []string{""}
		any := false
		for _, c := range cols {
			e, s, p, ok := get(c.Result)
			if !ok {
				est = append(est, "")
				se = append(se, "")
				continue
			}
			any = true
			est = append(est, num(e)+stars(p))
			if math.IsNaN(s) {
				se = append(se, "")
			} else {
				se = append(se, "("+num(s)+")")
			}
		}
		if any {
			rows = append(rows, est, se)
		}
	}
	for _, t := range terms {
		addPair(t, func(r *Result) (float64, float64, float64, bool) {
			for _, co := range r.Coefficients {
				if co.Name == t {
					return co.Estimate, co.StdError, co.PValue, true
				}
			}
			return 0, 0, 0, false
		})
	}
	if !opt.NoImpacts {
		dynamic := false
		for _, c := range cols {
			dynamic = dynamic || c.Result.ImpactsLongRun != nil
		}
		for _, long := range []bool{false, true} {
			if long && !dynamic {
				break
			}
			for _, kind := range []string{"direct", "indirect", "total"} {
				label := kind
				if dynamic {
					label = map[bool]string{false: "Short-run ", true: "Long-run "}[long] + kind
				}
				var names []string
				seen := map[string]bool{}
				for _, c := range cols {
					for _, e := range impactsOf(c.Result, kind, long) {
						if !seen[e.Name] {
							seen[e.Name] = true
							names = append(names, e.Name)
						}
					}
				}
				if len(names) == 0 {
					continue
				}
				rules = append(rules, len(rows)-1)
				for _, name := range names {
					addPair(label+": "+name, func(r *Result) (float64, float64, float64, bool) {
						for _, e := range impactsOf(r, kind, long) {
							if e.Name == name {
								return e.Estimate, e.StdError, e.PValue, true
							}
						}
						return 0, 0, 0, false
					})
				}
			}
		}
	}
	rules = append(rules, len(rows)-1)
	stat := func(label string, get func(r *Result) string) {
		row := []string{label}
		any := false
		for _, c := range cols {
			v := get(c.Result)
			any = any || v != ""
			row = append(row, v)
		}
		if any {
			rows = append(rows, row)
		}
	}
	stat("Model", func(r *Result) string {
		if dl, ok := r.Options["dlag"]; ok {
			return fmt.Sprintf("%s (dlag %v)", r.Model, dl)
		}
		return r.Model
	})
	stat("Bias-corrected", func(r *Result) string {
		if bc, ok := r.Options["bias_corrected"].(bool); ok {
			return map[bool]string{true: "yes", false: "no (QML)"}[bc]
		}
		return ""
	})
	stat("Effects", func(r *Result) string { return r.Effects })
	stat("N", func(r *Result) string { return strconv.Itoa(r.NObs) })
	stat("R²", func(r *Result) string {
		for _, k := range []string{"r2", "within", "pseudo"} {
			if v, ok := r.R2[k]; ok {
				return num(v)
			}
		}
		return ""
	})
	stat("Log-likelihood", func(r *Result) string {
		if r.LogLik == nil {
			return ""
		}
		return num(*r.LogLik)
	})
	note := "* p < 0.1, ** p < 0.05, *** p < 0.01; standard errors in parentheses."
	switch format {
	case TableMarkdown:
		return writeMarkdownTable(w, opt.Title, header, rows, note)
	case TableLaTeX:
		return writeLaTeXTable(w, opt.Title, header, rows, rules, note)
	case TableCSV:
		cw := csv.NewWriter(w)
		cw.Write(header)
		for _, r := range rows {
			cw.Write(r)
		}
		cw.Flush()
		return cw.Error()
	}
	return fmt.Errorf("regress: unknown table format %q (want markdown, latex or csv)", format)
}

// impactsOf returns the direct, indirect or total effects of r, the
// long-run ones of a dynamic model when long is set.
func impactsOf(r *Result, kind string, long bool) []Effect {
	imp := r.Impacts
	if long {
		imp = r.ImpactsLongRun
	}
	if imp == nil {
		return nil
	}
	switch kind {
	case "direct":
		return imp.Direct
	case "indirect":
		return imp.Indirect
	}
	return imp.Total
}

// stars returns the significance stars of a p-value.
func stars(p float64) string {
	switch {
	case math.IsNaN(p):
		return ""
	case p < 0.01:
		return "***"
	case p < 0.05:
		return "**"
	case p < 0.1:
		return "*"
	}
	return ""
}

func writeMarkdownTable(w io.Writer, title string, header []string, rows [][]string, note string) error {
	var b strings.Builder
	if title != "" {
		fmt.Fprintf(&b, "**%s**\n\n", title)
	}
	esc := func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "*", `\*`) }
	line := func(cells []string) {
		b.WriteString("|")
		for _, c := range cells {
			b.WriteString(" " + esc(c) + " |")
		}
		b.WriteString("\n")
	}
	line(header)
	b.WriteString("|:---|")
	for range header[1:] {
		b.WriteString("---:|")
	}
	b.WriteString("\n")
	for _, r := range rows {
		line(r)
	}
	fmt.Fprintf(&b, "\n%s\n", esc(note))
	_, err := io.WriteString(w, b.String())
	return err
}

func writeLaTeXTable(w io.Writer, title string, header []string, rows [][]string, rules []int, note string) error {
	var b strings.Builder
	b.WriteString("\\begin{table}[htbp]\n\\centering\n")
	if title != "" {
		fmt.Fprintf(&b, "\\caption{%s}\n", texEscape(title))
	}
	fmt.Fprintf(&b, "\\begin{tabular}{l%s}\n\\toprule\n", strings.Repeat("c", len(header)-1))
	cells := make([]string, len(header))
	for i, h := range header {
		cells[i] = texEscape(h)
	}
	b.WriteString(strings.Join(cells, " & ") + " \\\\\n\\midrule\n")
	isRule := map[int]bool{}
	for _, r := range rules {
		isRule[r] = true
	}
	for i, r := range rows {
		cells := make([]string, len(r))
		for j, c := range r {
			cells[j] = latexCell(c)
		}
		b.WriteString(strings.Join(cells, " & ") + " \\\\\n")
		if isRule[i] && i < len(rows)-1 {
			b.WriteString("\\midrule\n")
		}
	}
	b.WriteString("\\bottomrule\n\\end{tabular}\n")
	fmt.Fprintf(&b, "\\par\\smallskip\\footnotesize %s\n", texEscape(note))
	b.WriteString("\\end{table}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// latexCell typesets a cell: stars as superscripts, R² as math.
func latexCell(s string) string {
	n := len(s) - len(strings.TrimRight(s, "*"))
	base := texEscape(s[:len(s)-n])
	if n > 0 {
		base += "^{" + strings.Repeat("*", n) + "}"
		base = "$" + base + "$"
	}
	return base
}
