package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMessagesNameTheFix checks that the errors of issue 14's list name
// the flag, folder or column that fixes them.
func TestMessagesNameTheFix(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.csv")
	os.WriteFile(missing, []byte("id,t,y,x,z\na,1,1,2,\nb,1,2,1,3\nc,1,3,5,4\na,2,2,3,1\nb,2,4,1,2\nc,2,3,4,5\n"), 0o644)
	invariant := filepath.Join(dir, "inv.csv")
	os.WriteFile(invariant, []byte("id,t,y,x,g\na,1,1,2,1\nb,1,2,1,2\nc,1,3,5,3\na,2,2,3,1\nb,2,4,1,2\nc,2,3,4,3\n"), 0o644)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"missing values", []string{"fit", "--data", missing, "--id", "id", "--time", "t", "--formula", "y ~ x + z"}, "--drop-missing"},
		{"time-invariant under fe", []string{"fit", "--data", invariant, "--id", "id", "--time", "t", "--formula", "y ~ x + g", "--model", "fe"},
			"g has no variation within individuals; --drop-collinear"},
		{"out into a missing folder", []string{"fit", "--data", invariant, "--id", "id", "--time", "t", "--formula", "y ~ x", "--out", filepath.Join(dir, "nodir", "r.txt")},
			"the folder " + filepath.Join(dir, "nodir") + " does not exist"},
	} {
		code, _, stderr := runCLI(t, tc.args...)
		if code != 1 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%s: code %d, stderr %q; want %q", tc.name, code, stderr, tc.want)
		}
	}
}

// TestGWTIndicesHint: usaww.gwt numbers the states 1–48 while Produc names
// them; fit and moran say that the ID column is at fault.
func TestGWTIndicesHint(t *testing.T) {
	data, gwt := sharedData(t, "produc.csv"), sharedData(t, "usaww.gwt")
	for _, args := range [][]string{
		{"fit", "--data", data, "--id", "state", "--time", "year", "--formula", "log(gsp) ~ log(pcap)", "--model", "sar", "--weights", gwt},
		{"moran", "--data", data, "--id", "state", "--var", "unemp", "--where", "year=1980", "--weights", gwt},
	} {
		code, _, stderr := runCLI(t, args...)
		if code != 1 || !strings.Contains(stderr, "the numbers 1–48") || !strings.Contains(stderr, "give --id the data column") {
			t.Errorf("%s: code %d, stderr %q", args[0], code, stderr)
		}
	}
}
