package regress

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// TestCoefficientJSONNonFinite checks that a coefficient or effect with a
// non-finite value is written with null and read back as NaN, and finite
// values survive unchanged.
func TestCoefficientJSONNonFinite(t *testing.T) {
	in := []Coefficient{{"phi", 1e-8, math.NaN(), math.Inf(1), math.NaN()}, {"x", 0.25, 0.5, 0.5, 0.617}}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"std_error":null`) || !strings.Contains(string(b), `"estimate":1e-8`) {
		t.Errorf("JSON %s", b)
	}
	var out []Coefficient
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(out[0].StdError) || !math.IsNaN(out[0].Statistic) || out[0].Estimate != 1e-8 || out[1] != in[1] {
		t.Errorf("round trip %+v", out)
	}
	e, err := json.Marshal(Effect{"x", 1, math.NaN(), 0.5})
	if err != nil || !strings.Contains(string(e), `"std_error":null`) {
		t.Errorf("effect JSON %s, %v", e, err)
	}
	var eb Effect
	if err := json.Unmarshal(e, &eb); err != nil || !math.IsNaN(eb.StdError) || eb.Estimate != 1 {
		t.Errorf("effect round trip %+v, %v", eb, err)
	}
}
