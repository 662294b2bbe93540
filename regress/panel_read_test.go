package regress

import (
	"encoding/csv"
	"math"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/agglo/agglo/table"
)

// readPanel3 reads csvText three ways: from a seekable reader (columns
// typed in one pass, read again when a numeric-looking column turns out
// to be text), from a stream (such columns read as text throughout) and
// from in-memory records; it fails unless all three panels (or errors)
// agree, and returns the first.
func readPanel3(t *testing.T, csvText string, opts PanelOptions) (*Panel, error) {
	t.Helper()
	p1, err1 := ReadPanel(strings.NewReader(csvText), "x.csv", "id", "t", opts)
	p2, err2 := ReadPanel(iotest.OneByteReader(strings.NewReader(csvText)), "x.csv", "id", "t", opts)
	recs, err := csv.NewReader(strings.NewReader(csvText)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	p3, err3 := ReadPanelTable(table.FromRecords("x.csv", recs), "id", "t", opts)
	if (err1 == nil) != (err2 == nil) || (err1 == nil) != (err3 == nil) {
		t.Fatalf("errors differ: seekable %v, stream %v, records %v", err1, err2, err3)
	}
	if err1 != nil {
		if err1.Error() != err2.Error() || err1.Error() != err3.Error() {
			t.Fatalf("errors differ:\n%v\n%v\n%v", err1, err2, err3)
		}
		return nil, err1
	}
	for _, p := range []*Panel{p2, p3} {
		if !reflect.DeepEqual(p1.ID, p.ID) || !reflect.DeepEqual(p1.Time, p.Time) || !reflect.DeepEqual(p1.Line, p.Line) ||
			!reflect.DeepEqual(p1.IDLevels, p.IDLevels) || !reflect.DeepEqual(p1.TimeLevels, p.TimeLevels) || p1.Dropped != p.Dropped {
			t.Fatalf("panels differ:\n%+v\n%+v", p1, p)
		}
		for _, name := range p1.Names() {
			a, b := p1.Column(name), p.Column(name)
			if a.Numeric != b.Numeric || !reflect.DeepEqual(a.Str, b.Str) || len(a.Num) != len(b.Num) {
				t.Fatalf("column %s differs: %+v, %+v", name, a, b)
			}
			for i := range a.Num {
				if math.Float64bits(a.Num[i]) != math.Float64bits(b.Num[i]) {
					t.Fatalf("column %s row %d: %v, %v", name, i, a.Num[i], b.Num[i])
				}
			}
		}
	}
	return p1, nil
}

// TestReadPanelTypedColumns checks the one-pass typed reading of panels
// against the meaning ReadPanel had when it kept every cell as a string:
// a column of codes that looks numeric until its last row stays text with
// its leading zeros; text only on a dropped row keeps a column numeric;
// rows in period order are sorted by id then period; spaces around cells
// are dropped; Inf is reported as not finite; and the three ways of
// reading agree.
func TestReadPanelTypedColumns(t *testing.T) {
	p, err := readPanel3(t, "id,t,code,y\nb,2001,01,1.5\na,2001,02,2\nb,2002, 007 ,-3\na,2002,A,4e-1\n", PanelOptions{})
	if err != nil {
		t.Fatal(err)
	}
	code := p.Column("code")
	if code.Numeric || !reflect.DeepEqual(code.Str, []string{"02", "A", "01", "007"}) {
		t.Errorf("code column %+v, want text 02 A 01 007", code)
	}
	y, _ := p.Float("y")
	if !reflect.DeepEqual(y, []float64{2, 0.4, 1.5, -3}) || !reflect.DeepEqual(p.Line, []int{3, 5, 2, 4}) {
		t.Errorf("y %v lines %v, want [2 0.4 1.5 -3] [3 5 2 4]", y, p.Line)
	}
	p, err = readPanel3(t, "id,t,y,x\na,1,1,2\na,2,NA,abc\nb,1,3,4\nb,2,5,6\n", PanelOptions{DropMissing: true})
	if err != nil {
		t.Fatal(err)
	}
	if x := p.Column("x"); !x.Numeric || !reflect.DeepEqual(x.Num, []float64{2, 4, 6}) || p.Dropped != 1 {
		t.Errorf("x %+v (dropped %d), want numeric 2 4 6 after dropping line 3", x, p.Dropped)
	}
	_, err = readPanel3(t, "id,t,y\na,1,1\na,2, Inf\n", PanelOptions{})
	if err == nil || !strings.Contains(err.Error(), `line 3, column "y": value "Inf" is not finite`) {
		t.Errorf("Inf: %v", err)
	}
	_, err = readPanel3(t, "id,t,y\na,1,1\na,2,1e400\nb,1,.\n", PanelOptions{DropMissing: true})
	if err != nil {
		t.Errorf("1e400 and . with listwise deletion: %v", err)
	}
	_, err = readPanel3(t, "id,t,y\na,1,1\na,1,2\n", PanelOptions{})
	if err == nil || !strings.Contains(err.Error(), "duplicated (id, t) pairs: (a, 1) at line 2 and line 3") {
		t.Errorf("duplicates: %v", err)
	}
}

// TestReadPanelTSVEmptyCell reads a tab-separated panel with an empty
// cell: the cell is a missing value on its own line and column, not a
// field-count error or a row shifted left (encoding/csv's TrimLeadingSpace
// trims the tab separators too).
func TestReadPanelTSVEmptyCell(t *testing.T) {
	tsv := "id\tt\ty\tx\na\t1\t1\t2\na\t2\t\t3\nb\t1\t2\t1\nb\t2\t3\t5\n"
	_, err := ReadPanel(strings.NewReader(tsv), "m.tsv", "id", "t", PanelOptions{Comma: '\t'})
	if err == nil || !strings.Contains(err.Error(), "line 3 (y)") {
		t.Fatalf("error %v, want the missing y on line 3", err)
	}
	p, err := ReadPanel(strings.NewReader(tsv), "m.tsv", "id", "t", PanelOptions{Comma: '\t', DropMissing: true})
	if err != nil {
		t.Fatal(err)
	}
	if p.Len() != 3 {
		t.Fatalf("%d rows after dropping the missing one, want 3", p.Len())
	}
}
