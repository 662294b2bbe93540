package main

import (
	"encoding/json"
	"fmt"
	"github.com/agglo/agglo/regress"
	"gonum.org/v1/gonum/floats/scalar"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFitWeightsReadAhead checks the order of fit's two inputs, which any
// concurrent read of them must keep: when both fail, the data file's
// error is the one reported, every time; a bad weights file with good
// data reports the weights; a GWT file with islands, whose region list
// comes from the data (readWeights' fallback), fits as the same weights
// in GAL form; and reruns are byte-identical.
func TestFitWeightsReadAhead(t *testing.T) {
	needShared(t)
	dir := t.TempDir()
	data := sharedData(t, "columbus.csv")
	missingData, missingW := filepath.Join(dir, "nodata.csv"), filepath.Join(dir, "now.gal")
	args := func(d, id, w string) []string {
		return []string{"fit", "--data", d, "--id", id, "--formula", "CRIME ~ INC + HOVAL", "--model", "sar",
			"--weights", w, "--impacts-draws", "50", "--format", "json"}
	}
	for i := range 5 {
		// Both missing: the data file's error.
		code, _, stderr := runCLI(t, args(missingData, "id", missingW)...)
		if code != 1 || !strings.Contains(stderr, "nodata.csv") || strings.Contains(stderr, "now.gal") {
			t.Fatalf("run %d, both missing: exit %d, stderr %q", i, code, stderr)
		}
		// A bad --id in the data and missing weights: the data's error.
		code, _, stderr = runCLI(t, args(data, "nosuch", missingW)...)
		if code == 0 || !strings.Contains(stderr, "nosuch") || strings.Contains(stderr, "now.gal") {
			t.Fatalf("run %d, bad id and missing weights: exit %d, stderr %q", i, code, stderr)
		}
	}
	code, _, stderr := runCLI(t, args(data, "id", missingW)...)
	if code != 1 || !strings.Contains(stderr, "reading weights "+missingW) {
		t.Errorf("missing weights: exit %d, stderr %q", code, stderr)
	}

	// GWT with islands: the header counts 49 regions, the links name 47;
	// the data's regions (named c1…c49, so not read as indices) place
	// the islands.
	b, err := os.ReadFile(galWithIslands(t, "1", "20"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	var galText, gwtText strings.Builder
	galText.WriteString("0 49\n")
	gwtText.WriteString("0 49 columbus id\n")
	for k := 1; k+1 < len(lines); k += 2 {
		id := strings.Fields(lines[k])[0]
		nbs := strings.Fields(lines[k+1])
		fmt.Fprintf(&galText, "c%s %d\n", id, len(nbs))
		for j, nb := range nbs {
			fmt.Fprintf(&galText, "c%s", nb)
			if j+1 < len(nbs) {
				galText.WriteString(" ")
			}
			fmt.Fprintf(&gwtText, "c%s c%s 1\n", id, nb)
		}
		galText.WriteString("\n")
	}
	csvb, err := os.ReadFile(data)
	if err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(string(csvb), "\n")
	for r := 1; r < len(rows); r++ {
		if rows[r] != "" {
			rows[r] = `"c` + strings.TrimPrefix(rows[r], `"`)
		}
	}
	data = filepath.Join(dir, "columbus_c.csv")
	gal, gwt := filepath.Join(dir, "islands.gal"), filepath.Join(dir, "islands.gwt")
	for _, f := range []struct{ path, text string }{{data, strings.Join(rows, "\n")}, {gal, galText.String()}, {gwt, gwtText.String()}} {
		if err := os.WriteFile(f.path, []byte(f.text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, galOut, stderr := runCLI(t, append(args(data, "id", gal), "--zero-policy")...)
	if code != 0 {
		t.Fatalf("gal: exit %d: %s", code, stderr)
	}
	var first string
	for i := range 3 {
		code, got, stderr := runCLI(t, append(args(data, "id", gwt), "--zero-policy")...)
		if code != 0 {
			t.Fatalf("gwt run %d: exit %d: %s", i, code, stderr)
		}
		if i == 0 {
			first = got
		} else if got != first {
			t.Fatalf("gwt run %d is not byte-identical to run 0", i)
		}
	}
	// The same fit as the GAL (links in another order: equal to rounding).
	var g, w struct {
		Coefficients []regress.Coefficient `json:"coefficients"`
	}
	if err := json.Unmarshal([]byte(first), &g); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(galOut), &w); err != nil {
		t.Fatal(err)
	}
	if len(g.Coefficients) != len(w.Coefficients) || len(g.Coefficients) == 0 {
		t.Fatalf("coefficients %v, want %v", g.Coefficients, w.Coefficients)
	}
	for k, c := range g.Coefficients {
		want := w.Coefficients[k]
		if c.Name != want.Name || !scalar.EqualWithinRel(c.Estimate, want.Estimate, 1e-9) || !scalar.EqualWithinRel(c.StdError, want.StdError, 1e-9) {
			t.Errorf("gwt %+v, gal %+v", c, want)
		}
	}
}
