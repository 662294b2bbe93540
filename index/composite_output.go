package index

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/agglo/agglo/internal/nulljson"
)

// WriteIndexCSV writes the index as CSV with the header region,period,index
// (the names regionCol and timeCol are used for the first two columns).
func (r *CompositeResult) WriteIndexCSV(w io.Writer, regionCol, timeCol string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{regionCol, timeCol, "index"}); err != nil {
		return err
	}
	for k, v := range r.Index {
		if err := cw.Write([]string{r.label(r.Regions, k), r.label(r.Periods, k), formatFloat(v)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteWeightsCSV writes the weights as CSV with the header
// period,indicator,weight,entropy,explained (period empty when pooled,
// entropy and explained empty where they do not apply).
func (r *CompositeResult) WriteWeightsCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"period", "indicator", "weight", "entropy", "explained"}); err != nil {
		return err
	}
	for _, g := range r.Groups {
		for j, name := range r.Indicators {
			e, x := "", ""
			if g.Entropy != nil {
				e = formatFloat(g.Entropy[j])
			}
			if r.Method == PCAMethod.String() {
				x = formatFloat(g.Explained)
			}
			if err := cw.Write([]string{g.Period, name, formatFloat(g.Weights[j]), e, x}); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// compositeRow is one row of the index in JSON.
type compositeRow struct {
	Region string  `json:"region"`
	Period string  `json:"period,omitempty"`
	Index  float64 `json:"index"`
}

// WriteJSON writes the method, the weights of every group and the index
// of every row as one JSON object.
func (r *CompositeResult) WriteJSON(w io.Writer) error {
	rows := make([]compositeRow, len(r.Index))
	for k, v := range r.Index {
		rows[k] = compositeRow{r.label(r.Regions, k), r.label(r.Periods, k), v}
	}
	b, err := nulljson.MarshalIndent(struct {
		*CompositeResult
		Rows []compositeRow `json:"index"`
	}{r, rows}, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

// WriteText writes the weights and the index as aligned tables.
func (r *CompositeResult) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "Composite index: %s weights, %s normalisation", r.Method, r.Normalise)
	if len(r.Negative) > 0 {
		fmt.Fprintf(tw, ", negative: %s", strings.Join(r.Negative, ", "))
	}
	fmt.Fprintln(tw)
	for _, g := range r.Groups {
		if g.Period != "" {
			fmt.Fprintf(tw, "\nPeriod %s\n", g.Period)
		}
		if r.Method == PCAMethod.String() {
			fmt.Fprintf(tw, "explained share of variance: %.6g\n", g.Explained)
		}
		fmt.Fprintln(tw, "indicator\tweight\t")
		for j, name := range r.Indicators {
			fmt.Fprintf(tw, "%s\t%.6g\t\n", name, g.Weights[j])
		}
	}
	fmt.Fprintln(tw, "\nregion\tperiod\tindex\t")
	for k, v := range r.Index {
		fmt.Fprintf(tw, "%s\t%s\t%.6g\t\n", r.label(r.Regions, k), r.label(r.Periods, k), v)
	}
	return tw.Flush()
}

// label returns labels[k], or the row number when there are no labels.
func (r *CompositeResult) label(labels []string, k int) string {
	if labels == nil {
		return fmt.Sprint(k + 1)
	}
	return labels[k]
}
