package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agglo/agglo/internal/testout"
)

// TestFitTablesProducSDM writes the SDM with two-way effects on Produc
// (Munnell 1990; the model of splm's examples) in the three table formats:
// every format has the main, W·x, direct, indirect and total blocks with
// stars and standard errors, the markdown is byte-identical across runs and
// equal to its golden file, and the LaTeX compiles with pdflatex.
func TestFitTablesProducSDM(t *testing.T) {
	dir := t.TempDir()
	labels := filepath.Join(dir, "labels.csv")
	os.WriteFile(labels, []byte("name,label\nlog(pcap),Public capital (log)\nunemp,Unemployment (%)\n"), 0o644)
	base := []string{"fit", "--data", sharedData(t, "produc.csv"), "--id", "state", "--time", "year",
		"--formula", producF, "--weights", sharedData(t, "usaww.csv"), "--model", "sdm", "--effects", "twoways",
		"--impacts-draws", "200", "--name", "SDM two-way", "--labels", labels}
	tables := map[string]string{}
	for _, format := range []string{"markdown", "latex", "csv"} {
		code, stdout, stderr := runCLI(t, append(base, "--format", format)...)
		if code != 0 {
			t.Fatalf("%s: code %d: %s", format, code, stderr)
		}
		tables[format] = stdout
		for _, block := range []string{"Main", "W·x", "Direct", "Indirect", "Total"} {
			if format == "latex" {
				block = strings.ReplaceAll(block, "·", `$\cdot$`)
			}
			if !strings.Contains(stdout, block) {
				t.Errorf("%s table lacks the %s block:\n%s", format, block, stdout)
			}
		}
		for _, want := range []string{"SDM two-way", "Public capital (log)", "Unemployment (", "Observations", "816", "Regions (N)", "Fixed effects", "Region, period", "usaww.csv", "Log-likelihood", "AIC"} {
			if !strings.Contains(stdout, want) {
				t.Errorf("%s table lacks %q:\n%s", format, want, stdout)
			}
		}
		if strings.Contains(stdout, "(0.000)") || strings.Contains(stdout, "-0.000 ") {
			t.Errorf("%s table prints a number as zero:\n%s", format, stdout)
		}
	}
	_, again, _ := runCLI(t, append(base, "--format", "markdown")...)
	if again != tables["markdown"] {
		t.Error("two runs give different markdown tables")
	}
	testout.Golden(t, filepath.Join("testdata", "fit_sdm_twoways_produc.md"), []byte(tables["markdown"]))
	// Some 56 rows: two tables (estimates; effects), each within a page.
	testout.FitsPage(t, "fit --format latex (SDM two-way, Produc)", testout.Compile(t, "fit --format latex (SDM two-way, Produc)", tables["latex"]))
	// The console uses the same stars as the tables unless told otherwise.
	_, text, _ := runCLI(t, append(base, "--format", "text")...)
	if !strings.Contains(text, "*** p < 0.01, ** p < 0.05, * p < 0.1") {
		t.Errorf("summary does not state the economists' stars:\n%s", text)
	}
	_, text, _ = runCLI(t, append(base, "--format", "text", "--stars", "r")...)
	if !strings.Contains(text, "*** p < 0.001, ** p < 0.01, * p < 0.05, . p < 0.1") {
		t.Errorf("--stars r: summary:\n%s", text)
	}
}

// TestTableFlagErrors checks that bad --stars, --digits and --labels are
// errors that name the flag or the file.
func TestTableFlagErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "labels.csv")
	os.WriteFile(bad, []byte("a,b,c\n"), 0o644)
	data := filepath.Join(dir, "d.csv")
	os.WriteFile(data, []byte("id,y,x\na,1,2\nb,2,3\nc,4,4\n"), 0o644)
	base := []string{"fit", "--data", data, "--id", "id", "--formula", "y ~ x", "--format", "markdown"}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--stars", "0.1,0.05"}, 2, "--stars"},
		{[]string{"--digits", "0"}, 2, "--digits"},
		{[]string{"--labels", bad}, 1, "labels.csv: line 1"},
	} {
		code, _, stderr := runCLI(t, append(base, tc.args...)...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: code %d, stderr %q; want %d and %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
}

// TestBatchNamesAndLabels runs a spec of named models with labels: the
// names title the columns, caption and files; the labels replace the raw
// terms; --stars reaches the tables; the LaTeX compiles; and a merge of
// the folder gives the same table.
func TestBatchNamesAndLabels(t *testing.T) {
	dir := demoStudyDir(t)
	spec := filepath.Join(dir, "named.yaml")
	os.WriteFile(spec, []byte(specHeader+`labels:
  log_rd: R&D spending (log)
  va: Virtual agglomeration
models:
  list:
    - {name: SAR, formula: "log(patents) ~ va + log_rd", model: sar, effects: individual, weights: queen}
    - {name: SDM two-way, formula: "log(patents) ~ va + log_rd", model: sdm, effects: twoways, weights: queen}
    - {formula: "log(patents) ~ va + log_rd", model: fe, effects: individual}
`), 0o644)
	out := filepath.Join(dir, "out")
	code, _, stderr := runCLI(t, "batch", spec, "--out", out, "--jobs", "1", "--stars", "0.05,0.1")
	if code != 0 {
		t.Fatalf("code %d: %s", code, stderr)
	}
	for _, f := range []string{"SAR.json", "SDM two-way.json", "m003.json"} {
		if _, err := os.Stat(filepath.Join(out, "models", f)); err != nil {
			t.Errorf("models/%s: %v", f, err)
		}
	}
	files := readAll(t, out, "table.md", "table.tex", "table.csv")
	md := string(files["table.md"])
	for _, want := range []string{"**Models SAR, SDM two-way, m003**", "| SAR | SDM two-way | m003 |", "| R&D spending (log) |",
		"| Virtual agglomeration |", `\*\* p < 0.05, \* p < 0.1`, "| **W·x** |"} {
		if !strings.Contains(md, want) {
			t.Errorf("table.md lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, `\*\*\*`) {
		t.Errorf("--stars 0.05,0.1 printed three stars:\n%s", md)
	}
	testout.Compile(t, "batch table.tex", string(files["table.tex"]))
	merged := filepath.Join(dir, "merged")
	if code, _, stderr := runCLI(t, "batch", "merge", "--out", merged, "--stars", "0.05,0.1", out); code != 0 {
		t.Fatalf("merge: code %d: %s", code, stderr)
	}
	if got := readAll(t, merged, "table.md")["table.md"]; string(got) != md {
		t.Errorf("merged table differs from the run's:\n%s\nvs\n%s", got, md)
	}
	// A merge does not write into an existing folder (the README's old
	// sequence: batch --out results, then merge --out results) unless
	// --force.
	if code, _, stderr := runCLI(t, "batch", "merge", "--out", merged, out); code != 1 || !strings.Contains(stderr, "exists (use --force") {
		t.Errorf("merge into an existing folder: code %d %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, "batch", "merge", "--out", merged, "--force", out); code != 0 {
		t.Errorf("merge --force: code %d %s", code, stderr)
	}
}

// TestBatchSpecModelNames checks the errors of names and ids in a spec.
func TestBatchSpecModelNames(t *testing.T) {
	for _, tc := range []struct{ list, want string }{
		{`{id: SAR, formula: "y ~ x", model: ols}`, "agglo numbers the models itself"},
		{`{name: a/b, formula: "y ~ x", model: ols}`, "a name is a file name"},
		{`{name: m002, formula: "y ~ x", model: ols}`, "looks like a model number"},
		{`{name: A, formula: "y ~ x", model: ols}, {name: A, formula: "y ~ z", model: ols}`, `duplicate name "A"`},
	} {
		p := writeSpec(t, "data: d.csv\nid: r\nmodels:\n  list: ["+tc.list+"]\n")
		if _, _, err := loadBatchSpec(p); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.list, err, tc.want)
		}
	}
}

// TestFitLaTeXCompilesEveryModel writes the LaTeX table of each kind of
// model (panel, spatial with ρ and λ, random effects with φ, an
// interaction, a label full of special characters) and compiles each.
func TestFitLaTeXCompilesEveryModel(t *testing.T) {
	data, w := sharedData(t, "produc.csv"), sharedData(t, "usaww.csv")
	dir := t.TempDir()
	labels := filepath.Join(dir, "labels.csv")
	os.WriteFile(labels, []byte("unemp,Unemployment_rate (% & #) <x>\n"), 0o644)
	base := []string{"fit", "--data", data, "--id", "state", "--time", "year", "--format", "latex", "--labels", labels, "--impacts-draws", "50"}
	for _, tc := range [][]string{
		{"--model", "ols", "--formula", "log(gsp) ~ log(pcap) + unemp + log(pcap):unemp"},
		{"--model", "re", "--formula", "log(gsp) ~ log(pcap) + unemp"},
		{"--model", "fe", "--effects", "twoways", "--formula", "log(gsp) ~ log(pcap) + unemp", "--vcov", "cluster-id"},
		{"--model", "sac", "--effects", "individual", "--formula", "log(gsp) ~ log(pcap) + unemp", "--weights", w},
		{"--model", "sar", "--effects", "random", "--formula", "log(gsp) ~ log(pcap) + unemp", "--weights", w},
		{"--model", "sdem", "--effects", "time", "--formula", "log(gsp) ~ log(pcap) + unemp", "--weights", w},
	} {
		code, stdout, stderr := runCLI(t, append(base, tc...)...)
		if code != 0 {
			t.Fatalf("%v: code %d: %s", tc, code, stderr)
		}
		testout.Compile(t, strings.Join(tc[:2], " "), stdout)
	}
}
