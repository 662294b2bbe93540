package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/agglo/agglo/regress"
	"github.com/agglo/agglo/spatial"
	"gopkg.in/yaml.v3"
)

// batchSpec is the YAML file that `agglo batch` runs. Paths are relative to
// the spec file's folder.
//
//	data: innovation.csv        # panel: one row per (id, time)
//	id: region
//	time: year
//	weights:
//	  - {name: queen, file: regions.geojson, id: id, contiguity: queen}
//	  - {name: rook, file: regions.shp, id: code, contiguity: rook}  # .shp: a shapefile
//	  - {name: file, file: w.gal, style: W}
//	index:                      # optional: columns computed from a long table
//	  data: employment.csv
//	  region: region
//	  sector: sector
//	  time: year
//	  value: employment
//	  share: online_share
//	  groups: sectors.csv
//	  columns:
//	    - {name: va, index: va-region, group: producer_services}
//	    - {name: coagg, index: coagg}
//	    - {name: digital, index: composite, indicators: [internet, mobile, eshop], method: entropy}
//	models:                     # a cross product …
//	  formulas: ["log(patents) ~ va + coagg + log_rd"]
//	  models: [sar, sem, sdm]
//	  effects: [individual, twoways]
//	  weights: [queen]
//	  dlag: [0, 3]              # SAR/SDM static (0) and dynamic (1 y(t-1), 2 W*y(t-1), 3 both)
//	  list:                     # … and/or single models, named for tables
//	    - {name: FE, formula: "…", model: fe, effects: individual, vcov: cluster-id}
//	    - {formula: "…", model: sdm, weights: queen, durbin: "va + coagg"}
//	labels:                     # optional: variable labels in tables
//	  log_rd: R&D spending (log)
//	options: {impacts_draws: 1000, seed: 1, lee_yu: true, vcov: classical, logdet: auto, max_iter: 1000, re_vcov: full, zero_policy: false,
//	          no_bias_correction: false, bias_correct: none}
type batchSpec struct {
	Data    string        `yaml:"data"`
	ID      string        `yaml:"id"`
	Time    string        `yaml:"time"`
	Weights []weightsSpec `yaml:"weights"`
	Index   *indexSpec    `yaml:"index"`
	Models  modelsSpec    `yaml:"models"`
	Options batchOptions  `yaml:"options"`
	// Labels maps raw terms to the labels tables print.
	Labels map[string]string `yaml:"labels"`
	Extra  map[string]any    `yaml:",inline"`
}

type weightsSpec struct {
	Name       string  `yaml:"name"`
	File       string  `yaml:"file"`
	Format     string  `yaml:"format"`
	ID         string  `yaml:"id"`
	Contiguity string  `yaml:"contiguity"`
	KNN        int     `yaml:"knn"`
	Snap       float64 `yaml:"snap"`
	Style      string  `yaml:"style"`
	Planar     bool    `yaml:"planar"`
	IDs        string  `yaml:"ids"` // region list of a GWT file with islands
}

type indexSpec struct {
	Data    string            `yaml:"data"`
	Region  string            `yaml:"region"`
	Sector  string            `yaml:"sector"`
	Time    string            `yaml:"time"`
	Value   string            `yaml:"value"`
	Share   string            `yaml:"share"`
	Groups  string            `yaml:"groups"`
	Columns []indexColumnSpec `yaml:"columns"`
}

type indexColumnSpec struct {
	Name  string `yaml:"name"`
	Index string `yaml:"index"`
	Group string `yaml:"group"`
	// A composite column (index: composite) combines indicators of the
	// panel (data:, id:, time:) as "agglo index composite" does.
	Indicators []string `yaml:"indicators"`
	Negative   []string `yaml:"negative"`
	Method     string   `yaml:"method"`
	Normalise  string   `yaml:"normalise"`
	ByPeriod   bool     `yaml:"by_period"`
}

type modelsSpec struct {
	Formulas []string `yaml:"formulas"`
	Models   []string `yaml:"models"`
	Effects  []string `yaml:"effects"`
	Weights  []string `yaml:"weights"`
	Vcov     []string `yaml:"vcov"`
	// Dlag crosses the SAR and SDM models with time lags of y (0 static,
	// 1 y(t-1), 2 W*y(t-1), 3 both).
	Dlag []int       `yaml:"dlag"`
	List []modelSpec `yaml:"list"`
}

// modelSpec is one model to fit.
type modelSpec struct {
	// ID is "m001", "m002", … in the order of the expanded spec; agglo
	// assigns it (a spec that sets id is refused: use name).
	ID string `yaml:"id,omitempty" json:"id"`
	// Name is the user's name of a listed model: the title of its table
	// column and the name of its models/<name>.json.
	Name    string `yaml:"name,omitempty" json:"name,omitempty"`
	Formula string `yaml:"formula" json:"formula"`
	Model   string `yaml:"model" json:"model"`
	Effects string `yaml:"effects" json:"effects"`
	Weights string `yaml:"weights,omitempty" json:"weights,omitempty"`
	Vcov    string `yaml:"vcov,omitempty" json:"vcov,omitempty"`
	// Durbin restricts the W·X terms of sdm, sdem and slx models to these
	// terms ("x1 + x2", as spatialreg's Durbin = ~ x1 + x2).
	Durbin string `yaml:"durbin,omitempty" json:"durbin,omitempty"`
	// MaxIter caps the optimiser's likelihood evaluations (0: the
	// options' max_iter, default 1000).
	MaxIter int `yaml:"max_iter,omitempty" json:"max_iter,omitempty"`
	// Dlag makes a SAR or SDM dynamic (regress.SpatialOptions.Dynamic).
	Dlag int `yaml:"dlag,omitempty" json:"dlag,omitempty"`
}

type batchOptions struct {
	ImpactDraws int    `yaml:"impacts_draws"`
	Seed        uint64 `yaml:"seed"`
	// LeeYu is true (the default: the Lee–Yu 2010 correction of the
	// fixed-effects spatial models), false (splm's default) or splm
	// (splm 1.6-5's LeeYu = TRUE), as --lee-yu.
	LeeYu   string `yaml:"lee_yu"`
	Vcov    string `yaml:"vcov"`
	Logdet  string `yaml:"logdet"`
	MaxIter int    `yaml:"max_iter"`
	REVcov  string `yaml:"re_vcov"`
	// ZeroPolicy admits regions without neighbours in the spatial
	// models (spatialreg's zero.policy = TRUE; agglo fit --zero-policy).
	ZeroPolicy bool `yaml:"zero_policy"`
	// NoBiasCorrection reports the quasi-ML estimates of dynamic models.
	NoBiasCorrection bool `yaml:"no_bias_correction"`
	// BiasCorrect is none (the default) or bootstrap[:B], as
	// --bias-correct: the static sar, sdm, sem, sdem and sac models with
	// fixed effects or none get ρ, λ, β and θ bias-corrected by a parametric
	// bootstrap seeded by seed; the other models are fitted as without it.
	BiasCorrect string `yaml:"bias_correct"`
}

// loadBatchSpec reads and checks a spec file. Errors name the file and, for
// YAML errors, the line.
func loadBatchSpec(path string) (*batchSpec, []byte, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	var spec batchSpec
	if err := dec.Decode(&spec); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, fmt.Errorf("%s: empty spec (want data:, id:, time: and models:; see agglo batch --help)", path)
		}
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	// A second document (after ---) would be ignored silently.
	var next yaml.Node
	if err := dec.Decode(&next); !errors.Is(err, io.EOF) {
		line := next.Line
		if err != nil {
			return nil, nil, fmt.Errorf("%s: after the spec: %w", path, err)
		}
		return nil, nil, fmt.Errorf("%s: line %d: a second YAML document (after ---): a spec is one document", path, line)
	}
	if err := spec.check(); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	dir := filepath.Dir(path)
	spec.Data = resolve(dir, spec.Data)
	for i := range spec.Weights {
		spec.Weights[i].File = resolve(dir, spec.Weights[i].File)
		if spec.Weights[i].IDs != "" {
			spec.Weights[i].IDs = resolve(dir, spec.Weights[i].IDs)
		}
	}
	if spec.Index != nil {
		spec.Index.Data = resolve(dir, spec.Index.Data)
		if spec.Index.Groups != "" {
			spec.Index.Groups = resolve(dir, spec.Index.Groups)
		}
	}
	return &spec, raw, nil
}

func resolve(dir, p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

func (s *batchSpec) check() error {
	var problems []string
	if s.Data == "" {
		problems = append(problems, "data: a panel CSV is required")
	}
	if s.ID == "" {
		problems = append(problems, "id: the id column is required")
	}
	names := map[string]bool{}
	for i, w := range s.Weights {
		switch {
		case w.Name == "":
			problems = append(problems, fmt.Sprintf("weights[%d]: name is required", i))
		case names[w.Name]:
			problems = append(problems, fmt.Sprintf("weights[%d]: duplicate name %q", i, w.Name))
		case w.File == "":
			problems = append(problems, fmt.Sprintf("weights %q: file is required", w.Name))
		}
		names[w.Name] = true
	}
	if s.Index != nil {
		long := len(s.Index.Columns) == 0
		for i, c := range s.Index.Columns {
			if c.Name == "" || c.Index == "" {
				problems = append(problems, fmt.Sprintf("index.columns[%d]: name and index are required", i))
			}
			if c.Index != "composite" {
				long = true
				continue
			}
			if _, err := c.compositeOptions(); err != nil {
				problems = append(problems, fmt.Sprintf("index.columns[%d] (%s): %v", i, c.Name, err))
			}
		}
		if long && (s.Index.Data == "" || s.Index.Region == "" || s.Index.Sector == "" || s.Index.Time == "" || s.Index.Value == "") {
			problems = append(problems, "index: data, region, sector, time and value are required")
		}
	}
	if s.Options.Logdet != "" && !slices.Contains(spatial.LogDetMethods, s.Options.Logdet) {
		problems = append(problems, fmt.Sprintf("options.logdet %q: want one of %s", s.Options.Logdet, strings.Join(spatial.LogDetMethods, ", ")))
	}
	if _, err := parseLeeYu(s.Options.LeeYu); err != nil {
		problems = append(problems, "options.lee_yu "+err.Error())
	}
	if bc, err := regress.ParseBiasCorrection(s.Options.BiasCorrect); err != nil {
		problems = append(problems, "options.bias_correct "+err.Error())
	} else if ly, _ := parseLeeYu(s.Options.LeeYu); bc.Method != "" && ly == "splm" {
		problems = append(problems, "options.bias_correct does not combine with lee_yu: splm")
	}
	if v := s.Options.REVcov; v != "" && !slices.Contains(regress.RandomVcovs, v) {
		problems = append(problems, fmt.Sprintf("options.re_vcov %q: want full or splm", v))
	}
	if s.Options.MaxIter < 0 {
		problems = append(problems, fmt.Sprintf("options.max_iter %d: want at least 1", s.Options.MaxIter))
	}
	for i, l := range s.Models.Dlag {
		if l < 0 || l > 3 {
			problems = append(problems, fmt.Sprintf("models.dlag[%d] = %d: want 0 (static), 1, 2 or 3", i, l))
		}
	}
	for i, m := range s.Models.Models {
		if !knownModel(m) {
			problems = append(problems, fmt.Sprintf("models.models[%d] %q: want %s", i, m, modelsHelp))
		}
	}
	for i, e := range s.Models.Effects {
		eff, err := parseEffects(e)
		if err != nil {
			problems = append(problems, fmt.Sprintf("models.effects[%d] %v", i, err))
		}
		s.Models.Effects[i] = eff
	}
	modelNames := map[string]bool{}
	for i, m := range s.Models.List {
		eff, err := parseEffects(m.Effects)
		if err != nil {
			problems = append(problems, fmt.Sprintf("models.list[%d].effects %v", i, err))
		}
		s.Models.List[i].Effects = eff
		if !knownModel(m.Model) {
			problems = append(problems, fmt.Sprintf("models.list[%d].model %q: want %s", i, m.Model, modelsHelp))
		}
		if m.Dlag < 0 || m.Dlag > 3 {
			problems = append(problems, fmt.Sprintf("models.list[%d].dlag %d: want 0 (static), 1, 2 or 3", i, m.Dlag))
		}
		if m.MaxIter < 0 {
			problems = append(problems, fmt.Sprintf("models.list[%d].max_iter %d: want at least 1", i, m.MaxIter))
		}
		if m.ID != "" {
			problems = append(problems, fmt.Sprintf("models.list[%d]: id %q: agglo numbers the models itself (m001, …); give the model a name", i, m.ID))
		}
		if m.Name == "" {
			continue
		}
		if err := checkModelName(m.Name); err != nil {
			problems = append(problems, fmt.Sprintf("models.list[%d].name: %v", i, err))
		}
		if modelNames[m.Name] {
			problems = append(problems, fmt.Sprintf("models.list[%d]: duplicate name %q", i, m.Name))
		}
		modelNames[m.Name] = true
	}
	if len(s.Extra) > 0 {
		for k := range s.Extra {
			problems = append(problems, fmt.Sprintf("unknown key %q", k))
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	if len(s.expand()) == 0 {
		return errors.New("models: the spec names no model (give formulas × models, or a list)")
	}
	return nil
}

// checkModelName checks that a model's name can title a column and name
// a file: not empty, not a generated ID (m001), no folder separators,
// characters that Windows forbids in file names or a leading dot.
func checkModelName(name string) error {
	switch {
	case strings.TrimSpace(name) != name || name == "":
		return fmt.Errorf("%q: no leading or trailing spaces", name)
	case strings.HasPrefix(name, "."):
		return fmt.Errorf("%q: a name cannot start with a dot", name)
	case strings.ContainsAny(name, `/\<>:"|?*`):
		return fmt.Errorf("%q: a name is a file name: no / \\ < > : \" | ? *", name)
	case len(name) > 1 && name[0] == 'm' && strings.Trim(name[1:], "0123456789") == "":
		return fmt.Errorf("%q looks like a model number (m001, …)", name)
	}
	for _, r := range name {
		if r < ' ' {
			return fmt.Errorf("%q: a name cannot hold control characters", name)
		}
	}
	return nil
}

// title is the model's column title: its name, or its ID.
func (m modelSpec) title() string {
	if m.Name != "" {
		return m.Name
	}
	return m.ID
}

// expand returns every model of the spec in a fixed order: the cross
// product formulas × models × effects × weights × vcov, then the list. A
// non-spatial model is not crossed with weights.
func (s *batchSpec) expand() []modelSpec {
	m := s.Models
	orOne := func(v []string) []string {
		if len(v) == 0 {
			return []string{""}
		}
		return v
	}
	var out []modelSpec
	if len(m.Formulas) > 0 && len(m.Models) > 0 {
		for _, f := range m.Formulas {
			for _, mod := range m.Models {
				for _, eff := range orOne(m.Effects) {
					ws := []string{""}
					if isSpatialModel(mod) {
						ws = orOne(m.Weights)
					}
					dl := []int{0}
					if len(m.Dlag) > 0 && (strings.EqualFold(mod, "sar") || strings.EqualFold(mod, "sdm")) {
						dl = m.Dlag
					}
					for _, w := range ws {
						for _, v := range orOne(m.Vcov) {
							for _, l := range dl {
								out = append(out, modelSpec{Formula: f, Model: mod, Effects: eff, Weights: w, Vcov: v, Dlag: l})
							}
						}
					}
				}
			}
		}
	}
	out = append(out, m.List...)
	for i := range out {
		out[i].ID = "m" + pad(i+1, len(out))
		if out[i].Vcov == "" {
			out[i].Vcov = s.Options.Vcov
		}
		if out[i].MaxIter == 0 {
			out[i].MaxIter = s.Options.MaxIter
		}
	}
	return out
}

// pad formats i with as many digits as n has (at least three).
func pad(i, n int) string {
	width := len(strconv.Itoa(n))
	if width < 3 {
		width = 3
	}
	return fmt.Sprintf("%0*d", width, i)
}

// parseShard parses "i/n" (1 ≤ i ≤ n).
func parseShard(s string) (i, n int, err error) {
	a, b, ok := strings.Cut(s, "/")
	if ok {
		i, err = strconv.Atoi(a)
		if err == nil {
			n, err = strconv.Atoi(b)
		}
	}
	if !ok || err != nil || n < 1 || i < 1 || i > n {
		return 0, 0, usagef("--shard %q: want i/n with 1 ≤ i ≤ n", s)
	}
	return i, n, nil
}

// shardOf keeps every n-th model starting at the i-th (1-based).
func shardOf(models []modelSpec, i, n int) []modelSpec {
	var out []modelSpec
	for k := i - 1; k < len(models); k += n {
		out = append(out, models[k])
	}
	return out
}
