package spatial

import (
	"encoding/json"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

func TestSummarize(t *testing.T) {
	queen, _ := Lattice(10, 10, true)
	withIsland, _ := Contiguity(squareGrid(3, 3, true), ContiguityOptions{})
	for _, tc := range []struct {
		name               string
		w                  *Weights
		n, links, min, max int
		nMin, nMax         int
		pct, mean          float64
		islands            []string
		symmetric          bool
		textHas            string
	}{
		// 10 × 10 queen lattice: 4 corners × 3 + 32 edge cells × 5 + 64
		// interior × 8 = 684 links; spdep summary.nb prints 6.84 % and
		// an average of 6.84.
		{"queen lattice", queen, 100, 684, 3, 8, 4, 64, 6.84, 6.84, []string{}, true, "(and 54 more) with 8 link(s)"},
		// 3 × 3 rook squares + a detached square: 24 links over 10
		// regions, the island has 0, the centre 4.
		{"island", withIsland, 10, 24, 0, 4, 1, 1, 24, 2.4, []string{"island"}, true, "1 region(s) with no links: island"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.w.Summarize()
			if s.N != tc.n || s.Links != tc.links || s.MinNeighbours != tc.min || s.MaxNeighbours != tc.max ||
				s.NLeastConnected != tc.nMin || s.NMostConnected != tc.nMax || s.Symmetric != tc.symmetric {
				t.Fatalf("%+v", s)
			}
			if !scalar.EqualWithinAbsOrRel(s.PercentNonZero, tc.pct, 1e-12, 1e-12) || !scalar.EqualWithinAbsOrRel(s.MeanNeighbours, tc.mean, 1e-12, 1e-12) {
				t.Fatalf("percent %v mean %v", s.PercentNonZero, s.MeanNeighbours)
			}
			if strings.Join(s.Islands, ",") != strings.Join(tc.islands, ",") {
				t.Fatalf("islands %v", s.Islands)
			}
			b, _ := json.Marshal(s)
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatalf("%v: %s", err, b)
			}
			for _, k := range []string{"n", "links", "percent_nonzero", "mean_neighbors", "min_neighbors", "max_neighbors", "islands", "symmetric"} {
				if _, ok := m[k]; !ok {
					t.Fatalf("JSON lacks %q: %s", k, b)
				}
			}
			if _, ok := m["islands"].([]any); !ok {
				t.Fatalf("islands is not an array: %s", b)
			}
			var text strings.Builder
			s.WriteText(&text)
			if !strings.Contains(text.String(), tc.textHas) {
				t.Fatalf("text lacks %q:\n%s", tc.textHas, text.String())
			}
		})
	}
}
