package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/agglo/agglo/internal/sharedtest"
	"gonum.org/v1/gonum/floats/scalar"
)

type fitJSON struct {
	Coefficients []struct {
		Name     string  `json:"name"`
		Estimate float64 `json:"estimate"`
		StdError float64 `json:"std_error"`
	} `json:"coefficients"`
	Messages []string `json:"messages"`
}

func (r *fitJSON) names() []string {
	var out []string
	for _, c := range r.Coefficients {
		out = append(out, c.Name)
	}
	return out
}

func fitToJSON(t *testing.T, args ...string) *fitJSON {
	t.Helper()
	code, stdout, stderr := runCLI(t, append([]string{"fit", "--format", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("fit %q: code %d: %s", args, code, stderr)
	}
	var r fitJSON
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

// TestFitFormulaProduc runs agglo fit on every formula of
// formula_produc.json (R 4.2.2 model.matrix, plm 2.6-2): pooled OLS has
// R's columns as coefficients, in order, and the two within fits match
// plm's estimates and standard errors to 1e-8.
func TestFitFormulaProduc(t *testing.T) {
	var o struct {
		ModelMatrix []struct {
			Formula string   `json:"formula"`
			Columns []string `json:"columns"`
		} `json:"model_matrix"`
		Within []struct {
			Formula      string `json:"formula"`
			Coefficients []struct {
				Name     string  `json:"name"`
				Estimate float64 `json:"estimate"`
				StdError float64 `json:"std_error"`
			} `json:"coefficients"`
		} `json:"within"`
	}
	sharedtest.ReadJSON(t, &o, "oracle", "formula_produc.json")
	data := producPath(t)
	for _, tc := range o.ModelMatrix {
		r := fitToJSON(t, "--data", data, "--id", "state", "--time", "year", "--model", "ols", "--formula", tc.Formula)
		if !slices.Equal(r.names(), tc.Columns) {
			t.Errorf("%s: coefficients %q, want %q", tc.Formula, r.names(), tc.Columns)
		}
	}
	for _, tc := range o.Within {
		r := fitToJSON(t, "--data", data, "--id", "state", "--time", "year", "--model", "fe", "--formula", tc.Formula)
		if len(r.Coefficients) != len(tc.Coefficients) {
			t.Fatalf("%s: %q", tc.Formula, r.names())
		}
		for i, w := range tc.Coefficients {
			g := r.Coefficients[i]
			if g.Name != w.Name || !scalar.EqualWithinRel(g.Estimate, w.Estimate, 1e-8) || !scalar.EqualWithinRel(g.StdError, w.StdError, 1e-8) {
				t.Errorf("%s: %+v, want %+v", tc.Formula, g, w)
			}
		}
	}
}

// TestFitInteractionsEverywhere runs a formula with an interaction and a
// factor through random effects, spatial fixed and random effects with
// --durbin, and batch, checking the columns each reports.
func TestFitInteractionsEverywhere(t *testing.T) {
	data := producPath(t)
	w := sharedData(t, "usaww.csv")
	f := "log(gsp) ~ unemp*log(emp) + log(pc)"
	re := fitToJSON(t, "--data", data, "--id", "state", "--time", "year", "--model", "re", "--formula", f)
	if want := []string{"(Intercept)", "unemp", "log(emp)", "log(pc)", "unemp:log(emp)"}; !slices.Equal(re.names(), want) {
		t.Errorf("re: %q, want %q", re.names(), want)
	}
	fe := fitToJSON(t, "--data", data, "--id", "state", "--time", "year", "--model", "fe", "--formula", f+" + factor(region)")
	if slices.ContainsFunc(fe.names(), func(s string) bool { return strings.HasPrefix(s, "factor(region)") }) ||
		!slices.ContainsFunc(fe.Messages, func(s string) bool { return strings.Contains(s, "absorbed by the fixed effects") }) {
		t.Errorf("fe with a region factor: %q, messages %q", fe.names(), fe.Messages)
	}
	sdm := fitToJSON(t, "--data", data, "--id", "state", "--time", "year", "--model", "sdm", "--effects", "individual", "--weights", w,
		"--impacts-draws", "0", "--formula", f, "--durbin", "log(pc) + log(emp):unemp")
	if want := []string{"unemp", "log(emp)", "log(pc)", "unemp:log(emp)", "W*log(pc)", "W*unemp:log(emp)", "rho"}; !slices.Equal(sdm.names(), want) {
		t.Errorf("sdm --durbin: %q, want %q", sdm.names(), want)
	}
	sdmRE := fitToJSON(t, "--data", data, "--id", "state", "--time", "year", "--model", "sdm", "--effects", "random", "--weights", w,
		"--impacts-draws", "0", "--formula", f)
	if !slices.Contains(sdmRE.names(), "W*unemp:log(emp)") || !slices.Contains(sdmRE.names(), "unemp:log(emp)") {
		t.Errorf("sdm random: %q", sdmRE.names())
	}
	if code, _, stderr := runCLI(t, "fit", "--data", data, "--id", "state", "--time", "year", "--model", "sar", "--weights", w, "--formula", f, "--durbin", "unemp"); code != 2 || !strings.Contains(stderr, "--durbin is for sdm") {
		t.Errorf("sar --durbin: code %d %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, "fit", "--data", data, "--id", "state", "--time", "year", "--model", "sdm", "--weights", w, "--formula", f, "--durbin", "hwy"); code != 2 || !strings.Contains(stderr, "not a term of the formula") {
		t.Errorf("sdm --durbin hwy: code %d %s", code, stderr)
	}
	// Batch: the same formula, with and without Durbin terms.
	dir := t.TempDir()
	spec := filepath.Join(dir, "study.yaml")
	yaml := "data: " + data + "\nid: state\ntime: year\nweights:\n  - {name: us, file: " + w + ", format: matrix, style: W}\n" +
		"models:\n  list:\n    - {formula: \"" + f + "\", model: fe, effects: individual}\n" +
		"    - {formula: \"" + f + "\", model: slx, effects: individual, weights: us, durbin: \"unemp:log(emp)\"}\n" +
		"options: {impacts_draws: 0, seed: 1}\n"
	if err := os.WriteFile(spec, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "run")
	if code, stdout, stderr := runCLI(t, "batch", spec, "--out", out); code != 0 {
		t.Fatalf("batch: code %d\n%s\n%s", code, stdout, stderr)
	}
	for file, want := range map[string][]string{
		"m001.json": {"unemp", "log(emp)", "log(pc)", "unemp:log(emp)"},
		"m002.json": {"unemp", "log(emp)", "log(pc)", "unemp:log(emp)", "W*unemp:log(emp)"},
	} {
		b, err := os.ReadFile(filepath.Join(out, "models", file))
		if err != nil {
			t.Fatal(err)
		}
		var m struct {
			Result fitJSON `json:"result"`
		}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		if r := m.Result; !slices.Equal(r.names(), want) {
			t.Errorf("batch %s: %q, want %q", file, r.names(), want)
		}
	}
	tex, err := os.ReadFile(filepath.Join(out, "table.tex"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(tex), `unemp $\times$ log(emp) &`) {
		t.Errorf("table.tex lacks the ×:\n%s", tex)
	}
}
