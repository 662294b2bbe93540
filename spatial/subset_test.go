package spatial

import (
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

// TestRestrict drops a region of a path a–b–c–d (binary, then row
// standardised): b keeps only c and is re-standardised to weight 1; a
// becomes an island; the order of the weights is kept.
func TestRestrict(t *testing.T) {
	w, err := NewWeights([]string{"a", "b", "c", "d"}, []Link{
		{0, 1, 1}, {1, 0, 1}, {1, 2, 1}, {2, 1, 1}, {2, 3, 1}, {3, 2, 1}})
	if err != nil {
		t.Fatal(err)
	}
	rw, err := w.Transform(RowStandardized)
	if err != nil {
		t.Fatal(err)
	}
	s, rep, err := rw.Restrict([]string{"d", "c", "a", "d"})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s.IDs(), ","); got != "a,c,d" {
		t.Errorf("ids %s, want a,c,d", got)
	}
	if strings.Join(rep.Dropped, ",") != "b" || strings.Join(rep.Islands, ",") != "a" {
		t.Errorf("dropped %v islands %v", rep.Dropped, rep.Islands)
	}
	// c had b and d at 1/2 each; without b, d weighs 1 (row sums 1 again).
	cols, vals := s.Neighbours(1)
	if len(cols) != 1 || cols[0] != 2 || !scalar.EqualWithinAbsOrRel(vals[0], 1, 1e-15, 1e-15) || s.Style() != RowStandardized {
		t.Errorf("row of c: %v %v style %v", cols, vals, s.Style())
	}
	if _, _, err := rw.Restrict([]string{"a", "zz"}); err == nil || !strings.Contains(err.Error(), `"zz"`) {
		t.Errorf("unknown region: %v", err)
	}
	if _, _, err := rw.Restrict(nil); err == nil {
		t.Error("keeping nothing accepted")
	}
}

func TestReadIDs(t *testing.T) {
	ids, err := ReadIDs(strings.NewReader("# states\nA\n\nB\n"), "ids.txt", "")
	if err != nil || strings.Join(ids, ",") != "A,B" {
		t.Errorf("lines: %v %v", ids, err)
	}
	// A region list is ordered: a repeated ID is an error naming its line.
	if _, err := ReadIDs(strings.NewReader("# states\nA\n\nB\nA\n"), "ids.txt", ""); err == nil || !strings.Contains(err.Error(), "ids.txt: line 5") {
		t.Errorf("repeated ID: %v", err)
	}
	ids, err = ReadIDs(strings.NewReader("state,year\nB,1\nB,2\nA,1\n"), "d.csv", "state")
	if err != nil || strings.Join(ids, ",") != "B,A" {
		t.Errorf("column: %v %v", ids, err)
	}
	if _, err := ReadIDs(strings.NewReader("x,y\n1,2\n"), "d.csv", "state"); err == nil || !strings.Contains(err.Error(), `no column "state"`) {
		t.Errorf("missing column: %v", err)
	}
}
