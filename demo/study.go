package demo

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/agglo/agglo/index"
	"github.com/agglo/agglo/internal/atomicfile"
	"github.com/agglo/agglo/spatial"
)

// StudyData is a study's inputs, parsed: the region map and its contiguity
// weights, the employment table of package index with its sector groups,
// and the innovation panel with the index regressors joined to it.
type StudyData struct {
	Regions *spatial.Regions
	// W is the queen contiguity of the regions, row-standardised.
	W *spatial.Weights
	// Table and Groups are the employment panel and its sector groups.
	Table  *index.Table
	Groups *index.Groups
	// Years are the panel's periods, ascending.
	Years []string
	// Panel holds the innovation panel with the columns region, year,
	// patents, new_product_sales, log_rd, va and coagg, sorted by
	// region then year, as CSV.
	Panel []byte
}

// LoadStudy parses the files of a study (as Files or EmbeddedFiles return
// them), builds the weights by queen contiguity from the polygons and
// computes the regressors va (index "va-region" for the producer-services
// group) and coagg (index "coagg") for every region and year, joining them
// to the innovation panel.
func LoadStudy(files map[string][]byte) (*StudyData, error) {
	for _, name := range []string{FileRegions, FileEmployment, FileSectors, FileInnovation} {
		if _, ok := files[name]; !ok {
			return nil, fmt.Errorf("demo: study file %s missing", name)
		}
	}
	d := &StudyData{}
	var err error
	if d.Regions, err = spatial.ReadGeoJSON(bytes.NewReader(files[FileRegions]), "id"); err != nil {
		return nil, fmt.Errorf("%s: %w", FileRegions, err)
	}
	b, err := spatial.Contiguity(d.Regions, spatial.ContiguityOptions{Queen: true})
	if err != nil {
		return nil, err
	}
	if d.W, err = b.Transform(spatial.RowStandardized); err != nil {
		return nil, err
	}
	cols := index.Columns{Region: "region", Sector: "sector", Time: "year", Value: "employment", Share: "online_share"}
	if d.Table, err = index.ReadCSV(bytes.NewReader(files[FileEmployment]), FileEmployment, cols); err != nil {
		return nil, err
	}
	if d.Groups, err = index.ReadGroups(bytes.NewReader(files[FileSectors]), FileSectors, d.Table); err != nil {
		return nil, err
	}
	d.Years = d.Table.Times
	opt := index.Options{Groups: d.Groups, RegionName: "region", SectorName: "sector", TimeName: "year"}
	va, err := index.Compute("va-region", d.Table, opt)
	if err != nil {
		return nil, err
	}
	coagg, err := index.Compute("coagg", d.Table, opt)
	if err != nil {
		return nil, err
	}
	type key struct{ region, year string }
	vaOf := map[key]float64{}
	for _, r := range va.Rows {
		if r.Keys[1] == GroupServices {
			vaOf[key{r.Keys[0], r.Time}] = r.Value
		}
	}
	coaggOf := map[key]float64{}
	for _, r := range coagg.Rows {
		coaggOf[key{r.Keys[0], r.Time}] = r.Value
	}
	recs, err := csv.NewReader(bytes.NewReader(files[FileInnovation])).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", FileInnovation, err)
	}
	if len(recs) < 2 || len(recs[0]) < 2 || recs[0][0] != "region" || recs[0][1] != "year" {
		return nil, fmt.Errorf("%s: want a header starting region,year", FileInnovation)
	}
	out := [][]string{append(append([]string(nil), recs[0]...), "va", "coagg")}
	for i, rec := range recs[1:] {
		k := key{rec[0], rec[1]}
		v, ok1 := vaOf[k]
		c, ok2 := coaggOf[k]
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("%s: row %d: region %s in %s has no employment data", FileInnovation, i+2, rec[0], rec[1])
		}
		out = append(out, append(append([]string(nil), rec...), fmtFloat(v), fmtFloat(c)))
	}
	sort.SliceStable(out[1:], func(a, b int) bool {
		ra, rb := out[1+a], out[1+b]
		if ra[0] != rb[0] {
			return ra[0] < rb[0]
		}
		return ra[1] < rb[1]
	})
	if d.Panel, err = csvBytes(out); err != nil {
		return nil, err
	}
	return d, nil
}

func fmtFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// writeFile writes data to dir/name, creating folders, whole or not at
// all (atomicfile.WriteFile).
func writeFile(dir, name string, data []byte) error {
	path := filepath.Join(dir, name)
	// dir must exist: an interrupted run that removed it must not see it
	// recreated by a write still under way.
	if _, err := os.Stat(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return atomicfile.WriteFile(path, data)
}

// logPatents returns log(patents) per region for one year, in the order of
// the weights.
func (d *StudyData) column(name, year string) ([]float64, error) {
	recs, err := csv.NewReader(bytes.NewReader(d.Panel)).ReadAll()
	if err != nil {
		return nil, err
	}
	col := -1
	for j, h := range recs[0] {
		if h == name {
			col = j
		}
	}
	if col < 0 {
		return nil, fmt.Errorf("demo: no column %q", name)
	}
	out := make([]float64, d.W.N())
	for i := range out {
		out[i] = math.NaN()
	}
	for _, r := range recs[1:] {
		if r[1] != year {
			continue
		}
		i, ok := d.W.Index(r[0])
		if !ok {
			return nil, fmt.Errorf("demo: region %s not on the map", r[0])
		}
		if out[i], err = strconv.ParseFloat(r[col], 64); err != nil {
			return nil, fmt.Errorf("demo: %s of %s in %s: %w", name, r[0], year, err)
		}
	}
	return out, nil
}
