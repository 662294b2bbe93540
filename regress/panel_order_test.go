package regress

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestPanelOrder checks the sort of newPanel (one stable counting sort by
// id when the periods of each id come in increasing order, two otherwise,
// nil for rows in panel order already) against a stable sort of the kept
// rows by (id, time): equal pairs (duplicates) keep their file order.
func TestPanelOrder(t *testing.T) {
	cases := []struct {
		name   string
		id, tm []int32
		bad    []bool
	}{
		{"id-major", []int32{0, 0, 1, 1, 2, 2}, []int32{0, 1, 0, 1, 0, 1}, nil},
		{"time-major", []int32{0, 1, 2, 0, 1, 2}, []int32{0, 0, 0, 1, 1, 1}, nil},
		{"time-major, regions shuffled", []int32{2, 0, 1, 1, 2, 0}, []int32{0, 0, 0, 1, 1, 1}, nil},
		{"periods decreasing", []int32{0, 1, 0, 1}, []int32{1, 1, 0, 0}, nil},
		{"unbalanced, unsorted", []int32{1, 0, 1, 2, 0}, []int32{2, 1, 0, 1, 0}, nil},
		{"duplicates in file order", []int32{0, 1, 0, 0, 1}, []int32{0, 0, 1, 0, 0}, nil},
		{"bad rows left out", []int32{0, 0, 1, 1}, []int32{0, 1, 0, 1}, []bool{false, true, false, false}},
		{"bad rows, sorted otherwise", []int32{0, 1, 1, 0}, []int32{1, 0, 1, 0}, []bool{false, false, false, true}},
		{"one row", []int32{0}, []int32{0}, nil},
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for k := range 20 {
		n := 1 + rng.IntN(60)
		c := struct {
			name   string
			id, tm []int32
			bad    []bool
		}{name: fmt.Sprintf("random %d", k), id: make([]int32, n), tm: make([]int32, n), bad: make([]bool, n)}
		for r := range n {
			c.id[r], c.tm[r], c.bad[r] = int32(rng.IntN(6)), int32(rng.IntN(4)), rng.IntN(8) == 0
		}
		cases = append(cases, c)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n := len(tc.id)
			bad := tc.bad
			if bad == nil {
				bad = make([]bool, n)
			}
			nbad := 0
			var want []int32
			for r := range n {
				if bad[r] {
					nbad++
				} else {
					want = append(want, int32(r))
				}
			}
			slices.SortStableFunc(want, func(a, b int32) int {
				return cmp.Or(cmp.Compare(tc.id[a], tc.id[b]), cmp.Compare(tc.tm[a], tc.tm[b]))
			})
			got := panelOrder(tc.id, tc.tm, bad, nbad, 6, 4)
			if got == nil {
				if nbad > 0 {
					t.Fatal("nil order with bad rows")
				}
				got = make([]int32, n)
				for r := range got {
					got[r] = int32(r)
				}
			}
			if !slices.Equal(got, want) {
				t.Fatalf("order %v, want %v", got, want)
			}
		})
	}
}

// TestReadPanelRowOrders reads one unbalanced panel with a missing value
// from files with its rows in panel order, in period order and shuffled:
// every panel and design must be the same but for the source lines, whose
// rows must follow the panel's; the duplicated-pair error names the same
// pair whatever the order.
func TestReadPanelRowOrders(t *testing.T) {
	type row struct{ id, t, y, x string }
	var rows []row
	for i := 1; i <= 12; i++ {
		for s := 1; s <= 5; s++ {
			if (i+s)%7 == 0 {
				continue // unbalanced
			}
			y := fmt.Sprint(i*10 + s)
			if i == 4 && s == 2 {
				y = "NA"
			}
			rows = append(rows, row{fmt.Sprint(i), fmt.Sprint(2000 + s), y, fmt.Sprintf("%d.5", i*s)})
		}
	}
	write := func(rs []row) string {
		var b strings.Builder
		b.WriteString("id,t,y,x\n")
		for _, r := range rs {
			fmt.Fprintf(&b, "%s,%s,%s,%s\n", r.id, r.t, r.y, r.x)
		}
		return b.String()
	}
	byTime := slices.Clone(rows)
	slices.SortStableFunc(byTime, func(a, b row) int { return cmp.Compare(a.t, b.t) })
	shuffled := slices.Clone(rows)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	f, err := ParseFormula("y ~ x + log(x)")
	if err != nil {
		t.Fatal(err)
	}
	var first *Panel
	var firstD *Design
	for _, tc := range []struct {
		name string
		rows []row
	}{{"panel order", rows}, {"period order", byTime}, {"shuffled", shuffled}} {
		csv := write(tc.rows)
		p, err := readPanel3(t, csv, PanelOptions{DropMissing: true})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if p.Dropped != 1 || p.Balanced {
			t.Fatalf("%s: dropped %d, balanced %v", tc.name, p.Dropped, p.Balanced)
		}
		// Each row's line holds its id and period.
		lines := strings.Split(csv, "\n")
		for r, l := range p.Line {
			f := strings.Split(lines[l-1], ",")
			if f[0] != p.IDLevels[p.ID[r]] || f[1] != p.TimeLevels[p.Time[r]] {
				t.Fatalf("%s: row %d is (%s, %s) but line %d is %q", tc.name, r, p.IDLevels[p.ID[r]], p.TimeLevels[p.Time[r]], l, lines[l-1])
			}
		}
		// A duplicated pair is named with its lines in file order.
		dup := append(slices.Clone(tc.rows), row{"3", "2001", "1", "1"})
		_, err = ReadPanel(strings.NewReader(write(dup)), "x.csv", "id", "t", PanelOptions{DropMissing: true})
		want := fmt.Sprintf("duplicated (id, t) pairs: (3, 2001) at line %d and line %d", 2+slices.Index(tc.rows, row{"3", "2001", "31", "3.5"}), len(dup)+1)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("%s: error %v, want %q", tc.name, err, want)
		}
		d, err := p.DesignFormula(f)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first, firstD = p, d
			continue
		}
		y, _ := p.Float("y")
		y0, _ := first.Float("y")
		if !reflect.DeepEqual(p.ID, first.ID) || !reflect.DeepEqual(p.Time, first.Time) || !reflect.DeepEqual(p.IDLevels, first.IDLevels) ||
			!reflect.DeepEqual(p.TimeLevels, first.TimeLevels) || !reflect.DeepEqual(y, y0) {
			t.Fatalf("%s: panel differs from the one in panel order", tc.name)
		}
		if !reflect.DeepEqual(d.Y, firstD.Y) || !reflect.DeepEqual(d.X.RawMatrix().Data, firstD.X.RawMatrix().Data) ||
			!reflect.DeepEqual(d.ID, firstD.ID) || !reflect.DeepEqual(d.Time, firstD.Time) {
			t.Fatalf("%s: design differs from the one in panel order", tc.name)
		}
	}
}

// TestReadPanelKeepsOwnColumns checks that a panel read in panel order
// keeps the reader's columns and that one built from in-memory columns
// (NewPanel) copies them: changing the caller's slice afterwards must not
// change the panel.
func TestReadPanelKeepsOwnColumns(t *testing.T) {
	y := []float64{1, 2, 3, 4}
	p, err := NewPanel("id", "t", []string{"a", "a", "b", "b"}, []string{"1", "2", "1", "2"}, map[string][]float64{"y": y}, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	y[0] = 100
	if got, _ := p.Float("y"); got[0] != 1 {
		t.Fatalf("NewPanel shares the caller's column: y[0] = %v", got[0])
	}
	q, err := ReadPanel(strings.NewReader("id,t,y\na,1,1\na,2,2\nb,1,3\nb,2,4\n"), "x.csv", "id", "t", PanelOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := q.Float("y"); !slices.Equal(got, []float64{1, 2, 3, 4}) || !slices.Equal(q.Line, []int{2, 3, 4, 5}) {
		t.Fatalf("y %v, lines %v", got, q.Line)
	}
}

// TestDesignCompactLevels checks the id and period indices of designs: a
// design with every row shares the panel's (same values), one that drops
// rows (a lag leaves out the first period; the dropped period's level goes)
// renumbers them over the levels present.
func TestDesignCompactLevels(t *testing.T) {
	p, err := ReadPanel(strings.NewReader("id,t,y,x\na,1,1,2\na,2,2,1\na,3,4,3\nb,1,3,5\nb,2,5,4\nb,3,6,1\n"), "x.csv", "id", "t", PanelOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := p.Design("y ~ x")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d.ID, p.ID) || !slices.Equal(d.Time, p.Time) || !slices.Equal(d.TimeLevels, []string{"1", "2", "3"}) {
		t.Fatalf("full design: ID %v Time %v levels %v", d.ID, d.Time, d.TimeLevels)
	}
	d, err = p.Design("y ~ lag(x, 1)")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d.ID, []int{0, 0, 1, 1}) || !slices.Equal(d.Time, []int{0, 1, 0, 1}) || !slices.Equal(d.TimeLevels, []string{"2", "3"}) ||
		!slices.Equal(d.Y, []float64{2, 4, 5, 6}) {
		t.Fatalf("lagged design: ID %v Time %v levels %v y %v", d.ID, d.Time, d.TimeLevels, d.Y)
	}
	if !slices.Equal(p.Time, []int{0, 1, 2, 0, 1, 2}) {
		t.Fatalf("the panel's periods changed: %v", p.Time)
	}
}
