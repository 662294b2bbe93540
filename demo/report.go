package demo

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/agglo/agglo/index"
	"github.com/agglo/agglo/internal/nulljson"
	"github.com/agglo/agglo/plot"
	"github.com/agglo/agglo/regress"
	"github.com/agglo/agglo/spatial"
)

// StudyOptions configures RunStudy. The zero value uses seed 1, 1,000
// impact draws, 999 permutations and writes the figures.
type StudyOptions struct {
	// Seed seeds the permutation tests and the impacts' simulation.
	Seed uint64
	// ImpactDraws is the number of simulated draws for the impacts.
	ImpactDraws int
	// Permutations is the number of permutations of Moran's I.
	Permutations int
	// NoFigures skips the figures (for quick runs).
	NoFigures bool
	// Truth, when set, is compared with the SDM estimates in the report.
	Truth *Truth
	// Progress, when non-nil, is told each step as it starts.
	Progress func(step string)
	// Table holds the options of the models table (stars, digits,
	// labels); its Title is the demo's own.
	Table regress.TableOptions
}

// StudyReport is what RunStudy found, and the files it wrote.
type StudyReport struct {
	// Files are the paths written, relative to the output folder, sorted.
	Files []string
	// Models are the fitted SAR, SEM and SDM, by model name.
	Models map[string]*regress.Result
	// Chosen is Decision.Model: the model the LM tests and the LR tests
	// point to ("sar", "sem", "sdm", or "fe" for the non-spatial model).
	Chosen string
	// Decision is the choice with its evidence (Elhorst 2010's rule).
	Decision Decision
	// TruthCheck compares the SDM with the generator's truth (when known):
	// one line per coefficient.
	TruthCheck []TruthRow
}

// TruthRow compares one SDM coefficient with the data-generating value.
type TruthRow struct {
	Name     string  `json:"name"`
	Truth    float64 `json:"truth"`
	Estimate float64 `json:"estimate"`
	StdError float64 `json:"std_error"`
	// Z is (estimate − truth)/std_error.
	Z float64 `json:"z"`
}

// outcome names the demo's dependent variable.
const outcome = "log(patents)"

// RunStudy runs the whole study on the files of a study and writes a report
// folder into dir (which must exist and be empty of earlier results; files
// are written atomically):
//
//	data/            the inputs and the panel with the index regressors
//	indices/         every index of package index, in long form
//	moran.csv        Moran's I of log(patents) and of va, by year
//	lm_tests.csv     the panel LM tests on the fixed-effects residuals
//	models/*.json    the SAR, SEM and SDM with individual effects
//	table.md/.tex/.csv  the three models side by side, with the impacts
//	effects.csv      the SDM's direct, indirect and total effects
//	truth.csv        the SDM against the generator's coefficients
//	figures/*.png    maps, LISA, Moran scatter, series, effects, heatmap
//	report.md        a summary linking all of it
func RunStudy(files map[string][]byte, dir string, opts StudyOptions) (*StudyReport, error) {
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.ImpactDraws == 0 {
		opts.ImpactDraws = 1000
	}
	if opts.Permutations == 0 {
		opts.Permutations = 999
	}
	step := func(s string) {
		if opts.Progress != nil {
			opts.Progress(s)
		}
	}
	rep := &StudyReport{Models: map[string]*regress.Result{}}
	write := func(name string, b []byte) error {
		if err := writeFile(dir, name, b); err != nil {
			return err
		}
		rep.Files = append(rep.Files, name)
		return nil
	}

	step("reading the study")
	d, err := LoadStudy(files)
	if err != nil {
		return nil, err
	}
	// In name order: report.md lists the files in the order written.
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if err := write("data/"+name, files[name]); err != nil {
			return nil, err
		}
	}
	if err := write("data/panel.csv", d.Panel); err != nil {
		return nil, err
	}

	step("agglomeration indices")
	idx := map[string]*index.Result{}
	opt := index.Options{Groups: d.Groups, RegionName: "region", SectorName: "sector", TimeName: "year"}
	for _, name := range []string{"lq", "hoover", "krugman", "gini", "hhi", "egk", "coagg", "online-lq", "va", "va-region", "va-gap", "virtual-coagg"} {
		res, err := index.Compute(name, d.Table, opt)
		if err != nil {
			return nil, fmt.Errorf("index %s: %w", name, err)
		}
		idx[name] = res
		var b bytes.Buffer
		if err := res.WriteCSV(&b); err != nil {
			return nil, err
		}
		if err := write("indices/"+name+".csv", b.Bytes()); err != nil {
			return nil, err
		}
	}

	step("spatial autocorrelation")
	panel, err := d.spatialPanel()
	if err != nil {
		return nil, err
	}
	moran, err := d.moranByYear(opts)
	if err != nil {
		return nil, err
	}
	if err := write("moran.csv", moran); err != nil {
		return nil, err
	}

	step("LM tests")
	lm, err := regress.SpatialLMTests(panel, d.W, "individual")
	if err != nil {
		return nil, err
	}
	if err := write("lm_tests.csv", testsCSV(lm)); err != nil {
		return nil, err
	}

	step("spatial panel models")
	var cols []regress.TableColumn
	var tableMD []byte
	for _, m := range []regress.SpatialModel{regress.SAR, regress.SEM, regress.SDM} {
		res, err := regress.FitSpatial(panel, regress.SpatialOptions{
			Model: m, Effects: "individual", W: d.W, ImpactDraws: opts.ImpactDraws, Seed: opts.Seed,
		})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", strings.ToUpper(string(m)), err)
		}
		rep.Models[string(m)] = res
		b, err := nulljson.MarshalIndent(res, "", "  ")
		if err != nil {
			return nil, err
		}
		if err := write("models/"+string(m)+".json", append(b, '\n')); err != nil {
			return nil, err
		}
		cols = append(cols, regress.TableColumn{Title: strings.ToUpper(string(m)), Result: res})
	}
	for _, f := range []struct{ ext, format string }{{"md", regress.TableMarkdown}, {"tex", regress.TableLaTeX}, {"csv", regress.TableCSV}} {
		var b bytes.Buffer
		topt := opts.Table
		topt.Title = "Virtual agglomeration and innovation: spatial panel models with region fixed effects"
		topt.Labels = withDefaultLabels(topt.Labels)
		// The coefficients and effects of three models are some 50 rows:
		// in LaTeX, two tables (regress.LaTeXPageRows).
		if err := regress.WriteTable(&b, f.format, cols, topt); err != nil {
			return nil, err
		}
		if err := write("table."+f.ext, b.Bytes()); err != nil {
			return nil, err
		}
		if f.format == regress.TableMarkdown {
			tableMD = b.Bytes()
		}
	}
	sdm := rep.Models["sdm"]
	rep.Decision = decide(lm, sdm)
	rep.Chosen = rep.Decision.Model
	if sdm.Impacts != nil {
		if err := write("effects.csv", effectsCSV(sdm.Impacts)); err != nil {
			return nil, err
		}
	}
	if opts.Truth != nil {
		rep.TruthCheck = truthCheck(sdm, *opts.Truth)
		if err := write("truth.csv", truthCSV(rep.TruthCheck)); err != nil {
			return nil, err
		}
	}

	if !opts.NoFigures {
		step("figures")
		figs, err := d.figures(idx, sdm, opts)
		if err != nil {
			return nil, err
		}
		names := make([]string, 0, len(figs))
		for name := range figs {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			if err := write("figures/"+name, figs[name]); err != nil {
				return nil, err
			}
		}
	}
	sort.Strings(rep.Files)
	if err := write("report.md", rep.markdown(lm, moran, tableMD, files[FileSectors], opts)); err != nil {
		return nil, err
	}
	sort.Strings(rep.Files)
	return rep, nil
}

// spatialPanel returns log(patents) on va, coagg and log_rd as a spatial
// panel in the order of the weights.
func (d *StudyData) spatialPanel() (*regress.SpatialPanel, error) {
	recs, err := csv.NewReader(bytes.NewReader(d.Panel)).ReadAll()
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for j, h := range recs[0] {
		col[h] = j
	}
	n := len(recs) - 1
	regions := make([]string, n)
	periods := make([]string, n)
	y := make([]float64, n)
	x := mat.NewDense(n, len(Regressors), nil)
	for i, r := range recs[1:] {
		regions[i], periods[i] = r[0], r[1]
		p, err := strconv.ParseFloat(r[col["patents"]], 64)
		if err != nil || p <= 0 {
			return nil, fmt.Errorf("demo: panel row %d: patents %q must be positive", i+2, r[col["patents"]])
		}
		y[i] = math.Log(p)
		for j, name := range Regressors {
			v, err := strconv.ParseFloat(r[col[name]], 64)
			if err != nil {
				return nil, fmt.Errorf("demo: panel row %d: %s: %w", i+2, name, err)
			}
			x.Set(i, j, v)
		}
	}
	return regress.NewSpatialPanel(regions, periods, y, x, Regressors, d.W)
}

// moranByYear returns the CSV of Moran's I of log(patents) and va by year.
func (d *StudyData) moranByYear(opts StudyOptions) ([]byte, error) {
	rows := [][]string{{"variable", "year", "I", "expectation", "z_randomisation", "p_randomisation", "p_permutation", "permutations", "seed"}}
	for _, v := range []string{"patents", "va"} {
		for _, year := range d.Years {
			x, err := d.column(v, year)
			if err != nil {
				return nil, err
			}
			label := v
			if v == "patents" {
				label = outcome
				for i := range x {
					x[i] = math.Log(x[i])
				}
			}
			m, err := spatial.Moran(x, d.W, spatial.TestOptions{Permutations: opts.Permutations, Seed: opts.Seed})
			if err != nil {
				return nil, fmt.Errorf("Moran's I of %s in %s: %w", label, year, err)
			}
			rows = append(rows, []string{label, year, fmtFloat(m.Statistic), fmtFloat(m.Expectation),
				fmtFloat(m.ZRandomisation), fmtFloat(m.PRandomisation), fmtFloat(m.PPermutation),
				strconv.Itoa(m.Permutations), strconv.FormatUint(m.Seed, 10)})
		}
	}
	return csvBytes(rows)
}

func testsCSV(tests map[string]regress.Test) []byte {
	names := make([]string, 0, len(tests))
	for k := range tests {
		names = append(names, k)
	}
	sort.Strings(names)
	rows := [][]string{{"test", "statistic", "df", "p_value"}}
	for _, k := range names {
		t := tests[k]
		df := make([]string, len(t.DF))
		for i, v := range t.DF {
			df[i] = fmtFloat(v)
		}
		rows = append(rows, []string{k, fmtFloat(t.Statistic), strings.Join(df, " "), fmtFloat(t.PValue)})
	}
	b, _ := csvBytes(rows)
	return b
}

func effectsCSV(imp *regress.Impacts) []byte {
	rows := [][]string{{"effect", "variable", "estimate", "std_error", "p_value", "draws", "seed"}}
	for _, k := range []struct {
		name string
		e    []regress.Effect
	}{{"direct", imp.Direct}, {"indirect", imp.Indirect}, {"total", imp.Total}} {
		for _, e := range k.e {
			rows = append(rows, []string{k.name, e.Name, fmtFloat(e.Estimate), fmtFloat(e.StdError), fmtFloat(e.PValue),
				strconv.Itoa(imp.Draws), strconv.FormatUint(imp.Seed, 10)})
		}
	}
	b, _ := csvBytes(rows)
	return b
}

// Decision is the model choice of the study and the evidence behind it,
// by the rule of Elhorst (2010, "Applied spatial econometrics: raising the
// bar", Spatial Economic Analysis 5(1), section 3) at the 5% level:
//
//  1. LM and robust LM tests on the non-spatial model (here with region
//     fixed effects): if neither LMlag nor LMerr rejects, the non-spatial
//     model is not rejected; if one rejects, the tests point to its model;
//     if both do, the robust tests decide (RLMlag alone: SAR, RLMerr
//     alone: SEM, both or neither: both).
//  2. The SDM is fitted and its restrictions tested by LR (Wald beside):
//     θ = 0 (SDM reduces to SAR) and θ + ρβ = 0 (SDM reduces to SEM).
//  3. Both rejected: SDM. θ = 0 not rejected and the LM tests pointed to
//     SAR: SAR. θ + ρβ = 0 not rejected and the LM tests pointed to SEM:
//     SEM. Otherwise the LM and the LR tests disagree and the SDM, which
//     nests both, is kept.
type Decision struct {
	// Model is "sar", "sem" or "sdm", or "fe" when the LM tests do not
	// reject the non-spatial fixed-effects model.
	Model string
	// LM is what the (robust) LM tests point to: "sar", "sem", "both" or
	// "none".
	LM string
	// SARRejected and SEMRejected tell whether the LR tests reject the
	// SDM's restrictions θ = 0 and θ + ρβ = 0 (false when a test is
	// missing).
	SARRejected, SEMRejected bool
	// Reason is the step of the rule that decided, in a sentence.
	Reason string
}

// decisionAlpha is the level of every test of the decision rule.
const decisionAlpha = 0.05

// decide applies the rule documented on Decision to the LM tests of the
// non-spatial model and the tests carried by the SDM fit
// (lr_sdm_vs_sar, lr_sdm_vs_sem).
func decide(lm map[string]regress.Test, sdm *regress.Result) Decision {
	rej := func(t regress.Test, ok bool) bool { return ok && t.PValue < decisionAlpha }
	get := func(m map[string]regress.Test, k string) (regress.Test, bool) { t, ok := m[k]; return t, ok }
	var d Decision
	lag, errT := rej(get(lm, "LMlag")), rej(get(lm, "LMerr"))
	switch {
	case !lag && !errT:
		d.LM = "none"
	case lag && !errT:
		d.LM = "sar"
	case errT && !lag:
		d.LM = "sem"
	default:
		rlag, rerr := rej(get(lm, "RLMlag")), rej(get(lm, "RLMerr"))
		switch {
		case rlag && !rerr:
			d.LM = "sar"
		case rerr && !rlag:
			d.LM = "sem"
		default:
			d.LM = "both"
		}
	}
	if sdm != nil {
		d.SARRejected = rej(get(sdm.Tests, "lr_sdm_vs_sar"))
		d.SEMRejected = rej(get(sdm.Tests, "lr_sdm_vs_sem"))
	}
	switch {
	case d.LM == "none":
		d.Model = "fe"
		d.Reason = "neither LM test rejects the non-spatial model at 5% (step 1)"
	case d.SARRejected && d.SEMRejected:
		d.Model = "sdm"
		d.Reason = "the LR tests reject both θ = 0 and θ + ρβ = 0 at 5%: the SDM reduces to neither SAR nor SEM"
	case !d.SARRejected && d.LM == "sar":
		d.Model = "sar"
		d.Reason = "θ = 0 is not rejected at 5% and the LM tests point to SAR"
	case !d.SEMRejected && d.LM == "sem":
		d.Model = "sem"
		d.Reason = "θ + ρβ = 0 is not rejected at 5% and the LM tests point to SEM"
	default:
		d.Model = "sdm"
		d.Reason = "the LM tests (pointing to " + strings.ToUpper(d.LM) + ") and the LR tests point to different models: the SDM, which nests both, is kept"
	}
	return d
}

func truthCheck(sdm *regress.Result, tr Truth) []TruthRow {
	want := map[string]float64{"rho": tr.Rho}
	for j, name := range Regressors {
		want[name] = tr.Beta[j]
		want["W*"+name] = tr.Theta[j]
	}
	var out []TruthRow
	for _, c := range sdm.Coefficients {
		v, ok := want[c.Name]
		if !ok {
			continue
		}
		out = append(out, TruthRow{Name: c.Name, Truth: v, Estimate: c.Estimate, StdError: c.StdError, Z: (c.Estimate - v) / c.StdError})
	}
	return out
}

func truthCSV(rows []TruthRow) []byte {
	out := [][]string{{"coefficient", "truth", "estimate", "std_error", "z"}}
	for _, r := range rows {
		out = append(out, []string{r.Name, fmtFloat(r.Truth), fmtFloat(r.Estimate), fmtFloat(r.StdError), fmtFloat(r.Z)})
	}
	b, _ := csvBytes(out)
	return b
}

// figures draws the report's figures as PNG.
func (d *StudyData) figures(idx map[string]*index.Result, sdm *regress.Result, opts StudyOptions) (map[string][]byte, error) {
	regions, err := plot.RegionsFrom(d.Regions.IDs, d.Regions.Polygons)
	if err != nil {
		return nil, err
	}
	last := d.Years[len(d.Years)-1]
	out := map[string][]byte{}
	render := func(name string, f plot.Figure) error {
		var b bytes.Buffer
		if err := plot.Write(&b, f, plot.PNG, plot.Options{DPI: 150}); err != nil {
			return fmt.Errorf("figure %s: %w", name, err)
		}
		out[name] = b.Bytes()
		return nil
	}
	va, err := d.column("va", last)
	if err != nil {
		return nil, err
	}
	if err := render("map_va_"+last+".png", &plot.Choropleth{Regions: regions, IDs: d.W.IDs(), Values: va,
		Scheme: plot.Jenks, K: 5, Title: "Virtual agglomeration of producer services, " + last, LegendTitle: "VA"}); err != nil {
		return nil, err
	}
	pat, err := d.column("patents", last)
	if err != nil {
		return nil, err
	}
	for i := range pat {
		pat[i] = math.Log(pat[i])
	}
	loc, err := spatial.LocalMoran(pat, d.W, spatial.LocalOptions{Permutations: opts.Permutations, Seed: opts.Seed})
	if err != nil {
		return nil, err
	}
	clusters := make([]string, len(loc))
	zs := make([]float64, len(loc))
	lags := make([]float64, len(loc))
	for i, l := range loc {
		clusters[i], zs[i], lags[i] = l.Cluster, l.ZValue, l.Lag
	}
	if err := render("lisa_patents_"+last+".png", &plot.LISAMap{Regions: regions, IDs: d.W.IDs(), Clusters: clusters, Alpha: 0.05,
		Title: "LISA clusters of log(patents), " + last}); err != nil {
		return nil, err
	}
	if err := render("moran_patents_"+last+".png", &plot.MoranScatter{IDs: d.W.IDs(), X: zs, WX: lags,
		Title: "Moran scatter plot of log(patents), " + last}); err != nil {
		return nil, err
	}
	// Mean online share of producer services and mean VA by year.
	var vaMean, share []float64
	for _, year := range d.Years {
		v, _ := d.column("va", year)
		vaMean = append(vaMean, mean(v))
		k, _ := d.Table.TimeIndex(year)
		var on, tot float64
		for _, j := range d.Groups.Columns(d.Table, GroupServices) {
			for i := range d.Table.Regions {
				e := d.Table.E[k].At(i, j)
				on += e * d.Table.Share[k].At(i, j)
				tot += e
			}
		}
		share = append(share, 100*on/tot)
	}
	if err := render("series_va.png", &plot.SeriesChart{Categories: d.Years,
		Bars:  []plot.Series{{Name: "mean VA of producer services", Values: vaMean}},
		Share: &plot.Series{Name: "online share of producer services, %", Values: share},
		Title: "Virtual agglomeration and online activity", YLabel: "mean VA", RightLabel: "online share, %"}); err != nil {
		return nil, err
	}
	if sdm.Impacts != nil {
		if err := render("effects_sdm.png", &plot.EffectsPlot{Impacts: sdm.Impacts, Title: "SDM: direct, indirect and total effects",
			Labels: withDefaultLabels(opts.Table.Labels)}); err != nil {
			return nil, err
		}
	}
	if egk := idx["egk"]; egk != nil {
		labels, vals := egkMatrix(egk, last)
		if err := render("heatmap_egk_"+last+".png", &plot.Heatmap{Labels: labels, Values: vals,
			Title: "Ellison–Glaeser–Kerr coagglomeration, " + last, LegendTitle: "γᶜ"}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// egkMatrix turns the long EGK result of one year into a matrix.
func egkMatrix(r *index.Result, year string) ([]string, [][]float64) {
	pos := map[string]int{}
	var labels []string
	for _, row := range r.Rows {
		if row.Time != year {
			continue
		}
		for _, k := range row.Keys[:2] {
			if _, ok := pos[k]; !ok {
				pos[k] = len(labels)
				labels = append(labels, k)
			}
		}
	}
	vals := make([][]float64, len(labels))
	for i := range vals {
		vals[i] = make([]float64, len(labels))
		for j := range vals[i] {
			vals[i][j] = math.NaN()
		}
	}
	for _, row := range r.Rows {
		if row.Time == year {
			i, j := pos[row.Keys[0]], pos[row.Keys[1]]
			vals[i][j], vals[j][i] = row.Value, row.Value
		}
	}
	return labels, vals
}

func mean(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// markdown renders report.md: Moran's I by year, the LM tests, the model
// choice with its rule and tests, the models table, the SDM against the
// truth, the figures (embedded as images) and the list of files.
func (r *StudyReport) markdown(lm map[string]regress.Test, moran, tableMD, sectors []byte, opts StudyOptions) []byte {
	var b strings.Builder
	b.WriteString("# agglo demo: virtual agglomeration and manufacturing innovation\n\n")
	b.WriteString("A synthetic study (package demo): 100 hexagonal regions, 2013–2017, four manufacturing industries and five producer-service categories, the online share of each, and patents generated from a spatial Durbin model of the agglomeration indices with known coefficients.\n\n")
	b.WriteString("## Spatial dependence\n\nMoran's I by year (queen contiguity, row-standardised; `moran.csv`):\n\n")
	if recs, err := csv.NewReader(bytes.NewReader(moran)).ReadAll(); err == nil && len(recs) > 1 {
		col := map[string]int{}
		for j, h := range recs[0] {
			col[h] = j
		}
		b.WriteString("| variable | year | I | E[I] | z | p (randomisation) | p (permutation) |\n|:---|:---|---:|---:|---:|---:|---:|\n")
		num := func(rec []string, k string, f string) string {
			v, err := strconv.ParseFloat(rec[col[k]], 64)
			if err != nil {
				return rec[col[k]]
			}
			return fmt.Sprintf(f, v)
		}
		for _, rec := range recs[1:] {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", rec[col["variable"]], rec[col["year"]],
				num(rec, "I", "%.3f"), num(rec, "expectation", "%.4f"), num(rec, "z_randomisation", "%.2f"),
				num(rec, "p_randomisation", "%.2g"), num(rec, "p_permutation", "%.3f"))
		}
		fmt.Fprintf(&b, "\nPermutation p-values from %s permutations, seed %s.\n", recs[1][col["permutations"]], recs[1][col["seed"]])
	}
	b.WriteString("\nLM tests on the residuals of the non-spatial model with region fixed effects (`lm_tests.csv`):\n\n| test | statistic | p |\n|:---|---:|---:|\n")
	for _, k := range slices.Sorted(maps.Keys(lm)) {
		fmt.Fprintf(&b, "| %s | %.3f | %.3g |\n", k, lm[k].Statistic, lm[k].PValue)
	}
	b.WriteString("\n## Model choice\n\nThe rule of Elhorst (2010, \"Applied spatial econometrics: raising the bar\", *Spatial Economic Analysis* 5(1)), every test at 5%:\n\n")
	b.WriteString("1. LM and robust LM tests on the non-spatial model: if neither LMlag nor LMerr rejects, the non-spatial model stays; if one rejects, the tests point to its model (SAR or SEM); if both do, the robust tests decide (RLMlag alone: SAR, RLMerr alone: SEM, both or neither: both).\n")
	b.WriteString("2. Fit the SDM and test its restrictions by likelihood ratio (Wald beside): θ = 0 (the SDM reduces to SAR) and θ + ρβ = 0 (it reduces to SEM).\n")
	b.WriteString("3. Both rejected: SDM. θ = 0 not rejected and the LM tests pointed to SAR: SAR. θ + ρβ = 0 not rejected and the LM tests pointed to SEM: SEM. Otherwise the LM and LR tests disagree and the SDM, which nests both, is kept.\n\n")
	lmSays := map[string]string{"sar": "SAR", "sem": "SEM", "both": "both SAR and SEM", "none": "no spatial model"}[r.Decision.LM]
	fmt.Fprintf(&b, "Here the LM tests point to %s.", lmSays)
	if sdm := r.Models["sdm"]; sdm != nil {
		b.WriteString(" Tests of the SDM's restrictions:\n\n| test | statistic | df | p |\n|:---|---:|---:|---:|\n")
		for _, k := range []struct{ key, label string }{
			{"lr_sdm_vs_sar", "LR, θ = 0 (SDM vs SAR)"}, {"wald_sdm_vs_sar", "Wald, θ = 0 (SDM vs SAR)"},
			{"lr_sdm_vs_sem", "LR, θ + ρβ = 0 (SDM vs SEM)"}, {"wald_sdm_vs_sem", "Wald, θ + ρβ = 0 (SDM vs SEM)"},
		} {
			t, ok := sdm.Tests[k.key]
			if !ok {
				continue
			}
			df := ""
			if len(t.DF) > 0 {
				df = fmtFloat(t.DF[0])
			}
			fmt.Fprintf(&b, "| %s | %.3f | %s | %.3g |\n", k.label, t.Statistic, df, t.PValue)
		}
		b.WriteString("\n")
	} else {
		b.WriteString("\n\n")
	}
	name := map[string]string{"sar": "SAR", "sem": "SEM", "sdm": "SDM", "fe": "the non-spatial fixed-effects model"}[r.Decision.Model]
	fmt.Fprintf(&b, "The tests point to **%s**: %s.\n\n", name, r.Decision.Reason)
	est := "uncorrected ML"
	if sdm := r.Models["sdm"]; sdm != nil {
		if e, ok := sdm.Options["estimator"].(string); ok {
			est = e
		}
	}
	fmt.Fprintf(&b, "## Models\n\nSAR, SEM and SDM with region fixed effects, estimator: %s (also in `table.md`, `.tex`, `.csv`; each model in `models/`; the SDM's effects in `effects.csv`).\n\n", est)
	if len(tableMD) > 0 {
		b.Write(bytes.TrimRight(tableMD, "\n"))
		b.WriteString("\n\n")
	}
	if len(r.TruthCheck) > 0 {
		fmt.Fprintf(&b, "## SDM against the truth\n\nThe SDM fitted by %s; z = (estimate − truth)/s.e. (uncorrected ML would understate the s.e. by √(T/(T−1)) at this short T).\n\n| coefficient | truth | estimate | s.e. | z |\n|:---|---:|---:|---:|---:|\n", est)
		for _, t := range r.TruthCheck {
			fmt.Fprintf(&b, "| %s | %.3f | %.3f | %.3f | %.2f |\n", t.Name, t.Truth, t.Estimate, t.StdError, t.Z)
		}
		b.WriteString("\n")
	}
	var figs []string
	for _, f := range r.Files {
		if strings.HasPrefix(f, "figures/") && strings.HasSuffix(f, ".png") {
			figs = append(figs, f)
		}
	}
	if len(figs) > 0 {
		b.WriteString("## Figures\n\n")
		for _, f := range figs {
			fmt.Fprintf(&b, "![%s](%s)\n\n", figureCaption(f), f)
			if c := figureNote(f, opts); c != "" {
				fmt.Fprintf(&b, "*%s*\n\n", c)
			}
			if strings.HasPrefix(f, "figures/heatmap_") {
				b.WriteString(sectorKey(sectors))
			}
		}
	}
	b.WriteString("## Files\n\n")
	for _, f := range r.Files {
		fmt.Fprintf(&b, "- `%s`\n", f)
	}
	return []byte(b.String())
}

// figureCaption returns the alt text of a figure of the report from its
// file name (figures/map_va_2017.png: "map va 2017").
func figureCaption(path string) string {
	name := strings.TrimSuffix(strings.TrimPrefix(path, "figures/"), ".png")
	return strings.ReplaceAll(name, "_", " ")
}

// RegressorLabels are the printed names of the demo's regressors in its
// tables and figures, unless StudyOptions.Table.Labels names them.
var RegressorLabels = map[string]string{"va": "Virtual agglomeration (VA)", "coagg": "Coagglomeration", "log_rd": "R&D spending (log)"}

// withDefaultLabels returns labels with RegressorLabels for the
// regressors it does not name.
func withDefaultLabels(labels map[string]string) map[string]string {
	out := maps.Clone(RegressorLabels)
	maps.Copy(out, labels)
	return out
}

// figureNote returns the caption printed under a figure of the report:
// what it shows, its source and conventions.
func figureNote(path string, opts StudyOptions) string {
	name := strings.TrimSuffix(strings.TrimPrefix(path, "figures/"), ".png")
	year := name[strings.LastIndex(name, "_")+1:]
	switch {
	case strings.HasPrefix(name, "map_va_"):
		return "Virtual agglomeration (VA) of producer services by region, " + year + " (index.VARegion); five classes by natural breaks (Jenks)."
	case strings.HasPrefix(name, "lisa_"):
		return fmt.Sprintf("Local Moran's I (Anselin 1995) of log(patents), %s, queen contiguity: clusters significant at 5%% by %d permutations (seed %d).", year, opts.Permutations, opts.Seed)
	case strings.HasPrefix(name, "moran_"):
		return "Moran scatter plot (Anselin 1996) of log(patents), " + year + ": the standardised value z against its spatial lag Wz; the slope of the least-squares line is Moran's I; influential regions as spdep's moran.plot flags them."
	case name == "series_va":
		return "Mean VA of producer services (bars, left axis) and the online share of producer-service employment in % (line, right axis), by year."
	case name == "effects_sdm":
		return fmt.Sprintf("Direct, indirect and total effects of the SDM (LeSage and Pace 2009), estimate and 95%% interval from %d simulated parameter draws (seed %d).", opts.ImpactDraws, opts.Seed)
	case strings.HasPrefix(name, "heatmap_egk_"):
		return "Ellison–Glaeser–Kerr coagglomeration γᶜ (Ellison, Glaeser and Kerr 2010) of each pair of sectors, " + year + ", sectors ordered by average-linkage clustering; the diagonal (a sector with itself) is undefined. Sectors by code, as in the data; the codes:"
	}
	return ""
}

// sectorKey renders the groups file (sector, group, name) as the key of
// the sector codes, "" when it cannot be read.
func sectorKey(groups []byte) string {
	recs, err := csv.NewReader(bytes.NewReader(groups)).ReadAll()
	if err != nil || len(recs) < 2 {
		return ""
	}
	col := map[string]int{}
	for j, h := range recs[0] {
		col[h] = j
	}
	ci, okC := col["sector"]
	gi, okG := col["group"]
	ni, okN := col["name"]
	if !okC || !okG || !okN {
		return ""
	}
	var b strings.Builder
	b.WriteString("| code | group | sector |\n|:---|:---|:---|\n")
	for _, r := range recs[1:] {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", r[ci], strings.ReplaceAll(r[gi], "_", " "), r[ni])
	}
	b.WriteString("\n")
	return b.String()
}
