package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
)

// The sweep of issue 13 ("Done when"): every command on a shared set of
// bad inputs. Each run must exit 1 or 2, never panic, say where the fault
// is (a file, line, column, region or flag), leave every input byte for
// byte as it was and leave no output, whole or partial.

// Good fixtures: a panel of 4 regions × 3 years that every command accepts
// (TestSweepGoodInputs checks that), so that each bad case differs from a
// working run by its one fault.
const sweepData = `id,year,sector,y,x,z
a,2001,m,1.2,0.5,3
a,2002,m,1.9,0.7,2
a,2003,m,2.4,1.1,5
b,2001,m,0.7,0.2,1
b,2002,m,1.1,0.9,4
b,2003,m,1.6,1.3,2
c,2001,m,2.2,1.5,6
c,2002,m,2.9,1.4,3
c,2003,m,3.1,2.0,1
d,2001,m,0.4,0.1,2
d,2002,m,0.8,0.6,5
d,2003,m,1.5,0.8,4
`

// A ring a–b–d–c–a.
const sweepWeights = "from,to\na,b\na,c\nb,a\nb,d\nc,a\nc,d\nd,b\nd,c\n"

const sweepGAL = "4\na 2\nb c\nb 2\na d\nc 2\na d\nd 2\nb c\n"

// Four unit squares: a b on top, c d below.
const sweepGeoJSON = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Polygon","coordinates":[[[0,1],[1,1],[1,2],[0,2],[0,1]]]}},
{"type":"Feature","properties":{"id":"b"},"geometry":{"type":"Polygon","coordinates":[[[1,1],[2,1],[2,2],[1,2],[1,1]]]}},
{"type":"Feature","properties":{"id":"c"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},
{"type":"Feature","properties":{"id":"d"},"geometry":{"type":"Polygon","coordinates":[[[1,0],[2,0],[2,1],[1,1],[1,0]]]}}]}
`

const sweepSpec = `data: data.csv
id: id
time: year
weights:
  - {name: w, file: w.csv}
models:
  formulas: ["y ~ x"]
  models: [ols, sar]
  effects: [none]
options: {impacts_draws: 0}
`

// sweepCommands are the commands run on an input of each role; {data},
// {w}, {geo}, {spec} name the fixtures (the bad one in its role), {out} an
// output path that must not exist after the run.
var sweepCommands = map[string][]string{
	"data": {
		"fit --data {data} --id id --time year --formula y~x --out {out}.txt",
		"fit --data {data} --id id --time year --formula y~x+z --model fe --out {out}.txt",
		"fit --data {data} --id id --time year --formula y~x --model sar --weights {w} --impacts-draws 0 --out {out}.json --format json",
		"moran --data {data} --id id --var y --where year=2001 --weights {w}",
		"index lq --data {data} --id id --sector sector --time year --value y --out {out}.csv",
		"describe --data {data} --vars y,x --out {out}.md",
		"plot map --geojson {geo} --data {data} --id id --var y --where year=2001 --out {out}.svg",
	},
	"weights": {
		"fit --data {data} --id id --time year --formula y~x --model sar --weights {w} --impacts-draws 0 --out {out}.txt",
		"moran --data {data} --id id --var y --where year=2001 --weights {w}",
		"weights summary {w}",
		"weights convert {w} {out}.gwt",
	},
	"geo": {
		"weights build --geojson {geo} --id id --contiguity queen --out {out}.gal",
		"plot map --geojson {geo} --data {data} --id id --var y --where year=2001 --out {out}.svg",
	},
	"spec": {
		"batch {spec} --out {out}",
	},
}

// sweepCase is one bad input: its role, file name and content, and the
// commands of the role it is bad for (nil: all of them).
type sweepCase struct {
	name, role, file, content string
	only                      []int // indexes into sweepCommands[role]; nil = all
}

// missingBad are the data commands for which a missing value is an error
// (describe skips it and counts the rest; a map draws it as "no data").
var missingBad = []int{0, 1, 2, 3, 4}

func dataCase(name, content string, only ...int) sweepCase {
	return sweepCase{name: name, role: "data", file: "bad_" + name + ".csv", content: content, only: only}
}

func replaceLine(s, old, new string) string {
	if !strings.Contains(s, old) {
		panic("sweep fixture: no " + old)
	}
	return strings.Replace(s, old, new, 1)
}

func sweepCases() []sweepCase {
	d := sweepData
	header := "id,year,sector,y,x,z\n"
	rows := strings.TrimPrefix(d, header)
	oneYear := header
	for _, l := range strings.Split(rows, "\n") {
		if strings.Contains(l, ",2001,") {
			oneYear += l + "\n"
		}
	}
	twoRegions := header
	for _, l := range strings.Split(rows, "\n") {
		if strings.HasPrefix(l, "a,") || strings.HasPrefix(l, "b,") {
			twoRegions += l + "\n"
		}
	}
	constY := header
	for _, l := range strings.Split(strings.TrimSpace(rows), "\n") {
		f := strings.Split(l, ",")
		f[3] = "7"
		constY += strings.Join(f, ",") + "\n"
	}
	cases := []sweepCase{
		dataCase("empty", ""),
		dataCase("header_only", header),
		dataCase("blank_lines", "\n\n\n"),
		// Semicolons and tabs are detected since issue 17 (see
		// TestDataFormats); pipes are not.
		dataCase("pipes", strings.ReplaceAll(d, ",", "|")),
		dataCase("bom_pipes", "\ufeff"+strings.ReplaceAll(d, ",", "|")),
		dataCase("crlf_nan", strings.ReplaceAll(replaceLine(d, "a,2002,m,1.9", "a,2002,m,NaN"), "\n", "\r\n"), 0, 1, 2, 4),
		dataCase("nan_y", replaceLine(d, "b,2001,m,0.7", "b,2001,m,NaN"), missingBad...),
		dataCase("na_y", replaceLine(d, "b,2001,m,0.7", "b,2001,m,NA"), missingBad...),
		dataCase("inf_y", replaceLine(d, "b,2001,m,0.7", "b,2001,m,Inf")),
		dataCase("minus_inf_x", replaceLine(d, "c,2001,m,2.2,1.5", "c,2001,m,2.2,-Inf"), 0, 1, 2, 5),
		dataCase("overflow_y", replaceLine(d, "b,2001,m,0.7", "b,2001,m,1e400")),
		// 1e300: its squares overflow in a fit (issue 13 item 6); Moran's
		// I is scale-invariant and an LQ of one sector is 1, so those run.
		dataCase("huge_y", replaceLine(d, "b,2001,m,0.7", "b,2001,m,1e300"), 0, 1, 2),
		dataCase("text_y", replaceLine(d, "b,2001,m,0.7", "b,2001,m,seven")),
		dataCase("empty_y", replaceLine(d, "b,2001,m,0.7", "b,2001,m,"), missingBad...),
		dataCase("duplicate_row", d+"a,2001,m,1.2,0.5,3\n", 0, 1, 2, 3, 4, 6),
		dataCase("no_y_column", strings.ReplaceAll(d, "id,year,sector,y,", "id,year,sector,w,")),
		dataCase("no_id_column", strings.ReplaceAll(d, "id,year,", "region,year,"), 0, 1, 2, 3, 4, 6),
		dataCase("ragged_row", replaceLine(d, "c,2002,m,2.9,1.4,3", "c,2002,m,2.9,1.4,3,9")),
		dataCase("short_row", replaceLine(d, "c,2002,m,2.9,1.4,3", "c,2002,m,2.9")),
		dataCase("unterminated_quote", replaceLine(d, "c,2002", `"c,2002`)),
		dataCase("binary", "\x00\x01\x02\xff\xfe"+d, 0, 1, 2, 3, 4, 6),
		dataCase("empty_id", replaceLine(d, "d,2003,m", ",2003,m"), 0, 1, 2, 4),
		dataCase("unknown_region", d+"e,2001,m,1,1,1\ne,2002,m,2,2,2\ne,2003,m,3,1,2\n", 2, 3, 6),
		dataCase("missing_region", strings.Join(strings.Split(d, "\n")[:10], "\n")+"\n", 2, 3),
		dataCase("constant_y", constY, 0, 1, 2),
		dataCase("one_year", oneYear, 1),
		dataCase("two_regions", twoRegions, 2, 3),
		dataCase("negative_y", replaceLine(d, "b,2001,m,0.7", "b,2001,m,-0.7"), 4),
		dataCase("all_y_missing", strings.NewReplacer("1.2,", ",", "1.9,", ",", "2.4,", ",", "0.7,", ",", "1.1,", ",", "1.6,", ",", "2.2,", ",", "2.9,", ",", "3.1,", ",", "0.4,", ",", "0.8,", ",", "1.5,", ",").Replace(d), 0, 1, 2, 3, 5),
		dataCase("duplicate_header", strings.ReplaceAll(d, "id,year,sector,y,x,z", "id,year,sector,y,x,x"), 0, 1, 2, 4, 5),
		dataCase("collinear_z", func() string {
			out := header
			for _, l := range strings.Split(strings.TrimSpace(rows), "\n") {
				f := strings.Split(l, ",")
				f[5] = f[4]
				out += strings.Join(f, ",") + "\n"
			}
			return out
		}(), 1),
	}
	w := func(name, file, content string, only ...int) sweepCase {
		return sweepCase{name: name, role: "weights", file: file, content: content, only: only}
	}
	cases = append(cases,
		w("empty", "bad_empty.csv", ""),
		w("header_only", "bad_header_only.csv", "from,to,weight\n"),
		w("negative", "bad_negative.csv", "from,to,weight\na,b,1\na,c,1\nb,a,1\nb,d,-1\nc,a,1\nc,d,1\nd,b,1\nd,c,1\n"),
		w("nan_weight", "bad_nan.csv", "from,to,weight\na,b,NaN\na,c,1\nb,a,1\nb,d,1\nc,a,1\nc,d,1\nd,b,1\nd,c,1\n"),
		w("inf_weight", "bad_inf.csv", "from,to,weight\na,b,Inf\na,c,1\nb,a,1\nb,d,1\nc,a,1\nc,d,1\nd,b,1\nd,c,1\n"),
		w("self_link", "bad_self.csv", sweepWeights+"a,a\n"),
		w("duplicate_link", "bad_dup.csv", sweepWeights+"a,b\n"),
		w("no_to_column", "bad_noto.csv", strings.Replace(sweepWeights, "from,to", "from,dest", 1)),
		w("semicolons", "bad_semi.csv", strings.ReplaceAll(sweepWeights, ",", ";")),
		w("island", "bad_island.csv", sweepWeights+"e,\n", 0, 1),
		w("extra_region", "bad_extra.csv", sweepWeights+"d,e\ne,d\n", 0, 1),
		w("missing_region", "bad_missing.csv", "from,to\na,b\nb,a\nb,c\nc,b\n", 0, 1),
		w("gal_count", "bad_count.gal", "4\na 3\nb c\nb 2\na d\nc 2\na d\nd 2\nb c\n"),
		w("gal_header", "bad_header.gal", "6\na 2\nb c\nb 2\na d\nc 2\na d\nd 2\nb c\n"),
		w("gal_text", "bad_text.gal", "four\n"),
		w("gwt_negative", "bad_negative.gwt", "0 4 x id\na b 1\nb a -1\nc d 1\nd c 1\n"),
		w("gwt_fields", "bad_fields.gwt", "4\na b\n"),
		w("matrix_not_square", "bad_square_matrix.csv", "a,b,c,d\n0,1,1,0\n1,0,0,1\n"),
		w("matrix_diagonal", "bad_diag_matrix.csv", "a,b,c,d\n1,1,1,0\n1,0,0,1\n1,0,0,1\n0,1,1,0\n"),
		w("matrix_negative", "bad_neg_matrix.csv", "a,b,c,d\n0,-1,1,0\n1,0,0,1\n1,0,0,1\n0,1,1,0\n"),
		w("unknown_format", "bad_weights.txt", sweepWeights),
		w("binary", "bad_binary.gal", "\x00\x01\x02"),
		// A GeoDa GWT whose header counts an island (issue 13 item 16),
		// and one whose links name more regions than the header.
		w("gwt_island_header", "bad_island.gwt", "0 5 x id\na b 1\na c 1\nb a 1\nb d 1\nc a 1\nc d 1\nd b 1\nd c 1\n", 0, 2, 3),
		w("gwt_too_many", "bad_many.gwt", "0 4 x id\na b 1\na c 1\nb a 1\nb d 1\nc a 1\nc d 1\nd b 1\nd e 1\n"),
	)
	g := func(name, content string, only ...int) sweepCase {
		return sweepCase{name: name, role: "geo", file: "bad_" + name + ".geojson", content: content, only: only}
	}
	cases = append(cases,
		g("empty", ""),
		g("not_json", "id,x,y\n"),
		g("no_features", `{"type":"FeatureCollection","features":[]}`),
		g("no_id", strings.ReplaceAll(sweepGeoJSON, `"id"`, `"name"`)),
		g("duplicate_id", strings.Replace(sweepGeoJSON, `"id":"b"`, `"id":"a"`, 1)),
		g("points", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Point","coordinates":[0,1]}}]}`),
		g("truncated", sweepGeoJSON[:200]),
		g("unknown_region", strings.Replace(sweepGeoJSON, `"id":"d"`, `"id":"e"`, 1), 1),
	)
	s := func(name, content string) sweepCase {
		return sweepCase{name: name, role: "spec", file: "bad_" + name + ".yaml", content: content}
	}
	cases = append(cases,
		s("empty", ""),
		s("comment_only", "# a spec\n"),
		s("two_documents", sweepSpec+"---\ndata: other.csv\n"),
		s("unknown_field", sweepSpec+"colour: blue\n"),
		s("bad_yaml", "data: [data.csv\n"),
		s("no_data", strings.Replace(sweepSpec, "data: data.csv\n", "", 1)),
		s("missing_data_file", strings.Replace(sweepSpec, "data: data.csv", "data: nowhere.csv", 1)),
		s("bad_data", strings.Replace(sweepSpec, "data: data.csv", "data: bad_data.csv", 1)),
		s("pipe_data", strings.Replace(sweepSpec, "data: data.csv", "data: pipes.csv", 1)),
		s("unknown_logdet", sweepSpec+"  logdet: magic\n"),
		s("duplicate_weights", strings.Replace(sweepSpec, "  - {name: w, file: w.csv}\n", "  - {name: w, file: w.csv}\n  - {name: w, file: w.csv}\n", 1)),
	)
	return cases
}

// sweepFixtures writes the good fixtures (and the extra files the specs
// name) into dir.
func sweepFixtures(t *testing.T, dir string) {
	t.Helper()
	for name, content := range map[string]string{
		"data.csv": sweepData, "w.csv": sweepWeights, "w.gal": sweepGAL, "map.geojson": sweepGeoJSON, "spec.yaml": sweepSpec,
		"bad_data.csv": strings.Replace(sweepData, "b,2001,m,0.7", "b,2001,m,Inf", 1),
		"pipes.csv":    strings.ReplaceAll(sweepData, ",", "|"),
		"pts.csv":      "id,x,y\na,0,1\nb,1,1\nc,0,0\nd,1,0\n",
		"labels.csv":   "name,label\nx,The x\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// hashTree returns the SHA-256 of every file under dir by relative path.
func hashTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || e.Type()&fs.ModeType != 0 {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		h := sha256.Sum256(b)
		rel, _ := filepath.Rel(dir, p)
		out[rel] = hex.EncodeToString(h[:])
		return nil
	})
	return out
}

// sweepArgs expands a command template.
func sweepArgs(tmpl string, files map[string]string) []string {
	var args []string
	for _, a := range strings.Fields(tmpl) {
		for k, v := range files {
			a = strings.ReplaceAll(a, "{"+k+"}", v)
		}
		args = append(args, a)
	}
	return args
}

// runSweep runs agglo in-process, turning a panic into a failure of the
// case instead of the whole test binary.
func runSweep(t *testing.T, args []string) (code int, stderr string) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			code, stderr = -1, fmt.Sprintf("panic: %v", r)
		}
	}()
	code, _, stderr = runCLI(t, args...)
	return code, stderr
}

// TestSweepGoodInputs: every command of the sweep succeeds on the good
// fixtures, so that each failure of TestSweepBadInputs is its input's.
func TestSweepGoodInputs(t *testing.T) {
	dir := t.TempDir()
	sweepFixtures(t, dir)
	outDir := t.TempDir()
	files := map[string]string{"data": filepath.Join(dir, "data.csv"), "w": filepath.Join(dir, "w.csv"),
		"geo": filepath.Join(dir, "map.geojson"), "spec": filepath.Join(dir, "spec.yaml")}
	roles := []string{"data", "weights", "geo", "spec"}
	for _, role := range roles {
		for k, tmpl := range sweepCommands[role] {
			files["out"] = filepath.Join(outDir, fmt.Sprintf("good_%s_%d", role, k))
			args := sweepArgs(tmpl, files)
			if code, stderr := runSweep(t, args); code != 0 {
				t.Errorf("%s: exit %d: %s", strings.Join(args, " "), code, stderr)
			}
		}
	}
	// The GAL form of the weights too.
	files["w"] = filepath.Join(dir, "w.gal")
	if code, stderr := runSweep(t, sweepArgs(sweepCommands["weights"][2], files)); code != 0 {
		t.Errorf("GAL: exit %d: %s", code, stderr)
	}
}

// TestSweepBadInputs is the sweep: every command of a role on every bad
// input of that role, and the special --out targets on every command that
// writes a file.
func TestSweepBadInputs(t *testing.T) {
	dir := t.TempDir()
	sweepFixtures(t, dir)
	cases := sweepCases()
	for _, c := range cases {
		if err := os.WriteFile(filepath.Join(dir, c.file), []byte(c.content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	outDir := t.TempDir()
	before := hashTree(t, dir)
	runs, inputs := 0, map[string]bool{}
	check := func(t *testing.T, name string, args []string, out string, wantMsg ...string) {
		t.Helper()
		runs++
		code, stderr := runSweep(t, args)
		cmd := strings.Join(args, " ")
		if code != 1 && code != 2 {
			t.Errorf("%s: %s: exit %d, want 1 or 2 (stderr %q)", name, cmd, code, stderr)
			return
		}
		if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine ") {
			t.Errorf("%s: %s: panic: %s", name, cmd, stderr)
		}
		found := len(wantMsg) == 0
		for _, w := range wantMsg {
			found = found || strings.Contains(stderr, w)
		}
		if !found {
			t.Errorf("%s: %s: message %q names none of %q", name, cmd, stderr, wantMsg)
		}
		if out != "" {
			matches, _ := filepath.Glob(out + "*")
			if len(matches) > 0 {
				t.Errorf("%s: %s: left output %v", name, cmd, matches)
			}
		}
	}
	for _, c := range cases {
		inputs[c.name+"/"+c.role] = true
		bad := filepath.Join(dir, c.file)
		files := map[string]string{"data": filepath.Join(dir, "data.csv"), "w": filepath.Join(dir, "w.csv"),
			"geo": filepath.Join(dir, "map.geojson"), "spec": filepath.Join(dir, "spec.yaml")}
		key := map[string]string{"data": "data", "weights": "w", "geo": "geo", "spec": "spec"}[c.role]
		files[key] = bad
		cmds := sweepCommands[c.role]
		idx := c.only
		if idx == nil {
			for k := range cmds {
				idx = append(idx, k)
			}
		}
		for _, k := range idx {
			files["out"] = filepath.Join(outDir, fmt.Sprintf("%s_%s_%d", c.role, c.name, k))
			args := sweepArgs(cmds[k], files)
			// The message names the bad file (or, for a spec, a file it
			// names or the field), its line, column, region or a flag.
			check(t, c.role+"/"+c.name, args, files["out"], c.file, "line", "column", "region", "--", "spec", ".csv")
		}
	}

	// --out naming an input, through a symbolic link and "..", a
	// directory, a device that fails and a FIFO without a reader.
	data, w := filepath.Join(dir, "data.csv"), filepath.Join(dir, "w.csv")
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	os.Symlink(data, filepath.Join(outDir, "link_to_data.csv"))
	os.Symlink(filepath.Join(outDir, "nowhere", "x"), filepath.Join(outDir, "dangling.txt"))
	specials := []struct{ name, out string }{
		{"out_is_data", data},
		{"out_via_dotdot", filepath.Join(dir, "sub", "..", "data.csv")},
		{"out_via_symlink", filepath.Join(outDir, "link_to_data.csv")},
		{"out_is_directory", dir},
		{"out_dangling_symlink", filepath.Join(outDir, "dangling.txt")},
	}
	if fi, err := os.Stat("/dev/full"); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
		specials = append(specials, struct{ name, out string }{"out_dev_full", "/dev/full"})
	}
	if runtime.GOOS != "windows" {
		fifo := filepath.Join(outDir, "fifo")
		if mkfifo(fifo) == nil {
			specials = append(specials, struct{ name, out string }{"out_fifo", fifo})
		}
	}
	writers := []string{
		"fit --data {data} --id id --time year --formula y~x --out {out}",
		"fit --data {data} --id id --time year --formula y~x --model sac --weights {w} --error-weights {w} --impacts-draws 0 --out {out}",
		"index lq --data {data} --id id --sector sector --time year --value y --out {out}",
		"describe --data {data} --vars y,x --out {out}",
		"plot map --geojson {geo} --data {data} --id id --var y --where year=2001 --out {out}",
	}
	files := map[string]string{"data": data, "w": w, "geo": filepath.Join(dir, "map.geojson"), "spec": filepath.Join(dir, "spec.yaml")}
	for _, s := range specials {
		inputs[s.name] = true
		files["out"] = s.out
		for _, tmpl := range writers {
			check(t, s.name, sweepArgs(tmpl, files), "", "--out", "/dev/full", "reader", "symbolic link", "directory", "figure format")
		}
	}
	// --out = the error weights, in every writer that reads weights.
	files["out"] = w
	check(t, "out_is_error_weights", sweepArgs(writers[1], files), "", "would overwrite the input")
	labels := filepath.Join(dir, "labels.csv")
	check(t, "out_is_labels", []string{"fit", "--data", data, "--id", "id", "--time", "year", "--formula", "y~x", "--labels", labels, "--out", labels}, "", "would overwrite")
	check(t, "describe_out_is_labels", []string{"describe", "--data", data, "--vars", "y,x", "--labels", labels, "--out", labels}, "", "would overwrite")
	check(t, "demo_out_holds_labels", []string{"demo", "--labels", labels, "--out", dir, "--force"}, "", "holds the input")
	check(t, "convert_onto_input", []string{"weights", "convert", w, w}, "", "would overwrite")
	pts := filepath.Join(dir, "pts.csv")
	check(t, "build_onto_input", []string{"weights", "build", "--points", pts, "--id", "id", "--x", "x", "--y", "y", "--knn", "1", "--out", pts}, "", "would overwrite")
	// Batch and demo folders: the folder holds an input, is a file.
	check(t, "batch_out_holds_input", []string{"batch", files["spec"], "--out", dir, "--force"}, "", "holds the input")
	check(t, "batch_out_is_file", []string{"batch", files["spec"], "--out", data, "--force"}, "", "is a file", "holds the input")
	check(t, "demo_out_is_file", []string{"demo", "--out", data, "--force"}, "", "is a file")
	check(t, "merge_incomplete", []string{"batch", "merge", "--out", filepath.Join(outDir, "merged"), dir}, filepath.Join(outDir, "merged"), "incomplete")
	// Bad flag values name the flag.
	for _, args := range [][]string{
		{"fit", "--data", data, "--id", "id", "--time", "year", "--formula", "y~x", "--model", "magic"},
		{"fit", "--data", data, "--id", "id", "--time", "year", "--formula", "y~x", "--vcov", "magic"},
		{"fit", "--data", data, "--id", "id", "--time", "year", "--formula", "y~x", "--delimiter", "ab"},
		{"fit", "--data", data, "--id", "id", "--formula", "y~x", "--vcov", "dk"},
		{"moran", "--data", data, "--id", "id", "--var", "y", "--weights", w, "--style", "Q"},
		{"index", "lq", "--data", data, "--value", "y", "--format", "xml"},
	} {
		inputs["flag "+strings.Join(args[len(args)-2:], " ")] = true
		check(t, "flag", args, "", "--", "period", "line", "data.csv")
	}

	after := hashTree(t, dir)
	for k, h := range before {
		if after[k] != h {
			t.Errorf("input %s changed", k)
		}
	}
	for k := range after {
		if _, ok := before[k]; !ok {
			t.Errorf("new file %s among the inputs", k)
		}
	}
	// Leftovers beside the outputs: temporary files, locks, folders.
	entries, _ := os.ReadDir(outDir)
	var left []string
	for _, e := range entries {
		if n := e.Name(); strings.HasPrefix(n, ".") {
			left = append(left, n)
		}
	}
	sort.Strings(left)
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if len(inputs) < 60 {
		t.Errorf("the sweep has %d bad inputs, want at least 60", len(inputs))
	}
	t.Logf("%d bad inputs, %d runs", len(inputs), runs)
}
