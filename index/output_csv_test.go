package index

import (
	"bytes"
	"encoding/csv"
	"math"
	"testing"
)

// TestWriteCSVMatchesEncodingCSV checks that WriteCSV writes what
// encoding/csv's Writer writes for the same records (the format it used
// before writing rows itself): labels with separators, quotes, newlines,
// leading white space, the field \., empty labels, NaN and parts.
func TestWriteCSVMatchesEncodingCSV(t *testing.T) {
	labels := []string{"a", "b,c", `say "hi"`, "two\nlines", "cr\rx", " lead", "\u00a0nbsp", `\.`, "", "é", "x\"", "\t"}
	res := &Result{KeyNames: []string{"region", "sector,x"}, TimeName: "year", PartNames: []string{"G", "H"}}
	for i, a := range labels {
		for j, b := range labels {
			res.Rows = append(res.Rows, Row{Keys: []string{a, b}, Time: labels[(i+j)%len(labels)],
				Value: float64(i) / float64(j+1), Parts: []float64{math.NaN(), -1e-300 * float64(i)}})
		}
	}
	var got, want bytes.Buffer
	if err := res.WriteCSV(&got); err != nil {
		t.Fatal(err)
	}
	cw := csv.NewWriter(&want)
	cw.Write(res.Header())
	for _, row := range res.Rows {
		rec := append([]string{}, row.Keys...)
		rec = append(rec, row.Time, formatFloat(row.Value))
		for _, p := range row.Parts {
			rec = append(rec, formatFloat(p))
		}
		cw.Write(rec)
	}
	cw.Flush()
	if got.String() != want.String() {
		t.Errorf("WriteCSV differs from encoding/csv:\n got %q\nwant %q", got.String(), want.String())
	}
}
