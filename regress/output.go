package regress

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/agglo/agglo/internal/nulljson"
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

// extraLabels are the words the text summary uses for the keys of
// Result.Extra (the JSON keeps the keys).
var extraLabels = map[string]string{
	"fe_mean":             "mean of the fixed effects",
	"loglik_ols":          "log-likelihood of OLS",
	"loglik_qml":          "log-likelihood of the QML fit",
	"sigma2_e":            "σ²_e (idiosyncratic)",
	"sigma2_mu":           "σ²_μ (individual)",
	"sigma2_u":            "σ²_u (individual)",
	"sigma2_qml":          "σ² of the QML fit",
	"sigma2_std_error":    "s.e. of σ²",
	"spectral_radius":     "spectral radius",
	"spectral_radius_qml": "spectral radius of the QML fit",
	"theta":               "θ",
	"theta_min":           "θ min",
	"theta_max":           "θ max",
	"theta_mean":          "θ mean",
}

// extraLabel is the label of the Result.Extra key k in the text summary.
func extraLabel(k string) string {
	if l, ok := extraLabels[k]; ok {
		return l
	}
	return strings.ReplaceAll(k, "_", " ")
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
// error, t or z, p-value, significance stars of EconStars), σ², R²,
// log-likelihood, tests, options and messages.
func (r *Result) WriteSummary(w io.Writer) error {
	return r.WriteSummaryStars(w, Stars{})
}

// WriteSummaryStars is WriteSummary with the significance marks of stars
// (the zero value: EconStars; RStars for R's codes).
func (r *Result) WriteSummaryStars(w io.Writer, stars Stars) error {
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
	fmt.Fprintf(&b, "%sN = %d regions, T = %d periods, %d observations\n", bal, r.N, r.T, r.NObs)
	if v, ok := r.Options["vcov"]; ok {
		fmt.Fprintf(&b, "Covariance: %v", v)
		if c, ok := r.Options["vcov_correction"]; ok {
			fmt.Fprintf(&b, ", correction %v", c)
			if f, ok := r.Options["vcov_factor"].(float64); ok {
				fmt.Fprintf(&b, ", factor %.6g", f)
			}
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
			parts = append(parts, fmt.Sprintf("%s = %.6g", extraLabel(k), r.Extra[k]))
		}
		fmt.Fprintf(&b, "%s\n", strings.Join(parts, ", "))
	}
	b.WriteString("\nCoefficients:\n")
	st := statName(r)
	rows := [][]string{{"", "Estimate", "Std. Error", st + " value", "Pr(>|" + st + "|)", ""}}
	for _, c := range r.Coefficients {
		rows = append(rows, []string{c.Name, fmtSig(c.Estimate), fmtSig(c.StdError), fmtNum(c.Statistic, 3), fmtP(c.PValue), stars.Mark(c.PValue)})
	}
	writeAligned(&b, rows)
	if l := stars.Legend(); l != "" {
		b.WriteString("---\nSignif.: " + l + "\n")
	}
	b.WriteString("\n")
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
		if imp.Inference == "exact" {
			fmt.Fprintf(&b, "\n%s (%s; linear in the coefficients: exact standard errors):\n", blk.title, blk.source)
		} else {
			fmt.Fprintf(&b, "\n%s (%s; inference from %d simulated draws, seed %d):\n", blk.title, blk.source, imp.Draws, imp.Seed)
		}
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
// Non-finite numbers, which JSON cannot hold, are written as null
// (package nulljson; ReadJSON reads them back as NaN).
func (r *Result) WriteJSON(w io.Writer) error {
	b, err := nulljson.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding result as JSON: %w", err)
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// WriteMarkdown writes the model as a one-column Markdown table of
// WriteTable (blocks of coefficients and effects, model statistics) with
// the default options.
func (r *Result) WriteMarkdown(w io.Writer) error {
	return WriteTable(w, TableMarkdown, []TableColumn{{Title: ModelName(r.Model), Result: r}}, TableOptions{})
}

// WriteLaTeX writes the model as a one-column LaTeX table of WriteTable
// (booktabs and threeparttable) with the default options.
func (r *Result) WriteLaTeX(w io.Writer) error {
	return WriteTable(w, TableLaTeX, []TableColumn{{Title: ModelName(r.Model), Result: r}}, TableOptions{})
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
	} else if e, ok := r.Options["estimator"].(string); ok {
		parts = append(parts, "estimator: "+e)
	}
	if bc, ok := r.Options["bias_correction"].(string); ok {
		parts = append(parts, bc)
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
