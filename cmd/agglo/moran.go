package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"github.com/spf13/cobra"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/agglo/agglo/internal/nulljson"
	"github.com/agglo/agglo/spatial"
	"github.com/agglo/agglo/table"
)

const moranUsage = `Usage: agglo moran --data FILE.csv --id COL --var COL --weights FILE [flags]

Global spatial autocorrelation of a variable: Moran's I, Geary's C and the
Getis–Ord G (on the binary form of the weights, as spdep recommends), with
moments under normality and randomisation and, with --permutations, a
seeded permutation test; with --local, local Moran's I_i (Anselin 1995),
its conditional-randomisation moments, LISA clusters and the Moran scatter
coordinates (z, lag_z).

Output: --format text (default), json (objects moran, geary, getis_ord and,
with --local, the array local), or csv (one row per test; with --local one
row per region: id,Ii,E_Ii,Var_Ii,Z_Ii,p[,p_permutation,p_folded],quadrant,
cluster,z,lag_z). Local permutation p-values are two-sided (p_permutation,
used for the clusters) and folded (p_folded, PySAL's p_sim).

Flags:
`

// moranOutput is the JSON document of 'agglo moran'.
type moranOutput struct {
	Data        string                     `json:"data"`
	Variable    string                     `json:"variable"`
	Weights     string                     `json:"weights"`
	Style       string                     `json:"style"`
	GStyle      string                     `json:"getis_ord_style"`
	N           int                        `json:"n"`
	Islands     []string                   `json:"islands"`
	ZeroPolicy  bool                       `json:"zero_policy"`
	Alternative string                     `json:"alternative"`
	Moran       spatial.GlobalTest         `json:"moran"`
	Geary       spatial.GlobalTest         `json:"geary"`
	GetisOrd    *spatial.GlobalTest        `json:"getis_ord"`
	GetisOrdErr string                     `json:"getis_ord_error,omitempty"`
	Local       []spatial.LocalMoranResult `json:"local,omitempty"`
	Alpha       *float64                   `json:"alpha,omitempty"`
}

func newMoranCmd(env *cliEnv) *cobra.Command {
	cmd := newCommand("moran", "spatial autocorrelation: Moran's I, Geary's C, Getis-Ord G, local Moran (LISA)", moranUsage)
	fs := cmd.Flags()
	data := fs.String("data", "", "data file with one row per region (.csv, .tsv, .txt, .xlsx, .dta or .parquet; required)")
	idCol := fs.String("id", "", "column of the region IDs, as in the weights (required)")
	where := fs.String("where", "", "keep only the rows with COL=VALUE, one cross-section of a long panel (e.g. year=2017)")
	varCol := fs.String("var", "", "column of the variable (required)")
	wPath := fs.String("weights", "", "weights file: GAL, GWT, edge list or matrix CSV (required)")
	wFormat := fs.String("weights-format", "", "format of the weights file: gal, gwt, edges or matrix (default: from the file)")
	idsPath := fs.String("ids", "", idsFlagUsage)
	style := fs.String("style", "W", "style of the weights for Moran, Geary and local Moran: B, W, C, U or S")
	perms := fs.Int("permutations", 0, "number of random permutations for pseudo p-values (0 = none)")
	seed := fs.Uint64("seed", 1, "seed of the permutations")
	local := fs.Bool("local", false, "also compute local Moran's I_i for every region")
	alpha := fs.Float64("alpha", 0.05, "significance level of the LISA cluster labels")
	zeroPolicy := fs.Bool("zero-policy", false, "allow regions without neighbours (spdep's zero.policy = TRUE) instead of failing")
	alt := fs.String("alternative", "greater", "alternative hypothesis of the global tests: greater, less or two.sided")
	format := fs.String("format", "text", "output format: text, csv or json")
	input := addInputFlags(fs)
	subset := fs.Bool("subset-weights", false, "drop the regions of the weights that have no row in the data (re-standardised; the dropped regions are listed)")
	completeValues(cmd, "format", "text", "csv", "json")
	completeValues(cmd, "alternative", "greater", "less", "two.sided")
	completeValues(cmd, "style", "W", "B", "C", "U", "S")
	completeValues(cmd, "weights-format", "gal", "gwt", "edges", "matrix")
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		in, err := input.options()
		if err != nil {
			return err
		}
		if fs.NArg() > 0 {
			return unexpectedArgs(cmd, "moran", fs.Args())
		}
		for _, f := range []struct{ name, v string }{{"--data", *data}, {"--id", *idCol}, {"--var", *varCol}, {"--weights", *wPath}} {
			if f.v == "" {
				return usagef("moran: %s is required", f.name)
			}
		}
		switch *format {
		case "text", "csv", "json":
		default:
			return usagef("moran: --format %q: want text, csv or json", *format)
		}
		switch *wFormat {
		case "", "gal", "gwt", "edges", "matrix":
		default:
			return usagef("moran: --weights-format %q: want gal, gwt, edges or matrix", *wFormat)
		}
		st, err := spatial.ParseStyle(*style)
		if err != nil {
			return usagef("moran: --style: %s", libMessage(err))
		}
		if *perms < 0 {
			return usagef("moran: --permutations %d: want 0 or more", *perms)
		}
		if !(*alpha > 0 && *alpha < 1) {
			return usagef("moran: --alpha %v: want a level in (0, 1)", *alpha)
		}
		alternative, err := spatial.ParseAlternative(*alt)
		if err != nil {
			return usagef("moran: --alternative: %s", libMessage(err))
		}

		raw, err := readWeights(*wPath, *wFormat, *idsPath, func() ([]string, error) {
			t, err := readTable(*data, in)
			if err != nil {
				return nil, err
			}
			if err := t.filter(*where); err != nil {
				return nil, err
			}
			return t.strings(*idCol)
		})
		if err != nil {
			return fmt.Errorf("reading weights %s: %w", *wPath, err)
		}
		rows, err := readRegionRows(*data, *idCol, *varCol, *where, in)
		if err != nil {
			return err
		}
		if *subset {
			ids := make([]string, len(rows))
			for i, r := range rows {
				ids[i] = r.id
			}
			var rep spatial.Restriction
			if raw, rep, err = raw.Restrict(ids); err != nil {
				return fmt.Errorf("--subset-weights: weights %s to the regions of %s: %w", *wPath, *data, err)
			}
			fmt.Fprint(env.stderr, prefixLines("agglo moran: note: ", restrictionNote(rep)))
		}
		x, err := regionValues(rows, *data, *idCol, *varCol, raw, *wPath)
		if err != nil {
			return err
		}
		w, err := raw.Transform(st)
		if err != nil {
			return fmt.Errorf("weights %s, style %s: %w", *wPath, *style, err)
		}
		bin, err := raw.Transform(spatial.Binary)
		if err != nil {
			return fmt.Errorf("weights %s, style B: %w", *wPath, err)
		}

		out := moranOutput{
			Data: *data, Variable: *varCol, Weights: *wPath, Style: strings.ToUpper(*style), GStyle: "B",
			N: w.N(), Islands: []string{}, ZeroPolicy: *zeroPolicy, Alternative: alternative.String(),
		}
		for _, i := range w.Islands() {
			out.Islands = append(out.Islands, w.IDs()[i])
		}
		opts := spatial.TestOptions{Alternative: alternative, ZeroPolicy: *zeroPolicy, Permutations: *perms, Seed: *seed}
		prog := newProgress(env)
		wrap := func(what string, err error) error {
			if errors.Is(err, spatial.ErrIsland) {
				return fmt.Errorf("%s of %s (%s, weights %s): %w; --zero-policy allows them", what, *varCol, *data, *wPath, err)
			}
			return fmt.Errorf("%s of %s (%s, weights %s): %w", what, *varCol, *data, *wPath, err)
		}
		opts.Progress = prog.fn("Moran permutations")
		if out.Moran, err = spatial.Moran(x, w, opts); err != nil {
			return wrap("Moran's I", err)
		}
		opts.Progress = prog.fn("Geary permutations")
		if out.Geary, err = spatial.Geary(x, w, opts); err != nil {
			return wrap("Geary's C", err)
		}
		opts.Progress = prog.fn("Getis-Ord permutations")
		if g, err := spatial.GetisOrd(x, bin, opts); err != nil {
			// G is defined for non-negative variables only: report why it is
			// absent rather than fail the other tests.
			out.GetisOrdErr = err.Error()
			fmt.Fprintf(env.stderr, "agglo moran: Getis-Ord G not computed: %v\n", err)
		} else {
			out.GetisOrd = &g
		}
		if *local {
			out.Alpha = alpha
			out.Local, err = spatial.LocalMoran(x, w, spatial.LocalOptions{
				Alpha: *alpha, ZeroPolicy: *zeroPolicy, Permutations: *perms, Seed: *seed,
				Progress: prog.fn("local permutations (regions)"),
			})
			if err != nil {
				return wrap("local Moran", err)
			}
		}
		prog.done()
		for _, t := range []*spatial.GlobalTest{&out.Moran, &out.Geary, out.GetisOrd} {
			if t != nil && t.Warning != "" {
				fmt.Fprintf(env.stderr, "agglo moran: warning: %s\n", t.Warning)
			}
		}

		var buf bytes.Buffer
		switch *format {
		case "json":
			b, err := nulljson.MarshalIndent(out, "", "  ")
			if err != nil {
				return err
			}
			buf.Write(append(b, '\n'))
		case "csv":
			err = writeMoranCSV(&buf, &out, *perms > 0)
		default:
			err = writeMoranText(&buf, &out, *perms > 0)
		}
		if err != nil {
			return err
		}
		_, err = env.stdout.Write(buf.Bytes())
		return err
	}
	return cmd
}

// regionRow is one row of a cross-section: its region, the raw value and
// its line in the file.
type regionRow struct {
	id, value string
	line      int
}

// readRegionRows reads the region and varCol of every row of the data file
// path (any format of package table) (of the rows with COL=VALUE when where is set). A --where that
// matches no row is an error that says which values the column takes.
func readRegionRows(path, idCol, varCol, where string, opt table.Options) ([]regionRow, error) {
	r, err := table.Open(path, opt)
	if err != nil {
		return nil, fmt.Errorf("reading data: %w", err)
	}
	defer r.Close()
	path = r.Name()
	header, err := r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: empty file (want a header row)", path)
		}
		return nil, fmt.Errorf("%w%s", err, r.Hint())
	}
	col := func(name string) (int, error) {
		for i, h := range header {
			if strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")) == name {
				return i, nil
			}
		}
		return 0, fmt.Errorf("%s: no column %q (columns: %s)%s", path, name, strings.Join(header, ", "), r.Hint())
	}
	ic, err := col(idCol)
	if err != nil {
		return nil, err
	}
	vc, err := col(varCol)
	if err != nil {
		return nil, err
	}
	// --where COL=VALUE keeps one cross-section of a long panel.
	wc, wname, wval := -1, "", ""
	if where != "" {
		name, val, ok := strings.Cut(where, "=")
		if !ok {
			return nil, usagef("--where %q: want COL=VALUE", where)
		}
		if wc, err = col(name); err != nil {
			return nil, err
		}
		wname, wval = name, val
	}
	var rows []regionRow
	total := 0
	whereValues := map[string]bool{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		total++
		line := r.Line()
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(rec) != len(header) {
			return nil, fmt.Errorf("%s:%d: %d fields, the header has %d", path, line, len(rec), len(header))
		}
		if wc >= 0 {
			v := ""
			if wc < len(rec) {
				v = strings.TrimSpace(rec[wc])
			}
			whereValues[v] = true
			if v != wval {
				continue
			}
		}
		rows = append(rows, regionRow{id: strings.TrimSpace(rec[ic]), value: strings.TrimSpace(rec[vc]), line: line})
	}
	if wc >= 0 && len(rows) == 0 {
		return nil, fmt.Errorf("%s: --where %s matched 0 of %d rows; %s takes %s", path, where, total, wname, valueRange(whereValues))
	}
	return rows, nil
}

// valueRange describes the values a column takes: "1970–1986" for
// integers, else up to ten values.
func valueRange(set map[string]bool) string {
	vals := make([]string, 0, len(set))
	for v := range set {
		vals = append(vals, v)
	}
	sort.Strings(vals)
	lo, hi, ints := 0, 0, len(vals) > 0
	for i, v := range vals {
		n, err := strconv.Atoi(v)
		if err != nil {
			ints = false
			break
		}
		if i == 0 || n < lo {
			lo = n
		}
		if i == 0 || n > hi {
			hi = n
		}
	}
	if ints && len(vals) > 1 {
		return fmt.Sprintf("%d–%d", lo, hi)
	}
	return quoteList(vals)
}

// readRegionValues reads column varCol of the CSV file path, keyed by
// column idCol, into the order of the weights. Every region of the weights
// must have exactly one row and every row a region of the weights; a
// missing or non-numeric value is an error naming the line and column.
func readRegionValues(path, idCol, varCol, where string, w *spatial.Weights, wPath string) ([]float64, error) {
	rows, err := readRegionRows(path, idCol, varCol, where, table.Options{})
	if err != nil {
		return nil, err
	}
	return regionValues(rows, path, idCol, varCol, w, wPath)
}

// prefixLines puts prefix before every line of s.
func prefixLines(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + strings.ReplaceAll(strings.TrimSuffix(s, "\n"), "\n", "\n"+prefix) + "\n"
}

// regionValues puts the rows' values into the order of the weights (see
// readRegionValues).
func regionValues(rows []regionRow, path, idCol, varCol string, w *spatial.Weights, wPath string) ([]float64, error) {
	x := make([]float64, w.N())
	seen := make([]int, w.N()) // line of the row that gave region i, 0 if none
	var unknown []string
	for _, row := range rows {
		id, line := row.id, row.line
		i, ok := w.Index(id)
		if !ok {
			unknown = append(unknown, id)
			continue
		}
		if seen[i] != 0 {
			return nil, fmt.Errorf("%s:%d: region %q appears again (first on line %d): one row per region is needed; in a panel choose one period with --where (e.g. --where year=2017)", path, line, id, seen[i])
		}
		seen[i] = line
		s := row.value
		v, err := strconv.ParseFloat(s, 64)
		if s == "" || err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			what := fmt.Sprintf("%q is not a number", s)
			if math.IsInf(v, 0) || math.IsNaN(v) {
				what = fmt.Sprintf("value %q is not finite", s)
			}
			if s == "" || strings.EqualFold(s, "NA") || strings.EqualFold(s, "NaN") {
				what = "the value is missing"
			}
			return nil, fmt.Errorf("%s:%d: column %q, region %q: %s", path, line, varCol, id, what)
		}
		x[i] = v
	}
	if len(unknown) > 0 {
		if h := idHint(w, unknown); h != "" {
			return nil, fmt.Errorf("%s: %d region(s) not in the weights %s: %s; %s", path, len(unknown), wPath, quoteList(unknown), h)
		}
		return nil, fmt.Errorf("%s: %d region(s) not in the weights %s: %s", path, len(unknown), wPath, quoteList(unknown))
	}
	var missing []string
	for i, l := range seen {
		if l == 0 {
			missing = append(missing, w.IDs()[i])
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s: %d region(s) of the weights %s have no row (column %q): %s; --subset-weights drops them from the weights", path, len(missing), wPath, idCol, quoteList(missing))
	}
	return x, nil
}

// quoteList quotes up to 10 names and counts the rest.
func quoteList(s []string) string {
	const most = 10
	q := make([]string, 0, most)
	for i, v := range s {
		if i == most {
			break
		}
		q = append(q, strconv.Quote(v))
	}
	if len(s) > most {
		return strings.Join(q, ", ") + fmt.Sprintf(" and %d more", len(s)-most)
	}
	return strings.Join(q, ", ")
}

// progress prints a one-line counter on stderr when it is a terminal.
type progress struct {
	env  *cliEnv
	mu   sync.Mutex
	used bool
}

func newProgress(env *cliEnv) *progress { return &progress{env: env} }

// fn returns a progress callback for a stage, or nil off a terminal.
func (p *progress) fn(stage string) func(done, total int) {
	if !p.env.isTerminal {
		return nil
	}
	return func(done, total int) {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.used = true
		fmt.Fprintf(p.env.stderr, "\r%s: %d/%d   ", stage, done, total)
	}
}

func (p *progress) done() {
	if p.used {
		fmt.Fprint(p.env.stderr, "\r\033[K")
	}
}

func fmtNum(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "NA"
	}
	return strconv.FormatFloat(v+0, 'g', -1, 64) // +0 turns −0 into 0
}

type namedTest struct {
	name string
	t    *spatial.GlobalTest
}

func (o *moranOutput) tests() []namedTest {
	return []namedTest{{"moran", &o.Moran}, {"geary", &o.Geary}, {"getis_ord", o.GetisOrd}}
}

func writeMoranCSV(w io.Writer, o *moranOutput, perm bool) error {
	cw := csv.NewWriter(w)
	if o.Local != nil {
		head := []string{"id", "Ii", "E_Ii", "Var_Ii", "Z_Ii", "p"}
		if perm {
			head = append(head, "p_permutation", "p_folded")
		}
		cw.Write(append(head, "quadrant", "cluster", "z", "lag_z"))
		for _, r := range o.Local {
			rec := []string{r.ID, fmtNum(r.Ii), fmtNum(r.EI), fmtNum(r.VarI), fmtNum(r.Z), fmtNum(r.P)}
			if perm {
				rec = append(rec, fmtNum(r.PPermutation), fmtNum(r.PFolded))
			}
			cw.Write(append(rec, r.Quadrant, r.Cluster, fmtNum(r.ZValue), fmtNum(r.Lag)))
		}
		cw.Flush()
		return cw.Error()
	}
	head := []string{"test", "statistic", "expectation", "variance_normality", "variance_randomisation",
		"z_normality", "z_randomisation", "p_normality", "p_randomisation", "alternative", "n"}
	if perm {
		head = append(head, "p_permutation", "permutations", "seed")
	}
	cw.Write(head)
	for _, nt := range o.tests() {
		t := nt.t
		if t == nil {
			continue
		}
		rec := []string{nt.name, fmtNum(t.Statistic), fmtNum(t.Expectation), fmtNum(t.VarNormality), fmtNum(t.VarRandomisation),
			fmtNum(t.ZNormality), fmtNum(t.ZRandomisation), fmtNum(t.PNormality), fmtNum(t.PRandomisation), t.Alternative, strconv.Itoa(t.N)}
		if perm {
			rec = append(rec, fmtNum(t.PPermutation), strconv.Itoa(t.Permutations), strconv.FormatUint(t.Seed, 10))
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

func writeMoranText(w io.Writer, o *moranOutput, perm bool) error {
	fmt.Fprintf(w, "Spatial autocorrelation of %s (%s), weights %s, style %s (Getis-Ord G: B)\n", o.Variable, o.Data, o.Weights, o.Style)
	fmt.Fprintf(w, "n = %d, alternative: %s", o.N, o.Alternative)
	if len(o.Islands) > 0 {
		fmt.Fprintf(w, ", %d island(s) (zero policy): %s", len(o.Islands), quoteList(o.Islands))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	head := "test\tstatistic\texpectation\tz (normality)\tp (normality)\tz (randomisation)\tp (randomisation)\t"
	if perm {
		head += "p (permutation)\t"
	}
	fmt.Fprintln(tw, head)
	names := map[string]string{"moran": "Moran's I", "geary": "Geary's C", "getis_ord": "Getis-Ord G"}
	for _, nt := range o.tests() {
		t := nt.t
		if t == nil {
			fmt.Fprintf(tw, "%s\t%s\t\n", names[nt.name], "not computed: "+o.GetisOrdErr)
			continue
		}
		line := fmt.Sprintf("%s\t%s\t%s\t%s\t%s\t%s\t%s\t", names[nt.name], textNum(t.Statistic, "%.6g"), textNum(t.Expectation, "%.6g"),
			textNum(t.ZNormality, "%.4f"), textNum(t.PNormality, "%.4g"), textNum(t.ZRandomisation, "%.4f"), textNum(t.PRandomisation, "%.4g"))
		if perm {
			line += textNum(t.PPermutation, "%.4g") + "\t"
		}
		fmt.Fprintln(tw, line)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if perm {
		fmt.Fprintf(w, "\n%d permutations, seed %d\n", o.Moran.Permutations, o.Moran.Seed)
	}
	if o.Local == nil {
		return nil
	}
	counts := map[string]int{}
	for _, r := range o.Local {
		counts[r.Cluster]++
	}
	fmt.Fprintf(w, "\nLocal Moran (Anselin 1995), clusters at alpha = %g", *o.Alpha)
	if perm {
		fmt.Fprint(w, " by permutation p-values")
	}
	fmt.Fprintln(w, ":")
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "  %-16s %d\n", k, counts[k])
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	head = "id\tIi\tE_Ii\tVar_Ii\tZ_Ii\tp\t"
	if perm {
		head += "p_permutation\t"
	}
	fmt.Fprintln(tw, head+"quadrant\tcluster\t")
	for _, r := range o.Local {
		line := fmt.Sprintf("%s\t%s\t%s\t%s\t%s\t%s\t", r.ID, textNum(r.Ii, "%.6g"), textNum(r.EI, "%.6g"), textNum(r.VarI, "%.6g"), textNum(r.Z, "%.4f"), textNum(r.P, "%.4g"))
		if perm {
			line += textNum(r.PPermutation, "%.4g") + "\t"
		}
		fmt.Fprintln(tw, line+r.Quadrant+"\t"+r.Cluster+"\t")
	}
	return tw.Flush()
}

func textNum(v float64, f string) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "NA"
	}
	if v == 0 {
		v = 0 // no −0
	}
	return fmt.Sprintf(f, v)
}
