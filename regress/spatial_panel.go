package regress

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unsafe"

	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/mat"
)

// NewSpatialPanel arranges long-format observations — one row per region
// and period, in any order — into the time-major SpatialPanel that
// FitSpatial takes, with the regions in the order of the weights w.
// regions[r] and periods[r] identify row r, y[r] its response and x.Row(r)
// its regressors. periods may be nil for one cross-section.
//
// It returns an error that names the first region in the data but not in
// the weights (or the reverse), a duplicated region–period pair, and, for
// an unbalanced panel, the first region and period that are missing.
// Periods are sorted as strings unless they are all integers of equal
// width, which sort numerically alike.
func NewSpatialPanel(regions, periods []string, y []float64, x *mat.Dense, names []string, w *spatial.Weights) (*SpatialPanel, error) {
	if w == nil {
		return nil, errors.New("regress: no weights")
	}
	nr := len(regions)
	if len(y) != nr {
		return nil, fmt.Errorf("regress: %d responses for %d rows", len(y), nr)
	}
	r, k := x.Dims()
	if r != nr {
		return nil, fmt.Errorf("regress: X has %d rows for %d observations", r, nr)
	}
	if periods == nil {
		periods = make([]string, nr)
	} else if len(periods) != nr {
		return nil, fmt.Errorf("regress: %d periods for %d rows", len(periods), nr)
	}
	d := &Design{Y: y, X: x}
	d.ID, d.IDLevels = rowCodes(regions)
	d.Time, d.TimeLevels = rowCodes(periods)
	cols := make([]int, k)
	for j := range cols {
		cols[j] = j
	}
	return spatialPanelFromCodes(d, cols, names, w, false)
}

// rowCodes numbers the distinct values of s in order of first appearance:
// s[i] is levels[codes[i]]. Runs of equal values cost one comparison.
func rowCodes(s []string) (codes []int, levels []string) {
	codes = make([]int, len(s))
	index := map[string]int{}
	for i, v := range s {
		if i > 0 && v == s[i-1] {
			codes[i] = codes[i-1]
			continue
		}
		c, ok := index[v]
		if !ok {
			c = len(levels)
			index[v] = c
			levels = append(levels, v)
		}
		codes[i] = c
	}
	return codes, levels
}

// SpatialPanelFromDesign arranges a formula's design (from Panel.Design) as
// the time-major SpatialPanel that FitSpatial takes, with the regions in the
// order of w. Under fixed effects the intercept is removed, as the within
// transformation sweeps it out (the message says so); it stays for effects
// "none" and "random".
func SpatialPanelFromDesign(d *Design, w *spatial.Weights, effects string) (*SpatialPanel, []string, error) {
	return spatialPanelFromDesign(d, w, effects, false)
}

// SpatialPanelTakingDesign is SpatialPanelFromDesign for a caller that
// hands the design over: the panel's values are stored in the memory of
// d's response and columns (Panel.DesignColumns: the panel's own), so
// that it takes one N·T vector of new memory instead of k+1 (at N = 10⁶,
// T = 10, k = 3, 76 MB instead of 305 MB). On success d's response and
// columns are gone (nil), and neither d nor the Panel it came from is to
// be used for its values. A design with X, or whose response and columns
// do not each hold their own memory, is copied as SpatialPanelFromDesign
// copies it. Errors leave d as it was.
func SpatialPanelTakingDesign(d *Design, w *spatial.Weights, effects string) (*SpatialPanel, []string, error) {
	return spatialPanelFromDesign(d, w, effects, true)
}

func spatialPanelFromDesign(d *Design, w *spatial.Weights, effects string, take bool) (*SpatialPanel, []string, error) {
	if d.Formula != nil && len(d.Formula.Offsets) > 0 {
		return nil, nil, fmt.Errorf("formula %q: offset() is for the linear panel models; a spatial model would lag it with the response (spatialreg and splm have no offset)", d.Formula.Source)
	}
	eff := "none" // random effects keep the intercept
	if effects != "random" {
		var err error
		if eff, err = validEffects(effects); err != nil {
			return nil, nil, err
		}
	}
	names := d.Names
	cols := make([]int, 0, len(names))
	drop := eff != "none" && d.Intercept
	for j, nm := range names {
		if !drop || nm != "(Intercept)" {
			cols = append(cols, j)
		}
	}
	var msgs []string
	if drop {
		if len(cols) == 0 {
			return nil, nil, fmt.Errorf("no regressor besides the intercept, which the %s fixed effects sweep out", eff)
		}
		kept := make([]string, len(cols))
		for c, j := range cols {
			kept[c] = names[j]
		}
		names = kept
		msgs = append(msgs, "(Intercept) dropped: swept out by the "+eff+" fixed effects")
	}
	p, err := spatialPanelFromCodes(d, cols, names, w, take)
	if err != nil {
		return nil, nil, err
	}
	p.Response = d.Response
	return p, msgs, nil
}

// spatialPanelFromCodes is NewSpatialPanel for the rows of d, with the
// columns cols of d.X, or of its columns when X is nil (Panel.DesignColumns),
// named names: it looks each region and period up
// once per level of d instead of once per row, and copies the kept
// columns straight into the time-major panel (with take, into the memory
// of d's response and columns, in turn: see SpatialPanelTakingDesign).
// Errors are NewSpatialPanel's.
func spatialPanelFromCodes(d *Design, cols []int, names []string, w *spatial.Weights, take bool) (*SpatialPanel, error) {
	if w == nil {
		return nil, errors.New("regress: no weights")
	}
	nr := len(d.Y)
	if len(d.ID) != nr || len(d.Time) != nr {
		return nil, fmt.Errorf("regress: %d regions and %d periods for %d rows", len(d.ID), len(d.Time), nr)
	}
	if d.X == nil {
		if len(d.cols) != len(d.Names) {
			return nil, fmt.Errorf("regress: %d columns for %d names", len(d.cols), len(d.Names))
		}
		for j, c := range d.cols {
			if c != nil && len(c) != nr {
				return nil, fmt.Errorf("regress: column %s has %d rows for %d observations", d.Names[j], len(c), nr)
			}
		}
	} else if r, _ := d.X.Dims(); r != nr {
		return nil, fmt.Errorf("regress: X has %d rows for %d observations", r, nr)
	}
	// Regions: data vs weights, one look-up per level (the first row of a
	// region not in the weights is the one NewSpatialPanel names).
	levelRegion := make([]int, len(d.IDLevels))
	for c := range levelRegion {
		levelRegion[c] = -1
	}
	inData := make([]bool, w.N())
	for i, c := range d.ID {
		if levelRegion[c] >= 0 {
			continue
		}
		j, ok := w.Index(d.IDLevels[c])
		if !ok {
			return nil, fmt.Errorf("regress: region %q (row %d) is not in the weights", d.IDLevels[c], i+1)
		}
		levelRegion[c] = j
		inData[j] = true
	}
	var missing []string
	for j, id := range w.IDs() {
		if !inData[j] {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		more := ""
		if len(missing) > 5 {
			more = fmt.Sprintf(" and %d more", len(missing)-5)
			missing = missing[:5]
		}
		return nil, fmt.Errorf("regress: region(s) %s%s of the weights have no data: %w", strings.Join(missing, ", "), more, ErrWeightsWithoutData)
	}
	// Periods present, ordered as NewSpatialPanel orders them.
	levelPeriod := make([]int, len(d.TimeLevels))
	pset := map[string]bool{}
	for c := range levelPeriod {
		levelPeriod[c] = -1
	}
	for _, c := range d.Time {
		if levelPeriod[c] < 0 {
			levelPeriod[c] = 0
			pset[d.TimeLevels[c]] = true
		}
	}
	ps := make([]string, 0, len(pset))
	for p := range pset {
		ps = append(ps, p)
	}
	sort.Slice(ps, func(a, b int) bool {
		if len(ps[a]) != len(ps[b]) {
			return len(ps[a]) < len(ps[b])
		}
		return ps[a] < ps[b]
	})
	pidx := make(map[string]int, len(ps))
	for i, p := range ps {
		pidx[p] = i
	}
	for c, l := range levelPeriod {
		if l >= 0 {
			levelPeriod[c] = pidx[d.TimeLevels[c]]
		}
	}
	n, t, k := w.N(), len(ps), len(cols)
	// Each region–period once, before anything is written.
	seen := make([]bool, n*t)
	for row := 0; row < nr; row++ {
		o := levelPeriod[d.Time[row]]*n + levelRegion[d.ID[row]]
		if seen[o] {
			region, period := d.IDLevels[d.ID[row]], d.TimeLevels[d.Time[row]]
			if t == 1 && period == "" {
				return nil, fmt.Errorf("regress: region %q appears twice (row %d) in a cross-section: give the time column", region, row+1)
			}
			return nil, fmt.Errorf("regress: region %q in period %q appears twice (row %d)", region, period, row+1)
		}
		seen[o] = true
	}
	for o, ok := range seen {
		if !ok {
			return nil, fmt.Errorf("regress: unbalanced panel: region %q has no observation in period %q (%d of %d region-periods present); spatial panel models need a balanced panel", w.IDs()[o%n], ps[o/n], nr, n*t)
		}
	}
	seen = nil
	out := &SpatialPanel{Cols: make([][]float64, k), Names: append([]string(nil), names...),
		N: n, T: t, IDs: w.IDs(), Periods: ps}
	// scatter stores src (one value a row of d) in time-major order in
	// dst, the rows in two halves in parallel on large panels.
	scatter := func(dst, src []float64) {
		runJobs(nr, []func(){
			func() {
				for row, v := range src[:nr/2] {
					dst[levelPeriod[d.Time[row]]*n+levelRegion[d.ID[row]]] = v
				}
			},
			func() {
				for row := nr / 2; row < nr; row++ {
					dst[levelPeriod[d.Time[row]]*n+levelRegion[d.ID[row]]] = src[row]
				}
			},
		})
	}
	ones := func() []float64 {
		v := make([]float64, n*t)
		for o := range v {
			v[o] = 1
		}
		return v
	}
	if d.X != nil {
		xr := d.X.RawMatrix()
		out.Y = make([]float64, n*t)
		scatter(out.Y, d.Y)
		forEach(k, func(c int) {
			dst := make([]float64, n*t)
			j := cols[c]
			for row := 0; row < nr; row++ {
				dst[levelPeriod[d.Time[row]]*n+levelRegion[d.ID[row]]] = xr.Data[row*xr.Stride+j]
			}
			out.Cols[c] = dst
		})
		return out, nil
	}
	// The response, then the columns (nil: the intercept).
	srcs := make([][]float64, 0, k+1)
	srcs = append(srcs, d.Y)
	for _, j := range cols {
		srcs = append(srcs, d.cols[j])
	}
	if take && ownMemory(srcs, n*t) {
		// Each vector into the memory of the one before: one new.
		spare := make([]float64, n*t)
		for c, src := range srcs {
			if src == nil {
				out.Cols[c-1] = ones()
				continue
			}
			scatter(spare, src)
			if c == 0 {
				out.Y = spare
			} else {
				out.Cols[c-1] = spare
			}
			spare = src
		}
		d.Y = nil
		for _, j := range cols {
			d.cols[j] = nil
		}
		return out, nil
	}
	out.Y = make([]float64, n*t)
	scatter(out.Y, d.Y)
	forEach(k, func(c int) {
		if src := srcs[c+1]; src != nil {
			out.Cols[c] = make([]float64, n*t)
			scatter(out.Cols[c], src)
		} else {
			out.Cols[c] = ones()
		}
	})
	return out, nil
}

// ownMemory reports whether the non-nil vectors vs are each m long (m >
// 0) and no two overlap in memory, so that each can hold another's
// values once they are read.
func ownMemory(vs [][]float64, m int) bool {
	type span struct{ lo, hi uintptr }
	var spans []span
	for _, v := range vs {
		if v == nil {
			continue
		}
		if len(v) != m || m == 0 {
			return false
		}
		lo := uintptr(unsafe.Pointer(unsafe.SliceData(v)))
		spans = append(spans, span{lo, lo + uintptr(m)*8})
	}
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.lo, b.lo) })
	for i := 1; i < len(spans); i++ {
		if spans[i].lo < spans[i-1].hi {
			return false
		}
	}
	return true
}
