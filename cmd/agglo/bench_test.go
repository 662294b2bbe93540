package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/agglo/agglo/regress"
	"github.com/agglo/agglo/spatial"
)

func TestBenchSmall(t *testing.T) {
	code, out, errOut := runCLI(t, "bench", "--n", "400", "--t", "3", "--logdet", "eigen,cholesky,slq", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rows []benchRow
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("bad JSON %q: %v", out, err)
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows, want 3", len(rows))
	}
	// The exact methods agree on ρ̂ (same likelihood up to rounding).
	if d := rows[0].Rho - rows[1].Rho; d > 1e-6 || d < -1e-6 {
		t.Errorf("eigen ρ̂ %g, cholesky ρ̂ %g", rows[0].Rho, rows[1].Rho)
	}
	for _, r := range rows {
		if r.N != 400 || r.T != 3 || r.TotalSec <= 0 || r.PeakHeapMiB <= 0 {
			t.Errorf("implausible row %+v", r)
		}
	}
}

func TestBenchUsage(t *testing.T) {
	for _, args := range [][]string{
		{"bench", "--logdet", "lu"},
		{"bench", "--n", "abc"},
		{"bench", "--t", "1"},
	} {
		code, _, errOut := runCLI(t, args...)
		if code != 2 || !strings.Contains(errOut, strings.TrimPrefix(args[1], "--")) {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
		}
	}
}

// TestBenchWhole runs agglo bench --whole on a small lattice: the whole
// fit path (CSV and edge list written, read back and fitted) must give the
// ρ̂ and se(ρ̂) of fitting the simulated panel in memory, and report every
// phase of the SAR fit.
func TestBenchWhole(t *testing.T) {
	code, out, errOut := runCLI(t, "bench", "--whole", "400", "--t", "4", "--impacts-draws", "50", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rows []wholeRow
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("bad JSON %q: %v", out, err)
	}
	if len(rows) != 1 {
		t.Fatalf("%d rows, want 1", len(rows))
	}
	r := rows[0]
	if r.N != 400 || r.T != 4 || r.Draws != 50 || !(r.TotalSec > 0) || !(r.CSVMiB > 0) || !(r.PeakHeapMiB > 0) {
		t.Errorf("implausible row %+v", r)
	}
	// The same fit in memory: the CSV round trip is exact ('g', -1).
	w, err := spatial.Lattice(20, 20, false)
	if err != nil {
		t.Fatal(err)
	}
	if w, err = w.Transform(spatial.RowStandardized); err != nil {
		t.Fatal(err)
	}
	p := simulateSARPanel(w, 4, 0.4, 0, 0, 0, []float64{1, -0.5, 0.3}, 1)
	res, err := regress.FitSpatial(p, regress.SpatialOptions{Model: regress.SAR, Effects: "individual", W: w, ImpactDraws: -1})
	if err != nil {
		t.Fatal(err)
	}
	var rho, se float64
	for _, c := range res.Coefficients {
		if c.Name == "rho" {
			rho, se = c.Estimate, c.StdError
		}
	}
	if !(math.Abs(r.Rho-rho) <= 1e-9) || !(math.Abs(r.RhoSE-se) <= 1e-9*se) {
		t.Errorf("bench --whole ρ̂ = %.12g (se %.12g), in memory %.12g (se %.12g)", r.Rho, r.RhoSE, rho, se)
	}
	if code, _, errOut := runCLI(t, "bench", "--whole", "400", "--dlag", "1"); code != 2 || !strings.Contains(errOut, "--whole") {
		t.Errorf("--whole with --dlag: exit %d, stderr %q", code, errOut)
	}
}
