package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/agglo/agglo/spatial"
	"github.com/paulmach/orb"
)

const weightsUsage = `Usage:
  agglo weights build (--geojson FILE --id FIELD | --points FILE.csv --id COL --x COL --y COL [--lonlat])
                      (--contiguity queen|rook | --knn K | --band D | --inverse-distance ALPHA [--band D])
                      [--snap EPS] [--style B|W|C|U|S] [--out FILE.gal|FILE.gwt|FILE.csv] [--format text|json]
  agglo weights summary FILE [--weights-format gal|gwt|edges|matrix] [--format text|json]
  agglo weights convert IN OUT [--weights-format gal|gwt|edges|matrix] [--out-format gal|gwt|edges|matrix] [--style B|W|C|U|S]
  agglo weights subset IN OUT (--ids FILE | --data FILE --id COL) [--weights-format F] [--out-format F]
  agglo weights --demo [--format text|json]

build makes spatial weights from polygons (contiguity as spdep's poly2nb, or
distances between their area-weighted centroids, computed in the file's
coordinates) or from points, writes them to --out when given (.gal, .gwt, or
.csv as an edge list from,to[,weight]) and prints their summary. Distances are
Euclidean, or great-circle kilometres (haversine, R = 6371.0088 km) with
--lonlat. k-nearest-neighbour ties go to the region listed first.
summary prints the summary of a weights file (format from its extension;
a .csv is an edge list when its header is from,to[,weight], else a matrix).
convert rewrites a weights file in another format (by OUT's extension, or
--out-format; matrix is a dense CSV), optionally in another style.
subset keeps the regions of IN listed in --ids (one per line) or present in
the --id column of --data, re-standardises them in IN's style, writes OUT and
reports the regions dropped and the islands the removal leaves.
--demo prints the summary of the queen contiguity of a 10 x 10 lattice.
`

// runWeights dispatches "agglo weights".
func runWeights(env *cliEnv, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "build":
			return runWeightsBuild(env, args[1:])
		case "summary":
			return runWeightsSummary(env, args[1:])
		case "convert":
			return runWeightsConvert(env, args[1:])
		case "subset":
			return runWeightsSubset(env, args[1:])
		}
	}
	fs := newFlagSet(env, "weights", weightsUsage)
	demo := fs.Bool("demo", false, "summarise the weights of a built-in 10 x 10 queen lattice")
	format := fs.String("format", "text", "output `format`: text or json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("weights: unknown subcommand %q (want build, summary, convert, subset or --demo)", fs.Arg(0))
	}
	if !*demo {
		return usagef("weights: want a subcommand (build, summary, convert, subset) or --demo; see 'agglo weights -h'")
	}
	if err := checkOutputFormat(*format); err != nil {
		return err
	}
	w, err := spatial.Lattice(10, 10, true)
	if err != nil {
		return err
	}
	return printSummary(env.stdout, *format, "Demo: queen contiguity of a 10 x 10 lattice (spdep cell2nb)", "", w)
}

// parseInterleaved parses flags that may come before or after positional
// arguments and returns the positional arguments.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func checkOutputFormat(f string) error {
	if f != "text" && f != "json" {
		return usagef("--format %q: want text or json", f)
	}
	return nil
}

// printSummary writes the summary of w as text (with a title line and the
// output file) or as a JSON object.
func printSummary(out io.Writer, format, title, wrote string, w *spatial.Weights) error {
	s := w.Summarize()
	if format == "json" {
		b, err := json.MarshalIndent(s, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(out, "%s\n", b)
		return err
	}
	fmt.Fprintln(out, title)
	if err := s.WriteText(out); err != nil {
		return err
	}
	if wrote != "" {
		fmt.Fprintf(out, "Written to: %s\n", wrote)
	}
	return nil
}

func runWeightsSummary(env *cliEnv, args []string) error {
	fs := newFlagSet(env, "weights summary", weightsUsage)
	wformat := fs.String("weights-format", "", "format of FILE: gal, gwt, edges or matrix (default: from its extension)")
	format := fs.String("format", "text", "output `format`: text or json")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("weights summary: want one weights FILE, got %d arguments", len(pos))
	}
	if err := checkOutputFormat(*format); err != nil {
		return err
	}
	if err := checkWeightsFormat("weights-format", *wformat); err != nil {
		return err
	}
	w, err := spatial.ReadWeightsFile(pos[0], *wformat)
	if err != nil {
		return err
	}
	return printSummary(env.stdout, *format, "Weights: "+pos[0], "", w)
}

// buildFlags are the flags of "agglo weights build".
type buildFlags struct {
	geojson, points, id, x, y string
	lonlat                    bool
	contiguity                string
	knn                       int
	band, alpha, snap         float64
	style, out, format        string
	set                       map[string]bool
}

func runWeightsBuild(env *cliEnv, args []string) error {
	fs := newFlagSet(env, "weights build", weightsUsage)
	var o buildFlags
	fs.StringVar(&o.geojson, "geojson", "", "GeoJSON `FILE` of Polygon/MultiPolygon features")
	fs.StringVar(&o.points, "points", "", "CSV `FILE` of points with a header row")
	fs.StringVar(&o.id, "id", "", "property (GeoJSON) or column (CSV) holding the region ID")
	fs.StringVar(&o.x, "x", "", "CSV `column` of x (longitude with --lonlat)")
	fs.StringVar(&o.y, "y", "", "CSV `column` of y (latitude with --lonlat)")
	fs.BoolVar(&o.lonlat, "lonlat", false, "coordinates are longitude/latitude in degrees: great-circle distances in km")
	fs.StringVar(&o.contiguity, "contiguity", "", "polygon contiguity: queen or rook (spdep poly2nb)")
	fs.IntVar(&o.knn, "knn", 0, "`K` nearest neighbours")
	fs.Float64Var(&o.band, "band", 0, "distance band `D`: neighbours within D (km with --lonlat)")
	fs.Float64Var(&o.alpha, "inverse-distance", 0, "inverse-distance weights d^-`ALPHA` (all pairs, or within --band)")
	fs.Float64Var(&o.snap, "snap", 0, "contiguity snapping tolerance `EPS` (default sqrt of machine epsilon, as spdep)")
	fs.StringVar(&o.style, "style", "", "weights style: B, W, C, U or S (default: as built)")
	fs.StringVar(&o.out, "out", "", "write the weights to `FILE` (.gal, .gwt or .csv edge list)")
	fs.StringVar(&o.format, "format", "text", "summary `format`: text or json")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("weights build: unexpected argument %q", pos[0])
	}
	o.set = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { o.set[f.Name] = true })
	if err := o.validate(); err != nil {
		return err
	}

	// Read the input.
	var ids []string
	var regions *spatial.Regions
	var pts []orb.Point
	input := o.geojson
	if o.geojson != "" {
		regions, err = spatial.ReadGeoJSONFile(o.geojson, o.id)
		if err != nil {
			return err
		}
		ids = regions.IDs
		if o.contiguity == "" {
			pts = regions.Centroids()
		}
	} else {
		input = o.points
		ids, pts, err = spatial.ReadPointsCSVFile(o.points, o.id, o.x, o.y)
		if err != nil {
			return err
		}
	}

	// Build. Large inputs take seconds: say what is happening on a terminal.
	if env.isTerminal {
		fmt.Fprintf(env.stderr, "agglo: building weights for %d regions…\r", len(ids))
	}
	clearStatus := func() {
		if env.isTerminal {
			fmt.Fprintf(env.stderr, "\r\033[K")
		}
	}
	metric := spatial.Euclidean
	if o.lonlat {
		metric = spatial.GreatCircle
	}
	var w *spatial.Weights
	var what string
	switch {
	case o.contiguity != "":
		w, err = spatial.Contiguity(regions, spatial.ContiguityOptions{Queen: o.contiguity == "queen", Snap: o.snap})
		what = o.contiguity + " contiguity"
	case o.set["knn"]:
		w, err = spatial.KNearest(ids, pts, o.knn, metric)
		what = fmt.Sprintf("%d nearest neighbours", o.knn)
	case o.set["inverse-distance"]:
		if !o.set["band"] && len(pts) > maxAllPairs {
			clearStatus()
			return fmt.Errorf("%s: inverse distance over all pairs of %d points would need %d links; give --band", input, len(pts), len(pts)*(len(pts)-1))
		}
		w, err = spatial.InverseDistance(ids, pts, o.alpha, o.band, metric)
		what = fmt.Sprintf("inverse distance, power %g", o.alpha)
		if o.set["band"] {
			what += fmt.Sprintf(", within %g", o.band)
		}
	default:
		w, err = spatial.DistanceBand(ids, pts, o.band, metric)
		what = fmt.Sprintf("distance band %g", o.band)
	}
	clearStatus()
	if err != nil {
		return fmt.Errorf("%s: %w", input, err)
	}
	if o.lonlat && o.contiguity == "" {
		what += " (great-circle km)"
	}
	if o.geojson != "" && o.contiguity == "" {
		what += " between polygon centroids"
	}
	if o.style != "" {
		st, _ := spatial.ParseStyle(o.style)
		if w, err = w.Transform(st); err != nil {
			return fmt.Errorf("%s: %w", input, err)
		}
		what += ", style " + st.String()
	}
	if o.out != "" {
		if err := spatial.WriteWeightsFile(o.out, "", w); err != nil {
			return err
		}
	}
	return printSummary(env.stdout, o.format, "Weights: "+what+" of "+input, o.out, w)
}

// maxAllPairs is the largest number of points for inverse-distance weights
// over all pairs (N² links) without a band.
const maxAllPairs = 20000

// validate checks the combination of flags; every failure is a usage error.
func (o *buildFlags) validate() error {
	if err := checkOutputFormat(o.format); err != nil {
		return err
	}
	switch {
	case o.geojson != "" && o.points != "":
		return usagef("weights build: give --geojson or --points, not both")
	case o.geojson == "" && o.points == "":
		return usagef("weights build: give the regions with --geojson FILE --id FIELD or --points FILE.csv --id COL --x COL --y COL")
	case o.id == "":
		return usagef("weights build: --id is required (the property or column holding region IDs)")
	case o.points != "" && (o.x == "" || o.y == ""):
		return usagef("weights build: --points needs --x COL and --y COL")
	case o.geojson != "" && (o.set["x"] || o.set["y"]):
		return usagef("weights build: --x and --y are for --points")
	}
	methods := 0
	for _, m := range []string{"contiguity", "knn", "inverse-distance"} {
		if o.set[m] {
			methods++
		}
	}
	if o.set["band"] && !o.set["inverse-distance"] {
		methods++
	}
	if methods != 1 {
		return usagef("weights build: give exactly one of --contiguity queen|rook, --knn K, --band D, --inverse-distance ALPHA [--band D]")
	}
	if o.set["contiguity"] {
		if o.contiguity != "queen" && o.contiguity != "rook" {
			return usagef("--contiguity %q: want queen or rook", o.contiguity)
		}
		if o.points != "" {
			return usagef("weights build: --contiguity needs polygons (--geojson); for points use --knn, --band or --inverse-distance")
		}
		if o.lonlat {
			return usagef("weights build: --lonlat applies to distance-based weights, not to contiguity")
		}
	} else if o.set["snap"] {
		return usagef("weights build: --snap applies to --contiguity only")
	}
	if o.set["snap"] && (o.snap < 0 || o.snap != o.snap) {
		return usagef("--snap %v: want a non-negative tolerance", o.snap)
	}
	if o.set["knn"] && o.knn < 1 {
		return usagef("--knn %d: want K ≥ 1", o.knn)
	}
	if o.set["band"] && !(o.band > 0) {
		return usagef("--band %v: want a positive distance", o.band)
	}
	if o.set["inverse-distance"] && !(o.alpha > 0) {
		return usagef("--inverse-distance %v: want a positive power ALPHA", o.alpha)
	}
	if o.style != "" {
		st, err := spatial.ParseStyle(o.style)
		if err != nil {
			return usagef("--style %q: want B, W, C, U or S", o.style)
		}
		o.style = st.String()
	}
	if o.out != "" {
		ext := strings.ToLower(filepath.Ext(o.out))
		if ext != ".gal" && ext != ".gwt" && ext != ".csv" {
			return usagef("--out %s: want a .gal, .gwt or .csv file", o.out)
		}
		binary := o.style == "B" || o.style == "" && !o.set["inverse-distance"]
		if ext == ".gal" && !binary {
			return usagef("--out %s: a GAL file holds only binary neighbours; write .gwt or .csv for style %s weights", o.out, styleName(o))
		}
		for _, in := range []string{o.geojson, o.points} {
			if in != "" && samePath(in, o.out) {
				return usagef("--out %s is the input file: refusing to write over it", o.out)
			}
		}
	}
	return nil
}

func styleName(o *buildFlags) string {
	if o.style == "" {
		return "inverse-distance"
	}
	return o.style
}
func checkWeightsFormat(flagName, f string) error {
	switch f {
	case "", spatial.FormatGAL, spatial.FormatGWT, spatial.FormatEdges, spatial.FormatMatrix:
		return nil
	}
	return usagef("--%s %q: want gal, gwt, edges or matrix", flagName, f)
}

func runWeightsConvert(env *cliEnv, args []string) error {
	fs := newFlagSet(env, "weights convert", weightsUsage)
	inFormat := fs.String("weights-format", "", "format of IN: gal, gwt, edges or matrix (default: from its extension)")
	outFormat := fs.String("out-format", "", "format of OUT: gal, gwt, edges or matrix (default: from its extension, .csv = edges)")
	style := fs.String("style", "", "recode the weights in style B, W, C, U or S")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("weights convert: want IN and OUT files, got %d arguments", len(pos))
	}
	in, out := pos[0], pos[1]
	if err := checkWeightsFormat("weights-format", *inFormat); err != nil {
		return err
	}
	if err := checkWeightsFormat("out-format", *outFormat); err != nil {
		return err
	}
	if *outFormat == "" {
		ext := strings.ToLower(filepath.Ext(out))
		if ext != ".gal" && ext != ".gwt" && ext != ".csv" {
			return usagef("weights convert: cannot tell the format of %s from its extension: give --out-format", out)
		}
	}
	var st spatial.Style
	if *style != "" {
		if st, err = spatial.ParseStyle(*style); err != nil {
			return usagef("--style %q: want B, W, C, U or S", *style)
		}
	}
	if samePath(in, out) {
		return usagef("weights convert: OUT %s is the input file: refusing to write over it", out)
	}
	w, err := spatial.ReadWeightsFile(in, *inFormat)
	if err != nil {
		return err
	}
	if *style != "" {
		if w, err = w.Transform(st); err != nil {
			return fmt.Errorf("%s: %w", in, err)
		}
	}
	if err := spatial.WriteWeightsFile(out, *outFormat, w); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "Wrote %s (%d regions, %d links) from %s\n", out, w.N(), w.NNZ(), in)
	return nil
}

// runWeightsSubset is agglo weights subset.
func runWeightsSubset(env *cliEnv, args []string) error {
	fs := newFlagSet(env, "weights subset", weightsUsage)
	inFormat := fs.String("weights-format", "", "format of IN: gal, gwt, edges or matrix (default: from its extension)")
	outFormat := fs.String("out-format", "", "format of OUT: gal, gwt, edges or matrix (default: from its extension, .csv = edges)")
	idsFile := fs.String("ids", "", "`FILE` of the region IDs to keep, one per line")
	data := fs.String("data", "", "keep the regions of this data `FILE` (CSV; with --id)")
	idCol := fs.String("id", "", "region `COLUMN` of --data")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("weights subset: want IN and OUT files, got %d arguments", len(pos))
	}
	in, out := pos[0], pos[1]
	if (*idsFile == "") == (*data == "") {
		return usagef("weights subset: give either --ids FILE or --data FILE --id COL")
	}
	if *data != "" && *idCol == "" {
		return usagef("weights subset: --data needs --id COL (the region column)")
	}
	if err := checkWeightsFormat("weights-format", *inFormat); err != nil {
		return err
	}
	if err := checkWeightsFormat("out-format", *outFormat); err != nil {
		return err
	}
	for _, src := range []string{in, *idsFile, *data} {
		if src != "" && samePath(src, out) {
			return usagef("weights subset: OUT %s is an input file: refusing to write over it", out)
		}
	}
	var keep []string
	if *idsFile != "" {
		keep, err = spatial.ReadIDsFile(*idsFile, "")
	} else {
		keep, err = spatial.ReadIDsFile(*data, *idCol)
	}
	if err != nil {
		return err
	}
	w, err := spatial.ReadWeightsFile(in, *inFormat)
	if err != nil {
		return err
	}
	s, rep, err := w.Restrict(keep)
	if err != nil {
		return fmt.Errorf("subsetting %s: %w", in, err)
	}
	if err := spatial.WriteWeightsFile(out, *outFormat, s); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "Wrote %s: %d of %d regions of %s, %d links\n", out, s.N(), w.N(), in, s.NNZ())
	fmt.Fprint(env.stdout, restrictionNote(rep))
	return nil
}

// restrictionNote describes a restriction of weights in lines for the user.
func restrictionNote(rep spatial.Restriction) string {
	var b strings.Builder
	if len(rep.Dropped) > 0 {
		fmt.Fprintf(&b, "dropped %d region(s) without data: %s\n", len(rep.Dropped), quoteList(rep.Dropped))
	}
	if len(rep.Islands) > 0 {
		fmt.Fprintf(&b, "%d region(s) have no neighbour left (islands): %s\n", len(rep.Islands), quoteList(rep.Islands))
	}
	return b.String()
}
