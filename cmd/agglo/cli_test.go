package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// TestExitCodes checks the one usage-error path of the command line: every
// kind of bad command line exits 2 with one line "agglo: ..." on stderr,
// a failing run exits 1, help and version exit 0.
func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	panel := writePanel(t, dir)
	missing := filepath.Join(dir, "missing.csv")
	emptyCSV, headerCSV := filepath.Join(dir, "empty.csv"), filepath.Join(dir, "header.csv")
	if err := os.WriteFile(emptyCSV, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(headerCSV, []byte("a,b\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		// stderr is a fragment of the one-line error (code != 0), stdout a
		// fragment of the output (code 0 and 2 without stderr).
		stderr, stdout string
	}{
		{"no command", nil, 2, "", "Commands:"},
		{"help", []string{"help"}, 0, "", "Commands:"},
		{"--help", []string{"--help"}, 0, "", "Commands:"},
		{"help fit", []string{"help", "fit"}, 0, "", "--formula"},
		{"fit -h", []string{"fit", "-h"}, 0, "", "--formula"},
		{"fit --help", []string{"fit", "--help"}, 0, "", "--formula"},
		{"help weights build", []string{"help", "weights", "build"}, 0, "", "--geo-id"},
		{"--version", []string{"--version"}, 0, "", "built with go"},
		{"version", []string{"version"}, 0, "", "built with go"},
		{"unknown command", []string{"fitt"}, 2, `unknown command "fitt" (did you mean fit?)`, ""},
		{"help unknown command", []string{"help", "nosuch"}, 2, `unknown command "nosuch"`, ""},
		{"unknown flag", []string{"fit", "--nope"}, 2, "fit: unknown flag: --nope", ""},
		{"unknown flag of a sub-command", []string{"weights", "build", "--nope"}, 2, "weights build: unknown flag: --nope", ""},
		// Values that do not parse are named in agglo's words, not strconv's.
		{"bad flag value", []string{"fit", "--dk-lag", "x"}, 2, `agglo: fit: --dk-lag "x": want a whole number` + "\n", ""},
		{"negative unsigned flag", []string{"moran", "--seed", "-1"}, 2, `agglo: moran: --seed "-1": want a whole number, 0 or more` + "\n", ""},
		{"bad bool flag", []string{"moran", "--local=maybe"}, 2, `agglo: moran: --local "maybe": want true or false` + "\n", ""},
		{"bad value of a Value flag", []string{"fit", "--lee-yu=junk"}, 2, `agglo: fit: --lee-yu "junk": want true, false or splm` + "\n", ""},
		// An optional value written with a space is a positional argument.
		{"optional value after a space", []string{"fit", "--data", panel, "--lee-yu", "splm"}, 2, `fit: unexpected argument "splm" (an optional flag value follows '=': did you mean --lee-yu=splm?)`, ""},
		{"bool value after a space", []string{"moran", "--local", "true"}, 2, `did you mean --local=true?`, ""},
		{"plain unexpected argument", []string{"describe", "extra"}, 2, `agglo: describe: unexpected argument "extra"` + "\n", ""},
		// Negative counts are usage errors, not "no draws" or "no permutations".
		{"negative impacts draws", []string{"fit", "--data", panel, "--id", "region", "--time", "year", "--formula", "y ~ x", "--impacts-draws", "-1"}, 2, "fit: --impacts-draws -1: want 0 or more", ""},
		{"negative dk lag", []string{"fit", "--data", panel, "--id", "region", "--time", "year", "--formula", "y ~ x", "--vcov", "dk", "--dk-lag", "-3"}, 2, "fit: --dk-lag -3: want 0 or more", ""},
		{"bench negative draws", []string{"bench", "--impacts-draws", "-2"}, 2, "bench: --impacts-draws -2: want 0 or more", ""},
		{"bench negative probes", []string{"bench", "--probes", "-1"}, 2, "bench: --probes -1: want 0 or more", ""},
		{"bench --whole names itself", []string{"bench", "--whole", "0"}, 2, `bench: --whole: "0" is not a number of regions`, ""},
		{"plot lisa negative permutations", []string{"plot", "lisa", "--geometry", "g.geojson", "--data", missing, "--id", "r", "--var", "v", "--weights", "w.gal", "--permutations", "-9", "--out", "x.png"}, 2, "plot lisa: --permutations -9: want 0 or more", ""},
		// A bad flag of a spatial fit is not blamed on the data file.
		{"bad flag not blamed on the data", []string{"fit", "--data", panel, "--id", "region", "--time", "year", "--formula", "y ~ x", "--model", "sar", "--weights", "w.gal", "--vcov", "bogus"}, 2, "agglo: fit: --vcov bogus is for the panel models", ""},
		{"completion without shell", []string{"completion"}, 2, "completion: want a shell: bash, zsh, fish or powershell", ""},
		{"completion unknown shell", []string{"completion", "tcsh"}, 2, `completion: unknown shell "tcsh"`, ""},
		{"help of an index", []string{"help", "index", "lq"}, 0, "", "NAME is one of"},
		// Library errors after a flag lose their package name.
		{"library message after a flag", []string{"moran", "--data", panel, "--id", "region", "--var", "y", "--weights", "w.gal", "--alternative", "up"}, 2, `agglo: moran: --alternative: unknown alternative "up"`, ""},
		{"plot library message after a flag", []string{"plot", "map", "--geometry", "g.geojson", "--data", missing, "--id", "r", "--var", "v", "--palette", "junk", "--out", "x.png"}, 2, `agglo: --palette: unknown palette "junk"`, ""},
		// A panel read without --time: each region named once, and the flag.
		{"panel without --time", []string{"fit", "--data", panel, "--id", "region", "--formula", "y ~ x", "--model", "ols"}, 1, "a region has several rows and there is no time column: column region has ", ""},
		{"panel without --time hint", []string{"fit", "--data", panel, "--id", "region", "--formula", "y ~ x", "--model", "ols"}, 1, "(line 2 and line 3), ", ""},
		{"panel without --time flag", []string{"fit", "--data", panel, "--id", "region", "--formula", "y ~ x", "--model", "ols"}, 1, "; a panel needs --time COL", ""},
		{"describe has no stars", []string{"describe", "--data", panel, "--vars", "y", "--stars", "r"}, 2, "describe: --stars does not apply", ""},
		{"long usage line wrapped", []string{"plot", "map", "--help"}, 0, "", "--var COL\n                      [--classes K]"},
		// A folder where a file is wanted is named as such.
		{"folder as --data", []string{"describe", "--data", dir, "--vars", "y"}, 2, "describe: --data " + dir + ": is a folder; want a file", ""},
		{"folder in --results", []string{"plot", "coef", "--results", missing + "," + dir, "--out", "x.png"}, 2, "plot coef: --results " + dir + ": is a folder; want a file", ""},
		{"folder as weights file", []string{"weights", "summary", dir}, 1, dir + ": is a folder, not a weights file", ""},
		{"empty weights CSV", []string{"weights", "summary", emptyCSV}, 1, "empty.csv: empty file (want an edge list", ""},
		{"describe header only", []string{"describe", "--data", headerCSV, "--vars", "a"}, 1, "header.csv: a header and no data rows", ""},
		{"missing weights file without extension", []string{"weights", "summary", filepath.Join(dir, "nofile")}, 1, "no such file", ""},
		{"flag without value", []string{"fit", "--data"}, 2, "fit: flag needs an argument: --data", ""},
		{"too many arguments", []string{"weights", "summary", "a", "b"}, 2, "weights summary: want one weights FILE, got 2", ""},
		{"argument to version", []string{"version", "x"}, 2, `version: unexpected argument "x"`, ""},
		{"batch without spec", []string{"batch"}, 2, "batch: want one SPEC.yaml, got 0", ""},
		{"usagef", []string{"fit", "--data", panel}, 2, "fit: --id is required", ""},
		{"unknown effects", []string{"fit", "--data", panel, "--id", "region", "--time", "year", "--formula", "y ~ x", "--model", "fe", "--effects", "bogus"},
			2, `fit: --effects "bogus": want none, individual, time or twoways (aliases: pooled and pooling for none, id for individual, twoway, two-way, two-ways and both`, ""},
		{"plot without kind", []string{"plot"}, 2, "plot: missing KIND", ""},
		{"plot unknown kind", []string{"plot", "maps", "--out", "x.png"}, 2, `plot: unknown kind "maps"`, ""},
		{"weights unknown sub-command", []string{"weights", "nosuch"}, 2, `weights: unknown subcommand "nosuch"`, ""},
		{"runtime error", []string{"fit", "--data", missing, "--id", "region", "--formula", "y ~ x"}, 1, "missing.csv", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.args...)
			if code != tc.code {
				t.Fatalf("agglo %q: exit %d, want %d; stderr %q", tc.args, code, tc.code, stderr)
			}
			if tc.stderr != "" {
				if !strings.HasPrefix(stderr, "agglo: ") || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tc.stderr) {
					t.Errorf("agglo %q: stderr %q, want one line \"agglo: ...%s...\"", tc.args, stderr, tc.stderr)
				}
			} else if stderr != "" {
				t.Errorf("agglo %q: stderr %q, want none", tc.args, stderr)
			}
			if !strings.Contains(stdout, tc.stdout) {
				t.Errorf("agglo %q: stdout %q lacks %q", tc.args, stdout, tc.stdout)
			}
		})
	}
}

// writePanel writes a small balanced panel (6 regions × 4 years, columns
// reg, region, year, y, x) to dir and returns its path.
func writePanel(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("reg,region,year,y,x\n")
	for i := range 6 {
		for y := range 4 {
			x := float64((i*7+y*3)%11) / 3
			fmt.Fprintf(&b, "r%d,r%d,%d,%g,%g\n", i, i, 2000+y, 1+0.5*x+float64(i%3)+0.25*float64(y)+float64((i*5+y)%4)/10, x)
		}
	}
	p := filepath.Join(dir, "panel.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// writeSquares writes a GeoJSON of a 2 × 2 grid of squares whose regions
// are named by the properties code (r0…r3) and name, and returns its path.
func writeSquares(t *testing.T, dir string) string {
	t.Helper()
	var f []string
	for i := range 4 {
		x, y := float64(i%2), float64(i/2)
		f = append(f, fmt.Sprintf(`{"type":"Feature","properties":{"code":"r%d","name":"Region %d"},"geometry":{"type":"Polygon","coordinates":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}}`,
			i, i, x, y, x+1, y, x+1, y+1, x, y+1, x, y))
	}
	p := filepath.Join(dir, "squares.geojson")
	if err := os.WriteFile(p, []byte(`{"type":"FeatureCollection","features":[`+strings.Join(f, ",\n")+"]}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestFlagAliases runs each renamed flag under its old and its new name:
// the outputs are byte-identical, a deprecated name prints one note on
// stderr, and the old and new names together are a usage error.
func TestFlagAliases(t *testing.T) {
	dir := t.TempDir()
	panel := writePanel(t, dir)
	geo := writeSquares(t, dir)
	data := filepath.Join(dir, "cross.csv")
	if err := os.WriteFile(data, []byte("region,v\nr0,1\nr1,2\nr2,3\nr3,5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	points := filepath.Join(dir, "points.csv")
	if err := os.WriteFile(points, []byte("code,lon,lat\nr0,0,0\nr1,1,0\nr2,0,1\nr3,1,1.5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	long := filepath.Join(dir, "long.csv")
	if err := os.WriteFile(long, []byte("reg,sector,year,jobs\na,s1,2000,10\na,s2,2000,5\nb,s1,2000,2\nb,s2,2000,8\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		old, new []string
		// deprecated: the old name prints a note naming the new one.
		deprecated bool
		// out: the output file (both runs write it in turn), "" for stdout.
		out string
	}{
		{"index --region", []string{"index", "lq", "--data", long, "--region", "reg", "--value", "jobs", "--time", "year"},
			[]string{"index", "lq", "--data", long, "--id", "reg", "--value", "jobs", "--time", "year"}, true, ""},
		{"plot map --key", []string{"plot", "map", "--geometry", geo, "--geo-id", "code", "--data", data, "--key", "region", "--var", "v", "--out", "OUT"},
			[]string{"plot", "map", "--geometry", geo, "--geo-id", "code", "--data", data, "--id", "region", "--var", "v", "--out", "OUT"}, true, "map.svg"},
		{"plot moran --key", []string{"plot", "moran", "--data", data, "--key", "region", "--var", "v", "--weights", "W", "--out", "OUT"},
			[]string{"plot", "moran", "--data", data, "--id", "region", "--var", "v", "--weights", "W", "--out", "OUT"}, true, "moran.svg"},
		{"weights build --id", []string{"weights", "build", "--geometry", geo, "--id", "code", "--contiguity", "rook", "--format", "json"},
			[]string{"weights", "build", "--geometry", geo, "--geo-id", "code", "--contiguity", "rook", "--format", "json"}, false, ""},
		{"weights build --geojson", []string{"weights", "build", "--geojson", geo, "--geo-id", "code", "--contiguity", "rook", "--format", "json"},
			[]string{"weights", "build", "--geometry", geo, "--geo-id", "code", "--contiguity", "rook", "--format", "json"}, false, ""},
		{"single-dash long flags", []string{"fit", "-data", panel, "-id=region", "-time", "year", "-formula", "y ~ x", "-model", "fe", "-drop-missing"},
			[]string{"fit", "--data", panel, "--id=region", "--time", "year", "--formula", "y ~ x", "--model", "fe", "--drop-missing"}, true, ""},
		// One-letter long flags, as the flag package read them before pflag
		// (pflag alone reads -x as an unknown shorthand).
		{"single-dash one-letter flags", []string{"weights", "build", "--points", points, "-x", "lon", "-y=lat", "--geo-id", "code", "--planar", "--knn", "2", "--format", "json"},
			[]string{"weights", "build", "--points", points, "--x", "lon", "--y=lat", "--geo-id", "code", "--planar", "--knn", "2", "--format", "json"}, true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := filepath.Join(dir, "w.gal")
			if code, _, stderr := runCLI(t, "weights", "build", "--geometry", geo, "--geo-id", "code", "--contiguity", "queen", "--out", w); code != 0 {
				t.Fatalf("weights: %s", stderr)
			}
			outputs := make([]string, 2)
			notes := make([]string, 2)
			for i, args := range [][]string{tc.old, tc.new} {
				args = append([]string(nil), args...)
				out := ""
				if tc.out != "" {
					out = filepath.Join(dir, fmt.Sprint(i, tc.out))
				}
				for k, a := range args {
					switch a {
					case "OUT":
						args[k] = out
					case "W":
						args[k] = w
					}
				}
				code, stdout, stderr := runCLI(t, args...)
				if code != 0 {
					t.Fatalf("agglo %q: exit %d: %s", args, code, stderr)
				}
				outputs[i], notes[i] = stdout, stderr
				if out != "" {
					b, err := os.ReadFile(out)
					if err != nil {
						t.Fatal(err)
					}
					outputs[i] = string(b)
				}
			}
			if outputs[0] != outputs[1] || outputs[0] == "" {
				t.Errorf("old and new spelling differ (or are empty):\n%q\n%q", outputs[0], outputs[1])
			}
			if notes[1] != "" {
				t.Errorf("new spelling: stderr %q, want none", notes[1])
			}
			if deprecatedNote := strings.Contains(notes[0], "deprecated"); deprecatedNote != tc.deprecated || strings.Count(notes[0], "\n") > 1 {
				t.Errorf("old spelling: stderr %q, want a deprecation note: %v", notes[0], tc.deprecated)
			}
		})
	}
	t.Run("old and new together", func(t *testing.T) {
		for _, tc := range []struct {
			args []string
			want string
		}{
			// --key with --geo-id: --key is --id, given twice.
			{[]string{"plot", "map", "--geometry", geo, "--geo-id", "code", "--id", "region", "--data", data, "--key", "region", "--var", "v", "--out", filepath.Join(dir, "x.svg")},
				"--key is the old name of --id, the data's region column; the geometry's property, --id before this release, is now --geo-id"},
			{[]string{"index", "lq", "--data", long, "--region", "reg", "--id", "reg", "--value", "jobs"}, "--region is the old name of --id: give one of them"},
		} {
			code, _, stderr := runCLI(t, tc.args...)
			if code != 2 || !strings.Contains(stderr, tc.want) {
				t.Errorf("agglo %q: exit %d, stderr %q; want 2 and %q", tc.args, code, stderr, tc.want)
			}
		}
	})
	t.Run("plot's old --key and --id read the old way", func(t *testing.T) {
		for _, kind := range []string{"map", "lisa"} {
			extra := []string{}
			if kind == "lisa" {
				extra = []string{"--weights", filepath.Join(dir, "w.gal")}
			}
			oldOut, newOut := filepath.Join(dir, "old-"+kind+".svg"), filepath.Join(dir, "new-"+kind+".svg")
			code, _, stderr := runCLI(t, append([]string{"plot", kind, "--geometry", geo, "--id", "code", "--data", data, "--key", "region", "--var", "v", "--out", oldOut}, extra...)...)
			if code != 0 || !strings.Contains(stderr, "read the old way") || strings.Count(stderr, "\n") != 1 {
				t.Fatalf("old spelling: exit %d, stderr %q; want 0 and one note", code, stderr)
			}
			if code, _, stderr = runCLI(t, append([]string{"plot", kind, "--geometry", geo, "--geo-id", "code", "--data", data, "--id", "region", "--var", "v", "--out", newOut}, extra...)...); code != 0 {
				t.Fatalf("new spelling: exit %d: %s", code, stderr)
			}
			a, _ := os.ReadFile(oldOut)
			b, _ := os.ReadFile(newOut)
			if len(a) == 0 || !bytes.Equal(a, b) {
				t.Errorf("plot %s: old and new spellings draw different files (%d and %d bytes)", kind, len(a), len(b))
			}
		}
	})
	t.Run("plot --id naming a geometry property", func(t *testing.T) {
		for _, args := range [][]string{
			// --id code as before this release, the data's column by default geo-id "id"
			{"plot", "map", "--geometry", geo, "--id", "code", "--data", data, "--var", "v", "--out", filepath.Join(dir, "y.svg")},
			{"plot", "map", "--geometry", geo, "--geo-id", "code", "--id", "name", "--data", data, "--var", "v", "--out", filepath.Join(dir, "y.svg")},
			{"plot", "lisa", "--geometry", geo, "--geo-id", "code", "--id", "name", "--data", data, "--var", "v", "--weights", filepath.Join(dir, "w.gal"), "--out", filepath.Join(dir, "y.svg")},
		} {
			code, _, stderr := runCLI(t, args...)
			if code != 2 || !strings.Contains(stderr, "--geo-id the geometry's property (it was --id)") {
				t.Errorf("agglo %q: exit %d, stderr %q; want 2 and a pointer to --geo-id", args, code, stderr)
			}
		}
	})
	t.Run("bench --impact-draws", func(t *testing.T) {
		root := newRootCmd(&cliEnv{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}})
		bench, _, err := root.Find([]string{"bench"})
		if err != nil {
			t.Fatal(err)
		}
		if err := bench.ParseFlags([]string{"--impact-draws", "7"}); err != nil {
			t.Fatal(err)
		}
		if v := bench.Flags().Lookup("impacts-draws").Value.String(); v != "7" {
			t.Errorf("--impact-draws 7 sets --impacts-draws to %s", v)
		}
	})
}

// TestEffectsSpellings fits the same fixed-effects model with every
// spelling of two-way effects (and of the others): byte-identical output.
func TestEffectsSpellings(t *testing.T) {
	panel := writePanel(t, t.TempDir())
	fit := func(effects string) string {
		t.Helper()
		code, out, stderr := runCLI(t, "fit", "--data", panel, "--id", "region", "--time", "year", "--formula", "y ~ x", "--model", "fe", "--effects", effects, "--format", "json")
		if code != 0 {
			t.Fatalf("--effects %s: exit %d: %s", effects, code, stderr)
		}
		return out
	}
	for canonical, aliases := range map[string][]string{
		"twoways":    {"two-way", "twoway", "two-ways", "both", "TwoWays"},
		"individual": {"id", "Individual"},
		"time":       {"TIME"},
	} {
		want := fit(canonical)
		if !strings.Contains(want, `"effects": "`+canonical+`"`) {
			t.Fatalf("--effects %s: output does not record it: %s", canonical, want)
		}
		for _, a := range aliases {
			if got := fit(a); got != want {
				t.Errorf("--effects %s differs from %s", a, canonical)
			}
		}
	}
}

// TestCompletion checks cobra's completion scripts and the completion of
// fit's flags.
func TestCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		code, out, stderr := runCLI(t, "completion", shell)
		if code != 0 || len(out) < 500 || !strings.Contains(out, "agglo") {
			t.Errorf("completion %s: exit %d, %d bytes, stderr %q", shell, code, len(out), stderr)
		}
	}
	code, out, _ := runCLI(t, "__complete", "fit", "--")
	if code != 0 {
		t.Fatalf("__complete: exit %d", code)
	}
	for _, f := range []string{"--data", "--id", "--formula", "--effects", "--impacts-draws", "--weights", "--stars"} {
		if !strings.Contains(out, f+"\t") {
			t.Errorf("__complete fit -- lacks %s:\n%s", f, out)
		}
	}
	code, out, _ = runCLI(t, "__complete", "plot", "map", "--")
	if code != 0 || !strings.Contains(out, "--geo-id\t") || strings.Contains(out, "\n--key\t") {
		t.Errorf("__complete plot map --: exit %d, want --geo-id and no hidden --key:\n%s", code, out)
	}
	for flag, want := range map[string]string{"--model": "sdm\n", "--effects": "twoways\n", "--logdet": "cholesky\n"} {
		code, out, _ = runCLI(t, "__complete", "fit", flag, "")
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("__complete fit %s '': exit %d, want %q among:\n%s", flag, code, want, out)
		}
	}
	// The choice flags of the other commands complete their values too.
	for _, tc := range []struct{ args, want string }{
		{"weights build --contiguity", "rook\n"}, {"weights build --kernel", "bisquare\n"},
		{"weights combine --op", "hadamard\n"}, {"weights summary --format", "json\n"},
		{"plot map --scheme", "jenks\n"}, {"plot lisa --kind", "significance\n"}, {"plot series --as", "bars\n"},
		{"moran --alternative", "two.sided\n"}, {"moran --format", "csv\n"}, {"describe --format", "latex\n"},
		{"index --format", "json\n"}, {"index composite --method", "pca\n"}, {"bench --logdet", "slq\n"},
	} {
		code, out, _ = runCLI(t, append(append([]string{"__complete"}, strings.Fields(tc.args)...), "")...)
		if code != 0 || !strings.Contains(out, tc.want) {
			t.Errorf("__complete %s '': exit %d, want %q among:\n%s", tc.args, code, tc.want, out)
		}
	}
	code, out, _ = runCLI(t, "__complete", "")
	if code != 0 || !strings.Contains(out, "fit\t") || !strings.Contains(out, "weights\t") {
		t.Errorf("__complete '': exit %d, want the commands:\n%s", code, out)
	}
}

// TestHelpOfEveryCommand walks the command tree: each command's help
// exits 0, lists every visible flag as --name, names no source file and
// writes no single-dash long flag.
func TestHelpOfEveryCommand(t *testing.T) {
	goFile := regexp.MustCompile(`\b[A-Za-z0-9_]+\.go\b`)
	singleDash := regexp.MustCompile(`(^|[\s(\[|'"])-[a-z][a-z-]+`)
	var walk func(c *cobra.Command, path []string)
	n := 0
	walk = func(c *cobra.Command, path []string) {
		if c.Hidden {
			return
		}
		n++
		code, out, stderr := runCLI(t, append(append([]string{}, path...), "--help")...)
		if code != 0 || stderr != "" {
			t.Errorf("agglo %s --help: exit %d, stderr %q", strings.Join(path, " "), code, stderr)
		}
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			if !f.Hidden && !strings.Contains(out, "--"+f.Name+" ") {
				t.Errorf("agglo %s --help does not list --%s", strings.Join(path, " "), f.Name)
			}
		})
		if m := goFile.FindString(out); m != "" {
			t.Errorf("agglo %s --help names the source file %s", strings.Join(path, " "), m)
		}
		if m := singleDash.FindString(out); m != "" {
			t.Errorf("agglo %s --help writes a single-dash flag %q", strings.Join(path, " "), m)
		}
		// Lines fit a terminal (usage lines of 230 runes did not).
		for _, line := range strings.Split(out, "\n") {
			if n := utf8.RuneCountInString(line); n > helpLongLine {
				t.Errorf("agglo %s --help: a line of %d runes (want at most %d): %q", strings.Join(path, " "), n, helpLongLine, line)
			}
		}
		for _, s := range c.Commands() {
			walk(s, append(append([]string{}, path...), s.Name()))
		}
	}
	walk(newRootCmd(&cliEnv{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}), nil)
	if n < 25 {
		t.Errorf("walked %d commands, want every command and sub-command (at least 25)", n)
	}
}

// TestBatchSpecEffects: a spec's effects take the same spellings as
// --effects, and an unknown one names the accepted values.
func TestBatchSpecEffects(t *testing.T) {
	dir := t.TempDir()
	panel := writePanel(t, dir)
	for _, tc := range []struct {
		effects string
		code    int
		want    string
	}{
		{"both", 0, "twoways"},
		{"bogus", 1, `models.effects[0] "bogus": want none, individual, time or twoways`},
	} {
		spec := filepath.Join(dir, "spec_"+tc.effects+".yaml")
		body := fmt.Sprintf("data: %s\nid: region\ntime: year\nmodels:\n  formulas: [\"y ~ x\"]\n  models: [fe]\n  effects: [%s]\n", panel, tc.effects)
		if err := os.WriteFile(spec, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, "out_"+tc.effects)
		code, _, stderr := runCLI(t, "batch", spec, "--out", out, "--jobs", "1")
		if code != tc.code {
			t.Fatalf("effects %s: exit %d, stderr %q", tc.effects, code, stderr)
		}
		if tc.code != 0 {
			if !strings.Contains(stderr, tc.want) {
				t.Errorf("effects %s: stderr %q lacks %q", tc.effects, stderr, tc.want)
			}
			continue
		}
		b, err := os.ReadFile(filepath.Join(out, "models", "m001.json"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), `"effects": "`+tc.want+`"`) {
			t.Errorf("effects %s: model JSON does not record %s", tc.effects, tc.want)
		}
	}
}
