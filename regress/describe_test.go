package regress

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/agglo/agglo/internal/testout"
	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/stat"
)

// describeCSV is a small panel: region a has x = 2, 4, 4 (and a missing
// y), region b has x = 5, 7, 9, 10, 15 … see the expected values below.
const describeCSV = `region,year,x,y,g
a,1,2,1,u
a,2,4,NA,u
a,3,4,3,u
b,1,5,4,v
b,2,7,5,v
b,3,9,6,v
c,1,10,7,v
c,2,15,8,v
`

func TestDescribe(t *testing.T) {
	rows, err := Describe(strings.NewReader(describeCSV), "d.csv", DescribeOptions{Vars: []string{"x", "y"}, ID: "region"})
	if err != nil {
		t.Fatal(err)
	}
	x := []float64{2, 4, 4, 5, 7, 9, 10, 15}
	// Expected quantiles from the type-7 definition (Hyndman and Fan
	// 1996; R's quantile(x, c(.25, .5, .75)) gives 4, 6, 9.25): rank
	// p(n−1) = 1.75, 3.5, 5.25 in the sorted x.
	// Mean and SD cross-checked with gonum/stat.
	want := VarStats{Variable: "x", N: 8, Mean: stat.Mean(x, nil), SD: stat.StdDev(x, nil), Min: 2, P25: 4, Median: 6, P75: 9.25, Max: 15, Regions: 3}
	got := rows[0]
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"mean", got.Mean, want.Mean}, {"sd", got.SD, want.SD}, {"min", got.Min, want.Min}, {"p25", got.P25, want.P25},
		{"median", got.Median, want.Median}, {"p75", got.P75, want.P75}, {"max", got.Max, want.Max},
	} {
		if !scalar.EqualWithinAbsOrRel(c.got, c.want, 1e-12, 1e-12) {
			t.Errorf("x %s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if got.N != 8 || got.Regions != 3 {
		t.Errorf("N %d regions %d", got.N, got.Regions)
	}
	// xtsum by hand: region means 10/3, 7, 12.5; between SD is their
	// sample SD; within SD is that of x − x̄ᵢ + x̄.
	means := []float64{10.0 / 3, 7, 12.5}
	grand := stat.Mean(x, nil)
	w := []float64{2 - 10.0/3, 4 - 10.0/3, 4 - 10.0/3, 5 - 7, 7 - 7, 9 - 7, 10 - 12.5, 15 - 12.5}
	for i := range w {
		w[i] += grand
	}
	if !scalar.EqualWithinAbsOrRel(got.SDBetween, stat.StdDev(means, nil), 1e-12, 1e-12) ||
		!scalar.EqualWithinAbsOrRel(got.SDWithin, stat.StdDev(w, nil), 1e-12, 1e-12) {
		t.Errorf("between %v within %v, want %v %v", got.SDBetween, got.SDWithin, stat.StdDev(means, nil), stat.StdDev(w, nil))
	}
	// y has a missing value: left out, N = 7.
	if rows[1].N != 7 || rows[1].Median != 5 {
		t.Errorf("y: N %d median %v, want 7 and 5", rows[1].N, rows[1].Median)
	}
	// Groups in sorted order; without ID no between/within.
	byG, err := Describe(strings.NewReader(describeCSV), "d.csv", DescribeOptions{Vars: []string{"x"}, By: "g"})
	if err != nil {
		t.Fatal(err)
	}
	if len(byG) != 2 || byG[0].Group != "u" || byG[0].N != 3 || byG[1].Max != 15 || !math.IsNaN(byG[0].SDWithin) {
		t.Errorf("by g: %+v", byG)
	}
}

func TestDescribeErrors(t *testing.T) {
	for _, tc := range []struct {
		csv  string
		opt  DescribeOptions
		want string
	}{
		{describeCSV, DescribeOptions{Vars: []string{"z"}}, `no column "z"`},
		{describeCSV, DescribeOptions{Vars: []string{"region"}}, `line 2: column region: "a" is not a number`},
		{describeCSV, DescribeOptions{Vars: []string{"x", "x"}}, "listed twice"},
		{describeCSV, DescribeOptions{Vars: []string{"x"}, By: "nope"}, `no column "nope"`},
		{"a,b\nNA,1\n", DescribeOptions{Vars: []string{"a"}}, "column a has no values"},
		{"", DescribeOptions{Vars: []string{"a"}}, "empty file"},
		{"a,b\n", DescribeOptions{Vars: []string{"a"}}, "a header and no data rows"},
		{"a,b\n\n", DescribeOptions{Vars: []string{"a"}, By: "b"}, "a header and no data rows"},
	} {
		_, err := Describe(strings.NewReader(tc.csv), "d.csv", tc.opt)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "d.csv") {
			t.Errorf("%+v: error %v, want %q", tc.opt, err, tc.want)
		}
	}
}

func TestWriteDescription(t *testing.T) {
	rows, _ := Describe(strings.NewReader(describeCSV), "d.csv", DescribeOptions{Vars: []string{"x", "y"}, ID: "region", By: "g"})
	opt := TableOptions{Labels: map[string]string{"x": "Output_x (%)"}, Title: "Table 1"}
	for _, f := range []string{"text", TableMarkdown, TableLaTeX, TableCSV} {
		var b bytes.Buffer
		if err := WriteDescription(&b, f, rows, "g", opt); err != nil {
			t.Fatal(err)
		}
		s := b.String()
		for _, want := range []string{"Output", "SD between", "Median", "Hyndman and Fan"} {
			if !strings.Contains(s, want) {
				t.Errorf("%s lacks %q:\n%s", f, want, s)
			}
		}
		if f == TableLaTeX {
			testout.Compile(t, "WriteDescription LaTeX", s)
		}
		if f == TableCSV && !strings.HasPrefix(s, "Variable,g,N,Mean,SD,Min,P25,Median,P75,Max,Regions,SD between,SD within\n") {
			t.Errorf("CSV header:\n%s", s)
		}
	}
}
