package demo

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"

	"github.com/paulmach/orb/geojson"
)

// The file names of a study written by Files, as `agglo demo` and the
// embedded copy use them.
const (
	FileRegions    = "regions.geojson"
	FileEmployment = "employment.csv"
	FileSectors    = "sectors.csv"
	FileInnovation = "innovation.csv"
)

// Files renders the study as the files a user would bring: the region
// polygons as GeoJSON (properties id and name), the long employment panel
// (region, sector, year, employment, online_share), the sector groups
// (sector, group, name) and the innovation panel (region, year, patents,
// new_product_sales, log_rd). The regressors va and coagg are not in the
// innovation file: the study computes them from the employment panel.
func (s *Study) Files() (map[string][]byte, error) {
	out := map[string][]byte{}

	fc := geojson.NewFeatureCollection()
	for _, r := range s.Regions {
		f := geojson.NewFeature(r.Polygon)
		f.Properties["id"] = r.ID
		f.Properties["name"] = r.Name
		fc.Append(f)
	}
	gj, err := fc.MarshalJSON()
	if err != nil {
		return nil, fmt.Errorf("demo: encoding regions: %w", err)
	}
	out[FileRegions] = append(gj, '\n')

	g := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	rows := [][]string{{"region", "sector", "year", "employment", "online_share"}}
	for _, e := range s.Employment {
		rows = append(rows, []string{e.Region, e.Sector, strconv.Itoa(e.Year), g(e.Employment), g(e.OnlineShare)})
	}
	if out[FileEmployment], err = csvBytes(rows); err != nil {
		return nil, err
	}

	rows = [][]string{{"sector", "group", "name"}}
	for _, sec := range s.Sectors {
		rows = append(rows, []string{sec.Code, sec.Group, sec.Name})
	}
	if out[FileSectors], err = csvBytes(rows); err != nil {
		return nil, err
	}

	rows = [][]string{{"region", "year", "patents", "new_product_sales", "log_rd"}}
	for _, r := range s.Innovation {
		rows = append(rows, []string{r.Region, strconv.Itoa(r.Year), g(r.Patents), g(r.NewProductSales), g(r.LogRD)})
	}
	if out[FileInnovation], err = csvBytes(rows); err != nil {
		return nil, err
	}
	return out, nil
}

func csvBytes(rows [][]string) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(rows); err != nil {
		return nil, fmt.Errorf("demo: writing CSV: %w", err)
	}
	return b.Bytes(), nil
}
