package index_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/agglo/agglo/index"
)

var cols = index.Columns{Region: "region", Sector: "sector", Time: "year", Value: "emp", Share: "online"}

const goodCSV = `region,sector,year,emp,online
A,m,2020,10,0.1
A,s,2020,5,0.2
B,m,2020,3,0.3
B,s,2020,8,0.4
`

func TestReadCSVErrors(t *testing.T) {
	cases := []struct {
		name, data string
		want       []string // substrings of the error
	}{
		{"negative value", "region,sector,year,emp,online\nA,m,2020,-1,0.1\n", []string{"panel.csv", "line 2", `"emp"`, "negative"}},
		{"NaN value", "region,sector,year,emp,online\nA,m,2020,NaN,0.1\n", []string{"line 2", "not a finite"}},
		{"infinite value", "region,sector,year,emp,online\nA,m,2020,+Inf,0.1\n", []string{"line 2", "not a finite"}},
		{"non-numeric value", "region,sector,year,emp,online\nA,m,2020,ten,0.1\n", []string{"line 2", `"ten" is not a number`}},
		{"empty value", "region,sector,year,emp,online\nA,m,2020,,0.1\n", []string{"line 2", "missing value"}},
		{"NA value", "region,sector,year,emp,online\nA,m,2020,NA,0.1\n", []string{"line 2", "missing value"}},
		{"share above 1", "region,sector,year,emp,online\nA,m,2020,1,1.5\n", []string{"line 2", `"online"`, "outside [0, 1]"}},
		{"negative share", "region,sector,year,emp,online\nA,m,2020,1,-0.1\n", []string{"line 2", `"online"`, "negative"}},
		{"duplicate cell", goodCSV + "B,s,2020,1,0.1\n", []string{"line 6", "duplicates line 5"}},
		{"missing column", "region,sector,year,value\nA,m,2020,1\n", []string{"line 1", `no column "emp"`}},
		{"ragged row", "region,sector,year,emp,online\nA,m,2020,1\n", []string{"panel.csv"}},
		{"empty region", "region,sector,year,emp,online\n,m,2020,1,0.1\n", []string{"line 2", `"region": empty`}},
		{"empty file", "", []string{"panel.csv", "empty file"}},
		{"header only", "region,sector,year,emp,online\n", []string{"no data rows"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := index.ReadCSV(strings.NewReader(tc.data), "panel.csv", cols)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestReadCSVMissingCounted(t *testing.T) {
	// B,s,2021 and A,m,2021 absent: 2 missing cells, read as 0.
	data := goodCSV + "A,s,2021,1,0.5\nB,m,2021,2,0.5\n"
	tab, err := index.ReadCSV(strings.NewReader(data), "p.csv", cols)
	if err != nil {
		t.Fatal(err)
	}
	if tab.Missing != 2 {
		t.Errorf("Missing = %d, want 2", tab.Missing)
	}
	if got := tab.E[1].At(0, 0); got != 0 {
		t.Errorf("absent cell = %g, want 0", got)
	}
	if len(tab.Times) != 2 || tab.Times[0] != "2020" {
		t.Errorf("times %v", tab.Times)
	}
}

func goodTable(t *testing.T) *index.Table {
	t.Helper()
	tab, err := index.ReadCSV(strings.NewReader(goodCSV), "p.csv", cols)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func TestReadPlantsErrors(t *testing.T) {
	pc := index.PlantColumns{Plant: "plant", Region: "region", Sector: "sector", Time: "year", Value: "emp"}
	head := "plant,region,sector,year,emp\n"
	ok := "p1,A,m,2020,6\np2,A,m,2020,4\np3,A,s,2020,5\np4,B,m,2020,3\np5,B,s,2020,8\n"
	cases := []struct {
		name, data string
		want       []string
	}{
		{"sum contradicts", head + strings.Replace(ok, "p2,A,m,2020,4", "p2,A,m,2020,3", 1), []string{"plants.csv", "(A, m, 2020)", "sum to 9", "table has 10"}},
		{"cell without plants", head + strings.Replace(ok, "p5,B,s,2020,8\n", "", 1), []string{"(B, s, 2020)", "no plants"}},
		{"unknown region", head + ok + "p6,C,m,2020,1\n", []string{"line 7", `unknown region "C"`}},
		{"unknown period", head + ok + "p6,A,m,1999,1\n", []string{"line 7", `unknown period "1999"`}},
		{"duplicate plant", head + ok + "p1,B,s,2020,0\n", []string{"line 7", `plant "p1"`, "duplicates line 2"}},
		{"negative", head + strings.Replace(ok, "p3,A,s,2020,5", "p3,A,s,2020,-5", 1), []string{"line 4", "negative"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := index.ReadPlants(strings.NewReader(tc.data), "plants.csv", goodTable(t), pc)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
	h, err := index.ReadPlants(strings.NewReader(head+ok), "plants.csv", goodTable(t), pc)
	if err != nil {
		t.Fatal(err)
	}
	// Sector m: plants 6, 4, 3 of 13: H = (36 + 16 + 9)/169.
	if want := 61.0 / 169; math.Abs(h[0][0]-want) > 1e-15 {
		t.Errorf("H(m) = %g, want %g", h[0][0], want)
	}
}

func TestReadGroupsErrors(t *testing.T) {
	cases := []struct {
		name, data string
		want       []string
	}{
		{"duplicate sector", "sector,group\nm,manufacturing\nm,producer_services\n", []string{"groups.csv", "line 3", "line 2"}},
		{"no sector of the data", "sector,group\nx,manufacturing\n", []string{"groups.csv", "no groups"}},
		{"empty group", "sector,group\nm,\n", []string{"line 2", `"group": empty`}},
		{"bad header", "sector,kind\nm,a\n", []string{`no column "group"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := index.ReadGroups(strings.NewReader(tc.data), "groups.csv", goodTable(t))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestReadGroupsUnused(t *testing.T) {
	g, err := index.ReadGroups(strings.NewReader("sector,group\nm,a\nx,a\ns,b\n"), "groups.csv", goodTable(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Unused) != 1 || g.Unused[0] != "x" || g.Of["m"] != "a" || g.Of["s"] != "b" || len(g.Names) != 2 {
		t.Errorf("groups %+v", g)
	}
}

func TestTableSetErrors(t *testing.T) {
	tab, err := index.NewTable([]string{"A", "B"}, []string{"m"}, []string{"1"}, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		r, s, tm string
		v, sh    float64
	}{{"C", "m", "1", 1, 0}, {"A", "m", "2", 1, 0}, {"A", "m", "1", -1, 0}, {"A", "m", "1", math.NaN(), 0}, {"A", "m", "1", 1, 2}} {
		if err := tab.Set(c.r, c.s, c.tm, c.v, c.sh); err == nil {
			t.Errorf("Set(%v) accepted", c)
		}
	}
	if _, err := index.NewTable([]string{"A", "A"}, []string{"m"}, []string{"1"}, false); err == nil {
		t.Error("duplicated region accepted")
	}
	if _, err := index.NewTable(nil, []string{"m"}, []string{"1"}, false); err == nil {
		t.Error("empty table accepted")
	}
}

// TestZeroTotals checks that a zero total is an error by default and NaN
// with a warning under ZeroNaN, never ±Inf.
func TestZeroTotals(t *testing.T) {
	// Region B has nothing; sector z has nothing.
	tab, _ := index.NewTable([]string{"A", "B", "C"}, []string{"m", "s", "z"}, []string{"2020"}, true)
	tab.Set("A", "m", "2020", 5, 0.2)
	tab.Set("A", "s", "2020", 3, 0.1)
	tab.Set("C", "m", "2020", 2, 0.3)
	tab.Set("C", "s", "2020", 7, 0.5)
	groups := &index.Groups{Names: []string{"manufacturing", "producer_services"},
		Of: map[string]string{"m": "manufacturing", "s": "producer_services", "z": "producer_services"}}
	for _, name := range index.Names {
		if name == "growth" {
			continue
		}
		opt := index.Options{Groups: groups}
		if name == "hhi" {
			opt.By = "region"
		}
		_, err := index.Compute(name, tab, opt)
		if !errors.Is(err, index.ErrZeroTotal) {
			t.Errorf("%s: error %v, want a zero total", name, err)
			continue
		}
		if !strings.Contains(err.Error(), "2020") || !(strings.Contains(err.Error(), `"B"`) || strings.Contains(err.Error(), `"z"`)) {
			t.Errorf("%s: error %q does not name the region or sector and period", name, err)
		}
		opt.ZeroTotals = index.ZeroNaN
		res, err := index.Compute(name, tab, opt)
		if err != nil {
			t.Errorf("%s with NaN: %v", name, err)
			continue
		}
		if len(res.Warnings) == 0 {
			t.Errorf("%s: NaN results without warnings", name)
		}
		var nan int
		for _, r := range res.Rows {
			for _, v := range append([]float64{r.Value}, r.Parts...) {
				if math.IsInf(v, 0) {
					t.Errorf("%s: Inf in %v", name, r)
				}
				if math.IsNaN(v) {
					nan++
				}
			}
		}
		if nan == 0 {
			t.Errorf("%s: no NaN for the zero totals", name)
		}
	}
}

func TestZeroTotalOthers(t *testing.T) {
	// H = 1 (a single plant).
	e := mat.NewDense(2, 2, []float64{1, 2, 3, 4})
	if _, err := index.EllisonGlaeser(e, []float64{1, 0.2}, index.ZeroError); !errors.Is(err, index.ErrZeroTotal) {
		t.Errorf("H = 1: %v", err)
	}
	r, err := index.EllisonGlaeser(e, []float64{1, 0.2}, index.ZeroNaN)
	if err != nil || !math.IsNaN(r.Gamma[0]) || math.IsNaN(r.Gamma[1]) {
		t.Errorf("H = 1 under NaN: %v %v", r, err)
	}
	// One region: 1 − Σx² = 0.
	one := mat.NewDense(1, 2, []float64{1, 2})
	if _, err := index.EGK(one, index.ZeroError); !errors.Is(err, index.ErrZeroTotal) {
		t.Errorf("one region: %v", err)
	}
	// Online shares all zero in a region.
	o := mat.NewDense(2, 2, []float64{0, 0, 0.5, 0.5})
	if _, err := index.OnlineLQ(e, o, index.ZeroError); !errors.Is(err, index.ErrZeroTotal) {
		t.Errorf("no online activity in a region: %v", err)
	}
	// Growth from zero.
	tab, _ := index.NewTable([]string{"A"}, []string{"m"}, []string{"1", "2"}, false)
	tab.Set("A", "m", "2", 4, 0)
	if _, err := index.Compute("growth", tab, index.Options{}); !errors.Is(err, index.ErrZeroTotal) {
		t.Errorf("growth from 0: %v", err)
	}
}

func TestComputeUsageErrors(t *testing.T) {
	tab := goodTable(t)
	noShare, _ := index.ReadCSV(strings.NewReader("region,sector,year,emp\nA,m,1,1\nB,s,1,2\n"), "p.csv",
		index.Columns{Region: "region", Sector: "sector", Time: "year", Value: "emp"})
	cases := []struct {
		name string
		tab  *index.Table
		opt  index.Options
		want string
	}{
		{"nope", tab, index.Options{}, "unknown index"},
		{"va", noShare, index.Options{}, "needs online shares"},
		{"coagg", tab, index.Options{}, "needs sector groups"},
		{"coagg", tab, index.Options{Groups: &index.Groups{Names: []string{"a"}, Of: map[string]string{"m": "a"}}}, "needs sectors in groups"},
		{"hhi", tab, index.Options{By: "plant"}, "want sector or region"},
		{"lq", tab, index.Options{By: "region"}, "no by option"},
		{"lq", tab, index.Options{Normalise: true}, "no normalised form"},
		{"growth", tab, index.Options{}, "two different periods"},
		{"growth", tab, index.Options{From: "1999"}, "no such period"},
	}
	for _, tc := range cases {
		_, err := index.Compute(tc.name, tc.tab, tc.opt)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
}

// TestEGOnePlantMessage is issue 13 item 22: a sector with a single plant
// (H = 1) is named as such, not as a "zero total".
func TestEGOnePlantMessage(t *testing.T) {
	pc := index.PlantColumns{Plant: "plant", Region: "region", Sector: "sector", Time: "year", Value: "emp"}
	tab := goodTable(t)
	h, err := index.ReadPlants(strings.NewReader("plant,region,sector,year,emp\np1,A,m,2020,10\np2,B,m,2020,3\np3,A,s,2020,5\np4,B,s,2020,8\n"), "plants.csv", tab, pc)
	if err != nil {
		t.Fatal(err)
	}
	h[0][0] = 1 // sector m as if it had one plant (H is taken as given)
	res, err := index.Compute("eg", tab, index.Options{H: h, ZeroTotals: index.ZeroNaN, RegionName: "region", SectorName: "sector", TimeName: "year"})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, w := range res.Warnings {
		found = found || strings.Contains(w, `sector m in 2020 has one plant (H = 1)`)
		if strings.Contains(w, "zero total") {
			t.Errorf("warning %q says zero total", w)
		}
	}
	if !found {
		t.Errorf("warnings %q lack the one-plant message", res.Warnings)
	}
	_, err = index.Compute("eg", tab, index.Options{H: h, RegionName: "region", SectorName: "sector", TimeName: "year"})
	if err == nil || !strings.Contains(err.Error(), "has one plant (H = 1)") {
		t.Errorf("without NaN: %v", err)
	}
}
