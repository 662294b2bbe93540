package main

import (
	"bytes"
	"github.com/spf13/cobra"
	"strings"

	"github.com/agglo/agglo/regress"
)

const describeUsage = `Usage: agglo describe --data FILE --vars a,b,c [--by COL] [--id COL] [--format text|markdown|latex|csv] [--out FILE]

Writes the descriptive statistics of a paper's "Table 1": for each variable
N, mean, SD, min, p25, median, p75 and max (quantiles of type 7, as R's
quantile), per group of --by when given; with --id (the region column) also
the number of regions and the between and within SDs of Stata's xtsum.
Missing values are left out variable by variable.

Flags:
`

// newDescribeCmd is agglo describe.
func newDescribeCmd(env *cliEnv) *cobra.Command {
	cmd := newCommand("describe", "descriptive statistics of variables (Table 1): N, mean, SD, quartiles, between/within SD", describeUsage)
	fs := cmd.Flags()
	data := fs.String("data", "", "data `FILE` with a header (.csv, .tsv, .txt, .xlsx, .dta or .parquet)")
	vars := fs.String("vars", "", "comma-separated `COLUMNS` to describe")
	by := fs.String("by", "", "describe per value of this `COLUMN`")
	id := fs.String("id", "", "region `COLUMN` of a panel: adds between and within SDs")
	format := fs.String("format", "text", "output: text, markdown, latex or csv")
	out := fs.String("out", "", "write to `FILE` (default standard output)")
	title := fs.String("title", "", "table caption")
	tf := addTableFlags(fs)
	_ = fs.MarkHidden("stars") // descriptive statistics have no p-values
	input := addInputFlags(fs)
	completeValues(cmd, "format", "text", "markdown", "latex", "csv")
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		in, err := input.options()
		if err != nil {
			return err
		}
		if fs.NArg() > 0 {
			return unexpectedArgs(cmd, "describe", fs.Args())
		}
		if *data == "" || *vars == "" {
			return usagef("describe: --data and --vars are required")
		}
		if fs.Changed("stars") {
			return usagef("describe: --stars does not apply: descriptive statistics have no p-values")
		}
		switch *format {
		case "text", "markdown", "md", "latex", "tex", "csv":
		default:
			return usagef("describe: --format %q: want text, markdown, latex or csv", *format)
		}
		if err := checkOutput("--out", *out, *data, tf.labels); err != nil {
			return err
		}
		topt, err := tf.options(nil)
		if err != nil {
			return err
		}
		topt.Title = *title
		var names []string
		for _, v := range strings.Split(*vars, ",") {
			if v = strings.TrimSpace(v); v != "" {
				names = append(names, v)
			}
		}
		rows, err := regress.DescribeFile(*data, regress.DescribeOptions{Vars: names, By: *by, ID: *id, Comma: in.Comma, Sheet: in.Sheet})
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := regress.WriteDescription(&buf, *format, rows, *by, topt); err != nil {
			return err
		}
		return writeOutput(env, *out, buf.Bytes(), *data, tf.labels)
	}
	return cmd
}
