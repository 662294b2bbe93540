package index

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/gonum/mat"
)

// Names lists the indices Compute knows, in the order of the package
// documentation.
var Names = []string{"lq", "hoover", "krugman", "gini", "hhi", "eg", "ms", "egk", "coagg",
	"online-lq", "va", "va-region", "va-gap", "virtual-coagg", "growth"}

// Options configures Compute. The zero value computes with the defaults.
type Options struct {
	// ZeroTotals chooses between an error (default) and NaN with a warning
	// when a total an index divides by is zero.
	ZeroTotals ZeroPolicy
	// Normalise selects the normalised VA (o_rs/ō_s)·LQ_rs for "va" and
	// "va-region".
	Normalise bool
	// By is "sector" (default) or "region" for "hhi"; "cell" (default),
	// "sector" or "region" for "growth" (aggregating over the other
	// dimension).
	By string
	// Groups assigns sectors to groups for "coagg", "va-region" and
	// "virtual-coagg".
	Groups *Groups
	// Manufacturing and Services name the two groups of "coagg" and
	// "virtual-coagg" (defaults "manufacturing" and "producer_services").
	Manufacturing, Services string
	// H holds the plant Herfindahl H[k][s] of period k and sector s for "eg"
	// and "ms" (from ReadPlants); nil means H = 0 with a warning.
	H [][]float64
	// From and To are the periods of "growth" (defaults: first and last).
	From, To string
	// RegionName, SectorName and TimeName label the key columns of the
	// result (defaults "region", "sector", "time").
	RegionName, SectorName, TimeName string
	// Compact keeps the rows of the region × sector indices (lq,
	// online-lq, va) as one value matrix per period instead of Rows, which
	// it leaves nil: Result.All, Result.Len and Result.WriteCSV read them.
	// A million Rows cost about 100 MB and their garbage collection more
	// than the index itself; the other indices ignore Compact.
	Compact bool
}

// Row is one row of a long-form result.
type Row struct {
	// Keys are the labels of the key columns (region, sector, ...).
	Keys []string
	// Time is the period.
	Time string
	// Value is the index.
	Value float64
	// Parts are the named parts (Result.Parts), in order.
	Parts []float64
}

// Result is an index in long form: one row per (keys…, period).
type Result struct {
	// Name is the index computed.
	Name string
	// KeyNames are the names of the key columns; TimeName that of the period.
	KeyNames []string
	TimeName string
	// PartNames names the parts of each row after the value (e.g. "G", "H").
	PartNames []string
	Rows      []Row
	// Warnings lists the zero totals set to NaN and other notes.
	Warnings []string

	// blocks holds the rows of a Compact region × sector result, after
	// Rows: block k has one row per (region, sector) of its period, in
	// row-major order.
	blocks           []cellBlock
	regions, sectors []string
	// cellKeys are the (region, sector) keys of one period's cells, shared
	// by the Rows of every period.
	cellKeys []string
}

// cellBlock is the region × sector matrix of one period of a Compact
// result.
type cellBlock struct {
	time string
	v    *mat.Dense
}

func (o *Options) defaults() {
	if o.RegionName == "" {
		o.RegionName = "region"
	}
	if o.SectorName == "" {
		o.SectorName = "sector"
	}
	if o.TimeName == "" {
		o.TimeName = "time"
	}
	if o.Manufacturing == "" {
		o.Manufacturing = "manufacturing"
	}
	if o.Services == "" {
		o.Services = "producer_services"
	}
}

// Compute computes the index name (one of Names) for every period of t and
// returns it in long form. See the package documentation for each index.
func Compute(name string, t *Table, opt Options) (*Result, error) {
	opt.defaults()
	res := &Result{Name: name, TimeName: opt.TimeName}
	if opt.By != "" && name != "hhi" && name != "growth" {
		return nil, fmt.Errorf("index: %s has no by option (only hhi and growth)", name)
	}
	if opt.Normalise && name != "va" && name != "va-region" {
		return nil, fmt.Errorf("index: %s has no normalised form (only va and va-region)", name)
	}
	reg, sec := opt.RegionName, opt.SectorName
	switch name {
	case "lq", "online-lq", "va":
		res.KeyNames = []string{reg, sec}
	case "hoover", "gini", "va-gap":
		res.KeyNames = []string{sec}
	case "eg", "ms":
		res.KeyNames = []string{sec}
		res.PartNames = []string{"G", "H"}
	case "krugman":
		res.KeyNames = []string{reg}
	case "hhi":
		switch opt.By {
		case "", "sector":
			res.KeyNames = []string{sec}
		case "region":
			res.KeyNames = []string{reg}
		default:
			return nil, fmt.Errorf("index: hhi by %q: want sector or region", opt.By)
		}
	case "egk":
		res.KeyNames = []string{sec + "_i", sec + "_j"}
	case "coagg", "virtual-coagg":
		res.KeyNames = []string{reg}
		res.PartNames = []string{"quality", "level"}
	case "va-region":
		res.KeyNames = []string{reg, "group"}
	case "growth":
		return growth(t, opt, res)
	default:
		return nil, fmt.Errorf("index: unknown index %q (want one of %v)", name, Names)
	}
	switch name {
	case "online-lq", "va", "va-region", "va-gap", "virtual-coagg":
		if t.Share == nil {
			return nil, fmt.Errorf("index: %s needs online shares (a share column)", name)
		}
	}
	var mcols, pcols []int
	var groupCols [][]int
	switch name {
	case "coagg", "virtual-coagg", "va-region":
		if opt.Groups == nil {
			return nil, fmt.Errorf("index: %s needs sector groups", name)
		}
		if name == "va-region" {
			for _, g := range opt.Groups.Names {
				groupCols = append(groupCols, opt.Groups.Columns(t, g))
			}
			break
		}
		mcols = opt.Groups.Columns(t, opt.Manufacturing)
		pcols = opt.Groups.Columns(t, opt.Services)
		if len(mcols) == 0 || len(pcols) == 0 {
			return nil, fmt.Errorf("index: %s needs sectors in groups %q and %q (groups: %v)", name, opt.Manufacturing, opt.Services, opt.Groups.Names)
		}
	case "eg", "ms":
		if opt.H == nil {
			res.Warnings = append(res.Warnings, "no plant Herfindahls given: H = 0 (the many-small-plants limit)")
		} else if len(opt.H) != len(t.Times) {
			return nil, fmt.Errorf("index: H has %d periods, the table %d", len(opt.H), len(t.Times))
		}
	}
	for k, tm := range t.Times {
		z := &zeroCheck{policy: opt.ZeroTotals}
		tot := newTotals(t.E[k])
		err := computeYear(name, t, k, tot, opt, z, res, mcols, pcols, groupCols)
		if k == 0 && len(t.Times) > 1 {
			// As many rows for each of the other periods.
			res.Rows = slices.Grow(res.Rows, len(res.Rows)*(len(t.Times)-1))
		}
		for _, e := range z.found {
			name := nameOf(t, opt, e)
			if opt.ZeroTotals == ZeroNaN {
				var w string
				switch e.Kind {
				case "plant Herfindahl":
					w = fmt.Sprintf("sector %s in %s has one plant (H = 1): γ is undefined, NaN", name, tm)
				case "regions":
					w = fmt.Sprintf("fewer than two regions with activity in %s (1 − Σ x² = 0): NaN", tm)
				default:
					w = fmt.Sprintf("zero total for %s %s in %s: NaN", e.Kind, name, tm)
				}
				res.Warnings = append(res.Warnings, w)
			}
		}
		if err != nil {
			var zt *ZeroTotalError
			if errors.As(err, &zt) {
				zt.Name = nameOf(t, opt, zt)
				zt.Time = tm
			}
			return nil, err
		}
	}
	return res, nil
}

func nameOf(t *Table, opt Options, e *ZeroTotalError) string {
	switch e.Kind {
	case "region", "region online", "region in both groups":
		if e.Index >= 0 && e.Index < len(t.Regions) {
			return t.Regions[e.Index]
		}
	case "sector", "sector online", "plant Herfindahl":
		if e.Index >= 0 && e.Index < len(t.Sectors) {
			return t.Sectors[e.Index]
		}
	case "region×group":
		if opt.Groups != nil && e.Index >= 0 {
			ng := len(opt.Groups.Names)
			return t.Regions[e.Index/ng] + "×" + opt.Groups.Names[e.Index%ng]
		}
	}
	return ""
}

func computeYear(name string, t *Table, k int, tot *totals, opt Options, z *zeroCheck, res *Result, mcols, pcols []int, groupCols [][]int) error {
	tm := t.Times[k]
	add := func(v float64, parts []float64, keys ...string) {
		res.Rows = append(res.Rows, Row{Keys: keys, Time: tm, Value: v, Parts: parts})
	}
	perSector := func(v []float64, err error) error {
		if err != nil {
			return err
		}
		for j, x := range v {
			add(x, nil, t.Sectors[j])
		}
		return nil
	}
	perRegion := func(v []float64, err error) error {
		if err != nil {
			return err
		}
		for i, x := range v {
			add(x, nil, t.Regions[i])
		}
		return nil
	}
	cells := func(m *mat.Dense, err error) error {
		if err != nil {
			return err
		}
		if opt.Compact {
			res.regions, res.sectors = t.Regions, t.Sectors
			res.blocks = append(res.blocks, cellBlock{time: tm, v: m})
			return nil
		}
		// The keys of all cells of a period: two strings a row, the same
		// for every period.
		if res.cellKeys == nil {
			res.cellKeys = make([]string, 0, 2*len(t.Regions)*len(t.Sectors))
			for _, r := range t.Regions {
				for _, s := range t.Sectors {
					res.cellKeys = append(res.cellKeys, r, s)
				}
			}
		}
		keys := res.cellKeys
		res.Rows = slices.Grow(res.Rows, len(t.Regions)*len(t.Sectors))
		c := 0
		for i := range t.Regions {
			row := m.RawRowView(i)
			for _, v := range row {
				res.Rows = append(res.Rows, Row{Keys: keys[c : c+2 : c+2], Time: tm, Value: v})
				c += 2
			}
		}
		return nil
	}
	coaggRows := func(c *CoaggResult, err error) error {
		if err != nil {
			return err
		}
		for i, r := range t.Regions {
			add(c.Value[i], []float64{c.Quality[i], c.Level[i]}, r)
		}
		return nil
	}
	switch name {
	case "lq":
		d := mat.NewDense(tot.r, tot.s, nil)
		return cells(d, lqTo(d, tot, z))
	case "hoover":
		return perSector(hoover(tot, z))
	case "krugman":
		return perRegion(krugman(tot, z))
	case "gini":
		return perSector(gini(tot, t.Regions, z))
	case "hhi":
		if opt.By == "region" {
			return perRegion(hhiRegion(tot, z))
		}
		return perSector(hhiSector(tot, z))
	case "eg", "ms":
		var h []float64
		if opt.H != nil {
			h = opt.H[k]
		}
		r, err := egIndex(tot, h, name == "ms", z)
		if err != nil {
			return err
		}
		for j, s := range t.Sectors {
			add(r.Gamma[j], []float64{r.G[j], r.H[j]}, s)
		}
		return nil
	case "egk":
		m, err := egk(tot, z)
		if err != nil {
			return err
		}
		for i := range t.Sectors {
			for j := i + 1; j < len(t.Sectors); j++ {
				add(m.At(i, j), nil, t.Sectors[i], t.Sectors[j])
			}
		}
		return nil
	case "coagg":
		return coaggRows(coagg(tot, groupLQ(tot, mcols), pcols, tot, z))
	case "virtual-coagg":
		return coaggRows(coagg(tot, groupLQ(tot, mcols), pcols, online(tot, t.Share[k]), z))
	case "online-lq":
		return cells(onlineLQ(tot, online(tot, t.Share[k]), z))
	case "va":
		return cells(va(tot, t.Share[k], opt.Normalise, z))
	case "va-gap":
		return perSector(vaGap(tot, online(tot, t.Share[k]), z))
	case "va-region":
		v, err := va(tot, t.Share[k], opt.Normalise, z)
		if err != nil {
			return err
		}
		a, err := vaRegion(v, tot.e, groupCols, z)
		if err != nil {
			return err
		}
		for i, r := range t.Regions {
			for g, gn := range opt.Groups.Names {
				add(a.At(i, g), nil, r, gn)
			}
		}
		return nil
	}
	return fmt.Errorf("index: unknown index %q", name)
}

// growth computes growth between two periods of each cell, region or
// sector total.
func growth(t *Table, opt Options, res *Result) (*Result, error) {
	from, to := opt.From, opt.To
	if from == "" {
		from = t.Times[0]
	}
	if to == "" {
		to = t.Times[len(t.Times)-1]
	}
	kf, ok := t.TimeIndex(from)
	if !ok {
		return nil, fmt.Errorf("index: growth from %q: no such period (have %v)", from, t.Times)
	}
	kt, ok := t.TimeIndex(to)
	if !ok {
		return nil, fmt.Errorf("index: growth to %q: no such period (have %v)", to, t.Times)
	}
	if kf == kt {
		return nil, fmt.Errorf("index: growth needs two different periods (from %s to %s)", from, to)
	}
	years := float64(kt - kf)
	xf, errf := strconv.ParseFloat(from, 64)
	xt, errt := strconv.ParseFloat(to, 64)
	if errf == nil && errt == nil {
		years = xt - xf
	}
	res.PartNames = []string{"cagr", "fold", "from_value", "to_value"}
	ef, et := t.E[kf], t.E[kt]
	type item struct {
		keys   []string
		vf, vt float64
	}
	var items []item
	nr, ns := ef.Dims()
	switch opt.By {
	case "", "cell":
		res.KeyNames = []string{opt.RegionName, opt.SectorName}
		for i := 0; i < nr; i++ {
			for j := 0; j < ns; j++ {
				items = append(items, item{[]string{t.Regions[i], t.Sectors[j]}, ef.At(i, j), et.At(i, j)})
			}
		}
	case "region":
		res.KeyNames = []string{opt.RegionName}
		tf, tt := newTotals(ef), newTotals(et)
		for i := 0; i < nr; i++ {
			items = append(items, item{[]string{t.Regions[i]}, math.Ldexp(tf.region[i], tf.scale), math.Ldexp(tt.region[i], tt.scale)})
		}
	case "sector":
		res.KeyNames = []string{opt.SectorName}
		tf, tt := newTotals(ef), newTotals(et)
		for j := 0; j < ns; j++ {
			items = append(items, item{[]string{t.Sectors[j]}, math.Ldexp(tf.sector[j], tf.scale), math.Ldexp(tt.sector[j], tt.scale)})
		}
	default:
		return nil, fmt.Errorf("index: growth by %q: want cell, region or sector", opt.By)
	}
	for _, it := range items {
		// Growth is reported with its from and to totals in the data's
		// units, so a total beyond the float64 range cannot be scaled away.
		if math.IsInf(it.vf, 0) || math.IsInf(it.vt, 0) {
			return nil, fmt.Errorf("index: growth of %v from %s to %s: the total exceeds the float64 range (about 1.8e308); divide the values by a power of ten (thousands, millions)", it.keys, from, to)
		}
		if it.vf == 0 {
			e := &ZeroTotalError{Kind: "base value of " + fmt.Sprint(it.keys), Index: -1, Time: from}
			if opt.ZeroTotals != ZeroNaN {
				return nil, e
			}
			res.Warnings = append(res.Warnings, fmt.Sprintf("zero base value for %v in %s: NaN", it.keys, from))
			res.Rows = append(res.Rows, Row{Keys: it.keys, Time: to, Value: math.NaN(),
				Parts: []float64{math.NaN(), math.NaN(), it.vf, it.vt}})
			continue
		}
		res.Rows = append(res.Rows, Row{Keys: it.keys, Time: to, Value: 100 * GrowthRate(it.vf, it.vt),
			Parts: []float64{CAGR(it.vf, it.vt, years), FoldChange(it.vf, it.vt), it.vf, it.vt}})
	}
	return res, nil
}
