package regress

import (
	"math/rand/v2"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/mat"
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
		var freed atomic.Bool
		fit := func() {
			p := simulate(rand.New(rand.NewPCG(1, 2)), w, 5, c.model, simTruths[c.model], "individual")
			runtime.SetFinalizer(p.X, func(*mat.Dense) { freed.Store(true) })
			var atSE bool
			opt := SpatialOptions{Model: c.model, Effects: "individual", W: w, ImpactDraws: -1,
				Phase: func(name string) {
					if name != "optimise" {
						return
					}
					for range 3 {
						runtime.GC()
						time.Sleep(5 * time.Millisecond) // the finalizers' goroutine
					}
					atSE = freed.Load()
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
