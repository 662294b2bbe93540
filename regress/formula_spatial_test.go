package regress

import (
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"
)

// TestDurbinTerms checks that the W·X terms of Durbin models are built
// from the final model-matrix columns (interactions included) and that
// Durbin restricts them: SLX with Durbin = ~ log(emp):unemp + log(pc)
// equals the within regression on X and those two lagged columns built by
// hand (an identity, to 1e-10), and SDM with every column named equals
// the default.
func TestDurbinTerms(t *testing.T) {
	p := readProduc(t, "produc.csv")
	w := readDenseWeights(t, "usaww.csv")
	d, err := p.Design("log(gsp) ~ unemp*log(emp) + log(pc)")
	if err != nil {
		t.Fatal(err)
	}
	cols, err := d.DurbinColumns("~ log(emp):unemp + log(pc)")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(cols, "|") != "log(pc)|unemp:log(emp)" {
		t.Fatalf("Durbin columns %q", cols)
	}
	if _, err := d.DurbinColumns("hwy"); err == nil || !strings.Contains(err.Error(), "not a term of the formula") {
		t.Errorf("unknown Durbin term: %v", err)
	}
	sp, _, err := SpatialPanelFromDesign(d, w, "individual")
	if err != nil {
		t.Fatal(err)
	}
	r1, err := FitSpatial(sp, SpatialOptions{Model: SLX, Effects: "individual", W: w, Durbin: cols, ImpactDraws: -1})
	if err != nil {
		t.Fatal(err)
	}
	// The same regression with the lagged columns built by hand.
	spx := sp.Regressors()
	nr, k := spx.Dims()
	x2 := mat.NewDense(nr, k+2, nil)
	x2.Slice(0, nr, 0, k).(*mat.Dense).Copy(spx)
	names := slices.Clone(sp.Names)
	for a, name := range []string{"unemp:log(emp)", "log(pc)"} {
		j := slices.Index(sp.Names, name)
		x2.SetCol(k+a, lagPanel(w, sp.column(j), sp.N, sp.T))
		names = append(names, "W*"+name)
	}
	sp2 := *sp
	sp2.X, sp2.Cols, sp2.Names = x2, nil, names
	r2, err := FitSpatial(&sp2, SpatialOptions{Model: SLX, Effects: "individual", W: w, Durbin: []string{}, ImpactDraws: -1})
	if err != nil {
		t.Fatal(err)
	}
	if len(r1.Coefficients) != len(r2.Coefficients) {
		t.Fatalf("%d and %d coefficients", len(r1.Coefficients), len(r2.Coefficients))
	}
	for _, c := range r2.Coefficients {
		var got *Coefficient
		for i := range r1.Coefficients {
			if r1.Coefficients[i].Name == c.Name {
				got = &r1.Coefficients[i]
			}
		}
		if got == nil {
			t.Errorf("no coefficient %s in %v", c.Name, r1.Coefficients)
			continue
		}
		if !scalar.EqualWithinAbsOrRel(got.Estimate, c.Estimate, 1e-12, 1e-10) || !scalar.EqualWithinAbsOrRel(got.StdError, c.StdError, 1e-12, 1e-10) {
			t.Errorf("%s: %g (%g), by hand %g (%g)", c.Name, got.Estimate, got.StdError, c.Estimate, c.StdError)
		}
	}
	// SDM: every column named is the default, W*unemp:log(emp) included.
	all, err := FitSpatial(sp, SpatialOptions{Model: SDM, Effects: "individual", W: w, ImpactDraws: -1})
	if err != nil {
		t.Fatal(err)
	}
	named, err := FitSpatial(sp, SpatialOptions{Model: SDM, Effects: "individual", W: w, Durbin: sp.Names, ImpactDraws: -1})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for i, c := range all.Coefficients {
		found = found || c.Name == "W*unemp:log(emp)"
		if named.Coefficients[i].Name != c.Name || named.Coefficients[i].Estimate != c.Estimate {
			t.Errorf("%s: default %g, all named %s %g", c.Name, c.Estimate, named.Coefficients[i].Name, named.Coefficients[i].Estimate)
		}
	}
	if !found {
		t.Errorf("SDM lacks W*unemp:log(emp): %v", all.Coefficients)
	}
	// A partial Durbin SDM nests SAR (θ = 0) but not SEM.
	part, err := FitSpatial(sp, SpatialOptions{Model: SDM, Effects: "individual", W: w, Durbin: cols, ImpactDraws: -1})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := part.Tests["lr_sdm_vs_sar"]; !ok {
		t.Errorf("partial Durbin SDM lacks the LR test against SAR: %v", part.Tests)
	}
	if _, ok := part.Tests["wald_sdm_vs_sem"]; ok {
		t.Errorf("partial Durbin SDM reports a test against SEM, which it does not nest")
	}
	if _, ok := all.Tests["lr_sdm_vs_sem"]; !ok {
		t.Errorf("full SDM lacks the LR test against SEM: %v", all.Tests)
	}
	if d2, err := p.Design("log(gsp) ~ unemp + offset(log(emp))"); err != nil {
		t.Error(err)
	} else if _, _, err := SpatialPanelFromDesign(d2, w, "individual"); err == nil || !strings.Contains(err.Error(), "offset() is for the linear panel models") {
		t.Errorf("spatial model with an offset: %v", err)
	}
	if _, err := FitSpatial(sp, SpatialOptions{Model: SAR, Effects: "individual", W: w, Durbin: cols}); err == nil {
		t.Error("SAR with Durbin terms accepted")
	}
}
