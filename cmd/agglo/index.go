package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/spf13/cobra"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/agglo/agglo/index"
	"github.com/agglo/agglo/internal/nulljson"
)

const indexUsage = `Usage: agglo index NAME --data FILE --value COL [flags]
       agglo index composite --data FILE --id COL --indicators a,b,c [...]  (see 'agglo index composite --help')

Computes an agglomeration index for every period of a long table (one row
per region, sector and period) and writes it in long form: one row per
(key…, period) with the key columns named as in the input, then value, then
any parts (G, H for eg/ms; quality, level for coagg/virtual-coagg; cagr,
fold, from_value, to_value for growth).

NAME is one of:
  lq            location quotient per region and sector
  hoover        Hoover coefficient of localisation per sector
  krugman       Krugman specialisation index per region
  gini          locational Gini per sector
  hhi           Herfindahl per sector (--by sector) or region (--by region)
  eg            Ellison–Glaeser γ per sector (parts G, H; H from --plants)
  ms            Maurel–Sédillot γ per sector (H from --plants)
  egk           Ellison–Glaeser–Kerr coagglomeration of all sector pairs
  coagg         LQ coagglomeration of two groups per region (--groups)
  online-lq     online location quotient (--share)
  va            virtual agglomeration o·LQ (--share; --normalise)
  va-region     VA aggregated over sector groups (--share, --groups)
  va-gap        EG concentration of online minus physical activity
  virtual-coagg coagg with the services group's online LQ (--share, --groups)
  growth        growth from --from to --to per cell (--by region|sector to aggregate)

Missing (region, sector, period) rows count as zero; their number is
reported on stderr. A zero total that an index divides by is an error
unless --nan asks for NaN (written as NaN in CSV, null in JSON).

Flags:
`

// newIndexCmd is agglo index (and index composite).
func newIndexCmd(env *cliEnv) *cobra.Command {
	cmd := newCommand("index", "agglomeration indices: LQ, Gini, EG, EGK, coagglomeration, virtual agglomeration", indexUsage)
	fs := cmd.Flags()
	data := fs.String("data", "", "long `file` of activity (.csv, .tsv, .txt, .xlsx, .dta or .parquet; required)")
	region := fs.String("id", "region", "region `COLUMN` (before this release: --region)")
	aliasFlag(fs, "region", "id", true, "")
	sector := fs.String("sector", "sector", "sector column")
	timeCol := fs.String("time", "year", "period column")
	value := fs.String("value", "", "activity column (required)")
	share := fs.String("share", "", "online-share column (values in [0, 1])")
	groupsPath := fs.String("groups", "", "sector groups CSV `file` (header sector,group)")
	plantsPath := fs.String("plants", "", "plant CSV `file` (plant column, then the --id, --sector, --time and --value columns) for eg/ms")
	plantCol := fs.String("plant", "plant", "plant column of --plants")
	plantValue := fs.String("plant-value", "", "activity column of --plants (default: the --value name)")
	manuf := fs.String("manufacturing", "manufacturing", "first group of coagg/virtual-coagg")
	services := fs.String("services", "producer_services", "second group of coagg/virtual-coagg (its online LQ in virtual-coagg)")
	by := fs.String("by", "", "hhi: sector|region; growth: cell|region|sector")
	normalise := fs.Bool("normalise", false, "va, va-region: normalised VA (o/ō_s)·LQ with x-weighted mean 1")
	nan := fs.Bool("nan", false, "write NaN (with a warning) where a total is zero instead of failing")
	from := fs.String("from", "", "growth: first period (default the first)")
	to := fs.String("to", "", "growth: last period (default the last)")
	format := fs.String("format", "csv", "output format: csv, json or text")
	out := fs.String("out", "", "output `file` (written atomically; default stdout)")
	input := addInputFlags(fs)

	cmd.AddCommand(newIndexCompositeCmd(env))
	cmd.ValidArgs = index.Names
	completeValues(cmd, "format", "csv", "json", "text")
	completeValues(cmd, "by", "sector", "region", "cell")
	cmd.RunE = func(_ *cobra.Command, rest []string) error {
		var name string
		if len(rest) > 0 {
			name, rest = rest[0], rest[1:]
		}
		if len(rest) > 0 {
			return unexpectedArgs(cmd, "index", rest)
		}
		if name == "" {
			return usagef("index: an index NAME is needed (one of %s)", strings.Join(index.Names, " "))
		}
		if !slices.Contains(index.Names, name) {
			return usagef("index: unknown index %q (one of %s)", name, strings.Join(index.Names, " "))
		}
		if *data == "" || *value == "" {
			return usagef("index: --data and --value are required")
		}
		switch *format {
		case "csv", "json", "text":
		default:
			return usagef("index: --format %q: want csv, json or text", *format)
		}
		in, err := input.options()
		if err != nil {
			return err
		}
		inputs := []string{*data, *groupsPath, *plantsPath}
		if err := checkOutput("--out", *out, inputs...); err != nil {
			return err
		}

		tab, err := index.ReadCSVFile(*data, index.Columns{Region: *region, Sector: *sector, Time: *timeCol, Value: *value, Share: *share, Comma: in.Comma, Sheet: in.Sheet})
		if err != nil {
			return err
		}
		if tab.Missing > 0 {
			fmt.Fprintf(env.stderr, "agglo index: %d (%s, %s, %s) cells absent from %s count as zero\n",
				tab.Missing, *region, *sector, *timeCol, *data)
		}
		opt := index.Options{
			Normalise: *normalise, By: *by, Manufacturing: *manuf, Services: *services,
			From: *from, To: *to, RegionName: *region, SectorName: *sector, TimeName: *timeCol,
		}
		if *nan {
			opt.ZeroTotals = index.ZeroNaN
		}
		// The rows are only written: keep them compact (no Row per cell).
		opt.Compact = true
		if *groupsPath != "" {
			if opt.Groups, err = index.ReadGroupsFile(*groupsPath, tab); err != nil {
				return err
			}
			if len(opt.Groups.Unused) > 0 {
				fmt.Fprintf(env.stderr, "agglo index: warning: sectors of %s not in %s, ignored: %s\n",
					*groupsPath, *data, strings.Join(opt.Groups.Unused, ", "))
			}
		}
		if *plantsPath != "" {
			if *plantValue == "" {
				*plantValue = *value
			}
			opt.H, err = index.ReadPlantsFile(*plantsPath, tab, index.PlantColumns{
				Plant: *plantCol, Region: *region, Sector: *sector, Time: *timeCol, Value: *plantValue, Comma: in.Comma})
			if err != nil {
				return err
			}
		}
		res, err := index.Compute(name, tab, opt)
		if errors.Is(err, index.ErrZeroTotal) {
			return fmt.Errorf("%s: %w; use --nan to write NaN instead", *data, err)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", *data, err)
		}
		for _, w := range res.Warnings {
			fmt.Fprintf(env.stderr, "agglo index: warning: %s\n", w)
		}
		write := res.WriteCSV
		switch *format {
		case "json":
			write = func(w io.Writer) error { return writeIndexJSON(w, res) }
		case "text":
			write = func(w io.Writer) error { return writeIndexText(w, res) }
		}
		return streamOutput(env, *out, write, inputs...)
	}
	return cmd
}

// jsonTime writes a period as a number when it is an integer, else a string.
func jsonTime(s string) string {
	if _, err := strconv.ParseInt(s, 10, 64); err == nil {
		return s
	}
	b, _ := json.Marshal(s)
	return string(b)
}

func writeIndexJSON(w io.Writer, res *index.Result) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("[")
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	n := 0
	for r := range res.All() {
		if n > 0 {
			bw.WriteString(",")
		}
		n++
		bw.WriteString("\n  {")
		for i, k := range res.KeyNames {
			fmt.Fprintf(bw, "%s: %s, ", q(k), q(r.Keys[i]))
		}
		fmt.Fprintf(bw, "%s: %s, \"value\": %s", q(res.TimeName), jsonTime(r.Time), nulljson.Float(r.Value))
		for i, p := range res.PartNames {
			fmt.Fprintf(bw, ", %s: %s", q(p), nulljson.Float(r.Parts[i]))
		}
		bw.WriteString("}")
	}
	bw.WriteString("\n]\n")
	return bw.Flush()
}

func writeIndexText(w io.Writer, res *index.Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, strings.Join(res.Header(), "\t")+"\t")
	for r := range res.All() {
		cells := append([]string{}, r.Keys...)
		cells = append(cells, r.Time, strconv.FormatFloat(r.Value, 'f', 6, 64))
		for _, p := range r.Parts {
			cells = append(cells, strconv.FormatFloat(p, 'f', 6, 64))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	return tw.Flush()
}
