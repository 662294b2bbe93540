package spatial

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sameWeightsExactly fails unless a and b have the same IDs in the same
// order and the same links with bit-identical weights.
func sameWeightsExactly(t *testing.T, a, b *Weights) {
	t.Helper()
	if a.N() != b.N() || a.NNZ() != b.NNZ() {
		t.Fatalf("n/links %d/%d vs %d/%d", a.N(), a.NNZ(), b.N(), b.NNZ())
	}
	for i, id := range a.IDs() {
		if b.IDs()[i] != id {
			t.Fatalf("region %d: ID %q vs %q", i, id, b.IDs()[i])
		}
		ca, va := a.Neighbours(i)
		cb, vb := b.Neighbours(i)
		if len(ca) != len(cb) {
			t.Fatalf("region %q: %d vs %d neighbours", id, len(ca), len(cb))
		}
		for k := range ca {
			if ca[k] != cb[k] || math.Float64bits(va[k]) != math.Float64bits(vb[k]) {
				t.Fatalf("region %q: link %d→%v vs %d→%v", id, ca[k], va[k], cb[k], vb[k])
			}
		}
	}
}

// TestRoundTripIslandsAndOrder writes weights with an island, asymmetric
// links and awkward floats in every format: each writer either reproduces
// them exactly (regions, order, bits of every weight) or refuses with an
// error; none drops anything silently.
func TestRoundTripIslandsAndOrder(t *testing.T) {
	ids := []string{"b", "a", "island", "c"}
	general, err := NewWeights(ids, []Link{
		{0, 1, 0.1}, {0, 3, 1.0 / 3}, {1, 0, math.Pi}, {3, 1, 1e-300}, {3, 0, 2.5},
	})
	if err != nil {
		t.Fatal(err)
	}
	binary, _ := general.Transform(Binary)
	numbered, _ := NewWeights([]string{"1", "2", "3", "4"}, general.Links())
	outOfOrder, _ := NewWeights([]string{"3", "1", "2", "4"}, binary.Links())
	zero, _ := NewWeights([]string{"x", "y"}, []Link{{0, 1, 0}, {1, 0, 1}})
	spaced, _ := NewWeights([]string{"New York", "b"}, []Link{{0, 1, 1}})
	formats := []struct {
		name  string
		write func(*bytes.Buffer, *Weights) error
		read  func(*bytes.Buffer) (*Weights, error)
	}{
		{"gal", func(b *bytes.Buffer, w *Weights) error { return WriteGAL(b, w) }, func(b *bytes.Buffer) (*Weights, error) { return ReadGAL(b) }},
		{"gwt", func(b *bytes.Buffer, w *Weights) error { return WriteGWT(b, w) }, func(b *bytes.Buffer) (*Weights, error) { return ReadGWT(b) }},
		{"edges", func(b *bytes.Buffer, w *Weights) error { return WriteEdgeList(b, w) }, func(b *bytes.Buffer) (*Weights, error) { return ReadEdgeList(b) }},
		{"matrix", func(b *bytes.Buffer, w *Weights) error { return WriteMatrixCSV(b, w) }, func(b *bytes.Buffer) (*Weights, error) { return ReadMatrixCSV(b) }},
	}
	for _, c := range []struct {
		name string
		w    *Weights
		fail []string // formats that must refuse
	}{
		{"binary with island", binary, []string{"gwt"}},          // GWT cannot place an island named "island"
		{"general with island", general, []string{"gal", "gwt"}}, // GAL holds no weights
		{"numbered", numbered, []string{"gal"}},                  // GWT keeps island "3" by number
		{"integer IDs out of order", outOfOrder, []string{"gwt"}},
		{"zero weight", zero, []string{"gal", "matrix"}},
		{"white space in ID", spaced, []string{"gal", "gwt"}},
	} {
		for _, f := range formats {
			t.Run(c.name+"/"+f.name, func(t *testing.T) {
				refuse := false
				for _, x := range c.fail {
					refuse = refuse || x == f.name
				}
				var buf bytes.Buffer
				err := f.write(&buf, c.w)
				if refuse {
					if err == nil {
						t.Fatalf("want an error, wrote\n%s", buf.String())
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				text := buf.String()
				got, err := f.read(&buf)
				if err != nil {
					t.Fatalf("%v\n%s", err, text)
				}
				sameWeightsExactly(t, c.w, got)
			})
		}
	}
}

func TestReadNoPanicOnHugeCounts(t *testing.T) {
	for _, s := range []string{"999999999999999999\n", "0 999999999999999999 s id\na 0\n", "1\na 999999999999999999\n"} {
		if _, err := ReadGAL(strings.NewReader(s)); err == nil {
			t.Fatalf("%q: want an error", s)
		}
		if _, err := ReadGWT(strings.NewReader(s)); err == nil {
			t.Fatalf("%q: want an error", s)
		}
	}
}

func TestReadErrorLines(t *testing.T) {
	for _, tc := range []struct {
		name, format, text, want string
	}{
		// A quoted field over two lines: the bad record starts on line 4.
		{"edges after multi-line field", FormatEdges, "from,to,weight\n\"a\nx\",b,1\nb,a,oops\n", "line 4"},
		{"matrix after multi-line field", FormatMatrix, "id,\"a\nx\",b\n\"a\nx\",0,1\nb,oops,0\n", "line 5"},
		{"matrix repeated header ID", FormatMatrix, "a,a\n0,1\n1,0\n", "line 1"},
		{"gal neighbour twice", FormatGAL, "2\na 2\nb b\nb 1\na\n", "line 3"},
		{"edges weight without destination", FormatEdges, "from,to,weight\na,,1\n", "line 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "w.txt")
			os.WriteFile(path, []byte(tc.text), 0o644)
			_, err := ReadWeightsFile(path, tc.format)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
		})
	}
}

func TestWriteWeightsFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "w.gal")
	old := []byte("old content")
	os.WriteFile(path, old, 0o644)
	weighted, _ := NewWeights([]string{"a", "b"}, []Link{{0, 1, 0.5}})
	if err := WriteWeightsFile(path, "", weighted); err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("GAL of weighted links: error %v", err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, old) {
		t.Fatalf("a refused write changed the file to %q", got)
	}
	b, _ := weighted.Transform(Binary)
	if err := WriteWeightsFile(path, "", b); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o644 {
		t.Fatalf("mode %v, err %v", st.Mode(), err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*tmp*")); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}

// FuzzWeightsRoundTrip reads weights from an edge list or a GWT file and
// checks that every writer either refuses them or writes a file that reads
// back to exactly the same weights.
func FuzzWeightsRoundTrip(f *testing.F) {
	f.Add("from,to,weight\na,b,0.1\nb,a,3\nc,,\n", false)
	f.Add("from,to\n1,2\n2,1\n3,1\n", false)
	f.Add("0 4 s id\n1 2 0.5\n2 1 1e-300\n4 1 -2\n", true)
	f.Add("3\n3 1 1\n1 3 1\n", true)
	f.Fuzz(func(t *testing.T, s string, gwt bool) {
		var w *Weights
		var err error
		if gwt {
			w, err = ReadGWT(strings.NewReader(s))
		} else {
			w, err = ReadEdgeList(strings.NewReader(s))
		}
		if err != nil {
			return
		}
		for _, f := range []struct {
			write func(*bytes.Buffer, *Weights) error
			read  func(*bytes.Buffer) (*Weights, error)
		}{
			{func(b *bytes.Buffer, w *Weights) error { return WriteGAL(b, w) }, func(b *bytes.Buffer) (*Weights, error) { return ReadGAL(b) }},
			{func(b *bytes.Buffer, w *Weights) error { return WriteGWT(b, w) }, func(b *bytes.Buffer) (*Weights, error) { return ReadGWT(b) }},
			{func(b *bytes.Buffer, w *Weights) error { return WriteEdgeList(b, w) }, func(b *bytes.Buffer) (*Weights, error) { return ReadEdgeList(b) }},
			{func(b *bytes.Buffer, w *Weights) error { return WriteMatrixCSV(b, w) }, func(b *bytes.Buffer) (*Weights, error) { return ReadMatrixCSV(b) }},
		} {
			var buf bytes.Buffer
			if f.write(&buf, w) != nil {
				continue
			}
			text := buf.String()
			got, err := f.read(&buf)
			if err != nil {
				t.Fatalf("written file does not read back: %v\n%s", err, text)
			}
			sameWeightsExactly(t, w, got)
		}
	})
}

func TestHeaderWithSpacedShapeName(t *testing.T) {
	// GeoDa writes the shape file's name, which may contain spaces.
	w, err := ReadGAL(strings.NewReader("0 2 my shape file POLYID\na 1\nb\nb 1\na\n"))
	if err != nil || w.N() != 2 || w.NNZ() != 2 {
		t.Fatalf("%v", err)
	}
	w, err = ReadGWT(strings.NewReader("0 2 my shape file POLYID\n1 2 0.5\n2 1 0.5\n"))
	if err != nil || w.N() != 2 || w.At(0, 1) != 0.5 {
		t.Fatalf("%v", err)
	}
}
