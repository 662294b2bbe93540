package regress

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/mat"
)

// colsPanel returns p (regressors in X) with its regressors as Cols, a
// copy of its data.
func colsPanel(p *SpatialPanel) *SpatialPanel {
	q := *p
	q.Y = slices.Clone(p.Y)
	_, k := p.X.Dims()
	q.Cols = make([][]float64, k)
	for j := range q.Cols {
		q.Cols[j] = mat.Col(nil, j, p.X)
	}
	q.X = nil
	return &q
}

// TestOverwrite checks SpatialOptions.Overwrite: a fit that may transform
// a panel held as columns in place gives the same result, bit for bit, as
// the fit that copies it; it does transform the panel (its response and
// columns within-transformed, each region's mean 0 under individual
// effects) only where the raw data are not needed after the preparation
// (SAR with fixed effects, no Lee–Yu time transformation, no bias
// correction), and leaves it as it was otherwise (SEM, random effects,
// Lee–Yu two-way effects, the bootstrap bias correction, which refits the
// panel).
func TestOverwrite(t *testing.T) {
	w, err := spatial.Lattice(12, 12, false)
	if err != nil {
		t.Fatal(err)
	}
	if w, err = w.Transform(spatial.RowStandardized); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		model   SpatialModel
		effects string
		noLeeYu bool
		bias    bool
		inPlace bool
	}{
		{"sar individual", SAR, "individual", false, false, true},
		{"sar time uncorrected", SAR, "time", true, false, true},
		{"sar twoways Lee–Yu", SAR, "twoways", false, false, false},
		{"sar random", SAR, "random", false, false, false},
		{"sem individual", SEM, "individual", false, false, false},
		{"sdm individual", SDM, "individual", false, false, false},
		{"sar individual bias-corrected", SAR, "individual", false, true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := simulate(rand.New(rand.NewPCG(3, 4)), w, 4, c.model, simTruths[c.model], c.effects)
			opt := SpatialOptions{Model: c.model, Effects: c.effects, W: w, NoLeeYu: c.noLeeYu, ImpactDraws: 50, Seed: 7}
			if c.effects == "random" {
				opt.ImpactDraws = -1 // (on these data ρ̂'s draws leave the interval)
			}
			if c.bias {
				opt.BiasCorrection = BiasCorrection{Method: BiasBootstrap, B: 10, Seed: 1}
			}
			ref, err := FitSpatial(colsPanel(p), opt)
			if err != nil {
				t.Fatal(err)
			}
			q := colsPanel(p)
			y0, c0 := slices.Clone(q.Y), slices.Clone(q.Cols[0])
			opt.Overwrite = true
			got, err := FitSpatial(q, opt)
			if err != nil {
				t.Fatal(err)
			}
			rj, _ := json.Marshal(ref)
			gj, _ := json.Marshal(got)
			if string(rj) != string(gj) {
				t.Errorf("results differ:\n%s\nwant\n%s", gj, rj)
			}
			changed := !slices.Equal(q.Y, y0) || !slices.Equal(q.Cols[0], c0)
			if changed != c.inPlace {
				t.Fatalf("panel transformed in place: %v, want %v", changed, c.inPlace)
			}
			if !c.inPlace {
				return
			}
			// Within-transformed: each region's mean (individual effects)
			// or each period's (time effects) is 0.
			n, tt := q.N, q.T
			for _, v := range [][]float64{q.Y, q.Cols[0]} {
				for g := range map[string]int{"individual": n, "time": tt}[c.effects] {
					var s, scale float64
					for r := range map[string]int{"individual": tt, "time": n}[c.effects] {
						o := r*n + g
						if c.effects == "time" {
							o = g*n + r
						}
						s += v[o]
						scale = math.Max(scale, math.Abs(v[o]))
					}
					if math.Abs(s) > 1e-12*scale*float64(n) {
						t.Fatalf("group %d sums to %g after the transformation", g, s)
					}
				}
			}
		})
	}
}
