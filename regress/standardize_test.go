package regress

import (
	"encoding/json"
	"errors"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

// The expected standard deviations are R 4.2's sd() on Produc (plm) with
// splm's usaww row-standardised, stacked year by year in usaww's state
// order: sd(log(gsp)) etc., W·x as W %*% x within each year; dynamic
// models on the estimation sample 1971–1986, the lag on 1970–1985;
// between on tapply(x, state, mean).
func TestTermSD(t *testing.T) {
	w := readDenseWeights(t, "usaww.csv")
	p := produc(t, w)
	p.Response = "log(gsp)"
	type want struct {
		y     float64
		terms map[string]float64
	}
	static := want{1.0211318641428271, map[string]float64{"log(pcap)": 0.94261365877341008, "unemp": 2.2332171707636443,
		"W*log(pcap)": 0.55013521535418741, "W*unemp": 1.8375549510388789}}
	dynamic := want{1.0179235311636707, map[string]float64{"log(gsp)(t-1)": 1.0203306052965309, "W*log(gsp)(t-1)": 0.60053587385979634,
		"log(pcap)": 0.94169801001362063, "W*log(pcap)": 0.54805152718376482}}
	for _, tc := range []struct {
		name string
		opt  SpatialOptions
		want want
	}{
		{"sdm twoways", SpatialOptions{Model: SDM, Effects: "twoways", W: w, ImpactDraws: -1}, static},
		{"slx none", SpatialOptions{Model: SLX, Effects: "none", W: w, ImpactDraws: -1}, static},
		{"sdem random", SpatialOptions{Model: SDEM, Effects: "random", W: w, ImpactDraws: -1}, static},
		{"dynamic sdm", SpatialOptions{Model: SDM, Effects: "individual", W: w, Dynamic: DLagBoth, ImpactDraws: -1}, dynamic},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := FitSpatial(p, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			checkSDs(t, r, tc.want.y, tc.want.terms)
		})
	}

	panel := readProduc(t, "produc.csv")
	d, err := panel.Design("log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		model string
		y     float64
		terms map[string]float64
	}{
		{"fe", static.y, map[string]float64{"log(pcap)": static.terms["log(pcap)"], "unemp": static.terms["unemp"]}},
		{"ols", static.y, map[string]float64{"log(pcap)": static.terms["log(pcap)"]}},
		{"between", 1.0197470983897485, map[string]float64{"log(pcap)": 0.9457747835827045}},
	} {
		t.Run(tc.model, func(t *testing.T) {
			r, err := Fit(d, FitOptions{Model: tc.model})
			if err != nil {
				t.Fatal(err)
			}
			checkSDs(t, r, tc.y, tc.terms)
			if _, ok := r.TermSD["(Intercept)"]; ok {
				t.Error("the intercept has a standard deviation")
			}
		})
	}
}

func checkSDs(t *testing.T, r *Result, y float64, terms map[string]float64) {
	t.Helper()
	if !scalar.EqualWithinAbsOrRel(r.ResponseSD, y, 0, 1e-12) {
		t.Errorf("response SD %.17g, R %.17g", r.ResponseSD, y)
	}
	for name, sd := range terms {
		if got := r.TermSD[name]; !scalar.EqualWithinAbsOrRel(got, sd, 0, 1e-12) {
			t.Errorf("SD of %s %.17g, R %.17g", name, got, sd)
		}
	}
	for _, c := range r.Coefficients {
		_, ok := r.TermSD[c.Name]
		if want := c.Name != "rho" && c.Name != "lambda" && c.Name != "phi" && c.Name != "(Intercept)"; ok != want {
			t.Errorf("%s: has an SD %v, want %v", c.Name, ok, want)
		}
	}
	// The SDs survive the JSON contract.
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back Result
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.ResponseSD != r.ResponseSD || len(back.TermSD) != len(r.TermSD) {
		t.Errorf("JSON round trip: response SD %v, %d terms; want %v, %d", back.ResponseSD, len(back.TermSD), r.ResponseSD, len(r.TermSD))
	}
}

func TestStandardized(t *testing.T) {
	r := &Result{
		Coefficients: []Coefficient{{Name: "(Intercept)", Estimate: 1, StdError: 0.1}, {Name: "x", Estimate: 2, StdError: 0.5, Statistic: 4, PValue: 0.01},
			{Name: "W*x", Estimate: -1, StdError: 0.25}, {Name: "rho", Estimate: 0.3, StdError: 0.05}},
		Impacts:    &Impacts{Direct: []Effect{{Name: "x", Estimate: 2.1, StdError: 0.4}}, Indirect: []Effect{{Name: "x", Estimate: 1, StdError: 0.3}}, Total: []Effect{{Name: "x", Estimate: 3.1, StdError: 0.6}}},
		ResponseSD: 4, TermSD: map[string]float64{"x": 2, "W*x": 1},
	}
	s, err := r.Standardized()
	if err != nil {
		t.Fatal(err)
	}
	// β·SD(x)/SD(y), by hand: x 2·2/4 = 1, se 0.25; W*x −1·1/4.
	want := []Coefficient{{Name: "x", Estimate: 1, StdError: 0.25, Statistic: 4, PValue: 0.01}, {Name: "W*x", Estimate: -0.25, StdError: 0.0625}}
	if len(s.Coefficients) != len(want) {
		t.Fatalf("coefficients %v, want %v", s.Coefficients, want)
	}
	for i, c := range s.Coefficients {
		if c != want[i] {
			t.Errorf("coefficient %d: %+v, want %+v", i, c, want[i])
		}
	}
	if e := s.Impacts.Total[0]; e.Estimate != 1.55 || e.StdError != 0.3 {
		t.Errorf("total effect %+v, want 1.55 (0.3)", e)
	}
	if r.Coefficients[1].Estimate != 2 || r.Impacts.Total[0].Estimate != 3.1 {
		t.Error("Standardized changed its receiver")
	}
	if _, err := (&Result{Coefficients: r.Coefficients}).Standardized(); !errors.Is(err, ErrNoSD) {
		t.Errorf("a result without SDs: %v, want ErrNoSD", err)
	}
	r.TermSD = map[string]float64{"W*x": 1}
	if _, err := r.Standardized(); err == nil {
		t.Error("an effect whose regressor has no SD: no error")
	}
}
