package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFitDynamic runs `agglo fit --dlag` on dynamic_sim.csv: the JSON
// names the lags after the response as written, carries the short- and
// long-run impacts and says which estimator it reports; text says so too;
// bad combinations are usage errors.
func TestFitDynamic(t *testing.T) {
	data, edges := sharedData(t, "dynamic_sim.csv"), sharedData(t, "dynamic_sim_edges.csv")
	base := []string{"fit", "--data", data, "--id", "id", "--time", "year", "--formula", "log(exp(y)) ~ x1 + x2", "--weights", edges, "--impacts-draws", "100"}
	code, out, errOut := runCLI(t, append(base, "--model", "sdm", "--effects", "twoways", "--dlag", "3", "--format", "json")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r struct {
		Coefficients []struct{ Name string }    `json:"coefficients"`
		Impacts      map[string]json.RawMessage `json:"impacts"`
		LongRun      map[string]json.RawMessage `json:"impacts_long_run"`
		Uncorrected  []struct{ Name string }    `json:"uncorrected_coefficients"`
		Options      map[string]any             `json:"options"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range r.Coefficients {
		names = append(names, c.Name)
	}
	want := "log(exp(y))(t-1),W*log(exp(y))(t-1),x1,x2,W*x1,W*x2,rho"
	if strings.Join(names, ",") != want {
		t.Errorf("coefficients %v, want %s", names, want)
	}
	for _, k := range []string{"direct", "indirect", "total"} {
		if r.Impacts[k] == nil || r.LongRun[k] == nil {
			t.Errorf("impacts %s missing (short run %v, long run %v)", k, r.Impacts[k] != nil, r.LongRun[k] != nil)
		}
	}
	if r.Options["bias_corrected"] != true || !strings.Contains(r.Options["estimator"].(string), "Lee and Yu 2010") || len(r.Uncorrected) != 7 {
		t.Errorf("estimator not stated: %v, %d uncorrected", r.Options, len(r.Uncorrected))
	}
	// plot effects draws the two horizons side by side.
	dir := t.TempDir()
	rj := filepath.Join(dir, "dyn.json")
	if err := os.WriteFile(rj, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	svg := filepath.Join(dir, "eff.svg")
	if code, _, errOut := runCLI(t, "plot", "effects", "--result", rj, "--out", svg); code != 0 {
		t.Fatalf("plot effects: exit %d: %s", code, errOut)
	}
	if b, err := os.ReadFile(svg); err != nil || !strings.Contains(string(b), "long run") || !strings.Contains(string(b), "short run") {
		t.Errorf("effects plot lacks the two horizons (%v)", err)
	}
	code, out, errOut = runCLI(t, append(base, "--model", "sar", "--effects", "individual", "--dlag", "1", "--no-bias-correction")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, s := range []string{"QML, not bias-corrected", "Short-run impacts", "Long-run impacts", "log(exp(y))(t-1)"} {
		if !strings.Contains(out, s) {
			t.Errorf("text output lacks %q:\n%s", s, out)
		}
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--model", "sem", "--effects", "individual", "--dlag", "3"}, "SAR or SDM"},
		{[]string{"--model", "sar", "--effects", "individual", "--no-bias-correction"}, "--dlag"},
		{[]string{"--model", "sar", "--effects", "individual", "--dlag", "5"}, "--dlag 5"},
	} {
		if code, _, errOut := runCLI(t, append(base, tc.args...)...); code == 0 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, %q; want an error mentioning %q", tc.args, code, errOut, tc.want)
		}
	}
}

// TestBatchDlag crosses a static and a dynamic SDM in a batch spec: the
// table shows the short- and long-run effects and the models list says
// which is dynamic.
func TestBatchDlag(t *testing.T) {
	data, edges := sharedData(t, "dynamic_sim.csv"), sharedData(t, "dynamic_sim_edges.csv")
	dir := t.TempDir()
	abs := func(p string) string { a, _ := filepath.Abs(p); return a }
	spec := "data: " + abs(data) + "\nid: id\ntime: year\nweights:\n  - {name: rook, file: " + abs(edges) + ", style: W}\n" +
		"models:\n  formulas: [\"y ~ x1 + x2\"]\n  models: [sdm, sem]\n  effects: [twoways]\n  dlag: [0, 3]\noptions: {impacts_draws: 50, seed: 1}\n"
	sp := filepath.Join(dir, "spec.yaml")
	if err := os.WriteFile(sp, []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if code, _, errOut := runCLI(t, "batch", sp, "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(filepath.Join(out, "table.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"**Short-run direct**", "**Long-run total**", "**Time lags**", "| Bias-corrected |  | Yes |", "sdm (dlag 3)", "| m003 |"} {
		if !strings.Contains(string(b), s) {
			t.Errorf("table.md lacks %q:\n%s", s, b)
		}
	}
	if strings.Contains(string(b), "m004") {
		t.Errorf("the SEM was crossed with dlag:\n%s", b)
	}
}

// TestBenchDlag times the dynamic SDM with agglo bench --dlag 3: the exact
// and sparse-Cholesky paths agree on ρ̂ (to 1e-5: the large-N bias
// correction sums tr(Wᵏ) beyond the exact order from probes) and the rows
// say which lags ran.
func TestBenchDlag(t *testing.T) {
	code, out, errOut := runCLI(t, "bench", "--n", "400", "--t", "5", "--dlag", "3", "--logdet", "eigen,cholesky", "--impacts-draws", "50", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rows []benchRow
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("bad JSON %q: %v", out, err)
	}
	if len(rows) != 2 || rows[0].Dlag != 3 || rows[1].Dlag != 3 {
		t.Fatalf("rows %+v", rows)
	}
	if d := math.Abs(rows[0].Rho - rows[1].Rho); !(d <= 1e-5) || !(rows[0].RhoSE > 0) {
		t.Errorf("eigen ρ̂ %g, cholesky ρ̂ %g (se %g)", rows[0].Rho, rows[1].Rho, rows[0].RhoSE)
	}
	if code, _, errOut := runCLI(t, "bench", "--n", "100", "--dlag", "4"); code == 0 || !strings.Contains(errOut, "--dlag 4") {
		t.Errorf("--dlag 4: exit %d, %q", code, errOut)
	}
}

// TestFitDynamicGap: data without one year are refused with the region and
// the periods around the gap named.
func TestFitDynamicGap(t *testing.T) {
	data, edges := sharedData(t, "dynamic_sim.csv"), sharedData(t, "dynamic_sim_edges.csv")
	b, err := os.ReadFile(data)
	if err != nil {
		t.Fatal(err)
	}
	var keep []string
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if !strings.Contains(line, ",2005,") {
			keep = append(keep, line)
		}
	}
	gap := filepath.Join(t.TempDir(), "gap.csv")
	if err := os.WriteFile(gap, []byte(strings.Join(keep, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "fit", "--data", gap, "--id", "id", "--time", "year", "--formula", "y ~ x1 + x2", "--weights", edges, "--model", "sar", "--effects", "individual", "--dlag", "1")
	if code == 0 || !strings.Contains(errOut, "gap") || !strings.Contains(errOut, "2006") || !strings.Contains(errOut, "2004") || !strings.Contains(errOut, "c001") {
		t.Errorf("exit %d, %q; want the gap between 2004 and 2006 named", code, errOut)
	}
}
