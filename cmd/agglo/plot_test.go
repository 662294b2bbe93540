package main

import (
	"bytes"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agglo/agglo/regress"
)

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPlotMap(t *testing.T) {
	needShared(t)
	dir := t.TempDir()
	geo := sharedData(t, "us_states.geojson")
	data := sharedData(t, "produc.csv")
	out := filepath.Join(dir, "map.png")
	code, stdout, stderr := runCLI(t, "plot", "map", "--geojson", geo, "--geo-id", "id", "--data", data, "--id", "state",
		"--var", "unemp", "--where", "year=1986", "--classes", "4", "--scheme", "jenks", "--palette", "viridis",
		"--title", "Unemployment", "--width", "12cm", "--height", "8cm", "--dpi", "100", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, out) {
		t.Errorf("stdout %q does not say where the figure went", stdout)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	// 12 cm at 100 DPI.
	if w := img.Bounds().Dx(); w != 472 {
		t.Errorf("width %d px, want 472", w)
	}
	for _, ext := range []string{"svg", "pdf"} {
		o := filepath.Join(dir, "map."+ext)
		if code, _, stderr := runCLI(t, "plot", "map", "--geojson", geo, "--data", data, "--id", "state", "--var", "unemp", "--facet", "year", "--out", o); code != 0 {
			t.Fatalf("%s: exit %d: %s", ext, code, stderr)
		}
	}
	pdf, _ := os.ReadFile(filepath.Join(dir, "map.pdf"))
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.Contains(pdf, []byte("/FontFile2")) {
		t.Error("PDF without header or embedded fonts")
	}
}

func TestPlotMapErrors(t *testing.T) {
	needShared(t)
	dir := t.TempDir()
	geo := sharedData(t, "us_states.geojson")
	data := writeFile(t, dir, "d.csv", "state,v\nOHIO,1\nATLANTIS,2\nTEXAS,3\n")
	bad := writeFile(t, dir, "bad.csv", "state,v\nOHIO,1\nTEXAS,lots\n")
	// A data file whose name looks like a figure: the output must not
	// replace it.
	dataSVG := writeFile(t, dir, "data.svg", "state,v\nOHIO,1\nTEXAS,3\n")
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"orphan row", []string{"--data", data, "--var", "v", "--out", filepath.Join(dir, "o.png")}, 1, `"ATLANTIS"`},
		{"not a number", []string{"--data", bad, "--var", "v", "--out", filepath.Join(dir, "o.png")}, 1, `bad.csv:3: column "v": "lots"`},
		{"no column", []string{"--data", data, "--var", "w", "--out", filepath.Join(dir, "o.png")}, 1, `no column "w"`},
		{"over input", []string{"--data", dataSVG, "--var", "v", "--out", dataSVG}, 2, "refusing"},
		{"format", []string{"--data", data, "--var", "v", "--out", filepath.Join(dir, "o.jpg")}, 2, ".jpg"},
		{"scheme", []string{"--data", data, "--var", "v", "--scheme", "median", "--out", filepath.Join(dir, "o.png")}, 2, "median"},
		{"palette", []string{"--data", data, "--var", "v", "--palette", "Rainbow", "--out", filepath.Join(dir, "o.png")}, 2, "Rainbow"},
		{"no var", []string{"--data", data, "--out", filepath.Join(dir, "o.png")}, 2, "required"},
		{"no out", []string{"--data", data, "--var", "v"}, 2, "--out"},
		{"size", []string{"--data", data, "--var", "v", "--width", "wide", "--out", filepath.Join(dir, "o.png")}, 2, "--width"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"plot", "map", "--geojson", geo, "--id", "state"}, tc.args...)
			code, _, stderr := runCLI(t, args...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, tc.code, tc.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "o.png")); err == nil {
		t.Error("a failed command left an output file")
	}
	if b, _ := os.ReadFile(dataSVG); !strings.HasPrefix(string(b), "state,v") {
		t.Error("input overwritten")
	}
}

func TestPlotLISAAndMoran(t *testing.T) {
	needShared(t)
	dir := t.TempDir()
	geo := sharedData(t, "us_states.geojson")
	// The per-region output contract of 'agglo moran --local --format csv'.
	local := writeFile(t, dir, "local.csv", "id,Ii,E_Ii,Var_Ii,Z_Ii,p,quadrant,cluster\n"+
		"TEXAS,1,0,1,3,0.002,High-High,High-High\nOHIO,0.1,0,1,0.5,0.6,Low-High,not significant\nMAINE,1,0,1,2.5,0.01,Low-Low,Low-Low\n")
	for _, kind := range []string{"cluster", "significance"} {
		out := filepath.Join(dir, kind+".png")
		if code, _, stderr := runCLI(t, "plot", "lisa", "--geojson", geo, "--local", local, "--kind", kind, "--out", out); code != 0 {
			t.Fatalf("%s: exit %d: %s", kind, code, stderr)
		}
	}
	js := writeFile(t, dir, "local.json", `{"local":[{"id":"TEXAS","p":0.002,"cluster":"High-High"},{"id":"OHIO","p":0.5,"cluster":"Middle"}]}`)
	if code, _, stderr := runCLI(t, "plot", "lisa", "--geojson", geo, "--local", js, "--out", filepath.Join(dir, "x.png")); code != 1 || !strings.Contains(stderr, `"Middle"`) {
		t.Errorf("unknown cluster label: exit %d %q", code, stderr)
	}
	data := sharedData(t, "produc.csv")
	w := sharedData(t, "usaww_edges.csv")
	if code, _, stderr := runCLI(t, "plot", "lisa", "--geojson", geo, "--data", data, "--id", "state", "--var", "unemp",
		"--where", "year=1986", "--weights", w, "--permutations", "99", "--seed", "3", "--out", filepath.Join(dir, "l.svg")); code != 0 {
		t.Fatalf("lisa from data: exit %d: %s", code, stderr)
	}
	out := filepath.Join(dir, "moran.svg")
	if code, _, stderr := runCLI(t, "plot", "moran", "--data", data, "--id", "state", "--var", "unemp",
		"--where", "year=1986", "--weights", w, "--out", out); code != 0 {
		t.Fatalf("moran: exit %d: %s", code, stderr)
	}
	raw := filepath.Join(dir, "moran_raw.svg")
	if code, _, stderr := runCLI(t, "plot", "moran", "--raw", "--data", data, "--id", "state", "--var", "unemp",
		"--where", "year=1986", "--weights", w, "--out", raw); code != 0 {
		t.Fatalf("moran --raw: exit %d: %s", code, stderr)
	}
	// The slope is Moran's I for z and for the raw values alike.
	for _, f := range []string{out, raw} {
		svg, _ := os.ReadFile(f)
		if !strings.Contains(string(svg), "Moran&#39;s I = 0.4752") {
			t.Errorf("%s does not show I = 0.4752 (unemp 1986, usaww)", f)
		}
	}
}

func TestPlotCharts(t *testing.T) {
	dir := t.TempDir()
	series := writeFile(t, dir, "s.csv", "year,manufacturing,services,share\n2013,70,75,18\n2014,56,70,29\n2015,62,88,34\n")
	long := writeFile(t, dir, "l.csv", "region,year,value\nR1,2013,1.2\nR1,2014,1.3\nR2,2013,0.8\nR2,2014,0.7\nR3,2013,1\nR3,2014,1\n")
	egk := writeFile(t, dir, "egk.csv", "sector_i,sector_j,year,value\nA,B,2017,0.02\nA,C,2017,-0.01\nB,C,2017,0.05\nA,A,2017,0.1\nB,B,2017,0.08\nC,C,2017,0.09\nA,B,2016,0.5\n")
	r1 := regress.Result{Model: "fe", Coefficients: []regress.Coefficient{{Name: "x1", Estimate: 0.5, StdError: 0.1}, {Name: "x2", Estimate: -0.2, StdError: 0.05}}}
	r2 := regress.Result{Model: "sar", Coefficients: []regress.Coefficient{{Name: "rho", Estimate: 0.3, StdError: 0.02}, {Name: "x1", Estimate: 0.4, StdError: 0.1}},
		Impacts:    &regress.Impacts{Direct: []regress.Effect{{Name: "x1", Estimate: 0.41, StdError: 0.1}}, Indirect: []regress.Effect{{Name: "x1", Estimate: 0.15, StdError: 0.05}}, Total: []regress.Effect{{Name: "x1", Estimate: 0.56, StdError: 0.12}}},
		ResponseSD: 2, TermSD: map[string]float64{"x1": 3}}
	j1, _ := json.Marshal(r1)
	j2, _ := json.Marshal(r2)
	f1 := writeFile(t, dir, "fe.json", string(j1))
	f2 := writeFile(t, dir, "sar.json", string(j2))
	names := writeFile(t, dir, "names.csv", "name,label\nA,Food\nB,Textiles\nC,Finance\n")
	partial := writeFile(t, dir, "partial.csv", "A,Food\n")
	groups := writeFile(t, dir, "groups.csv", "sector,group,name\nA,manufacturing,Food\nB,manufacturing,Textiles\nC,services,Finance\n")
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"heatmap named", []string{"heatmap", "--data", egk, "--where", "year=2017", "--labels", names}},
		{"heatmap named by the groups file", []string{"heatmap", "--data", egk, "--where", "year=2017", "--labels", groups}},
		{"series wide", []string{"series", "--data", series, "--x", "year", "--bars", "manufacturing,services", "--share", "share"}},
		{"series long", []string{"series", "--data", long, "--x", "year", "--group", "region", "--groups", "R1,R2"}},
		{"coef", []string{"coef", "--results", f1 + "," + f2, "--names", "FE,SAR"}},
		{"effects", []string{"effects", "--result", f2}},
		{"effects standardized", []string{"effects", "--result", f2, "--standardize"}},
		{"coef standardized", []string{"coef", "--results", f2, "--standardize"}},
		{"heatmap", []string{"heatmap", "--data", egk, "--where", "year=2017"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".pdf")
			code, _, stderr := runCLI(t, append(append([]string{"plot"}, tc.args...), "--out", out)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			pdf, _ := os.ReadFile(out)
			if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
				t.Error("not a PDF")
			}
		})
	}
	// The groups file names the sectors as the name,label file does.
	a, _ := os.ReadFile(filepath.Join(dir, "heatmap_named.pdf"))
	b, _ := os.ReadFile(filepath.Join(dir, "heatmap_named_by_the_groups_file.pdf"))
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Error("the heat map labelled by the groups file differs from the one labelled by name,label")
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"effects without impacts", []string{"effects", "--result", f1}, "no impacts"},
		{"heatmap duplicate years", []string{"heatmap", "--data", egk}, "two values"},
		{"heatmap two naming schemes", []string{"heatmap", "--data", egk, "--where", "year=2017", "--labels", partial}, `2 sector(s) without a label, which would mix two naming schemes: "B", "C"`},
		{"unknown term", []string{"coef", "--results", f1, "--terms", "x9"}, `"x9"`},
		{"standardize without SDs", []string{"coef", "--results", f2 + "," + f1, "--standardize"}, "fe.json: --standardize: the result records no standard deviations of the data (response_sd, term_sd): it was written by an older agglo; re-fit the model"},
		{"standardized rho", []string{"coef", "--results", f2, "--standardize", "--terms", "rho"}, "--standardize leaves out the intercept, ρ, λ and φ"},
		{"standardize effects without SDs", []string{"effects", "--result", f1, "--standardize"}, "no impacts"},
		{"long duplicate", []string{"series", "--data", long, "--x", "region", "--lines", "value"}, "appears twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, append(append([]string{"plot"}, tc.args...), "--out", filepath.Join(dir, "x.png"))...)
			if code != 1 || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit 1 and %q", code, stderr, tc.want)
			}
		})
	}
	if code, _, _ := runCLI(t, "plot", "pie"); code != 2 {
		t.Errorf("unknown kind: exit %d, want 2", code)
	}
}

// TestPlotMapLegendFromLabels: without --legend-title the legend takes the
// variable's label from --labels; the figure then differs from the one
// titled with the raw name, and equals the one given that title.
func TestPlotMapLegendFromLabels(t *testing.T) {
	dir := t.TempDir()
	geo, data := sharedData(t, "us_states.geojson"), sharedData(t, "produc.csv")
	labels := filepath.Join(dir, "labels.csv")
	os.WriteFile(labels, []byte("unemp,\"Unemployment rate, %\"\n"), 0o644)
	render := func(name string, extra ...string) []byte {
		out := filepath.Join(dir, name)
		args := append([]string{"plot", "map", "--geojson", geo, "--geo-id", "id", "--data", data, "--id", "state", "--var", "unemp",
			"--where", "year=1986", "--dpi", "60", "--out", out}, extra...)
		if code, _, stderr := runCLI(t, args...); code != 0 {
			t.Fatalf("%v: %s", extra, stderr)
		}
		b, _ := os.ReadFile(out)
		return b
	}
	raw := render("raw.png")
	labelled := render("labelled.png", "--labels", labels)
	titled := render("titled.png", "--legend-title", "Unemployment rate, %")
	if bytes.Equal(raw, labelled) || !bytes.Equal(labelled, titled) {
		t.Error("--labels does not give the legend its title")
	}
}
