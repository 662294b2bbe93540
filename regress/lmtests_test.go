package regress

import (
	"encoding/json"
	"testing"

	"github.com/agglo/agglo/internal/sharedtest"
)

// TestLMTestsColumbus compares with spdep 1.2-7 lm.LMtests(lm(CRIME ~ INC +
// HOVAL), listw W, test = "all") (../shared/oracle/columbus.json).
func TestLMTestsColumbus(t *testing.T) {
	sharedtest.Dir(t)
	var ref struct {
		LM map[string]struct {
			Statistic float64 `json:"statistic"`
			PValue    float64 `json:"p_value"`
		} `json:"lm_tests"`
	}
	loadJSON(t, "columbus.json", &ref)
	w := readGAL(t, sharedtest.Data(t, "columbus.gal"))
	got, err := SpatialLMTests(columbus(t, w), w, "none")
	if err != nil {
		t.Fatal(err)
	}
	if len(ref.LM) != 5 {
		t.Fatalf("reference has %d tests", len(ref.LM))
	}
	for name, r := range ref.LM {
		g, ok := got[name]
		if !ok {
			t.Errorf("no test %s", name)
			continue
		}
		checkRel(t, name, g.Statistic, r.Statistic, 1e-8)
		checkRel(t, name+" p", g.PValue, r.PValue, 1e-6)
	}
}

// TestLMTestsProduc compares with splm 1.6-5 slmtest(model = "within") on
// Produc with usaww (../shared/oracle/splm_produc.json).
func TestLMTestsProduc(t *testing.T) {
	sharedtest.Dir(t)
	var ref struct {
		Cases map[string]json.RawMessage `json:"cases"`
	}
	loadJSON(t, "splm_produc.json", &ref)
	var tests []struct {
		Test      string      `json:"test"`
		Statistic [][]float64 `json:"statistic"`
		PValue    [][]float64 `json:"p_value"`
	}
	if err := json.Unmarshal(ref.Cases["lm_tests_within_individual"], &tests); err != nil {
		t.Fatal(err)
	}
	w := readDenseWeights(t, "usaww.csv")
	got, err := SpatialLMTests(produc(t, w), w, "individual")
	if err != nil {
		t.Fatal(err)
	}
	// FitSpatial's SAR fit reports the same tests from the data it has
	// already transformed (lmTestsPrepared), SDM's from its own pass.
	fits := map[string]map[string]Test{"SpatialLMTests": got}
	for _, m := range []SpatialModel{SAR, SDM} {
		res, err := FitSpatial(produc(t, w), SpatialOptions{Model: m, W: w, Effects: "individual", ImpactDraws: -1})
		if err != nil {
			t.Fatal(err)
		}
		fits["FitSpatial "+string(m)] = res.Tests
	}
	names := map[string]string{"lml": "LMlag", "lme": "LMerr", "rlml": "RLMlag", "rlme": "RLMerr"}
	for src, got := range fits {
		for _, r := range tests {
			g, ok := got[names[r.Test]]
			if !ok {
				t.Errorf("%s: no test %s", src, names[r.Test])
				continue
			}
			checkRel(t, src+" "+r.Test, g.Statistic, r.Statistic[0][0], 1e-6)
			checkRel(t, src+" "+r.Test+" p", g.PValue, r.PValue[0][0], 1e-5)
		}
	}
}
