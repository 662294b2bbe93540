package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFitBiasCorrect checks agglo fit --bias-correct: every format states
// the bootstrap bias correction with its seed, a rerun is byte-identical,
// and bad values or models it does not apply to are usage errors naming
// the flag.
func TestFitBiasCorrect(t *testing.T) {
	needShared(t)
	base := []string{"fit", "--data", sharedData(t, "produc.csv"), "--id", "state", "--time", "year",
		"--formula", "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp", "--weights", sharedData(t, "usaww.csv"),
		"--model", "sar", "--effects", "individual", "--impacts-draws", "0"}
	bc := append(append([]string(nil), base...), "--bias-correct", "bootstrap:20", "--seed", "7")
	for _, format := range []string{"text", "json", "markdown", "latex", "csv"} {
		args := append(append([]string(nil), bc...), "--format", format)
		code, stdout, stderr := runCLI(t, args...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", format, code, stderr)
		}
		for _, want := range []string{"bias-corrected by parametric bootstrap (Efron and Tibshirani 1993; B = 20, seed 7)"} {
			if !strings.Contains(stdout, want) {
				t.Errorf("%s: no %q in\n%s", format, want, stdout)
			}
		}
		if format == "json" && !strings.Contains(stdout, `"bias_seed": 7`) {
			t.Errorf("json: no bias_seed 7 in\n%s", stdout)
		}
		if format == "text" {
			if _, again, _ := runCLI(t, args...); again != stdout {
				t.Errorf("text: a rerun differs:\n%s\n---\n%s", stdout, again)
			}
			if _, plain, _ := runCLI(t, append(append([]string(nil), base...), "--format", "text")...); strings.Contains(plain, "bias-corrected") {
				t.Errorf("without --bias-correct the summary states a correction:\n%s", plain)
			}
		}
	}
	for _, bad := range [][]string{
		{"--bias-correct", "jackknife"},
		{"--bias-correct", "bootstrap:3"},
		{"--bias-correct", "bootstrap", "--dlag", "1"},
		{"--bias-correct", "bootstrap", "--model", "slx"},
		{"--bias-correct", "bootstrap", "--lee-yu=splm"},
	} {
		code, _, stderr := runCLI(t, append(append([]string(nil), base...), bad...)...)
		if code != 2 || !strings.Contains(stderr, "--bias-correct") {
			t.Errorf("%v: exit %d, %s", bad, code, stderr)
		}
	}
}

// TestBatchBiasCorrectOption checks options.bias_correct: the spatial
// fits record the bootstrap correction and the spec's seed, and a bad
// value is refused before any model runs.
func TestBatchBiasCorrectOption(t *testing.T) {
	dir := demoStudyDir(t)
	text, spec, js := oneModelSpec(t, dir, "bias_correct: bootstrap:20", `{formula: "log(patents) ~ va + coagg", model: sdm, effects: individual, weights: queen}`)
	for _, want := range []string{`"bias_correction": "ρ bias-corrected by parametric bootstrap (Efron and Tibshirani 1993; B = 20, seed 7)"`, `"bias_seed": 7`} {
		if !bytes.Contains(js, []byte(want)) {
			t.Errorf("m001.json lacks %s:\n%.3000s", want, js)
		}
	}
	os.WriteFile(spec, []byte(strings.Replace(text, "bias_correct: bootstrap:20", "bias_correct: jackknife", 1)), 0o644)
	code, _, stderr := runCLI(t, "batch", spec, "--out", filepath.Join(dir, "out2"))
	if code == 0 || !strings.Contains(stderr, `options.bias_correct "jackknife"`) {
		t.Errorf("bias_correct: jackknife: code %d, stderr %s", code, stderr)
	}
}
