package regress

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// modelTitle returns a human name of a fitted model.
func modelTitle(r *Result) string {
	names := map[string]string{"ols": "Pooled OLS", "fe": "Fixed effects (within)", "re": "Random effects (Swamy-Arora)",
		"between": "Between", "sar": "Spatial lag (SAR)", "sem": "Spatial error (SEM)", "sdm": "Spatial Durbin (SDM)",
		"sdem": "Spatial Durbin error (SDEM)", "slx": "SLX", "sac": "SAC"}
	if s, ok := names[r.Model]; ok {
		return s
	}
	return r.Model
}

// rStars returns R's significance codes: *** p < 0.001, ** < 0.01, * < 0.05,
// . < 0.1.
func rStars(p float64) string {
	switch {
	case p < 0.001:
		return "***"
	case p < 0.01:
		return "**"
	case p < 0.05:
		return "*"
	case p < 0.1:
		return "."
	}
	return ""
}

func fmtNum(v float64, digits int) string {
	if math.IsNaN(v) {
		return "NA"
	}
	return strconv.FormatFloat(v, 'f', digits, 64)
}

func fmtP(p float64) string {
	if math.IsNaN(p) {
		return "NA"
	}
	if p < 2.2e-16 {
		return "< 2.2e-16"
	}
	if p < 1e-4 {
		return strconv.FormatFloat(p, 'e', 2, 64)
	}
	return strconv.FormatFloat(p, 'f', 4, 64)
}

// statName returns "t" or "z".
func statName(r *Result) string {
	if s, ok := r.Options["statistic"].(string); ok {
		return s
	}
	return "z"
}

// WriteSummary writes a text summary of the fit in the manner of plm's and
// Stata's: model, panel dimensions, coefficient table (estimate, standard
// error, t or z, p-value, R's significance stars), σ², R², log-likelihood,
// tests, options and messages.
func (r *Result) WriteSummary(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s", modelTitle(r))
	if r.Effects != "" && r.Effects != "none" {
		fmt.Fprintf(&b, ", %s effects", r.Effects)
	}
	b.WriteString("\n")
	if f, ok := r.Options["formula"].(string); ok {
		fmt.Fprintf(&b, "Formula: %s\n", f)
	}
	bal := ""
	if v, ok := r.Options["balanced"].(bool); ok {
		bal = map[bool]string{true: "Balanced", false: "Unbalanced"}[v] + " panel: "
	}
	fmt.Fprintf(&b, "%sn = %d, T = %d, N = %d\n", bal, r.N, r.T, r.NObs)
	if v, ok := r.Options["vcov"]; ok {
		fmt.Fprintf(&b, "Covariance: %v", v)
		if c, ok := r.Options["vcov_correction"]; ok {
			fmt.Fprintf(&b, ", correction %v", c)
		}
		if c, ok := r.Options["vcov_maxlag"]; ok {
			fmt.Fprintf(&b, ", max lag %v", c)
		}
		b.WriteString("\n")
	}
	if line := spatialSettings(r); line != "" {
		fmt.Fprintf(&b, "%s\n", line)
	}
	if len(r.Extra) > 0 {
		keys := sortedKeys(r.Extra)
		var parts []string
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%s = %.6g", k, r.Extra[k]))
		}
		fmt.Fprintf(&b, "%s\n", strings.Join(parts, ", "))
	}
	b.WriteString("\nCoefficients:\n")
	st := statName(r)
	rows := [][]string{{"", "Estimate", "Std. Error", st + " value", "Pr(>|" + st + "|)", ""}}
	for _, c := range r.Coefficients {
		rows = append(rows, []string{c.Name, fmtSig(c.Estimate), fmtSig(c.StdError), fmtNum(c.Statistic, 3), fmtP(c.PValue), rStars(c.PValue)})
	}
	writeAligned(&b, rows)
	b.WriteString("---\nSignif. codes: 0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1\n\n")
	if df, ok := r.Options["df_residual"]; ok {
		fmt.Fprintf(&b, "Residual variance: %.6g on %v degrees of freedom\n", r.Sigma2, df)
	} else {
		fmt.Fprintf(&b, "Residual variance: %.6g\n", r.Sigma2)
	}
	if v, ok := r.R2["r2"]; ok {
		fmt.Fprintf(&b, "R-squared: %.5f   Adj. R-squared: %.5f\n", v, r.R2["adj_r2"])
	}
	var st2 []string
	for _, k := range []string{"within", "between", "overall"} {
		if v, ok := r.R2[k]; ok {
			st2 = append(st2, fmt.Sprintf("%s = %.4f", k, v))
		}
	}
	if len(st2) > 0 {
		fmt.Fprintf(&b, "R-sq (Stata): %s\n", strings.Join(st2, ", "))
	}
	if r.LogLik != nil {
		fmt.Fprintf(&b, "Log-likelihood: %.4f\n", *r.LogLik)
	}
	for _, k := range sortedKeys(r.Tests) {
		t := r.Tests[k]
		df := make([]string, len(t.DF))
		for i, v := range t.DF {
			df[i] = strconv.FormatFloat(v, 'g', -1, 64)
		}
		fmt.Fprintf(&b, "%s: %s = %.4f, df = %s, p-value = %s\n", t.Name, distSymbol(t.Distribution), t.Statistic, strings.Join(df, ", "), fmtP(t.PValue))
	}
	for _, blk := range impactBlocks(r) {
		imp := blk.imp
		fmt.Fprintf(&b, "\n%s (%s; inference from %d simulated draws, seed %d):\n", blk.title, blk.source, imp.Draws, imp.Seed)
		rows := [][]string{{"", "Direct", "Indirect", "Total", "p(direct)", "p(indirect)", "p(total)"}}
		for k, t := range imp.Total {
			d, in := imp.Direct[k], imp.Indirect[k]
			rows = append(rows, []string{t.Name,
				fmtSig(d.Estimate) + " (" + fmtSig(d.StdError) + ")",
				fmtSig(in.Estimate) + " (" + fmtSig(in.StdError) + ")",
				fmtSig(t.Estimate) + " (" + fmtSig(t.StdError) + ")",
				fmtP(d.PValue), fmtP(in.PValue), fmtP(t.PValue)})
		}
		writeAligned(&b, rows)
	}
	for _, m := range r.Messages {
		fmt.Fprintf(&b, "Note: %s\n", m)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// impactBlock is one set of effects to print with its title.
type impactBlock struct {
	title, source string
	imp           *Impacts
}

// impactBlocks returns the effects of r: "Impacts" of a static model, the
// short- and long-run impacts of a dynamic one.
func impactBlocks(r *Result) []impactBlock {
	var out []impactBlock
	if _, dyn := r.Options["dlag"]; dyn {
		if r.Impacts != nil && len(r.Impacts.Total) > 0 {
			out = append(out, impactBlock{"Short-run impacts", "(I − ρW)⁻¹(βI + θW); Elhorst 2014", r.Impacts})
		}
		if r.ImpactsLongRun != nil && len(r.ImpactsLongRun.Total) > 0 {
			out = append(out, impactBlock{"Long-run impacts", "((1 − γ)I − (ρ + δ)W)⁻¹(βI + θW); Elhorst 2014", r.ImpactsLongRun})
		}
		return out
	}
	if r.Impacts != nil && len(r.Impacts.Total) > 0 {
		out = append(out, impactBlock{"Impacts", "LeSage and Pace 2009", r.Impacts})
	}
	return out
}

func distSymbol(d string) string {
	switch d {
	case "chisq":
		return "chisq"
	case "F":
		return "F"
	}
	return "statistic"
}

// fmtSig formats with 6 significant digits, as R's summary does.
func fmtSig(v float64) string {
	if math.IsNaN(v) {
		return "NA"
	}
	a := math.Abs(v)
	if a != 0 && (a < 1e-4 || a >= 1e6) {
		return strconv.FormatFloat(v, 'e', 5, 64)
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// writeAligned writes rows as columns padded with spaces: the first column
// left-aligned, the others right-aligned, the last left-aligned.
func writeAligned(b *strings.Builder, rows [][]string) {
	width := make([]int, len(rows[0]))
	for _, r := range rows {
		for j, c := range r {
			width[j] = max(width[j], len([]rune(c)))
		}
	}
	for _, r := range rows {
		var line strings.Builder
		for j, c := range r {
			pad := strings.Repeat(" ", width[j]-len([]rune(c)))
			switch {
			case j == 0:
				line.WriteString(c + pad)
			case j == len(r)-1 && j > 1:
				line.WriteString(" " + c)
			default:
				line.WriteString("  " + pad + c)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
}

// WriteJSON writes the result as indented JSON (the schema of Result).
// Non-finite numbers, which JSON cannot hold, are an error naming them.
func (r *Result) WriteJSON(w io.Writer) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding result as JSON: %w", err)
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// WriteMarkdown writes the coefficient table of one model as a Markdown
// table, with the model statistics below it.
func (r *Result) WriteMarkdown(w io.Writer) error {
	return r.writeCoefTable(w, "markdown")
}

// WriteLaTeX writes the coefficient table of one model as a LaTeX booktabs
// tabular.
func (r *Result) WriteLaTeX(w io.Writer) error {
	return r.writeCoefTable(w, "latex")
}

func (r *Result) writeCoefTable(w io.Writer, format string) error {
	st := statName(r)
	g := &grid{header: []string{"", "Estimate", "Std. Error", st, "p-value"}}
	for _, c := range r.Coefficients {
		g.rows = append(g.rows, []string{c.Name, fmtNum(c.Estimate, 4) + starsTable(c.PValue, format), fmtNum(c.StdError, 4), fmtNum(c.Statistic, 3), fmtP(c.PValue)})
	}
	if _, dyn := r.Options["dlag"]; dyn {
		// The effects of a dynamic model, short and long run (the static
		// models' tables list coefficients only).
		for _, blk := range impactBlocks(r) {
			kind := strings.TrimSuffix(blk.title, " impacts")
			for _, part := range []struct {
				name string
				es   []Effect
			}{{"direct", blk.imp.Direct}, {"indirect", blk.imp.Indirect}, {"total", blk.imp.Total}} {
				for _, e := range part.es {
					z := e.Estimate / e.StdError
					g.rows = append(g.rows, []string{kind + " " + part.name + ": " + e.Name, fmtNum(e.Estimate, 4) + starsTable(e.PValue, format), fmtNum(e.StdError, 4), fmtNum(z, 3), fmtP(e.PValue)})
				}
			}
		}
	}
	title := modelTitle(r)
	if r.Effects != "" && r.Effects != "none" {
		title += ", " + r.Effects + " effects"
	}
	g.footer = append(g.footer, []string{"Model", title, "", "", ""})
	g.footer = append(g.footer, []string{"Observations", strconv.Itoa(r.NObs), "", "", ""})
	if v, ok := r.R2["r2"]; ok {
		g.footer = append(g.footer, []string{"R²", fmtNum(v, 4), "", "", ""})
	}
	if r.LogLik != nil {
		g.footer = append(g.footer, []string{"Log-likelihood", fmtNum(*r.LogLik, 3), "", "", ""})
	}
	if v, ok := r.Options["vcov"]; ok {
		g.footer = append(g.footer, []string{"Covariance", fmt.Sprint(v), "", "", ""})
	}
	if v, ok := r.Options["estimator"]; ok {
		g.footer = append(g.footer, []string{"Estimator", fmt.Sprint(v), "", "", ""})
	}
	g.note = "Significance: * p < 0.1, ** p < 0.05, *** p < 0.01."
	return g.write(w, format)
}

// starsTable returns stargazer's stars (* 0.1, ** 0.05, *** 0.01),
// superscripted in LaTeX.
func starsTable(p float64, format string) string {
	s := ""
	switch {
	case p < 0.01:
		s = "***"
	case p < 0.05:
		s = "**"
	case p < 0.1:
		s = "*"
	}
	if s == "" {
		return ""
	}
	if format == "latex" {
		return "$^{" + s + "}$"
	}
	if format == "markdown" {
		return strings.ReplaceAll(s, "*", `\*`)
	}
	return s
}

// grid is a table with a header row, body rows, footer rows and a note.
type grid struct {
	header []string
	rows   [][]string
	footer [][]string
	note   string
}

func texEscape(s string) string {
	r := strings.NewReplacer(`\`, `\textbackslash{}`, "&", `\&`, "%", `\%`, "$", `\$`, "#", `\#`, "_", `\_`, "{", `\{`, "}", `\}`, "~", `\textasciitilde{}`, "^", `\textasciicircum{}`, "σ²", `$\sigma^2$`, "σ", `$\sigma$`, "²", `$^2$`)
	return r.Replace(s)
}

func mdEscape(s string) string {
	return strings.ReplaceAll(s, "|", `\|`)
}

func (g *grid) write(w io.Writer, format string) error {
	var b strings.Builder
	switch format {
	case "markdown", "md":
		line := func(cells []string, esc bool) {
			b.WriteString("|")
			for _, c := range cells {
				if esc {
					c = mdEscape(c)
				}
				b.WriteString(" " + c + " |")
			}
			b.WriteString("\n")
		}
		line(g.header, true)
		b.WriteString("|")
		for j := range g.header {
			if j == 0 {
				b.WriteString(" :--- |")
			} else {
				b.WriteString(" ---: |")
			}
		}
		b.WriteString("\n")
		for _, r := range g.rows {
			line(r, false)
		}
		for _, r := range g.footer {
			line(r, true)
		}
		if g.note != "" {
			b.WriteString("\n" + g.note + "\n")
		}
	case "latex", "tex":
		b.WriteString(`\begin{tabular}{l` + strings.Repeat("r", len(g.header)-1) + "}\n\\toprule\n")
		row := func(cells []string, esc bool) {
			out := make([]string, len(cells))
			for j, c := range cells {
				if esc || j == 0 {
					c = texEscape(c)
				}
				out[j] = c
			}
			b.WriteString(strings.Join(out, " & ") + ` \\` + "\n")
		}
		row(g.header, true)
		b.WriteString("\\midrule\n")
		for _, r := range g.rows {
			row(r, false)
		}
		if len(g.footer) > 0 {
			b.WriteString("\\midrule\n")
			for _, r := range g.footer {
				row(r, true)
			}
		}
		b.WriteString("\\bottomrule\n")
		if g.note != "" {
			b.WriteString(`\multicolumn{` + strconv.Itoa(len(g.header)) + `}{l}{\footnotesize ` + texEscape(g.note) + "} \\\\\n")
		}
		b.WriteString("\\end{tabular}\n")
	case "csv":
		cw := csv.NewWriter(&b)
		all := append([][]string{g.header}, g.rows...)
		all = append(all, g.footer...)
		for _, r := range all {
			plain := make([]string, len(r))
			for j, c := range r {
				plain[j] = strings.NewReplacer(`\*`, "*", "$^{", "", "}$", "").Replace(c)
			}
			if err := cw.Write(plain); err != nil {
				return err
			}
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
	case "text", "":
		all := append([][]string{g.header}, g.rows...)
		all = append(all, g.footer...)
		width := make([]int, len(g.header))
		for _, r := range all {
			for j, c := range r {
				width[j] = max(width[j], len([]rune(c)))
			}
		}
		total := len(width) - 1
		for _, x := range width {
			total += x + 1
		}
		rule := strings.Repeat("-", total) + "\n"
		row := func(r []string) {
			var l strings.Builder
			for j, c := range r {
				pad := strings.Repeat(" ", width[j]-len([]rune(c)))
				if j == 0 {
					l.WriteString(c + pad)
				} else {
					l.WriteString("  " + pad + c)
				}
			}
			b.WriteString(strings.TrimRight(l.String(), " ") + "\n")
		}
		b.WriteString(rule)
		row(g.header)
		b.WriteString(rule)
		for _, r := range g.rows {
			row(r)
		}
		if len(g.footer) > 0 {
			b.WriteString(rule)
			for _, r := range g.footer {
				row(r)
			}
		}
		b.WriteString(rule)
		if g.note != "" {
			b.WriteString(g.note + "\n")
		}
	default:
		return fmt.Errorf("unknown table format %q (want text, markdown, latex or csv)", format)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// spatialSettings returns the text summary's line on how a spatial model
// was fitted: the weights' style, the Lee–Yu correction, the
// log-determinant with its error bound and the traces; "" for other models.
func spatialSettings(r *Result) string {
	style, ok := r.Options["style"]
	if !ok {
		return ""
	}
	parts := []string{fmt.Sprintf("Weights style: %v", style)}
	if dl, ok := r.Options["dlag"]; ok {
		parts = append(parts, fmt.Sprintf("dynamic (dlag %v): %v", dl, r.Options["estimator"]))
	}
	if ly, ok := r.Options["lee_yu"].(bool); ok {
		parts = append(parts, "Lee-Yu correction: "+map[bool]string{true: "yes", false: "no"}[ly])
	}
	if ld, ok := r.Options["logdet"]; ok {
		e, _ := r.Options["logdet_error"].(float64)
		if e == 0 {
			parts = append(parts, fmt.Sprintf("log-determinant: %v (exact)", ld))
		} else {
			parts = append(parts, fmt.Sprintf("log-determinant: %v (error bound %.3g)", ld, e))
		}
	} else {
		parts = append(parts, "log-determinant: eigen (exact)")
	}
	if tr, ok := r.Options["traces"]; ok && tr == "stochastic" {
		parts = append(parts, fmt.Sprintf("traces: exact to order %v, %v probes beyond (seed %v)",
			r.Options["trace_exact_order"], r.Options["trace_probes"], r.Options["trace_seed"]))
	}
	return strings.Join(parts, "; ")
}
