package spatial

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"gonum.org/v1/gonum/floats/scalar"
)

// papersReference is testdata/weights_papers.json, written by
// testdata/weights_papers.R (spdep's nblag, nblag_cumul, card and
// spweights.constants on testdata/columbus.gal; kernel, economic-distance
// and nested matrices evaluated from their formulas in R on the Columbus
// centroids X, Y and income INC).
type papersReference struct {
	IDs        []string   `json:"ids"`
	X          []float64  `json:"x"`
	Y          []float64  `json:"y"`
	Inc        []float64  `json:"inc"`
	Lag2       [][]string `json:"lag2"`
	Lag3       [][]string `json:"lag3"`
	Cumul3     [][]string `json:"cumul3"`
	CardValues []int      `json:"card_values"`
	CardCounts []int      `json:"card_counts"`
	S0, S1, S2 float64
	Kernel     []struct {
		Kernel    string      `json:"kernel"`
		Bandwidth float64     `json:"bandwidth"`
		K         int         `json:"k"`
		Adaptive  bool        `json:"adaptive"`
		Matrix    [][]float64 `json:"matrix"`
	} `json:"kernel"`
	Economic [][]float64 `json:"economic"`
	Nested   [][]float64 `json:"nested"`
}

func readPapersReference(t *testing.T) (papersReference, *Weights) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "weights_papers.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref papersReference
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatalf("testdata/weights_papers.json: %v", err)
	}
	w, err := ReadWeightsFile(filepath.Join("testdata", "columbus.gal"), FormatGAL)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(w.IDs(), ref.IDs) {
		t.Fatalf("columbus.gal IDs %v, reference %v", w.IDs(), ref.IDs)
	}
	return ref, w
}

// neighbourIDs returns the IDs of each region's neighbours, sorted.
func neighbourIDs(w *Weights) [][]string {
	out := make([][]string, w.N())
	for i := range out {
		cols, _ := w.Neighbours(i)
		out[i] = []string{}
		for _, j := range cols {
			out[i] = append(out[i], w.IDs()[j])
		}
		slices.Sort(out[i])
	}
	return out
}

func compareMatrix(t *testing.T, name string, w *Weights, want [][]float64, tol float64) {
	t.Helper()
	for i := range want {
		for j := range want[i] {
			if got := w.At(i, j); !scalar.EqualWithinAbsOrRel(got, want[i][j], tol, tol) {
				t.Fatalf("%s: w[%s,%s] = %.12g, want %.12g", name, w.IDs()[i], w.IDs()[j], got, want[i][j])
			}
		}
	}
}

// TestHigherOrderSpdep compares HigherOrder with spdep's nblag (orders 2
// and 3) and nblag_cumul (up to 3) on Columbus queen contiguity.
func TestHigherOrderSpdep(t *testing.T) {
	ref, w := readPapersReference(t)
	for _, tc := range []struct {
		name       string
		k          int
		cumulative bool
		want       [][]string
	}{
		{"nblag order 2", 2, false, ref.Lag2},
		{"nblag order 3", 3, false, ref.Lag3},
		{"nblag_cumul 3", 3, true, ref.Cumul3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, err := HigherOrder(w, tc.k, tc.cumulative)
			if err != nil {
				t.Fatal(err)
			}
			got := neighbourIDs(h)
			for i := range tc.want {
				want := slices.Clone(tc.want[i])
				slices.Sort(want)
				if !slices.Equal(got[i], want) {
					t.Fatalf("region %s: neighbours %v, spdep %v", ref.IDs[i], got[i], want)
				}
			}
		})
	}
	if _, err := HigherOrder(w, 0, false); err == nil {
		t.Error("order 0: no error")
	}
}

// TestSummarySpdep compares the link-number distribution with spdep's
// table(card(nb)) and S0, S1, S2 with spweights.constants (style W).
func TestSummarySpdep(t *testing.T) {
	ref, w := readPapersReference(t)
	s := w.Summarize()
	for k, v := range ref.CardValues {
		if s.LinkCounts[v] != ref.CardCounts[k] {
			t.Errorf("%d regions with %d links, spdep %d", s.LinkCounts[v], v, ref.CardCounts[k])
		}
	}
	total := 0
	for _, c := range s.LinkCounts {
		total += c
	}
	if total != w.N() {
		t.Errorf("link distribution counts %d regions, want %d", total, w.N())
	}
	ww, err := w.Transform(RowStandardized)
	if err != nil {
		t.Fatal(err)
	}
	sw := ww.Summarize()
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"S0", sw.S0, ref.S0}, {"S1", sw.S1, ref.S1}, {"S2", sw.S2, ref.S2}} {
		if !scalar.EqualWithinAbsOrRel(c.got, c.want, 1e-12, 1e-12) {
			t.Errorf("%s = %.15g, spdep %.15g", c.name, c.got, c.want)
		}
	}
}

// TestKernelWeightsReference compares KernelWeights with libpysal's Kernel
// formulas evaluated in R (testdata/weights_papers.R) for a fixed and a
// K-nearest bandwidth, adaptive and not, and each kernel.
func TestKernelWeightsReference(t *testing.T) {
	ref, _ := readPapersReference(t)
	pts := make([]orb.Point, len(ref.X))
	for i := range pts {
		pts[i] = orb.Point{ref.X[i], ref.Y[i]}
	}
	for _, tc := range ref.Kernel {
		t.Run(tc.Kernel, func(t *testing.T) {
			k, err := ParseKernel(tc.Kernel)
			if err != nil {
				t.Fatal(err)
			}
			w, err := KernelWeights(ref.IDs, pts, KernelOptions{Kernel: k, Bandwidth: tc.Bandwidth, K: tc.K, Adaptive: tc.Adaptive}, Euclidean)
			if err != nil {
				t.Fatal(err)
			}
			compareMatrix(t, tc.Kernel, w, tc.Matrix, 1e-12)
			nnz := 0
			for _, r := range tc.Matrix {
				for _, v := range r {
					if v != 0 {
						nnz++
					}
				}
			}
			if w.NNZ() != nnz {
				t.Errorf("%d links, reference %d", w.NNZ(), nnz)
			}
		})
	}
	if _, err := KernelWeights(ref.IDs, pts, KernelOptions{}, Euclidean); err == nil {
		t.Error("no bandwidth and no K: no error")
	}
}

// TestKernelWeightsHand checks three collinear points by hand: at 0, 1 and
// 3 with bandwidth 2, the triangular kernel gives w_01 = w_10 = 1 − 1/2,
// w_12 = w_21 = 1 − 2/2 = 0 (kept as a link at the bandwidth), and 0 and 2
// (distance 3) are not linked.
func TestKernelWeightsHand(t *testing.T) {
	w, err := KernelWeights([]string{"a", "b", "c"}, []orb.Point{{0, 0}, {1, 0}, {3, 0}},
		KernelOptions{Kernel: KernelTriangular, Bandwidth: 2}, Euclidean)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float64{{0, 0.5, 0}, {0.5, 0, 0}, {0, 0, 0}}
	compareMatrix(t, "triangular", w, want, 1e-15)
	if w.NNZ() != 4 {
		t.Errorf("%d links, want 4 (a–b both ways, b–c both ways at the bandwidth)", w.NNZ())
	}
}

// TestEconomicAndNestedReference compares EconomicDistance and
// NestedEconomic with their formulas evaluated in R on Columbus income.
func TestEconomicAndNestedReference(t *testing.T) {
	ref, geo := readPapersReference(t)
	e, err := EconomicDistance(ref.IDs, ref.Inc)
	if err != nil {
		t.Fatal(err)
	}
	compareMatrix(t, "economic", e, ref.Economic, 1e-12)
	nw, err := NestedEconomic(geo, ref.Inc)
	if err != nil {
		t.Fatal(err)
	}
	compareMatrix(t, "nested", nw, ref.Nested, 1e-12)
	if _, err := EconomicDistance([]string{"a", "b"}, []float64{1, 1}); err == nil {
		t.Error("equal means: no error")
	}
}

// TestBlockAndCombine checks block weights and the set operations by hand
// on four regions in blocks {a, b, c} and {d}: the block matrix links a, b
// and c pairwise; with the path a–b–c–d (weights 2 on every link),
// the union adds c–d, the intersection keeps a–b and b–c, and the
// Hadamard product gives 1·2 = 2 on a–b and b–c.
func TestBlockAndCombine(t *testing.T) {
	ids := []string{"a", "b", "c", "d"}
	blk, err := Block(ids, []string{"p", "p", "p", "q"})
	if err != nil {
		t.Fatal(err)
	}
	compareMatrix(t, "block", blk, [][]float64{{0, 1, 1, 0}, {1, 0, 1, 0}, {1, 1, 0, 0}, {0, 0, 0, 0}}, 0)
	if got := blk.Islands(); len(got) != 1 || got[0] != 3 {
		t.Errorf("islands %v, want [3] (d alone in its block)", got)
	}
	// The path in a different region order, to test the alignment.
	pids := []string{"d", "c", "b", "a"}
	path, err := NewWeights(pids, []Link{{0, 1, 2}, {1, 0, 2}, {1, 2, 2}, {2, 1, 2}, {2, 3, 2}, {3, 2, 2}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		op   string
		want [][]float64
	}{
		{"union", [][]float64{{0, 1, 1, 0}, {1, 0, 1, 0}, {1, 1, 0, 1}, {0, 0, 1, 0}}},
		{"intersection", [][]float64{{0, 1, 0, 0}, {1, 0, 1, 0}, {0, 1, 0, 0}, {0, 0, 0, 0}}},
		{"hadamard", [][]float64{{0, 2, 0, 0}, {2, 0, 2, 0}, {0, 2, 0, 0}, {0, 0, 0, 0}}},
	} {
		t.Run(tc.op, func(t *testing.T) {
			op, err := ParseSetOp(tc.op)
			if err != nil {
				t.Fatal(err)
			}
			w, err := Combine(blk, path, op)
			if err != nil {
				t.Fatal(err)
			}
			compareMatrix(t, tc.op, w, tc.want, 0)
		})
	}
	if _, err := Block(ids, []string{"p", "", "p", "q"}); err == nil {
		t.Error("empty block: no error")
	}
	other, _ := NewWeights([]string{"a", "b", "c", "x"}, nil)
	if _, err := Combine(blk, other, Union); err == nil {
		t.Error("different regions: no error")
	}
}
