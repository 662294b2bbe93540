package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/agglo/agglo/regress"
	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/mat"
)

// TestFitBinaryWeightsImpacts fits Columbus with binary contiguity
// weights (--style B: unequal row sums, λmax ≈ 6, so that the power series
// of (I − ρW)⁻¹ converge only for |ρ| < 1/6 while draws of ρ reach the
// interval's upper end, 0.167): the SDM and the SAR with their default
// 1,000 impact draws succeed, and the SAR's total impact of INC is the
// exact β·1ᵀ(I − ρ̂W)⁻¹1/N of a dense solve (spatialreg reports β/(1 − ρ̂),
// which holds for row-standardised W only).
func TestFitBinaryWeightsImpacts(t *testing.T) {
	needShared(t)
	data, gal := sharedData(t, "columbus.csv"), sharedData(t, "columbus.gal")
	var sar struct {
		Coefficients []regress.Coefficient `json:"coefficients"`
		Impacts      struct {
			Total []regress.Coefficient `json:"total"`
		} `json:"impacts"`
	}
	for _, model := range []string{"sdm", "sar"} {
		code, out, stderr := runCLI(t, "fit", "--data", data, "--id", "id", "--formula", "CRIME ~ INC + HOVAL",
			"--model", model, "--weights", gal, "--style", "B", "--format", "json")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", model, code, stderr)
		}
		if model == "sar" {
			if err := json.Unmarshal([]byte(out), &sar); err != nil {
				t.Fatal(err)
			}
		}
	}
	coef := map[string]float64{}
	for _, c := range sar.Coefficients {
		coef[c.Name] = c.Estimate
	}
	w, err := spatial.ReadWeightsFile(gal, "gal")
	if err != nil {
		t.Fatal(err)
	}
	n := w.N()
	a := mat.NewDense(n, n, nil)
	a.Scale(-coef["rho"], w.Dense())
	ones := mat.NewVecDense(n, nil)
	for i := 0; i < n; i++ {
		a.Set(i, i, a.At(i, i)+1)
		ones.SetVec(i, 1)
	}
	var z mat.VecDense
	if err := z.SolveVec(a, ones); err != nil {
		t.Fatal(err)
	}
	want := coef["INC"] * mat.Sum(&z) / float64(n)
	for _, c := range sar.Impacts.Total {
		if strings.EqualFold(c.Name, "INC") {
			if !(math.Abs(c.Estimate-want) <= 1e-9*math.Abs(want)) {
				t.Errorf("total impact of INC %.12g, exact %.12g", c.Estimate, want)
			}
			return
		}
	}
	t.Fatalf("no total impact of INC in %+v", sar.Impacts.Total)
}
