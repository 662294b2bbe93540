package regress

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/mat"
)

// spatialPanelFromDesignOld is SpatialPanelFromDesign as it was before the
// coded path (one region and period string per row, then NewSpatialPanel),
// the reference of TestSpatialPanelFromDesignCodes.
func spatialPanelFromDesignOld(d *Design, w *spatial.Weights, effects string) (*SpatialPanel, []string, error) {
	eff := "none"
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
		var keep []int
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
	p, err := newSpatialPanelOld(regions, periods, d.Y, x, names, w)
	if err != nil {
		return nil, nil, err
	}
	p.Response = d.Response
	return p, msgs, nil
}

// TestSpatialPanelFromDesignCodes checks that the coded path of
// SpatialPanelFromDesign gives the panel, messages and errors of the
// per-row string path it replaced, on shuffled rows, periods whose text
// order differs from their numeric order, an intercept in the middle, and
// each error (unknown region, region without data, repeated
// region-period, unbalanced panel, cross-section repeat).
func TestSpatialPanelFromDesignCodes(t *testing.T) {
	w, err := spatial.NewWeights([]string{"c", "a", "b"}, []spatial.Link{{From: 0, To: 1, Weight: 1}, {From: 1, To: 2, Weight: 1}, {From: 2, To: 0, Weight: 1}})
	if err != nil {
		t.Fatal(err)
	}
	design := func(ids []int, idl []string, times []int, tl []string) *Design {
		nr := len(ids)
		x := mat.NewDense(nr, 3, nil)
		y := make([]float64, nr)
		for r := 0; r < nr; r++ {
			y[r] = float64(r) + 0.5
			x.Set(r, 0, float64(r*r))
			x.Set(r, 1, 1)
			x.Set(r, 2, -float64(r))
		}
		return &Design{Response: "y", Y: y, X: x, Names: []string{"x1", "(Intercept)", "x2"}, Intercept: true,
			ID: ids, Time: times, IDLevels: idl, TimeLevels: tl}
	}
	cases := []*Design{
		design([]int{0, 1, 2, 2, 1, 0}, []string{"a", "b", "c"}, []int{0, 0, 0, 1, 1, 1}, []string{"10", "9"}),
		design([]int{2, 0, 1, 1, 2, 0}, []string{"b", "c", "a"}, []int{1, 1, 0, 0, 0, 1}, []string{"2001", "2000", "1999"}),
		design([]int{0, 1, 3, 2}, []string{"a", "b", "c", "zz"}, []int{0, 0, 0, 0}, []string{"1"}),
		design([]int{0, 1}, []string{"a", "b"}, []int{0, 0}, []string{"1"}),
		design([]int{0, 1, 2, 0}, []string{"a", "b", "c"}, []int{0, 0, 0, 0}, []string{"1"}),
		design([]int{0, 1, 2, 0}, []string{"a", "b", "c"}, []int{0, 0, 0, 0}, []string{""}),
		design([]int{0, 1, 2, 0}, []string{"a", "b", "c"}, []int{0, 0, 0, 1}, []string{"1", "2"}),
	}
	for i, d := range cases {
		for _, eff := range []string{"individual", "twoways", "none", "random"} {
			t.Run(fmt.Sprintf("%d/%s", i, eff), func(t *testing.T) {
				want, wm, errWant := spatialPanelFromDesignOld(d, w, eff)
				if eff == "none" {
					// NewSpatialPanel on the rows as strings, and with no periods.
					regions := make([]string, len(d.Y))
					periods := make([]string, len(d.Y))
					for r := range d.Y {
						regions[r] = d.IDLevels[d.ID[r]]
						periods[r] = d.TimeLevels[d.Time[r]]
					}
					for _, ps := range [][]string{periods, nil} {
						want, errWant := newSpatialPanelOld(regions, ps, d.Y, d.X, d.Names, w)
						got, errGot := NewSpatialPanel(regions, ps, d.Y, d.X, d.Names, w)
						if fmt.Sprint(errGot) != fmt.Sprint(errWant) || !reflect.DeepEqual(got, want) {
							t.Errorf("NewSpatialPanel: %+v, %v; want %+v, %v", got, errGot, want, errWant)
						}
					}
				}
				got, gm, errGot := SpatialPanelFromDesign(d, w, eff)
				if fmt.Sprint(errGot) != fmt.Sprint(errWant) {
					t.Fatalf("error %v, want %v", errGot, errWant)
				}
				if !reflect.DeepEqual(gm, wm) || !reflect.DeepEqual(got, want) {
					t.Errorf("got %+v %q, want %+v %q", got, gm, want, wm)
				}
				// The same design held as columns (Panel.DesignColumns).
				dc := *d
				dc.X, dc.cols = nil, make([][]float64, len(d.Names))
				for j, nm := range d.Names {
					if nm != "(Intercept)" {
						dc.cols[j] = mat.Col(nil, j, d.X)
					}
				}
				gotC, gcm, errC := SpatialPanelFromDesign(&dc, w, eff)
				if fmt.Sprint(errC) != fmt.Sprint(errWant) || !reflect.DeepEqual(gcm, wm) || !reflect.DeepEqual(gotC, want) {
					t.Errorf("from columns: %+v %q, %v; want %+v %q, %v", gotC, gcm, errC, want, wm, errWant)
				}
				// Taken over (SpatialPanelTakingDesign): the same panel in
				// the design's memory, the design's values gone; an error
				// leaves them. Columns sharing memory are copied instead.
				for _, shared := range []bool{false, true} {
					dt := dc
					dt.Y = slices.Clone(d.Y)
					dt.cols = make([][]float64, len(dc.cols))
					for j, c := range dc.cols {
						if c != nil {
							dt.cols[j] = slices.Clone(c)
						}
					}
					wantT := want
					if shared {
						// A column that is the response's own memory: the
						// panel of that design, copied.
						j := slices.IndexFunc(dt.cols, func(c []float64) bool { return c != nil })
						if j < 0 {
							continue
						}
						dt.cols[j] = slices.Clone(dt.Y)
						ref := dt
						ref.cols = slices.Clone(dt.cols)
						wantT, _, _ = SpatialPanelFromDesign(&ref, w, eff)
						dt.cols[j] = dt.Y
					}
					y0 := dt.Y
					gotT, gtm, errT := SpatialPanelTakingDesign(&dt, w, eff)
					if fmt.Sprint(errT) != fmt.Sprint(errWant) || !reflect.DeepEqual(gtm, wm) || !reflect.DeepEqual(gotT, wantT) {
						t.Errorf("taken (shared %v): %+v %q, %v; want %+v %q, %v", shared, gotT, gtm, errT, wantT, wm, errWant)
					}
					switch {
					case errT != nil || shared:
						if len(dt.Y) == 0 || &dt.Y[0] != &y0[0] || !slices.Equal(dt.Y, d.Y) {
							t.Errorf("taken (shared %v, error %v): the design's response changed: %v, want %v", shared, errT, dt.Y, d.Y)
						}
					case dt.Y != nil || slices.ContainsFunc(dt.cols, func(c []float64) bool { return c != nil }):
						t.Errorf("taken: the design still holds its values")
					case len(gotT.Cols) > 0 && gotT.Names[0] != "(Intercept)" && &gotT.Cols[0][0] != &y0[0]:
						t.Errorf("taken: the first column is not in the memory of the design's response")
					}
				}
			})
		}
	}
}

// newSpatialPanelOld is NewSpatialPanel as it was before the coded path,
// the reference of TestSpatialPanelFromDesignCodes.
func newSpatialPanelOld(regions, periods []string, y []float64, x *mat.Dense, names []string, w *spatial.Weights) (*SpatialPanel, error) {
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
	// The panel holds its regressors as columns now.
	out.Cols = make([][]float64, k)
	for j := range out.Cols {
		out.Cols[j] = mat.Col(nil, j, out.X)
	}
	out.X = nil
	return out, nil
}

// TestDesignColumns checks that Panel.DesignColumns is DesignFormula
// without X: the same names, terms, rows and response, the same columns
// (Design.Column), the same spatial panel from SpatialPanelFromDesign, bit
// for bit, on a formula with a transformation, a factor, an interaction
// and a lag (rows left out), with and without fixed effects; and the same
// error for a column whose squares would overflow.
func TestDesignColumns(t *testing.T) {
	const data = `id,year,y,x,g
a,1,1.5,2,u
a,2,2.5,3,v
a,3,0.5,5,u
b,1,3.5,7,v
b,2,1.25,11,u
b,3,4.5,13,v
c,1,2.75,17,u
c,2,0.75,19,v
c,3,1.5,23,u
`
	p, err := ReadPanel(strings.NewReader(data), "test.csv", "id", "year", PanelOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w, err := spatial.NewWeights([]string{"c", "a", "b"}, []spatial.Link{{From: 0, To: 1, Weight: 1}, {From: 1, To: 2, Weight: 1}, {From: 2, To: 0, Weight: 1}})
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range []string{"y ~ log(x) + factor(g) + log(x):factor(g)", "y ~ lag(x, 1) + x"} {
		f, err := ParseFormula(src)
		if err != nil {
			t.Fatal(err)
		}
		want, err := p.DesignFormula(f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := p.DesignColumns(f)
		if err != nil {
			t.Fatal(err)
		}
		// Rows: nil for every row, else the rows kept (the lag drops
		// each region's first period, rows 0, 3 and 6).
		wantRows := map[bool][]int{true: nil, false: {1, 2, 4, 5, 7, 8}}[want.Dropped == 0]
		if want.Dropped != 0 && want.Dropped != 3 || !reflect.DeepEqual(want.Rows, wantRows) {
			t.Errorf("%s: %d rows dropped, Rows %v, want %v", src, want.Dropped, want.Rows, wantRows)
		}
		if got.X != nil || !reflect.DeepEqual(got.Names, want.Names) || !reflect.DeepEqual(got.Assign, want.Assign) ||
			!reflect.DeepEqual(got.Y, want.Y) || !reflect.DeepEqual(got.Rows, want.Rows) || !reflect.DeepEqual(got.Messages, want.Messages) {
			t.Errorf("%s: DesignColumns %+v, want %+v", src, got, want)
		}
		for _, nm := range want.Names {
			if !reflect.DeepEqual(got.Column(nm), want.Column(nm)) {
				t.Errorf("%s: column %s = %v, want %v", src, nm, got.Column(nm), want.Column(nm))
			}
		}
		for _, eff := range []string{"individual", "none"} {
			pw, mw, ew := SpatialPanelFromDesign(want, w, eff)
			pg, mg, eg := SpatialPanelFromDesign(got, w, eff)
			if fmt.Sprint(eg) != fmt.Sprint(ew) || !reflect.DeepEqual(mg, mw) || !reflect.DeepEqual(pg, pw) {
				t.Errorf("%s, %s effects: panel %+v %q %v, want %+v %q %v", src, eff, pg, mg, eg, pw, mw, ew)
			}
		}
	}
	huge, err := ReadPanel(strings.NewReader("id,year,y,x\na,1,1,1e200\na,2,2,3\nb,1,3,4\nb,2,1,5\n"), "huge.csv", "id", "year", PanelOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := ParseFormula("y ~ x")
	if err != nil {
		t.Fatal(err)
	}
	_, ew := huge.DesignFormula(f)
	_, eg := huge.DesignColumns(f)
	if ew == nil || fmt.Sprint(eg) != fmt.Sprint(ew) {
		t.Errorf("overflowing column: DesignColumns error %v, DesignFormula %v", eg, ew)
	}
}
