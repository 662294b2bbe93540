package regress

import (
	"math/rand/v2"
	"runtime"
	"testing"
	"weak"

	"github.com/agglo/agglo/spatial"
)

// TestFitSpatialLetsPanelGo checks that a SAR fit with fixed effects (whose
// LM tests reuse the prepared data) holds nothing of the caller's panel
// once the data are prepared: with no other reference, the panel's N·T
// values are collected before the standard errors (at 10⁶ regions they
// are 305 MB of the fit's peak memory). A panel the fit still refers to
// (as an SEM fit's LM tests do) is not.
func TestFitSpatialLetsPanelGo(t *testing.T) {
	w, err := spatial.Lattice(20, 20, false)
	if err != nil {
		t.Fatal(err)
	}
	if w, err = w.Transform(spatial.RowStandardized); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		model SpatialModel
		freed bool
	}{{SAR, true}, {SEM, false}} {
		fit := func() {
			p := simulate(rand.New(rand.NewPCG(1, 2)), w, 5, c.model, simTruths[c.model], "individual")
			x := weak.Make(p.X)
			var atSE bool
			opt := SpatialOptions{Model: c.model, Effects: "individual", W: w, ImpactDraws: -1,
				Phase: func(name string) {
					if name != "optimise" {
						return
					}
					runtime.GC()
					runtime.GC()
					atSE = x.Value() == nil
				}}
			if _, err := FitSpatial(p, opt); err != nil {
				t.Fatal(err)
			}
			if atSE != c.freed {
				t.Errorf("%s: the panel's X collected during the fit: %v, want %v", c.model, atSE, c.freed)
			}
		}
		fit()
	}
}
