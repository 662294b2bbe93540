package regress

import (
	"encoding/csv"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// TableColumn is one model of a side-by-side table.
type TableColumn struct {
	// Title heads the column ("(1)", "SAR", …).
	Title  string
	Result *Result
}

// TableOptions configures WriteTable. The zero value gives three
// significant digits, the economists' stars (EconStars), every term in
// order of first appearance under its raw name, and the effects when a
// model has them.
type TableOptions struct {
	// Terms lists the coefficient rows of the main block in order; nil
	// means every term in order of first appearance across the models.
	Terms []string
	// Digits is the number of significant digits of the smaller of an
	// estimate and its standard error (default 3); both are printed with
	// the decimals this needs, so that no standard error prints as 0.000.
	Digits int
	// Stars is the significance convention (zero value: EconStars).
	Stars Stars
	// Labels maps raw term names ("log(pcap)") to the labels printed
	// ("Public capital (log)"). Interactions "a:b" without a label of
	// their own print as the labels of a and b joined by " × ".
	Labels map[string]string
	// NoImpacts leaves out the blocks of effects.
	NoImpacts bool
	// NoCoefficients leaves out the blocks of coefficients (Main, W·x,
	// time lags, spatial parameters): a table of the effects alone, for
	// models whose table with both would not fit on a page.
	NoCoefficients bool
	// Title is a caption (LaTeX) or heading (Markdown).
	Title string
	// Notes are printed under the table after the standard notes.
	Notes []string

	// sampleStats keeps only the sample's rows (Observations, N, T) of
	// the statistics: the effects table of a split LaTeX table.
	sampleStats bool
}

// Table formats for WriteTable.
const (
	TableMarkdown = "markdown"
	TableLaTeX    = "latex"
	TableCSV      = "csv"
)

// EffectBlock is one block of a model's effects in a table: a title
// ("Direct", "Long-run total") and the effect of each regressor.
type EffectBlock struct {
	Title   string
	Effects []Effect
}

// EffectBlocks returns the effects of r as table blocks, in the order
// tables print them: the Direct, Indirect and Total effects of r.Impacts
// (LeSage and Pace 2009), nil when r has none; for a dynamic model the
// "Short-run direct" … "Short-run total" effects of r.Impacts, then the
// "Long-run direct" … "Long-run total" of r.ImpactsLongRun.
func (r *Result) EffectBlocks() []EffectBlock {
	if r.Impacts == nil || len(r.Impacts.Total) == 0 {
		return nil
	}
	if _, dyn := r.Options["dlag"]; !dyn {
		return []EffectBlock{{"Direct", r.Impacts.Direct}, {"Indirect", r.Impacts.Indirect}, {"Total", r.Impacts.Total}}
	}
	out := []EffectBlock{{"Short-run direct", r.Impacts.Direct}, {"Short-run indirect", r.Impacts.Indirect}, {"Short-run total", r.Impacts.Total}}
	if lr := r.ImpactsLongRun; lr != nil && len(lr.Total) > 0 {
		out = append(out, EffectBlock{"Long-run direct", lr.Direct}, EffectBlock{"Long-run indirect", lr.Indirect}, EffectBlock{"Long-run total", lr.Total})
	}
	return out
}

// isTimeLag reports whether the coefficient name of r is a time lag of the
// response of a dynamic model ("y(t-1)", "W*y(t-1)").
func isTimeLag(r *Result, name string) bool {
	_, dyn := r.Options["dlag"]
	return dyn && strings.HasSuffix(name, "(t-1)")
}

// spatialParams are the coefficients printed in the "Spatial" block, with
// their Greek names.
var spatialParams = map[string]string{"rho": "ρ", "lambda": "λ", "phi": "φ", "theta": "θ", "psi": "ψ", "tau": "τ"}

// rowKind says how a row of a table is drawn.
type rowKind int

const (
	rowBlock rowKind = iota // a block heading ("Direct")
	rowEst                  // estimates with stars
	rowSE                   // standard errors in parentheses
	rowStat                 // a model statistic
)

// tableCell is one cell: the text and the significance mark.
type tableCell struct{ text, mark string }

type tableRow struct {
	kind  rowKind
	label string
	cells []tableCell
}

// tableGrid is a table before it is written in a format.
type tableGrid struct {
	title  string
	header []string
	rows   []tableRow
	notes  []string
}

// WriteTable writes several models side by side, as estout/esttab and
// stargazer do, in the block layout of xsmle and the spatial literature
// (Elhorst 2014, ch. 3): one column per model; a block of the regressors
// (Main), of their spatial lags (W·x), of the spatial parameters (ρ, λ) and
// one block per type of effect (Direct, Indirect, Total: Result.EffectBlocks),
// each coefficient with its stars and its standard error in parentheses
// below; then observations, regions (N), periods (T), fixed effects,
// weights, σ², R² (named for its kind), log-likelihood, AIC and BIC; then
// notes stating the star convention. Block headings are printed when a
// table has more than one block. format is TableMarkdown, TableLaTeX
// (booktabs, ASCII only, notes as wide as the table; longer than
// LaTeXPageRows, two tables: estimates, effects) or TableCSV. The output depends
// only on its inputs: the same models give byte-identical tables.
func WriteTable(w io.Writer, format string, cols []TableColumn, opt TableOptions) error {
	if len(cols) == 0 {
		return fmt.Errorf("regress: a table needs at least one model")
	}
	for i, c := range cols {
		if c.Result == nil {
			return fmt.Errorf("regress: table column %d (%s) has no result", i+1, c.Title)
		}
	}
	g := buildTable(cols, opt)
	switch format {
	case TableMarkdown, "md":
		return g.writeMarkdown(w)
	case TableLaTeX, "tex":
		if len(g.rows) > LaTeXPageRows && !opt.NoImpacts && !opt.NoCoefficients {
			return writeLaTeXSplit(w, cols, opt)
		}
		return g.writeLaTeX(w)
	case TableCSV:
		return g.writeCSV(w)
	}
	return fmt.Errorf("regress: unknown table format %q (want markdown, latex or csv)", format)
}

// LaTeXPageRows is the most rows (estimates, standard errors, block
// headings and statistics) that WriteTable sets as one LaTeX table: about
// what a page of the article class at 10 pt holds with the caption and the
// notes. A longer table with effects (three models' coefficients and
// effects, an SDM with four regressors) is written as two tables, the
// estimates with every statistic, and then the effects of the models that
// have them with the sample's size, each within a page of the article
// class up to four regressors (the effects of five or more, 6 rows each,
// run over it).
const LaTeXPageRows = 40

// writeLaTeXSplit writes the LaTeX table of cols as two tables: the
// coefficients, then the effects.
func writeLaTeXSplit(w io.Writer, cols []TableColumn, opt TableOptions) error {
	coef, eff := opt, opt
	coef.NoImpacts, eff.NoCoefficients, eff.sampleStats = true, true, true
	coef.Title, eff.Title = "Estimates", "Direct, indirect and total effects (LeSage and Pace 2009)"
	if opt.Title != "" {
		coef.Title, eff.Title = opt.Title+": estimates", opt.Title+": direct, indirect and total effects"
	}
	var withEffects []TableColumn
	for _, c := range cols {
		if len(c.Result.EffectBlocks()) > 0 {
			withEffects = append(withEffects, c)
		}
	}
	if err := buildTable(cols, coef).writeLaTeX(w); err != nil {
		return err
	}
	if len(withEffects) == 0 {
		return nil
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return err
	}
	return buildTable(withEffects, eff).writeLaTeX(w)
}

// label returns the printed name of a term: its own label, or labelTerm's
// part-by-part labels of an interaction. An interaction with a labelled
// part prints its parts joined by " × "; one without keeps R's name, its
// parts joined by "\x1f", which the writers show as × in LaTeX and as R's
// ':' elsewhere.
func (opt *TableOptions) label(term string) string {
	if l, ok := opt.Labels[term]; ok {
		return l
	}
	l := labelTerm(term, opt.Labels)
	if plainLabel(l) != term {
		return strings.ReplaceAll(l, "\x1f", " × ")
	}
	return l
}

// plainLabel shows the interaction joins of a row label as R's ':'.
func plainLabel(s string) string { return strings.ReplaceAll(s, "\x1f", ":") }

// texLabel typesets a row label, its interaction joins as ×.
func texLabel(s string) string { return texEscape(strings.ReplaceAll(s, "\x1f", " × ")) }

func buildTable(cols []TableColumn, opt TableOptions) *tableGrid {
	g := &tableGrid{title: opt.Title, header: []string{""}}
	for _, c := range cols {
		g.header = append(g.header, c.Title)
	}
	type block struct {
		title string
		rows  []tableRow
	}
	var blocks []block
	// pair returns the estimate and standard-error rows of one term, nil
	// when no model has it.
	pair := func(label string, get func(r *Result) (est, se, p float64, ok bool)) []tableRow {
		est := tableRow{kind: rowEst, label: label}
		se := tableRow{kind: rowSE}
		any := false
		for _, c := range cols {
			e, s, p, ok := get(c.Result)
			if !ok {
				est.cells = append(est.cells, tableCell{})
				se.cells = append(se.cells, tableCell{})
				continue
			}
			any = true
			dec := decimalsFor(opt.Digits, e, s)
			est.cells = append(est.cells, tableCell{text: fixed(e, dec), mark: opt.Stars.Mark(p)})
			if t := fixed(s, dec); t != "" {
				se.cells = append(se.cells, tableCell{text: "(" + t + ")"})
			} else {
				se.cells = append(se.cells, tableCell{})
			}
		}
		if !any {
			return nil
		}
		return []tableRow{est, se}
	}
	coef := func(name string) func(r *Result) (float64, float64, float64, bool) {
		return func(r *Result) (float64, float64, float64, bool) {
			for _, co := range r.Coefficients {
				if co.Name == name {
					return co.Estimate, co.StdError, co.PValue, true
				}
			}
			return 0, 0, 0, false
		}
	}
	// Coefficients by block, in order of first appearance.
	var mainTerms, lagTerms, spTerms, dynTerms []string
	seen := map[string]bool{}
	for _, c := range cols {
		for _, co := range c.Result.Coefficients {
			if seen[co.Name] {
				continue
			}
			seen[co.Name] = true
			switch {
			case isTimeLag(c.Result, co.Name):
				dynTerms = append(dynTerms, co.Name)
			case strings.HasPrefix(co.Name, "W*"):
				lagTerms = append(lagTerms, co.Name)
			case spatialParams[co.Name] != "":
				spTerms = append(spTerms, co.Name)
			default:
				mainTerms = append(mainTerms, co.Name)
			}
		}
	}
	if opt.Terms != nil {
		mainTerms = opt.Terms
	}
	add := func(title string, terms []string, label func(string) string) {
		b := block{title: title}
		for _, t := range terms {
			b.rows = append(b.rows, pair(label(t), coef(t))...)
		}
		if len(b.rows) > 0 {
			blocks = append(blocks, b)
		}
	}
	if !opt.NoCoefficients {
		add("Main", mainTerms, opt.label)
		add("W·x", lagTerms, func(t string) string { return opt.label(strings.TrimPrefix(t, "W*")) })
		add("Time lags", dynTerms, func(t string) string { return t })
		add("Spatial", spTerms, func(t string) string { return spatialParams[t] })
	}
	if !opt.NoImpacts {
		var titles []string
		var names = map[string][]string{}
		for _, c := range cols {
			for _, eb := range c.Result.EffectBlocks() {
				if !slices.Contains(titles, eb.Title) {
					titles = append(titles, eb.Title)
				}
				for _, e := range eb.Effects {
					if !slices.Contains(names[eb.Title], e.Name) {
						names[eb.Title] = append(names[eb.Title], e.Name)
					}
				}
			}
		}
		for _, title := range titles {
			b := block{title: title}
			for _, name := range names[title] {
				b.rows = append(b.rows, pair(opt.label(name), func(r *Result) (float64, float64, float64, bool) {
					for _, eb := range r.EffectBlocks() {
						if eb.Title != title {
							continue
						}
						for _, e := range eb.Effects {
							if e.Name == name {
								return e.Estimate, e.StdError, e.PValue, true
							}
						}
					}
					return 0, 0, 0, false
				})...)
			}
			blocks = append(blocks, b)
		}
	}
	for _, b := range blocks {
		if len(blocks) > 1 {
			g.rows = append(g.rows, tableRow{kind: rowBlock, label: b.title})
		}
		g.rows = append(g.rows, b.rows...)
	}
	stats, moved := foldStatRows(statRows(cols, opt), g.header[1:])
	if opt.sampleStats {
		stats = slices.DeleteFunc(stats, func(r tableRow) bool {
			return r.label != "Model" && r.label != "Observations" && r.label != "Regions (N)" && r.label != "Periods (T)"
		})
		moved = nil
	}
	g.rows = append(g.rows, stats...)
	g.notes = tableNotes(cols, opt)
	// The folded rows' notes go before the caller's own.
	at := len(g.notes) - len(opt.Notes)
	g.notes = slices.Insert(g.notes, at, moved...)
	return g
}

// foldStatRows keeps a table narrow: it drops the Model row when every
// column is titled with its model's name, and turns an Estimator row that
// is the same in every column (a long text, "Lee–Yu corrected ML (Lee and
// Yu 2010)", that would make each column as wide) into a note.
func foldStatRows(rows []tableRow, titles []string) ([]tableRow, []string) {
	var notes []string
	out := rows[:0:0]
	for _, r := range rows {
		switch r.label {
		case "Model":
			same := true
			for i, c := range r.cells {
				same = same && c.text == titles[i]
			}
			if same {
				continue
			}
		case "Estimator":
			same := true
			for _, c := range r.cells {
				same = same && c.text != "" && c.text == r.cells[0].text
			}
			if same {
				notes = append(notes, "Estimator: "+r.cells[0].text+".")
				continue
			}
		}
		out = append(out, r)
	}
	return out, notes
}

// statRows returns the rows of model statistics a referee looks for.
func statRows(cols []TableColumn, opt TableOptions) []tableRow {
	var rows []tableRow
	stat := func(label string, get func(r *Result) string) {
		row := tableRow{kind: rowStat, label: label}
		any := false
		for _, c := range cols {
			v := get(c.Result)
			any = any || v != ""
			row.cells = append(row.cells, tableCell{text: v})
		}
		if any {
			rows = append(rows, row)
		}
	}
	num := func(v float64) string { return fixed(v, decimalsFor(opt.Digits, v)) }
	count := func(n int) string {
		if n <= 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	stat("Model", func(r *Result) string { return ModelName(r.Model) })
	stat("Observations", func(r *Result) string { return count(r.NObs) })
	stat("Regions (N)", func(r *Result) string { return count(r.N) })
	stat("Periods (T)", func(r *Result) string { return count(r.T) })
	stat("Fixed effects", func(r *Result) string {
		if isRandom(r) {
			return "None"
		}
		return effectsName(r.Effects)
	})
	stat("Random effects", func(r *Result) string {
		if isRandom(r) {
			return "Region"
		}
		return ""
	})
	stat("Weights", func(r *Result) string {
		if v, ok := r.Options["weights"]; ok {
			return filepath.Base(fmt.Sprint(v)) // a file's name without its folders
		}
		return ""
	})
	stat("Dynamic lags", func(r *Result) string {
		if v, ok := r.Options["dlag"]; ok {
			return map[string]string{"1": "y(t-1)", "2": "W·y(t-1)", "3": "y(t-1), W·y(t-1)"}[fmt.Sprint(v)]
		}
		return ""
	})
	stat("Bias-corrected", func(r *Result) string {
		if v, ok := r.Options["bias_corrected"].(bool); ok {
			return map[bool]string{true: "Yes", false: "No (QML)"}[v]
		}
		return ""
	})
	stat("Estimator", func(r *Result) string {
		if v, ok := r.Options["estimator"].(string); ok {
			return v
		}
		return ""
	})
	stat("Bias correction", biasCorrectionCell)
	stat("σ²", func(r *Result) string {
		if r.Sigma2 > 0 {
			return num(r.Sigma2)
		}
		return ""
	})
	// One row per kind of R², so that a row never mixes kinds.
	for _, k := range []struct{ key, label string }{
		{"r2", "R²"}, {"within", "R² (within)"}, {"overall", "R² (overall)"}, {"pseudo", "Pseudo R² (corr²)"}} {
		stat(k.label, func(r *Result) string {
			if r2Kind(r) != k.key {
				return ""
			}
			return fixed(r.R2[k.key], 3)
		})
	}
	stat("Log-likelihood", func(r *Result) string {
		if r.LogLik == nil {
			return ""
		}
		return fixed(*r.LogLik, max(decimalsFor(opt.Digits, *r.LogLik), 1))
	})
	stat("AIC", func(r *Result) string {
		if r.AIC == nil {
			return ""
		}
		return fixed(*r.AIC, max(decimalsFor(opt.Digits, *r.AIC), 1))
	})
	stat("BIC", func(r *Result) string {
		if r.BIC == nil {
			return ""
		}
		return fixed(*r.BIC, max(decimalsFor(opt.Digits, *r.BIC), 1))
	})
	return rows
}

// r2Kind returns the key of the R² a table shows for r: within for fixed
// effects, overall for random effects (as Stata's xtreg), the squared
// correlation of y and the fit for spatial models, and the R² of OLS and
// between models.
func r2Kind(r *Result) string {
	for _, k := range []string{"pseudo", "within"} {
		if _, ok := r.R2[k]; ok && (k == "pseudo" || r.Model == "fe") {
			return k
		}
	}
	if _, ok := r.R2["overall"]; ok && r.Model == "re" {
		return "overall"
	}
	if _, ok := r.R2["r2"]; ok {
		return "r2"
	}
	return ""
}

func isRandom(r *Result) bool { return r.Model == "re" || r.Effects == "random" }

// effectsName returns the printed name of an Effects value.
func effectsName(e string) string {
	switch e {
	case "individual":
		return "Region"
	case "time":
		return "Period"
	case "twoways":
		return "Region, period"
	case "none", "":
		return "None"
	}
	return e
}

// ModelName returns the short name of a model as tables print it ("SAR",
// "FE").
func ModelName(model string) string {
	switch model {
	case "ols":
		return "Pooled OLS"
	case "between":
		return "Between"
	}
	return strings.ToUpper(model)
}

// tableNotes returns the notes under a table: standard errors and stars,
// how the effects were simulated, then the caller's notes.
func tableNotes(cols []TableColumn, opt TableOptions) []string {
	note := "Standard errors in parentheses."
	if l := opt.Stars.Legend(); l != "" {
		note += " " + l + "."
	}
	notes := []string{note}
	if !opt.NoImpacts {
		var draws []string
		for _, c := range cols {
			if imp := c.Result.Impacts; imp != nil && imp.Draws > 0 {
				d := fmt.Sprintf("%d draws, seed %d", imp.Draws, imp.Seed)
				if !slices.Contains(draws, d) {
					draws = append(draws, d)
				}
			}
		}
		if len(draws) > 0 {
			notes = append(notes, "Effects as LeSage and Pace (2009); their standard errors from simulated parameter draws ("+strings.Join(draws, "; ")+").")
		}
	}
	var bcs []string
	for _, c := range cols {
		if l, ok := c.Result.Options["bias_correction"].(string); ok && !slices.Contains(bcs, l) {
			bcs = append(bcs, l)
		}
	}
	for _, l := range bcs {
		notes = append(notes, l+".")
	}
	return append(notes, opt.Notes...)
}

func (g *tableGrid) writeMarkdown(w io.Writer) error {
	var b strings.Builder
	if g.title != "" {
		fmt.Fprintf(&b, "**%s**\n\n", mdEscape(g.title))
	}
	line := func(cells []string) {
		b.WriteString("|")
		for _, c := range cells {
			b.WriteString(" " + c + " |")
		}
		b.WriteString("\n")
	}
	head := make([]string, len(g.header))
	for i, h := range g.header {
		head[i] = mdEscape(h)
	}
	line(head)
	b.WriteString("|:---|")
	for range g.header[1:] {
		b.WriteString("---:|")
	}
	b.WriteString("\n")
	for _, r := range g.rows {
		cells := []string{mdEscape(plainLabel(r.label))}
		if r.kind == rowBlock {
			cells[0] = "**" + cells[0] + "**"
			for range g.header[1:] {
				cells = append(cells, "")
			}
		}
		for _, c := range r.cells {
			cells = append(cells, mdEscape(c.text+c.mark))
		}
		line(cells)
	}
	b.WriteString("\n")
	for _, n := range g.notes {
		b.WriteString(mdEscape(n) + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdEscape escapes the characters that Markdown would read as table
// borders or emphasis (GitHub's Markdown leaves _ inside words alone).
func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "*", `\*`).Replace(s)
}

func (g *tableGrid) writeCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write(g.header)
	for _, r := range g.rows {
		rec := []string{plainLabel(r.label)}
		if r.kind == rowBlock {
			for range g.header[1:] {
				rec = append(rec, "")
			}
		}
		for _, c := range r.cells {
			rec = append(rec, c.text+c.mark)
		}
		cw.Write(rec)
	}
	for _, n := range g.notes {
		rec := make([]string, len(g.header))
		rec[0] = n
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

func (g *tableGrid) writeLaTeX(w io.Writer) error {
	var b strings.Builder
	ncol := len(g.header)
	// The notes are set in a minipage as wide as the tabular (the width of
	// a box holding it), as threeparttable does, without a package beyond
	// booktabs (threeparttable is not in every TeX installation).
	b.WriteString("% Needs \\usepackage{booktabs}.\n")
	b.WriteString("\\begin{table}[htbp]\n\\centering\n")
	if g.title != "" {
		fmt.Fprintf(&b, "\\caption{%s}\n", texEscape(g.title))
	}
	b.WriteString("\\ifdefined\\agglotable\\else\\newsavebox{\\agglotable}\\fi\n\\sbox{\\agglotable}{%\n")
	fmt.Fprintf(&b, "\\begin{tabular}{l%s}\n\\toprule\n", strings.Repeat("c", ncol-1))
	cells := make([]string, ncol)
	for i, h := range g.header {
		cells[i] = texEscape(h)
	}
	b.WriteString(strings.Join(cells, " & ") + " \\\\\n")
	prev := rowBlock
	for i, r := range g.rows {
		switch {
		case i == 0 || r.kind == rowBlock || (r.kind == rowStat && prev != rowStat):
			b.WriteString("\\midrule\n")
		}
		prev = r.kind
		if r.kind == rowBlock {
			fmt.Fprintf(&b, "\\multicolumn{%d}{l}{\\textit{%s}} \\\\\n", ncol, texEscape(r.label))
			continue
		}
		cells := []string{texLabel(r.label)}
		for _, c := range r.cells {
			cells = append(cells, latexCell(c))
		}
		b.WriteString(strings.Join(cells, " & ") + " \\\\\n")
	}
	b.WriteString("\\bottomrule\n\\end{tabular}}\n")
	b.WriteString("\\begin{minipage}{\\wd\\agglotable}\n\\usebox{\\agglotable}\n")
	if len(g.notes) > 0 {
		b.WriteString("\\par\\smallskip\\footnotesize\\raggedright\n")
		for _, n := range g.notes {
			fmt.Fprintf(&b, "%s\\par\n", texEscape(n))
		}
	}
	b.WriteString("\\end{minipage}\n\\end{table}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// latexCell typesets a cell: numbers in math mode (a true minus sign),
// stars as superscripts.
func latexCell(c tableCell) string {
	if c.text == "" {
		return ""
	}
	if _, err := strconv.ParseFloat(c.text, 64); err == nil {
		s := c.text
		if c.mark != "" {
			s += "^{" + c.mark + "}"
		}
		return "$" + s + "$"
	}
	s := texEscape(c.text)
	if c.mark != "" {
		s += "$^{" + c.mark + "}$"
	}
	return s
}

// texEscape makes a string safe in LaTeX text mode with pdflatex's default
// encodings: the special characters are escaped, < and > are set in math
// mode (OT1 prints "<" as "¡"), and the Unicode symbols of names and
// labels become commands.
func texEscape(s string) string {
	r := strings.NewReplacer(
		`\`, `\textbackslash{}`, "&", `\&`, "%", `\%`, "$", `\$`, "#", `\#`, "_", `\_`,
		"{", `\{`, "}", `\}`, "~", `\textasciitilde{}`, "^", `\textasciicircum{}`,
		"<", `$<$`, ">", `$>$`, "|", `$|$`,
		"σ²", `$\sigma^2$`, "σ", `$\sigma$`, "ρ", `$\rho$`, "λ", `$\lambda$`, "θ", `$\theta$`,
		"φ", `$\phi$`, "ψ", `$\psi$`, "τ", `$\tau$`, "γ", `$\gamma$`, "β", `$\beta$`,
		"²", `$^2$`, "×", `$\times$`, "·", `$\cdot$`, "–", `--`, "—", `---`, "−", `$-$`,
		"≤", `$\leq$`, "≥", `$\geq$`, "…", `\ldots{}`)
	return r.Replace(s)
}
