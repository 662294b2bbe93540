package csvin

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// columnsReading is what one ReadColumns call gives.
type columnsReading struct {
	cols *Columns
	redo []int
	err  error
}

// readColumnsWith reads the header of in, then its rows into specs with
// a reader set up by setup.
func readColumnsWith(in string, specs []ColumnSpec, opt ColumnsOptions, setup func(*Reader)) columnsReading {
	r := NewReader(strings.NewReader(in), 0)
	setup(r)
	if _, err := r.ReadBytes(); err != nil {
		return columnsReading{err: err}
	}
	cols, redo, err := r.ReadColumns(specs, opt)
	return columnsReading{cols, redo, err}
}

// sameReading compares a reading record by record, a, with one in
// blocks, b: the same error (by value); when a asks to read Auto columns
// again, b asks for those too (perhaps more, found in the same block) and
// the incomplete columns are not compared; else the same columns (NaN
// equal to NaN; nil and empty slices alike) and lines.
func sameReading(a, b columnsReading) string {
	if !reflect.DeepEqual(a.err, b.err) {
		return fmt.Sprintf("errors %#v / %#v", a.err, b.err)
	}
	if len(a.redo) > 0 || len(b.redo) > 0 {
		for _, i := range a.redo {
			if !slices.Contains(b.redo, i) {
				return fmt.Sprintf("redo %v / %v", a.redo, b.redo)
			}
		}
		if len(a.redo) == 0 {
			return fmt.Sprintf("redo %v / %v", a.redo, b.redo)
		}
		return ""
	}
	if (a.cols == nil) != (b.cols == nil) {
		return "columns nil on one side"
	}
	if a.cols == nil {
		return ""
	}
	if len(a.cols.Line) != len(b.cols.Line) || len(a.cols.Line) > 0 && !reflect.DeepEqual(a.cols.Line, b.cols.Line) {
		return fmt.Sprintf("lines %v / %v", a.cols.Line, b.cols.Line)
	}
	for i := range a.cols.Cols {
		x, y := a.cols.Cols[i], b.cols.Cols[i]
		if x.Kind != y.Kind || len(x.Codes) != len(y.Codes) || len(x.Levels) != len(y.Levels) || len(x.Odd) != len(y.Odd) || len(x.Num) != len(y.Num) {
			return fmt.Sprintf("column %d: shapes differ: %+v / %+v", i, x, y)
		}
		if len(x.Codes) > 0 && (!reflect.DeepEqual(x.Codes, y.Codes) || !reflect.DeepEqual(x.Levels, y.Levels)) {
			return fmt.Sprintf("column %d: text %v %q / %v %q", i, x.Codes, x.Levels, y.Codes, y.Levels)
		}
		if len(x.Odd) > 0 && !reflect.DeepEqual(x.Odd, y.Odd) {
			return fmt.Sprintf("column %d: odd %v / %v", i, x.Odd, y.Odd)
		}
		for r := range x.Num {
			if math.Float64bits(x.Num[r]) != math.Float64bits(y.Num[r]) && !(math.IsNaN(x.Num[r]) && math.IsNaN(y.Num[r])) {
				return fmt.Sprintf("column %d row %d: %v / %v", i, r, x.Num[r], y.Num[r])
			}
		}
	}
	return ""
}

// randomCSV writes a header and rows of 5 fields: an identifier, a period,
// numbers in many spellings (with blanks, missing codes, Inf, NaN, 1e400),
// and, with small probabilities, CRLF, empty and blank lines, rows with
// another number of fields, text turning up late in a numeric column, a
// byte-order mark, quoted fields (some over two lines, some badly quoted)
// and no final newline.
func randomCSV(rng *rand.Rand, rows int, quotes bool) string {
	var b strings.Builder
	if rng.IntN(4) == 0 {
		b.WriteString(bom)
	}
	nl := "\n"
	if rng.IntN(3) == 0 {
		nl = "\r\n"
	}
	b.WriteString("id,t,y,x,z" + nl)
	number := func() string {
		x := rng.NormFloat64() * math.Pow(10, float64(rng.IntN(12)-6))
		switch rng.IntN(12) {
		case 0:
			return ""
		case 1:
			return "NA"
		case 2:
			return " " + strconv.FormatFloat(x, 'e', rng.IntN(18), 64) + "\t"
		case 3:
			return []string{"Inf", "-inf", "NaN", "1e400", "-0", "007", ".5", "5.", "0x1p-2", "1_0"}[rng.IntN(10)]
		case 4:
			return strconv.FormatFloat(x, 'f', rng.IntN(10), 64)
		case 5:
			return strconv.Itoa(rng.IntN(2000) - 1000)
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	for i := range rows {
		if rng.IntN(50) == 0 {
			b.WriteString([]string{"", "   ", "\r", " \t "}[rng.IntN(4)] + nl)
		}
		fields := []string{"r" + strconv.Itoa(rng.IntN(rows/3+1)), strconv.Itoa(2000 + i%7), number(), number(), number()}
		if rng.IntN(300) == 0 {
			fields[3+rng.IntN(2)] = "text"
		}
		if rng.IntN(400) == 0 {
			fields = fields[:rng.IntN(5)+1]
		}
		if rng.IntN(400) == 0 {
			fields = append(fields, "extra")
		}
		if quotes && rng.IntN(20) == 0 {
			k := rng.IntN(len(fields))
			switch rng.IntN(12) {
			case 0:
				fields[k] = `"q` + nl + `2"`
			case 1:
				fields[k] = `"a""b"`
			case 2:
				fields[k] = `"1.5"`
			case 3:
				fields[k] = `x"y`
			case 4:
				fields[k] = `x"y"`
			case 5:
				fields[k] = `"a"b`
			case 6:
				fields[k] = ` "2.5"`
			case 7:
				fields[k] = `"a,b"`
			case 8:
				fields[k] = `" 7 "`
			case 9:
				fields[k] = `""`
			default:
				fields[k] = `"` + fields[k] + `"`
			}
		}
		b.WriteString(strings.Join(fields, ","))
		if i < rows-1 || rng.IntN(3) != 0 {
			b.WriteString(nl)
		} else if rng.IntN(2) == 0 {
			b.WriteString("\r")
		}
	}
	return b.String()
}

// TestReadColumnsBlocksMatchRecords compares ReadColumns in parallel
// blocks (tiny blocks, so that records straddle many block ends, one to
// three workers) with ReadColumns record by record on random inputs: the
// same columns, lines, Auto columns to read again, and errors (the line,
// and for quoting errors the column, of the first record at fault).
func TestReadColumnsBlocksMatchRecords(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 1))
	missing := func(s string) bool { return s == "" || s == "NA" }
	valid := func(v float64) bool { return v >= -1 }
	specSets := [][]ColumnSpec{
		{{Index: 0, Kind: Text}, {Index: 1, Kind: Text}, {Index: 2, Kind: Auto, Missing: missing}, {Index: 3, Kind: Auto}, {Index: 4, Kind: Number, Valid: valid}},
		{{Index: 4, Kind: Text}, {Index: 2, Kind: Number}, {Index: 0, Kind: Text}, {Index: 2, Kind: Auto, Missing: missing}},
		{{Index: 7, Kind: Number}, {Index: 1, Kind: Auto}},
		{{Index: 0, Kind: Text}, {Index: 2, Kind: Number}, {Index: 1, Kind: Text, SharedWith: 1}, {Index: 4, Kind: Text, SharedWith: 1}},
		nil,
	}
	for trial := range 300 {
		rows := 1 + rng.IntN(300)
		if trial%50 == 0 {
			rows = 5000
		}
		in := randomCSV(rng, rows, trial%3 == 0)
		specs := specSets[trial%len(specSets)]
		for _, opt := range []ColumnsOptions{{Width: 5}, {}, {SkipBlank: true, Width: 5, Size: int64(len(in))}} {
			trim := trial%4 == 1
			want := readColumnsWith(in, specs, opt, func(r *Reader) { r.Sequential, r.TrimLeadingSpace = true, trim })
			for _, bs := range []int{1, 7, 64, 1000, DefaultBlockSize} {
				got := readColumnsWith(in, specs, opt, func(r *Reader) { r.BlockSize, r.Workers, r.TrimLeadingSpace = bs, 1+(trial+bs)%3, trim })
				if d := sameReading(want, got); d != "" {
					t.Fatalf("trial %d, %+v, block size %d: record by record / blocks: %s\ninput %q", trial, opt, bs, d, in)
				}
			}
		}
	}
}

// TestReadColumnsBlocksEdges checks inputs at the edges of the block
// reader against the record reader: a quote in the first row or only in
// the last, tab and semicolon separators with empty cells, a line longer
// than a block, a final \r, lines of white space, an empty input.
func TestReadColumnsBlocksEdges(t *testing.T) {
	specs := []ColumnSpec{{Index: 0, Kind: Text}, {Index: 1, Kind: Auto}, {Index: 2, Kind: Number}}
	for _, in := range []string{
		"a,b,c\n",
		"a,b,c",
		"a,b,c\n\"x\ny\",1,2\nz,3,4\n",
		"a,b,c\nx,1,2\nz,3,\"4\"\n",
		"a,b,c\nx,1,2\nz,3,4\"\n",
		"a\tb\tc\nx\t\t2\n\t1\t\n",
		"a;b;c\nx;;2\n;1;\r\n",
		"a,b,c\n" + strings.Repeat("x", 3000) + ",1,2\ny,2,3",
		"a,b,c\nx,1,2\r",
		"a,b,c\n   \n\t\nx,1,2\n",
		"a,b,c\r\n\r\n\r\nx,1,2\r\n",
		"a,b,c\nx,1\nx,1,2,3\n",
		"a,b,c\nx,1,2\nx,y,2\nx,1,2\n",
	} {
		for _, opt := range []ColumnsOptions{{Width: 3}, {SkipBlank: true}} {
			r := NewReader(strings.NewReader(in), Detect)
			r.Sequential = true
			r.ReadBytes()
			c, redo, err := r.ReadColumns(specs, opt)
			want := columnsReading{c, redo, err}
			for _, bs := range []int{1, 5, 100} {
				r := NewReader(strings.NewReader(in), Detect)
				r.BlockSize = bs
				r.ReadBytes()
				c, redo, err := r.ReadColumns(specs, opt)
				if d := sameReading(want, columnsReading{c, redo, err}); d != "" {
					t.Errorf("%q %+v block size %d: %s", in, opt, bs, d)
				}
			}
		}
	}
}

// TestReadColumnsManyLevels interns two columns sharing their levels, with
// many levels (the table grows often) and cells that repeat after a few
// rows and after many (a lattice's edge list), and checks the codes
// against plain interning in order of first appearance, row by row, and
// Column.Code.
func TestReadColumnsManyLevels(t *testing.T) {
	const side = 150
	var b strings.Builder
	b.WriteString("from,to\n")
	id := func(r, c int) string { return fmt.Sprintf("r%dc%d", r, c) }
	var cells []string
	for r := range side {
		for c := range side {
			for _, d := range [][2]int{{-1, 0}, {0, -1}, {0, 1}, {1, 0}} {
				if rr, cc := r+d[0], c+d[1]; rr >= 0 && rr < side && cc >= 0 && cc < side {
					fmt.Fprintf(&b, "%s,%s\n", id(r, c), id(rr, cc))
					cells = append(cells, id(r, c), id(rr, cc))
				}
			}
		}
	}
	codes, levels := firstAppearance(cells)
	if len(levels) <= 1<<14 {
		t.Fatalf("%d levels: want more than 2^14", len(levels))
	}
	for _, seq := range []bool{true, false} {
		got := readColumnsWith(b.String(), []ColumnSpec{{Index: 0, Kind: Text}, {Index: 1, Kind: Text, SharedWith: 1}},
			ColumnsOptions{Width: 2}, func(r *Reader) { r.Sequential = seq; r.BlockSize = 1 << 14 })
		if got.err != nil {
			t.Fatal(got.err)
		}
		from, to := got.cols.Cols[0], got.cols.Cols[1]
		if !slices.Equal(from.Levels, levels) || !slices.Equal(to.Levels, levels) {
			t.Fatalf("sequential %v: levels differ from first appearance", seq)
		}
		for k := range from.Codes {
			if from.Codes[k] != codes[2*k] || to.Codes[k] != codes[2*k+1] {
				t.Fatalf("sequential %v: row %d codes %d,%d, want %d,%d", seq, k, from.Codes[k], to.Codes[k], codes[2*k], codes[2*k+1])
			}
		}
		for _, c := range []Column{from, to} {
			for k, s := range levels {
				if got, ok := c.Code(s); !ok || got != int32(k) {
					t.Fatalf("sequential %v: Code(%q) = %d, %v, want %d", seq, s, got, ok, k)
				}
			}
			for _, s := range []string{"", "r0", "r0c150", "r150c0", "c0r0"} {
				if got, ok := c.Code(s); ok {
					t.Fatalf("sequential %v: Code(%q) = %d, not a level", seq, s, got)
				}
			}
		}
	}
}
