package spatial

import (
	"bytes"
	"encoding/csv"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
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

// fields returns the non-blank lines of s split on white space, as the GAL
// and GWT formats are laid out.
func fields(s string) [][]string {
	var out [][]string
	for _, l := range strings.Split(s, "\n") {
		if f := strings.Fields(l); len(f) > 0 {
			out = append(out, f)
		}
	}
	return out
}

// headerN returns the region count of a GAL or GWT header line: "n" or
// "0 n [shape] [idvar]".
func headerN(t *testing.T, f []string) int {
	t.Helper()
	field := f[0]
	if len(f) > 1 {
		field = f[1]
	}
	n, err := strconv.Atoi(field)
	if err != nil {
		t.Fatalf("accepted header %q has no count: %v", f, err)
	}
	return n
}

// rewrite writes w with write, reads the result with read and checks that
// it is the same weights (regions, order, links, bits of every weight).
func rewrite(t *testing.T, w *Weights, write func(io.Writer, *Weights) error, read func(io.Reader) (*Weights, error)) {
	t.Helper()
	var buf bytes.Buffer
	if err := write(&buf, w); err != nil {
		t.Fatalf("weights read from the format cannot be written back to it: %v", err)
	}
	text := buf.String()
	got, err := read(&buf)
	if err != nil {
		t.Fatalf("re-written file does not read: %v\n%s", err, text)
	}
	sameWeightsExactly(t, w, got)
}

// FuzzReadGAL checks that what ReadGAL accepts has the header's number of
// regions and the sum of the records' counts as links, and that writing it
// as GAL and reading it again gives the same weights.
func FuzzReadGAL(f *testing.F) {
	f.Add("3\n1 1\n2\n2 2\n1 3\n3 1\n2\n")
	f.Add("0 2 shape id\na 0\nb 0\n")
	f.Add("2\na 1\n")
	f.Add("0 3 asym id\na 2\nb c\nb 1\nc\nc 0\n\n")
	f.Fuzz(func(t *testing.T, s string) {
		w, err := ReadGAL(strings.NewReader(s))
		if err != nil {
			return
		}
		lines := fields(s)
		n := headerN(t, lines[0])
		links, records := 0, 0
		for k := 1; k < len(lines); k++ {
			c, err := strconv.Atoi(lines[k][1])
			if err != nil {
				t.Fatalf("accepted record %q has no count", lines[k])
			}
			records++
			links += c
			if c > 0 {
				k++ // the neighbour line
			}
		}
		if w.N() != n || records != n || w.NNZ() != links {
			t.Fatalf("%d regions and %d links; the file: header %d, %d records, counts summing to %d", w.N(), w.NNZ(), n, records, links)
		}
		rewrite(t, w, WriteGAL, ReadGAL)
	})
}

// FuzzReadGWT checks that what ReadGWT accepts has the header's number of
// regions and one link per line, and that writing it as GWT and reading it
// again gives the same weights.
func FuzzReadGWT(f *testing.F) {
	f.Add("0 3 x id\n1 2 0.5\n2 1 0.5\n3 1 1\n")
	f.Add("2\na b 1\n")
	f.Fuzz(func(t *testing.T, s string) {
		w, err := ReadGWT(strings.NewReader(s))
		if err != nil {
			return
		}
		lines := fields(s)
		if n := headerN(t, lines[0]); w.N() != n || w.NNZ() != len(lines)-1 {
			t.Fatalf("%d regions and %d links; the file: header %d, %d link lines", w.N(), w.NNZ(), n, len(lines)-1)
		}
		rewrite(t, w, WriteGWT, ReadGWT)
	})
}

// csvRecords returns the records of a CSV text (variable field counts).
func csvRecords(t *testing.T, s string) [][]string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(s))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("accepted CSV does not parse: %v", err)
	}
	return recs
}

// FuzzReadEdgeList checks that what ReadEdgeList accepts has one link per
// row with a destination and one region per distinct ID, and that writing
// it as an edge list and reading it again gives the same weights.
func FuzzReadEdgeList(f *testing.F) {
	f.Add("from,to,weight\na,b,1\nb,a,2\n")
	f.Add("from,to\na,b\n")
	f.Add("from,to,weight\na,b,0\nc,,\n")
	f.Fuzz(func(t *testing.T, s string) {
		w, err := ReadEdgeList(strings.NewReader(s))
		if err != nil {
			return
		}
		recs := csvRecords(t, s)
		col := map[string]int{}
		for i, h := range recs[0] {
			col[strings.ToLower(strings.TrimSpace(h))] = i
		}
		ids := map[string]bool{}
		links := 0
		for _, r := range recs[1:] {
			from, to := strings.TrimSpace(r[col["from"]]), strings.TrimSpace(r[col["to"]])
			ids[from] = true
			if to != "" {
				ids[to] = true
				links++
			}
		}
		if w.N() != len(ids) || w.NNZ() != links {
			t.Fatalf("%d regions and %d links; the file: %d IDs, %d rows with a destination", w.N(), w.NNZ(), len(ids), links)
		}
		rewrite(t, w, WriteEdgeList, ReadEdgeList)
	})
}

// FuzzReadMatrixCSV checks that what ReadMatrixCSV accepts has one region
// per row and one link per non-zero cell, and that writing it as a matrix
// and reading it again gives the same weights.
func FuzzReadMatrixCSV(f *testing.F) {
	f.Add("id,a,b\na,0,1\nb,1,0\n")
	f.Add("a,b\n0,1\n1,0\n")
	f.Add("a,b,c\n0,0.5,0\n-1,0,2\n0,0,0\n")
	f.Fuzz(func(t *testing.T, s string) {
		w, err := ReadMatrixCSV(strings.NewReader(s))
		if err != nil {
			return
		}
		recs := csvRecords(t, s)
		rows := recs[1:]
		nonzero := 0
		for _, r := range rows {
			cells := r[len(r)-len(rows):] // a leading ID column aside
			for _, c := range cells {
				v, err := strconv.ParseFloat(strings.TrimSpace(c), 64)
				if err != nil {
					t.Fatalf("accepted cell %q is not a number", c)
				}
				if v != 0 {
					nonzero++
				}
			}
		}
		if w.N() != len(rows) || w.NNZ() != nonzero {
			t.Fatalf("%d regions and %d links; the file: %d rows, %d non-zero cells", w.N(), w.NNZ(), len(rows), nonzero)
		}
		rewrite(t, w, WriteMatrixCSV, ReadMatrixCSV)
	})
}
