package main

import (
	"bytes"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/agglo/agglo/index"
	"github.com/agglo/agglo/regress"
	"github.com/agglo/agglo/spatial"
	"github.com/agglo/agglo/table"
)

// batchStudy is a loaded spec: the panel (with any index columns joined)
// and the weights by name.
type batchStudy struct {
	spec    *batchSpec
	panel   *regress.Panel
	weights map[string]*spatial.Weights
	// weightsErr holds the error of weights that could not be built: the
	// models that use them fail with it, the others go on.
	weightsErr map[string]error

	// The log-determinant and traces of each weights matrix, set up once
	// and shared by the models (and jobs) that use it.
	mu  sync.Mutex
	lds map[string]*batchLogDet
}

// batchLogDet is one weights matrix's log-determinant and traces, built
// on first use.
type batchLogDet struct {
	once sync.Once
	ld   spatial.LogDeterminant
	tr   regress.Traces
	err  error
}

// logDet returns the log-determinant and traces of the named weights by
// the spec's method (options.logdet; the exact eigenvalues by default, as
// FitSpatial's own default), computed once per weights matrix. Both are
// safe for concurrent use.
func (s *batchStudy) logDet(name string, w *spatial.Weights) (spatial.LogDeterminant, regress.Traces, error) {
	s.mu.Lock()
	if s.lds == nil {
		s.lds = map[string]*batchLogDet{}
	}
	b, ok := s.lds[name]
	if !ok {
		b = &batchLogDet{}
		s.lds[name] = b
	}
	s.mu.Unlock()
	b.once.Do(func() {
		method := s.spec.Options.Logdet
		if method == "" {
			method = "eigen"
		}
		b.ld, b.tr, b.err = regress.LargeN(w, method, spatial.LogDetOptions{Seed: s.spec.Options.Seed})
		if b.err != nil {
			b.err = fmt.Errorf("log-determinant of weights %s: %w", name, b.err)
		}
	})
	return b.ld, b.tr, b.err
}

// loadBatchStudy reads the spec's data, computes its index columns and
// builds its weights. Errors name the file and the step.
func loadBatchStudy(spec *batchSpec) (*batchStudy, error) {
	var p *regress.Panel
	adviseInput(spec.Data)
	if spec.Index != nil {
		tr, err := table.Open(spec.Data, table.Options{})
		if err != nil {
			return nil, err
		}
		recs, err := tr.ReadAll()
		tr.Close()
		if err != nil {
			return nil, err
		}
		if recs, err = joinIndexColumns(recs, spec); err != nil {
			return nil, err
		}
		if p, err = regress.ReadPanelTable(table.FromRecords(spec.Data, recs), spec.ID, spec.Time, regress.PanelOptions{}); err != nil {
			return nil, err
		}
	} else {
		var err error
		if p, err = regress.ReadPanelFile(spec.Data, spec.ID, spec.Time, regress.PanelOptions{}); err != nil {
			return nil, err
		}
	}
	s := &batchStudy{spec: spec, panel: p, weights: map[string]*spatial.Weights{}, weightsErr: map[string]error{}}
	for _, ws := range spec.Weights {
		w, err := buildWeights(ws)
		if err != nil {
			s.weightsErr[ws.Name] = err
			continue
		}
		s.weights[ws.Name] = w
	}
	return s, nil
}

// joinIndexColumns computes the spec's index columns and appends them to
// the panel's records (the header first) by (id, time). A region and period of the panel without an
// index value is an error that names them.
func joinIndexColumns(recs [][]string, spec *batchSpec) ([][]string, error) {
	ix := spec.Index
	type key struct{ region, time string }
	cols := make([]map[key]float64, len(ix.Columns))
	var t *index.Table
	var opt index.Options
	for c, col := range ix.Columns {
		if col.Index == "composite" {
			copt, err := col.compositeOptions()
			if err != nil {
				return nil, fmt.Errorf("index column %q: %w", col.Name, err)
			}
			d, err := index.ReadIndicators(table.FromRecords(spec.Data, recs), spec.ID, spec.Time, col.Indicators)
			if err != nil {
				return nil, fmt.Errorf("index column %q: %w", col.Name, err)
			}
			res, err := index.CompositeOf(d, copt)
			if err != nil {
				return nil, fmt.Errorf("index column %q: %s: %w", col.Name, spec.Data, err)
			}
			cols[c] = map[key]float64{}
			for r, v := range res.Index {
				cols[c][key{res.Regions[r], res.Periods[r]}] = v
			}
			continue
		}
		if t == nil {
			var err error
			t, err = index.ReadCSVFile(ix.Data, index.Columns{Region: ix.Region, Sector: ix.Sector, Time: ix.Time, Value: ix.Value, Share: ix.Share})
			if err != nil {
				return nil, err
			}
			opt = index.Options{RegionName: "region", SectorName: "sector", TimeName: "time"}
			if ix.Groups != "" {
				if opt.Groups, err = index.ReadGroupsFile(ix.Groups, t); err != nil {
					return nil, err
				}
			}
		}
		res, err := index.Compute(col.Index, t, opt)
		if err != nil {
			return nil, fmt.Errorf("index column %q (%s): %w", col.Name, col.Index, err)
		}
		if len(res.KeyNames) == 0 || res.KeyNames[0] != "region" {
			return nil, fmt.Errorf("index column %q: %s is not a region-level index", col.Name, col.Index)
		}
		cols[c] = map[key]float64{}
		for _, r := range res.Rows {
			if len(r.Keys) > 1 {
				// (region, group) or (region, sector): keep the one named.
				if col.Group == "" {
					return nil, fmt.Errorf("index column %q: %s is per region and %s; name one with group:", col.Name, col.Index, res.KeyNames[1])
				}
				if r.Keys[1] != col.Group {
					continue
				}
			}
			cols[c][key{r.Keys[0], r.Time}] = r.Value
		}
		if len(cols[c]) == 0 {
			return nil, fmt.Errorf("index column %q: no values (unknown group %q?)", col.Name, col.Group)
		}
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: empty file", spec.Data)
	}
	idCol, timeCol := -1, -1
	for j, h := range recs[0] {
		switch h {
		case spec.ID:
			idCol = j
		case spec.Time:
			timeCol = j
		}
	}
	if idCol < 0 || timeCol < 0 {
		return nil, fmt.Errorf("%s: no column %q or %q to join the index columns on", spec.Data, spec.ID, spec.Time)
	}
	width := len(recs[0])
	for _, col := range ix.Columns {
		recs[0] = append(recs[0], col.Name)
	}
	for i, r := range recs[1:] {
		if len(r) != width {
			return nil, fmt.Errorf("%s: line %d: %d fields, the header has %d", spec.Data, i+2, len(r), width)
		}
		k := key{r[idCol], r[timeCol]}
		for c, col := range ix.Columns {
			v, ok := cols[c][k]
			if !ok {
				return nil, fmt.Errorf("%s: line %d: region %s in %s has no %s (index %s of %s)", spec.Data, i+2, k.region, k.time, col.Name, col.Index, ix.Data)
			}
			recs[1+i] = append(recs[1+i], strconv.FormatFloat(v, 'g', -1, 64))
		}
	}
	return recs, nil
}

// fit fits one model of the spec.
func (s *batchStudy) fit(m modelSpec) (*regress.Result, error) {
	d, err := s.panel.Design(m.Formula)
	if err != nil {
		return nil, err
	}
	if !isSpatialModel(m.Model) {
		if m.Durbin != "" {
			return nil, fmt.Errorf("model %s: durbin is for sdm, sdem and slx models, not %s", m.ID, m.Model)
		}
		return fitBatchPanelModel(d, m)
	}
	name := m.Weights
	if name == "" {
		if len(s.spec.Weights) != 1 {
			return nil, fmt.Errorf("model %s: name the weights (the spec has %d)", m.ID, len(s.spec.Weights))
		}
		name = s.spec.Weights[0].Name
	}
	if err := s.weightsErr[name]; err != nil {
		return nil, err
	}
	w, ok := s.weights[name]
	if !ok {
		return nil, fmt.Errorf("model %s: unknown weights %q", m.ID, name)
	}
	effects := m.Effects
	if effects == "" {
		effects = "individual"
	}
	var durbin []string
	if m.Durbin != "" {
		if durbin, err = d.DurbinColumns(m.Durbin); err != nil {
			return nil, fmt.Errorf("model %s: %w", m.ID, err)
		}
	}
	sp, msgs, err := regress.SpatialPanelFromDesign(d, w, effects)
	if err != nil {
		return nil, err
	}
	ly, _ := parseLeeYu(s.spec.Options.LeeYu) // checked with the spec
	opts := regress.SpatialOptions{
		Model:       regress.SpatialModel(m.Model),
		Effects:     effects,
		W:           w,
		NoLeeYu:     ly == "false",
		SplmLeeYu:   ly == "splm",
		ImpactDraws: s.spec.Options.ImpactDraws,
		Seed:        s.spec.Options.Seed,
		MaxEval:     m.MaxIter,
		RandomVcov:  s.spec.Options.REVcov,
		Durbin:      durbin,
		ZeroPolicy:  s.spec.Options.ZeroPolicy,

		Dynamic:          m.Dlag,
		NoBiasCorrection: s.spec.Options.NoBiasCorrection,
	}
	if bc, _ := regress.ParseBiasCorrection(s.spec.Options.BiasCorrect); m.Dlag == 0 && m.Model != "slx" && effects != "random" { // checked with the spec
		opts.BiasCorrection = bc
		opts.BiasCorrection.Seed = s.spec.Options.Seed
	}
	if m.Model != "slx" {
		if opts.LogDet, opts.Traces, err = s.logDet(name, w); err != nil {
			return nil, fmt.Errorf("model %s: %w", m.ID, err)
		}
	}
	res, err := regress.FitSpatial(sp, opts)
	if err != nil {
		return nil, err
	}
	res.Messages = append(msgs, res.Messages...)
	if res.Options == nil {
		res.Options = map[string]any{}
	}
	res.Options["weights"] = name
	res.Options["formula"] = m.Formula
	return res, nil
}

// writeBatchTables renders the tables of a batch folder from its
// models/*.json, so that a run and a merge of its shards give the same
// bytes: table.md, table.tex and table.csv, at most six models per panel,
// each column titled with the model's name (or its ID).
func writeBatchTables(dir string, topt regress.TableOptions) error {
	outcomes, err := readOutcomes([]string{dir})
	if err != nil {
		return err
	}
	var cols []regress.TableColumn
	var failed []modelOutcome
	for _, o := range outcomes {
		if o.Result == nil {
			failed = append(failed, o)
			continue
		}
		cols = append(cols, regress.TableColumn{Title: o.Spec.title(), Result: o.Result})
	}
	const perPanel = 6
	formats := []struct{ file, format string }{{"table.md", regress.TableMarkdown}, {"table.tex", regress.TableLaTeX}, {"table.csv", regress.TableCSV}}
	for _, f := range formats {
		var b bytes.Buffer
		for start := 0; start < len(cols); start += perPanel {
			end := min(start+perPanel, len(cols))
			titles := make([]string, 0, end-start)
			for _, c := range cols[start:end] {
				titles = append(titles, c.Title)
			}
			opt := topt
			opt.Title = "Models " + strings.Join(titles, ", ")
			if err := regress.WriteTable(&b, f.format, cols[start:end], opt); err != nil {
				return err
			}
			b.WriteString("\n")
		}
		if f.format == regress.TableMarkdown {
			b.WriteString(specLegend(outcomes))
		}
		if err := writeFileAtomic(filepath.Join(dir, f.file), b.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

// specLegend lists what each model column is, and the failures.
func specLegend(outcomes []modelOutcome) string {
	var b bytes.Buffer
	b.WriteString("| model | name | formula | type | effects | weights | status |\n|:---|:---|:---|:---|:---|:---|:---|\n")
	sorted := append([]modelOutcome(nil), outcomes...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Spec.ID < sorted[j].Spec.ID })
	for _, o := range sorted {
		status := "ok"
		if o.Error != "" {
			status = "failed: " + o.Error
		}
		typ := o.Spec.Model
		if o.Spec.Dlag != 0 {
			typ += fmt.Sprintf(" (dlag %d)", o.Spec.Dlag)
		}
		fmt.Fprintf(&b, "| %s | %s | `%s` | %s | %s | %s | %s |\n", o.Spec.ID, o.Spec.Name, o.Spec.Formula, typ, o.Spec.Effects, o.Spec.Weights, status)
	}
	return b.String()
}

// fitBatchPanelModel fits a non-spatial model (ols, fe, re, between) of a batch.
func fitBatchPanelModel(d *regress.Design, m modelSpec) (*regress.Result, error) {
	eff := regress.NoEffects
	if m.Effects != "" && m.Effects != "none" {
		var err error
		if eff, err = regress.ParseEffects(m.Effects); err != nil {
			return nil, err
		}
	}
	res, err := regress.Fit(d, regress.FitOptions{Model: m.Model, Effects: eff, Vcov: m.Vcov})
	if err != nil {
		return nil, err
	}
	if res.Options == nil {
		res.Options = map[string]any{}
	}
	res.Options["formula"] = m.Formula
	return res, nil
}
