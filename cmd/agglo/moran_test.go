package main

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

// moranJSON is the JSON contract of 'agglo moran'.
type moranJSON struct {
	Moran    map[string]any   `json:"moran"`
	Geary    map[string]any   `json:"geary"`
	GetisOrd map[string]any   `json:"getis_ord"`
	Local    []map[string]any `json:"local"`
	Islands  []string         `json:"islands"`
}

func TestMoranColumbusJSON(t *testing.T) {
	data, gal := sharedData(t, "columbus.csv"), sharedData(t, "columbus.gal")
	code, stdout, stderr := runCLI(t, "moran", "--data", data, "--id", "id", "--var", "CRIME", "--weights", gal,
		"--local", "--permutations", "99", "--seed", "5", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var o moranJSON
	if err := json.Unmarshal([]byte(stdout), &o); err != nil {
		t.Fatal(err)
	}
	// spdep 1.2-7 moran.test / geary.test (style W), globalG.test (style B),
	// ../shared/oracle/columbus.json.
	for _, c := range []struct {
		obj  map[string]any
		key  string
		want float64
	}{
		{o.Moran, "I", 0.485770913661773},
		{o.Moran, "variance_randomisation", 0.00899112132177907},
		{o.Moran, "z_normality", 5.38181026395963},
		{o.Moran, "p_randomisation", 4.57826774130196e-08},
		{o.Geary, "C", 0.547803377167251},
		{o.Geary, "z_randomisation", 4.56691863354265},
		{o.GetisOrd, "G", 0.122724245379256},
		{o.GetisOrd, "z_randomisation", 4.28645511071486},
	} {
		got, ok := c.obj[c.key].(float64)
		if !ok || !scalar.EqualWithinAbsOrRel(got, c.want, 0, 1e-8) {
			t.Errorf("%s = %v, want %v", c.key, c.obj[c.key], c.want)
		}
	}
	for _, obj := range []map[string]any{o.Moran, o.Geary, o.GetisOrd} {
		for _, k := range []string{"expectation", "variance_normality", "variance_randomisation", "z_normality",
			"z_randomisation", "p_normality", "p_randomisation", "p_permutation", "seed", "permutations"} {
			if _, ok := obj[k]; !ok {
				t.Errorf("member %q missing in %v", k, obj)
			}
		}
		if obj["seed"] != 5.0 || obj["permutations"] != 99.0 {
			t.Errorf("seed/permutations %v %v", obj["seed"], obj["permutations"])
		}
	}
	if len(o.Local) != 49 {
		t.Fatalf("%d local rows", len(o.Local))
	}
	// spdep localmoran, region 1 (the first row of the oracle).
	r := o.Local[0]
	if r["id"] != "1" || !scalar.EqualWithinAbsOrRel(r["Var_Ii"].(float64), 0.666144890762596, 0, 1e-8) {
		t.Errorf("first local row %v", r)
	}
	for _, k := range []string{"id", "Ii", "E_Ii", "Var_Ii", "Z_Ii", "p", "quadrant", "cluster", "p_permutation"} {
		if _, ok := r[k]; !ok {
			t.Errorf("local member %q missing", k)
		}
	}
	// The same seed gives the same output.
	_, again, _ := runCLI(t, "moran", "--data", data, "--id", "id", "--var", "CRIME", "--weights", gal,
		"--local", "--permutations", "99", "--seed", "5", "--format", "json")
	if again != stdout {
		t.Error("same seed, different output")
	}
}

func TestMoranFormats(t *testing.T) {
	data, gal := sharedData(t, "columbus.csv"), sharedData(t, "columbus.gal")
	code, stdout, stderr := runCLI(t, "moran", "--data", data, "--id", "id", "--var", "CRIME", "--weights", gal, "--format", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	recs, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	if err != nil || len(recs) != 4 || recs[1][0] != "moran" || recs[0][1] != "statistic" {
		t.Fatalf("csv %q %v", stdout, err)
	}
	code, stdout, _ = runCLI(t, "moran", "--data", data, "--id", "id", "--var", "CRIME", "--weights", gal, "--format", "csv", "--local")
	recs, err = csv.NewReader(strings.NewReader(stdout)).ReadAll()
	if code != 0 || err != nil || len(recs) != 50 || strings.Join(recs[0], ",") != "id,Ii,E_Ii,Var_Ii,Z_Ii,p,quadrant,cluster,z,lag_z" {
		t.Fatalf("local csv: %d %v %q", code, err, recs[0])
	}
	code, stdout, _ = runCLI(t, "moran", "--data", data, "--id", "id", "--var", "CRIME", "--weights", gal, "--local")
	if code != 0 || !strings.Contains(stdout, "Moran's I") || !strings.Contains(stdout, "0.485771") || !strings.Contains(stdout, "High-High") {
		t.Errorf("text output: %s", stdout)
	}
}

func writeMoranFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestMoranErrors(t *testing.T) {
	dir := t.TempDir()
	// A 2×3 rook lattice a b c / d e f and one detached region g.
	gal := writeMoranFile(t, dir, "w.gal", "0 7\na 2\nb d\nb 3\na c e\nc 2\nb f\nd 2\na e\ne 3\nb d f\nf 2\nc e\ng 0\n\n")
	good := "id,v\na,1\nb,2\nc,4\nd,3\ne,5\nf,9\ng,2\n"
	cases := []struct {
		name, data string
		args       []string
		code       int
		want       string
	}{
		{"island without zero policy", good, nil, 1, `["g"]; --zero-policy allows them`},
		{"non-numeric value", strings.Replace(good, "c,4", "c,four", 1), []string{"--zero-policy"}, 1, `:4: column "v", region "c": "four" is not a number`},
		{"missing value", strings.Replace(good, "c,4", "c,", 1), []string{"--zero-policy"}, 1, `:4: column "v", region "c": the value is missing`},
		{"region not in weights", good + "zz,3\n", []string{"--zero-policy"}, 1, `not in the weights`},
		{"region without row", strings.Replace(good, "f,9\n", "", 1), []string{"--zero-policy"}, 1, `"f"`},
		{"duplicate row", good + "a,3\n", []string{"--zero-policy"}, 1, `region "a" appears again (first on line 2): one row per region is needed; in a panel choose one period with --where`},
		{"no such column", good, []string{"--zero-policy", "--var", "w"}, 1, `no column "w"`},
		{"bad format", good, []string{"--format", "xml"}, 2, "--format"},
		{"bad alpha", good, []string{"--alpha", "2"}, 2, "--alpha"},
		{"bad weights format", good, []string{"--weights-format", "shp"}, 2, "--weights-format"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data := writeMoranFile(t, t.TempDir(), "d.csv", tc.data)
			args := append([]string{"moran", "--data", data, "--id", "id", "--var", "v", "--weights", gal}, tc.args...)
			code, _, stderr := runCLI(t, args...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit %d with %q", code, stderr, tc.code, tc.want)
			}
		})
	}
	if code, _, stderr := runCLI(t, "moran", "--data", "x.csv"); code != 2 || !strings.Contains(stderr, "--id") {
		t.Errorf("missing flags: %d %q", code, stderr)
	}

	// With the zero policy the island is reported, n is 6 (spdep's
	// adjust.n) and its local z and p are null.
	data := writeMoranFile(t, dir, "d.csv", good)
	code, stdout, stderr := runCLI(t, "moran", "--data", data, "--id", "id", "--var", "v", "--weights", gal,
		"--zero-policy", "--local", "--format", "json")
	if code != 0 {
		t.Fatalf("zero policy: exit %d %s", code, stderr)
	}
	var o moranJSON
	if err := json.Unmarshal([]byte(stdout), &o); err != nil {
		t.Fatal(err)
	}
	if len(o.Islands) != 1 || o.Islands[0] != "g" || o.Moran["n"] != 6.0 {
		t.Errorf("islands %v n %v", o.Islands, o.Moran["n"])
	}
	if e := o.Moran["expectation"].(float64); math.Abs(e+0.2) > 1e-15 {
		t.Errorf("E[I] = %v, want -1/(6-1)", e)
	}
	last := o.Local[len(o.Local)-1]
	if last["id"] != "g" || last["Z_Ii"] != nil || last["p"] != nil || last["cluster"] != "not significant" {
		t.Errorf("island row %v", last)
	}

	// Getis–Ord G needs non-negative values: reported, the other tests run.
	neg := writeMoranFile(t, dir, "neg.csv", strings.Replace(good, "a,1", "a,-1", 1))
	code, stdout, stderr = runCLI(t, "moran", "--data", neg, "--id", "id", "--var", "v", "--weights", gal, "--zero-policy", "--format", "json")
	if code != 0 || !strings.Contains(stderr, "non-negative") || !strings.Contains(stdout, `"getis_ord": null`) {
		t.Errorf("negative values: exit %d stderr %q", code, stderr)
	}
}

// TestMoranWeightsFormats runs the same test with usaww as an edge list,
// as a dense matrix and as a GWT (with the data keyed by state index): the
// results must agree to rounding, whatever the file format.
func TestMoranWeightsFormats(t *testing.T) {
	produc := sharedData(t, "produc.csv")
	edges, matrix, gwt := sharedData(t, "usaww_edges.csv"), sharedData(t, "usaww.csv"), sharedData(t, "usaww.gwt")
	idx := sharedData(t, "usaww_ids.csv")
	f, err := os.Open(produc)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	f, err = os.Open(idx)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	index := map[string]string{}
	for _, r := range ids[1:] {
		index[r[1]] = r[0]
	}
	var byName, byIndex strings.Builder
	byName.WriteString("state,unemp\n")
	byIndex.WriteString("i,unemp\n")
	for _, r := range recs[1:] {
		if r[1] == "1986" {
			byName.WriteString(r[0] + "," + r[10] + "\n")
			byIndex.WriteString(index[r[0]] + "," + r[10] + "\n")
		}
	}
	dir := t.TempDir()
	dName := writeMoranFile(t, dir, "name.csv", byName.String())
	dIndex := writeMoranFile(t, dir, "index.csv", byIndex.String())
	var got []float64
	for _, c := range []struct{ data, id, weights, format string }{
		{dName, "state", edges, "edges"}, {dName, "state", matrix, "matrix"}, {dIndex, "i", gwt, "gwt"},
	} {
		code, stdout, stderr := runCLI(t, "moran", "--data", c.data, "--id", c.id, "--var", "unemp",
			"--weights", c.weights, "--weights-format", c.format, "--format", "json")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", c.format, code, stderr)
		}
		var o moranJSON
		if err := json.Unmarshal([]byte(stdout), &o); err != nil {
			t.Fatal(err)
		}
		got = append(got, o.Moran["I"].(float64), o.Moran["variance_randomisation"].(float64))
	}
	for k := 2; k < len(got); k++ {
		if !scalar.EqualWithinAbsOrRel(got[k], got[k%2], 0, 1e-12) {
			t.Errorf("formats disagree: %v", got)
		}
	}
	// The plot tests show I = 0.4752 for unemp 1986 on usaww.
	if math.Abs(got[0]-0.4752) > 5e-5 {
		t.Errorf("I = %v", got[0])
	}
}

// TestMoranProgress: permutations show a status line on a terminal only,
// and it never reaches stdout.
func TestMoranProgress(t *testing.T) {
	data, gal := sharedData(t, "columbus.csv"), sharedData(t, "columbus.gal")
	args := []string{"moran", "--data", data, "--id", "id", "--var", "CRIME", "--weights", gal, "--permutations", "99", "--local", "--format", "csv"}
	var out, errb strings.Builder
	if code := run(&cliEnv{stdout: &out, stderr: &errb, isTerminal: true}, args); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(errb.String(), "Moran permutations: 99/99") || !strings.Contains(errb.String(), "local permutations") {
		t.Errorf("no progress on a terminal: %q", errb.String())
	}
	_, stdout, stderr := runCLI(t, args...)
	if stderr != "" || stdout != out.String() {
		t.Errorf("off a terminal: stderr %q; stdout differs: %v", stderr, stdout != out.String())
	}
}

func TestMoranWhereSelectsACrossSection(t *testing.T) {
	dir := t.TempDir()
	// Two years of a 4-region path a–b–c–d; only 2017 is tested.
	data := writeFile(t, dir, "panel.csv", "region,year,x\na,2016,9\nb,2016,0\nc,2016,9\nd,2016,0\na,2017,1\nb,2017,2\nc,2017,3\nd,2017,4\n")
	w := writeFile(t, dir, "w.gal", "4\na 1\nb\nb 2\na c\nc 2\nb d\nd 1\nc\n")
	code, out, stderr := runCLI(t, "moran", "--data", data, "--id", "region", "--var", "x", "--weights", w, "--where", "year=2017", "--format", "json")
	if code != 0 {
		t.Fatalf("code %d: %s", code, stderr)
	}
	// I of (1,2,3,4) on the row-standardised path: z = (−1.5,−.5,.5,1.5),
	// Wz = (−.5,−.5,.5,.5): I = n/S0 · Σ z Wz / Σ z² = 1 · 2/5 = 0.4.
	var res struct {
		Moran struct {
			I float64 `json:"I"`
		} `json:"moran"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || math.Abs(res.Moran.I-0.4) > 1e-15 {
		t.Errorf("I = %v for 2017 (%v):\n%s", res.Moran.I, err, out)
	}
	if code, _, stderr := runCLI(t, "moran", "--data", data, "--id", "region", "--var", "x", "--weights", w); code != 1 || !strings.Contains(stderr, "appears again") {
		t.Errorf("without --where: code %d %s", code, stderr)
	}
	if code, _, _ := runCLI(t, "moran", "--data", data, "--id", "region", "--var", "x", "--weights", w, "--where", "year"); code != 2 {
		t.Errorf("--where without = : code %d, want 2", code)
	}
}
