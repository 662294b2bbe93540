package demo

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/agglo/agglo/index"
)

// indices returns, for one year of the study's employment panel, the
// regressors computed by package index: the employment-weighted virtual
// agglomeration of producer services (index.VA aggregated by
// index.VARegion) and the LQ-based coagglomeration of manufacturing and
// producer services (index.Coagg), one value per region.
func (s *Study) indices(year int) (va, coagg []float64, err error) {
	n, k := len(s.Regions), len(s.Sectors)
	e := mat.NewDense(n, k, nil)
	o := mat.NewDense(n, k, nil)
	region := make(map[string]int, n)
	for i, r := range s.Regions {
		region[r.ID] = i
	}
	sector := make(map[string]int, k)
	var manuf, serv []int
	for j, sec := range s.Sectors {
		sector[sec.Code] = j
		if sec.Group == GroupManufacturing {
			manuf = append(manuf, j)
		} else {
			serv = append(serv, j)
		}
	}
	for _, row := range s.Employment {
		if row.Year != year {
			continue
		}
		e.Set(region[row.Region], sector[row.Sector], row.Employment)
		o.Set(region[row.Region], sector[row.Sector], row.OnlineShare)
	}
	vaCells, err := index.VA(e, o, false, index.ZeroError)
	if err != nil {
		return nil, nil, fmt.Errorf("demo: VA in %d: %w", year, err)
	}
	vaReg, err := index.VARegion(e, vaCells, nil, [][]int{serv}, index.ZeroError)
	if err != nil {
		return nil, nil, fmt.Errorf("demo: VA by region in %d: %w", year, err)
	}
	c, err := index.Coagg(e, manuf, serv, index.ZeroError)
	if err != nil {
		return nil, nil, fmt.Errorf("demo: coagglomeration in %d: %w", year, err)
	}
	return mat.Col(nil, 0, vaReg), c.Value, nil
}
