package table

import (
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/agglo/agglo/internal/tabletest"
)

// refColumns types the records read by Read (encoding/csv semantics) cell
// by cell, the plain way ReadColumns must agree with: text trimmed and
// interned in order of first appearance, numbers by strconv.ParseFloat,
// Auto numeric unless a cell is neither a number nor missing.
func refColumns(t *testing.T, recs [][]string, specs []ColumnSpec) *Columns {
	t.Helper()
	out := &Columns{Cols: make([]Column, len(specs))}
	for i := range recs {
		out.Line = append(out.Line, i+2)
	}
	for k, s := range specs {
		kind := s.Kind
		if kind == Auto {
			kind = Number
			for _, rec := range recs {
				x := strings.TrimSpace(rec[s.Index])
				if _, err := strconv.ParseFloat(x, 64); err != nil && !errors.Is(err, strconv.ErrRange) && (s.Missing == nil || !s.Missing(x)) {
					kind = Text
				}
			}
		}
		c := Column{Kind: kind}
		seen := map[string]int32{}
		for r, rec := range recs {
			x := strings.TrimSpace(rec[s.Index])
			if kind == Text {
				code, ok := seen[x]
				if !ok {
					code = int32(len(c.Levels))
					seen[x] = code
					c.Levels = append(c.Levels, x)
				}
				c.Codes = append(c.Codes, code)
				continue
			}
			v, err := strconv.ParseFloat(x, 64)
			if err != nil && !errors.Is(err, strconv.ErrRange) {
				v = math.NaN()
			}
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				c.Odd = append(c.Odd, Cell{Row: r, Text: x})
			}
			c.Num = append(c.Num, v)
		}
		out.Cols[k] = c
	}
	return out
}

// sameColumns compares two readings, NaN equal to NaN.
func sameColumns(a, b *Columns) bool {
	if !reflect.DeepEqual(a.Line, b.Line) || len(a.Cols) != len(b.Cols) {
		return false
	}
	for i := range a.Cols {
		x, y := a.Cols[i], b.Cols[i]
		if x.Kind != y.Kind || !reflect.DeepEqual(x.Codes, y.Codes) || !reflect.DeepEqual(x.Levels, y.Levels) ||
			!reflect.DeepEqual(x.Odd, y.Odd) || len(x.Num) != len(y.Num) {
			return false
		}
		for r := range x.Num {
			if x.Num[r] != y.Num[r] && !(math.IsNaN(x.Num[r]) && math.IsNaN(y.Num[r])) {
				return false
			}
		}
	}
	return true
}

// TestReadColumnsMatchesRecords reads small CSV files with quoting, CRLF,
// blanks around cells, missing codes, Inf, NaN, out-of-range numbers and
// a column that turns out to be text on its last row, and compares
// ReadColumns with typing the records of Read, for a seekable input (Auto
// read again as text), a stream (Auto read as text from the start) and
// in-memory records.
func TestReadColumnsMatchesRecords(t *testing.T) {
	missing := func(s string) bool { return s == "" || s == "NA" || s == "." }
	specs := []ColumnSpec{{Index: 0, Kind: Text}, {Index: 1, Kind: Text}, {Index: 2, Kind: Number},
		{Index: 3, Kind: Auto, Missing: missing}, {Index: 4, Kind: Auto, Missing: missing}}
	for _, in := range []string{
		"id,t,y,x,z\na,1,0.5,1,u\nb,1,-2,NA,v\na,2,1e400,.,w\n",
		"id,t,y,x,z\r\n\"a\", 1 ,\"1,5\",2,\"3\"\r\n\"b\"\"q\",1,NaN, Inf ,4\r\n",
		"\ufeffid,t,y,x,z\n a ,2001, 3 ,,\n\n b,2001,+Inf,-0,0x1p-2\nc,2002,abc,5,07\n",
		"id,t,y,x,z\nr1,1,1,2,3\nr2,1,1,2,3\nr3,1,1,2,x\n",
		"id,t,y,x,z\n\"multi\nline\",1,2,3,4\n",
	} {
		recs, err := NewCSV(strings.NewReader(in), "in", Options{}).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		want := refColumns(t, recs[1:], specs)
		// Lines: ReadAll does not give them; take them from ReadColumns
		// of a fresh reader below and check them separately.
		seek := NewCSV(strings.NewReader(in), "in", Options{})
		seek.Read()
		got, err := seek.ReadColumns(specs, ColumnsOptions{Width: 5})
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		want.Line = got.Line
		if !sameColumns(got, want) {
			t.Errorf("%q seekable:\n got %+v\nwant %+v", in, got, want)
		}
		// Parallel blocks of a few bytes give the same columns.
		for _, bs := range []int{1, 9} {
			blocks := NewCSV(strings.NewReader(in), "in", Options{})
			blocks.csv.BlockSize = bs
			blocks.Read()
			if got, err := blocks.ReadColumns(specs, ColumnsOptions{Width: 5}); err != nil || !sameColumns(got, want) {
				t.Errorf("%q blocks of %d bytes: %v\n got %+v\nwant %+v", in, bs, err, got, want)
			}
		}
		lr := NewCSV(strings.NewReader(in), "in", Options{})
		lr.Read()
		for i := range got.Line {
			if _, err := lr.Read(); err != nil || lr.Line() != got.Line[i] {
				t.Errorf("%q: row %d on line %d, Read says %d", in, i, got.Line[i], lr.Line())
			}
		}
		// A stream cannot be read twice: Auto columns are text.
		textSpecs := append([]ColumnSpec(nil), specs...)
		for i := range textSpecs {
			if textSpecs[i].Kind == Auto {
				textSpecs[i].Kind = Text
			}
		}
		wantText := refColumns(t, recs[1:], textSpecs)
		wantText.Line = got.Line
		stream := NewCSV(iotest.OneByteReader(strings.NewReader(in)), "in", Options{})
		stream.Read()
		if got, err := stream.ReadColumns(specs, ColumnsOptions{Width: 5}); err != nil || !sameColumns(got, wantText) {
			t.Errorf("%q stream: %v\n got %+v\nwant %+v", in, err, got, wantText)
		}
		mem := FromRecords("mem", recs)
		mem.Read()
		wantMem := refColumns(t, recs[1:], specs)
		if got, err := mem.ReadColumns(specs, ColumnsOptions{Width: 5}); err != nil || !sameColumns(got, wantMem) {
			t.Errorf("%q records: %v\n got %+v\nwant %+v", in, err, got, wantMem)
		}
	}
}

// TestReadColumnsErrors checks the field count error, blank rows and a
// quoting error naming the source.
func TestReadColumnsErrors(t *testing.T) {
	r := NewCSV(strings.NewReader("a,b\n1,2\n\n3\n"), "f.csv", Options{})
	r.Read()
	_, err := r.ReadColumns([]ColumnSpec{{Index: 0, Kind: Number}}, ColumnsOptions{Width: 2})
	var fe *FieldCountError
	if !errors.As(err, &fe) || fe.Line != 4 || fe.Fields != 1 || fe.Want != 2 || err.Error() != "f.csv: line 4 has 1 fields, the header has 2" {
		t.Errorf("field count: %v", err)
	}
	r = NewCSV(strings.NewReader("a,b\n1,2\n  \n3,4\n"), "f.csv", Options{})
	r.Read()
	c, err := r.ReadColumns([]ColumnSpec{{Index: 1, Kind: Number}}, ColumnsOptions{Width: 2, SkipBlank: true})
	if err != nil || !reflect.DeepEqual(c.Cols[0].Num, []float64{2, 4}) || !reflect.DeepEqual(c.Line, []int{2, 4}) {
		t.Errorf("blank row: %+v %v", c, err)
	}
	r = NewCSV(strings.NewReader("a,b\n1,2\n3,\"4\n"), "f.csv", Options{})
	r.Read()
	if _, err := r.ReadColumns([]ColumnSpec{{Index: 1, Kind: Number}}, ColumnsOptions{Width: 2}); err == nil ||
		err.Error() != `f.csv: parse error on line 3, column 6: extraneous or missing " in quoted-field` {
		t.Errorf("quoting error: %v", err)
	}
}

// TestReadColumnsAllocs checks that numbers and repeated identifiers cost
// no allocation per cell: 20,000 rows take a few dozen allocations (the
// growing slices), not tens of thousands.
func TestReadColumnsAllocs(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,year,y,x\n")
	for i := 0; i < 20000; i++ {
		b.WriteString("r" + strconv.Itoa(i%100) + "," + strconv.Itoa(2000+i/100) + "," + strconv.FormatFloat(float64(i)/7, 'g', -1, 64) + ",-1.25e-3\n")
	}
	in := b.String()
	specs := []ColumnSpec{{Index: 0, Kind: Text}, {Index: 1, Kind: Text}, {Index: 2, Kind: Number}, {Index: 3, Kind: Auto}}
	allocs := testing.AllocsPerRun(3, func() {
		r := NewCSV(strings.NewReader(in), "in", Options{})
		r.Read()
		if _, err := r.ReadColumns(specs, ColumnsOptions{Width: 4}); err != nil {
			t.Fatal(err)
		}
	})
	// 300 distinct labels (one string each) plus slice growth.
	t.Logf("%.0f allocations", allocs)
	if allocs > 1000 {
		t.Errorf("%.0f allocations for 20,000 rows", allocs)
	}
}

// TestReadColumnsReopens reads an Auto column that is numeric until its
// last row from .xlsx and .parquet files: ReadColumns opens the file
// again and returns the column as text, as from the CSV.
func TestReadColumnsReopens(t *testing.T) {
	recs := [][]string{{"id", "code", "y"}, {"a", "01", "1.5"}, {"b", "2", "-2"}, {"c", "A", "3"}}
	specs := []ColumnSpec{{Index: 0, Kind: Text}, {Index: 1, Kind: Auto}, {Index: 2, Kind: Auto}}
	want := refColumns(t, recs[1:], specs)
	dir := t.TempDir()
	for _, path := range []string{dir + "/t.xlsx", dir + "/t.parquet"} {
		if strings.HasSuffix(path, ".xlsx") {
			tabletest.WriteXLSX(t, path, "Sheet1", recs)
		} else {
			tabletest.WriteParquet(t, path, recs)
		}
		r, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		header, err := r.Read()
		if err != nil {
			t.Fatal(err)
		}
		// Parquet may order the columns otherwise: find them by name.
		byName := append([]ColumnSpec(nil), specs...)
		for i, h := range header {
			for k, name := range recs[0] {
				if h == name {
					byName[k].Index = i
				}
			}
		}
		got, err := r.ReadColumns(byName, ColumnsOptions{Width: 3})
		r.Close()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		want.Line = got.Line
		if !sameColumns(got, want) || got.Cols[1].Kind != Text || got.Cols[1].Levels[0] != "01" {
			t.Errorf("%s:\n got %+v\nwant %+v", path, got, want)
		}
	}
}

// TestReadColumnsBlocksRandom reads random panels whose numeric columns
// turn to text now and then, late or early, with missing codes, blanks
// and CRLF, through ReadColumns (Auto columns read again as text) in
// parallel blocks of a few bytes and record by record: the same columns.
func TestReadColumnsBlocksRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 3))
	missing := func(s string) bool { return s == "" || s == "NA" }
	specs := []ColumnSpec{{Index: 0, Kind: Text}, {Index: 1, Kind: Text}, {Index: 2, Kind: Auto, Missing: missing},
		{Index: 3, Kind: Auto, Missing: missing}, {Index: 4, Kind: Number}}
	for trial := range 100 {
		var b strings.Builder
		nl := []string{"\n", "\r\n"}[trial%2]
		b.WriteString("id,t,y,x,z" + nl)
		rows := 1 + rng.IntN(400)
		for i := range rows {
			cells := []string{"r" + strconv.Itoa(rng.IntN(40)), strconv.Itoa(2000 + i%5)}
			for range 3 {
				switch rng.IntN(40) {
				case 0:
					cells = append(cells, "NA")
				case 1:
					cells = append(cells, " ")
				case 2:
					if rng.IntN(4) == 0 {
						cells = append(cells, "txt")
						continue
					}
					fallthrough
				default:
					cells = append(cells, strconv.FormatFloat(rng.NormFloat64()*1e3, 'g', -1, 64))
				}
			}
			b.WriteString(strings.Join(cells, ",") + nl)
		}
		in := b.String()
		read := func(setup func(*Reader)) (*Columns, error) {
			r := NewCSV(strings.NewReader(in), "in", Options{TrimLeadingSpace: true})
			setup(r)
			r.Read()
			return r.ReadColumns(specs, ColumnsOptions{Width: 5})
		}
		want, err := read(func(r *Reader) { r.csv.Sequential = true })
		if err != nil {
			t.Fatal(err)
		}
		for _, bs := range []int{1, 7, 100} {
			got, err := read(func(r *Reader) { r.csv.BlockSize = bs })
			if err != nil || !sameColumns(got, want) {
				t.Fatalf("trial %d, blocks of %d bytes: %v\n got %+v\nwant %+v\n%q", trial, bs, err, got, want, in)
			}
		}
	}
}
