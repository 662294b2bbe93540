package spatial

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/agglo/agglo/internal/csvin"
)

// ReadPointsCSV reads points from a CSV file with a header row: the region
// ID from column idCol and the coordinates from columns xCol and yCol (for
// great-circle distances, longitude and latitude in degrees). Column names
// match exactly after trimming spaces. Every error names the line and the
// column: a missing column, an empty or repeated ID, a coordinate that is
// not a finite number.
func ReadPointsCSV(r io.Reader, idCol, xCol, yCol string) (ids []string, pts []orb.Point, err error) {
	cr := csvin.NewReader(r, 0)
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, errors.New("empty points file: no header line")
	}
	if err != nil {
		return nil, nil, err
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	col := func(name string) (int, error) {
		for i, h := range header {
			if strings.TrimSpace(h) == name {
				return i, nil
			}
		}
		return 0, fmt.Errorf("line 1: no column %q in the header (columns: %s)%s", name, strings.Join(header, ", "), cr.Hint())
	}
	ci, err := col(idCol)
	if err != nil {
		return nil, nil, err
	}
	xi, err := col(xCol)
	if err != nil {
		return nil, nil, err
	}
	yi, err := col(yCol)
	if err != nil {
		return nil, nil, err
	}
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			return nil, nil, fmt.Errorf("line %d: want %d fields, got %d", line, len(header), len(rec))
		}
		id := strings.TrimSpace(rec[ci])
		if id == "" {
			return nil, nil, fmt.Errorf("line %d, column %s: empty ID", line, idCol)
		}
		if prev, dup := seen[id]; dup {
			return nil, nil, fmt.Errorf("line %d, column %s: ID %q repeated (first on line %d)", line, idCol, id, prev)
		}
		seen[id] = line
		var p orb.Point
		for k, c := range []int{xi, yi} {
			v, err := strconv.ParseFloat(strings.TrimSpace(rec[c]), 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, nil, fmt.Errorf("line %d, column %s: %q is not a finite number", line, header[c], rec[c])
			}
			p[k] = v
		}
		ids = append(ids, id)
		pts = append(pts, p)
	}
	if len(ids) == 0 {
		return nil, nil, errors.New("no points after the header")
	}
	return ids, pts, nil
}

// ReadPointsCSVFile reads the points CSV file at path with ReadPointsCSV;
// errors name the file.
func ReadPointsCSVFile(path, idCol, xCol, yCol string) ([]string, []orb.Point, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	ids, pts, err := ReadPointsCSV(f, idCol, xCol, yCol)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return ids, pts, nil
}
