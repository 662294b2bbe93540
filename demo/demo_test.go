package demo

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/agglo/agglo/internal/sharedtest"
	"github.com/agglo/agglo/regress"
	"github.com/agglo/agglo/spatial"
)

func TestGenerateDeterministic(t *testing.T) {
	a, err := Generate(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Generate(DefaultConfig())
	fa, err := a.Files()
	if err != nil {
		t.Fatal(err)
	}
	fb, _ := b.Files()
	for name := range fa {
		if !bytes.Equal(fa[name], fb[name]) {
			t.Errorf("%s differs between two runs with the same seed", name)
		}
	}
	if len(a.Regions) != 100 || len(a.Innovation) != 500 || len(a.Employment) != 100*9*5 {
		t.Errorf("sizes: %d regions, %d innovation rows, %d employment rows", len(a.Regions), len(a.Innovation), len(a.Employment))
	}
}

func TestHexContiguityFromPolygons(t *testing.T) {
	s, err := Generate(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	truth, _ := s.Weights()
	r := &spatial.Regions{}
	for _, reg := range s.Regions {
		r.IDs = append(r.IDs, reg.ID)
		r.Polygons = append(r.Polygons, reg.Polygon)
	}
	for _, queen := range []bool{true, false} {
		w, err := spatial.Contiguity(r, spatial.ContiguityOptions{Queen: queen})
		if err != nil {
			t.Fatal(err)
		}
		// Hexagons meet only along edges: queen = rook = the true W.
		if w.NNZ() != truth.NNZ() {
			t.Fatalf("queen=%v: %d links from polygons, %d true", queen, w.NNZ(), truth.NNZ())
		}
		for i := 0; i < w.N(); i++ {
			a, _ := w.Neighbours(i)
			b, _ := truth.Neighbours(i)
			for k := range a {
				if a[k] != b[k] {
					t.Fatalf("region %s: %v vs %v", w.IDs()[i], a, b)
				}
			}
		}
	}
}

var regen = flag.Bool("regen", false, "rewrite the embedded demo files from the generator")

func TestEmbeddedMatchesGenerator(t *testing.T) {
	s, err := Generate(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	files, err := s.Files()
	if err != nil {
		t.Fatal(err)
	}
	if *regen {
		for name, b := range files {
			if err := os.WriteFile(filepath.Join("data", name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	emb, err := EmbeddedFiles()
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range files {
		if !bytes.Equal(emb[name], b) {
			t.Errorf("embedded %s differs from the generator's output (run go test ./demo -regen after a deliberate change)", name)
		}
	}
}

func TestLoadStudyRecomputesTheRegressors(t *testing.T) {
	s, err := Generate(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	files, err := EmbeddedFiles()
	if err != nil {
		t.Fatal(err)
	}
	d, err := LoadStudy(files)
	if err != nil {
		t.Fatal(err)
	}
	// The pipeline computes va and coagg with package index from the
	// employment file; they must be the generator's regressors exactly.
	for _, year := range []int{2013, 2017} {
		va, err := d.column("va", strconv.Itoa(year))
		if err != nil {
			t.Fatal(err)
		}
		co, _ := d.column("coagg", strconv.Itoa(year))
		for _, r := range s.Innovation {
			if r.Year != year {
				continue
			}
			i, _ := d.W.Index(r.Region)
			if va[i] != r.VA || co[i] != r.Coagg {
				t.Fatalf("%s %d: va %v vs %v, coagg %v vs %v", r.Region, year, va[i], r.VA, co[i], r.Coagg)
			}
		}
	}
}

func TestRunStudyRecoversTheTruth(t *testing.T) {
	files, err := EmbeddedFiles()
	if err != nil {
		t.Fatal(err)
	}
	truth := DefaultTruth()
	dir := t.TempDir()
	rep, err := RunStudy(files, dir, StudyOptions{Truth: &truth, Permutations: 99, ImpactDraws: 200})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.TruthCheck) != 1+2*len(Regressors) {
		t.Fatalf("truth rows %v", rep.TruthCheck)
	}
	for _, r := range rep.TruthCheck {
		// The embedded study is one draw: every SDM estimate within 3
		// standard errors of the data-generating value.
		if math.Abs(r.Z) > 3 {
			t.Errorf("%s: estimate %.4f, truth %.4f, z = %.2f", r.Name, r.Estimate, r.Truth, r.Z)
		}
	}
	for _, f := range []string{"table.md", "table.tex", "table.csv", "models/sdm.json", "effects.csv", "moran.csv",
		"lm_tests.csv", "indices/egk.csv", "figures/effects_sdm.png", "report.md"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	// report.md embeds every figure and the models table, shows Moran's I
	// of every year and states the decision rule with the SDM's tests.
	report, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	table, err := os.ReadFile(filepath.Join(dir, "table.md"))
	if err != nil {
		t.Fatal(err)
	}
	must := []string{string(bytes.TrimSpace(table)), "Elhorst (2010", "θ + ρβ = 0", "LR, θ = 0 (SDM vs SAR)",
		"LR, θ + ρβ = 0 (SDM vs SEM)", "The tests point to **SDM**"}
	for _, f := range rep.Files {
		if strings.HasPrefix(f, "figures/") {
			must = append(must, "]("+f+")")
		}
	}
	moran, err := os.ReadFile(filepath.Join(dir, "moran.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(moran)), "\n")[1:]
	if len(lines) != 2*5 {
		t.Fatalf("moran.csv: %d rows, want 2 variables × 5 years", len(lines))
	}
	for _, l := range lines {
		rec := strings.Split(l, ",")
		i, err := strconv.ParseFloat(rec[2], 64)
		if err != nil {
			t.Fatal(err)
		}
		must = append(must, fmt.Sprintf("| %s | %s | %.3f |", rec[0], rec[1], i))
	}
	for _, m := range must {
		if !strings.Contains(string(report), m) {
			t.Errorf("report.md lacks %q", m)
		}
	}
	// One sector code scheme everywhere: M1–M4, S1–S5 in the data, the
	// groups file, the coagglomeration index the heat map draws and the
	// report's key of the codes beside it.
	code := regexp.MustCompile(`^[MS][1-9]$`)
	var codes []string
	for _, sec := range Sectors() {
		if !code.MatchString(sec.Code) {
			t.Errorf("sector %q (%s) is not in the M1–M4, S1–S5 scheme", sec.Code, sec.Name)
		}
		codes = append(codes, sec.Code)
		if !strings.Contains(string(report), fmt.Sprintf("| %s | %s | %s |", sec.Code, strings.ReplaceAll(sec.Group, "_", " "), sec.Name)) {
			t.Errorf("report.md lacks the key of sector %s", sec.Code)
		}
	}
	for _, f := range []string{"data/employment.csv", "data/sectors.csv", "indices/egk.csv"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for j, h := range recs[0] {
			if h != "sector" && h != "sector_i" && h != "sector_j" {
				continue
			}
			for i, r := range recs[1:] {
				if !slices.Contains(codes, r[j]) {
					t.Fatalf("%s:%d: sector %q is not one of the codes %v", f, i+2, r[j], codes)
				}
			}
		}
	}
	// The generator is an SDM with θ far from 0 and from −ρβ: the rule
	// must find it.
	if rep.Chosen != "sdm" || !rep.Decision.SARRejected || !rep.Decision.SEMRejected {
		t.Errorf("decision %+v, want the SDM with both restrictions rejected", rep.Decision)
	}
	// The truth table comes from the Lee–Yu corrected fit (T = 5), and the
	// report and tables say so.
	if ly := rep.Models["sdm"].Options["lee_yu"]; ly != true {
		t.Errorf("SDM lee_yu = %v", ly)
	}
	for f, want := range map[string]string{"report.md": "The SDM fitted by Lee–Yu corrected ML", "table.md": "Lee–Yu corrected",
		"table.csv": "Lee–Yu corrected", "table.tex": "Lee--Yu corrected", "models/sdm.json": `"lee_yu": true`} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil || !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %q", f, want)
		}
	}
}

// TestReportByteIdentical is issue 13 item 23: two runs write the same
// report.md (its file list was in map order).
func TestReportByteIdentical(t *testing.T) {
	files, err := EmbeddedFiles()
	if err != nil {
		t.Fatal(err)
	}
	var reports [3][]byte
	for k := range reports {
		dir := t.TempDir()
		if _, err := RunStudy(files, dir, StudyOptions{NoFigures: true, Permutations: 9, ImpactDraws: 20}); err != nil {
			t.Fatal(err)
		}
		if reports[k], err = os.ReadFile(filepath.Join(dir, "report.md")); err != nil {
			t.Fatal(err)
		}
		if k > 0 && string(reports[k]) != string(reports[0]) {
			t.Fatalf("run %d wrote another report.md", k+1)
		}
	}
}

// TestExamplesMatchShared checks that the example data shipped in the
// binary are the reference files of ../shared/data (produc.csv from plm,
// usaww_edges.csv from splm, us_states.geojson), byte for byte.
func TestExamplesMatchShared(t *testing.T) {
	files, err := ExampleFiles()
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 3 {
		t.Fatalf("ExampleFiles: %d files, want 3", len(files))
	}
	for name, got := range files {
		want := sharedtest.ReadFile(t, "data", name)
		if !bytes.Equal(got, want) {
			t.Errorf("demo/examples/%s differs from ../shared/data/%s", name, name)
		}
	}
}

// TestDecide checks each branch of Elhorst's (2010) rule, as Decision
// documents it, on made-up p-values.
func TestDecide(t *testing.T) {
	lm := func(lag, err, rlag, rerr float64) map[string]regress.Test {
		return map[string]regress.Test{"LMlag": {PValue: lag}, "LMerr": {PValue: err}, "RLMlag": {PValue: rlag}, "RLMerr": {PValue: rerr}}
	}
	sdm := func(sar, sem float64) *regress.Result {
		return &regress.Result{Tests: map[string]regress.Test{"lr_sdm_vs_sar": {PValue: sar}, "lr_sdm_vs_sem": {PValue: sem}}}
	}
	for _, c := range []struct {
		name      string
		lm        map[string]regress.Test
		sdm       *regress.Result
		wantLM    string
		wantModel string
	}{
		{"no LM test rejects", lm(0.3, 0.4, 0.01, 0.01), sdm(0.001, 0.001), "none", "fe"},
		{"lag only, θ = 0 kept", lm(0.01, 0.3, 0.5, 0.5), sdm(0.2, 0.001), "sar", "sar"},
		{"lag only, θ = 0 rejected, SEM kept", lm(0.01, 0.3, 0.5, 0.5), sdm(0.01, 0.2), "sar", "sdm"},
		{"error only, θ + ρβ = 0 kept", lm(0.3, 0.01, 0.5, 0.5), sdm(0.001, 0.3), "sem", "sem"},
		{"error only, SAR kept: disagree", lm(0.3, 0.01, 0.5, 0.5), sdm(0.3, 0.01), "sem", "sdm"},
		{"both, robust lag", lm(0.001, 0.001, 0.01, 0.4), sdm(0.3, 0.3), "sar", "sar"},
		{"both, robust error", lm(0.001, 0.001, 0.4, 0.01), sdm(0.3, 0.3), "sem", "sem"},
		{"both, both robust", lm(0.001, 0.001, 0.01, 0.01), sdm(0.3, 0.3), "both", "sdm"},
		{"both restrictions rejected", lm(0.01, 0.3, 0.5, 0.5), sdm(0.001, 0.001), "sar", "sdm"},
		{"p = 0.05 does not reject", lm(0.05, 0.05, 0.5, 0.5), sdm(0.001, 0.001), "none", "fe"},
		{"missing LR tests reject nothing", lm(0.01, 0.3, 0.5, 0.5), &regress.Result{}, "sar", "sar"},
	} {
		d := decide(c.lm, c.sdm)
		if d.LM != c.wantLM || d.Model != c.wantModel || d.Reason == "" {
			t.Errorf("%s: LM %q model %q (%s), want LM %q model %q", c.name, d.LM, d.Model, d.Reason, c.wantLM, c.wantModel)
		}
	}
}
