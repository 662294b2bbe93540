package regress

import (
	"fmt"
	"reflect"
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
	p, err := NewSpatialPanel(regions, periods, d.Y, x, names, w)
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
				got, gm, errGot := SpatialPanelFromDesign(d, w, eff)
				if fmt.Sprint(errGot) != fmt.Sprint(errWant) {
					t.Fatalf("error %v, want %v", errGot, errWant)
				}
				if !reflect.DeepEqual(gm, wm) || !reflect.DeepEqual(got, want) {
					t.Errorf("got %+v %q, want %+v %q", got, gm, want, wm)
				}
			})
		}
	}
}
