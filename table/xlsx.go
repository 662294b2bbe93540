package table

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// openXLSX reads a worksheet whole: excelize holds the workbook in memory
// anyway. Rows are padded to the header's width (Excel omits trailing
// empty cells); a header cell that is empty or merged is an error naming
// the cell.
func openXLSX(path, sheet string) (r *Reader, err error) {
	defer guard(path, &err)
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fmt.Errorf("%s: no worksheet", path)
	}
	if sheet == "" {
		sheet = sheets[0]
	} else if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
		return nil, fmt.Errorf("%s: no sheet %q (sheets: %s)", path, sheet, strings.Join(sheets, ", "))
	}
	name := fmt.Sprintf("%s, sheet %s", path, sheet)
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	// The header is the first row of the sheet, row 1.
	if len(rows) == 0 || len(rows[0]) == 0 {
		return nil, fmt.Errorf("%s: empty sheet (a header row is needed in row 1)", name)
	}
	merged, err := f.GetMergeCells(sheet)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	for _, m := range merged {
		_, r0, err0 := excelize.CellNameToCoordinates(m.GetStartAxis())
		if err0 == nil && r0 == 1 {
			return nil, fmt.Errorf("%s: header cell %s is merged (%s:%s): give each column its own name", name, m.GetStartAxis(), m.GetStartAxis(), m.GetEndAxis())
		}
	}
	header := rows[0]
	for j, h := range header {
		if strings.TrimSpace(h) == "" {
			cell, _ := excelize.CoordinatesToCellName(j+1, 1)
			return nil, fmt.Errorf("%s: header cell %s is empty: give the column a name", name, cell)
		}
	}
	width := len(header)
	for i, row := range rows[1:] {
		if len(row) > width {
			for j := width; j < len(row); j++ {
				if strings.TrimSpace(row[j]) != "" {
					cell, _ := excelize.CoordinatesToCellName(j+1, i+2)
					return nil, fmt.Errorf("%s: cell %s holds %q beyond the last named column", name, cell, row[j])
				}
			}
			rows[i+1] = row[:width]
			continue
		}
		for len(row) < width {
			row = append(row, "")
		}
		rows[i+1] = row
	}
	// Trailing rows that are wholly empty are not data.
	for len(rows) > 1 && blank(rows[len(rows)-1]) {
		rows = rows[:len(rows)-1]
	}
	i := 0
	return &Reader{name: name, next: func() ([]string, int, error) {
		for i < len(rows) {
			i++
			if i > 1 && blank(rows[i-1]) {
				continue // an empty row inside the sheet
			}
			return rows[i-1], i, nil
		}
		return nil, 0, errEOF
	}}, nil
}

func blank(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
