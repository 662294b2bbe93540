package index

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"

	"github.com/agglo/agglo/table"
)

// CompositeMethod is how Composite weights the indicators.
type CompositeMethod int

// The weighting methods of Composite.
const (
	// EntropyMethod is the entropy weight method (see Composite).
	EntropyMethod CompositeMethod = iota
	// PCAMethod weights by the loadings of the first principal component
	// of the z-scored indicators.
	PCAMethod
	// EqualMethod gives every indicator the weight 1/m.
	EqualMethod
)

// ParseCompositeMethod returns the method named entropy, pca or equal.
func ParseCompositeMethod(s string) (CompositeMethod, error) {
	switch s {
	case "entropy":
		return EntropyMethod, nil
	case "pca":
		return PCAMethod, nil
	case "equal":
		return EqualMethod, nil
	}
	return 0, fmt.Errorf("index: unknown composite method %q: want entropy, pca or equal", s)
}

// String returns the method's name.
func (m CompositeMethod) String() string {
	switch m {
	case EntropyMethod:
		return "entropy"
	case PCAMethod:
		return "pca"
	case EqualMethod:
		return "equal"
	}
	return fmt.Sprintf("CompositeMethod(%d)", int(m))
}

// Normalisation is how Composite rescales each indicator.
type Normalisation int

// The normalisations of Composite, over the observations of a group (all
// rows pooled, or one period):
//
//	MinMax  x'_ij = (x_ij − min_j)/(max_j − min_j), or (max_j − x_ij)/(max_j − min_j) for a negative indicator
//	ZScore  x'_ij = (x_ij − mean_j)/sd_j (sd with n − 1), negated for a negative indicator
const (
	MinMax Normalisation = iota
	ZScore
)

// ParseNormalisation returns the normalisation named minmax or zscore.
func ParseNormalisation(s string) (Normalisation, error) {
	switch s {
	case "minmax":
		return MinMax, nil
	case "zscore":
		return ZScore, nil
	}
	return 0, fmt.Errorf("index: unknown normalisation %q: want minmax or zscore", s)
}

// String returns the normalisation's name.
func (n Normalisation) String() string {
	if n == ZScore {
		return "zscore"
	}
	return "minmax"
}

// CompositeOptions configure Composite. The zero value is the entropy
// method on min–max normalised indicators, all positive, pooled over the
// periods.
type CompositeOptions struct {
	Method CompositeMethod
	// Normalise is MinMax or ZScore. The entropy method needs MinMax
	// (shares of negative numbers are undefined); PCA always z-scores.
	Normalise Normalisation
	// Negative[j] marks indicator j as negative (more is worse): it is
	// reversed when normalised. nil means all positive.
	Negative []bool
	// ByPeriod computes the normalisation and the weights within each
	// period separately; otherwise over all rows pooled.
	ByPeriod bool
}

// CompositeWeights are the weights of one group of rows (all rows when
// pooled, one period when by period).
type CompositeWeights struct {
	// Period is the group's period, "" when pooled.
	Period string `json:"period,omitempty"`
	// Weights are the indicator weights w_j (entropy, equal: sum 1; PCA:
	// the loadings, unit length).
	Weights []float64 `json:"weights"`
	// Entropy holds e_j of the entropy method, nil otherwise.
	Entropy []float64 `json:"entropy,omitempty"`
	// Explained is the first component's share of the total variance
	// (PCA only).
	Explained float64 `json:"explained,omitempty"`
}

// CompositeResult is the composite index of every row and its weights.
type CompositeResult struct {
	Method     string             `json:"method"`
	Normalise  string             `json:"normalise"`
	Indicators []string           `json:"indicators"`
	Negative   []string           `json:"negative"`
	Groups     []CompositeWeights `json:"weights"`
	// Index[r] is the composite of row r: Σ_j w_j x'_rj.
	Index []float64 `json:"-"`
	// Regions and Periods label the rows when the result comes from
	// CompositeOf; nil otherwise.
	Regions []string `json:"-"`
	Periods []string `json:"-"`
}

// CompositeOf returns the composite index of the indicators d; see
// Composite. The rows of the result carry d's regions and periods.
func CompositeOf(d *Indicators, opts CompositeOptions) (*CompositeResult, error) {
	res, err := Composite(d.X, d.Names, d.Periods, opts)
	if err != nil {
		return nil, err
	}
	res.Regions, res.Periods = d.Regions, d.Periods
	return res, nil
}

// Composite returns a composite index of the indicators x (rows are
// observations, region × period; columns the indicators named names) and
// the indicator weights. periods[r] is the period of row r (used only
// when opts.ByPeriod).
//
// Entropy weight method (Shannon 1948; Zou, Yun and Sun 2006, J. Environ.
// Sci. 18(5), 1020–1023): with x'_ij the min–max normalised indicator
// j of observation i (reversed for negative indicators) over n rows,
//
//	p_ij = x'_ij / Σ_i x'_ij
//	e_j  = −(1/ln n) Σ_i p_ij ln p_ij,   with p ln p = 0 at p = 0 (no shift)
//	w_j  = (1 − e_j) / Σ_k (1 − e_k)
//
// The zero convention p ln p → 0 is the limit, so no constant (such as the
// +0.0001 of some papers) is added and the weights are exactly invariant
// to a positive rescaling of any indicator.
//
// PCA: the indicators are z-scored (sample standard deviation), the first
// principal component v of their correlation matrix (gonum stat.PC) gives
// the weights w = v, with its sign fixed so that w_1 > 0, and the share of
// variance λ_1/Σλ is reported (Nardo et al. 2008, OECD Handbook on
// Constructing Composite Indicators, sec. 6.1).
//
// Equal: w_j = 1/m on the normalised indicators.
//
// The index of row i is Σ_j w_j x'_ij. An indicator that is constant within
// a group, a non-finite value, fewer than two rows in a group, and the
// entropy method with z-scores are errors that name the indicator and
// period.
func Composite(x [][]float64, names, periods []string, opts CompositeOptions) (*CompositeResult, error) {
	m := len(names)
	if m == 0 {
		return nil, errors.New("index: composite: no indicators")
	}
	if opts.Negative != nil && len(opts.Negative) != m {
		return nil, fmt.Errorf("index: composite: %d negative flags for %d indicators", len(opts.Negative), m)
	}
	if opts.Method == EntropyMethod && opts.Normalise != MinMax {
		return nil, errors.New("index: composite: the entropy method needs min–max normalisation (shares of z-scores are undefined)")
	}
	if opts.Method < EntropyMethod || opts.Method > EqualMethod {
		return nil, fmt.Errorf("index: composite: unknown method %d", int(opts.Method))
	}
	for r, row := range x {
		if len(row) != m {
			return nil, fmt.Errorf("index: composite: row %d has %d values for %d indicators", r, len(row), m)
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("index: composite: row %d, indicator %q: %v is not finite", r, names[j], v)
			}
		}
	}
	res := &CompositeResult{Method: opts.Method.String(), Normalise: opts.Normalise.String(),
		Indicators: append([]string(nil), names...), Negative: []string{}, Index: make([]float64, len(x))}
	if opts.Method == PCAMethod {
		res.Normalise = "zscore"
	}
	for j, neg := range opts.Negative {
		if neg {
			res.Negative = append(res.Negative, names[j])
		}
	}
	// Groups of rows: one, or one per period in order of first appearance.
	var order []string
	groups := map[string][]int{}
	for r := range x {
		p := ""
		if opts.ByPeriod {
			if len(periods) != len(x) {
				return nil, fmt.Errorf("index: composite: %d periods for %d rows", len(periods), len(x))
			}
			p = periods[r]
		}
		if _, ok := groups[p]; !ok {
			order = append(order, p)
		}
		groups[p] = append(groups[p], r)
	}
	if len(x) == 0 {
		return nil, errors.New("index: composite: no rows")
	}
	for _, p := range order {
		g, err := compositeGroup(x, groups[p], names, opts, p, res.Index)
		if err != nil {
			return nil, err
		}
		res.Groups = append(res.Groups, g)
	}
	return res, nil
}

// compositeGroup weights the rows of one group and writes their index.
func compositeGroup(x [][]float64, rows []int, names []string, opts CompositeOptions, period string, index []float64) (CompositeWeights, error) {
	n, m := len(rows), len(names)
	where := ""
	if period != "" {
		where = " in period " + period
	}
	if n < 2 {
		return CompositeWeights{}, fmt.Errorf("index: composite: %d row%s: at least two are needed", n, where)
	}
	norm := opts.Normalise
	if opts.Method == PCAMethod {
		norm = ZScore
	}
	z := mat.NewDense(n, m, nil)
	col := make([]float64, n)
	for j := 0; j < m; j++ {
		for a, r := range rows {
			col[a] = x[r][j]
		}
		lo, hi := col[0], col[0]
		for _, v := range col {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		if lo == hi {
			return CompositeWeights{}, fmt.Errorf("index: composite: indicator %q is constant (%v)%s: it cannot be normalised", names[j], lo, where)
		}
		neg := opts.Negative != nil && opts.Negative[j]
		mean, sd := stat.MeanStdDev(col, nil)
		for a, v := range col {
			var t float64
			switch {
			case norm == MinMax && neg:
				t = (hi - v) / (hi - lo)
			case norm == MinMax:
				t = (v - lo) / (hi - lo)
			case neg:
				t = (mean - v) / sd
			default:
				t = (v - mean) / sd
			}
			z.Set(a, j, t)
		}
	}
	out := CompositeWeights{Period: period, Weights: make([]float64, m)}
	switch opts.Method {
	case EntropyMethod:
		out.Entropy = make([]float64, m)
		var sum float64
		for j := 0; j < m; j++ {
			var tot float64
			for a := 0; a < n; a++ {
				tot += z.At(a, j)
			}
			var h float64
			for a := 0; a < n; a++ {
				if p := z.At(a, j) / tot; p > 0 {
					h -= p * math.Log(p)
				}
			}
			out.Entropy[j] = h / math.Log(float64(n))
			out.Weights[j] = 1 - out.Entropy[j]
			sum += out.Weights[j]
		}
		if !(sum > 0) {
			return CompositeWeights{}, fmt.Errorf("index: composite: every indicator has entropy 1%s: the entropy weights are undefined", where)
		}
		for j := range out.Weights {
			out.Weights[j] /= sum
		}
	case PCAMethod:
		var pc stat.PC
		if !pc.PrincipalComponents(z, nil) {
			return CompositeWeights{}, fmt.Errorf("index: composite: principal components failed%s", where)
		}
		var vecs mat.Dense
		pc.VectorsTo(&vecs)
		vars := pc.VarsTo(nil)
		sign := 1.0
		if vecs.At(0, 0) < 0 {
			sign = -1
		}
		for j := 0; j < m; j++ {
			out.Weights[j] = sign * vecs.At(j, 0)
		}
		var tot float64
		for _, v := range vars {
			tot += v
		}
		out.Explained = vars[0] / tot
	case EqualMethod:
		for j := range out.Weights {
			out.Weights[j] = 1 / float64(m)
		}
	}
	for a, r := range rows {
		var s float64
		for j := 0; j < m; j++ {
			s += out.Weights[j] * z.At(a, j)
		}
		index[r] = s
	}
	return out, nil
}

// Indicators is a panel of indicators read from a table: one row per
// region and period.
type Indicators struct {
	Regions, Periods []string
	Names            []string
	X                [][]float64
}

// ReadIndicatorsFile reads the indicators of the file at path, in any
// format of package table; see ReadIndicators.
func ReadIndicatorsFile(path, idCol, timeCol string, names []string, opt table.Options) (*Indicators, error) {
	tr, err := table.Open(path, opt)
	if err != nil {
		return nil, err
	}
	defer tr.Close()
	return ReadIndicators(tr, idCol, timeCol, names)
}

// ReadIndicators reads a table with a header, one row per region and
// period (timeCol may be "" for a cross-section), and the numeric columns
// names (any sign). A missing or non-numeric value, an empty region and a
// repeated region–period pair are errors naming the line and column.
func ReadIndicators(tr *table.Reader, idCol, timeCol string, names []string) (*Indicators, error) {
	name := tr.Name()
	want := append([]string{idCol}, names...)
	if timeCol != "" {
		want = append(want, timeCol)
	}
	pos, recs, err := readCSV(tr, want)
	if err != nil {
		return nil, err
	}
	out := &Indicators{Names: append([]string(nil), names...)}
	seen := map[[2]string]int{}
	for _, rec := range recs {
		id, err := label(name, rec, pos, idCol)
		if err != nil {
			return nil, err
		}
		t := ""
		if timeCol != "" {
			if t, err = label(name, rec, pos, timeCol); err != nil {
				return nil, err
			}
		}
		if prev, dup := seen[[2]string{id, t}]; dup {
			if timeCol == "" {
				return nil, fmt.Errorf("%s: line %d: region %q repeats line %d (a panel needs its period column)", name, rec.line, id, prev)
			}
			return nil, fmt.Errorf("%s: line %d: region %q, period %q repeats line %d", name, rec.line, id, t, prev)
		}
		seen[[2]string{id, t}] = rec.line
		row := make([]float64, len(names))
		for j, c := range names {
			s := strings.TrimSpace(rec.fields[pos[c]])
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%s: line %d, column %q: %q is not a finite number", name, rec.line, c, s)
			}
			row[j] = v
		}
		out.Regions = append(out.Regions, id)
		out.Periods = append(out.Periods, t)
		out.X = append(out.X, row)
	}
	if len(out.X) == 0 {
		return nil, fmt.Errorf("%s: no data rows", name)
	}
	return out, nil
}

// RegionMeans returns the regions in order of first appearance and the
// mean over their periods of indicator j: z̄_i = (1/T_i) Σ_t x_itj (the
// input of spatial.EconomicDistance and spatial.NestedEconomic).
func (d *Indicators) RegionMeans(j int) (ids []string, means []float64) {
	pos := map[string]int{}
	var counts []int
	for r, id := range d.Regions {
		k, ok := pos[id]
		if !ok {
			k = len(ids)
			pos[id] = k
			ids = append(ids, id)
			means = append(means, 0)
			counts = append(counts, 0)
		}
		means[k] += d.X[r][j]
		counts[k]++
	}
	for k := range means {
		means[k] /= float64(counts[k])
	}
	return ids, means
}

// ReadRegionLabelsFile reads, from a table file (any format of package
// table) with a header, the label in
// column col of every region in column idCol (regions in order of first
// appearance). A region may repeat (one row per period) but must keep one
// label; an empty label or a change of label is an error naming the line.
func ReadRegionLabelsFile(path, idCol, col string, opt table.Options) (ids, labels []string, err error) {
	tr, err := table.Open(path, opt)
	if err != nil {
		return nil, nil, err
	}
	defer tr.Close()
	pos, recs, err := readCSV(tr, []string{idCol, col})
	if err != nil {
		return nil, nil, err
	}
	seen := map[string]int{}
	for _, rec := range recs {
		id, err := label(path, rec, pos, idCol)
		if err != nil {
			return nil, nil, err
		}
		lab, err := label(path, rec, pos, col)
		if err != nil {
			return nil, nil, err
		}
		if k, ok := seen[id]; ok {
			if labels[k] != lab {
				return nil, nil, fmt.Errorf("%s: line %d: region %q has %s %q here and %q above", path, rec.line, id, col, lab, labels[k])
			}
			continue
		}
		seen[id] = len(ids)
		ids = append(ids, id)
		labels = append(labels, lab)
	}
	if len(ids) == 0 {
		return nil, nil, fmt.Errorf("%s: no data rows", path)
	}
	return ids, labels, nil
}
