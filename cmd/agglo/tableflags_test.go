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
	testout.Compile(t, "fit --format latex (SDM two-way, Produc)", tables["latex"])
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
