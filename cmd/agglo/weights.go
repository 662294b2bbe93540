package main

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"io"
	"path/filepath"
	"strings"

	"github.com/agglo/agglo/spatial"
	"github.com/paulmach/orb"

	"github.com/agglo/agglo/internal/nulljson"
)

const weightsUsage = `Usage:
  agglo weights build (--geometry FILE.geojson|.shp --geo-id FIELD [--encoding E] | --points FILE.csv --geo-id COL --x COL --y COL) [--lonlat | --planar]
                      (--contiguity queen|rook [--exact] [--weights-by boundary-length] | --knn K | --band D |
                       --inverse-distance ALPHA [--band D] |
                       --kernel gaussian|bisquare|triangular|uniform (--bandwidth H | --kernel-k K [--adaptive]))
                      [--order K [--cumulative]] [--economic VAR --data FILE [--data-id COL] [--time COL]]
                      [--snap EPS] [--style B|W|C|U|S] [--out FILE.gal|FILE.gwt|FILE.csv] [--format text|json]
  agglo weights build --economic VAR --data FILE --id COL [--time COL]   (economic distance 1/|z̄i − z̄j|)
  agglo weights build --block COLUMN --data FILE --id COL                (regions with the same COLUMN)
  agglo weights combine A B --op union|intersection|hadamard [--out FILE] [--format text|json]
  agglo weights summary FILE [--weights-format gal|gwt|edges|matrix] [--ids FILE] [--format text|json]
  agglo weights convert IN OUT [--weights-format gal|gwt|edges|matrix] [--out-format gal|gwt|edges|matrix] [--style B|W|C|U|S] [--ids FILE]
  agglo weights subset IN OUT (--keep FILE | --data FILE --id COL) [--weights-format F] [--out-format F] [--ids FILE]
  agglo weights --demo [--format text|json]

build makes spatial weights from polygons (contiguity, or distances between
their area-weighted centroids) or from points, writes them to --out when given
(.gal, .gwt, or .csv as an edge list from,to[,weight]) and prints their
summary. k-nearest-neighbour ties go to the region listed first; points at the
same location are named in a warning.

Contiguity follows spdep's poly2nb by default (regions that share boundary
vertices within --snap; rook needs two distinct shared points, so a corner is
never rook), so that results match spdep; regions that touch along an edge
without a shared vertex (T-junctions) are then missed, and a warning counts
them. --exact tests the boundary segments themselves (queen: any common
point; rook: a common segment of positive length); --weights-by
boundary-length (rook, exact rule) weights each link by the length of the
shared boundary.

--geometry (alias --geojson) takes a GeoJSON file or an ESRI shapefile (.shp
with its .dbf; the .cpg gives the text encoding, --encoding overrides it: UTF-8,
GBK, GB18030, ISO-8859-1). A shapefile whose .prj declares a PROJCS is planar;
otherwise its coordinates are judged by their range, as GeoJSON's are.

Distances: GeoJSON coordinates are longitude/latitude (RFC 7946), so distances
and boundary lengths from GeoJSON are great-circle kilometres (haversine,
R = 6371.0088 km) unless --planar is given or a coordinate falls outside
±180/±90 (then the file is read as projected, with a message). Points from CSV
are planar unless --lonlat is given; when all of them lie within ±180/±90 a
warning suggests --lonlat (--planar silences it).

summary prints the summary of a weights file (format from its extension;
a .csv is an edge list when its header is from,to[,weight], else a matrix).

convert rewrites a weights file in another format (by OUT's extension, or
--out-format; matrix is a dense CSV), optionally in another style.

subset keeps the regions of IN listed in --keep (one per line) or present in
the --id column of --data, re-standardises them in IN's style, writes OUT and
reports the regions dropped and the islands the removal leaves.

--kernel weights w_ij = K(d_ij/h_i) within the bandwidth (libpysal Kernel;
--kernel-k K: h from the K-th nearest neighbour, the largest or, --adaptive,
each region's own). --order K keeps neighbours at exactly K steps (spdep
nblag), with --cumulative at 1..K steps (nblag_cumul). --economic VAR takes the
mean of VAR over periods from --data: alone it builds 1/|z̄i − z̄j| over all
pairs, with a geometric method the nested matrix W_geo·diag(z̄j/z̄).

combine applies union, intersection (binary) or the Hadamard product
(w_ij = a_ij·b_ij, e.g. contiguity × inverse distance) to two weights files.

--demo prints the summary of the queen contiguity of a 10 x 10 lattice.

A GWT file lists only links: when its header counts regions without links
(islands), every command that reads weights takes the region list with --ids
FILE (one ID per line, in order; as spdep's read.gwt2nb(region.id =)), and the
commands with data use the data's region IDs when --ids is not given.
`

// newWeightsCmd is "agglo weights".
func newWeightsCmd(env *cliEnv) *cobra.Command {
	cmd := newCommand("weights", "build, convert and summarise spatial weights", weightsUsage)
	cmd.AddCommand(newWeightsBuildCmd(env), newWeightsSummaryCmd(env), newWeightsConvertCmd(env), newWeightsSubsetCmd(env), newWeightsCombineCmd(env))
	fs := cmd.Flags()
	demo := fs.Bool("demo", false, "summarise the weights of a built-in 10 x 10 queen lattice")
	format := fs.String("format", "text", "output `format`: text or json")
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		if len(args) > 0 {
			return usagef("weights: unknown subcommand %q (want build, summary, convert, subset, combine or --demo)", args[0])
		}
		if !*demo {
			return usagef("weights: want a subcommand (build, summary, convert, subset, combine) or --demo; see 'agglo weights --help'")
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
	return cmd
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
		b, err := nulljson.MarshalIndent(s, "", "  ")
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

func newWeightsSummaryCmd(env *cliEnv) *cobra.Command {
	cmd := newCommand("summary", "summarise a weights file", weightsUsage)
	fs := cmd.Flags()
	wformat := fs.String("weights-format", "", "format of FILE: gal, gwt, edges or matrix (default: from its extension)")
	idsPath := fs.String("ids", "", idsFlagUsage)
	format := fs.String("format", "text", "output `format`: text or json")
	completeValues(cmd, "weights-format", "gal", "gwt", "edges", "matrix")
	completeValues(cmd, "format", "text", "json")
	cmd.RunE = func(_ *cobra.Command, pos []string) error {
		var err error
		if len(pos) != 1 {
			return usagef("weights summary: want one weights FILE, got %d arguments", len(pos))
		}
		if err := checkOutputFormat(*format); err != nil {
			return err
		}
		if err := checkWeightsFormat("weights-format", *wformat); err != nil {
			return err
		}
		w, err := readWeights(pos[0], *wformat, *idsPath, nil)
		if err != nil {
			return err
		}
		return printSummary(env.stdout, *format, "Weights: "+pos[0], "", w)
	}
	return cmd
}

// buildFlags are the flags of "agglo weights build".
type buildFlags struct {
	geojson, points, id, x, y string
	encoding                  string
	lonlat, planar, exact     bool
	contiguity, weightsBy     string
	knn                       int
	band, alpha, snap         float64
	style, out, format        string
	set                       map[string]bool
	p                         papersFlags // kernel, economic, higher-order, block
}

func newWeightsBuildCmd(env *cliEnv) *cobra.Command {
	cmd := newCommand("build", "build weights from polygons, points, data (economic distance, blocks) or papers' recipes", weightsUsage)
	fs := cmd.Flags()
	var o buildFlags
	fs.StringVar(&o.geojson, "geometry", "", "GeoJSON or shapefile (.shp) `FILE` of Polygon/MultiPolygon features (also --geojson)")
	aliasFlag(fs, "geojson", "geometry", false, "")
	fs.StringVar(&o.encoding, "encoding", "", "shapefile attribute `ENCODING` (UTF-8, GBK, GB18030, ISO-8859-1; default from the .cpg)")
	fs.StringVar(&o.points, "points", "", "CSV `FILE` of points with a header row")
	fs.StringVar(&o.id, "geo-id", "", "`FIELD` holding the region ID: GeoJSON property or shapefile .dbf field of --geometry, column of --points (or of --data with --economic or --block alone); --id is the same flag")
	aliasFlag(fs, "id", "geo-id", false, "")
	fs.StringVar(&o.x, "x", "", "CSV `column` of x (longitude with --lonlat)")
	fs.StringVar(&o.y, "y", "", "CSV `column` of y (latitude with --lonlat)")
	fs.BoolVar(&o.lonlat, "lonlat", false, "coordinates are longitude/latitude in degrees: great-circle distances in km")
	fs.BoolVar(&o.planar, "planar", false, "coordinates are projected (planar): Euclidean distances in their units")
	fs.StringVar(&o.contiguity, "contiguity", "", "polygon contiguity: queen or rook (spdep poly2nb)")
	fs.BoolVar(&o.exact, "exact", false, "contiguity by shared boundary segments, also without shared vertices (T-junctions)")
	fs.StringVar(&o.weightsBy, "weights-by", "", "contiguity weights: binary (default) or boundary-length (rook, exact rule)")
	fs.IntVar(&o.knn, "knn", 0, "`K` nearest neighbours")
	fs.Float64Var(&o.band, "band", 0, "distance band `D`: neighbours within D (km with --lonlat)")
	fs.Float64Var(&o.alpha, "inverse-distance", 0, "inverse-distance weights d^-`ALPHA` (all pairs, or within --band)")
	fs.Float64Var(&o.snap, "snap", 0, "contiguity snapping tolerance `EPS` (default sqrt of machine epsilon, as spdep)")
	fs.StringVar(&o.style, "style", "", "weights style: B, W, C, U or S (default: as built)")
	fs.StringVar(&o.out, "out", "", "write the weights to `FILE` (.gal, .gwt or .csv edge list)")
	fs.StringVar(&o.format, "format", "text", "summary `format`: text or json")
	o.p.register(fs)
	completeValues(cmd, "contiguity", "queen", "rook")
	completeValues(cmd, "kernel", "gaussian", "bisquare", "triangular", "uniform")
	completeValues(cmd, "weights-by", "binary", "boundary-length")
	completeValues(cmd, "style", "B", "W", "C", "U", "S")
	completeValues(cmd, "format", "text", "json")
	cmd.RunE = func(_ *cobra.Command, pos []string) error {
		var err error
		if len(pos) > 0 {
			return unexpectedArgs(cmd, "weights build", pos)
		}
		o.set = map[string]bool{}
		fs.Visit(func(f *pflag.Flag) { o.set[f.Name] = true })
		if err := o.p.validate(&o); err != nil {
			return err
		}
		if err := o.validate(); err != nil {
			return err
		}
		if o.p.fromData(&o) {
			w, what, err := o.p.buildFromData(&o)
			if err != nil {
				return err
			}
			return finishBuild(env, &o, w, what, o.p.data, nil)
		}

		// Read the input.
		var ids []string
		var regions *spatial.Regions
		var pts []orb.Point
		input := o.geojson
		lonlat := o.lonlat
		var notes []string // printed to stderr once the weights are built
		distances := o.contiguity == "" || o.weightsBy == "boundary-length"
		if o.geojson != "" {
			regions, err = readGeometry(o.geojson, o.id, o.encoding)
			if err != nil {
				return err
			}
			ids = regions.IDs
			if o.contiguity == "" {
				pts = regions.Centroids()
			}
			inRange := regions.LonLat()
			switch {
			case o.lonlat && regions.Projected:
				return fmt.Errorf("%s: --lonlat, but the .prj declares projected coordinates (PROJCS)", o.geojson)
			case o.lonlat && !inRange:
				return fmt.Errorf("%s: --lonlat, but some coordinates fall outside ±180/±90: they are not longitude/latitude", o.geojson)
			case !o.planar && inRange:
				lonlat = true
				if distances && !o.lonlat {
					why := "RFC 7946"
					if hasExt(o.geojson, ".shp", ".SHP") {
						why = "no PROJCS in the .prj, coordinates within ±180/±90"
					}
					notes = append(notes, fmt.Sprintf("note: %s: coordinates read as longitude/latitude (%s): great-circle km; give --planar for projected coordinates", o.geojson, why))
				}
			case !o.planar && distances:
				msg := "coordinates fall outside ±180/±90"
				if regions.Projected {
					msg = "the .prj declares projected coordinates (PROJCS)"
				}
				notes = append(notes, fmt.Sprintf("note: %s: %s: read as projected (planar) coordinates", o.geojson, msg))
			}
		} else {
			input = o.points
			ids, pts, err = spatial.ReadPointsCSVFile(o.points, o.id, o.x, o.y)
			if err != nil {
				return err
			}
			if !o.lonlat && !o.planar && spatial.InLonLatRange(pts) {
				notes = append(notes, fmt.Sprintf("warning: %s: every point lies within ±180/±90; if %s/%s are longitude/latitude give --lonlat (great-circle km), else --planar; distances are planar now", o.points, o.x, o.y))
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
		if lonlat {
			metric = spatial.GreatCircle
		}
		var w *spatial.Weights
		var what string
		switch {
		case o.contiguity != "":
			copts := spatial.ContiguityOptions{Queen: o.contiguity == "queen", Snap: o.snap, Exact: o.exact,
				BoundaryLength: o.weightsBy == "boundary-length", LonLat: lonlat}
			w, err = spatial.Contiguity(regions, copts)
			what = o.contiguity + " contiguity"
			switch {
			case copts.BoundaryLength && lonlat:
				what += " (exact rule), weighted by shared boundary length in great-circle km"
			case copts.BoundaryLength:
				what += " (exact rule), weighted by shared boundary length"
			case o.exact:
				what += " (exact rule: shared boundary segments)"
			default:
				what += " (spdep poly2nb rule: shared vertices)"
				if err == nil {
					var note string
					if note, err = missedContactsNote(o.geojson, regions, copts); note != "" {
						notes = append(notes, note)
					}
				}
			}
		case o.set["kernel"]:
			w, what, err = o.p.kernelWeights(ids, pts, metric)
		case o.set["knn"]:
			w, err = spatial.KNearest(ids, pts, o.knn, metric)
			what = fmt.Sprintf("%d nearest neighbours", o.knn)
			if dup := spatial.DuplicateLocations(ids, pts, metric); len(dup) > 0 {
				notes = append(notes, duplicateLocationsNote(input, dup))
			}
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
		if lonlat && o.contiguity == "" {
			what += " (great-circle km)"
		}
		if o.geojson != "" && o.contiguity == "" {
			what += " between polygon centroids"
		}
		if w, what, err = o.p.apply(w, what); err != nil {
			return fmt.Errorf("%s: %w", input, err)
		}
		return finishBuild(env, &o, w, what, input, notes)
	}
	return cmd
}

// finishBuild applies --style, writes --out and prints the notes and the
// summary of the weights built by "agglo weights build".
func finishBuild(env *cliEnv, o *buildFlags, w *spatial.Weights, what, input string, notes []string) error {
	var err error
	if o.style != "" {
		st, _ := spatial.ParseStyle(o.style)
		if w, err = w.Transform(st); err != nil {
			return fmt.Errorf("%s: %w", input, err)
		}
		what += ", style " + st.String()
	}
	if o.out != "" {
		var b bytes.Buffer
		if err := spatial.WriteWeights(&b, weightsFormatOf(o.out), w); err != nil {
			return fmt.Errorf("%s: %w", o.out, err)
		}
		if err := writeOutput(env, o.out, b.Bytes(), o.geojson, o.points, o.p.data); err != nil {
			return err
		}
	}
	for _, n := range notes {
		fmt.Fprintf(env.stderr, "agglo weights build: %s\n", n)
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
		return usagef("weights build: give --geometry or --points, not both")
	case o.geojson == "" && o.points == "" && !o.p.fromData(o):
		return usagef("weights build: give the regions with --geometry FILE --geo-id FIELD or --points FILE.csv --geo-id COL --x COL --y COL")
	case o.id == "":
		return usagef("weights build: --geo-id (or --id) is required (the property or column holding region IDs)")
	case o.points != "" && (o.x == "" || o.y == ""):
		return usagef("weights build: --points needs --x COL and --y COL")
	case o.geojson != "" && (o.set["x"] || o.set["y"]):
		return usagef("weights build: --x and --y are for --points")
	}
	methods := 0
	for _, m := range []string{"contiguity", "knn", "inverse-distance", "kernel"} {
		if o.set[m] {
			methods++
		}
	}
	if o.set["band"] && !o.set["inverse-distance"] {
		methods++
	}
	if o.p.fromData(o) {
		if methods != 0 {
			return usagef("weights build: --economic or --block without --geometry/--points builds from --data alone; give the geometry for nested weights")
		}
	} else if methods != 1 {
		return usagef("weights build: give exactly one of --contiguity queen|rook, --knn K, --band D, --inverse-distance ALPHA [--band D], --kernel NAME")
	}
	if o.set["contiguity"] {
		if o.contiguity != "queen" && o.contiguity != "rook" {
			return usagef("--contiguity %q: want queen or rook", o.contiguity)
		}
		if o.points != "" {
			return usagef("weights build: --contiguity needs polygons (--geometry); for points use --knn, --band or --inverse-distance")
		}
		if o.weightsBy != "" && o.weightsBy != "binary" && o.weightsBy != "boundary-length" {
			return usagef("--weights-by %q: want binary or boundary-length", o.weightsBy)
		}
		if o.weightsBy == "boundary-length" && o.contiguity != "rook" {
			return usagef("--weights-by boundary-length needs --contiguity rook (a queen corner shares no boundary length)")
		}
		if (o.lonlat || o.planar) && o.weightsBy != "boundary-length" {
			return usagef("weights build: --lonlat and --planar apply to distances and boundary lengths, not to binary contiguity")
		}
	} else {
		for _, f := range []string{"snap", "exact", "weights-by"} {
			if o.set[f] {
				return usagef("weights build: --%s applies to --contiguity only", f)
			}
		}
	}
	if o.lonlat && o.planar {
		return usagef("weights build: give --lonlat or --planar, not both")
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
	if isStdout(o.out) && o.out != "" {
		return usagef("weights build: --out %s: the summary goes to standard output; give a .gal, .gwt or .csv file", o.out)
	}
	if o.out != "" {
		ext := strings.ToLower(filepath.Ext(o.out))
		if ext != ".gal" && ext != ".gwt" && ext != ".csv" {
			return usagef("--out %s: want a .gal, .gwt or .csv file", o.out)
		}
		binary := o.style == "B" || o.style == "" && (o.p.binary(o) ||
			!o.set["inverse-distance"] && o.weightsBy != "boundary-length" && !o.set["kernel"] && o.p.economic == "")
		if ext == ".gal" && !binary {
			return usagef("--out %s: a GAL file holds only binary neighbours; write .gwt or .csv for style %s weights", o.out, styleName(o))
		}
		if err := checkOutput("--out", o.out, o.geojson, o.points, o.p.data); err != nil {
			return err
		}
	}
	return nil
}

func styleName(o *buildFlags) string {
	switch {
	case o.style != "":
		return o.style
	case o.weightsBy == "boundary-length":
		return "boundary-length"
	case o.set["kernel"]:
		return "kernel"
	case o.p.economic != "":
		return "economic"
	}
	return "inverse-distance"
}

// duplicateLocationsNote returns the warning for points at the same
// location (groups from spatial.DuplicateLocations), naming up to five
// pairs.
func duplicateLocationsNote(path string, groups [][]string) string {
	var pairs []string
	n := 0
	for _, g := range groups {
		for a := 0; a < len(g); a++ {
			for b := a + 1; b < len(g); b++ {
				if n++; len(pairs) < 5 {
					pairs = append(pairs, g[a]+"–"+g[b])
				}
			}
		}
	}
	more := ""
	if n > 5 {
		more = ", …"
	}
	return fmt.Sprintf("warning: %s: %d pairs of points share a location (%s%s): their nearest-neighbour ties go to the region listed first",
		path, n, strings.Join(pairs, ", "), more)
}

// missedContactsNote returns a warning, naming up to five pairs, when
// regions touch along edges or at points without a shared vertex, which the
// spdep-compatible vertex rule misses ("" when there are none).
func missedContactsNote(path string, regions *spatial.Regions, opts spatial.ContiguityOptions) (string, error) {
	missed, err := spatial.MissedByVertexRule(regions, opts)
	if err != nil || len(missed) == 0 {
		return "", err
	}
	names := make([]string, 0, 5)
	for _, p := range missed[:min(5, len(missed))] {
		names = append(names, p[0]+"–"+p[1])
	}
	more := ""
	if len(missed) > 5 {
		more = ", …"
	}
	return fmt.Sprintf("warning: %s: %d pairs touch along edges without shared vertices (%s%s), not linked by the spdep rule: use --exact",
		path, len(missed), strings.Join(names, ", "), more), nil
}
func checkWeightsFormat(flagName, f string) error {
	switch f {
	case "", spatial.FormatGAL, spatial.FormatGWT, spatial.FormatEdges, spatial.FormatMatrix:
		return nil
	}
	return usagef("--%s %q: want gal, gwt, edges or matrix", flagName, f)
}

func newWeightsConvertCmd(env *cliEnv) *cobra.Command {
	cmd := newCommand("convert", "convert a weights file between gal, gwt, edges and matrix, restyled", weightsUsage)
	fs := cmd.Flags()
	inFormat := fs.String("weights-format", "", "format of IN: gal, gwt, edges or matrix (default: from its extension)")
	outFormat := fs.String("out-format", "", "format of OUT: gal, gwt, edges or matrix (default: from its extension, .csv = edges)")
	style := fs.String("style", "", "recode the weights in style B, W, C, U or S")
	idsPath := fs.String("ids", "", idsFlagUsage)
	cmd.RunE = func(_ *cobra.Command, pos []string) error {
		var err error
		if len(pos) != 2 {
			return usagef("weights convert: want IN and OUT files, got %d arguments", len(pos))
		}
		in, out := pos[0], pos[1]
		if err := weightsFormats("convert", inFormat, outFormat, out); err != nil {
			return err
		}
		var st spatial.Style
		if *style != "" {
			if st, err = spatial.ParseStyle(*style); err != nil {
				return usagef("--style %q: want B, W, C, U or S", *style)
			}
		}
		if err := checkOutput("OUT", out, in, *idsPath); err != nil {
			return err
		}
		w, err := readWeights(in, *inFormat, *idsPath, nil)
		if err != nil {
			return err
		}
		if *style != "" {
			if w, err = w.Transform(st); err != nil {
				return fmt.Errorf("%s: %w", in, err)
			}
		}
		var b bytes.Buffer
		if err := spatial.WriteWeights(&b, *outFormat, w); err != nil {
			return fmt.Errorf("%s: %w", out, err)
		}
		if err := writeOutput(env, out, b.Bytes(), in, *idsPath); err != nil {
			return err
		}
		report := env.stdout
		if isStdout(out) {
			report = env.stderr // the weights themselves went to standard output
		}
		fmt.Fprintf(report, "Wrote %s (%d regions, %d links) from %s\n", out, w.N(), w.NNZ(), in)
		return nil
	}
	return cmd
}

// weightsFormatOf returns the weights format an output file's extension
// implies (.csv is an edge list), or "" when it implies none.
func weightsFormatOf(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".gal":
		return spatial.FormatGAL
	case ".gwt":
		return spatial.FormatGWT
	case ".csv":
		return spatial.FormatEdges
	}
	return ""
}

// newWeightsSubsetCmd is agglo weights subset.
func newWeightsSubsetCmd(env *cliEnv) *cobra.Command {
	cmd := newCommand("subset", "keep the regions of a list or of the data, re-standardised", weightsUsage)
	fs := cmd.Flags()
	inFormat := fs.String("weights-format", "", "format of IN: gal, gwt, edges or matrix (default: from its extension)")
	outFormat := fs.String("out-format", "", "format of OUT: gal, gwt, edges or matrix (default: from its extension, .csv = edges)")
	keepFile := fs.String("keep", "", "`FILE` of the region IDs to keep, one per line")
	idsPath := fs.String("ids", "", idsFlagUsage)
	data := fs.String("data", "", "keep the regions of this data `FILE` (CSV; with --id)")
	idCol := fs.String("id", "", "region `COLUMN` of --data")
	cmd.RunE = func(_ *cobra.Command, pos []string) error {
		var err error
		if len(pos) != 2 {
			return usagef("weights subset: want IN and OUT files, got %d arguments", len(pos))
		}
		in, out := pos[0], pos[1]
		if (*keepFile == "") == (*data == "") {
			return usagef("weights subset: give either --keep FILE or --data FILE --id COL")
		}
		if *data != "" && *idCol == "" {
			return usagef("weights subset: --data needs --id COL (the region column)")
		}
		if err := weightsFormats("subset", inFormat, outFormat, out); err != nil {
			return err
		}
		inputs := []string{in, *keepFile, *data, *idsPath}
		if err := checkOutput("OUT", out, inputs...); err != nil {
			return err
		}
		var keep []string
		if *keepFile != "" {
			keep, err = spatial.ReadIDsFile(*keepFile, "")
		} else {
			keep, err = spatial.ReadIDsFile(*data, *idCol)
		}
		if err != nil {
			return err
		}
		w, err := readWeights(in, *inFormat, *idsPath, nil)
		if err != nil {
			return err
		}
		s, rep, err := w.Restrict(keep)
		if err != nil {
			return fmt.Errorf("subsetting %s: %w", in, err)
		}
		var b bytes.Buffer
		if err := spatial.WriteWeights(&b, *outFormat, s); err != nil {
			return fmt.Errorf("%s: %w", out, err)
		}
		if err := writeOutput(env, out, b.Bytes(), inputs...); err != nil {
			return err
		}
		report := env.stdout
		if isStdout(out) {
			report = env.stderr // the weights themselves went to standard output
		}
		fmt.Fprintf(report, "Wrote %s: %d of %d regions of %s, %d links\n", out, s.N(), w.N(), in, s.NNZ())
		fmt.Fprint(report, restrictionNote(rep))
		return nil
	}
	return cmd
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

// weightsFormats checks --weights-format and --out-format of weights
// convert and subset and sets the output format from OUT's extension when
// it is not given.
func weightsFormats(cmd string, inFormat, outFormat *string, out string) error {
	if err := checkWeightsFormat("weights-format", *inFormat); err != nil {
		return err
	}
	if err := checkWeightsFormat("out-format", *outFormat); err != nil {
		return err
	}
	if *outFormat == "" {
		if *outFormat = weightsFormatOf(out); *outFormat == "" {
			return usagef("weights %s: cannot tell the format of %s from its extension: give --out-format", cmd, out)
		}
	}
	return nil
}

// idsFlagUsage is the help of --ids on every command that reads weights.
const idsFlagUsage = "region list `FILE` (one ID per line, in order) for a GWT weights file whose header counts regions without links"

// readWeights reads a weights file with the region list of --ids (idsPath,
// "" for none). Without --ids, a GWT file whose header counts islands is
// read with the regions of the data (dataIDs, nil when the command has no
// data), as spdep's read.gwt2nb(region.id =); otherwise its error asks for
// --ids.
func readWeights(path, format, idsPath string, dataIDs func() ([]string, error)) (*spatial.Weights, error) {
	var ids []string
	if idsPath != "" {
		var err error
		if ids, err = spatial.ReadIDsFile(idsPath, ""); err != nil {
			return nil, err
		}
	}
	w, err := spatial.ReadWeightsFileRegions(path, format, ids)
	if err == nil || ids != nil || dataIDs == nil || !errors.Is(err, spatial.ErrGWTIslands) {
		return w, err
	}
	data, derr := dataIDs()
	if derr != nil {
		return nil, err
	}
	seen := make(map[string]bool, len(data))
	var uniq []string
	for _, id := range data {
		if !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	w, err2 := spatial.ReadWeightsFileRegions(path, format, uniq)
	if err2 != nil {
		return nil, fmt.Errorf("%w; with the data's %d regions as the region list: %v", err, len(uniq), err2)
	}
	return w, nil
}
