package spatial

import (
	"math"
	"strings"
	"testing"
)

// TestReadersRefuse is issue 13 items 10 and 22: negative weights (refused
// by spdep's nb2listw), a header without rows, and a non-square matrix are
// errors naming the line; a UTF-8 BOM is skipped by every reader.
func TestReadersRefuse(t *testing.T) {
	for _, tc := range []struct {
		name, format, src, want string
	}{
		{"gwt negative", FormatGWT, "2\n1 2 0.5\n2 1 -0.5\n", "line 3: link 2→1: negative weight -0.5"},
		{"edges negative", FormatEdges, "from,to,weight\na,b,1\nb,a,-2\n", "line 3: link b→a: negative weight -2"},
		{"matrix negative", FormatMatrix, "a,b\n0,1\n-1,0\n", `line 3: row "b", column "a": negative weight -1`},
		{"edges header only", FormatEdges, "from,to,weight\n", "line 1: a header and no links"},
		{"matrix header only", FormatMatrix, "id,a,b\n", "line 1: a header and no rows"},
		{"matrix not square", FormatMatrix, "a,b,c,d\n0,1,1,0\n1,0,1,0\n", "the matrix is not square: the header has 4 fields for 2 rows"},
		{"edges semicolon", FormatEdges, "from;to\na;b\n", "semicolon-separated: use --delimiter ';'"},
	} {
		_, err := readFormat(strings.NewReader(tc.src), tc.format)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	for _, tc := range []struct{ format, src string }{
		{FormatGAL, "\ufeff2\n1 1\n2\n2 1\n1\n"},
		{FormatGWT, "\ufeff2\n1 2 1\n2 1 1\n"},
		{FormatEdges, "\ufeff\"from\",\"to\"\na,b\nb,a\n"},
		{FormatMatrix, "\ufeff\"a\",\"b\"\n0,1\n1,0\n"},
	} {
		w, err := readFormat(strings.NewReader(tc.src), tc.format)
		if err != nil || w.N() != 2 {
			t.Errorf("%s with BOM: %v", tc.format, err)
		}
	}
}

// TestZeroVarianceTest is issue 13 item 9: binary weights linking every
// pair make Moran's I constant (−1/(n−1)) under permutation; its z and p
// are NaN with a warning, not z = 0, p = 0.5 or p = 1.
func TestZeroVarianceTest(t *testing.T) {
	var b strings.Builder
	b.WriteString("from,to\n")
	ids := []string{"a", "b", "c", "d", "e", "f"}
	for _, i := range ids {
		for _, j := range ids {
			if i != j {
				b.WriteString(i + "," + j + "\n")
			}
		}
	}
	w, err := ReadEdgeList(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	x := []float64{1, 4, 2, 8, 5, 7}
	for _, f := range []func([]float64, *Weights, TestOptions) (GlobalTest, error){Moran, Geary} {
		g, err := f(x, w, TestOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []float64{g.ZNormality, g.ZRandomisation, g.PNormality, g.PRandomisation} {
			if !math.IsNaN(v) {
				t.Errorf("%s: z/p %v, want NaN", g.Name, v)
			}
		}
		if !strings.Contains(g.Warning, "zero within round-off") {
			t.Errorf("%s: warning %q", g.Name, g.Warning)
		}
		js, _ := g.MarshalJSON()
		if !strings.Contains(string(js), `"z_randomisation":null`) || !strings.Contains(string(js), `"warning":`) {
			t.Errorf("%s JSON: %s", g.Name, js)
		}
	}
}

// TestIslandLocalMoran is issue 13 item 22: an island's quadrant is
// "Isolated" and its I_i, E[I_i] and lag are 0, not −0.
func TestIslandLocalMoran(t *testing.T) {
	w, err := ReadEdgeList(strings.NewReader("from,to\na,b\nb,a\nb,c\nc,b\nisle,\n"))
	if err != nil {
		t.Fatal(err)
	}
	w, _ = w.Transform(RowStandardized)
	x := make([]float64, w.N())
	for i, id := range w.IDs() {
		x[i] = map[string]float64{"a": 3, "b": 5, "c": 4, "isle": 1}[id]
	}
	res, err := LocalMoran(x, w, LocalOptions{ZeroPolicy: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.ID != "isle" {
			if r.Quadrant == Isolated {
				t.Errorf("%s is not an island", r.ID)
			}
			continue
		}
		if r.Quadrant != Isolated || r.Cluster != NotSignificant {
			t.Errorf("island: quadrant %q cluster %q", r.Quadrant, r.Cluster)
		}
		for _, v := range []float64{r.Ii, r.EI, r.Lag} {
			if v != 0 || math.Signbit(v) {
				t.Errorf("island: %v, want +0", v)
			}
		}
	}
}

// readFormat reads weights of one format from r.
func readFormat(r *strings.Reader, format string) (*Weights, error) {
	switch format {
	case FormatGAL:
		return ReadGAL(r)
	case FormatGWT:
		return ReadGWT(r)
	case FormatEdges:
		return ReadEdgeList(r)
	}
	return ReadMatrixCSV(r)
}
