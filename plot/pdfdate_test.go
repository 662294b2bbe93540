package plot

import (
	"bytes"
	"regexp"
	"testing"

	"github.com/agglo/agglo/regress"
)

// TestPDFBytesIgnoreClock checks that a PDF figure carries no clock time:
// the back end writes the current second into /CreationDate and /ModDate,
// which made reruns differ (the guide: reruns are byte-identical).
func TestPDFBytesIgnoreClock(t *testing.T) {
	var a bytes.Buffer
	fig := &EffectsPlot{Title: "t", Impacts: &regress.Impacts{
		Direct:   []regress.Effect{{Name: "x", Estimate: 1, StdError: 0.1}},
		Indirect: []regress.Effect{{Name: "x", Estimate: 0.5, StdError: 0.2}},
		Total:    []regress.Effect{{Name: "x", Estimate: 1.5, StdError: 0.25}},
	}}
	if err := Write(&a, fig, PDF, Options{}); err != nil {
		t.Fatal(err)
	}
	dates := regexp.MustCompile(`/(CreationDate|ModDate) \(D:(\d{14})\)`).FindAllSubmatch(a.Bytes(), -1)
	if len(dates) != 2 {
		t.Fatalf("found %d dates in the PDF, want 2", len(dates))
	}
	for _, d := range dates {
		if string(d[2]) != "19700101000000" {
			t.Errorf("%s is %s, want the fixed 19700101000000", d[1], d[2])
		}
	}
}
