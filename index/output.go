package index

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"
)

// Header returns the column names of the long-form result: the key
// columns, the period, "value", then the parts.
func (r *Result) Header() []string {
	h := append([]string{}, r.KeyNames...)
	h = append(h, r.TimeName, "value")
	return append(h, r.PartNames...)
}

// WriteCSV writes the result in long form, one row per (keys…, period),
// with the columns of Header. Numbers are written in the shortest form that
// reads back exactly; NaN as "NaN".
func (r *Result) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(r.Header()); err != nil {
		return err
	}
	for _, row := range r.Rows {
		rec := append([]string{}, row.Keys...)
		rec = append(rec, row.Time, formatFloat(row.Value))
		for _, p := range row.Parts {
			rec = append(rec, formatFloat(p))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func formatFloat(v float64) string {
	if math.IsNaN(v) {
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
