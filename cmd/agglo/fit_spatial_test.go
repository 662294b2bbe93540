package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"weak"

	"github.com/agglo/agglo/internal/sharedtest"
	"github.com/agglo/agglo/regress"
	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"
)

func loadProduc(t *testing.T) (regions, periods []string, y []float64, x *mat.Dense) {
	t.Helper()
	needShared(t)
	rows := sharedtest.CSV(t, "produc.csv")
	x = mat.NewDense(len(rows)-1, 4, nil)
	for i, r := range rows[1:] {
		num := func(s string) float64 { return sharedtest.Float(t, s, fmt.Sprintf("produc.csv row %d", i+2)) }
		regions = append(regions, r[0])
		periods = append(periods, r[1])
		y = append(y, math.Log(num(r[8])))
		x.Set(i, 0, math.Log(num(r[3])))
		x.Set(i, 1, math.Log(num(r[7])))
		x.Set(i, 2, math.Log(num(r[9])))
		x.Set(i, 3, num(r[10]))
	}
	return
}

// TestFitSpatialData runs the CLI's spatial path on Produc with usaww
// (matrix CSV) and compares ρ with splm 1.6-5 (SAR, individual effects:
// 0.274688711742279, ../shared/oracle/splm_produc.json).
func TestFitSpatialData(t *testing.T) {
	regions, periods, y, x := loadProduc(t)
	names := []string{"log(pcap)", "log(pc)", "log(emp)", "unemp"}
	sf := &spatialFlags{weights: sharedData(t, "usaww.csv"), style: "W", effects: "individual", draws: 200, seed: 1, logdet: "auto"}
	res, err := fitSpatialData(sf, "sar", regions, periods, y, x, names)
	if err != nil {
		t.Fatal(err)
	}
	rho := coefNamed(t, res.Coefficients, "rho")
	if !scalar.EqualWithinRel(rho.Estimate, 0.274688711742279, 1e-6) {
		t.Errorf("rho = %.10g", rho.Estimate)
	}
	if res.Options["style"] != "W" || res.Impacts == nil || res.Impacts.Draws != 200 {
		t.Errorf("options %v, impacts %v", res.Options, res.Impacts)
	}
	// The same through the edge list and the GWT file.
	for _, file := range []string{"usaww_edges.csv"} {
		sf.weights = sharedData(t, file)
		r2, err := fitSpatialData(sf, "sar", regions, periods, y, x, names)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if r := coefNamed(t, r2.Coefficients, "rho"); !scalar.EqualWithinRel(r.Estimate, rho.Estimate, 1e-9) {
			t.Errorf("%s: rho %.10g", file, r.Estimate)
		}
	}
	// A region missing from the data is named.
	sf.weights = sharedData(t, "usaww.csv")
	var r3, p3 []string
	var y3 []float64
	var keep []int
	for i := range regions {
		if regions[i] != "OHIO" {
			r3, p3, y3 = append(r3, regions[i]), append(p3, periods[i]), append(y3, y[i])
			keep = append(keep, i)
		}
	}
	x3 := mat.NewDense(len(keep), 4, nil)
	for k, i := range keep {
		x3.SetRow(k, x.RawRowView(i))
	}
	if _, err := fitSpatialData(sf, "sar", r3, p3, y3, x3, names); err == nil || !strings.Contains(err.Error(), "OHIO") {
		t.Errorf("want an error naming OHIO, got %v", err)
	}
	// Effects without a time column are a usage error.
	sf.effects = "twoways"
	if _, err := fitSpatialData(sf, "sar", regions, nil, y, x, names); err == nil {
		t.Error("effects without --time accepted")
	}
}

// TestFitSpatialDesign runs the formula path on Produc: SAR with two-way
// effects, uncorrected (--lee-yu=false), ρ against splm 1.6-5 (0.196664167839944,
// ../shared/oracle/splm_produc.json); the intercept is dropped with a
// message; Columbus as a cross-section (no time column) against
// spatialreg's lagsarlm ρ = 0.403889687619813 (columbus.json).
func TestFitSpatialDesign(t *testing.T) {
	needShared(t)
	p, err := regress.ReadPanelCSV(sharedData(t, "produc.csv"), "state", "year", regress.PanelOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := p.Design("log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp")
	if err != nil {
		t.Fatal(err)
	}
	sf := &spatialFlags{weights: sharedData(t, "usaww.csv"), style: "W", effects: "twoways", draws: 100, seed: 1, logdet: "auto", leeYu: "false"}
	res, err := fitSpatialDesign(sf, "sar", d)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range res.Coefficients {
		if c.Name == "(Intercept)" {
			t.Error("intercept kept under two-way effects")
		}
	}
	if rho := coefNamed(t, res.Coefficients, "rho").Estimate; !scalar.EqualWithinRel(rho, 0.196664167839944, 1e-6) {
		t.Errorf("rho = %.10g", rho)
	}
	// A cross-section (no time column) through the long-data path.
	f, err := os.Open(sharedData(t, "columbus.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	var y []float64
	x := mat.NewDense(len(rows)-1, 3, nil)
	if len(rows) != 50 || len(rows[0]) < 4 || rows[0][1] != "CRIME" || rows[0][2] != "INC" || rows[0][3] != "HOVAL" {
		t.Fatalf("columbus.csv: %d rows, header %v; want 49 regions and id,CRIME,INC,HOVAL first", len(rows)-1, rows[0])
	}
	for i, r := range rows[1:] {
		ids = append(ids, r[0])
		var v [3]float64
		for k := range v {
			var err error
			if v[k], err = strconv.ParseFloat(r[1+k], 64); err != nil {
				t.Fatalf("columbus.csv row %d, column %s: %v", i+2, rows[0][1+k], err)
			}
		}
		y = append(y, v[0])
		x.SetRow(i, []float64{1, v[1], v[2]})
	}
	sf = &spatialFlags{weights: sharedData(t, "columbus.gal"), style: "W", draws: 100, seed: 1, logdet: "auto"}
	res, err = fitSpatialData(sf, "sar", ids, nil, y, x, []string{"(Intercept)", "INC", "HOVAL"})
	if err != nil {
		t.Fatal(err)
	}
	if rho := coefNamed(t, res.Coefficients, "rho").Estimate; !scalar.EqualWithinRel(rho, 0.403889687619813, 1e-6) {
		t.Errorf("Columbus rho = %.10g", rho)
	}
}

// coefNamed returns the coefficient called name, failing the test when the
// result has none.
func coefNamed(t *testing.T, cs []regress.Coefficient, name string) regress.Coefficient {
	t.Helper()
	for _, c := range cs {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no coefficient %q among %d", name, len(cs))
	return regress.Coefficient{}
}

// TestFitSpatialCLI runs `agglo fit --model sar|sdm|sem` end to end once the
// fit command is registered (it lives in fit.go): JSON with rho, lambda,
// W*<term> coefficients and the impacts, the style recorded, and the
// errors for weights that do not match the data.
func TestFitSpatialCLI(t *testing.T) {
	needShared(t)
	base := []string{"fit", "--data", sharedData(t, "produc.csv"), "--id", "state", "--time", "year",
		"--formula", "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp", "--weights", sharedData(t, "usaww.csv"), "--format", "json"}
	type out struct {
		Coefficients []regress.Coefficient `json:"coefficients"`
		Impacts      *regress.Impacts      `json:"impacts"`
		Options      map[string]any        `json:"options"`
	}
	for _, tc := range []struct {
		model, effects string
		leeYu          string // --lee-yu; "" the default
		// splm 1.6-5: ../shared/oracle/splm_produc.json (LeeYu = FALSE),
		// ../../regress/testdata/splm_within_more_produc.json (sarly_*)
		want    map[string]float64
		impacts bool
		names   []string
	}{
		{"sar", "twoways", "false", map[string]float64{"rho": 0.196664167839944, "log(pcap)": -0.0348621106304122}, true, nil},
		{"sar", "twoways", "splm", map[string]float64{"rho": 0.196646098905453, "log(pcap)": -0.0348614186038348}, true, nil},
		{"sar", "individual", "", map[string]float64{"rho": 0.27468871177086, "log(pcap)": -0.0465818935125583}, true, nil},
		{"sar", "twoways", "", nil, true, nil},
		{"sem", "individual", "false", map[string]float64{"lambda": 0.557401321520724, "unemp": -0.00223166515961224}, false, nil},
		{"sdm", "individual", "", nil, true, []string{"W*log(pcap)", "W*unemp", "rho"}},
	} {
		t.Run(fmt.Sprintf("%s/%s/leeyu=%s", tc.model, tc.effects, tc.leeYu), func(t *testing.T) {
			args := append(base, "--model", tc.model, "--effects", tc.effects, "--impacts-draws", "200")
			if tc.leeYu != "" {
				args = append(args, "--lee-yu="+tc.leeYu)
			}
			code, stdout, stderr := runCLI(t, args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var o out
			if err := json.Unmarshal([]byte(stdout), &o); err != nil {
				t.Fatalf("%v\n%s", err, stdout)
			}
			got := map[string]float64{}
			for _, c := range o.Coefficients {
				got[c.Name] = c.Estimate
			}
			for name, v := range tc.want {
				if _, ok := got[name]; !ok {
					t.Errorf("no coefficient %s in %v", name, got)
					continue
				}
				if !scalar.EqualWithinRel(got[name], v, 1e-6) {
					t.Errorf("%s = %.10g, want %.10g", name, got[name], v)
				}
			}
			for _, name := range tc.names {
				if _, ok := got[name]; !ok {
					t.Errorf("no coefficient %s in %v", name, got)
				}
			}
			if tc.impacts != (o.Impacts != nil) || (o.Impacts != nil && (o.Impacts.Draws != 200 || len(o.Impacts.Direct) != 4)) {
				t.Errorf("impacts %+v", o.Impacts)
			}
			if o.Options["style"] != "W" {
				t.Errorf("style %v", o.Options["style"])
			}
			if o.Options["lee_yu"] != (tc.leeYu != "false") {
				t.Errorf("lee_yu %v with --lee-yu=%s", o.Options["lee_yu"], tc.leeYu)
			}
			est, _ := o.Options["estimator"].(string)
			if want := map[string]string{"": "Lee–Yu corrected", "false": "uncorrected ML", "splm": "splm 1.6-5"}[tc.leeYu]; !strings.Contains(est, want) {
				t.Errorf("estimator %q, want %q", est, want)
			}
		})
	}
	// Weights with a region the data lack.
	code, _, stderr := runCLI(t, append(base[:len(base)-4], "--weights", sharedData(t, "columbus.gal"), "--model", "sar")...)
	if code != 1 || !strings.Contains(stderr, "not in the weights") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestFitRandomHausman runs agglo fit with random effects and --hausman
// on Produc with usaww and compares with splm 1.6-5
// (regress/testdata/splm_random_produc.json): the SAR's φ and ρ to 1e-5
// relative and sphtest's statistic to 1e-4, from either side (fixed or
// random effects first).
func TestFitRandomHausman(t *testing.T) {
	data := producPath(t)
	raw, err := os.ReadFile(filepath.Join("..", "..", "regress", "testdata", "splm_random_produc.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		SAR struct {
			Arcoef  struct{ Estimate float64 }
			Errcomp struct{ Estimate []float64 }
		} `json:"sar_random"`
		H struct{ Statistic [][]float64 } `json:"sphtest_lag"`
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	for _, eff := range []string{"random", "individual"} {
		code, stdout, stderr := runCLI(t, "fit", "--data", data, "--id", "state", "--time", "year", "--formula", producF,
			"--model", "sar", "--effects", eff, "--weights", sharedData(t, "usaww.csv"), "--weights-format", "matrix",
			"--hausman", "--re-vcov", "splm", "--lee-yu=false", "--impacts-draws", "0", "--format", "json")
		if code != 0 {
			t.Fatalf("%s: code %d: %s", eff, code, stderr)
		}
		var r struct {
			Coefficients []struct {
				Name     string
				Estimate float64
			}
			Tests map[string]struct{ Statistic float64 }
		}
		if err := json.Unmarshal([]byte(stdout), &r); err != nil {
			t.Fatal(err)
		}
		h := r.Tests["spatial_hausman"].Statistic
		if math.Abs(h/ref.H.Statistic[0][0]-1) > 1e-4 {
			t.Errorf("%s: sphtest %.8g, splm %.8g", eff, h, ref.H.Statistic[0][0])
		}
		if eff != "random" {
			continue
		}
		est := map[string]float64{}
		for _, c := range r.Coefficients {
			est[c.Name] = c.Estimate
		}
		if math.Abs(est["rho"]/ref.SAR.Arcoef.Estimate-1) > 1e-5 || math.Abs(est["phi"]/ref.SAR.Errcomp.Estimate[0]-1) > 1e-5 {
			t.Errorf("rho %.10g phi %.10g; splm %.10g %.10g", est["rho"], est["phi"], ref.SAR.Arcoef.Estimate, ref.SAR.Errcomp.Estimate[0])
		}
	}
	if code, _, stderr := runCLI(t, "fit", "--data", data, "--id", "state", "--time", "year", "--formula", producF,
		"--model", "sar", "--effects", "twoways", "--weights", sharedData(t, "usaww.csv"), "--hausman"); code != 2 || !strings.Contains(stderr, "--hausman") {
		t.Errorf("--hausman with two-way effects: code %d, %s", code, stderr)
	}
}

// fitSpatialData fits a spatial model to long-format data (a test helper
// beside the CLI's formula path, fitSpatialDesign): regions[r] and
// periods[r] (nil without --time: one cross-section) identify row r. The
// weights' IDs are matched to the regions; an error names any region in
// one but not the other, and a missing region–period pair of an unbalanced
// panel.
func fitSpatialData(sf *spatialFlags, model string, regions, periods []string, y []float64, x *mat.Dense, names []string) (*regress.Result, error) {
	if periods == nil && sf.effectsOrNone() != "none" {
		return nil, usagef("--effects %s needs a panel: give --time", sf.effects)
	}
	w, w2, err := sf.spatialWeights(model)
	if err != nil {
		return nil, err
	}
	p, err := regress.NewSpatialPanel(regions, periods, y, x, names, w)
	if err != nil {
		return nil, fmt.Errorf("matching data to weights %s: %w", sf.weights, err)
	}
	return sf.fit(model, &p, w, w2, nil)
}

// galWithIslands writes columbus.gal with every link of the regions
// islands removed (each listed with 0 neighbours) and returns its path.
func galWithIslands(t *testing.T, islands ...string) string {
	t.Helper()
	b, err := os.ReadFile(sharedData(t, "columbus.gal"))
	if err != nil {
		t.Fatal(err)
	}
	isl := map[string]bool{}
	for _, id := range islands {
		isl[id] = true
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	var out strings.Builder
	out.WriteString(lines[0] + "\n")
	for k := 1; k+1 < len(lines); k += 2 {
		id := strings.Fields(lines[k])[0]
		var nbs []string
		if !isl[id] {
			for _, nb := range strings.Fields(lines[k+1]) {
				if !isl[nb] {
					nbs = append(nbs, nb)
				}
			}
		}
		fmt.Fprintf(&out, "%s %d\n%s\n", id, len(nbs), strings.Join(nbs, " "))
	}
	path := filepath.Join(t.TempDir(), "columbus_islands.gal")
	if err := os.WriteFile(path, []byte(out.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestFitZeroPolicy: Columbus with regions 1 and 20 made islands. Without
// --zero-policy every spatial model is refused naming the islands and the
// flag; with it the fit succeeds, the note names the islands and the JSON
// records zero_policy.
func TestFitZeroPolicy(t *testing.T) {
	gal := galWithIslands(t, "1", "20")
	for _, model := range []string{"sar", "sem", "sdm", "sdem", "slx", "sac"} {
		args := []string{"fit", "--data", sharedData(t, "columbus.csv"), "--id", "id",
			"--formula", "CRIME ~ INC + HOVAL", "--model", model, "--weights", gal, "--impacts-draws", "50", "--format", "json"}
		code, _, stderr := runCLI(t, args...)
		if code != 1 || !strings.Contains(stderr, "2 region(s) without neighbours (islands), e.g. 1, 20") || !strings.Contains(stderr, "--zero-policy allows them") {
			t.Errorf("%s without --zero-policy: code %d, stderr %s", model, code, stderr)
		}
		code, stdout, stderr := runCLI(t, append(args, "--zero-policy")...)
		if code != 0 {
			t.Errorf("%s --zero-policy: code %d: %s", model, code, stderr)
			continue
		}
		var r struct {
			Messages []string       `json:"messages"`
			Options  map[string]any `json:"options"`
			Impacts  *struct {
				Total []struct{ Name string } `json:"total"`
			} `json:"impacts"`
		}
		if err := json.Unmarshal([]byte(stdout), &r); err != nil {
			t.Fatal(err)
		}
		if r.Options["zero_policy"] != true || !strings.Contains(strings.Join(r.Messages, "\n"), "(islands): 1, 20") {
			t.Errorf("%s: options %v messages %q", model, r.Options, r.Messages)
		}
		if model != "sem" && (r.Impacts == nil || len(r.Impacts.Total) != 2) {
			t.Errorf("%s: impacts %+v", model, r.Impacts)
		}
	}
}

// TestFitLeeYuOutputs checks that every format of agglo fit states the
// estimator of a fixed-effects spatial model, that an uncorrected fit of
// Produc (T = 17 < 20) carries its bias factor 16/17, and that a bad
// --lee-yu value is a usage error naming the flag.
func TestFitLeeYuOutputs(t *testing.T) {
	needShared(t)
	base := []string{"fit", "--data", sharedData(t, "produc.csv"), "--id", "state", "--time", "year",
		"--formula", "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp", "--weights", sharedData(t, "usaww.csv"),
		"--model", "sar", "--effects", "individual", "--impacts-draws", "0"}
	for _, ly := range []string{"", "false"} {
		for _, format := range []string{"text", "json", "markdown", "latex"} {
			args := append(append([]string(nil), base...), "--format", format)
			if ly != "" {
				args = append(args, "--lee-yu="+ly)
			}
			code, stdout, stderr := runCLI(t, args...)
			if code != 0 {
				t.Fatalf("%s, --lee-yu=%s: exit %d: %s", format, ly, code, stderr)
			}
			want := "Lee–Yu corrected ML"
			if ly == "false" {
				want = "uncorrected ML, as splm's default"
			}
			if format == "latex" {
				want = strings.ReplaceAll(want, "–", "--") // texEscape's en dash
			}
			if !strings.Contains(stdout, want) {
				t.Errorf("%s, --lee-yu=%s: no %q in\n%s", format, ly, want, stdout)
			}
			noted := strings.Contains(stdout, "biased down by the factor 0.9412")
			if (format == "text" || format == "json") && noted != (ly == "false") {
				t.Errorf("%s, --lee-yu=%s: bias note %v\n%s", format, ly, noted, stdout)
			}
		}
	}
	if code, _, stderr := runCLI(t, append(base, "--lee-yu=maybe")...); code != 2 || !strings.Contains(stderr, "lee-yu") {
		t.Errorf("--lee-yu=maybe: exit %d, %s", code, stderr)
	}
}

// TestFitSpatialLetsPanelGo checks that agglo fit hands the spatial panel
// over to a SAR fit with fixed effects: the fit transforms the panel's
// columns in place (no copy of them: at 10⁶ regions and T = 10 each copy
// of the data is 305 MB of a fit's peak memory), and nothing refers to
// the panel itself once the fit has them.
func TestFitSpatialLetsPanelGo(t *testing.T) {
	needShared(t)
	var sp weak.Pointer[regress.SpatialPanel]
	var col, before []float64
	var seen, alive bool
	env := &cliEnv{stdout: io.Discard, stderr: io.Discard,
		onPanel: func(p *regress.SpatialPanel) {
			sp = weak.Make(p)
			col, before = p.Cols[0], slices.Clone(p.Cols[0])
		},
		phase: func(name string) {
			if name != "optimise" {
				return
			}
			runtime.GC()
			runtime.GC()
			seen, alive = true, sp.Value() != nil
		}}
	err := execute(env, []string{"fit", "--data", sharedData(t, "produc.csv"), "--id", "state", "--time", "year",
		"--formula", "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp", "--model", "sar", "--effects", "individual",
		"--weights", sharedData(t, "usaww.csv"), "--format", "json"})
	if err != nil {
		t.Fatal(err)
	}
	if !seen || alive {
		t.Errorf("the panel still referred to after the optimisation (phase seen: %v)", seen)
	}
	if slices.Equal(col, before) {
		t.Error("the panel's first column is as it was: the fit copied it instead of transforming it in place")
	}
}
