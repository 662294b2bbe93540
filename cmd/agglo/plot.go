package main

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/agglo/agglo/internal/nulljson"
	"github.com/agglo/agglo/plot"
	"github.com/agglo/agglo/regress"
	"github.com/agglo/agglo/spatial"
	"github.com/agglo/agglo/table"
)

const plotUsage = `Usage: agglo plot KIND [flags] --out FILE.png|svg|pdf

Draws a publication figure. KIND is one of:
  map       choropleth of a variable over GeoJSON polygons (--facet: small multiples)
  lisa      LISA cluster map (or --kind significance: map of p-values)
  moran     Moran scatter plot with influential regions named
  series    values per category (years) as bars/lines, optionally a share on a second axis
  coef      coefficients of several models (Result JSON files) with 95% intervals
  effects   direct/indirect/total effects of a spatial lag model (Result JSON)
  heatmap   matrix of pairwise values (coagglomeration), sectors ordered by clustering

Common flags: --out FILE (.png, .svg or .pdf; written atomically, never over an input),
--width 16cm --height 12cm (units cm, mm, in, pt), --dpi 300 (PNG), --title T.
Run 'agglo plot KIND --help' for the flags of each kind.`

func newPlotCmd(env *cliEnv) *cobra.Command {
	cmd := newCommand("plot", "draw maps and charts: map, lisa, moran, series, coef, effects, heatmap", plotUsage)
	cmd.AddCommand(newPlotMapCmd(env), newPlotLISACmd(env), newPlotMoranCmd(env), newPlotSeriesCmd(env),
		newPlotCoefCmd(env), newPlotEffectsCmd(env), newPlotHeatmapCmd(env))
	// Flags belong to the kinds: plot alone only reports the missing or
	// unknown kind.
	cmd.FParseErrWhitelist.UnknownFlags = true
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		if len(args) == 0 {
			return usagef("plot: missing KIND (map, lisa, moran, series, coef, effects or heatmap; see agglo plot --help)")
		}
		return usagef("plot: unknown kind %q (want map, lisa, moran, series, coef, effects or heatmap)", args[0])
	}
	return cmd
}

// outputFlags are the flags every figure has.
type outputFlags struct {
	out, width, height, title string
	dpi                       int
}

func (o *outputFlags) register(fs *pflag.FlagSet, w, h string) {
	fs.StringVar(&o.out, "out", "", "output `file` (.png, .svg or .pdf)")
	fs.StringVar(&o.width, "width", w, "figure width with unit (cm, mm, in, pt)")
	fs.StringVar(&o.height, "height", h, "figure height with unit")
	fs.IntVar(&o.dpi, "dpi", 300, "resolution of PNG output")
	fs.StringVar(&o.title, "title", "", "figure title")
}

// save checks the output flags against the inputs and writes the figure.
func (o *outputFlags) save(env *cliEnv, f plot.Figure, inputs ...string) error {
	if o.out == "" {
		return usagef("plot: --out FILE is required")
	}
	if isStdout(o.out) {
		return usagef("plot: --out %s: a figure needs a file name ending in .png, .svg or .pdf", o.out)
	}
	if _, err := plot.FormatOf(o.out); err != nil {
		return usagef("%v", err)
	}
	w, err := plot.ParseLength(o.width)
	if err != nil {
		return usagef("--width: %s", libMessage(err))
	}
	h, err := plot.ParseLength(o.height)
	if err != nil {
		return usagef("--height: %s", libMessage(err))
	}
	if o.dpi < 10 || o.dpi > 2400 {
		return usagef("--dpi %d: want 10 to 2400", o.dpi)
	}
	if err := checkOutput("--out", o.out, inputs...); err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	format, _ := plot.FormatOf(o.out)
	var buf bytes.Buffer
	if err := plot.Write(&buf, f, format, plot.Options{Width: w, Height: h, DPI: o.dpi}); err != nil {
		return fmt.Errorf("%s: %w", strings.Join(nonEmpty(inputs), ", "), err)
	}
	if err := writeFileAtomic(o.out, buf.Bytes(), inputs...); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "wrote %s\n", o.out)
	return nil
}

// dataTable is a data file (any format of package table) read whole, with
// its columns by name.
type dataTable struct {
	path   string
	hint   string // csvin separator hint, for errors
	header []string
	rows   [][]string
	col    map[string]int
}

// readFilteredTable reads the --data file at path with the --delimiter and
// --sheet of in and keeps the rows that --where selects.
func readFilteredTable(path string, in *inputFlags, where string) (*dataTable, error) {
	opt, err := in.options()
	if err != nil {
		return nil, err
	}
	t, err := readTable(path, opt)
	if err != nil {
		return nil, err
	}
	if err := t.filter(where); err != nil {
		return nil, err
	}
	return t, nil
}

// readTable reads the whole data file at path as text cells.
func readTable(path string, opt table.Options) (*dataTable, error) {
	r, err := table.Open(path, opt)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	recs, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("reading %w%s", err, r.Hint())
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: empty file", r.Name())
	}
	path = r.Name()
	t := &dataTable{path: path, header: recs[0], rows: recs[1:], col: map[string]int{}, hint: r.Hint()}
	for j, h := range t.header {
		t.col[strings.TrimSpace(h)] = j
	}
	for i, r := range t.rows {
		if len(r) != len(t.header) {
			return nil, fmt.Errorf("%s:%d: %d fields, the header has %d", path, i+2, len(r), len(t.header))
		}
	}
	return t, nil
}

// errNoColumn is the error of a data column that does not exist.
var errNoColumn = errors.New("no column")

func (t *dataTable) column(name string) (int, error) {
	j, ok := t.col[name]
	if !ok {
		return 0, fmt.Errorf("%s: %w %q (columns: %s)%s", t.path, errNoColumn, name, strings.Join(t.header, ", "), t.hint)
	}
	return j, nil
}

// strings returns column name as strings.
func (t *dataTable) strings(name string) ([]string, error) {
	j, err := t.column(name)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(t.rows))
	for i, r := range t.rows {
		out[i] = strings.TrimSpace(r[j])
	}
	return out, nil
}

// floats returns column name as numbers; "", "NA" and "NaN" are missing
// (NaN), anything else that is not a number is an error naming the row.
func (t *dataTable) floats(name string) ([]float64, error) {
	j, err := t.column(name)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(t.rows))
	for i, r := range t.rows {
		s := strings.TrimSpace(r[j])
		if s == "" || s == "NA" || s == "NaN" {
			out[i] = math.NaN()
			continue
		}
		v, err := strconv.ParseFloat(s, 64)
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return nil, fmt.Errorf("%s:%d: column %q: value %q is not finite", t.path, i+2, name, s)
		}
		if err != nil {
			return nil, fmt.Errorf("%s:%d: column %q: %q is not a number", t.path, i+2, name, s)
		}
		out[i] = v
	}
	return out, nil
}

// filter keeps the rows where column = value (for "COL=VALUE").
func (t *dataTable) filter(spec string) error {
	if spec == "" {
		return nil
	}
	name, val, ok := strings.Cut(spec, "=")
	if !ok {
		return usagef("--where %q: want COL=VALUE", spec)
	}
	j, err := t.column(name)
	if err != nil {
		return err
	}
	var keep [][]string
	for _, r := range t.rows {
		if strings.TrimSpace(r[j]) == val {
			keep = append(keep, r)
		}
	}
	if len(keep) == 0 {
		values := map[string]bool{}
		for _, r := range t.rows {
			values[strings.TrimSpace(r[j])] = true
		}
		return fmt.Errorf("%s: --where %s matched 0 of %d rows; %s takes %s", t.path, spec, len(t.rows), name, valueRange(values))
	}
	t.rows = keep
	return nil
}

func readRegions(path, idField, encoding string) ([]plot.Region, error) {
	g, err := readGeometry(path, idField, encoding)
	if err != nil {
		return nil, err
	}
	r, err := plot.RegionsFrom(g.IDs, g.Polygons)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

type mapFlags struct {
	geojson, geoID, data, id string
	encoding                 string
	northArrow, scaleBar     bool
	units                    string
	input                    *inputFlags
}

func (m *mapFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&m.geojson, "geometry", "", "GeoJSON or shapefile (.shp) `file` of the regions (also --geojson)")
	aliasFlag(fs, "geojson", "geometry", false, "")
	fs.StringVar(&m.encoding, "encoding", "", "shapefile attribute `ENCODING` (default from the .cpg)")
	fs.StringVar(&m.geoID, "geo-id", "id", "GeoJSON property or shapefile .dbf `FIELD` holding the region ID (before this release: --id, which now names the data column)")
	fs.StringVar(&m.data, "data", "", "data `file` (.csv, .tsv, .txt, .xlsx, .dta or .parquet)")
	m.input = addInputFlags(fs)
	fs.StringVar(&m.id, "id", "", "data `COLUMN` holding the region ID (before this release: --key)")
	aliasPlotKey(fs)
	fs.BoolVar(&m.northArrow, "north-arrow", false, "draw a north arrow")
	fs.BoolVar(&m.scaleBar, "scale-bar", false, "draw a scale bar")
	fs.StringVar(&m.units, "units", "", "unit of planar coordinates for the scale bar (e.g. m)")
}

// aliasPlotKey registers --key, plot's old name of --id (the data's
// region column).
func aliasPlotKey(fs *pflag.FlagSet) {
	aliasFlag(fs, "key", "id", true, "--key is the old name of --id, the data's region column; the geometry's property, --id before this release, is now --geo-id")
}

// geoIDHint returns err, an error reading the regions by --geo-id or the
// data's --id column, as a usage error pointing to --geo-id when id (the
// value of --id) is a property of the geometry rather than a data column:
// --id named the geometry's property in plot map and lisa before this
// release.
func (m *mapFlags) geoIDHint(err error, id string) error {
	if m.geojson == "" || id == "" {
		return err
	}
	if _, gerr := readGeometry(m.geojson, id, m.encoding); gerr != nil {
		return err
	}
	return usagef("--id %q is a property of %s: --id names the data's region column (it was --key) and --geo-id the geometry's property (it was --id): %v", id, m.geojson, err)
}

func (m *mapFlags) decorations() plot.MapDecorations {
	return plot.MapDecorations{NorthArrow: m.northArrow, ScaleBar: m.scaleBar, Units: m.units}
}

func newPlotMapCmd(env *cliEnv) *cobra.Command {
	cmd := newCommand("map", "choropleth of a variable over polygons (--facet: small multiples)", "Usage: agglo plot map --geometry FILE [--geo-id FIELD] --data FILE.csv --id COL --var COL [--classes K] [--scheme quantile|equal|jenks] [--breaks B1,B2,...] [--palette NAME] [--where COL=VALUE | --facet COL] [--title T] --out FILE")
	fs := cmd.Flags()
	var o outputFlags
	o.register(fs, "16cm", "11cm")
	var m mapFlags
	m.register(fs)
	variable := fs.String("var", "", "data column to map")
	classes := fs.Int("classes", 5, "number of classes")
	scheme := fs.String("scheme", "quantile", "classification: quantile, equal or jenks")
	breaks := fs.String("breaks", "", "user class bounds, comma-separated (overrides --scheme)")
	palette := fs.String("palette", "YlGnBu", "palette: "+strings.Join(plot.Palettes(), ", ")+" (suffix -r reverses)")
	legend := fs.String("legend-title", "", "legend title with its units, e.g. \"Unemployment rate, %\" (default: the variable's label from --labels, else its name)")
	labelsFile := fs.String("labels", "", "CSV `FILE` of variable labels (name,label) for the default legend title")
	facet := fs.String("facet", "", "data column (e.g. year): one map per value on a shared scale")
	where := fs.String("where", "", "keep only the data rows with COL=VALUE (e.g. year=1986)")
	completeValues(cmd, "scheme", "quantile", "equal", "jenks")
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		if m.geojson == "" || m.data == "" || m.id == "" || *variable == "" {
			return usagef("plot map: --geometry, --data, --id and --var are required")
		}
		if *classes < 1 || *classes > 11 {
			return usagef("--classes %d: want 1 to 11", *classes)
		}
		sch := plot.Scheme(*scheme)
		var user []float64
		if *breaks != "" {
			sch = plot.User
			for _, s := range splitList(*breaks) {
				v, err := strconv.ParseFloat(s, 64)
				if err != nil {
					return usagef("--breaks: %q is not a number", s)
				}
				user = append(user, v)
			}
		} else if sch != plot.Quantile && sch != plot.Equal && sch != plot.Jenks {
			return usagef("--scheme %q: want quantile, equal or jenks", *scheme)
		}
		if _, err := plot.Colors(*palette, 3); err != nil {
			return usagef("--palette: %s", libMessage(err))
		}
		regions, err := readRegions(m.geojson, m.geoID, m.encoding)
		if err != nil {
			return m.geoIDHint(err, m.id)
		}
		t, err := readFilteredTable(m.data, m.input, *where)
		if err != nil {
			return err
		}
		ids, err := t.strings(m.id)
		if err != nil {
			return m.geoIDHint(err, m.id)
		}
		vals, err := t.floats(*variable)
		if err != nil {
			return err
		}
		if *facet == "" {
			seen := map[string]bool{}
			for _, id := range ids {
				if seen[id] {
					return fmt.Errorf("%s: region %q has several rows in column %q: choose one with --where (e.g. --where year=1986) or draw one map per value with --facet", m.data, id, m.id)
				}
				seen[id] = true
			}
		}
		lt := *legend
		if lt == "" && *labelsFile != "" {
			labels, err := regress.ReadLabelsFile(*labelsFile)
			if err != nil {
				return err
			}
			lt = labels[*variable]
		}
		if lt == "" {
			lt = *variable
		}
		var fig plot.Figure
		if *facet == "" {
			c := &plot.Choropleth{Regions: regions, IDs: ids, Values: vals, Scheme: sch, K: *classes, UserBreaks: user,
				Palette: *palette, Title: o.title, LegendTitle: lt, MapDecorations: m.decorations()}
			fig = c
		} else {
			keys, err := t.strings(*facet)
			if err != nil {
				return err
			}
			var panels []plot.Panel
			at := map[string]int{}
			for i, k := range keys {
				p, ok := at[k]
				if !ok {
					p = len(panels)
					at[k] = p
					panels = append(panels, plot.Panel{Title: k})
				}
				panels[p].IDs = append(panels[p].IDs, ids[i])
				panels[p].Values = append(panels[p].Values, vals[i])
			}
			if len(panels) > 24 {
				return fmt.Errorf("%s: column %q has %d values: too many panels (at most 24)", m.data, *facet, len(panels))
			}
			fig = &plot.SmallMultiples{Regions: regions, Panels: panels, Scheme: sch, K: *classes, UserBreaks: user,
				Palette: *palette, Title: o.title, LegendTitle: lt, MapDecorations: m.decorations()}
		}
		return o.save(env, fig, m.geojson, m.data)
	}
	return cmd
}

// localRow is one region of the output of 'agglo moran --local'.
type localRow struct {
	ID      string   `json:"id"`
	P       *float64 `json:"p"`
	Cluster string   `json:"cluster"`
	Z       *float64 `json:"z"`
	Lag     *float64 `json:"lag_z"`
	// X and WX are the raw value and its spatial lag (computed from data
	// only).
	X, WX *float64 `json:"-"`
}

// readLocal reads the per-region output of 'agglo moran --local' (CSV with
// columns id, p, cluster …, or JSON: an array, or an object with an array
// "local").
func readLocal(path string) ([]localRow, error) {
	if strings.EqualFold(filepath.Ext(path), ".json") {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		var rows []localRow
		if err := nulljson.Unmarshal(data, &rows); err != nil {
			var obj struct {
				Local []localRow `json:"local"`
			}
			if err2 := nulljson.Unmarshal(data, &obj); err2 != nil || obj.Local == nil {
				return nil, fmt.Errorf("%s: want a JSON array of regions or an object with \"local\": %w", path, err)
			}
			rows = obj.Local
		}
		for i, r := range rows {
			if r.ID == "" {
				return nil, fmt.Errorf("%s: region %d has no \"id\"", path, i+1)
			}
		}
		return rows, nil
	}
	t, err := readTable(path, table.Options{})
	if err != nil {
		return nil, err
	}
	ids, err := t.strings("id")
	if err != nil {
		return nil, err
	}
	rows := make([]localRow, len(ids))
	for i := range rows {
		rows[i].ID = ids[i]
	}
	if _, ok := t.col["p"]; ok {
		p, err := t.floats("p")
		if err != nil {
			return nil, err
		}
		for i := range rows {
			rows[i].P = &p[i]
		}
	}
	if _, ok := t.col["cluster"]; ok {
		c, _ := t.strings("cluster")
		for i := range rows {
			rows[i].Cluster = c[i]
		}
	}
	if _, ok := t.col["z"]; ok {
		z, err := t.floats("z")
		if err != nil {
			return nil, err
		}
		l, err := t.floats("lag_z")
		if err != nil {
			return nil, err
		}
		for i := range rows {
			rows[i].Z, rows[i].Lag = &z[i], &l[i]
		}
	}
	return rows, nil
}

// localFromData computes local Moran statistics of a data column.
func localFromData(dataPath string, in table.Options, where, key, variable, weightsPath, idsPath, style string, alpha float64, perms int, seed uint64) ([]localRow, error) {
	t, err := readTable(dataPath, in)
	if err != nil {
		return nil, err
	}
	if err := t.filter(where); err != nil {
		return nil, err
	}
	ids, err := t.strings(key)
	if err != nil {
		return nil, err
	}
	vals, err := t.floats(variable)
	if err != nil {
		return nil, err
	}
	w, err := readWeights(weightsPath, "", idsPath, func() ([]string, error) { return ids, nil })
	if err != nil {
		return nil, err
	}
	st, err := spatial.ParseStyle(style)
	if err != nil {
		return nil, usagef("--style: %s", libMessage(err))
	}
	if w, err = w.Transform(st); err != nil {
		return nil, fmt.Errorf("%s: %w", weightsPath, err)
	}
	pos := map[string]int{}
	for i, id := range ids {
		if _, dup := pos[id]; dup {
			return nil, fmt.Errorf("%s: region %q appears twice in column %q (choose rows with --where, e.g. --where year=1986)", dataPath, id, key)
		}
		pos[id] = i
	}
	x := make([]float64, w.N())
	for k, id := range w.IDs() {
		i, ok := pos[id]
		if !ok {
			return nil, fmt.Errorf("%s: region %q of the weights %s has no row", dataPath, id, weightsPath)
		}
		if math.IsNaN(vals[i]) {
			return nil, fmt.Errorf("%s:%d: region %q has no value of %q", dataPath, i+2, id, variable)
		}
		x[k] = vals[i]
	}
	res, err := spatial.LocalMoran(x, w, spatial.LocalOptions{Alpha: alpha, Permutations: perms, Seed: seed})
	if err != nil {
		return nil, err
	}
	wx := w.Lag(x)
	rows := make([]localRow, len(res))
	for i, r := range res {
		p := r.P
		if perms > 0 {
			p = r.PPermutation
		}
		z, l := r.ZValue, r.Lag
		rows[i] = localRow{ID: r.ID, P: &p, Cluster: r.Cluster, Z: &z, Lag: &l, X: &x[i], WX: &wx[i]}
	}
	return rows, nil
}

type localFlags struct {
	local, data, id, variable, weights, style, where string
	ids                                              string
	alpha                                            float64
	perms                                            int
	seed                                             uint64
	input                                            *inputFlags
}

func (l *localFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&l.local, "local", "", "output of 'agglo moran --local' (CSV or JSON)")
	fs.StringVar(&l.data, "data", "", "or: data `file` (.csv, .tsv, .txt, .xlsx, .dta or .parquet)")
	l.input = addInputFlags(fs)
	fs.StringVar(&l.id, "id", "", "data `COLUMN` holding the region ID (before this release: --key)")
	aliasPlotKey(fs)
	fs.StringVar(&l.variable, "var", "", "data column to analyse")
	fs.StringVar(&l.weights, "weights", "", "weights `file` (GAL, GWT, edge list or matrix CSV)")
	fs.StringVar(&l.style, "style", "W", "style of the weights (B, W, C, U, S)")
	fs.StringVar(&l.ids, "ids", "", idsFlagUsage)
	fs.StringVar(&l.where, "where", "", "keep only the data rows with COL=VALUE (e.g. year=1986)")
	fs.Float64Var(&l.alpha, "alpha", 0.05, "significance level of the clusters")
	fs.IntVar(&l.perms, "permutations", 0, "conditional permutations for pseudo p-values (0: normal p-values)")
	fs.Uint64Var(&l.seed, "seed", 1, "seed of the permutations")
}

func (l *localFlags) rows() ([]localRow, []string, error) {
	if l.local != "" {
		if l.data != "" {
			return nil, nil, usagef("give either --local or --data/--weights, not both")
		}
		r, err := readLocal(l.local)
		return r, []string{l.local}, err
	}
	if l.data == "" || l.id == "" || l.variable == "" || l.weights == "" {
		return nil, nil, usagef("give --local FILE, or --data, --id, --var and --weights")
	}
	if l.alpha <= 0 || l.alpha >= 1 {
		return nil, nil, usagef("--alpha %v: want a level in (0, 1)", l.alpha)
	}
	if err := notNegative("plot lisa", "permutations", l.perms); err != nil {
		return nil, nil, err
	}
	in, err := l.input.options()
	if err != nil {
		return nil, nil, err
	}
	r, err := localFromData(l.data, in, l.where, l.id, l.variable, l.weights, l.ids, l.style, l.alpha, l.perms, l.seed)
	return r, []string{l.data, l.weights, l.ids}, err
}

func newPlotLISACmd(env *cliEnv) *cobra.Command {
	cmd := newCommand("lisa", "LISA cluster map (or --kind significance: map of p-values)", "Usage: agglo plot lisa --geometry FILE [--geo-id FIELD] (--local FILE.csv|json | --data FILE.csv --id COL --var COL --weights FILE) [--kind cluster|significance] --out FILE")
	fs := cmd.Flags()
	var o outputFlags
	o.register(fs, "16cm", "11cm")
	var m mapFlags
	fs.StringVar(&m.geojson, "geometry", "", "GeoJSON or shapefile (.shp) `file` of the regions (also --geojson)")
	aliasFlag(fs, "geojson", "geometry", false, "")
	fs.StringVar(&m.encoding, "encoding", "", "shapefile attribute `ENCODING` (default from the .cpg)")
	fs.StringVar(&m.geoID, "geo-id", "id", "GeoJSON property or shapefile .dbf `FIELD` holding the region ID (before this release: --id, which now names the data column)")
	fs.BoolVar(&m.northArrow, "north-arrow", false, "draw a north arrow")
	fs.BoolVar(&m.scaleBar, "scale-bar", false, "draw a scale bar")
	var l localFlags
	l.register(fs)
	kind := fs.String("kind", "cluster", "cluster map or significance map")
	completeValues(cmd, "kind", "cluster", "significance")
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		if m.geojson == "" {
			return usagef("plot lisa: --geometry is required")
		}
		if *kind != "cluster" && *kind != "significance" {
			return usagef("--kind %q: want cluster or significance", *kind)
		}
		rows, inputs, err := l.rows()
		if errors.Is(err, errNoColumn) {
			return m.geoIDHint(err, l.id)
		} else if err != nil {
			return err
		}
		regions, err := readRegions(m.geojson, m.geoID, m.encoding)
		if err != nil {
			return m.geoIDHint(err, l.id)
		}
		src := strings.Join(nonEmpty(inputs), ", ")
		ids := make([]string, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
		}
		var fig plot.Figure
		if *kind == "cluster" {
			cl := make([]string, len(rows))
			for i, r := range rows {
				if r.Cluster == "" {
					return fmt.Errorf("%s: region %q has no cluster label", src, r.ID)
				}
				cl[i] = r.Cluster
			}
			alpha := 0.0
			if l.local == "" {
				alpha = l.alpha
			}
			fig = &plot.LISAMap{Regions: regions, IDs: ids, Clusters: cl, Alpha: alpha, Title: o.title, MapDecorations: m.decorations()}
		} else {
			p := make([]float64, len(rows))
			for i, r := range rows {
				if r.P == nil {
					return fmt.Errorf("%s: region %q has no p-value", src, r.ID)
				}
				p[i] = *r.P
			}
			fig = &plot.SignificanceMap{Regions: regions, IDs: ids, P: p, Title: o.title, MapDecorations: m.decorations()}
		}
		return o.save(env, fig, append(inputs, m.geojson)...)
	}
	return cmd
}

func newPlotMoranCmd(env *cliEnv) *cobra.Command {
	cmd := newCommand("moran", "Moran scatter plot with influential regions named", "Usage: agglo plot moran (--data FILE.csv --id COL --var COL --weights FILE | --local FILE with columns z, lag_z) --out FILE")
	fs := cmd.Flags()
	var o outputFlags
	o.register(fs, "14cm", "11cm")
	var l localFlags
	l.register(fs)
	xlab := fs.String("xlabel", "", "x axis label (default: the variable, standardised)")
	ylab := fs.String("ylabel", "", "y axis label (default: its spatial lag)")
	raw := fs.Bool("raw", false, "plot the raw values and their lag, as spdep's moran.plot(x, listw), instead of z and Wz (needs --data)")
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		if *raw && l.local != "" {
			return usagef("--raw needs --data, --id, --var and --weights")
		}
		rows, inputs, err := l.rows()
		if err != nil {
			return err
		}
		m := &plot.MoranScatter{Title: o.title, XLabel: *xlab, YLabel: *ylab}
		if *raw {
			for i := range rows {
				rows[i].Z, rows[i].Lag = rows[i].X, rows[i].WX
			}
		}
		if m.XLabel == "" && l.variable != "" {
			m.XLabel = l.variable + " (standardised)"
			if *raw {
				m.XLabel = l.variable
			}
		}
		if m.YLabel == "" && l.variable != "" {
			m.YLabel = "spatial lag of " + l.variable
		}
		for _, r := range rows {
			if r.Z == nil || r.Lag == nil {
				return fmt.Errorf("%s: region %q has no Moran scatter coordinates (columns z and lag_z)", strings.Join(nonEmpty(inputs), ", "), r.ID)
			}
			m.IDs = append(m.IDs, r.ID)
			m.X = append(m.X, *r.Z)
			m.WX = append(m.WX, *r.Lag)
		}
		return o.save(env, m, inputs...)
	}
	return cmd
}

func newPlotSeriesCmd(env *cliEnv) *cobra.Command {
	cmd := newCommand("series", "values per category (years) as bars/lines, optionally a share on a second axis", `Usage: agglo plot series --data FILE.csv --x COL (--bars COLS | --lines COLS | --group COL --value COL [--groups A,B] [--as lines|bars]) [--share COL] --out FILE
Wide data: each of --bars and --lines names columns drawn as bars or lines per value of --x.
Long data (as 'agglo index' writes): one series per value of --group, from --value.`)
	fs := cmd.Flags()
	var o outputFlags
	o.register(fs, "16cm", "10cm")
	data := fs.String("data", "", "data `file` (.csv, .tsv, .txt, .xlsx, .dta or .parquet)")
	input := addInputFlags(fs)
	xcol := fs.String("x", "", "column of the categories (e.g. year)")
	bars := fs.String("bars", "", "columns drawn as bars, comma-separated")
	lines := fs.String("lines", "", "columns drawn as lines, comma-separated")
	share := fs.String("share", "", "column drawn as a line on a second (right) axis")
	group := fs.String("group", "", "long data: column naming the series (region, sector)")
	value := fs.String("value", "value", "long data: column of the values")
	groups := fs.String("groups", "", "long data: the series to draw (default all), comma-separated")
	as := fs.String("as", "lines", "long data: draw series as lines or bars")
	where := fs.String("where", "", "keep only the rows with COL=VALUE")
	ylab := fs.String("ylabel", "", "left axis label")
	rlab := fs.String("right-label", "", "right axis label")
	xlab := fs.String("xlabel", "", "x axis label")
	completeValues(cmd, "as", "lines", "bars")
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		if *data == "" || *xcol == "" {
			return usagef("plot series: --data and --x are required")
		}
		t, err := readFilteredTable(*data, input, *where)
		if err != nil {
			return err
		}
		xs, err := t.strings(*xcol)
		if err != nil {
			return err
		}
		var cats []string
		catAt := map[string]int{}
		for _, x := range xs {
			if _, ok := catAt[x]; !ok {
				catAt[x] = len(cats)
				cats = append(cats, x)
			}
		}
		ch := &plot.SeriesChart{Categories: cats, Title: o.title, XLabel: *xlab, YLabel: *ylab, RightLabel: *rlab}
		wide := func(col string) (plot.Series, error) {
			v, err := t.floats(col)
			if err != nil {
				return plot.Series{}, err
			}
			s := plot.Series{Name: col, Values: nanSlice(len(cats))}
			seen := make([]bool, len(cats))
			for i, x := range xs {
				k := catAt[x]
				if seen[k] {
					return s, fmt.Errorf("%s:%d: %s %q appears twice (use --group for long data, or --where)", t.path, i+2, *xcol, x)
				}
				seen[k] = true
				s.Values[k] = v[i]
			}
			return s, nil
		}
		if *group != "" {
			if *bars != "" || *lines != "" {
				return usagef("give --group (long data) or --bars/--lines (wide data), not both")
			}
			g, err := t.strings(*group)
			if err != nil {
				return err
			}
			v, err := t.floats(*value)
			if err != nil {
				return err
			}
			want := splitList(*groups)
			var series []plot.Series
			at := map[string]int{}
			for _, name := range want {
				at[name] = len(series)
				series = append(series, plot.Series{Name: name, Values: nanSlice(len(cats))})
			}
			for i := range g {
				k, ok := at[g[i]]
				if !ok {
					if want != nil {
						continue
					}
					k = len(series)
					at[g[i]] = k
					series = append(series, plot.Series{Name: g[i], Values: nanSlice(len(cats))})
				}
				c := catAt[xs[i]]
				if !math.IsNaN(series[k].Values[c]) {
					return fmt.Errorf("%s:%d: %s %q has two values for %s %q (use --where to choose)", t.path, i+2, *group, g[i], *xcol, xs[i])
				}
				series[k].Values[c] = v[i]
			}
			for _, s := range series {
				if allNaN(s.Values) {
					return fmt.Errorf("%s: no rows for %s %q", t.path, *group, s.Name)
				}
			}
			if len(series) > 12 {
				return fmt.Errorf("%s: %d series are too many for one chart; choose some with --groups", t.path, len(series))
			}
			switch *as {
			case "lines":
				ch.Lines = series
			case "bars":
				ch.Bars = series
			default:
				return usagef("--as %q: want lines or bars", *as)
			}
		}
		for _, c := range splitList(*bars) {
			s, err := wide(c)
			if err != nil {
				return err
			}
			ch.Bars = append(ch.Bars, s)
		}
		for _, c := range splitList(*lines) {
			s, err := wide(c)
			if err != nil {
				return err
			}
			ch.Lines = append(ch.Lines, s)
		}
		if *share != "" {
			if *group != "" {
				return usagef("--share needs wide data (one row per category)")
			}
			s, err := wide(*share)
			if err != nil {
				return err
			}
			ch.Share = &s
		}
		if len(ch.Bars)+len(ch.Lines) == 0 && ch.Share == nil {
			return usagef("plot series: nothing to draw (give --bars, --lines, --share or --group)")
		}
		return o.save(env, ch, *data)
	}
	return cmd
}

func nanSlice(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = math.NaN()
	}
	return s
}

func allNaN(x []float64) bool {
	for _, v := range x {
		if !math.IsNaN(v) {
			return false
		}
	}
	return true
}

// readResult reads a model's Result JSON (the contract of regress).
func readResult(path string) (*regress.Result, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r regress.Result
	if err := nulljson.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s: not a model result: %w", path, err)
	}
	return &r, nil
}

func newPlotCoefCmd(env *cliEnv) *cobra.Command {
	cmd := newCommand("coef", "coefficients of several models (Result JSON files) with 95% intervals", "Usage: agglo plot coef --results A.json,B.json [--names NAME,NAME] [--terms T,T] --out FILE")
	fs := cmd.Flags()
	var o outputFlags
	o.register(fs, "16cm", "11cm")
	results := fs.String("results", "", "model result JSON files, comma-separated")
	names := fs.String("names", "", "model names (default: the file names)")
	terms := fs.String("terms", "", "terms to show, in order (default: all but the intercept)")
	facets, labels := addIntervalFlags(fs)
	std := fs.Bool("standardize", false, "standardized (beta) coefficients, estimate × SD(x) / SD(y), from the SDs the fit recorded (ρ, λ and the intercept are left out)")
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		files := splitList(*results)
		if len(files) == 0 {
			return usagef("plot coef: --results is required")
		}
		nm := splitList(*names)
		if nm != nil && len(nm) != len(files) {
			return usagef("--names has %d names for %d results", len(nm), len(files))
		}
		p := &plot.CoefPlot{Title: o.title, Terms: splitList(*terms), Standardized: *std}
		var err error
		if p.Facets, p.Labels, err = intervalOptions(*facets, *labels); err != nil {
			return err
		}
		for i, f := range files {
			r, err := readResult(f)
			if err != nil {
				return err
			}
			if len(r.Coefficients) == 0 {
				return fmt.Errorf("%s: no coefficients", f)
			}
			if *std {
				if r, err = r.Standardized(); err != nil {
					return fmt.Errorf("%s: --standardize: %w", f, err)
				}
			}
			name := strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))
			if nm != nil {
				name = nm[i]
			}
			p.Models = append(p.Models, plot.ModelFromResult(name, r))
		}
		for _, term := range p.Terms {
			found := false
			for _, m := range p.Models {
				for _, e := range m.Estimates {
					found = found || e.Name == term
				}
			}
			if !found {
				if *std {
					return fmt.Errorf("--terms: no model has the term %q among its standardized terms (--standardize leaves out the intercept, ρ, λ and φ, which have no standard deviation)", term)
				}
				return fmt.Errorf("--terms: no model has the term %q", term)
			}
		}
		return o.save(env, p, files...)
	}
	return cmd
}

func newPlotEffectsCmd(env *cliEnv) *cobra.Command {
	cmd := newCommand("effects", "direct/indirect/total effects of a spatial lag model (Result JSON)", "Usage: agglo plot effects --result MODEL.json --out FILE")
	fs := cmd.Flags()
	var o outputFlags
	o.register(fs, "16cm", "10cm")
	result := fs.String("result", "", "result JSON of a spatial lag model with impacts (of a dynamic model: short- and long-run side by side)")
	facets, labels := addIntervalFlags(fs)
	std := fs.Bool("standardize", false, "standardized effects, effect × SD(x) / SD(y), from the SDs the fit recorded")
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		if *result == "" {
			return usagef("plot effects: --result is required")
		}
		r, err := readResult(*result)
		if err != nil {
			return err
		}
		if r.Impacts == nil || len(r.Impacts.Total) == 0 {
			return fmt.Errorf("%s: the model has no impacts (direct/indirect/total effects)", *result)
		}
		if *std {
			if r, err = r.Standardized(); err != nil {
				return fmt.Errorf("%s: --standardize: %w", *result, err)
			}
		}
		p := &plot.EffectsPlot{Impacts: r.Impacts, LongRun: r.ImpactsLongRun, Title: o.title, Standardized: *std}
		if p.Facets, p.Labels, err = intervalOptions(*facets, *labels); err != nil {
			return err
		}
		return o.save(env, p, *result)
	}
	return cmd
}

// addIntervalFlags registers --facets and --labels of the coef and
// effects plots.
func addIntervalFlags(fs *pflag.FlagSet) (facets, labels *string) {
	facets = fs.String("facets", "auto", "a panel per term with its own x scale: auto (when the terms' ranges differ more than tenfold), always or never")
	labels = fs.String("labels", "", "CSV `FILE` of variable labels (name,label)")
	return facets, labels
}

// intervalOptions parses --facets and reads --labels.
func intervalOptions(facets, labels string) (plot.Facets, map[string]string, error) {
	f, err := plot.ParseFacets(facets)
	if err != nil {
		return 0, nil, usagef("--facets: %s", libMessage(err))
	}
	if labels == "" {
		return f, nil, nil
	}
	l, err := regress.ReadLabelsFile(labels)
	return f, l, err
}

func newPlotHeatmapCmd(env *cliEnv) *cobra.Command {
	cmd := newCommand("heatmap", "matrix of pairwise values (coagglomeration), sectors ordered by clustering", "Usage: agglo plot heatmap --data FILE.csv [--row sector_i --col sector_j --value value] [--where year=2017] [--keep-order] --out FILE")
	fs := cmd.Flags()
	var o outputFlags
	o.register(fs, "16cm", "14cm")
	data := fs.String("data", "", "`file` of pairs, as 'agglo index egk' writes (CSV, or .xlsx, .dta, .parquet)")
	input := addInputFlags(fs)
	row := fs.String("row", "sector_i", "column of the first item of a pair")
	col := fs.String("col", "sector_j", "column of the second item")
	value := fs.String("value", "value", "column of the pair's value")
	where := fs.String("where", "", "keep only the rows with COL=VALUE (e.g. year=2017)")
	keep := fs.Bool("keep-order", false, "keep the order of first appearance instead of clustering")
	palette := fs.String("palette", "RdBu-r", "diverging palette")
	legend := fs.String("legend-title", "", "colour bar title")
	labelsFile := fs.String("labels", "", "CSV `FILE` that names the sectors in one scheme: name,label rows, or the groups file (its sector and name columns); default: the codes of the data")
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		if *data == "" {
			return usagef("plot heatmap: --data is required")
		}
		var names map[string]string
		if *labelsFile != "" {
			var err error
			if names, err = regress.ReadLabelsFile(*labelsFile); err != nil {
				return err
			}
		}
		t, err := readFilteredTable(*data, input, *where)
		if err != nil {
			return err
		}
		a, err := t.strings(*row)
		if err != nil {
			return err
		}
		b, err := t.strings(*col)
		if err != nil {
			return err
		}
		v, err := t.floats(*value)
		if err != nil {
			return err
		}
		var labels []string
		at := map[string]int{}
		for _, s := range append(append([]string(nil), a...), b...) {
			if _, ok := at[s]; !ok {
				at[s] = len(labels)
				labels = append(labels, s)
			}
		}
		n := len(labels)
		if err := spatial.CheckDense(n, n, 1, fmt.Sprintf("%s: a heat map of %d labels", t.path, n), "filter the pairs with --where"); err != nil {
			return err
		}
		m := make([][]float64, n)
		for i := range m {
			m[i] = nanSlice(n)
		}
		for k := range a {
			i, j := at[a[k]], at[b[k]]
			if !math.IsNaN(m[i][j]) && m[i][j] != v[k] {
				return fmt.Errorf("%s:%d: pair (%s, %s) has two values (use --where to choose a year)", t.path, k+2, a[k], b[k])
			}
			m[i][j] = v[k]
			if math.IsNaN(m[j][i]) {
				m[j][i] = v[k] // pairs written once stand for both orders
			}
		}
		if names != nil {
			var unnamed []string
			for i, l := range labels {
				if name, ok := names[l]; ok {
					labels[i] = name
				} else {
					unnamed = append(unnamed, l)
				}
			}
			if len(unnamed) > 0 {
				return fmt.Errorf("%s: %d sector(s) without a label, which would mix two naming schemes: %s", *labelsFile, len(unnamed), quoteList(unnamed))
			}
		}
		h := &plot.Heatmap{Labels: labels, Values: m, KeepOrder: *keep, Palette: *palette, Title: o.title, LegendTitle: *legend}
		return o.save(env, h, *data, *labelsFile)
	}
	return cmd
}

func nonEmpty(s []string) []string {
	var out []string
	for _, v := range s {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}
