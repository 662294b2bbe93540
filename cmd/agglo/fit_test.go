package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

func producPath(t *testing.T) string {
	t.Helper()
	return sharedData(t, "produc.csv")
}

const producF = "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp"

// TestFitJSON runs agglo fit on Produc and checks the JSON contract and the
// within estimate against plm 2.6-2 (plm_produc.json, within individual,
// log(pcap) = -0.0261496535946801, Arellano HC1 SE 0.0604746210988605).
func TestFitJSON(t *testing.T) {
	data := producPath(t)
	out := filepath.Join(t.TempDir(), "fit.json")
	code, stdout, stderr := runCLI(t, "fit", "--data", data, "--id", "state", "--time", "year", "--formula", producF,
		"--model", "fe", "--vcov", "cluster-id", "--correction", "hc1", "--format", "json", "--out", out)
	if code != 0 {
		t.Fatalf("code %d stderr %s", code, stderr)
	}
	if stdout != "" {
		t.Errorf("stdout %q with --out", stdout)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Model, Effects string
		N              int `json:"n"`
		T              int `json:"t"`
		NObs           int `json:"nobs"`
		Coefficients   []struct {
			Name      string  `json:"name"`
			Estimate  float64 `json:"estimate"`
			StdError  float64 `json:"std_error"`
			Statistic float64 `json:"statistic"`
			PValue    float64 `json:"p_value"`
		}
		Sigma2  float64            `json:"sigma2"`
		LogLik  *float64           `json:"loglik"`
		R2      map[string]float64 `json:"r2"`
		Tests   map[string]any     `json:"tests"`
		Options map[string]any     `json:"options"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if r.Model != "fe" || r.Effects != "individual" || r.N != 48 || r.T != 17 || r.NObs != 816 {
		t.Errorf("header %+v", r)
	}
	c := r.Coefficients[0]
	if c.Name != "log(pcap)" || !scalar.EqualWithinRel(c.Estimate, -0.0261496535946801, 1e-8) || !scalar.EqualWithinRel(c.StdError, 0.0604746210988605, 1e-8) {
		t.Errorf("coefficient %+v", c)
	}
	if r.Options["vcov"] != "cluster-id" || !strings.Contains(r.Options["vcov_correction"].(string), "HC1") {
		t.Errorf("options %v", r.Options)
	}
	if _, ok := r.Tests["f_effects"]; !ok || r.LogLik == nil {
		t.Errorf("tests %v loglik %v", r.Tests, r.LogLik)
	}
}

func TestFitFormats(t *testing.T) {
	data := producPath(t)
	for _, tc := range []struct{ format, want string }{
		{"text", "Random effects (Swamy-Arora)"},
		{"markdown", "| log(pcap) |"},
		{"latex", `\toprule`},
	} {
		code, stdout, stderr := runCLI(t, "fit", "--data", data, "--id", "state", "--time", "year", "--formula", producF, "--model", "re", "--format", tc.format)
		if code != 0 || !strings.Contains(stdout, tc.want) {
			t.Errorf("%s: code %d, stdout %q, stderr %q", tc.format, code, stdout, stderr)
		}
	}
}

func TestFitErrors(t *testing.T) {
	data := producPath(t)
	base := []string{"fit", "--data", data, "--id", "state", "--time", "year"}
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown model", []string{"--formula", producF, "--model", "probit"}, 2, `unknown --model "probit"`},
		{"bad formula", []string{"--formula", "log(gsp) ~ log(pcap) +"}, 2, "column 23"},
		{"unknown column", []string{"--formula", "gsp ~ nope"}, 1, `no column "nope"`},
		{"bad vcov", []string{"--formula", producF, "--vcov", "hc9"}, 2, "--vcov"},
		{"collinear", []string{"--formula", "gsp ~ pcap + hwy + water + util"}, 1, "util is collinear with (Intercept), pcap, hwy, water; --drop-collinear drops it"},
		{"constant under fe", []string{"--formula", "gsp ~ pcap + region", "--model", "fe"}, 1, "region has no variation within individuals; --drop-collinear drops it"},
		{"missing flag", []string{"--formula", producF, "--id", ""}, 2, "--id is required"},
		{"output over input", []string{"--formula", producF, "--out", data}, 2, "refusing to write"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, append(append([]string{}, base...), tc.args...)...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Errorf("code %d stderr %q, want %d and %q", code, stderr, tc.code, tc.want)
			}
		})
	}
	// --drop-collinear drops util with a note.
	code, stdout, stderr := runCLI(t, append(base, "--formula", "gsp ~ pcap + hwy + water + util", "--drop-collinear")...)
	if code != 0 || !strings.Contains(stdout, "dropped util") {
		t.Errorf("drop-collinear: code %d stdout %q stderr %q", code, stdout, stderr)
	}
}

func TestFitDropMissing(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "p.csv")
	csv := "id,t,y,x\na,1,1,2\na,2,2,NA\na,3,4,5\nb,1,3,1\nb,2,5,3\nb,3,6,4\nc,1,2,2\nc,2,2,1\nc,3,5,3\n"
	if err := os.WriteFile(data, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"fit", "--data", data, "--id", "id", "--time", "t", "--formula", "y ~ x"}
	code, _, stderr := runCLI(t, args...)
	if code != 1 || !strings.Contains(stderr, "line 3 (x)") {
		t.Errorf("missing: code %d stderr %q", code, stderr)
	}
	code, stdout, stderr := runCLI(t, append(args, "--drop-missing")...)
	if code != 0 || !strings.Contains(stdout, "dropped 1 of 9 rows with missing values") || !strings.Contains(stdout, "Unbalanced panel: N = 3 regions, T = 3 periods, 8 observations") {
		t.Errorf("drop-missing: code %d stdout %q stderr %q", code, stdout, stderr)
	}
}

// TestFitSpatialDispatch: agglo fit hands spatial models to fit_spatial.go
// with the formula design (splm 1.6-5 SAR, individual effects, Produc +
// usaww: rho = 0.274688711742279, splm_produc.json).
func TestFitSpatialDispatch(t *testing.T) {
	data := producPath(t)
	code, stdout, stderr := runCLI(t, "fit", "--data", data, "--id", "state", "--time", "year", "--formula", producF,
		"--model", "sar", "--effects", "individual", "--weights", sharedData(t, "usaww.csv"), "--impacts-draws", "0", "--format", "json")
	if code != 0 {
		t.Fatalf("code %d stderr %s", code, stderr)
	}
	var r struct {
		Coefficients []struct {
			Name     string  `json:"name"`
			Estimate float64 `json:"estimate"`
		} `json:"coefficients"`
	}
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range r.Coefficients {
		if c.Name == "rho" {
			found = true
			if !scalar.EqualWithinRel(c.Estimate, 0.274688711742279, 1e-6) {
				t.Errorf("rho %.12g", c.Estimate)
			}
		}
		if c.Name == "(Intercept)" {
			t.Error("intercept kept under fixed effects")
		}
	}
	if !found {
		t.Errorf("no rho in %s", stdout)
	}
}

// TestFitCrossSection fits spatialreg's lag model on Columbus without
// --time: one cross-section (lagsarlm(CRIME ~ INC + HOVAL, listw W):
// rho = 0.403889687619813, columbus.json).
func TestFitCrossSection(t *testing.T) {
	code, stdout, stderr := runCLI(t, "fit", "--data", sharedData(t, "columbus.csv"), "--id", "id",
		"--formula", "CRIME ~ INC + HOVAL", "--model", "sar", "--weights", sharedData(t, "columbus.gal"),
		"--impacts-draws", "0", "--format", "json")
	if code != 0 {
		t.Fatalf("code %d: %s", code, stderr)
	}
	var r struct {
		Coefficients []struct {
			Name     string  `json:"name"`
			Estimate float64 `json:"estimate"`
		} `json:"coefficients"`
	}
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range r.Coefficients {
		if c.Name == "rho" {
			found = true
			if !scalar.EqualWithinAbsOrRel(c.Estimate, 0.403889687619813, 0, 1e-6) {
				t.Errorf("rho = %v", c.Estimate)
			}
		}
	}
	if !found {
		t.Fatalf("no rho in %s", stdout)
	}
	if code, _, _ := runCLI(t, "fit", "--data", sharedData(t, "columbus.csv"), "--id", "id",
		"--formula", "CRIME ~ INC", "--model", "sar", "--effects", "individual", "--weights", sharedData(t, "columbus.gal")); code != 2 {
		t.Errorf("--effects without --time: code %d, want 2", code)
	}
}

// TestFitRandomTimeInvariant: --model re with a regressor constant within
// states (Produc's region code) is fitted, as plm and xtreg, re do (it was
// refused: "regressor region has no variation within individuals"); the
// note says σ²_e comes from the within regression without it.
func TestFitRandomTimeInvariant(t *testing.T) {
	code, stdout, stderr := runCLI(t, "fit", "--data", producPath(t), "--id", "state", "--time", "year",
		"--formula", "log(gsp) ~ log(pc) + log(emp) + unemp + region", "--model", "re")
	if code != 0 {
		t.Fatalf("code %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "region") || !strings.Contains(stdout, "within regression without region") {
		t.Errorf("no region coefficient or note:\n%s", stdout)
	}
}

// TestLargeInputGC checks that fit collects garbage at GOGC=50 on a data
// file of 64 MiB or more (and restores the setting), not on smaller ones,
// and never when the GOGC environment variable is set.
func TestLargeInputGC(t *testing.T) {
	gcPercent := func() int {
		p := debug.SetGCPercent(100)
		debug.SetGCPercent(p)
		return p
	}
	dir := t.TempDir()
	small, large := filepath.Join(dir, "small.csv"), filepath.Join(dir, "large.csv")
	if err := os.WriteFile(small, []byte("id,t,y\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(large)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(largeInputGCBytes); err != nil { // sparse: no disk space
		t.Fatal(err)
	}
	f.Close()
	t.Setenv("GOGC", "")
	os.Unsetenv("GOGC")
	before := gcPercent()
	restore := largeInputGC(large)
	if got := gcPercent(); got != 50 {
		t.Errorf("large input: GC percent %d, want 50", got)
	}
	restore()
	if got := gcPercent(); got != before {
		t.Errorf("restored GC percent %d, want %d", got, before)
	}
	for _, path := range []string{small, filepath.Join(dir, "absent.csv")} {
		restore := largeInputGC(path)
		if got := gcPercent(); got != before {
			t.Errorf("%s: GC percent %d, want %d", filepath.Base(path), got, before)
		}
		restore()
	}
	t.Setenv("GOGC", "200")
	restore = largeInputGC(large)
	if got := gcPercent(); got != before {
		t.Errorf("GOGC set: GC percent %d, want %d", got, before)
	}
	restore()
	// collectFitted collects after a fit on the large file only.
	numGC := func() uint32 {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.NumGC
	}
	for _, c := range []struct {
		path string
		want bool
	}{{large, true}, {small, false}, {filepath.Join(dir, "absent.csv"), false}} {
		n0 := numGC()
		got := collectFitted(c.path)
		// (A collection seen after a small file may be the runtime's own.)
		if collected := numGC() > n0; got != c.want || c.want && !collected {
			t.Errorf("%s: collectFitted %v, collected %v, want %v", filepath.Base(c.path), got, collected, c.want)
		}
	}
}
