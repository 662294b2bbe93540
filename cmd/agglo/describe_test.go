package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agglo/agglo/internal/testout"
)

// TestDescribeProduc describes Produc (48 states, 1970–1986) in every
// format; the LaTeX compiles; errors name the flag or the column.
func TestDescribeProduc(t *testing.T) {
	data := sharedData(t, "produc.csv")
	code, stdout, stderr := runCLI(t, "describe", "--data", data, "--vars", "gsp,unemp", "--id", "state")
	if code != 0 {
		t.Fatalf("code %d: %s", code, stderr)
	}
	// 816 observations of 48 states; unemp ranges 2.8 to 18 (Produc).
	for _, want := range []string{"unemp", "816", "2.80", "18.00", "48", "SD within"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("text lacks %q:\n%s", want, stdout)
		}
	}
	out := filepath.Join(t.TempDir(), "table1.tex")
	if code, _, stderr := runCLI(t, "describe", "--data", data, "--vars", "gsp,unemp", "--by", "year", "--format", "latex", "--out", out); code != 0 {
		t.Fatalf("latex: code %d: %s", code, stderr)
	}
	tex, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(string(tex), "\nunemp &") != 17 {
		t.Errorf("want 17 rows of unemp (one a year):\n%s", tex)
	}
	testout.Compile(t, "describe --format latex", string(tex))
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--vars", "gsp"}, 2, "--data and --vars"},
		{[]string{"--data", data, "--vars", "nope"}, 1, `no column "nope"`},
		{[]string{"--data", data, "--vars", "state"}, 1, "is not a number"},
		{[]string{"--data", data, "--vars", "gsp", "--format", "docx"}, 2, "--format"},
	} {
		code, _, stderr := runCLI(t, append([]string{"describe"}, tc.args...)...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: code %d %q, want %d %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
}
