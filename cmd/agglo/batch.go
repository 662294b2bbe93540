package main

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"time"

	"github.com/agglo/agglo/internal/nulljson"
	"gopkg.in/yaml.v3"
)

const batchUsage = `Usage:
  agglo batch SPEC.yaml [--out DIR] [--jobs N] [--shard i/n] [--force]
  agglo batch merge --out DIR SHARD_DIR...

Runs every model of a study spec (formulas × models × effects × weights, and
a list of single models) and writes models/<id>.json, a combined table
(table.md, table.tex, table.csv) and manifest.json to DIR. A failing model
is recorded with its error (a model whose estimates are NaN or infinite
too) and the others go on; the exit code is then 1. Numbers that are not
finite are written as JSON null.
--shard i/n runs every n-th model starting at the i-th; 'agglo batch merge'
combines shard folders into the table of the whole study.

DIR is written as a whole: into a temporary folder beside it (.DIR.tmp-*)
that takes its place only when the run is complete, with a COMPLETE file
written last. An interrupted or failed run leaves an earlier DIR as it was;
--force replaces all of it; a second run on the same DIR while one is
writing is refused (lock file .DIR.lock). merge refuses shard folders
without COMPLETE.
`

// runBatch is `agglo batch`.
func runBatch(env *cliEnv, args []string) error {
	if len(args) > 0 && args[0] == "merge" {
		return runBatchMerge(env, args[1:])
	}
	fs := newFlagSet(env, "batch", batchUsage)
	out := fs.String("out", "", "output folder (default: the spec's name without extension, beside it)")
	jobs := fs.Int("jobs", runtime.GOMAXPROCS(0), "models fitted in parallel")
	shard := fs.String("shard", "", "run only shard i of n (i/n)")
	force := fs.Bool("force", false, "replace an existing output folder (all of it, once the new one is complete)")
	tf := addTableFlags(fs)
	specPath, rest := splitPositional(args)
	if err := parseFlags(fs, rest); err != nil {
		return err
	}
	if specPath == "" {
		if fs.NArg() != 1 {
			return usagef("batch: want one SPEC.yaml (see agglo batch -h)")
		}
		specPath = fs.Arg(0)
	} else if fs.NArg() != 0 {
		return usagef("batch: unexpected arguments %q", fs.Args())
	}
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
	study, err := loadBatchStudy(spec)
	if err != nil {
		return err
	}
	folder, err := openOutFolder(dir, *force, append(inputs, tf.labels))
	if err != nil {
		return err
	}
	defer folder.abort() // a no-op after commit
	models := shardOf(spec.expand(), shardI, shardN)
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

// splitPositional takes a leading positional argument (the spec) off args,
// so that flags may follow it.
func splitPositional(args []string) (string, []string) {
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		return args[0], args[1:]
	}
	return "", args
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

// runBatchMerge is `agglo batch merge`.
func runBatchMerge(env *cliEnv, args []string) error {
	fs := newFlagSet(env, "batch merge", batchUsage)
	out := fs.String("out", "", "merged output folder (required)")
	force := fs.Bool("force", false, "replace an existing output folder (all of it, once the new one is complete)")
	tf := addTableFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() == 0 {
		return usagef("batch merge: want --out DIR and at least one shard folder")
	}
	for _, d := range fs.Args() {
		if _, err := os.Stat(filepath.Join(d, completeMarker)); err != nil {
			return fmt.Errorf("shard %s is incomplete (no %s: the run was interrupted or is still going); rerun it", d, completeMarker)
		}
	}
	outcomes, err := readOutcomes(fs.Args())
	if err != nil {
		return err
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
