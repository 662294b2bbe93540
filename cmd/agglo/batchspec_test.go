package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeSpec(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "study.yaml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestBatchSpecExpandCrossProduct(t *testing.T) {
	p := writeSpec(t, `
data: panel.csv
id: region
time: year
weights:
  - {name: queen, file: w.gal}
  - {name: knn, file: k.gwt}
models:
  formulas: ["y ~ x1", "y ~ x1 + x2"]
  models: [fe, sar, sdm]
  effects: [individual, twoways]
  weights: [queen, knn]
  list:
    - {formula: "y ~ x2", model: ols, effects: none}
options: {seed: 3}
`)
	spec, _, err := loadBatchSpec(p)
	if err != nil {
		t.Fatal(err)
	}
	ms := spec.expand()
	// fe is not crossed with weights: 2 formulas × (1 + 2×2) models × 2
	// effects … = 2 × 2 × (1 + 2 + 2) = 20, plus the list.
	if len(ms) != 21 {
		t.Fatalf("%d models, want 21", len(ms))
	}
	if ms[0].ID != "m001" || ms[20].ID != "m021" || ms[20].Model != "ols" {
		t.Errorf("first %+v last %+v", ms[0], ms[20])
	}
	if ms[0].Weights != "" || ms[1].Weights != "" || ms[2].Weights != "queen" {
		t.Errorf("weights of the first models: %q %q %q", ms[0].Weights, ms[1].Weights, ms[2].Weights)
	}
	if !filepath.IsAbs(spec.Data) && !strings.HasSuffix(spec.Data, filepath.Join(filepath.Base(filepath.Dir(p)), "panel.csv")) {
		t.Errorf("data path %q not resolved against the spec's folder", spec.Data)
	}
}

func TestBatchSpecErrors(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"unknown key", "data: a.csv\nid: r\nmodelz: {}\n", "modelz"},
		{"no data", "id: r\nmodels: {formulas: [y ~ x], models: [ols]}\n", "data"},
		{"no models", "data: a.csv\nid: r\n", "no model"},
		{"bad yaml", "data: [a.csv\n", "line"},
		// An unknown model is a spec error, not a failed model after the others ran.
		{"unknown model", "data: a.csv\nid: r\nmodels: {formulas: [y ~ x], models: [ols, nope]}\n", `models.models[1] "nope": want ols, fe, re, between, sar, sem, sdm, sdem, slx or sac`},
		{"unknown model in list", "data: a.csv\nid: r\nmodels: {list: [{formula: y ~ x, model: spatial}]}\n", `models.list[0].model "spatial": want ols`},
		{"weights without file", "data: a.csv\nid: r\nweights: [{name: w}]\nmodels: {formulas: [y ~ x], models: [sar]}\n", "file is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := loadBatchSpec(writeSpec(t, tc.text))
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "study.yaml") {
				t.Fatalf("error %v, want it to name the file and %q", err, tc.want)
			}
		})
	}
}

func TestShards(t *testing.T) {
	ms := make([]modelSpec, 10)
	for i := range ms {
		ms[i].ID = pad(i+1, 10)
	}
	seen := map[string]int{}
	for i := 1; i <= 3; i++ {
		for _, m := range shardOf(ms, i, 3) {
			seen[m.ID]++
		}
	}
	if len(seen) != 10 {
		t.Fatalf("shards cover %d of 10 models", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("model %s in %d shards", id, n)
		}
	}
	for _, bad := range []string{"0/3", "4/3", "1/0", "a/b", "3"} {
		if _, _, err := parseShard(bad); err == nil {
			t.Errorf("shard %q accepted", bad)
		}
	}
}
