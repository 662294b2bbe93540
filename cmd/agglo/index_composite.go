package main

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/spf13/cobra"
	"slices"

	"github.com/agglo/agglo/index"
)

const compositeUsage = `Usage:
  agglo index composite --data FILE --id COL [--time COL] --indicators a,b,c [--negative b]
                        [--method entropy|pca|equal] [--normalise minmax|zscore] [--pooled | --by-period]
                        [--format csv|json|text] [--out FILE] [--weights-out FILE.csv]

composite combines several indicators into one index per region and period:
entropy weights (default; min-max normalisation, p ln p = 0 at p = 0), the
loadings of the first principal component of the z-scored indicators (sign
fixed so that the first loading is positive), or equal weights. Negative
indicators (more is worse) are reversed. The normalisation and weights are
computed over all rows pooled (default) or within each period (--by-period).
CSV output is the index (region, period, index); --weights-out writes the
weights as CSV; json and text hold both.
`

// newIndexCompositeCmd is "agglo index composite".
func newIndexCompositeCmd(env *cliEnv) *cobra.Command {
	cmd := newCommand("composite", "composite index of several indicators: entropy, PCA or equal weights", compositeUsage)
	fs := cmd.Flags()
	data := fs.String("data", "", "CSV `FILE` with one row per region and period (required)")
	id := fs.String("id", "", "region `column` (required)")
	timeCol := fs.String("time", "", "period `column` (omit for a cross-section)")
	inds := fs.String("indicators", "", "comma-separated indicator `columns` (required)")
	negative := fs.String("negative", "", "comma-separated indicators where more is worse (reversed)")
	method := fs.String("method", "entropy", "weights: entropy, pca or equal")
	normalise := fs.String("normalise", "", "minmax or zscore (default minmax; pca always z-scores)")
	pooled := fs.Bool("pooled", false, "normalise and weight over all rows pooled (the default)")
	byPeriod := fs.Bool("by-period", false, "normalise and weight within each period")
	format := fs.String("format", "csv", "output format: csv, json or text")
	out := fs.String("out", "", "output `file` (written atomically; default stdout)")
	weightsOut := fs.String("weights-out", "", "write the weights as CSV to `FILE`")
	input := addInputFlags(fs)
	completeValues(cmd, "method", "entropy", "pca", "equal")
	completeValues(cmd, "normalise", "minmax", "zscore")
	completeValues(cmd, "format", "csv", "json", "text")
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		if fs.NArg() > 0 {
			return unexpectedArgs(cmd, "index composite", fs.Args())
		}
		if *data == "" || *id == "" || *inds == "" {
			return usagef("index composite: --data, --id and --indicators are required")
		}
		if *pooled && *byPeriod {
			return usagef("index composite: give --pooled or --by-period, not both")
		}
		if *byPeriod && *timeCol == "" {
			return usagef("index composite: --by-period needs --time COL")
		}
		names := splitList(*inds)
		for k, n := range names {
			if n == "" || slices.Contains(names[:k], n) {
				return usagef("--indicators %q: empty or repeated column %q", *inds, n)
			}
		}
		opts := index.CompositeOptions{ByPeriod: *byPeriod, Negative: make([]bool, len(names))}
		var err error
		if opts.Method, err = index.ParseCompositeMethod(*method); err != nil {
			return usagef("--method %q: want entropy, pca or equal", *method)
		}
		switch {
		case *normalise == "" && opts.Method == index.PCAMethod:
			opts.Normalise = index.ZScore
		case *normalise != "":
			if opts.Normalise, err = index.ParseNormalisation(*normalise); err != nil {
				return usagef("--normalise %q: want minmax or zscore", *normalise)
			}
		}
		if opts.Method == index.EntropyMethod && opts.Normalise != index.MinMax {
			return usagef("index composite: the entropy method needs --normalise minmax")
		}
		if opts.Method == index.PCAMethod && opts.Normalise != index.ZScore {
			return usagef("index composite: pca works on z-scores (--normalise zscore)")
		}
		for _, n := range splitList(*negative) {
			k := slices.Index(names, n)
			if k < 0 {
				return usagef("--negative %q: not one of --indicators %s", n, *inds)
			}
			opts.Negative[k] = true
		}
		switch *format {
		case "csv", "json", "text":
		default:
			return usagef("index composite: --format %q: want csv, json or text", *format)
		}
		if err := checkOutput("--out", *out, *data); err != nil {
			return err
		}
		if *weightsOut != "" {
			if err := checkOutput("--weights-out", *weightsOut, *data, *out); err != nil {
				return err
			}
		}
		topt, err := input.options()
		if err != nil {
			return err
		}
		d, err := index.ReadIndicatorsFile(*data, *id, *timeCol, names, topt)
		if err != nil {
			return err
		}
		res, err := index.CompositeOf(d, opts)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		switch *format {
		case "csv":
			tc := *timeCol
			if tc == "" {
				tc = "period"
			}
			err = res.WriteIndexCSV(&buf, *id, tc)
		case "json":
			err = res.WriteJSON(&buf)
		case "text":
			err = res.WriteText(&buf)
		}
		if err != nil {
			return err
		}
		if *weightsOut != "" {
			var wb bytes.Buffer
			if err := res.WriteWeightsCSV(&wb); err != nil {
				return err
			}
			if err := writeOutput(env, *weightsOut, wb.Bytes(), *data); err != nil {
				return err
			}
		}
		return writeOutput(env, *out, buf.Bytes(), *data)
	}
	return cmd
}

// compositeOptions returns the options of a composite index column of a
// batch spec (method entropy, normalise minmax by default; pca z-scores).
func (c indexColumnSpec) compositeOptions() (index.CompositeOptions, error) {
	opts := index.CompositeOptions{ByPeriod: c.ByPeriod, Negative: make([]bool, len(c.Indicators))}
	if len(c.Indicators) == 0 {
		return opts, errors.New("indicators: a list of panel columns is required")
	}
	var err error
	if c.Method != "" {
		if opts.Method, err = index.ParseCompositeMethod(c.Method); err != nil {
			return opts, err
		}
	}
	switch {
	case c.Normalise != "":
		if opts.Normalise, err = index.ParseNormalisation(c.Normalise); err != nil {
			return opts, err
		}
	case opts.Method == index.PCAMethod:
		opts.Normalise = index.ZScore
	}
	for _, n := range c.Negative {
		k := slices.Index(c.Indicators, n)
		if k < 0 {
			return opts, fmt.Errorf("negative %q is not one of the indicators", n)
		}
		opts.Negative[k] = true
	}
	return opts, nil
}
