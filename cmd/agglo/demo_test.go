package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/agglo/agglo/demo"
	"github.com/agglo/agglo/internal/testout"
	"github.com/agglo/agglo/regress"
)

func TestDemoEndToEnd(t *testing.T) {
	dir := t.TempDir()
	runs := []string{filepath.Join(dir, "a"), filepath.Join(dir, "b")}
	for _, out := range runs {
		start := time.Now()
		code, stdout, stderr := runCLI(t, "demo", "--out", out)
		if code != 0 {
			t.Fatalf("demo: code %d\n%s\n%s", code, stdout, stderr)
		}
		if d := time.Since(start); d > 30*time.Second {
			t.Errorf("agglo demo took %v, target < 30 s", d)
		}
		if !strings.Contains(stdout, out) {
			t.Errorf("demo does not say where it wrote: %s", stdout)
		}
		if !strings.Contains(stdout, "SDM (Lee–Yu corrected ML (Lee and Yu 2010)) against the generator's truth") {
			t.Errorf("demo does not say the truth table is from the Lee–Yu corrected fit: %s", stdout)
		}
		if !strings.Contains(stdout, "The tests point to the SDM (Elhorst 2010's rule: the LR tests reject both") {
			t.Errorf("demo does not state the model choice and its rule: %s", stdout)
		}
	}
	// data/ holds the example data the README's figures use, as shipped.
	examples, err := demo.ExampleFiles()
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range examples {
		if got, err := os.ReadFile(filepath.Join(runs[0], "data", name)); err != nil || !bytes.Equal(got, want) {
			t.Errorf("data/%s is not the shipped example file (%v)", name, err)
		}
	}
	// Every promised file is there and parses.
	for _, f := range []string{"table.md", "table.tex", "report.md"} {
		if b, err := os.ReadFile(filepath.Join(runs[0], f)); err != nil || len(b) == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	for _, f := range []string{"table.csv", "moran.csv", "lm_tests.csv", "effects.csv", "truth.csv", "data/panel.csv",
		"indices/lq.csv", "indices/egk.csv", "indices/va-region.csv", "indices/coagg.csv", "indices/virtual-coagg.csv"} {
		b, err := os.ReadFile(filepath.Join(runs[0], f))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll(); err != nil || len(recs) < 2 {
			t.Errorf("%s does not parse as CSV with rows: %v", f, err)
		}
	}
	for _, m := range []string{"sar", "sem", "sdm"} {
		b, err := os.ReadFile(filepath.Join(runs[0], "models", m+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var r regress.Result
		if err := json.Unmarshal(b, &r); err != nil || len(r.Coefficients) == 0 {
			t.Errorf("models/%s.json: %v", m, err)
		}
	}
	for _, f := range []string{"map_va_2017.png", "lisa_patents_2017.png", "moran_patents_2017.png", "series_va.png", "effects_sdm.png", "heatmap_egk_2017.png"} {
		b, err := os.ReadFile(filepath.Join(runs[0], "figures", f))
		if err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
			t.Errorf("figure %s: %v", f, err)
		}
	}
	// The SDM recovers the generator's coefficients within 3 standard
	// errors: z recomputed from truth, estimate and standard error (the
	// estimates also those of models/sdm.json), every field parsed.
	b, err := os.ReadFile(filepath.Join(runs[0], "truth.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("truth.csv: %v", err)
	}
	if len(recs) != 8 {
		t.Fatalf("truth.csv has %d rows, want 7 coefficients", len(recs)-1)
	}
	if h := strings.Join(recs[0], ","); h != "coefficient,truth,estimate,std_error,z" {
		t.Fatalf("truth.csv header %q", h)
	}
	var sdm regress.Result
	if b, err := os.ReadFile(filepath.Join(runs[0], "models", "sdm.json")); err != nil {
		t.Fatal(err)
	} else if err := json.Unmarshal(b, &sdm); err != nil {
		t.Fatalf("models/sdm.json: %v", err)
	}
	est := map[string]float64{}
	for _, c := range sdm.Coefficients {
		est[c.Name] = c.Estimate
	}
	for i, r := range recs[1:] {
		var v [4]float64 // truth, estimate, std_error, z
		for k := range v {
			if v[k], err = strconv.ParseFloat(r[1+k], 64); err != nil {
				t.Fatalf("truth.csv row %d, %s: %v", i+2, recs[0][1+k], err)
			}
		}
		truth, e, se, z := v[0], v[1], v[2], v[3]
		if !(se > 0) {
			t.Errorf("SDM %s: standard error %g", r[0], se)
			continue
		}
		zz := (e - truth) / se
		if !(math.Abs(zz-z) <= 1e-6*math.Max(1, math.Abs(zz))) {
			t.Errorf("SDM %s: z = %g, (estimate − truth)/se = %g", r[0], z, zz)
		}
		if !(math.Abs(zz) <= 3) {
			t.Errorf("SDM %s: estimate %g vs truth %g, z = %.3g", r[0], e, truth, zz)
		}
		if m, ok := est[r[0]]; !ok || !(math.Abs(m-e) <= 1e-6*math.Max(1, math.Abs(e))) {
			t.Errorf("SDM %s: truth.csv estimate %g, models/sdm.json %g (present %v)", r[0], e, m, ok)
		}
	}
	// Two runs give byte-identical tables.
	for _, f := range []string{"table.md", "table.tex", "table.csv", "effects.csv", "moran.csv"} {
		a, err := os.ReadFile(filepath.Join(runs[0], f))
		if err != nil {
			t.Fatal(err)
		}
		c, err := os.ReadFile(filepath.Join(runs[1], f))
		if err != nil {
			t.Fatal(err)
		}
		if len(a) == 0 || !bytes.Equal(a, c) {
			t.Errorf("%s differs between two runs (or is empty)", f)
		}
	}
	// The models table carries the effects blocks and compiles.
	tex, _ := os.ReadFile(filepath.Join(runs[0], "table.tex"))
	for _, want := range []string{`\textit{Direct}`, `\textit{Indirect}`, `\textit{Total}`, `\textit{W$\cdot$x}`, `$\rho$`, `$\lambda$`} {
		if !bytes.Contains(tex, []byte(want)) {
			t.Errorf("demo table.tex lacks %s", want)
		}
	}
	// Two tables (estimates; effects), each within the page.
	testout.FitsPage(t, "demo table.tex", testout.Compile(t, "demo table.tex", string(tex)))
	// An existing folder is refused.
	if code, _, stderr := runCLI(t, "demo", "--out", runs[0]); code != 1 || !strings.Contains(stderr, "exists") {
		t.Errorf("existing folder: %d %s", code, stderr)
	}
}
