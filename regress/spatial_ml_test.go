package regress

import (
	"encoding/json"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/agglo/agglo/internal/sharedtest"
	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"
)

// readDenseWeights reads ../shared/data/name, a dense matrix CSV (header of
// IDs, first column id) such as splm's usaww.
func readDenseWeights(t testing.TB, name string) *spatial.Weights {
	t.Helper()
	rows := sharedtest.CSV(t, name)
	ids := rows[0][1:]
	var links []spatial.Link
	for i, r := range rows[1:] {
		for j, s := range r[1:] {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatal(err)
			}
			if v != 0 {
				links = append(links, spatial.Link{From: i, To: j, Weight: v})
			}
		}
	}
	w, err := spatial.NewWeights(ids, links)
	if err != nil {
		t.Fatal(err)
	}
	return w.WithStyle(spatial.RowStandardized)
}

// readGAL reads a GAL file (header n, then "id k" and the k neighbour IDs)
// and row-standardises it.
func readGAL(t testing.TB, path string) *spatial.Weights {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(b))
	n, _ := strconv.Atoi(f[0])
	f = f[1:]
	ids := make([]string, n)
	type ent struct {
		id  string
		nbs []string
	}
	var ents []ent
	for len(f) > 0 {
		k, _ := strconv.Atoi(f[1])
		ents = append(ents, ent{f[0], f[2 : 2+k]})
		f = f[2+k:]
	}
	for i, e := range ents {
		ids[i] = e.id
	}
	idx := map[string]int{}
	for i, id := range ids {
		idx[id] = i
	}
	var links []spatial.Link
	for i, e := range ents {
		for _, nb := range e.nbs {
			links = append(links, spatial.Link{From: i, To: idx[nb], Weight: 1})
		}
	}
	w, err := spatial.NewWeights(ids, links)
	if err != nil {
		t.Fatal(err)
	}
	w, err = w.Transform(spatial.RowStandardized)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// produc returns log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp on
// Produc, time-major, in usaww's state order.
func produc(t testing.TB, w *spatial.Weights) *SpatialPanel {
	t.Helper()
	rows := sharedtest.CSV(t, "produc.csv")
	col := map[string]int{}
	for j, h := range rows[0] {
		col[h] = j
	}
	years := map[int]bool{}
	for _, r := range rows[1:] {
		y, _ := strconv.Atoi(r[col["year"]])
		years[y] = true
	}
	var ys []int
	for y := range years {
		ys = append(ys, y)
	}
	sort.Ints(ys)
	ti := map[int]int{}
	for i, y := range ys {
		ti[y] = i
	}
	n, T := w.N(), len(ys)
	p := &SpatialPanel{Y: make([]float64, n*T), X: mat.NewDense(n*T, 4, nil), N: n, T: T,
		Names: []string{"log(pcap)", "log(pc)", "log(emp)", "unemp"}, IDs: w.IDs()}
	f := func(r []string, name string) float64 {
		v, err := strconv.ParseFloat(r[col[name]], 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, r := range rows[1:] {
		i, ok := w.Index(r[col["state"]])
		if !ok {
			t.Fatalf("state %s not in weights", r[col["state"]])
		}
		y, _ := strconv.Atoi(r[col["year"]])
		k := ti[y]*n + i
		p.Y[k] = math.Log(f(r, "gsp"))
		p.X.Set(k, 0, math.Log(f(r, "pcap")))
		p.X.Set(k, 1, math.Log(f(r, "pc")))
		p.X.Set(k, 2, math.Log(f(r, "emp")))
		p.X.Set(k, 3, f(r, "unemp"))
	}
	return p
}

// columbus returns CRIME ~ INC + HOVAL (with intercept) in the GAL order.
func columbus(t testing.TB, w *spatial.Weights) *SpatialPanel {
	t.Helper()
	rows := sharedtest.CSV(t, "columbus.csv")
	n := w.N()
	p := &SpatialPanel{Y: make([]float64, n), X: mat.NewDense(n, 3, nil), N: n, T: 1,
		Names: []string{"(Intercept)", "INC", "HOVAL"}, IDs: w.IDs()}
	for _, r := range rows[1:] {
		i, ok := w.Index(r[0])
		if !ok {
			t.Fatalf("id %s not in weights", r[0])
		}
		v := func(j int) float64 { return sharedtest.Float(t, r[j], "columbus.csv, "+rows[0][j]+" of "+r[0]) }
		p.Y[i] = v(1)
		p.X.Set(i, 0, 1)
		p.X.Set(i, 1, v(2))
		p.X.Set(i, 2, v(3))
	}
	return p
}

type refCoef struct {
	Name     string  `json:"name"`
	Estimate float64 `json:"estimate"`
	StdError float64 `json:"std_error"`
}

type refEffect struct {
	Name     string  `json:"name"`
	Estimate float64 `json:"estimate"`
	StdError float64 `json:"std_error"`
}

type refImpacts struct {
	Direct   []refEffect `json:"direct"`
	Indirect []refEffect `json:"indirect"`
	Total    []refEffect `json:"total"`
}

func coefByName(t *testing.T, r *Result, name string) Coefficient {
	t.Helper()
	for _, c := range r.Coefficients {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no coefficient %q in %v", name, r.Coefficients)
	return Coefficient{}
}

func checkRel(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if os.Getenv("AGGLO_REPORT") != "" {
		t.Logf("RELDIFF %-28s %.2e", what, math.Abs(got-want)/math.Abs(want))
	}
	if !scalar.EqualWithinRel(got, want, tol) {
		t.Errorf("%s = %.12g, want %.12g (rel diff %.2g)", what, got, want, math.Abs(got-want)/math.Abs(want))
	}
}

func checkImpacts(t *testing.T, got *Impacts, want refImpacts) {
	t.Helper()
	if got == nil {
		t.Fatal("no impacts")
	}
	for _, part := range []struct {
		name string
		got  []Effect
		want []refEffect
	}{{"direct", got.Direct, want.Direct}, {"indirect", got.Indirect, want.Indirect}, {"total", got.Total, want.Total}} {
		if len(part.got) != len(part.want) {
			t.Fatalf("%s: %d effects, want %d", part.name, len(part.got), len(part.want))
		}
		for i, w := range part.want {
			g := part.got[i]
			if g.Name != w.Name {
				t.Errorf("%s[%d] name %q, want %q", part.name, i, g.Name, w.Name)
			}
			checkRel(t, part.name+" "+w.Name, g.Estimate, w.Estimate, 1e-6)
			if os.Getenv("AGGLO_REPORT") != "" {
				t.Logf("IMPSE %s %s %.2f%%", part.name, w.Name, 100*(g.StdError-w.StdError)/w.StdError)
			}
			// Simulated on both sides: within 10%.
			if math.Abs(g.StdError-w.StdError) > 0.1*w.StdError {
				t.Errorf("%s %s std error %.6g, want %.6g within 10%%", part.name, w.Name, g.StdError, w.StdError)
			}
		}
	}
}

// TestSplmProduc compares with splm 1.6-5 spml(model = "within") on Produc
// with usaww (../shared/oracle/splm_produc.json). splm's lag coefficient
// "lambda" is our "rho", its error coefficient "rho" our "lambda".
func TestSplmProduc(t *testing.T) {
	sharedtest.Dir(t)
	type refCase struct {
		Coefficients []refCoef   `json:"coefficients"`
		Sigma2       float64     `json:"sigma2"`
		LogLik       any         `json:"loglik"`
		Impacts      *refImpacts `json:"impacts"`
	}
	var ref struct {
		Cases map[string]json.RawMessage `json:"cases"`
	}
	sharedtest.ReadJSON(t, &ref, "oracle", "splm_produc.json")
	w := readDenseWeights(t, "usaww.csv")
	p := produc(t, w)
	for _, tc := range []struct {
		name    string
		model   SpatialModel
		effects string
		ll      float64 // full Gaussian log-likelihood when splm omits it
	}{
		{"sar_individual", SAR, "individual", 0},
		{"sar_twoways", SAR, "twoways", 0},
		// The full Gaussian log-likelihood of the SEM with individual
		// effects, 1634.0207, is given in ../shared/oracle/README.md.
		{"sem_individual", SEM, "individual", 1634.0207},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c refCase
			if err := json.Unmarshal(ref.Cases[tc.name], &c); err != nil {
				t.Fatal(err)
			}
			// splm draws the impacts from a block-diagonal covariance.
			r, err := FitSpatial(p, SpatialOptions{Model: tc.model, Effects: tc.effects, W: w, Seed: 1, ImpactsVcov: "splm", ImpactDraws: 20000, NoLeeYu: true})
			if err != nil {
				t.Fatal(err)
			}
			for _, rc := range c.Coefficients {
				name := rc.Name
				switch name {
				case "lambda":
					name = "rho"
				case "rho":
					name = "lambda"
				}
				g := coefByName(t, r, name)
				checkRel(t, name, g.Estimate, rc.Estimate, 1e-6)
				checkRel(t, name+" std error", g.StdError, rc.StdError, 1e-6)
			}
			checkRel(t, "sigma2", r.Sigma2, c.Sigma2, 1e-6)
			if ll, ok := c.LogLik.(float64); ok {
				checkRel(t, "loglik", *r.LogLik, ll, 1e-6)
			} else {
				if !scalar.EqualWithinAbs(*r.LogLik, tc.ll, 1e-4) {
					t.Errorf("loglik = %.8g, want %.8g", *r.LogLik, tc.ll)
				}
			}
			if c.Impacts != nil {
				checkImpacts(t, r.Impacts, *c.Impacts)
			}
		})
	}
}

// TestNearBoundaryMessages checks the message on a spatial parameter
// within NearBoundary of its interval's bound: W's interval of a rook
// lattice is (−1, 1), so 0.985 is within 1% of its width (0.02) of 1 and
// 0.975 is not; −0.99 is near −1.
func TestNearBoundaryMessages(t *testing.T) {
	w, err := spatial.Lattice(5, 5, false)
	if err != nil {
		t.Fatal(err)
	}
	if w, err = w.Transform(spatial.RowStandardized); err != nil {
		t.Fatal(err)
	}
	ld, err := spatial.NewEigenLogDet(w)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		model SpatialModel
		name  string
		est   float64
		want  string
	}{
		{SAR, "rho", 0.985, "ρ = 0.985"},
		{SAR, "rho", 0.975, ""},
		{SEM, "lambda", -0.99, "λ = -0.99"},
		{SEM, "beta", 0.999, ""},
	}
	for _, c := range cases {
		res := &Result{Coefficients: []Coefficient{{Name: c.name, Estimate: c.est}}}
		msgs := nearBoundaryMessages(res, &SpatialOptions{Model: c.model, LogDet: ld})
		switch {
		case c.want == "" && len(msgs) != 0:
			t.Errorf("%s = %g: unexpected message %q", c.name, c.est, msgs)
		case c.want != "" && (len(msgs) != 1 || !strings.Contains(msgs[0], c.want)):
			t.Errorf("%s = %g: messages %q, want one naming %q", c.name, c.est, msgs, c.want)
		}
	}
}
