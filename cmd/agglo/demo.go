package main

import (
	"fmt"
	"github.com/spf13/cobra"
	"path/filepath"
	"time"

	"github.com/agglo/agglo/demo"
)

const demoUsage = `Usage: agglo demo [--out DIR] [--seed S] [--draws R] [--permutations R] [--force]

Runs the whole study on the synthetic data embedded in agglo (100 regions,
2013–2017, manufacturing and five producer-service sectors with their online
shares, patents generated from a spatial Durbin model with known
coefficients): agglomeration and virtual-agglomeration indices, Moran's I by
year, LM tests, SAR/SEM/SDM with region fixed effects and their effects, the
SDM against the truth, tables and figures. Writes a report folder and prints
where. Its data/ folder holds the study's inputs and, for the README's
figures, plm's Produc panel, the contiguity of its states (usaww_edges.csv)
and the US states' polygons (us_states.geojson).
`

// newDemoCmd is `agglo demo`.
func newDemoCmd(env *cliEnv) *cobra.Command {
	cmd := newCommand("demo", "run the whole study on the embedded demo data into a report folder", demoUsage)
	fs := cmd.Flags()
	out := fs.String("out", "agglo-demo", "report `folder` (must not exist unless --force)")
	seed := fs.Uint64("seed", 1, "seed of the permutation tests and the impacts' simulation")
	draws := fs.Int("draws", 1000, "simulated draws for the impacts' standard errors")
	perms := fs.Int("permutations", 999, "permutations of Moran's I")
	force := fs.Bool("force", false, "replace an existing folder (the whole folder, once the new one is complete)")
	tf := addTableFlags(fs)
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		topt, err := tf.options(nil)
		if err != nil {
			return err
		}
		if fs.NArg() != 0 {
			return unexpectedArgs(cmd, "demo", fs.Args())
		}
		if *draws < 1 || *perms < 1 {
			return usagef("demo: --draws and --permutations must be positive")
		}
		folder, err := openOutFolder(*out, *force, []string{tf.labels})
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		defer folder.abort() // a no-op after commit
		files, err := demo.EmbeddedFiles()
		if err != nil {
			return err
		}
		// The public example data (Produc, the US states) go to data/ too, for
		// the README's figures.
		examples, err := demo.ExampleFiles()
		if err != nil {
			return err
		}
		for name, b := range examples {
			files[name] = b
		}
		truth := demo.DefaultTruth()
		start := time.Now()
		opts := demo.StudyOptions{Seed: *seed, ImpactDraws: *draws, Permutations: *perms, Truth: &truth, Table: topt}
		if env.isTerminal {
			opts.Progress = func(step string) { fmt.Fprintf(env.stderr, "agglo demo: %s…\n", step) }
		}
		rep, err := demo.RunStudy(files, folder.tmp, opts)
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		if err := folder.commit(); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		fmt.Fprintf(env.stdout, "agglo demo: wrote %d files to %s in %.1f s\n", len(rep.Files), *out, time.Since(start).Seconds())
		fmt.Fprintf(env.stdout, "  models:  %s (SAR, SEM, SDM side by side; .tex and .csv too)\n", filepath.Join(*out, "table.md"))
		fmt.Fprintf(env.stdout, "  report:  %s\n", filepath.Join(*out, "report.md"))
		fmt.Fprintf(env.stdout, "  figures: %s\n", filepath.Join(*out, "figures"))
		est, _ := rep.Models["sdm"].Options["estimator"].(string)
		fmt.Fprintf(env.stdout, "The tests point to the %s (Elhorst 2010's rule: %s; see report.md)\n", map[string]string{"sar": "SAR", "sem": "SEM", "sdm": "SDM", "fe": "non-spatial model"}[rep.Chosen], rep.Decision.Reason)
		fmt.Fprintf(env.stdout, "SDM (%s) against the generator's truth:\n", est)
		for _, t := range rep.TruthCheck {
			fmt.Fprintf(env.stdout, "  %-10s truth %7.3f  estimate %7.3f  (s.e. %.3f, z = %5.2f)\n", t.Name, t.Truth, t.Estimate, t.StdError, t.Z)
		}
		return nil
	}
	return cmd
}
