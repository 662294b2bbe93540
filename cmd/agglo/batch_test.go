package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/agglo/agglo/demo"
)

// demoStudyDir writes the embedded demo study into a temporary folder.
func demoStudyDir(t *testing.T) string {
	t.Helper()
	files, err := demo.EmbeddedFiles()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const specHeader = `data: innovation.csv
id: region
time: year
weights:
  - {name: queen, file: regions.geojson, id: id, contiguity: queen}
  - {name: knn6, file: regions.geojson, id: id, knn: 6}
index:
  data: employment.csv
  region: region
  sector: sector
  time: year
  value: employment
  share: online_share
  groups: sectors.csv
  columns:
    - {name: va, index: va-region, group: producer_services}
    - {name: coagg, index: coagg}
options: {impacts_draws: 50, seed: 7}
`

// specOf200 returns a spec whose cross product has 198 models, plus two in
// the list: 11 formulas × (fe × 2 effects + 4 spatial models × 2 effects ×
// 2 weights).
func specOf200() string {
	terms := []string{"va", "coagg", "log_rd", "log(new_product_sales)"}
	var formulas []string
	for a := 0; a < len(terms); a++ {
		for b := a + 1; b < len(terms); b++ {
			formulas = append(formulas, fmt.Sprintf("log(patents) ~ %s + %s", terms[a], terms[b]))
		}
	}
	for a := 0; a < len(terms); a++ {
		formulas = append(formulas, "log(patents) ~ "+strings.Join(append(append([]string{}, terms[:a]...), terms[a+1:]...), " + "))
	}
	formulas = append(formulas, "log(patents) ~ va + coagg + log_rd + log(new_product_sales)")
	var b strings.Builder
	b.WriteString(specHeader)
	b.WriteString("models:\n  formulas:\n")
	for _, f := range formulas {
		fmt.Fprintf(&b, "    - %q\n", f)
	}
	b.WriteString("  models: [fe, sar, sem, sdm, slx]\n  effects: [individual, twoways]\n  weights: [queen, knn6]\n")
	b.WriteString("  list:\n    - {formula: \"log(patents) ~ va + coagg + log_rd\", model: ols, effects: none, vcov: hc1}\n")
	b.WriteString("    - {formula: \"log(patents) ~ va + coagg + log_rd\", model: re, effects: individual}\n")
	return b.String()
}

func readAll(t *testing.T, dir string, names ...string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		out[n] = b
	}
	return out
}

func TestBatch200ModelsDeterministicAndShards(t *testing.T) {
	dir := demoStudyDir(t)
	spec := filepath.Join(dir, "study.yaml")
	if err := os.WriteFile(spec, []byte(specOf200()), 0o644); err != nil {
		t.Fatal(err)
	}
	run1, run2 := filepath.Join(dir, "run1"), filepath.Join(dir, "run2")
	for _, out := range []string{run1, run2} {
		code, stdout, stderr := runCLI(t, "batch", spec, "--out", out, "--jobs", "2")
		if code != 0 {
			t.Fatalf("batch: code %d\n%s\n%s", code, stdout, stderr)
		}
	}
	files, _ := filepath.Glob(filepath.Join(run1, "models", "*.json"))
	if len(files) != 200 {
		t.Fatalf("%d model files, want 200", len(files))
	}
	tables := []string{"table.md", "table.tex", "table.csv"}
	a, b := readAll(t, run1, tables...), readAll(t, run2, tables...)
	for _, n := range tables {
		if !bytes.Equal(a[n], b[n]) {
			t.Errorf("%s differs between two runs", n)
		}
	}
	s1, s2 := filepath.Join(dir, "s1"), filepath.Join(dir, "s2")
	for i, out := range []string{s1, s2} {
		if code, _, stderr := runCLI(t, "batch", spec, "--out", out, "--jobs", "2", "--shard", fmt.Sprintf("%d/2", i+1)); code != 0 {
			t.Fatalf("shard %d: %s", i+1, stderr)
		}
	}
	merged := filepath.Join(dir, "merged")
	if code, _, stderr := runCLI(t, "batch", "merge", "--out", merged, s1, s2); code != 0 {
		t.Fatalf("merge: %s", stderr)
	}
	m := readAll(t, merged, tables...)
	for _, n := range tables {
		if !bytes.Equal(a[n], m[n]) {
			t.Errorf("%s of the merged shards differs from the unsharded run", n)
		}
	}
	// Every model's JSON too, to the last digit (the tables round).
	sameFolders(t, filepath.Join(run1, "models"), filepath.Join(run2, "models"))
	sameFolders(t, filepath.Join(run1, "models"), filepath.Join(merged, "models"))
	// The manifest records the inputs' hashes and the seed.
	man := readAll(t, run1, "manifest.json")["manifest.json"]
	for _, want := range []string{"inputs_sha256", "employment.csv", `"seed": 7`, "agglo_version", `"go": "` + runtime.Version() + `"`} {
		if !bytes.Contains(man, []byte(want)) {
			t.Errorf("manifest lacks %s", want)
		}
	}
	// An existing output folder is refused without --force.
	if code, _, stderr := runCLI(t, "batch", spec, "--out", run1); code != 1 || !strings.Contains(stderr, "exists") {
		t.Errorf("existing folder: code %d %s", code, stderr)
	}
}

func TestBatchFailuresArePerModel(t *testing.T) {
	dir := demoStudyDir(t)
	os.WriteFile(filepath.Join(dir, "bad.gal"), []byte("3\nH0000 1\n"), 0o644)
	spec := filepath.Join(dir, "bad.yaml")
	text := strings.Replace(specHeader, "  - {name: knn6, file: regions.geojson, id: id, knn: 6}\n",
		"  - {name: broken, file: bad.gal}\n", 1) + `models:
  list:
    - {formula: "log(patents) ~ va + coagg", model: sar, effects: individual, weights: queen}
    - {formula: "log(patents) ~ va + no_such_column", model: sar, effects: individual, weights: queen}
    - {formula: "log(patents) ~ va", model: sar, effects: individual, weights: broken}
    - {formula: "log(patents) ~ va + I(2*va)", model: fe, effects: individual}
    - {formula: "log(patents) ~ va + coagg", model: sac, effects: individual, weights: queen, max_iter: 3}
`
	os.WriteFile(spec, []byte(text), 0o644)
	out := filepath.Join(dir, "out")
	code, _, stderr := runCLI(t, "batch", spec, "--out", out)
	if code != 1 {
		t.Fatalf("code %d, want 1\n%s", code, stderr)
	}
	for _, want := range []string{"m002", "no_such_column", "m003", "bad.gal", "line", "m004", "m005", "did not converge after 3 evaluations"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, "m001 ") {
		t.Errorf("the good model failed:\n%s", stderr)
	}
	files, _ := filepath.Glob(filepath.Join(out, "models", "*.json"))
	if len(files) != 5 {
		t.Errorf("%d model files, want all 5 (errors recorded)", len(files))
	}
	md := readAll(t, out, "table.md")["table.md"]
	if !bytes.Contains(md, []byte("| m001 |")) || !bytes.Contains(md, []byte("failed:")) {
		t.Errorf("table.md:\n%s", md)
	}
}

// oneModelSpec writes a spec of the demo study with extra options and one
// model, runs it and returns the spec's text, its path and the first
// model's JSON.
func oneModelSpec(t *testing.T, dir, options, model string) (text, spec string, js []byte) {
	t.Helper()
	spec = filepath.Join(dir, "one.yaml")
	text = strings.Replace(specHeader, "options: {impacts_draws: 50, seed: 7}", "options: {impacts_draws: 50, seed: 7, "+options+"}", 1) +
		"models:\n  list:\n    - " + model + "\n"
	os.WriteFile(spec, []byte(text), 0o644)
	out := filepath.Join(dir, "out")
	if code, _, stderr := runCLI(t, "batch", spec, "--out", out); code != 0 {
		t.Fatalf("code %d:\n%s", code, stderr)
	}
	return text, spec, readAll(t, filepath.Join(out, "models"), "m001.json")["m001.json"]
}

// TestBatchLogdetOption checks that the spec's options.logdet reaches the
// spatial fits (recorded in each model's JSON) and that an unknown method
// is refused before any model runs.
func TestBatchLogdetOption(t *testing.T) {
	dir := demoStudyDir(t)
	text, spec, js := oneModelSpec(t, dir, "logdet: chebyshev", `{formula: "log(patents) ~ va + coagg", model: sar, effects: individual, weights: queen}`)
	if !bytes.Contains(js, []byte(`"logdet": "chebyshev"`)) {
		t.Errorf("m001.json does not record the chebyshev log-determinant:\n%.2000s", js)
	}
	bad := strings.Replace(text, "logdet: chebyshev", "logdet: lu", 1)
	os.WriteFile(spec, []byte(bad), 0o644)
	code, _, stderr := runCLI(t, "batch", spec, "--out", filepath.Join(dir, "out2"))
	if code == 0 || !strings.Contains(stderr, `options.logdet "lu"`) {
		t.Errorf("unknown logdet: code %d, stderr %s", code, stderr)
	}
}

// TestBatchRandomEffects checks that a spec's random-effects models keep
// their intercept, report φ and use options.re_vcov.
func TestBatchRandomEffects(t *testing.T) {
	_, _, js := oneModelSpec(t, demoStudyDir(t), "re_vcov: splm", `{formula: "log(patents) ~ va + coagg", model: sem, effects: random, weights: queen}`)
	for _, want := range []string{`"name": "(Intercept)"`, `"name": "phi"`, `"name": "lambda"`, `"random_vcov": "splm"`, `"effects": "random"`} {
		if !bytes.Contains(js, []byte(want)) {
			t.Errorf("m001.json lacks %s", want)
		}
	}
}

// TestBatchLeeYuOption checks options.lee_yu: absent, the fixed-effects
// spatial fits are Lee–Yu corrected; false gives splm's uncorrected ML;
// splm splm's LeeYu = TRUE; anything else is refused before any model runs.
func TestBatchLeeYuOption(t *testing.T) {
	model := `{formula: "log(patents) ~ va + coagg", model: sar, effects: twoways, weights: queen}`
	for _, tc := range []struct{ option, want string }{
		{"logdet: auto", `"estimator": "Lee–Yu corrected ML (Lee and Yu 2010)"`},
		{"lee_yu: true", `"estimator": "Lee–Yu corrected ML (Lee and Yu 2010)"`},
		{"lee_yu: false", `"estimator": "uncorrected ML, as splm's default"`},
		{"lee_yu: splm", `"estimator": "splm 1.6-5's LeeYu = TRUE`},
	} {
		_, _, js := oneModelSpec(t, demoStudyDir(t), tc.option, model)
		if !bytes.Contains(js, []byte(tc.want)) {
			t.Errorf("%s: m001.json lacks %s", tc.option, tc.want)
		}
	}
	dir := demoStudyDir(t)
	text, spec, _ := oneModelSpec(t, dir, "lee_yu: false", model)
	os.WriteFile(spec, []byte(strings.Replace(text, "lee_yu: false", "lee_yu: maybe", 1)), 0o644)
	code, _, stderr := runCLI(t, "batch", spec, "--out", filepath.Join(dir, "out2"))
	if code == 0 || !strings.Contains(stderr, `options.lee_yu "maybe"`) {
		t.Errorf("lee_yu: maybe: code %d, stderr %s", code, stderr)
	}
}

// TestBatchZeroPolicy: a spatial model on weights with an island (a ring
// of the study's regions, the last one left out) fails per model naming
// the island without options.zero_policy and is fitted with it, the note
// naming the island.
func TestBatchZeroPolicy(t *testing.T) {
	dir := demoStudyDir(t)
	rows := strings.Split(strings.TrimSpace(string(readAll(t, dir, "innovation.csv")["innovation.csv"])), "\n")
	seen := map[string]bool{}
	var ids []string
	for _, r := range rows[1:] {
		id := strings.Trim(strings.Split(r, ",")[0], `"`)
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	ring := ids[:len(ids)-1]
	var gal strings.Builder
	fmt.Fprintf(&gal, "%d\n", len(ids))
	for i, id := range ring {
		fmt.Fprintf(&gal, "%s 2\n%s %s\n", id, ring[(i+len(ring)-1)%len(ring)], ring[(i+1)%len(ring)])
	}
	island := ids[len(ids)-1]
	fmt.Fprintf(&gal, "%s 0\n\n", island)
	os.WriteFile(filepath.Join(dir, "ring.gal"), []byte(gal.String()), 0o644)
	header := strings.Replace(specHeader, "  - {name: knn6, file: regions.geojson, id: id, knn: 6}\n", "  - {name: ring, file: ring.gal}\n", 1)
	model := "models:\n  list:\n    - {formula: \"log(patents) ~ va + coagg\", model: sdm, effects: individual, weights: ring}\n"
	spec := filepath.Join(dir, "ring.yaml")
	os.WriteFile(spec, []byte(header+model), 0o644)
	code, _, stderr := runCLI(t, "batch", spec, "--out", filepath.Join(dir, "out1"))
	if code != 1 || !strings.Contains(stderr, "1 region(s) without neighbours (islands), e.g. "+island) {
		t.Errorf("without zero_policy: code %d, stderr %s", code, stderr)
	}
	os.WriteFile(spec, []byte(strings.Replace(header, "seed: 7}", "seed: 7, zero_policy: true}", 1)+model), 0o644)
	out := filepath.Join(dir, "out2")
	if code, _, stderr := runCLI(t, "batch", spec, "--out", out); code != 0 {
		t.Fatalf("with zero_policy: code %d, stderr %s", code, stderr)
	}
	js := readAll(t, filepath.Join(out, "models"), "m001.json")["m001.json"]
	if !bytes.Contains(js, []byte("(islands): "+island+"; their spatial lags are 0")) || !bytes.Contains(js, []byte(`"zero_policy": true`)) {
		t.Errorf("m001.json lacks the island note or zero_policy:\n%.3000s", js)
	}
}

// sameFolders fails the test unless folders a and b hold the same files
// with the same bytes.
func sameFolders(t *testing.T, a, b string) {
	t.Helper()
	ea, err := os.ReadDir(a)
	if err != nil {
		t.Fatal(err)
	}
	eb, err := os.ReadDir(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(ea) != len(eb) {
		t.Errorf("%s has %d files, %s %d", a, len(ea), b, len(eb))
	}
	differ := 0
	for _, e := range ea {
		x, _ := os.ReadFile(filepath.Join(a, e.Name()))
		y, err := os.ReadFile(filepath.Join(b, e.Name()))
		if err != nil || !bytes.Equal(x, y) {
			if differ++; differ <= 3 {
				t.Errorf("%s differs between %s and %s", e.Name(), a, b)
			}
		}
	}
	if differ > 3 {
		t.Errorf("… %d files differ in all", differ)
	}
}
