package plot

import (
	"bufio"
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/agglo/agglo/internal/sharedtest"
	"gonum.org/v1/gonum/floats/scalar"
)

// columbus reads CRIME of the Columbus data and the queen GAL weights,
// row-standardised, in data order.
func columbus(t *testing.T) (ids []string, x []float64, w [][]float64) {
	t.Helper()
	f, err := os.Open(sharedtest.Data(t, "columbus.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan()
	for sc.Scan() {
		r := strings.Split(strings.ReplaceAll(sc.Text(), `"`, ""), ",")
		v := sharedtest.Float(t, r[1], "columbus.csv, CRIME of "+r[0])
		ids = append(ids, r[0])
		x = append(x, v)
	}
	pos := map[string]int{}
	for i, id := range ids {
		pos[id] = i
	}
	g, err := os.ReadFile(sharedtest.Data(t, "columbus.gal"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(g)), "\n")
	w = make([][]float64, len(ids))
	for i := range w {
		w[i] = make([]float64, len(ids))
	}
	for k := 1; k+1 < len(lines); k += 2 {
		head := strings.Fields(lines[k])
		i := pos[head[0]]
		nb := strings.Fields(lines[k+1])
		for _, s := range nb {
			w[i][pos[s]] = 1 / float64(len(nb))
		}
	}
	return ids, x, w
}

// TestMoranSlope checks that the slope of the Moran scatter plot is Moran's
// I (spdep 1.2-7 moran.test, Columbus CRIME, queen, style W: 0.485770913661773).
func TestMoranSlope(t *testing.T) {
	ids, x, w := columbus(t)
	var oracle struct {
		Moran struct {
			Estimate map[string]float64 `json:"estimate"`
		} `json:"moran_randomisation"`
	}
	sharedtest.ReadJSON(t, &oracle, "oracle", "columbus.json")
	want := oracle.Moran.Estimate["Moran I statistic"]
	z, wz, _, _ := moranData(x, w, 0, 1)
	m := &MoranScatter{IDs: ids, X: z, WX: wz}
	slope, _ := m.Slope()
	if !scalar.EqualWithinAbsOrRel(slope, want, 1e-10, 1e-8) {
		t.Errorf("slope %.12g, Moran's I %.12g", slope, want)
	}
	var buf bytes.Buffer
	if err := Write(&buf, m, SVG, Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "Moran&#39;s I = 0.4858") {
		t.Error("the plot does not show I = 0.4858")
	}
}

// TestInfluenceLeaveOneOut checks the closed forms of InfluenceMeasures
// against refitting the line without each observation.
func TestInfluenceLeaveOneOut(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	n := 30
	x := make([]float64, n)
	y := make([]float64, n)
	for i := range x {
		x[i] = rng.NormFloat64()
		y[i] = 0.5*x[i] + rng.NormFloat64()*0.7
	}
	x[3], y[3] = 4, -2 // an outlier with leverage
	inf, err := InfluenceMeasures(x, y)
	if err != nil {
		t.Fatal(err)
	}
	fit := func(skip int) (a, b, s2 float64, m int) {
		var mx, my float64
		for i := range n {
			if i != skip {
				mx += x[i]
				my += y[i]
				m++
			}
		}
		mx /= float64(m)
		my /= float64(m)
		var sxx, sxy float64
		for i := range n {
			if i != skip {
				sxx += (x[i] - mx) * (x[i] - mx)
				sxy += (x[i] - mx) * (y[i] - my)
			}
		}
		b = sxy / sxx
		a = my - b*mx
		for i := range n {
			if i != skip {
				e := y[i] - a - b*x[i]
				s2 += e * e
			}
		}
		return a, b, s2 / float64(m-2), m
	}
	a, b, s2, _ := fit(-1)
	var sx, sxx, mx float64
	for i := range n {
		sx += x[i]
		sxx += x[i] * x[i]
	}
	mx = sx / float64(n)
	sxxc := sxx - float64(n)*mx*mx
	c00 := sxx / (float64(n) * sxxc)
	c11 := 1 / sxxc
	for i := range n {
		ai, bi, s2i, _ := fit(i)
		si := math.Sqrt(s2i)
		h := inf.Hat[i]
		want := [2]float64{(a - ai) / (si * math.Sqrt(c00)), (b - bi) / (si * math.Sqrt(c11))}
		for j := range 2 {
			if !scalar.EqualWithinAbsOrRel(inf.DFBetas[i][j], want[j], 1e-9, 1e-9) {
				t.Errorf("obs %d dfbetas[%d] = %v, leave-one-out %v", i, j, inf.DFBetas[i][j], want[j])
			}
		}
		yhat, yhati := a+b*x[i], ai+bi*x[i]
		if w := (yhat - yhati) / (si * math.Sqrt(h)); !scalar.EqualWithinAbsOrRel(inf.DFFit[i], w, 1e-9, 1e-9) {
			t.Errorf("obs %d dffit %v, leave-one-out %v", i, inf.DFFit[i], w)
		}
		var cook float64
		for k := range n {
			d := (a + b*x[k]) - (ai + bi*x[k])
			cook += d * d
		}
		cook /= 2 * s2
		if !scalar.EqualWithinAbsOrRel(inf.CooksD[i], cook, 1e-9, 1e-9) {
			t.Errorf("obs %d Cook's d %v, leave-one-out %v", i, inf.CooksD[i], cook)
		}
		// covratio = det(s_(i)² (X_(i)'X_(i))⁻¹) / det(s² (X'X)⁻¹).
		var sxi, sxxi float64
		for k := range n {
			if k != i {
				sxi += x[k]
				sxxi += x[k] * x[k]
			}
		}
		detI := float64(n-1)*sxxi - sxi*sxi
		det := float64(n)*sxx - sx*sx
		cr := (s2i * s2i / detI) / (s2 * s2 / det)
		if !scalar.EqualWithinAbsOrRel(inf.CovRatio[i], cr, 1e-9, 1e-9) {
			t.Errorf("obs %d covratio %v, leave-one-out %v", i, inf.CovRatio[i], cr)
		}
	}
	if !inf.Influential[3] {
		t.Error("the planted outlier is not flagged")
	}
}

func TestAverageLinkage(t *testing.T) {
	// Two tight pairs and a loner: {0,2} at 1, {1,3} at 2, joined at the
	// average 10; 4 joins last at the average of its distances, 20.
	d := [][]float64{
		{0, 10, 1, 10, 20},
		{10, 0, 10, 2, 20},
		{1, 10, 0, 10, 20},
		{10, 2, 10, 0, 20},
		{20, 20, 20, 20, 0},
	}
	order, h, err := AverageLinkage(d)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := order, []int{0, 2, 1, 3, 4}; !equalInts(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
	if want := []float64{1, 2, 10, 20}; !equalFloats(h, want) {
		t.Errorf("heights %v, want %v", h, want)
	}
	// UPGMA by hand: d(0,1)=2, d(0,2)=6, d(1,2)=8 → merge {0,1} at 2, then
	// d({0,1},2) = (6+8)/2 = 7.
	_, h, _ = AverageLinkage([][]float64{{0, 2, 6}, {2, 0, 8}, {6, 8, 0}})
	if !equalFloats(h, []float64{2, 7}) {
		t.Errorf("heights %v, want [2 7]", h)
	}
	if _, _, err := AverageLinkage([][]float64{{0, 1}, {2, 0}}); err == nil {
		t.Error("asymmetric distances accepted")
	}
}

func TestHeatmapOrder(t *testing.T) {
	// Sectors a and c co-locate, b and d co-locate: the clustering order
	// puts them side by side.
	h := &Heatmap{Labels: []string{"a", "b", "c", "d"}, Values: [][]float64{
		{0.1, -0.02, 0.08, -0.01},
		{-0.02, 0.1, -0.03, 0.07},
		{0.08, -0.03, 0.1, -0.02},
		{-0.01, 0.07, -0.02, 0.1},
	}}
	order, err := h.Order()
	if err != nil {
		t.Fatal(err)
	}
	if !equalInts(order, []int{0, 2, 1, 3}) {
		t.Errorf("order %v, want [0 2 1 3]", order)
	}
	h.Values[1] = h.Values[1][:3]
	if err := h.Draw(newTestCanvas()); err == nil || !strings.Contains(err.Error(), "row 2 (b)") {
		t.Errorf("ragged matrix: %v", err)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !scalar.EqualWithinAbsOrRel(a[i], b[i], 1e-12, 1e-12) {
			return false
		}
	}
	return true
}

var _ = json.Marshal
