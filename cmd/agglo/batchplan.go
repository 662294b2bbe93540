package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"github.com/spf13/cobra"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/agglo/agglo/internal/nulljson"
	"github.com/agglo/agglo/spatial"
	"gopkg.in/yaml.v3"
)

const batchPlanUsage = `Usage:
  agglo batch plan SPEC.yaml --out DIR --shards N --slurm [--partition P]
      [--time HH:MM:SS] [--mem 4G] [--cpus-per-task C] [--account A] [--agglo PATH]
  agglo batch plan SPEC.yaml --out DIR --shards N --k8s --image IMAGE --claim PVC
      [--mount /data] [--mem 4G] [--cpus-per-task C] [--agglo agglo]

Plans a study for a cluster. Writes DIR/plan.json (the spec and every input
by absolute path with its SHA-256, and the models of each shard, balanced by
expected cost: model kind, number of regressors, regions N and periods T)
and, with --slurm, DIR/submit.sbatch (a job array, one task per shard, whose
first task queues DIR/merge.sbatch to run after every task succeeded):

  sbatch DIR/submit.sbatch

With --k8s it writes DIR/k8s-shards.yaml (an Indexed Job) and
DIR/k8s-merge.yaml (the merge Job, to apply when the shards completed).
Shard k writes DIR/shards/k; the merge writes DIR/results. A shard whose
inputs changed since the plan refuses to run. Re-run a failed shard alone
with sbatch --array=k DIR/submit.sbatch (the merge follows it).
`

// batchPlan is DIR/plan.json: what `agglo batch --plan` runs.
type batchPlan struct {
	Agglo string `json:"agglo_version"`
	// Spec and Out are absolute paths.
	Spec   string            `json:"spec"`
	Out    string            `json:"out"`
	Inputs map[string]string `json:"inputs_sha256"`
	// Regions and Periods are the N and T the costs were computed for,
	// LogDet the log-determinant method.
	Regions int    `json:"regions"`
	Periods int    `json:"periods"`
	LogDet  string `json:"logdet"`
	// CostModel describes the relative cost of a model (planCost).
	CostModel string      `json:"cost_model"`
	Shards    []planShard `json:"shards"`
}

// planShard is one shard of a plan: its models in the spec's order and
// their summed expected cost (relative units).
type planShard struct {
	Shard  int      `json:"shard"`
	Cost   float64  `json:"expected_cost"`
	Models []string `json:"models"`
}

const costModelText = "per model: rows·k² for non-spatial models and slx (k regressors, doubled by W·X), " +
	"plus 25 likelihood evaluations × (rows·k + L) for sar, sem, sdm, sdem (×2 for sac, ×1.5 for dynamic models, " +
	"×2 for random effects) and impacts_draws × N × k for the impacts of sar, sdm and sac, where one log-determinant " +
	"evaluation L is N (eigen), 10·N^1.5 (cholesky) or 50 (chebyshev, slq, mc); per shard and weights matrix used: " +
	"0.1·N³ (eigen), 10·N^1.5 (cholesky) or 3000·N (stochastic) to set up the log-determinant"

// logdetMethod is the method the batch uses for options.logdet at n
// regions: eigen when unset (the batch default), auto resolved as
// spatial.NewLogDeterminant resolves it.
func logdetMethod(option string, n int) string {
	switch {
	case option == "":
		return "eigen"
	case option != "auto":
		return option
	case n <= spatial.AutoEigenMaxN:
		return "eigen"
	case n <= spatial.AutoCholeskyMaxN:
		return "cholesky"
	}
	return "chebyshev"
}

// planSetup is the expected relative cost of setting up the
// log-determinant of one n×n weights matrix by method, paid once by each
// shard that fits a model on it (costModelText).
func planSetup(method string, n int) float64 {
	nf := float64(n)
	switch method {
	case "eigen":
		return 0.1 * nf * nf * nf
	case "cholesky":
		return 10 * math.Pow(nf, 1.5)
	}
	return 3000 * nf
}

// planCost is the expected relative cost of fitting m on a panel of n
// regions and t periods with draws impact draws and the log-determinant
// method (logdetMethod). The units are arbitrary (about 50 ns each on one
// 2026 core for the demo study): only ratios matter for balancing.
func planCost(m modelSpec, n, t, draws int, method string) float64 {
	rows := float64(n * t)
	k := float64(strings.Count(m.Formula, "+") + 1)
	model := strings.ToLower(m.Model)
	if model == "sdm" || model == "sdem" || model == "slx" {
		k *= 2
	}
	cost := rows * k * k
	switch model {
	case "sar", "sem", "sdm", "sdem", "sac":
		eval := float64(n)
		switch method {
		case "eigen":
		case "cholesky":
			eval = 10 * math.Pow(float64(n), 1.5)
		default:
			eval = 50
		}
		ml := 25 * (rows*k + eval)
		if model == "sac" {
			ml *= 2
		}
		if m.Dlag > 0 {
			ml *= 1.5
		}
		if strings.EqualFold(m.Effects, "random") {
			ml *= 2
		}
		cost += ml
		if model == "sar" || model == "sdm" || model == "sac" {
			cost += float64(draws) * float64(n) * k
		}
	}
	return cost
}

// balanceShards assigns models to n shards by the longest-processing-time
// rule (Graham 1969), extended by set-up costs: models in decreasing cost
// (ties by spec order), each to the shard whose expected cost after taking
// it is least (ties to the lowest number), where a shard pays setup[key]
// once for the first of its models with that key (a weights matrix's
// log-determinant; "" has none). Each shard keeps its models in the spec's
// order. The result is a function of its arguments only.
func balanceShards(models []modelSpec, costs []float64, keys []string, setup map[string]float64, n int) []planShard {
	order := make([]int, len(models))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return costs[order[a]] > costs[order[b]] })
	shards := make([]planShard, n)
	members := make([][]int, n)
	has := make([]map[string]bool, n)
	for s := range has {
		has[s] = map[string]bool{}
	}
	for _, i := range order {
		best, bestLoad := 0, math.Inf(1)
		for s := range shards {
			load := shards[s].Cost + costs[i]
			if key := keys[i]; key != "" && !has[s][key] {
				load += setup[key]
			}
			if load < bestLoad {
				best, bestLoad = s, load
			}
		}
		shards[best].Cost = bestLoad
		if keys[i] != "" {
			has[best][keys[i]] = true
		}
		members[best] = append(members[best], i)
	}
	for s := range shards {
		shards[s].Shard = s + 1
		slices.Sort(members[s])
		shards[s].Models = []string{}
		for _, i := range members[s] {
			shards[s].Models = append(shards[s].Models, models[i].ID)
		}
		shards[s].Cost = math.Round(shards[s].Cost) // whole units: plans stay byte-identical
	}
	return shards
}

// newBatchPlanCmd is `agglo batch plan`.
func newBatchPlanCmd(env *cliEnv) *cobra.Command {
	cmd := newCommand("plan", "plan a study for a cluster (Slurm job array or Kubernetes Indexed Job)", batchPlanUsage)
	fs := cmd.Flags()
	out := fs.String("out", "", "plan folder (required)")
	shards := fs.Int("shards", 0, "number of shards (required)")
	slurm := fs.Bool("slurm", false, "write a Slurm job array (submit.sbatch, merge.sbatch)")
	k8s := fs.Bool("k8s", false, "write a Kubernetes Indexed Job and merge Job")
	partition := fs.String("partition", "", "Slurm partition")
	timeLimit := fs.String("time", "", "Slurm time limit per shard (HH:MM:SS or D-HH:MM:SS)")
	mem := fs.String("mem", "", "memory per shard (Slurm --mem, e.g. 4G; Kubernetes memory request)")
	cpus := fs.Int("cpus-per-task", 1, "cores per shard (agglo batch --jobs)")
	account := fs.String("account", "", "Slurm account")
	aggloPath := fs.String("agglo", "", "agglo command the jobs run (default: this executable for Slurm, agglo for Kubernetes)")
	image := fs.String("image", "", "container image with agglo (Kubernetes)")
	claim := fs.String("claim", "", "persistent volume claim holding the spec, inputs and DIR (Kubernetes)")
	mount := fs.String("mount", "/data", "where the claim is mounted in the pods; the spec, inputs and DIR must lie under it (Kubernetes)")
	force := fs.Bool("force", false, "replace an existing plan folder")
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		if len(args) != 1 {
			return usagef("batch plan: want one SPEC.yaml and flags (see agglo batch plan --help)")
		}
		specPath := args[0]
		switch {
		case *out == "":
			return usagef("batch plan: --out DIR is required")
		case *shards < 1:
			return usagef("batch plan: --shards must be at least 1")
		case *slurm == *k8s:
			return usagef("batch plan: give one of --slurm and --k8s")
		case *cpus < 1:
			return usagef("batch plan: --cpus-per-task must be at least 1")
		case *k8s && (*image == "" || *claim == ""):
			return usagef("batch plan: --k8s needs --image and --claim")
		case *k8s && !filepath.IsAbs(*mount):
			return usagef("batch plan: --mount %q: want an absolute path", *mount)
		}
		if *timeLimit != "" && !validSlurmTime(*timeLimit) {
			return usagef("batch plan: --time %q: want HH:MM:SS, MM:SS, minutes or D-HH:MM:SS", *timeLimit)
		}
		if *mem != "" && !validMem(*mem) {
			return usagef("batch plan: --mem %q: want a number with K, M, G or T (4G)", *mem)
		}
		absSpec, err := filepath.Abs(specPath)
		if err != nil {
			return err
		}
		dir, err := filepath.Abs(*out)
		if err != nil {
			return err
		}
		spec, _, err := loadBatchSpec(absSpec)
		if err != nil {
			return err
		}
		inputs := spec.inputs(absSpec)
		hashes := map[string]string{}
		for _, in := range inputs {
			if hashes[in], err = sha256File(in); err != nil {
				return err
			}
		}
		if *k8s {
			for _, p := range append([]string{dir}, inputs...) {
				if !within(p, *mount) {
					return usagef("batch plan: %s is not under --mount %s: the pods see only the volume claim", p, *mount)
				}
			}
		}
		// Load the study once: its errors show here rather than on the
		// cluster, and N and T weigh the costs.
		study, err := loadBatchStudy(spec)
		if err != nil {
			return err
		}
		models := spec.expand()
		if *shards > len(models) {
			return usagef("batch plan: --shards %d: the spec has only %d model(s)", *shards, len(models))
		}
		n, t := study.panel.N(), study.panel.T()
		method := logdetMethod(spec.Options.Logdet, n)
		costs := make([]float64, len(models))
		keys := make([]string, len(models))
		setup := map[string]float64{}
		for i, m := range models {
			costs[i] = planCost(m, n, t, spec.Options.ImpactDraws, method)
			if isSpatialModel(m.Model) && !strings.EqualFold(m.Model, "slx") {
				keys[i] = m.Weights
				if keys[i] == "" && len(spec.Weights) == 1 {
					keys[i] = spec.Weights[0].Name
				}
				setup[keys[i]] = planSetup(method, n)
			}
		}
		plan := batchPlan{
			Agglo: version(), Spec: absSpec, Out: dir, Inputs: hashes,
			Regions: n, Periods: t, LogDet: method, CostModel: costModelText,
			Shards: balanceShards(models, costs, keys, setup, *shards),
		}
		planJSON, err := nulljson.MarshalIndent(plan, "", "  ")
		if err != nil {
			return err
		}
		planJSON = append(planJSON, '\n')
		files := map[string][]byte{"plan.json": planJSON}
		job := planJob{
			Name: jobName(absSpec), Spec: absSpec, Dir: dir, Shards: *shards, CPUs: *cpus, Mem: *mem,
			Partition: *partition, Time: *timeLimit, Account: *account,
		}
		if *slurm {
			job.Agglo = *aggloPath
			if job.Agglo == "" {
				if job.Agglo, err = os.Executable(); err != nil {
					return fmt.Errorf("batch plan: finding this executable (give --agglo): %w", err)
				}
			} else if strings.ContainsRune(job.Agglo, filepath.Separator) {
				// A path (not a command looked up on the nodes' PATH):
				// absolute, as the jobs run in another folder.
				if job.Agglo, err = filepath.Abs(job.Agglo); err != nil {
					return err
				}
			}
			files["submit.sbatch"] = []byte(job.sbatchArray())
			files["merge.sbatch"] = []byte(job.sbatchMerge())
		} else {
			job.Agglo = *aggloPath
			if job.Agglo == "" {
				job.Agglo = "agglo"
			}
			shardsYAML, mergeYAML, err := job.k8sJobs(*image, *claim, *mount)
			if err != nil {
				return err
			}
			files["k8s-shards.yaml"], files["k8s-merge.yaml"] = shardsYAML, mergeYAML
		}
		folder, err := openOutFolder(dir, *force, inputs)
		if err != nil {
			return err
		}
		defer folder.abort()
		names := make([]string, 0, len(files))
		for name := range files {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			if err := writeFileAtomic(folder.path(name), files[name]); err != nil {
				return err
			}
		}
		for _, sub := range []string{"shards", "logs"} {
			if err := os.Mkdir(folder.path(sub), 0o755); err != nil {
				return err
			}
		}
		if err := folder.commit(); err != nil {
			return err
		}
		for _, s := range plan.Shards {
			fmt.Fprintf(env.stdout, "shard %d: %d model(s), expected cost %.0f\n", s.Shard, len(s.Models), s.Cost)
		}
		if *slurm {
			fmt.Fprintf(env.stdout, "submit with: sbatch %s\nresults in %s\n", shellQuote(filepath.Join(dir, "submit.sbatch")), filepath.Join(dir, "results"))
		} else {
			fmt.Fprintf(env.stdout, "submit with: kubectl apply -f %s\nthen, when it completed: kubectl apply -f %s\n",
				shellQuote(filepath.Join(dir, "k8s-shards.yaml")), shellQuote(filepath.Join(dir, "k8s-merge.yaml")))
		}
		return nil
	}
	return cmd
}

// planJob holds what the job scripts need.
type planJob struct {
	Name, Agglo, Spec, Dir        string
	Shards, CPUs                  int
	Mem, Partition, Time, Account string
}

func (j planJob) plan() string { return filepath.Join(j.Dir, "plan.json") }

// sbatchHeader returns the #SBATCH lines common to both scripts.
func (j planJob) sbatchHeader(name, output string, cpus int) string {
	var b strings.Builder
	b.WriteString("#!/bin/bash\n")
	fmt.Fprintf(&b, "#SBATCH --job-name=%s\n", name)
	fmt.Fprintf(&b, "#SBATCH --output=%s\n", output)
	fmt.Fprintf(&b, "#SBATCH --cpus-per-task=%d\n", cpus)
	for _, kv := range [][2]string{{"partition", j.Partition}, {"time", j.Time}, {"mem", j.Mem}, {"account", j.Account}} {
		if kv[1] != "" {
			fmt.Fprintf(&b, "#SBATCH --%s=%s\n", kv[0], kv[1])
		}
	}
	return b.String()
}

// sbatchArray is submit.sbatch: the job array of the shards. The first
// task of a submission queues merge.sbatch after the whole array
// (afterok), once per array job.
func (j planJob) sbatchArray() string {
	var b strings.Builder
	b.WriteString(j.sbatchHeader(j.Name, filepath.Join(j.Dir, "logs", "shard-%a.out"), j.CPUs))
	fmt.Fprintf(&b, "#SBATCH --array=1-%d\n", j.Shards)
	fmt.Fprintf(&b, "# Written by agglo batch plan (%s). Submit with: sbatch %s\n", version(), shellQuote(filepath.Join(j.Dir, "submit.sbatch")))
	fmt.Fprintf(&b, "# Re-run shard k alone with: sbatch --array=k %s\n", shellQuote(filepath.Join(j.Dir, "submit.sbatch")))
	b.WriteString("set -euo pipefail\n")
	fmt.Fprintf(&b, "dir=%s\n", shellQuote(j.Dir))
	b.WriteString(`if [ "$SLURM_ARRAY_TASK_ID" = "${SLURM_ARRAY_TASK_MIN:-1}" ] && (set -o noclobber; : > "$dir/logs/.merge-queued-$SLURM_ARRAY_JOB_ID") 2>/dev/null; then
  sbatch --parsable --dependency="afterok:$SLURM_ARRAY_JOB_ID" --kill-on-invalid-dep=yes "$dir/merge.sbatch"
fi
`)
	fmt.Fprintf(&b, "exec %s batch %s --plan \"$dir/plan.json\" --shard \"$SLURM_ARRAY_TASK_ID/%d\" --out \"$dir/shards/$SLURM_ARRAY_TASK_ID\" --jobs \"${SLURM_CPUS_PER_TASK:-1}\" --force\n",
		shellQuote(j.Agglo), shellQuote(j.Spec), j.Shards)
	return b.String()
}

// sbatchMerge is merge.sbatch: merges DIR/shards/* into DIR/results.
func (j planJob) sbatchMerge() string {
	var b strings.Builder
	b.WriteString(j.sbatchHeader(j.Name+"-merge", filepath.Join(j.Dir, "logs", "merge.out"), 1))
	fmt.Fprintf(&b, "# Written by agglo batch plan (%s); submit.sbatch queues it.\n", version())
	b.WriteString("set -euo pipefail\n")
	fmt.Fprintf(&b, "dir=%s\n", shellQuote(j.Dir))
	fmt.Fprintf(&b, "exec %s batch merge --out \"$dir/results\" --force \"$dir\"/shards/*\n", shellQuote(j.Agglo))
	return b.String()
}

// k8sJobs returns the Indexed Job of the shards and the merge Job.
func (j planJob) k8sJobs(image, claim, mount string) (shards, merge []byte, err error) {
	res := map[string]any{"requests": map[string]string{"cpu": strconv.Itoa(j.CPUs)}}
	if j.Mem != "" {
		res["requests"].(map[string]string)["memory"] = k8sMem(j.Mem)
		res["limits"] = map[string]string{"memory": k8sMem(j.Mem)}
	}
	pod := func(command string, resources map[string]any) map[string]any {
		return map[string]any{
			"restartPolicy": "Never",
			"containers": []any{map[string]any{
				"name": "agglo", "image": image,
				"command":      []string{"/bin/sh", "-c", command},
				"resources":    resources,
				"volumeMounts": []any{map[string]any{"name": "study", "mountPath": mount}},
			}},
			"volumes": []any{map[string]any{"name": "study", "persistentVolumeClaim": map[string]any{"claimName": claim}}},
		}
	}
	shardCmd := fmt.Sprintf("k=$((JOB_COMPLETION_INDEX + 1)); exec %s batch %s --plan %s --shard \"$k/%d\" --out %s/\"$k\" --jobs %d --force",
		shellQuote(j.Agglo), shellQuote(j.Spec), shellQuote(j.plan()), j.Shards, shellQuote(filepath.Join(j.Dir, "shards")), j.CPUs)
	shardJob := map[string]any{
		"apiVersion": "batch/v1", "kind": "Job",
		"metadata": map[string]any{"name": j.Name, "labels": map[string]string{"app": "agglo"}},
		"spec": map[string]any{
			"completionMode": "Indexed", "completions": j.Shards, "parallelism": j.Shards,
			"backoffLimit": 3 * j.Shards,
			"template":     map[string]any{"spec": pod(shardCmd, res)},
		},
	}
	mergeCmd := fmt.Sprintf("exec %s batch merge --out %s --force %s/*", shellQuote(j.Agglo),
		shellQuote(filepath.Join(j.Dir, "results")), shellQuote(filepath.Join(j.Dir, "shards")))
	mergeJob := map[string]any{
		"apiVersion": "batch/v1", "kind": "Job",
		"metadata": map[string]any{"name": j.Name + "-merge", "labels": map[string]string{"app": "agglo"}},
		"spec": map[string]any{
			"backoffLimit": 2,
			"template":     map[string]any{"spec": pod(mergeCmd, map[string]any{"requests": map[string]string{"cpu": "1"}})},
		},
	}
	header := fmt.Sprintf("# Written by agglo batch plan (%s).\n", version())
	if shards, err = yaml.Marshal(shardJob); err != nil {
		return nil, nil, err
	}
	if merge, err = yaml.Marshal(mergeJob); err != nil {
		return nil, nil, err
	}
	shards = append([]byte(header+"# Apply, wait for it (kubectl wait --for=condition=complete job/"+j.Name+"), then apply k8s-merge.yaml.\n"), shards...)
	merge = append([]byte(header), merge...)
	return shards, merge, nil
}

// jobName derives a job name from the spec's file name: agglo-<name>,
// lower case letters, digits and dashes (a Kubernetes name), at most 50
// characters.
func jobName(spec string) string {
	base := strings.TrimSuffix(filepath.Base(spec), filepath.Ext(spec))
	var b strings.Builder
	b.WriteString("agglo-")
	for _, r := range strings.ToLower(base) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else if !strings.HasSuffix(b.String(), "-") {
			b.WriteByte('-')
		}
	}
	name := strings.TrimRight(b.String(), "-")
	if len(name) > 50 {
		name = strings.TrimRight(name[:50], "-")
	}
	return name
}

// shellQuote quotes s for a POSIX shell (single quotes) unless it is made
// of safe characters only.
func shellQuote(s string) string {
	safe := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+=:,@%", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// validSlurmTime accepts Slurm's time formats: minutes, MM:SS, HH:MM:SS,
// D-HH, D-HH:MM and D-HH:MM:SS.
func validSlurmTime(s string) bool {
	days, rest, hasDays := strings.Cut(s, "-")
	if hasDays {
		if _, err := strconv.Atoi(days); err != nil {
			return false
		}
	} else {
		rest = days
	}
	parts := strings.Split(rest, ":")
	if len(parts) > 3 {
		return false
	}
	for _, p := range parts {
		if v, err := strconv.Atoi(p); err != nil || v < 0 {
			return false
		}
	}
	return true
}

// validMem accepts a memory size as Slurm's --mem: digits and an optional
// unit K, M, G or T.
func validMem(s string) bool {
	num := strings.TrimRight(s, "KMGTkmgt")
	if len(s)-len(num) > 1 {
		return false
	}
	v, err := strconv.Atoi(num)
	return err == nil && v > 0
}

// k8sMem turns a Slurm memory size (4G) into a Kubernetes quantity (4Gi);
// Slurm's default unit is megabytes.
func k8sMem(s string) string {
	num := strings.TrimRight(s, "KMGTkmgt")
	unit := strings.ToUpper(s[len(num):])
	switch unit {
	case "":
		unit = "M"
	case "K":
		return num + "Ki"
	}
	return num + unit + "i"
}

// checkPlan checks a shard run against its plan: the same spec file and
// n, and every input unchanged since the plan. It returns the IDs of
// shard i's models and the SHA-256 of the plan file.
func checkPlan(planPath, specPath string, inputs []string, hashes map[string]string, i, n int) (map[string]bool, string, error) {
	raw, err := os.ReadFile(planPath)
	if err != nil {
		return nil, "", fmt.Errorf("--plan: %w", err)
	}
	var plan batchPlan
	if err := nulljson.Unmarshal(raw, &plan); err != nil {
		return nil, "", fmt.Errorf("--plan %s: %w", planPath, err)
	}
	if !samePath(plan.Spec, specPath) {
		return nil, "", fmt.Errorf("--plan %s is for the spec %s, not %s", planPath, plan.Spec, specPath)
	}
	if n != len(plan.Shards) {
		return nil, "", usagef("--shard %d/%d: the plan %s has %d shards", i, n, planPath, len(plan.Shards))
	}
	var problems []string
	for _, in := range inputs {
		abs, _ := filepath.Abs(in)
		want, ok := plan.Inputs[abs]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("%s is not an input of the plan", abs))
		case want != hashes[in]:
			problems = append(problems, fmt.Sprintf("%s changed since the plan (SHA-256 %.12s…, planned %.12s…)", abs, hashes[in], want))
		}
	}
	for p := range plan.Inputs {
		if !slices.ContainsFunc(inputs, func(in string) bool { a, _ := filepath.Abs(in); return a == p }) {
			problems = append(problems, fmt.Sprintf("the plan's input %s is no longer read by the spec", p))
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, "", fmt.Errorf("shard %d/%d refuses to run: %s; plan again (agglo batch plan)", i, n, strings.Join(problems, "; "))
	}
	ids := map[string]bool{}
	for _, id := range plan.Shards[i-1].Models {
		ids[id] = true
	}
	sum := sha256.Sum256(raw)
	return ids, hex.EncodeToString(sum[:]), nil
}
