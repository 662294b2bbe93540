package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/agglo/agglo/internal/sharedtest"
	"gonum.org/v1/gonum/floats/scalar"
)

// TestIndexCLIOracle runs agglo index lq and eg on index_panel.csv and
// compares the CSV output with index_ref.json (1e-10 relative).
func TestIndexCLIOracle(t *testing.T) {
	needShared(t)
	var ref map[string][]map[string]any
	var raw map[string]json.RawMessage
	sharedtest.ReadJSON(t, &raw, "oracle", "index_ref.json")
	ref = map[string][]map[string]any{}
	for _, k := range []string{"lq", "eg", "coagg_lq"} {
		var rows []map[string]any
		if err := json.Unmarshal(raw[k], &rows); err != nil {
			t.Fatal(err)
		}
		ref[k] = rows
	}
	panel := sharedData(t, "index_panel.csv")
	cases := []struct {
		oracle string
		args   []string
		keys   []string
		fields map[string]string // output column -> oracle field
	}{
		{"lq", []string{"index", "lq", "--data", panel, "--value", "employment"}, []string{"region", "sector"}, map[string]string{"value": "value"}},
		{"eg", []string{"index", "eg", "--data", panel, "--value", "employment", "--plants", sharedData(t, "index_plants.csv")},
			[]string{"sector"}, map[string]string{"value": "gamma", "G": "G", "H": "H"}},
		{"coagg_lq", []string{"index", "coagg", "--data", panel, "--value", "employment", "--groups", sharedData(t, "index_sectors.csv")},
			[]string{"region"}, map[string]string{"value": "value", "quality": "quality", "level": "level"}},
	}
	for _, tc := range cases {
		t.Run(tc.oracle, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if !strings.Contains(stderr, "6 (region, sector, year) cells absent") {
				t.Errorf("missing cells not reported: %q", stderr)
			}
			recs, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			col := map[string]int{}
			for i, h := range recs[0] {
				col[h] = i
			}
			got := map[string][]string{}
			for _, r := range recs[1:] {
				var key []string
				for _, k := range tc.keys {
					key = append(key, r[col[k]])
				}
				got[strings.Join(append(key, r[col["year"]]), "|")] = r
			}
			if len(got) != len(ref[tc.oracle]) {
				t.Errorf("%d rows, oracle %d", len(got), len(ref[tc.oracle]))
			}
			for _, o := range ref[tc.oracle] {
				var key []string
				for _, k := range tc.keys {
					key = append(key, o[k].(string))
				}
				key = append(key, strconv.Itoa(int(o["year"].(float64))))
				r, ok := got[strings.Join(key, "|")]
				if !ok {
					t.Fatalf("no row %v", key)
				}
				for out, f := range tc.fields {
					v, err := strconv.ParseFloat(r[col[out]], 64)
					if err != nil {
						t.Fatal(err)
					}
					if want := o[f].(float64); !scalar.EqualWithinAbsOrRel(v, want, 1e-14, 1e-10) {
						t.Errorf("%v %s = %.15g, oracle %.15g", key, out, v, want)
					}
				}
			}
		})
	}
}

func writeTemp(t *testing.T, name, data string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const cliPanel = `reg,ind,yr,jobs,web
A,m,2020,60,0.1
A,s,2020,40,0.3
B,m,2020,30,0.05
B,s,2020,10,0.2
C,m,2020,10,0.2
C,s,2020,50,0.4
`

func TestIndexCLIFormatsAndOut(t *testing.T) {
	p := writeTemp(t, "p.csv", cliPanel)
	base := []string{"--data", p, "--id", "reg", "--sector", "ind", "--time", "yr", "--value", "jobs"}
	// CSV header carries the input's column names.
	code, out, stderr := runCLI(t, append([]string{"index", "lq"}, base...)...)
	if code != 0 || !strings.HasPrefix(out, "reg,ind,yr,value\nA,m,2020,1.2\n") {
		t.Fatalf("exit %d, out %q, err %q", code, out, stderr)
	}
	// Flags before the name work too.
	if code, out2, _ := runCLI(t, append(append([]string{"index"}, base...), "lq")...); code != 0 || out2 != out {
		t.Errorf("name after flags: exit %d", code)
	}
	// JSON: an array of objects; egk keys are ind_i, ind_j.
	code, out, stderr = runCLI(t, append([]string{"index", "egk", "--format", "json"}, base...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("bad JSON %q: %v", out, err)
	}
	// By hand: γc(m, s) = −0.06/0.62 (see index.ExampleEGK).
	if len(rows) != 1 || rows[0]["ind_i"] != "m" || rows[0]["yr"] != 2020.0 ||
		!scalar.EqualWithinAbsOrRel(rows[0]["value"].(float64), -0.06/0.62, 1e-15, 1e-12) {
		t.Errorf("egk JSON %v", rows)
	}
	// Text.
	code, out, _ = runCLI(t, append([]string{"index", "va", "--share", "web", "--format", "text"}, base...)...)
	if code != 0 || !strings.Contains(out, "value") || !strings.Contains(out, "0.120000") {
		t.Errorf("text: exit %d, %q", code, out)
	}
	// --out writes the file atomically and nothing to stdout.
	dst := filepath.Join(t.TempDir(), "k.csv")
	code, out, stderr = runCLI(t, append([]string{"index", "krugman", "--out", dst}, base...)...)
	if code != 0 || out != "" {
		t.Fatalf("--out: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	b, _ := os.ReadFile(dst)
	if !strings.HasPrefix(string(b), "reg,yr,value\nA,2020,0.19999999999999996\nB,2020,0.5\n") {
		t.Errorf("--out file %q", b)
	}
	entries, _ := os.ReadDir(filepath.Dir(dst))
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
	// A failing run leaves an existing --out untouched.
	code, _, _ = runCLI(t, append([]string{"index", "va", "--out", dst}, base...)...)
	if b2, _ := os.ReadFile(dst); code != 1 || string(b2) != string(b) {
		t.Errorf("failed run: exit %d, file changed", code)
	}
	// --out never over an input.
	code, _, stderr = runCLI(t, append([]string{"index", "lq", "--out", p}, base...)...)
	if code != 2 || !strings.Contains(stderr, "overwrite") {
		t.Errorf("--out over input: exit %d, %q", code, stderr)
	}
	if b3, _ := os.ReadFile(p); string(b3) != cliPanel {
		t.Error("input modified")
	}
}

func TestIndexCLIErrors(t *testing.T) {
	good := writeTemp(t, "p.csv", cliPanel)
	bad := writeTemp(t, "bad.csv", strings.Replace(cliPanel, "B,s,2020,10,0.2", "B,s,2020,-10,0.2", 1))
	zero := writeTemp(t, "z.csv", cliPanel+"D,m,2020,0,0.1\nD,s,2020,0,0.1\n")
	base := func(p string) []string {
		return []string{"--data", p, "--id", "reg", "--sector", "ind", "--time", "yr", "--value", "jobs"}
	}
	cases := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"no name", append([]string{"index"}, base(good)...), 2, []string{"NAME"}},
		{"unknown name", append([]string{"index", "lqq"}, base(good)...), 2, []string{`unknown index "lqq"`}},
		{"no value", []string{"index", "lq", "--data", good}, 2, []string{"--value"}},
		{"bad format", append([]string{"index", "lq", "--format", "xml"}, base(good)...), 2, []string{"xml"}},
		{"unknown flag", append([]string{"index", "lq", "--bogus"}, base(good)...), 2, []string{"bogus"}},
		{"negative value", append([]string{"index", "lq"}, base(bad)...), 1, []string{"bad.csv", "line 5", `"jobs"`, "negative"}},
		{"no such column", []string{"index", "lq", "--data", good, "--value", "emp"}, 1, []string{"p.csv", `no column "region"`}},
		{"missing file", []string{"index", "lq", "--data", "/nonexistent.csv", "--value", "jobs"}, 1, []string{"nonexistent.csv"}},
		{"zero region", append([]string{"index", "lq"}, base(zero)...), 1, []string{"z.csv", `region "D"`, "2020", "--nan"}},
		{"va needs share", append([]string{"index", "va"}, base(good)...), 1, []string{"online shares"}},
		{"coagg needs groups", append([]string{"index", "coagg"}, base(good)...), 1, []string{"groups"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d (%s)", code, tc.code, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q lacks %q", stderr, w)
				}
			}
		})
	}
	// --nan: NaN in CSV, null in JSON, a warning on stderr, exit 0.
	code, out, stderr := runCLI(t, append([]string{"index", "lq", "--nan"}, base(zero)...)...)
	if code != 0 || !strings.Contains(out, "D,m,2020,NaN") || !strings.Contains(stderr, "warning") {
		t.Errorf("--nan: exit %d, out %q, err %q", code, out, stderr)
	}
	code, out, _ = runCLI(t, append([]string{"index", "lq", "--nan", "--format", "json"}, base(zero)...)...)
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); code != 0 || err != nil {
		t.Fatalf("--nan json: exit %d, %v", code, err)
	}
	var nulls int
	for _, r := range rows {
		if r["value"] == nil {
			nulls++
		}
	}
	if nulls != 2 {
		t.Errorf("%d nulls, want 2", nulls)
	}
}

func TestIndexHelp(t *testing.T) {
	code, stdout, _ := runCLI(t, "index", "-h")
	if code != 0 || !strings.Contains(stdout, "virtual-coagg") {
		t.Errorf("help: exit %d, %q", code, stdout)
	}
}

// TestIndexCLIAllNames runs every index on the reference panel.
func TestIndexCLIAllNames(t *testing.T) {
	needShared(t)
	args := []string{"--data", sharedData(t, "index_panel.csv"), "--value", "employment",
		"--share", "online_share", "--groups", sharedData(t, "index_sectors.csv"),
		"--plants", sharedData(t, "index_plants.csv"), "--format", "json"}
	rows := map[string]int{"lq": 1250, "hoover": 50, "krugman": 125, "gini": 50, "hhi": 50, "eg": 50, "ms": 50,
		"egk": 225, "coagg": 125, "online-lq": 1250, "va": 1250, "va-region": 250, "va-gap": 50,
		"virtual-coagg": 125, "growth": 250}
	for name, n := range rows {
		code, out, stderr := runCLI(t, append([]string{"index", name}, args...)...)
		if code != 0 {
			t.Errorf("%s: exit %d: %s", name, code, stderr)
			continue
		}
		var got []map[string]any
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(got) != n {
			t.Errorf("%s: %d rows, want %d", name, len(got), n)
		}
		for _, r := range got {
			if r["value"] == nil {
				t.Errorf("%s: null value in %v", name, r)
				break
			}
		}
	}
}
