package index_test

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/agglo/agglo/index"
	"github.com/agglo/agglo/internal/sharedtest"
)

// oracleTol is the relative tolerance against index_ref.json (closed forms).
const oracleTol = 1e-10

// loadPanel reads ../shared/data/index_panel.csv, its plants and groups, or
// skips when ../shared is absent.
func loadPanel(t testing.TB) (*index.Table, *index.Groups, [][]float64) {
	t.Helper()
	tab, err := index.ReadCSVFile(sharedtest.Data(t, "index_panel.csv"), index.Columns{
		Region: "region", Sector: "sector", Time: "year", Value: "employment", Share: "online_share"})
	if err != nil {
		t.Fatal(err)
	}
	g, err := index.ReadGroupsFile(sharedtest.Data(t, "index_sectors.csv"), tab)
	if err != nil {
		t.Fatal(err)
	}
	h, err := index.ReadPlantsFile(sharedtest.Data(t, "index_plants.csv"), tab, index.PlantColumns{
		Plant: "plant", Region: "region", Sector: "sector", Time: "year", Value: "employment"})
	if err != nil {
		t.Fatal(err)
	}
	return tab, g, h
}

func loadOracle(t testing.TB) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	sharedtest.ReadJSON(t, &m, "oracle", "index_ref.json")
	return m
}

func TestOracle(t *testing.T) {
	tab, groups, h := loadPanel(t)
	ref := loadOracle(t)
	if tab.Missing != 6 {
		t.Errorf("missing cells = %d, want 6 (index_panel.csv: 1,244 rows of 25×10×5)", tab.Missing)
	}
	cases := []struct {
		oracle, name string
		opt          index.Options
		keys         []string // oracle key fields, in Result key order
		fields       []string // oracle value fields: value then parts
	}{
		{"lq", "lq", index.Options{}, []string{"region", "sector"}, []string{"value"}},
		{"hoover", "hoover", index.Options{}, []string{"sector"}, []string{"value"}},
		{"krugman", "krugman", index.Options{}, []string{"region"}, []string{"value"}},
		{"gini", "gini", index.Options{}, []string{"sector"}, []string{"value"}},
		{"hhi_sector", "hhi", index.Options{By: "sector"}, []string{"sector"}, []string{"value"}},
		{"hhi_region", "hhi", index.Options{By: "region"}, []string{"region"}, []string{"value"}},
		{"eg", "eg", index.Options{H: h}, []string{"sector"}, []string{"gamma", "G", "H"}},
		{"ms", "ms", index.Options{H: h}, []string{"sector"}, []string{"gamma"}},
		{"egk", "egk", index.Options{}, []string{"sector_i", "sector_j"}, []string{"value"}},
		{"coagg_lq", "coagg", index.Options{Groups: groups}, []string{"region"}, []string{"value", "quality", "level"}},
		{"online_lq", "online-lq", index.Options{}, []string{"region", "sector"}, []string{"value"}},
		{"va", "va", index.Options{}, []string{"region", "sector"}, []string{"value"}},
		{"va_region", "va-region", index.Options{Groups: groups}, []string{"region", "group"}, []string{"value"}},
	}
	for _, tc := range cases {
		t.Run(tc.oracle, func(t *testing.T) {
			var rows []map[string]any
			if err := json.Unmarshal(ref[tc.oracle], &rows); err != nil {
				t.Fatal(err)
			}
			tc.opt.TimeName = "year"
			res, err := index.Compute(tc.name, tab, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string][]float64{}
			for _, r := range res.Rows {
				got[strings.Join(append(append([]string{}, r.Keys...), r.Time), "|")] = append([]float64{r.Value}, r.Parts...)
			}
			if len(got) != len(rows) {
				t.Errorf("%d rows, oracle has %d", len(got), len(rows))
			}
			var worst float64
			for _, o := range rows {
				var key []string
				for _, k := range tc.keys {
					key = append(key, fmt.Sprint(o[k]))
				}
				key = append(key, fmt.Sprint(o["year"]))
				g, ok := got[strings.Join(key, "|")]
				if !ok {
					t.Errorf("no row %v", key)
					continue
				}
				for n, f := range tc.fields {
					want, ok := o[f].(float64)
					if !ok {
						t.Errorf("%v %s: oracle value %v is not a number", key, f, o[f])
						continue
					}
					if !scalar.EqualWithinAbsOrRel(g[n], want, 1e-14, oracleTol) {
						t.Errorf("%v %s = %.15g, oracle %.15g", key, f, g[n], want)
					}
					if want != 0 {
						worst = math.Max(worst, math.Abs(g[n]-want)/math.Abs(want))
					}
				}
			}
			t.Logf("%s: %d rows, worst relative difference %.3g", tc.oracle, len(rows), worst)
		})
	}
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
