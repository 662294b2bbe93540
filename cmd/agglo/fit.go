package main

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/spf13/cobra"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/agglo/agglo/regress"
	"github.com/agglo/agglo/spatial"
)

const fitUsage = `Usage: agglo fit --data FILE --id COL [--time COL] --formula "y ~ x1 + x2" [flags]

Without --time the data are one cross-section (effects none).

Fits a panel regression and prints its summary, or writes it as JSON,
Markdown or LaTeX.

Panel models (package regress, as R's plm and Stata's xtreg):
  --model ols       pooled OLS
  --model fe        fixed effects (within); --effects individual|time|twoways
                    (twoways also as two-way, twoway, two-ways or both)
  --model re        random effects, Swamy–Arora
  --model between   between (individual means)
Spatial models (--model sar|sem|sdm|sdem|slx|sac) also need --weights FILE;
their options are among the flags below.

Formulas are R's (go doc github.com/agglo/agglo/regress lists the grammar):
  log(y) ~ log(x1/x2) + x3*factor(region) + poly(x4, 2) + lag(x5, 1) - 1
with + - * : / ^ %in% . offset(), I(), log exp sqrt scale poly factor relevel
ifelse pmin pmax lag lead diff; columns are named as R's model.matrix names them.
--durbin "x1 + x1:x2" restricts the W·X terms of sdm, sdem and slx.

Flags:
`

// fitFlags are the options of agglo fit. Panel models use the fields here;
// spatial models (fit_spatial.go) add theirs through addSpatialFlags.
type fitFlags struct {
	data, id, time, formula      string
	model, effects, vcov, format string
	correction, out, name        string
	dkLag                        int
	dropMissing, dropCollinear   bool
	spatial                      *spatialFlags
	table                        *tableFlags
}

// newFitCmd is agglo fit. The dispatch is by model:
//
//   - ols, fe, re, between: fitPanelModel (this file, regress.Fit);
//   - sar, sem, sdm, sdem, slx, sac (isSpatialModel): fitSpatialData in
//     fit_spatial.go, on the same formula design;
//   - anything else is a usage error.
//
// Both paths read the data and build the design here, so that formulas,
// missing values and error messages are the same for every model.
func newFitCmd(env *cliEnv) *cobra.Command {
	cmd := newCommand("fit", "panel and spatial panel regressions: ols, fe, re, between, sar, sem, sdm, sdem, slx, sac", fitUsage)
	fs := cmd.Flags()
	o := &fitFlags{}
	fs.StringVar(&o.data, "data", "", "panel data `FILE` with a header (.csv, .tsv, .txt, .xlsx, .dta or .parquet)")
	fs.StringVar(&o.id, "id", "", "individual (region) `COLUMN`")
	fs.StringVar(&o.time, "time", "", "time `COLUMN`")
	fs.StringVar(&o.formula, "formula", "", "model `FORMULA`, R style")
	fs.StringVar(&o.model, "model", "ols", "model: ols, fe, re, between, or a spatial model (sar, sem, sdm, sdem, slx, sac)")
	fs.StringVar(&o.effects, "effects", "", "effects: "+effectsHelp+" (default individual for fe, re, between; none for ols and spatial models)")
	fs.StringVar(&o.vcov, "vcov", "classical", "covariance: classical, hc0, hc1, hc2, hc3, cluster-id, cluster-time or dk (Driscoll-Kraay)")
	fs.StringVar(&o.correction, "correction", "", "small-sample correction of cluster/dk covariances: none, hc1, stata (Stata's G/(G-1)(n-1)/(n-K), K counting xtreg's constant) or sss (plm's, K = slopes) (default stata for clusters, none for dk)")
	fs.IntVar(&o.dkLag, "dk-lag", 0, "Driscoll-Kraay maximum lag (0: floor(T^(1/4)))")
	fs.StringVar(&o.format, "format", "text", "output: text, json, markdown, latex or csv")
	fs.StringVar(&o.name, "name", "", "model `NAME` heading the table's column (default: the model, e.g. SDM)")
	fs.StringVar(&o.out, "out", "", "write the output to `FILE` (default standard output)")
	fs.BoolVar(&o.dropMissing, "drop-missing", false, "drop rows with missing values (listwise) instead of failing; the count is reported")
	fs.BoolVar(&o.dropCollinear, "drop-collinear", false, "drop collinear regressors with a note instead of failing")
	o.spatial = addSpatialFlags(fs, false)
	input := addInputFlags(fs)
	o.table = addTableFlags(fs)
	completeValues(cmd, "model", "ols", "fe", "re", "between", "sar", "sem", "sdm", "sdem", "slx", "sac")
	completeValues(cmd, "effects", "none", "individual", "time", "twoways", "random")
	completeValues(cmd, "format", "text", "json", "markdown", "latex", "csv")
	completeValues(cmd, "vcov", "classical", "hc0", "hc1", "hc2", "hc3", "cluster-id", "cluster-time", "dk")
	completeValues(cmd, "correction", "none", "hc1", "stata", "sss")
	completeValues(cmd, "style", "W", "B", "C", "U", "S")
	completeValues(cmd, "logdet", spatial.LogDetMethods...)
	completeValues(cmd, "weights-format", "gal", "gwt", "edges", "matrix")
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		in, err := input.options()
		if err != nil {
			return err
		}
		if fs.NArg() > 0 {
			return unexpectedArgs(cmd, "fit", fs.Args())
		}
		for _, req := range []struct{ name, v string }{{"data", o.data}, {"id", o.id}, {"formula", o.formula}} {
			if req.v == "" {
				return usagef("fit: --%s is required", req.name)
			}
		}
		for _, n := range []struct {
			name string
			v    int
		}{{"impacts-draws", o.spatial.draws}, {"dk-lag", o.dkLag}} {
			if err := notNegative("fit", n.name, n.v); err != nil {
				return err
			}
		}
		eff, err := parseEffects(o.effects)
		if err != nil {
			return usagef("fit: --effects %v", err)
		}
		o.effects = eff
		// Without --time the data are one cross-section (effects none).
		if o.time == "" && o.effects != "" && o.effects != "none" {
			return usagef("fit: --effects %s needs a panel: give --time", o.effects)
		}
		switch o.format {
		case "text", "json", "markdown", "md", "latex", "tex", "csv":
		default:
			return usagef("fit: --format %q: want text, json, markdown, latex or csv", o.format)
		}
		topt, err := o.table.options(nil)
		if err != nil {
			return err
		}
		model := strings.ToLower(o.model)
		panel := slices.Contains(panelModels, model)
		if !knownModel(model) {
			return usagef("fit: unknown --model %q (want %s)", o.model, modelsHelp)
		}
		if err := checkOutput("--out", o.out, o.inputs()...); err != nil {
			return err
		}
		adviseInput(o.data)
		defer largeInputGC(o.data)()
		f, err := regress.ParseFormula(o.formula)
		if err != nil {
			return usagef("fit: --formula: %s", libMessage(err))
		}
		p, err := regress.ReadPanelFile(o.data, o.id, o.time, regress.PanelOptions{Columns: f.Variables(), DropMissing: o.dropMissing, Comma: in.Comma, Sheet: in.Sheet})
		if err != nil {
			return withFlagHint(err)
		}
		// A spatial model takes the design's columns straight into its
		// time-major panel (no row-major copy of them).
		design := p.DesignFormula
		if !panel {
			design = p.DesignColumns
		}
		d, err := design(f)
		if err != nil {
			return fmt.Errorf("%s: %w", o.data, err)
		}
		// The panel's columns are garbage once the design holds the
		// model's (the fit keeps only the messages): the model's own
		// copies reuse their memory at N·T in the millions.
		readMsgs := p.Messages
		env.mark("read")
		o.spatial.phase = env.phase
		o.spatial.onPanel = env.onPanel
		var res *regress.Result
		if panel {
			res, err = fitPanelModel(o, model, d)
		} else {
			res, err = fitSpatialModel(o, model, d)
		}
		var ue *usageError
		if err != nil && !errors.As(err, &ue) && !strings.Contains(err.Error(), o.data) {
			err = fmt.Errorf("%s: %w", o.data, err) // name the data file (not for a bad flag)
		}
		if err == nil {
			if ferr := res.CheckFinite(); ferr != nil {
				err = fmt.Errorf("%s: model %s: %w", o.data, model, ferr)
			}
		}
		if err != nil {
			return withFlagHint(err)
		}
		res.Messages = append(slices.Clone(readMsgs), res.Messages...)
		res.Options["data"] = o.data
		if o.name != "" {
			res.Options["name"] = o.name
		}
		collectFitted(o.data)
		if err := writeFitResult(env, o, res, topt); err != nil {
			return err
		}
		env.mark("write")
		return nil
	}
	return cmd
}

// panelModels are the non-spatial models of fit and batch specs.
var panelModels = []string{"ols", "fe", "re", "between"}

// modelsHelp lists the models of fit --model and of a batch spec.
const modelsHelp = "ols, fe, re, between, sar, sem, sdm, sdem, slx or sac"

// knownModel reports whether m (in any case) is a model of fit and batch.
func knownModel(m string) bool {
	m = strings.ToLower(m)
	return slices.Contains(panelModels, m) || isSpatialModel(m)
}

// effectsHelp documents the values of --effects (and of a batch spec's
// effects), which parseEffects reads.
const effectsHelp = regress.EffectsValues + "; random: individual random effects of sar, sdm, sem and sdem (also re)"

// parseEffects returns the canonical name of an --effects value or of a
// batch spec's effects: "random" (individual random effects of the
// spatial models; also "re") or the fixed effects of regress.ParseEffects
// ("none", "individual", "time", "twoways"); "" stays "" (the model's
// default). The error lists the accepted values.
func parseEffects(s string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return "", nil
	case "random", "re":
		return "random", nil
	}
	e, err := regress.ParseEffects(s)
	if err != nil {
		return "", fmt.Errorf("%q: want %s", s, effectsHelp)
	}
	return e.String(), nil
}

// fitPanelModel fits ols, fe, re or between with regress.Fit.
func fitPanelModel(o *fitFlags, model string, d *regress.Design) (*regress.Result, error) {
	eff := regress.NoEffects
	if o.effects != "" {
		e, err := regress.ParseEffects(o.effects)
		if err != nil {
			return nil, usagef("fit: --effects: %s", libMessage(err))
		}
		eff = e
	}
	if model == "ols" && eff != regress.NoEffects {
		return nil, usagef("fit: --model ols has no effects (use --model fe or re)")
	}
	switch o.vcov {
	case "classical", "hc0", "hc1", "hc2", "hc3", "cluster-id", "cluster-time", "dk":
	default:
		return nil, usagef("fit: --vcov %q: want classical, hc0, hc1, hc2, hc3, cluster-id, cluster-time or dk", o.vcov)
	}
	switch o.correction {
	case "", "none", "hc1", "stata", "sss":
	default:
		return nil, usagef("fit: --correction %q: want none, hc1, stata or sss", o.correction)
	}
	res, err := regress.Fit(d, regress.FitOptions{Model: model, Effects: eff, Vcov: o.vcov, Correction: o.correction,
		DKLag: o.dkLag, DropCollinear: o.dropCollinear})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", o.data, err)
	}
	return res, nil
}

// fitSpatialModel passes the design to the spatial models of
// fit_spatial.go (fitSpatialDesign: under fixed effects the intercept is
// swept out, random effects keep it).
func fitSpatialModel(o *fitFlags, model string, d *regress.Design) (*regress.Result, error) {
	if o.vcov != "classical" {
		return nil, usagef("fit: --vcov %s is for the panel models; spatial models report ML standard errors", o.vcov)
	}
	o.spatial.effects = o.effects
	formula := d.Formula.String()
	// d is not used after fitSpatialDesign has arranged it as a spatial
	// panel, so that its memory is free during the fit.
	res, err := fitSpatialDesign(o.spatial, model, d)
	if err != nil {
		return nil, err
	}
	res.Options["formula"] = formula
	return res, nil
}

// writeFitResult renders the result in the chosen format, to --out
// (atomically) or standard output: the tables (markdown, latex, csv) are
// one-column tables of regress.WriteTable headed by --name.
func writeFitResult(env *cliEnv, o *fitFlags, res *regress.Result, topt regress.TableOptions) error {
	var buf bytes.Buffer
	var err error
	switch o.format {
	case "text":
		err = res.WriteSummaryStars(&buf, topt.Stars)
	case "json":
		err = res.WriteJSON(&buf)
	default:
		title := o.name
		if title == "" {
			title = regress.ModelName(res.Model)
		}
		err = regress.WriteTable(&buf, o.format, []regress.TableColumn{{Title: title, Result: res}}, topt)
	}
	if err != nil {
		return err
	}
	return writeOutput(env, o.out, buf.Bytes(), o.inputs()...)
}

// inputs lists every file fit reads, for the check against --out.
func (o *fitFlags) inputs() []string {
	return []string{o.data, o.spatial.weights, o.spatial.errorWeights, o.spatial.ids, o.table.labels}
}

// largeInputGCBytes is the size of a data file from which fit collects
// garbage at half the default heap growth (about 700,000 rows of a
// six-column panel).
const largeInputGCBytes = 64 << 20

// minHugeAdvice is the least heap adviseInput advises for huge pages:
// the whole heap of a fit at a few thousand regions.
const minHugeAdvice = 64 << 20

// adviseInput advises three times the size of the data file at path, and
// at least minHugeAdvice, of heap for transparent huge pages
// (adviseHugePages), before the file is read: fewer first touches of
// fresh pages cut a fit at N = 3,600 (T = 10) by 10–20 ms and one at 10⁶
// by 4–5 s on the machine of README's Speed section.
func adviseInput(path string) {
	size := int64(0)
	if st, err := os.Stat(path); err == nil {
		size = st.Size()
	}
	adviseHugePages(max(3*size, minHugeAdvice))
}

// largeInputGC lowers the garbage collector's target heap growth to 50%
// (GOGC=50) while fit works on a data file of at least largeInputGCBytes,
// unless the GOGC environment variable sets it, and returns the function
// that restores it. At such sizes the heap is mostly N·T vectors without
// pointers, which a collection does not scan: collecting at 1.5 times the
// live heap instead of twice lowers the peak resident memory (by a tenth
// to a fifth at 10⁵ and 10⁶ regions, T = 10) at no measurable cost in
// time. Small inputs keep the default (their collections are a larger
// share of a short run).
func largeInputGC(path string) (restore func()) {
	if _, set := os.LookupEnv("GOGC"); set {
		return func() {}
	}
	if !largeInput(path) {
		return func() {}
	}
	old := debug.SetGCPercent(50)
	return func() { debug.SetGCPercent(old) }
}

// largeInput reports whether the data file at path has at least
// largeInputGCBytes.
func largeInput(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Size() >= largeInputGCBytes
}

// collectFitted collects garbage once a model fitted to a large data file
// (largeInput) has returned, before its output is made: the fit's N·T
// vectors are garbage then, and the output's buffers reuse their memory
// instead of new memory (at 10⁶ regions, T = 10, a 26 MB JSON output:
// 100–170 MB less peak resident memory, 0.25 s less writing, on a machine
// where fresh memory costs 1.4–2.3 s per GiB). It reports whether it
// collected.
func collectFitted(path string) bool {
	if !largeInput(path) {
		return false
	}
	runtime.GC()
	return true
}
