package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// writeSpec200 writes the demo study and the 200-model spec into a
// temporary folder and returns the spec's path.
func writeSpec200(t *testing.T) string {
	t.Helper()
	dir := demoStudyDir(t)
	spec := filepath.Join(dir, "study.yaml")
	if err := os.WriteFile(spec, []byte(specOf200()), 0o644); err != nil {
		t.Fatal(err)
	}
	return spec
}

// sbatchDirectives returns the #SBATCH options of a script, by name.
func sbatchDirectives(t *testing.T, script string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, line := range strings.Split(script, "\n") {
		opt, ok := strings.CutPrefix(line, "#SBATCH --")
		if !ok {
			continue
		}
		k, v, ok := strings.Cut(opt, "=")
		if !ok {
			t.Fatalf("#SBATCH line without =: %q", line)
		}
		if _, dup := out[k]; dup {
			t.Errorf("#SBATCH --%s given twice", k)
		}
		out[k] = v
	}
	return out
}

func TestBatchPlanSlurm(t *testing.T) {
	spec := writeSpec200(t)
	dir := filepath.Join(filepath.Dir(spec), "plan")
	args := []string{"batch", "plan", spec, "--out", dir, "--shards", "4", "--slurm", "--partition", "short",
		"--time", "01:30:00", "--mem", "4G", "--cpus-per-task", "2", "--account", "econ", "--agglo", "/opt/agglo/bin/agglo"}
	if code, _, stderr := runCLI(t, args...); code != 0 {
		t.Fatalf("plan: code %d: %s", code, stderr)
	}
	files := readAll(t, dir, "plan.json", "submit.sbatch", "merge.sbatch")
	// Deterministic: planning again gives the same bytes.
	if code, _, stderr := runCLI(t, append(args, "--force")...); code != 0 {
		t.Fatalf("plan again: code %d: %s", code, stderr)
	}
	again := readAll(t, dir, "plan.json", "submit.sbatch", "merge.sbatch")
	for n := range files {
		if !bytes.Equal(files[n], again[n]) {
			t.Errorf("%s differs between two plans", n)
		}
	}
	sub := string(files["submit.sbatch"])
	if !strings.HasPrefix(sub, "#!/bin/bash\n") {
		t.Errorf("submit.sbatch does not start with #!/bin/bash")
	}
	got := sbatchDirectives(t, sub)
	want := map[string]string{
		"job-name": "agglo-study", "array": "1-4", "partition": "short", "time": "01:30:00", "mem": "4G",
		"cpus-per-task": "2", "account": "econ", "output": filepath.Join(dir, "logs", "shard-%a.out"),
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("submit.sbatch: --%s=%q, want %q", k, got[k], v)
		}
	}
	for _, w := range []string{
		`exec /opt/agglo/bin/agglo batch ` + spec + ` --plan "$dir/plan.json" --shard "$SLURM_ARRAY_TASK_ID/4" --out "$dir/shards/$SLURM_ARRAY_TASK_ID" --jobs "${SLURM_CPUS_PER_TASK:-1}" --force`,
		`sbatch --parsable --dependency="afterok:$SLURM_ARRAY_JOB_ID" --kill-on-invalid-dep=yes "$dir/merge.sbatch"`,
		"dir=" + dir + "\n",
	} {
		if !strings.Contains(sub, w) {
			t.Errorf("submit.sbatch lacks %s:\n%s", w, sub)
		}
	}
	merge := string(files["merge.sbatch"])
	mg := sbatchDirectives(t, merge)
	if mg["job-name"] != "agglo-study-merge" || mg["cpus-per-task"] != "1" || mg["array"] != "" || mg["account"] != "econ" {
		t.Errorf("merge.sbatch directives %v", mg)
	}
	if !strings.Contains(merge, `exec /opt/agglo/bin/agglo batch merge --out "$dir/results" --force "$dir"/shards/*`) {
		t.Errorf("merge.sbatch:\n%s", merge)
	}
	if out, err := exec.Command("bash", "-n", filepath.Join(dir, "submit.sbatch")).CombinedOutput(); err != nil {
		t.Errorf("bash -n submit.sbatch: %v %s", err, out)
	}

	var plan batchPlan
	if err := json.Unmarshal(files["plan.json"], &plan); err != nil {
		t.Fatal(err)
	}
	if plan.Spec != spec || plan.Out != dir || plan.Regions != 100 || plan.Periods != 5 || len(plan.Shards) != 4 {
		t.Errorf("plan: spec %s out %s N %d T %d shards %d", plan.Spec, plan.Out, plan.Regions, plan.Periods, len(plan.Shards))
	}
	for _, in := range []string{"study.yaml", "innovation.csv", "regions.geojson", "employment.csv", "sectors.csv"} {
		p := filepath.Join(filepath.Dir(spec), in)
		h, err := sha256File(p)
		if err != nil {
			t.Fatal(err)
		}
		if plan.Inputs[p] != h {
			t.Errorf("plan records %s as %q, want %s", p, plan.Inputs[p], h)
		}
	}
	// Every model in exactly one shard; shards within 1% of each other.
	var all []string
	lo, hi := plan.Shards[0].Cost, plan.Shards[0].Cost
	for _, s := range plan.Shards {
		all = append(all, s.Models...)
		lo, hi = min(lo, s.Cost), max(hi, s.Cost)
	}
	slices.Sort(all)
	if len(all) != 200 || len(slices.Compact(all)) != 200 {
		t.Errorf("the shards hold %d models (%d distinct), want 200", len(all), len(slices.Compact(all)))
	}
	if !(hi-lo <= 0.01*hi) {
		t.Errorf("shard costs from %g to %g", lo, hi)
	}
}

func TestBatchPlanKubernetes(t *testing.T) {
	spec := writeSpec200(t)
	mount := filepath.Dir(spec)
	dir := filepath.Join(mount, "plan")
	code, _, stderr := runCLI(t, "batch", "plan", spec, "--out", dir, "--shards", "3", "--k8s",
		"--image", "ghcr.io/agglo/agglo:1.0", "--claim", "study-pvc", "--mount", mount, "--mem", "2G", "--cpus-per-task", "2")
	if code != 0 {
		t.Fatalf("plan: code %d: %s", code, stderr)
	}
	type container struct {
		Image        string   `yaml:"image"`
		Command      []string `yaml:"command"`
		VolumeMounts []struct {
			Name      string `yaml:"name"`
			MountPath string `yaml:"mountPath"`
		} `yaml:"volumeMounts"`
		Resources struct {
			Requests map[string]string `yaml:"requests"`
			Limits   map[string]string `yaml:"limits"`
		} `yaml:"resources"`
	}
	type job struct {
		APIVersion string `yaml:"apiVersion"`
		Kind       string `yaml:"kind"`
		Metadata   struct {
			Name string `yaml:"name"`
		} `yaml:"metadata"`
		Spec struct {
			CompletionMode string `yaml:"completionMode"`
			Completions    int    `yaml:"completions"`
			Parallelism    int    `yaml:"parallelism"`
			Template       struct {
				Spec struct {
					RestartPolicy string      `yaml:"restartPolicy"`
					Containers    []container `yaml:"containers"`
					Volumes       []struct {
						Name string `yaml:"name"`
						PVC  struct {
							ClaimName string `yaml:"claimName"`
						} `yaml:"persistentVolumeClaim"`
					} `yaml:"volumes"`
				} `yaml:"spec"`
			} `yaml:"template"`
		} `yaml:"spec"`
	}
	read := func(name string) job {
		var j job
		dec := yaml.NewDecoder(bytes.NewReader(readAll(t, dir, name)[name]))
		dec.KnownFields(false)
		if err := dec.Decode(&j); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return j
	}
	sh, mg := read("k8s-shards.yaml"), read("k8s-merge.yaml")
	if sh.APIVersion != "batch/v1" || sh.Kind != "Job" || sh.Metadata.Name != "agglo-study" || sh.Spec.CompletionMode != "Indexed" ||
		sh.Spec.Completions != 3 || sh.Spec.Parallelism != 3 {
		t.Errorf("shard job %+v", sh)
	}
	for _, j := range []job{sh, mg} {
		ps := j.Spec.Template.Spec
		if ps.RestartPolicy != "Never" || len(ps.Containers) != 1 || len(ps.Volumes) != 1 || ps.Volumes[0].PVC.ClaimName != "study-pvc" {
			t.Fatalf("%s: pod spec %+v", j.Metadata.Name, ps)
		}
		c := ps.Containers[0]
		if c.Image != "ghcr.io/agglo/agglo:1.0" || len(c.VolumeMounts) != 1 || c.VolumeMounts[0].MountPath != mount ||
			c.VolumeMounts[0].Name != ps.Volumes[0].Name || len(c.Command) != 3 || c.Command[0] != "/bin/sh" {
			t.Errorf("%s: container %+v", j.Metadata.Name, c)
		}
	}
	c := sh.Spec.Template.Spec.Containers[0]
	if c.Resources.Requests["cpu"] != "2" || c.Resources.Requests["memory"] != "2Gi" || c.Resources.Limits["memory"] != "2Gi" {
		t.Errorf("resources %+v", c.Resources)
	}
	wantCmd := "k=$((JOB_COMPLETION_INDEX + 1)); exec agglo batch " + spec + " --plan " + filepath.Join(dir, "plan.json") +
		` --shard "$k/3" --out ` + filepath.Join(dir, "shards") + `/"$k" --jobs 2 --force`
	if c.Command[2] != wantCmd {
		t.Errorf("shard command\n%s\nwant\n%s", c.Command[2], wantCmd)
	}
	if mg.Metadata.Name != "agglo-study-merge" || mg.Spec.CompletionMode != "" ||
		mg.Spec.Template.Spec.Containers[0].Command[2] != "exec agglo batch merge --out "+filepath.Join(dir, "results")+" --force "+filepath.Join(dir, "shards")+"/*" {
		t.Errorf("merge job %+v", mg)
	}
	// The pods see only the claim: a spec outside --mount is refused.
	code, _, stderr = runCLI(t, "batch", "plan", spec, "--out", filepath.Join(dir, "x"), "--shards", "3", "--k8s",
		"--image", "i", "--claim", "c", "--mount", filepath.Join(mount, "sub"))
	if code != 2 || !strings.Contains(stderr, "is not under --mount") {
		t.Errorf("spec outside the mount: code %d %s", code, stderr)
	}
}

func TestBatchPlanBadFlags(t *testing.T) {
	spec := writeSpec200(t)
	out := filepath.Join(filepath.Dir(spec), "p")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--shards", "4"}, "one of --slurm and --k8s"},
		{[]string{"--shards", "4", "--slurm", "--k8s"}, "one of --slurm and --k8s"},
		{[]string{"--slurm"}, "--shards must be at least 1"},
		{[]string{"--shards", "201", "--slurm"}, "only 200 model(s)"},
		{[]string{"--shards", "2", "--slurm", "--time", "1h"}, `--time "1h"`},
		{[]string{"--shards", "2", "--slurm", "--mem", "4GB"}, `--mem "4GB"`},
		{[]string{"--shards", "2", "--k8s", "--image", "x"}, "--k8s needs --image and --claim"},
	} {
		code, _, stderr := runCLI(t, append([]string{"batch", "plan", spec, "--out", out}, tc.args...)...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: code %d, stderr %q, want %q", tc.args, code, stderr, tc.want)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("a refused plan left %s", out)
	}
}

// TestBatchPlanShardsRerunAndMerge runs a plan's shards as the scripts do
// (in process), checks that a changed input is refused, that a shard can
// be re-run alone, and that merge names missing and duplicated shards and
// gives the unsharded run's bytes.
func TestBatchPlanShardsRerunAndMerge(t *testing.T) {
	spec := writeSpec200(t)
	base := filepath.Dir(spec)
	// A smaller spec: 11 formulas × (fe, sar, slx), 33 models.
	text := specOf200()
	text = text[:strings.Index(text, "  models: [")] + "  models: [fe, sar, slx]\n  effects: [individual]\n  weights: [queen]\n"
	if err := os.WriteFile(spec, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(base, "plan")
	if code, _, stderr := runCLI(t, "batch", "plan", spec, "--out", dir, "--shards", "3", "--slurm", "--agglo", "agglo"); code != 0 {
		t.Fatalf("plan: %s", stderr)
	}
	planJSON := filepath.Join(dir, "plan.json")
	shard := func(k int) (int, string) {
		code, _, stderr := runCLI(t, "batch", spec, "--plan", planJSON, "--shard", fmt.Sprintf("%d/3", k),
			"--out", filepath.Join(dir, "shards", fmt.Sprint(k)), "--jobs", "1", "--force")
		return code, stderr
	}
	for k := 1; k <= 3; k++ {
		if code, stderr := shard(k); code != 0 {
			t.Fatalf("shard %d: %s", k, stderr)
		}
	}
	// The shard ran exactly the plan's models.
	var plan batchPlan
	json.Unmarshal(readAll(t, dir, "plan.json")["plan.json"], &plan)
	files, _ := filepath.Glob(filepath.Join(dir, "shards", "2", "models", "*.json"))
	var got []string
	for _, f := range files {
		got = append(got, strings.TrimSuffix(filepath.Base(f), ".json"))
	}
	if !slices.Equal(got, plan.Shards[1].Models) {
		t.Errorf("shard 2 ran %v, the plan says %v", got, plan.Shards[1].Models)
	}
	// A changed input: the shard refuses, naming the file.
	data := filepath.Join(base, "innovation.csv")
	orig := readAll(t, base, "innovation.csv")["innovation.csv"]
	os.WriteFile(data, append(bytes.Clone(orig), []byte("\n")...), 0o644)
	if code, stderr := shard(2); code == 0 || !strings.Contains(stderr, data+" changed since the plan") {
		t.Errorf("changed input: code %d, %s", code, stderr)
	}
	os.WriteFile(data, orig, 0o644)
	// Wrong n, no --shard.
	if code, _, stderr := runCLI(t, "batch", spec, "--plan", planJSON, "--shard", "1/2", "--out", filepath.Join(base, "x")); code != 2 || !strings.Contains(stderr, "has 3 shards") {
		t.Errorf("--shard 1/2 of a 3-shard plan: code %d, %s", code, stderr)
	}
	// Shard 2 re-run alone (a failed or pre-empted task).
	if code, stderr := shard(2); code != 0 {
		t.Fatalf("re-run of shard 2: %s", stderr)
	}
	sh := func(k int) string { return filepath.Join(dir, "shards", fmt.Sprint(k)) }
	results := filepath.Join(dir, "results")
	code, _, stderr := runCLI(t, "batch", "merge", "--out", results, sh(1), sh(3))
	if code == 0 || !strings.Contains(stderr, "shard(s) 2 of 3 missing") {
		t.Errorf("missing shard: code %d, %s", code, stderr)
	}
	dup := filepath.Join(base, "shard2copy")
	if code, _, stderr := runCLI(t, "batch", spec, "--plan", planJSON, "--shard", "2/3", "--out", dup, "--jobs", "1"); code != 0 {
		t.Fatal(stderr)
	}
	code, _, stderr = runCLI(t, "batch", "merge", "--out", results, sh(1), sh(2), sh(3), dup)
	if code == 0 || !strings.Contains(stderr, "shard 2/3 is given 2 times ("+sh(2)+", "+dup+")") {
		t.Errorf("duplicated shard: code %d, %s", code, stderr)
	}
	// A shard of a plain --shard run does not mix with the plan's.
	other := filepath.Join(base, "other")
	runCLI(t, "batch", spec, "--shard", "2/3", "--out", other, "--jobs", "1")
	if code, _, stderr := runCLI(t, "batch", "merge", "--out", results, sh(1), other, sh(3)); code == 0 || !strings.Contains(stderr, "different plans") {
		t.Errorf("shards of two plans: code %d, %s", code, stderr)
	}
	if _, err := os.Stat(results); err == nil {
		t.Fatalf("a refused merge wrote %s", results)
	}
	if code, _, stderr := runCLI(t, "batch", "merge", "--out", results, sh(3), sh(1), sh(2)); code != 0 {
		t.Fatalf("merge: %s", stderr)
	}
	whole := filepath.Join(base, "whole")
	if code, _, stderr := runCLI(t, "batch", spec, "--out", whole, "--jobs", "1"); code != 0 {
		t.Fatal(stderr)
	}
	sameFolders(t, filepath.Join(whole, "models"), filepath.Join(results, "models"))
	tables := []string{"table.md", "table.tex", "table.csv"}
	a, b := readAll(t, whole, tables...), readAll(t, results, tables...)
	for _, n := range tables {
		if !bytes.Equal(a[n], b[n]) {
			t.Errorf("%s of the merged plan differs from the unsharded run", n)
		}
	}
}

// TestBalanceShards checks the longest-processing-time assignment on
// Graham's (1969) worst case for two machines: costs 3, 3, 2, 2, 2 give
// {3, 2, 2} and {3, 2} (makespan 7 against the optimum 6: the rule is
// greedy by design); that shards are made by cost, not count; that a
// shard pays a weights matrix's set-up once, so that the models of one
// weights matrix stay together; and that the cost of a
// spatial model relative to OLS grows with N.
func TestBalanceShards(t *testing.T) {
	models := make([]modelSpec, 8)
	for i := range models {
		models[i].ID = fmt.Sprintf("m%03d", i+1)
	}
	none := make([]string, 8)
	sh := balanceShards(models[:5], []float64{3, 3, 2, 2, 2}, none, nil, 2)
	if !slices.Equal(sh[0].Models, []string{"m001", "m003", "m005"}) || !slices.Equal(sh[1].Models, []string{"m002", "m004"}) ||
		sh[0].Cost != 7 || sh[1].Cost != 5 {
		t.Errorf("LPT shards %+v", sh)
	}
	sh = balanceShards(models[:5], []float64{100, 1, 1, 1, 1}, none, nil, 2)
	if len(sh[0].Models) != 1 || len(sh[1].Models) != 4 {
		t.Errorf("heavy model not alone: %+v", sh)
	}
	// Eight SAR models, alternating between weights a and b, N = 3000
	// (eigen): each shard sets up one weights matrix, not both; with one
	// weights matrix only, both shards pay its set-up and split 4/4.
	sar := modelSpec{Formula: "y ~ x1 + x2", Model: "sar", Effects: "individual"}
	costs := make([]float64, 8)
	for i := range costs {
		costs[i] = planCost(sar, 3000, 10, 100, "eigen")
	}
	setup := map[string]float64{"a": planSetup("eigen", 3000), "b": planSetup("eigen", 3000)}
	sh = balanceShards(models, costs, []string{"a", "b", "a", "b", "a", "b", "a", "b"}, setup, 2)
	if !slices.Equal(sh[0].Models, []string{"m001", "m003", "m005", "m007"}) || !slices.Equal(sh[1].Models, []string{"m002", "m004", "m006", "m008"}) {
		t.Errorf("two weights: shards %v and %v, want one weights matrix each", sh[0].Models, sh[1].Models)
	}
	sh = balanceShards(models, costs, slices.Repeat([]string{"a"}, 8), setup, 2)
	if len(sh[0].Models) != 4 || sh[0].Cost != sh[1].Cost || sh[0].Cost != math.Round(4*costs[0]+setup["a"]) {
		t.Errorf("one weights: %+v", sh)
	}
	ols := modelSpec{Formula: "y ~ a + b", Model: "ols", Effects: "none"}
	sar.Formula = "y ~ a + b"
	small := planCost(sar, 50, 5, 100, "cholesky") / planCost(ols, 50, 5, 100, "cholesky")
	large := planCost(sar, 5000, 5, 100, "cholesky") / planCost(ols, 5000, 5, 100, "cholesky")
	if !(small > 5) || !(large > 2*small) {
		t.Errorf("sar/ols cost ratio %g at N = 50, %g at N = 5000", small, large)
	}
	for _, tc := range []struct {
		option string
		n      int
		want   string
	}{{"", 50000, "eigen"}, {"auto", 1000, "eigen"}, {"auto", 1001, "cholesky"}, {"auto", 20001, "chebyshev"}, {"slq", 10, "slq"}} {
		if got := logdetMethod(tc.option, tc.n); got != tc.want {
			t.Errorf("logdetMethod(%q, %d) = %s, want %s", tc.option, tc.n, got, tc.want)
		}
	}
}

// TestSlurmCluster runs testdata/slurm/run.sh: a real single-node Slurm
// cluster (Debian's slurm-wlm and munge, as root) runs the 200-model spec
// in 4 shards and the merge; the results must equal an unsharded run byte
// for byte; shard 3 alone with its spec changed must fail and its merge
// be cancelled; shard 3 re-run alone must complete the merge again. It
// runs only with AGGLO_SLURM=1.
func TestSlurmCluster(t *testing.T) {
	if os.Getenv("AGGLO_SLURM") != "1" {
		t.Skip("set AGGLO_SLURM=1 to run a real single-node Slurm cluster (needs root, slurm-wlm and munge)")
	}
	if runtime.GOOS != "linux" {
		t.Skip("the Slurm test runs on Linux")
	}
	spec := writeSpec200(t)
	work := t.TempDir()
	bin := filepath.Join(work, "agglo")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	script, _ := filepath.Abs(filepath.Join("testdata", "slurm", "run.sh"))
	cmd := exec.Command("bash", script, bin, spec, filepath.Join(work, "cluster"), "4")
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("run.sh: %v", err)
	}
	for _, tc := range []struct {
		text string
		n    int
	}{
		{"results/ equals the unsharded run (tables and 200 model files)", 2}, // the first run, the re-run of shard 3
		{"shard 3 refused to run: changed since the plan; no merge", 1},
		{"Name=agglo-study JobState=COMPLETED", 5},       // 4 shards, shard 3 again
		{"Name=agglo-study-merge JobState=COMPLETED", 2}, // after each
		{"Name=agglo-study JobState=FAILED", 1},          // shard 3 with the spec changed
		{"Name=agglo-study-merge JobState=CANCELLED", 1}, // its merge
	} {
		if n := strings.Count(string(out), tc.text); n != tc.n {
			t.Errorf("run.sh printed %q %d times, want %d", tc.text, n, tc.n)
		}
	}
}
