package plot

import (
	"bufio"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

// calemp reads the employment density of the 58 California counties.
func calemp(t *testing.T) []float64 {
	t.Helper()
	f, err := os.Open("testdata/calemp.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var x []float64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.HasPrefix(line, "county,") {
			continue
		}
		v, err := strconv.ParseFloat(line[strings.LastIndexByte(line, ',')+1:], 64)
		if err != nil {
			t.Fatal(err)
		}
		x = append(x, v)
	}
	if len(x) != 58 {
		t.Fatalf("read %d counties, want 58", len(x))
	}
	return x
}

func TestBreaksPublished(t *testing.T) {
	x := calemp(t)
	// Expected bounds and class counts: the README of PySAL mapclassify
	// (2.x), "FisherJenks(y, k=5)", "Quantiles(y, k=5)" and
	// "EqualInterval(y)" on this data, printed to 2 decimals.
	for _, tc := range []struct {
		scheme Scheme
		want   []float64
		counts []int
	}{
		{Jenks, []float64{0.13, 75.29, 192.05, 370.50, 722.85, 4111.45}, []int{49, 3, 4, 1, 1}},
		{Quantile, []float64{0.13, 1.46, 5.80, 13.28, 54.62, 4111.45}, []int{12, 11, 12, 11, 12}},
		{Equal, []float64{0.13, 822.39, 1644.66, 2466.92, 3289.19, 4111.45}, []int{57, 0, 0, 0, 1}},
	} {
		t.Run(string(tc.scheme), func(t *testing.T) {
			b, err := Breaks(x, tc.scheme, 5, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(b) != len(tc.want) {
				t.Fatalf("bounds %v, want %v", b, tc.want)
			}
			for i := range b {
				if math.Abs(b[i]-tc.want[i]) > 0.005+1e-9 {
					t.Errorf("bound %d = %v, want %v", i, b[i], tc.want[i])
				}
			}
			counts := make([]int, len(b)-1)
			for _, v := range x {
				counts[Class(v, b)]++
			}
			for i := range counts {
				if counts[i] != tc.counts[i] {
					t.Errorf("class %d has %d values, want %d", i, counts[i], tc.counts[i])
				}
			}
		})
	}
}

// sseOf is the within-class sum of squares of a partition of sorted x by
// bounds.
func sseOf(x, b []float64) float64 {
	k := len(b) - 1
	sum := make([]float64, k)
	sq := make([]float64, k)
	n := make([]float64, k)
	for _, v := range x {
		c := Class(v, b)
		sum[c] += v
		sq[c] += v * v
		n[c]++
	}
	var s float64
	for i := range k {
		if n[i] > 0 {
			s += sq[i] - sum[i]*sum[i]/n[i]
		}
	}
	return s
}

// TestJenksOptimal checks the Fisher–Jenks breaks against exhaustive search
// over every partition of small random samples (with ties).
func TestJenksOptimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for trial := range 60 {
		n := 4 + rng.IntN(9)
		x := make([]float64, n)
		for i := range x {
			x[i] = math.Round(rng.ExpFloat64()*20) / 2 // ties happen
		}
		sortFloats(x)
		k := 2 + rng.IntN(3)
		b, err := Breaks(x, Jenks, k, nil)
		if err != nil {
			t.Fatal(err)
		}
		got := sseOf(x, b)
		// Exhaustive: choose k-1 cut positions among n-1 gaps.
		best := math.Inf(1)
		var rec func(start, left int, bounds []float64)
		rec = func(start, left int, bounds []float64) {
			if left == 0 {
				bb := append(append([]float64{x[0]}, bounds...), x[n-1])
				// b_0 = b_1 when the first class holds the minimum
				// only; the other bounds increase strictly.
				for i := 2; i < len(bb); i++ {
					if !(bb[i] > bb[i-1]) {
						return
					}
				}
				if s := sseOf(x, bb); s < best {
					best = s
				}
				return
			}
			for i := start; i < n-1; i++ {
				if x[i] == x[i+1] {
					continue
				}
				rec(i+1, left-1, append(bounds, x[i]))
			}
		}
		kk := k
		distinct := 1
		for i := 1; i < n; i++ {
			if x[i] != x[i-1] {
				distinct++
			}
		}
		kk = min(kk, distinct)
		rec(0, kk-1, nil)
		if !scalar.EqualWithinAbsOrRel(got, best, 1e-9, 1e-9) {
			t.Errorf("trial %d: x=%v k=%d: SSE %v with bounds %v, exhaustive optimum %v", trial, x, k, got, b, best)
		}
	}
}

func TestBreaksEdgeCases(t *testing.T) {
	nan := math.NaN()
	b, err := Breaks([]float64{1, nan, 3, 2}, Equal, 2, nil)
	if err != nil || len(b) != 3 || b[0] != 1 || b[1] != 2 || b[2] != 3 {
		t.Errorf("NaN ignored: got %v, %v", b, err)
	}
	if _, err := Breaks([]float64{nan}, Quantile, 3, nil); err != ErrNoValues {
		t.Errorf("all missing: err %v", err)
	}
	if _, err := Breaks([]float64{1, 2}, "median", 3, nil); err == nil {
		t.Error("unknown scheme accepted")
	}
	if _, err := Breaks([]float64{1, 2}, User, 0, []float64{2, 1}); err == nil {
		t.Error("decreasing user breaks accepted")
	}
	b, _ = Breaks([]float64{0, 5, 10}, User, 0, []float64{2, 4})
	if len(b) != 4 || b[0] != 0 || b[3] != 10 {
		t.Errorf("user breaks extended to the data: %v", b)
	}
	// Constant data: one class.
	b, _ = Breaks([]float64{4, 4, 4}, Jenks, 5, nil)
	if len(b) != 2 {
		t.Errorf("constant data: %v", b)
	}
	// Quantile with heavy ties merges classes.
	b, _ = Breaks([]float64{1, 1, 1, 1, 1, 1, 2}, Quantile, 4, nil)
	for i := 1; i < len(b); i++ {
		if !(b[i] > b[i-1]) {
			t.Errorf("tied quantiles not merged: %v", b)
		}
	}
	// Intervals are closed on the right.
	bb := []float64{0, 1, 2}
	for _, tc := range []struct {
		v    float64
		want int
	}{{0, 0}, {0.5, 0}, {1, 0}, {1.5, 1}, {2, 1}, {-1, 0}, {3, 1}, {nan, -1}} {
		if got := Class(tc.v, bb); got != tc.want {
			t.Errorf("Class(%v) = %d, want %d", tc.v, got, tc.want)
		}
	}
}

func TestColors(t *testing.T) {
	for _, name := range Palettes() {
		for k := 3; k <= 7; k++ {
			if _, err := Colors(name, k); err != nil && !strings.Contains(err.Error(), "colour-blind") {
				t.Errorf("%s %d: %v", name, k, err)
			}
		}
	}
	v, _ := Colors("viridis", 2)
	// viridis runs from #440154 to #fde725 (van der Walt and Smith 2015).
	if hexOf(v[0]) != "#440154" || hexOf(v[1]) != "#fde725" {
		t.Errorf("viridis ends %s %s", hexOf(v[0]), hexOf(v[1]))
	}
	r, _ := Colors("Blues-r", 3)
	b, _ := Colors("Blues", 3)
	if hexOf(r[0]) != hexOf(b[2]) {
		t.Error("-r does not reverse")
	}
	if _, err := Colors("Spectral", 9); err == nil {
		t.Error("Spectral with 9 classes is not colour-blind safe, yet accepted")
	}
	if _, err := Colors("Rainbow", 5); err == nil {
		t.Error("unknown palette accepted")
	}
}

// TestBreaksExtremeValues checks issue 13 item 6 for maps: the Jenks,
// equal-interval and quantile classes of x × 1e300 (and × 1e-300, and
// values spanning ±1e308) are those of x, scaled (the classes do not depend
// on the scale), and the legend labels stay short ("1.0e+302 – …", not 300
// digits).
func TestBreaksExtremeValues(t *testing.T) {
	x := []float64{1, 2, 2.5, 7, 8, 8.5, 20, 21, 40, 41, 42, 100}
	for _, scheme := range []Scheme{Jenks, Equal, Quantile} {
		want, err := Breaks(x, scheme, 4, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []float64{1e300, 1e-300, 1.7e306} {
			xs := make([]float64, len(x))
			for i, v := range x {
				xs[i] = v * f
			}
			got, err := Breaks(xs, scheme, 4, nil)
			if err != nil {
				t.Fatal(err)
			}
			for i := range want {
				if !(math.Abs(got[i]/f-want[i]) <= 1e-12*math.Abs(want[i])) {
					t.Fatalf("%s × %g: breaks %v, want %v × f", scheme, f, got, want)
				}
			}
			for _, l := range boundLabels(got) {
				if len(l) > 40 || !strings.Contains(l, "e") {
					t.Errorf("%s × %g: legend label %q", scheme, f, l)
				}
			}
		}
	}
	// Values at both ends of the float64 range: Jenks and equal breaks stay
	// finite.
	span := []float64{-1.5e308, -1e308, 0, 1e308, 1.6e308}
	for _, scheme := range []Scheme{Jenks, Equal} {
		b, err := Breaks(span, scheme, 3, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range b {
			if math.IsInf(v, 0) || math.IsNaN(v) {
				t.Errorf("%s breaks of ±1e308: %v", scheme, b)
			}
		}
	}
}
