package spatial

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agglo/agglo/internal/sharedtest"
)

func TestReadGALColumbus(t *testing.T) {
	w, err := ReadWeightsFile(sharedtest.Data(t, "columbus.gal"), "")
	if err != nil {
		t.Fatal(err)
	}
	// spdep::read.gal on columbus.gal: 49 regions, 230 directed links.
	if w.N() != 49 || w.NNZ() != 230 {
		t.Fatalf("n=%d links=%d, want 49 and 230", w.N(), w.NNZ())
	}
	roundTrip(t, w)
}

func TestReadUSAWWFormatsAgree(t *testing.T) {
	m, err := ReadWeightsFile(sharedtest.Data(t, "usaww.csv"), "")
	if err != nil {
		t.Fatal(err)
	}
	e, err := ReadWeightsFile(sharedtest.Data(t, "usaww_edges.csv"), "")
	if err != nil {
		t.Fatal(err)
	}
	g, err := ReadWeightsFile(sharedtest.Data(t, "usaww.gwt"), "")
	if err != nil {
		t.Fatal(err)
	}
	if m.N() != 48 || g.N() != 48 {
		t.Fatalf("n: matrix %d, gwt %d", m.N(), g.N())
	}
	e, err = e.Subset(m.IDs())
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 48; i++ {
		for j := 0; j < 48; j++ {
			// The GWT file numbers states 1..48 in the matrix's order.
			// The GWT file rounds 1/6 differently from the CSVs.
			if m.At(i, j) != e.At(i, j) || math.Abs(m.At(i, j)-g.At(i, j)) > 1e-14 {
				t.Fatalf("(%d,%d): matrix %v edges %v gwt %v", i, j, m.At(i, j), e.At(i, j), g.At(i, j))
			}
		}
	}
	for _, w := range []*Weights{m, e, g} {
		roundTrip(t, w)
	}
}

// roundTrip writes w in every format that keeps weights and reads it back.
func roundTrip(t *testing.T, w *Weights) {
	t.Helper()
	for _, tc := range []struct {
		name  string
		write func(*bytes.Buffer, *Weights) error
		read  func(*bytes.Buffer) (*Weights, error)
	}{
		{"gwt", func(b *bytes.Buffer, w *Weights) error { return WriteGWT(b, w) }, func(b *bytes.Buffer) (*Weights, error) { return ReadGWT(b) }},
		{"edges", func(b *bytes.Buffer, w *Weights) error { return WriteEdgeList(b, w) }, func(b *bytes.Buffer) (*Weights, error) { return ReadEdgeList(b) }},
		{"matrix", func(b *bytes.Buffer, w *Weights) error { return WriteMatrixCSV(b, w) }, func(b *bytes.Buffer) (*Weights, error) { return ReadMatrixCSV(b) }},
		{"gal", func(b *bytes.Buffer, w *Weights) error { return WriteGAL(b, w) }, func(b *bytes.Buffer) (*Weights, error) { return ReadGAL(b) }},
	} {
		w := w
		if tc.name == "gal" && w.Style() != Binary {
			// GAL holds binary neighbours only: weighted input is refused,
			// its binary form round-trips.
			if err := tc.write(new(bytes.Buffer), w); err == nil {
				t.Fatalf("gal: weighted input written without an error")
			}
			w, _ = w.Transform(Binary)
		}
		var b bytes.Buffer
		if err := tc.write(&b, w); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		r, err := tc.read(&b)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		// Every writer keeps the regions in their order.
		for i, id := range w.IDs() {
			if r.IDs()[i] != id {
				t.Fatalf("%s: region %d is %q, was %q", tc.name, i, r.IDs()[i], id)
			}
		}
		if r.N() != w.N() || r.NNZ() != w.NNZ() {
			t.Fatalf("%s: n %d→%d links %d→%d", tc.name, w.N(), r.N(), w.NNZ(), r.NNZ())
		}
		for i := 0; i < w.N(); i++ {
			c1, v1 := w.Neighbours(i)
			c2, v2 := r.Neighbours(i)
			for k := range c1 {
				if c1[k] != c2[k] || v1[k] != v2[k] {
					t.Fatalf("%s: row %d differs", tc.name, i)
				}
			}
		}
	}
}

func TestReadErrorsNameTheLine(t *testing.T) {
	for _, tc := range []struct {
		name, format, text, want string
	}{
		{"gal count", FormatGAL, "2\na 2\nb\nb 1\na\n", "line 3"},
		{"gal unknown neighbour", FormatGAL, "2\na 1\nc\nb 0\n", "unknown neighbour"},
		{"gal bad header", FormatGAL, "x\n", "line 1"},
		{"gal truncated", FormatGAL, "3\na 0\n", "expected 3"},
		{"gal duplicate", FormatGAL, "2\na 0\na 0\n", "duplicate region"},
		{"gwt weight", FormatGWT, "2\n1 2 x\n", "line 2"},
		{"gwt fields", FormatGWT, "2\n1 2\n", "line 2"},
		{"gwt duplicate", FormatGWT, "2\n1 2 1\n2 1 1\n1 2 1\n", "line 4"},
		{"edges header", FormatEdges, "a,b\n1,2\n", "line 1"},
		{"edges weight", FormatEdges, "from,to,weight\na,b,1\nb,a,NaN\n", "line 3"},
		{"edges self", FormatEdges, "from,to\na,a\n", "self-link"},
		{"matrix shape", FormatMatrix, "a,b\n0,1\n", "header"},
		{"matrix value", FormatMatrix, "id,a,b\na,0,x\nb,1,0\n", "line 2"},
		{"matrix diagonal", FormatMatrix, "a,b\n1,1\n1,0\n", "diagonal"},
		{"matrix row id", FormatMatrix, "id,a,b\nb,0,1\na,1,0\n", "does not match"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "w.txt")
			os.WriteFile(path, []byte(tc.text), 0o644)
			_, err := ReadWeightsFile(path, tc.format)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
				t.Fatalf("error %v, want it to name %q and the file", err, tc.want)
			}
		})
	}
}

func FuzzReadGAL(f *testing.F) {
	f.Add("3\n1 1\n2\n2 2\n1 3\n3 1\n2\n")
	f.Add("0 2 shape id\na 0\nb 0\n")
	f.Add("2\na 1\n")
	f.Fuzz(func(t *testing.T, s string) { ReadGAL(strings.NewReader(s)) })
}

func FuzzReadGWT(f *testing.F) {
	f.Add("0 3 x id\n1 2 0.5\n2 1 0.5\n3 1 1\n")
	f.Add("2\na b 1\n")
	f.Fuzz(func(t *testing.T, s string) { ReadGWT(strings.NewReader(s)) })
}

func FuzzReadEdgeList(f *testing.F) {
	f.Add("from,to,weight\na,b,1\nb,a,2\n")
	f.Add("from,to\na,b\n")
	f.Fuzz(func(t *testing.T, s string) { ReadEdgeList(strings.NewReader(s)) })
}

func FuzzReadMatrixCSV(f *testing.F) {
	f.Add("id,a,b\na,0,1\nb,1,0\n")
	f.Add("a,b\n0,1\n1,0\n")
	f.Fuzz(func(t *testing.T, s string) { ReadMatrixCSV(strings.NewReader(s)) })
}
