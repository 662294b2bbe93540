package regress

import (
	"errors"
	"fmt"
	"sort"
	"strings"

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
	// Regions: data vs weights.
	// One look-up per row (consecutive rows of a region reuse it).
	rowRegion := make([]int, nr)
	inData := make([]bool, w.N())
	for i, id := range regions {
		if i > 0 && id == regions[i-1] {
			rowRegion[i] = rowRegion[i-1]
			continue
		}
		j, ok := w.Index(id)
		if !ok {
			return nil, fmt.Errorf("regress: region %q (row %d) is not in the weights", id, i+1)
		}
		rowRegion[i] = j
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
	// Periods.
	pset := map[string]bool{}
	for r, p := range periods {
		if r == 0 || p != periods[r-1] {
			pset[p] = true
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
	pidx := map[string]int{}
	for i, p := range ps {
		pidx[p] = i
	}
	n, t := w.N(), len(ps)
	out := &SpatialPanel{Y: make([]float64, n*t), X: mat.NewDense(n*t, k, nil), Names: append([]string(nil), names...),
		N: n, T: t, IDs: w.IDs(), Periods: ps}
	seen := make([]bool, n*t)
	xr, yr := x.RawMatrix(), out.X.RawMatrix()
	s := 0
	for row := 0; row < nr; row++ {
		i := rowRegion[row]
		if row == 0 || periods[row] != periods[row-1] {
			s = pidx[periods[row]]
		}
		o := s*n + i
		if seen[o] {
			if t == 1 && periods[row] == "" {
				return nil, fmt.Errorf("regress: region %q appears twice (row %d) in a cross-section: give the time column", regions[row], row+1)
			}
			return nil, fmt.Errorf("regress: region %q in period %q appears twice (row %d)", regions[row], periods[row], row+1)
		}
		seen[o] = true
		out.Y[o] = y[row]
		copy(yr.Data[o*yr.Stride:o*yr.Stride+k], xr.Data[row*xr.Stride:row*xr.Stride+k])
	}
	for o, ok := range seen {
		if !ok {
			return nil, fmt.Errorf("regress: unbalanced panel: region %q has no observation in period %q (%d of %d region-periods present); spatial panel models need a balanced panel", w.IDs()[o%n], ps[o/n], nr, n*t)
		}
	}
	return out, nil
}

// SpatialPanelFromDesign arranges a formula's design (from Panel.Design) as
// the time-major SpatialPanel that FitSpatial takes, with the regions in the
// order of w. Under fixed effects the intercept is removed, as the within
// transformation sweeps it out (the message says so); it stays for effects
// "none" and "random".
func SpatialPanelFromDesign(d *Design, w *spatial.Weights, effects string) (*SpatialPanel, []string, error) {
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
	regions := make([]string, len(d.Y))
	periods := make([]string, len(d.Y))
	for r := range d.Y {
		regions[r] = d.IDLevels[d.ID[r]]
		periods[r] = d.TimeLevels[d.Time[r]]
	}
	x, names := d.X, d.Names
	var msgs []string
	if eff != "none" && d.Intercept {
		keep := make([]int, 0, len(names))
		for j, nm := range names {
			if nm != "(Intercept)" {
				keep = append(keep, j)
			}
		}
		if len(keep) == 0 {
			return nil, nil, fmt.Errorf("no regressor besides the intercept, which the %s fixed effects sweep out", eff)
		}
		nr, _ := d.X.Dims()
		nx := mat.NewDense(nr, len(keep), nil)
		kept := make([]string, len(keep))
		for c, j := range keep {
			kept[c] = names[j]
			for r := 0; r < nr; r++ {
				nx.Set(r, c, d.X.At(r, j))
			}
		}
		x, names = nx, kept
		msgs = append(msgs, "(Intercept) dropped: swept out by the "+eff+" fixed effects")
	}
	p, err := NewSpatialPanel(regions, periods, d.Y, x, names, w)
	if err != nil {
		return nil, nil, err
	}
	p.Response = d.Response
	return p, msgs, nil
}
