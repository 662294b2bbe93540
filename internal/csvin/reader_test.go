package csvin

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// csvSeeds are inputs on which Reader must agree with encoding/csv:
// quoting, doubled quotes, separators and newlines inside quotes, CRLF,
// bare \r, empty and blank lines, a missing final newline, quoting errors
// on the first and later lines, and multi-byte runes.
var csvSeeds = []string{
	"",
	"\n",
	"a,b,c\n1,2,3\n",
	"a,b,c\r\n1,2,3\r\n",
	"a,b\n1,2",
	"a,b\n1,2\r",
	"a,b\n\n\n1,2\n\n",
	"a,b\n   \n1,2\n",
	"a,b\n\r\n1,2\r\n\r\n",
	`a,"b,c",d` + "\n",
	`"a""b",c` + "\n",
	`"",""` + "\n",
	`"multi` + "\n" + `line",x` + "\n" + "y,z\n",
	`"multi` + "\r\n" + `line",x` + "\r\n",
	`"a` + "\n\n" + `b"` + "\n",
	`a,b"c` + "\n",
	`"a"b,c` + "\n",
	`"unterminated` + "\n" + "x,y\n",
	`"unterminated`,
	"x,y\n" + `1,"2` + "\n3,4\n",
	"a,b\n1,2\n" + `3,"4"x` + "\n",
	"a\rb,c\n",
	"a,b\r\r\n",
	" a, b\n  \"c\", d\n",
	" \"q\" ,x\n",
	"a\t\tb\n\t\n",
	"a;b;c\n1;;3\n",
	"é,ü\n\"ä\",ö\n",
	"a,b,\n,,\n",
	"\"a\"\n\"b\"",
	"\"a\"\r",
	"a,\"b\"\r\n\"c\r\nd\",e\r\n",
	"\"\"\"\"\n",
	"a,\" b\"\n",
	"a,b\n" + strings.Repeat("x", 70000) + ",y\n",
	"a,\"" + strings.Repeat("y", 70000) + "\"\n",
}

// read returns every record, the position of every field and the error
// that ended reading, for one reader.
type reading struct {
	Recs [][]string
	Pos  [][][2]int
	Err  string
}

// recordReader is what csv.Reader and Reader share.
type recordReader interface {
	Read() ([]string, error)
	FieldPos(int) (int, int)
}

func readStd(in string, comma rune, trim bool) reading {
	cr := csv.NewReader(strings.NewReader(in))
	cr.Comma, cr.FieldsPerRecord, cr.TrimLeadingSpace = comma, -1, trim
	return readWith(cr)
}

func readOurs(r io.Reader, comma rune, trim bool) reading {
	cr := NewReader(r, comma)
	cr.TrimLeadingSpace = trim
	return readWith(cr)
}

// readWith reads every record of cr with its fields' positions; for a
// Reader it also checks Line against FieldPos.
func readWith(cr recordReader) reading {
	var out reading
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			out.Err = err.Error()
			return out
		}
		out.Recs = append(out.Recs, rec)
		var p [][2]int
		for i := range rec {
			l, c := cr.FieldPos(i)
			p = append(p, [2]int{l, c})
		}
		if ours, ok := cr.(*Reader); ok && len(p) > 0 && ours.Line() != p[0][0] {
			out.Err = fmt.Sprintf("Line() = %d, FieldPos(0) line %d", ours.Line(), p[0][0])
			return out
		}
		out.Pos = append(out.Pos, p)
	}
}

// compareWithStd fails when Reader and encoding/csv differ on in.
func compareWithStd(t *testing.T, in string) {
	t.Helper()
	if strings.HasPrefix(in, bom) {
		return // Reader drops a byte-order mark, encoding/csv keeps it
	}
	for _, comma := range []rune{',', ';', '\t', 'é'} {
		for _, trim := range []bool{false, true} {
			if trim && comma == '\t' && strings.ContainsRune(in, comma) {
				continue // Reader keeps empty tab-separated cells: TestTrimStopsAtTab
			}
			want := readStd(in, comma, trim)
			got := readOurs(strings.NewReader(in), comma, trim)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("comma %q trim %v on %q:\n got %+v\nwant %+v", comma, trim, in, got, want)
			}
			// Reading one byte at a time takes the buffer's other paths.
			if got := readOurs(iotest.OneByteReader(strings.NewReader(in)), comma, trim); !reflect.DeepEqual(got, want) {
				t.Fatalf("comma %q trim %v on %q, one byte at a time:\n got %+v\nwant %+v", comma, trim, in, got, want)
			}
		}
	}
}

// TestReaderMatchesEncodingCSV checks Reader against encoding/csv (the
// semantics it promises) on the tricky seed inputs.
func TestReaderMatchesEncodingCSV(t *testing.T) {
	for _, in := range csvSeeds {
		compareWithStd(t, in)
	}
}

// FuzzReader compares Reader with encoding/csv on arbitrary input; in a
// plain go test it runs the seeds.
func FuzzReader(f *testing.F) {
	for _, s := range csvSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		compareWithStd(t, in)
	})
}

// TestTrimStopsAtTab checks the one deliberate departure from
// encoding/csv: with TrimLeadingSpace and a tab separator, encoding/csv
// trims the tabs too, so an empty cell vanishes and the cells after it
// move left (a missing value in a TSV becomes a field-count error or a
// shifted row); Reader keeps the empty cell and trims only the spaces
// before a value.
func TestTrimStopsAtTab(t *testing.T) {
	for _, c := range []struct {
		in   string
		want [][]string
	}{
		{"a\t\tc\n", [][]string{{"a", "", "c"}}},
		{"a\t  b\t c\n", [][]string{{"a", "b", "c"}}},
		{"\t\tx\n", [][]string{{"", "", "x"}}},
		{"id\ty\tx\nr1\t\t2\nr2\t1\t\n", [][]string{{"id", "y", "x"}, {"r1", "", "2"}, {"r2", "1", ""}}},
		{"a\t\"q\"\t \"r\"\n", [][]string{{"a", "q", "r"}}},
	} {
		for _, one := range []bool{false, true} {
			var src io.Reader = strings.NewReader(c.in)
			if one {
				src = iotest.OneByteReader(src)
			}
			r := NewReader(src, '\t')
			r.TrimLeadingSpace = true
			var got [][]string
			for {
				rec, err := r.Read()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("%q: %v", c.in, err)
				}
				got = append(got, rec)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("%q (one byte %v): got %q, want %q", c.in, one, got, c.want)
			}
		}
	}
}

// TestReaderErrorTypes checks that quoting errors are *csv.ParseError
// values with encoding/csv's sentinel errors, as callers may test them.
func TestReaderErrorTypes(t *testing.T) {
	for in, want := range map[string]error{"a,b\"c\n": csv.ErrBareQuote, "\"a\"b\n": csv.ErrQuote, "\"a": csv.ErrQuote} {
		_, err := NewReader(strings.NewReader(in), 0).Read()
		var pe *csv.ParseError
		if !errors.As(err, &pe) || !errors.Is(err, want) {
			t.Errorf("%q: error %v, want a *csv.ParseError with %v", in, err, want)
		}
	}
	if _, err := NewReader(strings.NewReader("a\n"), '"').Read(); err == nil || err.Error() != "csv: invalid field or comment delimiter" {
		t.Errorf("quote as separator: %v", err)
	}
}

// TestReaderRewind reads a seekable input twice, BOM and all, and refuses
// to rewind a stream.
func TestReaderRewind(t *testing.T) {
	in := "\ufeffid,v\na,1\nb,2\n"
	r := NewReader(strings.NewReader(in), Detect)
	first, _ := r.Read()
	r.Read()
	if !r.CanRewind() {
		t.Fatal("strings.Reader not rewindable")
	}
	if err := r.Rewind(); err != nil {
		t.Fatal(err)
	}
	again, err := r.Read()
	if err != nil || !reflect.DeepEqual(first, again) || first[0] != "id" || r.Line() != 1 {
		t.Fatalf("after Rewind: %q (line %d, %v), first read %q", again, r.Line(), err, first)
	}
	s := NewReader(iotest.OneByteReader(strings.NewReader(in)), 0)
	if s.CanRewind() || s.Rewind() == nil {
		t.Error("a stream claims to rewind")
	}
}
