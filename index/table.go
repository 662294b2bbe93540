package index

import (
	"fmt"
	"math"
	"sort"
	"strconv"

	"gonum.org/v1/gonum/mat"
)

// Table is a region × sector × period panel of activity (employment,
// output, firm counts), with optional online shares, held as one dense
// region × sector matrix per period. Build it in memory with NewTable and
// Set, or read it from a long CSV with ReadCSV.
type Table struct {
	// Regions, Sectors and Times label the rows, the columns and the
	// periods. Times are kept as given (e.g. "2013").
	Regions, Sectors, Times []string
	// E[k] is the Regions × Sectors matrix of period Times[k]; a cell never
	// set is 0.
	E []*mat.Dense
	// Share[k] holds the online shares o_rs ∈ [0, 1] of period k, or Share
	// is nil when the table has none.
	Share []*mat.Dense
	// Missing counts the (region, sector, period) cells absent from the
	// input and therefore 0 (set by ReadCSV).
	Missing int

	regionIdx, sectorIdx, timeIdx map[string]int
}

// maxTableBytes is the most memory NewTable allocates for the dense tables
// (4 GiB, as spatial.MaxDenseBytes).
const maxTableBytes = 4 << 30

// NewTable returns a zero table with the given labels, which must be
// unique; withShare allocates online shares (all 0). Tables above 4 GiB
// are refused with an error.
func NewTable(regions, sectors, times []string, withShare bool) (*Table, error) {
	if len(regions) == 0 || len(sectors) == 0 || len(times) == 0 {
		return nil, fmt.Errorf("index: a table needs at least one region, sector and period")
	}
	// Dense region × sector matrices per period (and shares): check the
	// size before allocating, as a long table with many labels but few rows
	// would need far more memory than its file.
	copies := len(times)
	if withShare {
		copies *= 2
	}
	if bytes := 8 * float64(len(regions)) * float64(len(sectors)) * float64(copies); bytes > maxTableBytes {
		return nil, fmt.Errorf("index: %d regions × %d sectors × %d periods would need %.1f GB of dense tables, above the %d GB limit: aggregate the regions or sectors, or select periods",
			len(regions), len(sectors), len(times), bytes/(1<<30), maxTableBytes>>30)
	}
	t := &Table{Regions: regions, Sectors: sectors, Times: times}
	var err error
	if t.regionIdx, err = indexOf("region", regions); err != nil {
		return nil, err
	}
	if t.sectorIdx, err = indexOf("sector", sectors); err != nil {
		return nil, err
	}
	if t.timeIdx, err = indexOf("period", times); err != nil {
		return nil, err
	}
	t.E = make([]*mat.Dense, len(times))
	for k := range times {
		t.E[k] = mat.NewDense(len(regions), len(sectors), nil)
	}
	if withShare {
		t.Share = make([]*mat.Dense, len(times))
		for k := range times {
			t.Share[k] = mat.NewDense(len(regions), len(sectors), nil)
		}
	}
	return t, nil
}

func indexOf(what string, labels []string) (map[string]int, error) {
	m := make(map[string]int, len(labels))
	for i, l := range labels {
		if _, dup := m[l]; dup {
			return nil, fmt.Errorf("index: duplicated %s %q", what, l)
		}
		m[l] = i
	}
	return m, nil
}

// Set sets the activity of a cell (and its online share when the table has
// shares; share is ignored otherwise). It rejects unknown labels, a
// negative or non-finite value and a share outside [0, 1].
func (t *Table) Set(region, sector, time string, value, share float64) error {
	i, j, k, err := t.Cell(region, sector, time)
	if err != nil {
		return err
	}
	if math.IsNaN(value) || math.IsInf(value, 0) || value < 0 {
		return fmt.Errorf("index: value %v of (%s, %s, %s) is not a finite number ≥ 0", value, region, sector, time)
	}
	if t.Share != nil && !(share >= 0 && share <= 1) {
		return fmt.Errorf("index: share %v of (%s, %s, %s) is outside [0, 1]", share, region, sector, time)
	}
	t.E[k].Set(i, j, value)
	if t.Share != nil {
		t.Share[k].Set(i, j, share)
	}
	return nil
}

// Cell returns the row, column and period indices of a cell.
func (t *Table) Cell(region, sector, time string) (i, j, k int, err error) {
	var ok bool
	if i, ok = t.regionIdx[region]; !ok {
		return 0, 0, 0, fmt.Errorf("index: unknown region %q", region)
	}
	if j, ok = t.sectorIdx[sector]; !ok {
		return 0, 0, 0, fmt.Errorf("index: unknown sector %q", sector)
	}
	if k, ok = t.timeIdx[time]; !ok {
		return 0, 0, 0, fmt.Errorf("index: unknown period %q", time)
	}
	return i, j, k, nil
}

// SectorIndex returns the column of a sector.
func (t *Table) SectorIndex(sector string) (int, bool) {
	j, ok := t.sectorIdx[sector]
	return j, ok
}

// TimeIndex returns the index of a period.
func (t *Table) TimeIndex(time string) (int, bool) {
	k, ok := t.timeIdx[time]
	return k, ok
}

// sortTimes orders period labels numerically when all are numbers, else
// lexically.
func sortTimes(times []string) {
	numeric := true
	for _, s := range times {
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			numeric = false
			break
		}
	}
	sort.SliceStable(times, func(a, b int) bool {
		if numeric {
			x, _ := strconv.ParseFloat(times[a], 64)
			y, _ := strconv.ParseFloat(times[b], 64)
			return x < y
		}
		return times[a] < times[b]
	})
}

// Groups assigns sectors to named groups (e.g. "manufacturing",
// "producer_services").
type Groups struct {
	// Names lists the groups in order of first appearance.
	Names []string
	// Of maps a sector to its group.
	Of map[string]string
	// Unused lists sectors of the groups file that are not in the table
	// (ReadGroups keeps them out of Of and reports them here).
	Unused []string
}

// Columns returns the columns of t's sectors in group g (in t's order).
func (g *Groups) Columns(t *Table, name string) []int {
	var cols []int
	for j, s := range t.Sectors {
		if g.Of[s] == name {
			cols = append(cols, j)
		}
	}
	return cols
}
