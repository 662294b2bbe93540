package main

import (
	"fmt"
	"github.com/spf13/cobra"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/agglo/agglo/internal/nulljson"
	"gopkg.in/yaml.v3"
)

const batchUsage = `Usage:
  agglo batch SPEC.yaml [--out DIR] [--jobs N] [--shard i/n [--plan plan.json]] [--force]
  agglo batch merge --out DIR SHARD_DIR...
  agglo batch plan SPEC.yaml --out DIR --shards N (--slurm | --k8s) [...]

Runs every model of a study spec (formulas × models × effects × weights, and
a list of single models) and writes models/<id>.json, a combined table
(table.md, table.tex, table.csv) and manifest.json to DIR. A failing model
is recorded with its error (a model whose estimates are NaN or infinite
too) and the others go on; the exit code is then 1. Numbers that are not
finite are written as JSON null.
--shard i/n runs every n-th model starting at the i-th; 'agglo batch merge'
combines shard folders into the table of the whole study; it refuses a set
with a missing or duplicated shard. 'agglo batch plan' writes a Slurm job
array or Kubernetes jobs for a cluster (see agglo batch plan --help); --plan
runs one shard of such a plan.

DIR is written as a whole: into a temporary folder beside it (.DIR.tmp-*)
that takes its place only when the run is complete, with a COMPLETE file
written last. An interrupted or failed run leaves an earlier DIR as it was;
--force replaces all of it; a second run on the same DIR while one is
writing is refused (lock file .DIR.lock). merge refuses shard folders
without COMPLETE.
`

// newBatchCmd is `agglo batch` with its sub-commands merge and plan.
func newBatchCmd(env *cliEnv) *cobra.Command {
	cmd := newCommand("batch", "run a study spec of many models into publication tables", batchUsage)
	cmd.AddCommand(newBatchMergeCmd(env), newBatchPlanCmd(env))
	fs := cmd.Flags()
	out := fs.String("out", "", "output folder (default: the spec's name without extension, beside it)")
	jobs := fs.Int("jobs", runtime.GOMAXPROCS(0), "models fitted in parallel")
	shard := fs.String("shard", "", "run only shard i of n (i/n)")
	force := fs.Bool("force", false, "replace an existing output folder (all of it, once the new one is complete)")
	planPath := fs.String("plan", "", "run shard i/n of this plan.json (agglo batch plan): its models, after checking the inputs")
	tf := addTableFlags(fs)
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		if len(args) != 1 {
			return usagef("batch: want one SPEC.yaml, got %d arguments (see agglo batch --help)", len(args))
		}
		specPath := args[0]
		if *jobs < 1 {
			return usagef("batch: --jobs must be at least 1")
		}
		shardI, shardN := 1, 1
		if *shard != "" {
			var err error
			if shardI, shardN, err = parseShard(*shard); err != nil {
				return err
			}
		}
		start := time.Now().UTC()
		spec, specText, err := loadBatchSpec(specPath)
		if err != nil {
			return err
		}
		topt, err := tf.options(spec.Labels)
		if err != nil {
			return err
		}
		dir := *out
		if dir == "" {
			base := filepath.Base(specPath)
			dir = filepath.Join(filepath.Dir(specPath), base[:len(base)-len(filepath.Ext(base))]+"_out")
		}
		inputs := spec.inputs(specPath)
		hashes := map[string]string{}
		for _, in := range inputs {
			h, err := sha256File(in)
			if err != nil {
				return err
			}
			hashes[in] = h
		}
		models := shardOf(spec.expand(), shardI, shardN)
		planHash := ""
		if *planPath != "" {
			if *shard == "" {
				return usagef("batch: --plan needs --shard i/n")
			}
			ids, h, err := checkPlan(*planPath, specPath, inputs, hashes, shardI, shardN)
			if err != nil {
				return err
			}
			planHash = h
			models = slices.DeleteFunc(spec.expand(), func(m modelSpec) bool { return !ids[m.ID] })
			if len(models) != len(ids) {
				return fmt.Errorf("--plan %s: shard %d names models the spec does not have: plan again", *planPath, shardI)
			}
		}
		study, err := loadBatchStudy(spec)
		if err != nil {
			return err
		}
		folder, err := openOutFolder(dir, *force, append(inputs, tf.labels))
		if err != nil {
			return err
		}
		defer folder.abort() // a no-op after commit
		var progress *os.File
		if env.isTerminal {
			progress = os.Stderr
		}
		var outcomes []modelOutcome
		if progress != nil {
			outcomes = runModels(models, *jobs, study.fit, progress)
		} else {
			outcomes = runModels(models, *jobs, study.fit, nil)
		}
		if err := writeOutcomes(folder.tmp, outcomes); err != nil {
			return err
		}
		shardLabel := ""
		if shardN > 1 {
			shardLabel = fmt.Sprintf("%d/%d", shardI, shardN)
		}
		if err := writeBatchTables(folder.tmp, topt); err != nil {
			return err
		}
		m := manifest{
			Agglo:    version(),
			Build:    readBuildInfo(),
			Spec:     specPath,
			SpecText: string(specText),
			Inputs:   hashes,
			Seed:     spec.Options.Seed,
			Shard:    shardLabel,
			Plan:     planHash,
			Start:    start.Format(time.RFC3339Nano),
			End:      time.Now().UTC().Format(time.RFC3339Nano),
		}
		failed := 0
		for _, o := range outcomes {
			mm := manifestModel{ID: o.Spec.ID, Status: "ok", Seconds: o.Duration}
			if o.Error != "" {
				mm.Status, mm.Error = "failed", o.Error
				failed++
				fmt.Fprintf(env.stderr, "agglo: model %s (%s %s %s): %s\n", o.Spec.ID, o.Spec.Model, o.Spec.Effects, o.Spec.Formula, o.Error)
			}
			m.Models = append(m.Models, mm)
		}
		if err := folder.commitWith("manifest.json", m); err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "%d model(s) fitted, %d failed; results in %s\n", len(outcomes)-failed, failed, dir)
		if failed > 0 {
			return fmt.Errorf("%d of %d model(s) failed (see above and %s)", failed, len(outcomes), filepath.Join(dir, "manifest.json"))
		}
		return nil
	}
	return cmd
}

// inputs lists every file the spec reads, sorted and without duplicates.
func (s *batchSpec) inputs(specPath string) []string {
	set := map[string]bool{specPath: true, s.Data: true}
	for _, w := range s.Weights {
		set[w.File] = true
		set[w.IDs] = true
	}
	if s.Index != nil {
		set[s.Index.Data] = true
		if s.Index.Groups != "" {
			set[s.Index.Groups] = true
		}
	}
	var out []string
	for k := range set {
		if k != "" {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// newBatchMergeCmd is `agglo batch merge`.
func newBatchMergeCmd(env *cliEnv) *cobra.Command {
	cmd := newCommand("merge", "merge the shard folders of a study into its tables", batchUsage)
	fs := cmd.Flags()
	out := fs.String("out", "", "merged output folder (required)")
	force := fs.Bool("force", false, "replace an existing output folder (all of it, once the new one is complete)")
	tf := addTableFlags(fs)
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		if *out == "" || fs.NArg() == 0 {
			return usagef("batch merge: want --out DIR and at least one shard folder")
		}
		for _, d := range fs.Args() {
			if _, err := os.Stat(filepath.Join(d, completeMarker)); err != nil {
				return fmt.Errorf("shard %s is incomplete (no %s: the run was interrupted or is still going); rerun it", d, completeMarker)
			}
		}
		var shards []manifest
		labels := map[string]string{}
		for _, d := range fs.Args() {
			b, err := os.ReadFile(filepath.Join(d, "manifest.json"))
			if err != nil {
				return fmt.Errorf("shard %s: %w", d, err)
			}
			var m manifest
			if err := nulljson.Unmarshal(b, &m); err != nil {
				return fmt.Errorf("shard %s: manifest.json: %w", d, err)
			}
			// The spec's labels: apply to the merged table as to the shards'.
			var spec struct {
				Labels map[string]string `yaml:"labels"`
			}
			if err := yaml.Unmarshal([]byte(m.SpecText), &spec); err != nil {
				return fmt.Errorf("shard %s: manifest.json: spec_text: %w", d, err)
			}
			maps.Copy(labels, spec.Labels)
			shards = append(shards, m)
		}
		if err := checkShardSet(fs.Args(), shards); err != nil {
			return err
		}
		outcomes, err := readOutcomes(fs.Args())
		if err != nil {
			return err
		}
		topt, err := tf.options(labels)
		if err != nil {
			return err
		}
		folder, err := openOutFolder(*out, *force, append(fs.Args(), tf.labels))
		if err != nil {
			return err
		}
		defer folder.abort() // a no-op after commit
		if err := writeOutcomes(folder.tmp, outcomes); err != nil {
			return err
		}
		if err := writeBatchTables(folder.tmp, topt); err != nil {
			return err
		}
		merged := struct {
			Agglo  string     `json:"agglo_version"`
			Build  buildInfo  `json:"build"`
			Merged []string   `json:"merged_from"`
			Shards []manifest `json:"shards"`
		}{version(), readBuildInfo(), fs.Args(), shards}
		if err := folder.commitWith("manifest.json", merged); err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "merged %d model(s) from %d folder(s) into %s\n", len(outcomes), fs.NArg(), *out)
		return nil
	}
	return cmd
}

// checkShardSet refuses to merge shard folders (manifests with a shard
// label i/n) that are not exactly shards 1…n of one run: a missing or
// duplicated shard, shards of different plans, specs or inputs. Folders
// without a shard label (whole runs) are merged as before.
func checkShardSet(dirs []string, ms []manifest) error {
	labelled := -1
	for k, m := range ms {
		if m.Shard != "" {
			labelled = k
			break
		}
	}
	if labelled < 0 {
		return nil
	}
	first := ms[labelled]
	_, n, err := parseShard(first.Shard)
	if err != nil {
		return fmt.Errorf("shard %s: manifest.json: shard %q", dirs[labelled], first.Shard)
	}
	byShard := map[int][]string{}
	for k, m := range ms {
		if m.Shard == "" {
			return fmt.Errorf("%s is a whole run, %s is shard %s: merge shards of one run only", dirs[k], dirs[labelled], first.Shard)
		}
		i, nn, err := parseShard(m.Shard)
		if err != nil || nn != n {
			return fmt.Errorf("%s is shard %s, %s is shard %s: merge shards of one run only", dirs[k], m.Shard, dirs[labelled], first.Shard)
		}
		switch {
		case m.Plan != first.Plan:
			return fmt.Errorf("%s and %s ran different plans: merge shards of one plan only", dirs[labelled], dirs[k])
		case m.SpecText != first.SpecText:
			return fmt.Errorf("%s and %s ran different specs: merge shards of one spec only", dirs[labelled], dirs[k])
		case !slices.Equal(slices.Sorted(maps.Values(m.Inputs)), slices.Sorted(maps.Values(first.Inputs))):
			return fmt.Errorf("%s and %s ran on different inputs (SHA-256 differ): re-run the shards of the old inputs", dirs[labelled], dirs[k])
		}
		byShard[i] = append(byShard[i], dirs[k])
	}
	var problems []string
	var missing []string
	for i := 1; i <= n; i++ {
		switch d := byShard[i]; {
		case len(d) == 0:
			missing = append(missing, strconv.Itoa(i))
		case len(d) > 1:
			problems = append(problems, fmt.Sprintf("shard %d/%d is given %d times (%s)", i, n, len(d), strings.Join(d, ", ")))
		}
	}
	if len(missing) > 0 {
		problems = append([]string{fmt.Sprintf("shard(s) %s of %d missing", strings.Join(missing, ", "), n)}, problems...)
	}
	if len(problems) > 0 {
		return fmt.Errorf("batch merge: %s", strings.Join(problems, "; "))
	}
	return nil
}
